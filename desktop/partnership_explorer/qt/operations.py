"""Writes: every change the window makes to the database, in the spirit of Anki's ``CollectionOp``.

A :class:`WriteOp` wraps a function ``write(store)`` that returns a :class:`~..core.changes.Changes` (or
``(result, changes)``). :meth:`Operations.run` runs it off the GUI thread in the one writer thread (on that
thread's own connection; ingestion and imports, which take long, in a second one), so writes happen one after
the other in the order they were asked for. When it is done, on the GUI thread: an undoable operation goes on
the undo stack (with snapshots of its events taken before and after, in the same worker task), the state
announces the ``Changes`` (``dataChanged``; each panel refreshes only what concerns it), and the operation's
``succeeded`` signal fires. A failure is one line (``Operations.failed`` — the window shows it), nothing else.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..core import views
from ..core.changes import Changes
from ..core.store import Store
from .state import ExplorerState
from .undo import CurationCommand
from .workers import TaskRunner


class WriteOp(QObject):
    """One write. Connect to ``succeeded(changes)`` / ``failed(message)`` before :meth:`Operations.run`."""

    succeeded = Signal(object)          # Changes
    failed = Signal(str)                # one line
    progress = Signal(int, int, str)    # done, total, name (emitted by the write through :meth:`report`)

    def __init__(self, text: str, write: Callable[[Store], Any], *, undo_ids=None, long: bool = False,
                 show_errors: bool = True, parent: QObject | None = None):
        """``undo_ids``: the events the write may change (ids it creates are found afterwards); None when the
        write cannot be undone. ``long``: an ingestion or import (runs beside curation, not before it).
        ``show_errors``: a failure goes to ``Operations.failed`` (the window's dialog); otherwise only to
        this operation's ``failed``."""
        super().__init__(parent)
        self.text, self.write, self.long, self.show_errors = text, write, long, show_errors
        self.undo_ids = None if undo_ids is None else [int(i) for i in undo_ids]
        self.result: Any = None
        self.changes: Changes | None = None
        self.error: str | None = None
        self.done = False
        self.command: CurationCommand | None = None
        self.path: Path | None = None          # the database it is written to
        self._cancel = threading.Event()

    # for the write function (worker thread) ---------------------------------------------------------
    def report(self, done: int, total: int, name: str = "") -> None:
        self.progress.emit(done, total, name)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


def _split(value: Any) -> tuple[Any, Changes]:
    if isinstance(value, Changes):
        return value, value
    result, changes = value
    return result, changes


class Operations(QObject):
    """Runs writes off the GUI thread, keeps the undo stack, announces what each write changed."""

    failed = Signal(str, str)           # title (the operation's text), message
    finished = Signal(object)           # a WriteOp that succeeded, after its changes were announced

    def __init__(self, state: ExplorerState, parent: QObject | None = None):
        super().__init__(parent)
        self.state = state
        self.path: Path | None = None
        self.writer = TaskRunner(self, threads=1)
        self.long_writer = TaskRunner(self, threads=1)
        self.undo_stack = QUndoStack(self)
        self._running: set[WriteOp] = set()
        self._count = 0

    def set_database(self, path: Path | str | None) -> None:
        self.path = Path(path) if path is not None else None
        self.undo_stack.clear()

    def busy(self, *, long: bool | None = None) -> bool:
        return any(long is None or op.long == long for op in self._running)

    def run(self, op: WriteOp) -> WriteOp:
        if op.parent() is None:
            op.setParent(self)
        if self.path is None:
            self._fail(op, "no database is open")
            return op
        undo_ids = op.undo_ids

        def work(store: Store, task) -> tuple:
            if undo_ids is None:
                return (*_split(op.write(store)), None, None)
            before = views.snapshot(store, undo_ids)
            result, changes = _split(op.write(store))
            ids = [*undo_ids, *changes.event_ids, *changes.added_ids, *changes.removed_ids]
            for i in ids:                 # created by the operation: absent before
                before["events"].setdefault(str(i), None)
            return result, changes, before, views.snapshot(store, ids)

        self._count += 1
        runner = self.long_writer if op.long else self.writer
        op.path = self.path
        handle = runner.submit(f"write-{self._count}", work, self.path)
        self._running.add(op)
        handle.finished.connect(lambda value, op=op: self._done(op, *value))
        handle.failed.connect(lambda message, op=op: self._fail(op, message))
        return op

    def _done(self, op: WriteOp, result: Any, changes: Changes, before, after) -> None:
        self._running.discard(op)
        op.result, op.changes, op.done = result, changes, True
        if op.path != self.path:
            return    # written to the database open before: the views and the undo stack are another one's now
        if op.undo_ids is not None and before is not None:
            op.command = CurationCommand(op.text, self, before, after, changes)
            self.undo_stack.push(op.command)
        if changes:
            self.state.notify_data_changed(changes)
        op.succeeded.emit(changes)
        self.finished.emit(op)

    def _fail(self, op: WriteOp, message: str) -> None:
        self._running.discard(op)
        op.error, op.done = message, True
        op.failed.emit(message)
        if op.show_errors:
            self.failed.emit(op.text, message)

    def restore(self, text: str, snapshot: dict, changes: Changes, action: str) -> WriteOp:
        """Put events back as a snapshot saw them (undo and redo): a write like any other, not undoable."""
        return self.run(WriteOp(text, lambda store: (views.restore(store, snapshot, action=action), changes)))

    def shutdown(self, msecs: int = 15000) -> None:
        """Stop ingestion after its current article; let every curation write asked for finish (a decision the
        user made is never dropped)."""
        for op in list(self._running):
            if op.long:
                op.cancel()
        self.long_writer.shutdown(msecs)
        self.writer.pool.waitForDone(msecs)
