"""What ingestion keeps between documents (the sides of stored events that merging compares, the relationship
ladder rebuilt only for the pairs a write touched) must never go stale: whatever changed an event — this
program's curation, a raw statement, a rollback, another connection — the next write sees it."""

import pytest

from partnership_explorer.core import curation
from partnership_explorer.core import relationship as rel
from partnership_explorer.core.ingest import ingest_paths
from partnership_explorer.core.query import EventFilter, list_events
from partnership_explorer.core.store import Store

TALKS = "The foreign ministers of Vietnam and South Korea held talks in Hanoi on March 3, 2025, on trade and energy."
TALKS_TOO = "South Korean and Vietnamese foreign ministers held talks in Hanoi on March 3, 2025, a ministry said."
OTHER_TALKS = "The foreign ministers of Vietnam and Japan held talks in Tokyo on March 3, 2025."
TALKS_AGAIN = ("Foreign ministers of Vietnam and South Korea held talks in Hanoi on March 3, 2025, covering "
               "trade, energy and investment.")

LADDERS = {
    "vn_jp_1.txt": "Vietnam and Japan established diplomatic relations in September 1973.",
    "vn_jp_2.txt": "Vietnam and Japan elevated their ties to a strategic partnership in 2009.",
    "vn_jp_3.txt": "Vietnam and Japan upgraded their relationship to a comprehensive strategic partnership "
                   "on November 27, 2023.",
    "vn_us_1.txt": "Vietnam and the United States normalized diplomatic relations in July 1995.",
    "vn_us_2.txt": "Vietnam and the United States upgraded their relations to a comprehensive strategic "
                   "partnership on September 10, 2023.",
    "kr_id_1.txt": "South Korea and Indonesia established diplomatic relations in September 1973.",
    "kr_id_2.txt": "South Korea and Indonesia lifted their ties to a special strategic partnership in 2017.",
}


def _write(folder, files: dict[str, str], published: str = "2025-03-04"):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,published\n" + "".join(f"{n},{published}\n" for n in files),
                                         encoding="utf-8")
    return folder


def _meetings(store):
    return [e for e in list_events(store, EventFilter(kinds=("meeting",)))]


def _stored_ladder(store):
    return sorted((s.pair_key, s.level, s.date, s.disputed, [x.row() for x in s.sources])
                  for s in rel.steps(store))


def _full_ladder(store):
    """The ladder derived from scratch (outside a transaction nothing kept between writes is used)."""
    assert not store.in_transaction
    return sorted((s.pair_key, s.level, s.date, s.disputed, [x.row() for x in s.sources]) for s in rel.derive(store))


def _milestone(store, title):
    [event] = [e["id"] for e in list_events(store, EventFilter(kinds=("milestone",))) if e["title"] == title]
    return event


def _levels(store, pair):
    return [lv for k, lv, *_ in _stored_ladder(store) if k == pair]


def test_an_article_told_again_merges_only_with_what_the_event_is_now_between(tmp_path):
    with Store(tmp_path / "t.db") as store:
        # two reports of the talks (merged), then other talks that day (compared with them, not merged)
        ingest_paths(store, [_write(tmp_path / "a", {"a.txt": TALKS, "b.txt": TALKS_TOO, "c.txt": OTHER_TALKS})])
        first, _other_talks = _meetings(store)
        # the user says the talks were with Japan, not Korea: a later article about Vietnam–Korea talks on the
        # same day is another happening
        curation.set_entities(store, first["id"], ["Vietnam", "Japan"])
        ingest_paths(store, [_write(tmp_path / "b", {"again.txt": TALKS_AGAIN})])
        assert [store.event(m["id"])["n_sources"] for m in _meetings(store)] == [2, 1, 1]


