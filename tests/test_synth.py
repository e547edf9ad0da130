"""core.synth: a realistic, deterministic synthetic database, and the `synth` command."""

import hashlib

import pytest
from click.testing import CliRunner

from partnership_explorer.cli import cli
from partnership_explorer.core.query import EventFilter, count_events, list_events
from partnership_explorer.core.store import Store
from partnership_explorer.core.synth import SECTOR_ORDER, synthesize

N = 4000


def events_hash(path) -> str:
    with Store(path, readonly=True) as s:
        h = hashlib.sha256()
        for row in s.execute('SELECT * FROM events ORDER BY id'):
            h.update(repr(row).encode())
        for table, order in (("event_sectors", "event_id, sector_key"), ("event_entities", "event_id, entity_id"),
                             ("event_sources", "id")):
            for row in s.execute(f"SELECT * FROM {table} ORDER BY {order}"):
                h.update(repr(row).encode())
        return h.hexdigest()


@pytest.fixture(scope="module")
def synth_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "s.db"
    with Store(path) as s:
        report = synthesize(s, N, seed=5)
    assert report.events == N
    return path


def test_deterministic_for_a_seed(synth_db, tmp_path):
    again, other = tmp_path / "again.db", tmp_path / "other.db"
    with Store(again) as s:
        synthesize(s, N, seed=5)
    with Store(other) as s:
        synthesize(s, N, seed=6)
    assert events_hash(again) == events_hash(synth_db)
    assert events_hash(other) != events_hash(synth_db)


def test_shape_is_realistic(synth_db):
    with Store(synth_db, readonly=True) as s:
        q = lambda sql: s.execute(sql).fetchall()  # noqa: E731
        assert q("SELECT count(*) FROM events")[0][0] == N
        precisions = dict(q("SELECT precision, count(*) FROM events GROUP BY precision"))
        assert set(precisions) == {"day", "month", "year"} and min(precisions.values()) > N * 0.03
        ranges = dict(q("SELECT precision, count(*) FROM events WHERE is_range GROUP BY precision"))
        assert sum(ranges.values()) > N * 0.02 and {"month", "year"} <= set(ranges)
        assert q("SELECT count(*) FROM events WHERE is_range AND start = \"end\"")[0][0] == 0
        assert q("SELECT count(*) FROM events WHERE kind = 'milestone'")[0][0] >= 3
        per_sector = dict(q("SELECT sector_key, count(*) FROM event_sectors GROUP BY sector_key"))
        assert set(SECTOR_ORDER) <= set(per_sector) and "unclassified" in per_sector
        sizes = sorted(per_sector[k] for k in SECTOR_ORDER)
        assert sizes[-1] > 5 * sizes[0]  # skewed lanes
        assert q("SELECT count(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_sectors)")[0][0] == 0
        multi = q("SELECT count(*) FROM (SELECT event_id FROM event_sectors GROUP BY event_id HAVING count(*) > 1)")
        assert multi[0][0] > N * 0.1
        assert q("SELECT count(*) FROM entities")[0][0] >= 300
        assert q("SELECT count(*) FROM entity_aliases")[0][0] > 2 * q("SELECT count(*) FROM entities")[0][0]
        n_docs = q("SELECT count(*) FROM documents")[0][0]
        assert n_docs == N // 20
        per_event = dict(q("SELECT n, count(*) FROM (SELECT count(*) AS n FROM event_sources GROUP BY event_id) "
                           "GROUP BY n"))
        assert sum(per_event.values()) == N and max(per_event) >= 4 and per_event.get(2, 0) > N * 0.1
        # clustered in time: the busiest week holds far more than an average week
        weeks = [r[0] for r in q("SELECT count(*) FROM events GROUP BY CAST(julianday(start) / 7 AS INT)")]
        assert max(weeks) > 20 * (N / (34 * 52))
        assert q("PRAGMA foreign_key_check") == []
        assert s.integrity_ok()


def test_sources_point_at_real_sentences(synth_db):
    with Store(synth_db, readonly=True) as s:
        texts = dict(s.execute("SELECT id, text FROM documents"))
        rows = s.execute('SELECT document_id, sentence, start, "end", date_text, date_start, date_end '
                         "FROM event_sources").fetchall()
    assert rows
    for doc, sentence, a, b, dtext, ds, de in rows:
        text = texts[doc]
        assert text[a:b] == sentence
        assert text[ds:de] == dtext and a <= ds < de <= b


def test_full_text_search_finds_synthetic_words(synth_db):
    with Store(synth_db, readonly=True) as s:
        hits = list_events(s, EventFilter(query="hydrogen"), limit=50)
        assert hits and all("hydrogen" in (e["title"] + " ".join(x["sentence"] for x in e["sources"])).lower()
                            for e in hits)
        assert count_events(s, EventFilter(sectors=("energy",))) > 0


