"""Timeline columns and level of detail, without Qt.

:func:`load_timeline` turns the events matching an :class:`~.query.EventFilter` into numpy columns with one row
per (event, lane) pair — an event tagged with two sectors appears in both lanes. The x unit everywhere is
*float days since 1970-01-01*: an event covers ``[start, end)`` where ``start`` is its first day at 00:00 and
``end`` the day after its last day, so a month-precise event spans its whole month.

The renderer never iterates over all rows: :func:`aggregate` bins the rows visible in ``[x0, x1)`` into pixel
columns per lane with ``searchsorted``/``bincount`` (the heat-map drawn when a lane is crowded),
:func:`visible_rows` gives the few rows drawn one by one when a lane is sparse, and :func:`hit_test` /
:func:`rows_in_cell` answer clicks and hovers.

Counting rule of :func:`aggregate` (conserving): a row that overlaps ``[x0, x1)`` is counted exactly once, in
the column that holds its midpoint ``(start + end) / 2`` — clamped into the first or last column when the
midpoint lies outside the range (a long period seen partly); the column edges are :func:`column_edges`. Hence the sum over the columns of a lane is the number of rows of that lane that
overlap the range, and :func:`rows_in_cell` (given the same view) lists exactly the events counted in a cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .periods import Period
from .query import EventFilter
from .sectors import UNCLASSIFIED
from .store import Store, StoreError

EPOCH = dt.date(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()
_JULIAN_EPOCH = 2440587.5  # julianday('1970-01-01')

# The precision column holds a code per stored precision: day 0, month 1, year 2 and week 3 (added after the
# others, so that older codes keep their meaning). Snapshot blobs keep these codes, so changing one means a new
# _SNAPSHOT_FORMAT.
PRECISION_CODES = {"day": 0, "month": 1, "year": 2, "week": 3}
PRECISION_NAMES = {v: k for k, v in PRECISION_CODES.items()}
STATUS_CODES = {"extracted": 0, "confirmed": 1, "edited": 2, "rejected": 3, "manual": 4, "imported": 5, "merged": 6}
STATUS_NAMES = {v: k for k, v in STATUS_CODES.items()}
REJECTED = STATUS_CODES["rejected"]

ERA_MARGIN_DAYS = 365.0


@dataclass(frozen=True)
class LaneInfo:
    key: str
    name: str
    color: str  # "#rrggbb"


@dataclass(frozen=True)
class Era:
    start: float
    end: float
    label: str


def _empty(dtype) -> np.ndarray:
    return np.zeros(0, dtype=dtype)


@dataclass
class TimelineData:
    lanes: list[LaneInfo] = field(default_factory=list)
    event_id: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    lane: np.ndarray = field(default_factory=lambda: _empty(np.int16))
    start: np.ndarray = field(default_factory=lambda: _empty(np.float64))
    end: np.ndarray = field(default_factory=lambda: _empty(np.float64))
    precision: np.ndarray = field(default_factory=lambda: _empty(np.int8))
    is_range: np.ndarray = field(default_factory=lambda: _empty(np.bool_))
    n_sources: np.ndarray = field(default_factory=lambda: _empty(np.int32))
    status: np.ndarray = field(default_factory=lambda: _empty(np.int8))
    titles: Any = field(default_factory=dict)  # dict or TitleLookup: event id -> title
    total_events: int = 0
    eras: list[Era] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.era_points: list[tuple[float, str]] | None = None
        self.milestone_ids: frozenset[int] = frozenset()  # relationship milestones: always labelled
        # counts binned by the thread that read the rows (bin_ahead), by (x0, x1, columns): AggregateCache takes them
        self.binned: dict[tuple[float, float, int], np.ndarray] = {}
        self._index()

    # -- derived indexes (cheap, recomputed when arrays are replaced through from_arrays) -------
    def _index(self) -> None:
        n_lanes = len(self.lanes)
        lane = np.asarray(self.lane)
        # rows are sorted by lane then start: lane i occupies rows [lane_bounds[i], lane_bounds[i+1])
        self.lane_bounds = np.searchsorted(lane, np.arange(n_lanes + 1), side="left").astype(np.int64)
        # longest row per lane: rows overlapping [x0, x1) have start in [x0 - longest, x1)
        longest = np.zeros(n_lanes, dtype=np.float64)
        if len(lane):
            np.maximum.at(longest, lane.astype(np.int64), self.end - self.start)
        self.longest = longest
        self.mid = (np.asarray(self.start) + np.asarray(self.end)) * 0.5  # the counting point of each row

    @classmethod
    def from_arrays(cls, lanes, event_id, lane, start, end, precision=None, is_range=None, n_sources=None,
                    status=None, titles=None, eras=None) -> "TimelineData":
        """Build (and sort by lane, start) from plain arrays — for synthetic data and tests."""
        n = len(event_id)
        lane = np.asarray(lane, dtype=np.int16)
        start = np.asarray(start, dtype=np.float64)
        order = np.lexsort((start, lane))
        take = lambda a, dtype, default=0: (np.full(n, default, dtype=dtype) if a is None  # noqa: E731
                                            else np.asarray(a, dtype=dtype))[order]
        ids = np.asarray(event_id, dtype=np.int64)[order]
        return cls(
            lanes=list(lanes), event_id=ids, lane=lane[order], start=start[order],
            end=np.asarray(end, dtype=np.float64)[order], precision=take(precision, np.int8),
            is_range=take(is_range, np.bool_, False), n_sources=take(n_sources, np.int32, 1),
            status=take(status, np.int8), titles=dict(titles or {}),
            total_events=count_distinct(ids), eras=list(eras or []),
        )

    def bin_ahead(self, x0: float, x1: float, columns: int) -> None:
        """:func:`aggregate` of these rows over ``[x0, x1)`` computed now, by the thread that read them, and kept
        with them for the :class:`AggregateCache` that asks for the same counts (the rows are not changed after)."""
        key = (x0, x1, max(1, int(columns)))
        if key not in self.binned:
            counts = aggregate(self, *key)
            counts.flags.writeable = False
            self.binned[key] = counts

    # -- conveniences --------------------------------------------------------------------------
    def __len__(self) -> int:
        return int(len(self.event_id))

    @property
    def extent(self) -> tuple[float, float] | None:
        """(first start, last end) over all rows, or None without rows."""
        if not len(self.start):
            return None
        return float(self.start.min()), float(self.end.max())

    def lane_slice(self, lane: int) -> slice:
        return slice(int(self.lane_bounds[lane]), int(self.lane_bounds[lane + 1]))

    def rows_of_event(self, event_id: int) -> np.ndarray:
        return np.flatnonzero(self.event_id == int(event_id))


# -- dates <-> days ---------------------------------------------------------------------------
def to_days(value: dt.date | str) -> float:
    """Days since 1970-01-01 of a date (or of the ``YYYY-MM-DD`` that starts a string)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return float(value.toordinal() - _EPOCH_ORDINAL)


