"""Indicators: figures read as typed values, paired with their periods, stored, recomputed on change, listed."""

import datetime as dt
import json
import pickle

import pytest

from partnership_explorer.cli import main
from partnership_explorer.core import curation
from partnership_explorer.core import indicators as ind
from partnership_explorer.core.indicators import DateSpan, find_figures, indicators_in_sentence, parse_number
from partnership_explorer.core.ingest import ingest_paths
from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.store import Store
from dbstate import database_state


def _one(sentence, language="en"):
    found = find_figures(sentence, language)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, language, quantity, unit", [
    ("trade reached $86.7 billion", "en", 86.7e9, "USD"),
    ("a goal of USD 150 bn", "en", 150e9, "USD"),
    ("US$150bn of trade", "en", 150e9, "USD"),
    ("worth 9.5 trillion won", "en", 9.5e12, "KRW"),
    ("kim ngạch đạt 86,7 tỷ USD", "vi", 86.7e9, "USD"),
    ("vốn đầu tư 1.200 tỷ đồng", "vi", 1.2e12, "VND"),
    ("교역액은 869억 달러", "ko", 86.9e9, "USD"),
    ("투자 1조 2천억 원", "ko", 1.2e12, "KRW"),
    ("€5m in grants", "en", 5e6, "EUR"),
])
def test_money_in_three_languages_is_normalised_and_kept_in_its_currency(text, language, quantity, unit):
    f = _one(text, language)
    assert f.money and f.unit == unit
    assert f.quantity == pytest.approx(quantity)
    assert f.converted_unit is None


@pytest.mark.parametrize("text, language, quantity, metric", [
    ("some 1.2 million visitors came", "en", 1.2e6, "visitors"),
    ("4.5 million Korean tourists", "en", 4.5e6, "visitors"),
    ("3,6 triệu lượt khách", "vi", 3.6e6, "visitors"),
    ("방한 관광객 450만 명", "ko", 4.5e6, "visitors"),
])
def test_counts_take_their_metric_from_the_noun(text, language, quantity, metric):
    f = _one(text, language)
    assert not f.money and f.metric == metric
    assert f.quantity == pytest.approx(quantity)


@pytest.mark.parametrize("text, language", [
    ("the 30th anniversary of ties", "en"),
    ("18% of total FDI", "en"),
    ("over 33 years of cooperation", "en"),
    ("a 170-fold increase", "en"),
    ("call +84 24 3831 5111 today", "en"),
    ("in 2024 tourists returned", "en"),
    ("a population of 100 million", "en"),
    ("450만 명이 모였다", "ko"),          # people, not visitors: no metric word
])
def test_traps_are_not_figures(text, language):
    assert find_figures(text, language) == []


def test_a_conversion_is_kept_only_when_the_text_gives_it():
    f = _one("a deal worth 130 trillion won (about $92 billion)")
    assert (f.unit, f.quantity) == ("KRW", pytest.approx(130e12))
    assert (f.converted_unit, f.converted_quantity) == ("USD", pytest.approx(92e9))
    f = _one("at 1,300 won to the dollar, exports of 13 trillion won")
    assert f.converted_unit == "USD" and f.converted_quantity == pytest.approx(10e9)


def test_number_separators_follow_the_language():
    assert parse_number("1,200") == 1200 and parse_number("86.7") == 86.7
    assert parse_number("86,7", "vi") == 86.7 and parse_number("1.200", "vi") == 1200
    assert parse_number("1,234,567.5") == 1234567.5


def _years(sentence, *years):
    out = []
    for y in years:
        i = sentence.index(str(y))
        out.append(DateSpan(i, i + 4, dt.date(y, 1, 1), dt.date(y, 12, 31), "year"))
    return out


