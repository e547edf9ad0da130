"""The event store: one plain SQLite file (WAL, foreign keys, versioned schema) managed with sqlite-utils.

Tables
  documents        one row per ingested article (text kept for the document panel and full-text search)
  events           one row per real-world happening; status and ``locked`` record user decisions
  event_sources    the sentences that support an event (document, character offsets, date expression)
  entities         people, organisations, places... with ``entity_aliases``
  event_entities   event <-> entity links;  event_sectors  event <-> sector links
  sectors          the taxonomy from resources/sectors.toml
  curation_log     every user decision, append-only (what, when, payload)
  event_imports    where imported events came from (file, id in that file, media)
  events_fts, documents_fts   FTS5 indexes (external content) kept in step by the store, not by triggers
  timeline_snapshot   the unfiltered timeline columns of a large database, dropped by triggers on any change
  change_counters  a version per table, raised by triggers when a row of it changes while a reader watches it
  view_snapshots   memoised reads saved with the versions they were computed at (core/views.py)

User decisions live in ``events.status`` / ``events.locked`` / ``events.merged_into`` and the curation log.
Extraction only ever adds sources to a locked, rejected or merged event; it never rewrites or resurrects it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import re
import sqlite3
import stat
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

from .files import LIVE, SIDECARS, describe_mode

SCHEMA_VERSION = 1
STATUSES = ("extracted", "confirmed", "edited", "rejected", "manual", "imported", "merged")

migrations = Migrations("partnership_explorer")
FTS_COLUMNS = {"events": ("title", "summary"), "documents": ("title", "text")}


class StoreError(Exception):
    """A database problem explained in one line for the user."""


@dataclass
class BulkLoad:
    """What :meth:`Store.begin_bulk_load` set aside: the highest rowid of each table before the load, the index
    definitions, and the triggers (name, table, sql, condition, action) to create and fire again."""
    marks: dict[str, int]
    indexes: list[str]
    triggers: list[tuple[str, str, str, str, str]]


class StoredValueError(StoreError):
    """A value in the database that this program never writes (a hand-edited file): one line naming the row."""


def stored_day(value: Any, event_id: Any, column: str) -> dt.date:
    """A day stored as ``YYYY-MM-DD`` (events.start / events.end); :class:`StoredValueError` naming the event
    otherwise."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise StoredValueError(f"event {event_id}: its {column} {str(value)[:40]!r} is not a date (YYYY-MM-DD); "
                           "the database was changed by another program; fix or delete that event")