_MAX_ORDINAL = dt.date.max.toordinal()


def from_days(days: float) -> dt.date:
    """The day holding ``days`` (clamped to the dates Python can represent, year 1 to 9999)."""
    return dt.date.fromordinal(min(max(math.floor(days) + _EPOCH_ORDINAL, 1), _MAX_ORDINAL))


def format_span(start: float, end: float, precision: int, is_range: bool = False) -> str:
    """A date as precise as stored: '12 Aug 2025', 'week of 14 Apr 2025', 'Aug 2025', '2025', '4–7 Dec 2018',
    '2017 – 2025'."""
    first = from_days(start)
    last = max(first, from_days(end - 1))
    return Period(first, last, PRECISION_NAMES.get(int(precision), "day")).span_label()


# -- loading ------------------------------------------------------------------------------------
def _lanes_for(store: Store, flt: EventFilter) -> list[LaneInfo]:
    rows = store.execute("SELECT key, name, color FROM sectors ORDER BY position").fetchall()
    lanes = [LaneInfo(k, n, c) for k, n, c in rows]
    if not lanes:
        try:
            from .sectors import default_taxonomy

            lanes = [LaneInfo(s.key, s.name, s.color) for s in default_taxonomy().sectors]
        except (OSError, ValueError):  # a missing or broken taxonomy file: fall back to what the events name
            keys = [r[0] for r in store.execute("SELECT DISTINCT sector_key FROM event_sectors ORDER BY 1")]
            lanes = [LaneInfo(k, k.replace("-", " ").capitalize(), "#888888") for k in keys if k != UNCLASSIFIED]
            lanes.append(LaneInfo(UNCLASSIFIED, "Unclassified", "#999999"))
    # unclassified always last
    lanes = [l for l in lanes if l.key != UNCLASSIFIED] + [l for l in lanes if l.key == UNCLASSIFIED]
    if not any(l.key == UNCLASSIFIED for l in lanes):
        lanes.append(LaneInfo(UNCLASSIFIED, "Unclassified", "#999999"))
    if flt.sectors:
        wanted = set(flt.sectors)
        lanes = [l for l in lanes if l.key in wanted]
    return lanes


