"""What the timeline paints inside its plot, and the title and legend strips of exports.

Every item in the view is a :class:`ViewItem`: its bounding rect is the visible area of the view, and its paint
switches the painter to scene pixels once (:func:`scene_frame`, the one shared preamble) and hands the subclass
a :class:`Frame` — the data→scene mapping and the view's edges — so each item draws in whole pixels whatever
the zoom (days since 1970 keep full precision relative to the view, also in float32 SVG/PDF paths). What to
draw where comes from :mod:`..core.timeline_layout`; the items only paint it:

* :class:`BackgroundItem` – alternating lane stripes, era tints with their labels in the band above the lanes;
* :class:`GlyphItem` – markers, bars and labels of the sparse lanes, counts over the heat-mapped ones;
* :class:`OverlayItem` – the selection (every lane the event is in) and the hover outline;
* :class:`GridItem` – the vertical grid lines at the date axis's ticks.

On screen, markers are blitted from sprites (:class:`MarkerAtlas`); exports draw paths, so SVG and PDF keep
vector markers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import internals
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QSizePolicy

from ..core.ticks import choose_levels, tick_values
from ..core.timeline import PRECISION_CODES, REJECTED
from ..core.timeline_layout import (
    MAX_SOURCE_STEPS,
    GlyphGeometry,
    Label,
    era_spans,
    fit_era_label,
    glyph_boxes,
    glyph_geometry,
    marker_radius,
    marker_stroke,
    place_labels,
    same_period_groups,
    shifted_labels,
)
from ..core.timeline_badges import STACK_OFFSET, PlacedBadges, clear_of, place_badges, stacked_boxes, unbadged
from .theme import Theme, pixel_font

if TYPE_CHECKING:
    from .timeline import TimelineWidget


# -- the shared preamble ------------------------------------------------------------------------
@dataclass(frozen=True)
class Frame:
    """One paint's data→scene mapping (``x_scene = x * sx + tx``, ``y_scene = y * sy + ty``) and the visible
    area of the view in scene pixels."""

    sx: float
    tx: float
    sy: float
    ty: float
    view: QRectF    # the visible area in data units (days, lanes)
    left: float
    right: float
    top: float
    height: float

    @property
    def lane_h(self) -> float:
        return abs(self.sy)

    @property
    def plot_rect(self) -> QRectF:
        return QRectF(self.left, self.top, self.right - self.left, self.height)

    def clip(self, p: QPainter) -> None:
        """Nothing leaves the plot area: bars that run out of the view, markers on its edge, labels."""
        p.setClipRect(self.plot_rect, Qt.ClipOperation.IntersectClip)


def scene_frame(item: "ViewItem", p: QPainter) -> Frame | None:
    """Switch the painter to scene pixels; the frame of this paint (None when the view cannot be inverted)."""
    T = item.sceneTransform()
    inv, ok = T.inverted()
    if not ok:
        return None
    p.setWorldTransform(inv * p.worldTransform())
    sx, tx, sy, ty = T.m11(), T.m31(), T.m22(), T.m32()
    view = QRectF(item.view_rect)
    left, right = sorted((view.left() * sx + tx, view.right() * sx + tx))
    top = min(view.top() * sy + ty, view.bottom() * sy + ty)
    return Frame(sx, tx, sy, ty, view, left, right, top, abs(view.height() * sy))


class ViewItem(pg.GraphicsObject):
    """An item whose bounding rect is the visible area of its ViewBox (it paints only what is visible).

    Subclasses implement :meth:`draw` (and :meth:`has_content` to skip a paint early); :meth:`paint` saves the
    painter, switches it to scene pixels and restores it afterwards.
    """

    def __init__(self, widget: "TimelineWidget"):
        super().__init__()
        self.widget = widget
        self.view_rect = QRectF()
        # never paint outside the plot area (the lane names and the axis are next to it)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsToShape, True)

    def viewRangeChanged(self):
        vb = self.getViewBox()
        if vb is None:
            return
        r = vb.viewRect()
        if r != self.view_rect:
            self.prepareGeometryChange()
            self.view_rect = QRectF(r)
        self.update()

    def boundingRect(self):
        return QRectF(self.view_rect)

    def has_content(self) -> bool:
        return True

    def paint(self, p: QPainter, *args):
        if self.view_rect.isEmpty() or not self.has_content():
            return
        p.save()
        try:
            frame = scene_frame(self, p)
            if frame is not None:
                self.draw(p, frame)
        finally:
            p.restore()

    def draw(self, p: QPainter, f: Frame) -> None:
        raise NotImplementedError


# -- background and grid ------------------------------------------------------------------------
class BackgroundItem(ViewItem):
    """Alternating lane stripes, era tints with their labels in the band above the lanes."""

    era_texts: list[str] = []    # the era labels the last paint wrote

    def draw(self, p: QPainter, f: Frame) -> None:
        self.era_texts = []
        w = self.widget
        n = len(w.data.lanes)
        theme = w.theme
        sx, tx, sy, ty = f.sx, f.tx, f.sy, f.ty
        left, right = f.left, f.right
        top_lane = -0.5 * sy + ty
        bottom_lane = (n - 0.5) * sy + ty
        band_top = min(f.view.top(), f.view.bottom()) * sy + ty
        p.setPen(Qt.PenStyle.NoPen)
        for i in range(1, n, 2):
            y0 = (i - 0.5) * sy + ty
            p.fillRect(QRectF(left, y0, right - left, sy), theme.stripe)
        # eras
        font = pixel_font(w.font(), w.font_px - 1)
        p.setFont(font)
        fm = QFontMetricsF(font)
        # the eras of the ladder shown above the lanes (one pair's), else of every milestone
        band = getattr(w, "ladder_band", None)
        eras = band.eras if band is not None and band.eras else w.data.eras
        for i, start, end in era_spans(eras, f.view.left(), f.view.right()):
            era = eras[i]
            x0, x1 = start * sx + tx, end * sx + tx
            if x1 < left or x0 > right:
                continue
            cx0, cx1 = max(x0, left), min(x1, right)
            p.fillRect(QRectF(cx0, band_top, cx1 - cx0, bottom_lane - band_top), theme.era_tints[i % 2])
            if left <= x0 <= right:
                p.setPen(QPen(theme.era_line, 1, Qt.PenStyle.DashLine))
                p.drawLine(QPointF(x0, band_top), QPointF(x0, bottom_lane))
                p.setPen(Qt.PenStyle.NoPen)
            avail = cx1 - cx0 - 8
            # the whole label, else its level's abbreviation ("CSP 2022–"), else the year: never a cut word
            text = fit_era_label(era.label, avail - 2, fm.horizontalAdvance) if avail > 0 else None
            if text:
                self.era_texts.append(text)
                p.setPen(QPen(theme.fg))
                p.drawText(QRectF(cx0 + 5, band_top, avail, top_lane - band_top),
                           int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
                p.setPen(Qt.PenStyle.NoPen)


class GridItem(ViewItem):
    """The vertical grid lines at the date axis ticks, drawn as pyqtgraph's axis grid (alpha 0.18) would."""

    GRID_ALPHA = int(0.18 * 255)

    def __init__(self, widget: "TimelineWidget"):
        super().__init__(widget)
        self._key = None
        self._lines: list = []

    def has_content(self) -> bool:
        x0, x1 = self.view_rect.left(), self.view_rect.right()
        return x1 > x0 and bool(np.isfinite([x0, x1]).all())

    def draw(self, p: QPainter, f: Frame) -> None:
        view = f.view
        key = (view.left(), view.right(), f.sx, f.tx, f.sy, f.ty, view.top(), view.bottom(),
               self.widget.theme.muted.rgba())
        if self._key != key:
            self._key = key
            self._lines = self._compute(f, QColor(self.widget.theme.muted))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for pen, lines in self._lines:
            p.setPen(pen)
            p.drawLines(lines)

    def _compute(self, f: Frame, base: QColor) -> list:
        x0, x1 = f.view.left(), f.view.right()
        left, right = f.left, f.right
        top, bottom = sorted((f.view.top() * f.sy + f.ty, f.view.bottom() * f.sy + f.ty))
        # the axis's own tick levels and alphas (AxisItem.generateDrawSpecs with setGrid)
        length_px = (right - left) + 2.0
        major, minor = choose_levels(x0, x1, length_px)
        levels = [major] + ([minor] if minor is not None else [])
        out = []
        for i, level in enumerate(levels):
            ticks = tick_values(level, x0, x1)
            alpha = 255 / (i + 1) * self.GRID_ALPHA / 255.0 * min(max(0.05 * length_px / (len(ticks) + 1), 0.0), 1.0)
            color = QColor(base)
            color.setAlpha(int(alpha))
            pen = QPen(color, 1)
            pen.setCosmetic(True)
            lines = []
            for v in ticks:
                x = v * f.sx + f.tx
                if left - 1e-6 <= x <= right + 1e-6:
                    lines.append(QLineF(x, top, x, bottom))
            if lines:
                out.append((pen, lines))
        return out


