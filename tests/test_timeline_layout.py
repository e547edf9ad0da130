"""core.ticks and core.timeline_layout: the date axis, level of detail, glyphs, labels, heat-map (no Qt)."""

import datetime as dt

import numpy as np
import pytest

from partnership_explorer.core.ticks import MIN_LABEL_PX, choose_levels, context_label, tick_label, tick_values
from partnership_explorer.core.timeline import LaneInfo, TimelineData, aggregate, from_days, synthetic, to_days
from partnership_explorer.core.timeline_layout import (
    LABEL_GAP,
    MIN_LABEL_PX as MIN_TITLE_PX,
    Label,
    count_cells,
    glyph_boxes,
    glyph_geometry,
    heat_rgba,
    level_of_detail,
    marker_radius,
    marker_stroke,
    place_labels,
    shifted_labels,
)

LANES = [LaneInfo("ai", "AI", "#EE7733"), LaneInfo("energy", "Energy", "#0077BB")]


# -- date axis ------------------------------------------------------------------------------------
def test_date_axis_levels():
    x0, x1 = to_days("1990-01-01"), to_days("2026-01-01")
    major, _ = choose_levels(x0, x1, 1200)
    assert major[0] == "year" and major[1] == 5
    assert [tick_label("year", v) for v in tick_values(major, x0, x1)][:3] == ["1990", "1995", "2000"]
    x0, x1 = to_days("2025-01-01"), to_days("2025-06-30")
    major, _ = choose_levels(x0, x1, 1200)
    assert major[0] == "month"
    assert [tick_label("month", v) for v in tick_values(major, x0, x1)][:3] == ["2025", "Feb", "Mar"]
    assert context_label("month", x0, x1) == "2025"
    x0, x1 = to_days("2025-08-09"), to_days("2025-08-20")
    major, _ = choose_levels(x0, x1, 1200)
    assert major[0] == "day"
    assert [tick_label("day", v) for v in tick_values(major, x0, x1)][:3] == ["9", "10", "11"]
    assert context_label("day", x0, x1) == "August 2025"


@pytest.mark.parametrize("span_days", [200 * 365.25, 36 * 365.25, 4 * 365.25, 400, 90, 20, 4])
@pytest.mark.parametrize("width", [500, 1600])
def test_major_ticks_are_calendar_starts_with_room_for_their_labels(span_days, width):
    x0 = to_days("2001-03-17") + 0.3
    x1 = x0 + span_days
    major, minor = choose_levels(x0, x1, width)
    ticks = tick_values(major, x0, x1)
    assert ticks, "every zoom shows at least one labelled tick"
    px = np.diff(ticks) * width / span_days
    assert (px >= MIN_LABEL_PX[major[0]] * 0.9).all()  # months differ in length by up to 10 %
    for v in ticks:
        assert x0 <= v <= x1 and v == int(v)
        d = from_days(v)
        assert d.day == 1 or major[0] == "day"
        assert d.month == 1 or major[0] != "year"
        assert tick_label(major[0], v)
    if minor is not None:
        assert minor[2] < major[2]
        assert set(ticks) <= set(tick_values(minor, x0, x1)) or major[0] != minor[0]


def test_context_label_names_the_months_or_years_in_view():
    assert context_label("day", to_days("2025-07-20"), to_days("2025-08-10")) == "Jul – Aug 2025"
    assert context_label("day", to_days("2024-12-20"), to_days("2025-01-10")) == "Dec 2024 – Jan 2025"
    assert context_label("month", to_days("2024-06-01"), to_days("2025-03-01")) == "2024 – 2025"
    assert context_label("year", to_days("1990-01-01"), to_days("2026-01-01")) == "1990 – 2025"


def test_axis_far_outside_the_calendar_does_not_fail():
    assert from_days(-1e9) == dt.date.min and from_days(1e9) == dt.date.max
    major, _ = choose_levels(-1e7, 1e7, 1200)
    assert all(0 < len(tick_label(major[0], v)) <= 4 for v in tick_values(major, -1e7, 1e7))


