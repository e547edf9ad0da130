"""Background work: every read a panel shows, every write and every ingestion runs off the GUI thread.

SQLite connections cannot cross threads, so each worker thread opens its own :class:`~..core.store.Store` on
the database path (kept for the next task while the runner has more queued, so a burst of reads opens the file
once per thread, then closed by that thread); only plain Python results travel back, through queued signals,
to the GUI thread. :class:`TaskRunner` numbers the tasks of a channel ("timeline", "export"...) so that a result
overtaken by a newer request is dropped instead of painting stale data.

:class:`ReadModel` is how every panel gets its data: the panel describes a :class:`Load` (the part of the view it
fills, a read function taking a Store, and what to do with the result on the GUI thread) and requests it; the
newest load of a part wins, older ones are dropped, and :meth:`ReadModel.busy` says whether any is on its way.
"""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..core.curation import CurationError
from ..core.query import FilterError
from ..core.store import Store, StoreError

# Problems the user can act on: their one-line message is shown as it is, without a traceback.
USER_ERRORS = (StoreError, CurationError, FilterError)
# ... and those of the modules that read files, which the window imports only when it reads one (not at start:
# they bring the HTML reader and the date finder, about a tenth of the start-up imports). An error of theirs
# can only come from them once imported.
_READING_ERRORS = (("partnership_explorer.core.reader", "ReadError"),
                   ("partnership_explorer.core.interchange", "InterchangeError"))


def is_user_error(exc: BaseException) -> bool:
    if isinstance(exc, USER_ERRORS):
        return True
    return any(isinstance(exc, cls) for module, name in _READING_ERRORS
               if (cls := getattr(sys.modules.get(module), name, None)) is not None)


class _Signals(QObject):
    finished = Signal(int, object)      # generation, result
    failed = Signal(int, str)           # generation, one-line message
    skipped = Signal(int)               # generation: overtaken before it started


class _Connections:
    """Each worker thread's Store: kept after a task while the runner has more queued, closed (by its thread)
    when the queue is empty, or dropped with the runner."""

    def __init__(self):
        self._lock = threading.Lock()
        self._stores: dict[int, Store] = {}     # thread ident -> its open store
        self.queued = 0                          # tasks submitted and not finished or skipped

    def submitted(self) -> None:
        with self._lock:
            self.queued += 1

    def skipped(self) -> None:
        with self._lock:
            self.queued -= 1

    def take(self, path: Path) -> Store:
        with self._lock:
            store = self._stores.pop(threading.get_ident(), None)
        if store is not None and store.path != path:
            store.close()
            store = None
        return store if store is not None else Store(path)

    def give_back(self, store: Store | None, ok: bool) -> None:
        with self._lock:
            self.queued -= 1
            keep = store is not None and ok and self.queued > 0 and not store.in_transaction
            if keep:
                self._stores[threading.get_ident()] = store
        if store is not None and not keep:
            store.close()

    def drop(self) -> None:
        """Forget the stores idle threads still hold (closed as they are collected)."""
        with self._lock:
            self._stores.clear()


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, generation: int, db_path: Path | None,
                 is_current: Callable[[], bool], cancel: threading.Event, connections: _Connections):
        super().__init__()
        self.fn, self.signals, self.generation = fn, signals, generation
        self.db_path, self.is_current, self.cancel = db_path, is_current, cancel
        self.connections = connections
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread
        if not self.is_current() or self.cancel.is_set():
            self._release()
            self.connections.skipped()
            self.signals.skipped.emit(self.generation)
            return
        store, ok, failure, result = None, False, None, None
        try:
            if self.db_path is None:
                result = self.fn(self)
            else:
                store = self.connections.take(self.db_path)
                result = self.fn(store, self)
            ok = True
        except Exception as exc:  # noqa: BLE001 - reported to the user as one line (others logged in full)
            if is_user_error(exc):
                failure = str(exc)
            else:
                traceback.print_exc(file=sys.stderr)
                failure = f"{exc.__class__.__name__}: {exc}"
        finally:
            self.connections.give_back(store, ok)
            self._release()
        if failure is not None:
            self.signals.failed.emit(self.generation, failure)
        else:
            self.signals.finished.emit(self.generation, result)

    def _release(self) -> None:
        """Drop this thread's references to the read and its handle before reporting: the last reference to what
        a read holds (a panel, the window) must go on the GUI thread (the handle keeps it until its slot runs),
        never here — a Qt object deleted on a worker thread while the GUI thread deletes others deadlocks."""
        self.fn = None
        self.is_current = lambda: False


