"""Bulk imports write the same database whichever way they go: index builds after the load give the schema,
rows and full-text index that growing the indexes row by row gives."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dbstate import database_state
from partnership_explorer.core import interchange
from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.store import Store
from partnership_explorer.core.synth import synthesize


@pytest.fixture(scope="module")
def events_csv(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("bulk")
    with Store(tmp / "src.db") as src:
        synthesize(src, 3000, seed=5)
        interchange.dump_events(src, EventFilter(), "csv", tmp / "events.csv")
    return tmp / "events.csv"


def _schema_and_search(db: Path) -> tuple:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        schema = sorted(con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(), key=repr)
        words = [r[0] for r in con.execute("SELECT title FROM events ORDER BY id LIMIT 40")]
        hits = [sorted(r[0] for r in con.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH ?",
                                                 [f'"{w.split()[0]}"'])) for w in words]
        check = con.execute("PRAGMA integrity_check").fetchall()
        return schema, hits, check
    finally:
        con.close()


def _import(db: Path, csv_path: Path, monkeypatch, threshold: int):
    monkeypatch.setattr(interchange, "BULK_INDEX_REBUILD", threshold)
    with Store(db) as store:
        report = interchange.import_events(store, csv_path)
        store.execute("INSERT INTO events_fts(events_fts) VALUES('integrity-check')")
    return report


def test_indexes_built_after_the_load_give_the_database_that_row_by_row_growth_gives(events_csv, tmp_path,
                                                                                      monkeypatch):
    rowwise, bulk = tmp_path / "rowwise.db", tmp_path / "bulk.db"
    a = _import(rowwise, events_csv, monkeypatch, 10**9)
    b = _import(bulk, events_csv, monkeypatch, 100)
    assert (a.new, a.unchanged) == (b.new, b.unchanged) and b.new > 2900
    assert database_state(bulk) == database_state(rowwise)
    schema, hits, check = _schema_and_search(bulk)
    assert (schema, hits) == _schema_and_search(rowwise)[:2]
    assert check == [("ok",)] and any(hits)


def test_a_bulk_load_into_a_larger_database_keeps_its_indexes_as_they_grow(events_csv, tmp_path, monkeypatch):
    """A file smaller than the events already stored goes in row by row (rebuilding every index would cost
    more); the result is the same as importing it into an empty database, plus what was there."""
    db = tmp_path / "big.db"
    with Store(db) as store:
        synthesize(store, 4000, seed=9)
    report = _import(db, events_csv, monkeypatch, 100)
    assert report.new > 2900
    assert _schema_and_search(db)[2] == [("ok",)]
    again = _import(db, events_csv, monkeypatch, 100)
    assert again.new == 0 and again.unchanged == report.new + report.unchanged


@pytest.mark.parametrize("writer", ["synth", "import"])
def test_a_bulk_load_leaves_the_timeline_the_first_open_reads(events_csv, tmp_path, monkeypatch, writer):
    """Opening a database right after a bulk load reads the saved timeline, which holds the rows the tables
    give; a smaller load saves none, and any later change drops it."""
    from partnership_explorer.core import timeline as tl

    monkeypatch.setattr(tl, "SNAPSHOT_MIN_ROWS", 500)
    db = tmp_path / "a.db"
    with Store(db) as store:
        if writer == "synth":
            synthesize(store, 2000, seed=6)
        else:
            _import(db.with_name("unused.db"), events_csv, monkeypatch, 10**9)  # below the bulk size: none saved
            with Store(db.with_name("unused.db")) as small:
                assert small.execute("SELECT count(*) FROM timeline_snapshot").fetchone()[0] == 0
            monkeypatch.setattr(interchange, "BULK_INDEX_REBUILD", 100)
            interchange.import_events(store, events_csv)
        assert [r[0] for r in store.execute("SELECT name FROM timeline_snapshot")] == ["all"]
    with Store(db, readonly=True) as store:
        with monkeypatch.context() as m:
            m.setattr(tl, "_load_timeline_sql", None)  # the rows must come from the snapshot
            saved = tl.load_timeline(store, EventFilter())
        rows = tl.load_timeline(store, EventFilter(), snapshot=False)
    assert len(saved) == len(rows) > 2000
    for column in ("event_id", "lane", "start", "end", "precision", "is_range", "n_sources", "status"):
        assert (getattr(saved, column) == getattr(rows, column)).all(), column
    assert saved.total_events == rows.total_events
    with Store(db) as store, store.atomic():
        store.update_event(int(rows.event_id[0]), {"status": "rejected"})
        assert store.execute("SELECT count(*) FROM timeline_snapshot").fetchone()[0] == 0
