"""The indicator row in the window and in exports (pytest-qt, offscreen)."""

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from partnership_explorer.core import curation
from partnership_explorer.core import indicators as ind
from partnership_explorer.core.changes import Changes
from partnership_explorer.core.store import Store
from partnership_explorer.core.timeline import load_timeline, to_days
from partnership_explorer.qt.export import export_image
from partnership_explorer.qt.indicator_row import export_band
from partnership_explorer.qt.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("no_blocking_dialogs")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _open(qtbot, path, settings):
    window = MainWindow(path, settings=settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitUntil(lambda: window.state.view.events is not None and not window.loading()
                    and bool(window.indicators.row.series), timeout=15000)
    return window


def _trade(row):
    return next(s for s in row.series if s.metric == "trade")


def _viewport_pos(window, row, point, series) -> QPoint:
    top = max(p.quantity for s in row.shown if s.unit == series.unit for p in s.points)
    scene = row.vb.mapViewToScene(QPointF(to_days(point.middle), point.quantity / top))
    return window.timeline.glw.mapFromScene(scene)


def test_the_row_sits_above_the_lanes_on_their_time_axis(qtbot, seed_copy, settings):
    window = _open(qtbot, seed_copy, settings)
    row, timeline = window.indicators.row, window.timeline
    assert row.isVisible()
    qtbot.waitUntil(lambda: row.sceneBoundingRect().bottom() <= timeline.plot.sceneBoundingRect().top() + 1,
                    timeout=3000)
    assert row.sceneBoundingRect().height() >= 100
    qtbot.waitUntil(lambda: row.vb.sceneBoundingRect().left() == pytest.approx(
        timeline.vb.sceneBoundingRect().left(), abs=1.5), timeout=3000)
    assert row.vb.viewRange()[0] == pytest.approx(timeline.vb.viewRange()[0])
    timeline.zoom(2.0)
    qtbot.waitUntil(lambda: row.vb.viewRange()[0] == pytest.approx(timeline.vb.viewRange()[0]), timeout=3000)
    # the points line up with the lanes' dates: the 1992 point is left of the 2024 one, both inside the row
    trade = _trade(row)
    assert [p.period for p in trade.points] == ["1992", "2024", "2030"]
    window.close()


def test_clicking_a_point_selects_its_source_event_and_hover_shows_the_figure(qtbot, seed_copy, settings):
    window = _open(qtbot, seed_copy, settings)
    row = window.indicators.row
    window.timeline.fit_all()
    qtbot.wait(50)
    row.item.update()
    qtbot.waitUntil(lambda: len(row.item.hits) >= 4, timeout=3000)
    trade = _trade(row)
    first = trade.points[0]
    pos = _viewport_pos(window, row, first, trade)
    hit = row.point_at(window.timeline.glw.mapToScene(pos))
    assert hit is not None and hit[1] is first
    text = row.tooltip_text(*hit)
    assert "$500 million" in text and "1992" in text and "Trade between South Korea and Vietnam" in text
    QTest.mouseClick(window.timeline.glw.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    qtbot.waitUntil(lambda: window.state.selection == (first.event_ids[0],), timeout=3000)
    window.close()


def test_chosen_series_are_remembered_and_the_row_follows_curation(qtbot, seed_copy, settings):
    window = _open(qtbot, seed_copy, settings)
    ctl = window.indicators
    fdi = next(s for s in ctl.row.series if s.metric == "fdi")
    ctl.set_shown(fdi.key, False)
    assert [s.metric for s in ctl.row.shown] == ["trade"]
    ctl._fill_menu()
    labels = {a.text(): a.isChecked() for a in ctl.menu.actions() if a.isCheckable()}
    assert labels["Show indicator row"] is True
    assert any(t.startswith("FDI") and not on for t, on in labels.items())
    # another program rejects the 1992 figure: the point goes
    first = _trade(ctl.row).points[0]
    with Store(seed_copy) as store:
        curation.reject(store, first.event_ids[0])
    window.state.notify_data_changed(Changes((first.event_ids[0],), status=True))
    qtbot.waitUntil(lambda: [p.period for p in _trade(ctl.row).points] == ["2024", "2030"], timeout=10000)
    window.close()
    again = _open(qtbot, seed_copy, settings)
    assert [s.metric for s in again.indicators.row.shown] == ["trade"]
    again.indicators.set_enabled(False)
    assert not again.indicators.row.isVisible() and again.indicators.shown_series() == []
    again.close()


def test_exports_draw_the_row_as_vector_text_and_paths(seed_db, tmp_path):
    with Store(seed_db, readonly=True) as store:
        data = load_timeline(store)
        series = ind.load_series(store)
    svg = export_image(data, tmp_path / "a.svg", bands=(export_band(series),))
    text = Path(svg).read_text(encoding="utf-8")
    assert "$86.7 billion" in text and "$150 billion (target)" in text and "Bilateral trade" in text
    plain = export_image(data, tmp_path / "plain.png")
    with_row = export_image(data, tmp_path / "row.png", bands=(export_band(series),))
    hi = export_image(data, tmp_path / "row300.png", dpi=300, bands=(export_band(series),))
    a, b, c = QImage(str(plain)), QImage(str(with_row)), QImage(str(hi))
    assert a.size() == b.size() and a != b
    assert c.width() == round(b.width() * 300 / 96)


def test_a_database_without_figures_gets_no_row_above_the_lanes(qtbot, db_path, settings):
    """No dated figures: nothing is stacked above the lanes (the row is not even made while the window is built),
    and View → Indicators says there are none."""
    from partnership_explorer.qt.indicator_row import IndicatorRow

    window = MainWindow(db_path, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.state.view.events is not None and not window.loading(), timeout=15000)
    assert not any(isinstance(band, IndicatorRow) for band in window.timeline.bands)
    assert window.indicators.shown_series() == []
    window.indicators._fill_menu()
    assert [a.text() for a in window.indicators.menu.actions() if not a.isSeparator()][1] == \
        "No dated figures under this filter"
    window.close()


def _crowded_series(n: int = 10) -> list[ind.Series]:
    """``n`` series with a figure each in 2024 (one is a target) and one more each in 2023: a crowded year."""
    out = []
    for k in range(n):
        pts = [ind.Point("2023", "year", dt.date(2023, 1, 1), dt.date(2023, 12, 31), 10.0 + 3 * k, False,
                         [f"${10 + 3 * k} billion"], [1], []),
               ind.Point("2024", "year", dt.date(2024, 1, 1), dt.date(2024, 12, 31), 12.0 + 3 * k, k == 3,
                         [f"${12 + 3 * k}.5 billion"], [1], [])]
        out.append(ind.Series(f"trade|{k}", "trade", f"Trade, series {k}", "USD", True, None, None, None, False,
                              pts))
    return out


def test_a_crowded_row_paints_its_figures_without_one_over_another(qtbot, seed_copy, settings, tmp_path):
    window = _open(qtbot, seed_copy, settings)
    row = window.indicators.row
    crowd = _crowded_series()
    row.set_series(crowd, chosen={s.key for s in crowd})     # ten series turned on by hand
    window.timeline.set_x_range(to_days(dt.date(2018, 1, 1)), to_days(dt.date(2030, 1, 1)))
    row.item.update()
    qtbot.waitUntil(lambda: len(row.item.hits) == 20 and bool(row.item.labels), timeout=5000)
    _assert_apart(row)
    window.close()
    # an export draws the row through the same paint: the same rule at 2x
    made = []

    def attach(widget):
        export_band(_crowded_series())(widget)
        made.append(widget.bands[-1])

    with Store(seed_copy, readonly=True) as store:
        data = load_timeline(store)
    export_image(data, tmp_path / "crowded.png", dpi=192, bands=(attach,),
                 x_range=(to_days(dt.date(2018, 1, 1)), to_days(dt.date(2030, 1, 1))))
    assert made and len(made[0].item.hits) == 20
    _assert_apart(made[0])


def _assert_apart(row):
    placed = list(row.item.labels)
    frame = row.item.sceneTransform().mapRect(row.vb.viewRect())
    assert len(placed) >= 4                      # some figures are written...
    assert len(placed) < 20                      # ...and in a crowded year not all of them: the tooltip has those
    for i, (a, _) in enumerate(placed):
        assert frame.contains(a)                 # inside the row
        for b, _ in placed[i + 1:]:
            assert not a.intersects(b)           # never one over another


def test_the_tooltip_names_every_figure_under_the_cursor(qtbot, seed_copy, settings):
    """Figures on one spot (one year, the top of their scales): the tooltip names each, nearest first."""
    window = _open(qtbot, seed_copy, settings)
    row = window.indicators.row
    series = _crowded_series(3)
    for k, s in enumerate(series):          # three series, each its own unit: every 2024 figure tops its scale
        s.unit = f"U{k}"
    row.set_series(series)
    window.timeline.set_x_range(to_days(dt.date(2018, 1, 1)), to_days(dt.date(2030, 1, 1)))
    row.item.update()
    qtbot.waitUntil(lambda: len(row.item.hits) == 6, timeout=5000)
    top = series[0].points[1]
    scene = row.vb.mapViewToScene(QPointF(to_days(top.middle), 1.0))
    hits = row.points_at(scene)
    # nearest first, and on one spot the one drawn on top (the largest of the latest figures) first
    assert [pt.figures[0] for _, pt in hits] == ["$18.5 billion", "$15.5 billion", "$12.5 billion"]
    labelled = [text for _, text in row.item.labels if text in {"$18.5 billion", "$15.5 billion", "$12.5 billion"}]
    assert labelled == ["$18.5 billion"]     # the two under it get no label of their own: the tooltip names them
    text = row.tooltips_text(hits)
    assert text.count("<hr>") == 2 and "Trade, series 0, 2024" in text
    assert row.point_at(scene) == hits[0]
    window.close()


def test_series_past_seven_share_a_colour_but_not_a_marker(qtbot):
    from partnership_explorer.qt.indicator_row import marker_path, series_color, series_marker

    pairs = {(series_color(i).name(), series_marker(i)) for i in range(28)}
    assert len(pairs) == 28                          # 28 series: every one told apart in the row and its legend
    assert series_color(0) == series_color(7) and series_marker(0) != series_marker(7)
    shapes = {m: marker_path(QPointF(10, 10), 4.5, m) for m in ("circle", "square", "diamond", "triangle")}
    assert all(path.boundingRect().width() > 6 for path in shapes.values())
    assert len({path.elementCount() for path in shapes.values()}) > 1


def test_a_database_of_many_series_draws_a_few_legibly_and_the_menu_turns_others_on(qtbot, seed_copy, settings):
    """Dozens of series (a database of many pairs): the row draws :data:`AUTO_SERIES` of them, its legend names
    them and ends "+ N more"; View → Indicators lists them all and turns one more on (remembered)."""
    window = _open(qtbot, seed_copy, settings)
    ctl = window.indicators
    row = ctl.row
    crowd = _crowded_series(30)
    row.set_series(crowd)
    assert len(row.shown) == ind.AUTO_SERIES
    window.timeline.set_x_range(to_days(dt.date(2018, 1, 1)), to_days(dt.date(2030, 1, 1)))
    row.item.update()
    qtbot.waitUntil(lambda: len(row.item.hits) == 2 * ind.AUTO_SERIES, timeout=5000)
    frame = row.item.sceneTransform().mapRect(row.vb.viewRect())
    from PySide6.QtGui import QFontMetricsF

    legend = row.legend_layout(frame.left(), frame.right(), QFontMetricsF(row.label_font()))
    assert [it.text for it in legend if it.index < 0] == [f"+ {30 - ind.AUTO_SERIES} more"]
    assert len([it for it in legend if it.index >= 0]) == ind.AUTO_SERIES     # every series drawn is named
    ctl._fill_menu()
    checks = [a for a in ctl.menu.actions() if a.isCheckable()][1:]
    assert len(checks) == 30 and sum(a.isChecked() for a in checks) == ind.AUTO_SERIES
    extra = crowd[10]
    ctl.set_shown(extra.key, True)
    assert extra in row.shown and len(row.shown) == ind.AUTO_SERIES + 1
    assert extra.key in settings.value(ctl.SETTINGS_CHOSEN)
    ctl.set_shown(row.shown[0].key, False)             # one off: no other comes in for it
    assert len(row.shown) == ind.AUTO_SERIES and extra in row.shown
    ctl.choose_automatically()
    assert len(row.shown) == ind.AUTO_SERIES and extra not in row.shown
    window.close()
