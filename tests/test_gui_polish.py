"""What a user sees: labels that never cover another event, nothing painted beside the plot, readable filter
chips, the status bar, the overview window, the splitter, the icon and a quiet export (pytest-qt, offscreen)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPointF, QSettings
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QGraphicsItem

from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.store import Store
from partnership_explorer.core.timeline import REJECTED, load_timeline, to_days
from partnership_explorer.qt.filter_bar import FilterBar, mnemonic_safe
from partnership_explorer.qt.state import ExplorerState
from partnership_explorer.qt.theme import Theme
from partnership_explorer.qt.timeline import TimelineWidget

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seed_data(seed_db):
    with Store(seed_db, create=False, readonly=True) as s:
        return load_timeline(s, EventFilter())


@pytest.fixture
def seed_widget(qtbot, seed_data):
    w = TimelineWidget(ExplorerState())
    qtbot.addWidget(w)
    w.resize(1100, 620)
    w.show()
    qtbot.waitExposed(w)
    w.set_data(seed_data)
    return w


def _paint(w) -> QImage:
    w.update_lod()
    return w.glw.grab().toImage()


VIEWS = {
    "all": None,
    "2022-2026": ("2022-01-01", "2026-12-31"),
    "2025": ("2025-01-01", "2025-12-31"),
    "summer 2025": ("2025-07-15", "2025-09-15"),
    "2010s": ("2008-01-01", "2013-12-31"),
}


@pytest.mark.parametrize("size", [(1100, 620), (800, 420), (1600, 1000)])
@pytest.mark.parametrize("view", list(VIEWS))
def test_labels_never_cover_another_glyph_or_label(qtbot, seed_data, view, size):
    w = TimelineWidget(ExplorerState())
    qtbot.addWidget(w)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    w.set_data(seed_data)
    if VIEWS[view] is None:
        w.fit_all()
    else:
        a, b = VIEWS[view]
        w.set_x_range(to_days(a), to_days(b) + 1)
    _paint(w)
    glyphs, labels = w.glyph_rects, w.label_rects
    assert glyphs, "the seed events are drawn"
    assert w.placed_labels == len(labels)
    plot = w.vb.sceneBoundingRect()
    # a relationship milestone's label may be drawn over the crowd (it always has one); no other label is
    above_crowd = {i for i, label in enumerate(w.glyphs.labels) if label.priority}
    assert all(int(w.data.event_id[w.glyphs.labels[i].row]) in w.data.milestone_ids for i in above_crowd)
    for i, (rect, text, row) in enumerate(labels):
        assert text and rect.width() > 0
        assert plot.adjusted(-1, -1, 1, 1).contains(rect), (text, rect, plot)
        for other_row, g in glyphs:
            if other_row != row and i not in above_crowd:
                assert not rect.intersects(g), f"label {text!r} covers the glyph of row {other_row}"
        for rect2, text2, _ in labels[i + 1:]:
            assert not rect.intersects(rect2), f"labels {text!r} and {text2!r} overlap"


def test_labels_are_placed_where_there_is_room(seed_widget):
    w = seed_widget
    w.fit_all()
    _paint(w)
    assert w.placed_labels >= 8
    texts = [t for _, t, _ in w.label_rects]
    assert any(t.startswith("Vietnam–South Korea diplomatic") for t in texts)


def test_label_beside_a_marker_starts_after_its_ring(seed_widget):
    """A day marker's label goes to its right (the ring around the marker must not block it)."""
    w = seed_widget
    w.set_x_range(to_days("2025-01-01"), to_days("2026-01-01"))
    _paint(w)
    marker_rows = {row for row in w.glyph_rows.tolist() if w.data.precision[row] == 0 and not w.data.is_range[row]}
    assert marker_rows
    assert any(row in marker_rows for _, _, row in w.label_rects)


def _lane_colour_columns(img: QImage, w, x_from: float, x_to: float) -> dict[str, list[int]]:
    """For each lane, the x of pixels in [x_from, x_to) around its centre line that have the lane's colour."""
    found = {}
    for i, lane in enumerate(w.data.lanes):
        c = QColor(lane.color)
        if c.hsvSaturation() < 80:
            continue  # a grey lane colour is also the anti-aliased edge of the lane names
        yc = int(round(w.vb.mapViewToScene(QPointF(0, i)).y()))
        xs = []
        for yy in range(yc - 3, yc + 4):
            if not 0 <= yy < img.height():
                continue
            for x in range(max(0, int(x_from)), min(img.width(), int(x_to))):
                p = img.pixelColor(x, yy)
                if abs(p.red() - c.red()) + abs(p.green() - c.green()) + abs(p.blue() - c.blue()) < 40:
                    xs.append(x)
        found[lane.name] = xs
    return found


