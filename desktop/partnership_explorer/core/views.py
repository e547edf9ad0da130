"""Qt-free read models for the desktop panels, and the snapshots undo/redo restores.

Everything here takes an open :class:`~.store.Store` and returns typed rows (``TypedDict``: the shapes the
query layer produces) or small dataclasses; the panels run it in a worker thread, tests need no Qt.

* :func:`event_page` – a page of the filtered event list with the count of matching events.
* :func:`entity_facets` – the entity panel's counts (memoised while nothing is filtered; see :func:`cached`).
* :func:`event_detail` / :func:`current_event` – one event with its sectors, entities and sources;
  :func:`event_rows` – list rows of some events (refreshed in place after curation).
* :func:`document` / :func:`documents` / :func:`document_events` / :func:`document_view` – the article panel.
* :func:`snapshot` / :func:`restore` – the exact stored state of some events, and putting it back. Undo of any
  curation operation is "restore the snapshot taken before it"; redo is "restore the one taken after".
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, TypedDict

from . import indicators
from .query import EventFilter, count_events, entity_counts, is_unfiltered, list_events
from .store import Store, now_text

EVENT_ORDER = 'e.start, e."end", e.id'
EVENT_PAGE = 2000        # rows of the event list read at once (the list reads more as it scrolls)
ENTITY_LIMIT = 300       # entities listed in the panel (the most frequent under the filter)


# -- row shapes ------------------------------------------------------------------------------------
class SectorRow(TypedDict):
    key: str
    name: str
    color: str
    count: int               # events under the other filters (query.sector_counts)


class EntityRow(TypedDict):
    name: str
    type: str
    country: str | None
    count: int


class EventRow(TypedDict):
    """One row of the event list (query.list_events without details)."""
    id: int
    title: str
    summary: str
    kind: str
    date: str
    precision: str
    start: str
    end: str
    is_range: int
    confidence: float
    status: str
    origin: str


class SourceRow(TypedDict):
    id: int
    document_id: int
    file_name: str
    document_title: str | None
    outlet: str | None
    published: str | None
    sentence: str
    start: int
    end: int
    date_text: str | None
    confidence: float


class EventDetail(TypedDict, total=False):
    """The event row (every column of ``events``) plus its sectors, entities and sources."""
    id: int
    title: str
    kind: str
    date: str
    precision: str
    start: str
    end: str
    is_range: bool
    status: str
    confidence: float
    locked: int
    merged_into: int | None
    sectors: list[dict]      # key, name, color
    entities: list[dict]     # name, type
    sources: list[SourceRow]


class DocumentRow(TypedDict):
    id: int
    file_name: str
    title: str | None
    outlet: str | None
    published: str | None
    events: int              # visible events the document supports


class Document(TypedDict):
    id: int
    path: str
    file_name: str
    title: str | None
    outlet: str | None
    language: str | None
    published: str | None
    published_precision: str | None
    text: str


class DocumentEventRow(TypedDict):
    id: int
    title: str
    date: str
    kind: str
    status: str
    start: str
    end: str
    source_start: int
    source_end: int


@dataclass(frozen=True)
class EventPage:
    """Rows ``offset`` … of the events ``filter`` selects, in time order, and how many it selects."""
    filter: EventFilter
    rows: list[EventRow]
    shown: int                   # events the filter selects (counted with the first page; -1 on later pages)
    offset: int = 0
    total: int | None = None     # every event of the database, when asked for


@dataclass(frozen=True)
class DocumentView:
    """One article and the events it supports."""
    document: Document
    events: list[DocumentEventRow] = field(default_factory=list)


def _rows(store: Store, sql: str, params: Any = ()) -> list[dict]:
    cur = store.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


# -- reference data --------------------------------------------------------------------------------
def sectors(store: Store) -> list[dict]:
    """The taxonomy as stored: key, name, colour, in display order."""
    return _rows(store, "SELECT key, name, color FROM sectors ORDER BY position")


def kinds() -> list[tuple[str, str]]:
    """(key, label) of every event kind the extractor knows, in lexicon order."""
    try:
        from .extract import default_lexicon

        return [(k.key, k.label) for k in default_lexicon().kinds]
    except Exception:  # noqa: BLE001 - a broken lexicon must not break the edit dialog
        return [(k, k) for k in ("milestone", "agreement", "deal", "visit", "meeting", "statistic", "target", "opening")]


# -- events ------------------------------------------------------------------------------------------
def event_page(store: Store, flt: EventFilter, *, offset: int = 0, with_total: bool = False) -> EventPage:
    """A page of :data:`EVENT_PAGE` list rows; the count of matching events with the first page."""
    rows = list_events(store, flt, with_details=False, limit=EVENT_PAGE, offset=offset)
    shown = count_events(store, flt) if offset == 0 else -1
    total = None
    if with_total:
        total = shown if flt == EventFilter() and offset == 0 else count_events(store, EventFilter())
    return EventPage(flt, rows, shown, offset, total)


def event_rows(store: Store, event_ids) -> dict[int, EventRow]:
    """The list rows of some events (absent ones are left out), by id."""
    ids = [int(i) for i in dict.fromkeys(event_ids)]
    out: dict[int, EventRow] = {}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        marks = ",".join("?" * len(part))
        for row in _rows(store, f"""SELECT e.id, e.title, e.summary, e.kind, e.date, e.precision, e.start, e."end",
                                           e.is_range, e.confidence, e.status, e.origin
                                    FROM events e WHERE e.id IN ({marks})""", part):
            out[row["id"]] = row
    return out


def entity_facets(store: Store, flt: EventFilter) -> list[EntityRow]:
    """The :data:`ENTITY_LIMIT` most frequent entities under ``flt`` (unfiltered: memoised until the events or
    their entities change, a whole scan at 1M events)."""
    if is_unfiltered(flt):
        return cached(store, f"entities:{flt.show_rejected}", lambda: entity_counts(store, flt, limit=ENTITY_LIMIT),
                      tables=("entities", "event_entities", "events"))
    return entity_counts(store, flt, limit=ENTITY_LIMIT)


def current_event(store: Store, event_id: int) -> EventDetail | None:
    """:func:`event_detail` of ``event_id``, or of the event it was merged into."""
    event = store.event(event_id)
    if event is not None and event["status"] == "merged":
        event_id = store.resolve_merged(event_id)
    return event_detail(store, event_id)


def event_detail(store: Store, event_id: int) -> EventDetail | None:
    """The event row plus ``sectors`` (key, name, color), ``entities`` (name, type) and ``sources``."""
    rows = _rows(store, "SELECT * FROM events WHERE id = ?", [event_id])
    if not rows:
        return None
    event = rows[0]
    event["is_range"] = bool(event["is_range"])
    event["sectors"] = _rows(
        store,
        """SELECT s.key, s.name, s.color FROM event_sectors es JOIN sectors s ON s.key = es.sector_key
           WHERE es.event_id = ? ORDER BY s.position""",
        [event_id],
    )
    event["entities"] = _rows(
        store,
        """SELECT en.name, en.type FROM event_entities ee JOIN entities en ON en.id = ee.entity_id
           WHERE ee.event_id = ? ORDER BY en.type, en.name""",
        [event_id],
    )
    event["sources"] = _rows(
        store,
        f"""SELECT s.id, s.document_id, d.file_name, d.title AS document_title, d.outlet, d.published,
                  s.sentence, s.start, s."end", s.date_text, s.confidence{_source_date_columns(store)}
           FROM event_sources s JOIN documents d ON d.id = s.document_id
           WHERE s.event_id = ? ORDER BY d.published, d.file_name, s.start""",
        [event_id],
    )
    return event


def _source_date_columns(store: Store) -> str:
    """The date each source gives (``, s.date_value, ...``), when the database has them (not one written by a
    version before per-source dates, opened read-only)."""
    if not any(r[1] == "date_value" for r in store.execute("PRAGMA table_info(event_sources)").fetchall()):
        return ""
    return ", s.date_value, s.date_precision, s.date_first, s.date_last"


def step_in(ids: list[int], current: int | None, step: int) -> int | None:
    """Move ``step`` places from ``current`` in the ordered ``ids``: the event ``step`` places after (``step`` < 0:
    before) it in time order. Without a current event: the first (step > 0) or last event. None past either end."""
    if not ids:
        return None
    if current is None or current not in ids:
        return ids[0] if step > 0 else ids[-1]
    i = ids.index(current) + step
    return ids[i] if 0 <= i < len(ids) else None


# -- documents ---------------------------------------------------------------------------------------
def document(store: Store, document_id: int) -> Document | None:
    rows = _rows(
        store,
        """SELECT id, path, file_name, title, outlet, language, published, published_precision, text
           FROM documents WHERE id = ?""",
        [document_id],
    )
    return rows[0] if rows else None


def documents(store: Store) -> list[DocumentRow]:
    """Every document (without its text) with the number of visible events it supports, newest first."""
    rows = _rows(
        store,
        """SELECT d.id, d.file_name, d.title, d.outlet, d.published FROM documents d
           ORDER BY d.published DESC, d.file_name""",
    )
    if not rows:
        return rows
    # one scan of the covering index (document_id, event_id, start); merged events are not counted
    counts = dict(store.execute(
        """SELECT document_id, count(DISTINCT event_id) FROM event_sources
           WHERE event_id NOT IN (SELECT id FROM events WHERE status = 'merged') GROUP BY document_id""").fetchall())
    for r in rows:
        r["events"] = counts.get(r["id"], 0)
    return rows


def document_events(store: Store, document_id: int, flt: EventFilter | None = None) -> list[DocumentEventRow]:
    """Events a document supports, in time order, each with the offsets of its first sentence in that document."""
    where, params, _ = (flt or EventFilter()).where()
    return _rows(
        store,
        f"""SELECT e.id, e.title, e.date, e.kind, e.status, e.start, e."end",
                   min(s.start) AS source_start, s."end" AS source_end
            FROM events e JOIN event_sources s ON s.event_id = e.id AND s.document_id = ?
            WHERE {where} GROUP BY e.id ORDER BY {EVENT_ORDER}""",
        [document_id, *params],
    )


def document_view(store: Store, document_id: int) -> DocumentView | None:
    doc = document(store, document_id)
    return DocumentView(doc, document_events(store, document_id)) if doc is not None else None


def all_documents(store: Store) -> list[DocumentRow]:
    """:func:`documents`, memoised until the documents, their sources or the events change."""
    return cached(store, "documents", lambda: documents(store), tables=("documents", "event_sources", "events"))


# -- undo support ----------------------------------------------------------------------------------
def snapshot(store: Store, event_ids) -> dict:
    """Everything curation can change about these events: the row (None when absent), sectors, entities and
    which sources point at them. JSON-able, so a command can keep it as long as it likes."""
    snap: dict[str, dict] = {"events": {}, "sectors": {}, "entities": {}, "sources": {}}
    for event_id in dict.fromkeys(int(i) for i in event_ids):
        key = str(event_id)
        row = store.event(event_id)
        snap["events"][key] = row
        snap["sectors"][key] = [r[0] for r in store.execute(
            "SELECT sector_key FROM event_sectors WHERE event_id = ?", [event_id])]
        snap["entities"][key] = [r[0] for r in store.execute(
            "SELECT entity_id FROM event_entities WHERE event_id = ?", [event_id])]
        snap["sources"][key] = [r[0] for r in store.execute(
            "SELECT id FROM event_sources WHERE event_id = ?", [event_id])]
    return snap


def restore(store: Store, snap: dict, *, action: str = "undo") -> list[int]:
    """Put events back exactly as :func:`snapshot` saw them (deleting those that did not exist).
    One transaction, logged in ``curation_log``. Returns the event ids touched."""
    touched: list[int] = []
    with store.atomic():
        present = {k: v for k, v in snap["events"].items() if v is not None}
        absent = [int(k) for k, v in snap["events"].items() if v is None]
        # rows first, so that merged_into and moved sources find their targets
        for key, row in present.items():
            event_id = int(key)
            values = {k: v for k, v in row.items() if k != "id"}
            if store.event(event_id) is None:
                store.insert_event({"id": event_id, **values})
            else:
                store.update_event(event_id, values)
                store.execute("UPDATE events SET updated_at = ? WHERE id = ?", [row["updated_at"], event_id])
            touched.append(event_id)
        recount: set[int] = set(touched)
        for key in present:
            event_id = int(key)
            store.execute("DELETE FROM event_sectors WHERE event_id = ?", [event_id])
            store.link_sectors(event_id, snap["sectors"].get(key, []))
            store.execute("DELETE FROM event_entities WHERE event_id = ?", [event_id])
            store.link_entities(event_id, snap["entities"].get(key, []))
            source_ids = snap["sources"].get(key, [])
            for chunk in range(0, len(source_ids), 500):
                part = source_ids[chunk:chunk + 500]
                marks = ",".join("?" * len(part))
                recount.update(r[0] for r in store.execute(
                    f"SELECT DISTINCT event_id FROM event_sources WHERE id IN ({marks})", part))
                store.execute(f"UPDATE event_sources SET event_id = ? WHERE id IN ({marks})", [event_id, *part])
        store.refresh_source_counts(recount)
        doomed = [i for i in absent if store.event(i) is not None]
        if doomed:
            # an event that did not exist before (a manual one) has no sources of its own worth keeping
            store.delete_events(doomed)
            touched.extend(doomed)
        for event_id in touched:
            store.log(event_id, action, {"restored": json.dumps(snap["events"].get(str(event_id)) is not None)})
        indicators.refresh(store, recount | set(touched))
    return touched


# -- about -------------------------------------------------------------------------------------------
def versions() -> dict[str, str]:
    """Versions of the pieces a bug report needs (Qt's are added by the GUI)."""
    from importlib import metadata

    from .. import __version__

    out = {"Partnership Explorer": __version__, "Python": f"{platform.python_version()} ({sys.platform})",
           "SQLite": sqlite3.sqlite_version}
    for dist in ("pyqtgraph", "numpy", "sqlite-utils"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out


# -- memoised reads ---------------------------------------------------------------------------------
# A memoised read is labelled with the versions of the tables it was computed from (``change_counters``, raised
# by the schema's triggers on any change to a row of a watched table, by whoever writes): it stays valid while
# those versions do, and writes to other tables (the timeline snapshot, the ladder, the curation log) or WAL
# checkpoints never discard it.
CHANGE_TABLES = ("documents", "entities", "entity_aliases", "event_entities", "event_sectors", "event_sources", "events",
                 "sectors")
WATCH_WAIT_MS = 200      # how long a reader waits for another writer to start watching tables (then: not memoised)

_cache: dict = {}


def _file_state(store: Store) -> tuple:
    """Changes whenever the database file (or its WAL) is written, by us or anyone (the label of a read when the
    tables cannot be watched: a read-only file nobody watches, a busy writer)."""
    out = []
    for suffix in ("", "-wal"):
        try:
            st = os.stat(f"{store.path}{suffix}")
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return ("file", tuple(out))


def _counters(store: Store, tables: tuple[str, ...]) -> list[tuple[str, int, int]]:
    marks = ",".join("?" * len(tables))
    return store.execute(f"SELECT name, version, watched FROM change_counters WHERE name IN ({marks}) ORDER BY name",
                         tables).fetchall()


def data_state(store: Store, tables=CHANGE_TABLES) -> tuple | None:
    """The versions of ``tables`` (sorted by name), once they are watched: equal results mean that no row of them
    changed in between. The first call after a change watches them again (a short write, waiting at most
    :data:`WATCH_WAIT_MS` for another writer). None when they cannot be watched (read-only file, busy writer,
    inside a transaction): the caller must not rely on memoised reads then."""
    tables = tuple(sorted(set(tables)))
    try:
        rows = _counters(store, tables)
    except sqlite3.Error:
        return None
    if len(rows) != len(tables):
        return None
    if all(w for _n, _v, w in rows):
        return tuple(v for _n, v, _w in rows)
    if store.readonly or store.in_transaction:
        return None
    marks = ",".join("?" * len(tables))
    watched: list = []

    def watch() -> bool:
        store.execute(f"UPDATE change_counters SET watched = 1 WHERE watched = 0 AND name IN ({marks})", tables)
        watched.extend(_counters(store, tables))
        return True

    if not _short_write(store, WATCH_WAIT_MS, watch):
        return None
    return tuple(v for _n, v, _w in watched)


_bookkeeping_lock = threading.Lock()
_bookkeeping_commits = 0


def bookkeeping_commits() -> int:
    """How many commits this process made that change no data (:func:`_short_write`: tables watched again, a
    view's snapshot kept): a program watching ``PRAGMA data_version`` for other programs' changes sees them
    move it too."""
    return _bookkeeping_commits


def _short_write(store: Store, wait_ms: int, body) -> bool:
    """Run ``body()`` in a write transaction of its own, waiting at most ``wait_ms`` for another writer; commit
    when it returns True, roll back otherwise. Not :meth:`Store.atomic`: what is written here is no change to the
    data (the commit hooks have nothing to rebuild). Returns whether it was committed."""
    busy = store.execute("PRAGMA busy_timeout").fetchone()[0]
    try:
        store.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        store.execute("BEGIN IMMEDIATE")
        if body():
            store.execute("COMMIT")
            global _bookkeeping_commits
            with _bookkeeping_lock:
                _bookkeeping_commits += 1
            return True
        store.execute("ROLLBACK")
        return False
    except sqlite3.Error:
        if store.in_transaction:
            store.execute("ROLLBACK")
        return False
    finally:
        store.execute(f"PRAGMA busy_timeout = {int(busy)}")


def invalidate(path=None) -> None:
    """Forget memoised reads (of one database, or all) that cannot tell by themselves whether they are still
    valid: those labelled with the file's state. Reads labelled with table versions check them at every use."""
    for key in [k for k, (state, _v) in _cache.items()
                if (path is None or k[0] == str(path)) and state and state[0] == "file"]:
        _cache.pop(key, None)


@dataclass(frozen=True)
class Saved:
    """How a memoised read is kept in the file (``view_snapshots``) so that the next process finds it:
    ``dump(value)`` gives its bytes (None: not worth saving, e.g. a small database), ``load(data)`` the value
    back (None: not a snapshot this version can use; it is then computed again)."""
    dump: Any
    load: Any


def cached(store: Store, name: str, compute, *, tables=CHANGE_TABLES, saved: Saved | None = None):
    """``compute()`` memoised per database file until a row of ``tables`` changes (see :func:`data_state`;
    without watched tables: until the file changes). With ``saved``, also kept in the file when the store
    is writable, and read from there by the next process."""
    key = (str(store.path), name)
    versions = data_state(store, tables)
    state = ("tables", tuple(sorted(set(tables))), versions) if versions is not None else _file_state(store)
    hit = _cache.get(key)
    if hit is not None and hit[0] == state:
        return hit[1]
    value = None
    if saved is not None and versions is not None:
        value = _read_saved(store, name, state, saved)
    if value is None:
        value = compute()
        if saved is not None and versions is not None:
            _save(store, name, state, saved.dump(value))
    _cache[key] = (state, value)
    return value


def _state_text(state: tuple) -> str:
    return json.dumps(dict(zip(state[1], state[2])), sort_keys=True)


def _read_saved(store: Store, name: str, state: tuple, saved: Saved):
    try:
        row = store.execute("SELECT data FROM view_snapshots WHERE name = ? AND versions = ?",
                            [name, _state_text(state)]).fetchone()
    except sqlite3.Error:
        return None
    return saved.load(row[0]) if row is not None else None


def _save(store: Store, name: str, state: tuple, data: bytes | None) -> bool:
    """Keep ``data`` as the value of ``name`` at ``state``, if the tables are still at ``state`` (then nothing
    was written to them since the value was read, so it is theirs): never waits for another writer."""
    if data is None or store.readonly or store.in_transaction:
        return False

    def keep() -> bool:
        if _counters(store, state[1]) != [(n, v, 1) for n, v in zip(state[1], state[2])]:
            return False
        store.execute("INSERT OR REPLACE INTO view_snapshots (name, versions, data, created_at) VALUES (?, ?, ?, ?)",
                      [name, _state_text(state), data, now_text()])
        return True

    return _short_write(store, 0, keep)
