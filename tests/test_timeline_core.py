"""core.timeline: columns, level-of-detail binning, hit testing (no Qt)."""

import sys
from types import SimpleNamespace

import numpy as np
import pytest

from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.timeline import (
    LaneInfo,
    TimelineData,
    aggregate,
    column_edges,
    era_label,
    format_span,
    hit_test,
    load_timeline,
    rows_in_cell,
    synthetic,
    to_days,
    visible_rows,
)

SECTORS = [
    SimpleNamespace(key="ai", name="AI", color="#EE7733"),
    SimpleNamespace(key="energy", name="Energy & nuclear", color="#0077BB"),
    SimpleNamespace(key="diplomacy", name="Diplomacy", color="#009988"),
    SimpleNamespace(key="unclassified", name="Unclassified", color="#BBBBBB"),
]


def add_event(store, title, start, end, precision="day", *, sectors=(), kind="meeting", status="extracted",
              sources=1, is_range=False, doc=None):
    eid = store.insert_event({"title": title, "kind": kind, "date": start if precision == "day" else start[:7],
                              "precision": precision, "start": start, "end": end, "is_range": int(is_range),
                              "status": status})
    store.link_sectors(eid, sectors)
    for i in range(sources):
        store.add_source(eid, doc, {"sentence": f"{title} ({i})", "start": i, "end": i + 1})
    return eid


@pytest.fixture
def small_store(store):
    store.sync_sectors(SECTORS)
    doc = store.upsert_document({"path": "/x/a.txt", "file_name": "a.txt", "content_hash": "h", "text": "t"})
    ids = {
        "ties": add_event(store, "Vietnam–South Korea diplomatic relations established", "1992-01-01",
                          "1992-12-31", "year", sectors=["diplomacy"], kind="milestone", sources=2, doc=doc),
        "upgrade": add_event(store, "Relations upgraded to comprehensive strategic partnership", "2022-12-01",
                             "2022-12-31", "month", sectors=["diplomacy"], kind="milestone", doc=doc),
        "visit": add_event(store, "State visit", "2025-08-12", "2025-08-12", sectors=["ai", "energy"],
                           sources=3, doc=doc),
        "month": add_event(store, "Nuclear talks", "2025-02-01", "2025-02-28", "month", sectors=["energy"],
                           doc=doc),
        "rejected": add_event(store, "Noise", "2024-05-05", "2024-05-05", sectors=["ai"], status="rejected",
                              doc=doc),
        "bare": add_event(store, "No sector", "2020-03-03", "2020-03-05", sectors=[], is_range=True, doc=doc),
    }
    return store, ids


def test_load_timeline_rows_lanes_and_spans(small_store):
    store, ids = small_store
    data = load_timeline(store, EventFilter())
    assert [l.key for l in data.lanes] == ["ai", "energy", "diplomacy", "unclassified"]
    assert data.total_events == 6
    assert len(data) == 7  # the visit is in two lanes
    # sorted by lane then start
    order = np.lexsort((data.start, data.lane))
    assert (order == np.arange(len(data))).all()
    visit_rows = data.rows_of_event(ids["visit"])
    assert sorted(data.lane[visit_rows].tolist()) == [0, 1]
    assert data.n_sources[visit_rows].tolist() == [3, 3]
    r = data.rows_of_event(ids["month"])[0]
    assert data.start[r] == to_days("2025-02-01") and data.end[r] == to_days("2025-03-01")
    assert data.precision[r] == 1
    d = data.rows_of_event(ids["visit"])[0]
    assert data.end[d] - data.start[d] == 1.0 and data.precision[d] == 0
    bare = data.rows_of_event(ids["bare"])[0]
    assert data.lanes[data.lane[bare]].key == "unclassified" and data.is_range[bare]
    assert data.status[data.rows_of_event(ids["rejected"])[0]] == 3
    assert data.titles[ids["visit"]] == "State visit"


