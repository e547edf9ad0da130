"""Reading the timeline: the selected event and the milestones always labelled, events of one period never
hiding each other, labels near the right edge on the left of their event, a one-person filter drawn sensibly
(pytest-qt, offscreen, on the seed database)."""

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.store import Store
from partnership_explorer.core.timeline import LaneInfo, TimelineData, load_timeline, to_days
from partnership_explorer.qt.state import ExplorerState
from partnership_explorer.qt.timeline import TimelineWidget
from test_gui_polish import main_window  # noqa: F401  (fixture)


def _load(seed_db, flt=EventFilter()):
    with Store(seed_db, create=False, readonly=True) as s:
        return load_timeline(s, flt)


@pytest.fixture
def widget(qtbot):
    w = TimelineWidget(ExplorerState())
    qtbot.addWidget(w)
    w.resize(1100, 620)
    w.show()
    qtbot.waitExposed(w)
    return w


def _paint(w):
    w.update_lod()
    return w.glw.grab().toImage()


def _labelled(w) -> dict[int, str]:
    return {int(w.data.event_id[row]): text for _rect, text, row in w.label_rects}


def test_the_upgrade_milestone_is_labelled_in_the_whole_range_and_when_selected(widget, seed_db):
    data = _load(seed_db)
    widget.set_data(data)
    _paint(widget)
    upgrade = next(i for i in data.milestone_ids if "upgraded" in data.titles.get(i))
    assert upgrade in data.milestone_ids and len(data.milestone_ids) >= 2
    for milestone in data.milestone_ids:                      # every milestone, unselected, whole range
        assert milestone in _labelled(widget), (data.titles.get(milestone), _labelled(widget))
    text = _labelled(widget)[upgrade]
    title = data.titles.get(upgrade)
    assert text == title or (text.endswith("…") and title.startswith(text[:-1]) and len(text) > 8)
    # selected, in a crowded 2022-2026 view and in a narrow window: still labelled
    widget.resize(700, 500)
    widget.set_x_range(to_days("2022-01-01"), to_days("2026-12-31"))
    widget.state.set_selection([upgrade], None)
    _paint(widget)
    assert upgrade in _labelled(widget)
    label = next(r for r, _t, row in widget.label_rects if int(data.event_id[row]) == upgrade)
    plot = widget.vb.sceneBoundingRect()
    assert plot.left() - 1 <= label.left() and label.right() <= plot.right() + 1   # inside the plot


