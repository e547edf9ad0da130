"""Placement of the indicator row's figure labels and legend (Qt-free): never one label over another, over a
point or the legend, never out of the row; the most important labels kept when there is no room for all."""

from hypothesis import given, settings
from hypothesis import strategies as st

from partnership_explorer.core.indicator_labels import (LABEL_GAP, flow_legend, legend_lines,
                                                        place_point_labels)

FRAME = (0.0, 0.0, 900.0, 120.0)      # a row 900 px wide, 120 px tall
LINE_H = 15.0
R = 4.5


def _overlap(a, b, gap=0.0) -> bool:
    return a[0] - gap < b[2] and b[0] - gap < a[2] and a[1] - gap < b[3] and b[1] - gap < a[3]


def _check(points, widths, placed, frame=FRAME, obstacles=()):
    """The invariants a user sees: inside the row, no label on another, on a point or on the legend."""
    left, top, right, bottom = frame
    rects = [lab.rect for lab in placed]
    assert len({lab.index for lab in placed}) == len(placed)          # one label a point
    for lab in placed:
        x0, y0, x1, y1 = lab.rect
        assert left <= x0 + 1e-6 and x1 <= right + 1e-6 and top <= y0 + 1e-6 and y1 <= bottom + 1e-6
        assert abs((x1 - x0) - widths[lab.index]) < 1e-6 and abs((y1 - y0) - LINE_H) < 1e-6
        for cx, cy, r in points:
            assert not _overlap(lab.rect, (cx - r, cy - r, cx + r, cy + r))
        for ob in obstacles:
            assert not _overlap(lab.rect, ob)
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not _overlap(a, b, LABEL_GAP - 1e-6), (a, b)
    for lab in placed:          # a stacked label's leader line crosses no other label, point or the legend
        if lab.leader is None:
            continue
        others = [p for k, p in enumerate(points) if k != lab.index and p != points[lab.index]]
        for rect in [o.rect for o in placed if o is not lab] + list(obstacles) + \
                [(cx - r, cy - r, cx + r, cy + r) for cx, cy, r in others]:
            assert not _overlap(lab.leader, rect)


def test_a_lone_figure_is_written_centred_above_its_point():
    placed = place_point_labels([(400.0, 60.0, R)], [80.0], LINE_H, FRAME)
    assert len(placed) == 1 and placed[0].where == "above"
    x0, y0, x1, y1 = placed[0].rect
    assert (x0 + x1) / 2 == 400.0 and y1 <= 60.0 - R


def test_ten_figures_of_one_year_are_stacked_or_left_out_never_drawn_over_each_other():
    # ten series with a figure in the same year: one x, heights from the top of the row to its bottom
    points = [(450.0, 20.0 + 9.0 * k, R) for k in range(10)]
    widths = [70.0 + 6 * k for k in range(10)]
    placed = place_point_labels(points, widths, LINE_H, FRAME)
    _check(points, widths, placed)
    assert len(placed) >= 6                  # above, below, right and left of the column: most are written
    assert {lab.where for lab in placed} >= {"right", "left"}


def test_ten_figures_close_together_keep_the_first_in_order_and_leave_out_what_has_no_room():
    points = [(450.0 + 2 * k, 60.0 + 2 * (k % 2), R) for k in range(10)]   # one year, about one height
    widths = [90.0] * 10
    order = list(range(9, -1, -1))                   # the caller's priority: the last point first
    placed = place_point_labels(points, widths, LINE_H, FRAME, order=order)
    _check(points, widths, placed)
    assert placed[0].index == 9 and placed[0].where in ("above", "below")
    assert 1 < len(placed) < 10                      # no room for ten in a 120 px row: some are left out


def test_a_point_at_the_rows_edge_gets_its_label_inside_the_row():
    points = [(0.0, 60.0, R), (900.0, 60.0, R), (450.0, 0.0, R), (450.0, 120.0, R)]
    widths = [120.0] * 4
    placed = place_point_labels(points, widths, LINE_H, FRAME)
    _check(points, widths, placed)
    assert sorted(lab.index for lab in placed) == [0, 1, 2, 3]
    by = {lab.index: lab for lab in placed}
    assert by[0].x0 == 0.0 and by[1].x1 == 900.0        # kept inside: beginning at the left edge, ending at the right
    assert by[2].where != "above" and by[3].where != "below"


def test_points_outside_the_row_get_no_label():
    points = [(-30.0, 60.0, R), (950.0, 60.0, R), (450.0, 60.0, R)]
    placed = place_point_labels(points, [60.0] * 3, LINE_H, FRAME)
    assert [lab.index for lab in placed] == [2]


def test_labels_keep_off_the_legend():
    legend = [(6.0, 2.0, 600.0, 2.0 + LINE_H)]
    points = [(300.0, 30.0, R)]                      # right under the legend: not above it
    placed = place_point_labels(points, [80.0], LINE_H, FRAME, obstacles=legend)
    _check(points, [80.0], placed, obstacles=legend)
    assert placed and placed[0].where != "above"