def test_load_timeline_filters(small_store):
    store, ids = small_store
    data = load_timeline(store, EventFilter(sectors=("energy",)))
    assert [l.key for l in data.lanes] == ["energy"]
    assert set(data.event_id.tolist()) == {ids["visit"], ids["month"]}
    data = load_timeline(store, EventFilter(show_rejected=False))
    assert ids["rejected"] not in data.event_id
    # lanes stay put when a lane has no events under the filter
    assert len(load_timeline(store, EventFilter(query="nuclear")).lanes) == 4


def test_eras_from_milestones(small_store):
    store, _ = small_store
    data = load_timeline(store, EventFilter(sectors=("ai",)))  # eras are context: independent of the filter
    assert [e.label for e in data.eras] == ["Diplomatic relations 1992–", "Comprehensive Strategic Partnership 2022–"]
    assert data.eras[0].end == data.eras[1].start == to_days("2022-12-01")
    assert data.eras[1].end > to_days("2025-08-13")


def test_era_label():
    assert era_label("Relations upgraded to comprehensive strategic partnership", 2022) == \
        "Comprehensive Strategic Partnership 2022–"
    assert era_label("Diplomatic relations established", 1992) == "Diplomatic relations 1992–"


def test_empty_store(store):
    store.sync_sectors(SECTORS)
    data = load_timeline(store, EventFilter())
    assert len(data) == 0 and data.total_events == 0 and data.extent is None
    assert aggregate(data, 0, 10, 5).shape == (4, 5)
    assert hit_test(data, 0, 1.0, 5) is None


def _overlapping_per_lane(data, x0, x1):
    mask = (data.start < x1) & (data.end > x0)
    return np.bincount(data.lane[mask].astype(int), minlength=len(data.lanes))


@pytest.mark.parametrize("seed", [0, 1])
def test_aggregate_conserves_counts_on_100k_rows(seed):
    data = synthetic(100_000, 12, seed=seed)
    rng = np.random.default_rng(seed)
    for _ in range(20):
        x0 = rng.uniform(data.extent[0] - 100, data.extent[1])
        x1 = x0 + rng.choice([0.5, 3, 40, 400, 5000, 20000])
        cols = int(rng.integers(1, 2000))
        counts = aggregate(data, x0, x1, cols)
        assert counts.shape == (12, cols)
        assert (counts.sum(axis=1) == _overlapping_per_lane(data, x0, x1)).all()
        assert len(visible_rows(data, x0, x1)) == counts.sum()


def test_aggregate_conserves_counts_on_store(small_store):
    store, _ = small_store
    data = load_timeline(store, EventFilter())
    for x0, x1 in [(to_days("1990-01-01"), to_days("2030-01-01")), (to_days("2025-02-15"), to_days("2025-08-13")),
                   (to_days("1992-06-01"), to_days("1992-06-02"))]:
        for cols in (1, 7, 800):
            counts = aggregate(data, x0, x1, cols)
            assert (counts.sum(axis=1) == _overlapping_per_lane(data, x0, x1)).all()


def test_aggregate_conserves_counts_on_seed(seed_db):
    from partnership_explorer.core.store import Store

    with Store(seed_db) as s:
        data = load_timeline(s, EventFilter())
    assert len(data) >= data.total_events > 0
    x0, x1 = data.extent
    for cols in (3, 100, 1500):
        counts = aggregate(data, x0 - 10, x1 + 10, cols)
        assert counts.sum() == len(data)
        counts = aggregate(data, x1 - 400, x1 - 100, cols)
        assert (counts.sum(axis=1) == _overlapping_per_lane(data, x1 - 400, x1 - 100)).all()


def test_two_sectors_in_both_lanes_of_aggregate(small_store):
    store, ids = small_store
    data = load_timeline(store, EventFilter())
    x = to_days("2025-08-12")
    counts = aggregate(data, x - 5, x + 5, 10)
    assert counts[0].sum() == 1 and counts[1].sum() == 1  # ai and energy
    assert counts[0, 5] == 1 and counts[1, 5] == 1


