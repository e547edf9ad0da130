"""The timeline's data: read off the GUI thread, handed to the :class:`~.timeline.TimelineWidget`.

The widget only draws what :meth:`TimelineWidget.set_data` gives it; this feed reads it for the current filter
through the :class:`~.workers.ReadModel`, like every panel reads its own data. It keeps the rows of the filter
without its sector selection (the "base"), so a sector toggle takes the lanes out of them on the GUI thread
without SQL (:func:`core.timeline.select_lanes`) and the timeline follows at once. After a write it reads again
only what the :class:`~..core.changes.Changes` concern: events that moved, appeared or went mean new rows; a
new status or title of a few events is patched into a copy of the rows already loaded (no SQL over the
timeline; a milestone's, which also names an era, and a new kind are read again); anything else leaves the
timeline alone. The rows shown are published as ``state.view.timeline``. A filtered view leaves out its empty
lanes (View → Hide empty lanes), and a filter change fits the view to the filtered events unless the user has
zoomed by hand since (:meth:`~.timeline.TimelineWidget.follow_filter`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Signal

from ..core import read_ahead, views
from ..core.changes import Changes
from ..core.query import EventFilter, is_unfiltered
from ..core.store import Store
from ..core.timeline import STATUS_CODES, TimelineData, TitleLookup, load_timeline, select_lanes
from ..core.view_fit import bin_overview, without_empty_lanes
from .state import ExplorerState
from .workers import Load, ReadModel


def patched(data: TimelineData, rows: dict[int, dict], path) -> TimelineData:
    """A copy of ``data`` with the status and title of the events in ``rows`` (core.views.event_rows) as they are
    now. Runs in a worker: the arrays are copied, the data the widget draws is not touched."""
    ids = np.fromiter(rows, dtype=np.int64, count=len(rows))
    status = data.status.copy()
    if len(ids) and len(data):
        hit = np.flatnonzero(np.isin(data.event_id, ids))
        codes = {i: STATUS_CODES.get(r["status"], 0) for i, r in rows.items()}
        status[hit] = [codes[int(i)] for i in data.event_id[hit]]
    titles = TitleLookup(path, known={i: r["title"] for i, r in rows.items()})
    out = replace(data, status=status, titles=titles)
    out.era_points = getattr(data, "era_points", None)
    out.milestone_ids = data.milestone_ids
    return out


class TimelineFeed(QObject):
    hideEmptyChanged = Signal(bool)      # whether the rows shown leave out their empty lanes

    def __init__(self, state: ExplorerState, reads: ReadModel, widget, parent: QObject | None = None):
        super().__init__(parent)
        self.state, self.reads, self.widget = state, reads, widget
        self.base: tuple[EventFilter, TimelineData] | None = None   # rows of the filter without sectors
        self._asked: EventFilter | None = None                      # base filter of the last full read asked for
        self.fit_next = True                                        # fit the view to the next rows shown
        self._shown: EventFilter | None = None                      # the filter of the rows shown last
        # View → Hide empty lanes: {filtered view: hide?}; on by default when a filter is active
        self.hide_empty = {True: True, False: False}
        state.filterChanged.connect(self._filter_changed)
        state.dataChanged.connect(self._data_changed)

    def reset(self) -> None:
        """Another database: forget the rows; the next ones shown are fitted."""
        self.base = None
        self._asked = None
        self.fit_next = True
        self._shown = None

    # reads -----------------------------------------------------------------------------------------
    def reload(self) -> None:
        base = self._asked = self.state.filter.replace(sectors=())

        def read(store: Store):
            data = read_ahead.take(store, base)   # what the program read while it was starting, if still current
            data = data if data is not None else load_timeline(store, base)
            bin_overview(data)   # here rather than on the GUI thread when the rows are shown
            return base, data

        self.reads.request(Load("timeline", read, self._loaded, priority=4))

    def _patch(self, changes: Changes) -> None:
        base, data = self.base
        ids = list(changes.event_ids)
        path = self.reads.path

        def read(store: Store):
            rows = views.event_rows(store, ids)
            if any(r["kind"] == "milestone" for r in rows.values()):
                return base, load_timeline(store, base)     # the eras follow milestones' titles and statuses
            return base, patched(data, rows, path)

        self.reads.request(Load("timeline", read, self._loaded, priority=4, what="patch"))

    def _loaded(self, result: tuple[EventFilter, TimelineData]) -> None:
        base, data = result
        if base != self.state.filter.replace(sectors=()):
            return  # read for a filter the user has left since
        self.base = result
        self._show(self.state.filter)

    # reactions -------------------------------------------------------------------------------------
    def _filter_changed(self, flt: EventFilter, origin) -> None:
        base = flt.replace(sectors=())
        if self.base is not None and self.base[0] == base:
            self._show(flt)       # a sector toggle: the lanes out of the rows already here
            if self._asked != base:
                self.reads.cancel("timeline")
                self._asked = base
        elif self._asked != base or not self.reads.pending("timeline"):
            self.reload()

    def _data_changed(self, changes: Changes) -> None:
        base = self.state.filter.replace(sectors=())
        if self.base is None or changes.moves_events or changes.may_change_matches(base) \
                or self.reads.pending("timeline"):
            self.reload()
        elif (changes.status or changes.titles) and not changes.kinds and changes.event_ids:
            self._patch(changes)
        elif changes.kinds:
            self.reload()

    # empty lanes -------------------------------------------------------------------------------------
    def hides_empty_lanes(self, flt: EventFilter | None = None) -> bool:
        """Whether the lanes without events are left out for ``flt`` (the current filter by default)."""
        flt = self.state.filter if flt is None else flt
        return self.hide_empty[not is_unfiltered(flt)]

    def set_hide_empty_lanes(self, on: bool) -> None:
        """View → Hide empty lanes, for filtered views or for the unfiltered one, whichever is shown."""
        self.hide_empty[not is_unfiltered(self.state.filter)] = bool(on)
        if self.base is not None:
            self._show(self.state.filter)

    def _show(self, flt: EventFilter) -> None:
        data = select_lanes(self.base[1], flt.sectors)
        if self.hides_empty_lanes(flt):
            data = without_empty_lanes(data)
        previous, self._shown = self._shown, flt
        self.state.publish("timeline", data, timeline_filter=flt)
        self.widget.set_data(data)
        self.hideEmptyChanged.emit(self.hides_empty_lanes(flt))
        if self.fit_next:
            self.widget.fit_all()
            self.fit_next = False
        elif previous is not None and previous != flt:
            self.widget.follow_filter()