def now_text() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            file_name TEXT NOT NULL,
            title TEXT,
            outlet TEXT,
            language TEXT NOT NULL DEFAULT 'en',
            published TEXT,
            published_precision TEXT CHECK (published_precision IN ('day','month','year')),
            published_source TEXT NOT NULL DEFAULT 'unknown',
            content_hash TEXT NOT NULL,
            encoding TEXT,
            text TEXT NOT NULL,
            ingested_at TEXT NOT NULL
        );
        CREATE INDEX idx_documents_hash ON documents(content_hash);

        CREATE TABLE sectors (
            key TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            color TEXT NOT NULL,
            position INTEGER NOT NULL
        );

        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            summary TEXT,
            kind TEXT NOT NULL,
            date TEXT NOT NULL,
            precision TEXT NOT NULL CHECK (precision IN ('day','month','year')),
            start TEXT NOT NULL,
            "end" TEXT NOT NULL,
            is_range INTEGER NOT NULL DEFAULT 0,
            confidence REAL NOT NULL DEFAULT 0.5,
            status TEXT NOT NULL DEFAULT 'extracted'
                CHECK (status IN ('extracted','confirmed','edited','rejected','manual','imported','merged')),
            locked INTEGER NOT NULL DEFAULT 0,
            origin TEXT NOT NULL DEFAULT 'extraction',
            extraction_key TEXT,
            merged_into INTEGER REFERENCES events(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK (start <= "end")
        );
        CREATE INDEX idx_events_start ON events(start, "end");
        CREATE INDEX idx_events_status_start ON events(status, start);
        CREATE INDEX idx_events_key ON events(extraction_key);
        CREATE INDEX idx_events_merged ON events(merged_into);

        CREATE TABLE event_sources (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            sentence TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            date_text TEXT,
            date_start INTEGER,
            date_end INTEGER,
            date_label TEXT,
            confidence REAL NOT NULL DEFAULT 0.5,
            CHECK (start <= "end")
        );
        CREATE INDEX idx_sources_event ON event_sources(event_id);
        CREATE INDEX idx_sources_document ON event_sources(document_id, start);

        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL,
            country TEXT,
            role TEXT,
            known INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX idx_entities_type ON entities(type, name);

        CREATE TABLE entity_aliases (
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            alias TEXT NOT NULL,
            PRIMARY KEY (entity_id, alias)
        );

        CREATE TABLE event_entities (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            PRIMARY KEY (event_id, entity_id)
        );
        CREATE INDEX idx_event_entities_entity ON event_entities(entity_id, event_id);

        CREATE TABLE event_sectors (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            sector_key TEXT NOT NULL REFERENCES sectors(key) ON UPDATE CASCADE,
            PRIMARY KEY (event_id, sector_key)
        );
        CREATE INDEX idx_event_sectors_sector ON event_sectors(sector_key, event_id);

        CREATE TABLE curation_log (
            id INTEGER PRIMARY KEY,
            event_id INTEGER,
            action TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}',
            at TEXT NOT NULL
        );
        CREATE INDEX idx_curation_event ON curation_log(event_id);
        """
    )
    # No sync triggers: with trusted_schema=OFF SQLite refuses triggers that write virtual tables, and a
    # database without triggers is also one whose schema cannot act behind the user's back. The store
    # keeps both indexes in step itself (see Store._fts_*).
    for table, columns in FTS_COLUMNS.items():
        db[table].enable_fts(list(columns), create_triggers=False, tokenize="unicode61 remove_diacritics 2")


@migrations()
def m002_imports(db: sqlite_utils.Database) -> None:
    """Where imported events came from (core/interchange.py): the file name, the event's id in that file
    (TimelineJS ``unique_id`` or a CSV ``id``) and its media/source URL, caption and credit."""
    db.executescript(
        """
        CREATE TABLE event_imports (
            event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            file TEXT NOT NULL,
            ref TEXT,
            url TEXT,
            caption TEXT,
            credit TEXT,
            imported_at TEXT NOT NULL
        );
        CREATE INDEX idx_event_imports_ref ON event_imports(file, ref);
        """
    )


@migrations()
def m003_events_kind_index(db: sqlite_utils.Database) -> None:
    # The timeline's eras read the milestones (kind = 'milestone') on every load: without this index that is a
    # walk over every event (2.8 s at 1M events); with it, a handful of rows.
    db.execute("CREATE INDEX IF NOT EXISTS idx_events_kind ON events(kind, start)")


@migrations()
def m004_events_n_sources(db: sqlite_utils.Database) -> None:
    """``events.n_sources``: how many sources support the event, kept by the store (see
    :meth:`Store.refresh_source_counts`) so that the timeline reads it with the event row instead of grouping
    all of ``event_sources`` (1.8M rows at 1M events) on every load."""
    db.execute("ALTER TABLE events ADD COLUMN n_sources INTEGER NOT NULL DEFAULT 0")
    db.execute(
        """UPDATE events SET n_sources = sc.n
           FROM (SELECT event_id, count(*) AS n FROM event_sources GROUP BY event_id) AS sc
           WHERE sc.event_id = events.id"""
    )
    # Everything the timeline reads of an event, in the order it groups by: loading 1M events scans this
    # index (about 40 bytes a row) instead of the table with its titles and summaries.
    db.execute(
        """CREATE INDEX IF NOT EXISTS idx_events_timeline
           ON events(status, precision, start, "end", is_range, n_sources)"""
    )


@migrations()
def m005_timeline_snapshot(db: sqlite_utils.Database) -> None:
    """``timeline_snapshot``: the unfiltered timeline columns of a large database, saved by
    :func:`~.timeline.load_timeline` so that opening the window reads one blob instead of a million rows.

    A snapshot is only ever valid or absent: these triggers delete it in the same transaction as any change to
    what it holds (an event's dates, precision, range flag, number of sources or status; its sectors), whoever
    makes the change. They cost one ``EXISTS`` test per changed row while no snapshot is stored."""
    db.executescript(
        """
        CREATE TABLE timeline_snapshot (
            name TEXT PRIMARY KEY,
            data BLOB NOT NULL,
            rows INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TRIGGER timeline_snapshot_event_insert AFTER INSERT ON events
            WHEN EXISTS (SELECT 1 FROM timeline_snapshot) BEGIN DELETE FROM timeline_snapshot; END;
        CREATE TRIGGER timeline_snapshot_event_delete AFTER DELETE ON events
            WHEN EXISTS (SELECT 1 FROM timeline_snapshot) BEGIN DELETE FROM timeline_snapshot; END;
        CREATE TRIGGER timeline_snapshot_event_update
            AFTER UPDATE OF start, "end", precision, is_range, n_sources, status ON events
            WHEN EXISTS (SELECT 1 FROM timeline_snapshot) BEGIN DELETE FROM timeline_snapshot; END;
        CREATE TRIGGER timeline_snapshot_sector_insert AFTER INSERT ON event_sectors
            WHEN EXISTS (SELECT 1 FROM timeline_snapshot) BEGIN DELETE FROM timeline_snapshot; END;
        CREATE TRIGGER timeline_snapshot_sector_delete AFTER DELETE ON event_sectors
            WHEN EXISTS (SELECT 1 FROM timeline_snapshot) BEGIN DELETE FROM timeline_snapshot; END;
        CREATE TRIGGER timeline_snapshot_sector_update AFTER UPDATE ON event_sectors
            WHEN EXISTS (SELECT 1 FROM timeline_snapshot) BEGIN DELETE FROM timeline_snapshot; END;
        """
    )


@migrations()
def m006_sources_by_document_event(db: sqlite_utils.Database) -> None:
    """The article list counts the distinct events each document supports: with the event id in the document
    index that is one covering-index scan, instead of joining two copies of every (source, event) and
    (source, document) pair in memory (about 150 MB at a moment when the window is loading everything else)."""
    db.execute("DROP INDEX IF EXISTS idx_sources_document")
    db.execute("CREATE INDEX idx_sources_document ON event_sources(document_id, event_id, start)")
    if db["sqlite_stat1"].exists():  # planner statistics were gathered: keep them covering the new index
        db.execute("ANALYZE event_sources")


@migrations()
def m007_event_actors_cameo_source_dates(db: sqlite_utils.Database) -> None:
    """What each event is and who took part, and what each source said about its date.

    * ``events.cameo``: the event's code in CAMEO, the codebook of GDELT and ICEWS (``042`` make a visit,
      ``057`` sign an agreement, ``163`` impose sanctions...), or a project code (``PE-OPEN``...); see
      ``resources/event_kinds.toml``.
    * ``event_entities.role``: ``party`` (one of the two sides: a country, company or body),
      ``representative`` (a person acting for a side, named in ``acting_for``) or ``participant``; NULL for an
      entity only mentioned with the event.
    * ``event_sources.date_value`` / ``date_precision`` / ``date_first`` / ``date_last`` / ``date_is_range``: the date this source
      gives the event (``2022-12``, ``month``, ISO first and last day, whether it is a range). When sources disagree, every one keeps
      its own date and the event shows the best-supported one.
    """
    db.executescript(
        """
        ALTER TABLE events ADD COLUMN cameo TEXT;
        ALTER TABLE event_entities ADD COLUMN role TEXT
            CHECK (role IS NULL OR role IN ('party','representative','participant'));
        ALTER TABLE event_entities ADD COLUMN acting_for TEXT;
        ALTER TABLE event_sources ADD COLUMN date_value TEXT;
        ALTER TABLE event_sources ADD COLUMN date_precision TEXT;
        ALTER TABLE event_sources ADD COLUMN date_first TEXT;
        ALTER TABLE event_sources ADD COLUMN date_last TEXT;
        ALTER TABLE event_sources ADD COLUMN date_is_range INTEGER;
        """
    )


@migrations()
def m008_curation_snapshots(db: sqlite_utils.Database) -> None:
    """``curation_snapshots``: named records of the curated state (core/snapshots.py), so that "what changed since
    the last brief" can be listed. ``state`` is zlib-compressed JSON: every event's title, dates, kind, status,
    merge target and sectors, and every document's path, content hash and reference data."""
    db.executescript(
        """
        CREATE TABLE curation_snapshots (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            app_version TEXT NOT NULL,
            n_events INTEGER NOT NULL,
            n_documents INTEGER NOT NULL,
            state BLOB NOT NULL
        );
        """
    )


LONG_EVENT_DAYS = 400
"""An event spanning more than this many days is 'long': ``idx_events_long`` holds only those, so that finding the
events that overlap a date reads a window of ``start`` plus the few long events, not every earlier event."""


@migrations()
def m009_events_long_index(db: sqlite_utils.Database) -> None:
    """Ingestion looks for the stored events whose period overlaps a candidate's date. ``start <= last AND end >=
    first`` over idx_events_kind read every event of the kind that started before the date (the whole table for a
    recent date): a dense article or a database of a million events made each candidate cost a scan. Events
    shorter than :data:`LONG_EVENT_DAYS` are found in a window of start dates; the long ones through this partial
    index, which holds only them."""
    db.execute(f"""CREATE INDEX idx_events_long ON events(kind, start)
                   WHERE julianday("end") - julianday(start) > {LONG_EVENT_DAYS}""")


_OLD_PRECISION_CHECK = "CHECK (precision IN ('day','month','year'))"
_WEEK_PRECISION_CHECK = "CHECK (precision IN ('day','week','month','year'))"


@migrations()
def m010_week_precision(db: sqlite_utils.Database) -> None:
    """``events.precision`` may be ``week``: an event known to its ISO week ("next week") is stored as that week
    (``date`` 2025-W16) instead of a range of seven days.

    SQLite cannot change a CHECK constraint in place, so the table is rebuilt as SQLite documents it: a new table
    from the old one's own SQL with the wider CHECK, every row copied (ids kept, so the full-text index and every
    reference stay valid), the old table dropped, the new one renamed, and the old table's indexes and triggers
    created again from their own SQL. Foreign keys are off meanwhile (dropping the old table would otherwise
    delete every source, sector and entity link through ON DELETE CASCADE): :meth:`Store._migrate` turns them off
    around the migrations and checks them before the commit."""
    conn = db.conn
    (table_sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'").fetchone()
    if table_sql.count(_OLD_PRECISION_CHECK) != 1:
        raise StoreError("the events table does not have the precision check this migration widens")
    if conn.execute("PRAGMA foreign_keys").fetchone()[0]:
        raise StoreError("the events table can only be rebuilt with foreign keys off")
    new_sql = table_sql.replace(_OLD_PRECISION_CHECK, _WEEK_PRECISION_CHECK)
    new_sql = re.sub(r'^CREATE TABLE\s+"?events"?', "CREATE TABLE events_rebuilt", new_sql, count=1)
    dependents = [sql for (sql,) in conn.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND type IN ('index', 'trigger') AND sql IS NOT NULL "
        "ORDER BY rowid")]
    columns = ", ".join(f'"{name}"' for _, name, *_ in conn.execute("PRAGMA table_info(events)"))
    conn.execute(new_sql)
    conn.execute(f"INSERT INTO events_rebuilt ({columns}) SELECT {columns} FROM events")
    conn.execute("DROP TABLE events")
    conn.execute("ALTER TABLE events_rebuilt RENAME TO events")
    for sql in dependents:
        conn.execute(sql)


@migrations()
def m011_relationship_steps(db: sqlite_utils.Database) -> None:
    """The relationship ladder (core/relationship.py): for each country pair, the levels its milestone events
    reached (diplomatic relations, strategic partnership...), rebuilt from the events whenever a write changes
    them. ``status`` ``derived`` steps are the program's; ``edited``, ``rejected`` and ``manual`` ones are the
    user's (``locked``: a rebuild refreshes their links to events, never their level or date).
    ``relationship_step_sources`` links a step to its events and keeps the date each source gives it.
    ``idx_sources_event_dates`` lets "only disputed dates" (core/disputes.py) read the sources' dates from one
    covering index instead of every source row (36 s at 1M events from a cold cache)."""
    db.executescript(
        """
        CREATE TABLE relationship_steps (
            id INTEGER PRIMARY KEY,
            pair_key TEXT NOT NULL,
            pair_label TEXT NOT NULL,
            level TEXT NOT NULL,
            label TEXT NOT NULL,
            rank INTEGER NOT NULL,
            date TEXT NOT NULL,
            precision TEXT NOT NULL CHECK (precision IN ('day','month','year')),
            start TEXT NOT NULL,
            "end" TEXT NOT NULL,
            disputed INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'derived' CHECK (status IN ('derived','edited','rejected','manual')),
            locked INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            UNIQUE (pair_key, level),
            CHECK (start <= "end")
        );
        CREATE TABLE relationship_step_sources (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES relationship_steps(id) ON DELETE CASCADE,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            source_id INTEGER REFERENCES event_sources(id) ON DELETE CASCADE,
            date_value TEXT,
            date_precision TEXT,
            date_first TEXT,
            date_last TEXT
        );
        CREATE INDEX idx_step_sources_step ON relationship_step_sources(step_id);
        CREATE INDEX idx_step_sources_event ON relationship_step_sources(event_id);
        CREATE INDEX idx_sources_event_dates ON event_sources(event_id, date_first, date_last);
        """
    )


@migrations()
def m012_indicators(db: sqlite_utils.Database) -> None:
    """``indicators``: the dated figures of statistic and target events as typed values (core/indicators.py):
    metric (trade, exports, FDI, visitors...), quantity in base units with its unit (an ISO 4217 currency, or the
    metric of a count), a conversion the text itself gave, the period (``2024``, ``2024-Q3``...), target or not,
    the two sides and whether the text gave a direction, and the figure as written with its offsets in the
    document. Built from the events and their sources and recomputed when they change; a row goes with its
    event or its source."""
    db.executescript(
        """
        CREATE TABLE indicators (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            source_id INTEGER NOT NULL REFERENCES event_sources(id) ON DELETE CASCADE,
            metric TEXT NOT NULL,
            measure TEXT CHECK (measure IS NULL OR measure IN ('flow','stock')),
            quantity REAL NOT NULL,
            unit TEXT NOT NULL,
            is_money INTEGER NOT NULL,
            converted_quantity REAL,
            converted_unit TEXT,
            period TEXT NOT NULL,
            precision TEXT NOT NULL CHECK (precision IN ('day','week','month','quarter','year')),
            period_first TEXT NOT NULL,
            period_last TEXT NOT NULL,
            is_target INTEGER NOT NULL DEFAULT 0,
            party_from TEXT,
            party_to TEXT,
            directed INTEGER NOT NULL DEFAULT 0,
            figure_text TEXT NOT NULL,
            figure_start INTEGER NOT NULL,
            figure_end INTEGER NOT NULL,
            CHECK (period_first <= period_last)
        );
        CREATE INDEX idx_indicators_event ON indicators(event_id);
        CREATE INDEX idx_indicators_source ON indicators(source_id);
        CREATE INDEX idx_indicators_series ON indicators(metric, period_first);
        """
    )


@migrations()
def m013_partner_index(db: sqlite_utils.Database) -> None:
    """The partner pairs (core/partners.py) read the parties of every event, and a pair filter the events where
    two entities are parties: this partial index holds only the party links, in event order, and covers both
    reads (a scan of it instead of every entity link with its row)."""
    db.execute("CREATE INDEX idx_event_parties ON event_entities(event_id, entity_id) WHERE role = 'party'")


@migrations()
def m014_change_counters(db: sqlite_utils.Database) -> None:
    """``change_counters``: one row per table that memoised reads are computed from (core/views.py), whose
    ``version`` says whether a row of that table changed since a reader looked, whoever wrote it (this program,
    another process, the ``sqlite3`` shell). A reader that keeps a result sets ``watched``; the first change to
    the table after that adds one to ``version`` and clears ``watched``, so that a bulk load pays one lookup per
    row and one counter update in all. Writes to other tables (the timeline's snapshot, the ladder, indicators,
    the curation log) and WAL checkpoints leave the counters alone.

    ``view_snapshots``: a memoised read saved in the file (the partner links of a large database), with the
    versions it was computed at; it stands for the data only while those are still the versions."""
    db.executescript(
        """
        CREATE TABLE change_counters (
            name TEXT PRIMARY KEY,
            version INTEGER NOT NULL DEFAULT 0,
            watched INTEGER NOT NULL DEFAULT 0 CHECK (watched IN (0, 1))
        ) WITHOUT ROWID;
        CREATE TABLE view_snapshots (
            name TEXT PRIMARY KEY,
            versions TEXT NOT NULL,
            data BLOB NOT NULL,
            created_at TEXT NOT NULL
        );
        """
    )
    # the list is part of this migration (the schema it creates must never change); later tables get theirs
    # from a later migration
    for table in ("documents", "entities", "entity_aliases", "event_entities", "event_sectors", "event_sources",
                  "events", "sectors"):
        db.execute("INSERT INTO change_counters (name) VALUES (?)", [table])
        for op in ("INSERT", "UPDATE", "DELETE"):
            same = ""
            if table == "sectors" and op == "UPDATE":  # the taxonomy is upserted by every ingest: unchanged rows
                same = (" AND (OLD.key IS NOT NEW.key OR OLD.name IS NOT NEW.name OR OLD.color IS NOT NEW.color"
                        " OR OLD.position IS NOT NEW.position)")
            db.execute(
                f"""CREATE TRIGGER change_counter_{table}_{op.lower()} AFTER {op} ON {table}
                    WHEN (SELECT watched FROM change_counters WHERE name = '{table}'){same}
                    BEGIN UPDATE change_counters SET version = version + 1, watched = 0 WHERE name = '{table}'; END""")


@migrations()
def m015_import_files(db: sqlite_utils.Database) -> None:
    """``import_files``: the digest of each events file as it was last imported, with the events its records
    resolved to, so that importing the same bytes again is answered without reading the records
    (core/interchange.py). A row is only ever valid or absent: these triggers delete every row in the same
    transaction as any change to what an import compares (an event, its sectors, entities or import record, an
    entity or alias), whoever makes it; new events alone change no earlier match. One ``EXISTS`` test per
    changed row while no row is stored."""
    db.executescript(
        """
        CREATE TABLE import_files (
            file TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            format TEXT NOT NULL,
            app_version TEXT NOT NULL,
            records INTEGER NOT NULL,
            event_ids BLOB NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE TRIGGER import_files_events_update AFTER UPDATE ON events
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_events_delete AFTER DELETE ON events
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_event_sectors_insert AFTER INSERT ON event_sectors
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_event_sectors_update AFTER UPDATE ON event_sectors
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_event_sectors_delete AFTER DELETE ON event_sectors
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_event_entities_insert AFTER INSERT ON event_entities
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_event_entities_update AFTER UPDATE ON event_entities
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_event_entities_delete AFTER DELETE ON event_entities
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_event_imports_insert AFTER INSERT ON event_imports
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_event_imports_update AFTER UPDATE ON event_imports
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_event_imports_delete AFTER DELETE ON event_imports
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_entities_insert AFTER INSERT ON entities
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_entities_update AFTER UPDATE ON entities
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_entities_delete AFTER DELETE ON entities
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_entity_aliases_insert AFTER INSERT ON entity_aliases
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_entity_aliases_update AFTER UPDATE ON entity_aliases
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        CREATE TRIGGER import_files_entity_aliases_delete AFTER DELETE ON entity_aliases
            WHEN EXISTS (SELECT 1 FROM import_files) BEGIN DELETE FROM import_files; END;
        """
    )


SHORT_EVENT_DAYS = 31
"""An event spanning at most this many days (a day, a week, a month, a range of days) is 'short': the events that
overlap a date are read as three windows of ``start`` (see :func:`m016_merge_lookup_indexes`)."""


@migrations()
def m016_merge_lookup_indexes(db: sqlite_utils.Database) -> None:
    """Ingestion looks up, for every candidate, the stored events of its kind whose period overlaps its date. A
    window of :data:`LONG_EVENT_DAYS` of ``start`` read every event of the kind that began in the thirteen months
    before the date, most of them single days that end long before it, each looked up in the table for its end:
    the look-up grew with the database. The events are now read in three classes by span, each from an index
    holding only that class of extracted events (the only ones merging joins) with its end, so that a row is read
    from the table only when its period overlaps and it is on the candidate's sides:
    the short ones (at most :data:`SHORT_EVENT_DAYS`, nearly all events) in a window of a month, the others up to
    a year in a window of :data:`LONG_EVENT_DAYS`, the long ones as before. A candidate that must share an
    extraction key (a figure's indicator, a milestone's rule) reads the events of that key with their dates from
    one index (``idx_events_key`` gains the kind and the dates, and holds only extracted events) instead of every
    event of the key from the table. Events loaded in bulk (synthetic, imported) are in none of the three: building
    them after a bulk load reads each row's origin only."""
    db.executescript(f"""
        CREATE INDEX idx_events_short ON events(kind, start, "end")
            WHERE origin = 'extraction' AND julianday("end") - julianday(start) <= {SHORT_EVENT_DAYS};
        CREATE INDEX idx_events_medium ON events(kind, start, "end")
            WHERE origin = 'extraction' AND julianday("end") - julianday(start) > {SHORT_EVENT_DAYS}
              AND julianday("end") - julianday(start) <= {LONG_EVENT_DAYS};
        DROP INDEX idx_events_key;
        CREATE INDEX idx_events_key ON events(extraction_key, kind, start, "end") WHERE origin = 'extraction';
        """)


COMMIT_HOOKS: list = []
"""Functions ``hook(store)`` run inside every outermost write transaction of a :class:`Store`, just before its
commit, so that tables derived from events (the relationship ladder) are rebuilt by the same transaction as the
change, whoever in the program made it."""


def commit_hooks() -> list:
    """:data:`COMMIT_HOOKS`, with those of the modules that keep derived tables registered."""
    from . import relationship  # noqa: F401  (registers its hook on import)

    return COMMIT_HOOKS


# What this connection's writes touch, for values derived from the events (the relationship ladder, the sides of
# an event that merging compares): temporary triggers (this connection's own, never in the file) report each
# written row to :meth:`Store._touched`. The bulk loads drop them with the secondary indexes
# (:meth:`Store.drop_secondary_indexes`) and treat everything as changed.
_TRACKED_EVENT_KIND = "(SELECT kind FROM main.events WHERE id = {row}.event_id)"
_TRACKING_TRIGGERS = {
    "pe_track_events_insert": "AFTER INSERT ON main.events BEGIN SELECT pe_touched(NEW.id, NEW.kind); END",
    "pe_track_events_update": "AFTER UPDATE ON main.events BEGIN SELECT pe_touched(OLD.id, OLD.kind), "
                              "pe_touched(NEW.id, NEW.kind); END",
    "pe_track_events_delete": "AFTER DELETE ON main.events BEGIN SELECT pe_touched(OLD.id, OLD.kind); END",
    **{f"pe_track_{table}_{op.lower()}": f"AFTER {op} ON main.{table} BEGIN SELECT "
       + ", ".join(f"pe_touched({row}.event_id, {_TRACKED_EVENT_KIND.format(row=row)})" for row in rows) + "; END"
       for table in ("event_entities", "event_sources")
       for op, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",)))},
    # a source changed, moved to another event or removed (not only added): what was derived from the event's
    # earlier sources is to be read again (EventChange.sources_rewritten)
    "pe_track_event_sources_rewrite_update": "AFTER UPDATE ON main.event_sources BEGIN "
                                             "SELECT pe_sources_rewritten(OLD.event_id), "
                                             "pe_sources_rewritten(NEW.event_id); END",
    "pe_track_event_sources_rewrite_delete": "AFTER DELETE ON main.event_sources BEGIN "
                                             "SELECT pe_sources_rewritten(OLD.event_id); END",
    # an entity renamed, re-typed or merged away changes the sides of every event it is in
    "pe_track_entities_update": "AFTER UPDATE ON main.entities BEGIN SELECT pe_touched(NULL, NULL); END",
    "pe_track_entities_delete": "AFTER DELETE ON main.entities BEGIN SELECT pe_touched(NULL, NULL); END",
}


def _migration_names() -> list[str]:
    return [m.name for m in migrations._migrations]


MAX_MEMO_ENTRIES = 200_000
"""At most this many events' derived values are kept per memo (:meth:`Store.event_memo`)."""


@dataclass
class EventChange:
    """One event written by the current transaction: whether it is (or was) a milestone, and what the store's
    memos held for it before (:meth:`Store.event_memo`)."""

    milestone: bool = False
    before: dict[str, Any] = field(default_factory=dict)
    sources_rewritten: bool = False  # one of its sources was changed or removed (not only sources added)


class Store:
    """An open event database. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path, *, create: bool = True, readonly: bool | None = False):
        """Open (or create) the database at ``path``.

        ``readonly=True`` opens the file read-only (``mode=ro``): nothing is ever written to it, not even a
        schema upgrade or a repair. ``readonly=None`` opens it read-write when the file can be written and
        read-only otherwise. Any problem with the file (not a regular file, not SQLite, truncated, damaged,
        not ours, a schema that differs from ours in any object, from a newer version, read-only, locked, disk
        full) raises :class:`StoreError` with one line, before anything is written to it.

        What an interrupted bulk job can leave half-done (own indexes dropped, full-text rows missing, WAL
        switched off) is repaired when the store opens read-write; :attr:`notes` says what was done (or, when
        read-only, what is needed), one line each.
        """
        self.path = Path(path)
        self.notes: list[str] = []
        # derived values kept between transactions (see _TRACKING_TRIGGERS); the first write of a session
        # rebuilds the ladder whatever it touched (the vocabulary may be newer than the file)
        self.all_derived_changed = True  # unknown changes (the first write, a bulk load, another connection)
        self.changed_events: dict[int, EventChange] = {}  # written by this transaction
        self.commit_follows = True  # while the commit hooks run: whether the commit follows (run_commit_hooks)
        self._event_memos: dict[str, dict[int, Any]] = {}
        self._derived_memos: dict[str, dict] = {}
        self._data_version: int | None = None
        self.defensive = False
        self._live_key: int | None = None
        auto = readonly is None
        exists = _database_exists(self.path)
        if not create and not exists:
            raise StoreError(f"{self.path}: no such database")
        if exists:
            _check_companions(self.path)
            writable = _writable(self.path)
            if readonly is None:
                readonly = not writable
            elif not readonly and not writable:
                raise StoreError(f"{self.path}: database is read-only (no permission to write to it or its folder)")
        else:
            if readonly:
                raise StoreError(f"{self.path}: no such database")
            readonly = False
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path.parent}: cannot create folder ({exc.strerror})") from None
        self.readonly = readonly
        # The header is read with open() only while this process holds no connection to the file (closing that
        # descriptor would drop the locks of those connections); the registry's lock keeps other threads from
        # connecting in between. Later opens rely on the first check and on SQLite's own.
        with LIVE.lock:
            if exists and not LIVE.holds(self.path):
                _check_sqlite_header(self.path)
            self._live_key = LIVE.add(self.path)
            other = LIVE.other_name(self.path) if exists else None
            if other is not None:
                LIVE.remove(self._live_key)
                self._live_key = None
                raise StoreError(f"{self.path}: is the database {other} under another name (a hard link); "
                                 "open it by one name only")
        try:
            try:
                self._open_connection(readonly)
            except StoreError:
                # a file that turned out not to be writable (read-only file system, read-only -wal/-shm files):
                # a reading command still gets a read-only store
                if auto and not readonly and exists and getattr(self, "_auto_readonly", False):
                    self._open_connection(True)
                else:
                    raise
        except BaseException:
            LIVE.remove(self._live_key)
            self._live_key = None
            raise

    def _open_connection(self, readonly: bool, immutable: bool = False) -> None:
        try:
            if readonly:
                uri = "file:" + urllib.parse.quote(os.fsencode(self.path.resolve())) + "?mode=ro"
                if immutable:
                    uri += "&immutable=1"
                conn = sqlite3.connect(uri, uri=True, timeout=10)
            else:
                conn = sqlite3.connect(self.path, timeout=10)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open database ({exc})") from None
        # Autocommit: a statement outside ``atomic()`` is its own transaction, so nothing is ever left pending
        # (and other connections, such as the window's worker threads, see every change at once).
        conn.isolation_level = None
        self.readonly = readonly
        # no sqlite-utils plugins: none is ours, and looking for them reads every installed package's metadata
        # (about 0.2 s of a process's first open), then runs whatever another package registered on our connection
        self.db = sqlite_utils.Database(conn, execute_plugins=False)
        try:
            self._configure()
            if not readonly:
                self._migrate()
            else:
                applied, missing = self._check_schema()
                if applied == 0:
                    raise StoreError(f"{self.path}: empty database (nothing has been stored in it yet)")
                if migrations.pending(self.db):
                    raise StoreError(
                        f"{self.path}: made by an older version of Partnership Explorer and opened read-only; "
                        "run `partnership-explorer check --db FILE` (or open it in the explorer) to upgrade it"
                    )
                self._note_repairs(missing, self._fts_out_of_step() if applied else False, done=False)
        except sqlite3.DatabaseError as exc:
            conn.close()
            # A WAL database in a folder we cannot write, without its -shm file: SQLite cannot set up shared
            # memory to read it. With no -wal file there is nothing outside the main file, so it is read as is.
            if readonly and not immutable and "readonly" in str(exc).lower() and not Path(f"{self.path}-wal").exists():
                return self._open_connection(True, immutable=True)
            raise StoreError(f"{self.path}: {explain(exc)}") from None
        except BaseException:
            conn.close()
            raise

    # -- opening ---------------------------------------------------------------------------------
    def _configure(self) -> None:
        conn = self.db.conn
        conn.execute("PRAGMA busy_timeout = 10000")
        # A database may come from someone else: its schema must not be able to call functions with
        # side effects from triggers or views, and the file must not be writable through odd pragmas.
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
        # Defensive mode (no writable_schema, no writes to FTS shadow tables, no journal_mode=OFF...). Python
        # 3.12 has Connection.setconfig; before that the flag is set through the C API (see _set_defensive).
        if hasattr(conn, "setconfig") and hasattr(sqlite3, "SQLITE_DBCONFIG_DEFENSIVE"):
            conn.setconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE, True)
            self.defensive = bool(conn.getconfig(sqlite3.SQLITE_DBCONFIG_DEFENSIVE))
        else:
            self.defensive = _set_defensive(conn, self.path)

    def _check_schema(self) -> tuple[int, list[str]]:
        """Refuse a database whose schema is not exactly the one its recorded version has.

        Every object of ``sqlite_master`` (tables, indexes, triggers, views, full-text tables; their SQL
        compared after normalising case, spacing and identifier quotes) must be the one the migrations recorded
        in ``_sqlite_migrations`` create, whatever its name: a changed trigger body, an added generated
        column, a planted view or another program's tables and migrations are refused. Only two differences
        are accepted: SQLite's own statistics tables, and indexes of ours that are missing (an interrupted bulk
        job drops them; they are rebuilt). Returns (how many of our migrations are applied, missing indexes).
        """
        conn = self.db.conn
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id:
            raise StoreError(f"{self.path}: not a Partnership Explorer database (it belongs to another "
                             f"application, id {app_id:#010x})")
        user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        if user_version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: made by a newer version of Partnership Explorer (file format "
                             f"{user_version}; this version reads {SCHEMA_VERSION}); please upgrade the program")
        if user_version < 0:
            raise StoreError(f"{self.path}: not a Partnership Explorer database (user_version {user_version})")
        try:
            actual = _read_schema(conn)
        except StoreError as exc:
            raise StoreError(f"{self.path}: {exc}; refusing to open") from None
        if not actual:
            return 0, []  # an empty file: a new database
        table = migrations.migrations_table
        if ("table", table) not in actual:
            raise StoreError(f"{self.path}: not a Partnership Explorer database (it has other tables)")
        rows = conn.execute(f'SELECT migration_set, name FROM "{table}" ORDER BY rowid').fetchall()
        others = sorted({str(s) for s, _ in rows if s != migrations.name})
        if others:
            raise StoreError(f"{self.path}: not a Partnership Explorer database (it holds the migrations of "
                             f"another program: {_quoted(others)})")
        applied = [n for _, n in rows]
        names = _migration_names()
        unknown = [str(n) for n in applied if n not in names]
        if unknown:
            raise StoreError(
                f"{self.path}: made by a newer version of Partnership Explorer (schema {', '.join(sorted(unknown))}); "
                "please upgrade the program"
            )
        if len(set(applied)) != len(applied):
            raise StoreError(f"{self.path}: not a Partnership Explorer database (its schema history "
                             f"{_quoted(applied)} is not one this program writes)")
        k = len(applied)
        expected = _schema_of(applied)
        missing: list[str] = []
        for key, (tbl, sql, _raw) in expected.items():
            got = actual.get(key)
            if got is None:
                if key[0] == "index" and sql is not None:
                    missing.append(key[1])
                    continue
                raise StoreError(f"{self.path}: its {key[0]} '{key[1]}' is missing; this is not a database "
                                 "Partnership Explorer wrote (or it was altered)")
            if got != (tbl, sql):
                raise StoreError(f"{self.path}: its {key[0]} '{key[1]}' is not the one Partnership Explorer "
                                 "creates (it was altered); refusing to open")
        # what can run code is named first: triggers, then views, then tables and indexes
        rank = {"trigger": 0, "view": 1, "table": 2}
        for key in sorted(actual.keys() - expected.keys(), key=lambda k: (rank.get(k[0], 3), k)):
            if _INTERNAL.get(key) == actual[key][1]:
                continue  # SQLite's own statistics (ANALYZE) and AUTOINCREMENT tables
            raise StoreError(f"{self.path}: contains a {key[0]} '{key[1]}' that Partnership Explorer did not "
                             "create; refusing to open")
        self._applied = tuple(applied)
        return k, missing

    def _fts_out_of_step(self) -> bool:
        """Whether a full-text index misses rows of its table (cheap: the largest rowid of each side)."""
        return bool(self.db.conn.execute(
            "SELECT " + " OR ".join(f"(SELECT max(id) FROM {t}) IS NOT (SELECT max(id) FROM {t}_fts_docsize)" for t in FTS_COLUMNS)
        ).fetchone()[0])

    def _note_repairs(self, missing: list[str], fts: bool, *, done: bool) -> None:
        what = []
        if missing:
            what.append(f"{len(missing)} of its indexes were missing")
        if fts:
            what.append("its full-text index was missing rows")
        if not what:
            return
        if done:
            self.notes.append(f"{self.path}: repaired what an interrupted job left half-done "
                              f"({'; '.join(what)}): rebuilt")
        else:
            self.notes.append(f"{self.path}: an interrupted job left it half-done ({'; '.join(what)}); "
                              "searches and listings may be slow or incomplete until "
                              "`partnership-explorer check --db FILE` (or any writing command) repairs it")

    def _migrate(self) -> None:
        # Everything that could refuse the file is checked before the first write (even the WAL switch).
        applied, missing = self._check_schema()
        conn = self.db.conn
        try:
            was = conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"{self.path}: cannot switch the database to WAL mode")
            if applied and was != "wal":
                self.notes.append(f"{self.path}: switched back to WAL mode (an interrupted job had left it in "
                                  f"'{was}' mode)")
            conn.execute("PRAGMA synchronous = NORMAL")
            fts = False
            if applied:
                fts = self._fts_out_of_step()
                if missing or fts:
                    expected = _schema_of(self._applied)
                    with self.atomic():
                        for name in missing:
                            conn.execute(expected[("index", name)][2])
                        if fts:
                            self.rebuild_fts()
                    self._note_repairs(missing, fts, done=True)
            if migrations.pending(self.db):
                # Foreign keys are off while the schema changes (a migration that rebuilds a table drops the old
                # one, which must not cascade to the rows that refer to it) and checked before the commit; the
                # pragma only takes effect outside a transaction.
                conn.execute("PRAGMA foreign_keys = OFF")
                try:
                    # one writer at a time: two windows opening a new file at once must not both create it
                    with self.atomic():
                        pending = [m.name for m in migrations.pending(self.db)]
                        if pending:
                            migrations.apply(self.db)
                            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                            if broken:
                                raise StoreError(f"{self.path}: upgrading the schema would leave {len(broken)} "
                                                 f"row(s) pointing at nothing (first in table {broken[0][0]}); "
                                                 "nothing was changed")
                        if applied and "m012_indicators" in pending:
                            from . import indicators   # an older database's figures, typed once
                            indicators.rebuild(self)
                finally:
                    conn.execute("PRAGMA foreign_keys = ON")
                if applied:
                    self.notes.append(f"{self.path}: brought up to date from the schema of an older version")
            # written only when it differs: opening a database must not write to it (nor wait for a writer)
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.create_function("pe_touched", 2, self._touched)
            conn.create_function("pe_sources_rewritten", 1, self._sources_rewritten)
            self._track_changes(True)
        except sqlite3.OperationalError as exc:
            message = explain(exc)
            if "read-only" in message:
                self._auto_readonly = True
            raise StoreError(f"{self.path}: {message}") from None

    def close(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            db.conn.close()
        if self._live_key is not None:
            LIVE.remove(self._live_key)
            self._live_key = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- derived values -----------------------------------------------------------------------------
    def _touched(self, event_id: int | None, kind: str | None) -> None:
        """A tracked row was written (called by this connection's temporary triggers)."""
        if event_id is None:
            self.forget_derived()
            return
        change = self.changed_events.get(event_id)
        if change is None:
            change = self.changed_events[event_id] = EventChange()
        for name, memo in self._event_memos.items():
            if event_id in memo:
                change.before.setdefault(name, memo.pop(event_id))  # the first: what it was before the write
        if kind == "milestone":
            change.milestone = True

    def _sources_rewritten(self, event_id: int | None) -> None:
        """A source of the event was changed or removed (called by this connection's temporary triggers, before
        or after :meth:`_touched` for the same row)."""
        if event_id is not None:
            self.changed_events.setdefault(event_id, EventChange()).sources_rewritten = True

    @property
    def milestones_changed(self) -> bool:
        """Whether a milestone (or anything of unknown kind) was written since the ladder was last rebuilt."""
        return self.all_derived_changed or any(c.milestone for c in self.changed_events.values())

    def forget_derived(self) -> None:
        """Everything derived from the events is to be computed again (a rollback, a bulk load, another
        connection's commit)."""
        for memos in (self._event_memos, self._derived_memos):
            for memo in memos.values():
                memo.clear()
        self.all_derived_changed = True
        self.changed_events.clear()

    def event_memo(self, name: str) -> dict[int, Any]:
        """A dictionary of values derived from one event each (keyed by event id), valid as long as that event,
        its entity links and sources and the entities are unchanged: writes through this connection drop the
        event's entry, and any commit by another connection empties it. Outside a transaction (when another
        connection may write before the next read) it is a new, empty dictionary each time."""
        if not self.db.conn.in_transaction:
            return {}
        memo = self._event_memos.setdefault(name, {})
        if len(memo) > MAX_MEMO_ENTRIES:  # a long ingest: memory stays bounded, the next reads start afresh
            self.forget_derived()
        return memo

    def derived_memo(self, name: str) -> dict:
        """A dictionary of values derived from the entities or the events as a whole, valid until an entity is
        changed or removed (or anything is rolled back, loaded in bulk or committed by another connection): then
        it is emptied. Rows added later are not reported: whoever keeps a value here reads them itself (as
        ingestion's index of side entities reads the entities after the last id it saw). Outside a transaction
        it is a new, empty dictionary each time."""
        if not self.db.conn.in_transaction:
            return {}
        return self._derived_memos.setdefault(name, {})

    def _track_changes(self, on: bool) -> None:
        if self.readonly:
            return
        for name, body in _TRACKING_TRIGGERS.items():
            self.db.conn.execute(f"CREATE TEMP TRIGGER IF NOT EXISTS {name} {body}" if on
                                 else f"DROP TRIGGER IF EXISTS temp.{name}")

    def _check_other_writers(self) -> None:
        version = self.db.conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            if self._data_version is not None:
                self.forget_derived()
            self._data_version = version

    def run_commit_hooks(self, *, commit: bool = True) -> None:
        """Bring the derived tables (:data:`COMMIT_HOOKS`) in line with what this transaction wrote so far; the
        commit runs them again for what it writes after. ``commit`` False: more of this transaction follows
        before its commit (the next document of a group), so a hook may leave to the commit's run what nothing
        reads in between (:attr:`commit_follows` tells it)."""
        self.commit_follows = commit
        try:
            for hook in commit_hooks():
                hook(self)
        finally:
            self.commit_follows = True
        self.changed_events.clear()

    @contextlib.contextmanager
    def atomic(self):
        """All-or-nothing block; nested blocks become savepoints.

        The outermost block starts with ``BEGIN IMMEDIATE``: it takes the write lock first (waiting up to the
        busy timeout for another writer) instead of reading first and then failing at once with "database is
        locked" when another connection has written in between, as a deferred transaction does in WAL mode.
        """
        if self.db.conn.in_transaction:
            try:
                with self.db.atomic():
                    yield self.db
            except BaseException:
                self.forget_derived()  # rolled back to the savepoint: a memo may hold what was undone
                raise
            return
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            self._check_other_writers()
            yield self.db
            self.run_commit_hooks()
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")
            self.db.conn.execute("PRAGMA ignore_check_constraints = OFF")  # a bulk load cut short
            self.forget_derived()
            raise
        else:
            try:
                self.db.conn.execute("COMMIT")
            except BaseException:
                if self.db.conn.in_transaction:
                    self.db.conn.execute("ROLLBACK")
                self.forget_derived()
                raise
            self._data_version = self.db.conn.execute("PRAGMA data_version").fetchone()[0]
            self.changed_events.clear()

    def execute(self, sql: str, params: Iterable[Any] | dict = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Any]) -> sqlite3.Cursor:
        """One statement over many rows (the bulk writers)."""
        return self.db.conn.executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        return self.db.conn.in_transaction

    def bad_date_error(self) -> StoreError | None:
        """The first event whose start or end is not a real ``YYYY-MM-DD`` day, as a one-line error (None when
        every event's dates are sound). A full scan: for explaining a failure, not for every read."""
        row = self.db.execute(
            """SELECT id, start, "end" FROM events WHERE typeof(start) != 'text' OR typeof("end") != 'text'
               OR date(start) IS NOT start OR date("end") IS NOT "end" ORDER BY id LIMIT 1""").fetchone()
        # SQLite's date() lets a day past the month's end through ('2025-02-30'): those are found in Python
        rows = [row] if row is not None else self.db.execute('SELECT id, start, "end" FROM events ORDER BY id')
        for event_id, start, end in rows:
            try:
                stored_day(start, event_id, "start")
                stored_day(end, event_id, "end")
            except StoredValueError as exc:
                return StoreError(f"{self.path}: {exc}")
        return None

    def integrity_ok(self) -> bool:
        return self.verify() is None

    def verify(self) -> str | None:
        """``PRAGMA quick_check``: None when the file is sound, else a one-line description of the damage.

        Not run on open: it reads the whole file (about 2 s warm and 25 s from a cold disk cache for 1M events,
        1.3 GB). The command line runs it before ``ingest`` writes to a database; the window can run it in a
        worker after opening.
        """
        try:
            rows = [r[0] for r in self.db.execute("PRAGMA quick_check(5)").fetchall()]
        except sqlite3.DatabaseError as exc:
            return explain(exc)
        if rows == ["ok"]:
            return None
        return "database is damaged (" + "; ".join(str(r) for r in rows)[:200] + ")"

    # -- full-text indexes (external content, kept in step by hand) ------------------------------
    def _fts_remove(self, table: str, ids: Iterable[int]) -> None:
        cols = FTS_COLUMNS[table]
        ids = list(ids)
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            marks = ",".join("?" * len(part))
            self.db.execute(
                f"INSERT INTO {table}_fts({table}_fts, rowid, {', '.join(cols)}) "
                f"SELECT 'delete', rowid, {', '.join(cols)} FROM {table} WHERE rowid IN ({marks})",
                part,
            )

    def fts_add(self, table: str, ids: Iterable[int]) -> None:
        cols = FTS_COLUMNS[table]
        ids = list(ids)
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            marks = ",".join("?" * len(part))
            self.db.execute(
                f"INSERT INTO {table}_fts(rowid, {', '.join(cols)}) "
                f"SELECT rowid, {', '.join(cols)} FROM {table} WHERE rowid IN ({marks})",
                part,
            )

    def drop_secondary_indexes(self, tables: Iterable[str]) -> list[str]:
        """For a bulk load inside a write transaction: drop the secondary indexes of ``tables`` and return their
        own stored definitions, to be run again (:meth:`restore_indexes`) before the transaction ends — sorting
        once is several times faster than growing B-trees row by row, the schema ends up identical, and no
        other connection ever sees it without them."""
        names = list(tables)
        rows = self.db.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
            f"({', '.join('?' * len(names))})", names).fetchall()
        for name, _ in rows:
            self.db.execute(f'DROP INDEX "{name}"')
        self._track_changes(False)  # no trigger per loaded row: everything counts as changed
        self.forget_derived()
        return [sql for _, sql in rows]

    def restore_indexes(self, definitions: Iterable[str]) -> None:
        for sql in definitions:
            self.db.execute(sql)
        self.forget_derived()
        self._track_changes(True)

    def rebuild_fts(self) -> None:
        for table in FTS_COLUMNS:
            self.db.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES('rebuild')")

    def begin_bulk_load(self, tables: Iterable[str]) -> "BulkLoad":
        """For a load that only inserts rows into ``tables``, inside a write transaction: what SQLite does for
        every row is done once for all of them at :meth:`finish_bulk_load`, with the same result.

        * The secondary indexes are dropped and built again at the end (:meth:`drop_secondary_indexes`).
        * The CHECK constraints of the tables are not evaluated row by row (``PRAGMA ignore_check_constraints``:
          an ``x IN (...)`` check costs about 10 µs a row); one query per table checks every loaded row against
          the same expressions at the end, and a row that fails raises ``sqlite3.IntegrityError`` as the insert
          would have (the transaction is then rolled back, which also turns the checks on again).
        * The persistent INSERT triggers that do not look at the row (the change counters, the timeline
          snapshot, the import digests: "when this table changes, note it once") are dropped and created again
          from their own SQL at the end, and each is fired once for a table that got rows: its action makes
          its own condition false, so a second firing would have done nothing (checked; a trigger that stays
          armed raises). NOT NULL, primary keys and foreign keys are enforced as always.
        """
        names = list(tables)
        marks = {t: self.db.execute(f'SELECT coalesce(max(rowid), 0) FROM "{t}"').fetchone()[0] for t in names}
        indexes = self.drop_secondary_indexes(names)
        triggers = self._drop_insert_triggers(names)
        self.db.conn.execute("PRAGMA ignore_check_constraints = ON")
        return BulkLoad(marks, indexes, triggers)

    def finish_bulk_load(self, load: "BulkLoad") -> None:
        self.db.conn.execute("PRAGMA ignore_check_constraints = OFF")
        grown = [t for t, mark in load.marks.items()
                 if self.db.execute(f'SELECT coalesce(max(rowid), 0) FROM "{t}"').fetchone()[0] != mark]
        for table in grown:
            self._check_rows(table, load.marks[table])
        for name, table, sql, condition, action in load.triggers:
            self.db.conn.execute(sql)
            if table in grown and self.db.execute(f"SELECT 1 WHERE {condition}").fetchone():
                self.db.execute(action)
                if self.db.execute(f"SELECT 1 WHERE {condition}").fetchone():
                    raise StoreError(f"trigger {name} stays armed after it fired: a bulk load cannot fire it once")
        self.restore_indexes(load.indexes)

    _ROW_FREE_TRIGGER = re.compile(r"CREATE TRIGGER\s+(\S+)\s+AFTER\s+INSERT\s+ON\s+(\S+)\s+WHEN\s+(.+?)\s+"
                                   r"BEGIN\s+([^;]+);\s*END\s*", re.I | re.S)

    def _drop_insert_triggers(self, tables: list[str]) -> list[tuple[str, str, str, str, str]]:
        """Drop the INSERT triggers of ``tables`` that fire one statement without looking at the row; return
        (name, table, sql, condition, action) of each."""
        dropped = []
        for name, table, sql in self.db.execute(
                f"SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                f"({', '.join('?' * len(tables))}) ORDER BY rowid", tables).fetchall():
            m = self._ROW_FREE_TRIGGER.fullmatch(sql)
            if m is None or re.search(r"\b(NEW|OLD)\s*\.", sql, re.I):
                continue
            self.db.execute(f'DROP TRIGGER "{name}"')
            dropped.append((name, table, sql, m.group(3), m.group(4)))
        return dropped

    def _check_rows(self, table: str, after_rowid: int) -> None:
        """The CHECK constraints of ``table`` on its rows after ``after_rowid``: the first failing one raises
        ``sqlite3.IntegrityError`` with SQLite's own message."""
        (sql,) = self.db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()
        checks = [f"CASE WHEN coalesce(({expr}), 1) THEN 1 ELSE 0 END" for expr in check_expressions(sql)]  # NULL passes
        if not checks:
            return
        row = self.db.execute(f'SELECT {", ".join(checks)} FROM "{table}" WHERE rowid > ? AND NOT ({" AND ".join(checks)}) '
                              "LIMIT 1", [after_rowid]).fetchone()
        if row is not None:
            expr = check_expressions(sql)[list(row).index(0)]
            raise sqlite3.IntegrityError(f"CHECK constraint failed: {expr}")

    # -- sectors ---------------------------------------------------------------------------------
    def sync_sectors(self, sectors: Iterable[Any]) -> None:
        """Make the ``sectors`` table match the taxonomy (objects with key, name, color)."""
        rows = [
            {"key": s.key, "name": s.name, "color": s.color, "position": i} for i, s in enumerate(sectors)
        ]
        with self.atomic():
            self.db["sectors"].upsert_all(rows, pk="key")

    # -- documents -------------------------------------------------------------------------------
    def document_by_path(self, path: str) -> dict | None:
        return self._one_row("SELECT * FROM documents WHERE path = ?", [path])

    def _one_row(self, sql: str, params: list) -> dict | None:
        """The first row of a read of one table, as a dictionary (a plain prepared statement: the writer reads an
        event or a document per candidate, and sqlite-utils' ``query`` wraps each read in a savepoint)."""
        cursor = self.db.conn.execute(sql, params)
        row = cursor.fetchone()
        return None if row is None else dict(zip((d[0] for d in cursor.description), row))

    def document(self, document_id: int) -> dict | None:
        rows = list(self.db.query("SELECT * FROM documents WHERE id = ?", [document_id]))
        return rows[0] if rows else None

    def upsert_document(self, row: dict) -> int:
        """Insert or replace the document row for ``row['path']``; return its id. Its old sources go."""
        row = dict(row, ingested_at=now_text())
        existing = self.document_by_path(row["path"])
        if existing is None:
            doc_id = self._insert_row("documents", row)
        else:
            doc_id = existing["id"]
            self.remove_document_extraction(doc_id)
            self._fts_remove("documents", [doc_id])
            self._update_row("documents", doc_id, row)
        self.fts_add("documents", [doc_id])
        return doc_id

    def remove_document_extraction(self, document_id: int) -> None:
        """Drop a document's sources; drop events left without any source unless a user decided on them."""
        affected = [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT event_id FROM event_sources WHERE document_id = ?", [document_id]
            ).fetchall()
        ]
        self.db.execute("DELETE FROM event_sources WHERE document_id = ?", [document_id])
        self.refresh_source_counts(affected)
        self.prune_events(affected)

    def prune_events(self, event_ids: Iterable[int]) -> None:
        ids = list(event_ids)
        if not ids:
            return
        marks = ",".join("?" * len(ids))
        doomed = [
            r[0]
            for r in self.db.execute(
                f"""SELECT id FROM events WHERE id IN ({marks}) AND status = 'extracted' AND locked = 0
                    AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = events.id)
                    AND NOT EXISTS (SELECT 1 FROM events m WHERE m.merged_into = events.id)""",
                ids,
            ).fetchall()
        ]
        self.delete_events(doomed)

    def delete_events(self, ids: list[int]) -> None:
        if not ids:
            return
        self._fts_remove("events", ids)
        marks = ",".join("?" * len(ids))
        self.db.execute(f"DELETE FROM events WHERE id IN ({marks})", ids)

    # -- entities --------------------------------------------------------------------------------
    def ensure_entity(self, name: str, type_: str, *, country: str | None = None, role: str | None = None,
                      known: bool = True, aliases: Iterable[str] = ()) -> int:
        names = frozenset(a for a in (name, *aliases) if a)
        # ingestion ensures the same few entities over and over: what this transaction (or an earlier one, while
        # no entity changed) already stored is not written again
        memo = self.derived_memo("ensured_entities")
        seen = memo.get(name)
        if seen is not None and (seen[1] or not known) and names <= seen[2]:
            return seen[0]
        row = self.db.execute("SELECT id, known FROM entities WHERE name = ?", [name]).fetchone()
        if row:
            entity_id = row[0]
            if known and not row[1]:
                self.db.execute(
                    "UPDATE entities SET type = ?, country = ?, role = ?, known = 1 WHERE id = ?",
                    [type_, country, role, entity_id],
                )
        else:
            entity_id = self._insert_row(
                "entities", {"name": name, "type": type_, "country": country, "role": role, "known": int(known)})
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
            [(entity_id, a) for a in sorted(names)],  # in one order, whatever the process's hash seed
        )
        memo[name] = (entity_id, bool(known or (row and row[1])), names | (seen[2] if seen else frozenset()))
        return entity_id

    def entity_id(self, name: str) -> int | None:
        row = self.db.execute(
            """SELECT id FROM entities WHERE name = ? COLLATE NOCASE
               UNION ALL SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE LIMIT 1""",
            [name, name],
        ).fetchone()
        return row[0] if row else None

    # -- events ----------------------------------------------------------------------------------
    def event(self, event_id: int) -> dict | None:
        return self._one_row("SELECT * FROM events WHERE id = ?", [event_id])

    def insert_event(self, row: dict, *, index: bool = True) -> int:
        """Store one event; ``index=False``: its full-text entry is left to the caller (:meth:`fts_add` for the
        events of a document at once), which must add it before anything else is written to the event."""
        now = now_text()
        row = {"created_at": now, "updated_at": now, **row}
        event_id = self._insert_row("events", row)
        if index:
            self.fts_add("events", [event_id])
        return event_id

    def _insert_row(self, table: str, row: dict) -> int:
        """One row through a plain prepared INSERT (sqlite-utils' ``insert`` reads the table's schema on every
        call: most of the writer's time per event). Columns are the code's own names, never input."""
        cols = ", ".join(f'"{c}"' for c in row)
        sql = f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" * len(row))})'
        return self.db.conn.execute(sql, list(row.values())).lastrowid

    def _update_row(self, table: str, row_id: int, changes: dict) -> None:
        sets = ", ".join(f'"{c}" = ?' for c in changes)
        self.db.conn.execute(f'UPDATE "{table}" SET {sets} WHERE id = ?', [*changes.values(), row_id])

    def update_event(self, event_id: int, changes: dict) -> None:
        touches_text = any(c in changes for c in FTS_COLUMNS["events"])
        if touches_text:
            self._fts_remove("events", [event_id])
        self._update_row("events", event_id, dict(changes, updated_at=now_text()))
        if touches_text:
            self.fts_add("events", [event_id])

    def link_sectors(self, event_id: int, keys: Iterable[str]) -> None:
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO event_sectors (event_id, sector_key) VALUES (?, ?)", [(event_id, k) for k in keys]
        )

    def link_entities(self, event_id: int, entity_ids: Iterable[int]) -> None:
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO event_entities (event_id, entity_id) VALUES (?, ?)",
            [(event_id, e) for e in entity_ids],
        )

    def link_actors(self, event_id: int, actors: Iterable[tuple[int, str, str | None]]) -> None:
        """Link (entity id, role, acting for) to the event; a role already stored is kept."""
        self.link_actor_rows((event_id, e, role, acting_for) for e, role, acting_for in actors)

    def link_actor_rows(self, rows: Iterable[tuple[int, int, str, str | None]]) -> None:
        """:meth:`link_actors` for many events: (event id, entity id, role, acting for), in one statement. A link
        that has its role and acting-for already is not written again (no update, so nothing is reported changed)."""
        self.db.conn.executemany(
            """INSERT INTO event_entities (event_id, entity_id, role, acting_for) VALUES (?, ?, ?, ?)
               ON CONFLICT (event_id, entity_id) DO UPDATE SET role = coalesce(event_entities.role, excluded.role),
                   acting_for = coalesce(event_entities.acting_for, excluded.acting_for)
               WHERE event_entities.role IS NULL AND excluded.role IS NOT NULL
                  OR event_entities.acting_for IS NULL AND excluded.acting_for IS NOT NULL""", rows)

    def add_source(self, event_id: int, document_id: int, source: dict, *, counted: bool = False) -> int:
        """Store one source of the event and count it in ``events.n_sources`` (``counted``: the event row was
        written with this source already counted, as a new event is, or the caller writes the count)."""
        row = dict(source, event_id=event_id, document_id=document_id)
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" * len(row))
        source_id = self.db.conn.execute(f"INSERT INTO event_sources ({cols}) VALUES ({marks})",
                                         list(row.values())).lastrowid
        if not counted:
            self.db.conn.execute("UPDATE events SET n_sources = n_sources + 1 WHERE id = ?", [event_id])
        return source_id

    def refresh_source_counts(self, event_ids: Iterable[int]) -> None:
        """Recount ``events.n_sources`` of these events (after sources were deleted or moved)."""
        ids = list(dict.fromkeys(int(i) for i in event_ids))
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            marks = ",".join("?" * len(part))
            self.db.execute(
                f"""UPDATE events SET n_sources = (SELECT count(*) FROM event_sources s WHERE s.event_id = events.id)
                    WHERE id IN ({marks})""",
                part,
            )

    def resolve_merged(self, event_id: int) -> int:
        """Follow user merges to the surviving event."""
        seen = set()
        while True:
            row = self.db.execute("SELECT merged_into FROM events WHERE id = ?", [event_id]).fetchone()
            if not row or row[0] is None or event_id in seen:
                return event_id
            seen.add(event_id)
            event_id = row[0]

    def log(self, event_id: int | None, action: str, payload: dict | None = None) -> None:
        self.db["curation_log"].insert(
            {"event_id": event_id, "action": action, "payload": json.dumps(payload or {}, ensure_ascii=False),
             "at": now_text()}
        )

    # -- counts ----------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        q = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "documents": q("SELECT count(*) FROM documents"),
            "events": q("SELECT count(*) FROM events WHERE status NOT IN ('merged')"),
            "entities": q("SELECT count(*) FROM entities"),
            "sources": q("SELECT count(*) FROM event_sources"),
        }


