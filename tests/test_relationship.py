"""The relationship ladder (core/relationship.py) and disputed dates, without Qt: steps come from milestone events,
follow every write, keep each source's date, and a user's decisions about a step survive rebuilding."""

import json
import shutil

import pytest
from click.testing import CliRunner

from partnership_explorer.cli import cli
from partnership_explorer.core import curation
from partnership_explorer.core import relationship as rel
from partnership_explorer.core.ingest import ingest_paths
from partnership_explorer.core.query import EventFilter, list_events
from partnership_explorer.core.store import Store


def _ladder(store, pair):
    return [(s.date, s.level) for s in rel.steps(store, pair)]


def _write(folder, files: dict[str, str], published: dict[str, str]):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,published\n" + "".join(f"{n},{d}\n" for n, d in published.items()), encoding="utf-8")


def test_seed_ladder_of_vietnam_and_south_korea_is_1992_then_december_2022(seed_db):
    with Store(seed_db, readonly=True) as s:
        steps = rel.steps(s, "Vietnam–South Korea")
        assert [(st.date, st.label, st.rank) for st in steps] == [
            ("1992", "Diplomatic relations", 1), ("2022-12", "Comprehensive Strategic Partnership", 6)]
        milestones = {e["title"]: e["id"] for e in list_events(s, EventFilter(kinds=("milestone",)))}
        assert steps[0].event_ids == [milestones["Vietnam–South Korea diplomatic relations established"]]
        assert steps[1].event_ids == [
            milestones["Vietnam–South Korea relations upgraded to Comprehensive Strategic Partnership"]]
        # each source keeps its own date: one article says December 2022, two say 2022 (agreement, not dispute)
        assert sorted(x.date_value for x in steps[1].sources) == ["2022", "2022", "2022-12"]
        assert not steps[1].disputed
        assert {x.document for x in steps[1].sources} and all(x.source_id for x in steps[1].sources)
        # the pair is named either way round, by any alias
        assert _ladder(s, "Korea / Viet Nam") == _ladder(s, "Vietnam–South Korea")


def test_vocabulary_reads_the_most_specific_level_in_three_languages():
    v = rel.default_vocabulary()
    cases = {
        "Relations upgraded to Comprehensive Strategic Partnership": "comprehensive-strategic-partnership",
        "the two sides became strategic partners": "strategic-partnership",
        "an Extensive Strategic Partnership for peace and prosperity in Asia": "extensive-strategic-partnership",
        "a special global strategic partnership": "special-global-strategic-partnership",
        "a comprehensive partnership": "comprehensive-partnership",
        "nâng cấp quan hệ lên Đối tác Chiến lược Toàn diện": "comprehensive-strategic-partnership",
        "Đối tác chiến lược sâu rộng": "extensive-strategic-partnership",
        "포괄적 전략적 동반자 관계로 격상": "comprehensive-strategic-partnership",
        "양국은 1992년 수교했다": "diplomatic-relations",
        "a treaty of friendship and cooperation": "friendship-treaty",
        "the military alliance of the two countries": "alliance",
    }
    for text, key in cases.items():
        assert v.find(text).key == key, text
    assert v.find("the two ministers met in Hanoi") is None
    ranks = {lv.key: lv.rank for lv in v.levels}
    assert ranks["diplomatic-relations"] < ranks["comprehensive-partnership"] < ranks["strategic-partnership"] \
        < ranks["comprehensive-strategic-partnership"] < ranks["alliance"]


def test_a_pair_climbing_four_levels_gets_four_steps_in_order(store, tmp_path):
    _write(tmp_path / "a", {
        "ties.txt": "Vietnam and Japan established diplomatic relations in September 1973.",
        "up1.txt": "Vietnam and Japan elevated their ties to a strategic partnership in 2009.",
        "up2.txt": "In March 2014 Vietnam and Japan upgraded relations to an extensive strategic partnership.",
        "up3.txt": "Vietnam and Japan upgraded their relationship to a comprehensive strategic partnership "
                   "on November 27, 2023.",
    }, {"ties.txt": "2023-09-21", "up1.txt": "2009-05-01", "up2.txt": "2014-03-20", "up3.txt": "2023-11-28"})
    ingest_paths(store, [tmp_path / "a"])
    steps = rel.steps(store, "Japan–Vietnam")
    assert [(s.date, s.level) for s in steps] == [
        ("1973-09", "diplomatic-relations"), ("2009", "strategic-partnership"),
        ("2014-03", "extensive-strategic-partnership"), ("2023-11-27", "comprehensive-strategic-partnership")]
    assert [s.rank for s in steps] == sorted(s.rank for s in steps)
    # another pair's article adds its own ladder and leaves this one alone
    _write(tmp_path / "b", {"us.txt": "Vietnam and the United States upgraded their relations to a comprehensive "
                                      "strategic partnership on September 10, 2023."}, {"us.txt": "2023-09-11"})
    ingest_paths(store, [tmp_path / "b"])
    assert len(rel.steps(store, "Japan–Vietnam")) == 4
    assert _ladder(store, "United States–Vietnam") == [("2023-09-10", "comprehensive-strategic-partnership")]


