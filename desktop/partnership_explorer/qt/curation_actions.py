"""Curation from the window: confirm, reject, edit, add and merge events.

The dialogs run on the GUI thread with what the panels have loaded (``state.view``: the selected event, the list
rows, the sectors), or with a read in a worker when something is missing. Each decision is an undoable write of
the operations layer (:mod:`.operations`): written in the writer thread, pushed on the undo stack, announced
with the :class:`~..core.changes.Changes` :mod:`core.curation` returns.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from ..core import curation, views
from ..core.changes import Changes
from .event_dialogs import EventEditDialog, MergeDialog
from .operations import Operations, WriteOp
from .state import ExplorerState
from .workers import Load, ReadModel


def short(title: str) -> str:
    return title if len(title) <= 40 else title[:39] + "…"


class Curator(QObject):
    def __init__(self, window: QMainWindow, state: ExplorerState, ops: Operations, reads: ReadModel):
        super().__init__(window)
        self.window, self.state, self.ops, self.reads = window, state, ops, reads

    # what is loaded already ------------------------------------------------------------------------------
    def _loaded_row(self, event_id: int) -> dict | None:
        detail = self.state.view.detail
        if detail is not None and detail["id"] == event_id:
            return detail
        return self.state.view.row_of(event_id)

    def _title_of(self, event_id: int) -> str:
        row = self._loaded_row(event_id)
        return short(row["title"]) if row else f"event {event_id}"

    def _with_rows(self, ids: list[int], then: Callable[[dict[int, dict]], None]) -> None:
        """``then({id: row})`` with the list rows of ``ids``: from the view, else read in a worker."""
        rows = {i: self._loaded_row(i) for i in ids}
        if all(rows.values()):
            then(rows)
        else:
            self.reads.request(Load("curation", lambda store: views.event_rows(store, ids), then, priority=3))

    # writes ------------------------------------------------------------------------------------------------
    def curate(self, text: str, write: Callable, event_ids=()) -> WriteOp | None:
        """Run one undoable decision; the status bar says it was stored."""
        if self.ops.path is None:
            return None
        op = WriteOp(text, write, undo_ids=event_ids)
        op.succeeded.connect(lambda _changes: self.window.statusBar().showMessage(text, 3000))
        return self.ops.run(op)

    def set_status_of_selection(self, status: str) -> WriteOp | None:
        ids = list(self.state.selection)
        if not ids:
            return None
        verb = {"confirmed": "Confirm", "rejected": "Reject"}[status]
        text = f"{verb} {len(ids)} events" if len(ids) > 1 else f"{verb} “{self._title_of(ids[0])}”"

        def write(store) -> Changes:
            out = Changes()
            with store.atomic():              # one step: all of them or none
                for event_id in ids:
                    out = out.merged(curation.set_status(store, event_id, status))
            return out

        return self.curate(text, write, ids)

    def confirm_selected(self) -> WriteOp | None:
        return self.set_status_of_selection("confirmed")

    def reject_selected(self) -> WriteOp | None:
        return self.set_status_of_selection("rejected")

    def edit_selected(self) -> None:
        event_id = self.state.selected_event
        if event_id is None or self.ops.path is None:
            return
        detail = self.state.view.detail
        sectors = self.state.view.sectors
        if detail is not None and detail["id"] == event_id and sectors is not None:
            self._edit_dialog(detail, sectors)
        else:
            self.reads.request(Load("curation", lambda store: (views.event_detail(store, event_id),
                                                               views.sectors(store)),
                                    lambda result: self._edit_dialog(*result), priority=3))

    def _edit_dialog(self, detail: dict | None, sectors: list[dict]) -> None:
        if detail is None:
            return
        dialog = EventEditDialog(self.window, sectors=sectors, kinds=views.kinds(), event=detail)
        if dialog.exec():
            self.edit_event(detail["id"], dialog.values())

    def edit_event(self, event_id: int, values: dict) -> WriteOp | None:
        """Apply what the Edit dialog collected (title, date, precision, end, kind, sectors, entities)."""
        return self.curate(f"Edit “{self._title_of(event_id)}”",
                           lambda store: curation.edit(store, event_id, **values), [event_id])

    def add_event(self) -> None:
        if self.ops.path is None:
            return
        sectors = self.state.view.sectors
        if sectors is not None:
            self._add_dialog(sectors)
        else:
            self.reads.request(Load("curation", views.sectors, self._add_dialog, priority=3))

    def _add_dialog(self, sectors: list[dict]) -> None:
        dialog = EventEditDialog(self.window, sectors=sectors, kinds=views.kinds())
        if dialog.exec():
            self.add_manual_event(dialog.values())

    def add_manual_event(self, values: dict) -> WriteOp | None:
        """Add an event by hand; once stored, it is selected."""
        op = self.curate(f"Add “{values['title'][:40]}”", lambda store: curation.add_manual_event(store, **values))
        if op is not None:
            op.succeeded.connect(lambda changes: self.state.set_selection(changes.added_ids[:1], self))
        return op

    def merge_selected(self) -> None:
        ids = list(self.state.selection)
        if not ids or self.ops.path is None:
            return
        if len(ids) >= 2:
            self._with_rows(ids[:2], lambda rows: self._confirm_merge(rows.get(ids[0]), rows.get(ids[1])))
        else:
            self._with_rows(ids[:1], lambda rows: self._merge_dialog(rows.get(ids[0])))

    def _confirm_merge(self, first: dict | None, other: dict | None) -> None:
        if first is None or other is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Merge events",
                          f"Merge these two events into one?\n\n• {first['date']}  {first['title']}\n"
                          f"• {other['date']}  {other['title']}\n\nThe first keeps its title and date; "
                          "sources, sectors and entities are combined.", parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Ok).setText("Merge")
        if box.exec() == QMessageBox.StandardButton.Ok:
            self.merge_events(first["id"], other["id"])

    def _merge_dialog(self, first: dict | None) -> None:
        if first is None:
            return
        dialog = MergeDialog(self.window, first, self.state.view.event_rows())
        if dialog.exec():
            pair = dialog.keep_and_absorb()
            if pair:
                self.merge_events(*pair)

    def merge_events(self, keep_id: int, absorb_id: int) -> WriteOp | None:
        """Fold ``absorb_id`` into ``keep_id``; once stored, the survivor is selected."""
        op = self.curate(f"Merge “{self._title_of(absorb_id)}” into “{self._title_of(keep_id)}”",
                         lambda store: curation.merge(store, keep_id, absorb_id), [keep_id, absorb_id])
        if op is not None:
            op.succeeded.connect(lambda _changes: self.state.set_selection([keep_id], self))
        return op
