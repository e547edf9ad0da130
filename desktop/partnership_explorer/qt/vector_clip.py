"""A painter for SVG exports that cuts what it draws to its clip, so the file is clipped for every reader.

The items of the timeline clip themselves to the plot area (``Frame.clip``, ``ItemClipsToShape``) and the scene
clips them to their views; a raster or PDF device applies those clips. An SVG file can only say them
(``<clipPath>``, written by an SVG 1.1 :class:`QSvgGenerator`), and not every reader honours that: Qt's own
:class:`QSvgRenderer` (which draws the brief's PDF figure) ignores ``clip-path``, so a bar that runs out of the
exported range, an era tint or the ladder's step line would be drawn over the lane names or past the right edge.
:class:`ClippingPainter` therefore intersects the geometry itself: a shape inside the current clip is drawn as it
is, one outside it is left out, and one across its edge is drawn as its fill and its stroke's outline
(:class:`QPainterPathStroker`) intersected with the clip — what a clipping device would show. Text and images are
drawn as they are (text stays text), except when they are wholly outside the clip; an image across its edge is
cropped to the clip's bounding rectangle.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPainterPathStroker, QPen


def _rectf(*args) -> QRectF:
    if len(args) == 1:
        return QRectF(args[0])
    return QRectF(*[float(a) for a in args[:4]])


class ClippingPainter(QPainter):
    """A :class:`QPainter` whose shapes are cut to its clip before they reach the paint device."""

    # -- the clip ------------------------------------------------------------------------------------
    def _clip_area(self) -> QPainterPath | None:
        """The current clip in logical coordinates, None when nothing is clipped."""
        if not self.hasClipping():
            return None
        return self.clipPath()

    def _pen_extent(self, pen: QPen) -> float:
        """Half the width of ``pen`` in logical units, with room for joins (generous: it only decides whether a
        shape may cross the clip's edge)."""
        w = pen.widthF()
        if pen.isCosmetic() or w == 0:
            w = max(w, 1.0) / self._scale()
        return w * 0.5 * max(1.0, pen.miterLimit()) + 1.0

    def _scale(self) -> float:
        t = self.combinedTransform()
        det = abs(t.m11() * t.m22() - t.m12() * t.m21())
        return math.sqrt(det) if det > 0 else 1.0

    def _stroke_outline(self, path: QPainterPath, pen: QPen) -> QPainterPath:
        stroker = QPainterPathStroker(pen)
        if pen.isCosmetic() or pen.widthF() == 0:
            stroker.setWidth(max(pen.widthF(), 1.0) / self._scale())
        outline = stroker.createStroke(path)
        outline.setFillRule(Qt.FillRule.WindingFill)
        return outline

    def _shape(self, path: QPainterPath, fill: QBrush | None, stroke: bool, draw) -> None:
        """Draw ``path`` (filled with ``fill``, stroked with the pen when ``stroke``) cut to the clip; ``draw``
        draws it unchanged (when it is inside the clip)."""
        clip = self._clip_area()
        if clip is None:
            draw()
            return
        pen = self.pen() if stroke and self.pen().style() != Qt.PenStyle.NoPen else None
        grow = self._pen_extent(pen) if pen is not None else 0.0
        bounds = path.controlPointRect().adjusted(-grow, -grow, grow, grow)
        if clip.contains(bounds):
            draw()
            return
        if not clip.intersects(bounds):
            return
        if fill is not None and fill.style() != Qt.BrushStyle.NoBrush:
            area = path.intersected(clip)
            if not area.isEmpty():
                QPainter.fillPath(self, area, fill)
        if pen is not None:
            outline = self._stroke_outline(path, pen).intersected(clip)
            if not outline.isEmpty():
                QPainter.fillPath(self, outline, pen.brush())

    def _outside(self, rect: QRectF) -> bool:
        clip = self._clip_area()
        return clip is not None and not clip.intersects(rect)

    # -- shapes ----------------------------------------------------------------------------------------
    def drawPath(self, path, *args):
        self._shape(QPainterPath(path), self.brush(), True, lambda: QPainter.drawPath(self, path, *args))

    def fillPath(self, path, brush):
        b = QBrush(brush) if not isinstance(brush, QBrush) else brush
        self._shape(QPainterPath(path), b, False, lambda: QPainter.fillPath(self, path, brush))

    def strokePath(self, path, pen):
        old = QPen(self.pen())
        self.setPen(pen)
        try:
            self._shape(QPainterPath(path), None, True, lambda: QPainter.strokePath(self, path, pen))
        finally:
            self.setPen(old)

    def drawRect(self, *args):
        path = QPainterPath()
        path.addRect(_rectf(*args))
        self._shape(path, self.brush(), True, lambda: QPainter.drawRect(self, *args))

    def drawRects(self, rects, *args):
        if args or isinstance(rects, (QRect, QRectF)):
            rects = [rects, *args]
        for r in rects:
            self.drawRect(QRectF(r))

    def fillRect(self, *args):
        *geometry, what = args
        if isinstance(what, QBrush):
            brush = what
        elif isinstance(what, Qt.BrushStyle):
            brush = QBrush(what)
        else:
            brush = QBrush(QColor(what))
        path = QPainterPath()
        path.addRect(_rectf(*geometry))
        self._shape(path, brush, False, lambda: QPainter.fillRect(self, *args))

    def drawRoundedRect(self, *args):
        if len(args) >= 3 and isinstance(args[0], (QRect, QRectF)):
            rect, rx, ry, *mode = args
        else:
            rect, (rx, ry, *mode) = _rectf(*args[:4]), args[4:]
        path = QPainterPath()
        path.addRoundedRect(QRectF(rect), float(rx), float(ry), *mode)
        self._shape(path, self.brush(), True, lambda: QPainter.drawRoundedRect(self, *args))

    def drawEllipse(self, *args):
        path = QPainterPath()
        if len(args) == 3:                        # centre, rx, ry
            c = QPointF(args[0])
            path.addEllipse(c, float(args[1]), float(args[2]))
        else:
            path.addEllipse(_rectf(*args))
        self._shape(path, self.brush(), True, lambda: QPainter.drawEllipse(self, *args))

    def drawPolygon(self, *args):
        poly = args[0]
        path = QPainterPath()
        path.addPolygon(poly)
        path.closeSubpath()
        if len(args) > 1 and isinstance(args[-1], Qt.FillRule):
            path.setFillRule(args[-1])
        self._shape(path, self.brush(), True, lambda: QPainter.drawPolygon(self, *args))

    def drawPolyline(self, *args):
        path = QPainterPath()
        path.addPolygon(args[0])
        self._shape(path, None, True, lambda: QPainter.drawPolyline(self, *args))

    def drawLine(self, *args):
        if len(args) == 1:
            line = QLineF(args[0])
        elif len(args) == 2:
            line = QLineF(QPointF(args[0]), QPointF(args[1]))
        else:
            line = QLineF(*[float(a) for a in args])
        path = QPainterPath(line.p1())
        path.lineTo(line.p2())
        self._shape(path, None, True, lambda: QPainter.drawLine(self, *args))

    def drawLines(self, lines, *args):
        if args or isinstance(lines, (QLineF, QPointF)):
            lines = [lines, *args]
        lines = list(lines)
        if lines and isinstance(lines[0], (QPointF,)):          # pairs of points
            lines = [QLineF(lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2)]
        for line in lines:
            self.drawLine(QLineF(line))

    # -- text and images: drawn as they are unless wholly outside the clip -----------------------------
    def drawText(self, *args):
        first = args[0]
        if isinstance(first, (QRect, QRectF)) and len(args) >= 3:
            rect = self.boundingRect(QRectF(first), int(args[1]), str(args[2]))
        elif isinstance(first, (QPointF,)) and len(args) >= 2:
            rect = self.fontMetrics().boundingRect(str(args[1]))
            rect = QRectF(rect).translated(first)
        else:
            rect = None
        if rect is not None and self._outside(rect):
            return
        QPainter.drawText(self, *args)

    def drawImage(self, *args):
        if len(args) in (2, 3) and isinstance(args[0], QRectF):
            target, image = args[0], args[1]
            source = QRectF(args[2]) if len(args) == 3 else QRectF(0, 0, image.width(), image.height())
            clip = self._clip_area()
            if clip is not None and target.width() and target.height():
                cut = target.intersected(clip.boundingRect())
                if cut.isEmpty():
                    return
                if cut != target:
                    sx, sy = source.width() / target.width(), source.height() / target.height()
                    src = QRectF(source.left() + (cut.left() - target.left()) * sx,
                                 source.top() + (cut.top() - target.top()) * sy, cut.width() * sx, cut.height() * sy)
                    QPainter.drawImage(self, cut, image, src)
                    return
        QPainter.drawImage(self, *args)