def test_from_to_pairs_each_figure_with_its_own_year_and_finds_the_metric():
    s = "Trade between Chile and Peru grew after ties were restored in 1990, from $200 million to $9.1 billion in 2021."
    got = indicators_in_sentence(s, dates=_years(s, 1990, 2021), reference=dt.date(2022, 3, 1))
    assert [(i.figure.text, i.period, i.metric, i.is_target) for i in got] == [
        ("$200 million", "1990", "trade", False), ("$9.1 billion", "2021", "trade", False)]
    assert {got[0].party_from, got[0].party_to} == {"Chile", "Peru"} and not got[0].directed


def test_a_future_period_or_a_goal_word_makes_a_target():
    s = "The two sides aim to lift two-way trade to $30 billion by 2028."
    (t,) = indicators_in_sentence(s, dates=_years(s, 2028), reference=dt.date(2024, 5, 1))
    assert t.is_target and t.period == "2028" and t.metric == "trade"


def test_direction_when_the_text_says_so():
    s = "Japan's investment in Indonesia reached $4.6 billion in 2023."
    (i,) = indicators_in_sentence(s, dates=_years(s, 2023), reference=dt.date(2024, 1, 10))
    assert (i.metric, i.party_from, i.party_to, i.directed) == ("investment", "Japan", "Indonesia", True)
    s = "Germany is Poland's largest foreign investor, with $40 billion in cumulative FDI through 2022."
    (i,) = indicators_in_sentence(s, dates=_years(s, 2022), reference=dt.date(2023, 1, 10))
    assert (i.metric, i.measure, i.party_from, i.party_to) == ("fdi", "stock", "Germany", "Poland")


@pytest.mark.parametrize("sentence, language, years", [
    ("Trade between Chile and Peru grew after ties were restored in 1990, from $200 million to $9.1 billion in 2021.",
     "en", (1990, 2021)),
    ("The two sides aim to lift two-way trade to $30 billion by 2028.", "en", (2028,)),
    ("Japan's investment in Indonesia reached $4.6 billion in 2023.", "en", (2023,)),
    ("Germany is Poland's largest foreign investor, with $40 billion in cumulative FDI through 2022.", "en", (2022,)),
    ("Some 1.2 million visitors came in 2019; a deal worth 130 trillion won (about $92 billion) followed in 2020.",
     "en", (2019, 2020)),
    ("Năm 2024, kim ngạch thương mại Việt Nam - Hàn Quốc đạt 86,7 tỷ USD.", "vi", (2024,)),
    ("2024년 한국과 베트남의 교역액은 869억 달러였다.", "ko", (2024,)),
    ("Leaders marked the 30th anniversary of ties in 2022.", "en", (2022,)),
])
def test_a_sentence_read_once_gives_the_indicators_of_reading_it_again(sentence, language, years):
    """What extraction reads of a figure sentence (and sends to the writer, pickled between processes) gives
    the same indicators as reading the sentence again, whatever date its event has."""
    read = pickle.loads(pickle.dumps(ind.read_sentence(sentence, language, "2022-03-01", dated=True)))
    assert read.fits(sentence, language, "2022-03-01")
    assert not read.fits(sentence, language, "2023-03-01") and not read.fits(sentence + " ", language, "2022-03-01")
    dates = _years(sentence, *years)
    for fallback in (None, dates[-1], DateSpan(-1, -1, dt.date(2031, 1, 1), dt.date(2031, 12, 31), "year")):
        options = dict(dates=dates, language=language, reference=dt.date(2022, 3, 1), fallback=fallback,
                       sides=("Chile", "Peru"))
        assert indicators_in_sentence(sentence, read=read, **options) == indicators_in_sentence(sentence, **options)


def test_the_writer_takes_the_figures_its_workers_read_and_writes_what_one_process_writes(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Lima, 3 March 2022. Bilateral trade between Chile and Peru reached $9.1 billion in 2021, up from "
        "$200 million in 1990.\n\nChile's investment in Peru reached $2.4 billion in 2021, officials said.\n\n"
        "The two countries aim to lift trade to $15 billion by 2030.\n", encoding="utf-8")
    with Store(tmp_path / "one.db") as store:
        assert ingest_paths(store, [folder], jobs=1).ok
        assert store.execute("SELECT count(*) FROM indicators").fetchone()[0] >= 3
    read_by_writer = []
    real = ind.find_figures
    monkeypatch.setattr(ind, "find_figures", lambda s, *a, **k: read_by_writer.append(s) or real(s, *a, **k))
    with Store(tmp_path / "two.db") as store:
        assert ingest_paths(store, [folder], jobs=2).ok
    assert read_by_writer == []  # each figure sentence was read once, by a worker
    assert database_state(tmp_path / "two.db") == database_state(tmp_path / "one.db")


