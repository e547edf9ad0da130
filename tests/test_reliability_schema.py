"""Databases whose schema was tampered with, or that belong to another program: refused before anything is written
or run; reading commands never write; what an interrupted job left missing is repaired, and said.

The rule under test: every object of the schema (tables, indexes, triggers, views, full-text tables), whatever its
name, must be exactly what the migrations recorded in the file create. So each test alters objects generally: every
object we create in turn, objects planted under any name, another program's migrations.
"""

import hashlib
import os
import shutil
import sqlite3

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badfiles.harness import checkpoint, cli, cli_all, one_line
from partnership_explorer.core.store import Store, StoreError, _migration_names, _schema_of, migrations, normalise_sql


def _state(db) -> str:
    """Everything that writing would change: the main file and the WAL's content."""
    h = hashlib.sha256(open(db, "rb").read())
    wal = f"{db}-wal"
    if os.path.exists(wal):
        h.update(open(wal, "rb").read())
    return h.hexdigest()


def _refused_in_process(db, *fragments):
    before = _state(db)
    for readonly in (True, False):
        with pytest.raises(StoreError) as err:
            Store(db, readonly=readonly)
        message = str(err.value)
        assert "\n" not in message and all(f in message for f in fragments), message
    assert _state(db) == before
    return message


def _refused_by_commands(db, tmp_path, *fragments):
    article = tmp_path / "one.txt"
    article.write_text("On 3 March 2021, Samsung opened a research centre in Hanoi.\n", encoding="utf-8")
    before = _state(db)
    commands = (["events"], ["ingest", article], ["check"])
    for args, r in zip(commands, cli_all(*commands, db=db)):   # all at once: none may change the file
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        one_line(r, *fragments)
    assert _state(db) == before


def _own_objects():
    """(type, name) of every object our full schema has, except SQLite's automatic indexes."""
    schema = _schema_of(_migration_names())
    return sorted(k for k, (tbl, sql, raw) in schema.items() if raw is not None)


def _tamper(conn, type_, name, sql):
    """A different object of the same name and type (valid SQL, so SQLite itself would accept it)."""
    if type_ == "trigger":
        conn.execute(f'DROP TRIGGER "{name}"')
        conn.execute(f'CREATE TRIGGER "{name}" AFTER INSERT ON documents BEGIN DELETE FROM event_sources; END')
    elif type_ == "index":
        table = conn.execute("SELECT tbl_name FROM sqlite_master WHERE name = ?", [name]).fetchone()[0]
        column = conn.execute(f'PRAGMA table_info("{table}")').fetchall()[-1][1]
        conn.execute(f'DROP INDEX "{name}"')
        conn.execute(f'CREATE INDEX "{name}" ON "{table}"("{column}") WHERE "{column}" IS NOT NULL')
    elif sql.upper().startswith("CREATE VIRTUAL TABLE") or name.endswith(("_data", "_idx", "_docsize", "_config")):
        # full-text tables cannot be altered with SQL: rewrite their stored definition, as a hostile file would
        conn.execute("PRAGMA writable_schema = ON")
        changed = sql.replace("remove_diacritics 2", "remove_diacritics 0") if "remove_diacritics" in sql else \
            sql.replace("(", "(pe_extra, ", 1)
        assert changed != sql
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", [changed, name])
        conn.execute("PRAGMA writable_schema = OFF")
    else:
        conn.execute(f'ALTER TABLE "{name}" ADD COLUMN pe_extra TEXT GENERATED ALWAYS AS (upper(1)) VIRTUAL')


@pytest.mark.parametrize("obj", _own_objects(), ids=lambda o: f"{o[0]}-{o[1]}")
def test_every_object_of_ours_changed_in_any_way_is_refused(seed_copy, obj):
    type_, name = obj
    conn = sqlite3.connect(seed_copy)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = ? AND name = ?", [type_, name]).fetchone()[0]
    _tamper(conn, type_, name, sql)
    conn.commit()
    conn.close()
    checkpoint(seed_copy)
    _refused_in_process(seed_copy, f"'{name}'", "refusing to open")


