"""A bulk load writes the database that row-by-row writing writes: `synth` and CSV import of 10,000 events, once
through the bulk path (indexes built after the load, CHECK constraints checked by one query per table, the
row-free triggers fired once) and once row by row (every index, check and trigger as each row goes in), give the
same schema, the same rows in every table (change counters and the saved timeline included), the same full-text
answers, and a sound file."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from partnership_explorer.core import interchange, synth
from partnership_explorer.core import timeline as tl
from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.store import Store, check_expressions

N = 10_000
CLOCK_COLUMNS = {"ingested_at", "created_at", "updated_at", "at", "applied_at", "imported_at"}


def _everything(db: Path) -> dict:
    """Schema, every row of every table (full-text shadow tables too), full-text answers, integrity."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        schema = sorted(con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(), key=repr)
        state = {}
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                                    "'%VIRTUAL TABLE%' AND name NOT IN ('_sqlite_migrations') ORDER BY name"):
            columns = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")') if r[1] not in CLOCK_COLUMNS]
            quoted = ", ".join(f'"{c}"' for c in columns)
            state[table] = sorted(con.execute(f'SELECT {quoted} FROM "{table}"').fetchall(), key=repr)
        words = sorted({w.strip(".,:").casefold() for (t,) in con.execute("SELECT title FROM events") for w in t.split()
                        if w.strip(".,:").isalpha()})
        hits = {}
        for table, column in (("events_fts", "title"), ("events_fts", "summary"), ("documents_fts", "text")):
            for w in words[:: max(1, len(words) // 60)]:
                hits[table, column, w] = [r[0] for r in con.execute(
                    f"SELECT rowid FROM {table} WHERE {column} MATCH ? ORDER BY rowid", [f'"{w}"'])]
        check = con.execute("PRAGMA integrity_check").fetchall()
        fks = con.execute("PRAGMA foreign_key_check").fetchall()
        return {"schema": schema, "rows": state, "hits": hits, "check": check, "fks": fks}
    finally:
        con.close()


def _fts_sound(db: Path) -> None:
    with Store(db) as store:
        for table in ("events_fts", "documents_fts"):
            store.execute(f"INSERT INTO {table}({table}) VALUES('integrity-check')")


@pytest.fixture(scope="module")
def synth_pair(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("synth-identity")
    mp = pytest.MonkeyPatch()
    try:
        mp.setattr(tl, "SNAPSHOT_MIN_ROWS", 1000)  # both keep the timeline snapshot, which is compared too
        out = []
        for name, threshold in (("rowwise.db", 10**9), ("bulk.db", 1)):
            mp.setattr(synth, "BULK_MIN_EVENTS", threshold)
            with Store(tmp / name) as store:
                synth.synthesize(store, N, seed=11)
            out.append(tmp / name)
    finally:
        mp.undo()
    return out[0], out[1]


def test_synth_in_bulk_writes_the_database_row_by_row_writing_writes(synth_pair):
    rowwise, bulk = synth_pair
    a, b = _everything(rowwise), _everything(bulk)
    assert b["check"] == [("ok",)] and b["fks"] == []
    assert len(b["rows"]["events"]) == N and any(b["hits"].values())
    assert [r for r in b["rows"]["timeline_snapshot"]] and b["rows"]["change_counters"]
    for key in ("schema", "hits"):
        assert a[key] == b[key], key
    for table in a["rows"]:
        assert a["rows"][table] == b["rows"][table], table
    _fts_sound(bulk)


def test_csv_import_in_bulk_writes_the_database_row_by_row_writing_writes(synth_pair, tmp_path, monkeypatch):
    src = synth_pair[0]
    csv_path = tmp_path / "events.csv"
    with Store(src) as store:
        interchange.dump_events(store, EventFilter(), "csv", csv_path)
    monkeypatch.setattr(tl, "SNAPSHOT_MIN_ROWS", 1000)
    reports = []
    for name, threshold in (("rowwise.db", 10**9), ("bulk.db", 1)):
        monkeypatch.setattr(interchange, "BULK_INDEX_REBUILD", threshold)
        with Store(tmp_path / name) as store:
            reports.append(interchange.import_events(store, csv_path))
    assert (reports[0].new, reports[0].unchanged, reports[0].event_ids) == \
        (reports[1].new, reports[1].unchanged, reports[1].event_ids)
    assert reports[1].new > N * 0.95
    a, b = _everything(tmp_path / "rowwise.db"), _everything(tmp_path / "bulk.db")
    assert b["check"] == [("ok",)] and b["fks"] == []
    for key in ("schema", "hits"):
        assert a[key] == b[key], key
    for table in a["rows"]:
        # a row-by-row import of this size keeps no timeline snapshot (the bulk one saves it), and adds the
        # full-text rows in batches of 500 (other segments, same answers: compared above)
        if table == "timeline_snapshot" or "_fts_" in table:
            continue
        assert a["rows"][table] == b["rows"][table], table
    _fts_sound(tmp_path / "bulk.db")


def test_a_row_that_fails_a_check_stops_the_bulk_load_and_changes_nothing(tmp_path):
    """The checks skipped row by row are made on every loaded row before the commit: a bad row raises SQLite's
    own error, the transaction is rolled back, and the database is as before (indexes, triggers, checks on)."""
    db = tmp_path / "a.db"
    with Store(db) as store:
        synth.synthesize(store, 300, seed=1)
        before = _everything(db)
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed: precision IN"):
            with store.atomic():
                load = store.begin_bulk_load(["events"])
                store.execute("""INSERT INTO events (title, kind, date, precision, start, "end", created_at, updated_at)
                                 VALUES ('x', 'meeting', '2020', 'decade', '2020-01-01', '2020-12-31', 'now', 'now')""")
                store.finish_bulk_load(load)
        # checks are on again for what follows
        with pytest.raises(sqlite3.IntegrityError):
            store.execute("""INSERT INTO events (title, kind, date, precision, start, "end", created_at, updated_at)
                             VALUES ('x', 'meeting', '2020', 'decade', '2020-01-01', '2020-12-31', 'now', 'now')""")
    assert _everything(db) == before


def test_a_bulk_load_raises_the_change_counters_a_reader_watches(tmp_path):
    """A reader that keeps a result sees a bulk load as a change of every table it filled, as row by row."""
    db = tmp_path / "a.db"
    with Store(db) as store:
        synth.synthesize(store, 300, seed=1)
        store.execute("UPDATE change_counters SET watched = 1")
        before = dict(store.execute("SELECT name, version FROM change_counters"))
        with store.atomic():
            load = store.begin_bulk_load(["event_sectors", "documents"])
            event_id = store.execute("SELECT min(id) FROM events WHERE id NOT IN "
                                     "(SELECT event_id FROM event_sectors WHERE sector_key = 'ai')").fetchone()[0]
            store.execute("INSERT INTO event_sectors (event_id, sector_key) VALUES (?, 'ai')", [event_id])
            store.finish_bulk_load(load)
        after = dict(store.execute("SELECT name, version FROM change_counters"))
        watched = dict(store.execute("SELECT name, watched FROM change_counters"))
    assert after["event_sectors"] == before["event_sectors"] + 1 and watched["event_sectors"] == 0
    assert after["documents"] == before["documents"] and watched["documents"] == 1  # no row: no change


def test_check_expressions_read_the_table_definition_as_sql_does():
    sql = """CREATE TABLE t (a TEXT CHECK (a IN ('x)', 'it''s')), "check(" INTEGER, b INT CHECK(b > (1 + 2)),
             c TEXT, CHECK (c <= "check("))"""
    assert check_expressions(sql) == ["a IN ('x)', 'it''s')", "b > (1 + 2)", 'c <= "check("']


TRICKY_CSV = (
    "Date,Start date,End date,Headline,Text,Group,Entities,Media,Kind,CAMEO,Participants,Unique ID\r\n"
    "2022-12,,,Upgrade  to   CSP ,\"Both sides\r\nagreed.\u00a0 Really\",diplomacy; trade,Vietnam; ;Korea ,https://x.org ,"
    "agreement,057,\"Vietnam (country, party); Lee Min (person, representative for South Korea)\",7\r\n"
    "2022-12,2022-12-05,2022-12-06,'=SUM(A1),'-minus,Quantum weaving,  ,,,,,pe-8\r\n"
    ",2019-W14,2019-04-20,,Only a description that is long enough to give the title,,,,deal,,,7\r\n"
    "\r\n"
    ",,,,,,,,,,,\r\n"
    "2001,,,Ties,'+plus cell,,Samsung,,,,\"Samsung (company, participant)\",12\r\n"
    "2001,,,Ties,'+plus cell,trade|energy,Samsung;Vietnam,,visit,042,\"Samsung (company, participant)\",12\r\n"
    "2015-03-04,,,\u3000Wide\u3000space title\t,\"two\n\nparagraphs  here\",Trade,,,,,,\r\n"
)


def _with_delimiter(text: str, delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(csv.reader(io.StringIO(text, newline="")))
    return out.getvalue()


@pytest.mark.parametrize("text", [
    TRICKY_CSV,
    _with_delimiter(TRICKY_CSV, ";"),
    _with_delimiter(TRICKY_CSV, "\t"),
    "start,end,title\n2020,2021,A\n2020-02,,B\n",
])
def test_reading_a_csv_by_columns_gives_the_records_reading_it_by_rows_gives(text):
    by_rows = interchange._parse_csv_rows(text)
    assert len(by_rows) >= 2
    assert interchange._csv_columns(text) == by_rows


@pytest.mark.parametrize("bad_line", [
    "2020-13-01,,,Bad month,,,,,,,,1",
    "2021,,2019,End before start,,,,,,,,1",
    "2021,,,Bad actor,,,,,,,Nobody in particular,1",
    ",,,No date,,,,,,,,1",
    "2021,,,Too many,,,,,,,,1,extra",
    "2021,,,\"Unclosed quote,,,,,,,,1",
])
def test_a_bad_line_is_named_as_the_row_by_row_reading_names_it(bad_line):
    text = TRICKY_CSV + bad_line + "\r\n" + "2022,,,After,,,,,,,,99\r\n"
    with pytest.raises(interchange._Bad) as by_rows:
        interchange._parse_csv_rows(text)
    with pytest.raises(interchange._Bad) as by_columns:
        interchange._parse_csv(text)
    assert str(by_columns.value) == str(by_rows.value)
    assert str(by_rows.value).startswith("line 13:")  # the physical line (two records above span several)
