"""The open database: opening it, the window's own connection, and noticing what other programs write to it.

:meth:`DatabaseSession.open` opens (or creates) the file with :class:`~..core.store.Store`, which checks it
whole (not SQLite, damaged, not ours, newer, planted triggers...) and raises :class:`~..core.store.StoreError`
with one line before anything is written; the current database stays open then. The panels never read through
this connection (they read in workers, :mod:`.workers`); it is kept for ``PRAGMA data_version``, which moves
when another connection commits: polled every two seconds, it tells the window that the command line or
another window changed the file (``changedOutside``). The window's own writes go through other connections
too (the writer thread), so after each of them :meth:`note_own_write` takes the new version as the known one; and
the panels' readers make short commits that change no data (watching the tables' change counters again after a
change): when only those moved the version and no table's change counter moved, nobody else wrote.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from ..core import views
from ..core.store import Store

POLL_MS = 2000


class DatabaseSession(QObject):
    opened = Signal(object)          # Path of the database now open
    changedOutside = Signal()        # another program committed to the open database

    def __init__(self, parent: QObject | None = None, *, quiet: Callable[[], bool] = lambda: False,
                 poll_ms: int = POLL_MS):
        """``quiet()``: True while the window's own writes are under way (the poll waits for them)."""
        super().__init__(parent)
        self.store: Store | None = None
        self.path: Path | None = None
        self.quiet = quiet
        self._data_version: int | None = None
        self._own_commits = 0                 # views.bookkeeping_commits() at the last look
        self._counters: list | None = None    # the tables' change counters at the last look
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(poll_ms)
        self.watch_timer.timeout.connect(self.check_external_changes)
        self.watch_timer.start()

    def open(self, path: Path | str) -> Path:
        """Open ``path`` (created when missing) instead of the current database. Raises StoreError (or the odd
        OSError/sqlite3.Error) and keeps the current one when the file cannot be opened."""
        path = Path(path).expanduser()
        store = Store(path)
        self.close()
        self.store, self.path = store, path
        self._data_version = None
        self.opened.emit(path)
        return path

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def is_empty(self) -> bool:
        """No article yet (a first launch builds the database from the bundled ones)."""
        return self.store is None or self.store.counts()["documents"] == 0

    def _version(self) -> int | None:
        try:
            return self.store.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return None

    def check_external_changes(self) -> bool:
        """True (and ``changedOutside``) when another connection committed since the last look."""
        if self.store is None or self.quiet():
            return False
        version = self._version()
        if version is None:
            return False
        previous, self._data_version = self._data_version, version
        own, self._own_commits = self._own_commits, views.bookkeeping_commits()
        counters, self._counters = self._counters, self._change_counters()
        if previous is None or version == previous:
            return False
        if own != self._own_commits and counters == self._counters:
            # only this process's own bookkeeping (its panels watching the tables again after a change) moved
            # the version: no table's change counter did
            return False
        self.changedOutside.emit()
        return True

    def _change_counters(self) -> list | None:
        try:
            return self.store.execute("SELECT name, version FROM change_counters ORDER BY name").fetchall()
        except sqlite3.Error:
            return None

    def note_own_write(self) -> None:
        """The window itself wrote (through another connection): that is not another program's change."""
        if self.store is not None and self._data_version is not None:
            self._data_version = self._version()
            self._own_commits, self._counters = views.bookkeeping_commits(), self._change_counters()