def test_own_trigger_name_with_another_body_never_runs(seed_copy, tmp_path):
    """The trigger that deleted 36 source rows on the next import: refused, and the rows stay."""
    conn = sqlite3.connect(seed_copy)
    sources = conn.execute("SELECT count(*) FROM event_sources").fetchone()[0]
    conn.execute("DROP TRIGGER timeline_snapshot_event_insert")
    conn.execute("CREATE TRIGGER timeline_snapshot_event_insert AFTER INSERT ON events BEGIN "
                 "DELETE FROM event_sources; END")
    conn.commit()
    conn.close()
    checkpoint(seed_copy)
    _refused_by_commands(seed_copy, tmp_path, "trigger 'timeline_snapshot_event_insert'", "refusing to open")
    csv_file = tmp_path / "e.csv"
    csv_file.write_text("date,title\n2020-01-02,Planted test\n")
    r = cli("import", csv_file, db=seed_copy)
    assert r.returncode == 2
    assert sqlite3.connect(seed_copy).execute("SELECT count(*) FROM event_sources").fetchone()[0] == sources


_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=12).map(lambda s: "x" + s)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["trigger", "view", "table", "index", "generated column"]), name=_names)
def test_planted_objects_of_any_name_are_refused(seed_db, tmp_path, kind, name):
    db = tmp_path / f"planted-{kind.replace(' ', '_')}-{name}.db"
    shutil.copy(seed_db, db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    statement = {
        "trigger": f'CREATE TRIGGER "{name}" AFTER UPDATE ON events BEGIN DELETE FROM curation_log; END',
        "view": f'CREATE VIEW "{name}" AS SELECT title FROM events',
        "table": f'CREATE TABLE "{name}" (x)',
        "index": f'CREATE INDEX "{name}" ON events(title)',
        # one paragraph made 700 MB: a generated column we did not create is refused before anything reads it
        "generated column": f"ALTER TABLE documents ADD COLUMN \"{name}\" TEXT "
                            "GENERATED ALWAYS AS (printf('%.*c', 100000000, 'x')) VIRTUAL",
    }[kind]
    conn.execute(statement)
    conn.commit()
    conn.close()
    checkpoint(db)
    _refused_in_process(db, "refusing to open")


def _foreign_sqlite_utils_db(path, with_tables=True):
    db = sqlite_utils.Database(path)
    other = sqlite_utils.Migrations("another_program")

    @other()
    def m001_start(d):
        if with_tables:
            d["customers"].insert({"id": 1, "name": "Ada"}, pk="id")
            d["orders"].insert({"id": 1, "customer": 1}, pk="id")

    other.apply(db)
    db.conn.close()


@pytest.mark.parametrize("with_tables", [True, False], ids=["with its tables", "only its migrations"])
def test_another_programs_sqlite_utils_database_is_refused_and_left_alone(tmp_path, with_tables):
    db = tmp_path / "other.db"
    _foreign_sqlite_utils_db(db, with_tables)
    tables = sorted(r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master"))
    mode = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    _refused_by_commands(db, tmp_path, "not a Partnership Explorer database")
    for r in cli_all(["sectors"], ["entities"], ["dump", "--format", "csv", "--out", "-"], db=db):
        assert r.returncode == 2, r.stderr
        one_line(r, "not a Partnership Explorer database")
    conn = sqlite3.connect(db)
    assert sorted(r[0] for r in conn.execute("SELECT name FROM sqlite_master")) == tables
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == mode == "delete"


@pytest.mark.parametrize("pragma, fragment", [
    ("user_version = 99", "newer version"),
    ("user_version = 2", "newer version"),
    ("user_version = -1", "not a Partnership Explorer database"),
    ("application_id = 1196444237", "another application"),
])
def test_version_marks_we_never_write_are_refused(seed_copy, tmp_path, pragma, fragment):
    conn = sqlite3.connect(seed_copy)
    conn.execute(f"PRAGMA {pragma}")
    conn.commit()
    conn.close()
    checkpoint(seed_copy)
    _refused_by_commands(seed_copy, tmp_path, fragment)
    assert sqlite3.connect(seed_copy).execute(f"PRAGMA {pragma.split()[0]}").fetchone()[0] == int(pragma.split()[-1])


READS = [("events",), ("events", "--format", "csv"), ("events", "--format", "json", "--query", "MoU"),
         ("sectors",), ("entities", "--format", "json"), ("dump", "--format", "timelinejs", "--out", "{out}.json"),
         ("dump", "--format", "csv", "--out", "-"), ("export", "--out", "{out}.png")]


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a[:3]))
def test_reading_commands_never_write(seed_copy, tmp_path, args):
    before = _state(seed_copy)
    r = cli(*[a.format(out=tmp_path / "out") for a in args], db=seed_copy)
    assert r.returncode == 0, r.stderr
    assert _state(seed_copy) == before