def test_month_precise_event_spans_its_month(small_store):
    store, ids = small_store
    data = load_timeline(store, EventFilter())
    energy = 1
    assert hit_test(data, energy, to_days("2025-02-27") + 0.5, 0.1) == ids["month"]
    assert hit_test(data, energy, to_days("2025-02-01"), 0.1) == ids["month"]
    assert hit_test(data, energy, to_days("2025-03-05"), 0.1) is None
    idx = visible_rows(data, to_days("2025-02-28"), to_days("2025-03-01"), lanes=[energy])
    assert data.event_id[idx].tolist() == [ids["month"]]


def test_hit_test_nearest_and_markers_over_bars():
    lanes = [LaneInfo("a", "A", "#000000")]
    # a year bar, a day event inside it, another day event a week later
    data = TimelineData.from_arrays(lanes, [1, 2, 3], [0, 0, 0], [100.0, 150.0, 157.0], [465.0, 151.0, 158.0],
                                    precision=[2, 0, 0])
    assert hit_test(data, 0, 150.6, 2) == 2
    assert hit_test(data, 0, 157.2, 2) == 3
    assert hit_test(data, 0, 153.0, 2) == 1  # inside the year bar, no marker within 2 days... nearest marker 2.5
    assert hit_test(data, 0, 50.0, 2) is None
    assert hit_test(data, 0, 99.0, 2) == 1
    assert hit_test(data, 5, 150.0, 2) is None


def test_rows_in_cell_matches_aggregate():
    data = synthetic(20_000, 4, seed=3)
    x0, x1 = to_days("2000-01-01"), to_days("2003-01-01")
    cols = 97
    counts = aggregate(data, x0, x1, cols)
    edges = column_edges(x0, x1, cols)
    for lane in range(4):
        total = 0
        for c in range(cols):
            ids = rows_in_cell(data, lane, edges[c], edges[c + 1], view=(x0, x1))
            assert len(ids) == counts[lane, c]
            total += len(ids)
        assert total == counts[lane].sum()
    # a run of columns
    ids = rows_in_cell(data, 2, edges[10], edges[15], view=(x0, x1))
    assert len(ids) == counts[2, 10:15].sum()
    # without a view: the events overlapping the cell
    ids = rows_in_cell(data, 1, x0, x1)
    assert len(ids) == counts[1].sum()


def test_format_span():
    assert format_span(to_days("2025-08-12"), to_days("2025-08-13"), 0) == "12 Aug 2025"
    assert format_span(to_days("2025-08-01"), to_days("2025-09-01"), 1) == "Aug 2025"
    assert format_span(to_days("1992-01-01"), to_days("1993-01-01"), 2) == "1992"
    assert format_span(to_days("2018-12-04"), to_days("2018-12-08"), 0, True) == "4–7 Dec 2018"
    assert format_span(to_days("2017-01-01"), to_days("2026-01-01"), 2, True) == "2017 – 2025"


def test_core_imports_no_qt():
    """Every module of core (the timeline's columns, ticks and layout among them) loads without Qt."""
    import subprocess

    code = ("import importlib, pkgutil, sys, partnership_explorer.core as core; "
            "[importlib.import_module(f'partnership_explorer.core.{m.name}') for m in pkgutil.iter_modules(core.__path__)]; "
            "assert {'timeline', 'ticks', 'timeline_layout'} <= {m.name for m in pkgutil.iter_modules(core.__path__)}; "
            "sys.exit(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))")
    env_path = [p for p in sys.path if p]
    import os

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(env_path))
    assert subprocess.run([sys.executable, "-c", code], env=env).returncode == 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_aggregate_matches_a_per_column_count(seed):
    """Every cell equals a direct count: the row's midpoint, clamped into the view, in the column whose
    edges (column_edges) hold it; also for day-aligned views where midpoints sit exactly on edges."""
    data = synthetic(20_000, 9, seed=seed)
    rng = np.random.default_rng(seed)
    for k in range(40):
        x0 = rng.uniform(data.extent[0] - 50, data.extent[1])
        x1 = x0 + rng.choice([1.0, 7.5, 90, 1000, 9000])
        if k % 3 == 0:
            x0, x1 = float(np.floor(x0)), float(np.ceil(x1))
        cols = int(rng.integers(1, 1600))
        edges = column_edges(x0, x1, cols)
        inside = (data.start < x1) & (data.end > x0)
        mid = np.clip((data.start + data.end) * 0.5, x0, x1)[inside]
        col = np.clip(np.searchsorted(edges, mid, side="right") - 1, 0, cols - 1)
        expected = np.zeros((len(data.lanes), cols), dtype=np.int64)
        np.add.at(expected, (data.lane[inside].astype(np.int64), col), 1)
        assert np.array_equal(aggregate(data, x0, x1, cols), expected), (x0, x1, cols)