# -- the seed corpus ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seed_series(seed_db):
    with Store(seed_db) as s:
        return ind.load_series(s)


def test_seed_trade_series_from_1992_to_2024_with_the_2030_target_each_point_sourced(seed_series):
    trade = [s for s in seed_series if s.metric == "trade"]
    assert len(trade) == 1, [s.label for s in seed_series]
    t = trade[0]
    assert {t.party_from, t.party_to} == {"South Korea", "Vietnam"} and t.unit == "USD"
    got = [(p.period, p.quantity, p.is_target) for p in t.points]
    assert got == [("1992", pytest.approx(0.5e9), False), ("2024", pytest.approx(86.7e9), False),
                   ("2030", pytest.approx(150e9), True)]
    for p in t.points:
        assert p.event_ids and p.sources
        assert all(src["figure"] in src["sentence"] for src in p.sources)
    assert len({src["document"] for src in t.points[-1].sources}) == 2   # two articles state the target


def test_seed_fdi_stock_is_directed_korea_to_vietnam(seed_series):
    (fdi,) = [s for s in seed_series if s.metric == "fdi"]
    assert (fdi.party_from, fdi.party_to, fdi.measure) == ("South Korea", "Vietnam", "stock")
    assert [(p.period, p.quantity) for p in fdi.points] == [("2024", pytest.approx(92e9))]


# -- stored, recomputed when events change ------------------------------------------------------------
def _trade_points(store):
    return [(p.period, p.quantity) for s in ind.load_series(store) if s.metric == "trade" for p in s.points]


def test_rejecting_editing_deleting_and_undoing_events_change_the_indicators(seed_copy):
    with Store(seed_copy) as store:
        (t,) = [s for s in ind.load_series(store) if s.metric == "trade"]
        first = t.points[0]
        curation.reject(store, first.event_ids[0])
        assert ("1992", pytest.approx(0.5e9)) not in _trade_points(store)
        curation.set_status(store, first.event_ids[0], "extracted")
        assert _trade_points(store)[0] == ("1992", pytest.approx(0.5e9))
        # the analyst re-dates the 2024 figure: its point moves with it
        latest = next(p for p in t.points if p.period == "2024")
        curation.edit(store, latest.event_ids[0], date="2023")
        assert ("2023", pytest.approx(86.7e9)) in _trade_points(store)
        # the kind changed to something that is not a figure: the point goes
        curation.edit(store, latest.event_ids[0], kind="meeting")
        assert all(q != pytest.approx(86.7e9) for _, q in _trade_points(store))
        # deleting the event deletes its rows (foreign key)
        store.delete_events([first.event_ids[0]])
        n = store.execute("SELECT count(*) FROM indicators WHERE event_id = ?", [first.event_ids[0]]).fetchone()[0]
        assert n == 0
        assert ind.rebuild(store) == store.execute("SELECT count(*) FROM indicators").fetchone()[0]


