"""Partner pairs, their filter and their network (Qt-free)."""

import datetime as dt

import networkx as nx
import pytest

from partnership_explorer.core import curation, partners
from partnership_explorer.core.query import EventFilter, FilterError, count_events, list_events
from partnership_explorer.core.sidecar import filter_from_json, filter_to_json
from partnership_explorer.core.store import Store
from partnership_explorer.core.synth import synthesize


def pair_keys(view) -> dict[frozenset, int]:
    return {frozenset((p["a"], p["b"])): p["events"] for p in view.pairs}


def pair(a, b):
    return frozenset((a, b))


KT_VIETTEL = pair("KT", "Viettel")
LG_VNPT = pair("LG CNS", "VNPT")
MINISTRIES = pair("Ministry of Science and ICT", "Ministry of Science and Technology of Vietnam")
COUNTRIES = pair("Vietnam", "South Korea")


def test_seed_corpus_lists_the_partnerships_of_the_articles(seed_db):
    with Store(seed_db, readonly=True) as s:
        view = partners.partner_pairs(s)
    got = pair_keys(view)
    for expected in (KT_VIETTEL, LG_VNPT, MINISTRIES, COUNTRIES):
        assert expected in got
    assert got[COUNTRIES] >= 10                                  # ties, upgrade, summits, visits, MoUs
    countries = view.pair_of("Vietnam", "South Korea")
    assert countries["first"].startswith("1992") and countries["last"] >= "2025-08-01"
    assert {"milestone", "agreement", "visit", "meeting"} <= set(countries["kinds"])
    assert countries["sector"] == "diplomacy"
    kt = view.pair_of("KT", "Viettel")
    assert kt["kinds"] == ["agreement"] and kt["first"].startswith("2025") and kt["sector"] == "ai"
    ministries = view.pair_of("Ministry of Science and ICT", "Ministry of Science and Technology of Vietnam")
    assert {ministries["a_short"], ministries["b_short"]} == {"MSIT", "MoST"}
    # a country and a company of the same event are not partners: the company's partner is the other company
    assert pair("KT", "Vietnam") not in got and pair("South Korea", "Viettel") not in got
    assert view.pairs == sorted(view.pairs, key=lambda p: -p["events"])  # most events first


def test_pairs_follow_every_part_of_the_filter(seed_copy):
    with Store(seed_copy) as s:
        ai = pair_keys(partners.partner_pairs(s, EventFilter(sectors=("ai",))))
        assert KT_VIETTEL in ai and LG_VNPT in ai and MINISTRIES not in ai
        old = pair_keys(partners.partner_pairs(s, EventFilter(date_to=dt.date(2000, 12, 31))))
        assert old == {COUNTRIES: 1}                             # 1992 ties only
        searched = pair_keys(partners.partner_pairs(s, EventFilter(query="Viettel")))
        found = {pair(*p) for e in list_events(s, EventFilter(query="Viettel")) for p in partners.event_pairs(s, e["id"])}
        assert KT_VIETTEL in searched and COUNTRIES not in searched and set(searched) == found
        with_kt = pair_keys(partners.partner_pairs(s, EventFilter(entities=("KT",))))
        assert set(with_kt) == {KT_VIETTEL}
        # status: a rejected event leaves the pairs of a view that hides rejected events
        (kt_event,) = [e["id"] for e in list_events(s, EventFilter(pair=("KT", "Viettel")))]
        curation.reject(s, kt_event)
        assert KT_VIETTEL in pair_keys(partners.partner_pairs(s))
        assert KT_VIETTEL not in pair_keys(partners.partner_pairs(s, EventFilter(show_rejected=False)))
        # the pair list ignores its own pair filter (the chosen pair stays among the others)
        chosen = partners.partner_pairs(s, EventFilter(pair=("KT", "Viettel")))
        assert set(pair_keys(chosen)) == set(pair_keys(partners.partner_pairs(s)))


def test_the_pair_filter_selects_exactly_the_events_counted(seed_db):
    with Store(seed_db, readonly=True) as s:
        view = partners.partner_pairs(s)
        for p in view.pairs:
            flt = EventFilter(pair=(p["a"], p["b"]))
            events = list_events(s, flt)
            assert len(events) == count_events(s, flt) == p["events"]
            assert min(e["start"] for e in events) == p["first"] and max(e["end"] for e in events) == p["last"]
            for e in events:
                parties = {a["name"] for a in e["actors"] if a["role"] == "party"}
                assert {p["a"], p["b"]} <= parties
        assert "between KT and Viettel" in EventFilter(pair=("KT", "Viettel")).describe()
        with pytest.raises(FilterError):
            EventFilter(pair=("KT",)).where()