def test_sources_that_disagree_about_a_step_keep_each_date_and_the_event_is_listed_as_disputed(store, tmp_path):
    _write(tmp_path, {
        "a.txt": "Vietnam and Japan established diplomatic relations in September 1973.",
        "b.txt": "Vietnam and Japan established diplomatic relations on September 21, 1973.",
        "c.txt": "Vietnam and Japan established diplomatic relations in 1974, the embassy said.",
    }, {"a.txt": "2023-09-21", "b.txt": "2023-09-22", "c.txt": "2023-09-23"})
    ingest_paths(store, [tmp_path])
    [step] = rel.steps(store, "Vietnam–Japan")
    assert step.date == "1973-09-21" and step.disputed
    assert sorted(x.date_value for x in step.sources) == ["1973-09", "1973-09-21", "1974"]
    disputed = list_events(store, EventFilter(disputed=True))
    assert [e["id"] for e in disputed] == step.event_ids
    assert EventFilter(disputed=True).describe() == "disputed dates"


def test_steps_follow_curation_and_a_users_step_edits_survive_rebuilding(seed_copy):
    with Store(seed_copy) as s:
        ties, upgrade = rel.steps(s, "Vietnam–South Korea")
        # the user moves the upgrade's date: locked, rebuilt ladders keep it
        edited = rel.edit_step(s, upgrade.id, date="2022-12-05")
        assert (edited.date, edited.status, edited.locked) == ("2022-12-05", "edited", True)
        rel.rebuild(s)
        curation.confirm(s, upgrade.event_ids[0])      # a write: the hook rebuilds the ladder
        assert [x.date for x in rel.steps(s, "Vietnam–South Korea")] == ["1992", "2022-12-05"]
        assert rel.steps(s, "Vietnam–South Korea")[1].event_ids == upgrade.event_ids   # links refreshed, kept
        # rejecting the milestone event removes its derived step (and re-ingesting does not bring it back)
        curation.reject(s, ties.event_ids[0])
        assert [x.level for x in rel.steps(s, "Vietnam–South Korea")] == ["comprehensive-strategic-partnership"]
        # a rejected step stays out; a step added by the user stays in
        rel.reject_step(s, upgrade.id)
        added = rel.add_step(s, "Vietnam – South Korea", "strategic partnership", "2009")
        assert (added.status, added.pair_key) == ("manual", upgrade.pair_key)
        rel.rebuild(s)
        assert [(x.date, x.level) for x in rel.steps(s, "Vietnam–South Korea")] == [
            ("2009", "strategic-partnership")]
        assert {r[0] for r in s.execute("SELECT action FROM curation_log WHERE action LIKE 'step-%'")} == {
            "step-edit", "step-reject", "step-add"}
        with pytest.raises(rel.RelationshipError, match="already has"):
            rel.add_step(s, "Vietnam–South Korea", "strategic partnership", "2010")
        with pytest.raises(rel.RelationshipError, match="not a relationship level"):
            rel.edit_step(s, added.id, level="best friends")


def test_ladder_for_the_window_follows_the_entity_filter(seed_db):
    with Store(seed_db, readonly=True) as s:
        label, steps = rel.ladder_for(s, EventFilter())
        assert label == "Vietnam–South Korea" and len(steps) == 2
        assert rel.ladder_for(s, EventFilter(entities=("Korea",)))[0] == "Vietnam–South Korea"
        assert rel.ladder_for(s, EventFilter(entities=("KT",))) == (None, [])


def test_cli_relationship_table_json_and_errors(seed_db, tmp_path):
    db = tmp_path / "db.db"
    shutil.copy(seed_db, db)
    runner = CliRunner()
    r = runner.invoke(cli, ["relationship", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "Vietnam–South Korea" in r.output and "Comprehensive Strategic Partnership" in r.output
    assert "2 steps" in r.output
    r = runner.invoke(cli, ["relationship", "--db", str(db), "--pair", "South Korea-Vietnam", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [(x["date"], x["level"]) for x in data["steps"]] == [
        ("1992", "diplomatic-relations"), ("2022-12", "comprehensive-strategic-partnership")]
    assert all(x["event_ids"] and x["sources"] for x in data["steps"])
    r = runner.invoke(cli, ["relationship", "--db", str(db), "--pair", "Vietnam–Japan"])
    assert r.exit_code == 2 and "no relationship ladder for 'Vietnam–Japan'" in r.output
    assert "Vietnam–South Korea" in r.output and "Traceback" not in r.output


def test_cli_events_disputed_lists_each_sources_date(store, tmp_path):
    _write(tmp_path / "a", {
        "a.txt": "South Korea and Vietnam upgraded their relations to a comprehensive strategic partnership in "
                 "December 2022.",
        "b.txt": "South Korea and Vietnam upgraded their relations to a comprehensive strategic partnership in 2021, "
                 "officials recalled.",
    }, {"a.txt": "2023-01-10", "b.txt": "2023-02-10"})
    ingest_paths(store, [tmp_path / "a"])
    runner = CliRunner()
    r = runner.invoke(cli, ["events", "--db", str(store.path), "--disputed"])
    assert r.exit_code == 0, r.output
    assert "1 events" in r.output and "2022-12 (a.txt)" in r.output and "2021 (b.txt)" in r.output
    r = runner.invoke(cli, ["events", "--db", str(store.path)])
    assert "dates by source" not in r.output


def test_a_hand_edited_source_date_neither_breaks_a_write_nor_the_ladder(seed_copy):
    with Store(seed_copy) as s:
        upgrade = rel.steps(s, "Vietnam–South Korea")[1]
        s.execute("UPDATE event_sources SET date_first = 'soon', date_last = 'later' WHERE event_id = ?",
                  [upgrade.event_ids[0]])
        curation.confirm(s, upgrade.event_ids[0])       # the write goes through; the step keeps the event's date
        assert s.event(upgrade.event_ids[0])["status"] == "confirmed"
        assert [x.date for x in rel.steps(s, "Vietnam–South Korea")] == ["1992", "2022-12"]
