"""The indicator row: dated figures (trade, investment, visitors...) as series over time, above the lanes.

A band of the :class:`~.timeline.TimelineWidget` (:meth:`~.timeline.TimelineWidget.add_band`): a
``pg.PlotItem`` whose x axis follows the lanes' view (days since 1970-01-01), so a point sits above the events
of its period. The series of one unit share a scale, from zero to their largest figure (units differ: dollars,
won, visitors, so each unit has its own), and each is drawn in its own colour: a solid line through what was, a dashed one to a target; every point is labelled with
the figure as written, hovering shows its series, period and sources, clicking selects its source event.

Everything is painted by one item as vector paths in scene pixels (:class:`IndicatorItem`), so SVG and PDF
exports keep it vector. :class:`IndicatorController` wires it into the window: the series are read off the GUI
thread for the current filter (``core.indicators.load_series`` through the :class:`~.workers.ReadModel`), again
after writes that concern them; View → Indicators lists the series to show and the row itself, remembered.
:func:`export_band` draws the same row in an exported picture.
"""

from __future__ import annotations

import html

import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QCursor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QMenu, QToolTip

from ..core import indicators as ind
from ..core.timeline import to_days
from .theme import pixel_font
from .workers import Load

# Paul Tol's "bright" scheme (colour-blind safe), distinct from the lanes' muted colours
SERIES_COLORS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")
ROW_HEIGHT = 132
POINT_RADIUS = 4.5
HIT_PX = 9.0
Y_MIN, Y_MAX = -0.08, 1.32       # series are scaled to 0..1; room above for labels, below for the baseline


def series_color(i: int) -> QColor:
    return QColor(SERIES_COLORS[i % len(SERIES_COLORS)])


class IndicatorItem(pg.GraphicsObject):
    """Paints the shown series in scene pixels (fixed-size points and labels at any zoom)."""

    def __init__(self, row: "IndicatorRow"):
        super().__init__()
        self.row = row
        self.hits: list[tuple[float, float, ind.Series, ind.Point]] = []   # x (days), y (0..1) of each point
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsToShape, True)   # never over the axis or the lanes

    def boundingRect(self) -> QRectF:
        vb = self.getViewBox()
        return vb.viewRect() if vb is not None else QRectF()

    def paint(self, p: QPainter, *_):
        self.hits = []
        row = self.row
        # draw in scene pixels (the layout's 96-dpi pixels): an export at 300 dpi scales them like the lanes
        tr = self.sceneTransform()
        inv, ok = tr.inverted()
        if not ok:
            return
        p.save()
        p.setWorldTransform(inv * p.worldTransform())
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        font = pixel_font(row.timeline.font(), max(9, row.timeline.font_px - 1))
        p.setFont(font)
        fm = QFontMetricsF(font)
        theme = row.timeline.theme
        taken: list[QRectF] = []
        frame = tr.mapRect(row.vb.viewRect())
        tops: dict[str, float] = {}
        for s in row.shown:      # series of one unit share a scale ($92 billion sits below $150 billion)
            tops[s.unit] = max([tops.get(s.unit, 0.0)] + [abs(p.quantity) for p in s.points])
        for s in row.shown:
            color = row.color_of(s)
            top = tops[s.unit] or 1.0
            pts = [(to_days(p.middle), p.quantity / top, p) for p in s.points]
            actual = [(x, y, pt) for x, y, pt in pts if not pt.is_target]
            targets = [(x, y, pt) for x, y, pt in pts if pt.is_target]
            dev = {id(pt): tr.map(QPointF(x, y)) for x, y, pt in pts}
            if len(actual) > 1:
                path = QPainterPath(dev[id(actual[0][2])])
                for _, _, pt in actual[1:]:
                    path.lineTo(dev[id(pt)])
                p.setPen(QPen(color, 2.0))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPath(path)
            if targets:
                dashed = QPen(color, 2.0, Qt.PenStyle.DashLine)
                p.setPen(dashed)
                for tx, _, tpt in targets:
                    before = [a for a in actual if a[0] <= tx]
                    if before:
                        p.drawLine(dev[id(before[-1][2])], dev[id(tpt)])
            for x, y, pt in pts:
                c = dev[id(pt)]
                selected = bool(set(pt.event_ids) & row.timeline.highlighted_ids)
                r = POINT_RADIUS + (1.5 if selected else 0)
                p.setPen(QPen(theme.highlight if selected else color, 2.0 if not selected else 3.0))
                p.setBrush(theme.bg if pt.is_target else color)
                p.drawEllipse(c, r, r)
                self.hits.append((x, y, s, pt))
                label = pt.figures[0] + (" (target)" if pt.is_target else "")
                w, h = fm.horizontalAdvance(label), fm.height()
                # centred on the point, kept inside the row (a point near its edge gets its label beside it)
                lx = min(max(c.x() - w / 2, frame.left() + 2), frame.right() - w - 2)
                above = QRectF(lx, c.y() - r - 3 - h, w, h)
                below = QRectF(lx, c.y() + r + 2, w, h)
                places = (above, below) if above.top() >= frame.top() else (below,)
                rect = next((q for q in places if not any(q.intersects(t) for t in taken)), None)
                if rect is None:
                    continue      # no room: the tooltip still gives the figure
                taken.append(rect)
                p.setPen(QPen(color.darker(130) if not theme.dark else color.lighter(120)))
                p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), label)
        self._paint_legend(p, fm, tr)
        p.restore()

    def _paint_legend(self, p: QPainter, fm: QFontMetricsF, tr) -> None:
        """The names of the shown series, left to right along the top of the row, with what a dash means."""
        row = self.row
        left = tr.map(QPointF(row.vb.viewRect().left(), Y_MAX))
        x, y = left.x() + 6, left.y() + 2
        for s in row.shown:
            color = row.color_of(s)
            p.setPen(QPen(color, 2.0))
            p.drawLine(QPointF(x, y + fm.height() / 2), QPointF(x + 14, y + fm.height() / 2))
            x += 18
            text = s.label + ("  (- - target)" if s.targets else "")
            p.setPen(QPen(row.timeline.theme.fg))
            w = fm.horizontalAdvance(text)
            p.drawText(QRectF(x, y, w + 2, fm.height()), int(Qt.AlignmentFlag.AlignLeft), text)
            x += w + 16