class TaskHandle(QObject):
    """What :meth:`TaskRunner.submit` returns: connect to its signals; :meth:`cancel` asks the task to stop."""

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, runner: "TaskRunner", channel: str, generation: int):
        super().__init__(runner)
        self.runner, self.channel, self.generation = runner, channel, generation
        self.cancel_event = threading.Event()
        self.done = False
        self._fn = None          # the read, kept until the task reports (released on this, the GUI, thread)

    def cancel(self) -> None:
        self.cancel_event.set()

    def is_current(self) -> bool:
        return self.runner.generation(self.channel) == self.generation

    def _on_finished(self, generation: int, result: object) -> None:
        self.done, self._fn = True, None
        self.runner._handles.discard(self)
        if self.is_current():
            self.finished.emit(result)

    def _on_skipped(self, generation: int) -> None:
        self.done, self._fn = True, None
        self.runner._handles.discard(self)

    def _on_failed(self, generation: int, message: str) -> None:
        self.done, self._fn = True, None
        self.runner._handles.discard(self)
        if self.is_current():
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
        self._connections = _Connections()

    def generation(self, channel: str) -> int:
        with self._lock:
            return self._generations.get(channel, 0)

    def submit(self, channel: str, fn: Callable[..., Any], db_path: Path | str | None, *,
               priority: int = 0) -> TaskHandle:
        """Run ``fn(store, task)`` (or ``fn(task)`` without a database) in the pool, tasks of a higher
        ``priority`` first. Earlier tasks of the same channel become stale: they are skipped if not started, and
        their results are dropped."""
        with self._lock:
            generation = self._generations.get(channel, 0) + 1
            self._generations[channel] = generation
        handle = TaskHandle(self, channel, generation)
        handle._fn = fn   # released on the GUI thread, when the task reports (see _Task._release)
        signals = _Signals(handle)
        signals.finished.connect(handle._on_finished)
        signals.failed.connect(handle._on_failed)
        signals.skipped.connect(handle._on_skipped)
        self._handles.add(handle)
        task = _Task(fn, signals, generation, Path(db_path) if db_path is not None else None,
                     handle.is_current, handle.cancel_event, self._connections)
        self._connections.submitted()
        self.pool.start(task, priority)
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
        done = self.pool.waitForDone(msecs)
        if done:
            self._connections.drop()
        return done


# -- the panels' one way to read ----------------------------------------------------------------------
BACKGROUND_PARTS = frozenset({"documents"})  # not waited for by "loading" (the article list is filter-independent)


@dataclass(eq=False)
class Load:
    """One read for one part of the view. ``read(store)`` runs in a worker on its own connection; ``apply(result)``
    runs on the GUI thread, only if no newer load of the same ``part`` was requested meanwhile."""

    part: str
    read: Callable[[Store], Any]
    apply: Callable[[Any], None]
    priority: int = 0
    what: str = ""           # which kind of read of the part (e.g. "more" rows, a "patch"): for logs and tests
    generation: int = 0      # set by ReadModel.request: the how-many-th load of this part
    status: str = "new"      # "pending", then "applied", "dropped" (overtaken) or "failed"