# -- events -------------------------------------------------------------------------------------
def marker_style(color: QColor, theme: Theme, kind: str) -> tuple[QPen, QBrush]:
    """Pen and brush of a marker ("ok" or "rej"); the stroke width is set by the caller."""
    halo = QColor(theme.bg)
    if kind == "rej":
        return QPen(theme.rejected, 1.4), QBrush(halo)
    return QPen(color.darker(160) if not theme.dark else color.lighter(160), 1.0), QBrush(color)


class MarkerAtlas:
    """Every marker style of the screen drawn once into one pixmap: per lane colour, number-of-sources step and
    state (confirmed/rejected), plus the background-coloured rings. A paint then blits them with one
    ``drawPixmapFragments`` per lane instead of stroking a path of thousands of ellipses (which costs tens of
    milliseconds a frame). Exports draw paths, so SVG and PDF keep vector markers."""

    STEPS = MAX_SOURCE_STEPS  # sources 1..7+ (see marker_radius)

    def __init__(self):
        self.key = None
        self.pixmap = None
        self.cell = 0
        # pyqtgraph's numpy-backed PixmapFragment array (what its ScatterPlotItem draws with)
        self._frags = internals.PrimitiveArray(QPainter.PixmapFragment, 10)

    def ensure(self, colors: list[str], theme: Theme, lane_h: float, dpr: float) -> None:
        steps = np.arange(self.STEPS, dtype=np.float64)
        radii = marker_radius(steps + 1, lane_h)
        strokes = marker_stroke(steps + 1)
        key = (tuple(colors), theme.bg.name(), theme.fg.name(), theme.rejected.name(), theme.dark,
               tuple(np.round(radii, 3)), round(dpr, 3))
        if key == self.key:
            return
        self.key = key
        ring = float(np.max(radii + (strokes + 3) / 2))
        cell = int(math.ceil((2 * ring + 4) * dpr))
        cell += cell % 2  # even: a marker centred on a pixel corner of the scene lands on whole pixels
        self.cell = cell
        cols, rows = self.STEPS * 2, len(colors) + 1
        img = QImage(cols * cell, rows * cell, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.scale(dpr, dpr)
        c = cell / dpr
        halo = QColor(theme.bg)
        for b in range(self.STEPS):
            r, sw = float(radii[b]), float(strokes[b])
            p.setPen(QPen(halo, sw + 3))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QPointF(b * c + c / 2, c / 2), r, r)  # row 0: rings
            for li, name in enumerate(colors):
                for k, kind in enumerate(("ok", "rej")):
                    pen, brush = marker_style(QColor(name), theme, kind)
                    if kind == "ok":
                        pen.setWidthF(sw)
                    p.setPen(pen)
                    p.setBrush(brush)
                    p.drawEllipse(QPointF((b * 2 + k) * c + c / 2, (li + 1) * c + c / 2), r, r)
        p.end()
        self.pixmap = QPixmap.fromImage(img)

    def draw(self, p: QPainter, x: np.ndarray, y: np.ndarray, src_col: np.ndarray, src_row: np.ndarray,
             dpr: float) -> None:
        """Blit sprite (src_col, src_row) centred at each (x, y) of the painter's coordinates."""
        n = len(x)
        if not n:
            return
        cell = self.cell
        self._frags.resize(n)
        frags = self._frags.ndarray()
        frags[:, 0] = np.round(x * dpr) / dpr
        frags[:, 1] = np.round(y * dpr) / dpr
        frags[:, 2] = src_col * cell
        frags[:, 3] = src_row * cell
        frags[:, 4:6] = cell
        frags[:, 6:10] = [1 / dpr, 1 / dpr, 0.0, 1.0]
        p.drawPixmapFragments(*self._frags.drawargs(), self.pixmap)


