"""qt.export: PNG / SVG / PDF pictures of the timeline, offscreen."""

import os
import xml.etree.ElementTree as ET

import pytest

from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.timeline import load_timeline, synthetic
from partnership_explorer.qt.export import ExportError, ensure_app, export_from_cli, export_image

from test_timeline_core import small_store  # noqa: F401  (fixture)


@pytest.fixture
def data(small_store):  # noqa: F811
    store, _ = small_store
    return load_timeline(store, EventFilter())


def _colors(img):
    from PySide6.QtGui import QColor

    seen = set()
    step = 3
    for y in range(0, img.height(), step):
        for x in range(0, img.width(), step):
            c = QColor(img.pixel(x, y))
            seen.add((c.red(), c.green(), c.blue()))
    return seen


def _near(colors, hex_color, tol=40):
    from PySide6.QtGui import QColor

    c = QColor(hex_color)
    return any(abs(r - c.red()) + abs(g - c.green()) + abs(b - c.blue()) <= tol for r, g, b in colors)


def test_png_has_requested_size_and_content(data, tmp_path):
    from PySide6.QtGui import QImage

    out = export_image(data, tmp_path / "t.png", width=1000, height=640, title="Test export", dpi=150)
    img = QImage(str(out))
    # 1000 × 640 px of 1/96 inch at 150 dpi: the same picture with 150/96 the pixels
    assert (img.width(), img.height()) == (1562, 1000)
    colors = _colors(img)
    assert len(colors) > 30
    for lane in data.lanes[:3]:  # lane swatches / glyphs in the sector colours
        assert _near(colors, lane.color), lane
    assert abs(img.dotsPerMeterX() - 150 / 0.0254) < 2


def test_png_dark_palette(data, tmp_path):
    from PySide6.QtGui import QColor, QImage

    out = export_image(data, tmp_path / "dark.png", width=600, height=400, palette="dark")
    img = QImage(str(out))
    assert QColor(img.pixel(2, 2)).lightness() < 60


def test_svg_is_vector_with_lane_names(data, tmp_path):
    out = export_image(data, tmp_path / "t.svg", width=1200, height=700, title="Seed")
    root = ET.parse(out).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    paths = root.iter(f"{ns}path")
    assert sum(1 for _ in paths) >= 5
    texts = {"".join(t.itertext()).strip() for t in root.iter(f"{ns}text")}
    for lane in data.lanes:
        assert lane.name in texts
    assert "Seed" in texts
    assert "Diplomatic relations 1992–" in texts  # era label
    assert not list(root.iter(f"{ns}image"))  # events are paths, not pictures


def test_pdf(data, tmp_path):
    out = export_image(data, tmp_path / "t.pdf", width=1200, height=700)
    payload = out.read_bytes()
    assert payload.startswith(b"%PDF") and len(payload) > 1024


def test_dense_data_exports(tmp_path):
    data = synthetic(50_000, 6, seed=2)
    out = export_image(data, tmp_path / "dense.png", width=800, height=500)
    from PySide6.QtGui import QImage

    assert QImage(str(out)).size().width() == 800


def test_errors(data, tmp_path):
    with pytest.raises(ExportError, match="no such folder"):
        export_image(data, tmp_path / "missing" / "t.png")
    with pytest.raises(ExportError, match="unknown image type"):
        export_image(data, tmp_path / "t.gif")
    with pytest.raises(ExportError):
        export_image(data, tmp_path / "t")
    with pytest.raises(ExportError, match="is a folder"):
        (tmp_path / "d.png").mkdir()
        export_image(data, tmp_path / "d.png")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder(data, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="not writable"):
            export_image(data, ro / "t.png")
    finally:
        ro.chmod(0o700)


def test_disk_full(data, tmp_path, monkeypatch):
    import errno
    import os

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    (tmp_path / "t.png").write_bytes(b"the old picture")
    monkeypatch.setattr(os, "fsync", full)  # the file system says so when the data is flushed
    with pytest.raises(ExportError, match="disk full"):
        export_image(data, tmp_path / "t.png", width=300, height=200)
    monkeypatch.undo()
    assert (tmp_path / "t.png").read_bytes() == b"the old picture"  # the old file stays whole
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".") or p.suffix == ".png"] == ["t.png"]