class IndicatorRow(pg.PlotItem):
    """The band: no own mouse handling of the view (it follows the lanes), clicks and hovers on points."""

    def __init__(self, timeline):
        self.vb = pg.ViewBox(enableMenu=False)
        super().__init__(viewBox=self.vb)
        self.timeline = timeline
        self.series: list[ind.Series] = []
        self.hidden: set[str] = set()
        self.hideButtons()
        self.setMenuEnabled(False)
        self.vb.setMouseEnabled(x=False, y=False)
        self.vb.disableAutoRange()
        self.vb.setYRange(Y_MIN, Y_MAX, padding=0)
        self.hideAxis("bottom")
        left = self.getAxis("left")
        left.setTicks([[], []])
        left.setStyle(showValues=False, tickLength=0)
        left.setPen(pg.mkPen(timeline.theme.muted))
        left.setLabel("Indicators", color=timeline.theme.fg.name())
        left.label.setFont(pixel_font(timeline.font(), timeline.font_px))
        self.setFixedHeight(ROW_HEIGHT)
        self.item = IndicatorItem(self)
        self.vb.addItem(self.item, ignoreBounds=True)
        self.vb.mouseClickEvent = self._clicked
        self._scene_hooked = False
        self._tip_shown = False
        timeline.state.selectionChanged.connect(lambda *_: self.item.update())
        self.setVisible(False)

    # data ------------------------------------------------------------------------------------------
    @property
    def shown(self) -> list[ind.Series]:
        return [s for s in self.series if s.key not in self.hidden]

    def color_of(self, s: ind.Series) -> QColor:
        keys = [x.key for x in self.series]
        return series_color(keys.index(s.key) if s.key in keys else 0)

    def set_series(self, series: list[ind.Series], hidden: set[str] | None = None, *, enabled: bool = True) -> None:
        self.series = list(series)
        if hidden is not None:
            self.hidden = set(hidden)
        self.setVisible(enabled and bool(self.shown))
        self.timeline.rows_above_changed()      # a hidden row takes no room above the lanes
        # a hidden axis has no width: now that the row shows, as wide as the lane names again
        self.getAxis("left").setWidth(self.timeline.lane_label_width)
        self.item.update()
        if not self._scene_hooked and self.scene() is not None:
            self.scene().sigMouseMoved.connect(self._hovered)
            self._scene_hooked = True

    # gestures --------------------------------------------------------------------------------------
    def point_at(self, scene_pos) -> tuple[ind.Series, ind.Point] | None:
        if not self.isVisible() or not self.vb.sceneBoundingRect().contains(scene_pos):
            return None
        view = self.vb.mapSceneToView(scene_pos)
        px = self.vb.viewPixelSize()
        best = None
        for x, y, s, pt in self.item.hits:
            d = ((x - view.x()) / px[0]) ** 2 + ((y - view.y()) / px[1]) ** 2
            if d <= HIT_PX ** 2 and (best is None or d < best[0]):
                best = (d, s, pt)
        return (best[1], best[2]) if best else None

    def tooltip_text(self, s: ind.Series, pt: ind.Point) -> str:
        lines = [f"<b>{html.escape(' / '.join(pt.figures))}</b>" + (" — target" if pt.is_target else ""),
                 html.escape(f"{s.label}, {pt.period}")]
        if pt.converted:
            lines.append(html.escape(f"≈ {ind.format_quantity(pt.converted[0], pt.converted[1], True)} (as the text gives it)"))
        for src in pt.sources[:3]:
            if not src["sentence"]:
                continue      # not read (a very large database): clicking shows the sentence in its article
            sentence = src["sentence"] if len(src["sentence"]) <= 160 else src["sentence"][:159] + "…"
            lines.append(f"<i>{html.escape(src['document'])}</i>: {html.escape(sentence)}")
        if len(pt.sources) > 3:
            lines.append(f"… and {len(pt.sources) - 3} more sources")
        return "<br>".join(lines)

    def _hovered(self, scene_pos) -> None:
        hit = self.point_at(scene_pos)
        if hit is None:
            if self._tip_shown:
                QToolTip.hideText()
                self._tip_shown = False
            return
        QToolTip.showText(QCursor.pos(), self.tooltip_text(*hit), self.timeline.glw)
        self._tip_shown = True

    def _clicked(self, ev) -> None:
        hit = self.point_at(ev.scenePos())
        if hit is None:
            ev.ignore()
            return
        ev.accept()
        self.timeline.select_event(hit[1].event_ids[0])