def _database_exists(path: Path) -> bool:
    """Whether the database file exists; StoreError for a path that cannot be one (a folder, a FIFO, a device,
    a socket, a dangling link): a FIFO would block the first read forever, a device never ends."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise StoreError(f"{path}: is a symbolic link to nothing; refusing to create a database through it") from None
        return False
    except OSError as exc:
        raise StoreError(f"{path}: cannot open database ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(f"{path}: is a folder, not a database file")
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(f"{path}: not a regular file ({describe_mode(st.st_mode)}); a database is a regular file")
    if st.st_nlink > 1:
        # SQLite finds the -wal and -shm files by name: two names of one file are two WALs, and a corrupt database
        raise StoreError(f"{path}: the file has {st.st_nlink} names (hard links); SQLite cannot keep a database "
                         "safe under several names: remove the other links (or copy the file)")
    return True


def _check_companions(path: Path) -> None:
    """The -wal, -shm and -journal files SQLite keeps next to the database must be regular files (a FIFO there
    would block SQLite's first read, a link would send its writes elsewhere)."""
    for suffix in SIDECARS:
        side = Path(f"{path}{suffix}")
        try:
            st = os.lstat(side)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise StoreError(f"{side}: cannot open ({exc.strerror or exc})") from None
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(f"{side}: is {describe_mode(st.st_mode)} where SQLite keeps the database's "
                             f"{suffix[1:]} file; refusing to open the database")


def _check_sqlite_header(path: Path) -> None:
    """Refuse a file that is not SQLite or is visibly truncated, from its first 100 bytes.

    This reads the file outside SQLite, so it must only run while this process holds no connection to it
    (closing the descriptor would drop their locks): :class:`Store` calls it under :data:`files.LIVE`'s lock
    when the registry holds no connection. A main file shorter than its header says is not called truncated
    when the -wal file holds pages: an interrupted checkpoint (a full disk) leaves exactly that, and SQLite
    reads it whole from both files; SQLite's own check refuses a database that really misses pages.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read database ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(f"{path}: not a regular file ({describe_mode(st.st_mode)}); a database is a regular file")
        header = os.read(fd, 100)
        size = st.st_size
    except OSError as exc:
        raise StoreError(f"{path}: cannot read database ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if not header:
        return  # an empty file is a new database
    if header[:16] != b"SQLite format 3\x00":
        raise StoreError(f"{path}: not an SQLite database")
    if len(header) < 100:
        raise StoreError(f"{path}: database is truncated ({size} bytes)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise StoreError(f"{path}: not a usable SQLite database (damaged header)")
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    if size % page_size or (counter_valid and pages and size < pages * page_size):
        if _wal_holds_pages(path, page_size):
            return
        raise StoreError(f"{path}: database is truncated ({size:,} bytes; expected {max(pages, 1) * page_size:,})")


def _wal_holds_pages(path: Path, page_size: int) -> bool:
    """Whether the -wal file holds at least one page (its 32-byte header, a 24-byte frame header, a page)."""
    try:
        return os.stat(f"{path}-wal").st_size >= 32 + 24 + page_size
    except OSError:
        return False


def _writable(path: Path) -> bool:
    """Whether SQLite can write ``path``: the file, and its folder or existing -wal/-shm files."""
    if not os.access(path, os.W_OK):
        return False
    if os.access(path.parent, os.W_OK):
        return True
    side = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    return all(p.exists() and os.access(p, os.W_OK) for p in side)


def explain(exc: sqlite3.Error) -> str:
    """One line for a SQLite error met while opening or writing."""
    text = str(exc)
    low = text.lower()
    if "readonly" in low or "read-only" in low:
        return "database is read-only (cannot write to it)"
    if "locked" in low or "busy" in low:
        return "database is locked by another program (try again when it is done)"
    if "disk is full" in low or "disk full" in low:
        return "database or disk is full"
    if "not a database" in low or "file is encrypted" in low:
        return "not a usable SQLite database (damaged or encrypted)"
    if "malformed" in low or "corrupt" in low:
        return f"database is damaged ({text}); restore it from a backup or delete it to rebuild it"
    if "unable to open" in low:
        return f"cannot open database ({text})"
    return f"not a usable Partnership Explorer database ({text})"


_SQL_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|/\*.*?(?:\*/|$)|\w+|\s+|.""",
                        re.S)


