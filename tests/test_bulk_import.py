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
