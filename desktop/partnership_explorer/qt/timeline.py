"""The zoomable timeline: one lane per sector, events as markers and bars, heat-map when crowded.

The widget only renders a :class:`~partnership_explorer.core.timeline.TimelineData` handed to it by
:meth:`TimelineWidget.set_data` (loaded by the main window in a worker thread): it never queries the database.
The x unit is float days since 1970-01-01 (small numbers keep full precision in float32 paint paths and
exports); lane ``i`` is centred on ``y = i`` with ``y`` growing downwards.

Level of detail: on every view change the visible range is binned per pixel column
(:func:`core.timeline_layout.level_of_detail`). A lane with more than ``LOD_THRESHOLD`` events in view is drawn
as one RGBA image (colour intensity by count); the other lanes draw only their visible rows, as vector paths
painted by one light item (:class:`~.timeline_items.GlyphItem`), never one graphics item per event. Day-precise
events are circles, month/year-precise events and ranges are translucent bars over their period; size and
stroke grow with the number of sources; rejected events are hollow and grey.

Gestures: wheel zooms around the cursor, drag pans, right-drag or shift-drag zooms to a box; keys ``+``/``=``
and ``-`` zoom, Left/Right pan, ``0`` fits all, Home/End jump to the ends. The overview strip below shows the
whole filtered range with a draggable window linked both ways to the main view.

The pieces: :mod:`.theme` (colours and pixel fonts), :mod:`.timeline_axes` (date and lane axes),
:mod:`.timeline_items` (what is painted in the plot, and the export's title and legend), and the Qt-free
:mod:`..core.ticks` and :mod:`..core.timeline_layout` (where things go).
"""

from __future__ import annotations

import html
import time
from contextlib import contextmanager
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QCursor, QFontMetricsF, QKeySequence, QShortcut
from PySide6.QtWidgets import QGraphicsItem, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from ..core.ladder_labels import name_column_width
from ..core.ticks import choose_levels, context_label
from ..core.timeline import STATUS_NAMES, AggregateCache, TimelineData, format_span, hit_test, rows_in_cell
from ..core.timeline_layout import heat_rgba, level_of_detail, marker_radius
from ..core.view_fit import OVERVIEW_COLUMNS, fit_filtered, full_range
from .state import ExplorerState
from .theme import Theme, lane_rgb, pixel_font
from .timeline_axes import DayAxis, LaneAxis
from .timeline_items import (BackgroundItem, CaptionStrip, GlyphItem, GridItem, LegendStrip, OverlayItem, TitleStrip,
                             label_rect)

MOTION_SETTLE_MS = 150      # labels are placed again this long after the view stops moving
ERA_BAND_PX = 22             # height of the era label band above the first lane
MIN_RANGE_DAYS = 3.0         # deepest zoom


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
            self.widget.click_at(int(round(pos.y())), pos.x())
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