def export_band(series: list[ind.Series]):
    """A band for :func:`.export.export_image`: the indicator row with ``series`` on the exported timeline."""
    def attach(widget) -> None:
        row = IndicatorRow(widget)
        widget.add_band(row)
        row.set_series(series)
    return attach


class IndicatorController(QObject):
    """The window's indicator row: loads, menu, remembered choices."""

    SETTINGS_HIDDEN = "indicators/hidden"
    SETTINGS_ROW = "indicators/row"

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.state, self.reads = window.state, window.reads
        self.qsettings = window.settings.settings
        self.enabled = self.qsettings.value(self.SETTINGS_ROW, True, type=bool)
        hidden = self.qsettings.value(self.SETTINGS_HIDDEN, [], type=list) or []
        self._hidden = {str(k) for k in hidden}
        self._row: IndicatorRow | None = None   # made with the first figures to show (see row)
        self.menu = QMenu("&Indicators", window)
        self.menu.setObjectName("indicatorsMenu")
        self.menu.aboutToShow.connect(self._fill_menu)
        self._attach_menu(window.menuBar())
        self.state.filterChanged.connect(lambda *_: self.reload())
        self.state.dataChanged.connect(self._data_changed)

    @property
    def row(self) -> IndicatorRow:
        """The band above the lanes, made when it is first needed (the first figures read, the menu, an export): a
        database without dated figures never shows it, and the window is built without it."""
        if self._row is None:
            self._row = IndicatorRow(self.window.timeline)
            self._row.hidden = set(self._hidden)
            self.window.timeline.add_band(self._row)
        return self._row

    def _attach_menu(self, bar) -> None:
        for action in bar.actions():
            if action.menu() is not None and action.text().replace("&", "") == "View":
                action.menu().addSeparator()
                action.menu().addMenu(self.menu)
                return
        bar.addMenu(self.menu)

    def _fill_menu(self) -> None:
        self.menu.clear()
        row = QAction("Show indicator row", self.menu, checkable=True)
        row.setChecked(self.enabled)
        row.toggled.connect(self.set_enabled)
        self.menu.addAction(row)
        self.menu.addSeparator()
        if not self.row.series:
            none = QAction("No dated figures under this filter", self.menu)
            none.setEnabled(False)
            self.menu.addAction(none)
        for s in self.row.series:
            a = QAction(f"{s.label} — {len(s.points)} points", self.menu, checkable=True)
            a.setChecked(s.key not in self.row.hidden)
            a.setEnabled(self.enabled)
            a.toggled.connect(lambda on, key=s.key: self.set_shown(key, on))
            self.menu.addAction(a)

    def set_enabled(self, on: bool) -> None:
        self.enabled = bool(on)
        self.qsettings.setValue(self.SETTINGS_ROW, self.enabled)
        self.row.set_series(self.row.series, enabled=self.enabled)

    def set_shown(self, key: str, on: bool) -> None:
        hidden = set(self.row.hidden)
        (hidden.discard if on else hidden.add)(key)
        self.qsettings.setValue(self.SETTINGS_HIDDEN, sorted(hidden))
        self.row.set_series(self.row.series, hidden, enabled=self.enabled)

    def shown_series(self) -> list[ind.Series]:
        """What the window shows now (for Export image… and the brief's figure): nothing when the row is off."""
        return self.row.shown if self.enabled and self.row.isVisible() else []

    def filter_shown(self, series: list[ind.Series]) -> list[ind.Series]:
        """Of ``series`` (read for a brief), those the window shows: none when the row is off."""
        return [s for s in series if s.key not in self.row.hidden] if self.enabled else []

    # reads -----------------------------------------------------------------------------------------
    def reload(self) -> None:
        flt = self.state.filter
        self.reads.request(Load("indicators", lambda store: ind.load_series(
            store, flt, sentence_limit=ind.WINDOW_SENTENCE_LIMIT), self._loaded, priority=4))
        # as urgent as the timeline's rows: the row is part of the timeline's first picture (arriving after it, it
        # would push the lanes down under the user's eyes)

    def _loaded(self, series) -> None:
        if series or self._row is not None:
            self.row.set_series(series, enabled=self.enabled)

    def _data_changed(self, changes) -> None:
        if changes.all_events or changes.documents or changes.status or changes.dates or changes.kinds \
                or changes.sources or changes.removed_ids or changes.added_ids:
            self.reload()
