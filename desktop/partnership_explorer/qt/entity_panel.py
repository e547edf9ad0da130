"""Entity panel: the people, countries, bodies and companies of the filtered events, grouped by type.

Typing in the line edit narrows the list; clicking (or Enter on) an entity adds it to ``filter.entities`` so the
timeline shows only its events. The entities of the selected event (``state.view.detail``) are shown in bold on
a highlight tint. The counts are read in a worker (through the :class:`~.workers.ReadModel`) when the filter
changes or a write changed what they count, and published as ``state.view.entities``.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..core import views
from ..core.changes import Changes
from ..core.query import EventFilter
from .state import ExplorerState
from .workers import Load, ReadModel

TYPE_ORDER = ("country", "person", "government", "company", "organisation", "place")
TYPE_LABELS = {"country": "Countries", "person": "People", "government": "Government bodies",
               "company": "Companies", "organisation": "Organisations", "place": "Places"}
NAME_ROLE = Qt.ItemDataRole.UserRole


def fold(text: str) -> str:
    """Case- and accent-insensitive form for the type-to-filter box (Tô Lâm ~ to lam)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


class EntityPanel(QWidget):
    def __init__(self, state: ExplorerState, reads: ReadModel | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.reads = reads
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Filter entities…")
        self.search.setClearButtonEnabled(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("entityTree")
        self.tree.setHeaderLabels(["Entity", "Events"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setToolTip("Click an entity to show only its events")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self._highlight: set[str] = set()
        self._rows: list[dict] = []
        self.search.textChanged.connect(self._apply_search)
        self.tree.itemClicked.connect(self._clicked)
        self.tree.itemActivated.connect(self._clicked)
        state.filterChanged.connect(lambda *_: self.reload())
        state.dataChanged.connect(self._data_changed)
        state.viewChanged.connect(self._view_changed)

    # data ------------------------------------------------------------------------------------------
    def reload(self) -> None:
        if self.reads is None:
            return
        flt = self.state.filter
        self.reads.request(Load("entities", lambda store: views.entity_facets(store, flt),
                                lambda rows: self._loaded(flt, rows), priority=2))

    def _loaded(self, flt: EventFilter, rows: list[dict]) -> None:
        self.set_entities(rows)
        self.state.publish("entities", rows, entities_filter=flt)

    def _data_changed(self, changes: Changes) -> None:
        if changes.entities or changes.may_change_matches(self.state.filter):
            self.reload()

    def _view_changed(self, part: str) -> None:
        if part == "detail":
            detail = self.state.view.detail
            self.set_highlighted([e["name"] for e in detail["entities"]] if detail else [])

    def set_entities(self, rows: list[dict]) -> None:
        """Rows of core.query.entity_counts (name, type, country, count)."""
        self._rows = rows
        expanded = {self.tree.topLevelItem(i).data(0, NAME_ROLE): self.tree.topLevelItem(i).isExpanded()
                    for i in range(self.tree.topLevelItemCount())}
        self.tree.clear()
        groups: dict[str, list[dict]] = {}
        for r in rows:
            groups.setdefault(r["type"] if r["type"] in TYPE_ORDER else "organisation", []).append(r)
        for type_ in TYPE_ORDER:
            members = groups.get(type_)
            if not members:
                continue
            top = QTreeWidgetItem([f"{TYPE_LABELS[type_]}", str(len(members))])
            top.setData(0, NAME_ROLE, f"type:{type_}")
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            top.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(top)
            for r in sorted(members, key=lambda r: (-r["count"], fold(r["name"]))):
                child = QTreeWidgetItem([r["name"], str(r["count"])])
                child.setData(0, NAME_ROLE, r["name"])
                child.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                tip = r["name"] + (f" ({r['country']})" if r.get("country") else "")
                child.setToolTip(0, f"{tip}: {r['count']} events. Click to show only these.")
                top.addChild(child)
            top.setExpanded(expanded.get(f"type:{type_}", True))
        self.tree.resizeColumnToContents(1)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, self.tree.header().ResizeMode.Stretch)
        self._apply_highlight()
        self._apply_search(self.search.text())

    def entity_items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out.extend(top.child(j) for j in range(top.childCount()))
        return out

    def item_for(self, name: str) -> QTreeWidgetItem | None:
        return next((it for it in self.entity_items() if it.data(0, NAME_ROLE) == name), None)

    def visible_names(self) -> list[str]:
        return [it.data(0, NAME_ROLE) for it in self.entity_items() if not it.isHidden()]

    # search ------------------------------------------------------------------------------------------
    def _apply_search(self, text: str) -> None:
        needle = fold(text.strip())
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            shown = 0
            for j in range(top.childCount()):
                child = top.child(j)
                hide = bool(needle) and needle not in fold(child.text(0))
                child.setHidden(hide)
                shown += not hide
            top.setHidden(shown == 0)
            if needle and shown:
                top.setExpanded(True)

    # highlight of the selected event's entities ---------------------------------------------------
    def set_highlighted(self, names) -> None:
        self._highlight = set(names)
        self._apply_highlight()

    def highlighted(self) -> list[str]:
        return [it.data(0, NAME_ROLE) for it in self.entity_items() if it.font(0).bold()]

    def _apply_highlight(self) -> None:
        tint = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        tint.setAlpha(60)
        first = None
        for item in self.entity_items():
            on = item.data(0, NAME_ROLE) in self._highlight
            font = QFont(item.font(0))
            font.setBold(on)
            for col in (0, 1):
                item.setFont(col, font)
                item.setBackground(col, QBrush(tint) if on else QBrush())
            if on and first is None:
                first = item
        if first is not None:
            self.tree.scrollToItem(first)

    # click -------------------------------------------------------------------------------------------
    def _clicked(self, item: QTreeWidgetItem, column: int = 0) -> None:
        name = item.data(0, NAME_ROLE)
        if not name or name.startswith("type:"):
            return
        self.add_to_filter(name)

    def add_to_filter(self, name: str) -> None:
        flt = self.state.filter
        if name not in flt.entities:
            self.state.update_filter(self, entities=(*flt.entities, name))
