"""qt.timeline: the widget on a state and data (pytest-qt, offscreen)."""

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.timeline import load_timeline, synthetic, to_days
from partnership_explorer.qt.state import ExplorerState
from partnership_explorer.qt.timeline import TimelineWidget

from test_timeline_core import small_store  # noqa: F401  (fixture)


def shown_widget(qtbot) -> tuple[TimelineWidget, ExplorerState]:
    state = ExplorerState()
    w = TimelineWidget(state)
    qtbot.addWidget(w)
    w.resize(1200, 600)
    w.show()
    qtbot.waitExposed(w)
    return w, state


@pytest.fixture
def widget(qtbot, small_store):  # noqa: F811
    store, ids = small_store
    data = load_timeline(store, EventFilter())
    w, state = shown_widget(qtbot)
    w.set_data(data)
    return w, state, ids


def test_set_data_fits_all_and_reports_range(widget):
    w, state, ids = widget
    x0, x1 = w.x_range()
    assert x0 < to_days("1992-01-01") and x1 > to_days("2025-08-13")
    assert state.visible_range == pytest.approx((x0, x1))
    assert w.lod_mode == "glyphs"
    assert w.lane_axis.colors  # lane names with their colours


def test_selection_from_state_highlights_in_every_lane(widget):
    w, state, ids = widget
    state.set_selection([ids["visit"]], origin="list")
    assert w.highlighted_ids == {ids["visit"]}
    assert sorted(w.data.lane[w.highlight_rows].tolist()) == [0, 1]  # ai and energy
    state.set_selection([], origin="list")
    assert w.highlighted_ids == frozenset()


def test_click_selects_event_and_clears(widget):
    w, state, ids = widget
    x = to_days("2025-08-12") + 0.5
    w.set_x_range(x - 20, x + 20)
    assert w.click_at(1, x) == (ids["visit"],)
    assert state.selection == (ids["visit"],)
    assert w.highlighted_ids == {ids["visit"]}
    w.click_at(1, x - 15)  # nothing there
    assert state.selection == ()
    # a month-precise bar is hit anywhere in its month
    w.set_x_range(to_days("2025-01-01"), to_days("2025-04-01"))
    assert w.click_at(1, to_days("2025-02-20")) == (ids["month"],)


def test_select_event_reveals_it(widget):
    w, state, ids = widget
    w.set_x_range(to_days("1991-01-01"), to_days("1993-01-01"))
    w.select_event(ids["visit"])
    x0, x1 = w.x_range()
    assert x0 < to_days("2025-08-12") < x1
    assert state.selection == (ids["visit"],)


def test_zoom_pan_keys_change_visible_range(widget, qtbot):
    w, state, ids = widget
    before = state.visible_range
    w.zoom(2.0)
    zoomed = state.visible_range
    assert zoomed[1] - zoomed[0] == pytest.approx((before[1] - before[0]) / 2)
    w.zoom(0.5)
    assert state.visible_range[1] - state.visible_range[0] == pytest.approx(before[1] - before[0])
    w.zoom(4.0, center=to_days("2000-01-01"))
    a = state.visible_range
    w.pan(0.25)
    b = state.visible_range
    assert b[0] - a[0] == pytest.approx((a[1] - a[0]) * 0.25)
    from PySide6.QtCore import Qt

    qtbot.keyClick(w, Qt.Key.Key_0)
    assert state.visible_range == pytest.approx(w.full_range())
    w.zoom(3)
    qtbot.keyClick(w, Qt.Key.Key_Home)
    assert state.visible_range[0] == pytest.approx(w.full_range()[0])
    qtbot.keyClick(w, Qt.Key.Key_End)
    assert state.visible_range[1] == pytest.approx(w.full_range()[1])
    width = state.visible_range[1] - state.visible_range[0]
    qtbot.keyClick(w, Qt.Key.Key_Plus)
    assert state.visible_range[1] - state.visible_range[0] == pytest.approx(width / 1.5)


def test_follows_range_from_other_panels(widget):
    w, state, ids = widget
    state.set_visible_range(to_days("2020-01-01"), to_days("2024-01-01"), origin="other")
    assert w.x_range() == pytest.approx((to_days("2020-01-01"), to_days("2024-01-01")))


def test_overview_region_linked_both_ways(widget):
    w, state, ids = widget
    w.region.setRegion((to_days("2000-01-01"), to_days("2010-01-01")))
    assert w.x_range() == pytest.approx((to_days("2000-01-01"), to_days("2010-01-01")))
    assert state.visible_range == pytest.approx(w.x_range())
    w.set_x_range(to_days("2021-01-01"), to_days("2023-01-01"))
    assert w.region.getRegion() == pytest.approx((to_days("2021-01-01"), to_days("2023-01-01")))


