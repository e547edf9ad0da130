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

from ..core import indicator_labels as labels
from ..core import indicators as ind
from ..core.timeline import to_days
from .theme import pixel_font
from .workers import Load

# Paul Tol's "bright" scheme (colour-blind safe), distinct from the lanes' muted colours
SERIES_COLORS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")
ROW_HEIGHT = 132
POINT_RADIUS = 4.5
HIT_PX = 9.0
TIP_POINTS = 4           # figures named by one tooltip when several points sit under the cursor
LABEL_PAD = 2.0          # pixels of halo either side of a figure's text
LEGEND_LINES = 2         # lines the legend may take along the top of the row
Y_MIN, Y_MAX = -0.08, 1.32       # series are scaled to 0..1; the room above and below is fitted to the legend (fit_y)


MARKERS = ("circle", "square", "diamond", "triangle")   # past seven series the colours repeat: the marker differs


def series_color(i: int) -> QColor:
    return QColor(SERIES_COLORS[i % len(SERIES_COLORS)])


def series_marker(i: int) -> str:
    return MARKERS[(i // len(SERIES_COLORS)) % len(MARKERS)]


def marker_path(c: QPointF, r: float, marker: str) -> QPainterPath:
    """A point's marker of radius ``r`` centred on ``c``: a vector path (SVG and PDF exports keep it vector)."""
    path = QPainterPath()
    x, y = c.x(), c.y()
    if marker == "square":
        path.addRect(QRectF(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8))
    elif marker == "diamond":
        path.moveTo(x, y - r * 1.2)
        path.lineTo(x + r * 1.2, y)
        path.lineTo(x, y + r * 1.2)
        path.lineTo(x - r * 1.2, y)
        path.closeSubpath()
    elif marker == "triangle":
        path.moveTo(x, y - r * 1.2)
        path.lineTo(x + r * 1.1, y + r * 0.8)
        path.lineTo(x - r * 1.1, y + r * 0.8)
        path.closeSubpath()
    else:
        path.addEllipse(c, r, r)
    return path


class IndicatorItem(pg.GraphicsObject):
    """Paints the shown series in scene pixels (fixed-size points and labels at any zoom)."""

    def __init__(self, row: "IndicatorRow"):
        super().__init__()
        self.row = row
        self.hits: list[tuple[float, float, ind.Series, ind.Point]] = []   # x (days), y (0..1) of each point
        self.labels: list[tuple[QRectF, str]] = []     # the figures written by the last paint, in scene pixels
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsToShape, True)   # never over the axis or the lanes

    def boundingRect(self) -> QRectF:
        vb = self.getViewBox()
        return vb.viewRect() if vb is not None else QRectF()

    def paint(self, p: QPainter, *_):
        self.hits = []
        self.labels = []
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
        font = row.label_font()
        p.setFont(font)
        fm = QFontMetricsF(font)
        theme = row.timeline.theme
        frame = tr.mapRect(row.vb.viewRect())
        legend = row.legend_layout(frame.left(), frame.right(), fm)
        tops = row.unit_tops()
        # point, radius, label, colour, and what orders the labels (selected, leading, x, quantity: label_order)
        marks: list[tuple] = []        # ... whether it is a target (hollow) and its marker
        for s in row.shown:
            color, marker = row.color_of(s), row.marker_of(s)
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
            latest = actual[-1][2] if actual else None
            for x, y, pt in pts:
                selected = bool(set(pt.event_ids) & row.timeline.highlighted_ids)
                r = POINT_RADIUS + (1.5 if selected else 0)
                self.hits.append((x, y, s, pt))
                label = pt.figures[0] + (" (target)" if pt.is_target else "")
                marks.append((dev[id(pt)], r, label, color, (selected, pt is latest or pt.is_target, x, pt.quantity),
                              pt.is_target, marker))
        order = labels.label_order(*(list(col) for col in zip(*(m[4] for m in marks)))) if marks else []
        self.hits = [self.hits[i] for i in order]    # on one spot, the point drawn on top is the one hovered first
        for i in reversed(order):      # the points that choose their label first are drawn on top
            c, r, _, color, (selected, *_), hollow, marker = marks[i]
            p.setPen(QPen(theme.highlight if selected else color, 2.0 if not selected else 3.0))
            p.setBrush(theme.bg if hollow else color)
            p.drawPath(marker_path(c, r, marker))
        self._paint_labels(p, fm, frame, legend, marks, order)
        self._paint_legend(p, fm, legend)
        p.restore()

    def _paint_labels(self, p: QPainter, fm: QFontMetricsF, frame: QRectF, legend, marks, order) -> None:
        """The figures beside their points, placed by :func:`core.indicator_labels.place_point_labels` (the same
        placement in the window and in every export), each on a halo of the background colour: the lines stay
        visible around them and never cross the text."""
        h = fm.height()
        theme = self.row.timeline.theme
        widths = [fm.horizontalAdvance(m[2]) + 2 * LABEL_PAD for m in marks]
        obstacles = [(it.x - 2, self.row.legend_top(frame.top(), it.line, h), it.x + it.width + 2,
                      self.row.legend_top(frame.top(), it.line, h) + h) for it in legend]
        placed = labels.place_point_labels(
            [(m[0].x(), m[0].y(), m[1]) for m in marks], widths, h,
            (frame.left() + 1, frame.top() + 1, frame.right() - 1, frame.bottom() - 1),
            order=order, obstacles=obstacles)
        halo = QColor(theme.bg)
        halo.setAlpha(215)
        for lab in placed:
            _, _, text, color, *_ = marks[lab.index]
            rect = QRectF(lab.x0, lab.y0, lab.x1 - lab.x0, lab.y1 - lab.y0)
            if lab.leader is not None:        # a label stacked away from its point: a thin line joins them
                x = (lab.leader[0] + lab.leader[2]) / 2
                p.setPen(QPen(color, 1.0))
                p.drawLine(QPointF(x, lab.leader[1]), QPointF(x, lab.leader[3]))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(halo)
            p.drawRoundedRect(rect, 3, 3)
            p.setPen(QPen(color.darker(130) if not theme.dark else color.lighter(120)))
            p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
            self.labels.append((rect, text))

    def _paint_legend(self, p: QPainter, fm: QFontMetricsF, legend) -> None:
        """The names of the shown series along the top of the row (wrapped, "+ N more" past its lines), with what
        a dash means."""
        row = self.row
        frame = self.sceneTransform().mapRect(row.vb.viewRect())
        shown = row.shown
        h = fm.height()
        for it in legend:
            y = row.legend_top(frame.top(), it.line, h)
            x = it.x
            if it.index >= 0:
                color = row.color_of(shown[it.index])
                p.setPen(QPen(color, 2.0))
                p.drawLine(QPointF(x, y + h / 2), QPointF(x + 14, y + h / 2))
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(color)
                p.drawPath(marker_path(QPointF(x + 7, y + h / 2), 3.0, row.marker_of(shown[it.index])))
                x += labels.SWATCH_PX
            text = fm.elidedText(it.text, Qt.TextElideMode.ElideRight, max(0.0, frame.right() - 2 - x))
            p.setPen(QPen(row.timeline.theme.fg if it.index >= 0 else row.timeline.theme.muted))
            p.drawText(QRectF(x, y, fm.horizontalAdvance(text) + 2, h), int(Qt.AlignmentFlag.AlignLeft), text)


class IndicatorRow(pg.PlotItem):
    """The band: no own mouse handling of the view (it follows the lanes), clicks and hovers on points."""

    def __init__(self, timeline):
        self.vb = pg.ViewBox(enableMenu=False)
        super().__init__(viewBox=self.vb)
        self.timeline = timeline
        self.series: list[ind.Series] = []
        self.hidden: set[str] = set()     # series the user turned off
        self.chosen: set[str] = set()     # series the user turned on (the others: core.indicators.choose_series)
        self._shown: tuple = (None, [])
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
        self.vb.sigResized.connect(lambda *_: self.fit_y())
        self._scene_hooked = False
        self._tip_shown = False
        timeline.state.selectionChanged.connect(lambda *_: self.item.update())
        self.setVisible(False)

    # data ------------------------------------------------------------------------------------------
    @property
    def shown(self) -> list[ind.Series]:
        """The series drawn: the user's choices, and of the others the first few for the pair the ladder band
        shows (:func:`..core.indicators.choose_series`), so that a database of many pairs stays legible."""
        key = (id(self.series), len(self.series), frozenset(self.hidden), frozenset(self.chosen), self.pair())
        if self._shown[0] != key:
            self._shown = (key, ind.choose_series(self.series, pair=key[4], hidden=self.hidden,
                                                  chosen=self.chosen))
        return self._shown[1]

    def pair(self) -> str | None:
        """The pair of the ladder band above the lanes, if one is shown."""
        band = getattr(self.timeline, "ladder_band", None)
        return band.pair if band is not None and band.steps else None

    def pair_changed(self) -> None:
        """The ladder band shows another pair: its series come first."""
        if self.series:
            self.fit_y()
            self.item.update()

    def unit_tops(self) -> dict[str, float]:
        """The largest figure of each unit: series of one unit share a scale ($92 billion sits below $150 billion)."""
        tops: dict[str, float] = {}
        for s in self.shown:
            tops[s.unit] = max([tops.get(s.unit, 0.0)] + [abs(p.quantity) for p in s.points])
        return tops

    # layout ----------------------------------------------------------------------------------------
    def label_font(self):
        return pixel_font(self.timeline.font(), max(9, self.timeline.font_px - 1))

    def legend_layout(self, left: float, right: float, fm: QFontMetricsF) -> list[labels.LegendItem]:
        shown = self.shown
        texts = [s.label + ("  (- - target)" if s.targets else "") for s in shown]
        return labels.flow_legend(texts, fm.horizontalAdvance, left + 6, right - 6, max_lines=LEGEND_LINES,
                                  not_drawn=len(self.series) - len(shown))

    @staticmethod
    def legend_top(frame_top: float, line: int, line_h: float) -> float:
        return frame_top + 2 + line * (line_h + 1)

    def fit_y(self) -> None:
        """The value range of the row's height: the largest figure sits a label's height under the legend (its
        label fits above it), zero a point's radius above the bottom."""
        h_px = self.vb.height()
        if h_px <= 0:
            return
        fm = QFontMetricsF(self.label_font())
        lh = fm.height()
        lines = labels.legend_lines(self.legend_layout(0.0, float(self.vb.width()), fm)) if self.shown else 0
        top = self.legend_top(0.0, lines, lh) + 2 + lh + POINT_RADIUS + 3
        bottom = POINT_RADIUS + 4
        plot = h_px - top - bottom
        if plot < 24:          # a very short row: the old fixed margins
            self.vb.setYRange(Y_MIN, Y_MAX, padding=0)
            return
        self.vb.setYRange(-bottom / plot, 1 + top / plot, padding=0)

    def _index_of(self, s: ind.Series) -> int:
        """Colours and markers go by the series drawn (an export of them draws them alike)."""
        keys = [x.key for x in self.shown]
        return keys.index(s.key) if s.key in keys else 0

    def color_of(self, s: ind.Series) -> QColor:
        return series_color(self._index_of(s))

    def marker_of(self, s: ind.Series) -> str:
        return series_marker(self._index_of(s))

    def set_series(self, series: list[ind.Series], hidden: set[str] | None = None, *, chosen: set[str] | None = None,
                   enabled: bool = True) -> None:
        self.series = list(series)
        if hidden is not None:
            self.hidden = set(hidden)
        if chosen is not None:
            self.chosen = set(chosen)
        self.setVisible(enabled and bool(self.shown))
        self.timeline.rows_above_changed()      # a hidden row takes no room above the lanes
        # a hidden axis has no width: now that the row shows, as wide as the lane names again
        self.getAxis("left").setWidth(self.timeline.lane_label_width)
        self.fit_y()
        self.item.update()
        if not self._scene_hooked and self.scene() is not None:
            self.scene().sigMouseMoved.connect(self._hovered)
            self._scene_hooked = True

    # gestures --------------------------------------------------------------------------------------
    def point_at(self, scene_pos) -> tuple[ind.Series, ind.Point] | None:
        hits = self.points_at(scene_pos)
        return hits[0] if hits else None

    def points_at(self, scene_pos) -> list[tuple[ind.Series, ind.Point]]:
        """The points under ``scene_pos`` (within :data:`HIT_PX`), nearest first: figures of one year can sit on
        one another, and the tooltip names them all."""
        if not self.isVisible() or not self.vb.sceneBoundingRect().contains(scene_pos):
            return []
        view = self.vb.mapSceneToView(scene_pos)
        px = self.vb.viewPixelSize()
        near = []
        for k, (x, y, s, pt) in enumerate(self.item.hits):
            d = ((x - view.x()) / px[0]) ** 2 + ((y - view.y()) / px[1]) ** 2
            if d <= HIT_PX ** 2:
                near.append((d, k, s, pt))
        near.sort(key=lambda t: (t[0], t[1]))
        return [(s, pt) for _, _, s, pt in near]

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
        hits = self.points_at(scene_pos)
        if not hits:
            if self._tip_shown:
                QToolTip.hideText()
                self._tip_shown = False
            return
        QToolTip.showText(QCursor.pos(), self.tooltips_text(hits), self.timeline.glw)
        self._tip_shown = True

    def tooltips_text(self, hits: list[tuple[ind.Series, ind.Point]]) -> str:
        """The tooltip of the points under the cursor: each one's, nearest first (at most :data:`TIP_POINTS`)."""
        parts = [self.tooltip_text(s, pt) for s, pt in hits[:TIP_POINTS]]
        if len(hits) > TIP_POINTS:
            parts.append(html.escape(f"… and {len(hits) - TIP_POINTS} more figures here (zoom in to tell them apart)"))
        return "<hr>".join(parts)

    def _clicked(self, ev) -> None:
        hit = self.point_at(ev.scenePos())
        if hit is None:
            ev.ignore()
            return
        ev.accept()
        self.timeline.select_event(hit[1].event_ids[0])


def export_band(series: list[ind.Series]):
    """A band for :func:`.export.export_image`: the indicator row with ``series`` on the exported timeline (all of
    them: the window's choice, or :func:`..core.indicators.choose_series`'s for the command line)."""
    def attach(widget) -> None:
        row = IndicatorRow(widget)
        widget.add_band(row)
        row.set_series(series, chosen={s.key for s in series})
    return attach


class IndicatorController(QObject):
    """The window's indicator row: loads, menu, remembered choices."""

    SETTINGS_HIDDEN = "indicators/hidden"
    SETTINGS_CHOSEN = "indicators/shown"
    SETTINGS_ROW = "indicators/row"

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.state, self.reads = window.state, window.reads
        self.qsettings = window.settings.settings
        self.enabled = self.qsettings.value(self.SETTINGS_ROW, True, type=bool)
        hidden = self.qsettings.value(self.SETTINGS_HIDDEN, [], type=list) or []
        self._hidden = {str(k) for k in hidden}
        chosen = self.qsettings.value(self.SETTINGS_CHOSEN, [], type=list) or []
        self._chosen = {str(k) for k in chosen}
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
            self._row.chosen = set(self._chosen)
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
        shown = {s.key for s in self.row.shown}
        for s in self.row.series:
            a = QAction(f"{s.label} — {len(s.points)} points", self.menu, checkable=True)
            a.setChecked(s.key in shown)
            a.setEnabled(self.enabled)
            a.toggled.connect(lambda on, key=s.key: self.set_shown(key, on))
            self.menu.addAction(a)
        if self.row.series:
            self.menu.addSeparator()
            auto = QAction(f"Choose automatically (the ladder's pair first, {ind.AUTO_SERIES} series at most)",
                           self.menu)
            auto.setEnabled(self.enabled and bool(self.row.hidden or self.row.chosen))
            auto.triggered.connect(self.choose_automatically)
            self.menu.addAction(auto)

    def set_enabled(self, on: bool) -> None:
        self.enabled = bool(on)
        self.qsettings.setValue(self.SETTINGS_ROW, self.enabled)
        self.row.set_series(self.row.series, enabled=self.enabled)

    def set_shown(self, key: str, on: bool) -> None:
        """Turn a series on or off (remembered): the series drawn now become the user's choice, so that the others
        stay as they are (none comes in for one turned off, none goes for one turned on)."""
        shown = {s.key for s in self.row.shown}
        (shown.add if on else shown.discard)(key)
        chosen = set(self.row.chosen) | shown
        (chosen.add if on else chosen.discard)(key)
        hidden = (set(self.row.hidden) | {s.key for s in self.row.series if s.key not in shown}) - chosen
        self._remember(hidden, chosen)

    def choose_automatically(self) -> None:
        """Forget the series turned on or off by hand."""
        self._remember(set(), set())

    def _remember(self, hidden: set[str], chosen: set[str]) -> None:
        self._hidden, self._chosen = hidden, chosen
        self.qsettings.setValue(self.SETTINGS_HIDDEN, sorted(hidden))
        self.qsettings.setValue(self.SETTINGS_CHOSEN, sorted(chosen))
        self.row.set_series(self.row.series, hidden, chosen=chosen, enabled=self.enabled)

    def shown_series(self) -> list[ind.Series]:
        """What the window shows now (for Export image… and the brief's figure): nothing when the row is off."""
        return self.row.shown if self.enabled and self.row.isVisible() else []

    def filter_shown(self, series: list[ind.Series]) -> list[ind.Series]:
        """Of ``series`` (read for a brief), those the window shows: none when the row is off."""
        if not self.enabled:
            return []
        return ind.choose_series(series, pair=self.row.pair(), hidden=self.row.hidden, chosen=self.row.chosen)

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
