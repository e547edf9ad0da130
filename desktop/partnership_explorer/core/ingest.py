"""Ingestion: files → documents → candidate events → merged events in the store.

Every document is written in one transaction (its row, its sources, the events it creates or enriches), so an
interrupted run leaves only whole documents behind, and re-running finishes the job. Files whose bytes and
manifest metadata are unchanged are skipped; a changed file replaces its own sources only.

Merging: a candidate joins an existing event of the same family whose period overlaps its date and whose
signature matches (same milestone; or a shared person/organisation; or the same agreement topic; or nearly the
same title). The event keeps the most precise date among its sources unless a user has locked it. User
decisions are never undone here: a rejected event stays rejected (it just gains a source), a locked event keeps
its title, date, sectors and entities, and a source for an event merged away by the user goes to the survivor.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .entities import default_gazetteer
from .files import path_text
from .extract import Candidate, default_lexicon, extract_candidates, merge_window, signature_match
from .reader import Document, ManifestRow, ReadError, iter_input_files, load_manifest, read_document
from .sectors import default_taxonomy
from .store import LONG_EVENT_DAYS, Store, StoreError, StoredValueError, stored_day

@dataclass
class IngestReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why): links out, FIFOs, unreadable folders
    events_created: int = 0
    sources_added: int = 0
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed


ProgressFn = Callable[[int, int, str], None]


def _published_date(doc: Document) -> tuple[dt.date | None, str | None]:
    if not doc.published:
        return None, None
    parts = [int(p) for p in doc.published.split("-")]
    try:
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1), \
            doc.published_precision or ("day", "month", "year")[3 - len(parts)]
    except ValueError:
        return None, None


def document_row(doc: Document) -> dict:
    return {
        "path": path_text(doc.path.resolve()),
        "file_name": path_text(doc.file_name),
        "title": doc.title,
        "outlet": doc.outlet,
        "language": doc.language,
        "published": doc.published,
        "published_precision": doc.published_precision,
        "published_source": doc.published_source,
        "content_hash": doc.content_hash,
        "encoding": doc.encoding,
        "text": doc.text,
    }


def _unchanged(existing: dict | None, row: dict) -> bool:
    if existing is None:
        return False
    keys = ("content_hash", "title", "outlet", "language", "published", "published_precision")
    return all(existing.get(k) == row.get(k) for k in keys)


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    progress: ProgressFn | None = None,
    cancelled: Callable[[], bool] | None = None,
    follow_links: bool = False,
) -> IngestReport:
    """Ingest files and folders; every file is its own transaction. A file that cannot be read, for whatever
    reason, is a ``failed`` entry and the others go on; only a database error (full disk, lock, damage) stops
    the run. ``follow_links``: also follow symbolic links that lead outside the folders given."""
    report = IngestReport()
    taxonomy = default_taxonomy()
    store.sync_sectors(taxonomy.sectors)
    files: list[Path] = []
    for p in paths:
        try:
            files.extend(iter_input_files([Path(p)], follow_links=follow_links, skipped=report.skipped))
        except ReadError as exc:
            report.failed.append((str(p), str(exc)))
    manifests: dict[Path, dict[str, ManifestRow]] = {}
    for i, path in enumerate(files):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        if progress is not None:
            progress(i, len(files), path.name)
        folder = path.parent
        if folder not in manifests:
            try:
                manifests[folder] = load_manifest(folder)
                report.warnings.extend(manifests[folder].notes)
            except ReadError as exc:
                report.failed.append((str(folder / "manifest.csv"), str(exc)))
                manifests[folder] = {}
        try:
            ingest_file(store, path, manifests[folder], report)
        except ReadError as exc:
            report.failed.append((str(path), str(exc)))
        except StoredValueError as exc:
            raise StoreError(f"{store.path}: {exc}") from None  # the database, not the file: stop here
        except sqlite3.Error:
            raise  # the database itself: the caller explains it (earlier files are stored)
        except Exception as exc:  # noqa: BLE001 - an input no rule foresaw
            report.failed.append((str(path), f"{path_text(path.name)}: cannot be read "
                                             f"({exc.__class__.__name__}: {str(exc)[:120]})"))
    if progress is not None:
        progress(len(files), len(files), "")
    return report


MAX_EXTRACT_CHARS = 1_000_000
"""Events are looked for in the first million characters of a document (about 200 long news articles; an
article is rarely a hundredth of it). Extraction costs about 10-40 s per million characters on one core,
linearly: the cap bounds one file's time; the whole text is still stored and searchable."""


