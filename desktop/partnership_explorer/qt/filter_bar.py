"""Filter bar: full-text search, a date range, and the active filters as removable chips.

Typing is debounced (250 ms) before it reaches the state, so a fast typist starts one query, not ten. A date box
accepts ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (and spellings dateparser reads); what it cannot read gets a red
border and a tooltip saying why, and the filter keeps its last good value. Each chip is one active filter
(sector, entity, date, query, "rejected hidden", "disputed dates"); its × removes just that filter.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QScrollArea, QToolButton, QVBoxLayout, QWidget

from ..core.periods import date_forms
from ..core.query import EventFilter, FilterError, parse_date_bound
from .event_dialogs import mark_invalid
from .sector_panel import NO_SECTOR
from .state import ExplorerState

DEBOUNCE_MS = 250


def mnemonic_safe(text: str) -> str:
    """Text from data for a button, action or label: a literal '&' is doubled so Qt does not take it as a
    keyboard mnemonic ("Digital & telecom" would otherwise show as "Digital _telecom")."""
    return text.replace("&", "&&")


class FilterBar(QWidget):
    def __init__(self, state: ExplorerState, sector_name: Callable[[str], str] = str, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.sector_name = sector_name
        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("Search titles and articles…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.search.setToolTip("Full-text search (all words, prefixes match)")
        self.date_from = QLineEdit(self)
        self.date_to = QLineEdit(self)
        for edit, tip, placeholder in ((self.date_from, "Events ending on or after this date", "from YYYY[-MM[-DD]]"),
                                       (self.date_to, "Events starting on or before this date", "to YYYY[-MM[-DD]]")):
            edit.setPlaceholderText(placeholder)
            edit.setClearButtonEnabled(True)
            edit.setFixedWidth(150)
            edit.setProperty("normalTip", f"{tip} ({date_forms()})")
            edit.setToolTip(edit.property("normalTip"))
        self.chips_box = QWidget(self)
        self.chips = QHBoxLayout(self.chips_box)
        self.chips.setContentsMargins(0, 0, 0, 0)
        self.chips.setSpacing(4)
        self.chips.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(self.chips_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.viewport().setAutoFillBackground(False)
        self.chips_box.setAutoFillBackground(False)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear all")
        self.clear_button.setAutoRaise(True)
        self.clear_button.setToolTip("Remove every filter")
        self.clear_button.clicked.connect(self.clear_all)
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addSpacing(8)
        top.addWidget(QLabel("Dates:", self))
        top.addWidget(self.date_from)
        top.addWidget(QLabel("–", self))
        top.addWidget(self.date_to)
        top.addSpacing(8)
        self.disputed = QCheckBox("Only disputed dates", self)
        self.disputed.setObjectName("onlyDisputed")
        self.disputed.setToolTip("Only events whose sources give dates that do not agree, to check them one by one")
        self.disputed.toggled.connect(lambda on: self.state.update_filter(self, disputed=bool(on)))
        top.addWidget(self.disputed)
        top.addStretch(1)
        self.chips_row = QWidget(self)
        row = QHBoxLayout(self.chips_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.chips_label = QLabel("Filters:", self.chips_row)
        row.addWidget(self.chips_label)
        row.addWidget(scroll, 1)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.chips_row)

        self._search_timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_search)
        self._date_timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._date_timer.timeout.connect(self.apply_dates)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_search)
        for edit in (self.date_from, self.date_to):
            edit.textChanged.connect(lambda _: self._date_timer.start())
            edit.returnPressed.connect(self.apply_dates)
        state.filterChanged.connect(self._filter_changed)
        self._rebuild_chips(state.filter)

    # search ------------------------------------------------------------------------------------------
    def apply_search(self) -> None:
        self._search_timer.stop()
        self.state.update_filter(self, query=self.search.text().strip())

    # dates -------------------------------------------------------------------------------------------
    def parse_dates(self) -> tuple[bool, object, object]:
        """(valid, from, to) from the boxes; marks the box that is wrong."""
        values = []
        ok = True
        for edit, end in ((self.date_from, False), (self.date_to, True)):
            text = edit.text().strip()
            if not text:
                values.append(None)
                mark_invalid(edit, None)
                continue
            try:
                values.append(parse_date_bound(text, end=end))
                mark_invalid(edit, None)
            except (FilterError, ValueError, OverflowError) as exc:
                values.append(None)
                mark_invalid(edit, str(exc) or f"'{text}' is not a date")
                ok = False
        if ok and values[0] and values[1] and values[1] < values[0]:
            mark_invalid(self.date_to, "the end of the range is before its start")
            ok = False
        return ok, values[0], values[1]

    def apply_dates(self) -> None:
        self._date_timer.stop()
        ok, start, end = self.parse_dates()
        if ok:
            self.state.update_filter(self, date_from=start, date_to=end)

    def is_invalid(self, edit: QLineEdit) -> bool:
        return bool(edit.property("invalid"))

    # reflect the state ---------------------------------------------------------------------------------
    def _filter_changed(self, flt: EventFilter, origin) -> None:
        if origin is not self:
            if flt.query != self.search.text().strip():
                self._set_quietly(self.search, flt.query)
            for edit, value in ((self.date_from, flt.date_from), (self.date_to, flt.date_to)):
                ok, start, end = self.parse_dates()
                current = start if edit is self.date_from else end
                if value != current or not ok:
                    self._set_quietly(edit, self._format_date(value, edit is self.date_to))
                    mark_invalid(edit, None)
        if self.disputed.isChecked() != flt.disputed:
            was = self.disputed.blockSignals(True)
            self.disputed.setChecked(flt.disputed)
            self.disputed.blockSignals(was)
        self._rebuild_chips(flt)

    @staticmethod
    def _format_date(value, end: bool) -> str:
        if value is None:
            return ""
        if end and value.month == 12 and value.day == 31:
            return f"{value.year}"
        if not end and value.month == 1 and value.day == 1:
            return f"{value.year}"
        return value.isoformat()

    def _set_quietly(self, edit: QLineEdit, text: str) -> None:
        was = edit.blockSignals(True)
        edit.setText(text)
        edit.blockSignals(was)

    # chips -------------------------------------------------------------------------------------------
    def chip_texts(self) -> list[str]:
        """The chips as the user reads them (a sector "Digital & telecom" shows its ampersand)."""
        return [self.chips.itemAt(i).widget().text().replace("&&", "&") for i in range(self.chips.count())
                if self.chips.itemAt(i).widget() is not None]

    def _rebuild_chips(self, flt: EventFilter) -> None:
        while self.chips.count() > 1:
            item = self.chips.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        chips: list[tuple[str, str, Callable[[], None]]] = []
        if flt.sectors == (NO_SECTOR,):
            chips.append(("Sectors: none", "No sector is checked", lambda: self._update(sectors=())))
        else:
            for key in flt.sectors:
                chips.append((f"Sector: {self.sector_name(key)}", "Remove this sector from the filter",
                              lambda k=key: self._update(sectors=tuple(s for s in self.state.filter.sectors if s != k))))
        for name in flt.entities:
            chips.append((f"Entity: {name}", "Show events without this entity too",
                          lambda n=name: self._update(entities=tuple(e for e in self.state.filter.entities if e != n))))
        if flt.date_from or flt.date_to:
            a = flt.date_from.isoformat() if flt.date_from else "…"
            b = flt.date_to.isoformat() if flt.date_to else "…"
            chips.append((f"Dates: {a} – {b}", "Remove the date range", lambda: self._update(date_from=None, date_to=None)))
        if flt.query:
            chips.append((f"Search: {flt.query}", "Clear the search", lambda: self._update(query="")))
        if not flt.show_rejected:
            chips.append(("Rejected hidden", "Show rejected events again", lambda: self._update(show_rejected=True)))
        if flt.pair:
            chips.append((f"Pair: {flt.pair[0]} – {flt.pair[-1]}", "Show the events of every pair",
                          lambda: self._update(pair=())))
        if flt.disputed:
            chips.append(("Disputed dates", "Every event, whatever its sources say", lambda: self._update(disputed=False)))
        if flt.document_id is not None:
            chips.append((f"Article {flt.document_id}", "Events of every article", lambda: self._update(document_id=None)))
        self.chips_row.setVisible(bool(chips))
        for text, tip, remove in chips:
            button = QToolButton(self.chips_box)
            button.setObjectName("filterChip")
            button.setText(mnemonic_safe(f"{text}  ✕"))
            button.setToolTip(tip)
            button.setAutoRaise(False)
            button.clicked.connect(lambda _=False, f=remove: f())
            self.chips.insertWidget(self.chips.count() - 1, button)

    def clear_all(self) -> None:
        for edit in (self.date_from, self.date_to, self.search):
            self._set_quietly(edit, "")
            mark_invalid(edit, None)
        self.state.set_filter(EventFilter(), self)

    def remove_chip(self, index: int) -> None:
        """What clicking the × of the index-th chip does (for tests and keyboard users)."""
        widgets = [self.chips.itemAt(i).widget() for i in range(self.chips.count()) if self.chips.itemAt(i).widget()]
        widgets[index].click()

    def _update(self, **changes) -> None:
        if "date_from" in changes:
            for edit in (self.date_from, self.date_to):
                self._set_quietly(edit, "")
                mark_invalid(edit, None)
        if "query" in changes:
            self._set_quietly(self.search, "")
        self.state.update_filter(self, **changes)
