"""Export the timeline picture to PNG, SVG or PDF — the same renderer as the screen, with or without a window.

The picture is an offscreen :class:`~.timeline.TimelineWidget` in export mode (title, legend, no overview
strip) laid out at the requested size and rendered through its graphics scene with ``QGraphicsScene.render``:
lanes, glyphs, labels, axes and eras are painted with QPainter paths and text, so SVG (``QSvgGenerator``) and
PDF (``QPdfWriter``) get vectors and real text; only a heat-mapped crowded lane is a raster image. Files are
produced in memory and written in one go, so a failure leaves no half-written file and reports one line.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

from ..core.query import EventFilter
from ..core.timeline import TimelineData, load_timeline

SUFFIXES = (".png", ".svg", ".pdf")


class ExportError(Exception):
    """An export that cannot be done, explained in one line."""


# harmless platform messages that would only puzzle a user of the command line
_QUIET_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)
_previous_handler = None
_handler_installed = False


def _qt_message_handler(mode, context, message) -> None:
    """Drop the known harmless messages; pass everything else on (to the previous handler, else stderr)."""
    if any(quiet in message for quiet in _QUIET_QT_MESSAGES):
        return
    if _previous_handler is not None:
        _previous_handler(mode, context, message)
        return
    import sys

    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def install_message_filter() -> None:
    """Install :func:`_qt_message_handler` once (idempotent)."""
    global _previous_handler, _handler_installed
    if _handler_installed:
        return
    from PySide6.QtCore import qInstallMessageHandler

    _previous_handler = qInstallMessageHandler(_qt_message_handler)
    _handler_installed = True


def ensure_app() -> QApplication:
    """The running QApplication, or a new one (offscreen when there is no display)."""
    install_message_filter()
    app = QApplication.instance()
    if app is not None:
        if not isinstance(app, QApplication):
            raise ExportError("exporting needs a QApplication (a QGuiApplication is running)")
        return app
    if not os.environ.get("QT_QPA_PLATFORM") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
            and os.name == "posix" and not _is_macos():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return QApplication(["partnership-explorer"])


def _is_macos() -> bool:
    import sys

    return sys.platform == "darwin"


def _check_target(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExportError(f"{path}: unknown image type '{path.suffix or '(none)'}' (use .png, .svg or .pdf)")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        raise ExportError(f"{parent}: no such folder")
    if not parent.is_dir():
        raise ExportError(f"{parent}: not a folder")
    if path.exists() and path.is_dir():
        raise ExportError(f"{path}: is a folder")
    if not os.access(parent, os.W_OK):
        raise ExportError(f"{parent}: folder is not writable")
    return suffix


def _write(path: Path, payload: bytes) -> None:
    tmp = path.with_name(f".{path.name}.part")
    try:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if exc.errno == errno.ENOSPC:
            raise ExportError(f"{path}: disk full") from None
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise ExportError(f"{path}: not writable ({exc.strerror})") from None
        raise ExportError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _build_widget(data: TimelineData, width: int, height: int, title: str | None,
                  x_range: tuple[float, float] | None, palette: str):
    from .state import ExplorerState
    from .theme import Theme
    from .timeline import TimelineWidget

    theme = Theme.named(palette)
    state = ExplorerState()
    w = TimelineWidget(state, theme=theme, export_mode=True, title=title)
    w.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    w.resize(width, height)
    w.show()
    QApplication.processEvents()
    w.set_data(data)
    if x_range is not None:
        w.set_x_range(*x_range)
    else:
        w.fit_all()
    QApplication.processEvents()
    w.update_lod()
    return w, state, theme


def _render(w, painter: QPainter, width: int, height: int, bg: QColor) -> None:
    scene = w.glw.scene()
    source = QRectF(0, 0, width, height)
    painter.fillRect(source, bg)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    scene.render(painter, source, source, Qt.AspectRatioMode.IgnoreAspectRatio)


def export_image(data: TimelineData, path: Path, *, width: int = 1600, height: int = 900, dpi: int | None = None,
                 title: str | None = None, x_range: tuple[float, float] | None = None,
                 palette: str = "light") -> Path:
    """Render the timeline to ``path`` (.png, .svg or .pdf by suffix) and return the path."""
    path = Path(path)
    suffix = _check_target(path)
    width, height = int(width), int(height)
    if not (50 <= width <= 20000 and 50 <= height <= 20000):
        raise ExportError(f"image size {width}×{height} is out of range (50 to 20000 pixels a side)")
    if dpi is not None and not (10 <= int(dpi) <= 4800):
        raise ExportError(f"resolution {dpi} dpi is out of range (10 to 4800)")
    if palette not in ("light", "dark"):
        raise ExportError(f"unknown palette '{palette}' (use light or dark)")
    ensure_app()
    w, state, theme = _build_widget(data, width, height, title, x_range, palette)
    try:
        payload = _paint(w, suffix, width, height, dpi, theme, title)
    finally:
        w.hide()
        w.deleteLater()
        state.deleteLater()
        QApplication.processEvents()
    _write(path, payload)
    return path


def _paint(w, suffix: str, width: int, height: int, dpi: int | None, theme, title: str | None) -> bytes:
    if suffix == ".png":
        img = QImage(width, height, QImage.Format.Format_ARGB32)
        img.fill(theme.bg)
        if dpi:
            dpm = int(round(dpi / 0.0254))
            img.setDotsPerMeterX(dpm)
            img.setDotsPerMeterY(dpm)
        painter = QPainter(img)
        try:
            _render(w, painter, width, height, theme.bg)
        finally:
            painter.end()
        return _qimage_bytes(img)
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if suffix == ".svg":
        from PySide6.QtSvg import QSvgGenerator

        gen = QSvgGenerator()
        gen.setOutputDevice(buf)
        gen.setSize(QSize(width, height))
        gen.setViewBox(QRectF(0, 0, width, height))
        gen.setResolution(int(dpi or 96))
        gen.setTitle(title or "Partnership Explorer timeline")
        gen.setDescription("Partnership Explorer timeline export")
        painter = QPainter()
        if not painter.begin(gen):
            raise ExportError("cannot start the SVG renderer")
        try:
            _render(w, painter, width, height, theme.bg)
        finally:
            painter.end()
    else:
        res = int(dpi or 96)
        writer = QPdfWriter(buf)
        writer.setResolution(res)
        writer.setTitle(title or "Partnership Explorer timeline")
        writer.setCreator("Partnership Explorer")
        size_pt = QSizeF(width * 72.0 / res, height * 72.0 / res)
        writer.setPageLayout(QPageLayout(QPageSize(size_pt, QPageSize.Unit.Point, "timeline"),
                                         QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        painter = QPainter()
        if not painter.begin(writer):
            raise ExportError("cannot start the PDF renderer")
        try:
            # logical coordinates = the picture's pixels, whatever the page resolution
            vp = painter.viewport()
            painter.setWindow(0, 0, width, height)
            painter.setViewport(vp)
            _render(w, painter, width, height, theme.bg)
        finally:
            painter.end()
    buf.close()
    return bytes(buf.data())


def _qimage_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise ExportError("cannot encode the PNG image")
    buf.close()
    return bytes(data)


def export_from_cli(db_path: Path, out: Path, flt: EventFilter = EventFilter(), *, width: int = 1600,
                    height: int = 900, title: str | None = None, dpi: int | None = None,
                    palette: str = "light") -> Path:
    """Open the store, load the filtered timeline and export its whole range (the ``export`` command)."""
    from ..core.store import Store

    out = Path(out)
    _check_target(out)
    # read-only only when the file cannot be written: an older database is upgraded on the way
    with Store(db_path, create=False, readonly=None) as store:
        data = load_timeline(store, flt)
    if title is None:
        described = flt.describe()
        title = f"{data.total_events} events" + ("" if described == "all events" else f" — {described}")
    return export_image(data, out, width=width, height=height, dpi=dpi, title=title, palette=palette)