class TimelineWidget(QWidget):
    """Renders TimelineData; observes and drives the shared ExplorerState."""

    fitOffered = Signal(bool)   # True: the filter changed after the user zoomed by hand ("Fit to filter")

    def __init__(self, state: ExplorerState, parent: QWidget | None = None, *, theme: Theme | None = None,
                 export_mode: bool = False, title: str | None = None, caption: str | None = None):
        super().__init__(parent)
        self.state = state
        self.export_mode = export_mode
        self._fixed_theme = theme
        self.theme = theme or Theme.from_palette(self.palette())
        self.font_px = max(11, QFontMetricsF(self.font()).height() * 0.82)
        self.font_px = int(round(min(self.font_px, 15)))
        self.data = TimelineData()
        self._init_view_state()
        # the layout's rows, top to bottom: title (exports with a title), plot, legend (exports), overview (screen)
        row = self._build_layout(title)
        self._build_plot(row)
        self._build_items()
        self.legend = None
        self.caption = None
        self.overview = None
        self.region = None
        if export_mode:
            self._build_legend(row + 1)
            if caption:
                self.caption = CaptionStrip(self, caption)
                self.glw.ci.addItem(self.caption, row=row + 2, col=0)
        else:
            self._build_overview(row + 1)
        self._apply_theme()
        self._connect_signals()
        self._build_keys()
        self._ready = True  # palette changes restyle from now on
        self.set_data(self.data)
        self._view_initialised = False  # the empty start does not count as a view to keep

    # -- construction ----------------------------------------------------------------------------
    def _init_view_state(self) -> None:
        """What is drawn (read by tests and the painter) and the view's bookkeeping."""
        self.manual_view = False      # the user zoomed or panned since the last fit
        self._auto_depth = 0
        self._auto_range: tuple[float, float] | None = None
        self.highlighted_ids: frozenset[int] = frozenset()
        self.highlight_rows: np.ndarray | None = None
        self.hover_row: int | None = None
        self.lane_modes: list[str] = []          # "glyphs" | "aggregate" per lane
        self.lod_mode = "empty"                  # "empty" | "glyphs" | "mixed" | "aggregate"
        self.counts: np.ndarray = np.zeros((0, 1), dtype=np.int64)
        self.count_edges: np.ndarray = np.zeros(2)
        self.glyph_rows: np.ndarray = np.zeros(0, dtype=np.int64)
        self.count_cells: list[tuple[int, float, float, int]] = []
        self.last_lod_ms = 0.0
        self.moving = False              # a view change less than MOTION_SETTLE_MS ago (labels travel along)
        self._aggregates = AggregateCache()
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(MOTION_SETTLE_MS)
        self._settle.timeout.connect(self._motion_settled)
        self._lod_timer = QTimer(self)
        self._lod_timer.setSingleShot(True)
        self._lod_timer.setInterval(0)
        self._lod_timer.timeout.connect(self.update_lod)
        self._syncing = False
        self._view_initialised = False
        self._had_rows = False
        self._axis_label = None
        self.group_menu = None           # the last menu of one period's events (click on a count badge)

    def _build_layout(self, title: str | None) -> int:
        """The graphics view filling the widget, with the title strip of an export on top; returns the plot's row."""
        self.glw = pg.GraphicsLayoutWidget()
        self.glw.ci.setContentsMargins(4, 4, 14, 4)
        self.glw.ci.setSpacing(2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.glw)
        self.title_bar = TitleStrip(self, title or "")
        self.bands: list = []        # plot rows above the lanes on their time axis (add_band)
        self.lane_label_width = 70   # the lane axis's width: the bands' left axes keep to it
        row = 0
        if title:
            self.glw.ci.addItem(self.title_bar, row=0, col=0)
            row = 1
        # rows stacked above the lanes (the relationship ladder, indicators): add_row_above
        self.above = pg.GraphicsLayout()
        self.above.setContentsMargins(0, 0, 0, 0)
        self.above.setSpacing(2)
        self.above.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._rows_above: list[tuple[int, object]] = []
        self._rows_laid_out: list = []
        self.glw.ci.addItem(self.above, row=row, col=0)
        self.rows_above_changed()
        return row + 1

    def add_row_above(self, item, order: int) -> None:
        """Stack a full-width row between the title and the lanes (smaller ``order`` on top). The row draws in the
        lanes' x mapping (``self.vb``) and keeps a fixed height; it calls :meth:`rows_above_changed` when that
        height or its visibility changes."""
        self._rows_above = sorted([*self._rows_above, (order, item)], key=lambda r: r[0])
        self.rows_above_changed()

    def add_band(self, band, order: int = 10) -> None:
        """A plot row above the lanes on their time axis (the indicator series): a ``pg.PlotItem`` whose x follows
        the lanes' view and whose left axis is as wide as the lane names, stacked with :meth:`add_row_above`."""
        self.bands.append(band)
        band.setXLink(self.plot)
        band.getAxis("left").setWidth(self.lane_label_width)
        self.add_row_above(band, order)

    def rows_above_changed(self) -> None:
        """Lay out the rows above the lanes that are shown, which take exactly their heights (none: no height at
        all); hidden rows leave the layout, so that they take no room."""
        rows = getattr(self, "_rows_above", [])
        shown = [it for _o, it in rows if it.isVisible() and it.maximumHeight() > 0]
        laid_out = getattr(self, "_rows_laid_out", [])
        if shown != laid_out:
            for old in laid_out:
                self.above.removeItem(old)
            for i, it in enumerate(shown):
                self.above.addItem(it, row=i, col=0)
            self._rows_laid_out = shown
        h = sum(it.maximumHeight() for it in shown) + 2 * max(len(shown) - 1, 0)
        self.above.setMinimumHeight(h)
        self.above.setMaximumHeight(h)

    def _build_plot(self, row: int) -> None:
        """The main plot: lanes on y (inverted, fixed), days on x, with the date and lane axes."""
        self.vb = _TimelineViewBox(self)
        self.bottom_axis = DayAxis()
        self.lane_axis = LaneAxis()
        self.plot = pg.PlotItem(viewBox=self.vb, axisItems={"bottom": self.bottom_axis, "left": self.lane_axis})
        self.glw.ci.addItem(self.plot, row=row, col=0)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.vb.invertY(True)
        self.vb.disableAutoRange()
        # vertical grid lines: drawn by GridItem at the axis ticks (the axis's own grid replays a whole-plot
        # picture on every repaint)
        self.bottom_axis.external_grid = True
        self.bottom_axis.setLabel(" ")

    def _build_items(self) -> None:
        """What the plot shows, bottom to top: stripes and eras, heat-map image, glyphs, overlay, grid."""
        self.background = BackgroundItem(self)
        self.background.setZValue(-20)
        self.vb.addItem(self.background, ignoreBounds=True)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(-5)
        self.vb.addItem(self.image, ignoreBounds=True)
        self.glyphs = GlyphItem(self)
        self.glyphs.setZValue(5)
        if not self.export_mode:
            self.glyphs.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.vb.addItem(self.glyphs, ignoreBounds=True)
        self.overlay = OverlayItem(self)
        self.overlay.setZValue(8)
        self.vb.addItem(self.overlay, ignoreBounds=True)
        self.grid = GridItem(self)
        self.grid.setZValue(9)  # above everything in the view, as the axis grid was
        self.vb.addItem(self.grid, ignoreBounds=True)

    def _build_legend(self, row: int) -> None:
        """Exports: the legend under the plot (lanes with their colours, what the glyphs mean)."""
        self.legend = LegendStrip(self)
        self.glw.ci.addItem(self.legend, row=row, col=0)

    def _build_overview(self, row: int) -> None:
        """The overview strip under the plot: the whole filtered range as a heat-map, the view as a draggable
        window."""
        self.ov_axis = DayAxis(concise=True)
        self.ov_left = pg.AxisItem("left")
        self.overview = pg.PlotItem(axisItems={"bottom": self.ov_axis, "left": self.ov_left})
        self.glw.ci.addItem(self.overview, row=row, col=0)
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

    def _connect_signals(self) -> None:
        self.vb.sigXRangeChanged.connect(self._on_view_range_changed)
        self.vb.sigResized.connect(self._on_resized)
        self.glw.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.state.selectionChanged.connect(self._on_selection_changed)
        self.state.visibleRangeChanged.connect(self._on_state_range)

    def _build_keys(self) -> None:
        """Keyboard navigation: shortcuts while the focus is in the widget, and the same keys pressed on the
        graphics view itself (see :meth:`handle_key`)."""
        zoom_in, zoom_out = partial(self.zoom, 1.5), partial(self.zoom, 1 / 1.5)
        keys = ((Qt.Key.Key_Plus, "+", zoom_in), (Qt.Key.Key_Equal, "=", zoom_in), (Qt.Key.Key_Minus, "-", zoom_out),
                (Qt.Key.Key_Left, "Left", partial(self.pan, -0.2)), (Qt.Key.Key_Right, "Right", partial(self.pan, 0.2)),
                (Qt.Key.Key_0, "0", self.fit_all), (Qt.Key.Key_Home, "Home", self.go_start),
                (Qt.Key.Key_End, "End", self.go_end))
        self._key_actions = {_key_int(key): fn for key, _seq, fn in keys}
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.glw.installEventFilter(self)
        for _key, seq, fn in keys:
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(fn)

    # -- what the last paint drew ----------------------------------------------------------------
    @property
    def drawn_glyphs(self) -> int:
        """Rows drawn one by one in the last paint."""
        return self.glyphs.drawn

    @property
    def placed_labels(self) -> int:
        return len(self.glyphs.labels)

    @property
    def label_rects(self) -> list[tuple[QRectF, str, int]]:
        """(scene rect, text, data row) of every label of the last paint."""
        return [(label_rect(l), l.text, l.row) for l in self.glyphs.labels]

    @property
    def glyph_rects(self) -> list[tuple[int, QRectF]]:
        """(data row, scene rect) of every glyph of the last paint (built on demand)."""
        out = []
        for rows, x0, y0, x1, y1 in self.glyphs.boxes:
            out.extend((int(r), QRectF(a, b, c - a, d - b)) for r, a, b, c, d in
                       zip(rows.tolist(), x0.tolist(), y0.tolist(), x1.tolist(), y1.tolist()))
        return out

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
            self._style_overview(t)
        self._update_overview()
        self.update_lod()

    def _style_overview(self, t: Theme) -> None:
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
        for line in self.region.lines:
            line.setPen(pg.mkPen(edge, width=2))
            line.setHoverPen(pg.mkPen(accent, width=4))
            line.clearMarkers()
            line.addMarker("<|>", position=0.5, size=10.0)
            line.setCursor(Qt.CursorShape.SizeHorCursor)
        self.region.update()

    def changeEvent(self, ev):
        if ev.type() == QEvent.Type.PaletteChange and getattr(self, "_ready", False) \
                and self._fixed_theme is None:
            self.theme = Theme.from_palette(self.palette())
            self._apply_theme()
        super().changeEvent(ev)

    # -- data ------------------------------------------------------------------------------------
    def set_data(self, data: TimelineData) -> None:
        """Show new data; keep the current view if it still meets the data, else fit all."""
        with self._automatic():     # new limits may clamp the view: not the user's zooming
            self._set_data(data)

    def _set_data(self, data: TimelineData) -> None:
        self.data = data
        self.lane_axis.set_lanes(data.lanes)
        self.fit_name_column()
        if not self._had_rows:
            self._settle_layout()
        self._update_y_range()
        ext = self.full_range()
        fit = self.fit_range()
        ext = (min(ext[0], fit[0]), max(ext[1], fit[1]))   # a date filter's period may reach past the events
        margin = max(ext[1] - ext[0], 3653.0)  # room to keep a view across filter changes
        self.vb.setLimits(xMin=ext[0] - margin, xMax=ext[1] + margin, minXRange=MIN_RANGE_DAYS,
                          maxXRange=3 * margin)
        self._relayout_strips(self.width() or 1600)
        self._update_overview()
        keep = None
        if self._view_initialised and self._had_rows:
            x0, x1 = self.x_range()
            keep = (x0, x1)
        elif self.state.visible_range is not None and not self._view_initialised:
            keep = self.state.visible_range
        if keep is not None and keep[1] > ext[0] and keep[0] < ext[1] and len(data):
            with self._automatic():
                self.set_x_range(*keep)
        else:
            self.fit_all()
        self._view_initialised = True
        self._had_rows = bool(len(data))
        self._update_highlight(self.state.selection)
        self.update_lod()

    def fit_name_column(self) -> bool:
        """Make the column left of the plot as wide as the lane names and the ladder's pair name need (up to a
        cap: :func:`..core.ladder_labels.name_column_width`); True when its width changed."""
        fm = QFontMetricsF(pixel_font(self.font(), self.font_px))
        band = getattr(self, "ladder_band", None)
        pair = band.pair if band is not None and band.steps else None
        pair_w = QFontMetricsF(pixel_font(self.font(), self.font_px - 1, bold=True)).horizontalAdvance(pair) \
            if pair else 0.0
        left_w = name_column_width([fm.horizontalAdvance(l.name) for l in self.data.lanes], self.lane_axis.swatch,
                                   pair_w)
        changed = left_w != self.lane_label_width
        self.lane_axis.setWidth(left_w)
        self.lane_label_width = left_w
        for band in self.bands:
            band.getAxis("left").setWidth(left_w)
        if self.overview is not None:
            self.ov_left.setWidth(left_w)
        return changed

    def _settle_layout(self) -> None:
        """Give the plot the width it has once the lane names' new width is laid out, now rather than at the next
        paint: the first rows shown (opening a database) are binned once, for the columns they are drawn with, not
        first for the old width and again when the layout catches up. (Rows that replace others, a sector toggle,
        are drawn at once as binned, and binned again for the new width right after.)"""
        for layout in (self.glw.ci.layout, self.plot.layout):
            if not layout.isActivated():
                layout.activate()

    def full_range(self) -> tuple[float, float]:
        """The whole filtered range with a small margin (one year around today when empty)."""
        return full_range(self.data)

    def fit_range(self) -> tuple[float, float]:
        """What "fit all" (and "Fit to filter", Home, End) show: the period of the filter's dates with a small
        margin, as an export of the filter spans it, else the whole filtered range
        (:func:`..core.view_fit.fit_filtered`)."""
        return fit_filtered(self.data, self.shown_filter())

    def shown_filter(self):
        """The filter of the rows drawn: the one they were published with (``state.view.timeline_filter``), else
        the state's."""
        view = self.state.view
        if view.timeline is self.data and view.timeline_filter is not None:
            return view.timeline_filter
        return self.state.filter

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
        counts = self._aggregates.get(self.data, x0, x1, OVERVIEW_COLUMNS)
        rgba = heat_rgba(counts, lane_rgb(self.data.lanes), sub=1, floor=90)
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
        with self._automatic():
            self.set_x_range(*self.fit_range())
        self.manual_view = False
        self.fitOffered.emit(False)

    def follow_filter(self) -> None:
        """After a filter change: fit the filtered events (the period of a date filter), unless the user has
        zoomed or panned by hand since the last fit — then offer it (:attr:`fitOffered`, the status bar's "Fit to
        filter")."""
        if self.manual_view:
            self.fitOffered.emit(True)
        else:
            self.fit_all()

    @contextmanager
    def _automatic(self):
        """Range changes that are not the user's own zooming (fits, keeping the view, revealing an event)."""
        self._auto_depth += 1
        try:
            yield
        finally:
            self._auto_depth -= 1
            self._auto_range = self.x_range()

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
        a = self.fit_range()[0]
        self.set_x_range(a, a + (x1 - x0))

    def go_end(self) -> None:
        x0, x1 = self.x_range()
        b = self.fit_range()[1]
        self.set_x_range(b - (x1 - x0), b)

    def handle_key(self, key) -> bool:
        """Keyboard navigation; returns whether the key was used."""
        fn = self._key_actions.get(_key_int(key))
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
        with self._automatic():
            self._update_y_range()
        self._relayout_strips(self.width())
        self._lod_timer.start()

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self._relayout_strips(self.width())

    def _relayout_strips(self, width: float) -> None:
        """The export's legend and caption wrap to the width they are painted at (the layout's, inside its
        margins)."""
        left, _top, right, _bottom = self.glw.ci.layout.getContentsMargins()
        for strip in (self.legend, self.caption):
            if strip is not None:
                strip.relayout(width - left - right)

    def _motion_settled(self) -> None:
        self.moving = False
        if self.glyphs.labels_shifted:
            self.glyphs.update()  # place the labels for where the view came to rest

    def _on_view_range_changed(self, _vb, rng):
        self.moving = True
        self._settle.start()
        x0, x1 = float(rng[0]), float(rng[1])
        if not self._auto_depth and self._auto_range is not None and len(self.data):
            a0, a1 = self._auto_range
            if abs(x0 - a0) + abs(x1 - a1) > 1e-6 * max(a1 - a0, 1.0):
                self.manual_view = True
        self._update_axis_label(x0, x1)
        self._sync_region()
        if not self._syncing and len(self.data):
            self.state.set_visible_range(x0, x1, origin=self)
        self.update_lod()

    def _update_axis_label(self, x0: float, x1: float) -> None:
        major, _ = choose_levels(x0, x1, max(self.vb.width(), 100.0))
        text = context_label(major[0], x0, x1)
        if text != self._axis_label:  # an unchanged label would still relayout and repaint
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
        t0 = time.perf_counter()
        # apply the new range to the view's transform now: pyqtgraph defers it to the start of the next paint,
        # where setting it invalidates the view again and Qt paints every frame twice
        self.vb.updateMatrix()
        data = self.data
        x0, x1 = self.x_range()
        lod = level_of_detail(data, x0, x1, self.vb.width(), self._aggregates.get)
        self.counts = lod.counts
        self.lane_modes = lod.lane_modes
        self.lod_mode = lod.mode
        self.glyph_rows = lod.glyph_rows
        self.count_cells = lod.count_cells or []
        if lod.mode == "empty":
            self.image.clear()
            self.glyphs.update()
            return
        self.count_edges = lod.edges
        if lod.crowded.any():
            a0, a1 = lod.span
            rgba = heat_rgba(lod.heat_counts(), lane_rgb(data.lanes), sub=8, floor=45)
            self.image.setImage(rgba, autoLevels=False, levels=(0, 255))
            self.image.setRect(QRectF(a0, -0.5, a1 - a0, len(data.lanes)))
            self.image.show()
        else:
            self.image.clear()
            self.image.hide()
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
        ids = frozenset(self.data.event_id[rows].tolist())   # (np.unique would import numpy.ma at start)
        if ids != self.highlighted_ids:
            self.highlighted_ids = ids
            self.glyphs.update()      # the selected event's label comes first, and its group shows it
        self.overlay.update()

    def _reveal(self, event_id: int) -> None:
        rows = self.data.rows_of_event(event_id)
        if not len(rows):
            return
        s, e = float(self.data.start[rows[0]]), float(self.data.end[rows[0]])
        x0, x1 = self.x_range()
        if e <= x0 or s >= x1:
            c, w = (s + e) / 2, x1 - x0
            with self._automatic():
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
        hit = hit_test(self.data, lane, x, tol_px / self._px_per_day())
        if hit is None:   # a count badge beside a glyph stands for its events
            row = next((r for l, a, b, r in self.glyphs.badge_spans if l == lane and a <= x <= b), None)
            hit = int(self.data.event_id[row]) if row is not None and row < len(self.data) else None
        return hit

    def cell_at(self, lane: int, x: float, spread_px: float = 2.0) -> list[int]:
        """Events counted in the heat-map cells under x (± ``spread_px`` pixels) of a crowded lane."""
        edges = self.count_edges
        cols = len(edges) - 1
        col_px = (edges[-1] - edges[0]) / cols * self._px_per_day()
        spread = int(spread_px // max(col_px, 1e-9))
        c = int(np.clip(np.searchsorted(edges, x, side="right") - 1, 0, cols - 1))
        a, b = max(0, c - spread), min(cols, c + spread + 1)
        return rows_in_cell(self.data, lane, float(edges[a]), float(edges[b]), view=(float(edges[0]), float(edges[-1])))

    def same_period(self, lane: int, event_id: int) -> list[int]:
        """The events drawn as one glyph with ``event_id`` in ``lane``: those of the same period (itself first)."""
        data = self.data
        rows = data.rows_of_event(event_id)
        rows = rows[data.lane[rows] == lane]
        if not len(rows):
            return [int(event_id)]
        r = int(rows[0])
        sl = data.lane_slice(lane)
        mates = np.flatnonzero((data.start[sl] == data.start[r]) & (data.end[sl] == data.end[r])) + sl.start
        others = [int(i) for i in data.event_id[mates] if int(i) != int(event_id)]
        return [int(event_id)] + sorted(others, key=lambda i: (-int(data.n_sources[data.rows_of_event(i)[0]]), i))

    def click_at(self, lane: int, x: float) -> tuple[int, ...]:
        """What a left click at (lane, x days) does: select the event there (or the events of a heat-map cell).
        A glyph that stands for several events of one period selects them all and lists them in a menu, where
        choosing one selects it alone (:attr:`group_menu`)."""
        ids: list[int] = []
        if 0 <= lane < len(self.data.lanes):
            if self.lane_modes and self.lane_modes[lane] == "aggregate":
                ids = self.cell_at(lane, x)
            else:
                hit = self.event_at(lane, x)
                ids = self.same_period(lane, hit) if hit is not None else []
        self.state.set_selection(ids, origin=self)
        if len(ids) > 1 and not (self.lane_modes and self.lane_modes[lane] == "aggregate"):
            self._show_group_menu(ids)
        return tuple(ids)

    def _show_group_menu(self, ids: list[int]) -> None:
        """The events of one period, to choose one (the menu pops up where the click was)."""
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self)
        menu.setObjectName("samePeriodMenu")
        menu.addSection(f"{len(ids)} events on this period")
        for eid in ids:
            title = self.data.titles.get(eid) or f"Event {eid}"
            action = menu.addAction(title.replace("&", "&&"))
            action.triggered.connect(partial(self.state.set_selection, [eid], self))
        self.group_menu = menu
        menu.popup(QCursor.pos())

    # -- hover -----------------------------------------------------------------------------------
    def tooltip_text(self, event_id: int, lane: int | None = None) -> str:
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
        title, when, sectors = (html.escape(text, quote=False) for text in (title, when, sectors))
        lines = [f"<b>{title}</b>", when, sectors, f"{n} source{'s' if n != 1 else ''}"]
        if status and status != "extracted":
            lines.append(f"<i>{status}</i>")
        if lane is not None:
            others = self.same_period(lane, event_id)[1:]
            if others:
                lines.append(f"<br><b>and {len(others)} more on this period</b> (click to list them):")
                lines += [html.escape(data.titles.get(i) or f"Event {i}", quote=False) for i in others[:12]]
                if len(others) > 12:
                    lines.append(f"… and {len(others) - 12} more")
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
        QToolTip.showText(QCursor.pos(), self.tooltip_text(eid, lane), self.glw)

    def _set_hover(self, row: int | None) -> None:
        if row != self.hover_row:
            self.hover_row = row
            self.overlay.update()



def _key_int(key) -> int:
    return int(key.value) if hasattr(key, "value") else int(key)
