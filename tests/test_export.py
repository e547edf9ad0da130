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
    assert (img.width(), img.height()) == (1000, 640)
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