@pytest.mark.parametrize("view", ["all", "2025"])
def test_nothing_is_painted_beside_the_plot(seed_widget, view):
    """Left of the plot only the legend swatch of each lane has the lane's colour."""
    w = seed_widget
    if view == "2025":
        w.set_x_range(to_days("2025-01-01"), to_days("2026-01-01"))
    img = _paint(w)
    for item in (w.glyphs, w.overlay, w.background):
        assert item.flags() & QGraphicsItem.GraphicsItemFlag.ItemClipsToShape
    plot_left = w.vb.sceneBoundingRect().left()
    swatch = w.lane_axis.swatch
    for name, xs in _lane_colour_columns(img, w, 0, plot_left - 1).items():
        if xs:  # the swatch, and nothing else
            assert max(xs) - min(xs) <= swatch + 2, (name, sorted(set(xs)))


def test_glyph_geometry_stays_near_the_view_at_deep_zoom(seed_widget):
    """Bars that run far beyond the view are cut a few pixels past its edges (no huge coordinates)."""
    w = seed_widget
    w.set_x_range(to_days("2025-08-10"), to_days("2025-08-14"))
    _paint(w)
    plot = w.vb.sceneBoundingRect()
    for _, r in w.glyph_rects:
        assert r.left() >= plot.left() - 30 and r.right() <= plot.right() + 30


def test_overview_window_is_a_light_wash_of_the_palette_highlight(qtbot, seed_data):
    for theme in (Theme.light(), Theme.dark_theme()):
        w = TimelineWidget(ExplorerState(), theme=theme)
        qtbot.addWidget(w)
        w.set_data(seed_data)
        brush = w.region.brush.color()
        assert 20 <= brush.alpha() <= 64
        assert brush.rgb() == theme.accent.rgb()
        assert all(line.markers for line in w.region.lines)  # edge handles


def test_overview_window_follows_the_palette(qtbot):
    from partnership_explorer.qt.app import dark_palette

    pal = dark_palette()
    theme = Theme.from_palette(pal)
    assert theme.dark and theme.accent.name() == "#3d7bd9"


def test_mnemonic_safe():
    assert mnemonic_safe("Digital & telecom") == "Digital && telecom"
    assert mnemonic_safe("no ampersand") == "no ampersand"


def test_sector_chip_shows_the_ampersand(qtbot):
    state = ExplorerState()
    names = {"digital": "Digital & telecom", "energy": "Energy & nuclear"}
    bar = FilterBar(state, lambda k: names.get(k, k))
    qtbot.addWidget(bar)
    state.update_filter(None, sectors=("digital", "energy"))
    buttons = [bar.chips.itemAt(i).widget() for i in range(bar.chips.count()) if bar.chips.itemAt(i).widget()]
    assert buttons[0].text() == "Sector: Digital && telecom  ✕"   # '&&' is drawn as one '&'
    assert bar.chip_texts()[:2] == ["Sector: Digital & telecom  ✕", "Sector: Energy & nuclear  ✕"]