def test_a_selected_event_in_a_crowd_gets_its_label(widget):
    """Twelve markers two days apart with long titles: room for few labels; whichever is selected has one."""
    lanes = [LaneInfo("trade", "Trade", "#009988")]
    n = 12
    start = to_days("2024-03-01") + 2.0 * np.arange(n)
    titles = {i + 1: f"Long title of event number {i + 1} that wants the room" for i in range(n)}
    data = TimelineData.from_arrays(lanes, np.arange(1, n + 1), np.zeros(n), start, start + 1, titles=titles,
                                    n_sources=np.r_[5, np.ones(n - 1)])
    widget.set_data(data)
    widget.set_x_range(start[0] - 20, start[-1] + 40)
    _paint(widget)
    unlabelled = [i for i in range(1, n + 1) if i not in _labelled(widget)]
    assert unlabelled                      # a crowd: some titles do not fit
    pick = unlabelled[len(unlabelled) // 2]
    widget.state.set_selection([pick], None)
    _paint(widget)
    assert pick in _labelled(widget)
    widget.state.set_selection([], None)
    _paint(widget)
    assert pick not in _labelled(widget)   # the priority was the selection's


def test_events_of_one_period_are_one_glyph_with_a_count_that_lists_them(widget, seed_db, qtbot):
    data = _load(seed_db, EventFilter(sectors=("trade",)))
    widget.set_data(data)
    _paint(widget)
    lane = 0
    start_2024 = to_days("2024-01-01")
    rows_2024 = [r for r in range(len(data)) if data.start[r] == start_2024 and data.precision[r] == 2]
    assert len(rows_2024) == 4                                 # four 2024 trade figures (and the maritime dialogue)
    ids_2024 = {int(data.event_id[r]) for r in rows_2024}
    groups = {int(data.event_id[r]): n for r, n in widget.glyphs.groups.items()}
    assert list(groups.values()) == [4] and set(groups) <= ids_2024
    drawn = {int(data.event_id[r]) for r, _ in widget.glyph_rects}
    assert len(drawn & ids_2024) == 1                          # one glyph for the four, not four on each other
    # the tooltip names the others; a click selects the four and lists them
    shown = next(iter(groups))
    tip = widget.tooltip_text(shown, lane)
    assert "and 3 more on this period" in tip
    assert all(data.titles.get(i).split(":")[0] in tip for i in ids_2024)
    x = (start_2024 + to_days("2025-01-01")) / 2
    picked = widget.click_at(lane, x)
    assert set(picked) == ids_2024 and set(widget.state.selection) == ids_2024
    menu = widget.group_menu
    titles = [a.text() for a in menu.actions() if not a.isSeparator() and a.text()]
    assert len(titles) == 4
    menu.actions()[-1].trigger()                               # choose one: it alone is selected
    assert len(widget.state.selection) == 1 and widget.state.selection[0] in ids_2024
    menu.close()
    # a click on the badge itself does the same
    (_lane, b0, b1, _row), = widget.glyphs.badge_spans
    assert b0 > to_days("2025-01-01") - 1                      # the badge is beside the bar, after it
    assert set(widget.click_at(lane, (b0 + b1) / 2)) == ids_2024
    widget.group_menu.close()


def test_labels_near_the_right_edge_go_left_of_their_event(widget):
    lanes = [LaneInfo("ai", "AI", "#ee7733")]
    titles = {1: "An early event", 2: "A target set for the last year shown"}
    start = np.array([to_days("2000-01-01"), to_days("2045-01-01")])
    data = TimelineData.from_arrays(lanes, [1, 2], [0, 0], start, start + 365, precision=[2, 2], titles=titles)
    widget.set_data(data)
    _paint(widget)
    labels = {int(data.event_id[row]): rect for rect, _t, row in widget.label_rects}
    texts = _labelled(widget)
    assert texts[2] == titles[2]                                 # whole, not elided against the edge
    late = next(r for row, r in widget.glyph_rects if int(data.event_id[row]) == 2)
    early = next(r for row, r in widget.glyph_rects if int(data.event_id[row]) == 1)
    # on the left of the 2045 bar: beside it, or above or below it, ending where it ends
    assert labels[2].right() <= late.right() + 1 and labels[2].left() < late.left() - 100
    assert labels[1].left() >= early.right()                     # the early one keeps the right side


def test_concise_labels_name_the_month_or_year_where_it_changes():
    from partnership_explorer.core.ticks import concise_labels

    days = [to_days(f"2025-04-{d:02d}") for d in (14, 15, 16)] + [to_days("2025-05-01"), to_days("2025-05-02")]
    assert concise_labels("day", days) == ["Apr 14", "15", "16", "May", "2"]
    assert concise_labels("day", [to_days("2025-04-30"), to_days("2025-05-05")]) == ["Apr 30", "May 5"]
    months = [to_days(m) for m in ("2025-04-01", "2025-05-01", "2026-01-01", "2026-02-01")]
    assert concise_labels("month", months) == ["Apr 2025", "May", "2026", "Feb"]
    assert concise_labels("year", [to_days("2020-01-01"), to_days("2030-01-01")]) == ["2020", "2030"]


def test_the_open_ended_era_shades_to_the_right_edge_of_any_view(widget, seed_db):
    from partnership_explorer.core.timeline_layout import era_spans

    data = _load(seed_db)
    assert len(data.eras) == 2 and data.eras[-1].label.startswith("Comprehensive Strategic Partnership")
    far = (to_days("2040-01-01"), to_days("2060-01-01"))
    spans = era_spans(data.eras, *far)
    assert [i for i, *_ in spans] == [1] and spans[0][2] >= far[1]
    assert era_spans(data.eras, to_days("1980-01-01"), to_days("1990-01-01")) == []
    # painted: the band above the lanes at the view's right edge has the era's tint, as it has at 2023
    widget.set_data(data)
    widget.set_x_range(to_days("2040-01-01"), to_days("2060-01-01"))     # panned past the last event
    img = _paint(widget)
    plot = widget.vb.sceneBoundingRect()
    y = int(plot.top() + 4)
    dpr = img.devicePixelRatio()
    edge = img.pixelColor(int((plot.right() - 3) * dpr), int(y * dpr))
    bare = TimelineData.from_arrays(data.lanes, data.event_id, data.lane, data.start, data.end, titles={})
    widget.set_data(bare)                                               # the same view without eras
    widget.set_x_range(to_days("2040-01-01"), to_days("2060-01-01"))
    plain = _paint(widget).pixelColor(int((plot.right() - 3) * dpr), int(y * dpr))
    assert edge != plain, (edge.name(), plain.name())


def test_one_persons_events_fill_the_view_and_the_overview_reads_dates(qtbot, main_window):  # noqa: F811
    window = main_window
    t = window.timeline
    t.zoom(3.0)                                          # the user zoomed by hand before choosing a person
    t.fit_all()
    window.state.update_filter(None, entities=("Cho Tae-yul",))
    qtbot.waitUntil(lambda: not window.loading() and t.data.total_events == 3, timeout=10000)
    first, last = t.data.extent
    x0, x1 = t.x_range()
    assert x0 <= first and last <= x1 and x1 - x0 < 60          # April 2025, not 2015-2035
    ov0, ov1 = t.overview.getViewBox().viewRange()[0]
    assert ov1 - ov0 < 60
    values = t.ov_axis.tickValues(ov0, ov1, t.ov_axis.width() or t.vb.width())
    major_spacing, ticks = values[0]
    labels = t.ov_axis.tickStrings(ticks, 1, major_spacing)
    assert labels and not all(label.isdigit() for label in labels), labels
    assert any(label.startswith(("Mar", "Apr")) for label in labels), labels


def test_one_sector_filtered_labels_most_of_its_events(widget, seed_db):
    """One lane fills the plot: titles go in several rows above and below its glyphs, not only beside them."""
    from partnership_explorer.core.view_fit import without_empty_lanes

    data = without_empty_lanes(_load(seed_db, EventFilter(sectors=("diplomacy",))))
    assert len(data.lanes) == 1
    widget.set_data(data)
    widget.fit_all()
    _paint(widget)
    drawn = {int(data.event_id[row]) for row, _ in widget.glyph_rects}
    grouped = sum(n - 1 for n in widget.glyphs.groups.values())
    labelled = set(_labelled(widget))
    # an event folded into a same-day group shares its group's label
    assert len(labelled) >= 0.8 * (len(drawn) - grouped), (len(labelled), len(drawn), grouped)
    rows_used = {round(rect.top()) for rect, _t, _r in widget.label_rects}
    assert len(rows_used) >= 4
