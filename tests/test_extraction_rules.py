"""General extraction rules on articles written for these tests (not the seeds): what an analyst would list,
and nothing else."""

import datetime as dt

from partnership_explorer.core.extract import extract_candidates
from partnership_explorer.core.ingest import ingest_paths
from partnership_explorer.core.query import EventFilter, list_events


def cands(text, published, precision="day"):
    return extract_candidates(text, published=published, published_precision=precision)


def test_each_upgrade_in_an_enumeration_gets_its_own_year():
    text = ("Relations have grown through several upgrades, from comprehensive partnership in 2001 to strategic "
            "partnership in 2009 and comprehensive strategic partnership in 2022.")
    found = {(c.date.label(), c.detail) for c in cands(text, dt.date(2023, 6, 24)) if c.kind == "milestone"}
    assert found == {("2001", "Comprehensive Partnership"), ("2009", "Strategic Partnership"),
                     ("2022", "Comprehensive Strategic Partnership")}


def test_summit_day_carries_both_the_summit_and_the_upgrade():
    text = ("SEOUL, Dec. 5 -- President Yoon Suk Yeol and Vietnamese President Nguyen Xuan Phuc agreed to "
            "establish a comprehensive strategic partnership during a summit in Seoul on Monday.")
    kinds = {(c.kind, c.date.label()) for c in cands(text, dt.date(2022, 12, 5))}
    assert ("milestone", "2022-12-05") in kinds and ("meeting", "2022-12-05") in kinds
    assert not any(k == "agreement" for k, _ in kinds)  # the agreement *is* the upgrade


def test_next_line_takes_the_day_of_the_lead_and_surnames_resolve():
    text = ("HANOI, Oct. 18 -- The two countries on Tuesday agreed to deepen cooperation.\n"
            "Foreign Minister Park Jin held talks with his counterpart Bui Thanh Son in Hanoi.\n"
            "Park said the talks were productive.\n")
    meetings = [c for c in cands(text, dt.date(2022, 10, 18)) if c.kind == "meeting"]
    assert len(meetings) == 1
    m = meetings[0]
    assert m.date.label() == "2022-10-18" and m.inherited_date
    assert m.title == "Talks between Park Jin and Bui Thanh Son in Hanoi"


def test_a_figure_for_a_future_year_is_a_target_not_a_statistic():
    text = "The two leaders agreed to increase trade to $100 billion by 2020."
    found = [(c.kind, c.date.label()) for c in cands(text, dt.date(2018, 3, 23))]
    assert ("target", "2020") in found and not any(k == "statistic" for k, _ in found)


def test_a_date_after_another_signal_is_not_taken_by_a_distant_milestone():
    text = ("They pledged to deepen defence ties in line with their elevated ties to a comprehensive strategic "
            "partnership, including plans to revise their memorandum of understanding on defence cooperation, "
            "originally signed in 2010.")
    found = [(c.kind, c.date.label()) for c in cands(text, dt.date(2025, 4, 14))]
    assert found == [("agreement", "2010")]


def test_a_state_of_affairs_since_a_year_is_not_a_meeting():
    text = "They agreed in February to resume the nuclear dialogue, which had been on hiatus since 2017."
    found = [(c.kind, c.date.label()) for c in cands(text, dt.date(2025, 4, 14))]
    assert ("meeting", "2017") not in found


def test_same_targets_in_different_currencies_spelling_merge(store, tmp_path):
    (tmp_path / "a.txt").write_text("The sides aim for US$150 billion in bilateral trade by 2030.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Both want trade of 150 billion USD by 2030.\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,published\na.txt,2023-06-23\nb.txt,2023-06-24\n", encoding="utf-8")
    ingest_paths(store, [tmp_path])
    targets = [e for e in list_events(store, EventFilter()) if e["kind"] == "target"]
    assert len(targets) == 1 and len(targets[0]["sources"]) == 2


def test_agreement_to_upgrade_and_the_upgrade_months_later_are_one_milestone(store, tmp_path):
    (tmp_path / "oct.txt").write_text(
        "SEOUL, Oct. 18 -- The two countries on Tuesday agreed to elevate their relationship to a "
        "comprehensive strategic partnership.\n", encoding="utf-8")
    (tmp_path / "dec.txt").write_text(
        "The two presidents upgraded ties to a comprehensive strategic partnership on December 5, 2022.\n",
        encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,published\noct.txt,2022-10-18\ndec.txt,2022-12-06\n",
                                           encoding="utf-8")
    ingest_paths(store, [tmp_path])
    milestones = [e for e in list_events(store, EventFilter()) if e["kind"] == "milestone"]
    assert len(milestones) == 1 and len(milestones[0]["sources"]) == 2


def test_someone_only_quoted_about_an_event_is_not_one_of_its_entities():
    text = ("Ambassador Choi Young-sam spoke to reporters.\n"
            "“The two countries upgraded their relationship to a comprehensive strategic partnership in 2022,” "
            "Choi said.")
    upgrade = [c for c in cands(text, dt.date(2025, 4, 14)) if c.kind == "milestone"]
    assert len(upgrade) == 1
    assert "Choi Young-sam" not in {e.name for e in upgrade[0].entities}


def test_named_partnership_levels_with_years_in_brackets():
    text = ("The two countries upgraded their ties step by step, from the Strategic Partnership for Peace and "
            "Prosperity in Asia (2009) to the Extensive Strategic Partnership for Peace and Prosperity in Asia (2014).")
    found = {(c.date.label(), c.detail) for c in cands(text, dt.date(2023, 11, 27)) if c.kind == "milestone"}
    assert found == {("2009", "Strategic Partnership"), ("2014", "Extensive Strategic Partnership")}


def test_talks_where_an_upgrade_is_agreed_give_both_events():
    text = ("Vietnam and Japan have agreed to upgrade their relations to a Comprehensive Strategic Partnership for "
            "Peace and Prosperity, following official talks between President Vo Van Thuong and Prime Minister "
            "Kishida Fumio in Tokyo on Monday.")
    found = {(c.kind, c.date.label()) for c in cands(text, dt.date(2023, 11, 27))}
    assert found == {("milestone", "2023-11-27"), ("meeting", "2023-11-27")}
