"""What a filtered timeline shows, Qt-free: the range that fits its events and the lanes that have some.

After a filter change the view fits the filtered events with a margin (:func:`fit_range`); a filtered view
leaves out the lanes without events (:func:`without_empty_lanes`), so that three events of one minister are
not a page of empty lanes.
"""

from __future__ import annotations

import numpy as np

from .timeline import TimelineData, select_lanes

FIT_MARGIN = 0.03          # of the events' span, on each side
MIN_FIT_DAYS = 30.0        # a single day-precise event still gets a month around it


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