def _same_rows(a, b) -> None:
    for col in ("event_id", "lane", "start", "end", "precision", "is_range", "n_sources", "status"):
        assert np.array_equal(getattr(a, col), getattr(b, col)), col
    assert [l.key for l in a.lanes] == [l.key for l in b.lanes]
    assert a.total_events == b.total_events
    assert a.eras == b.eras


@pytest.mark.parametrize("keys", [("energy",), ("ai", "energy"), ("diplomacy", "unclassified"), ("unclassified",)])
def test_select_lanes_equals_the_sector_filter(small_store, keys):
    """A sector toggle in the window takes lanes out of the loaded rows: the same rows and event count as
    loading with that sector filter."""
    from partnership_explorer.core.timeline import select_lanes

    store, _ = small_store
    full = load_timeline(store, EventFilter())
    _same_rows(select_lanes(full, keys), load_timeline(store, EventFilter(sectors=keys)))


# -- the saved unfiltered timeline of a large database --------------------------------------------------
@pytest.fixture
def big_store(tmp_path, monkeypatch):
    from partnership_explorer.core import timeline as tl
    from partnership_explorer.core.store import Store
    from partnership_explorer.core.synth import synthesize

    monkeypatch.setattr(tl, "SNAPSHOT_MIN_ROWS", 500)
    store = Store(tmp_path / "big.db")
    synthesize(store, 2_000, seed=4)
    with store.atomic():  # synth saves the snapshot of what it wrote: these tests start from its absence
        store.execute("DELETE FROM timeline_snapshot")
    yield store
    store.close()


def _snapshots(store) -> int:
    return store.execute("SELECT count(*) FROM timeline_snapshot").fetchone()[0]


def test_large_timeline_is_saved_and_read_back_identical(big_store):
    assert _snapshots(big_store) == 0
    first = load_timeline(big_store, EventFilter())           # from SQL, then saved
    assert _snapshots(big_store) == 1
    again = load_timeline(big_store, EventFilter())           # from the snapshot
    _same_rows(again, first)
    _same_rows(again, load_timeline(big_store, EventFilter(), snapshot=False))
    assert again.titles.get(int(again.event_id[0]))           # titles still read on demand
    # a filtered view never uses it, and the view without rejected events has its own
    load_timeline(big_store, EventFilter(sectors=("energy",)))
    load_timeline(big_store, EventFilter(show_rejected=False))
    assert _snapshots(big_store) == 2