@pytest.fixture
def main_window(qtbot, seed_copy, tmp_path):
    from partnership_explorer.qt.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(seed_copy, settings=settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitUntil(lambda: window.state.view.events is not None and not window.loading(), timeout=10000)
    yield window
    window.close()


def test_status_bar_always_says_n_of_m(qtbot, main_window):
    w = main_window
    total = w.state.view.total
    assert w.count_label.text() == f"{total} of {total} events"
    w.state.update_filter(None, sectors=("energy",))
    qtbot.waitUntil(lambda: not w.loading() and w.state.view.events.filter == w.state.filter, timeout=10000)
    assert w.count_label.text() == f"{w.state.view.events.shown} of {total} events"


def test_timeline_gets_about_two_thirds_of_the_height(main_window):
    top, bottom = main_window.splitter.sizes()
    assert 0.55 <= top / (top + bottom) <= 0.75


def test_recent_database_with_ampersand_in_the_menu(main_window, tmp_path):
    from partnership_explorer.core.store import Store

    path = tmp_path / "R&D" / "a&b.db"
    path.parent.mkdir()
    Store(path).close()
    assert main_window.open_database(path)
    text = main_window.settings.recent_menu.actions()[0].text()
    assert "a&&b.db" in text and "R&&D" in text


def test_app_icon_exists_and_loads(qtbot):
    from PySide6.QtSvg import QSvgRenderer

    from partnership_explorer.core.paths import resources_dir
    from partnership_explorer.qt.app import app_icon

    svg = resources_dir() / "icons" / "app.svg"
    png = resources_dir() / "icons" / "app.png"
    assert QSvgRenderer(str(svg)).isValid()
    img = QImage(str(png))
    assert (img.width(), img.height()) == (256, 256)
    icon = app_icon()
    assert not icon.isNull()
    assert not icon.pixmap(16, 16).isNull()


def test_export_command_is_quiet(seed_db, tmp_path):
    out = tmp_path / "t.png"
    r = subprocess.run([sys.executable, "-m", "partnership_explorer", "export", "--db", str(seed_db), "--out", str(out),
                        "--title", "Vietnam–South Korea, 1992–2045"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_size > 10_000
    assert "propagateSizeHints" not in r.stderr
    assert r.stderr.strip() == ""


def test_qt_message_filter_passes_other_messages(capfd):
    from PySide6.QtCore import QtMsgType

    from partnership_explorer.qt import export

    saved = export._previous_handler
    export._previous_handler = None
    try:
        export._qt_message_handler(QtMsgType.QtWarningMsg, None, "This plugin does not support propagateSizeHints()")
        export._qt_message_handler(QtMsgType.QtWarningMsg, None, "something else went wrong")
    finally:
        export._previous_handler = saved
    err = capfd.readouterr().err
    assert "propagateSizeHints" not in err and "something else went wrong" in err


def test_tooltip_has_title_date_sectors_and_sources(seed_widget):
    w = seed_widget
    data = w.data
    row = int(np.flatnonzero(data.n_sources > 1)[0])
    text = w.tooltip_text(int(data.event_id[row]))
    assert data.titles[int(data.event_id[row])].split("&")[0][:20] in text.replace("&amp;", "&")
    assert f"{int(data.n_sources[row])} sources" in text
    assert data.lanes[int(data.lane[row])].name.replace("&", "&amp;") in text


def test_keys_reach_the_timeline(qtbot, seed_widget):
    from PySide6.QtCore import Qt

    w = seed_widget
    w.setFocus()
    x0, x1 = w.x_range()
    qtbot.keyClick(w.glw, Qt.Key.Key_Plus)
    a0, a1 = w.x_range()
    assert a1 - a0 < x1 - x0
    qtbot.keyClick(w.glw, Qt.Key.Key_Left)
    assert w.x_range()[0] < a0
    qtbot.keyClick(w.glw, Qt.Key.Key_0)
    assert w.x_range() == pytest.approx(w.full_range())
    qtbot.keyClick(w.glw, Qt.Key.Key_Minus)
    assert w.x_range()[1] - w.x_range()[0] > x1 - x0


@pytest.mark.parametrize("width", [50, 60, 70, 80, 90, 110])
def test_lane_swatches_stay_inside_a_narrow_axis(qtbot, seed_widget, width):
    """While the lane axis is narrower than the names (as at start-up), swatches are not painted left of it:
    pixels there are not repainted later and linger beside the lane names."""
    from PySide6.QtGui import QPainter

    w = seed_widget
    axis = w.lane_axis
    axis.setWidth(width)
    qtbot.waitUntil(lambda: abs(axis.boundingRect().width() - width) < 1, timeout=2000)
    br = axis.boundingRect()
    pad = 300
    img = QImage(int(br.width()) + pad, int(br.height()), QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.translate(pad - br.left(), -br.top())
    axis.picture = None  # draw afresh at this width
    axis.paint(p, None, None)
    p.end()
    colours = np.array([QColor(lane.color).getRgb()[:3] for lane in w.data.lanes
                        if QColor(lane.color).hsvSaturation() >= 80])
    img = img.convertToFormat(QImage.Format.Format_RGB888)
    rgb = np.frombuffer(bytes(img.constBits()), np.uint8)[: img.bytesPerLine() * img.height()]
    rgb = rgb.reshape(img.height(), img.bytesPerLine())[:, : img.width() * 3].reshape(img.height(), img.width(), 3)
    strip = rgb[:, : pad - 1].astype(int)
    outside = int(sum((np.abs(strip - k).sum(axis=2) < 40).sum() for k in colours))
    assert outside == 0


def test_a_pan_paints_the_window_once(seed_widget, qtbot):
    """A view change re-aggregates and repaints once (pyqtgraph applies a new range at the start of the next
    paint, which used to invalidate the view again and paint every frame twice)."""
    from PySide6.QtCore import QEvent, QObject

    w = seed_widget
    qtbot.wait(50)
    paints = []

    class Count(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint:
                paints.append(1)
            return False

    counter = Count()
    w.glw.viewport().installEventFilter(counter)
    try:
        for step in (0.1, -0.1, 0.25):
            paints.clear()
            w.pan(step)
            qtbot.wait(30)
            assert len(paints) == 1, f"{len(paints)} paints for one pan"
    finally:
        w.glw.viewport().removeEventFilter(counter)


def test_screen_markers_sit_at_their_events_in_lane_colour(seed_widget):
    """Markers drawn from pre-drawn sprites on screen: the pixel at each marker's centre has its lane's colour
    (confirmed or suggested events; rejected ones are hollow)."""
    w = seed_widget
    w.set_x_range(to_days("2025-01-01"), to_days("2026-01-01"))
    img = _paint(w)
    rows, boxes = [], []
    for lane_rows, x0, y0, x1, y1 in w.glyphs.boxes:
        for r, a, b, c, d in zip(lane_rows.tolist(), x0.tolist(), y0.tolist(), x1.tolist(), y1.tolist()):
            if w.data.precision[r] == 0 and not w.data.is_range[r] and w.data.status[r] != REJECTED:
                rows.append(r)
                boxes.append(((a + c) / 2, (b + d) / 2))
    assert rows
    dpr = img.devicePixelRatio()
    hits = 0
    for r, (x, y) in zip(rows, boxes):
        want = QColor(w.data.lanes[int(w.data.lane[r])].color)
        got = img.pixelColor(int(round(x * dpr)), int(round(y * dpr)))
        if abs(got.red() - want.red()) + abs(got.green() - want.green()) + abs(got.blue() - want.blue()) < 30:
            hits += 1
    # a marker can sit under another event's marker of another lane colour only if they overlap: nearly all show
    assert hits >= 0.8 * len(rows), (hits, len(rows))


def test_labels_travel_with_their_events_while_panning_then_are_placed_again(seed_widget, qtbot):
    """While the view is being panned, each label moves exactly as its event does (no re-placement each
    frame); once the view rests, labels are placed again for the new view: inside the plot, covering nothing."""
    w = seed_widget
    w.set_x_range(to_days("2025-01-01"), to_days("2026-01-01"))
    qtbot.waitUntil(lambda: not w.moving, timeout=10000)   # at rest: labels placed for this view
    _paint(w)
    before = {row: rect for rect, _text, row in w.label_rects}
    glyph_x = {row: g.center().x() for row, g in w.glyph_rects}
    assert before and not w.glyphs.labels_shifted
    w.pan(0.05)
    _paint(w)                                         # within the motion: labels moved, not placed
    assert w.glyphs.labels_shifted
    moved = {row: g.center().x() for row, g in w.glyph_rects}
    # markers (day events) move by the pan exactly; bars may be cut at the view's edges
    markers = [r for r in moved if r in glyph_x and w.data.precision[r] == 0 and not w.data.is_range[r]]
    assert markers
    dx = moved[markers[0]] - glyph_x[markers[0]]
    assert all(abs(moved[r] - glyph_x[r] - dx) < 0.01 for r in markers)
    assert w.label_rects
    for rect, _text, row in w.label_rects:
        assert abs((rect.left() - before[row].left()) - dx) < 0.01
    qtbot.waitUntil(lambda: not w.moving, timeout=10000)
    _paint(w)
    assert not w.glyphs.labels_shifted
    plot = w.vb.sceneBoundingRect()
    glyphs = w.glyph_rects
    for rect, text, row in w.label_rects:
        assert plot.adjusted(-1, -1, 1, 1).contains(rect), text
        assert not any(rect.intersects(g) for other, g in glyphs if other != row), text
