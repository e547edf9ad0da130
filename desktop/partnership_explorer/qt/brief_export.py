"""Writing a brief: the figure from the timeline export, then the writer of the file's format.

The figure is rendered once by :func:`.export.export_image` as SVG (vectors and real text). From it come the PNG
at print resolution (the SVG drawn by ``QSvgRenderer`` at twice its size and tagged 300 dpi) for DOCX and
Markdown, the ``data:`` URI of the HTML brief, and the vector figure of the PDF: the PDF is a ``QTextDocument``
laid out on A4 pages and painted on a ``QPdfWriter``; where the layout placed the figure, the SVG is drawn with
``QSvgRenderer`` on the PDF painter, so it stays vector in the PDF. No browser is involved.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (QAbstractTextDocumentLayout, QFont, QImage, QPageLayout, QPageSize, QPainter,
                           QPdfWriter, QTextDocument)
from PySide6.QtSvg import QSvgRenderer

from ..core.brief import Brief, build_brief
from ..core.brief_docx import render_docx
from ..core.brief_writers import (CITATION_SUFFIXES, figure_side_file, render_citations, render_html, render_markdown,
                                  render_qt_html)
from ..core.indicators import load_series
from ..core.query import EventFilter
from ..core.timeline import load_timeline
from .export import ExportError, ensure_app, export_image, qimage_png, read_ladder, write_file

BRIEF_SUFFIXES = (".docx", ".pdf", ".html", ".md")
FIGURE_SIZE = (1000, 600)  # the figure's layout in logical pixels: labels stay readable at A4 text width
PRINT_SCALE = 2  # the PNG figure: 2000×1200 pixels, 300 dpi at 17 cm
PRINT_DPI = 300


@dataclass
class Figure:
    svg: bytes
    width: int
    height: int

    def png(self, scale: int = PRINT_SCALE, dpi: int = PRINT_DPI) -> bytes:
        renderer = QSvgRenderer(QByteArray(self.svg))
        img = QImage(self.width * scale, self.height * scale, QImage.Format.Format_ARGB32)
        img.fill(Qt.GlobalColor.white)
        dpm = int(round(dpi / 0.0254))
        img.setDotsPerMeterX(dpm)
        img.setDotsPerMeterY(dpm)
        painter = QPainter(img)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            renderer.render(painter, QRectF(0, 0, img.width(), img.height()))
        finally:
            painter.end()
        return qimage_png(img)


def figure_from_timeline(data, size: tuple[int, int] = FIGURE_SIZE, *, indicators=()) -> Figure:
    """The timeline columns as an SVG figure, through the export renderer (GUI thread); ``indicators`` (series
    of core.indicators) are drawn in the indicator row above the lanes."""
    from .indicator_row import export_band

    with tempfile.TemporaryDirectory(prefix="pe-brief-") as tmp:
        path = Path(tmp) / "figure.svg"
        export_image(data, path, width=size[0], height=size[1], title=None,
                     bands=(export_band(list(indicators)),) if indicators else ())
        return Figure(svg=path.read_bytes(), width=size[0], height=size[1])


# -- PDF -------------------------------------------------------------------------------------------------------------
_FIGURE_NAME = "pe-figure:timeline"


def _figure_rect(doc: QTextDocument, name: str, aspect: float) -> QRectF | None:
    """Where the layout put the figure's placeholder image, in document coordinates."""
    layout = doc.documentLayout()
    layout.documentSize()  # lays out the whole document first
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fmt = frag.charFormat()
            if fmt.isImageFormat() and fmt.toImageFormat().name() == name:
                box = layout.blockBoundingRect(block)
                rel = frag.position() - block.position()
                line = block.layout().lineForTextPosition(rel)
                x0 = line.cursorToX(rel)[0]
                x1 = line.cursorToX(rel + 1)[0]
                width = x1 - x0
                height = width * aspect
                # an image sits on the baseline of its line
                return QRectF(box.left() + x0, box.top() + line.y() + line.ascent() - height, width, height)
            it += 1
        block = block.next()
    return None