# -- level of detail ------------------------------------------------------------------------------
def test_level_of_detail_crowded_lanes_become_heat_maps_and_keep_their_counts():
    data = synthetic(20_000, 4, seed=3)
    x0, x1 = data.extent
    lod = level_of_detail(data, x0, x1, 1200)
    assert lod.mode == "aggregate" and lod.lane_modes == ["aggregate"] * 4
    assert lod.counts.shape == (4, 1200) and lod.counts.sum() == len(data)
    assert not len(lod.glyph_rows)
    assert (lod.heat_counts() == lod.counts).all()
    # numbers over the heat-map: coarse cells holding all of each lane's rows
    cells = lod.count_cells
    for lane in range(4):
        assert sum(c for l, _a, _b, c in cells if l == lane) == lod.counts[lane].sum()
    assert all(b - a > 0 for _l, a, b, _c in cells)


def test_level_of_detail_mixed_and_sparse_views():
    rng = np.random.default_rng(0)
    n_dense, n_sparse = 2000, 20
    start = np.concatenate([rng.uniform(0, 3650, n_dense), rng.uniform(0, 3650, n_sparse)]).round()
    lane = np.concatenate([np.zeros(n_dense), np.ones(n_sparse)])
    data = TimelineData.from_arrays(LANES, np.arange(1, n_dense + n_sparse + 1), lane, start, start + 1)
    lod = level_of_detail(data, 0, 3651, 1000)
    assert lod.mode == "mixed" and lod.lane_modes == ["aggregate", "glyphs"]
    assert sorted(data.lane[lod.glyph_rows].tolist()) == [1] * n_sparse  # only the sparse lane draws glyphs
    assert lod.heat_counts()[1].sum() == 0 and lod.heat_counts()[0].sum() == n_dense
    # zoomed in: both lanes sparse; a day wider than a pixel gives one column per whole day
    lod = level_of_detail(data, 100.25, 130.75, 1000)
    assert lod.mode == "glyphs" and lod.span == (100, 131) and lod.counts.shape[1] == 31
    assert lod.edges[0] == 100 and lod.edges[-1] == 131
    assert not lod.count_cells


def test_level_of_detail_of_nothing():
    lod = level_of_detail(TimelineData(lanes=LANES), 0, 100, 800)
    assert lod.mode == "empty" and lod.lane_modes == ["glyphs", "glyphs"] and not len(lod.glyph_rows)
    assert lod.counts.shape == (2, 800) and lod.counts.sum() == 0


def test_level_of_detail_takes_counts_from_the_given_source():
    data = synthetic(5_000, 3, seed=1)
    calls = []

    def counts_of(d, a0, a1, cols):
        calls.append((a0, a1, cols))
        return aggregate(d, a0, a1, cols)

    lod = level_of_detail(data, *data.extent, 640, counts_of)
    assert calls == [(*data.extent, 640)] and lod.counts.sum() == len(data)


def test_count_cells_sum_the_columns_of_crowded_lanes_only():
    counts = np.array([[1, 0, 2, 3, 0, 4], [5, 5, 5, 5, 5, 5]])
    edges = np.arange(7, dtype=np.float64) * 10
    cells = count_cells(counts, np.array([True, False]), edges, 4)
    assert cells == [(0, 0.0, 40.0, 6), (0, 40.0, 60.0, 4)]


def test_heat_map_colours_and_opacity():
    counts = np.array([[0, 1, 100], [10, 0, 0]])
    rgb = np.array([[238, 119, 51], [0, 119, 187]], dtype=np.uint8)
    img = heat_rgba(counts, rgb, sub=8, floor=45)
    assert img.shape == (3, 16, 4)
    inner = img[:, 1:7]   # lane 0 without its transparent top and bottom rows
    assert (inner[2, :, :3] == rgb[0]).all() and (inner[2, :, 3] == 255).all()  # the largest count: opaque
    assert 45 < inner[1, 0, 3] < img[0, 9, 3] < 255                              # fainter with fewer events
    assert (inner[0, :, 3] == 0).all()                                           # nothing: transparent
    assert (img[:, 0, 3] == 0).all() and (img[:, 7, 3] == 0).all()               # a gap between lanes
    assert (img[0, 9:15, :3] == rgb[1]).all()
    one_row = heat_rgba(counts, rgb, sub=1, floor=90)
    assert one_row.shape == (3, 2, 4) and one_row[2, 0, 3] == 255 and 90 < one_row[1, 0, 3] < 255
    assert not heat_rgba(np.zeros((2, 3), dtype=np.int64), rgb, sub=1, floor=90).any()


