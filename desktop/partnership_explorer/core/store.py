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

User decisions live in ``events.status`` / ``events.locked`` / ``events.merged_into`` and the curation log.
Extraction only ever adds sources to a locked, rejected or merged event; it never rewrites or resurrects it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils import Migrations

SCHEMA_VERSION = 1
STATUSES = ("extracted", "confirmed", "edited", "rejected", "manual", "imported", "merged")

migrations = Migrations("partnership_explorer")
FTS_COLUMNS = {"events": ("title", "summary"), "documents": ("title", "text")}


class StoreError(Exception):
    """A database problem explained in one line for the user."""


def _now() -> str:
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


def _known_migration_names() -> set[str]:
    return {m.name for m in migrations._migrations}


class Store:
    """An open event database. Use as a context manager or call :meth:`close`."""

    def __init__(self, path: str | Path, *, create: bool = True, readonly: bool | None = False):
        """Open (or create) the database at ``path``.

        ``readonly=True`` opens the file read-only (``mode=ro``); ``readonly=None`` opens it read-write when the
        file can be written and read-only otherwise (for commands that only read). Any problem with the file
        (not SQLite, truncated, damaged, not ours, from a newer version, planted triggers or views, read-only,
        locked, disk full) raises :class:`StoreError` with one line, before anything is written to it.
        """
        self.path = Path(path)
        auto = readonly is None
        exists = self.path.exists()
        if not create and not exists:
            raise StoreError(f"{self.path}: no such database")
        if exists and self.path.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a database file")
        if exists:
            _check_sqlite_header(self.path)
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
        try:
            self._open_connection(readonly)
        except StoreError:
            # a file that turned out not to be writable (read-only file system, read-only -wal/-shm files):
            # a reading command still gets a read-only store
            if auto and not readonly and exists and getattr(self, "_auto_readonly", False):
                self._open_connection(True)
            else:
                raise

    def _open_connection(self, readonly: bool, immutable: bool = False) -> None:
        try:
            if readonly:
                uri = "file:" + urllib.parse.quote(str(self.path.resolve())) + "?mode=ro"
                if immutable:
                    uri += "&immutable=1"
                conn = sqlite3.connect(uri, uri=True, timeout=10)
            else:
                conn = sqlite3.connect(str(self.path), timeout=10)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open database ({exc})") from None
        # Autocommit: a statement outside ``atomic()`` is its own transaction, so nothing is ever left pending
        # (and other connections, such as the window's worker threads, see every change at once).
        conn.isolation_level = None
        self.readonly = readonly
        self.db = sqlite_utils.Database(conn)
        try:
            self._configure()
            if not readonly:
                self._migrate()
            else:
                self._check_version()
                if self.db[migrations.migrations_table].exists() and migrations.pending(self.db):
                    raise StoreError(
                        f"{self.path}: made by an older version of Partnership Explorer and opened read-only; "
                        "open it once with write access to upgrade it"
                    )
        except sqlite3.DatabaseError as exc:
            conn.close()
            # A WAL database in a folder we cannot write, without its -shm file: SQLite cannot set up shared
            # memory to read it. With no -wal file there is nothing outside the main file, so it is read as is.
            if readonly and not immutable and "readonly" in str(exc).lower() and not Path(f"{self.path}-wal").exists():
                return self._open_connection(True, immutable=True)
            raise StoreError(f"{self.path}: {_explain(exc)}") from None
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

    def _check_version(self) -> None:
        # Objects that can run code when the file is read or written: only ours are accepted. A trigger or
        # view someone planted is refused before anything reads through it or writes next to it.
        own = _own_schema_objects()
        for type_, name in self.db.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY type, name"
        ).fetchall():
            if (type_, name) not in own:
                raise StoreError(
                    f"{self.path}: contains a {type_} '{name}' that Partnership Explorer did not create; "
                    "refusing to open"
                )
        table = self.db[migrations.migrations_table]
        if not table.exists():
            if self.db.table_names():
                raise StoreError(f"{self.path}: not a Partnership Explorer database")
            return
        applied = {m.name for m in migrations.applied(self.db)}
        unknown = applied - _known_migration_names()
        if unknown:
            raise StoreError(
                f"{self.path}: made by a newer version of Partnership Explorer (schema {', '.join(sorted(unknown))}); "
                "please upgrade the program"
            )

    def _migrate(self) -> None:
        # Everything that could refuse the file is checked before the first write (even the WAL switch).
        tables = set(self.db.table_names())
        if tables and migrations.migrations_table not in tables:
            raise StoreError(f"{self.path}: not a Partnership Explorer database (it has other tables)")
        self._check_version()
        try:
            mode = self.db.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"{self.path}: cannot switch the database to WAL mode")
            self.db.conn.execute("PRAGMA synchronous = NORMAL")
            if migrations.pending(self.db):
                # one writer at a time: two windows opening a new file at once must not both create it
                with self.atomic():
                    migrations.apply(self.db)
            # written only when it differs: opening a database must not write to it (nor wait for a writer)
            if self.db.conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                self.db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.OperationalError as exc:
            message = _explain(exc)
            if "read-only" in message:
                self._auto_readonly = True
            raise StoreError(f"{self.path}: {message}") from None

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def atomic(self):
        """All-or-nothing block; nested blocks become savepoints.

        The outermost block starts with ``BEGIN IMMEDIATE``: it takes the write lock first (waiting up to the
        busy timeout for another writer) instead of reading first and then failing at once with "database is
        locked" when another connection has written in between, as a deferred transaction does in WAL mode.
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self.db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.db.conn.execute("COMMIT")
            except BaseException:
                if self.db.conn.in_transaction:
                    self.db.conn.execute("ROLLBACK")
                raise

    def execute(self, sql: str, params: Iterable[Any] | dict = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)

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
            return _explain(exc)
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

    def _fts_add(self, table: str, ids: Iterable[int]) -> None:
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

    def rebuild_fts(self) -> None:
        for table in FTS_COLUMNS:
            self.db.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES('rebuild')")

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
        rows = list(self.db.query("SELECT * FROM documents WHERE path = ?", [path]))
        return rows[0] if rows else None

    def document(self, document_id: int) -> dict | None:
        rows = list(self.db.query("SELECT * FROM documents WHERE id = ?", [document_id]))
        return rows[0] if rows else None

    def upsert_document(self, row: dict) -> int:
        """Insert or replace the document row for ``row['path']``; return its id. Its old sources go."""
        row = dict(row, ingested_at=_now())
        existing = self.document_by_path(row["path"])
        if existing is None:
            doc_id = self.db["documents"].insert(row).last_pk
        else:
            doc_id = existing["id"]
            self.remove_document_extraction(doc_id)
            self._fts_remove("documents", [doc_id])
            self.db["documents"].update(doc_id, row)
        self._fts_add("documents", [doc_id])
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
        row = self.db.execute("SELECT id, known FROM entities WHERE name = ?", [name]).fetchone()
        if row:
            entity_id = row[0]
            if known and not row[1]:
                self.db.execute(
                    "UPDATE entities SET type = ?, country = ?, role = ?, known = 1 WHERE id = ?",
                    [type_, country, role, entity_id],
                )
        else:
            entity_id = self.db["entities"].insert(
                {"name": name, "type": type_, "country": country, "role": role, "known": int(known)}
            ).last_pk
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
            [(entity_id, a) for a in {name, *aliases} if a],
        )
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
        rows = list(self.db.query("SELECT * FROM events WHERE id = ?", [event_id]))
        return rows[0] if rows else None

    def insert_event(self, row: dict) -> int:
        now = _now()
        row = {"created_at": now, "updated_at": now, **row}
        event_id = self.db["events"].insert(row).last_pk
        self._fts_add("events", [event_id])
        return event_id

    def update_event(self, event_id: int, changes: dict) -> None:
        touches_text = any(c in changes for c in FTS_COLUMNS["events"])
        if touches_text:
            self._fts_remove("events", [event_id])
        self.db["events"].update(event_id, dict(changes, updated_at=_now()))
        if touches_text:
            self._fts_add("events", [event_id])

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
        self.db.conn.executemany(
            """INSERT INTO event_entities (event_id, entity_id, role, acting_for) VALUES (?, ?, ?, ?)
               ON CONFLICT (event_id, entity_id) DO UPDATE SET role = coalesce(event_entities.role, excluded.role),
                   acting_for = coalesce(event_entities.acting_for, excluded.acting_for)""",
            [(event_id, e, role, acting_for) for e, role, acting_for in actors],
        )

    def add_source(self, event_id: int, document_id: int, source: dict) -> int:
        row = dict(source, event_id=event_id, document_id=document_id)
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" * len(row))
        source_id = self.db.execute(f"INSERT INTO event_sources ({cols}) VALUES ({marks})",
                                    list(row.values())).lastrowid
        self.db.execute("UPDATE events SET n_sources = n_sources + 1 WHERE id = ?", [event_id])
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
             "at": _now()}
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


def _check_sqlite_header(path: Path) -> None:
    """Refuse, without opening it with SQLite, a file that is not SQLite or is visibly truncated."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
            size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        raise StoreError(f"{path}: cannot read database ({exc.strerror})") from None
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
        raise StoreError(f"{path}: database is truncated ({size:,} bytes; expected {max(pages, 1) * page_size:,})")


def _writable(path: Path) -> bool:
    """Whether SQLite can write ``path``: the file, and its folder or existing -wal/-shm files."""
    if not os.access(path, os.W_OK):
        return False
    if os.access(path.parent, os.W_OK):
        return True
    side = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    return all(p.exists() and os.access(p, os.W_OK) for p in side)


def _explain(exc: sqlite3.Error) -> str:
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


_OWN_OBJECTS: set[tuple[str, str]] | None = None


def _own_schema_objects() -> set[tuple[str, str]]:
    """(type, name) of the triggers and views our migrations create, from an in-memory copy."""
    global _OWN_OBJECTS
    if _OWN_OBJECTS is None:
        mem = sqlite_utils.Database(memory=True)
        try:
            migrations.apply(mem)
            _OWN_OBJECTS = {
                (r[0], r[1]) for r in mem.execute("SELECT type, name FROM sqlite_master WHERE type IN ('trigger','view')")
            }
        finally:
            mem.conn.close()
    return _OWN_OBJECTS


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