def test_an_older_schema_is_read_after_check_upgrades_it(tmp_path):
    old = tmp_path / "old.db"
    db = sqlite_utils.Database(old)
    migrations.apply(db, stop_before=_migration_names()[1])  # the first schema only
    db.conn.close()
    before = _state(old)
    r = cli("events", db=old)
    assert r.returncode == 2 and _state(old) == before
    one_line(r, "older version", "partnership-explorer check")
    r = cli("check", db=old)
    assert r.returncode == 0, r.stderr
    assert "brought up to date" in r.stderr and ": ok (0 documents, 0 events)" in r.stdout
    assert cli("events", db=old).returncode == 0


def test_missing_indexes_and_full_text_rows_are_repaired_and_said(seed_copy, tmp_path):
    """What an interrupted bulk job of an older version left: indexes dropped, new rows missing from the
    full-text index, WAL switched off. Reading says so; the next writing command repairs it, and says so."""
    conn = sqlite3.connect(seed_copy)
    dropped = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = 'events'")]
    for name in dropped:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute("INSERT INTO events (title, kind, date, precision, start, \"end\", created_at, updated_at) "
                 "VALUES ('Zanzibar hydrogen accord', 'agreement', '2024', 'year', '2024-01-01', '2024-12-31', 'x', 'x')")
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = _state(seed_copy)
    r = cli("events", "--query", "Zanzibar", db=seed_copy)
    assert r.returncode == 0, r.stderr
    assert f"{len(dropped)} of its indexes were missing" in r.stderr and "missing rows" in r.stderr
    assert _state(seed_copy) == before  # a reading command only says it
    r = cli("check", db=seed_copy)
    assert r.returncode == 0, r.stderr
    assert "repaired" in r.stderr and "switched back to WAL" in r.stderr, r.stderr
    with Store(seed_copy, readonly=True) as s:
        assert not s.notes
        names = {r[0] for r in s.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert set(dropped) <= names
        assert s.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    r = cli("events", "--query", "Zanzibar", "--format", "json", db=seed_copy)
    assert r.returncode == 0 and "Zanzibar hydrogen accord" in r.stdout and not r.stderr


@pytest.mark.parametrize("a, b", [
    ('CREATE VIRTUAL TABLE "events_fts" USING FTS5 ("title")', "create virtual table [events_fts] using fts5 ([title])"),
    ("CREATE INDEX i ON t(a,  b)", "create  index i\n on t ( a , b ) -- a comment"),
    ('CREATE TABLE "x" (`y` TEXT)', "CREATE TABLE [x] ([y] text)"),
])
def test_sql_spelled_differently_is_the_same_object(a, b):
    assert normalise_sql(a) == normalise_sql(b)


@pytest.mark.parametrize("a, b", [
    ("CREATE TABLE t (a TEXT DEFAULT 'x')", "CREATE TABLE t (a TEXT DEFAULT 'X')"),
    ("CREATE INDEX i ON t(a, b)", "CREATE INDEX i ON t(b, a)"),
    ("CREATE TRIGGER g AFTER INSERT ON t BEGIN DELETE FROM u; END",
     "CREATE TRIGGER g AFTER INSERT ON t BEGIN DELETE FROM v; END"),
    ('CREATE TABLE t ("end" TEXT)', "CREATE TABLE t (end TEXT)"),
])
def test_sql_that_differs_is_another_object(a, b):
    assert normalise_sql(a) != normalise_sql(b)