def test_export_from_cli(small_store, tmp_path):  # noqa: F811
    store, _ = small_store
    store.db.conn.commit()  # another connection reads the file
    out = export_from_cli(store.path, tmp_path / "cli.svg", EventFilter(sectors=("energy",)), width=900, height=500)
    root = ET.parse(out).getroot()
    texts = {"".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert "Energy & nuclear" in texts and "AI" not in texts
    assert any("2 events" in t for t in texts)


def test_ensure_app():
    assert ensure_app() is ensure_app()


def test_unwritable_folder_reported(data, tmp_path, monkeypatch):
    import partnership_explorer.qt.export as export

    monkeypatch.setattr(export.os, "access", lambda path, mode: False)
    with pytest.raises(ExportError, match="not writable"):
        export_image(data, tmp_path / "t.png")


def _pixels(path):
    """An image file as a (height, width, 3) float array."""
    import numpy as np
    from PySide6.QtGui import QImage

    img = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB888)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    return arr[:, : img.width() * 3].reshape(img.height(), img.width(), 3).astype(float)


def test_png_resolution_is_the_same_picture_sharper(data, tmp_path):
    """288 dpi has 3× the pixels of 96 dpi and, averaged back down, is the same picture."""
    low = _pixels(export_image(data, tmp_path / "96.png", width=900, height=520, dpi=96, title="Same"))
    high = _pixels(export_image(data, tmp_path / "288.png", width=900, height=520, dpi=288, title="Same"))
    assert low.shape == (520, 900, 3) and high.shape == (1560, 2700, 3)
    down = high.reshape(520, 3, 900, 3, 3).mean(axis=(1, 3))
    diff = abs(down - low).mean()
    assert diff < 2.5, diff          # antialiasing and text hinting differ a little, nothing moves
    # the comparison can fail: a picture shifted by a few pixels is far off
    assert abs(down[:, 4:] - low[:, :-4]).mean() > 2 * diff


def test_physical_size_of_every_format(data, tmp_path):
    from PySide6.QtGui import QImage

    png = QImage(str(export_image(data, tmp_path / "a.png", width="17cm", height="4in", dpi=300)))
    assert (png.width(), png.height()) == (round(17 / 2.54 * 300), 1200)
    assert abs(png.dotsPerMeterX() - 300 / 0.0254) < 2
    root = ET.parse(export_image(data, tmp_path / "a.svg", width="170mm", height="4in", dpi=300)).getroot()
    assert (root.get("width"), root.get("height")) == ("170.000mm", "101.600mm")
    payload = export_image(data, tmp_path / "a.pdf", width="17cm", height="4in", dpi=150).read_bytes()
    import re

    box = [float(v) for v in re.search(rb"/MediaBox \[([^\]]+)\]", payload).group(1).split()]
    assert abs(box[2] - box[0] - 17 / 2.54 * 72) < 0.5 and abs(box[3] - box[1] - 4 * 72) < 0.5


def _svg_lane_offsets(root, lanes):
    """For each lane with events: vertical distance from its name on the left to its events' glyphs."""
    import re

    ns = "{http://www.w3.org/2000/svg}"

    def dy(g):
        m = re.search(r"matrix\(([^)]*)\)", g.get("transform", ""))
        a, b, c, d, e, f = (float(v) for v in m.group(1).split(",")) if m else (1, 0, 0, 1, 0, 0)
        return d, f

    label_y: dict[str, float] = {}
    glyph_y: dict[str, list[float]] = {}
    colors = {lane.color.lower(): lane.name for lane in lanes}
    for g in root.iter(f"{ns}g"):
        d, f = dy(g)
        for t in g.findall(f"{ns}text"):
            name = "".join(t.itertext()).strip()
            if name in colors.values():
                size = float(t.get("font-size", g.get("font-size", "10")))
                centre = (float(t.get("y")) - 0.35 * size) * d + f
                label_y[name] = min(label_y.get(name, 1e9), centre)   # the lane axis is above the legend
        name = colors.get((g.get("fill") or "").lower())
        if name is not None and g.get("fill-opacity") not in (None, "1"):   # event glyphs have a soft fill
            for path in g.findall(f"{ns}path"):
                ys = [float(v) for v in re.findall(r"[-0-9.]+,([-0-9.]+)", path.get("d", ""))]
                if ys:
                    glyph_y.setdefault(name, []).append((min(ys) + max(ys)) / 2 * d + f)
    return {name: min(abs(y - label_y[name]) for y in ys) for name, ys in glyph_y.items() if name in label_y}