def _extraction_prefix(text: str) -> str:
    """``text`` itself, or its first :data:`MAX_EXTRACT_CHARS` characters ending at a line or word break."""
    if len(text) <= MAX_EXTRACT_CHARS:
        return text
    cut = text.rfind("\n", MAX_EXTRACT_CHARS * 9 // 10, MAX_EXTRACT_CHARS)
    if cut < 0:
        cut = text.rfind(" ", MAX_EXTRACT_CHARS * 9 // 10, MAX_EXTRACT_CHARS)
    return text[:cut if cut > 0 else MAX_EXTRACT_CHARS]


def ingest_file(store: Store, path: Path, manifest: dict[str, ManifestRow], report: IngestReport) -> None:
    doc = read_document(path, manifest)
    report.warnings.extend(doc.warnings)
    row = document_row(doc)
    if row["file_name"] != doc.file_name:
        report.warnings.append(f"{row['file_name']}: the file name is not valid UTF-8; it is stored as shown")
    if _unchanged(store.document_by_path(row["path"]), row):
        report.unchanged += 1
        return
    published, precision = _published_date(doc)
    searched = _extraction_prefix(doc.text)
    if len(searched) < len(doc.text):
        report.warnings.append(
            f"{row['file_name']}: events were looked for in its first {len(searched):,} characters only (of "
            f"{len(doc.text):,}; the limit is {MAX_EXTRACT_CHARS:,}); the whole text is stored and searchable")
    candidates = extract_candidates(
        searched, published=published, published_precision=precision, language=doc.language,
        gazetteer=default_gazetteer(), taxonomy=default_taxonomy(), lexicon=default_lexicon(),
    )
    created = sources = 0
    with store.atomic():
        # looked up again under the write lock: another process may have stored this file meanwhile
        existing = store.document_by_path(row["path"])
        if _unchanged(existing, row):
            report.unchanged += 1
            return
        doc_id = store.upsert_document(row)
        for cand in candidates:
            created += int(attach_candidate(store, doc_id, cand))
            sources += 1
    report.events_created += created
    report.sources_added += sources
    if existing is None:
        report.new += 1
    else:
        report.updated += 1


def extraction_key(c: Candidate) -> str:
    return json.dumps([c.kind, c.milestone or "", c.detail], ensure_ascii=False)


def _entity_ids(store: Store, cand: Candidate) -> list[int]:
    return [
        store.ensure_entity(e.name, e.type, country=e.country, role=e.role, known=e.known, aliases=e.aliases)
        for e in cand.entities
    ]


def find_matching_event(store: Store, cand: Candidate, document_id: int | None = None) -> int | None:
    """The stored event this candidate tells again, if any. Within one article, only an event of the same kind
    (and, for meetings, the same kind of meeting) can be told twice: a visit and the talks held during it are
    two events there, while another article's 'visit' may be the same happening as this one's 'summit'."""
    lexicon = default_lexicon()
    kinds = [k.key for k in lexicon.kinds if k.family == cand.family]
    slack = merge_window(cand.family)
    marks = ",".join("?" * len(kinds))
    last, first = (cand.date.last + slack).isoformat(), (cand.date.first - slack).isoformat()
    # The events whose period overlaps [first, last]: a short one starts at most LONG_EVENT_DAYS before `first`
    # (a window of idx_events_kind); the long ones come from their own partial index. Together they are exactly
    # the events with start <= last and end >= first, read without scanning every earlier event. The window is
    # read from idx_events_start (start, end), so the end is tested in the index ("+kind" keeps the planner off
    # idx_events_kind, where every row of the window was a table lookup).
    window_start = (cand.date.first - slack - dt.timedelta(days=LONG_EVENT_DAYS + 1)).isoformat()
    columns = "id, kind, title, extraction_key, status, merged_into"
    rows = store.execute(
        f"""SELECT {columns} FROM events
            WHERE +kind IN ({marks}) AND start BETWEEN ? AND ? AND "end" >= ? AND origin = 'extraction'
            UNION
            SELECT {columns} FROM events
            WHERE kind IN ({marks}) AND julianday("end") - julianday(start) > {LONG_EVENT_DAYS}
              AND start <= ? AND "end" >= ? AND origin = 'extraction'
            ORDER BY id""",
        [*kinds, window_start, last, first, *kinds, last, first],
    ).fetchall()
    cand_ents = {e.name for e in cand.entities if e.type in ("person", "company", "government", "organisation")}
    for event_id, kind, title, key, status, merged_into in rows:
        survivor = store.resolve_merged(event_id)
        if document_id is not None and kind != cand.kind and store.execute(
                "SELECT 1 FROM event_sources WHERE event_id = ? AND document_id = ? LIMIT 1", [survivor, document_id]
        ).fetchone():
            continue
        try:
            k_kind, k_milestone, k_detail = json.loads(key or "[]") or (kind, "", "")
        except ValueError:
            k_kind, k_milestone, k_detail = kind, "", ""
        ents = {
            r[0]
            for r in store.execute(
                """SELECT e.name FROM event_entities ee JOIN entities e ON e.id = ee.entity_id
                   WHERE ee.event_id = ? AND e.type IN ('person','company','government','organisation')""",
                [event_id],
            ).fetchall()
        }
        if signature_match(cand.kind, cand.milestone, cand.detail, cand_ents, cand.title,
                           k_kind, k_milestone or None, k_detail, ents, _extraction_title(store, event_id, title)):
            return survivor
    return None


def _extraction_title(store: Store, event_id: int, title: str) -> str:
    """The title extraction gave (a user's edit must not change what later articles merge with)."""
    row = store.execute(
        "SELECT payload FROM curation_log WHERE event_id = ? AND action = 'extracted-title' ORDER BY id LIMIT 1",
        [event_id],
    ).fetchone()
    return json.loads(row[0]).get("title", title) if row else title


def attach_candidate(store: Store, doc_id: int, cand: Candidate) -> bool:
    """Add the candidate's source to the matching event, or create the event. True when created."""
    source = {
        "sentence": cand.sentence.text,
        "start": cand.sentence.start,
        "end": cand.sentence.end,
        "date_text": cand.date.text,
        "date_start": cand.date.start,
        "date_end": cand.date.end,
        "date_label": cand.date.label(),
        "confidence": cand.confidence,
    }
    event_id = find_matching_event(store, cand, doc_id)
    created = event_id is None
    if created:
        event_id = store.insert_event(
            {
                "title": cand.title,
                "summary": cand.sentence.text,
                "kind": cand.kind,
                **_date_columns(cand),
                "confidence": cand.confidence,
                "status": "extracted",
                "origin": "extraction",
                "extraction_key": extraction_key(cand),
            }
        )
        store.link_sectors(event_id, cand.sectors)
        store.link_entities(event_id, _entity_ids(store, cand))
    else:
        event = store.event(event_id)
        if not event["locked"] and event["status"] not in ("rejected", "merged"):
            changes: dict = {"confidence": round(1 - (1 - event["confidence"]) * (1 - cand.confidence * 0.5), 3)}
            if _more_precise(cand, event):
                changes.update(_date_columns(cand))
            store.update_event(event_id, changes)
            store.link_sectors(event_id, [s for s in cand.sectors if s != "unclassified"])
            if "unclassified" not in cand.sectors:
                store.execute(
                    "DELETE FROM event_sectors WHERE event_id = ? AND sector_key = 'unclassified'", [event_id]
                )
            store.link_entities(event_id, _entity_ids(store, cand))
        else:
            _entity_ids(store, cand)
    store.add_source(event_id, doc_id, source)
    return created


def _date_columns(cand: Candidate) -> dict:
    label, precision = date_label(cand.date.first, cand.date.last, cand.date.precision, cand.date.is_range)
    return {"date": label, "precision": precision, "start": cand.date.first.isoformat(),
            "end": cand.date.last.isoformat(), "is_range": int(cand.date.is_range)}


def _more_precise(cand: Candidate, event: dict) -> bool:
    """A narrower period is a more precise date (a day inside a month inside a year)."""
    old = stored_day(event["end"], event["id"], "end") - stored_day(event["start"], event["id"], "start")
    return (cand.date.last - cand.date.first) < old


def date_label(first: dt.date, last: dt.date, precision: str, is_range: bool = False) -> tuple[str, str]:
    """('2025', 'year'), ('2025-08', 'month') or ('2025-08-12', 'day'). A range is labelled by the period that
    holds both ends ('the end of 2024' → 2024, '4–7 December 2018' → 2018-12); start and end keep the span."""
    if is_range:
        if first.year != last.year:
            precision = "year"
        elif first.month != last.month:
            precision = "year"
        elif first != last:
            precision = "month" if precision == "day" else precision
    if precision == "year":
        return f"{first.year:04d}", precision
    if precision == "month":
        return f"{first.year:04d}-{first.month:02d}", precision
    return first.isoformat(), precision
