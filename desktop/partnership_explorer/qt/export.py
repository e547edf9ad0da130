"""Export the timeline picture to PNG, SVG or PDF — the same renderer as the screen, with or without a window.

The picture is an offscreen :class:`~.timeline.TimelineWidget` in export mode (title, legend, no overview
strip) laid out at the requested size and rendered through its graphics scene with ``QGraphicsScene.render``:
lanes, glyphs, labels, axes and eras are painted with QPainter paths and text, so SVG (``QSvgGenerator``) and
PDF (``QPdfWriter``) get vectors and real text; only a heat-mapped crowded lane is a raster image. Files are
produced in memory and written in one go, so a failure leaves no half-written file and reports one line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

from ..core.figure import LAYOUT_DPI, ExportSize, SizeError, automatic_title
from ..core.files import FileRefused, check_output_target, write_atomic
from ..core.query import EventFilter, is_unfiltered
from ..core.timeline import TimelineData, load_timeline
from ..core.view_fit import filtered_period, without_empty_lanes

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
    try:
        check_output_target(path)  # a link, FIFO or device at the target is refused, never written through
    except FileRefused as exc:
        raise ExportError(str(exc)) from None
    return suffix


def write_file(path: Path, payload: bytes) -> None:
    """All at once through a temporary file created exclusively next to the target (core.files.write_atomic)."""
    try:
        write_atomic(path, payload)
    except FileRefused as exc:
        raise ExportError(str(exc)) from None


def _build_widget(data: TimelineData, width: int, height: int, title: str | None,
                  x_range: tuple[float, float] | None, palette: str, caption: str | None = None, ladder=None,
                  disputes=None, bands=()):
    from .state import ExplorerState
    from .theme import Theme
    from .timeline import TimelineWidget

    theme = Theme.named(palette)
    state = ExplorerState()
    w = TimelineWidget(state, theme=theme, export_mode=True, title=title, caption=caption)
    for attach in bands:      # rows above the lanes (e.g. qt.indicator_row.export_band)
        attach(w)
    w.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    w.resize(width, height)
    if ladder is not None or disputes:
        from .ladder_band import show as show_ladder

        show_ladder(w, ladder, disputes)    # the relationship ladder above the lanes, disagreement bands in them
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


def export_image(data: TimelineData, path: Path, *, width: str | float = 1600, height: str | float = 900,
                 dpi: float | None = None, title: str | None = None, x_range: tuple[float, float] | None = None,
                 palette: str = "light", caption: str | None = None, ladder=None, disputes=None,
                 bands=()) -> Path:
    """Render the timeline to ``path`` (.png, .svg or .pdf by suffix) and return the path.

    ``bands`` are callables that each add a row above the lanes to the export's widget
    (:meth:`.timeline.TimelineWidget.add_band`), as the window shows them.

    ``width`` and ``height`` are physical lengths (numbers are px of 1/96 inch, strings may say ``"17cm"``,
    ``"4in"``, ``"120mm"``); ``dpi`` (default 96) is the resolution: the same picture, sharper
    (:mod:`..core.figure`). ``caption`` is a line of provenance under the legend
    (:func:`..core.figure.provenance_caption`), wrapped to the width. ``ladder`` ((pair, steps) of
    :func:`..core.relationship.ladder_for`) is drawn above the lanes and ``disputes``
    (:func:`..core.disputes.spans`) in them, as in the window."""
    path = Path(path)
    suffix = _check_target(path)
    if ladder is None:
        ladder = getattr(data, "ladder", None)
    if disputes is None:
        disputes = getattr(data, "disputes", None)
    try:
        size = ExportSize.of(width, height, dpi)
        if suffix == ".png":
            size.check_raster()
    except SizeError as exc:
        raise ExportError(str(exc)) from None
    if palette not in ("light", "dark"):
        raise ExportError(f"unknown palette '{palette}' (use light or dark)")
    ensure_app()
    lw, lh = size.layout_px
    w, state, theme = _build_widget(data, lw, lh, title, x_range, palette, caption, ladder, disputes, bands)
    try:
        payload = _paint(w, suffix, size, theme, title)
    finally:
        w.hide()
        w.deleteLater()
        state.deleteLater()
        QApplication.processEvents()
    write_file(path, payload)
    return path


def _dots_per_meter(dpi: float) -> int:
    return int(round(dpi / 0.0254))


def _paint(w, suffix: str, size: ExportSize, theme, title: str | None) -> bytes:
    """Paint the picture laid out at ``size.layout_px`` onto a device of the physical size at ``size.dpi``.

    Every device is painted at 96 dots per inch and the painter scales: pyqtgraph's axes replay QPictures, which
    Qt rescales by the device's resolution (names and dates would grow by dpi/96 while the events do not)."""
    lw, lh = size.layout_px
    if suffix == ".png":
        dw, dh = size.device_px
        img = QImage(dw, dh, QImage.Format.Format_ARGB32)
        if img.isNull():
            raise ExportError(f"not enough memory for a {dw}×{dh} picture: lower the resolution or the size")
        img.fill(theme.bg)
        img.setDotsPerMeterX(_dots_per_meter(LAYOUT_DPI))
        img.setDotsPerMeterY(_dots_per_meter(LAYOUT_DPI))
        painter = QPainter(img)
        try:
            painter.scale(dw / lw, dh / lh)
            _render(w, painter, lw, lh, theme.bg)
        finally:
            painter.end()
        img.setDotsPerMeterX(_dots_per_meter(size.dpi))   # the file says its resolution: prints at the size asked
        img.setDotsPerMeterY(_dots_per_meter(size.dpi))
        return qimage_png(img)
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if suffix == ".svg":
        from PySide6.QtSvg import QSvgGenerator

        from .vector_clip import ClippingPainter

        # SVG 1.1: the generator writes the painter's clips (<clipPath>); Tiny 1.2, its default, drops them all
        gen = QSvgGenerator(QSvgGenerator.SvgVersion.Svg11)
        gen.setOutputDevice(buf)
        gen.setResolution(int(LAYOUT_DPI))    # width/height attributes in mm: the physical size
        gen.setSize(QSize(lw, lh))
        gen.setViewBox(QRectF(0, 0, lw, lh))
        gen.setTitle(title or "Partnership Explorer timeline")
        gen.setDescription("Partnership Explorer timeline export")
        painter = ClippingPainter()   # and cuts the shapes to them, for readers that ignore clip-path
        if not painter.begin(gen):
            raise ExportError("cannot start the SVG renderer")
        try:
            _render(w, painter, lw, lh, theme.bg)
        finally:
            painter.end()
        buf.close()
        return _exact_svg_size(bytes(buf.data()), size)
    else:
        writer = QPdfWriter(buf)
        writer.setResolution(int(LAYOUT_DPI))
        writer.setTitle(title or "Partnership Explorer timeline")
        writer.setCreator("Partnership Explorer")
        size_pt = QSizeF(size.width_in * 72.0, size.height_in * 72.0)
        writer.setPageLayout(QPageLayout(QPageSize(size_pt, QPageSize.Unit.Point, "timeline"),
                                         QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        painter = QPainter()
        if not painter.begin(writer):
            raise ExportError("cannot start the PDF renderer")
        try:
            # logical coordinates = the picture's layout pixels, whatever the page's rounding
            vp = painter.viewport()
            painter.setWindow(0, 0, lw, lh)
            painter.setViewport(vp)
            _render(w, painter, lw, lh, theme.bg)
        finally:
            painter.end()
    buf.close()
    return bytes(buf.data())


def _exact_svg_size(svg: bytes, size: ExportSize) -> bytes:
    """The page size asked for, not the one of the whole layout pixels (170 mm, not 170.127 mm)."""
    head, sep, rest = svg.partition(b"viewBox=")
    width = f'width="{size.width_in * 25.4:.3f}mm" height="{size.height_in * 25.4:.3f}mm"'.encode()
    fixed, n = re.subn(rb'width="[0-9.]+mm" height="[0-9.]+mm"', width, head, count=1)
    return fixed + sep + rest if n else svg


def qimage_png(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise ExportError("cannot encode the PNG image")
    buf.close()
    return bytes(data)


def export_from_cli(db_path: Path, out: Path, flt: EventFilter = EventFilter(), *, width: str | float = 1600,
                    height: str | float = 900, title: str | None = None, dpi: float | None = None,
                    palette: str = "light", caption: bool | str = False, record: dict | None = None,
                    indicators: bool | tuple[str, ...] = False) -> Path:
    """Open the store, load the filtered timeline and export its whole range (the ``export`` command): the period
    of a date filter, else the events' range (:func:`..core.view_fit.filtered_period`); with ``indicators`` the
    indicator row of the same filter above the lanes.

    ``caption``: True writes the provenance caption of what is shown (a string is that caption, as recorded in a
    sidecar); ``record``, when given, receives the caption drawn (``record["caption"]``, for the sidecar)."""
    from ..core.store import Store

    out = Path(out)
    _check_target(out)
    # read-only: an export never writes to the database (nor saves a timeline snapshot in it)
    with Store(db_path, create=False, readonly=True) as store:
        data = timeline_for(store, flt)
        x_range = filtered_period(data, flt)
        ladder, disputes = read_ladder(store, flt, data)
        series = indicator_series(store, flt) if indicators else []
        if isinstance(indicators, (tuple, list)):   # the series a recorded export drew, by key
            series = [s for s in series if s.key in set(indicators)]
        elif series:                                # those the window would draw of itself, its pair's first
            from ..core.indicators import choose_series

            series = choose_series(series, pair=ladder[0] if ladder else None)
        if caption is True:
            caption = caption_for(store, data, flt, x_range)
    if record is not None:
        record["caption"] = caption or None
        record["indicators"] = tuple(s.key for s in series) or None
    if title is None:
        title = automatic_title(data.total_events, flt)
    bands = ()
    if series:
        from .indicator_row import export_band
        bands = (export_band(series),)
    return export_image(data, out, width=width, height=height, dpi=dpi, title=title, x_range=x_range,
                        palette=palette, caption=caption or None, ladder=ladder, disputes=disputes, bands=bands)


def timeline_for(store, flt: EventFilter) -> TimelineData:
    """The timeline columns a picture of ``flt`` draws: a filtered view leaves out its empty lanes, as the window's
    does."""
    data = load_timeline(store, flt)
    return data if is_unfiltered(flt) else without_empty_lanes(data)


def caption_for(store, data: TimelineData, flt: EventFilter, x_range: tuple[float, float] | None) -> str:
    """The provenance caption of a picture of ``data`` (over ``x_range``, else the whole filtered range:
    :func:`..core.view_fit.filtered_period`)."""
    import datetime as dt

    from .. import __version__
    from ..core.figure import count_articles, provenance_caption

    span = x_range if x_range is not None else filtered_period(data, flt)
    return provenance_caption(n_events=data.total_events, n_articles=count_articles(store, flt), flt=flt,
                              span=span, version=__version__, made_on=dt.date.today())


MAX_DISPUTE_EVENTS = 20_000   # above this many events the lanes are heat maps: no disagreement bands read


def read_ladder(store, flt: EventFilter, data: TimelineData):
    """The relationship ladder and the disagreement bands an export of ``flt`` draws (as the window does), the
    bands read for the events of ``data`` (not for a whole large database)."""
    import numpy as np

    from ..core.disputes import spans_of
    from ..core.relationship import ladder_for

    ids = np.unique(data.event_id) if len(data) else []
    return ladder_for(store, flt), (spans_of(store, ids.tolist()) if 0 < len(ids) <= MAX_DISPUTE_EVENTS else [])


def indicator_series(store, flt: EventFilter) -> list:
    from ..core.indicators import load_series
    return load_series(store, flt)


def indicator_bands(store, flt: EventFilter, keys) -> tuple:
    """The indicator row of a recorded export: the series of ``keys`` (none: no row) under ``flt``."""
    if not keys:
        return ()
    series = [s for s in indicator_series(store, flt) if s.key in set(keys)]
    if not series:
        return ()
    from .indicator_row import export_band

    return (export_band(series),)
