"""The relationship ladder band and the disagreement bands in the window and in exports (pytest-qt, offscreen)."""

import re

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QImage

from partnership_explorer.core.ingest import ingest_paths
from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.store import Store
from partnership_explorer.core.timeline import to_days
from partnership_explorer.qt.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("no_blocking_dialogs")


@pytest.fixture
def open_window(qtbot, tmp_path):
    windows = []

    def make(db_path):
        window = MainWindow(db_path, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        qtbot.waitUntil(lambda: window.state.view.events is not None and not window.loading()
                        and window.state.view.ladder is not None, timeout=15000)
        windows.append(window)
        return window

    yield make
    for w in windows:
        w.close()


def _riser_scene_x(window, day: float) -> float:
    return window.timeline.vb.mapViewToScene(QPointF(day, 0)).x()


def test_ladder_band_sits_above_the_lanes_and_follows_the_timelines_dates(qtbot, open_window, seed_copy):
    window = open_window(seed_copy)
    band = window.timeline.ladder_band
    assert band.pair == "Vietnam–South Korea"
    assert [(s.start[:4], s.label) for s in band.steps] == [
        ("1992", "Diplomatic relations"), ("2022", "Comprehensive Strategic Partnership")]

    def above_the_lanes():  # a band of its own, above the lanes, once the layout has settled
        shown, plot = band.sceneBoundingRect(), window.timeline.vb.sceneBoundingRect()
        return shown.height() > 30 and shown.bottom() <= plot.top() + 1

    qtbot.waitUntil(above_the_lanes, timeout=5000)
    # the 2022 riser is where the lanes put December 2022, also after zooming
    scale, origin, _l, _r = band._x_map()
    for view in (None, (to_days("2020-01-01"), to_days("2024-01-01"))):
        if view:
            window.timeline.set_x_range(*view)
            qtbot.wait(50)
            scale, origin, _l, _r = band._x_map()
        day = to_days("2022-12-01")
        band_x = band.mapToScene(QPointF(day * scale + origin, 0)).x()
        assert abs(band_x - _riser_scene_x(window, day)) < 1.0
    # the higher level is drawn higher
    top, bottom = 0.0, 100.0
    assert band._level_y(band.steps[1].rank, top, bottom) < band._level_y(band.steps[0].rank, top, bottom)


def test_clicking_a_step_selects_its_events_and_the_panel_lists_each_sources_date(qtbot, open_window, seed_copy):
    window = open_window(seed_copy)
    band = window.timeline.ladder_band
    upgrade = band.steps[1]
    qtbot.waitUntil(lambda: band.sceneBoundingRect().height() > 30, timeout=5000)
    scale, origin, _l, _r = band._x_map()
    local = QPointF((to_days(upgrade.start) + 200) * scale + origin, band.boundingRect().center().y())
    view_pos = window.timeline.glw.mapFromScene(band.mapToScene(local))
    qtbot.mouseClick(window.timeline.glw.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(view_pos.x(), view_pos.y()))
    qtbot.waitUntil(lambda: window.state.selection == tuple(upgrade.event_ids), timeout=5000)
    qtbot.waitUntil(lambda: window.state.view.detail is not None
                    and window.state.view.detail["id"] == upgrade.event_ids[0], timeout=10000)
    text = window.details.fields["source_dates"].text()
    assert text.count("2022") == 3 and "2022-12" in text and "disagree" not in text
    assert "Comprehensive Strategic Partnership" in band.tooltip_for(upgrade)


def test_the_ladder_follows_the_entity_filter(qtbot, open_window, seed_copy):
    window = open_window(seed_copy)
    band = window.timeline.ladder_band
    window.state.update_filter(None, entities=("KT",))
    qtbot.waitUntil(lambda: window.state.view.ladder == (None, []), timeout=10000)
    # the band folds away (its space given back to the lanes) once the window has drawn the empty ladder
    qtbot.waitUntil(lambda: band.maximumHeight() == 0 and window.timeline.above.maximumHeight() == 0, timeout=5000)
    window.state.update_filter(None, entities=("Vietnam",))
    qtbot.waitUntil(lambda: bool(band.steps), timeout=10000)
    qtbot.waitUntil(lambda: band.maximumHeight() > 0, timeout=5000)


@pytest.fixture
def disputed_db(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Vietnam and Japan established diplomatic relations in September 1973.\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("Vietnam and Japan established diplomatic relations in 1974, the embassy said.\n",
                                  encoding="utf-8")
    (folder / "c.txt").write_text("Vietnam and Japan signed a memorandum on rail cooperation on May 3, 2024.\n",
                                  encoding="utf-8")
    (folder / "manifest.csv").write_text("file,published\na.txt,2023-09-21\nb.txt,2023-09-23\nc.txt,2024-05-04\n",
                                         encoding="utf-8")
    db = tmp_path / "d.db"
    with Store(db) as s:
        ingest_paths(s, [folder])
    return db


def test_only_disputed_dates_lists_them_and_the_lanes_draw_the_range_the_sources_span(qtbot, open_window,
                                                                                     disputed_db):
    window = open_window(disputed_db)
    qtbot.waitUntil(lambda: window.state.view.disputes is not None, timeout=10000)
    [span] = window.state.view.disputes
    assert sorted(t for *_x, t in span.sources) == ["1973-09", "1974"]
    assert span.start == to_days("1973-09-01") and span.end == to_days("1975-01-01")
    assert window.timeline.dispute_item.spans == [span]
    assert window.timeline.ladder_band.steps[0].disputed
    total = len(window.state.view.event_rows())
    assert total >= 2
    window.filter_bar.disputed.setChecked(True)
    qtbot.waitUntil(lambda: window.state.filter.disputed and not window.loading()
                    and window.state.view.events.filter == window.state.filter, timeout=10000)
    assert [e["id"] for e in window.state.view.event_rows()] == [span.event_id]
    assert "Disputed dates" in " ".join(window.filter_bar.chip_texts())
    window.state.set_selection([span.event_id], None)
    qtbot.waitUntil(lambda: window.state.view.detail is not None, timeout=10000)
    text = window.details.fields["source_dates"].text()
    assert text.startswith("Sources disagree") and "1973-09" in text and "1974" in text
    window.filter_bar.remove_chip(0)
    qtbot.waitUntil(lambda: not window.state.filter.disputed and not window.filter_bar.disputed.isChecked(),
                    timeout=5000)


def _band_pixels(img: QImage, top: int, bottom: int, left: int, right: int) -> int:
    """Pixels of the ladder's blue in a region."""
    n = 0
    for y in range(top, bottom, 2):
        for x in range(left, right, 4):
            c = img.pixelColor(x, y)
            if c.blue() > 150 and c.red() < 120 and c.green() < 160:
                n += 1
    return n


@pytest.mark.parametrize("dpi", [96, 300])
def test_exports_draw_the_ladder_above_the_lanes_at_any_resolution(qtbot, seed_db, tmp_path, dpi):
    from partnership_explorer.qt.export import export_from_cli

    out = export_from_cli(seed_db, tmp_path / f"l{dpi}.png", EventFilter(), width=1200, height=700, dpi=dpi,
                          title="ladder")
    img = QImage(str(out))
    k = dpi / 96
    assert img.width() == round(1200 * k)
    # the band's outline and fill lie between the title and the lanes: rows 40–110 of the 96-dpi layout
    assert _band_pixels(img, int(40 * k), int(110 * k), int(200 * k), int(1180 * k)) > 20
    svg = export_from_cli(seed_db, tmp_path / "l.svg", EventFilter(), width=1200, height=700).read_text()
    assert "Vietnam–South Korea" in svg and re.search(r"Diplomatic relations · 1992", svg)


def test_a_step_edited_from_the_bands_menu_is_stored_and_survives_rebuilding(qtbot, open_window, seed_copy,
                                                                            monkeypatch):
    from PySide6.QtWidgets import QDialog

    from partnership_explorer.core import relationship as rel
    from partnership_explorer.qt import ladder_band

    window = open_window(seed_copy)
    band = window.timeline.ladder_band
    upgrade = band.steps[1]
    menu = window.ladder_feed.step_menu(upgrade, None)
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Edit step…", "Leave this step out of the ladder", "Add a step…"]

    def accept(dialog):
        dialog.date.setText("2022-12-05")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ladder_band.StepDialog, "exec", accept)
    next(a for a in menu.actions() if a.text() == "Edit step…").trigger()
    qtbot.waitUntil(lambda: [s.date for s in band.steps] == ["1992", "2022-12-05"], timeout=10000)
    assert band.steps[1].status == "edited"
    with Store(seed_copy) as s:
        rel.rebuild(s)
        assert [x.date for x in rel.steps(s, "Vietnam–South Korea")] == ["1992", "2022-12-05"]
    # leaving the 1992 step out
    menu = window.ladder_feed.step_menu(band.steps[0], None)
    next(a for a in menu.actions() if a.text().startswith("Leave")).trigger()
    qtbot.waitUntil(lambda: [s.level for s in band.steps] == ["comprehensive-strategic-partnership"], timeout=10000)
