"""core.changes: what each write says it changed, and what a view concludes from it (no Qt)."""

import datetime as dt

from partnership_explorer.core import curation, views
from partnership_explorer.core.changes import Changes, imported, ingested
from partnership_explorer.core.ingest import IngestReport
from partnership_explorer.core.interchange import ImportReport
from partnership_explorer.core.query import EventFilter, list_events
from partnership_explorer.core.store import Store


def _values(detail, **changes):
    values = {"title": detail["title"], "date": detail["date"], "precision": detail["precision"],
              "end": detail["end"] if detail["is_range"] else None, "kind": detail["kind"],
              "sectors": [s["key"] for s in detail["sectors"]], "entities": [e["name"] for e in detail["entities"]]}
    return {**values, **changes}


def test_an_edit_names_only_what_differs(seed_copy):
    with Store(seed_copy) as s:
        event = list_events(s)[4]
        detail = views.event_detail(s, event["id"])
        changes = curation.edit(s, event["id"], **_values(detail, title="A new title"))
        assert changes.event_ids == (event["id"],) and changes.titles and changes.status   # extracted → edited
        assert not (changes.dates or changes.sectors or changes.entities or changes.kinds or changes.adds_or_removes)
        again = curation.edit(s, event["id"], **_values(views.event_detail(s, event["id"]), date="1999-05"))
        assert again.dates and not (again.titles or again.status or again.sectors)
        current = views.event_detail(s, event["id"])
        assert "ASEAN" not in {e["name"] for e in current["entities"]}
        links = curation.edit(s, event["id"], **_values(current, sectors=["health"],
                                                        entities=[*(e["name"] for e in current["entities"]), "ASEAN"]))
        assert links.sectors and links.entities and not links.dates
        assert not curation.edit(s, event["id"], **_values(views.event_detail(s, event["id"]))).status


def test_status_manual_and_merge(seed_copy):
    with Store(seed_copy) as s:
        a, b = list_events(s)[:2]
        assert curation.confirm(s, a["id"]).status
        assert not curation.confirm(s, a["id"]).status          # already confirmed: nothing changed
        added = curation.add_manual_event(s, title="By hand", date="2020")
        assert added.added_ids == added.event_ids and added.adds_or_removes
        merged = curation.merge(s, a["id"], b["id"])
        assert merged.removed_ids == (b["id"],) and merged.sources and merged.ids == {a["id"], b["id"]}


def test_what_a_filter_concludes():
    retitle = Changes((7,), titles=True)
    assert not retitle.may_change_matches(EventFilter())
    assert not retitle.may_change_matches(EventFilter(sectors=("ai",), entities=("Vietnam",)))
    assert retitle.may_change_matches(EventFilter(query="summit"))
    reject = Changes((7,), status=True)
    assert not reject.may_change_matches(EventFilter()) and reject.may_change_matches(EventFilter(show_rejected=False))
    moved = Changes((7,), dates=True)
    assert moved.moves_events and moved.may_change_matches(EventFilter(date_from=dt.date(2020, 1, 1)))
    assert not moved.may_change_matches(EventFilter(sectors=("ai",)))
    assert Changes((7,), sectors=True).may_change_matches(EventFilter(sectors=("ai",)))
    assert Changes((7,), entities=True).may_change_matches(EventFilter(entities=("Vietnam",)))
    assert Changes(added_ids=(9,), event_ids=(9,)).may_change_matches(EventFilter())
    assert retitle.touches([1, 7]) and not retitle.touches([1, 2]) and Changes.unknown().touches([1])
    assert not Changes() and Changes.unknown() and retitle


def test_inverse_and_merged():
    add = Changes((5, 6), added_ids=(6,), titles=True)
    undo = add.inverse()
    assert undo.removed_ids == (6,) and undo.event_ids == (5,) and undo.titles and undo.action == "undo"
    merge = Changes((1,), removed_ids=(2,), sources=True)
    assert merge.inverse().added_ids == (2,) and set(merge.inverse().event_ids) == {1, 2}
    both = Changes((1,), status=True).merged(Changes((2,), titles=True))
    assert both.event_ids == (1, 2) and both.status and both.titles and not both.dates


def test_ingestion_and_import_changes():
    assert not ingested(IngestReport(unchanged=3))
    report = IngestReport(new=2, updated=1)
    changes = ingested(report)
    assert changes.documents == 3 and changes.all_events and changes.moves_events
    assert ingested(None, partial=True).all_events
    nothing = ImportReport("a.csv", "csv", unchanged=4, event_ids=[1, 2, 3, 4])
    assert not imported(nothing)
    some = ImportReport("a.csv", "csv", new=1, updated=1, event_ids=[3, 10])
    changes = imported(some, [10])
    assert changes.event_ids == (3, 10) and changes.added_ids == (10,) and changes.adds_or_removes


def test_an_event_can_be_set_to_its_week(seed_copy):
    with Store(seed_copy) as s:
        event = list_events(s, EventFilter())[0]
        detail = views.event_detail(s, event["id"])
        curation.edit(s, event["id"], **_values(detail, date="2025-04-16", precision="week", end=None))
        after = views.event_detail(s, event["id"])
        assert (after["date"], after["precision"], after["start"], after["end"], bool(after["is_range"])) == (
            "2025-W16", "week", "2025-04-14", "2025-04-20", False)
        curation.edit(s, event["id"], **_values(after, date="2025-W01", precision=None))  # typed as a week
        again = views.event_detail(s, event["id"])
        assert (again["date"], again["precision"], again["start"], again["end"]) == (
            "2025-W01", "week", "2024-12-30", "2025-01-05")
    assert curation.period("2025-W16") == curation.period("2025-04-20", "week")
