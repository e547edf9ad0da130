"""What an analyst expects from the five bundled articles: each dated event there, with the right date and
precision, merged across articles where several tell the same story, and no junk dates."""

import pytest

from partnership_explorer.core.query import EventFilter, list_events
from partnership_explorer.core.store import Store


@pytest.fixture(scope="module")
def events(seed_db):
    with Store(seed_db) as s:
        return list_events(s, EventFilter())


def _docs(e):
    return {s["document"][:3] for s in e["sources"]}


def _names(e):
    return {x["name"] for x in e["entities"]}


def find(events, date, *, kinds=None, words=(), entities=(), precision=None):
    hits = []
    for e in events:
        if e["date"] != date:
            continue
        if kinds and e["kind"] not in kinds:
            continue
        if precision and e["precision"] != precision:
            continue
        text = (e["title"] + " " + " ".join(s["sentence"] for s in e["sources"])).lower()
        if any(w.lower() not in text for w in words):
            continue
        if any(n not in _names(e) for n in entities):
            continue
        hits.append(e)
    return hits


def one(events, date, **kw):
    hits = find(events, date, **kw)
    assert hits, f"no event dated {date} matching {kw}; events on that date: " + str(
        [(e["kind"], e["title"]) for e in events if e["date"] == date])
    assert len(hits) == 1, f"{len(hits)} events dated {date} match {kw}: {[e['title'] for e in hits]}"
    return hits[0]


def test_diplomatic_relations_1992_is_one_event_told_by_two_articles(events):
    e = one(events, "1992", kinds={"milestone"}, words=["diplomatic relations"])
    assert e["precision"] == "year"
    assert {"000", "004"} <= _docs(e)
    assert "diplomacy" in e["sectors"]


def test_comprehensive_strategic_partnership_december_2022_merges_three_articles(events):
    e = one(events, "2022-12", kinds={"milestone"}, words=["comprehensive strategic partnership"])
    assert e["precision"] == "month"
    assert {"000", "003", "004"} <= _docs(e)
    assert not find(events, "2022", kinds={"milestone"}, words=["comprehensive strategic partnership"])


def test_august_2025_visit_and_summit_is_one_event(events):
    e = one(events, "2025-08", kinds={"visit", "meeting"}, entities=["To Lam"])
    assert {"000", "001"} <= _docs(e)


def test_roundtable_and_mou_of_12_august_2025(events):
    one(events, "2025-08-12", kinds={"meeting"}, words=["roundtable"])
    mou = one(events, "2025-08-12", kinds={"agreement"}, words=["MoU"])
    names = _names(mou)
    assert any("Ministry of Science and Technology" in n or n == "MoST" for n in names), names
    assert any("Ministry of Science and ICT" in n for n in names), names
    assert "science" in mou["sectors"]


def test_nuclear_mou_2011_and_defence_mou_2010(events):
    nuclear = one(events, "2011", kinds={"agreement"}, words=["nuclear"])
    assert "energy" in nuclear["sectors"]
    defence = one(events, "2010", kinds={"agreement"}, words=["defense"])
    assert "defence" in defence["sectors"]


def test_2025_kt_viettel_and_lg_cns_vnpt_deals_are_two_events(events):
    kt = one(events, "2025", kinds={"agreement", "deal"}, entities=["KT", "Viettel"])
    lg = one(events, "2025", kinds={"agreement", "deal"}, entities=["LG CNS", "VNPT"])
    assert kt["id"] != lg["id"]
    assert "ai" in kt["sectors"] and "ai" in lg["sectors"]


def test_digital_forum_29_october_2025(events):
    e = one(events, "2025-10-29", kinds={"meeting"}, words=["Digital Forum"])
    assert e["precision"] == "day"


def test_june_2023_summit(events):
    one(events, "2023-06", kinds={"meeting"}, words=["summit"])


def test_ministerial_talks_may_2024_and_april_2025(events):
    one(events, "2024-05", kinds={"meeting"}, words=["talks"])
    one(events, "2025-04-15", kinds={"meeting", "visit"}, words=["talks"])


def test_february_and_march_2025_visits(events):
    one(events, "2025-02", kinds={"visit"}, entities=["Nguyen Hong Dien"])
    one(events, "2025-03", kinds={"visit", "meeting"}, entities=["Park Sang-woo"])


def test_vkist_opened_2023(events):
    e = one(events, "2023", kinds={"opening"}, words=["opened"])
    assert "Vietnam-Korea Institute of Science and Technology" in " ".join(_names(e)) or "VKIST" in e["title"]


def test_dated_trade_figures(events):
    one(events, "2024", kinds={"statistic"}, words=["$86.7 billion"])
    target = find(events, "2030", kinds={"target"}, words=["$150 billion"])
    assert len(target) == 1 and {"001", "004"} <= _docs(target[0])


JUNK = ("$92", "40%", "33 years", "10 years", "Sa Dec", "we", "1-5683", "130 trillion", "10,000")


def test_no_junk_dates(events):
    for e in events:
        assert "1990" <= e["start"][:4] and e["end"][:4] <= "2046", (e["date"], e["title"])
        for s in e["sources"]:
            assert s["date_text"] not in JUNK, (s["date_text"], e["title"])
            assert not any(j in s["date_text"] for j in ("$", "%", "years")), s["date_text"]


def test_every_source_points_at_its_sentence(seed_db, events):
    with Store(seed_db) as s:
        texts = {d["file_name"]: d["text"] for d in s.db["documents"].rows}
    for e in events:
        for src in e["sources"]:
            assert texts[src["document"]][src["start"]:src["end"]] == src["sentence"]
            assert src["date_text"] and src["date_text"] in src["sentence"] or e["kind"] != "milestone"


def test_titles_read_like_titles(events):
    for e in events:
        assert 3 <= len(e["title"]) <= 120, e["title"]
        assert e["title"][0].isupper() or e["title"][0].isdigit() or e["title"][0] in "$“\"", e["title"]