def check_expressions(table_sql: str) -> list[str]:
    """The expressions of the CHECK constraints in a ``CREATE TABLE`` statement, as written (string literals,
    quoted names and nested parentheses read as SQL reads them)."""
    out, i, n = [], 0, len(table_sql)
    while i < n:
        ch = table_sql[i]
        if ch in "'\"`[":
            close = "]" if ch == "[" else ch
            i = table_sql.find(close, i + 1) + 1 or n
            while i < n and close != "]" and table_sql[i] == close:  # a doubled quote inside the literal
                i = table_sql.find(close, i + 1) + 1 or n
            continue
        m = re.match(r"CHECK\s*\(", table_sql[i:], re.I)
        if m and (i == 0 or not (table_sql[i - 1].isalnum() or table_sql[i - 1] == "_")):
            start = j = i + m.end()
            depth = 1
            while j < n and depth:
                c = table_sql[j]
                if c in "'\"`":
                    j = table_sql.find(c, j + 1)
                    if j < 0:
                        j = n
                elif c == "(":
                    depth += 1
                elif c == ")":
                    depth -= 1
                j += 1
            out.append(table_sql[start:j - 1].strip())
            i = j
            continue
        i += 1
    return out


@functools.lru_cache(maxsize=2048)
def normalise_sql(sql: str) -> str:
    """SQL text compared token by token: case, spacing and comments ignored, every quoted identifier written
    one way ("name", lower case); string literals kept exactly. Remembered per text: every connection a process
    opens (the window opens several at start) compares the same schema."""
    out = []
    for tok in _SQL_TOKEN.findall(sql):
        if tok.isspace() or tok.startswith("--") or tok.startswith("/*"):
            continue
        first = tok[0]
        if first in "\"`[":
            inner = tok[1:-1]
            inner = inner.replace('""', '"') if first == '"' else inner.replace("``", "`") if first == "`" else inner
            out.append('"' + inner.lower().replace('"', '""') + '"')
        elif first == "'":
            out.append(tok)
        else:
            out.append(tok.lower())
    return " ".join(out)