class ReadModel(QObject):
    """Runs every panel's reads off the GUI thread, on the open database, newest request per part first."""

    idle = Signal()            # the last pending load (BACKGROUND_PARTS aside) was applied or failed
    failed = Signal(str)       # a load failed: one line

    def __init__(self, state=None, parent: QObject | None = None, *, threads: int = 2):
        super().__init__(parent)
        self.runner = TaskRunner(self, threads=threads)
        self.path: Path | None = None
        self._generations: dict[str, int] = {}
        self._pending: dict[str, Load] = {}
        self._batch: list[Load] | None = None   # loads requested inside batch(), started when it ends
        self._first: list[Load] = []            # the most urgent loads of the last batch, started first
        self._held: list[Load] = []             # the others, started once the first are done
        if state is not None:
            # before any panel reacts to a write, memoised reads of the file are forgotten
            state.dataChanged.connect(lambda _changes: self.invalidate())

    def set_database(self, path: Path | str | None) -> None:
        """Read from ``path`` from now on; loads on their way are dropped."""
        for load in self._pending.values():
            load.status = "dropped"
        self._pending.clear()
        self._first, self._held = [], []
        self.runner.shutdown(0)
        self.path = Path(path) if path is not None else None

    def invalidate(self) -> None:
        from ..core import views

        if self.path is not None:
            views.invalidate(self.path)

    def request(self, load: Load) -> Load:
        """Start ``load``; an older load of the same part still on its way is dropped."""
        generation = self._generations.get(load.part, 0) + 1
        self._generations[load.part] = generation
        load.generation = generation
        old = self._pending.pop(load.part, None)
        if old is not None:
            old.status = "dropped"
        if self.path is None:
            load.status = "dropped"
            return load
        load.status = "pending"
        self._pending[load.part] = load
        if self._batch is not None:
            self._batch.append(load)
        else:
            self._start(load)
            self._release_held()   # this may have overtaken the load held ones wait for
        return load

    @contextmanager
    def batch(self):
        """The loads requested inside start when it ends, the highest priority first. Without it the first loads
        requested take the free threads whatever their priority: on opening a database every panel asks at once,
        and the timeline (the first thing drawn) would wait for the event list and the sector counts."""
        outer = self._batch is None
        if outer:
            self._batch = []
        try:
            yield
        finally:
            if outer:
                loads, self._batch = self._batch, None
                loads = [load for load in loads if self._pending.get(load.part) is load]  # not overtaken meanwhile
                top = max((load.priority for load in loads), default=0)
                self._first = [load for load in loads if load.priority == top]
                self._held = [load for load in loads if load.priority != top]
                for load in self._first:
                    self._start(load)
                self._release_held()

    def _release_held(self) -> None:
        """Start the loads of a batch held back while its most urgent ones are on their way (they would take the
        cores and the interpreter from them), once those are applied, failed or dropped."""
        if not self._held or any(self._pending.get(load.part) is load for load in self._first):
            return
        held, self._held, self._first = self._held, [], []
        for load in sorted(held, key=lambda load: -load.priority):   # stable: same priority, same order
            if self._pending.get(load.part) is load:
                self._start(load)

    def _start(self, load: Load) -> None:
        handle = self.runner.submit(load.part, lambda store, task: load.read(store), self.path,
                                    priority=load.priority)
        handle.finished.connect(lambda result, load=load: self._finished(load, result))
        handle.failed.connect(lambda message, load=load: self._failed(load, message))

    def submit(self, channel: str, read: Callable[[Store], Any]) -> TaskHandle | None:
        """A read that is not part of the view (an export): its own channel, its result on the handle."""
        if self.path is None:
            return None
        return self.runner.submit(channel, lambda store, task: read(store), self.path)

    def cancel(self, part: str) -> None:
        """Drop the load of ``part`` on its way, if any (its result will not be applied)."""
        old = self._pending.pop(part, None)
        if old is not None:
            old.status = "dropped"
            self._generations[part] = self._generations.get(part, 0) + 1
            self._maybe_idle()

    def _current(self, load: Load) -> bool:
        if self._pending.get(load.part) is not load:
            if load.status == "pending":
                load.status = "dropped"
            return False
        del self._pending[load.part]
        return True

    def _finished(self, load: Load, result: Any) -> None:
        if not self._current(load):
            return
        load.status = "applied"
        try:
            load.apply(result)
        finally:
            self._maybe_idle()

    def _failed(self, load: Load, message: str) -> None:
        if not self._current(load):
            return
        load.status = "failed"
        self.failed.emit(message)
        self._maybe_idle()

    def pending(self, part: str) -> bool:
        return part in self._pending

    def busy(self, *, ignore=BACKGROUND_PARTS) -> bool:
        """A load (other than of the ``ignore`` parts) is on its way."""
        return any(part not in ignore for part in self._pending)

    def _maybe_idle(self) -> None:
        self._release_held()
        if not self.busy():
            self.idle.emit()

    def shutdown(self, msecs: int = 5000) -> bool:
        for load in self._pending.values():
            load.status = "dropped"
        self._pending.clear()
        self._first, self._held = [], []
        return self.runner.shutdown(msecs)