class TitleLookup:
    """Event titles read on demand (a small LRU over ``SELECT id, title FROM events WHERE id IN (...)``).

    The timeline needs titles only for the few rows it labels or hovers, so :func:`load_timeline` does not read a
    million of them. Behaves like a read-only ``dict`` for :meth:`get` / ``[]`` / ``in``; :meth:`prefetch` reads
    many ids in one query. It has its own connection to the database file (opened on first use, any thread).
    """

    MAX = 50_000

    def __init__(self, path, known: dict[int, str] | None = None):
        import collections
        import threading

        self.path = str(path)
        self._cache: collections.OrderedDict[int, str | None] = collections.OrderedDict(known or {})
        self._lock = threading.Lock()
        self._conn = None

    def _connection(self):
        if self._conn is None:
            import sqlite3

            from .files import LIVE

            self._live = LIVE.add(self.path)  # this process has the file open: no plain open() of it meanwhile
            try:
                self._conn = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            except BaseException:
                LIVE.remove(self._live)
                self._live = None
                raise
            self._conn.isolation_level = None
            self._conn.execute("PRAGMA query_only = ON")
            self._conn.execute("PRAGMA trusted_schema = OFF")
        return self._conn

    def prefetch(self, ids) -> None:
        with self._lock:
            missing = [int(i) for i in dict.fromkeys(int(i) for i in ids) if int(i) not in self._cache]
            if missing:
                try:
                    conn = self._connection()
                except Exception:  # noqa: BLE001 - a vanished file: labels fall back to "Event N"
                    return
                found: dict[int, str] = {}
                for chunk in range(0, len(missing), 900):
                    part = missing[chunk:chunk + 900]
                    marks = ",".join("?" * len(part))
                    try:
                        found.update(conn.execute(f"SELECT id, title FROM events WHERE id IN ({marks})", part))
                    except Exception:  # noqa: BLE001
                        return
                for i in missing:
                    self._cache[i] = found.get(i)
            while len(self._cache) > self.MAX:
                self._cache.popitem(last=False)

    def get(self, event_id, default=None):
        event_id = int(event_id)
        if event_id not in self._cache:
            self.prefetch([event_id])
        value = self._cache.get(event_id)
        return default if value is None else value

    def __getitem__(self, event_id) -> str:
        value = self.get(event_id)
        if value is None:
            raise KeyError(event_id)
        return value

    def __contains__(self, event_id) -> bool:
        return self.get(event_id) is not None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if getattr(self, "_live", None) is not None:
            from .files import LIVE

            LIVE.remove(self._live)
            self._live = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001
            pass


_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def iso_to_days(joined: str, n: int) -> np.ndarray | None:
    """Days since 1970-01-01 of ``n`` ISO dates ``YYYY-MM-DD`` concatenated without separator (None if the text
    is not exactly that)."""
    if n == 0:
        return np.zeros(0, dtype=np.float64)
    raw = joined.encode("ascii", "replace")
    if len(raw) != 10 * n:
        return None
    b = np.frombuffer(raw, dtype=np.uint8).reshape(n, 10).astype(np.int64) - 48
    y = b[:, 0] * 1000 + b[:, 1] * 100 + b[:, 2] * 10 + b[:, 3]
    m = b[:, 5] * 10 + b[:, 6]
    d = b[:, 8] * 10 + b[:, 9]
    if (m < 1).any() or (m > 12).any() or (d < 1).any():
        return None
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    if (d > _MONTH_DAYS[m - 1] + ((m == 2) & leap)).any():  # 30 February is not a day
        return None
    # days from civil (proleptic Gregorian), vectorised
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return (era * 146097 + doe - 719468).astype(np.float64)


def _days_column(joined: str | None, n: int, store: Store) -> np.ndarray:
    days = iso_to_days(joined or "", n)
    if days is None:  # not n dates of ten characters: something wrote other values into the table
        raise store.bad_date_error() or StoreError(f"{store.path}: events hold dates that are not YYYY-MM-DD days")
    return days


SNAPSHOT_MIN_ROWS = 50_000   # smaller databases load from SQL in well under a second: no snapshot kept
_SNAPSHOT_FORMAT = 1
_SNAPSHOT_COLUMNS = ("event_id", "lane", "start", "end", "precision", "is_range", "n_sources", "status")


def _snapshot_name(flt: EventFilter) -> str | None:
    """The unfiltered views (with or without rejected events) are the ones a snapshot can stand for."""
    if flt.replace(show_rejected=True) != EventFilter():
        return None
    return "all" if flt.show_rejected else "all-but-rejected"


def _has_snapshot_table(store: Store) -> bool:
    return store.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'timeline_snapshot'").fetchone() is not None


