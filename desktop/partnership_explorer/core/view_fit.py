"""What a filtered timeline shows, Qt-free: the range that fits its events and the lanes that have some.

After a filter change the view fits the filtered events with a margin (:func:`fit_range`), or the period of a
date filter (:func:`fit_filtered`, the span an export of the filter shows: :func:`filtered_period`); a filtered view
leaves out the lanes without events (:func:`without_empty_lanes`), so that three events of one minister are
not a page of empty lanes. View → Go to date… shows a typed date or range (:func:`go_to_range`).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from . import periods
from .timeline import TimelineData, select_lanes, to_days

FIT_MARGIN = 0.03          # of the events' span, on each side
MIN_FIT_DAYS = 30.0        # a single day-precise event still gets a month around it
OVERVIEW_COLUMNS = 600     # resolution of the overview strip's heat-map (the whole range of the rows shown)


def fit_range(extent: tuple[float, float] | None, today: float, *, margin: float = FIT_MARGIN,
              min_days: float = MIN_FIT_DAYS) -> tuple[float, float]:
    """The x range (days) that shows ``extent`` (first start, last end) with ``margin`` of its span on each side;
    around ``today`` (the last year) when there is nothing to show."""
    if extent is None:
        return today - 365.0, today + 30.0
    a, b = float(extent[0]), float(extent[1])
    span = max(b - a, min_days)
    centre = (a + b) / 2
    half = span / 2 + span * margin
    return centre - half, centre + half


def full_range(data: TimelineData) -> tuple[float, float]:
    """The whole range of ``data`` with a small margin (the last year when it is empty): what "fit all" and the
    overview strip show."""
    return fit_range(data.extent, to_days(dt.date.today()))


def _date_bounds(flt) -> tuple[float | None, float | None]:
    """The days a date filter asks for: its first day and the day after its last (None for an open side)."""
    a = to_days(flt.date_from) if flt.date_from is not None else None
    b = to_days(flt.date_to) + 1.0 if flt.date_to is not None else None
    return a, b


def filtered_period(data: TimelineData, flt) -> tuple[float, float]:
    """The x range (days) of "the whole filtered range" an export shows: the period a date filter asks for, from
    its first day to the end of its last (2015 – 2022 is 2015-01-01 to 2022-12-31, whatever the span of the events
    it keeps, some of which may start before or end after it); a side the filter leaves open is the events' own,
    with the fit's margin; without a date filter, the events' range (:func:`full_range`)."""
    a, b = _date_bounds(flt)
    if a is None and b is None:
        return full_range(data)
    if a is not None and b is not None:
        return a, max(b, a + 1.0)
    lo, hi = fit_range(data.extent, to_days(dt.date.today()))
    if a is not None:
        return a, max(hi, a + MIN_FIT_DAYS)
    return min(lo, b - MIN_FIT_DAYS), b


def fit_filtered(data: TimelineData, flt) -> tuple[float, float]:
    """The x range (days) that "fit all" and "Fit to filter" show: the period :func:`filtered_period` gives an
    export of ``flt`` (a date filter's first day to the end of its last; an open side the events' own), with the
    fit's margin on each side, so the window fits what an export of the same filter spans (2015 – 2022 shows
    January 2015 to December 2022 and a little around them, whatever the events it keeps); without a date
    filter, the events' range (:func:`full_range`)."""
    a, b = _date_bounds(flt)
    if a is None and b is None:
        return full_range(data)
    ext = data.extent
    if ext is None and (a is None or b is None):     # no events to give the open side: the export's
        a, b = filtered_period(data, flt)
    if a is None:
        a = min(ext[0], b)
    if b is None:
        b = max(ext[1], a)
    return fit_range((a, max(b, a + 1.0)), to_days(dt.date.today()))


def bin_overview(data: TimelineData) -> None:
    """Count ``data``'s rows for the overview strip now (off the GUI thread: a reader calls it), so that showing
    them takes the counts instead of binning a million rows (see :meth:`TimelineData.bin_ahead`)."""
    x0, x1 = full_range(data)
    data.bin_ahead(x0, x1, OVERVIEW_COLUMNS)


def empty_lanes(data: TimelineData) -> list[str]:
    """Keys of the lanes without a row."""
    counts = np.diff(data.lane_bounds) if len(data.lanes) else np.zeros(0, dtype=np.int64)
    return [lane.key for lane, n in zip(data.lanes, counts) if n == 0]


def without_empty_lanes(data: TimelineData) -> TimelineData:
    """``data`` with only the lanes that have rows (all of them when no lane has any: an empty result keeps its
    lanes, so the view still says what was filtered)."""
    empty = set(empty_lanes(data))
    if not empty or len(empty) == len(data.lanes):
        return data
    return select_lanes(data, [lane.key for lane in data.lanes if lane.key not in empty])


_RANGE_SEPARATOR = re.compile(r"\s*(?:–|—|\.\.|:|\s-\s|\s+to\s+)\s*")


def parse_go_to(text: str) -> tuple[float, float]:
    """The days (first, last + 1) a typed date or range covers: ``"2022"``, ``"2022-12"``, ``"2022-W50"``,
    ``"2022-12-15"``, ``"2017 – 2025"`` (also ``..``, ``:``, `` - `` or ``to`` between two dates).
    Raises :class:`~.periods.PeriodError` (one line) for anything else."""
    text = text.strip()
    parts = [p for p in _RANGE_SEPARATOR.split(text, maxsplit=1) if p]
    if len(parts) == 2:
        a, b = periods.parse(parts[0]), periods.parse(parts[1])
        if b.last < a.first:
            a, b = b, a
        return to_days(a.first), to_days(b.last) + 1.0
    p = periods.parse(text)
    return to_days(p.first), to_days(p.last) + 1.0


def go_to_range(text: str) -> tuple[float, float]:
    """The view that shows a typed date or range (:func:`parse_go_to`) centred, with the fit's margin; a day or
    a week gets a month around it."""
    return fit_range(parse_go_to(text), 0.0)
