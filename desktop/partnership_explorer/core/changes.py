"""What one write changed, so that each view refreshes only what concerns it.

Every write returns a :class:`Changes`: a curation decision (:mod:`.curation`), its undo or redo, an ingestion
(:func:`ingested`), an import of events (:func:`imported`). It names the events touched and says which of their
properties changed; a reader asks it whether its own data can have moved: :meth:`Changes.may_change_matches`
(which events a filter selects, hence every count), :attr:`Changes.moves_events` (where events are on the
timeline and in which lanes), :meth:`Changes.touches` (a row already shown). :meth:`Changes.unknown` stands for a
change nobody described (another program wrote to the file, another database was opened).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - types only
    from .ingest import IngestReport
    from .interchange import ImportReport
    from .query import EventFilter

_FLAGS = ("status", "titles", "kinds", "dates", "sectors", "entities", "sources")


@dataclass(frozen=True)
class Changes:
    event_ids: tuple[int, ...] = ()    # events changed or created by the write (they exist after it)
    added_ids: tuple[int, ...] = ()    # of those, the ones that did not exist (or were merged away) before
    removed_ids: tuple[int, ...] = ()  # events gone from every view: merged into another, deleted
    status: bool = False               # an event's status (confirmed, rejected, edited...)
    titles: bool = False               # an event's title: the words a row, a label or a search sees
    kinds: bool = False                # an event's kind (milestones also mark the eras)
    dates: bool = False                # start, end, precision or range: where an event sits in time
    sectors: bool = False              # an event's sectors: its lanes and the sector counts
    entities: bool = False             # an event's entities: the entity counts and entity filters
    sources: bool = False              # which events the articles' sentences support (merge), source counts
    documents: int = 0                 # articles added or read again
    all_events: bool = False           # events not listed may have changed in any of these ways too
    action: str = ""

    # -- constructors ------------------------------------------------------------------------------
    @classmethod
    def unknown(cls, action: str = "") -> "Changes":
        """Anything may have changed (another program wrote to the file; a database was opened)."""
        return cls(all_events=True, documents=1, action=action, **{f: True for f in _FLAGS})

    def merged(self, other: "Changes") -> "Changes":
        """Both writes at once (e.g. confirming several events in one step)."""
        ids = tuple(dict.fromkeys((*self.event_ids, *other.event_ids)))
        values = {f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)
                  if isinstance(getattr(self, f.name), bool)}
        return Changes(event_ids=ids, added_ids=tuple(dict.fromkeys((*self.added_ids, *other.added_ids))),
                       removed_ids=tuple(dict.fromkeys((*self.removed_ids, *other.removed_ids))),
                       documents=self.documents + other.documents, action=self.action or other.action, **values)

    def inverse(self, action: str = "undo") -> "Changes":
        """What putting things back changes: the same properties; created events go, removed ones return."""
        added = set(self.added_ids)
        kept = tuple(i for i in self.event_ids if i not in added)
        return replace(self, event_ids=tuple(dict.fromkeys((*kept, *self.removed_ids))), added_ids=self.removed_ids,
                       removed_ids=self.added_ids, action=action)

    # -- questions the views ask -------------------------------------------------------------------
    def __bool__(self) -> bool:
        return bool(self.event_ids or self.added_ids or self.removed_ids or self.documents or self.all_events
                    or any(getattr(self, f) for f in _FLAGS))

    @property
    def ids(self) -> frozenset[int]:
        """Every event the write named (changed, created or removed)."""
        return frozenset((*self.event_ids, *self.added_ids, *self.removed_ids))

    def touches(self, event_ids) -> bool:
        """Whether any of ``event_ids`` (rows a view shows) may have changed."""
        if self.all_events:
            return True
        mine = self.ids
        return any(int(i) in mine for i in event_ids)

    @property
    def adds_or_removes(self) -> bool:
        """Events appeared or disappeared: totals change."""
        return bool(self.added_ids or self.removed_ids or self.all_events)

    @property
    def moves_events(self) -> bool:
        """The timeline's rows change: events appear, go, move in time, change lanes or source counts."""
        return self.adds_or_removes or self.dates or self.sectors or self.sources

    def may_change_matches(self, flt: "EventFilter") -> bool:
        """Whether the set of events ``flt`` selects (and so every count under it) may have changed."""
        if self.adds_or_removes:
            return True
        return bool(
            (self.status and not flt.show_rejected)
            or (self.dates and (flt.date_from is not None or flt.date_to is not None))
            or (self.sectors and flt.sectors)
            or (self.entities and (flt.entities or flt.pair))
            or (self.titles and flt.query)
            or (self.kinds and (flt.kinds or flt.pair))
            or (self.sources and (flt.query or flt.document_id is not None or flt.disputed))
            or (self.dates and flt.disputed)
        )


def ingested(report: "IngestReport | None", *, partial: bool = False) -> Changes:
    """What an ingestion (or, with ``partial``, the articles of a running one read so far) may have changed:
    new and re-read articles add and update events anywhere, so every event counts as touched."""
    if partial:
        return Changes.unknown("ingest")
    if not (report.new or report.updated):
        return Changes(action="ingest")
    return replace(Changes.unknown("ingest"), documents=report.new + report.updated)


def imported(report: "ImportReport", added_ids=()) -> Changes:
    """What an import of events changed: the events of the file that are new or were updated."""
    if not (report.new or report.updated):
        return Changes(action="import")
    added = tuple(int(i) for i in added_ids)
    return Changes(event_ids=tuple(dict.fromkeys(int(i) for i in report.event_ids)), added_ids=added,
                   action="import", **{f: True for f in _FLAGS})


__all__ = ["Changes", "imported", "ingested"]
