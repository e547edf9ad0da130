"""Undo/redo for curation: each command runs one core.curation operation and can put things back.

Before the operation the command takes :func:`core.views.snapshot` of the events it touches; after it, another.
Undo restores the first, redo (after an undo) restores the second, so ids stay stable (a manual event comes
back with its id) and every step is written to the database at once, like the operation itself.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..core import views
from ..core.curation import Changes, CurationError
from ..core.store import Store


class CurationCommand(QUndoCommand):
    """``op(store) -> Changes`` on the events ``event_ids`` (ids the operation may create are found afterwards).

    ``store`` is a callable returning the window's current Store; ``notify(changes)`` tells the views.
    If the operation raises, :attr:`error` holds the one-line message and the command does nothing (the caller
    checks :attr:`error` after ``push`` and then pops it with ``undo_stack.undo()`` semantics handled by
    :func:`push_curation`)."""

    def __init__(self, text: str, store: Callable[[], Store], op: Callable[[Store], Changes], event_ids=(),
                 notify: Callable[[Changes | None], None] | None = None):
        # text() is the plain title (undo history); actionText(), after the newline, goes into the Edit menu's
        # Undo/Redo entries where a literal '&' (a title like "R&D centre") must not become a mnemonic
        super().__init__(f"{text}\n{text.replace('&', '&&')}" if "&" in text else text)
        self._store, self._op, self._notify = store, op, notify
        self._ids = [int(i) for i in event_ids]
        self.before: dict | None = None
        self.after: dict | None = None
        self.changes: Changes | None = None
        self.error: str | None = None

    def redo(self) -> None:
        store = self._store()
        if self.after is None:
            before = views.snapshot(store, self._ids)
            try:
                changes = self._op(store)
            except (CurationError, ValueError) as exc:
                self.error = str(exc)
                self.setObsolete(True)
                return
            ids = [*self._ids, *changes.event_ids, *changes.removed_ids]
            extra = [i for i in ids if str(i) not in before["events"]]
            for i in extra:                       # created by the operation: absent before
                before["events"][str(i)] = None
            self.before = before
            self.after = views.snapshot(store, ids)
            self.changes = changes
        else:
            views.restore(store, self.after, action="redo")
        if self._notify:
            self._notify(self.changes)

    def undo(self) -> None:
        if self.before is None:
            return
        views.restore(self._store(), self.before, action="undo")
        if self._notify and self.changes is not None:
            self._notify(Changes(self.changes.event_ids + self.changes.removed_ids, action="undo"))

    @property
    def created_ids(self) -> list[int]:
        if self.before is None:
            return []
        return [int(k) for k, v in self.before["events"].items() if v is None]
