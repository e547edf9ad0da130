"""The one state object every panel observes: filter, selection, visible range, focused document.

Panels receive the state in their constructor, connect to its signals and call its setters. Every setter
takes an ``origin`` (usually the panel itself) that travels with the signal, so a panel can ignore the echo
of its own change. Setting a value equal to the current one emits nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..core.query import EventFilter


class ExplorerState(QObject):
    filterChanged = Signal(object, object)          # EventFilter, origin
    selectionChanged = Signal(tuple, object)        # event ids, origin
    visibleRangeChanged = Signal(float, float, object)  # x0, x1 in days since 1970-01-01, origin
    documentChanged = Signal(object, object)        # document id or None, origin
    dataChanged = Signal(object)                    # core.curation.Changes, or None after ingestion/import

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._filter = EventFilter()
        self._selection: tuple[int, ...] = ()
        self._range: tuple[float, float] | None = None
        self._document: int | None = None

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

    def notify_data_changed(self, changes: object = None) -> None:
        self.dataChanged.emit(changes)
