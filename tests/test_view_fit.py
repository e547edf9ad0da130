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


def test_go_to_reads_every_precision_and_ranges():
    import datetime as dt

    import pytest

    from partnership_explorer.core.periods import PeriodError
    from partnership_explorer.core.timeline import to_days
    from partnership_explorer.core.view_fit import go_to_range, parse_go_to

    day = lambda y, m=1, d=1: to_days(dt.date(y, m, d))  # noqa: E731
    assert parse_go_to("2022") == (day(2022), day(2023))
    assert parse_go_to(" 2022-12 ") == (day(2022, 12), day(2023))
    assert parse_go_to("2022-12-15") == (day(2022, 12, 15), day(2022, 12, 16))
    assert parse_go_to("2022-W50") == (day(2022, 12, 12), day(2022, 12, 19))
    for text in ("2017 – 2025", "2017..2025", "2017 to 2025", "2025 - 2017", "2017:2025"):
        assert parse_go_to(text) == (day(2017), day(2026)), text
    a, b = go_to_range("2022-12-15")          # a day: a month around it, centred
    assert abs((a + b) / 2 - (day(2022, 12, 15) + 0.5)) < 1e-9 and 29 < b - a < 33
    a, b = go_to_range("2022")                # a year fills the view, with the fit's margin
    assert a < day(2022) < day(2023) < b < day(2023, 2)
    for bad in ("soon", "2022-13", "2017 – later", ""):
        with pytest.raises(PeriodError):
            parse_go_to(bad)


def test_the_filtered_period_is_the_date_filters_not_the_events_span(small_store):  # noqa: F811
    import datetime as dt

    from partnership_explorer.core.timeline import to_days
    from partnership_explorer.core.view_fit import filtered_period, full_range

    store, _ = small_store
    flt = EventFilter(date_from=dt.date(2019, 1, 1), date_to=dt.date(2023, 12, 31))
    data = load_timeline(store, flt)                 # events of 2020 and 2022 only
    assert filtered_period(data, flt) == (to_days(dt.date(2019, 1, 1)), to_days(dt.date(2024, 1, 1)))
    # an open side is the events' own, with the fit's margin
    since = EventFilter(date_from=dt.date(2019, 1, 1))
    later = load_timeline(store, since)
    a, b = filtered_period(later, since)
    assert a == to_days(dt.date(2019, 1, 1)) and b == full_range(later)[1]
    until = EventFilter(date_to=dt.date(2021, 12, 31))
    earlier = load_timeline(store, until)
    a, b = filtered_period(earlier, until)
    assert a == full_range(earlier)[0] and b == to_days(dt.date(2022, 1, 1))
    # no date filter: the events' range
    assert filtered_period(data, EventFilter()) == full_range(data)


def test_fitting_a_date_filter_shows_its_period_as_the_export_does(small_store):  # noqa: F811
    """"Fit all" / "Fit to filter" of a date-filtered view show the filter's period (the span an export of the same
    filter has: filtered_period) with the fit's margin, not the span of the events it keeps."""
    import datetime as dt

    from partnership_explorer.core.timeline import to_days
    from partnership_explorer.core.view_fit import FIT_MARGIN, filtered_period, fit_filtered, full_range

    store, _ = small_store
    flt = EventFilter(date_from=dt.date(2015, 1, 1), date_to=dt.date(2022, 12, 31))
    data = load_timeline(store, flt)                 # events of March 2020 and December 2022 only
    a, b = to_days(dt.date(2015, 1, 1)), to_days(dt.date(2023, 1, 1))
    assert data.extent[0] > to_days(dt.date(2020, 1, 1))
    assert filtered_period(data, flt) == (a, b)
    pad = (b - a) * FIT_MARGIN
    x0, x1 = fit_filtered(data, flt)
    assert x0 == pytest.approx(a - pad) and x1 == pytest.approx(b + pad)
    assert x0 < a < x0 + 100 and b < x1 < b + 100      # January 2015 to December 2022, a small margin around
    # an open side is the events' own, with the same margin
    since = EventFilter(date_from=dt.date(2019, 1, 1))
    later = load_timeline(store, since)
    last = later.extent[1]
    pad = (last - to_days(dt.date(2019, 1, 1))) * FIT_MARGIN
    assert fit_filtered(later, since) == pytest.approx((to_days(dt.date(2019, 1, 1)) - pad, last + pad))
    until = EventFilter(date_to=dt.date(2021, 12, 31))
    earlier = load_timeline(store, until)
    first = earlier.extent[0]
    pad = (to_days(dt.date(2022, 1, 1)) - first) * FIT_MARGIN
    assert fit_filtered(earlier, until) == pytest.approx((first - pad, to_days(dt.date(2022, 1, 1)) + pad))
    # no date filter: the events' extent, as before
    every = EventFilter()
    assert fit_filtered(load_timeline(store, every), every) == full_range(load_timeline(store, every))
    # a date filter that keeps no event still shows its period
    nothing = EventFilter(query="gardening", date_from=dt.date(2015, 1, 1), date_to=dt.date(2022, 12, 31))
    none = load_timeline(store, nothing)
    assert none.extent is None and fit_filtered(none, nothing) == pytest.approx((x0, x1))
