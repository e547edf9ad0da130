"""The relationship ladder as a stepped band above the timeline's lanes, and where sources disagree on the lanes.

:class:`LadderBand` is one row of :meth:`~.timeline.TimelineWidget.add_row_above` (the rows stacked between the
export's title and the lanes; an indicators row stacks there too): the pair's name on the left where the lanes
have theirs, then one step per level reached — its height the level's rank, its riser at the step's date, its
label the level and date — drawn in the timeline's own x mapping, so it pans and zooms with the lanes and is
painted into every export (QPainter paths and text: vector in SVG and PDF). A step whose sources disagree about
its date shows the range they span, hatched, with a tick per source. Clicking a step selects its source events;
hovering tells its level, date, the dates each source gives, and its status; a right click offers to edit the
step, leave it out of the ladder or add one (:class:`LadderFeed`, through the window's writer).

:class:`DisputeItem` draws, in the lanes, the disagreement band of each disputed event (the range its sources'
dates span, a tick per source) where the event's lane is drawn event by event.

:class:`LadderFeed` reads the ladder for the current filter off the GUI thread (:class:`~.workers.ReadModel`),
after every filter change and every write, and the disagreement bands of the events the lanes draw one by one
(never all the events of a large database) once the view rests; it hands both to the widget.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGraphicsItem, QLineEdit, QMenu,
                               QSizePolicy, QWidget)

import pyqtgraph as pg

from ..core import disputes
from ..core import relationship as rel
from ..core.changes import Changes
from ..core.ladder_labels import StepGeometry, StepLabel, fit_pair_name, place_step_labels
from ..core.relationship import Step, default_vocabulary, ladder_for, period_label
from ..core.timeline import Era, ladder_eras, to_days
from ..core.timeline_layout import abbreviation
from .theme import pixel_font
from .timeline_items import ViewItem
from .workers import Load, ReadModel

if TYPE_CHECKING:
    from .state import ExplorerState
    from .timeline import TimelineWidget
    from .timeline_items import Frame

LADDER_ORDER = 20          # rows above the lanes are stacked by order, smaller on top (indicators: 10)
BAND_PX = 64               # height of the band with steps (0 without)
MIN_BAND_PX = 40
SPANS_SETTLE_MS = 200      # the disagreement bands are read this long after the view or the rows last changed
MAX_SPAN_EVENTS = 20_000   # events drawn one by one whose sources are read for them, at most
MIN_NAME_PX = 9            # the pair's name shrinks to fit its column down to this size (then it is elided)
FUTURE_DAYS = 3650.0       # the last step runs this far past its start when the view allows


class LadderBand(pg.GraphicsWidget):
    """The stepped band: one pair's relationship levels over time, x as the timeline's."""

    stepMenuRequested = Signal(object, object)    # the step under a right click (or None), the screen position

    def __init__(self, widget: "TimelineWidget"):
        super().__init__()
        self.widget = widget
        self.pair: str | None = None
        self.steps: list[Step] = []
        self.labels: list[StepLabel] = []   # the step labels of the last paint (local pixels)
        self.name_text, self.name_px = "", 0  # the pair's name as the last paint drew it, and its size
        self.eras: list[Era] = []           # the eras of this ladder, shaded behind the lanes
        self.max_rank = max(lv.rank for lv in default_vocabulary().levels)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAcceptHoverEvents(True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsToShape, True)
        self._relayout()
        widget.vb.sigXRangeChanged.connect(lambda *_: self.update())
        widget.vb.sigResized.connect(lambda *_: self.update())
        widget.state.selectionChanged.connect(lambda *_: self.update())

    # data ------------------------------------------------------------------------------------------------------
    def set_ladder(self, pair: str | None, steps: list[Step]) -> None:
        self.pair, self.steps = pair, sorted(steps, key=lambda s: (s.start, s.rank))
        # the lanes' background shades this pair's eras (not every pair's milestones)
        self.eras = ladder_eras([(to_days(s.start), s.label) for s in self.steps])
        self._relayout()
        if self.widget.fit_name_column():      # the pair's name shares the lane names' column
            self.widget.update_lod()
        for band in self.widget.bands:          # the indicator row draws this pair's series first
            if hasattr(band, "pair_changed"):
                band.pair_changed()
        self.update()
        self.widget.background.update()

    def _relayout(self) -> None:
        # a small picture (a figure in a brief, 17 × 10 cm) keeps most of its height for the lanes
        h = (max(MIN_BAND_PX, min(BAND_PX, round(self.widget.height() * 0.1))) if self.widget.height() > 0
             else BAND_PX) if self.steps else 0
        self.setMinimumHeight(h)
        self.setMaximumHeight(h)
        self.setPreferredHeight(h)
        self.setVisible(bool(self.steps))
        self.widget.rows_above_changed()

    # geometry --------------------------------------------------------------------------------------------------
    def _x_map(self) -> tuple[float, float, float, float] | None:
        """(scale, offset, left, right): local x = day * scale + offset, and the plot's edges in local x."""
        vb = self.widget.vb
        a = vb.mapViewToScene(QPointF(0.0, 0.0))
        b = vb.mapViewToScene(QPointF(1000.0, 0.0))
        if a is None or b is None:
            return None
        origin = self.mapFromScene(a).x()
        scale = (self.mapFromScene(b).x() - origin) / 1000.0
        if not scale:
            return None
        r = vb.sceneBoundingRect()
        left, right = self.mapFromScene(r.topLeft()).x(), self.mapFromScene(r.topRight()).x()
        return scale, origin, left, right

    def step_spans(self) -> list[tuple[Step, float, float]]:
        """(step, first day, end day) of each step: it holds from its date to the next step's; the last one runs
        to the right edge of the view (the level holds today)."""
        out = []
        x_right = self.widget.x_range()[1]
        for i, s in enumerate(self.steps):
            x0 = to_days(s.start)
            x1 = to_days(self.steps[i + 1].start) if i + 1 < len(self.steps) else max(x0 + FUTURE_DAYS, x_right + 1)
            out.append((s, x0, max(x1, x0 + 1.0)))
        return out

    def _level_y(self, rank: int, top: float, bottom: float) -> float:
        """Rank 0 on the baseline; the first rung a little above it, the highest rank at the top."""
        share = 0.15 + 0.85 * max(rank, 0) / max(self.max_rank, 1) if rank > 0 else 0.0
        return bottom - (bottom - top) * share

    def step_at(self, local_x: float) -> Step | None:
        m = self._x_map()
        if m is None:
            return None
        scale, origin, left, right = m
        if not left <= local_x <= right:
            return None
        day = (local_x - origin) / scale
        hit = None
        for s, x0, x1 in self.step_spans():
            near = abs(local_x - (x0 * scale + origin)) <= 4
            if x0 <= day < x1 or near:
                hit = s
                if near:
                    break
        return hit

    # painting --------------------------------------------------------------------------------------------------
    def paint(self, p: QPainter, *args) -> None:
        if not self.steps:
            return
        m = self._x_map()
        if m is None:
            return
        scale, origin, left, right = m
        w, theme = self.widget, self.widget.theme
        rect = self.boundingRect()
        font = pixel_font(w.font(), w.font_px - 1)
        bold = pixel_font(w.font(), w.font_px - 1, bold=True)
        fm = QFontMetricsF(font)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        # the pair's name where the lanes have theirs, on one line: smaller, else elided (core.ladder_labels)
        name_rect = QRectF(4, rect.top() + 2, max(left - 12, 10), rect.height() - 4)
        self.name_text, self.name_px = self.pair_name_fit(name_rect.width())
        p.setFont(pixel_font(w.font(), self.name_px, bold=True))
        p.setPen(QPen(theme.fg))
        p.drawText(name_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), self.name_text)
        p.setClipRect(QRectF(left, rect.top(), right - left, rect.height()))
        label_h = fm.height() + 2
        top, bottom = rect.top() + label_h + 2, rect.bottom() - 3
        accent = QColor(theme.accent if theme.accent is not None else theme.highlight)
        fill = QColor(accent)
        fill.setAlpha(46 if not theme.dark else 70)
        # the stepped outline and its fill
        spans = self.step_spans()
        path = QPainterPath()
        path.moveTo(spans[0][1] * scale + origin, bottom)
        for s, x0, x1 in spans:
            y = self._level_y(s.rank, top, bottom)
            path.lineTo(x0 * scale + origin, y)
            path.lineTo(x1 * scale + origin, y)
        path.lineTo(spans[-1][2] * scale + origin, bottom)
        path.closeSubpath()
        p.setPen(Qt.PenStyle.NoPen)
        p.fillPath(path, fill)
        outline = QPainterPath()
        for i, (s, x0, x1) in enumerate(spans):
            y = self._level_y(s.rank, top, bottom)
            if i == 0:
                outline.moveTo(x0 * scale + origin, bottom)
            outline.lineTo(x0 * scale + origin, y)
            outline.lineTo(x1 * scale + origin, y)
        p.setPen(QPen(accent, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(outline)
        selected = set(w.state.selection)
        # disagreement: the range the sources span, hatched, with a tick per source
        for s, _x0, _x1 in spans:
            if not s.disputed:
                continue
            firsts = [to_days(x.date_first) for x in s.sources if x.date_first]
            lasts = [to_days(x.date_last) + 1.0 for x in s.sources if x.date_last]
            if not firsts:
                continue
            a, b = min(firsts) * scale + origin, max(lasts) * scale + origin
            y = self._level_y(s.rank, top, bottom)
            band = QRectF(a, y - 5, max(b - a, 2.0), bottom - y + 5)
            warn = QColor("#c0392b") if not theme.dark else QColor("#ff8a75")
            hatch = QColor(warn)
            hatch.setAlpha(120)
            p.fillRect(band, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
            p.setPen(QPen(warn, 1.5))
            for x in s.sources:
                if x.date_first and x.date_last:
                    cx = (to_days(x.date_first) + to_days(x.date_last) + 1.0) / 2 * scale + origin
                    p.drawLine(QPointF(cx, y - 6), QPointF(cx, y + 6))
        # risers, then the labels where they meet nothing (core.ladder_labels)
        sel_steps = []
        for i, (s, x0, x1) in enumerate(spans):
            xs0, xs1 = x0 * scale + origin, x1 * scale + origin
            y = self._level_y(s.rank, top, bottom)
            is_sel = bool(selected & set(s.event_ids))
            if is_sel:
                sel_steps.append(i)
                p.setPen(QPen(theme.highlight, 3))
                p.drawLine(QPointF(xs0, bottom), QPointF(xs0, y))
                p.drawLine(QPointF(xs0, y), QPointF(min(xs1, right), y))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QBrush(theme.highlight if is_sel else accent))
            p.drawEllipse(QPointF(xs0, y), 3.5, 3.5)
        self.labels = self.place_labels(spans, scale, origin, left, right, top, bottom, label_h, fm,
                                        QFontMetricsF(bold), sel_steps)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom | Qt.TextFlag.TextDontClip)
        for label in self.labels:
            p.setFont(bold if label.step in sel_steps else font)
            p.setPen(QPen(theme.fg))
            p.drawText(QRectF(label.x, label.y, label.width, label.height), flags, label.text)

    def pair_name_fit(self, room: float) -> tuple[str, int]:
        """The pair's name as it fits ``room`` pixels on one line, and its bold font's size in px."""
        w = self.widget
        px = w.font_px - 1

        def measure(text: str, size: float) -> float:
            return QFontMetricsF(pixel_font(w.font(), int(size), bold=True)).horizontalAdvance(text) + 1

        text, size = fit_pair_name(self.pair or "", room, measure, px, max(MIN_NAME_PX, px - 3))
        return text, int(size)

    def place_labels(self, spans, scale: float, origin: float, left: float, right: float, top: float,
                     bottom: float, label_h: float, fm: QFontMetricsF, bold_fm: QFontMetricsF,
                     selected: list[int]) -> list[StepLabel]:
        """Where each step's label goes in this paint (local pixels): :func:`..core.ladder_labels.place_step_labels`
        over the steps' risers and treads, with the whole label and a shorter one to choose from."""
        geo, texts = [], []
        for s, x0, x1 in spans:
            geo.append(StepGeometry(x0 * scale + origin, x1 * scale + origin, self._level_y(s.rank, top, bottom)))
            full = f"{s.label} · {period_label(s)}" + (" · dates disputed" if s.disputed else "")
            year = s.start[:4]
            short = abbreviation(s.label)      # "CSP 2022" where the level's name has no room, then the year
            texts.append([full, f"{s.label} {year}", f"{year} {s.label}"]
                         + ([f"{short} {year}"] if short and short != s.label else []) + [year])
        chosen = set(selected)

        def metrics(i: int) -> QFontMetricsF:
            return bold_fm if i in chosen else fm

        return place_step_labels(geo, texts, label_h=label_h, left=left, right=right, bottom=bottom,
                                 measure=lambda i, t: metrics(i).horizontalAdvance(t),
                                 elide=lambda i, t, w: metrics(i).elidedText(t, Qt.TextElideMode.ElideRight, w),
                                 selected=selected)

    # gestures --------------------------------------------------------------------------------------------------
    def mouseClickEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.RightButton:
            ev.accept()
            self.stepMenuRequested.emit(self.step_at(ev.pos().x()), ev.screenPos())
            return
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        self.click_at(ev.pos().x())

    def click_at(self, local_x: float) -> tuple[int, ...]:
        """Select the source events of the step under ``local_x`` (nothing there: clear the selection)."""
        step = self.step_at(local_x)
        ids = tuple(step.event_ids) if step is not None else ()
        self.widget.state.set_selection(ids, origin=self)
        return ids

    def tooltip_for(self, step: Step) -> str:
        dates = step.source_dates()
        lines = [f"{self.pair}: {step.label}", period_label(step)]
        if step.disputed:
            lines.append("Sources disagree: " + ", ".join(dates))
        elif len(dates) > 1:
            lines.append("Sources: " + ", ".join(dates))
        n = len(step.event_ids)
        lines.append(f"{n} event{'s' * (n != 1)} · click to select" if n else "added by hand")
        if step.status != "derived":
            lines.append(step.status)
        return "\n".join(lines)

    def hoverMoveEvent(self, ev) -> None:
        step = self.step_at(ev.pos().x())
        self.setToolTip(self.tooltip_for(step) if step is not None else "")

    def hoverEvent(self, ev) -> None:  # pyqtgraph's hover protocol: nothing to do beyond Qt's
        pass


class DisputeItem(ViewItem):
    """In the lanes: each disputed event's disagreement band (the range its sources' dates span) with a tick per
    source, where its lane is drawn event by event."""

    def __init__(self, widget: "TimelineWidget"):
        super().__init__(widget)
        self.spans: list[disputes.DisputeSpan] = []

    def set_spans(self, spans: list[disputes.DisputeSpan]) -> None:
        self.spans = spans
        self.update()

    def has_content(self) -> bool:
        return bool(self.spans) and len(self.widget.data) > 0

    def draw(self, p: QPainter, f: "Frame") -> None:
        w = self.widget
        data = w.data
        f.clip(p)
        warn = QColor("#c0392b") if not w.theme.dark else QColor("#ff8a75")
        fill = QColor(warn)
        fill.setAlpha(40)
        half = max(min(f.lane_h * 0.28, 9.0), 3.0)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for span in self.spans:
            x0, x1 = span.start * f.sx + f.tx, span.end * f.sx + f.tx
            if x1 < f.left or x0 > f.right:
                continue
            for r in data.rows_of_event(span.event_id).tolist():
                lane = int(data.lane[r])
                if w.lane_modes and lane < len(w.lane_modes) and w.lane_modes[lane] != "glyphs":
                    continue
                cy = lane * f.sy + f.ty
                band = QRectF(x0, cy - half, max(x1 - x0, 2.0), 2 * half)
                p.setPen(QPen(warn, 1, Qt.PenStyle.DashLine))
                p.setBrush(QBrush(fill))
                p.drawRect(band)
                p.setPen(QPen(warn, 1.5))
                for a, b, _text in span.sources:
                    cx = (a + b) / 2 * f.sx + f.tx
                    p.drawLine(QPointF(cx, cy - half - 3), QPointF(cx, cy + half + 3))


def attach(widget: "TimelineWidget") -> tuple[LadderBand, DisputeItem]:
    """The ladder row above the lanes and the disagreement bands in them, added to a timeline widget once."""
    band = getattr(widget, "ladder_band", None)
    if band is not None:
        return band, widget.dispute_item
    band = LadderBand(widget)
    widget.add_row_above(band, LADDER_ORDER)
    item = DisputeItem(widget)
    item.setZValue(6)   # above the glyphs, below the selection overlay
    widget.vb.addItem(item, ignoreBounds=True)
    widget.ladder_band, widget.dispute_item = band, item
    return band, item


def show(widget: "TimelineWidget", ladder: tuple[str | None, list[Step]] | None,
         spans: list[disputes.DisputeSpan] | None = None) -> None:
    """Give a timeline widget (the window's or an export's) its ladder and disagreement bands."""
    band, item = attach(widget)
    pair, steps = ladder if ladder is not None else (None, [])
    band.set_ladder(pair, steps)
    item.set_spans(spans or [])


class StepDialog(QDialog):
    """Edit a step's level and date (or add a step to a pair's ladder)."""

    def __init__(self, parent: QWidget | None, pair: str, step: Step | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{'Edit' if step else 'Add'} relationship step — {pair}")
        self.level = QComboBox(self)
        for lv in sorted(default_vocabulary().levels, key=lambda lv: (lv.rank, lv.label)):
            self.level.addItem(lv.label, lv.key)
        if step is not None:
            self.level.setCurrentIndex(max(self.level.findData(step.level), 0))
        self.date = QLineEdit(step.date if step else "", self)
        self.date.setPlaceholderText("YYYY, YYYY-MM or YYYY-MM-DD")
        form = QFormLayout(self)
        form.addRow("Level:", self.level)
        form.addRow("Date:", self.date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str]:
        return self.level.currentData(), self.date.text().strip()


class LadderFeed(QObject):
    """Reads the ladder and the disputed events for the current filter off the GUI thread; publishes the ladder as
    ``state.view.ladder`` and shows both on the timeline. With ``ops``, a right click on the band offers to edit a
    step, leave it out of the ladder or add one (writes in the writer thread; the ladder is read again after)."""

    def __init__(self, state: "ExplorerState", reads: ReadModel, widget: "TimelineWidget",
                 parent: QObject | None = None, ops=None):
        super().__init__(parent)
        self.state, self.reads, self.widget, self.ops = state, reads, widget, ops
        # the ladder is a few rows of its own table: its own reader, so that it never waits behind the panels'
        # slow reads of a large database (a filter change at 1M events keeps both shared threads busy for seconds)
        self.quick = ReadModel(None, self, threads=1)
        self.quick.failed.connect(reads.failed.emit)
        band, _item = attach(widget)
        if ops is not None:
            band.stepMenuRequested.connect(self.step_menu)
        state.filterChanged.connect(lambda *_: self.reload())
        state.dataChanged.connect(self._data_changed)
        # disagreement bands are read for the events the lanes draw one by one, once the view rests
        self._spans_timer = QTimer(self)
        self._spans_timer.setSingleShot(True)
        self._spans_timer.setInterval(SPANS_SETTLE_MS)
        self._spans_timer.timeout.connect(self.reload_spans)
        state.visibleRangeChanged.connect(lambda *_: self._spans_timer.start())
        state.viewChanged.connect(lambda part: self._spans_timer.start() if part == "timeline" else None)

    # editing ------------------------------------------------------------------------------------------------
    def step_menu(self, step: Step | None, screen_pos) -> QMenu:
        band = self.widget.ladder_band
        menu = QMenu(self.widget)
        if step is not None:
            menu.addAction("Edit step…", lambda: self.edit_step(step))
            menu.addAction("Leave this step out of the ladder", lambda: self.write_step(
                "Leave step out", lambda store: rel.reject_step(store, step.id)))
            menu.addSeparator()
        if band.pair:
            menu.addAction("Add a step…", lambda: self.add_step(band.pair))
        if screen_pos is not None and not menu.isEmpty():
            menu.popup(screen_pos.toPoint() if hasattr(screen_pos, "toPoint") else screen_pos)
        return menu

    def edit_step(self, step: Step) -> None:
        dialog = StepDialog(self.widget.window(), self.widget.ladder_band.pair or "", step)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            level, date = dialog.values()
            self.write_step("Edit relationship step", lambda store: rel.edit_step(store, step.id, level=level,
                                                                                  date=date))

    def add_step(self, pair: str) -> None:
        dialog = StepDialog(self.widget.window(), pair)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            level, date = dialog.values()
            self.write_step("Add relationship step", lambda store: rel.add_step(store, pair, level, date))

    def write_step(self, text: str, write) -> None:
        """A step edit through the window's writer; the ladder is read again when it is stored."""
        from .operations import WriteOp

        op = WriteOp(text, lambda store: (write(store), Changes(action="ladder")))
        op.succeeded.connect(lambda *_: self.reload())
        self.ops.run(op)

    def reload(self) -> None:
        flt = self.state.filter
        if self.quick.path != self.reads.path:
            self.quick.set_database(self.reads.path)
        self.quick.request(Load("ladder", lambda store: (flt, ladder_for(store, flt)), self._ladder_loaded))
        self._spans_timer.start()

    def drawn_event_ids(self) -> list[int]:
        """The events the lanes draw one by one now (the heat-mapped lanes draw no disagreement bands)."""
        w = self.widget
        rows = w.glyph_rows
        if not len(rows) or not len(w.data):
            return []
        return sorted(set(w.data.event_id[rows].tolist()))[:MAX_SPAN_EVENTS]

    def reload_spans(self) -> None:
        flt, ids = self.state.filter, self.drawn_event_ids()
        if not ids:
            self._spans_loaded((flt, []))
            return
        self.reads.request(Load("disputes", lambda store: (flt, disputes.spans_of(store, ids)), self._spans_loaded,
                                priority=1))

    def _data_changed(self, changes: Changes) -> None:
        self.reload()

    def _ladder_loaded(self, result) -> None:
        flt, ladder = result
        if flt != self.state.filter:
            return
        self.state.publish("ladder", ladder)
        attach(self.widget)[0].set_ladder(*ladder)

    def _spans_loaded(self, result) -> None:
        flt, spans = result
        if flt != self.state.filter:
            return
        self.state.publish("disputes", spans)
        attach(self.widget)[1].set_spans(spans)