@pytest.mark.parametrize("dpi", [96, 150, 300])
def test_svg_lane_names_beside_their_lanes(data, tmp_path, dpi):
    root = ET.parse(export_image(data, tmp_path / "l.svg", width=1100, height=620, dpi=dpi)).getroot()
    offsets = _svg_lane_offsets(root, data.lanes)
    assert len(offsets) >= 3, offsets
    pitch = (620 - 200) / len(data.lanes)
    assert max(offsets.values()) < pitch / 3, offsets


def test_export_from_cli_leaves_out_empty_lanes_of_a_filtered_view(small_store, tmp_path):  # noqa: F811
    store, _ = small_store
    store.db.conn.commit()
    out = export_from_cli(store.path, tmp_path / "q.svg", EventFilter(query="nuclear"), width=900, height=400)
    texts = {"".join(t.itertext()).strip() for t in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text")}
    assert "Energy & nuclear" in texts and "AI" not in texts and "Diplomacy" not in texts


# -- provenance caption ---------------------------------------------------------------------------------------
CAPTION = "12 events from 3 articles · sector Energy & nuclear · 2010 – 2025 · made with Partnership Explorer 9.9 on " \
          "2026-01-02"


def _svg_texts(root):
    return ["".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")]


def _ink_rows(pixels, bg=255.0):
    """Rows of a picture that hold anything but the white background."""
    import numpy as np

    return np.flatnonzero((abs(pixels - bg).max(axis=2) > 40).any(axis=1))


@pytest.mark.parametrize("dpi", [96, 150, 300])
def test_caption_is_drawn_under_the_legend_at_every_dpi(data, tmp_path, dpi):
    plain = _pixels(export_image(data, tmp_path / "plain.png", width=900, height=520, dpi=dpi))
    captioned = _pixels(export_image(data, tmp_path / "cap.png", width=900, height=520, dpi=dpi, caption=CAPTION))
    scale = dpi / 96
    # the caption takes the last line of the picture (the legend moves up to make room for it)
    band = int(14 * scale)
    assert abs(captioned[-band:] - plain[-band:]).mean() > 1.0
    assert abs(captioned[:band] - plain[:band]).mean() < 0.5     # the title strip is where it was
    # and nothing is cut at the bottom edge: the last inked row is above it, with a margin
    assert _ink_rows(captioned).max() < captioned.shape[0] - 2 * scale


@pytest.mark.parametrize("suffix", [".svg", ".pdf"])
def test_caption_is_text_in_vector_formats(data, tmp_path, suffix):
    out = export_image(data, tmp_path / f"cap{suffix}", width="17cm", height="10cm", dpi=300, caption=CAPTION)
    if suffix == ".svg":
        texts = _svg_texts(ET.parse(out).getroot())
        assert any("made with Partnership Explorer 9.9" in t for t in texts), texts
    else:
        import shutil
        import subprocess

        if not shutil.which("pdftotext"):
            pytest.skip("pdftotext (poppler-utils) not installed")
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
        assert "made with Partnership Explorer 9.9" in " ".join(text.split())


def test_long_caption_wraps_inside_a_narrow_picture(data, tmp_path):
    """A caption longer than the picture is wide goes on two lines, all of it inside the page."""
    root = ET.parse(export_image(data, tmp_path / "n.svg", width=420, height=420, caption=CAPTION)).getroot()
    pieces = [t for t in _svg_texts(root) if t and t in CAPTION and len(t) > 20]
    assert len(pieces) >= 2 and "".join(pieces).replace(" ", "") == CAPTION.replace(" ", ""), pieces


def test_export_from_cli_caption_says_what_is_shown(small_store, tmp_path):  # noqa: F811
    store, _ = small_store
    store.db.conn.commit()
    drawn: dict = {}
    out = export_from_cli(store.path, tmp_path / "c.svg", EventFilter(sectors=("energy",)), width=900, height=500,
                          caption=True, record=drawn)
    caption = drawn["caption"]
    assert "sector Energy & nuclear" in caption and "made with Partnership Explorer" in caption
    assert any(caption in t for t in _svg_texts(ET.parse(out).getroot()))


def test_export_from_cli_of_a_date_filter_shows_its_period(small_store, tmp_path, monkeypatch):  # noqa: F811
    """A date filter of 2019 – 2023 exports 2019-01-01 to 2023-12-31, not just the span of the events it keeps
    (2020 – 2022), and the automatic title and the caption say the period once, without a stray comma."""
    import datetime as dt

    from partnership_explorer.core.timeline import to_days
    from partnership_explorer.qt import export as export_module

    store, _ = small_store
    store.db.conn.commit()
    seen: dict = {}
    real = export_module.export_image

    def spy(data, path, **kw):
        seen.update(kw)
        return real(data, path, **kw)

    monkeypatch.setattr(export_module, "export_image", spy)
    drawn: dict = {}
    flt = EventFilter(date_from=dt.date(2019, 1, 1), date_to=dt.date(2023, 12, 31))
    out = export_from_cli(store.path, tmp_path / "d.svg", flt, width=900, height=500, caption=True, record=drawn)
    assert seen["x_range"] == (to_days(dt.date(2019, 1, 1)), to_days(dt.date(2024, 1, 1)))
    assert seen["title"] == "2 events — 2019 – 2023"
    assert drawn["caption"].startswith("2 events from 1 article · 2019 – 2023 · made with")
    texts = _svg_texts(ET.parse(out).getroot())
    assert "2 events — 2019 – 2023" in texts


def _rgb_array(img):
    import numpy as np
    from PySide6.QtGui import QImage

    img = img.convertToFormat(QImage.Format.Format_RGB32)
    a = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine() // 4, 4)
    return a[:, :img.width(), :3].astype(int)


def _plot_rect(data, width, height, x_range):
    """The plot area (scene pixels) of an export of ``data`` over ``x_range`` at ``width`` × ``height``."""
    from PySide6.QtWidgets import QApplication

    from partnership_explorer.qt.export import _build_widget

    w, state, _ = _build_widget(data, width, height, None, x_range, "light")
    rect = w.vb.sceneBoundingRect()
    w.hide()
    w.deleteLater()
    state.deleteLater()
    QApplication.processEvents()
    return rect


def test_svg_shapes_stay_inside_the_plot_when_the_range_cuts_through_events(data, tmp_path):
    """A range that cuts through bars (the 1992 year at the left edge, February 2025 at the right) and eras: the
    SVG drawn back by Qt's QSvgRenderer shows nothing of them outside the plot area — over the lane names or past
    the right edge — at two sizes, as the PNG export of the same range; and the file's own event shapes lie
    inside the plot area."""
    import re

    import numpy as np
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from partnership_explorer.core.timeline import to_days

    ensure_app()
    x_range = (to_days("1992-06-01"), to_days("2025-02-15"))
    svg = export_image(data, tmp_path / "cut.svg", width=900, height=500, x_range=x_range)
    plot = _plot_rect(data, 900, 500, x_range)
    renderer = QSvgRenderer(str(svg))
    assert renderer.isValid()
    for k in (1, 2):
        png = _rgb_array(QImage(str(export_image(data, tmp_path / f"cut{k}.png", width=900, height=500,
                                                 dpi=96 * k, x_range=x_range))))
        img = QImage(900 * k, 500 * k, QImage.Format.Format_ARGB32)
        img.fill(QColor("white"))
        p = QPainter(img)
        renderer.render(p, QRectF(0, 0, 900 * k, 500 * k))
        p.end()
        diff = np.abs(_rgb_array(img) - png).max(axis=2)
        left, right = int(plot.left() * k) - 1, int(plot.right() * k) + 2
        top, bottom = int(plot.top() * k), int(plot.bottom() * k)
        beside = np.concatenate([diff[top:bottom, :left].ravel(), diff[top:bottom, right:].ravel()])
        assert int((beside > 80).sum()) <= 20 * k, f"{int((beside > 80).sum())} pixels differ beside the plot at {k}x"
    # the SVG itself: every shape drawn in a lane's colour in the plot's frame lies inside the plot area
    lane_fills = {QColor(lane.color).name() for lane in data.lanes}
    root = ET.parse(svg).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    checked = 0
    for g in root.iter(f"{ns}g"):
        m = re.fullmatch(r"matrix\(1,0,0,1,([-0-9.e]+),([-0-9.e]+)\)", g.get("transform", ""))
        if m is None or abs(float(m.group(1))) > 1e-3 or abs(float(m.group(2))) > 1e-3:
            continue                     # the items of the plot paint in scene pixels (an identity frame)
        if g.get("fill") not in lane_fills:
            continue
        for shape in g.iter(f"{ns}path"):
            xs = [float(v) for v in re.findall(r"[-0-9.e]+", shape.get("d", ""))[0::2]]
            assert all(plot.left() - 1.5 <= x <= plot.right() + 1.5 for x in xs), (g.get("fill"), min(xs), max(xs))
            checked += 1
    assert checked >= 3
