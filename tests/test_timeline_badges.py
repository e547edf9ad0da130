"""Count badges of the timeline never cover one another, another glyph or a label, and stay inside the plot:
the placement alone (Qt-free, dense random lanes) and what the painted timeline drew (pytest-qt, offscreen)."""

import numpy as np
import pytest

from partnership_explorer.core.timeline_badges import clear_of, place_badges

GAP = 1e-6


def _meet(a, b) -> bool:
    return a[0] < b[2] - GAP and b[0] < a[2] - GAP and a[1] < b[3] - GAP and b[1] < a[3] - GAP


def _lane(rng, n, width):
    """Glyph boxes of one lane: markers (13 px) and bars (up to 200 px) around a centre line at y = 50."""
    x0 = np.sort(rng.uniform(0, width, n))
    bar = rng.random(n) < 0.4
    w = np.where(bar, rng.uniform(3, 200, n), 13.0)
    h = np.where(bar, 12.0, 13.0)
    return x0, 50 - h / 2, x0 + w, 50 + h / 2


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("n", [5, 40, 300])
def test_no_badge_meets_another_badge_or_another_glyph_or_leaves_the_plot(seed, n):
    rng = np.random.default_rng([seed, n])
    width = 1200.0
    boxes = _lane(rng, n, width)
    grouped = np.flatnonzero(rng.random(n) < 0.5)
    counts = rng.integers(2, 300, len(grouped))
    widths = 8 + 7.0 * np.floor(np.log10(counts) + 1)
    placed = place_badges(boxes, grouped, widths, counts, yc=50.0, height=14.0, vleft=0.0, vright=width)
    rects = placed.rects()
    assert len(set(placed.index.tolist())) == len(placed)              # a glyph has one badge at most
    for k, r in enumerate(rects):
        assert 0.0 <= r[0] and r[2] <= width                           # inside the plot
        own = int(grouped[placed.index[k]])
        for g in range(n):
            if g != own:
                assert not _meet(r, (boxes[0][g], boxes[1][g], boxes[2][g], boxes[3][g])), (k, g)
        for other in rects[k + 1:]:
            assert not _meet(r, other)
        assert placed.w[k] == widths[placed.index[k]]


def test_sparse_badges_go_right_of_their_glyph_and_a_crowd_keeps_some():
    # glyphs far apart: every badge right of its glyph
    x0 = np.array([100.0, 400.0, 700.0])
    boxes = (x0, np.full(3, 43.0), x0 + 13, np.full(3, 57.0))
    placed = place_badges(boxes, np.arange(3), np.full(3, 15.0), np.array([2, 3, 4]), yc=50, height=14,
                          vleft=0, vright=1000)
    assert placed.index.tolist() == [0, 1, 2]
    assert np.allclose(placed.x, x0 + 13 + 1)
    # at the right edge of the plot the badge goes left of the glyph
    boxes = (np.array([980.0]), np.array([43.0]), np.array([993.0]), np.array([57.0]))
    placed = place_badges(boxes, np.array([0]), np.array([15.0]), np.array([5]), yc=50, height=14, vleft=0,
                          vright=1000)
    assert placed.x[0] + placed.w[0] <= 980.0
    # forty markers 3 px apart: badges cannot go beside them; the largest count is the one that gets a place
    x0 = 100 + 3.0 * np.arange(40)
    boxes = (x0, np.full(40, 43.0), x0 + 13, np.full(40, 57.0))
    counts = np.full(40, 2)
    counts[0] = 9   # on the crowd's left end: room on its left
    placed = place_badges(boxes, np.arange(40), np.full(40, 15.0), counts, yc=50, height=14, vleft=0, vright=1000)
    assert 0 in placed.index.tolist() and len(placed) <= 2