# fill of week-, month- and year-precise bars, softer as the precision is coarser (ranges of days: 140)
_BAR_ALPHA = {PRECISION_CODES["week"]: 130, PRECISION_CODES["month"]: 120, PRECISION_CODES["year"]: 70}


def draw_stacks(p: QPainter, geo: GlyphGeometry, stacked: np.ndarray, color: QColor, theme: Theme) -> None:
    """The second sheet behind each glyph ``stacked`` (indices into ``geo``) that stands for several events with
    no count badge: its outline :data:`..core.timeline_badges.STACK_OFFSET` up and right, on the background
    colour, one vector path per lane (SVG and PDF keep it)."""
    if not len(stacked):
        return
    d = STACK_OFFSET
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for j in stacked.tolist():
        if geo.bar[j]:
            path.addRect(QRectF(float(geo.x0[j]) + d, float(geo.y[j] - geo.h[j] / 2) - d, float(geo.w[j]),
                                float(geo.h[j])))
        else:
            r = float(geo.r[j])
            path.addEllipse(QPointF(float(geo.xc[j]) + d, float(geo.y[j]) - d), r, r)
    p.setPen(QPen(color.darker(130) if not theme.dark else color.lighter(130), 1.5))
    p.setBrush(QBrush(theme.bg))
    p.drawPath(path)