def test_reingesting_a_changed_article_replaces_its_figures(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    doc = folder / "a.txt"
    doc.write_text("Lima, 3 March 2022. Bilateral trade between Chile and Peru reached $9.1 billion in 2021.\n",
                   encoding="utf-8")
    db = tmp_path / "x.db"
    with Store(db) as store:
        ingest_paths(store, [folder])
        assert _trade_points(store) == [("2021", pytest.approx(9.1e9))]
        doc.write_text("Lima, 3 March 2022. Bilateral trade between Chile and Peru reached $9.4 billion in 2021.\n",
                       encoding="utf-8")
        ingest_paths(store, [folder])
        assert _trade_points(store) == [("2021", pytest.approx(9.4e9))]


# -- command line -------------------------------------------------------------------------------------
def test_cli_lists_the_series_as_json_csv_and_table(seed_db, capsys):
    assert main(["indicators", "--db", str(seed_db), "--format", "json"]) in (None, 0)
    data = json.loads(capsys.readouterr().out)
    trade = [s for s in data["series"] if s["metric"] == "trade"][0]
    assert [p["period"] for p in trade["points"]] == ["1992", "2024", "2030"]
    assert trade["points"][-1]["is_target"] and trade["points"][-1]["figures"] == ["$150 billion"]
    main(["indicators", "--db", str(seed_db), "--format", "csv", "--metric", "trade"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("series,metric,period") and len(out) == 4
    main(["indicators", "--db", str(seed_db), "--to", "2000"])
    out = capsys.readouterr().out
    assert "500 million USD" in out and "86.7 billion" not in out


def test_cli_unknown_metric_is_one_line_exit_2(seed_db, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["indicators", "--db", str(seed_db), "--metric", "gdp"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a metric" in err[0]


def test_filter_by_sector_and_entity(seed_db):
    with Store(seed_db) as s:
        assert ind.load_series(s, EventFilter(entities=("Nonexistentland",))) == []


def test_the_window_reads_sentences_only_for_a_readable_number_of_figures(seed_db):
    with Store(seed_db) as s:
        few = ind.load_series(s, sentence_limit=100)
        many = ind.load_series(s, sentence_limit=1)
    assert [[p.quantity for p in x.points] for x in few] == [[p.quantity for p in x.points] for x in many]
    assert all(src["sentence"] for x in few for p in x.points for src in p.sources)
    assert all(src["sentence"] == "" and src["event_id"] for x in many for p in x.points for src in p.sources)


def _series(key, parties=(None, None), n_actual=2, metric="trade"):
    pts = [ind.Point(str(2020 + k), "year", dt.date(2020 + k, 1, 1), dt.date(2020 + k, 12, 31), 1.0 + k, False,
                     [f"${1 + k} billion"], [1], []) for k in range(n_actual)]
    return ind.Series(key, metric, f"Trade {key}", "USD", True, None, parties[0], parties[1], False, pts)


def test_the_row_draws_a_few_series_the_ladders_pair_first():
    many = [_series(f"s{k}", ("Chile", f"Country {k}")) for k in range(30)]
    lone = _series("lone", ("India", "Vietnam"), n_actual=1)
    mixed = _series("mixed")                                   # no parties: figures of several pairs
    pair = _series("pair", ("India", "Vietnam"))
    series = [mixed] + many + [lone, pair]
    shown = ind.choose_series(series, pair="Vietnam–India")
    assert len(shown) == ind.AUTO_SERIES
    assert [s.key for s in shown][-2:] == ["lone", "pair"]     # the ladder's pair first, kept in their order
    assert "mixed" not in {s.key for s in shown}               # named parties before a mix of pairs
    # without a pair: lines before lone figures, named parties before none
    assert [s.key for s in ind.choose_series(series)] == ["s0", "s1", "s2", "s3"]
    # the user's choices: turned on beyond the limit, turned off never
    chosen = ind.choose_series(series, pair="Vietnam–India", chosen={"s10", "s11", "s12", "s13", "mixed"},
                               hidden={"pair"})
    assert [s.key for s in chosen] == ["mixed", "s10", "s11", "s12", "s13"]
    assert ind.choose_series(series, hidden={s.key for s in series}) == []


def test_the_legend_counts_the_series_left_out_of_the_row():
    from partnership_explorer.core.indicator_labels import flow_legend

    items = flow_legend(["a", "b"], lambda t: 10.0 * len(t), 0, 1000, not_drawn=58)
    assert [it.text for it in items if it.index < 0] == ["+ 58 more"]
    assert [it.index for it in items if it.index >= 0] == [0, 1]