@pytest.mark.parametrize("walk_from", [1, 10**9])
@pytest.mark.parametrize("word", ["hydrogen", "LNG", "summit"])
def test_search_pages_are_the_full_result_in_time_order(synth_db, monkeypatch, word, walk_from):
    """The event list shows a search page by page: every page is that slice of the whole ordered result, whether
    the first matches are found walking the events by date (common words) or read by id (rare ones)."""
    from partnership_explorer.core import query

    monkeypatch.setattr(query, "_WALK_FROM_MATCHES", walk_from)
    with Store(synth_db, readonly=True) as s:
        full = [e["id"] for e in list_events(s, EventFilter(query=word), with_details=False)]
        assert len(full) > 30
        for offset in (0, 10, len(full) - 5):
            page = list_events(s, EventFilter(query=word), limit=10, offset=offset, with_details=False)
            assert [e["id"] for e in page] == full[offset:offset + 10]


def test_cli_synth_refuses_a_non_empty_database_unless_append(tmp_path):
    db = tmp_path / "c.db"
    runner = CliRunner()
    first = runner.invoke(cli, ["synth", "--events", "500", "--db", str(db), "--seed", "3"])
    assert first.exit_code == 0, first.output
    assert "events/s" in first.output and len(first.output.strip().splitlines()) == 1
    again = runner.invoke(cli, ["synth", "--events", "500", "--db", str(db)])
    assert again.exit_code == 2
    assert "already has" in again.output and len(again.output.strip().splitlines()) == 1
    more = runner.invoke(cli, ["synth", "--events", "500", "--db", str(db), "--append", "--seed", "4"])
    assert more.exit_code == 0, more.output
    with Store(db, readonly=True) as s:
        assert s.execute("SELECT count(*) FROM events").fetchone()[0] == 1000
        assert s.execute("PRAGMA foreign_key_check").fetchall() == []
        assert s.execute("SELECT count(*) FROM events_fts WHERE events_fts MATCH 'hydrogen'").fetchone()[0] \
            == s.execute("SELECT count(*) FROM events WHERE title LIKE '%hydrogen%' OR summary LIKE '%hydrogen%'"
                         ).fetchone()[0]


def test_cli_synth_refuses_a_database_with_documents_only(seed_copy):
    result = CliRunner().invoke(cli, ["synth", "--events", "100", "--db", str(seed_copy)])
    assert result.exit_code == 2 and "already has" in result.output


@pytest.mark.parametrize("show_rejected", [True, False])
def test_sector_counts_from_the_index_equal_counting_events(synth_db, tmp_path, show_rejected):
    """The event count of a sector filter (read from the sector index) equals counting the events that pass
    the filter, also with merged and rejected events in those sectors and events in several sectors."""
    import shutil

    from partnership_explorer.core import query

    db = tmp_path / "c.db"
    shutil.copy(synth_db, db)
    with Store(db) as s:
        ids = [r[0] for r in s.execute(
            "SELECT event_id FROM event_sectors WHERE sector_key = 'energy' ORDER BY event_id LIMIT 6")]
        s.execute(f"UPDATE events SET status = 'merged' WHERE id IN ({ids[0]}, {ids[1]})")
        s.execute(f"UPDATE events SET status = 'rejected' WHERE id IN ({ids[2]}, {ids[3]})")
        for sectors in (("energy",), ("energy", "trade"), ("ai", "energy", "health"), ("trade",)):
            flt = EventFilter(sectors=sectors, show_rejected=show_rejected)
            where, params, _ = flt.where()
            direct = s.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()[0]
            assert query.count_events(s, flt) == direct > 0, sectors


@pytest.mark.parametrize("flt", [EventFilter(sectors=("energy",)), EventFilter(sectors=("ai", "trade")),
                                 EventFilter(sectors=("energy",), show_rejected=False),
                                 EventFilter(sectors=("unclassified",))])
def test_sector_pages_are_the_full_list_in_time_order(synth_db, flt):
    """The event list pages through a sector filter: each page is that slice of the whole ordered list."""
    with Store(synth_db, readonly=True) as s:
        full = [e["id"] for e in list_events(s, flt, with_details=False)]
        assert len(full) > 40
        for offset in (0, 17, len(full) - 5):
            page = list_events(s, flt, limit=20, offset=offset, with_details=False)
            assert [e["id"] for e in page] == full[offset:offset + 20]


@pytest.mark.parametrize("bulk", [False, True], ids=["row by row", "bulk load"])
def test_a_synthetic_database_has_its_ladder_and_keeps_tracking_later_writes(tmp_path, monkeypatch, bulk):
    """The eras synth writes are on the relationship ladder as soon as it commits, and a later write through the
    same connection still reaches the ladder (synth's temporary settings must not drop the change tracking)."""
    from partnership_explorer.core import relationship, synth

    monkeypatch.setattr(synth, "BULK_MIN_EVENTS", 1000 if bulk else 10**9)
    with Store(tmp_path / "s.db") as s:
        synthesize(s, 3000, seed=1)
        made = relationship.steps(s)
        assert made, "the ladder is empty after synth"
        assert [(st.pair_key, st.level, st.start) for st in made] == \
               [(st.pair_key, st.level, st.start) for st in relationship.derive(s)]
        step = made[0]
        events = s.execute("SELECT DISTINCT ss.event_id FROM relationship_step_sources ss WHERE ss.step_id = ?",
                           [step.id]).fetchall()
        with s.atomic():
            for (event_id,) in events:
                s.execute("DELETE FROM events WHERE id = ?", [event_id])
        assert (step.pair_key, step.level, step.start) not in [(st.pair_key, st.level, st.start)
                                                            for st in relationship.steps(s)]
