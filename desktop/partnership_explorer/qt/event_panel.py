"""The selected event (details and curation buttons) and the list of the filtered events.

The details show what a user checks before deciding: title, date and precision, kind, status, sectors, entities,
confidence and how many articles support it, with Confirm / Reject / Edit… / Merge… buttons bound to the main
window's actions. The list holds the filtered events in time order; selecting several rows there (Ctrl/Shift)
is how two events are picked for merging.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QItemSelection, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QFont, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QTableView,
                               QToolButton, QVBoxLayout, QWidget)

from ..core.periods import PRECISIONS
from .document_panel import plain_label
from .state import ExplorerState

STATUS_LABELS = {"extracted": "extracted (not reviewed)", "confirmed": "confirmed", "edited": "edited",
                 "rejected": "rejected", "manual": "added by hand", "imported": "imported", "merged": "merged"}
PRECISION_LABELS = {p: f"to the {p}" for p in PRECISIONS}


class EventDetailsPanel(QWidget):
    def __init__(self, state: ExplorerState, actions: dict[str, QAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.title = plain_label(self, bold=True)
        self.title.setObjectName("eventTitle")
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, label in (("date", "Date"), ("kind", "Kind"), ("status", "Status"), ("sectors", "Sectors"),
                           ("entities", "Entities"), ("confidence", "Confidence"), ("sources", "Sources")):
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


class EventTableModel(QAbstractTableModel):
    COLUMNS = ("Date", "Kind", "Status", "Title")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.colors: dict[str, str] = {}
        self.total = 0
        self.fetch = None

    def set_rows(self, rows: list[dict], total: int | None = None, fetch=None) -> None:
        """``rows``: the first page; ``total``: how many match; ``fetch(offset)`` reads the next page."""
        self.beginResetModel()
        self.rows = list(rows)
        self.total = len(rows) if total is None else int(total)
        self.fetch = fetch
        self.endResetModel()

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and self.fetch is not None and len(self.rows) < self.total

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        more = self.fetch(len(self.rows))
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
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
    def __init__(self, state: ExplorerState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
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

    def set_events(self, rows: list[dict], total: int | None = None, fetch=None) -> None:
        self._updating = True
        try:
            self.model.set_rows(rows, total, fetch)
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


__all__ = ["EventDetailsPanel", "EventListPanel", "EventTableModel"]