def test_mixed_series_and_targets_over_a_few_years():
    # actual figures of five series in 2022-2024 and their targets in 2030, on a row where a year is 30 px
    points, widths = [], []
    for s in range(5):
        for year, value in ((2022, 0.2 + 0.1 * s), (2023, 0.3 + 0.1 * s), (2024, 0.35 + 0.12 * s),
                            (2030, 0.9 - 0.05 * s)):
            points.append((100.0 + (year - 2020) * 30.0, 110.0 - value * 90.0, R + (1.5 if s == 0 else 0.0)))
            widths.append(110.0 if year == 2030 else 78.0)     # "$150 billion (target)" is wider
    placed = place_point_labels(points, widths, LINE_H, FRAME)
    _check(points, widths, placed)
    assert len(placed) >= 8


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.floats(-20, 920), st.floats(-10, 130), st.sampled_from([4.5, 6.0]),
                          st.floats(20, 200)), min_size=1, max_size=60),
       st.randoms(use_true_random=False))
def test_no_two_labels_ever_meet_whatever_the_points(rows, rnd):
    points = [(x, y, r) for x, y, r, _ in rows]
    widths = [w for *_, w in rows]
    order = list(range(len(points)))
    rnd.shuffle(order)
    legend = [(6.0, 2.0, 400.0, 2.0 + LINE_H)]
    placed = place_point_labels(points, widths, LINE_H, FRAME, order=order, obstacles=legend)
    _check(points, widths, placed, obstacles=legend)
    inside = [i for i, (x, y, _) in enumerate(points) if 0 <= x <= 900 and 0 <= y <= 120]
    if len(inside) == 1 and widths[inside[0]] < 150 and (points[inside[0]][1] > 40 or points[inside[0]][0] > 420):
        assert placed          # one point alone, away from the legend, always has room in a row this size


def test_legend_wraps_and_names_what_it_leaves_out():
    texts = [f"Series number {k}" for k in range(12)]
    measure = lambda t: 7.0 * len(t)              # noqa: E731 — a fixed-pitch font
    items = flow_legend(texts, measure, 6.0, 600.0, max_lines=2)
    assert legend_lines(items) == 2
    assert items[-1].index == -1 and items[-1].text == f"+ {12 - (len(items) - 1)} more"
    assert [it.index for it in items[:-1]] == list(range(len(items) - 1))
    for it in items:
        assert 6.0 <= it.x and it.x + it.width <= 600.0
    for a in items:
        for b in items:
            if a is not b and a.line == b.line:
                assert a.x + a.width <= b.x or b.x + b.width <= a.x


def test_a_legend_that_fits_is_one_line_without_more():
    items = flow_legend(["Bilateral trade", "FDI"], lambda t: 7.0 * len(t), 6.0, 600.0)
    assert [(it.index, it.line) for it in items] == [(0, 0), (1, 0)]


def test_a_label_with_no_room_next_to_its_point_is_stacked_further_away_with_a_leader_line():
    # ten monthly figures of one year, 12 px apart, at three heights: the nearest places run out
    points = [(300.0 + k * 12, 60.0 + (k % 3) * 6, R) for k in range(10)]
    widths = [70.0] * 10
    placed = place_point_labels(points, widths, LINE_H, FRAME)
    _check(points, widths, placed)
    stacked = [lab for lab in placed if lab.leader is not None]
    assert stacked
    for lab in stacked:      # the leader runs from its point's edge to the label's edge, on the point's x
        cx, cy, r = points[lab.index]
        x0, y0, x1, y1 = lab.leader
        assert x0 <= cx <= x1 and lab.x0 <= cx <= lab.x1
        assert (y1 <= cy - r and y0 == lab.y1) if lab.where == "above" else (y0 >= cy + r and y1 == lab.y0)


def test_the_selected_point_then_the_latest_figures_and_targets_choose_first():
    from partnership_explorer.core.indicator_labels import label_order

    # points: 0 an old figure, 1 a series' latest, 2 a target, 3 the selected old figure, 4 a later plain figure
    order = label_order(selected=[False, False, False, True, False], leading=[False, True, True, False, False],
                        x=[100.0, 300.0, 900.0, 50.0, 400.0], quantity=[5.0, 8.0, 20.0, 1.0, 7.0])
    assert order == [3, 2, 1, 4, 0]
    # with room for one label only (five points close together), the selected one is the one written
    points = [(450.0 + 3 * k, 60.0, R) for k in range(5)]
    placed = place_point_labels(points, [300.0] * 5, 100.0, (0.0, 0.0, 900.0, 180.0), order=order)
    assert [lab.index for lab in placed] == [3]


def test_a_point_right_under_another_gets_no_label_of_its_own():
    points = [(450.0, 60.0, R), (450.5, 60.5, R), (470.0, 60.0, R)]
    placed = place_point_labels(points, [60.0] * 3, LINE_H, FRAME)
    assert sorted(lab.index for lab in placed) == [0, 2]
    placed = place_point_labels(points, [60.0] * 3, LINE_H, FRAME, order=[1, 0, 2])
    assert sorted(lab.index for lab in placed) == [1, 2]
