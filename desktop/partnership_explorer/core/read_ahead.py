"""The unfiltered timeline of the database a window is about to open, read while the program is still starting.

Starting the explorer is mostly importing the window's modules and building it, about a second of one core, during
which the database is not read. :func:`start` reads the timeline's rows (:func:`~.timeline.load_timeline`, one
saved blob for a large database) in a thread of its own meanwhile, mostly inside SQLite and numpy, on the other
core (and counts them for the overview strip, :func:`~.view_fit.bin_overview`); the window's first read of the
unfiltered timeline then takes them (:func:`take`) instead of reading them
again. They are taken only if no row of the tables they come from changed in between (the tables' change counters,
see :func:`~.views.data_state`), whoever wrote; otherwise, or if the read failed, the window reads as always.
Used once: the first timeline read (of any database) takes them or drops them.
"""

from __future__ import annotations

import threading
from pathlib import Path

from . import views
from .query import EventFilter
from .store import Store
from .timeline import TimelineData, load_timeline
from .view_fit import bin_overview

_lock = threading.Lock()
_pending: dict[Path, "_ReadAhead"] = {}
WAIT_S = 30.0   # how long a reader waits for a read-ahead still on its way (it is further along than a new read)


class _ReadAhead:
    def __init__(self, path: Path, flt: EventFilter):
        self.path, self.filter = path, flt
        self.done = threading.Event()
        self.result: tuple[tuple, TimelineData] | None = None   # (the tables' versions before the read, the rows)

    def run(self) -> None:
        try:
            # Nothing but the window's own opening may upgrade or repair the file (it says what it did): a file
            # that needs either is left to it. Then read-write, to watch the tables (a bookkeeping write).
            with Store(self.path, create=False, readonly=True) as check:
                if check.notes:
                    return
            with Store(self.path, create=False, readonly=None) as store:
                state = views.data_state(store)
                if state is not None:
                    data = load_timeline(store, self.filter)
                    bin_overview(data)   # the overview strip's counts too, while the window is still being built
                    self.result = (state, data)
        except Exception:  # noqa: BLE001 - a read-ahead is only a shortcut: the window reads (and reports) itself
            self.result = None
        finally:
            self.done.set()


def _key(path) -> Path:
    return Path(path).expanduser().resolve()


def start(path, flt: EventFilter = EventFilter()) -> bool:
    """Start reading the timeline of ``path`` for ``flt`` in a thread of its own (not for a missing file).
    Returns whether it started."""
    key = _key(path)
    if not key.is_file():
        return False
    ahead = _ReadAhead(key, flt)
    with _lock:
        _pending[key] = ahead
    threading.Thread(target=ahead.run, name="timeline read-ahead", daemon=True).start()
    return True


def take(store: Store, flt: EventFilter) -> TimelineData | None:
    """The rows read ahead for ``store``'s database, if they were read for ``flt`` and no row of their tables
    changed since; None otherwise (then the caller reads them). Either way the read-ahead is used up."""
    with _lock:
        ahead = _pending.pop(_key(store.path), None)
        _pending.clear()   # one read-ahead at a time: one of another database (that did not open) is dropped too
    if ahead is None or ahead.filter != flt or store.in_transaction:
        return None
    if not ahead.done.wait(WAIT_S) or ahead.result is None:
        return None
    state, data = ahead.result
    ahead.result = None
    return data if views.data_state(store) == state else None


def pending(path) -> bool:
    """Whether a read-ahead of ``path`` is waiting to be taken."""
    with _lock:
        return _key(path) in _pending