def _quoted(values) -> str:
    values = [str(v) for v in values]
    text = ", ".join(f"'{v}'" for v in values[:3])
    return text + (f" and {len(values) - 3} more" if len(values) > 3 else "")


# SQLite's own tables that a database of ours may hold: planner statistics (ANALYZE) and AUTOINCREMENT counters.
_INTERNAL = {
    ("table", "sqlite_stat1"): normalise_sql("CREATE TABLE sqlite_stat1(tbl,idx,stat)"),
    ("table", "sqlite_stat4"): normalise_sql("CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)"),
    ("table", "sqlite_sequence"): normalise_sql("CREATE TABLE sqlite_sequence(name,seq)"),
}
_MIGRATIONS_COLUMNS = ("id", "migration_set", "name", "applied_at")


def _read_schema(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, str | None]]:
    """{(type, name): (table, normalised SQL)} of every object in the main schema, except the bookkeeping table
    of sqlite-utils migrations and its indexes (checked by :func:`_migrations_table_ok`: their SQL is
    sqlite-utils', and may be spelled differently by another version of it)."""
    out = {}
    for type_, name, tbl, sql in conn.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_master"):
        if tbl == migrations.migrations_table and type_ in ("table", "index"):
            if not _migrations_table_ok(conn, type_, name, sql):
                raise StoreError(f"its {type_} '{name}' is not the one sqlite-utils creates for migrations")
            out[("table", migrations.migrations_table)] = (tbl, None)
            continue
        out[(str(type_), str(name))] = (str(tbl), normalise_sql(sql) if isinstance(sql, str) else None)
    return out


