"""core.views: the read models of the desktop panels and the snapshots behind undo/redo (no Qt)."""

from partnership_explorer.core import curation, views
from partnership_explorer.core.query import EventFilter, count_events, list_events
from partnership_explorer.core.store import Store


def _first_with_sources(store, n=1):
    return next(e for e in list_events(store) if len(e["sources"]) >= n)


def test_event_detail_has_sources_with_document_metadata(seed_db):
    with Store(seed_db) as s:
        event = _first_with_sources(s)
        detail = views.event_detail(s, event["id"])
        assert detail["title"] == event["title"]
        assert [x["key"] for x in detail["sectors"]] == event["sectors"]
        assert {e["name"] for e in detail["entities"]} == {e["name"] for e in event["entities"]}
        source = detail["sources"][0]
        doc = views.document(s, source["document_id"])
        assert source["document_title"] == doc["title"]
        assert doc["text"][source["start"]:source["end"]].strip() != ""
        assert views.event_detail(s, 10**9) is None


def test_documents_and_their_events_in_time_order(seed_db):
    with Store(seed_db) as s:
        docs = views.documents(s)
        assert len(docs) == 5 and all(d["events"] >= 1 for d in docs)
        for d in docs:
            evs = views.document_events(s, d["id"])
            assert len(evs) == d["events"]
            assert [e["start"] for e in evs] == sorted(e["start"] for e in evs)
            text = views.document(s, d["id"])["text"]
            assert all(0 <= e["source_start"] < e["source_end"] <= len(text) for e in evs)


def test_step_in_moves_through_the_events_in_time_order(seed_db):
    with Store(seed_db) as s:
        page = views.event_page(s, EventFilter())
        ids = [e["id"] for e in page.rows]
        assert [e["start"] for e in page.rows] == sorted(e["start"] for e in page.rows)
        assert views.step_in(ids, None, 1) == ids[0]
        assert views.step_in(ids, None, -1) == ids[-1]
        assert views.step_in(ids, ids[0], 1) == ids[1]
        assert views.step_in(ids, ids[1], -1) == ids[0]
        assert views.step_in(ids, ids[-1], 1) is None
        assert views.step_in([], None, 1) is None


def test_snapshot_restore_undoes_an_edit_and_redoes_it(seed_copy):
    with Store(seed_copy) as s:
        event = _first_with_sources(s)
        before = views.snapshot(s, [event["id"]])
        curation.edit(s, event["id"], title="Edited title", date="2020-05", sectors=["energy"], entities=["Vietnam"])
        after = views.snapshot(s, [event["id"]])
        views.restore(s, before)
        restored = views.event_detail(s, event["id"])
        assert restored["title"] == event["title"] and restored["status"] == "extracted"
        assert [x["key"] for x in restored["sectors"]] == event["sectors"]
        assert count_events(s, EventFilter(query="Edited")) == 0          # full-text index in step
        views.restore(s, after)
        redone = views.event_detail(s, event["id"])
        assert redone["title"] == "Edited title" and redone["date"] == "2020-05" and redone["locked"] == 1
        assert count_events(s, EventFilter(query="Edited")) == 1


def test_snapshot_restore_separates_a_merge(seed_copy):
    with Store(seed_copy) as s:
        a, b = list_events(s)[:2]
        before = views.snapshot(s, [a["id"], b["id"]])
        total = count_events(s)
        curation.merge(s, a["id"], b["id"])
        assert count_events(s) == total - 1
        views.restore(s, before)
        assert count_events(s) == total
        assert len(views.event_detail(s, a["id"])["sources"]) == len(a["sources"])
        assert len(views.event_detail(s, b["id"])["sources"]) == len(b["sources"])
        assert s.event(b["id"])["merged_into"] is None


def test_snapshot_restore_removes_and_brings_back_a_manual_event(seed_copy):
    with Store(seed_copy) as s:
        total = count_events(s)
        changes = curation.add_manual_event(s, title="Hand-made", date="2021-03-04", sectors=["trade"])
        new_id = changes.event_ids[0]
        after = views.snapshot(s, [new_id])
        before = {"events": {str(new_id): None}, "sectors": {}, "entities": {}, "sources": {}}
        views.restore(s, before)
        assert s.event(new_id) is None and count_events(s) == total
        views.restore(s, after)
        assert s.event(new_id)["title"] == "Hand-made" and count_events(s) == total + 1
        assert [x["key"] for x in views.event_detail(s, new_id)["sectors"]] == ["trade"]


def test_event_page_counts_and_reference_data(seed_db):
    with Store(seed_db) as s:
        flt = EventFilter(sectors=("energy",))
        page = views.event_page(s, flt, with_total=True)
        assert page.filter == flt and page.shown == len(page.rows) < page.total == count_events(s)
        assert all("energy" in {x["key"] for x in views.event_detail(s, e["id"])["sectors"]} for e in page.rows)
        assert views.event_page(s, flt, offset=page.shown).rows == []
        rows = views.event_rows(s, [page.rows[0]["id"], 10**9])
        assert list(rows) == [page.rows[0]["id"]] and rows[page.rows[0]["id"]]["title"] == page.rows[0]["title"]
        entities = views.entity_facets(s, flt)
        assert entities and all(e["count"] >= 1 for e in entities)
        assert sum(e["count"] for e in views.entity_facets(s, EventFilter())) >= sum(e["count"] for e in entities)
        assert {r["key"] for r in views.sectors(s)} >= {"energy", "ai", "unclassified"}
    keys = [k for k, _ in views.kinds()]
    assert "milestone" in keys and "agreement" in keys
    assert "SQLite" in views.versions()