def test_badges_under_a_label_drawn_over_the_crowd_are_left_out():
    x0 = np.array([100.0, 300.0])
    boxes = (x0, np.full(2, 43.0), x0 + 13, np.full(2, 57.0))
    placed = place_badges(boxes, np.arange(2), np.full(2, 15.0), np.array([2, 3]), yc=50, height=14, vleft=0,
                          vright=1000)
    label = np.array([[110.0, 44.0, 200.0, 56.0]])         # over the first badge
    kept = clear_of(placed, label)
    assert kept.index.tolist() == [1]


# -- the painted timeline ---------------------------------------------------------------------------------
def _crowded_data():
    """Decades of events, many of one period in one lane (year-precise figures, month-precise visits): what a
    database of a few hundred events from many articles shows zoomed out."""
    from partnership_explorer.core.timeline import LaneInfo, TimelineData, to_days

    rng = np.random.default_rng(5)
    lanes = [LaneInfo("trade", "Trade", "#009988"), LaneInfo("diplomacy", "Diplomacy", "#0077bb"),
             LaneInfo("energy", "Energy & nuclear", "#ee7733")]
    ids, lane, start, end, prec, titles = [], [], [], [], [], {}
    eid = 0
    for _ in range(260):
        year = int(rng.choice(np.arange(1990, 2026), p=None))
        ln = int(rng.integers(0, 3))
        for _k in range(int(rng.integers(1, 5))):   # several events of one year in one lane
            eid += 1
            ids.append(eid)
            lane.append(ln)
            if rng.random() < 0.5:
                s, e, pr = to_days(f"{year}-01-01"), to_days(f"{year + 1}-01-01"), 2
            else:
                m = int(rng.integers(1, 12))
                s, e, pr = to_days(f"{year}-{m:02d}-01"), to_days(f"{year}-{m + 1:02d}-01"), 1
            start.append(s)
            end.append(e)
            prec.append(pr)
            titles[eid] = f"Event {eid} of {year} in lane {ln}"
    return TimelineData.from_arrays(lanes, np.array(ids), np.array(lane), np.array(start, float),
                                    np.array(end, float), precision=np.array(prec), titles=titles)


@pytest.fixture
def shown_timeline(qtbot):
    """A timeline widget of 1000 × 500 shown offscreen."""
    pytest.importorskip("pytestqt")
    from partnership_explorer.qt.state import ExplorerState
    from partnership_explorer.qt.timeline import TimelineWidget

    w = TimelineWidget(ExplorerState())
    qtbot.addWidget(w)
    w.resize(1000, 500)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_the_painted_badges_of_a_crowded_view_meet_nothing(shown_timeline):
    from PySide6.QtCore import QRectF

    from partnership_explorer.core.timeline import to_days

    w = shown_timeline
    data = _crowded_data()
    w.set_data(data)
    w.set_x_range(to_days("1950-01-01"), to_days("2030-01-01"))
    w.update_lod()
    w.glw.grab()
    assert w.glyphs.groups                                            # the crowd has glyphs standing for several
    spans = w.glyphs.badge_spans
    assert spans                                                      # some badges found room
    sx = w.glyphs.sceneTransform().m11()
    tx = w.glyphs.sceneTransform().m31()
    glyphs = w.glyph_rects
    labels = [r for r, _t, _row in w.label_rects]
    plot = w.vb.sceneBoundingRect()
    lane_y = {int(data.lane[row]): r.center().y() for row, r in glyphs}
    rects = []
    for lane, a, b, row in spans:
        rect = QRectF(a * sx + tx, lane_y[lane] - 5, (b - a) * sx, 10)
        assert plot.left() - 0.5 <= rect.left() and rect.right() <= plot.right() + 0.5
        for grow, g in glyphs:
            if grow != row and int(data.lane[grow]) == lane:
                assert not rect.adjusted(0.5, 0, -0.5, 0).intersects(g), (row, grow)
        for label in labels:
            assert not rect.adjusted(0.5, 0, -0.5, 0).intersects(label)
        for other_lane, other in rects:
            if other_lane == lane:
                assert not rect.adjusted(0.5, 0, -0.5, 0).intersects(other)
        rects.append((lane, rect))
    # a glyph whose badge found no room still lists its events in the tooltip
    hidden = set(w.glyphs.groups) - {row for *_x, row in spans}
    assert hidden
    row = next(iter(hidden))
    assert "more on this period" in w.tooltip_text(int(data.event_id[row]), int(data.lane[row]))


