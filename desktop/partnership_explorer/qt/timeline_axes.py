"""The timeline's axes: dates along the bottom (:class:`DayAxis`), sector names with colour swatches on the left
(:class:`LaneAxis`, the on-screen legend). The tick arithmetic is :mod:`..core.ticks`."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen

from ..core.ticks import choose_levels, concise_labels, tick_label, tick_values


class DayAxis(pg.AxisItem):
    """A bottom axis for days since 1970-01-01 that adapts from centuries to days. ``concise``: an axis without a
    title (the overview strip), whose labels name the month or year where it changes (:func:`concise_labels`)
    and get more room."""

    def __init__(self, *, concise: bool = False, **kw):
        super().__init__("bottom", **kw)
        self._spacing_unit: dict[float, str] = {}
        self.concise = concise
        self.enableAutoSIPrefix(False)

    def tickValues(self, minVal, maxVal, size):
        if maxVal <= minVal or not np.isfinite([minVal, maxVal]).all():
            return []
        # concise labels are longer ("Apr 14"): as if the axis were shorter, so they keep their room
        major, minor = choose_levels(minVal, maxVal, size / 1.6 if self.concise else size)
        self._spacing_unit = {major[2]: major[0]}
        out = [(major[2], tick_values(major, minVal, maxVal))]
        if minor is not None:
            self._spacing_unit[minor[2]] = ""
            out.append((minor[2], tick_values(minor, minVal, maxVal)))
        return out

    # the main view's axis leaves its grid lines to GridItem (a handful of lines in the view), so that the
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
        if self.concise:
            return concise_labels(unit, list(values))
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
        # lanes closer than a line of text (a small export): names in a font that fits the lane, never overlapping
        centres = sorted(rect.center().y() for rect, _flags, _text in textSpecs)
        pitch = min((b - a for a, b in zip(centres, centres[1:]) if b > a), default=0.0)
        s = self.swatch
        if pitch and fm.height() > pitch:
            font, scale = p.font(), pitch / fm.height()
            if font.pixelSize() > 0:
                font.setPixelSize(max(5, int(font.pixelSize() * scale)))
            else:
                font.setPointSizeF(max(4.0, font.pointSizeF() * scale))
            p.setFont(font)
            fm = QFontMetricsF(p.font())
            s = max(4, min(s, int(pitch * 0.7)))
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
            x = rect.right() - w - s - 6
            if x < bounds.left() + 1:
                continue
            y = rect.center().y() - s / 2
            p.setPen(QPen(color.darker(130), 1))
            p.setBrush(QBrush(color))
            p.drawRoundedRect(QRectF(x, y, s, s), 2, 2)
            p.setPen(self.textPen())
