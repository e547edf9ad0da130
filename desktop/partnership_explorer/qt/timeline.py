"""The zoomable timeline: one lane per sector, events as markers and bars, heat-map when crowded.

The widget only renders a :class:`~partnership_explorer.core.timeline.TimelineData` handed to it by
:meth:`TimelineWidget.set_data` (loaded by the main window in a worker thread): it never queries the database.
The x unit is float days since 1970-01-01 (small numbers keep full precision in float32 paint paths and
exports); lane ``i`` is centred on ``y = i`` with ``y`` growing downwards.

Level of detail: on every view change the visible range is binned per pixel column with
:func:`core.timeline.aggregate`. A lane with more than :data:`LOD_THRESHOLD` events in view is drawn as one
RGBA image (colour intensity by count); the other lanes draw only their visible rows, as vector paths painted
by one light item (:class:`_GlyphItem`), never one graphics item per event. Day-precise events are circles,
month/year-precise events and ranges are translucent bars over their period; size and stroke grow with the
number of sources; rejected events are hollow and grey.

Gestures: wheel zooms around the cursor, drag pans, right-drag or shift-drag zooms to a box; keys ``+``/``=``
and ``-`` zoom, Left/Right pan, ``0`` fits all, Home/End jump to the ends. The overview strip below shows the
whole filtered range with a draggable window linked both ways to the main view.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QLineF, QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QShortcut,
)
from PySide6.QtWidgets import QApplication, QGraphicsItem, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from ..core.timeline import (
    EPOCH,
    AggregateCache,
    REJECTED,
    STATUS_NAMES,
    TimelineData,
    column_edges,
    format_span,
    hit_test,
    rows_in_cell,
    visible_rows,
)
from .state import ExplorerState

MOTION_SETTLE_MS = 150      # labels are placed again this long after the view stops moving
LOD_THRESHOLD = 300          # more events than this in view in one lane → that lane becomes a heat-map
MAX_LABEL_PX = 260           # titles longer than this are elided
ERA_BAND_PX = 22             # height of the era label band above the first lane
MIN_RANGE_DAYS = 3.0         # deepest zoom
_EPOCH_ORD = EPOCH.toordinal()
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_LONG = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


# -- theme ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Theme:
    bg: QColor
    fg: QColor
    muted: QColor
    stripe: QColor
    era_tints: tuple[QColor, QColor]
    era_line: QColor
    highlight: QColor
    rejected: QColor
    dark: bool
    accent: QColor | None = None   # the palette's own highlight (the overview window); None: a neutral blue

    @classmethod
    def make(cls, bg: QColor, fg: QColor, highlight: QColor | None = None, accent: QColor | None = None) -> "Theme":
        dark = bg.lightness() < 128
        muted = QColor(fg)
        muted.setAlpha(150)
        stripe = QColor(fg)
        stripe.setAlpha(12 if not dark else 16)
        if dark:
            tints = (QColor(120, 170, 255, 26), QColor(255, 200, 120, 20))
        else:
            tints = (QColor(60, 120, 220, 20), QColor(230, 150, 40, 20))
        era_line = QColor(fg)
        era_line.setAlpha(90)
        hl = QColor(highlight) if highlight is not None else QColor("#D81B60")
        if accent is None or not accent.isValid():
            accent = QColor("#3d7bd9") if dark else QColor("#2f6fd0")
        return cls(QColor(bg), QColor(fg), muted, stripe, tints, era_line, hl,
                   QColor(150, 150, 150) if not dark else QColor(130, 130, 130), dark, QColor(accent))

    @classmethod
    def light(cls) -> "Theme":
        return cls.make(QColor("#ffffff"), QColor("#202124"), QColor("#D81B60"))

    @classmethod
    def dark_theme(cls) -> "Theme":
        return cls.make(QColor("#1e1f22"), QColor("#e8e8e8"), QColor("#FF6FA8"))

    @classmethod
    def from_palette(cls, palette: QPalette | None = None) -> "Theme":
        if palette is None:
            palette = QGuiApplication.palette()
        bg = palette.color(QPalette.ColorRole.Base)
        fg = palette.color(QPalette.ColorRole.Text)
        hl = palette.color(QPalette.ColorRole.Highlight)
        # the selection colour must stand out from the sector colours: use a magenta unless the palette's is vivid
        return cls.make(bg, fg, hl if hl.saturation() > 200 else (QColor("#FF6FA8") if bg.lightness() < 128
                                                                  else QColor("#D81B60")), accent=hl)

    @classmethod
    def named(cls, name: str) -> "Theme":
        return cls.dark_theme() if name == "dark" else cls.light()


def pixel_font(base: QFont | None = None, px: int = 12, *, bold: bool = False) -> QFont:
    """Fonts are sized in pixels so exports at any resolution match the screen."""
    f = QFont(base) if base is not None else QFont()
    f.setPixelSize(max(6, int(px)))
    f.setBold(bold)
    return f


def _rgb(color: str) -> tuple[int, int, int]:
    c = QColor(color)
    if not c.isValid():
        c = QColor("#888888")
    return c.red(), c.green(), c.blue()


# -- date axis -----------------------------------------------------------------------------------
def _d(days: float) -> dt.date:
    o = int(math.floor(days)) + _EPOCH_ORD
    return dt.date.fromordinal(min(max(o, 1), dt.date.max.toordinal()))


def _days(d: dt.date) -> float:
    return float(d.toordinal() - _EPOCH_ORD)


_YEAR_STEPS = (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1)
_MONTH_STEPS = (6, 3, 1)
_DAY_STEPS = (5, 2, 1)


def _levels():
    for s in _YEAR_STEPS:
        yield ("year", s, 365.25 * s)
    for s in _MONTH_STEPS:
        yield ("month", s, 30.44 * s)
    for s in _DAY_STEPS:
        yield ("day", s, float(s))


_MIN_LABEL_PX = {"year": 80, "month": 40, "day": 44}


def choose_levels(x0: float, x1: float, size_px: float) -> tuple[tuple, tuple | None]:
    """(major level, minor level) for a date axis of ``size_px`` pixels showing days ``x0..x1``."""
    ppd = max(size_px, 1.0) / max(x1 - x0, 1e-9)
    levels = list(_levels())
    major = levels[0]
    for lv in levels:
        if lv[2] * ppd >= _MIN_LABEL_PX[lv[0]]:
            major = lv
        else:
            break
    minor = None
    i = levels.index(major)
    for lv in levels[i + 1:]:
        if lv[2] * ppd >= 7:
            minor = lv
        else:
            break
    return major, minor


def tick_values(level: tuple, x0: float, x1: float, limit: int = 2000) -> list[float]:
    unit, step, _ = level
    a, b = _d(x0), _d(x1)
    out: list[float] = []
    if unit == "year":
        y = (a.year // step) * step
        while y <= b.year and len(out) < limit:
            if 1 <= y <= 9999:
                v = _days(dt.date(y, 1, 1))
                if x0 <= v <= x1:
                    out.append(v)
            y += step
    elif unit == "month":
        y, m = a.year, ((a.month - 1) // step) * step + 1
        while (y, m) <= (b.year, b.month) and len(out) < limit:
            v = _days(dt.date(y, m, 1))
            if x0 <= v <= x1:
                out.append(v)
            m += step
            if m > 12:
                y, m = y + 1, m - 12
    else:
        d = a
        while d <= b and len(out) < limit:
            if (d.day - 1) % step == 0 and (step == 1 or d.day <= 31 - step + 1 or d.day == 1):
                v = _days(d)
                if x0 <= v <= x1:
                    out.append(v)
            d += dt.timedelta(days=1)
    return out


def tick_label(unit: str, value: float) -> str:
    d = _d(value + 0.5)
    if unit == "year":
        return str(d.year)
    if unit == "month":
        return str(d.year) if d.month == 1 else _MONTHS[d.month - 1]
    return _MONTHS[d.month - 1] if d.day == 1 else str(d.day)


def context_label(unit: str, x0: float, x1: float) -> str:
    """What the axis title says: the years or months the ticks belong to."""
    a, b = _d(x0), _d(max(x0, x1 - 1e-6))
    if unit == "day":
        if (a.year, a.month) == (b.year, b.month):
            return f"{_MONTHS_LONG[a.month - 1]} {a.year}"
        if a.year == b.year:
            return f"{_MONTHS[a.month - 1]} – {_MONTHS[b.month - 1]} {a.year}"
        return f"{_MONTHS[a.month - 1]} {a.year} – {_MONTHS[b.month - 1]} {b.year}"
    if unit == "month":
        return str(a.year) if a.year == b.year else f"{a.year} – {b.year}"
    return f"{a.year} – {b.year}"


class DayAxis(pg.AxisItem):
    """A bottom axis for days since 1970-01-01 that adapts from centuries to days."""

    def __init__(self, **kw):
        super().__init__("bottom", **kw)
        self._spacing_unit: dict[float, str] = {}
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal, maxVal, size):
        if maxVal <= minVal or not np.isfinite([minVal, maxVal]).all():
            return []
        major, minor = choose_levels(minVal, maxVal, size)
        self._spacing_unit = {major[2]: major[0]}
        out = [(major[2], tick_values(major, minVal, maxVal))]
        if minor is not None:
            self._spacing_unit[minor[2]] = ""
            out.append((minor[2], tick_values(minor, minVal, maxVal)))
        return out

    # the main view's axis leaves its grid lines to _GridItem (a handful of lines in the view), so that the
    # axis does not replay a picture spanning the whole plot on every repaint
    external_grid = False

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):
        if self.external_grid:
            tickSpecs = []
        super().drawPicture(p, axisSpec, tickSpecs, textSpecs)

    def tickStrings(self, values, scale, spacing):
        unit = self._spacing_unit.get(spacing, "")
        if not unit:
            return ["" for _ in values]
        return [tick_label(unit, v) for v in values]


class LaneAxis(pg.AxisItem):
    """Left axis: one tick per lane with the sector name and a colour swatch (the on-screen legend)."""

    def __init__(self, **kw):
        super().__init__("left", **kw)
        self.colors: dict[str, QColor] = {}
        self.swatch = 10

    def set_lanes(self, lanes) -> None:
        self.colors = {l.name: QColor(l.color) for l in lanes}
        self.setTicks([[(i, l.name) for i, l in enumerate(lanes)], []])

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        fm = QFontMetricsF(p.font())
        p.setPen(self.textPen())
        # stay inside the axis: a swatch painted beyond it (while the axis is still narrow, before the lanes set
        # its width) is never repainted over and lingers at the edge of the window
        bounds = self.boundingRect()
        p.setClipRect(bounds)
        for rect, flags, text in textSpecs:
            p.drawText(rect, int(flags), text)
            color = self.colors.get(text)
            if color is None:
                continue
            w = fm.horizontalAdvance(text)
            s = self.swatch
            x = rect.right() - w - s - 6
            if x < bounds.left() + 1:
                continue
            y = rect.center().y() - s / 2
            p.setPen(QPen(color.darker(130), 1))
            p.setBrush(QBrush(color))
            p.drawRoundedRect(QRectF(x, y, s, s), 2, 2)
            p.setPen(self.textPen())


# -- items in the plot ---------------------------------------------------------------------------
def _to_scene(item, painter: QPainter):
    """Switch the painter to scene pixels; return the data→scene mapping (sx, tx, sy, ty)."""
    T = item.sceneTransform()
    inv, ok = T.inverted()
    if not ok:
        return None
    painter.setWorldTransform(inv * painter.worldTransform())
    return T.m11(), T.m31(), T.m22(), T.m32()


class _ViewItem(pg.GraphicsObject):
    """An item whose bounding rect is the visible area of its ViewBox (it paints only what is visible)."""

    def __init__(self, widget: "TimelineWidget"):
        super().__init__()
        self.widget = widget
        self._rect = QRectF()
        # never paint outside the plot area (the lane names and the axis are next to it)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsToShape, True)

    def viewRangeChanged(self):
        vb = self.getViewBox()
        if vb is None:
            return
        r = vb.viewRect()
        if r != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(r)
        self.update()

    def boundingRect(self):
        return QRectF(self._rect)


class _BackgroundItem(_ViewItem):
    """Alternating lane stripes, era tints with their labels in the band above the lanes."""

    def paint(self, p: QPainter, *args):
        w = self.widget
        n = len(w.data.lanes)
        view = self._rect
        if view.isEmpty():
            return
        theme = w.theme
        p.save()
        m = _to_scene(self, p)
        if m is None:
            p.restore()
            return
        sx, tx, sy, ty = m
        left, right = view.left() * sx + tx, view.right() * sx + tx
        if left > right:
            left, right = right, left
        top_lane = -0.5 * sy + ty
        bottom_lane = (n - 0.5) * sy + ty
        band_top = min(view.top(), view.bottom()) * sy + ty
        p.setPen(Qt.PenStyle.NoPen)
        for i in range(1, n, 2):
            y0 = (i - 0.5) * sy + ty
            p.fillRect(QRectF(left, y0, right - left, sy), theme.stripe)
        # eras
        font = pixel_font(w.font(), w.font_px - 1)
        p.setFont(font)
        fm = QFontMetricsF(font)
        for i, era in enumerate(w.data.eras):
            x0, x1 = era.start * sx + tx, era.end * sx + tx
            if x1 < left or x0 > right:
                continue
            cx0, cx1 = max(x0, left), min(x1, right)
            p.fillRect(QRectF(cx0, band_top, cx1 - cx0, bottom_lane - band_top), theme.era_tints[i % 2])
            if left <= x0 <= right:
                p.setPen(QPen(theme.era_line, 1, Qt.PenStyle.DashLine))
                p.drawLine(QPointF(x0, band_top), QPointF(x0, bottom_lane))
                p.setPen(Qt.PenStyle.NoPen)
            avail = cx1 - cx0 - 8
            if avail > 30:
                text = fm.elidedText(era.label, Qt.TextElideMode.ElideRight, avail)
                p.setPen(QPen(theme.fg))
                p.drawText(QRectF(cx0 + 5, band_top, avail, top_lane - band_top),
                           int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
                p.setPen(Qt.PenStyle.NoPen)
        p.restore()


class _GridItem(_ViewItem):
    """The vertical grid lines at the date axis ticks, drawn as pyqtgraph's axis grid (alpha 0.18) would."""

    GRID_ALPHA = int(0.18 * 255)

    def paint(self, p: QPainter, *args):
        w = self.widget
        view = self._rect
        if view.isEmpty():
            return
        x0, x1 = view.left(), view.right()
        if x1 <= x0 or not np.isfinite([x0, x1]).all():
            return
        p.save()
        m = _to_scene(self, p)
        if m is None:
            p.restore()
            return
        sx, tx, sy, ty = m
        key = (x0, x1, sx, tx, sy, ty, view.top(), view.bottom(), w.theme.muted.rgba())
        if getattr(self, "_key", None) != key:
            self._key = key
            self._lines = self._compute(x0, x1, sx, tx, sy, ty, view, QColor(w.theme.muted))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for pen, lines in self._lines:
            p.setPen(pen)
            p.drawLines(lines)
        p.restore()

    def _compute(self, x0, x1, sx, tx, sy, ty, view, base: QColor) -> list:
        left, right = sorted((x0 * sx + tx, x1 * sx + tx))
        top, bottom = sorted((view.top() * sy + ty, view.bottom() * sy + ty))
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
                x = v * sx + tx
                if left - 1e-6 <= x <= right + 1e-6:
                    lines.append(QLineF(x, top, x, bottom))
            if lines:
                out.append((pen, lines))
        return out