@pytest.mark.parametrize("change", [
    "UPDATE events SET start = '1979-01-01', date = '1979-01-01' WHERE id = (SELECT min(id) FROM events)",
    "UPDATE events SET status = 'rejected' WHERE id = (SELECT min(id) FROM events)",
    "UPDATE events SET n_sources = n_sources + 1 WHERE id = (SELECT min(id) FROM events)",
    "DELETE FROM event_sectors WHERE rowid = (SELECT min(rowid) FROM event_sectors)",
    "INSERT INTO event_sectors (event_id, sector_key) SELECT min(id), 'health' FROM events "
    "WHERE id NOT IN (SELECT event_id FROM event_sectors WHERE sector_key = 'health')",
    "DELETE FROM events WHERE id = (SELECT max(id) FROM events)",
])
def test_any_change_by_anyone_drops_the_snapshot(big_store, change):
    """Another program writing to the file with plain SQL (no Partnership Explorer code) still invalidates the
    saved timeline: the next load shows its change."""
    import sqlite3

    load_timeline(big_store, EventFilter())
    assert _snapshots(big_store) == 1
    other = sqlite3.connect(big_store.path)
    other.execute("PRAGMA foreign_keys = ON")
    with other:
        other.execute(change)
    other.close()
    assert _snapshots(big_store) == 0
    _same_rows(load_timeline(big_store, EventFilter()), load_timeline(big_store, EventFilter(), snapshot=False))


def test_title_edit_keeps_the_snapshot(big_store):
    load_timeline(big_store, EventFilter())
    big_store.execute("UPDATE events SET title = 'Renamed' WHERE id = (SELECT min(id) FROM events)")
    assert _snapshots(big_store) == 1


def test_no_snapshot_when_another_writer_got_in_first(big_store, monkeypatch):
    """Rows read before someone else's commit are not saved as the current state."""
    import sqlite3

    from partnership_explorer.core import timeline as tl

    real = tl._load_timeline_sql

    def load_then_someone_writes(store, flt, lanes=None):
        data = real(store, flt, lanes)
        other = sqlite3.connect(store.path)
        with other:
            other.execute("UPDATE events SET n_sources = n_sources + 1 WHERE id = (SELECT min(id) FROM events)")
        other.close()
        return data

    monkeypatch.setattr(tl, "_load_timeline_sql", load_then_someone_writes)
    load_timeline(big_store, EventFilter())
    assert _snapshots(big_store) == 0


def test_readonly_store_reads_a_snapshot_but_never_writes(big_store):
    from partnership_explorer.core.store import Store

    with Store(big_store.path, readonly=True) as ro:
        load_timeline(ro, EventFilter())
    assert _snapshots(big_store) == 0
    saved = load_timeline(big_store, EventFilter())
    with Store(big_store.path, readonly=True) as ro:
        _same_rows(load_timeline(ro, EventFilter()), saved)


def test_aggregate_cache_gives_what_aggregate_gives():
    """Counts reused across sector toggles (a lane subset takes its rows from the whole data's counts) equal
    binning that data directly; a different range or column count is binned anew."""
    from partnership_explorer.core.timeline import AggregateCache, select_lanes

    data = synthetic(30_000, 10, seed=9)
    cache = AggregateCache(size=4)
    x0, x1 = data.extent
    for cols in (700, 1400):
        full = cache.get(data, x0, x1, cols)
        assert np.array_equal(full, aggregate(data, x0, x1, cols))
        keys = [data.lanes[i].key for i in (1, 4, 7)]
        sub = select_lanes(data, keys)
        hits = cache.hits
        got = cache.get(sub, x0, x1, cols)
        assert cache.hits == hits + 1                     # derived from the whole data's counts
        assert np.array_equal(got, aggregate(sub, x0, x1, cols))
        assert np.array_equal(cache.get(data, x0, x1, cols), full) and cache.hits == hits + 2
    # a range never binned for the parent: binned for the subset itself
    sub = select_lanes(data, [data.lanes[2].key])
    assert np.array_equal(cache.get(sub, x0 + 100, x1 - 100, 500), aggregate(sub, x0 + 100, x1 - 100, 500))
    with pytest.raises(ValueError):
        cache.get(data, x0, x1, 700)[0, 0] = 1            # shared results cannot be changed by a caller


