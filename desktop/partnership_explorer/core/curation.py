"""User decisions on events: confirm, reject, edit, add manual events, merge.

Each operation is one transaction, is written to ``curation_log`` and returns what changed
(:class:`~.changes.Changes`: the events, and which of their properties) so that views can refresh only what
concerns them. Editing locks an event: later ingestion adds sources to it but never
changes its title, date, kind, sectors or entities. Rejecting is a status, not a deletion, so re-ingesting the
article that produced the event does not bring it back.
"""

from __future__ import annotations

from . import indicators
from .changes import Changes
from .periods import STORED_PRECISIONS, Period, typed_precision
from .query import parse_date_bound
from .sectors import UNCLASSIFIED, default_taxonomy
from .store import Store, StoreError


class CurationError(ValueError):
    """An edit that cannot be applied (one line)."""


def _require(store: Store, event_id: int) -> dict:
    event = store.event(event_id)
    if event is None:
        raise CurationError(f"there is no event {event_id}")
    return event


def period(date_text: str, precision: str | None = None, end_text: str | None = None) -> dict:
    """Columns for a date typed by a user: '2022' (year), '2022-12' (month), '2025-W16' (week), '2022-12-05'
    (day), or a range. A day given with the precision week stands for its week, Monday to Sunday."""
    first = parse_date_bound(date_text, end=False)
    if precision is None:
        precision = typed_precision(date_text)
    if precision not in STORED_PRECISIONS:
        raise CurationError(f"precision must be one of {', '.join(STORED_PRECISIONS)}")
    last = parse_date_bound(end_text or date_text, end=True)
    unit = Period.of(first, precision)
    if precision in ("year", "week"):
        first = unit.first
        last = last if end_text else unit.last
    elif precision == "month":
        first = unit.first
    if last < first:
        raise CurationError("the end of an event cannot be before its start")
    return {"date": unit.label(), "precision": precision, "start": first.isoformat(),
            "end": last.isoformat(), "is_range": int(bool(end_text))}


def set_status(store: Store, event_id: int, status: str) -> Changes:
    if status not in ("confirmed", "rejected", "extracted"):
        raise CurationError(f"cannot set status {status!r}")
    with store.atomic():
        event = _require(store, event_id)
        store.update_event(event_id, {"status": status})
        store.log(event_id, "status", {"from": event["status"], "to": status})
        indicators.refresh(store, [event_id])
    return Changes((event_id,), status=event["status"] != status, action=status)


def confirm(store: Store, event_id: int) -> Changes:
    return set_status(store, event_id, "confirmed")


def reject(store: Store, event_id: int) -> Changes:
    return set_status(store, event_id, "rejected")


def edit(store: Store, event_id: int, *, title: str | None = None, date: str | None = None,
         precision: str | None = None, end: str | None = None, kind: str | None = None,
         sectors: list[str] | None = None, entities: list[str] | None = None) -> Changes:
    """Change what the user changed; the event becomes 'edited' and locked against re-extraction.

    The :class:`Changes` name only what differs from the stored event (a dialog sends every field)."""
    with store.atomic():
        event = _require(store, event_id)
        sectors_before, entities_before = _links(store, event_id)
        changes: dict = {}
        if title is not None:
            if not title.strip():
                raise CurationError("a title cannot be empty")
            changes["title"] = title.strip()
        if date is not None or precision is not None:
            changes.update(period(date or event["date"], precision, end))
        if kind is not None:
            changes["kind"] = kind
        before = {k: event[k] for k in changes}
        if "title" in changes and not store.execute(
            "SELECT 1 FROM curation_log WHERE event_id = ? AND action = 'extracted-title'", [event_id]
        ).fetchone():
            store.log(event_id, "extracted-title", {"title": event["title"]})
        status = event["status"] if event["status"] in ("manual", "imported") else "edited"
        store.update_event(event_id, {**changes, "status": status, "locked": 1})
        if sectors is not None:
            set_sectors(store, event_id, sectors)
        if entities is not None:
            set_entities(store, event_id, entities)
        store.log(event_id, "edit", {"before": before, "after": changes, "sectors": sectors, "entities": entities})
        sectors_after, entities_after = _links(store, event_id)
        indicators.refresh(store, [event_id])   # a new date or kind moves or drops its figures
    differs = {k for k, v in changes.items() if event[k] != v}
    return Changes((event_id,), action="edit", status=event["status"] != status,
                   titles="title" in differs, kinds="kind" in differs,
                   dates=bool(differs & {"date", "precision", "start", "end", "is_range"}),
                   sectors=sectors_after != sectors_before, entities=entities_after != entities_before)