class _GlyphItem(_ViewItem):
    """Markers, bars and labels of the sparse lanes; counts over the heat-mapped ones.

    On screen it is cached as a device pixmap (hover and selection repaint only the overlay); exports paint
    it directly so SVG/PDF get vectors.
    """

    def paint(self, p: QPainter, *args):
        w = self.widget
        data = w.data
        if not len(data) or self._rect.isEmpty():
            return
        p.save()
        m = _to_scene(self, p)
        if m is None:
            p.restore()
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        sx, tx, sy, ty = m
        view = self._rect
        vleft, vright = sorted((view.left() * sx + tx, view.right() * sx + tx))
        lane_h = abs(sy)
        theme = w.theme
        font = pixel_font(w.font(), w.font_px - 1)
        p.setFont(font)
        fm = QFontMetricsF(font)
        fh = fm.height()
        rows = w.glyph_rows
        labels: list[tuple] = []
        boxes: list[tuple] = []
        w.drawn_glyphs = 0
        # nothing leaves the plot area: bars that run out of the view, markers on its edge, labels
        plot_rect = QRectF(vleft, min(view.top() * sy + ty, view.bottom() * sy + ty), vright - vleft,
                           abs(view.height() * sy))
        p.setClipRect(plot_rect, Qt.ClipOperation.IntersectClip)
        if len(rows):
            geo = _geometry(data, rows, sx, tx, sy, ty, lane_h, clamp=(vleft, vright))
            w.drawn_glyphs = len(rows)
            lanes_present = np.unique(data.lane[rows])
            bounds = np.searchsorted(data.lane[rows], np.append(lanes_present, lanes_present[-1] + 1))
            widths = w._label_widths(font)
            # while the view is being panned, the labels placed before move with their events; they are
            # placed again once the motion stops (see TimelineWidget._moved)
            layout_key = (id(data), round(sx, 9), round(sy, 9), round(ty, 3), font.key(), round(vleft, 2),
                          round(vright, 2), tuple(w.lane_modes))
            reused = None if w.export_mode else w._shifted_labels(layout_key, tx, vleft, vright)
            for k, lane in enumerate(lanes_present.tolist()):
                seg = slice(int(bounds[k]), int(bounds[k + 1]))
                lane_boxes = _glyph_boxes(geo, seg)
                boxes.append((rows[seg],) + lane_boxes)
                if reused is None:
                    labels.extend(_place_labels(data, rows[seg], geo, seg, fm, fh, lane_h, vleft, vright, w,
                                                boxes=lane_boxes, widths=widths))
            if reused is not None:
                labels = reused
            elif not w.export_mode:
                w._label_layout = (layout_key, tx, list(labels))
            atlas = None
            if not w.export_mode:
                dpr = p.device().devicePixelRatioF() if p.device() is not None else 1.0
                w._atlas.ensure([l.color for l in data.lanes], theme, lane_h, dpr)
                atlas = w._atlas
            for k, lane in enumerate(lanes_present.tolist()):
                seg = slice(int(bounds[k]), int(bounds[k + 1]))
                _draw_glyphs(p, data, rows[seg], geo, seg, QColor(data.lanes[lane].color), theme, lane_h,
                             (atlas, lane, dpr) if atlas is not None else None)
            # labels after the glyphs: they never cover another event, and a halo keeps them readable over
            # grid lines and era tints (a label inside its own bar goes without one)
            halo = QColor(theme.bg)
            halo.setAlpha(200)
            backs = [rect.adjusted(-2, 0, 2, 0) for rect, _text, inside, _row in labels if not inside]
            if backs:
                p.save()
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(halo)
                p.drawRects(backs)
                p.restore()
            p.setPen(QPen(theme.fg))
            for rect, text, _inside, _row in labels:
                p.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
        w._glyph_boxes = boxes
        w.label_rects = [(QRectF(r), t, row) for r, t, _, row in labels]
        w.placed_labels = len(labels)
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
        p.restore()


