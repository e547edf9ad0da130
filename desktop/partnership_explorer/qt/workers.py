"""Background work: every slow read and every ingestion runs off the GUI thread.

SQLite connections cannot cross threads, so each task opens its own :class:`~..core.store.Store` on the
database path, does its work and closes it; only plain Python results travel back, through queued signals,
to the GUI thread. :class:`TaskRunner` numbers the tasks of a channel ("load", "export"...) so that a result
overtaken by a newer request is dropped instead of painting stale data.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..core.curation import CurationError
from ..core.interchange import InterchangeError
from ..core.query import FilterError
from ..core.reader import ReadError
from ..core.store import Store, StoreError

# Problems the user can act on: their one-line message is shown as it is, without a traceback.
USER_ERRORS = (StoreError, ReadError, InterchangeError, CurationError, FilterError)


class _Signals(QObject):
    finished = Signal(int, object)      # generation, result
    failed = Signal(int, str)           # generation, one-line message
    progress = Signal(int, int, str)    # done, total, name
    skipped = Signal(int)               # generation: overtaken before it started


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, generation: int, db_path: Path | None,
                 is_current: Callable[[], bool], cancel: threading.Event):
        super().__init__()
        self.fn, self.signals, self.generation = fn, signals, generation
        self.db_path, self.is_current, self.cancel = db_path, is_current, cancel
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread
        if not self.is_current() or self.cancel.is_set():
            self.signals.skipped.emit(self.generation)
            return
        try:
            if self.db_path is None:
                result = self.fn(self)
            else:
                store = Store(self.db_path)
                try:
                    result = self.fn(store, self)
                finally:
                    store.close()
        except USER_ERRORS as exc:
            self.signals.failed.emit(self.generation, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - reported to the user as one line, logged in full
            traceback.print_exc(file=sys.stderr)
            self.signals.failed.emit(self.generation, f"{exc.__class__.__name__}: {exc}")
            return
        self.signals.finished.emit(self.generation, result)

    # helpers the task function may call ------------------------------------------------------------
    def report(self, done: int, total: int, name: str = "") -> None:
        self.signals.progress.emit(done, total, name)

    def cancelled(self) -> bool:
        return self.cancel.is_set()


class TaskHandle(QObject):
    """What :meth:`TaskRunner.submit` returns: connect to its signals; :meth:`cancel` asks the task to stop."""

    finished = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int, str)

    def __init__(self, runner: "TaskRunner", channel: str, generation: int):
        super().__init__(runner)
        self.runner, self.channel, self.generation = runner, channel, generation
        self.cancel_event = threading.Event()
        self.done = False
        self.result: Any = None
        self.error: str | None = None

    def cancel(self) -> None:
        self.cancel_event.set()

    def is_current(self) -> bool:
        return self.runner.generation(self.channel) == self.generation

    def _on_finished(self, generation: int, result: object) -> None:
        self.done = True
        self.runner._handles.discard(self)
        if self.is_current():
            self.result = result
            self.finished.emit(result)

    def _on_skipped(self, generation: int) -> None:
        self.done = True
        self.runner._handles.discard(self)

    def _on_failed(self, generation: int, message: str) -> None:
        self.done = True
        self.runner._handles.discard(self)
        if self.is_current():
            self.error = message
            self.failed.emit(message)


class TaskRunner(QObject):
    """A small thread pool with per-channel generation counters (newest request wins)."""

    def __init__(self, parent: QObject | None = None, *, threads: int = 2):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._generations: dict[str, int] = {}
        self._lock = threading.Lock()
        self._handles: set[TaskHandle] = set()

    def generation(self, channel: str) -> int:
        with self._lock:
            return self._generations.get(channel, 0)

    def submit(self, channel: str, fn: Callable[..., Any], db_path: Path | str | None) -> TaskHandle:
        """Run ``fn(store, task)`` (or ``fn(task)`` without a database) in the pool. Earlier tasks of the same
        channel become stale: they are skipped if not started, and their results are dropped."""
        with self._lock:
            generation = self._generations.get(channel, 0) + 1
            self._generations[channel] = generation
        handle = TaskHandle(self, channel, generation)
        signals = _Signals(handle)
        signals.finished.connect(handle._on_finished)
        signals.failed.connect(handle._on_failed)
        signals.skipped.connect(handle._on_skipped)
        signals.progress.connect(handle.progress)
        self._handles.add(handle)
        task = _Task(fn, signals, generation, Path(db_path) if db_path is not None else None,
                     handle.is_current, handle.cancel_event)
        self.pool.start(task)
        return handle

    def busy(self) -> bool:
        return bool(self._handles)

    def shutdown(self, msecs: int = 5000) -> bool:
        """Ask every task to stop, drop their results and wait a little for the threads."""
        for handle in list(self._handles):
            handle.cancel()
        with self._lock:
            for channel in self._generations:
                self._generations[channel] += 1
        return self.pool.waitForDone(msecs)
