"""Memoised reads (core.views.cached) and the partner links kept in the file: valid exactly while the tables they
are computed from are unchanged, whoever writes to the file (no Qt)."""

import sqlite3

import numpy as np
import pytest

from partnership_explorer.core import partners, views
from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.sectors import default_taxonomy
from partnership_explorer.core.store import Store
from partnership_explorer.core.timeline import load_timeline


@pytest.fixture
def counted(monkeypatch):
    """How many times the partner links were read from the tables."""
    calls = []
    real = partners.load_links

    def load(store):
        calls.append(store.path)
        return real(store)

    monkeypatch.setattr(partners, "load_links", load)
    views._cache.clear()
    yield calls
    views._cache.clear()


def _other_program(path, sql: str, params=()) -> None:
    """A write by another program with plain SQL (no Partnership Explorer code), on its own connection."""
    other = sqlite3.connect(path)
    other.execute("PRAGMA foreign_keys = ON")
    with other:
        other.execute(sql, params)
    other.close()


def _pairs(s: Store) -> dict:
    view = partners.partner_pairs(s, EventFilter(show_rejected=False), limit=None)
    return {frozenset((p["a"], p["b"])): p["events"] for p in view.pairs}


@pytest.mark.parametrize("write", [
    "timeline snapshot", "checkpoint", "curation log", "ladder and indicators", "curation snapshot", "window's invalidate",
])
def test_writes_to_other_tables_keep_the_partner_links(seed_copy, counted, write):
    with Store(seed_copy) as s, Store(seed_copy) as other:
        before = _pairs(s)
        assert len(counted) == 1
        if write == "timeline snapshot":
            from partnership_explorer.core import timeline

            timeline._save_snapshot(other, "all", load_timeline(other, EventFilter(), snapshot=False))
            assert other.execute("SELECT count(*) FROM timeline_snapshot").fetchone()[0] == 1
        elif write == "checkpoint":
            other.execute("UPDATE documents SET title = title")   # something in the WAL to move
            other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        elif write == "curation log":
            _other_program(seed_copy, "INSERT INTO curation_log (event_id, action, at) VALUES (1, 'note', 'now')")
        elif write == "ladder and indicators":
            from partnership_explorer.core import indicators, relationship

            with other.atomic():
                relationship.rebuild(other)
                indicators.rebuild(other)
            _other_program(seed_copy, "UPDATE relationship_steps SET label = label || ' (checked)'")
        elif write == "curation snapshot":
            from partnership_explorer.core import snapshots

            snapshots.save(other, "before the brief")
        else:
            views.invalidate(seed_copy)
        assert _pairs(s) == before
        assert len(counted) == 1, "the partner links were read again after a write to tables they do not read"


@pytest.mark.parametrize("table, sql", [
    ("events", "UPDATE events SET status = 'rejected' WHERE id = (SELECT min(event_id) FROM event_entities "
               "WHERE role = 'party')"),
    ("events", "UPDATE events SET title = title || '.' WHERE id = (SELECT max(id) FROM events)"),
    ("event_entities", "DELETE FROM event_entities WHERE role = 'party' AND event_id = (SELECT min(event_id) "
                       "FROM event_entities WHERE role = 'party')"),
    ("event_entities", "UPDATE event_entities SET role = NULL WHERE role = 'party' AND event_id = (SELECT max(event_id) "
                       "FROM event_entities WHERE role = 'party')"),
    ("entities", "UPDATE entities SET type = 'person' WHERE name = 'KT'"),
    ("entities", "INSERT INTO entities (name, type) VALUES ('Nobody in particular', 'organisation')"),
    ("entity_aliases", "DELETE FROM entity_aliases WHERE rowid = (SELECT min(rowid) FROM entity_aliases)"),
    ("event_sectors", "DELETE FROM event_sectors WHERE rowid = (SELECT min(rowid) FROM event_sectors)"),
    ("sectors", "UPDATE sectors SET color = '#123456' WHERE key = 'trade'"),
])
def test_any_change_to_a_table_they_read_reads_them_again(seed_copy, counted, table, sql):
    with Store(seed_copy) as s:
        first = partners.links(s)
        assert partners.links(s) is first and len(counted) == 1
        version = s.execute("SELECT version FROM change_counters WHERE name = ?", [table]).fetchone()[0]
        _other_program(seed_copy, sql)
        assert s.execute("SELECT version, watched FROM change_counters WHERE name = ?", [table]).fetchone() \
            == (version + 1, 0)
        again = partners.links(s)
        assert len(counted) == 2 and again is not first
        _same_links(again, partners.load_links(s))   # and what it holds is the tables' new state


def test_a_change_made_through_the_store_shows_at_once(seed_copy, counted):
    from partnership_explorer.core import curation
    from partnership_explorer.core.query import list_events

    with Store(seed_copy) as s:
        assert frozenset(("KT", "Viettel")) in _pairs(s)
        (event,) = [e["id"] for e in list_events(s, EventFilter(pair=("KT", "Viettel")))]
        curation.reject(s, event)
        assert frozenset(("KT", "Viettel")) not in _pairs(s)


def test_the_taxonomy_upserted_unchanged_keeps_them(seed_copy, counted):
    with Store(seed_copy) as s:
        partners.links(s)
        s.sync_sectors(default_taxonomy().sectors)   # what every ingest does first
        partners.links(s)
        assert len(counted) == 1