class _OverlayItem(_ViewItem):
    """Selection highlights (every lane the event appears in) and the hover outline: cheap to repaint."""

    def paint(self, p: QPainter, *args):
        w = self.widget
        data = w.data
        if not len(data) or self._rect.isEmpty():
            return
        if (w.highlight_rows is None or not len(w.highlight_rows)) and w.hover_row is None:
            return
        p.save()
        m = _to_scene(self, p)
        if m is None:
            p.restore()
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        sx, tx, sy, ty = m
        lane_h = abs(sy)
        theme = w.theme
        view = self._rect
        vleft, vright = sorted((view.left() * sx + tx, view.right() * sx + tx))
        p.setClipRect(QRectF(vleft, min(view.top() * sy + ty, view.bottom() * sy + ty), vright - vleft,
                             abs(view.height() * sy)), Qt.ClipOperation.IntersectClip)
        # highlights: the selected events in every lane they appear in
        if w.highlight_rows is not None and len(w.highlight_rows):
            hr = w.highlight_rows
            geo = _geometry(data, hr, sx, tx, sy, ty, lane_h, clamp=(vleft, vright))
            pen = QPen(theme.highlight, 2.5)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            for j in range(len(hr)):
                if geo["bar"][j]:
                    r = QRectF(geo["x0"][j], geo["y"][j] - geo["h"][j] / 2, geo["w"][j], geo["h"][j])
                    p.drawRect(r.adjusted(-2.5, -2.5, 2.5, 2.5))
                else:
                    rad = geo["r"][j] + 3.5
                    p.drawEllipse(QPointF(geo["xc"][j], geo["y"][j]), rad, rad)
        if w.hover_row is not None:
            j = np.array([w.hover_row])
            geo = _geometry(data, j, sx, tx, sy, ty, lane_h, clamp=(vleft, vright))
            p.setPen(QPen(theme.fg, 1.2, Qt.PenStyle.DotLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            if geo["bar"][0]:
                p.drawRect(QRectF(geo["x0"][0], geo["y"][0] - geo["h"][0] / 2, geo["w"][0], geo["h"][0])
                           .adjusted(-2, -2, 2, 2))
            else:
                rad = geo["r"][0] + 2.5
                p.drawEllipse(QPointF(geo["xc"][0], geo["y"][0]), rad, rad)
        p.restore()


def marker_radius(n_sources: np.ndarray, lane_h: float) -> np.ndarray:
    n = np.clip(np.asarray(n_sources, dtype=np.float64) - 1, 0, 6)
    return np.minimum(4.5 + 1.2 * n, max(2.5, lane_h * 0.32))


def _geometry(data: TimelineData, rows: np.ndarray, sx, tx, sy, ty, lane_h,
              clamp: tuple[float, float] | None = None) -> dict:
    """Scene-pixel geometry of rows (vectorised); ``clamp`` cuts bars to a few pixels beyond the view's edges."""
    x0 = data.start[rows] * sx + tx
    x1 = data.end[rows] * sx + tx
    if clamp is not None:
        lo, hi = clamp[0] - 20.0, clamp[1] + 20.0
        x0 = np.clip(x0, lo, hi)
        x1 = np.clip(x1, lo, hi)
    bar = (data.precision[rows] > 0) | data.is_range[rows]
    width = np.maximum(x1 - x0, 3.0)
    h = np.full(len(rows), min(lane_h * 0.42, 16.0))
    h = np.where(data.precision[rows] == 2, h * 0.8, h)
    return {
        "x0": x0, "w": width, "xc": (x0 + x1) * 0.5, "bar": bar, "h": h,
        "y": data.lane[rows].astype(np.float64) * sy + ty,
        "r": marker_radius(data.n_sources[rows], lane_h),
        "stroke": 1.0 + 0.3 * np.clip(data.n_sources[rows].astype(np.float64) - 1, 0, 5),
    }


def _marker_style(color: QColor, theme: Theme, kind: str) -> tuple[QPen, QBrush]:
    """Pen and brush of a marker ("ok" or "rej"); the stroke width is set by the caller."""
    halo = QColor(theme.bg)
    if kind == "rej":
        return QPen(theme.rejected, 1.4), QBrush(halo)
    return QPen(color.darker(160) if not theme.dark else color.lighter(160), 1.0), QBrush(color)


class _MarkerAtlas:
    """Every marker style of the screen drawn once into one pixmap: per lane colour, number-of-sources step and
    state (confirmed/rejected), plus the background-coloured rings. A paint then blits them with one
    ``drawPixmapFragments`` per lane instead of stroking a path of thousands of ellipses (which costs tens of
    milliseconds a frame). Exports draw paths, so SVG and PDF keep vector markers."""

    STEPS = 7  # sources 1..7+ (see marker_radius)

    def __init__(self):
        self.key = None
        self.pixmap = None
        self.cell = 0
        self._frags = None
        try:  # pyqtgraph's numpy-backed PixmapFragment array (what its ScatterPlotItem draws with)
            from pyqtgraph.Qt import internals

            self._frags = internals.PrimitiveArray(QPainter.PixmapFragment, 10)
        except Exception:  # noqa: BLE001 - fall back to one drawPixmap per marker
            self._frags = None

    def ensure(self, colors: list[str], theme: Theme, lane_h: float, dpr: float) -> None:
        steps = np.arange(self.STEPS, dtype=np.float64)
        radii = marker_radius(steps + 1, lane_h)
        strokes = 1.0 + 0.3 * np.clip(steps, 0, 5)
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
        from PySide6.QtGui import QImage, QPixmap

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
                    pen, brush = _marker_style(QColor(name), theme, kind)
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
        cx = np.round(x * dpr) / dpr
        cy = np.round(y * dpr) / dpr
        if self._frags is not None:
            self._frags.resize(n)
            frags = self._frags.ndarray()
            frags[:, 0] = cx
            frags[:, 1] = cy
            frags[:, 2] = src_col * cell
            frags[:, 3] = src_row * cell
            frags[:, 4:6] = cell
            frags[:, 6:10] = [1 / dpr, 1 / dpr, 0.0, 1.0]
            p.drawPixmapFragments(*self._frags.drawargs(), self.pixmap)
            return
        size = cell / dpr
        for a, b, sc, sr in zip(cx.tolist(), cy.tolist(), src_col.tolist(), src_row.tolist()):
            p.drawPixmap(QRectF(a - size / 2, b - size / 2, size, size), self.pixmap,
                         QRectF(sc * cell, sr * cell, cell, cell))


def _draw_glyphs(p: QPainter, data, rows, geo, seg, color: QColor, theme: Theme, lane_h: float,
                 atlas: tuple | None = None) -> None:
    """One lane: bars (translucent, by precision), then markers; rejected hollow and grey.

    ``atlas`` = (_MarkerAtlas, lane index, device pixel ratio) draws the markers as pre-drawn sprites (screen);
    without it they are vector paths (exports)."""
    status = data.status[rows]
    prec = data.precision[rows]
    gx0, gw, gxc, gy = geo["x0"][seg], geo["w"][seg], geo["xc"][seg], geo["y"][seg]
    gbar, gh, gr, gs = geo["bar"][seg], geo["h"][seg], geo["r"][seg], geo["stroke"][seg]
    alpha_by_prec = {1: 120, 2: 70}
    # bars grouped by (fill alpha, stroke) so each group is one path
    groups: dict[tuple, QPainterPath] = {}
    for j in np.flatnonzero(gbar).tolist():
        rej = status[j] == REJECTED
        key = ("rej" if rej else alpha_by_prec.get(int(prec[j]), 140), round(float(gs[j]), 1))
        path = groups.get(key)
        if path is None:
            path = groups[key] = QPainterPath()
            path.setFillRule(Qt.FillRule.WindingFill)  # overlapping glyphs must not cancel out
        path.addRect(QRectF(float(gx0[j]), float(gy[j] - gh[j] / 2), float(gw[j]), float(gh[j])))
    if atlas is not None:
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
    if atlas is not None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        sprites, lane, dpr = atlas
        pick = np.flatnonzero(~gbar)
        if len(pick):
            step = np.clip(data.n_sources[rows][pick].astype(np.int64) - 1, 0, sprites.STEPS - 1)
            rej = (status[pick] == REJECTED).astype(np.int64)
            xs, ys = gxc[pick], gy[pick]
            sprites.draw(p, xs, ys, step, np.zeros(len(pick), dtype=np.int64), dpr)  # rings first
            sprites.draw(p, xs, ys, step * 2 + rej, np.full(len(pick), lane + 1, dtype=np.int64), dpr)
        return
    marks: dict[tuple, QPainterPath] = {}
    for j in np.flatnonzero(~gbar).tolist():
        rej = status[j] == REJECTED
        key = ("rej" if rej else "ok", round(float(gs[j]), 1))
        path = marks.get(key)
        if path is None:
            path = marks[key] = QPainterPath()
            path.setFillRule(Qt.FillRule.WindingFill)
        r = float(gr[j])
        path.addEllipse(QPointF(float(gxc[j]), float(gy[j])), r, r)
    halo = QColor(theme.bg)
    for (kind, stroke), path in marks.items():
        # a ring in the background colour keeps markers visible over bars of the same colour
        p.setPen(QPen(halo, stroke + 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        pen, brush = _marker_style(color, theme, kind)
        if kind != "rej":
            pen.setWidthF(stroke)
        p.setPen(pen)
        p.setBrush(brush)
        p.drawPath(path)


def _glyph_boxes(geo: dict, seg) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x0, y0, x1, y1) arrays of the rectangle each glyph of one lane covers (bar, or marker with its ring)."""
    gx0, gw, gxc, gy = geo["x0"][seg], geo["w"][seg], geo["xc"][seg], geo["y"][seg]
    gbar, gh, gr, gs = geo["bar"][seg], geo["h"][seg], geo["r"][seg], geo["stroke"][seg]
    half = gs / 2
    ring = gr + (gs + 3) / 2
    x0 = np.where(gbar, gx0 - half, gxc - ring)
    x1 = np.where(gbar, gx0 + gw + half, gxc + ring)
    y0 = np.where(gbar, gy - gh / 2 - half, gy - ring)
    y1 = np.where(gbar, gy + gh / 2 + half, gy + ring)
    return x0, y0, x1, y1


def _glyph_rects(geo: dict, seg) -> list[QRectF]:
    """The rectangle each glyph of one lane covers on screen (bar, or the marker with its ring)."""
    x0, y0, x1, y1 = _glyph_boxes(geo, seg)
    return [QRectF(a, b, c - a, d - b) for a, b, c, d in zip(x0.tolist(), y0.tolist(), x1.tolist(), y1.tolist())]


LABEL_GAP = 4.0       # pixels kept free between a label and any glyph or other label
MIN_LABEL_PX = 64.0   # an elided label narrower than this is not worth drawing (the tooltip has it)
LABEL_CANDIDATES = 3  # per lane, at most this many times as many candidates as labels could fit are considered


def _place_labels(data, rows, geo, seg, fm: QFontMetricsF, fh: float, lane_h: float, vleft: float, vright: float,
                  w: "TimelineWidget", *, boxes=None, widths: dict | None = None) -> list[tuple]:
    """Greedy, collision-free placement in one lane: ``(rect, text, inside_own_bar, row)`` per placed label.

    Each label tries, in order: right of its glyph on the lane's centre line; above, then below, the band of
    glyphs (when the lane is tall enough for a line of text there); inside its own bar when the bar is wider than
    the text and nothing else is drawn there. A position is taken only if the label's rectangle (plus
    :data:`LABEL_GAP`) meets no glyph of the lane and no label placed before; a title that does not fit up to the
    next obstacle is elided, and skipped when that leaves less than :data:`MIN_LABEL_PX`. Events with more
    sources choose first. A skipped title is still in the tooltip.

    Vectorised: every candidate position is first tested against the glyphs at once (sorted obstacle edges and
    ``searchsorted``); each placed label then narrows or rules out the remaining positions in one numpy pass, so
    the cost grows with the number of placed labels, not with candidates × obstacles. At most
    :data:`LABEL_CANDIDATES` times the number of labels that could fit the lane are considered.
    """
    n = len(rows)
    if lane_h < fh * 0.95 or not n:
        return []
    ox0, oy0, ox1, oy1 = boxes if boxes is not None else _glyph_boxes(geo, seg)
    # obstacles: the glyphs grown by the gap
    ox0, ox1, oy0, oy1 = ox0 - LABEL_GAP, ox1 + LABEL_GAP, oy0 - 1, oy1 + 1
    yc = float(geo["y"][seg][0])
    band = float(max(np.max(geo["h"][seg]), 2 * np.max(geo["r"][seg])))
    tall = lane_h >= band + 2 * fh + 2
    off = min(band / 2 + fh / 2 + 1, lane_h / 2 - fh / 2)
    gx0, gw, gxc, gbar, gr = geo["x0"][seg], geo["w"][seg], geo["xc"][seg], geo["bar"][seg], geo["r"][seg]
    lo_x, hi_x = vleft + 2, vright - 2
    g_left = np.where(gbar, gx0, gxc - gr)
    g_right = np.where(gbar, gx0 + gw, gxc + gr)
    start = np.maximum(g_left, lo_x)
    ids = data.event_id[rows]
    # positions: (lx, centre y, limit, valid, skip own obstacle)
    right_lx = np.maximum(g_right, ox1 - LABEL_GAP) + LABEL_GAP + 1
    positions = [(right_lx, yc, np.full(n, hi_x), np.ones(n, bool), False)]
    if tall:
        positions += [(start, yc - off, np.full(n, hi_x), np.ones(n, bool), False),
                      (start, yc + off, np.full(n, hi_x), np.ones(n, bool), False)]
    inside_ok = gbar & (g_right - start > MIN_LABEL_PX + 6)
    if inside_ok.any():
        positions.append((start + 3, yc, np.minimum(g_right, hi_x) - 3, inside_ok, True))
    P = len(positions)
    half_h = fh / 2
    # obstacle-only test of every position of every glyph
    R = np.empty((P, n))
    alive = np.empty((P, n), dtype=bool)
    LX = np.empty((P, n))
    for p, (lx, y, limit, valid, skip) in enumerate(positions):
        top, bottom = y - half_h, y + half_h
        m = (oy1 > top) & (oy0 < bottom)
        sx0 = np.sort(ox0[m])
        sx1 = np.sort(ox1[m])
        cover = np.searchsorted(sx0, lx, side="right") - np.searchsorted(sx1, lx, side="right")
        if skip:
            cover = cover - (m & (ox0 <= lx) & (ox1 > lx))
        k = np.searchsorted(sx0, lx, side="right")
        nxt = np.append(sx0, np.inf)[k]
        R[p] = np.minimum(np.minimum(limit, lx + MAX_LABEL_PX), nxt)
        alive[p] = valid & (cover <= 0) & (lx >= lo_x) & (lx <= hi_x - MIN_LABEL_PX) & (R[p] - lx > 1)
        LX[p] = lx
    # candidates: events with more sources first, then left to right; only those with a possible position
    order = np.lexsort((gx0, -data.n_sources[rows].astype(np.int64)))
    order = order[alive[:, order].any(axis=0)]
    if len(order):
        _, first = np.unique(ids[order], return_index=True)  # an event once per lane
        order = order[np.sort(first)]
    fit_count = int(math.ceil((hi_x - lo_x) / (MIN_LABEL_PX + LABEL_GAP))) * (3 if tall else 1) + 1
    order = order[:LABEL_CANDIDATES * fit_count]
    if not len(order):
        return []
    titles = data.titles
    if hasattr(titles, "prefetch"):
        titles.prefetch(ids[order].tolist())
    if widths is None:
        widths = {}
    K = len(order)
    tw = np.full(K, np.inf)
    texts: list[str | None] = []
    for c, j in enumerate(order.tolist()):
        eid = int(ids[j])
        title = titles.get(eid)
        texts.append(title or None)
        if title:
            t = widths.get(title)
            if t is None:
                t = widths[title] = fm.horizontalAdvance(title)
            tw[c] = t
    has_title = np.array([t is not None for t in texts])
    R, LX, alive = R[:, order], LX[:, order], alive[:, order] & has_title[None, :]
    ys = [pos[1] for pos in positions]

    avail = R - LX
    ok = alive & ((tw[None, :] + 1 <= avail) | (avail >= MIN_LABEL_PX))
    out: list[tuple] = []
    c = 0
    while c < K:
        anyok = ok[:, c:].any(axis=0)
        hits = np.flatnonzero(anyok)
        if not len(hits):
            break
        c += int(hits[0])
        placed = None
        for p in range(P):
            if not ok[p, c]:
                continue
            lx, avail, title = float(LX[p, c]), float(R[p, c] - LX[p, c]), texts[c]
            width, text = float(tw[c]), title
            if width + 1 > avail:
                text = fm.elidedText(title, Qt.TextElideMode.ElideRight, avail - 1)
                if not text or text == "…":
                    ok[p, c] = False
                    continue
                width = fm.horizontalAdvance(text)
            placed = (p, QRectF(lx, ys[p] - half_h, width + 1, fh), text)
            break
        if placed is None:
            c += 1
            continue
        p, rect, text = placed
        j = int(order[c])
        out.append((rect, text, positions[p][4], int(rows[j])))
        c += 1
        if c >= K:
            break
        # the new label narrows or rules out the later candidates' positions
        l0, l1, t0, b0 = rect.left(), rect.right(), rect.top(), rect.bottom()
        for q in range(P):
            top, bottom = ys[q] - half_h, ys[q] + half_h
            if b0 + 1 <= top or t0 - 1 >= bottom:
                continue
            lxq = LX[q, c:]
            affected = l1 + LABEL_GAP > lxq
            if not affected.any():
                continue
            killed = affected & (l0 - LABEL_GAP <= lxq)
            alive[q, c:] &= ~killed
            R[q, c:] = np.where(affected, np.minimum(R[q, c:], l0 - LABEL_GAP), R[q, c:])
            avail = R[q, c:] - lxq
            ok[q, c:] = alive[q, c:] & ((tw[c:] + 1 <= avail) | (avail >= MIN_LABEL_PX))
    return out


class _TimelineViewBox(pg.ViewBox):
    """x-only navigation; right-drag or shift-drag zooms to a box; clicks go to the widget."""

    def __init__(self, widget: "TimelineWidget"):
        super().__init__(enableMenu=False)
        self.widget = widget
        self.setMouseEnabled(x=True, y=False)

    def mouseClickEvent(self, ev):
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            pos = self.mapSceneToView(ev.scenePos())
            self.widget.click_at(int(round(pos.y())), pos.x(), scene_x=ev.scenePos().x())
        else:
            ev.ignore()

    def mouseDragEvent(self, ev, axis=None):
        box = ev.button() == Qt.MouseButton.RightButton or (
            ev.button() == Qt.MouseButton.LeftButton and ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if not box:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        a, b = ev.buttonDownPos(), ev.pos()
        if ev.isFinish():
            self.rbScaleBox.hide()
            x0, x1 = sorted((self.mapToView(a).x(), self.mapToView(b).x()))
            if abs(b.x() - a.x()) > 3:
                self.widget.set_x_range(x0, x1)
        else:
            self.updateScaleBox(QPointF(a.x(), 0), QPointF(b.x(), self.height()))


class _Bar(pg.GraphicsWidget):
    """A strip of text or legend entries painted with QPainter (vector in SVG/PDF)."""

    def __init__(self, widget: "TimelineWidget", kind: str, text: str = ""):
        super().__init__()
        self.widget = widget
        self.kind = kind
        self.text = text
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.relayout(800)

    def _entries(self):
        w = self.widget
        out = [("lane", l.name, QColor(l.color)) for l in w.data.lanes]
        out += [("dot", "day", None), ("bar", "month / year / range", None), ("hollow", "rejected", None),
                ("big", "more sources = larger", None)]
        return out

    def _font(self) -> QFont:
        w = self.widget
        return pixel_font(w.font(), w.font_px + 5, bold=True) if self.kind == "title" else pixel_font(
            w.font(), w.font_px - 1)

    def relayout(self, width: float) -> None:
        fm = QFontMetricsF(self._font())
        if self.kind == "title":
            h = fm.height() + 12 if self.text else 0
        else:
            x, lines = 0.0, 1
            for _, name, _ in self._entries():
                ew = 16 + fm.horizontalAdvance(name) + 18
                if x + ew > width - 20 and x > 0:
                    lines, x = lines + 1, 0.0
                x += ew
            h = lines * (fm.height() + 6) + 8
        self.setMinimumHeight(h)
        self.setMaximumHeight(h)
        self.setPreferredHeight(h)
        self.update()

    def paint(self, p: QPainter, *args):
        w = self.widget
        theme = w.theme
        font = self._font()
        p.setFont(font)
        fm = QFontMetricsF(font)
        r = self.boundingRect()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self.kind == "title":
            p.setPen(QPen(theme.fg))
            p.drawText(r.adjusted(12, 0, -12, 0), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                       self.text)
            return
        lh = fm.height() + 6
        x, y = 12.0, 4.0
        sample = QColor(theme.fg)
        for kind, name, color in self._entries():
            ew = 16 + fm.horizontalAdvance(name) + 18
            if x + ew > r.width() - 8 and x > 12:
                x, y = 12.0, y + lh
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
            else:
                p.setPen(QPen(sample, 1))
                p.setBrush(QBrush(theme.muted))
                p.drawEllipse(QPointF(x + 1, cy), 2.5, 2.5)
                p.drawEllipse(QPointF(x + 9, cy), 4.5, 4.5)
                x += 4
            p.setPen(QPen(theme.fg))
            p.drawText(QRectF(x + 16, y, ew, lh), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                       name)
            x += ew


# -- the widget ----------------------------------------------------------------------------------
class TimelineWidget(QWidget):
    """Renders TimelineData; observes and drives the shared ExplorerState."""

    def __init__(self, state: ExplorerState, parent: QWidget | None = None, *, theme: Theme | None = None,
                 export_mode: bool = False, title: str | None = None):
        super().__init__(parent)
        self.state = state
        self.export_mode = export_mode
        self._fixed_theme = theme
        self.theme = theme or Theme.from_palette(self.palette())
        self.font_px = max(11, QFontMetricsF(self.font()).height() * 0.82)
        self.font_px = int(round(min(self.font_px, 15)))
        self.data = TimelineData()
        # what is drawn (read by tests and the painter)
        self.highlighted_ids: frozenset[int] = frozenset()
        self.highlight_rows: np.ndarray | None = None
        self.hover_row: int | None = None
        self.lane_modes: list[str] = []          # "glyphs" | "aggregate" per lane
        self.lod_mode = "empty"                  # "empty" | "glyphs" | "mixed" | "aggregate"
        self.counts: np.ndarray = np.zeros((0, 1), dtype=np.int64)
        self.count_edges: np.ndarray = np.zeros(2)
        self.glyph_rows: np.ndarray = np.zeros(0, dtype=np.int64)
        self.count_cells: list[tuple[int, float, float, int]] = []
        self.drawn_glyphs = 0
        self.placed_labels = 0
        # scene-pixel geometry of the last paint: (data row, rect) per glyph, (rect, text, data row) per label
        self._glyph_boxes: list[tuple] = []     # per lane: (rows, x0, y0, x1, y1) arrays
        self._widths: tuple = (None, {})        # (font key, title -> advance) for label widths
        self.label_rects: list[tuple[QRectF, str, int]] = []
        self.last_lod_ms = 0.0
        self._atlas = _MarkerAtlas()
        self._aggregates = AggregateCache()
        self._label_layout = None        # (key, tx, labels) of the last placement on screen
        self._labels_shifted = False     # the last paint moved old labels instead of placing them
        self._moving = False             # a view change less than MOTION_SETTLE_MS ago
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(MOTION_SETTLE_MS)
        self._settle.timeout.connect(self._motion_settled)
        self._syncing = False
        self._view_initialised = False
        self._had_rows = False

        self.glw = pg.GraphicsLayoutWidget()
        self.glw.ci.setContentsMargins(4, 4, 14, 4)
        self.glw.ci.setSpacing(2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.glw)

        self.title_bar = _Bar(self, "title", title or "")
        row = 0
        if title:
            self.glw.ci.addItem(self.title_bar, row=row, col=0)
            row += 1
        self.vb = _TimelineViewBox(self)
        self.bottom_axis = DayAxis()
        self.lane_axis = LaneAxis()
        self.plot = pg.PlotItem(viewBox=self.vb, axisItems={"bottom": self.bottom_axis, "left": self.lane_axis})
        self.glw.ci.addItem(self.plot, row=row, col=0)
        row += 1
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.vb.invertY(True)
        self.vb.disableAutoRange()
        # vertical grid lines: drawn by _GridItem at the axis ticks (the axis's own grid replays a whole-plot
        # picture on every repaint)
        self.bottom_axis.external_grid = True
        self.bottom_axis.setLabel(" ")

        self.background = _BackgroundItem(self)
        self.background.setZValue(-20)
        self.vb.addItem(self.background, ignoreBounds=True)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(-5)
        self.vb.addItem(self.image, ignoreBounds=True)
        self.glyphs = _GlyphItem(self)
        self.glyphs.setZValue(5)
        if not export_mode:
            self.glyphs.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.vb.addItem(self.glyphs, ignoreBounds=True)
        self.overlay = _OverlayItem(self)
        self.overlay.setZValue(8)
        self.vb.addItem(self.overlay, ignoreBounds=True)
        self.grid = _GridItem(self)
        self.grid.setZValue(9)  # above everything in the view, as the axis grid was
        self.vb.addItem(self.grid, ignoreBounds=True)

        self.legend = None
        if export_mode:
            self.legend = _Bar(self, "legend")
            self.glw.ci.addItem(self.legend, row=row, col=0)
            row += 1

        self.overview = None
        self.region = None
        if not export_mode:
            self.ov_axis = DayAxis()
            self.ov_left = pg.AxisItem("left")
            self.overview = pg.PlotItem(axisItems={"bottom": self.ov_axis, "left": self.ov_left})
            self.glw.ci.addItem(self.overview, row=row, col=0)
            row += 1
            self.overview.hideButtons()
            self.overview.setMenuEnabled(False)
            self.overview.setMouseEnabled(x=False, y=False)
            self.overview.setMaximumHeight(78)
            self.overview.setMinimumHeight(60)
            ovb = self.overview.getViewBox()
            ovb.invertY(True)
            ovb.disableAutoRange()
            self.ov_left.setTicks([[], []])
            self.ov_left.setStyle(showValues=False, tickLength=0)
            self.ov_image = pg.ImageItem(axisOrder="col-major")
            self.overview.addItem(self.ov_image)
            self.region = pg.LinearRegionItem(values=(0, 1), orientation="vertical")
            self.region.setZValue(10)
            self.overview.addItem(self.region, ignoreBounds=True)
            self.region.sigRegionChanged.connect(self._on_region_changed)
            ovb.mouseClickEvent = self._overview_clicked

        self._apply_theme()

        self._lod_timer = QTimer(self)
        self._lod_timer.setSingleShot(True)
        self._lod_timer.setInterval(0)
        self._lod_timer.timeout.connect(self.update_lod)

        self.vb.sigXRangeChanged.connect(self._on_view_range_changed)
        self.vb.sigResized.connect(self._on_resized)
        self.glw.scene().sigMouseMoved.connect(self._on_mouse_moved)
        state.selectionChanged.connect(self._on_selection_changed)
        state.visibleRangeChanged.connect(self._on_state_range)

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.glw.installEventFilter(self)
        for seq, fn in (("+", lambda: self.zoom(1.5)), ("=", lambda: self.zoom(1.5)), ("-", lambda: self.zoom(1 / 1.5)),
                        ("Left", lambda: self.pan(-0.2)), ("Right", lambda: self.pan(0.2)), ("0", self.fit_all),
                        ("Home", self.go_start), ("End", self.go_end)):
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(fn)
        self.set_data(self.data)
        self._view_initialised = False  # the empty start does not count as a view to keep

    @property
    def glyph_rects(self) -> list[tuple[int, QRectF]]:
        """(data row, scene rect) of every glyph of the last paint (built on demand)."""
        out = []
        for rows, x0, y0, x1, y1 in self._glyph_boxes:
            out.extend((int(r), QRectF(a, b, c - a, d - b)) for r, a, b, c, d in
                       zip(rows.tolist(), x0.tolist(), y0.tolist(), x1.tolist(), y1.tolist()))
        return out

    def _label_widths(self, font: QFont) -> dict:
        key = (font.key(), id(self.data))
        if self._widths[0] != key:
            self._widths = (key, {})
        if len(self._widths[1]) > 20_000:
            self._widths[1].clear()
        return self._widths[1]

    # -- appearance ------------------------------------------------------------------------------
    def _apply_theme(self) -> None:
        t = self.theme
        self.glw.setBackground(t.bg)
        tick_font = pixel_font(self.font(), self.font_px)
        for axis in (self.bottom_axis, self.lane_axis):
            axis.setPen(pg.mkPen(t.muted))
            axis.setTextPen(pg.mkPen(t.fg))
            axis.setStyle(tickFont=tick_font)
        self.bottom_axis.label.setDefaultTextColor(t.fg)
        self.bottom_axis.label.setFont(pixel_font(self.font(), self.font_px))
        self.lane_axis.setStyle(tickLength=0)
        if self.overview is not None:
            for axis in (self.ov_axis, self.ov_left):
                axis.setPen(pg.mkPen(t.muted))
                axis.setTextPen(pg.mkPen(t.fg))
                axis.setStyle(tickFont=pixel_font(self.font(), self.font_px - 2))
            # the window of the main view: a light wash of the palette's highlight, its edges as handles
            accent = QColor(t.accent if t.accent is not None else t.highlight)
            brush = QColor(accent)
            brush.setAlpha(38)
            hover = QColor(accent)
            hover.setAlpha(64)
            self.region.setBrush(brush)
            self.region.setHoverBrush(hover)
            edge = QColor(accent)
            edge.setAlpha(220)
            for line, markers in zip(self.region.lines, (("<|>",), ("<|>",))):
                line.setPen(pg.mkPen(edge, width=2))
                line.setHoverPen(pg.mkPen(accent, width=4))
                line.clearMarkers()
                for marker in markers:
                    line.addMarker(marker, position=0.5, size=10.0)
                line.setCursor(Qt.CursorShape.SizeHorCursor)
            self.region.update()
        self._update_overview()
        self.update_lod()

    def changeEvent(self, ev):
        if ev.type() == QEvent.Type.PaletteChange and getattr(self, "_lod_timer", None) is not None \
                and self._fixed_theme is None:
            self.theme = Theme.from_palette(self.palette())
            self._apply_theme()
        super().changeEvent(ev)

    # -- data ------------------------------------------------------------------------------------
    def set_data(self, data: TimelineData) -> None:
        """Show new data; keep the current view if it still meets the data, else fit all."""
        self.data = data
        self.lane_axis.set_lanes(data.lanes)
        fm = QFontMetricsF(pixel_font(self.font(), self.font_px))
        widest = max([fm.horizontalAdvance(l.name) for l in data.lanes] or [40])
        left_w = int(min(widest, 240) + self.lane_axis.swatch + 20)
        self.lane_axis.setWidth(left_w)
        if self.overview is not None:
            self.ov_left.setWidth(left_w)
        self._update_y_range()
        ext = self.full_range()
        margin = max(ext[1] - ext[0], 3653.0)  # room to keep a view across filter changes
        self.vb.setLimits(xMin=ext[0] - margin, xMax=ext[1] + margin, minXRange=MIN_RANGE_DAYS,
                          maxXRange=3 * margin)
        if self.legend is not None:
            self.legend.relayout(self.width() or 1600)
        self._update_overview()
        keep = None
        if self._view_initialised and self._had_rows:
            x0, x1 = self.x_range()
            keep = (x0, x1)
        elif self.state.visible_range is not None and not self._view_initialised:
            keep = self.state.visible_range
        if keep is not None and keep[1] > ext[0] and keep[0] < ext[1] and len(data):
            self.set_x_range(*keep)
        else:
            self.fit_all()
        self._view_initialised = True
        self._had_rows = bool(len(data))
        self._update_highlight(self.state.selection)
        self.update_lod()

    def full_range(self) -> tuple[float, float]:
        """The whole filtered range with a small margin (one year around today when empty)."""
        ext = self.data.extent
        if ext is None:
            today = float(dt.date.today().toordinal() - _EPOCH_ORD)
            return today - 365.0, today + 30.0
        span = max(ext[1] - ext[0], 30.0)
        return ext[0] - span * 0.03, ext[1] + span * 0.03

    def _update_y_range(self) -> None:
        n = max(len(self.data.lanes), 1)
        h = max(self.vb.height(), 50.0)
        pad = ERA_BAND_PX * n / max(h - ERA_BAND_PX, 10.0)
        self.vb.setYRange(-0.5 - pad, n - 0.5, padding=0)
        if self.overview is not None:
            self.overview.getViewBox().setYRange(-0.5, n - 0.5, padding=0)

    def _update_overview(self) -> None:
        if self.overview is None:
            return
        x0, x1 = self.full_range()
        self.overview.getViewBox().setXRange(x0, x1, padding=0)
        cols = 600
        counts = self._aggregates.get(self.data, x0, x1, cols)
        rgba = _heat_rgba(counts, self.data.lanes, sub=1, floor=90)
        self.ov_image.setImage(rgba, autoLevels=False, levels=(0, 255))
        self.ov_image.setRect(QRectF(x0, -0.5, x1 - x0, max(len(self.data.lanes), 1)))
        if self._view_initialised:
            self._sync_region()

    # -- view ------------------------------------------------------------------------------------
    def x_range(self) -> tuple[float, float]:
        r = self.vb.viewRange()[0]
        return float(r[0]), float(r[1])

    def set_x_range(self, x0: float, x1: float) -> None:
        if x1 < x0:
            x0, x1 = x1, x0
        if x1 - x0 < MIN_RANGE_DAYS:
            c = (x0 + x1) / 2
            x0, x1 = c - MIN_RANGE_DAYS / 2, c + MIN_RANGE_DAYS / 2
        self.vb.setXRange(x0, x1, padding=0)

    def fit_all(self) -> None:
        self.set_x_range(*self.full_range())

    def zoom(self, factor: float, center: float | None = None) -> None:
        """factor > 1 zooms in around ``center`` (days; the middle of the view by default)."""
        x0, x1 = self.x_range()
        c = (x0 + x1) / 2 if center is None else float(center)
        self.set_x_range(c - (c - x0) / factor, c + (x1 - c) / factor)

    def pan(self, fraction: float) -> None:
        """Move the view by a fraction of its width (positive: later)."""
        x0, x1 = self.x_range()
        d = (x1 - x0) * fraction
        self.set_x_range(x0 + d, x1 + d)

    def go_start(self) -> None:
        x0, x1 = self.x_range()
        a = self.full_range()[0]
        self.set_x_range(a, a + (x1 - x0))

    def go_end(self) -> None:
        x0, x1 = self.x_range()
        b = self.full_range()[1]
        self.set_x_range(b - (x1 - x0), b)

    def handle_key(self, key) -> bool:
        """Keyboard navigation; returns whether the key was used."""
        k = _key_int(key)
        actions = {
            _key_int(Qt.Key.Key_Plus): lambda: self.zoom(1.5), _key_int(Qt.Key.Key_Equal): lambda: self.zoom(1.5),
            _key_int(Qt.Key.Key_Minus): lambda: self.zoom(1 / 1.5), _key_int(Qt.Key.Key_Left): lambda: self.pan(-0.2),
            _key_int(Qt.Key.Key_Right): lambda: self.pan(0.2), _key_int(Qt.Key.Key_0): self.fit_all,
            _key_int(Qt.Key.Key_Home): self.go_start, _key_int(Qt.Key.Key_End): self.go_end,
        }
        fn = actions.get(k)
        if fn is None:
            return False
        fn()
        return True

    def keyPressEvent(self, ev):
        if not self.handle_key(ev.key()):
            super().keyPressEvent(ev)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:
        if obj is self.glw and ev.type() == QEvent.Type.KeyPress and self.handle_key(ev.key()):
            return True
        return super().eventFilter(obj, ev)

    def _on_resized(self, *_):
        self._update_y_range()
        if self.legend is not None:
            self.legend.relayout(self.width())
        self._lod_timer.start()

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        if self.legend is not None:
            self.legend.relayout(self.width())

    def _shifted_labels(self, key, tx: float, vleft: float, vright: float) -> list | None:
        """During a pan (same zoom, lanes and lane modes), the last placed labels moved by the pan; None when
        the labels must be placed again."""
        layout = self._label_layout
        if not self._moving or layout is None or layout[0] != key:
            self._labels_shifted = False
            return None
        d = tx - layout[1]
        if abs(d) >= vright - vleft:
            self._labels_shifted = False
            return None
        out = []
        for rect, text, inside, row in layout[2]:
            r = rect.translated(d, 0.0)
            if r.right() > vleft and r.left() < vright:
                out.append((r, text, inside, row))
        self._labels_shifted = True
        return out

    def _motion_settled(self) -> None:
        self._moving = False
        if self._labels_shifted:
            self.glyphs.update()  # place the labels for where the view came to rest

    def _on_view_range_changed(self, _vb, rng):
        self._moving = True
        self._settle.start()
        x0, x1 = float(rng[0]), float(rng[1])
        self._update_axis_label(x0, x1)
        self._sync_region()
        if not self._syncing and len(self.data):
            self.state.set_visible_range(x0, x1, origin=self)
        self.update_lod()

    def _update_axis_label(self, x0: float, x1: float) -> None:
        major, _ = choose_levels(x0, x1, max(self.vb.width(), 100.0))
        text = context_label(major[0], x0, x1)
        if text != getattr(self, "_axis_label", None):  # an unchanged label would still relayout and repaint
            self._axis_label = text
            self.bottom_axis.setLabel(text)

    def _on_state_range(self, x0: float, x1: float, origin: object) -> None:
        if origin is self:
            return
        self._syncing = True
        try:
            self.set_x_range(x0, x1)
        finally:
            self._syncing = False

    def _sync_region(self) -> None:
        if self.region is None:
            return
        x0, x1 = self.x_range()
        r = self.region.getRegion()
        if abs(r[0] - x0) > 1e-6 or abs(r[1] - x1) > 1e-6:
            self.region.blockSignals(True)
            self.region.setRegion((x0, x1))
            self.region.blockSignals(False)

    def _on_region_changed(self, *_):
        a, b = self.region.getRegion()
        x0, x1 = self.x_range()
        if abs(a - x0) > 1e-6 or abs(b - x1) > 1e-6:
            self.set_x_range(a, b)

    def _overview_clicked(self, ev):
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            c = self.overview.getViewBox().mapSceneToView(ev.scenePos()).x()
            x0, x1 = self.x_range()
            self.set_x_range(c - (x1 - x0) / 2, c + (x1 - x0) / 2)

    # -- level of detail -------------------------------------------------------------------------
    def update_lod(self) -> None:
        """Bin the visible range per pixel column; crowded lanes become a heat-map image."""
        import time

        t0 = time.perf_counter()
        # apply the new range to the view's transform now: pyqtgraph defers it to the start of the next paint,
        # where setting it invalidates the view again and Qt paints every frame twice
        self.vb.updateMatrix()
        data = self.data
        n = len(data.lanes)
        x0, x1 = self.x_range()
        cols = max(1, int(round(self.vb.width()))) if self.vb.width() > 1 else 800
        if not len(data) or x1 <= x0:
            self.counts = np.zeros((n, cols), dtype=np.int64)
            self.lane_modes = ["glyphs"] * n
            self.lod_mode = "empty"
            self.glyph_rows = np.zeros(0, dtype=np.int64)
            self.count_cells = []
            self.image.clear()
            self.glyphs.update()
            return
        # one column per pixel; when a day is wider than a pixel, one column per day, aligned on midnight
        # (events are at least a day long: finer columns would only draw thin lines)
        a0, a1 = x0, x1
        if x1 - x0 < cols:
            a0, a1 = math.floor(x0), math.ceil(x1)
            cols = max(1, int(a1 - a0))
        counts = self._aggregates.get(data, a0, a1, cols)
        self.counts = counts
        self.count_edges = column_edges(a0, a1, cols)
        col_px = max(self.vb.width(), 1.0) * (a1 - a0) / max(x1 - x0, 1e-9) / cols
        per_lane = counts.sum(axis=1)
        crowded = per_lane > LOD_THRESHOLD
        self.lane_modes = ["aggregate" if c else "glyphs" for c in crowded]
        if crowded.all():
            self.lod_mode = "aggregate"
        elif crowded.any():
            self.lod_mode = "mixed"
        else:
            self.lod_mode = "glyphs"
        sparse = np.flatnonzero(~crowded)
        self.glyph_rows = visible_rows(data, x0, x1, lanes=sparse.tolist()) if len(sparse) else np.zeros(0, np.int64)
        if crowded.any():
            masked = np.where(crowded[:, None], counts, 0)
            rgba = _heat_rgba(masked, data.lanes, sub=8, floor=45)
            self.image.setImage(rgba, autoLevels=False, levels=(0, 255))
            self.image.setRect(QRectF(a0, -0.5, a1 - a0, n))
            self.image.show()
            self.count_cells = _count_cells(counts, crowded, self.count_edges, max(1, int(round(56 / col_px))))
        else:
            self.image.clear()
            self.image.hide()
            self.count_cells = []
        self.glyphs.update()
        self.overlay.update()
        self.background.update()
        self.grid.update()
        self.last_lod_ms = (time.perf_counter() - t0) * 1000

    # -- selection -------------------------------------------------------------------------------
    def _on_selection_changed(self, ids: tuple, origin: object) -> None:
        self._update_highlight(ids)
        if origin is not self and ids:
            self._reveal(ids[0])

    def _update_highlight(self, ids) -> None:
        ids = tuple(ids)[:500]
        if ids and len(self.data):
            rows = np.flatnonzero(np.isin(self.data.event_id, np.asarray(ids, dtype=np.int64)))
        else:
            rows = np.zeros(0, dtype=np.int64)
        self.highlight_rows = rows
        self.highlighted_ids = frozenset(int(i) for i in np.unique(self.data.event_id[rows])) if len(rows) else frozenset()
        self.overlay.update()

    def _reveal(self, event_id: int) -> None:
        rows = self.data.rows_of_event(event_id)
        if not len(rows):
            return
        s, e = float(self.data.start[rows[0]]), float(self.data.end[rows[0]])
        x0, x1 = self.x_range()
        if e <= x0 or s >= x1:
            c, w = (s + e) / 2, x1 - x0
            self.set_x_range(c - w / 2, c + w / 2)

    def select_event(self, event_id: int) -> None:
        """Select (and bring into view) one event."""
        self.state.set_selection([int(event_id)], origin=self)
        self._reveal(int(event_id))

    def _px_per_day(self) -> float:
        x0, x1 = self.x_range()
        return max(self.vb.width(), 1.0) / max(x1 - x0, 1e-9)

    def _lane_px(self) -> float:
        yr = self.vb.viewRange()[1]
        return max(self.vb.height(), 1.0) / max(yr[1] - yr[0], 1e-9)

    def event_at(self, lane: int, x: float) -> int | None:
        """The event drawn at (lane, x) in a sparse lane, within the marker's size."""
        if lane < 0 or lane >= len(self.data.lanes):
            return None
        tol_px = float(marker_radius(np.array([6]), self._lane_px())[0]) + 3
        return hit_test(self.data, lane, x, tol_px / self._px_per_day())

    def cell_at(self, lane: int, x: float, spread_px: float = 2.0) -> list[int]:
        """Events counted in the heat-map cells under x (± ``spread_px`` pixels) of a crowded lane."""
        edges = self.count_edges
        cols = len(edges) - 1
        col_px = (edges[-1] - edges[0]) / cols * self._px_per_day()
        spread = int(spread_px // max(col_px, 1e-9))
        c = int(np.clip(np.searchsorted(edges, x, side="right") - 1, 0, cols - 1))
        a, b = max(0, c - spread), min(cols, c + spread + 1)
        return rows_in_cell(self.data, lane, float(edges[a]), float(edges[b]), view=(float(edges[0]), float(edges[-1])))

    def click_at(self, lane: int, x: float, *, scene_x: float | None = None) -> tuple[int, ...]:
        """What a left click at (lane, x days) does: select the event there (or the events of a heat-map cell)."""
        ids: list[int] = []
        if 0 <= lane < len(self.data.lanes):
            if self.lane_modes and self.lane_modes[lane] == "aggregate":
                ids = self.cell_at(lane, x)
            else:
                hit = self.event_at(lane, x)
                ids = [hit] if hit is not None else []
        self.state.set_selection(ids, origin=self)
        return tuple(ids)

    # -- hover -----------------------------------------------------------------------------------
    def tooltip_text(self, event_id: int) -> str:
        data = self.data
        rows = data.rows_of_event(event_id)
        if not len(rows):
            return ""
        r = rows[0]
        title = data.titles.get(int(event_id), f"Event {event_id}")
        when = format_span(float(data.start[r]), float(data.end[r]), int(data.precision[r]), bool(data.is_range[r]))
        sectors = ", ".join(data.lanes[int(l)].name for l in sorted(set(data.lane[rows].tolist())))
        n = int(data.n_sources[r])
        status = STATUS_NAMES.get(int(data.status[r]), "")
        lines = [f"<b>{_esc(title)}</b>", _esc(when), _esc(sectors), f"{n} source{'s' if n != 1 else ''}"]
        if status and status != "extracted":
            lines.append(f"<i>{status}</i>")
        return "<br>".join(lines)

    def _on_mouse_moved(self, scene_pos) -> None:
        if not self.vb.sceneBoundingRect().contains(scene_pos) or not len(self.data):
            self._set_hover(None)
            return
        p = self.vb.mapSceneToView(scene_pos)
        lane = int(round(p.y()))
        if not (0 <= lane < len(self.data.lanes)):
            self._set_hover(None)
            QToolTip.hideText()
            return
        if self.lane_modes and self.lane_modes[lane] == "aggregate":
            ids = self.cell_at(lane, p.x())
            self._set_hover(None)
            if ids:
                QToolTip.showText(QCursor.pos(), f"{len(ids)} events here — click to select them", self.glw)
            else:
                QToolTip.hideText()
            return
        eid = self.event_at(lane, p.x())
        if eid is None:
            self._set_hover(None)
            QToolTip.hideText()
            return
        rows = self.data.rows_of_event(eid)
        in_lane = rows[self.data.lane[rows] == lane]
        self._set_hover(int(in_lane[0]) if len(in_lane) else None)
        QToolTip.showText(QCursor.pos(), self.tooltip_text(eid), self.glw)

    def _set_hover(self, row: int | None) -> None:
        if row != self.hover_row:
            self.hover_row = row
            self.overlay.update()


def _key_int(key) -> int:
    return int(key.value) if hasattr(key, "value") else int(key)


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _heat_rgba(counts: np.ndarray, lanes, *, sub: int, floor: int) -> np.ndarray:
    """counts[lane, col] → an RGBA image (col, lane*sub, 4); intensity by log count, lane colours."""
    n, cols = counts.shape if counts.ndim == 2 else (0, 1)
    img = np.zeros((cols, max(n, 1) * sub, 4), dtype=np.uint8)
    if n == 0:
        return img
    top = counts.max()
    if top <= 0:
        return img
    level = np.log1p(counts) / np.log1p(top)
    alpha = np.where(counts > 0, floor + (255 - floor) * level, 0).astype(np.uint8)  # (n, cols)
    rgb = np.array([_rgb(l.color) for l in lanes], dtype=np.uint8)  # (n, 3)
    pad = 1 if sub >= 4 else 0
    for k in range(pad, sub - pad):  # sub-rows of each lane (a band narrower than the lane)
        img[:, k::sub, :3] = rgb[None, :, :]
        img[:, k::sub, 3] = alpha.T
    return img


def _count_cells(counts: np.ndarray, crowded: np.ndarray, edges: np.ndarray, step: int) -> list:
    """Coarse cells (``step`` columns) of crowded lanes with their counts (numbers over the heat-map)."""
    cols = counts.shape[1]
    step = max(1, step)
    out = []
    starts = np.arange(0, cols, step)
    for lane in np.flatnonzero(crowded).tolist():
        sums = np.add.reduceat(counts[lane], starts)
        for k, s in zip(starts.tolist(), sums.tolist()):
            if s > 0:
                out.append((lane, float(edges[k]), float(edges[min(k + step, cols)]), int(s)))
    return out


def main(argv: list[str] | None = None) -> int:
    """Open the timeline alone: ``python -m partnership_explorer.qt.timeline DATABASE [options]``.

    Options: ``--from DATE --to DATE`` (initial view), ``--select ID``, ``--synthetic N`` (random rows instead
    of a database), ``--dark`` (dark theme whatever the system palette).
    """
    import argparse
    import sys

    from ..core.query import EventFilter, parse_date_bound
    from ..core.store import Store
    from ..core.timeline import load_timeline, synthetic, to_days

    parser = argparse.ArgumentParser(prog="python -m partnership_explorer.qt.timeline")
    parser.add_argument("db", nargs="?")
    parser.add_argument("--from", dest="date_from")
    parser.add_argument("--to", dest="date_to")
    parser.add_argument("--select", type=int)
    parser.add_argument("--synthetic", type=int)
    parser.add_argument("--dark", action="store_true")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if args.synthetic:
        data = synthetic(args.synthetic, 14)
    elif args.db:
        with Store(args.db, create=False, readonly=True) as store:
            data = load_timeline(store, EventFilter())
    else:
        parser.error("give a database or --synthetic N")
    state = ExplorerState()
    w = TimelineWidget(state, theme=Theme.dark_theme() if args.dark else None)
    w.setWindowTitle(f"Timeline — {data.total_events} events")
    w.resize(1500, 900)
    w.set_data(data)
    w.show()
    if args.date_from or args.date_to:
        x0, x1 = w.full_range()
        if args.date_from:
            x0 = to_days(parse_date_bound(args.date_from, end=False))
        if args.date_to:
            x1 = to_days(parse_date_bound(args.date_to, end=True)) + 1
        w.set_x_range(x0, x1)
    if args.select is not None:
        state.set_selection([args.select])
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