def _migrations_table_ok(conn: sqlite3.Connection, type_: str, name: str, sql: str | None) -> bool:
    if type_ == "table":
        cols = conn.execute(f"PRAGMA main.table_xinfo(\"{migrations.migrations_table}\")").fetchall()
        return tuple(c[1] for c in cols) == _MIGRATIONS_COLUMNS and all(c[6] == 0 and c[4] is None for c in cols)
    if sql is None:
        return True  # a UNIQUE constraint's own index
    norm = normalise_sql(sql)
    cols = conn.execute(f"PRAGMA main.index_xinfo(\"{name.replace(chr(34), chr(34) * 2)}\")").fetchall()
    # plain indexes on its columns: no expression (cid -2), no partial index
    return " where " not in f" {norm} " and all(c[1] >= -1 for c in cols)


_SCHEMAS: dict[frozenset, dict] = {}


def _schema_of(applied) -> dict[tuple[str, str], tuple[str, str | None, str | None]]:
    """{(type, name): (table, normalised SQL, SQL)} of the schema that the named migrations of ours create, run in
    our order on an in-memory database (computed once per set of names and process). Any set of our migrations
    is a version this program may have written (a later release can add a migration between two others)."""
    key = frozenset(applied)
    schema = _SCHEMAS.get(key)
    if schema is None:
        mem = sqlite_utils.Database(memory=True, execute_plugins=False)
        try:
            migrations.ensure_migrations_table(mem)
            for m in migrations._migrations:
                if m.name in key:
                    # outside a transaction: sqlite-utils then hands each script to SQLite whole (inside one it
                    # splits it character by character, which made this a tenth of a second of every first open)
                    m.fn(mem)
            schema = {(t, n): (tbl, normalise_sql(sql) if sql else None, sql)
                      for t, n, tbl, sql in mem.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
                      if tbl != migrations.migrations_table}
        finally:
            mem.conn.close()
        _SCHEMAS[key] = schema
    schema = dict(schema)
    schema[("table", migrations.migrations_table)] = (migrations.migrations_table, None, None)
    return schema


