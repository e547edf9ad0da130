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
import re
from dataclasses import dataclass, field

import numpy as np

from .query import EventFilter
from .store import Store

EPOCH = dt.date(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()
_JULIAN_EPOCH = 2440587.5  # julianday('1970-01-01')

PRECISION_CODES = {"day": 0, "month": 1, "year": 2}
PRECISION_NAMES = {v: k for k, v in PRECISION_CODES.items()}
STATUS_CODES = {"extracted": 0, "confirmed": 1, "edited": 2, "rejected": 3, "manual": 4, "imported": 5, "merged": 6}
STATUS_NAMES = {v: k for k, v in STATUS_CODES.items()}
REJECTED = STATUS_CODES["rejected"]
UNCLASSIFIED = "unclassified"

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
    titles: dict[int, str] = field(default_factory=dict)
    total_events: int = 0
    eras: list[Era] = field(default_factory=list)

    def __post_init__(self) -> None:
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
            total_events=int(len(np.unique(ids))), eras=list(eras or []),
        )

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

    def lanes_of_event(self, event_id: int) -> list[int]:
        return sorted({int(v) for v in self.lane[self.rows_of_event(event_id)]})


# -- dates <-> days ---------------------------------------------------------------------------
def to_days(value: dt.date | str) -> float:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return float(value.toordinal() - _EPOCH_ORDINAL)


def from_days(days: float) -> dt.date:
    return dt.date.fromordinal(int(np.floor(days)) + _EPOCH_ORDINAL)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_span(start: float, end: float, precision: int, is_range: bool = False) -> str:
    """A date as precise as stored: '12 Aug 2025', 'Aug 2025', '2025', '4–7 Dec 2018', '2017–2025'."""
    first, last = from_days(start), from_days(end - 1)

    def one(d: dt.date, prec: int) -> str:
        if prec == 2:
            return str(d.year)
        if prec == 1:
            return f"{_MONTHS[d.month - 1]} {d.year}"
        return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"

    if precision == 2 and first.year == last.year:
        return str(first.year)
    if precision == 1 and (first.year, first.month) == (last.year, last.month):
        return one(first, 1)
    if precision == 0 and first == last:
        return one(first, 0)
    # a range
    if precision == 0 and (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {_MONTHS[first.month - 1]} {first.year}"
    return f"{one(first, precision)} – {one(last, precision)}"


# -- loading ------------------------------------------------------------------------------------
def _lanes_for(store: Store, flt: EventFilter) -> list[LaneInfo]:
    rows = store.execute("SELECT key, name, color FROM sectors ORDER BY position").fetchall()
    lanes = [LaneInfo(k, n, c) for k, n, c in rows]
    if not lanes:
        try:
            from .sectors import default_taxonomy

            lanes = [LaneInfo(s.key, s.name, s.color) for s in default_taxonomy().sectors]
        except Exception:  # the taxonomy module is optional here: fall back to what the events name
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


def _status_case(col: str) -> str:
    return "CASE " + col + " " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in STATUS_CODES.items()) + " ELSE 0 END"