def test_an_event_names_its_pairs(seed_db):
    with Store(seed_db, readonly=True) as s:
        (mou,) = [e for e in list_events(s, EventFilter(pair=("Ministry of Science and ICT",
                                                                  "Ministry of Science and Technology of Vietnam")))
                  if e["kind"] == "agreement"]
        pairs = partners.event_pairs(s, mou["id"])
    assert ("Ministry of Science and ICT", "Ministry of Science and Technology of Vietnam") in pairs
    assert ("South Korea", "Vietnam") in pairs
    assert all(len(p) == 2 for p in pairs)


@pytest.fixture(scope="module")
def synth_small(tmp_path_factory):
    path = tmp_path_factory.mktemp("partners") / "s.db"
    with Store(path) as s:
        synthesize(s, 6000, seed=3)
    return path


def _pairs_by_sql(s: Store, flt: EventFilter) -> dict[frozenset, int]:
    """The same pairs by the plainest SQL there is: a self-join of the party links of the filtered events."""
    where, params, _ = flt.where()
    kinds = ",".join(f"'{k}'" for k in partners.PAIR_KINDS)
    level = "CASE WHEN {0}.type = 'country' THEN 1 WHEN {0}.type IN ('company','government','organisation') THEN 2 END"
    rows = s.execute(
        f"""SELECT ea.name, eb.name, count(*) FROM events e
            JOIN event_entities p ON p.event_id = e.id AND p.role = 'party'
            JOIN event_entities q ON q.event_id = e.id AND q.role = 'party' AND q.entity_id > p.entity_id
            JOIN entities ea ON ea.id = p.entity_id JOIN entities eb ON eb.id = q.entity_id
            WHERE e.kind IN ({kinds}) AND {level.format('ea')} = {level.format('eb')} AND {where}
            GROUP BY p.entity_id, q.entity_id""", params).fetchall()
    return {pair(a, b): n for a, b, n in rows}


@pytest.mark.parametrize("flt", [
    EventFilter(), EventFilter(show_rejected=False), EventFilter(sectors=("trade", "energy")),
    EventFilter(sectors=("unclassified",)), EventFilter(date_from=dt.date(2015, 1, 1), date_to=dt.date(2019, 6, 30)),
    EventFilter(query="hydrogen"), EventFilter(entities=("Vietnam",)), EventFilter(kinds=("visit", "statistic")),
], ids=lambda f: f.describe())
def test_pairs_match_a_plain_sql_count_on_synthetic_data(synth_small, flt):
    with Store(synth_small, readonly=True) as s:
        view = partners.partner_pairs(s, flt, limit=None)
        expected = _pairs_by_sql(s, flt)
    assert view.total_pairs == len(expected) > 0
    assert pair_keys(view) == expected


def test_synthetic_events_have_parties_and_cameo_codes(synth_small):
    with Store(synth_small, readonly=True) as s:
        roles = dict(s.execute("SELECT coalesce(role, '-'), count(*) FROM event_entities GROUP BY 1").fetchall())
        bad = s.execute("""SELECT count(*) FROM event_entities ee JOIN entities en ON en.id = ee.entity_id
                           WHERE (en.type = 'person') != (ee.role = 'representative') AND ee.role IS NOT NULL""").fetchone()[0]
        cameo = dict(s.execute("SELECT kind, min(cameo) FROM events GROUP BY kind").fetchall())
        acting = s.execute("SELECT DISTINCT acting_for FROM event_entities WHERE role = 'representative'").fetchall()
    assert roles["party"] > roles["representative"] > 0 and bad == 0
    assert cameo["visit"] == "042" and cameo["agreement"] == "057" and cameo["milestone"] == "050"
    assert {a for (a,) in acting} == {"Vietnam", "South Korea"}


def test_the_memoised_links_follow_a_write(seed_copy):
    with Store(seed_copy) as s:
        assert KT_VIETTEL in pair_keys(partners.partner_pairs(s, EventFilter(show_rejected=False)))
        (kt_event,) = [e["id"] for e in list_events(s, EventFilter(pair=("KT", "Viettel")))]
        curation.reject(s, kt_event)
        assert KT_VIETTEL not in pair_keys(partners.partner_pairs(s, EventFilter(show_rejected=False)))


