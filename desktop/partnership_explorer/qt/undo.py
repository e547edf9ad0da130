"""Undo/redo for curation: each command is one curation operation that was applied, and can put things back.

The operation ran in the writer thread (:mod:`.operations`), which took :func:`core.views.snapshot` of the events
it touches before and after it. Undo restores the first, redo (after an undo) the second, so ids stay stable
(a manual event comes back with its id); each step is itself a write in the writer thread, announced with the
operation's :class:`~..core.changes.Changes` (inverted for undo) like the operation itself.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ..core.changes import Changes

if TYPE_CHECKING:  # pragma: no cover
    from .operations import Operations


class CurationCommand(QUndoCommand):
    """An applied operation: ``before``/``after`` snapshots of its events and the ``changes`` it made."""

    def __init__(self, text: str, ops: "Operations", before: dict, after: dict, changes: Changes):
        # text() is the plain title (undo history); actionText(), after the newline, goes into the Edit menu's
        # Undo/Redo entries where a literal '&' (a title like "R&D centre") must not become a mnemonic
        super().__init__(f"{text}\n{text.replace('&', '&&')}" if "&" in text else text)
        self._ops, self._text = ops, text
        self.before, self.after, self.changes = before, after, changes
        self._applied = True     # QUndoStack.push calls redo(): the operation has already been written

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._ops.restore(f"Redo {self._text}", self.after, replace(self.changes, action="redo"), "redo")

    def undo(self) -> None:
        self._ops.restore(f"Undo {self._text}", self.before, self.changes.inverse("undo"), "undo")

    @property
    def created_ids(self) -> list[int]:
        """Events the operation created (absent before it)."""
        return [int(k) for k, v in self.before["events"].items() if v is None]