def test_a_change_committed_by_another_connection_is_seen_by_the_next_merge(tmp_path):
    db = tmp_path / "t.db"
    with Store(db) as store:
        # two reports of the talks (merged), then other talks that day (compared with them, not merged)
        ingest_paths(store, [_write(tmp_path / "a", {"a.txt": TALKS, "b.txt": TALKS_TOO, "c.txt": OTHER_TALKS})])
        first, _other_talks = _meetings(store)
        with Store(db) as other:  # e.g. the window, while a command-line ingest holds this store
            with other.atomic():
                curation.set_entities(other, first["id"], ["Vietnam", "Japan"])
        ingest_paths(store, [_write(tmp_path / "b", {"again.txt": TALKS_AGAIN})])
        assert [store.event(m["id"])["n_sources"] for m in _meetings(store)] == [2, 1, 1]
    # and without the change, the same two articles are one event told twice
    with Store(tmp_path / "u.db") as store:
        ingest_paths(store, [_write(tmp_path / "a", {"a.txt": TALKS, "b.txt": TALKS_TOO, "c.txt": OTHER_TALKS})])
        ingest_paths(store, [_write(tmp_path / "b", {"again.txt": TALKS_AGAIN})])
        assert [store.event(m["id"])["n_sources"] for m in _meetings(store)] == [3, 1]


def test_the_ladder_follows_every_kind_of_write_exactly_as_a_full_rebuild(tmp_path):
    db = tmp_path / "t.db"
    with Store(db) as store:
        ingest_paths(store, [_write(tmp_path / "a", LADDERS)])

        def check():
            assert _stored_ladder(store) == _full_ladder(store)

        check()
        assert _levels(store, "Japan|Vietnam") == [
            "comprehensive-strategic-partnership", "diplomatic-relations", "strategic-partnership"]
        # a title edit that names another level
        curation.edit(store, _milestone(store, "Japan–Vietnam relations upgraded to Strategic Partnership"),
                      title="Japan–Vietnam relations upgraded to Extensive Strategic Partnership")
        check()
        assert "extensive-strategic-partnership" in _levels(store, "Japan|Vietnam")
        # a milestone moved to another pair by its actors
        with store.atomic():
            curation.set_entities(store, _milestone(
                store, "Indonesia–South Korea relations upgraded to Special Strategic Partnership"),
                ["Vietnam", "Indonesia"])
        check()
        assert _levels(store, "Indonesia|Vietnam") == ["special-strategic-partnership"]
        assert _levels(store, "Indonesia|South Korea") == ["diplomatic-relations"]
        # rejected; a source removed by a raw statement; an event deleted outright
        curation.reject(store, _milestone(store, "United States–Vietnam diplomatic relations established"))
        check()
        assert _levels(store, "United States|Vietnam") == ["comprehensive-strategic-partnership"]
        upgrade = _milestone(store, "Japan–Vietnam relations upgraded to Comprehensive Strategic Partnership")
        with store.atomic():
            store.execute("DELETE FROM event_sources WHERE event_id = ?", [upgrade])
        check()
        with store.atomic():
            store.execute("DELETE FROM events WHERE id = ?", [upgrade])
        check()
        assert "comprehensive-strategic-partnership" not in _levels(store, "Japan|Vietnam")
        # an entity renamed: every pair it is in
        with store.atomic():
            store.execute("UPDATE entities SET name = 'Republic of Indonesia' WHERE name = 'Indonesia'")
        check()
        assert _levels(store, "Republic of Indonesia|South Korea") == ["diplomatic-relations"]
        # a transaction that fails leaves nothing kept from it
        ties = _milestone(store, "Japan–Vietnam diplomatic relations established")
        with pytest.raises(RuntimeError):
            with store.atomic():
                store.execute("UPDATE events SET title = 'Japan–Vietnam military alliance' WHERE id = ?", [ties])
                rel.rebuild(store)
                raise RuntimeError("undone")
        check()
        assert "alliance" not in _levels(store, "Japan|Vietnam")
        # another connection changes a milestone; this store's next write (of another pair) keeps the ladder exact
        with Store(db) as other:
            curation.edit(other, ties, title="Japan–Vietnam military alliance")
        ingest_paths(store, [_write(tmp_path / "b", {
            "ca_mx.txt": "Canada and Mexico established diplomatic relations in January 1944."})])
        check()
        assert "alliance" in _levels(store, "Japan|Vietnam")
        assert _levels(store, "Canada|Mexico") == ["diplomatic-relations"]