def _links(store: Store, event_id: int) -> tuple[set[str], set[int]]:
    """The sector keys and entity ids of an event."""
    sectors = {r[0] for r in store.execute("SELECT sector_key FROM event_sectors WHERE event_id = ?", [event_id])}
    entities = {r[0] for r in store.execute("SELECT entity_id FROM event_entities WHERE event_id = ?", [event_id])}
    return sectors, entities


def set_sectors(store: Store, event_id: int, sectors: list[str]) -> None:
    taxonomy = default_taxonomy()
    keys = []
    for s in sectors:
        sector = taxonomy.get(s)
        if sector is None:
            raise CurationError(f"unknown sector '{s}'")
        keys.append(sector.key)
    store.execute("DELETE FROM event_sectors WHERE event_id = ?", [event_id])
    store.link_sectors(event_id, keys or [UNCLASSIFIED])


def set_entities(store: Store, event_id: int, names: list[str]) -> None:
    ids = []
    for name in names:
        entity_id = store.entity_id(name)
        if entity_id is None:
            entity_id = store.ensure_entity(name, "organisation", known=False)
        ids.append(entity_id)
    store.execute("DELETE FROM event_entities WHERE event_id = ?", [event_id])
    store.link_entities(event_id, ids)


def add_manual_event(store: Store, *, title: str, date: str, precision: str | None = None, end: str | None = None,
                     kind: str = "milestone", sectors: list[str] = (), entities: list[str] = (),
                     summary: str = "") -> Changes:
    if not title.strip():
        raise CurationError("a title cannot be empty")
    with store.atomic():
        event_id = store.insert_event(
            {"title": title.strip(), "summary": summary, "kind": kind, **period(date, precision, end),
             "confidence": 1.0, "status": "manual", "origin": "manual", "locked": 1}
        )
        set_sectors(store, event_id, list(sectors))
        set_entities(store, event_id, list(entities))
        store.log(event_id, "manual", {"title": title, "date": date})
    return Changes((event_id,), added_ids=(event_id,), status=True, titles=True, kinds=True, dates=True,
                   sectors=True, entities=True, action="manual")


def merge(store: Store, keep_id: int, absorb_id: int) -> Changes:
    """Fold ``absorb_id`` into ``keep_id``: sources, sectors and entities combined; the absorbed event is hidden."""
    if keep_id == absorb_id:
        raise CurationError("cannot merge an event with itself")
    with store.atomic():
        keep = _require(store, keep_id)
        absorb = _require(store, absorb_id)
        if absorb["status"] == "merged":
            raise CurationError(f"event {absorb_id} was already merged")
        store.execute("UPDATE event_sources SET event_id = ? WHERE event_id = ?", [keep_id, absorb_id])
        store.refresh_source_counts([keep_id, absorb_id])
        store.execute(
            "INSERT OR IGNORE INTO event_sectors (event_id, sector_key) SELECT ?, sector_key FROM event_sectors WHERE event_id = ?",
            [keep_id, absorb_id],
        )
        store.execute(
            "INSERT OR IGNORE INTO event_entities (event_id, entity_id, role, acting_for) "
            "SELECT ?, entity_id, role, acting_for FROM event_entities WHERE event_id = ?",
            [keep_id, absorb_id],
        )
        if store.execute("SELECT count(*) FROM event_sectors WHERE event_id = ? AND sector_key != ?",
                         [keep_id, UNCLASSIFIED]).fetchone()[0]:
            store.execute("DELETE FROM event_sectors WHERE event_id = ? AND sector_key = ?", [keep_id, UNCLASSIFIED])
        store.update_event(absorb_id, {"status": "merged", "merged_into": keep_id, "locked": 1})
        store.update_event(keep_id, {"locked": 1, "status": keep["status"] if keep["status"] != "extracted" else "edited",
                                     "confidence": max(keep["confidence"], absorb["confidence"])})
        store.log(keep_id, "merge", {"absorbed": absorb_id, "absorbed_title": absorb["title"]})
        indicators.refresh(store, [keep_id, absorb_id])
    return Changes((keep_id,), removed_ids=(absorb_id,), status=keep["status"] == "extracted", sectors=True,
                   entities=True, sources=True, action="merge")


__all__ = ["Changes", "CurationError", "StoreError", "add_manual_event", "confirm", "edit", "merge", "period",
           "reject", "set_status"]
