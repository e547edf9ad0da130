"""The selected event (details and curation buttons) and the list of the filtered events.

The details show what a user checks before deciding: title, date and precision, kind, status, sectors, entities,
confidence and how many articles support it, with Confirm / Reject / Edit… / Merge… buttons bound to the main
window's actions. The list holds the filtered events in time order; selecting several rows there (Ctrl/Shift)
is how two events are picked for merging. :class:`EventCountLabel` is the status bar's "N of M events".

Both panels read their data in a worker through the :class:`~.workers.ReadModel`: the details read the selected
event (and publish it as ``state.view.detail``, which the article and entity panels show too), the list reads
a page at a time (``state.view.events``). After a write they read again only what its
:class:`~..core.changes.Changes` concern: a retitle or a status change re-reads the rows shown, not the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QItemSelection, QItemSelectionModel, QLocale, QModelIndex, Qt
from PySide6.QtGui import QAction, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QTableView,
                               QToolButton, QVBoxLayout, QWidget)

from ..core.disputes import source_date_lines
from ..core import views
from ..core.changes import Changes
from ..core.views import EventPage
from ..core.periods import PRECISIONS, Period
from .document_panel import plain_label
from .state import ExplorerState
from .workers import Load, ReadModel

STATUS_LABELS = {"extracted": "extracted (not reviewed)", "confirmed": "confirmed", "edited": "edited",
                 "rejected": "rejected", "manual": "added by hand", "imported": "imported", "merged": "merged"}
PRECISION_LABELS = {p: f"to the {p}" for p in PRECISIONS}


class EventDetailsPanel(QWidget):
    def __init__(self, state: ExplorerState, actions: dict[str, QAction], reads: ReadModel | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.reads = reads
        self._known: dict | None = None    # a detail already read for the selection about to be made
        self.title = plain_label(self, bold=True)
        self.title.setObjectName("eventTitle")
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, label in (("date", "Date"), ("kind", "Kind"), ("status", "Status"), ("sectors", "Sectors"),
                           ("entities", "Entities"), ("confidence", "Confidence"), ("sources", "Sources"),
                           ("source_dates", "Dates by source")):
            value = plain_label(self)
            self.fields[key] = value
            form.addRow(f"{label}:", value)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QToolButton] = {}
        for key in ("confirm", "reject", "edit", "merge"):
            button = QToolButton(self)
            button.setDefaultAction(actions[key])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.buttons[key] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.show_event(None)
        state.selectionChanged.connect(lambda *_: self.reload())
        state.dataChanged.connect(self._data_changed)

    # data ------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the selected event (or the one it was merged into) in a worker; publish and show it."""
        event_id = self.state.selected_event
        known, self._known = self._known, None
        if event_id is None or self.reads is None:
            if self.reads is not None:
                self.reads.cancel("detail")
            self._loaded(None, None)
        elif known is not None and known["id"] == event_id:
            self._loaded(event_id, known)
        else:
            self.reads.request(Load("detail", lambda store: views.current_event(store, event_id),
                                    lambda detail: self._loaded(event_id, detail), priority=3))

    def _loaded(self, event_id: int | None, detail: dict | None) -> None:
        if detail is not None and detail["id"] != event_id:
            # merged into another event: select that one (its details are here already)
            self._known = detail
            self.state.set_selection([detail["id"]], self)
            return
        self.state.publish("detail", detail)
        self.show_event(detail)

    def _data_changed(self, changes: Changes) -> None:
        if self.state.selected_event is not None and changes.touches([self.state.selected_event]):
            self.reload()

    def show_event(self, event: dict | None) -> None:
        if event is None:
            self.title.setText("No event selected")
            self.title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            for value in self.fields.values():
                value.setText("—")
            self.fields["date"].setText("Click an event on the timeline or in the list.")
            return
        self.title.setForegroundRole(QPalette.ColorRole.WindowText)
        self.title.setText(event["title"])
        date = event["date"] if not event["is_range"] else f"{event['start']} – {event['end']}"
        if event["precision"] == "week" and not event["is_range"]:  # "week of 14 Apr 2025 (2025-W16)"
            date = f"{Period.of(dt.date.fromisoformat(event['start']), 'week').label('short')} ({event['date']})"
        self.fields["date"].setText(f"{date}  ({PRECISION_LABELS.get(event['precision'], event['precision'])})")
        self.fields["kind"].setText(event["kind"])
        self.fields["status"].setText(STATUS_LABELS.get(event["status"], event["status"])
                                      + ("  · locked against re-extraction" if event.get("locked") else ""))
        self.fields["sectors"].setText(", ".join(s["name"] for s in event["sectors"]) or "—")
        self.fields["entities"].setText(", ".join(e["name"] for e in event["entities"]) or "—")
        self.fields["confidence"].setText(f"{event['confidence']:.0%}")
        n = len(event["sources"])
        docs = len({s["document_id"] for s in event["sources"]})
        self.fields["sources"].setText(f"{n} sentence{'s' * (n != 1)} in {docs} article{'s' * (docs != 1)}"
                                       if n else "none (added by hand)")
        lines, disputed = source_date_lines(event["sources"])
        self.fields["source_dates"].setText(
            ("Sources disagree:\n" if disputed else "") + "\n".join(lines) if lines else "—")