def load_timeline(store: Store, flt: EventFilter = EventFilter()) -> TimelineData:
    """All (event, lane) rows matching the filter, as numpy columns sorted by lane then start."""
    lanes = _lanes_for(store, flt)
    lane_of = {l.key: i for i, l in enumerate(lanes)}
    where, params, _ = flt.where()
    sector_cond = ""
    if flt.sectors:
        marks = ",".join("?" * len(flt.sectors))
        sector_cond = f" AND es.sector_key IN ({marks})"
        params = list(flt.sectors) + list(params)
    sql = f"""
        SELECT e.id, COALESCE(es.sector_key, '{UNCLASSIFIED}'),
               julianday(e.start) - {_JULIAN_EPOCH}, julianday(e."end") - {_JULIAN_EPOCH} + 1.0,
               CASE e.precision WHEN 'day' THEN 0 WHEN 'month' THEN 1 ELSE 2 END,
               e.is_range, COALESCE(sc.n, 0), {_status_case('e.status')}, e.title, e.kind
        FROM events e
        LEFT JOIN event_sectors es ON es.event_id = e.id{sector_cond}
        LEFT JOIN (SELECT event_id, count(*) AS n FROM event_sources GROUP BY event_id) sc ON sc.event_id = e.id
        WHERE {where}{' AND es.sector_key IS NOT NULL' if flt.sectors else ''}"""
    rows = store.execute(sql, params).fetchall()
    if not rows:
        return TimelineData(lanes=lanes, eras=_eras(store, None))
    ids, keys, starts, ends, precs, ranges, nsrc, stats, titles, kinds = zip(*rows)
    n = len(rows)
    # sector key -> lane index through a small lookup (keys not in the lane list are dropped)
    key_codes = {k: lane_of.get(k, -1) for k in set(keys)}
    lane = np.fromiter((key_codes[k] for k in keys), dtype=np.int16, count=n)
    event_id = np.fromiter(ids, dtype=np.int64, count=n)
    start = np.fromiter(starts, dtype=np.float64, count=n)
    end = np.fromiter(ends, dtype=np.float64, count=n)
    keep = lane >= 0
    order = np.lexsort((start, lane))
    order = order[keep[order]]
    data = TimelineData(
        lanes=lanes,
        event_id=event_id[order],
        lane=lane[order],
        start=start[order],
        end=end[order],
        precision=np.fromiter(precs, dtype=np.int8, count=n)[order],
        is_range=np.fromiter(ranges, dtype=np.bool_, count=n)[order],
        n_sources=np.fromiter(nsrc, dtype=np.int32, count=n)[order],
        status=np.fromiter(stats, dtype=np.int8, count=n)[order],
        titles=dict(zip(ids, titles)),
        total_events=int(len(np.unique(event_id[order]))),
    )
    data.eras = _eras(store, data.extent)
    return data


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


def _eras(store: Store, extent: tuple[float, float] | None) -> list[Era]:
    """Eras between relationship milestones (kind 'milestone'), whatever the filter: they are context."""
    rows = store.execute(
        f"""SELECT julianday(start) - {_JULIAN_EPOCH}, title FROM events
            WHERE kind = 'milestone' AND status NOT IN ('rejected', 'merged') ORDER BY start, id"""
    ).fetchall()
    points: list[tuple[float, str]] = []
    for start, title in rows:
        if points and abs(points[-1][0] - start) < 1:  # two milestones on one day: keep the first
            continue
        points.append((float(start), title))
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
    return np.clip((data.start[idx] + data.end[idx]) * 0.5, x0, x1)


def _columns(points: np.ndarray, edges: np.ndarray) -> np.ndarray:
    cols = np.searchsorted(edges, points, side="right") - 1
    return np.clip(cols, 0, len(edges) - 2)


def aggregate(data: TimelineData, x0: float, x1: float, columns: int) -> np.ndarray:
    """``counts[lane, column]`` of the rows overlapping ``[x0, x1)``.

    A row is counted once, in the column holding its midpoint, clamped (see the module docstring),
    so ``counts.sum(axis=1)[lane]`` equals the number of rows of that lane overlapping the range.
    """
    columns = max(1, int(columns))
    n_lanes = len(data.lanes)
    if x1 <= x0 or not len(data):
        return np.zeros((n_lanes, columns), dtype=np.int64)
    idx = visible_rows(data, x0, x1)
    if not len(idx):
        return np.zeros((n_lanes, columns), dtype=np.int64)
    cols = _columns(_points(data, idx, x0, x1), column_edges(x0, x1, columns))
    flat = data.lane[idx].astype(np.int64) * columns + cols
    return np.bincount(flat, minlength=n_lanes * columns).reshape(n_lanes, columns)


def lane_counts(data: TimelineData, x0: float, x1: float) -> np.ndarray:
    """Rows overlapping ``[x0, x1)`` per lane (cheap: no binning)."""
    return np.array([len(_candidates(data, l, x0, x1)) for l in range(len(data.lanes))], dtype=np.int64)


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
