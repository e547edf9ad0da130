"""Merging across articles is safe: a mention joins an event only when it is the same happening (same sides,
compatible kind and dates), and an article about another partnership never changes an existing event."""

import datetime as dt
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership_explorer.core.ingest import ingest_paths
from partnership_explorer.core.merging import SourceDate, best_supported
from partnership_explorer.core.query import EventFilter, event_json, list_events
from partnership_explorer.core.store import Store


def _snapshot(db) -> dict:
    with Store(db) as s:
        out = {}
        for e in list_events(s, EventFilter()):
            out[e["id"]] = (
                e["title"], e["date"], e["precision"], e["start"], e["end"], e["kind"],
                sorted((a["name"], a["role"]) for a in e["actors"]),
                sorted(x["name"] for x in e["entities"]),
                sorted((x["document"], x["start"], x["date_text"], repr(x.get("date"))) for x in e["sources"]),
                e.get("cameo"),
            )
        return out


# Pairs that are not the seeds' Vietnam–South Korea (some share one side with it)
PAIRS = [("France", "Morocco"), ("Germany", "Kenya"), ("Vietnam", "United States"), ("Japan", "Philippines"),
         ("India", "Vietnam"), ("South Korea", "Indonesia"), ("Australia", "Indonesia"), ("Canada", "Poland"),
         ("Vietnam", "Japan"), ("South Korea", "Poland"), ("Chile", "India"), ("Norway", "Ghana"),
         ("Andina Lithium", "Kestrel Motors"), ("Hanbit Electronics", "Minh Phat Group")]
# Dates the seed events have, so that the generated events collide with them in time
DATES = ["in 1992", "in December 2022", "on December 5, 2022", "in August 2025", "on August 12, 2025",
         "in 2010", "in 2011", "in June 2023", "on October 29, 2025", "in 2024", "last year", "on Tuesday"]
HAPPENINGS = [
    "{a} and {b} established diplomatic relations {d}.",
    "{a} and {b} upgraded their relations to a comprehensive strategic partnership {d}.",
    "{a} and {b} signed a memorandum of understanding on {topic} {d}.",
    "The president of {a} paid a state visit to {b} {d}.",
    "Leaders of {a} and {b} held a summit {d} and agreed to deepen cooperation in {topic}.",
    "Trade between {a} and {b} reached $30 billion {d}.",
    "{a}'s Ministry of Science and {b}'s science ministry held a roundtable on {topic} {d}.",
    "Minister Alain Dufresne of {a} met his counterpart from {b} {d} to discuss {topic}.",
    "Officials of {a} will sign an agreement on {topic} with {b} {d}.",
    "A delegation from {a} will travel to {b} {d} to discuss {topic}.",
    "{a} recognised {b} {d}.",
    "{a} bought a 20% stake in a {b} joint venture {d}.",
    "{a} and {b} signed four agreements {d} after talks on {topic}.",
    "The plant built by {a} and {b} began commercial operations {d}.",
    "{a} and {b} normalized relations {d} and became strategic partners in 2011.",
]
TOPICS = ["semiconductors", "nuclear energy", "defence", "digital transformation", "science and technology"]


@st.composite
def articles(draw):
    a, b = draw(st.sampled_from(PAIRS))
    n = draw(st.integers(1, 4))
    lines = [f"{a} and {b} deepen ties"]
    for _ in range(n):
        lines.append(draw(st.sampled_from(HAPPENINGS)).format(
            a=a, b=b, d=draw(st.sampled_from(DATES)), topic=draw(st.sampled_from(TOPICS))))
    return "\n\n".join(lines) + "\n"


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=articles(), published=st.dates(dt.date(2023, 1, 1), dt.date(2026, 6, 30)))
def test_an_article_about_other_parties_leaves_every_seed_event_unchanged(seed_db, tmp_path_factory, text, published):
    work = tmp_path_factory.mktemp("other")
    db = work / "seed.db"
    shutil.copy(seed_db, db)
    before = _snapshot(db)
    folder = work / "articles"
    folder.mkdir()
    (folder / "other.txt").write_text(text, encoding="utf-8")
    (folder / "manifest.csv").write_text(f"file,published\nother.txt,{published.isoformat()}\n", encoding="utf-8")
    with Store(db) as s:
        report = ingest_paths(s, [folder])
    assert report.ok
    after = _snapshot(db)
    changed = {i: (before[i], after.get(i)) for i in before if after.get(i) != before[i]}
    assert not changed, changed


def test_same_upgrade_of_another_pair_on_another_day_is_its_own_event(store, tmp_path):
    (tmp_path / "a.txt").write_text(
        "South Korea and Vietnam upgraded their relations to a comprehensive strategic partnership on "
        "December 5, 2022.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Vietnam and the United States upgraded their relations to a comprehensive strategic partnership on "
        "September 10, 2023.\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,published\na.txt,2022-12-06\nb.txt,2023-09-11\n", encoding="utf-8")
    ingest_paths(store, [tmp_path])
    ups = sorted((e["date"], tuple(sorted(a["name"] for a in e["actors"] if a["role"] == "party")))
                 for e in list_events(store, EventFilter()) if e["kind"] == "milestone")
    assert ups == [("2022-12-05", ("South Korea", "Vietnam")), ("2023-09-10", ("United States", "Vietnam"))]