def draw_lane(p: QPainter, data, rows: np.ndarray, geo: GlyphGeometry, color: QColor, theme: Theme,
              sprites: tuple | None = None) -> None:
    """One lane's glyphs: bars (translucent, by precision), then markers; rejected hollow and grey.

    ``sprites`` = (MarkerAtlas, lane index, device pixel ratio) draws the markers as pre-drawn sprites (screen);
    without it they are vector paths (exports)."""
    status = data.status[rows]
    prec = data.precision[rows]
    # bars grouped by (fill alpha, stroke) so each group is one path
    groups: dict[tuple, QPainterPath] = {}
    for j in np.flatnonzero(geo.bar).tolist():
        rej = status[j] == REJECTED
        key = ("rej" if rej else _BAR_ALPHA.get(int(prec[j]), 140), round(float(geo.stroke[j]), 1))
        path = groups.get(key)
        if path is None:
            path = groups[key] = QPainterPath()
            path.setFillRule(Qt.FillRule.WindingFill)  # overlapping glyphs must not cancel out
        path.addRect(QRectF(float(geo.x0[j]), float(geo.y[j] - geo.h[j] / 2), float(geo.w[j]), float(geo.h[j])))
    if sprites is not None:
        # on screen, axis-aligned bars need no antialiasing (it costs most of their drawing time); exports keep it
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for (alpha, stroke), path in groups.items():
        if alpha == "rej":
            p.setPen(QPen(theme.rejected, 1.0, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
        else:
            fill = QColor(color)
            fill.setAlpha(alpha)
            p.setPen(QPen(color.darker(115), stroke))
            p.setBrush(QBrush(fill))
        p.drawPath(path)
    if sprites is not None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        atlas, lane, dpr = sprites
        pick = np.flatnonzero(~geo.bar)
        if len(pick):
            step = np.clip(data.n_sources[rows][pick].astype(np.int64) - 1, 0, atlas.STEPS - 1)
            rej = (status[pick] == REJECTED).astype(np.int64)
            xs, ys = geo.xc[pick], geo.y[pick]
            atlas.draw(p, xs, ys, step, np.zeros(len(pick), dtype=np.int64), dpr)  # rings first
            atlas.draw(p, xs, ys, step * 2 + rej, np.full(len(pick), lane + 1, dtype=np.int64), dpr)
        return
    marks: dict[tuple, QPainterPath] = {}
    for j in np.flatnonzero(~geo.bar).tolist():
        rej = status[j] == REJECTED
        key = ("rej" if rej else "ok", round(float(geo.stroke[j]), 1))
        path = marks.get(key)
        if path is None:
            path = marks[key] = QPainterPath()
            path.setFillRule(Qt.FillRule.WindingFill)
        r = float(geo.r[j])
        path.addEllipse(QPointF(float(geo.xc[j]), float(geo.y[j])), r, r)
    halo = QColor(theme.bg)
    for (kind, stroke), path in marks.items():
        # a ring in the background colour keeps markers visible over bars of the same colour
        p.setPen(QPen(halo, stroke + 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        pen, brush = marker_style(color, theme, kind)
        if kind != "rej":
            pen.setWidthF(stroke)
        p.setPen(pen)
        p.setBrush(brush)
        p.drawPath(path)


def label_rect(label: Label) -> QRectF:
    return QRectF(label.x, label.y, label.width, label.height)


def draw_labels(p: QPainter, labels: list[Label], theme: Theme, halo_alpha: int) -> None:
    """Titles on a halo of the background colour (none inside their own bar)."""
    halo = QColor(theme.bg)
    halo.setAlpha(halo_alpha)
    backs = [label_rect(l).adjusted(-2, 0, 2, 0) for l in labels if not l.inside]
    if backs:
        p.save()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(halo)
        p.drawRects(backs)
        p.restore()
    p.setPen(QPen(theme.fg))
    for label in labels:
        p.drawText(label_rect(label), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), label.text)


def draw_leaders(p: QPainter, labels: list[Label], rows: np.ndarray, geo: GlyphGeometry, fh: float,
                 theme: Theme) -> None:
    """A thin line from a title in a far row of a tall lane (not the row next to the glyphs) to its glyph."""
    where = {int(r): j for j, r in enumerate(rows.tolist())}
    lines = []
    for label in labels:
        j = where.get(label.row)
        if j is None or label.inside:
            continue
        reach = max(float(geo.h[j]) / 2, float(geo.r[j])) + 1
        top, bottom = float(geo.y[j]) - reach, float(geo.y[j]) + reach
        left = float(geo.x0[j]) if geo.bar[j] else float(geo.xc[j] - geo.r[j])
        right = float(geo.x0[j] + geo.w[j]) if geo.bar[j] else float(geo.xc[j] + geo.r[j])
        x = label.x + 1.5 if abs(label.x - left) <= abs(label.right - right) else label.right - 1.5
        x = min(max(x, left + 1), right - 1) if right - left > 2 else (left + right) / 2
        if label.y + label.height < top - fh * 0.75:
            lines.append(QLineF(x, label.y + label.height, x, top))
        elif label.y > bottom + fh * 0.75:
            lines.append(QLineF(x, label.y, x, bottom))
    if lines:
        color = QColor(theme.muted)
        p.setPen(QPen(color, 1))
        p.drawLines(lines)


def _kept(placed: PlacedBadges, over: np.ndarray) -> np.ndarray:
    """Which of ``placed`` meet none of the rectangles ``over`` (bool per badge)."""
    kept = clear_of(placed, over)
    return np.isin(placed.index, kept.index)


def draw_badges(p: QPainter, badges: list[tuple], font: QFont, theme: Theme, lanes) -> None:
    """Count badges ("4") beside the glyphs that stand for several events of one period: per lane, ``(lane,
    placed badges, texts, rows)`` (:func:`..core.timeline_badges.place_badges`); one path per lane for the pills,
    then their numbers."""
    if not badges:
        return
    p.save()
    p.setFont(font)
    centre = int(Qt.AlignmentFlag.AlignCenter)
    for lane, placed, texts, _rows in badges:
        color = QColor(lanes[lane].color)
        fill = color.darker(135) if not theme.dark else color.lighter(120)
        path = QPainterPath()
        h = placed.h
        rects = [QRectF(x0, y0, x1 - x0, y1 - y0) for x0, y0, x1, y1 in placed.rects()]
        for rect in rects:
            path.addRoundedRect(rect, h / 2, h / 2)
        p.setPen(QPen(theme.bg, 1))
        p.setBrush(QBrush(fill))
        p.drawPath(path)
        p.setPen(QPen(QColor("#ffffff") if fill.lightness() < 150 else QColor("#000000")))
        for rect, text in zip(rects, texts):
            p.drawText(rect, centre, text)
    p.restore()


class GlyphItem(ViewItem):
    """Markers, bars and labels of the sparse lanes; counts over the heat-mapped ones.

    On screen it is cached as a device pixmap (hover and selection repaint only the overlay); exports paint
    it directly so SVG/PDF get vectors. After each paint it holds what it drew: :attr:`drawn` (rows),
    :attr:`boxes` (per lane: rows and the x0, y0, x1, y1 arrays of their glyphs) and :attr:`labels`.
    """

    def __init__(self, widget: "TimelineWidget"):
        super().__init__(widget)
        self.drawn = 0
        self.boxes: list[tuple] = []
        self.labels: list[Label] = []
        self.groups: dict[int, int] = {}     # drawn row -> how many events of its period it stands for (> 1)
        self.badge_spans: list[tuple[int, float, float, int]] = []   # (lane, x0, x1 in days, row) of each badge
        self.badges: list[tuple] = []    # (lane, PlacedBadges, texts, rows) of the badges drawn
        self.stacked: set[int] = set()   # drawn rows of several events without a badge: drawn stacked
        self.labels_shifted = False      # the last paint moved old labels instead of placing them
        self.atlas = MarkerAtlas()
        self._label_layout = None        # (key, tx, labels) of the last placement on screen
        self._widths: tuple = (None, {})  # (font key, data) and title -> advance, for label widths

    def has_content(self) -> bool:
        return bool(len(self.widget.data))

    def _label_widths(self, font: QFont) -> dict:
        key = (font.key(), id(self.widget.data))
        if self._widths[0] != key:
            self._widths = (key, {})
        if len(self._widths[1]) > 20_000:
            self._widths[1].clear()
        return self._widths[1]

    def _moved_labels(self, key, tx: float, vleft: float, vright: float) -> list[Label] | None:
        """During a pan (same zoom, lanes and lane modes), the last placed labels moved by the pan; None when
        the labels must be placed again (see TimelineWidget.moving)."""
        layout = self._label_layout
        if not self.widget.moving or layout is None or layout[0] != key:
            self.labels_shifted = False
            return None
        d = tx - layout[1]
        if abs(d) >= vright - vleft:
            self.labels_shifted = False
            return None
        self.labels_shifted = True
        return shifted_labels(layout[2], d, vleft, vright)

    def draw(self, p: QPainter, f: Frame) -> None:
        w = self.widget
        data = w.data
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        sx, tx, sy, ty = f.sx, f.tx, f.sy, f.ty
        vleft, vright = f.left, f.right
        lane_h = f.lane_h
        theme = w.theme
        font = pixel_font(w.font(), w.font_px - 1)
        p.setFont(font)
        fm = QFontMetricsF(font)
        fh = fm.height()
        # events of one period in one lane are one glyph with a count badge (clicking it lists them)
        rows, counts = same_period_groups(data, w.glyph_rows, w.highlighted_ids)
        labels: list[Label] = []
        boxes: list[tuple] = []
        badges: list[tuple[QRectF, str, QColor]] = []
        self.drawn = 0
        self.groups = {}
        self.badge_spans = []
        self.badges = []
        self.stacked = set()
        f.clip(p)
        if len(rows):
            geo = glyph_geometry(data, rows, sx, tx, sy, ty, lane_h, clamp=(vleft, vright))
            # the selected event and the relationship milestones always get a label, above the crowd
            priority = np.isin(data.event_id[rows], np.fromiter(w.highlighted_ids | data.milestone_ids, np.int64))
            badge_font = pixel_font(w.font(), max(9, w.font_px - 3), bold=True)
            bfm = QFontMetricsF(badge_font)
            badge_widths: dict[str, float] = {}
            self.drawn = len(rows)
            lanes_present = np.unique(data.lane[rows])
            bounds = np.searchsorted(data.lane[rows], np.append(lanes_present, lanes_present[-1] + 1))
            segments = [slice(int(bounds[k]), int(bounds[k + 1])) for k in range(len(lanes_present))]
            widths = self._label_widths(font)
            # while the view is being panned, the labels placed before move with their events; they are
            # placed again once the motion stops
            layout_key = (id(data), round(sx, 9), round(sy, 9), round(ty, 3), font.key(), round(vleft, 2),
                          round(vright, 2), tuple(w.lane_modes), w.highlighted_ids)
            reused = None if w.export_mode else self._moved_labels(layout_key, tx, vleft, vright)
            measure = fm.horizontalAdvance

            def elide(text: str, width: float) -> str:
                return fm.elidedText(text, Qt.TextElideMode.ElideRight, width)

            for lane, seg in zip(lanes_present.tolist(), segments):
                lane_boxes = glyph_boxes(geo[seg])
                grouped = np.flatnonzero(counts[seg] > 1)
                obstacles = lane_boxes
                if len(grouped):   # the badge beside (or over) its glyph where it meets nothing: labels keep clear
                    j = grouped + seg.start
                    self.groups.update(zip(rows[j].tolist(), counts[j].tolist()))
                    texts = [str(c) for c in counts[j].tolist()]
                    bw = np.array([badge_widths.get(t) or badge_widths.setdefault(t, bfm.horizontalAdvance(t) + 8)
                                   for t in texts])
                    bh = min(bfm.height() + 2, lane_h * 0.8)
                    placed = place_badges(lane_boxes, grouped, bw, counts[j], yc=float(geo.y[seg.start]),
                                          height=bh, vleft=vleft, vright=vright)
                    if len(placed):
                        obstacles = tuple(a.copy() for a in lane_boxes)
                        g = grouped[placed.index]
                        obstacles[0][g] = np.minimum(obstacles[0][g], placed.x)
                        obstacles[2][g] = np.maximum(obstacles[2][g], placed.x + placed.w)
                        obstacles[1][g] = np.minimum(obstacles[1][g], placed.y)
                        obstacles[3][g] = np.maximum(obstacles[3][g], placed.y + placed.h)
                        badges.append((lane, placed, [texts[k] for k in placed.index.tolist()],
                                       rows[j[placed.index]]))
                    # a glyph whose badge found no room is drawn stacked: the labels keep clear of its second outline
                    obstacles = stacked_boxes(obstacles, unbadged(grouped, grouped[placed.index]))
                boxes.append((rows[seg],) + lane_boxes)
                if reused is None:
                    labels.extend(place_labels(data, rows[seg], geo[seg], line_height=fh, lane_h=lane_h, vleft=vleft,
                                               vright=vright, measure=measure, elide=elide, boxes=obstacles,
                                               widths=widths, priority=priority[seg]))
            if reused is not None:
                labels = reused
            elif not w.export_mode:
                self._label_layout = (layout_key, tx, list(labels))
            atlas = None
            if not w.export_mode:
                dpr = p.device().devicePixelRatioF() if p.device() is not None else 1.0
                self.atlas.ensure([l.color for l in data.lanes], theme, lane_h, dpr)
                atlas = self.atlas
            # a label drawn over the crowd (the selection's, a milestone's) leaves out the badges it would cover
            over = np.array([(l.x, l.y, l.right, l.y + l.height) for l in labels if l.priority]).reshape(-1, 4)
            shown = []
            for lane, placed, texts, brows in badges:
                keep = _kept(placed, over)
                if keep.any():
                    shown.append((lane, placed.subset(keep), [t for t, k in zip(texts, keep.tolist()) if k],
                                  brows[keep]))
            self.badges = badges = shown
            # the glyphs of several events without a badge are drawn stacked (core.timeline_badges.unbadged)
            with_badge = np.concatenate([b[3] for b in badges]) if badges else np.zeros(0, np.int64)
            grouped_rows = np.fromiter(self.groups, np.int64, len(self.groups))
            stacked = np.isin(rows, unbadged(grouped_rows, with_badge))
            self.stacked = set(rows[stacked].tolist())
            for lane, seg in zip(lanes_present.tolist(), segments):
                color = QColor(data.lanes[lane].color)
                draw_stacks(p, geo[seg], np.flatnonzero(stacked[seg]), color, theme)
                draw_lane(p, data, rows[seg], geo[seg], color, theme,
                          (atlas, lane, dpr) if atlas is not None else None)
            for lane, placed, _texts, brows in badges:
                self.badge_spans.extend(zip([lane] * len(placed), ((placed.x - tx) / sx).tolist(),
                                            ((placed.x + placed.w - tx) / sx).tolist(), brows.tolist()))
            draw_badges(p, badges, badge_font, theme, data.lanes)
            draw_leaders(p, labels, rows, geo, fh, theme)
            # labels after the glyphs: they never cover another event (priority labels, drawn last, may: above the
            # crowd), and a halo keeps them readable over grid lines and era tints (a label inside its own bar goes
            # without one)
            draw_labels(p, [l for l in labels if not l.priority], theme, 200)
            draw_labels(p, [l for l in labels if l.priority], theme, 190)
        self.boxes = boxes
        self.labels = labels
        # crowded lanes: counts in coarse cells over the heat-map
        if w.count_cells:
            p.setFont(pixel_font(w.font(), max(9, w.font_px - 2)))
            for lane, x0, x1, count in w.count_cells:
                xa, xb = x0 * sx + tx, x1 * sx + tx
                yc = lane * sy + ty
                if lane_h < fh * 0.9:
                    continue
                rect = QRectF(xa, yc - fh / 2, xb - xa, fh)
                p.setPen(QPen(theme.fg))
                p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), str(count))


class OverlayItem(ViewItem):
    """Selection highlights (every lane the event appears in) and the hover outline: cheap to repaint."""

    def has_content(self) -> bool:
        w = self.widget
        if not len(w.data):
            return False
        return (w.highlight_rows is not None and len(w.highlight_rows) > 0) or w.hover_row is not None

    def draw(self, p: QPainter, f: Frame) -> None:
        w = self.widget
        data = w.data
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        theme = w.theme
        clamp = (f.left, f.right)
        f.clip(p)
        # highlights: the selected events in every lane they appear in
        if w.highlight_rows is not None and len(w.highlight_rows):
            hr = w.highlight_rows
            geo = glyph_geometry(data, hr, f.sx, f.tx, f.sy, f.ty, f.lane_h, clamp=clamp)
            p.setPen(QPen(theme.highlight, 2.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            for j in range(len(hr)):
                _outline(p, geo, j, 2.5, 3.5)
        if w.hover_row is not None:
            geo = glyph_geometry(data, np.array([w.hover_row]), f.sx, f.tx, f.sy, f.ty, f.lane_h, clamp=clamp)
            p.setPen(QPen(theme.fg, 1.2, Qt.PenStyle.DotLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            _outline(p, geo, 0, 2, 2.5)


def _outline(p: QPainter, geo: GlyphGeometry, j: int, bar_margin: float, marker_margin: float) -> None:
    """A rectangle ``bar_margin`` around bar ``j``, or a circle ``marker_margin`` around marker ``j``."""
    if geo.bar[j]:
        m = bar_margin
        p.drawRect(QRectF(geo.x0[j], geo.y[j] - geo.h[j] / 2, geo.w[j], geo.h[j]).adjusted(-m, -m, m, m))
    else:
        rad = geo.r[j] + marker_margin
        p.drawEllipse(QPointF(geo.xc[j], geo.y[j]), rad, rad)


# -- title and legend of exports ----------------------------------------------------------------
class _Strip(pg.GraphicsWidget):
    """A full-width strip above or below the plot, painted with QPainter (vector in SVG/PDF)."""

    def __init__(self, widget: "TimelineWidget"):
        super().__init__()
        self.widget = widget
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _font(self) -> QFont:
        return pixel_font(self.widget.font(), self.widget.font_px - 1)

    def _height(self, width: float) -> float:
        raise NotImplementedError

    def relayout(self, width: float) -> None:
        h = self._height(width)
        self.setMinimumHeight(h)
        self.setMaximumHeight(h)
        self.setPreferredHeight(h)
        self.update()


class TitleStrip(_Strip):
    """The export's title (no height without one)."""

    def __init__(self, widget: "TimelineWidget", text: str = ""):
        super().__init__(widget)
        self.text = text
        self.relayout(800)

    def _font(self) -> QFont:
        return pixel_font(self.widget.font(), self.widget.font_px + 5, bold=True)

    def _height(self, width: float) -> float:
        return QFontMetricsF(self._font()).height() + 12 if self.text else 0

    def paint(self, p: QPainter, *args):
        p.setFont(self._font())
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setPen(QPen(self.widget.theme.fg))
        p.drawText(self.boundingRect().adjusted(12, 0, -12, 0),
                   int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), self.text)


class CaptionStrip(_Strip):
    """The export's provenance caption under the legend: smaller, muted text wrapped to the width (never cut)."""

    MARGIN = 12.0

    def __init__(self, widget: "TimelineWidget", text: str):
        super().__init__(widget)
        self.text = text
        self.relayout(800)

    def _font(self) -> QFont:
        return pixel_font(self.widget.font(), max(9, self.widget.font_px - 2))

    def _flags(self) -> int:
        return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)

    def _height(self, width: float) -> float:
        if not self.text:
            return 0
        box = QRectF(0, 0, max(width - 2 * self.MARGIN, 40.0), 100000)
        return math.ceil(QFontMetricsF(self._font()).boundingRect(box, self._flags(), self.text).height()) + 8

    def paint(self, p: QPainter, *args):
        if not self.text:
            return
        p.setFont(self._font())
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.setPen(QPen(self.widget.theme.muted))
        p.drawText(self.boundingRect().adjusted(self.MARGIN, 2, -self.MARGIN, 0), self._flags(), self.text)


class LegendStrip(_Strip):
    """The export's legend: every lane with its colour, then what the glyphs mean; wrapped to the width."""

    LEFT, TOP = 12.0, 4.0

    def __init__(self, widget: "TimelineWidget"):
        super().__init__(widget)
        self.relayout(800)

    def _entries(self):
        out = [("lane", l.name, QColor(l.color)) for l in self.widget.data.lanes]
        out += [("dot", "day", None), ("bar", "week / month / year / range", None), ("hollow", "rejected", None),
                ("big", "more sources = larger", None), ("stack", "stacked = several events", None)]
        return out

    def _layout(self, fm: QFontMetricsF, width: float) -> tuple[list[tuple], float]:
        """((kind, name, colour, x, y, entry width) per entry, line height), wrapping at ``width``."""
        lh = fm.height() + 6
        x, y = self.LEFT, self.TOP
        out = []
        for kind, name, color in self._entries():
            ew = 16 + fm.horizontalAdvance(name) + 18
            if x + ew > width - 8 and x > self.LEFT:
                x, y = self.LEFT, y + lh
            out.append((kind, name, color, x, y, ew))
            x += ew
        return out, lh

    def _height(self, width: float) -> float:
        entries, lh = self._layout(QFontMetricsF(self._font()), width)
        lines = 1 + sum(1 for k, e in enumerate(entries) if k and e[4] != entries[k - 1][4])
        return lines * lh + 8

    def paint(self, p: QPainter, *args):
        theme = self.widget.theme
        font = self._font()
        p.setFont(font)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        entries, lh = self._layout(QFontMetricsF(font), self.boundingRect().width())
        sample = QColor(theme.fg)
        for kind, name, color, x, y, ew in entries:
            cy = y + lh / 2
            if kind == "lane":
                p.setPen(QPen(color.darker(130), 1))
                p.setBrush(QBrush(color))
                p.drawRoundedRect(QRectF(x, cy - 5, 10, 10), 2, 2)
            elif kind == "dot":
                p.setPen(QPen(sample, 1))
                p.setBrush(QBrush(theme.muted))
                p.drawEllipse(QPointF(x + 5, cy), 4, 4)
            elif kind == "bar":
                fill = QColor(theme.muted)
                fill.setAlpha(90)
                p.setPen(QPen(theme.muted, 1))
                p.setBrush(QBrush(fill))
                p.drawRect(QRectF(x - 2, cy - 4, 14, 8))
            elif kind == "hollow":
                p.setPen(QPen(theme.rejected, 1.4))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawEllipse(QPointF(x + 5, cy), 4, 4)
            elif kind == "stack":     # as the lanes draw a glyph of several events without its count badge
                p.setPen(QPen(sample, 1.2))
                p.setBrush(QBrush(theme.bg))
                p.drawEllipse(QPointF(x + 5 + STACK_OFFSET, cy - STACK_OFFSET), 4, 4)
                p.setPen(QPen(sample, 1))
                p.setBrush(QBrush(theme.muted))
                p.drawEllipse(QPointF(x + 5, cy), 4, 4)
                x += 4
            else:
                p.setPen(QPen(sample, 1))
                p.setBrush(QBrush(theme.muted))
                p.drawEllipse(QPointF(x + 1, cy), 2.5, 2.5)
                p.drawEllipse(QPointF(x + 9, cy), 4.5, 4.5)
                x += 4
            p.setPen(QPen(theme.fg))
            p.drawText(QRectF(x + 16, y, ew, lh), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                       name)