def _set_defensive(conn: sqlite3.Connection, path: Path) -> bool:
    """SQLITE_DBCONFIG_DEFENSIVE through the C API where ``Connection.setconfig`` is missing (Python < 3.12).

    The ``sqlite3*`` handle is the first field after the object header of CPython's connection object; it is
    used only after ``sqlite3_db_filename`` on it gives back this connection's file, so a different layout
    makes this a no-op (False), never a crash.
    """
    import ctypes
    import platform
    import sys

    if sys.implementation.name != "cpython" or platform.machine().lower() not in ("x86_64", "amd64", "i686", "x86"):
        return False  # variadic calls through ctypes are only dependable on x86
    try:
        import _sqlite3

        lib = ctypes.CDLL(_sqlite3.__file__)
        handle = ctypes.c_void_p.from_address(id(conn) + object.__basicsize__).value
        if not handle:
            return False
        lib.sqlite3_db_filename.restype = ctypes.c_char_p
        lib.sqlite3_db_filename.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        name = lib.sqlite3_db_filename(handle, b"main")
        if name is None or os.path.realpath(os.fsdecode(name)) != os.path.realpath(path):
            return False
        on = ctypes.c_int(-1)
        lib.sqlite3_db_config.restype = ctypes.c_int
        rc = lib.sqlite3_db_config(ctypes.c_void_p(handle), ctypes.c_int(1010), ctypes.c_int(1), ctypes.byref(on))
        return rc == 0 and on.value == 1
    except Exception:  # noqa: BLE001 - no C API access: trusted_schema=OFF still applies
        return False
