"""The database file: WAL, foreign keys, migrations, refusing files it must not touch."""

import hashlib
import sqlite3

import pytest

from partnership_explorer.core.store import Store, StoreError


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_wal_with_foreign_keys_and_recorded_schema(db_path):
    with Store(db_path) as s:
        assert s.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        from partnership_explorer.core.store import migrations

        applied = [r[0] for r in s.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
        assert applied[0] == "m001_initial" and applied == [m.name for m in migrations._migrations]
        assert {"documents", "events", "event_sources", "entities", "entity_aliases", "event_entities",
                "event_sectors", "sectors", "curation_log", "events_fts", "documents_fts"} <= set(s.db.table_names())
    # a plain sqlite3 client can read it
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_reopening_applies_nothing_twice(db_path):
    Store(db_path).close()
    with Store(db_path) as s:
        from partnership_explorer.core.store import migrations

        assert s.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(migrations._migrations)


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        store.execute("INSERT INTO event_sources (event_id, document_id, sentence, start, \"end\") VALUES (99, 99, 'x', 0, 1)")


def test_full_text_index_follows_edits_and_deletes(store):
    eid = store.insert_event(dict(title="MoU on nuclear energy", summary="signed in 2011", kind="agreement",
                                  date="2011", precision="year", start="2011-01-01", end="2011-12-31"))
    hit = lambda q: [r[0] for r in store.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH ?", [q])]  # noqa: E731
    assert hit("nuclear") == [eid]
    store.update_event(eid, {"title": "Defence MoU"})
    assert hit("nuclear") == [] and hit("defence") == [eid]
    store.delete_events([eid])
    assert hit("defence") == []
    store.execute("INSERT INTO events_fts(events_fts) VALUES('integrity-check')")


def test_not_a_database_is_refused_and_untouched(tmp_path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is a shopping list, not a database\n" * 20)
    before = _digest(bogus)
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store(bogus)
    assert _digest(bogus) == before


def test_foreign_sqlite_database_is_refused_and_untouched(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = _digest(other)
    with pytest.raises(StoreError, match="not a Partnership Explorer database"):
        Store(other)
    assert _digest(other) == before


def test_database_from_a_newer_version_is_refused(db_path):
    with Store(db_path) as s:
        s.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES "
                  "('partnership_explorer', 'm999_future', '2030-01-01')")
        s.db.conn.commit()
    with pytest.raises(StoreError, match="newer version"):
        Store(db_path)


def test_untrusted_schema_cannot_run_functions_from_triggers(seed_copy):
    # someone plants a trigger that would write through a function call when events change
    conn = sqlite3.connect(seed_copy)
    conn.execute("CREATE TABLE loot (x)")
    conn.execute("CREATE TRIGGER planted AFTER UPDATE ON events BEGIN "
                 "INSERT INTO loot SELECT load_extension('evil'); END")
    conn.commit()
    conn.close()
    before = _digest(seed_copy)
    with pytest.raises(StoreError, match="contains a trigger 'planted' that Partnership Explorer did not create"):
        Store(seed_copy)
    assert _digest(seed_copy) == before
    conn = sqlite3.connect(seed_copy)
    assert conn.execute("SELECT count(*) FROM loot").fetchone()[0] == 0
    conn.close()


def test_the_file_works_with_the_sqlite_utils_command_line(seed_db):
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).with_name("sqlite-utils")
    r = subprocess.run([str(exe), "search", str(seed_db), "events", "MoU", "--csv"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "MoU" in r.stdout and len(r.stdout.splitlines()) > 2


def test_changes_outside_a_transaction_block_are_visible_to_other_connections(db_path):
    with Store(db_path) as writer:
        writer.insert_event(dict(title="Forum", summary="", kind="meeting", date="2025", precision="year",
                                 start="2025-01-01", end="2025-12-31"))
        writer.ensure_entity("Samsung", "company")
        reader = sqlite3.connect(db_path)
        assert reader.execute("SELECT count(*) FROM events").fetchone()[0] == 1
        assert reader.execute("SELECT count(*) FROM entities").fetchone()[0] == 1
        reader.close()


def test_two_connections_writing_at_once_wait_for_each_other(db_path):
    """A writer never fails with 'database is locked' because another connection wrote in between."""
    import threading

    from partnership_explorer.core.sectors import default_taxonomy

    Store(db_path).close()
    errors = []

    def writer(n):
        try:
            with Store(db_path) as s:
                for i in range(40):
                    with s.atomic():
                        s.execute("SELECT count(*) FROM events").fetchone()  # read first, then write
                        s.insert_event(dict(title=f"w{n}-{i}", summary="", kind="meeting", date="2025",
                                            precision="year", start="2025-01-01", end="2025-12-31"))
                    s.sync_sectors(default_taxonomy().sectors)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with Store(db_path) as s:
        assert s.execute("SELECT count(*) FROM events").fetchone()[0] == 120


def test_a_database_from_an_older_version_is_upgraded_or_explained(tmp_path):
    import sqlite_utils

    from partnership_explorer.core.store import migrations

    old = tmp_path / "old.db"
    db = sqlite_utils.Database(old)
    migrations.apply(db, stop_before=[m.name for m in migrations._migrations][1])  # only the first schema
    db.conn.close()
    with pytest.raises(StoreError, match="older version"):
        Store(old, readonly=True)
    with Store(old, readonly=None) as s:  # what reading commands use: upgraded in place, then read
        assert not migrations.pending(s.db)
        assert s.execute("SELECT count(*) FROM events WHERE n_sources = 0").fetchone()[0] == 0


def test_an_older_database_gains_week_precision_and_keeps_every_link(tmp_path):
    import sqlite_utils

    from partnership_explorer.core.store import migrations

    old = tmp_path / "old.db"
    db = sqlite_utils.Database(old)
    migrations.apply(db, stop_before="m010_week_precision")
    now = "2025-04-16T00:00:00+00:00"
    db.execute("""INSERT INTO documents (id, path, file_name, content_hash, text, ingested_at)
                  VALUES (1, '/a.txt', 'a.txt', 'h', 'The ministers met at the summit.', ?)""", [now])
    db.execute("INSERT INTO sectors (key, name, color, position) VALUES ('trade', 'Trade', '#000000', 0)")
    for i, merged in ((1, None), (2, 1)):
        db.execute("""INSERT INTO events (id, title, kind, date, precision, start, "end", status, merged_into,
                      created_at, updated_at, n_sources, cameo)
                      VALUES (?, ?, 'meeting', '2025-04', 'month', '2025-04-01', '2025-04-30', 'extracted', ?, ?, ?,
                      1, '040')""", [i, f"Summit talks {i}", merged, now, now])
        db.execute("INSERT INTO events_fts (rowid, title, summary) VALUES (?, ?, '')", [i, f"Summit talks {i}"])
        db.execute("""INSERT INTO event_sources (event_id, document_id, sentence, start, "end")
                      VALUES (?, 1, 'The ministers met at the summit.', 0, 32)""", [i])
        db.execute("INSERT INTO event_sectors (event_id, sector_key) VALUES (?, 'trade')", [i])
    db.execute("INSERT INTO entities (id, name, type) VALUES (1, 'Vietnam', 'country')")
    db.execute("INSERT INTO event_entities (event_id, entity_id, role) VALUES (1, 1, 'party')")
    db.conn.commit()
    before = {name: sql for name, sql in db.execute(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'events' AND type IN ('index', 'trigger')")}
    db.conn.close()

    with Store(old) as s:
        assert not migrations.pending(s.db)
        assert s.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        counts = [s.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("events", "event_sources", "event_sectors", "event_entities")]
        assert counts == [2, 2, 2, 1]
        assert s.execute("SELECT merged_into FROM events WHERE id = 2").fetchone()[0] == 1
        assert [r[0] for r in s.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH 'summit' ORDER BY rowid")] \
            == [1, 2]
        after = {name: sql for name, sql in s.execute(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'events' AND type IN ('index', 'trigger')")}
        # every index and trigger of the table, as it was (a later version gives the extraction key its kind and dates)
        assert {name: after.get(name) for name in before} == dict(
            before, idx_events_key='CREATE INDEX idx_events_key ON events(extraction_key, kind, start, "end") '
                                   "WHERE origin = 'extraction'")
        assert sorted(after.keys() - before.keys()) == sorted(  # and those later versions add
            [f"change_counter_events_{op}" for op in ("delete", "insert", "update")]
            + [f"import_files_events_{op}" for op in ("delete", "update")] + ["idx_events_medium", "idx_events_short"])
        s.execute("""UPDATE events SET precision = 'week', date = '2025-W16', start = '2025-04-14', "end" = '2025-04-20'
                     WHERE id = 1""")
        with pytest.raises(sqlite3.IntegrityError):
            s.execute("UPDATE events SET precision = 'fortnight' WHERE id = 1")
        with pytest.raises(sqlite3.IntegrityError):
            s.execute("UPDATE events SET status = 'lost' WHERE id = 1")
        with pytest.raises(sqlite3.IntegrityError):  # the links still point at the rebuilt table
            s.execute("INSERT INTO event_sectors (event_id, sector_key) VALUES (99, 'trade')")
        s.execute("DELETE FROM events WHERE id = 1")  # and still cascade from it
        assert s.execute("SELECT count(*) FROM event_sources").fetchone()[0] == 1
        assert s.execute("SELECT merged_into FROM events WHERE id = 2").fetchone()[0] is None
        s.execute("""UPDATE events SET precision = 'week', date = '2025-W16', start = '2025-04-14', "end" = '2025-04-20'
                     WHERE id = 2""")
    with Store(old, readonly=True) as s:  # the upgraded schema is the one this program checks for
        assert s.execute("SELECT precision FROM events WHERE id = 2").fetchone()[0] == "week"