# -- stacked glyphs ---------------------------------------------------------------------------------------------
def test_a_glyph_of_several_events_without_its_badge_is_stacked():
    from partnership_explorer.core.timeline_badges import STACK_OFFSET, stacked_boxes, unbadged

    assert unbadged(np.array([2, 5, 7]), np.array([5])).tolist() == [2, 7]
    assert unbadged(np.array([2, 5]), np.array([], dtype=np.int64)).tolist() == [2, 5]
    boxes = (np.array([0.0, 20.0]), np.array([10.0, 10.0]), np.array([8.0, 28.0]), np.array([18.0, 18.0]))
    x0, y0, x1, y1 = stacked_boxes(boxes, np.array([1]))
    assert x1.tolist() == [8.0, 28.0 + STACK_OFFSET] and y0.tolist() == [10.0, 10.0 - STACK_OFFSET]
    assert boxes[2].tolist() == [8.0, 28.0]          # the glyphs' own boxes are left as they were


def test_every_glyph_of_several_events_shows_a_badge_or_is_drawn_stacked_also_in_svg(qtbot, tmp_path, monkeypatch):
    """Zoomed out over a crowd, a glyph whose count badge found no room is drawn stacked (a second outline behind
    it): on screen and as vector paths in an SVG export."""
    import xml.etree.ElementTree as ET

    from PySide6.QtGui import QImage, QPainter

    from partnership_explorer.core.timeline import to_days
    from partnership_explorer.qt.export import export_image
    from partnership_explorer.qt.state import ExplorerState
    from partnership_explorer.qt.timeline import TimelineWidget

    data = _crowded_data()
    view = (to_days("1950-01-01"), to_days("2030-01-01"))
    w = TimelineWidget(ExplorerState(), export_mode=True)
    qtbot.addWidget(w)
    w.resize(1000, 500)
    w.show()
    qtbot.waitExposed(w)
    w.set_data(data)
    w.set_x_range(*view)
    w.update_lod()
    stacks = []

    class Recorder(QPainter):
        def drawPath(self, path):
            if self.brush().color() == w.theme.bg and self.pen().widthF() == 1.5:
                stacks.append(path.elementCount())
            return super().drawPath(path)

    img = QImage(w.glw.width(), w.glw.height(), QImage.Format.Format_ARGB32)
    p = Recorder(img)
    w.glyphs.paint(p)
    p.end()
    g = w.glyphs
    badged = {row for *_x, row in g.badge_spans}
    assert g.groups and g.stacked, "the crowd has glyphs of several events without a badge"
    assert g.stacked == set(g.groups) - badged           # each glyph of several events: a badge or stacked
    assert not g.stacked & badged
    assert stacks                                        # drawn, as paths
    # the export draws them too (vector paths in the SVG), and its legend says what they mean
    from partnership_explorer.qt import timeline_items

    in_export = []
    real = timeline_items.draw_stacks
    monkeypatch.setattr(timeline_items, "draw_stacks", lambda p, geo, stacked, *a: (in_export.append(len(stacked)),
                                                                                    real(p, geo, stacked, *a)))
    out = export_image(data, tmp_path / "t.svg", width=1000, height=500, x_range=view)
    assert sum(in_export) > 0
    root = ET.parse(out).getroot()
    assert any("stacked = several events" in "".join(t.itertext())
               for t in root.iter("{http://www.w3.org/2000/svg}text"))
