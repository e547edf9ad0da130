"""The one state object every panel observes: filter, selection, visible range, focused document, and the view
the panels have loaded for them.

Panels receive the state in their constructor, connect to its signals and call its setters. Every setter
takes an ``origin`` (usually the panel itself) that travels with the signal, so a panel can ignore the echo
of its own change. Setting a value equal to the current one emits nothing.

:attr:`ExplorerState.view` (a :class:`LoadedView`) holds what has been loaded for the current filter and
selection: each panel loads its own part off the GUI thread and publishes it with :meth:`ExplorerState.publish`
(``viewChanged`` names the part), so other parts of the window (the status bar count, export, keyboard
stepping, the curation dialogs) read it from here instead of asking a panel. Writes announce what they changed
with :meth:`ExplorerState.notify_data_changed` (a :class:`~..core.changes.Changes`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import QObject, Signal

from ..core.changes import Changes
from ..core.partners import PartnerView
from ..core.query import EventFilter
from ..core.timeline import TimelineData
from ..core.views import DocumentRow, EntityRow, EventDetail, EventPage, EventRow, SectorRow


@dataclass
class LoadedView:
    """What the panels loaded; a part is None until it has arrived (or after another database was opened)."""

    timeline: TimelineData | None = None          # the rows of ``timeline_filter`` (the lanes of its sectors)
    timeline_filter: EventFilter | None = None
    events: EventPage | None = None               # the event list: rows read so far, how many match
    total: int | None = None                      # every event of the database
    sectors: list[SectorRow] | None = None        # events per sector under the other filters
    sectors_filter: EventFilter | None = None
    entities: list[EntityRow] | None = None       # the most frequent entities under the filter
    entities_filter: EventFilter | None = None
    documents: list[DocumentRow] | None = None    # every article, with its number of events
    detail: EventDetail | None = None             # the selected event, with sectors, entities, sources
    partners: PartnerView | None = None           # the partner pairs under the filter (its pair aside)
    partners_filter: EventFilter | None = None
    ladder: tuple | None = None                   # (pair label, relationship steps) the timeline shows
    disputes: list | None = None                  # core.disputes.DisputeSpan of the disputed events shown

    @classmethod
    def parts(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def event_rows(self) -> list[EventRow]:
        return self.events.rows if self.events is not None else []

    def event_ids(self) -> list[int]:
        """Ids of the list rows loaded so far, in time order."""
        return [e["id"] for e in self.event_rows()]

    def row_of(self, event_id: int) -> EventRow | None:
        return next((e for e in self.event_rows() if e["id"] == event_id), None)


class ExplorerState(QObject):
    filterChanged = Signal(object, object)          # EventFilter, origin
    selectionChanged = Signal(tuple, object)        # event ids, origin
    visibleRangeChanged = Signal(float, float, object)  # x0, x1 in days since 1970-01-01, origin
    documentChanged = Signal(object, object)        # document id or None, origin
    dataChanged = Signal(object)                    # core.changes.Changes of a write (ours or another program's)
    viewChanged = Signal(str)                       # the LoadedView part just published

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._filter = EventFilter()
        self._selection: tuple[int, ...] = ()
        self._range: tuple[float, float] | None = None
        self._document: int | None = None
        self._view = LoadedView()

    # filter -----------------------------------------------------------------------------------
    @property
    def filter(self) -> EventFilter:
        return self._filter

    def set_filter(self, flt: EventFilter, origin: object = None) -> None:
        if flt == self._filter:
            return
        self._filter = flt
        self.filterChanged.emit(flt, origin)

    def update_filter(self, origin: object = None, **changes) -> None:
        self.set_filter(self._filter.replace(**changes), origin)

    # selection --------------------------------------------------------------------------------
    @property
    def selection(self) -> tuple[int, ...]:
        return self._selection

    @property
    def selected_event(self) -> int | None:
        return self._selection[0] if self._selection else None

    def set_selection(self, ids, origin: object = None) -> None:
        ids = tuple(dict.fromkeys(int(i) for i in ids))
        if ids == self._selection:
            return
        self._selection = ids
        self.selectionChanged.emit(ids, origin)

    # visible range ----------------------------------------------------------------------------
    @property
    def visible_range(self) -> tuple[float, float] | None:
        return self._range

    def set_visible_range(self, x0: float, x1: float, origin: object = None) -> None:
        if x1 < x0:
            x0, x1 = x1, x0
        new = (float(x0), float(x1))
        if self._range is not None and abs(new[0] - self._range[0]) < 1e-9 and abs(new[1] - self._range[1]) < 1e-9:
            return
        self._range = new
        self.visibleRangeChanged.emit(new[0], new[1], origin)

    # focused document -------------------------------------------------------------------------
    @property
    def document(self) -> int | None:
        return self._document

    def set_document(self, document_id: int | None, origin: object = None) -> None:
        if document_id == self._document:
            return
        self._document = document_id
        self.documentChanged.emit(document_id, origin)

    # the loaded view --------------------------------------------------------------------------
    @property
    def view(self) -> LoadedView:
        return self._view

    def publish(self, part: str, value, **related) -> None:
        """Set one part of the view (and fields that go with it, e.g. the filter it was loaded for)."""
        for name, v in ((part, value), *related.items()):
            if not hasattr(self._view, name):
                raise AttributeError(f"LoadedView has no part {name!r}")
            setattr(self._view, name, v)
        self.viewChanged.emit(part)

    def reset_view(self) -> None:
        """Forget everything loaded (another database): selection and focused document too."""
        self._view = LoadedView()
        self.set_selection((), None)
        self.set_document(None, None)

    # writes -----------------------------------------------------------------------------------
    def notify_data_changed(self, changes: Changes) -> None:
        self.dataChanged.emit(changes)