def test_network_graph_layout_and_graphml(seed_db, tmp_path):
    with Store(seed_db, readonly=True) as s:
        view = partners.partner_pairs(s)
    g = partners.partner_graph(view)
    assert g.number_of_edges() == len(view.pairs) and g.number_of_nodes() == len(view.actors)
    assert g["Vietnam"]["South Korea"]["weight"] == view.pair_of("Vietnam", "South Korea")["events"]
    assert g.nodes["Vietnam"]["events"] > g.nodes["KT"]["events"] >= 1
    assert g["KT"]["Viettel"]["color"].startswith("#")
    pos = partners.layout(g)
    partners._layout.cache_clear()
    assert partners.layout(g) == pos                              # deterministic, not only memoised
    assert set(pos) == set(g.nodes)
    assert all(-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0 for x, y in pos.values())
    assert len({(round(x, 3), round(y, 3)) for x, y in pos.values()}) == len(pos)   # no two nodes on one spot
    out = tmp_path / "p.graphml"
    out.write_text(partners.graphml_text(g), encoding="utf-8")
    back = nx.read_graphml(out)
    assert set(back.nodes) == set(g.nodes) and back["KT"]["Viettel"]["weight"] == 1


def test_labels_are_placed_beside_their_nodes_without_overlaps():
    points = [(100.0, 100.0), (130.0, 100.0), (100.0, 130.0), (300.0, 300.0)]
    radii = [10.0, 6.0, 6.0, 8.0]
    sizes = [(60.0, 14.0)] * 4
    corners = partners.place_labels(points, radii, sizes, (0.0, 0.0, 400.0, 400.0))
    boxes = [(x, y, x + w, y + h) for (x, y), (w, h) in zip(corners, sizes)]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
        px, py = points[i]
        assert abs((a[0] + a[2]) / 2 - px) < 70 and abs((a[1] + a[3]) / 2 - py) < 40   # beside its node


def test_labels_keep_off_the_lines_between_nodes():
    points = [(100.0, 100.0), (200.0, 100.0)]
    sizes = [(60.0, 14.0), (60.0, 14.0)]
    segment = (points[0], points[1])
    corners = partners.place_labels(points, [8.0, 8.0], sizes, (0.0, 0.0, 400.0, 300.0), [segment])
    for (x, y), (w, h) in zip(corners, sizes):
        assert not partners._crosses((x, y, x + w, y + h), segment)
    assert partners._crosses((140.0, 90.0, 160.0, 110.0), segment)


def test_the_pair_filter_survives_a_sidecar():
    flt = EventFilter(pair=("KT", "Viettel"), sectors=("ai",))
    assert filter_from_json(filter_to_json(flt), "x") == flt


# -- the command line ---------------------------------------------------------------------------------------
def run_cli(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "partnership_explorer", *args], capture_output=True, text=True,
                          timeout=120)


def test_cli_lists_pairs_in_every_format(seed_db, tmp_path):
    table = run_cli("partners", "--db", str(seed_db))
    assert table.returncode == 0, table.stderr
    for label in ("KT – Viettel", "LG CNS – VNPT", "South Korea – Vietnam"):
        assert label in table.stdout
    assert table.stdout.splitlines()[-1] == "4 pairs"
    import csv
    import io
    import json

    rows = list(csv.DictReader(io.StringIO(run_cli("partners", "--db", str(seed_db), "--format", "csv").stdout)))
    assert {frozenset((r["a"], r["b"])) for r in rows} >= {KT_VIETTEL, LG_VNPT, MINISTRIES, COUNTRIES}
    data = json.loads(run_cli("partners", "--db", str(seed_db), "--format", "json", "--sector", "ai").stdout)
    assert {frozenset((p["a"], p["b"])) for p in data["pairs"]} == {KT_VIETTEL, LG_VNPT} and data["total"] == 2
    out = tmp_path / "n.graphml"
    out.write_text(run_cli("partners", "--db", str(seed_db), "--format", "graphml").stdout, encoding="utf-8")
    g = nx.read_graphml(out)
    assert g.has_edge("KT", "Viettel") and g.has_edge("Vietnam", "South Korea")


@pytest.mark.parametrize("args", [("--format", "xml"), ("--from", "20x"), ("--limit", "0"), ("--sector", "nope")])
def test_cli_bad_input_is_one_line_exit_2(seed_db, args):
    r = run_cli("partners", "--db", str(seed_db), *args)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