def test_set_data_keeps_view_when_it_still_fits(widget, small_store):  # noqa: F811
    w, state, ids = widget
    store, _ = small_store
    w.set_x_range(to_days("2024-01-01"), to_days("2025-12-31"))
    w.set_data(load_timeline(store, EventFilter(sectors=("energy",))))
    assert w.x_range() == pytest.approx((to_days("2024-01-01"), to_days("2025-12-31")))
    # a filter whose events are far from the view: fit all
    w.set_x_range(to_days("1991-01-01"), to_days("1993-01-01"))
    w.set_data(load_timeline(store, EventFilter(sectors=("energy",))))
    x0, x1 = w.x_range()
    assert x0 <= to_days("2025-02-01") and x1 >= to_days("2025-08-13")


def test_tooltip_and_labels(widget):
    w, state, ids = widget
    text = w.tooltip_text(ids["visit"])
    assert "State visit" in text and "12 Aug 2025" in text and "AI" in text and "Energy" in text
    assert "3 sources" in text
    assert "Feb 2025" in w.tooltip_text(ids["month"])
    w.glw.grab()  # paint once
    assert w.drawn_glyphs == len(w.data)
    assert w.placed_labels >= 4


def test_lod_uses_images_for_200k_rows(qtbot):
    data = synthetic(200_000, 12, seed=1)
    state = ExplorerState()
    w = TimelineWidget(state)
    qtbot.addWidget(w)
    w.resize(1200, 700)
    w.show()
    qtbot.waitExposed(w)
    w.set_data(data)
    assert w.lod_mode == "aggregate"
    assert all(m == "aggregate" for m in w.lane_modes)
    assert len(w.glyph_rows) == 0
    assert w.image.isVisible() and w.image.image is not None
    assert w.counts.sum() == len(data)
    w.glw.grab()
    assert w.drawn_glyphs == 0
    # clicking a heat-map cell selects the events counted there
    x = sum(w.x_range()) / 2
    ids = w.click_at(3, x)
    assert len(ids) > 0 and state.selection == ids
    assert set(data.lane[np.isin(data.event_id, ids)].tolist()) == {3}
    # zoomed to a few days: individual glyphs again
    w.set_x_range(x, x + 10)
    assert w.lod_mode == "glyphs" and len(w.glyph_rows) > 0


class _FakeDrag:
    """The parts of a pyqtgraph MouseDragEvent the view box reads."""

    def __init__(self, button, a, b, modifiers=None, finish=True):
        from PySide6.QtCore import Qt

        self._button, self._a, self._b, self._finish = button, a, b, finish
        self._mods = modifiers if modifiers is not None else Qt.KeyboardModifier.NoModifier
        self.accepted = False

    def button(self):
        return self._button

    def modifiers(self):
        return self._mods

    def buttonDownPos(self):
        return self._a

    def pos(self):
        return self._b

    def isFinish(self):
        return self._finish

    def accept(self):
        self.accepted = True


@pytest.mark.parametrize("how", ["right", "shift"])
def test_box_zoom_with_right_or_shift_drag(widget, how):
    from PySide6.QtCore import QPointF, Qt

    w, state, ids = widget
    a, b = QPointF(100, 40), QPointF(300, 200)
    x0, x1 = w.vb.mapToView(a).x(), w.vb.mapToView(b).x()
    y_before = w.vb.viewRange()[1]
    button = Qt.MouseButton.RightButton if how == "right" else Qt.MouseButton.LeftButton
    mods = Qt.KeyboardModifier.ShiftModifier if how == "shift" else None
    w.vb.mouseDragEvent(_FakeDrag(button, a, b, mods, finish=False))  # rubber band shown
    ev = _FakeDrag(button, a, b, mods)
    w.vb.mouseDragEvent(ev)
    assert ev.accepted
    assert state.visible_range == pytest.approx((x0, x1))
    assert w.vb.viewRange()[1] == pytest.approx(y_before)  # lanes stay put


def test_new_rows_are_binned_once_for_the_width_they_are_drawn_at(qtbot, monkeypatch):
    """Rows whose lane names are wider than the last ones: the plot narrows, and the view is binned for the width
    it is drawn at — once, not first for the old width and again at the first paint."""
    from dataclasses import replace

    from partnership_explorer.core import timeline as core_timeline
    from partnership_explorer.core.timeline import aggregate, synthetic

    w, _state = shown_widget(qtbot)
    w.grab()
    data = synthetic(30_000, 6, seed=2)
    data.lanes = [replace(lane, name=f"A rather long sector name {i}") for i, lane in enumerate(data.lanes)]
    widths = []
    monkeypatch.setattr(core_timeline, "aggregate", lambda d, x0, x1, cols: widths.append(cols) or aggregate(d, x0, x1, cols))
    w.set_data(data)
    w.grab()
    qtbot.wait(20)
    w.grab()
    lod = [c for c in widths if c != 600]                 # the overview strip has a resolution of its own
    assert w.lod_mode in ("aggregate", "mixed")
    assert lod == [w.counts.shape[1]]