def _blank_image() -> QImage:
    img = QImage(4, 4, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    return img


def render_pdf(brief: Brief, figure: Figure | None, *, resolution: int = 600) -> bytes:
    """The brief on A4 pages (20 mm margins, page numbers), the figure as vectors."""
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buf)
    writer.setResolution(resolution)
    writer.setTitle(brief.title)
    writer.setCreator("Partnership Explorer")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    mm = resolution / 25.4
    margin_x, margin_top, margin_bottom = 20 * mm, 18 * mm, 22 * mm
    page_w, page_h = 210 * mm, 297 * mm
    content = QSizeF(page_w - 2 * margin_x, page_h - margin_top - margin_bottom)

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(10)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet("h1 { font-size: 20pt; } h2 { font-size: 14pt; } h3 { font-size: 11pt; }")
    fig_size = None
    if figure is not None:
        # the placeholder's size in the 96-dpi pixels of HTML; the layout scales it to the device
        fig_w = content.width() * 96.0 / resolution
        fig_size = (int(fig_w), int(fig_w * figure.height / figure.width))
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(_FIGURE_NAME), _blank_image())
    doc.setHtml(render_qt_html(brief, _FIGURE_NAME if figure is not None else None, fig_size or (1, 1),
                               indent=int(5 * mm)))  # a 5 mm hanging indent, in the PDF's device pixels
    doc.setPageSize(content)
    fig_rect = _figure_rect(doc, _FIGURE_NAME, figure.height / figure.width) if figure is not None else None
    renderer = QSvgRenderer(QByteArray(figure.svg)) if figure is not None else None
    pages = doc.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError("cannot start the PDF writer")
    try:
        footer_font = QFont("DejaVu Sans")
        footer_font.setPointSizeF(8)
        for i in range(pages):
            if i:
                writer.newPage()
            painter.save()
            painter.translate(margin_x, margin_top - i * content.height())
            clip = QRectF(0, i * content.height(), content.width(), content.height())
            painter.setClipRect(clip)
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.clip = clip
            doc.documentLayout().draw(painter, ctx)
            if fig_rect is not None and fig_rect.intersects(clip):
                renderer.render(painter, fig_rect)  # vector paths and text on the PDF painter
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(Qt.GlobalColor.darkGray)
            foot = QRectF(margin_x, page_h - margin_bottom + 6 * mm, content.width(), 6 * mm)
            painter.drawText(foot, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, brief.title)
            painter.drawText(foot, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{i + 1} / {pages}")
    finally:
        painter.end()
    buf.close()
    return bytes(buf.data())



# -- the whole brief ---------------------------------------------------------------------------------------------
def check_brief_target(out: Path) -> str:
    suffix = out.suffix.lower()
    if suffix not in BRIEF_SUFFIXES:
        raise ExportError(f"{out}: unknown brief format '{out.suffix or '(none)'}' (use .docx, .pdf, .html or .md)")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"{parent}: no such folder")
    if out.is_dir():
        raise ExportError(f"{out}: is a folder")
    return suffix


def check_citations_target(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in CITATION_SUFFIXES:
        raise ExportError(f"{path}: unknown citation format '{path.suffix or '(none)'}' "
                          "(use .json for CSL-JSON, .bib or .ris)")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"{parent}: no such folder")
    return suffix


@dataclass
class BriefResult:
    brief: Brief
    written: list[Path]


@dataclass
class PreparedBrief:
    """Everything a brief needs from the database (built in a worker); the rendering happens on the GUI thread."""

    brief: Brief
    timeline: object  # core.timeline.TimelineData of the brief's events
    indicators: list = field(default_factory=list)  # core.indicators.Series drawn above the lanes of the figure


def prepare_brief(store, flt: EventFilter = EventFilter(), *, title: str | None = None, changes=None,
                  today: dt.date | None = None) -> PreparedBrief:
    """The queries of a brief: its model and the timeline columns of its figure (no Qt needed)."""
    brief = build_brief(store, flt, title=title, changes=changes, today=today)
    if not brief.events:
        return PreparedBrief(brief, None)
    shown = flt.replace(show_rejected=False)
    timeline = load_timeline(store, shown)
    # the figure's ladder band and disagreement bands ride with its columns (export_image draws them)
    timeline.ladder, timeline.disputes = read_ladder(store, shown, timeline)
    return PreparedBrief(brief, timeline, load_series(store, shown))


def write_prepared(prepared: PreparedBrief, out: Path | None, *, citations: Path | None = None,
                   figure: Figure | None = None) -> BriefResult:
    """Write the brief (its format from ``out``'s suffix) and/or its citations. The figure is rendered here
    unless given (it needs the GUI thread; with ``figure`` given, this can run in a worker)."""
    out = Path(out) if out is not None else None
    suffix = check_brief_target(out) if out is not None else None
    if citations is not None:
        check_citations_target(Path(citations))
    brief = prepared.brief
    written: list[Path] = []
    if suffix is not None:
        ensure_app()
        if figure is None and prepared.timeline is not None:
            figure = figure_from_timeline(prepared.timeline, indicators=prepared.indicators)
        if suffix == ".docx":
            write_file(out, render_docx(brief, figure.png() if figure else None))
        elif suffix == ".pdf":
            write_file(out, render_pdf(brief, figure))
        elif suffix == ".html":
            write_file(out, render_html(brief, figure_svg=figure.svg if figure else None).encode("utf-8"))
        else:
            side = figure_side_file(out) if figure else None
            if side is not None:
                write_file(side, figure.png())
                written.append(side)
            write_file(out, render_markdown(brief, side.name if side else None).encode("utf-8"))
        written.insert(0, out)
    if citations is not None:
        citations = Path(citations)
        write_file(citations, render_citations(brief, citations.suffix).encode("utf-8"))
        written.append(citations)
    return BriefResult(brief, written)


def write_brief(store, out: Path | None, flt: EventFilter = EventFilter(), *, title: str | None = None,
                changes=None, citations: Path | None = None, today: dt.date | None = None) -> BriefResult:
    """Build the brief of the filtered events and write it (and/or its citations). Returns what was written."""
    if out is not None:
        check_brief_target(Path(out))
    if citations is not None:
        check_citations_target(Path(citations))
    prepared = prepare_brief(store, flt, title=title, changes=changes, today=today)
    if prepared.indicators:   # the figure's indicator row draws what the window would of itself
        from ..core.indicators import choose_series

        ladder = getattr(prepared.timeline, "ladder", None)
        prepared.indicators = choose_series(prepared.indicators, pair=ladder[0] if ladder else None)
    return write_prepared(prepared, out, citations=citations)


__all__ = ["BRIEF_SUFFIXES", "BriefResult", "Figure", "PreparedBrief", "check_brief_target", "check_citations_target",
           "figure_from_timeline", "prepare_brief", "render_pdf", "write_brief", "write_prepared"]
