"""core.view_fit: the range that fits the filtered events, and the lanes left out of a filtered view."""

import numpy as np
import pytest

from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.timeline import load_timeline
from partnership_explorer.core.view_fit import empty_lanes, fit_range, without_empty_lanes

from test_timeline_core import small_store  # noqa: F401  (fixture)


def test_fit_range_has_a_margin_and_a_minimum():
    a, b = fit_range((1000.0, 2000.0), today=0)
    assert a == pytest.approx(970.0) and b == pytest.approx(2030.0)
    a, b = fit_range((500.0, 500.0), today=0)               # one day: a month around it
    assert b - a == pytest.approx(30 * 1.06) and (a + b) / 2 == pytest.approx(500.0)
    assert fit_range(None, today=10_000.0) == (9635.0, 10_030.0)


def test_empty_lanes_are_left_out_of_a_filtered_view(small_store):  # noqa: F811
    store, ids = small_store
    data = load_timeline(store, EventFilter(entities=()))
    assert empty_lanes(data) == []
    only = load_timeline(store, EventFilter(query="nuclear"))        # one event, in energy
    assert [l.key for l in only.lanes] == ["ai", "energy", "diplomacy", "unclassified"]
    assert empty_lanes(only) == ["ai", "diplomacy", "unclassified"]
    shown = without_empty_lanes(only)
    assert [l.key for l in shown.lanes] == ["energy"]
    assert shown.event_id.tolist() == [ids["month"]] and np.all(shown.lane == 0)
    nothing = load_timeline(store, EventFilter(query="gardening"))
    assert without_empty_lanes(nothing).lanes == nothing.lanes      # no events: the lanes stay
