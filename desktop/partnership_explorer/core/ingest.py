"""Ingestion: files → documents → candidate events → merged events in the store.

Every document is written in one transaction (its row, its sources, the events it creates or enriches), so an
interrupted run leaves only whole documents behind, and re-running finishes the job. Files whose bytes and
manifest metadata are unchanged are skipped; a changed file replaces its own sources only.

Merging: a candidate joins an existing event of the same family whose period overlaps its date and whose
signature matches (same milestone; or a shared person/organisation; or the same agreement topic; or nearly the
same title) and is between the same sides (see :mod:`.merging`). Every source keeps its own date; the event
takes the best-supported one unless a user has locked it. User
decisions are never undone here: a rejected event stays rejected (it just gains a source), a locked event keeps
its title, date, sectors and entities, and a source for an event merged away by the user goes to the survivor.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .actors import Actor, side_keys, sides_compatible
from .entities import default_gazetteer
from .extract import Candidate, default_lexicon
from . import indicators
from .merge_keys import (  # noqa: F401 - KeyRange, extraction_key, signature_keys: named here as before
    SIGNATURE_ENTITY_TYPES, CandidateKeys, KeyRange, candidate_keys, extraction_key, signature_keys)
from .merging import SourceDate, best_supported_counts, merge_window, signature_match
from .periods import date_label
from .pipeline import DocResult, Inputs, fingerprint, make_runner
from .sectors import UNCLASSIFIED, default_taxonomy
from .store import LONG_EVENT_DAYS, SHORT_EVENT_DAYS, Store, StoreError, StoredValueError, stored_day

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


def _unchanged(existing: dict | None, row: dict) -> bool:
    return existing is not None and fingerprint(existing) == fingerprint(row)


AUTO_POOL_MIN_DOCUMENTS = 16
"""With the default number of jobs, fewer documents than this are extracted in this process: starting worker
processes (each loads the gazetteer and the date parser) costs more than it saves on a handful of files."""


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    progress: ProgressFn | None = None,
    cancelled: Callable[[], bool] | None = None,
    follow_links: bool = False,
    from_lists: Iterable[str | Path] = (),
    jobs: int | None = 1,
    dask: str | None = None,
) -> IngestReport:
    """Ingest files, folders and record files (JSONL, Parquet; see :mod:`.pipeline`), and the paths listed in
    ``from_lists``; every document is stored whole or not at all (:class:`CommitGroups`). A document that cannot
    be read, for whatever reason,
    is a ``failed`` entry and the others go on; only a database error (full disk, lock, damage) stops the run.
    ``follow_links``: also follow symbolic links that lead outside the folders given.

    ``jobs``: processes for the extraction (1: this process; None: the number of cores); ``dask``: a Dask
    scheduler address, or ``local``. Whatever runs the extraction, this process alone writes, taking the
    documents in input order, so the database is the same. Raises :class:`.pipeline.PipelineError` when the
    cluster cannot be used."""
    report = IngestReport()
    taxonomy = default_taxonomy()
    store.sync_sectors(taxonomy.sectors)
    inputs = Inputs(paths, from_lists=from_lists, follow_links=follow_links, skipped=report.skipped)
    report.failed.extend(inputs.failed)
    total = inputs.total
    if jobs is None and not dask and total < AUTO_POOL_MIN_DOCUMENTS:
        jobs = 1
    runner = make_runner(jobs, dask)
    results = runner.run(inputs.steps(store.document_by_path), while_waiting=load_writer_resources)
    groups = CommitGroups(store)
    cache = store.execute("PRAGMA cache_size").fetchone()[0]
    store.execute(f"PRAGMA cache_size = {-WRITER_CACHE_KIB}")
    i = 0
    try:
        for step, result in results:
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            if progress is not None:
                progress(i, total, step.name)
            i += 1
            report.warnings.extend(step.warnings)
            report.failed.extend(step.failed)
            if result is None:
                continue
            report.warnings.extend(result.warnings)
            if result.error is not None:
                report.failed.append((step.item.path if step.item.key is None else step.item.key, result.error))
                continue
            groups.document_starts()
            try:
                write_result(store, result, report)
            except StoredValueError as exc:
                raise StoreError(f"{store.path}: {exc}") from None  # the database, not the file: stop here
            except sqlite3.Error:
                raise  # the database itself: the caller explains it (earlier documents are stored)
            except Exception as exc:  # noqa: BLE001 - a document no rule foresaw (its transaction is undone)
                report.failed.append((step.item.path if step.item.key is None else step.item.key,
                                      f"{step.name}: cannot be stored ({exc.__class__.__name__}: {str(exc)[:120]})"))
            groups.document_ends(len((result.row or {}).get("text") or ""))
        groups.commit()
    finally:
        groups.close()
        try:
            store.execute(f"PRAGMA cache_size = {int(cache)}")
        except sqlite3.Error:
            pass  # the connection is failing: the error that stopped the run is the one to report
        results.close()
        runner.close()
    if progress is not None:
        progress(total, total, "")
    return report


def load_writer_resources() -> None:
    """What writing loads once (the lexicons, the gazetteer that figures' parties are found with), loaded while
    the first documents are being extracted elsewhere."""
    default_lexicon()
    indicators.default_lexicon()
    default_gazetteer()


WRITER_CACHE_KIB = 16_384
"""SQLite's page cache for the writer while it ingests (the connection's own setting, put back after; SQLite's
default is 2 MiB): every document adds rows to some fifteen indexes spread over the file, and with the default
cache most of their pages were read from the file again (as system calls) at every document. In a short test
16 MiB saved as much as 64 MiB, and it keeps the memory of an archive's ingestion small."""