@pytest.mark.parametrize("damage", ["garbage", "truncated", "lengths", "lanes", "order"])
def test_a_damaged_snapshot_is_ignored(big_store, damage):
    """A snapshot blob that is not what this program wrote (damaged file, edited by hand) is never drawn: the
    rows come from the tables, as if there were no snapshot."""
    import io

    load_timeline(big_store, EventFilter())
    blob = big_store.execute("SELECT data FROM timeline_snapshot").fetchone()[0]
    if damage == "garbage":
        bad = b"PK\x03\x04" + bytes(range(256)) * 10
    elif damage == "truncated":
        bad = blob[: len(blob) // 2]
    else:
        with np.load(io.BytesIO(blob)) as z:
            cols = {k: z[k] for k in z.files}
        if damage == "lengths":
            cols["start"] = cols["start"][:-3]
        elif damage == "lanes":
            cols["lane"] = cols["lane"] + 40
        else:
            cols["start"] = cols["start"][::-1].copy()
            cols["end"] = cols["start"] + 1
        buf = io.BytesIO()
        np.savez(buf, **cols)
        bad = buf.getvalue()
    big_store.execute("UPDATE timeline_snapshot SET data = ?", [bad])
    _same_rows(load_timeline(big_store, EventFilter()), load_timeline(big_store, EventFilter(), snapshot=False))


def test_a_week_is_a_seven_day_bar_named_by_its_week(store, tmp_path):
    from partnership_explorer.core.interchange import import_events
    from partnership_explorer.core.timeline import PRECISION_CODES
    from partnership_explorer.core.timeline_layout import glyph_geometry

    src = tmp_path / "w.csv"
    src.write_text("date,title,kind\n2025-W16,Talks during the week,meeting\n2025-04-16,Talks on Wednesday,meeting\n",
                   encoding="utf-8")
    import_events(store, src)
    data = load_timeline(store, EventFilter())
    rows = np.arange(len(data.event_id))
    week = int(np.flatnonzero(data.precision == PRECISION_CODES["week"])[0])
    day = int(np.flatnonzero(data.precision == PRECISION_CODES["day"])[0])
    assert data.end[week] - data.start[week] == 7.0 and data.start[week] == to_days("2025-04-14")
    assert format_span(data.start[week], data.end[week], data.precision[week]) == "week of 14 Apr 2025"
    geo = glyph_geometry(data, rows, 10.0, 0.0, 30.0, 0.0, 30.0)
    assert bool(geo.bar[week]) and not bool(geo.bar[day])
    assert geo.w[week] == pytest.approx(70.0)  # seven days at 10 px a day


def test_counts_binned_by_the_reader_are_the_ones_the_overview_takes(monkeypatch):
    """The thread that reads the rows bins them for the overview strip; the cache then hands out those counts
    (the same as binning them again) without binning a million rows on the GUI thread."""
    from partnership_explorer.core import timeline as core_timeline
    from partnership_explorer.core.timeline import AggregateCache
    from partnership_explorer.core.view_fit import OVERVIEW_COLUMNS, bin_overview, full_range

    data = synthetic(30_000, 10, seed=4)
    bin_overview(data)
    x0, x1 = full_range(data)
    expected = aggregate(data, x0, x1, OVERVIEW_COLUMNS)
    calls = []
    monkeypatch.setattr(core_timeline, "aggregate", lambda *a: calls.append(a) or aggregate(*a))
    bin_overview(data)                                     # binned once per set of rows
    got = AggregateCache().get(data, x0, x1, OVERVIEW_COLUMNS)
    assert calls == []
    assert np.array_equal(got, expected)
    with pytest.raises(ValueError):
        got[0, 0] = 1                                      # shared with every reader of these rows
    # another range or resolution is binned as before
    assert np.array_equal(AggregateCache().get(data, x0, x1, 300), aggregate(data, x0, x1, 300)) and len(calls) == 1
    # the rows shown without some lanes (empty ones, a sector toggle) take theirs from those counts too
    from partnership_explorer.core.timeline import select_lanes
    sub = select_lanes(data, [data.lanes[i].key for i in (0, 3, 5)])
    got = AggregateCache().get(sub, x0, x1, OVERVIEW_COLUMNS)
    assert len(calls) == 1 and np.array_equal(got, aggregate(sub, x0, x1, OVERVIEW_COLUMNS))
