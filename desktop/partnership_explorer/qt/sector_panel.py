"""Sector panel: one checkable row per sector (colour swatch, name, events under the other filters).

All rows checked means "every sector" (``filter.sectors == ()``); unchecking a row narrows the filter to the
checked ones. "None" unchecks everything (the timeline empties) so that one sector can then be checked alone.
One gesture shows one sector: a double-click on it (or its context menu's "Only this sector"); Ctrl-click adds a
sector to those shown; "Show all" undoes it.

The counts ignore the sector selection itself (a facet), so the panel reads them again (in a worker, through
the :class:`~.workers.ReadModel`) only when another part of the filter changes, or a write changed what they
count; it publishes them as ``state.view.sectors``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QObject, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QMenu, QPushButton, QVBoxLayout, QWidget

from ..core.changes import Changes
from ..core.query import EventFilter, sector_counts
from .state import ExplorerState
from .workers import Load, ReadModel

NO_SECTOR = "-"          # a sector key that matches nothing: the filter of "None" checked
KEY_ROLE = Qt.ItemDataRole.UserRole


def swatch(color: str, size: int = 12) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor(color))
    p.setPen(QColor(color).darker(130))
    p.drawRoundedRect(1, 1, size - 2, size - 2, 3, 3)
    p.end()
    return QIcon(pix)


class SectorPanel(QWidget):
    def __init__(self, state: ExplorerState, reads: ReadModel | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.reads = reads
        self.list = QListWidget(self)
        self.list.setObjectName("sectorList")
        self.list.setUniformItemSizes(True)
        self.list.setToolTip("Check the sectors to show; double-click shows one sector only, Ctrl-click adds one. "
                             "The number is the events of each sector under the other filters")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.viewport().installEventFilter(self)
        self.all_button = QPushButton("Show all", self)
        self.none_button = QPushButton("None", self)
        self.all_button.setToolTip("Show every sector")
        self.none_button.setToolTip("Uncheck every sector, then check the ones you want")
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.none_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        self._rows: list[dict] = []
        self._base: EventFilter | None = None     # the filter (sectors aside) of the counts asked for last
        self._updating = False
        self.list.itemChanged.connect(self._item_changed)
        self.all_button.clicked.connect(self.show_all)
        self.none_button.clicked.connect(lambda: self.state.update_filter(self, sectors=(NO_SECTOR,)))
        state.filterChanged.connect(self._filter_changed)
        state.dataChanged.connect(self._data_changed)

    # data ----------------------------------------------------------------------------------------
    def reload(self) -> None:
        if self.reads is None:
            return
        base = self._base = self.state.filter.replace(sectors=())
        self.reads.request(Load("sectors", lambda store: sector_counts(store, base),
                                lambda rows: self._loaded(base, rows), priority=2))

    def _loaded(self, base: EventFilter, rows: list[dict]) -> None:
        self.set_counts(rows)
        self.state.publish("sectors", rows, sectors_filter=base)

    def _data_changed(self, changes: Changes) -> None:
        if changes.sectors or changes.may_change_matches(self.state.filter.replace(sectors=())):
            self.reload()

    def set_counts(self, rows: list[dict]) -> None:
        """Rows of core.query.sector_counts (key, name, color, count)."""
        self._rows = rows
        self._updating = True
        try:
            if [self.list.item(i).data(KEY_ROLE) for i in range(self.list.count())] != [r["key"] for r in rows]:
                self.list.clear()
                for r in rows:
                    item = QListWidgetItem(swatch(r["color"]), "")
                    item.setData(KEY_ROLE, r["key"])
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                                  | Qt.ItemFlag.ItemIsSelectable)
                    self.list.addItem(item)
            for i, r in enumerate(rows):
                item = self.list.item(i)
                n = QLocale().toString(int(r["count"]))
                item.setText(f"{r['name']}  ({n})")
                item.setToolTip(f"{r['name']}: {n} events under the other filters")
            self._sync_checks()
        finally:
            self._updating = False

    def _sync_checks(self) -> None:
        selected = set(self.state.filter.sectors)
        was = self._updating
        self._updating = True
        try:
            for i in range(self.list.count()):
                item = self.list.item(i)
                on = not selected or item.data(KEY_ROLE) in selected
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self._updating = was

    def _filter_changed(self, flt, origin) -> None:
        self._sync_checks()
        if flt.replace(sectors=()) != self._base:
            self.reload()

    # user ------------------------------------------------------------------------------------------
    def checked_keys(self) -> list[str]:
        return [self.list.item(i).data(KEY_ROLE) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, key: str, on: bool) -> None:
        """What a click on a row's check box does (also for tests and the chips)."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(KEY_ROLE) == key:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _item_changed(self, item: QListWidgetItem) -> None:
        if self._updating:
            return
        keys = self.checked_keys()
        if len(keys) == self.list.count():
            sectors: tuple[str, ...] = ()
        elif not keys:
            sectors = (NO_SECTOR,)
        else:
            sectors = tuple(keys)
        self.state.update_filter(self, sectors=sectors)

    def show_only(self, key: str) -> None:
        """Only this sector (double-click, context menu)."""
        self.state.update_filter(self, sectors=(key,))

    def add_sector(self, key: str) -> None:
        """Ctrl-click: this sector too (all sectors shown already: this one only, the start of a choice)."""
        current = tuple(k for k in self.state.filter.sectors if k != NO_SECTOR)
        if key in current:
            return
        order = [self.list.item(i).data(KEY_ROLE) for i in range(self.list.count())]
        wanted = set(current) | {key}
        sectors = tuple(k for k in order if k in wanted)
        self.state.update_filter(self, sectors=() if len(sectors) == len(order) else sectors)

    def show_all(self) -> None:
        self.state.update_filter(self, sectors=())

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        kind = ev.type()
        if obj is self.list.viewport() and kind in (QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonPress) \
                and ev.button() == Qt.MouseButton.LeftButton:
            item = self.list.itemAt(ev.position().toPoint())
            if item is not None:
                if kind == QEvent.Type.MouseButtonDblClick:
                    self.show_only(item.data(KEY_ROLE))
                    return True
                if ev.modifiers() & Qt.KeyboardModifier.ControlModifier:
                    self.add_sector(item.data(KEY_ROLE))
                    return True
        return super().eventFilter(obj, ev)

    def _context_menu(self, pos) -> None:
        menu = self.context_menu(self.list.itemAt(pos))
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def context_menu(self, item: QListWidgetItem | None) -> QMenu:
        menu = QMenu(self)
        if item is not None:
            key = item.data(KEY_ROLE)
            menu.addAction("Only this sector", lambda: self.show_only(key)) \
                .setObjectName("onlyThisSector")
            if key not in self.state.filter.sectors and self.state.filter.sectors:
                menu.addAction("Add to the sectors shown", lambda: self.add_sector(key))
        menu.addAction("Show all", self.show_all).setEnabled(bool(self.state.filter.sectors))
        return menu

    def name_of(self, key: str) -> str:
        return next((r["name"] for r in self._rows if r["key"] == key), key)