def test_a_bulk_write_counts_once_and_costs_no_update_per_row(seed_copy, counted):
    with Store(seed_copy) as s:
        partners.links(s)
        (v,) = s.execute("SELECT version FROM change_counters WHERE name = 'entities'").fetchone()
        with s.atomic():
            s.executemany("INSERT INTO entities (name, type) VALUES (?, 'organisation')",
                          [(f"Bulk body {i}",) for i in range(500)])
        assert s.execute("SELECT version, watched FROM change_counters WHERE name = 'entities'").fetchone() == (v + 1, 0)
        partners.links(s)
        assert len(counted) == 2
        assert s.execute("SELECT watched FROM change_counters WHERE name = 'entities'").fetchone()[0] == 1


def test_unwatched_read_only_file_is_memoised_until_the_file_changes(seed_copy, counted):
    with Store(seed_copy) as s:
        s.execute("UPDATE change_counters SET watched = 0")
    with Store(seed_copy, readonly=True) as ro:
        assert views.data_state(ro, partners.LINK_TABLES) is None   # it cannot watch them itself
        first = partners.links(ro)
        assert partners.links(ro) is first and len(counted) == 1
        _other_program(seed_copy, "UPDATE events SET title = title || '.' WHERE id = (SELECT max(id) FROM events)")
        partners.links(ro)
        assert len(counted) == 2


def _same_links(a: partners.PartnerLinks, b: partners.PartnerLinks) -> None:
    for column in partners._BLOB_COLUMNS:
        assert np.array_equal(getattr(a, column), getattr(b, column)), column
    assert a.sector_keys == b.sector_keys and a.entities == b.entities and a.shorts == b.shorts


def test_links_kept_in_the_file_serve_the_next_process(seed_copy, counted, monkeypatch):
    monkeypatch.setattr(partners, "SAVE_MIN_ROWS", 1)
    with Store(seed_copy) as s:
        computed = partners.links(s)
        assert s.execute("SELECT count(*) FROM view_snapshots WHERE name = 'partner-links'").fetchone()[0] == 1
    views._cache.clear()   # a new process
    with Store(seed_copy, readonly=True) as ro:   # even a reading command
        _same_links(partners.links(ro), computed)
        assert len(counted) == 1
        before = _pairs(ro)
    _other_program(seed_copy, "UPDATE events SET status = 'rejected' WHERE id = (SELECT min(event_id) "
                              "FROM event_entities WHERE role = 'party')")
    views._cache.clear()
    with Store(seed_copy) as s:
        after = _pairs(s)     # the kept copy is of an older state: read from the tables again
        assert len(counted) == 2 and after != before
        _same_links(partners.links(s), partners.load_links(s))


def test_small_databases_keep_nothing_in_the_file(seed_copy, counted):
    with Store(seed_copy) as s:
        assert partners.links(s).rows < partners.SAVE_MIN_ROWS
        assert s.execute("SELECT count(*) FROM view_snapshots").fetchone()[0] == 0


@pytest.mark.parametrize("damage", ["not numpy", "index out of range", "unknown entity", "other format"])
def test_a_damaged_copy_in_the_file_is_read_again_from_the_tables(seed_copy, counted, monkeypatch, damage):
    import io
    import json

    monkeypatch.setattr(partners, "SAVE_MIN_ROWS", 1)
    with Store(seed_copy) as s:
        good = partners.links(s)
        data = s.execute("SELECT data FROM view_snapshots").fetchone()[0]
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            cols = {k: z[k] for k in z.files}
        meta = json.loads(bytes(cols["meta"]).decode())
        if damage == "index out of range":
            cols["sector_row"] = cols["sector_row"] + 10**6
        elif damage == "unknown entity":
            cols["a"] = cols["a"] + 10**6
        elif damage == "other format":
            meta["format"] = 99
        cols["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
        buf = io.BytesIO()
        np.savez(buf, **cols)
        blob = b"\x00garbage" if damage == "not numpy" else buf.getvalue()
        s.execute("UPDATE view_snapshots SET data = ?", [blob])
        views._cache.clear()
        _same_links(partners.links(s), good)
        assert len(counted) == 2


def test_a_write_while_the_links_are_read_is_never_taken_for_their_state(seed_copy, counted, monkeypatch):
    """Another program changes an event while the links are being read: what was read is neither kept in the file
    nor used after the read as if it were the current state."""
    monkeypatch.setattr(partners, "SAVE_MIN_ROWS", 1)
    real = partners.load_links
    writes = []

    def load_then_write(store):
        out = real(store)
        if not writes:   # the read was of the state before this write
            _other_program(seed_copy, "UPDATE events SET status = 'rejected' WHERE id = (SELECT min(event_id) "
                                      "FROM event_entities WHERE role = 'party')")
            writes.append(1)
        return out

    monkeypatch.setattr(partners, "load_links", load_then_write)
    with Store(seed_copy) as s:
        partners.links(s)
        assert s.execute("SELECT count(*) FROM view_snapshots").fetchone()[0] == 0
        _same_links(partners.links(s), real(s))   # read again: the state after the write
        assert s.execute("SELECT count(*) FROM view_snapshots").fetchone()[0] == 1