# -- glyphs ---------------------------------------------------------------------------------------
def test_markers_grow_with_sources_up_to_a_limit_and_fit_the_lane():
    r = marker_radius(np.arange(1, 12), 60.0)
    assert (np.diff(r[:7]) > 0).all() and (r[6:] == r[6]).all()
    assert (np.diff(marker_stroke(np.arange(1, 7))) > 0).all()
    assert (marker_radius(np.arange(1, 12), 12.0) <= 12.0 * 0.32 + 1e-9).all()


def test_glyph_geometry_markers_and_bars():
    d0 = to_days("2025-08-12")
    data = TimelineData.from_arrays(
        LANES, [1, 2, 3, 4], [0, 0, 1, 1], [d0, to_days("2025-02-01"), to_days("2025-01-01"), d0 - 10],
        [d0 + 1, to_days("2025-03-01"), to_days("2026-01-01"), d0 + 5], precision=[0, 1, 2, 0],
        is_range=[False, False, False, True], n_sources=[3, 1, 1, 1])
    rows = np.arange(4)
    sx, tx, sy, ty = 2.0, -2.0 * to_days("2024-06-01"), 50.0, 25.0
    geo = glyph_geometry(data, rows, sx, tx, sy, ty, 50.0)
    by_id = {int(data.event_id[r]): k for k, r in enumerate(rows)}
    day, month, year, span = (by_id[i] for i in (1, 2, 3, 4))
    assert not geo.bar[day] and geo.xc[day] == pytest.approx((d0 + 0.5) * sx + tx)
    assert geo.r[day] > geo.r[month] or geo.bar[month]
    assert geo.bar[month] and geo.w[month] == pytest.approx(28 * sx)
    assert geo.bar[year] and geo.h[year] == pytest.approx(geo.h[month] * 0.8)
    assert geo.bar[span]  # a range of days is a bar over its span
    assert geo.y[year] == pytest.approx(1 * sy + ty)
    x0, y0, x1, y1 = glyph_boxes(geo)
    assert (x0 < geo.xc).all() and (x1 > geo.xc).all() and (y0 < geo.y).all() and (y1 > geo.y).all()
    # clamped to a few pixels beyond the view: a year bar at deep zoom stays near it
    clamped = glyph_geometry(data, rows, 500.0, -500.0 * d0, sy, ty, 50.0, clamp=(0.0, 1000.0))
    assert clamped.x0.min() >= -20 and (clamped.x0 + clamped.w).max() <= 1020 + 3
    assert len(geo[1:3]) == 2 and geo[1:3].x0[0] == geo.x0[1]


# -- labels ---------------------------------------------------------------------------------------
CHAR_PX = 7.0


def measure(text: str) -> float:
    return CHAR_PX * len(text)