def test_sources_that_disagree_keep_their_own_dates_and_the_event_the_best_supported(store, tmp_path):
    (tmp_path / "a.txt").write_text(
        "Vietnam and Japan established diplomatic relations in September 1973.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Vietnam and Japan established diplomatic relations on September 21, 1973.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text(
        "Vietnam and Japan established diplomatic relations in 1974, the embassy said.\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,published\na.txt,2023-09-21\nb.txt,2023-09-22\nc.txt,2023-09-23\n", encoding="utf-8")
    ingest_paths(store, [tmp_path])
    [e] = [event_json(e) for e in list_events(store, EventFilter()) if e["kind"] == "milestone"]
    assert e["date"] == "1973-09-21" and e["precision"] == "day"
    assert e["cameo"] == "054"
    assert sorted(s["date"]["date"] for s in e["sources"]) == ["1973-09", "1973-09-21", "1974"]
    assert {a["name"] for a in e["actors"] if a["role"] == "party"} == {"Vietnam", "Japan"}


def test_best_supported_date_never_lets_one_disagreeing_source_move_an_event():
    dec = SourceDate(dt.date(2022, 12, 1), dt.date(2022, 12, 31), "month")
    sep = SourceDate(dt.date(2023, 9, 10), dt.date(2023, 9, 10), "day")
    day = SourceDate(dt.date(2022, 12, 5), dt.date(2022, 12, 5), "day")
    assert best_supported([dec, sep]) == dec
    assert best_supported([dec, sep, day]) == day
    assert best_supported([sep, dec, day]) == day  # two sources agree on December 2022
    assert best_supported([]) is None


def _pairwise_best(dates):
    """best_supported written out pair by pair: the reference for the array path taken for many dates."""
    support = [sum(1 for o in dates if d.inside(o) or o.inside(d)) for d in dates]
    top = max(support)
    chosen = dates[support.index(top)]
    finer = [d for d, n in zip(dates, support) if n == top and d.inside(chosen)]
    return min(finer, key=lambda d: d.width) if finer else chosen


_days = st.builds(lambda start, width, precision: SourceDate(
    dt.date(2020, 1, 1) + dt.timedelta(days=start), dt.date(2020, 1, 1) + dt.timedelta(days=start + width),
    precision), st.integers(0, 900), st.sampled_from([0, 0, 0, 6, 30, 364, 500]), st.sampled_from(["day", "year"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(_days, min_size=1, max_size=80))
def test_best_supported_gives_the_same_date_for_many_sources_as_comparing_each_pair(dates):
    assert best_supported(dates) == _pairwise_best(dates)


def test_an_article_rewritten_in_the_same_session_leaves_its_event_the_date_its_sources_now_support(store, tmp_path):
    """The writer counts each event's source dates as sources join; an article stored again with another date
    (its old sources removed) must not be counted with its old date."""
    texts = {"a.txt": "in September 1973", "b.txt": "on September 21, 1973", "c.txt": "in 1974, the embassy said"}
    for name, when in texts.items():
        (tmp_path / name).write_text(f"Vietnam and Japan established diplomatic relations {when}.\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "file,published\na.txt,2023-09-21\nb.txt,2023-09-22\nc.txt,2023-09-23\n", encoding="utf-8")

    def milestone():
        [e] = [event_json(e) for e in list_events(store, EventFilter()) if e["kind"] == "milestone"]
        return e["date"], sorted(s["date"]["date"] for s in e["sources"])

    assert ingest_paths(store, [tmp_path]).ok
    assert milestone() == ("1973-09-21", ["1973-09", "1973-09-21", "1974"])
    (tmp_path / "b.txt").write_text(
        "Vietnam and Japan established diplomatic relations in 1974, officials recalled.\n", encoding="utf-8")
    report = ingest_paths(store, [tmp_path])  # the same store: what it counted for the event is kept
    assert report.updated == 1 and report.unchanged == 2
    assert milestone() == ("1974", ["1973-09", "1974", "1974"])


def test_reading_only_events_whose_signature_can_match_merges_exactly_as_reading_every_overlapping_event(
        tmp_path, monkeypatch):
    """The merge look-up narrows the stored events by their extraction key (a figure's indicator, a milestone's
    rule) before comparing them: over the development articles and the seeds, the database is the same as when
    every stored event of the family and dates is compared."""
    from pathlib import Path

    from partnership_explorer.core import merge_keys

    root = Path(__file__).parent
    inputs = [root / "corpus" / "articles", root.parent / "seeds"]
    with Store(tmp_path / "narrowed.db") as s:
        assert ingest_paths(s, inputs).ok
    monkeypatch.setattr(merge_keys, "signature_keys", lambda cand, kinds: None)
    with Store(tmp_path / "every.db") as s:
        assert ingest_paths(s, inputs).ok
    narrowed, every = _snapshot(tmp_path / "narrowed.db"), _snapshot(tmp_path / "every.db")
    assert len(narrowed) > 300 and sum(len(e[7]) > 1 for e in narrowed.values()) > 20  # merges happened
    assert narrowed == every
