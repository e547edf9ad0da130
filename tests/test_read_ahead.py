"""The timeline read while the program starts: the window's first read gets exactly what it would have read itself,
and never rows that a write made stale."""

from __future__ import annotations

import numpy as np
import pytest

from partnership_explorer.core import read_ahead
from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.store import Store
from partnership_explorer.core.synth import synthesize
from partnership_explorer.core.timeline import load_timeline

COLUMNS = ("event_id", "lane", "start", "end", "precision", "is_range", "n_sources", "status")


@pytest.fixture
def synth_db(tmp_path):
    path = tmp_path / "events.db"
    with Store(path) as store:
        synthesize(store, 400, seed=3)
    return path


def _same(a, b) -> bool:
    return [l.key for l in a.lanes] == [l.key for l in b.lanes] and a.total_events == b.total_events and all(
        np.array_equal(getattr(a, c), getattr(b, c)) for c in COLUMNS)


def test_the_first_read_takes_the_rows_read_ahead(synth_db):
    assert read_ahead.start(synth_db)
    with Store(synth_db) as store:
        taken = read_ahead.take(store, EventFilter())
        assert taken is not None and len(taken) > 400
        assert _same(taken, load_timeline(store, EventFilter()))
        assert taken.eras == load_timeline(store, EventFilter()).eras
        assert not read_ahead.pending(synth_db)
        assert read_ahead.take(store, EventFilter()) is None      # used once


def test_rows_are_not_taken_after_a_write(synth_db):
    assert read_ahead.start(synth_db)
    with Store(synth_db) as store:
        event_id, start = store.execute("SELECT id, start FROM events ORDER BY id LIMIT 1").fetchone()
        read_ahead._pending[read_ahead._key(synth_db)].done.wait(30)   # the read-ahead is done, then a write
        with Store(synth_db) as other:  # another program moves an event
            other.execute("""UPDATE events SET date = '1901-01-01', start = '1901-01-01', "end" = '1901-01-01'
                             WHERE id = ?""", [event_id])
        assert read_ahead.take(store, EventFilter()) is None
        rows = load_timeline(store, EventFilter())
        assert start > "1901-01-01" and rows.start.min() == rows.start[rows.event_id == event_id].min()


def test_another_filter_or_database_drops_it(synth_db, tmp_path):
    assert read_ahead.start(synth_db)
    with Store(synth_db) as store:
        assert read_ahead.take(store, EventFilter(show_rejected=False)) is None
    assert not read_ahead.pending(synth_db)
    assert read_ahead.start(synth_db)
    with Store(tmp_path / "other.db") as other:
        assert read_ahead.take(other, EventFilter()) is None
    assert not read_ahead.pending(synth_db)        # not kept for a database that did not open
    assert not read_ahead.start(tmp_path / "missing.db")


def test_a_file_to_repair_is_left_to_the_window(synth_db):
    with Store(synth_db) as store:
        store.execute("DROP INDEX idx_events_start")   # as an interrupted bulk job leaves it
    assert read_ahead.start(synth_db)
    read_ahead._pending[read_ahead._key(synth_db)].done.wait(30)
    with Store(synth_db) as store:    # the window's own opening repairs it, and says so
        assert store.notes and "repaired" in store.notes[0]
        assert read_ahead.take(store, EventFilter()) is None