class EventTableModel(QAbstractTableModel):
    COLUMNS = ("Date", "Kind", "Status", "Title")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.total = 0
        self.fetch = None
        self.fetching = False

    def set_rows(self, rows: list[dict], total: int | None = None, fetch=None) -> None:
        """``rows``: the first page; ``total``: how many match; ``fetch(offset)`` asks for the next page, which
        comes back through :meth:`append_rows`."""
        self.beginResetModel()
        self.rows = list(rows)
        self.total = len(rows) if total is None else int(total)
        self.fetch = fetch
        self.fetching = False
        self.endResetModel()

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return (not parent.isValid() and self.fetch is not None and not self.fetching
                and len(self.rows) < self.total)

    def fetchMore(self, parent=QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self.fetching = True
        self.fetch(len(self.rows))

    def append_rows(self, more: list[dict]) -> None:
        self.fetching = False
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def update_rows(self, by_id: dict[int, dict]) -> None:
        """Rows read again (after curation) replace the ones with their ids, in place."""
        for i, e in enumerate(self.rows):
            new = by_id.get(e["id"])
            if new is not None:
                self.rows[i] = new
                self.dataChanged.emit(self.index(i, 0), self.index(i, self.columnCount() - 1))

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (e["date"], e["kind"], e["status"], e["title"])[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{e['title']}\n{e['date']} · {e['kind']} · {e['status']} · confidence {e['confidence']:.0%}"
        if role == Qt.ItemDataRole.FontRole and e["status"] == "rejected":
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and e["status"] == "rejected":
            return QPalette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.UserRole:
            return e["id"]
        return None

    def row_of(self, event_id: int) -> int:
        return next((i for i, e in enumerate(self.rows) if e["id"] == event_id), -1)


class EventListPanel(QWidget):
    def __init__(self, state: ExplorerState, reads: ReadModel | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.reads = reads
        self.model = EventTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("eventTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setShowGrid(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # the Date column always shows whole dates ("2025-04-15"): its width comes from the dates, not from
        # the rows on screen (a column sized for "1992" elided the later "2025-04-15" to "2025-…")
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        self._date_width = 0
        self.fit_date_column([])
        # fit the columns to the rows on screen only: measuring every loaded row (thousands) on each relayout
        # of the window made a sector toggle wait ~0.1 s
        header.setResizeContentsPrecision(0)
        self.view.setToolTip("Filtered events in time order. Select two (Ctrl+click) to merge them.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._updating = False
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        state.selectionChanged.connect(self._state_selection)
        state.filterChanged.connect(lambda *_: self.reload())
        state.dataChanged.connect(self._data_changed)

    # data ------------------------------------------------------------------------------------------
    def fit_date_column(self, rows) -> None:
        """Widen the Date column to a whole "YYYY-MM-DD" or the longest date of ``rows``, never narrower."""
        fm = QFontMetrics(self.view.font())
        texts = {"8888-88-88", *(str(r["date"]) for r in rows if len(str(r["date"])) > 10)}
        needed = max(fm.horizontalAdvance(t) for t in texts) + 2 * self.view.style().pixelMetric(
            self.view.style().PixelMetric.PM_FocusFrameHMargin) + 16
        needed = max(needed, fm.horizontalAdvance(EventTableModel.COLUMNS[0]) + 24)
        if needed > self._date_width:
            self._date_width = needed
            self.view.horizontalHeader().resizeSection(0, needed)

    def reload(self, *, with_total: bool = False) -> None:
        """The first page of the filtered list and the count (and the database's total when not known)."""
        if self.reads is None:
            return
        flt = self.state.filter
        with_total = with_total or self.state.view.total is None
        self.reads.request(Load("events", lambda store: views.event_page(store, flt, with_total=with_total),
                                self._page_loaded, priority=2))

    def _page_loaded(self, page: EventPage) -> None:
        total = page.total if page.total is not None else self.state.view.total
        self.set_events(page.rows, total=page.shown, fetch=self._fetch_more)
        self.state.publish("events", page, total=total)

    def _fetch_more(self, offset: int) -> None:
        page = self.state.view.events
        if self.reads is None or page is None:
            self.model.append_rows([])
            return
        flt = page.filter
        self.reads.request(Load("events", lambda store: views.event_page(store, flt, offset=offset),
                                self._more_loaded, priority=2, what="more"))

    def _more_loaded(self, more: EventPage) -> None:
        page = self.state.view.events
        if page is None or more.filter != page.filter or more.offset != len(self.model.rows):
            return
        self.model.append_rows(more.rows)
        self.fit_date_column(more.rows)
        self.state.publish("events", replace(page, rows=page.rows + more.rows))

    def _data_changed(self, changes: Changes) -> None:
        if changes.may_change_matches(self.state.filter) or changes.dates:
            self.reload(with_total=changes.adds_or_removes)   # other events, or another order
        elif (changes.titles or changes.kinds or changes.status) and changes.touches(self.event_ids()):
            ids = [i for i in self.event_ids() if i in changes.ids]
            self.reads.request(Load("event-rows", lambda store: views.event_rows(store, ids), self._rows_loaded,
                                    priority=2))

    def _rows_loaded(self, by_id: dict) -> None:
        self.model.update_rows(by_id)
        page = self.state.view.events
        if page is not None:
            self.state.publish("events", replace(page, rows=list(self.model.rows)))

    def set_events(self, rows: list[dict], total: int | None = None, fetch=None) -> None:
        self._updating = True
        try:
            self.model.set_rows(rows, total, fetch)
            self.fit_date_column(rows)
        finally:
            self._updating = False
        self._state_selection(self.state.selection, None)

    def event_ids(self) -> list[int]:
        return [e["id"] for e in self.model.rows]

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.rows[r]["id"] for r in rows]

    def _selection_changed(self, *_):
        if self._updating:
            return
        ids = self.selected_ids()
        current = self.view.currentIndex()
        # the row the user clicked last comes first: it is the one the details show
        if current.isValid() and self.model.rows[current.row()]["id"] in ids:
            first = self.model.rows[current.row()]["id"]
            ids = [first, *[i for i in ids if i != first]]
        self.state.set_selection(ids, self)

    def _state_selection(self, ids, origin) -> None:
        if origin is self:
            return
        self._updating = True
        try:
            sm = self.view.selectionModel()
            selection = QItemSelection()
            first = None
            for event_id in ids:
                row = self.model.row_of(event_id)
                if row >= 0:
                    selection.select(self.model.index(row, 0), self.model.index(row, self.model.columnCount() - 1))
                    first = row if first is None else first
            sm.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if first is not None:
                sm.setCurrentIndex(self.model.index(first, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
                self.view.scrollTo(self.model.index(first, 0))
        finally:
            self._updating = False


def count_text(shown: int, total: int) -> str:
    """'12,345 of 1,000,000 events' with the user's digit grouping."""
    loc = QLocale()
    return f"{loc.toString(int(shown))} of {loc.toString(int(total))} events"


class EventCountLabel(QLabel):
    """'N of M events' for the current filter. During a sector toggle the timeline's rows already know N, so
    the label follows at once; the list's count confirms it when its page arrives."""

    def __init__(self, state: ExplorerState, parent: QWidget | None = None):
        super().__init__("No database", parent)
        self.setObjectName("eventCount")
        self.state = state
        state.viewChanged.connect(self._view_changed)

    def _view_changed(self, part: str) -> None:
        view, flt = self.state.view, self.state.filter
        if part == "events" and view.events is not None and view.total is not None:
            self.setText(count_text(view.events.shown, view.total))
            self.setToolTip(f"Filter: {flt.describe()}")
        elif part == "timeline" and view.timeline is not None and view.events is not None \
                and view.total is not None and view.events.filter != flt \
                and view.events.filter.replace(sectors=()) == flt.replace(sectors=()):
            self.setText(count_text(view.timeline.total_events, view.total))


__all__ = ["EventCountLabel", "EventDetailsPanel", "EventListPanel", "EventTableModel", "count_text"]