def elide(text: str, width: float) -> str:
    keep = int(width // CHAR_PX) - 1
    return text[:keep] + "…" if keep > 0 else ""


def _lane(n: int, seed: int, span: float = 400.0, titles=None):
    rng = np.random.default_rng(seed)
    start = np.sort(rng.uniform(0, span, n)).round()
    precision = rng.choice([0, 1, 2], n, p=[0.7, 0.27, 0.03])
    length = np.where(precision == 0, 1.0, np.where(precision == 1, 30.0, 365.0))
    ids = np.arange(1, n + 1)
    titles = titles or {int(i): f"Event number {i} " + "x" * int(rng.integers(0, 40)) for i in ids}
    data = TimelineData.from_arrays(LANES[:1], ids, np.zeros(n), start, start + length, precision=precision,
                                    n_sources=rng.integers(1, 6, n), titles=titles)
    return data


def _place(data, width=1200.0, lane_h=80.0, sx=None):
    x0, x1 = 0.0, 400.0
    sx = sx or width / (x1 - x0)
    rows = np.arange(len(data))
    geo = glyph_geometry(data, rows, sx, 0.0, lane_h, lane_h / 2, lane_h, clamp=(0.0, width))
    labels = place_labels(data, rows, geo, line_height=14.0, lane_h=lane_h, vleft=0.0, vright=width,
                          measure=measure, elide=elide)
    return geo, labels


def _overlap(a, b) -> bool:
    ax0, ay0, ax1, ay1 = a
    bx0, by0, bx1, by1 = b
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("n", [5, 40, 150])
def test_labels_cover_no_glyph_and_no_other_label(seed, n):
    data = _lane(n, seed)
    geo, labels = _place(data)
    assert labels or n > 100
    boxes = list(zip(*glyph_boxes(geo)))
    rects = [(l.x, l.y, l.right, l.y + l.height) for l in labels]
    for k, (label, rect) in enumerate(zip(labels, rects)):
        assert 0.0 <= label.x and label.right <= 1200.0
        for j, box in enumerate(boxes):
            if label.inside and int(data.event_id[label.row]) == int(data.event_id[j]):
                continue  # inside its own bar
            assert not _overlap(rect, box), (label, box)
        for other in rects[k + 1:]:
            grown = (other[0] - LABEL_GAP + 0.01, other[1], other[2] + LABEL_GAP - 0.01, other[3])
            assert not _overlap(rect, grown)
        title = data.titles[int(data.event_id[label.row])]
        assert label.text == title or (label.text.endswith("…") and title.startswith(label.text[:-1]))
        assert label.width == pytest.approx(measure(label.text) + 1)
        if label.text != title:
            assert label.width >= MIN_TITLE_PX * 0.8
    assert len({int(data.event_id[l.row]) for l in labels}) == len(labels)  # one label per event


def test_events_with_more_sources_are_labelled_first():
    # two markers a few pixels apart: room for one title on each side
    titles = {1: "A long title that needs the room", 2: "Another long title wanting room"}
    data = TimelineData.from_arrays(LANES[:1], [1, 2], [0, 0], [100.0, 102.0], [101.0, 103.0],
                                    n_sources=[1, 5], titles=titles)
    geo, labels = _place(data, lane_h=20.0)
    # the one with more sources chooses first and takes the right; the other goes to the left of its marker
    assert [int(data.event_id[l.row]) for l in labels] == [2, 1]
    assert labels[0].x > geo.xc[1] and labels[1].right < geo.xc[0]
    assert labels[0].text == titles[2] and labels[1].text == titles[1]


def test_a_title_that_does_not_fit_is_elided_or_left_to_the_tooltip():
    titles = {1: "Long title " * 10, 2: "Neighbour"}
    data = TimelineData.from_arrays(LANES[:1], [1, 2], [0, 0], [100.0, 130.0], [101.0, 131.0],
                                    n_sources=[5, 1], titles=titles)
    _geo, labels = _place(data, lane_h=20.0)
    first = next(l for l in labels if l.row == 0)
    assert first.text.endswith("…") and first.right < 130 * 3.0  # stops before the neighbour's marker
    # a lane shorter than a line of text gets no labels
    assert _place(data, lane_h=10.0)[1] == []


def test_labels_shift_with_a_pan_and_leave_the_view():
    labels = [Label(10.0, 5.0, 50.0, 14.0, "a", False, 0), Label(900.0, 5.0, 80.0, 14.0, "b", False, 1)]
    moved = shifted_labels(labels, -70.0, 0.0, 1000.0)
    assert [l.text for l in moved] == ["b"] and moved[0].x == 830.0
    assert shifted_labels(labels, 5.0, 0.0, 1000.0)[0].x == 15.0


def test_a_bar_with_no_room_beside_it_carries_its_title_inside():
    # a two-month bar followed closely by markers: no room to its right, the lane too low for a line above
    starts = [100.0] + [161.0 + 9 * k for k in range(30)]
    ends = [160.0] + [s + 1 for s in starts[1:]]
    titles = {1: "Trade talks", **{k + 2: "" for k in range(30)}}
    data = TimelineData.from_arrays(LANES[:1], list(range(1, 32)), [0] * 31, starts, ends,
                                    precision=[1] + [0] * 30, n_sources=[1] * 31, titles=titles)
    geo, labels = _place(data, lane_h=24.0)
    assert [(l.text, l.inside) for l in labels] == [("Trade talks", True)]
    bar = next(k for k in range(len(data)) if data.event_id[k] == 1)
    assert geo.x0[bar] < labels[0].x and labels[0].right < geo.x0[bar] + geo.w[bar]


def test_two_milestones_in_a_crowded_short_lane_both_get_a_label_and_never_overlap():
    # a crowd after each milestone: no free position for either, so both are drawn over it, never over each other
    starts = [100.0, 101.0, 102.0, 103.0, 200.0, 201.0, 202.0, 203.0]
    titles = {i + 1: f"A long title for event {i + 1} that wants room" for i in range(8)}
    data = TimelineData.from_arrays(LANES[:1], list(range(1, 9)), [0] * 8, starts, [s + 1 for s in starts],
                                    n_sources=[1, 2, 2, 2, 1, 2, 2, 2], titles=titles)
    width, lane_h = 1200.0, 20.0
    rows = np.arange(len(data))
    geo = glyph_geometry(data, rows, 3.0, 0.0, lane_h, lane_h / 2, lane_h, clamp=(0.0, width))
    priority = np.isin(data.event_id[rows], [1, 5])
    labels = place_labels(data, rows, geo, line_height=14.0, lane_h=lane_h, vleft=0.0, vright=width,
                          measure=measure, elide=elide, priority=priority)
    by_event = {int(data.event_id[l.row]): l for l in labels}
    assert {1, 5} <= set(by_event) and by_event[1].priority and by_event[5].priority
    for a in labels:
        for b in labels:
            if a is not b:
                assert a.right + LABEL_GAP - 0.01 <= b.x or b.right + LABEL_GAP - 0.01 <= a.x, (a, b)
    # without the priority, the crowd leaves them no room at all (the test is not vacuous)
    plain = place_labels(data, rows, geo, line_height=14.0, lane_h=lane_h, vleft=0.0, vright=width,
                         measure=measure, elide=elide)
    assert not {1, 5} <= {int(data.event_id[l.row]) for l in plain}


def test_an_era_label_has_short_forms_from_its_levels_abbreviation():
    from partnership_explorer.core.timeline_layout import abbreviation, era_label_forms, fit_era_label

    assert era_label_forms("Comprehensive Strategic Partnership 2022–") == [
        "Comprehensive Strategic Partnership 2022–", "CSP 2022–", "CSP", "2022–"]
    assert era_label_forms("Diplomatic relations 1992–")[1] == "Dipl. relations 1992–"
    assert era_label_forms("Partnership 2010–") == ["Partnership 2010–", "2010–"]
    assert abbreviation("Free Trade Agreement") == "FTA" and abbreviation("Alliance") == "Alliance"

    def chars(text):
        return 7.0 * len(text)

    label = "Comprehensive Strategic Partnership 2022–"
    assert fit_era_label(label, 400, chars) == label
    assert fit_era_label(label, 70, chars) == "CSP 2022–"
    assert fit_era_label(label, 40, chars) == "CSP" and fit_era_label(label, 10, chars) is None


def test_the_relationship_levels_have_their_usual_abbreviations():
    from partnership_explorer.core.relationship import default_vocabulary

    voc = default_vocabulary()
    assert voc.short_name("Comprehensive Strategic Partnership") == "CSP"
    assert voc.short_name("strategic  partnership") == "SP"
    assert voc.short_name("Something else") is None
    assert all(lv.short for lv in voc.levels)