GROUP_DOCUMENTS = 64
GROUP_CHARACTERS = 200_000


class CommitGroups:
    """Documents are committed in groups: one write transaction for up to :data:`GROUP_DOCUMENTS` documents or
    :data:`GROUP_CHARACTERS` of their text (a fraction of a second of writing), each document in a savepoint of
    its own. A document that fails is undone alone; a commit costs a group what it cost every document (writing
    the pages); an interruption, even ``kill -9``, loses at most the group
    being written — whole documents, which the next run stores again — and other connections wait for the write
    lock at most that long. Groups are cut by the documents alone, never by the clock, so the same input makes
    the same database (ids included) however fast it ran."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.transaction = None
        self.documents = self.characters = 0

    def document_starts(self) -> None:
        if self.transaction is None:
            self.transaction = self.store.atomic()
            self.transaction.__enter__()
            self.documents = self.characters = 0

    def document_ends(self, characters: int) -> None:
        # the derived tables follow each document, as if it were committed alone: what they hold (the ladder's
        # steps, in the order they first appeared) does not depend on where groups were cut; what nothing reads
        # before the commit (the dates of stored steps) is left to the commit
        self.store.run_commit_hooks(commit=False)
        self.documents += 1
        self.characters += characters
        if self.documents >= GROUP_DOCUMENTS or self.characters >= GROUP_CHARACTERS:
            self.commit()

    def commit(self) -> None:
        transaction, self.transaction = self.transaction, None
        if transaction is not None:
            transaction.__exit__(None, None, None)

    def close(self) -> None:
        """After an error stopped the run (a database error, Ctrl+C): the group's whole documents are kept if
        the database still takes the commit; else it is as it was before the group."""
        transaction, self.transaction = self.transaction, None
        if transaction is None or not self.store.in_transaction:
            return  # nothing open, or SQLite itself rolled the transaction back (a full disk, an I/O error)
        try:
            transaction.__exit__(None, None, None)
        except sqlite3.Error:
            pass  # undone: the error that stopped the run is the one to report


def write_result(store: Store, result: DocResult, report: IngestReport) -> None:
    """Store one extracted document, all or nothing (a transaction of its own, or a savepoint of the caller's):
    its row, its sources, the events it creates or joins."""
    row = result.row
    if result.unchanged:
        report.unchanged += 1
        return
    created = sources = 0
    with store.atomic():
        # looked up again under the write lock: another process may have stored this document meanwhile
        existing = store.document_by_path(row["path"])
        if _unchanged(existing, row):
            report.unchanged += 1
            return
        doc_id = store.upsert_document(row)
        new_events: list[int] = []
        keys = result.keys if len(result.keys) == len(result.candidates) else [None] * len(result.candidates)
        for cand, cand_keys in zip(result.candidates, keys):
            created += int(attach_candidate(store, doc_id, cand, new_events, cand_keys))
            sources += 1
        store.fts_add("events", new_events)
        indicators.refresh(store, [r[0] for r in store.execute(
            "SELECT DISTINCT event_id FROM event_sources WHERE document_id = ?", [doc_id])],
            {(doc_id, start): read for start, read in result.figures.items()})
    report.events_created += created
    report.sources_added += sources
    if existing is None:
        report.new += 1
    else:
        report.updated += 1


def _entity_ids(store: Store, cand: Candidate) -> list[int]:
    return [
        store.ensure_entity(e.name, e.type, country=e.country, role=e.role, known=e.known, aliases=e.aliases)
        for e in cand.entities
    ]


def _actor_links(store: Store, cand: Candidate) -> list[tuple[int, str, str | None]]:
    return [
        (store.ensure_entity(a.name, a.type, country=a.country, known=a.known, aliases=a.aliases), a.role,
         a.acting_for)
        for a in cand.actors
    ]


def _link_entities_and_actors(store: Store, event_id: int, cand: Candidate) -> None:
    """Link the candidate's entities, then its actors with their roles, to the event, in one statement: an
    entity's row without a role is what :meth:`.store.Store.link_entities` writes (nothing when the link is
    stored), and an actor's fills in the role of its link (:meth:`.store.Store.link_actor_rows`, which keeps a
    role already stored). An entity named by several of them is written once, in the place it first came, with
    the first role and the first side given for it: what writing each in turn leaves, without inserting a row
    and then updating it."""
    links: dict[int, list] = {}
    for entity_id in _entity_ids(store, cand):
        links.setdefault(entity_id, [None, None])
    for entity_id, role, acting_for in _actor_links(store, cand):
        link = links.setdefault(entity_id, [None, None])
        if link[0] is None:
            link[0] = role
        if link[1] is None:
            link[1] = acting_for
    store.link_actor_rows([(event_id, e, role, acting_for) for e, (role, acting_for) in links.items()])


MAX_SIDE_ENTITIES = 5_000
"""Up to this many entities standing for a candidate's sides are passed to the merge query as a list; beyond,
every event of the date window is read and its sides compared here (the same answer, more rows)."""


def _side_entities(store: Store) -> dict[str, set[int]]:
    """Side key (a country code, ``org:`` and a folded name; :func:`.actors.side_keys`) -> the ids of the stored
    entities that stand for it; kept while no entity changes (:meth:`.store.Store.derived_memo`), read on for the
    entities added since."""
    memo = store.derived_memo("side_entities")
    index: dict[str, set[int]] = memo.setdefault("index", {})
    rows = store.execute("SELECT id, name, type, country FROM entities WHERE id > ? ORDER BY id",
                         [memo.get("last_id", 0)]).fetchall()
    for entity_id, name, type_, country in rows:
        for key in side_keys([Actor(name, type_, "participant", country=country)]):
            index.setdefault(key, set()).add(entity_id)
    if rows:
        memo["last_id"] = rows[-1][0]
    return index


def _merge_profile(store: Store, event_id: int) -> tuple[frozenset[str], frozenset[str]]:
    """(sides, names of its people and bodies) of a stored event: what merging compares, read once per event
    and kept while its entity links are unchanged (:meth:`.store.Store.event_memo`). The sides come from its
    actors (or, for an event stored before actors had roles, from all its entities)."""
    memo = store.event_memo("merge_profile")
    profile = memo.get(event_id)
    if profile is not None:
        return profile
    rows = store.execute(
        """SELECT e.name, e.type, e.country, ee.role FROM event_entities ee JOIN entities e ON e.id = ee.entity_id
           WHERE ee.event_id = ?""", [event_id]).fetchall()
    with_roles = [r for r in rows if r[3] in ("party", "representative")]
    sides = side_keys(Actor(name, type_, role or "participant", country=country)
                      for name, type_, country, role in (with_roles or rows) if type_ != "place" or not with_roles)
    profile = memo[event_id] = sides, frozenset(r[0] for r in rows if r[1] in SIGNATURE_ENTITY_TYPES)
    return profile


def find_matching_event(store: Store, cand: Candidate, document_id: int | None = None,
                        cand_keys: CandidateKeys | None = None) -> int | None:
    """The stored event this candidate tells again, if any: same sides, same family with a matching signature,
    compatible dates (see :mod:`.merging`). Within one article, only an event of the same kind (and, for
    meetings, the same kind of meeting) can be told twice: a visit and the talks held during it are two events
    there, while another article's 'visit' may be the same happening as this one's 'summit'. ``cand_keys``: its
    :func:`.merge_keys.candidate_keys` (computed here when not given). A candidate told apart (one text of a list
    signed, one more of the day) is never an event its own article told already."""
    cand_keys = cand_keys or candidate_keys(cand, default_lexicon())
    kinds = cand_keys.kinds
    slack = merge_window(cand.family)
    marks = ",".join("?" * len(kinds))
    last, first = (cand.date.last + slack).isoformat(), (cand.date.first - slack).isoformat()
    # The events whose period overlaps [first, last], in three classes by span, each read from the index that holds
    # only that class with its dates (see store.m016_merge_lookup_indexes): a short one (nearly every event)
    # starts at most SHORT_EVENT_DAYS before `first`, one up to a year at most LONG_EVENT_DAYS before; the long
    # ones come from their own partial index. Together they are exactly the events with start <= last and
    # end >= first, and a row is read from the table only when its period overlaps.
    short_start = (cand.date.first - slack - dt.timedelta(days=SHORT_EVENT_DAYS + 1)).isoformat()
    window_start = (cand.date.first - slack - dt.timedelta(days=LONG_EVENT_DAYS + 1)).isoformat()
    span = 'julianday("end") - julianday(start)'
    columns = "id, kind, title, extraction_key, status, merged_into"
    keys = cand_keys.signature
    if keys == ():
        return None  # nothing can share its signature (a figure without its indicator)
    cand_sides = cand_keys.sides
    # Two mentions between the same sides share at least one side: only the events linked to an entity that
    # stands for one of the candidate's sides are read (tested in the index, not row by row here).
    sharing, side_params = "", []
    if cand_sides:
        index = _side_entities(store)
        entity_ids = sorted({i for key in cand_sides for i in index.get(key, ())})
        if not entity_ids:
            return None  # no stored event is on any of its sides
        if len(entity_ids) <= MAX_SIDE_ENTITIES:
            # "+": each event's few links are read and tested against the list, not the list probed per event
            sharing = (" AND EXISTS (SELECT 1 FROM event_entities ee WHERE ee.event_id = events.id AND "
                       f"+ee.entity_id IN ({','.join('?' * len(entity_ids))}))")
            side_params = entity_ids
    if keys is not None:
        # only the events whose stored signature can match, read with their dates from idx_events_key
        if isinstance(keys, KeyRange):
            by_key, key_params = "extraction_key >= ? AND extraction_key < ?", [keys.low, keys.high]
        else:
            by_key, key_params = f"extraction_key IN ({','.join('?' * len(keys))})", list(keys)
        rows = store.execute(
            f"""SELECT {columns} FROM events
                WHERE {by_key} AND +kind IN ({marks}) AND +start <= ? AND "end" >= ? AND origin = 'extraction'
                  {sharing}
                ORDER BY id""",
            [*key_params, *kinds, last, first, *side_params]).fetchall()
    else:
        # the three classes share no event: UNION ALL (nothing to remove twice), one statement (its text, and so
        # its prepared plan, differs with the number of kinds and side entities: three would be three plans)
        rows = store.execute(
            f"""SELECT {columns} FROM events
                WHERE kind IN ({marks}) AND {span} <= {SHORT_EVENT_DAYS} AND origin = 'extraction'
                  AND start BETWEEN ? AND ? AND "end" >= ?{sharing}
                UNION ALL
                SELECT {columns} FROM events
                WHERE kind IN ({marks}) AND {span} > {SHORT_EVENT_DAYS} AND {span} <= {LONG_EVENT_DAYS}
                  AND origin = 'extraction' AND start BETWEEN ? AND ? AND "end" >= ?{sharing}
                UNION ALL
                SELECT {columns} FROM events
                WHERE kind IN ({marks}) AND {span} > {LONG_EVENT_DAYS}
                  AND start <= ? AND "end" >= ? AND origin = 'extraction'{sharing}
                ORDER BY id""",
            [*kinds, short_start, last, first, *side_params, *kinds, window_start, last, first, *side_params,
             *kinds, last, first, *side_params],
        ).fetchall()
    cand_ents = cand_keys.names
    for event_id, kind, title, key, _status, merged_into in rows:
        survivor = event_id if merged_into is None else store.resolve_merged(event_id)
        sides, ents = _merge_profile(store, event_id)
        if not sides_compatible(cand_sides, sides):
            continue
        if document_id is not None and (kind != cand.kind or cand.told_apart) and store.execute(
                "SELECT 1 FROM event_sources WHERE event_id = ? AND document_id = ? LIMIT 1", [survivor, document_id]
        ).fetchone():
            continue
        k_kind, k_milestone, k_detail, k_title = _merge_signature(store, event_id, key, kind, title)
        if signature_match(cand.kind, cand.milestone, cand.detail, cand_ents, cand.title,
                           k_kind, k_milestone or None, k_detail, ents, k_title):
            return survivor
    return None


def _merge_signature(store: Store, event_id: int, key: str | None, kind: str, title: str) -> tuple[str, str, str, str]:
    """(kind, milestone, detail, title) extraction gave a stored event, kept while the event is unchanged."""
    memo = store.event_memo("merge_signature")
    signature = memo.get(event_id)
    if signature is None:
        signature = memo[event_id] = (*_extraction_signature(key, kind), _extraction_title(store, event_id, title))
    return signature


def _extraction_signature(key: str | None, kind: str) -> tuple[str, str, str]:
    """(kind, milestone, detail) stored in ``events.extraction_key``; an event without one has only its kind."""
    if not key:
        return kind, "", ""
    try:
        value = json.loads(key)
    except ValueError:  # a key written by hand or another program: the event still matches by kind
        return kind, "", ""
    if isinstance(value, list) and len(value) == 3 and all(isinstance(v, str) for v in value):
        return value[0], value[1], value[2]
    return kind, "", ""


def _extraction_title(store: Store, event_id: int, title: str) -> str:
    """The title extraction gave (a user's edit must not change what later articles merge with)."""
    row = store.execute(
        "SELECT payload FROM curation_log WHERE event_id = ? AND action = 'extracted-title' ORDER BY id LIMIT 1",
        [event_id],
    ).fetchone()
    return json.loads(row[0]).get("title", title) if row else title


def attach_candidate(store: Store, doc_id: int, cand: Candidate, new_events: list[int] | None = None,
                     cand_keys: CandidateKeys | None = None) -> bool:
    """Add the candidate's source to the matching event, or create the event. True when created. ``new_events``:
    a created event's id is added there, for the caller to index its text (:meth:`.store.Store.fts_add`) with the
    document's other new events; without it, each is indexed at once. ``cand_keys``: its
    :func:`.merge_keys.candidate_keys`, computed where it was extracted (here when not given).

    A source joining an event keeps its own date (``event_sources.date_*``); the event's date becomes the
    best-supported date of its sources (:func:`.merging.best_supported`), so one article that disagrees with
    the others never re-dates it. Title, kind and CAMEO code stay those of the first source."""
    cand_keys = cand_keys or candidate_keys(cand, default_lexicon())
    columns = cand_keys.columns
    source = {
        "sentence": cand.evidence.text,
        "start": cand.evidence.start,
        "end": cand.evidence.end,
        "date_text": cand.date.text,
        "date_start": cand.date.start,
        "date_end": cand.date.end,
        "date_label": cand_keys.date_label,
        "confidence": cand.confidence,
        "date_value": columns["date"],
        "date_precision": columns["precision"],
        "date_first": columns["start"],
        "date_last": columns["end"],
        "date_is_range": columns["is_range"],
    }
    added = SourceDate(cand.date.first, cand.date.last, columns["precision"], bool(columns["is_range"]))
    event_id = find_matching_event(store, cand, doc_id, cand_keys)
    created = event_id is None
    if created:
        event_id = store.insert_event(
            {
                "title": cand.title,
                "summary": cand.sentence.text,
                "kind": cand.kind,
                "cameo": cand.cameo or None,
                **columns,
                "confidence": cand.confidence,
                "status": "extracted",
                "origin": "extraction",
                "extraction_key": cand_keys.extraction_key,
                "n_sources": 1,  # its first source, stored below
            },
            index=new_events is None,
        )
        if new_events is not None:
            new_events.append(event_id)
        store.link_sectors(event_id, cand.sectors)
        _link_entities_and_actors(store, event_id, cand)
        store.add_source(event_id, doc_id, source, counted=True)
        store.event_memo("source_dates")[event_id] = Counter([added])  # its one source, for those that join it
        return True
    event = store.event(event_id)
    memo = store.event_memo("source_dates")
    dates = memo.get(event_id)  # taken before add_source: a write to the event drops it
    joins = not event["locked"] and event["status"] not in ("rejected", "merged")
    store.add_source(event_id, doc_id, source, counted=joins)  # counted with the event's other changes below
    if joins:
        dates = _source_dates(store, event_id, dates, added)
        changes: dict = {"confidence": round(1 - (1 - event["confidence"]) * (1 - cand.confidence * 0.5), 3),
                         "n_sources": event["n_sources"] + 1}
        changes.update(_best_supported_columns(dates, event))
        store.update_event(event_id, changes)
        store.link_sectors(event_id, [s for s in cand.sectors if s != UNCLASSIFIED])
        if UNCLASSIFIED not in cand.sectors:
            store.execute(
                "DELETE FROM event_sectors WHERE event_id = ? AND sector_key = ?", [event_id, UNCLASSIFIED]
            )
        _link_entities_and_actors(store, event_id, cand)
    else:
        _entity_ids(store, cand)
        if dates is not None:
            dates = _source_dates(store, event_id, dates, added)
    if dates is not None:
        memo[event_id] = dates  # what this function wrote since changes none of the event's sources
    return created


def _source_dates(store: Store, event_id: int, known: Counter | None, added: SourceDate) -> Counter:
    """The dates of the event's sources counted, in the order they came (for :func:`.merging.best_supported_counts`),
    now that the source giving ``added`` is stored: ``known`` (the count before it, kept in
    :meth:`.store.Store.event_memo`) with it, or, when nothing is kept, every source read again."""
    if known is not None:
        dates = Counter(known)  # a copy: the memo's value is also what the event was before this write
        dates[added] += 1
        return dates
    dates: Counter = Counter()
    for a, b, p, r, n in store.execute(
            """SELECT date_first, date_last, date_precision, date_is_range, count(*) FROM event_sources
               WHERE event_id = ? AND date_first IS NOT NULL
               GROUP BY date_first, date_last, date_precision, date_is_range ORDER BY min(id)""", [event_id]):
        dates[SourceDate(stored_day(a, event_id, "source start"), stored_day(b, event_id, "source end"), p,
                         bool(r))] += n
    return dates


def _best_supported_columns(dates: Counter, event: dict) -> dict:
    """The date columns of the best-supported of the sources' ``dates`` (nothing when the event has them)."""
    best = best_supported_counts(dates)
    if best is None:
        return {}
    label, precision = date_label(best.first, best.last, best.precision, best.is_range)
    out = {"date": label, "precision": precision, "start": best.first.isoformat(), "end": best.last.isoformat(),
           "is_range": int(best.is_range)}
    return {k: v for k, v in out.items() if event.get(k) != v}