def _read_snapshot(store: Store, name: str, lanes: list[LaneInfo]) -> TimelineData | None:
    """The saved columns, if any and if they were saved for these lanes; None otherwise (then SQL is used)."""
    import io
    import json

    row = store.execute("SELECT data FROM timeline_snapshot WHERE name = ?", [name]).fetchone()
    if row is None:
        return None
    try:
        with np.load(io.BytesIO(row[0]), allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            if meta.get("format") != _SNAPSHOT_FORMAT or meta.get("lanes") != [l.key for l in lanes]:
                return None
            cols = {k: z[k] for k in _SNAPSHOT_COLUMNS}
        if not _snapshot_consistent(cols, len(lanes)) or not isinstance(meta.get("total_events"), int):
            return None
    except Exception:  # noqa: BLE001 - a damaged or odd blob (any error numpy or zipfile raises) is only a
        return None    # missed shortcut: the rows are read from the tables instead
    return TimelineData(
        lanes=lanes, event_id=cols["event_id"].astype(np.int64), lane=cols["lane"].astype(np.int16),
        start=cols["start"], end=cols["end"], precision=cols["precision"], is_range=cols["is_range"],
        n_sources=cols["n_sources"].astype(np.int32), status=cols["status"], titles=TitleLookup(store.path),
        total_events=int(meta["total_events"]),
    )


def _snapshot_consistent(cols: dict, n_lanes: int) -> bool:
    """Columns the drawing code can trust: one length, numeric, lanes in range, sorted by lane then start."""
    n = len(cols["event_id"])
    if any(getattr(a, "ndim", 0) != 1 or len(a) != n or a.dtype.kind not in "iufb" for a in cols.values()):
        return False
    if not n:
        return True
    lane, start, end = cols["lane"].astype(np.int64), cols["start"], cols["end"]
    if lane.min() < 0 or lane.max() >= n_lanes or not np.isfinite(start).all() or not (end >= start).all():
        return False
    step_lane, step_start = np.diff(lane), np.diff(start)
    return bool(((step_lane > 0) | ((step_lane == 0) & (step_start >= 0))).all())


def _snapshot_blob(data: TimelineData) -> bytes:
    import io
    import json

    ids = data.event_id
    meta = {"format": _SNAPSHOT_FORMAT, "lanes": [l.key for l in data.lanes], "total_events": data.total_events}
    buf = io.BytesIO()
    np.savez(buf, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
             event_id=ids.astype(np.int32) if len(ids) and ids.max() < 2**31 and ids.min() >= 0 else ids,
             lane=data.lane, start=data.start, end=data.end, precision=data.precision, is_range=data.is_range,
             n_sources=data.n_sources, status=data.status)
    return buf.getvalue()


def load_timeline(store: Store, flt: EventFilter = EventFilter(), *, snapshot: bool = True) -> TimelineData:
    """All (event, lane) rows matching the filter, as numpy columns sorted by lane then start.

    Two kinds of query, both over covering indexes and returning a few long strings instead of millions of
    Python tuples: the events' columns grouped by (status, precision) with ``group_concat``, and each lane's event
    ids from ``event_sectors``. They are joined in numpy.

    The unfiltered timeline of a database of :data:`SNAPSHOT_MIN_ROWS` rows or more is also saved as one blob in
    ``timeline_snapshot`` (when the store is writable and nothing was written since the rows were read), and
    read from there next time: about 0.1 s instead of 1.5 s at 1M events. The schema's triggers delete the
    snapshot with any change to what it holds, so a snapshot found is the current state.
    """
    name = _snapshot_name(flt) if snapshot else None
    if name is None or not _has_snapshot_table(store):
        return _load_timeline_sql(store, flt)
    lanes = _lanes_for(store, flt)
    conn = store  # execute, executemany and in_transaction of the store
    if store.readonly or conn.in_transaction:
        data = _read_snapshot(store, name, lanes)
        if data is None:
            return _load_timeline_sql(store, flt, lanes)
        return _with_eras(store, data)
    # one read transaction: the snapshot check, the rows, and (if it is still the current state) the save
    conn.execute("BEGIN")
    try:
        data = _read_snapshot(store, name, lanes)
        if data is not None:
            return _with_eras(store, data)
        data = _load_timeline_sql(store, flt, lanes)
        if len(data) >= SNAPSHOT_MIN_ROWS:
            _save_snapshot(store, name, data)
        return data
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def _with_eras(store: Store, data: TimelineData) -> TimelineData:
    data.era_points = _era_points(store)
    data.milestone_ids = _milestone_ids(store)
    data.eras = _eras_from(data.era_points, data.extent)
    return data


def _save_snapshot(store: Store, name: str, data: TimelineData) -> bool:
    """Write the snapshot inside the caller's read transaction. If another connection wrote since the rows were
    read, SQLite refuses to upgrade the transaction (or the write lock is busy): nothing is saved."""
    import sqlite3

    conn = store  # execute, executemany and in_transaction of the store
    blob = _snapshot_blob(data)
    busy = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("SAVEPOINT snapshot")
        conn.execute("INSERT OR REPLACE INTO timeline_snapshot (name, data, rows, created_at) VALUES (?, ?, ?, ?)",
                     [name, blob, len(data), dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")])
        conn.execute("RELEASE snapshot")
        return True
    except sqlite3.Error:
        try:
            conn.execute("ROLLBACK TO snapshot")
            conn.execute("RELEASE snapshot")
        except sqlite3.Error:
            pass
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(busy)}")


def save_snapshot_in_transaction(store: Store, flt: EventFilter = EventFilter()) -> bool:
    """For a bulk writer, at the end of its write transaction (``synth``, a large import): read the timeline's
    rows and save them as the snapshot :func:`load_timeline` would save on the first open, so that opening the
    database right after it was written reads one blob instead of every row. Nothing is saved below
    :data:`SNAPSHOT_MIN_ROWS` rows, for a filtered view, or without the table (an older schema). The schema's
    triggers delete it with any later change, as any snapshot."""
    name = _snapshot_name(flt)
    if name is None or not store.in_transaction or not _has_snapshot_table(store):
        return False
    data = _load_timeline_sql(store, flt)
    return len(data) >= SNAPSHOT_MIN_ROWS and _save_snapshot(store, name, data)


def _load_timeline_sql(store: Store, flt: EventFilter, lanes: list[LaneInfo] | None = None) -> TimelineData:
    lanes = _lanes_for(store, flt) if lanes is None else lanes
    where, params, _ = flt.where()
    narrow = bool(flt.sectors or flt.entities or flt.document_id is not None or flt.query or flt.kinds or flt.pair)
    parts = {k: [] for k in ("id", "start", "end", "prec", "range", "nsrc", "status")}

    def ints(text, n, dtype):
        if not n:
            return np.zeros(0, dtype=dtype)
        return np.fromstring(str(text), dtype=dtype, sep=",") if n >= 64 else np.array(str(text).split(","), dtype=dtype)

    def add(n, ids, starts, ends, ranges, nsrc, prec, status):
        parts["id"].append(ints(ids, n, np.int64))
        parts["start"].append(_days_column(starts, n, store))
        parts["end"].append(_days_column(ends, n, store) + 1.0)
        parts["prec"].append(prec)
        r = np.frombuffer(str(ranges or "").encode("ascii", "replace"), dtype=np.uint8)
        parts["range"].append((r != 48) if len(r) == n else np.array(
            [v != "0" for v in str(ranges or "")[:n]] + [False] * max(0, n - len(str(ranges or ""))), dtype=np.bool_))
        parts["nsrc"].append(ints(nsrc, n, np.int32))
        parts["status"].append(status)

    cols = """count(*), group_concat(e.id), group_concat(e.start, ''), group_concat(e."end", ''),
              group_concat(e.is_range, ''), group_concat(e.n_sources)"""
    if narrow:
        # few events, found through an index on their ids: no grouping (it would sort them), text codes instead
        row = store.execute(f"SELECT {cols}, group_concat(e.precision), group_concat(e.status) FROM events e "
                            f"WHERE {where}", params).fetchone()
        n = int(row[0])
        if n:
            prec = np.array([PRECISION_CODES.get(v, 2) for v in row[6].split(",")], dtype=np.int8)
            status = np.array([STATUS_CODES.get(v, 0) for v in row[7].split(",")], dtype=np.int8)
            add(n, *row[1:6], prec, status)
    else:
        # everything (or a date range): one scan of idx_events_timeline, grouped in its own order
        for status, prec, n, *rest in store.execute(
            f"SELECT e.status, e.precision, {cols} FROM events e WHERE {where} GROUP BY e.status, e.precision",
            params,
        ).fetchall():
            add(n, *rest, np.full(n, PRECISION_CODES.get(prec, 2), dtype=np.int8),
                np.full(n, STATUS_CODES.get(status, 0), dtype=np.int8))
    era_points = _era_points(store)
    if not parts["id"]:
        data = TimelineData(lanes=lanes)
        data.eras = _eras_from(era_points, None)
        data.era_points = era_points
        data.milestone_ids = _milestone_ids(store)
        return data
    ev = {k: np.concatenate(v) for k, v in parts.items()}
    # events in (start, id) order: a lane's rows then only need their positions sorted
    order = np.lexsort((ev["id"], ev["start"]))
    ev = {k: v[order] for k, v in ev.items()}
    by_id = np.argsort(ev["id"], kind="stable")
    sorted_ids = ev["id"][by_id]
    n_events = len(sorted_ids)

    def positions(event_ids: np.ndarray) -> np.ndarray:
        """Positions (in start order) of the given event ids that passed the filter, sorted."""
        if not len(event_ids):
            return np.zeros(0, dtype=np.int64)
        j = np.searchsorted(sorted_ids, event_ids)
        j = np.minimum(j, n_events - 1)
        hit = sorted_ids[j] == event_ids
        return np.sort(by_id[j[hit]])

    keys = [l.key for l in lanes]
    lists: dict[str, np.ndarray] = {}
    if flt.sectors:
        wanted = [k for k in keys if k in set(flt.sectors)]
    else:
        wanted = None
    for key, ids in store.execute(
        "SELECT sector_key, group_concat(event_id) FROM event_sectors "
        + ("WHERE sector_key IN (" + ",".join("?" * len(wanted)) + ") " if wanted is not None else "")
        + "GROUP BY sector_key",
        wanted or [],
    ).fetchall():
        lists[key] = np.fromstring(ids, dtype=np.int64, sep=",") if ids else np.zeros(0, dtype=np.int64)
    has_sector = np.zeros(n_events, dtype=bool)
    lane_rows: list[np.ndarray] = []
    for key, ids in lists.items():
        pos = positions(ids)
        has_sector[pos] = True
        lists[key] = pos
    for key in keys:
        pos = lists.get(key, np.zeros(0, dtype=np.int64))
        if key == UNCLASSIFIED and (not flt.sectors or UNCLASSIFIED in flt.sectors):
            bare = np.flatnonzero(~has_sector)
            if len(bare):
                pos = np.union1d(pos, bare)
        lane_rows.append(pos)
    counts = np.array([len(p) for p in lane_rows], dtype=np.int64)
    rows = np.concatenate(lane_rows) if lane_rows else np.zeros(0, dtype=np.int64)
    lane = np.repeat(np.arange(len(lanes), dtype=np.int16), counts)
    used = np.zeros(n_events, dtype=bool)
    used[rows] = True
    data = TimelineData(
        lanes=lanes,
        event_id=ev["id"][rows],
        lane=lane,
        start=ev["start"][rows],
        end=ev["end"][rows],
        precision=ev["prec"][rows],
        is_range=ev["range"][rows],
        n_sources=ev["nsrc"][rows],
        status=ev["status"][rows],
        titles=TitleLookup(store.path),
        total_events=int(used.sum()),
    )
    data.era_points = era_points
    data.milestone_ids = _milestone_ids(store)
    data.eras = _eras_from(era_points, data.extent)
    return data


def count_distinct(a: np.ndarray) -> int:
    """Distinct values of an int array, by sorting: numpy's hash-based ``unique`` takes ~0.3 s for the
    ~200k ids of a sector at 1M events, a sort ~10 ms."""
    if len(a) == 0:
        return 0
    a = np.sort(a)
    return int(1 + np.count_nonzero(a[1:] != a[:-1]))


def select_lanes(data: TimelineData, keys) -> TimelineData:
    """The rows of some lanes only (in taxonomy order) — what :func:`load_timeline` returns for a sector filter,
    computed from the unfiltered data without SQL."""
    if not keys:
        return data
    wanted = set(keys)
    picked = [i for i, l in enumerate(data.lanes) if l.key in wanted]
    parts = [np.arange(data.lane_bounds[i], data.lane_bounds[i + 1]) for i in picked]
    rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    lane = np.repeat(np.arange(len(picked), dtype=np.int16),
                     [int(data.lane_bounds[i + 1] - data.lane_bounds[i]) for i in picked])
    ids = data.event_id[rows]
    out = TimelineData(
        lanes=[data.lanes[i] for i in picked], event_id=ids, lane=lane, start=data.start[rows],
        end=data.end[rows], precision=data.precision[rows], is_range=data.is_range[rows],
        n_sources=data.n_sources[rows], status=data.status[rows], titles=data.titles,
        # an event is in a lane at most once: one lane needs no de-duplication
        total_events=len(ids) if len(picked) == 1 else count_distinct(ids),
    )
    out.parent, out.parent_lanes = data, np.array(picked, dtype=np.int64)  # lets AggregateCache reuse counts
    points = getattr(data, "era_points", None)
    out.era_points = points
    out.milestone_ids = data.milestone_ids
    out.eras = _eras_from(points, out.extent) if points is not None else list(data.eras)
    return out


def era_label(title: str, year: int) -> str:
    """'Relations upgraded to Comprehensive Strategic Partnership' → 'Comprehensive Strategic Partnership 2022–'."""
    t = title.strip()
    m = re.search(r"\b(?:upgraded|elevated|raised) to (?:an? |the )?(.+)$", t, flags=re.I)
    if m:
        t = m.group(1)
        t = " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in t.split())
    elif re.search(r"\bdiplomatic (?:relations|ties)\b", t, flags=re.I):
        t = "Diplomatic relations"
    else:
        t = re.sub(r"\s+(?:established|establishment|normali[sz]ed|forged|set up)\b.*$", "", t, flags=re.I)
    return f"{t} {year}–"


def _era_points(store: Store) -> list[tuple[float, str]]:
    rows = store.execute(
        """SELECT start, title FROM events
            WHERE kind = 'milestone' AND status NOT IN ('rejected', 'merged') ORDER BY start, id"""
    ).fetchall()
    points: list[tuple[float, str]] = []
    for start, title in rows:
        day = to_days(start)
        if points and abs(points[-1][0] - day) < 1:  # two milestones on one day: keep the first
            continue
        points.append((day, title))
    return points


def _milestone_ids(store: Store) -> frozenset[int]:
    """The relationship milestones (a handful in any database: kind 'milestone')."""
    return frozenset(r[0] for r in store.execute("SELECT id FROM events WHERE kind = 'milestone'").fetchall())


def ladder_eras(levels: list[tuple[float, str]]) -> list[Era]:
    """The eras of one relationship ladder: ``levels`` are its steps' (day, level label) in date order (the band
    above the lanes shows one pair's ladder; its eras shade the lanes, not those of every pair's milestones)."""
    return _eras_from(levels, None)


def _eras_from(points: list[tuple[float, str]] | None, extent: tuple[float, float] | None) -> list[Era]:
    """Eras between relationship milestones (kind 'milestone', read whatever the filter: they are context), the
    last one running a year past the data."""
    if not points:
        return []
    last = max(points[-1][0], extent[1] if extent else points[-1][0]) + ERA_MARGIN_DAYS
    # a milestone repeating the current level (a later article restating the upgrade) starts no new era
    labelled: list[tuple[float, str]] = []
    for start, title in points:
        label = era_label(title, from_days(start).year)
        if labelled and label.rsplit(" ", 1)[0] == labelled[-1][1].rsplit(" ", 1)[0]:
            continue
        labelled.append((start, label))
    eras = []
    for i, (start, label) in enumerate(labelled):
        end = labelled[i + 1][0] if i + 1 < len(labelled) else last
        eras.append(Era(start, end, label))
    return eras


# -- level of detail ----------------------------------------------------------------------------
def column_edges(x0: float, x1: float, columns: int) -> np.ndarray:
    """The ``columns + 1`` edges of the pixel columns of ``[x0, x1)`` used by :func:`aggregate`."""
    edges = x0 + (x1 - x0) * (np.arange(columns + 1, dtype=np.float64) / columns)
    edges[0], edges[-1] = x0, x1
    return edges


def _candidates(data: TimelineData, lane: int, x0: float, x1: float) -> np.ndarray:
    """Row indices of one lane overlapping [x0, x1) (start < x1 and end > x0), without a full scan."""
    sl = data.lane_slice(lane)
    if sl.start == sl.stop:
        return np.zeros(0, dtype=np.int64)
    starts = data.start[sl]
    lo = int(np.searchsorted(starts, x0 - data.longest[lane], side="left"))
    hi = int(np.searchsorted(starts, x1, side="left"))
    idx = np.arange(sl.start + lo, sl.start + hi, dtype=np.int64)
    return idx[data.end[idx] > x0]


def visible_rows(data: TimelineData, x0: float, x1: float, lanes=None) -> np.ndarray:
    """Indices (sorted by lane, start) of the rows overlapping ``[x0, x1)``, optionally of some lanes only."""
    lanes = range(len(data.lanes)) if lanes is None else lanes
    parts = [_candidates(data, int(l), x0, x1) for l in lanes]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _points(data: TimelineData, idx: np.ndarray, x0: float, x1: float) -> np.ndarray:
    """The counting point of rows: their midpoint, clamped into [x0, x1]."""
    return np.clip(data.mid[idx], x0, x1)


def aggregate(data: TimelineData, x0: float, x1: float, columns: int) -> np.ndarray:
    """``counts[lane, column]`` of the rows overlapping ``[x0, x1)``.

    A row is counted once, in the column holding its midpoint, clamped (see the module docstring),
    so ``counts.sum(axis=1)[lane]`` equals the number of rows of that lane overlapping the range.
    Works on slices of each lane (rows are sorted by start): only the rows starting before ``x0`` need a
    mask, and the column comes from arithmetic, corrected to the exact edges of :func:`column_edges`.
    """
    columns = max(1, int(columns))
    n_lanes = len(data.lanes)
    out = np.zeros((n_lanes, columns), dtype=np.int64)
    if x1 <= x0 or not len(data):
        return out
    edges = column_edges(x0, x1, columns)
    scale = columns / (x1 - x0)
    for lane in range(n_lanes):
        a, b = int(data.lane_bounds[lane]), int(data.lane_bounds[lane + 1])
        if a == b:
            continue
        starts = data.start[a:b]
        lo, hi = (int(v) for v in np.searchsorted(starts, (x0 - data.longest[lane], x1), side="left"))
        k = max(lo, min(hi, int(np.searchsorted(starts, x0, side="right"))))
        parts = []
        if k > lo:  # rows starting at or before x0 overlap only if they end after it
            head = slice(a + lo, a + k)
            parts.append(np.maximum(data.mid[head][data.end[head] > x0], x0))
        if hi > k:
            parts.append(data.mid[a + k:a + hi])
        mids = parts[0] if len(parts) == 1 else np.concatenate(parts) if parts else None
        if mids is None or not len(mids):
            continue
        mids = np.minimum(mids, x1)
        cols = ((mids - x0) * scale).astype(np.int64)
        np.minimum(cols, columns - 1, out=cols)
        cols -= mids < edges[cols]
        cols += (mids >= edges[cols + 1]) & (cols < columns - 1)
        out[lane] = np.bincount(cols, minlength=columns)
    return out


class AggregateCache:
    """:func:`aggregate` results kept for the last few (data, range, columns): toggling a sector off and on again,
    or back to all sectors, redraws without binning a million rows again. Data made by :func:`select_lanes` takes
    its counts from its parent's (the same range and columns) by picking the lanes' rows, which is exactly what
    binning it would give."""

    def __init__(self, size: int = 6):
        self.size = size
        self._entries: list[tuple] = []  # (data, x0, x1, columns, counts), most recent last
        self.hits = 0

    def _find(self, data, x0: float, x1: float, columns: int):
        for entry in self._entries:
            if entry[0] is data and entry[1:4] == (x0, x1, columns):
                return entry[4]
        return None

    def _known(self, data: TimelineData, x0: float, x1: float, columns: int) -> np.ndarray | None:
        """Counts already made for ``data``: remembered here, or binned by the thread that read it."""
        counts = self._find(data, x0, x1, columns)
        return counts if counts is not None else data.binned.get((x0, x1, columns))

    def get(self, data: TimelineData, x0: float, x1: float, columns: int) -> np.ndarray:
        counts = self._known(data, x0, x1, columns)
        if counts is None:
            parent = getattr(data, "parent", None)
            parent_counts = self._known(parent, x0, x1, columns) if parent is not None else None
            if parent_counts is None:
                counts = aggregate(data, x0, x1, columns)
                self._remember(data, x0, x1, columns, counts)
                return counts
            counts = parent_counts[data.parent_lanes]
        self.hits += 1
        self._remember(data, x0, x1, columns, counts)
        return counts

    def _remember(self, data, x0, x1, columns, counts) -> None:
        counts.flags.writeable = False  # shared by every caller that asks again
        self._entries = [e for e in self._entries if not (e[0] is data and e[1:4] == (x0, x1, columns))]
        self._entries.append((data, x0, x1, columns, counts))
        del self._entries[:-self.size]


def rows_in_cell(data: TimelineData, lane: int, x0: float, x1: float, *,
                 view: tuple[float, float] | None = None) -> list[int]:
    """Event ids counted by :func:`aggregate` over ``view`` in the cell ``[x0, x1)`` of ``lane``.

    ``view`` is the aggregated range (the cell itself when omitted). Pass cell bounds taken from
    :func:`column_edges` (any run of whole columns) to get exactly the events counted there.
    """
    v0, v1 = view if view is not None else (x0, x1)
    idx = _candidates(data, int(lane), v0, v1)
    if not len(idx):
        return []
    p = _points(data, idx, v0, v1)
    # the aggregate clamps points into the first/last column: mirror that at the view edges
    inside = (p >= x0) if x0 > v0 else np.ones(len(p), dtype=bool)
    inside &= (p < x1) if x1 < v1 else True
    return [int(i) for i in dict.fromkeys(data.event_id[idx[inside]].tolist())]


def hit_test(data: TimelineData, lane: int, x: float, tolerance_days: float) -> int | None:
    """The event of ``lane`` nearest to ``x`` within ``tolerance_days`` (None if none).

    A day-precise event counts as a point at its middle (it is drawn as a marker); periods and ranges as
    their span. Markers within the tolerance win over bars (they are drawn on top), then the nearest, then
    the shorter event.
    """
    if lane < 0 or lane >= len(data.lanes):
        return None
    idx = _candidates(data, int(lane), x - tolerance_days, x + tolerance_days)
    if not len(idx):
        return None
    s, e = data.start[idx], data.end[idx]
    point = (data.precision[idx] == 0) & ~data.is_range[idx]
    mid = (s + e) * 0.5
    dist = np.where(point, np.abs(x - mid), np.maximum(0.0, np.maximum(s - x, x - e)))
    ok = dist <= tolerance_days
    if not ok.any():
        return None
    idx, dist, span, point = idx[ok], dist[ok], (e - s)[ok], point[ok]
    best = np.lexsort((span, dist, ~point))[0]
    return int(data.event_id[idx[best]])


def synthetic(n_rows: int, n_lanes: int = 15, *, seed: int = 0, x0: float | None = None,
              x1: float | None = None) -> TimelineData:
    """Random rows for benchmarks and tests (day events mostly, some months, years and ranges)."""
    rng = np.random.default_rng(seed)
    x0 = to_days("1990-01-01") if x0 is None else x0
    x1 = to_days("2026-01-01") if x1 is None else x1
    start = np.floor(rng.uniform(x0, x1, n_rows))
    precision = rng.choice(np.array([0, 1, 2], dtype=np.int8), size=n_rows, p=[0.8, 0.15, 0.05])
    length = np.where(precision == 0, 1.0, np.where(precision == 1, 30.0, 365.0))
    is_range = rng.random(n_rows) < 0.05
    length = np.where(is_range, length * rng.integers(2, 6, n_rows), length)
    lanes = [LaneInfo(f"s{i}", f"Sector {i}", "#%02x%02x%02x" % tuple(rng.integers(40, 220, 3))) for i in range(n_lanes)]
    lane = rng.integers(0, n_lanes, n_rows)
    return TimelineData.from_arrays(
        lanes, np.arange(1, n_rows + 1), lane, start, start + length, precision=precision, is_range=is_range,
        n_sources=rng.integers(1, 6, n_rows), status=np.zeros(n_rows, dtype=np.int8),
    )
