"""Event interchange: TimelineJS3 / CSV import, dumps, round trips, and bad files refused whole."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from partnership_explorer.core.interchange import (InterchangeError, dump_events, import_events, read_import,
                                                   render_events)
from partnership_explorer.core.query import EventFilter, list_events
from partnership_explorer.core.store import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def cli(*args, db=None):
    env = dict(os.environ)
    env.pop("PARTNERSHIP_EXPLORER_DEBUG", None)
    cmd = [sys.executable, "-m", "partnership_explorer", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)


# events deliberately out of chronological order; numbers, numeric strings and empty strings mixed
TIMELINE = {
    "title": {"text": {"headline": "Viet Nam – Korea", "text": "<p>A <b>test</b> timeline</p>"}},
    "events": [
        {"start_date": {"year": "2022", "month": "12", "day": "5", "hour": ""},
         "text": {"headline": "Relations upgraded to Comprehensive Strategic Partnership",
                  "text": "<p>Leaders met in <b>Seoul</b>.</p><script>alert('pwned')</script><style>p{}</style>"},
         "group": "Diplomacy", "unique_id": "csp", "display_date": "sometime in 1900"},
        {"start_date": {"year": 1992, "month": "", "day": ""},
         "text": {"headline": "Diplomatic relations established", "text": "Ties &amp; trade begin"},
         "group": "diplomacy", "unique_id": "ties",
         "media": {"url": "https://example.org/1992.jpg", "caption": "Hanoi, <i>1992</i>", "credit": "Archive"}},
        {"start_date": {"year": 2024, "month": 6},
         "text": {"headline": "Semiconductor plant opens", "text": "<div>Line one</div><div>Line two</div>"},
         "group": "Semiconductors", "unique_id": "fab"},
        {"start_date": {"year": 2017}, "end_date": {"year": 2025},
         "text": {"headline": "Trade grows", "text": ""}, "group": "Trade", "unique_id": "trade"},
        {"start_date": {"year": 2018, "month": 12, "day": 4}, "end_date": {"year": 2018, "month": 12, "day": 7},
         "text": {"headline": "Energy week"}, "group": "Energy & nuclear", "unique_id": "week"},
        {"start_date": {"year": 2019, "month": 3}, "end_date": {"year": 2019, "month": 5, "day": 10},
         "text": {"headline": "Space talks"}, "group": "Space", "unique_id": "space"},
    ],
    "eras": [
        {"start_date": {"year": 1992}, "end_date": {"year": 2022}, "text": {"headline": "Comprehensive partnership"}},
        {"start_date": {"year": 1950}, "end_date": {"year": 1975}, "text": {"headline": "Wartime"}},
    ],
}


def write_json(tmp_path, data, name="timeline.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def by_title(store):
    return {e["title"]: e for e in list_events(store, EventFilter())}


def essentials(store):
    return sorted((e["title"], e["date"], e["precision"], e["start"], e["end"], e["is_range"], tuple(e["sectors"]),
                   e["kind"]) for e in list_events(store, EventFilter()))


def strip_ids(text):
    data = json.loads(text)
    for ev in data["events"]:
        ev.pop("unique_id")
    return data


# ------------------------------------------------------------------------------------------------ import
def test_timelinejs_dates_keep_their_precision_and_groups_become_sectors(tmp_path):
    with Store(tmp_path / "a.db") as store:
        report = import_events(store, write_json(tmp_path, TIMELINE))
        assert (report.new, report.unchanged) == (7, 0)  # 6 events + the era that starts with no event
        ev = by_title(store)
    ties = ev["Diplomatic relations established"]
    assert (ties["date"], ties["precision"], ties["start"], ties["end"], ties["is_range"]) == \
        ("1992", "year", "1992-01-01", "1992-12-31", False)
    assert ties["kind"] == "milestone"  # an era starts with it
    fab = ev["Semiconductor plant opens"]
    assert (fab["date"], fab["precision"], fab["start"], fab["end"]) == ("2024-06", "month", "2024-06-01", "2024-06-30")
    csp = ev["Relations upgraded to Comprehensive Strategic Partnership"]
    assert (csp["date"], csp["precision"], csp["start"], csp["end"]) == ("2022-12-05", "day", "2022-12-05", "2022-12-05")
    trade = ev["Trade grows"]
    assert (trade["date"], trade["precision"], trade["start"], trade["end"], trade["is_range"]) == \
        ("2017", "year", "2017-01-01", "2025-12-31", True)
    week = ev["Energy week"]
    assert (week["date"], week["precision"], week["start"], week["end"], week["is_range"]) == \
        ("2018-12", "month", "2018-12-04", "2018-12-07", True)
    assert ev["Space talks"]["start"] == "2019-03-01" and ev["Space talks"]["end"] == "2019-05-10"
    assert csp["sectors"] == ["diplomacy"] and ties["sectors"] == ["diplomacy"]
    assert fab["sectors"] == ["semiconductors"] and week["sectors"] == ["energy"] and trade["sectors"] == ["trade"]
    assert ev["Space talks"]["sectors"] == ["unclassified"]
    assert ev["Wartime"]["kind"] == "milestone" and ev["Wartime"]["start"] == "1950-01-01"
    assert all(e["status"] == "imported" and e["origin"] == "import" for e in ev.values())


def test_html_is_reduced_to_text_and_nothing_is_lost(tmp_path):
    with Store(tmp_path / "a.db") as store:
        import_events(store, write_json(tmp_path, TIMELINE))
        ev = by_title(store)
        csp = ev["Relations upgraded to Comprehensive Strategic Partnership"]
        assert csp["summary"] == "Leaders met in Seoul."
        assert "alert" not in csp["summary"] and "pwned" not in csp["summary"] and "<" not in csp["summary"]
        assert ev["Diplomatic relations established"]["summary"] == "Ties & trade begin"
        assert ev["Semiconductor plant opens"]["summary"] == "Line one\nLine two"
        assert ev["Space talks"]["summary"].endswith("Group: Space")  # the unknown group is kept
        row = store.execute("SELECT i.file, i.ref, i.url, i.caption, i.credit, e.locked FROM event_imports i "
                            "JOIN events e ON e.id = i.event_id WHERE i.ref = 'ties'").fetchone()
        assert row == ("timeline.json", "ties", "https://example.org/1992.jpg", "Hanoi, 1992", "Archive", 1)


def test_order_of_events_in_the_file_does_not_matter(tmp_path):
    reordered = dict(TIMELINE, events=list(reversed(TIMELINE["events"])))
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        import_events(a, write_json(tmp_path, TIMELINE, "one.json"))
        import_events(b, write_json(tmp_path, reordered, "two.json"))
        assert essentials(a) == essentials(b)


def test_reimport_adds_nothing_and_a_changed_event_is_updated(tmp_path):
    path = write_json(tmp_path, TIMELINE)
    db = tmp_path / "a.db"
    r1 = cli("import", str(path), db=db)
    assert r1.returncode == 0, r1.stderr
    assert "7 new, 0 unchanged" in r1.stdout
    r2 = cli("import", str(path), db=db)
    assert r2.returncode == 0 and "0 new, 7 unchanged" in r2.stdout
    changed = json.loads(json.dumps(TIMELINE))
    changed["events"][2]["text"]["headline"] = "Semiconductor plant opens in Bac Ninh"
    write_json(tmp_path, changed)
    r3 = cli("import", str(path), db=db)
    assert r3.returncode == 0 and "0 new, 6 unchanged, 1 updated" in r3.stdout
    with Store(db) as store:
        assert store.counts()["events"] == 7
        assert "Semiconductor plant opens in Bac Ninh" in by_title(store)


def test_imported_events_are_listed_with_status_imported(tmp_path):
    db = tmp_path / "a.db"
    assert cli("import", str(write_json(tmp_path, TIMELINE)), db=db).returncode == 0
    r = cli("events", "--format", "json", db=db)
    assert r.returncode == 0, r.stderr
    events = json.loads(r.stdout)["events"]
    assert len(events) == 7 and {e["status"] for e in events} == {"imported"}
    assert [e["start"] for e in events] == sorted(e["start"] for e in events)
    year_only = next(e for e in events if e["title"] == "Diplomatic relations established")
    assert year_only["date"] == "1992" and year_only["precision"] == "year"


def test_reingesting_articles_leaves_imported_events_untouched(seed_db, tmp_path):
    """Imported copies of the very events the seeds produce: ingestion must neither merge into nor edit them."""
    with Store(seed_db, readonly=True) as seed:
        dump = tmp_path / "seed.json"
        dump_events(seed, EventFilter(), "timelinejs", dump)
        n_seed = seed.counts()["events"]
    db = tmp_path / "x.db"
    with Store(db) as store:
        assert import_events(store, dump).new == n_seed
        before = [dict(r) for r in store.db.query("SELECT * FROM events ORDER BY id")]
        sectors_before = store.execute("SELECT * FROM event_sectors ORDER BY 1, 2").fetchall()
    r = cli("ingest", str(SEEDS), "--quiet", db=db)
    assert r.returncode == 0, r.stderr
    with Store(db) as store:
        imported = [dict(r) for r in store.db.query("SELECT * FROM events WHERE origin = 'import' ORDER BY id")]
        assert imported == before
        assert store.execute("SELECT * FROM event_sectors WHERE event_id IN (SELECT id FROM events WHERE "
                             "origin = 'import') ORDER BY 1, 2").fetchall() == sectors_before
        assert store.execute("SELECT count(*) FROM event_sources s JOIN events e ON e.id = s.event_id "
                             "WHERE e.origin = 'import'").fetchone()[0] == 0
        assert store.execute("SELECT count(*) FROM events WHERE merged_into IS NOT NULL").fetchone()[0] == 0
        extracted = store.execute("SELECT count(*) FROM events WHERE origin = 'extraction'").fetchone()[0]
        assert extracted == n_seed  # the articles gave their own events, exactly as in a fresh database


# ------------------------------------------------------------------------------------------------ round trips
def test_timelinejs_round_trip(tmp_path):
    with Store(tmp_path / "a.db") as a:
        import_events(a, write_json(tmp_path, TIMELINE))
        first = tmp_path / "first.json"
        assert dump_events(a, EventFilter(), "timelinejs", first) == 7
        with Store(tmp_path / "b.db") as b:
            assert import_events(b, first).new == 7
            assert essentials(b) == essentials(a)
            second = tmp_path / "second.json"
            dump_events(b, EventFilter(), "timelinejs", second)
            assert strip_ids(second.read_text("utf-8")) == strip_ids(first.read_text("utf-8"))
            assert {e["title"]: e["summary"] for e in list_events(b)} == {e["title"]: e["summary"] for e in list_events(a)}


def test_seed_events_round_trip_through_timelinejs_and_csv(seed_db, tmp_path):
    with Store(seed_db, readonly=True) as seed:
        want = essentials(seed)
        tl = render_events(seed, EventFilter(), "timelinejs")[0]
        entities = sorted((e["title"], tuple(x["name"] for x in e["entities"])) for e in list_events(seed))
    for fmt in ("timelinejs", "csv"):
        path = tmp_path / f"seed_{fmt}.{'csv' if fmt == 'csv' else 'json'}"
        with Store(seed_db, readonly=True) as seed:
            dump_events(seed, EventFilter(), fmt, path)
        with Store(tmp_path / f"{fmt}.db") as b:
            import_events(b, path)
            assert essentials(b) == want
            assert sorted((e["title"], tuple(x["name"] for x in e["entities"])) for e in list_events(b)) == entities
            assert strip_ids(render_events(b, EventFilter(), "timelinejs")[0]) == strip_ids(tl)


def test_csv_round_trip_and_own_events_csv(seed_db, tmp_path):
    with Store(tmp_path / "a.db") as a:
        import_events(a, write_json(tmp_path, TIMELINE))
        first = tmp_path / "first.csv"
        dump_events(a, EventFilter(), "csv", first)
        with Store(tmp_path / "b.db") as b:
            assert import_events(b, first).new == 7
            assert essentials(b) == essentials(a)
            second = tmp_path / "second.csv"
            dump_events(b, EventFilter(), "csv", second)
            strip = lambda t: [r[:-1] for r in csv.reader(io.StringIO(t))]  # noqa: E731 - last column is the id
            assert strip(second.read_text("utf-8")) == strip(first.read_text("utf-8"))
    # what `events --format csv` prints imports back with the same dates, precisions and sectors
    r = cli("events", "--format", "csv", db=seed_db)
    assert r.returncode == 0
    events_csv = tmp_path / "events.csv"
    events_csv.write_text(r.stdout, encoding="utf-8")
    with Store(tmp_path / "c.db") as c, Store(seed_db, readonly=True) as seed:
        assert import_events(c, events_csv).new == seed.counts()["events"]
        strip = lambda s: sorted((t, d, p, st, en, sec, k) for t, d, p, st, en, _r, sec, k in essentials(s))  # noqa: E731
        assert strip(c) == strip(seed)


def test_csv_headers_are_matched_case_insensitively_with_aliases(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "\ufeffStart_Date,END DATE,Headline,Text,Group,Entities,URL\n"
        "2011,,Nuclear MoU,\"Signed, at last\",Energy & nuclear;trade,Samsung;KEPCO,https://example.org/a\n"
        "2023-06,2023-07-15,Chip talks,,AI,,\n"
        "2020-02-29,,Leap day,,Underwater basket weaving,,\n", encoding="utf-8")
    with Store(tmp_path / "a.db") as store:
        assert import_events(store, path).new == 3
        ev = by_title(store)
    mou = ev["Nuclear MoU"]
    assert (mou["date"], mou["precision"], mou["sectors"]) == ("2011", "year", ["energy", "trade"])
    assert mou["summary"] == "Signed, at last"
    assert {x["name"] for x in mou["entities"]} >= {"Samsung"}
    chips = ev["Chip talks"]
    assert (chips["start"], chips["end"], chips["is_range"]) == ("2023-06-01", "2023-07-15", True)
    leap = ev["Leap day"]
    assert (leap["precision"], leap["sectors"]) == ("day", ["unclassified"])
    assert "Underwater basket weaving" in leap["summary"]


def test_json_dump_is_the_events_json_shape(tmp_path):
    db = tmp_path / "a.db"
    assert cli("import", str(write_json(tmp_path, TIMELINE)), db=db).returncode == 0
    out = tmp_path / "dump.json"
    r = cli("dump", "--format", "json", "--sector", "trade", "--out", str(out), db=db)
    assert r.returncode == 0, r.stderr
    listed = cli("events", "--format", "json", "--sector", "trade", db=db)
    assert json.loads(out.read_text("utf-8")) == json.loads(listed.stdout)
    assert len(json.loads(out.read_text("utf-8"))["events"]) == 1


def test_timelinejs_dump_has_the_shape_timelinejs_expects(seed_db, tmp_path):
    out = tmp_path / "tl.json"
    r = cli("dump", "--format", "timelinejs", "--from", "2025", "--out", str(out), db=seed_db)
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text("utf-8"))
    assert set(data) == {"title", "events", "eras"}
    assert isinstance(data["title"]["text"]["headline"], str)
    assert isinstance(data["events"], list) and data["events"]
    ids = set()
    for ev in data["events"]:
        assert isinstance(ev, dict)
        for key in ("start_date", "end_date"):
            if key in ev:
                d = ev[key]
                assert set(d) <= {"year", "month", "day"} and isinstance(d["year"], int)
                assert all(isinstance(v, int) and not isinstance(v, bool) for v in d.values())
                assert "day" not in d or "month" in d
        assert isinstance(ev["text"]["headline"], str) and ev["text"]["headline"]
        assert isinstance(ev["text"]["text"], str)
        assert isinstance(ev["group"], str)
        assert ev["unique_id"].startswith("pe-") and ev["unique_id"] not in ids
        ids.add(ev["unique_id"])
    for era in data["eras"]:
        assert isinstance(era["start_date"]["year"], int) and isinstance(era["end_date"]["year"], int)
        assert isinstance(era["text"]["headline"], str)
    assert all(e["start"] >= "2025" or e["end"] >= "2025-01-01" for e in
               json.loads(cli("events", "--format", "json", "--from", "2025", db=seed_db).stdout)["events"])
    assert len(data["events"]) == len(json.loads(cli("events", "--format", "json", "--from", "2025",
                                                     db=seed_db).stdout)["events"])


def test_dump_escapes_our_plain_text(tmp_path):
    from partnership_explorer.core.curation import add_manual_event

    with Store(tmp_path / "a.db") as store:
        store.sync_sectors(__import__("partnership_explorer.core.sectors", fromlist=["x"]).default_taxonomy().sectors)
        add_manual_event(store, title="R&D <centre> opens", date="2024-05", summary="Tom & Jerry <script>x</script>",
                         sectors=["science"])
        text = render_events(store, EventFilter(), "timelinejs")[0]
        ev = json.loads(text)["events"][0]
        assert ev["text"]["headline"] == "R&amp;D &lt;centre&gt; opens"
        assert "<script>" not in ev["text"]["text"] and "&lt;script&gt;" in ev["text"]["text"]
        assert ev["start_date"] == {"year": 2024, "month": 5} and "end_date" not in ev
        path = tmp_path / "x.json"
        path.write_text(text, encoding="utf-8")
        with Store(tmp_path / "b.db") as b:
            import_events(b, path)
            [e] = list_events(b)
            assert e["title"] == "R&D <centre> opens" and e["summary"] == "Tom & Jerry <script>x</script>"


# ------------------------------------------------------------------------------------------------ bad files
def _tl(**event):
    base = {"start_date": {"year": 2020}, "text": {"headline": "x"}}
    good = [dict(base, text={"headline": f"fine {i}"}) for i in range(3)]
    return {"events": good + [{**base, **event}]}


BAD_JSON = [
    ('{"events": [', "line 1, column 13: not valid JSON"),
    ('[1, 2]', "expected a JSON object with an \"events\" list, got a list"),
    ('{"events": {"a": 1}}', "events: expected a list, got an object"),
    ('{"title": {}}', "events: missing"),
    (_tl(start_date=None), "events[3].start_date: missing"),
    (_tl(start_date={"year": "two thousand"}), "events[3].start_date.year: 'two thousand' is not a number"),
    (_tl(start_date={"year": 2022, "month": 13}), "events[3].start_date.month: 13 is not a month"),
    (_tl(start_date={"year": 2022, "month": "2", "day": "30"}),
     "events[3].start_date.day: 30 is not a day of February 2022"),
    (_tl(start_date={"year": 0}), "events[3].start_date.year: 0 is out of range (1–9999)"),
    (_tl(start_date={"year": 12000}), "events[3].start_date.year: 12000 is out of range (1–9999)"),
    (_tl(start_date={"year": 2020, "day": 3}), "events[3].start_date.day: a day needs a month"),
    (_tl(start_date={"year": 2020}, end_date={"year": 2019}), "events[3]: the end date is before the start date"),
    (_tl(end_date={"month": 3}), "events[3].end_date.year: missing"),
    (_tl(start_date=2020), "events[3].start_date: expected an object with a year, got a number"),
    (_tl(text="hello"), "events[3].text: expected an object, got a string"),
    (_tl(media=["x"]), "events[3].media: expected an object, got a list"),
    ({"events": [{"start_date": {"year": 2020}}, 5]}, "events[1]: expected an object, got a number"),
    ({"events": [], "eras": [{"start_date": {"year": 2020, "month": 0}}]}, "eras[0].start_date.month: 0 is not a month"),
]


@pytest.fixture
def populated(tmp_path):
    db = tmp_path / "pop.db"
    r = cli("import", str(write_json(tmp_path, TIMELINE, "base.json")), db=db)
    assert r.returncode == 0, r.stderr
    return db


def _counts(db):
    with Store(db) as s:
        return (s.counts(), s.execute("SELECT count(*) FROM event_imports").fetchone()[0],
                s.execute("SELECT count(*) FROM event_sectors").fetchone()[0])


def _assert_refused(db, path, message):
    before = _counts(db)
    r = cli("import", str(path), db=db)
    assert r.returncode == 2, (r.stdout, r.stderr)
    line = r.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(f"partnership-explorer: {path.name}: "), line
    assert message in line, line
    assert _counts(db) == before


@pytest.mark.parametrize("content,message", BAD_JSON)
def test_bad_json_is_refused_whole_with_its_path(populated, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    _assert_refused(populated, path, message)


BAD_CSV = [
    ("title,when it happened\nA,2020\n", "line 1: no date column"),
    ("date,title\n2020,ok\n2021-02,ok too\n2022-13-01,bad\n", "line 4: date '2022-13-01': 13 is not a month"),
    ("date,title\n2020,ok\n\"2021\",\"multi\nline\"\n2023-02-30,bad\n",
     "line 5: date '2023-02-30': 30 is not a day of February 2023"),
    ("date,title\n2020,ok\nsoon,bad\n", "line 3: date 'soon' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("date,title\n2020,ok\n,no date\n", "line 3: empty date"),
    ("date,end date,title\n2020,2019,backwards\n", "line 2: the end date is before the start date"),
    ("date,title\n2020,ok,extra\n", "line 2: 3 cells but the header has 2"),
    ("date,title\n10000,far\n", "line 2: date '10000' is not a date"),
]


@pytest.mark.parametrize("content,message", BAD_CSV)
def test_bad_csv_is_refused_whole_with_its_line(populated, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    _assert_refused(populated, path, message)


def test_undecodable_bytes_are_refused_with_their_line(populated, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"date,title\n2020,ok\n2021,caf\xe9\n")
    _assert_refused(populated, path, "line 3: not UTF-8 text (byte 0xe9)")
    jpath = tmp_path / "binary.json"
    jpath.write_bytes(b'{"events": []}\n\xff\xfe\x00')
    _assert_refused(populated, jpath, "not UTF-8 text")


def test_huge_file_is_refused_before_parsing(populated, tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024 + 1)  # sparse: nothing is really written
    _assert_refused(populated, path, "file too large")


def test_a_file_over_the_limit_names_the_option_and_imports_once_the_limit_is_raised(populated, tmp_path):
    path = tmp_path / "many.csv"
    rows = [f"2019-{1 + i % 12:02d}-{1 + i % 28:02d},Trade delegation number {i:05d} visits the partner" for i in range(20000)]
    path.write_text("date,title\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert 1024 * 1024 < path.stat().st_size < 2 * 1024 * 1024
    before = _counts(populated)
    r = cli("import", "--max-size", "1", str(path), db=populated)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    line = r.stderr.strip()
    assert "\n" not in line and "many.csv: file too large" in line and "--max-size MB raises the limit" in line
    assert _counts(populated) == before
    r = cli("import", "--max-size", "2", str(path), db=populated)
    assert r.returncode == 0, r.stderr
    assert "20000 new" in r.stdout
    with Store(populated) as s:
        assert s.counts()["events"] == before[0]["events"] + 20000


def test_missing_file_and_bad_dump_format(populated, tmp_path):
    _assert_refused(populated, tmp_path / "nowhere.json", "no such file")
    r = cli("dump", "--format", "xml", "--out", str(tmp_path / "x"), db=populated)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = cli("dump", "--out", str(tmp_path / "no" / "such" / "dir.json"), db=populated)
    assert r.returncode == 2 and "cannot write" in r.stderr and "\n" not in r.stderr.strip()


def test_core_api_raises_interchange_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_tl(start_date={"year": 2022, "month": 13})), encoding="utf-8")
    with pytest.raises(InterchangeError, match=r"^bad\.json: events\[3\]\.start_date\.month: 13 is not a month$"):
        read_import(path)


def _all_rows(store):
    """Everything an import writes, without timestamps."""
    return {
        "events": store.execute('SELECT id, title, summary, kind, date, precision, start, "end", is_range, status, '
                                "origin, locked FROM events ORDER BY id").fetchall(),
        "imports": store.execute("SELECT event_id, file, ref, url FROM event_imports ORDER BY event_id").fetchall(),
        "sectors": store.execute("SELECT * FROM event_sectors ORDER BY 1, 2").fetchall(),
        "entities": store.execute("SELECT ee.event_id, e.name FROM event_entities ee JOIN entities e "
                                  "ON e.id = ee.entity_id ORDER BY 1, 2").fetchall(),
        "log": store.execute("SELECT event_id, action, payload FROM curation_log ORDER BY id").fetchall(),
        "search": store.execute("SELECT rowid FROM events_fts WHERE events_fts MATCH 'semiconductor' "
                                "ORDER BY rowid").fetchall(),
    }


def test_bulk_import_writes_what_record_by_record_import_writes(tmp_path, monkeypatch):
    """New records go in with executemany up to the first record that needs a decision; the database ends up
    exactly as when every record is handled one at a time (duplicates in the file, a title already stored,
    an id imported before and changed since, entities, sectors, full-text index, curation log)."""
    from partnership_explorer.core import interchange

    header = "id,title,start,end,sectors,entities,summary"
    first = [header,
             "a1,Semiconductor plant opens,2023-05-02,,Semiconductors,Samsung Electronics; Viettel,Opened.",
             "a2,Trade fair in Hanoi,2023-06,,Trade,,",
             "a3,Semiconductor plant opens,2023-05-02,,Semiconductors,,Same title and dates as a1.",
             ",Energy talks,2022,,Energy & nuclear,Ministry of Industry and Trade,",
             "a4,Already stored,2021-01-01,2021-01-03,Diplomacy,,"]
    second = [header,
              "a6,Semiconductor talks,2024-03-03,,Semiconductors,Samsung Electronics,New in the second version.",
              "a2,Trade fair in Hanoi (renamed),2023-06,,Trade,,Known id and changed: updated record by record.",
              "a1,Semiconductor plant opens,2023-05-02,,Semiconductors,Samsung Electronics; Viettel,Opened.",
              "a5,After the known ones,2024-02-02,,AI,Samsung Electronics,"]
    path = tmp_path / "events.csv"
    results = {}
    for how in ("bulk", "one by one"):
        if how == "one by one":
            monkeypatch.setattr(interchange, "_bulk_new", lambda store, name, records, report: (0, False))
        with Store(tmp_path / f"{how}.db") as store:
            store.insert_event({"title": "Already stored", "kind": "meeting", "date": "1–3 January 2021",
                                "precision": "day", "start": "2021-01-01", "end": "2021-01-03", "is_range": 1})
            reports = []
            for version in (first, second):
                path.write_text("\n".join(version) + "\n", encoding="utf-8")
                r = import_events(store, path)
                reports.append((r.new, r.unchanged, r.updated, r.event_ids))
            results[how] = (reports, _all_rows(store))
    assert [r[:3] for r in results["bulk"][0]] == [(3, 2, 0), (2, 1, 1)]
    assert results["bulk"] == results["one by one"]


def test_a_week_travels_through_every_format(tmp_path):
    src = tmp_path / "weeks.csv"
    src.write_text("date,title,kind\n2025-W16,Trade talks in the week of 14 April,meeting\n"
                   "2025-04-14,Talks open,meeting\n", encoding="utf-8")

    def dates(store):
        return sorted((e["title"], e["date"], e["precision"], e["start"], e["end"], bool(e["is_range"]))
                      for e in list_events(store))

    with Store(tmp_path / "a.db") as a:
        import_events(a, src)
        want = dates(a)
        assert want[1] == ("Trade talks in the week of 14 April", "2025-W16", "week", "2025-04-14", "2025-04-20", False)
        slides = {s["text"]["headline"]: s for s in json.loads(render_events(a, EventFilter(), "timelinejs")[0])["events"]}
        week = slides["Trade talks in the week of 14 April"]
        assert (week["start_date"], week["end_date"], week["display_date"]) == (
            {"year": 2025, "month": 4, "day": 14}, {"year": 2025, "month": 4, "day": 20}, "week of 14 Apr 2025")
        assert "display_date" not in slides["Talks open"]
        assert "2025-W16" in render_events(a, EventFilter(), "csv")[0]
        for fmt in ("timelinejs", "csv", "json"):
            path = tmp_path / f"dump.{'csv' if fmt == 'csv' else 'json'}"
            dump_events(a, EventFilter(), fmt, path)
            with Store(tmp_path / f"{fmt}.db") as b:
                import_events(b, path)
                assert dates(b) == want, fmt
    # seven days that are not our own week dump stay a range of days
    plain = {"events": [{"start_date": {"year": 2025, "month": 4, "day": 14},
                         "end_date": {"year": 2025, "month": 4, "day": 20}, "text": {"headline": "Fair"}}]}
    with Store(tmp_path / "c.db") as c:
        import_events(c, write_json(tmp_path, plain, "plain.json"))
        assert dates(c) == [("Fair", "2025-04", "month", "2025-04-14", "2025-04-20", True)]


def _who(store):
    return sorted((e["title"], e["cameo"], tuple((a["name"], a["type"], a["role"], a.get("for")) for a in e["actors"]))
                  for e in list_events(store, EventFilter()))


def test_dumps_carry_cameo_codes_and_actors_and_read_back_unchanged(seed_db, tmp_path):
    with Store(seed_db, readonly=True) as seed:
        want = _who(seed)
    assert any(cameo for _, cameo, _ in want) and any(actors for _, _, actors in want)
    assert any(a[2] == "representative" and a[3] for _, _, actors in want for a in actors)
    for fmt in ("timelinejs", "csv", "json"):
        path = tmp_path / f"seed.{fmt}"
        with Store(seed_db, readonly=True) as seed:
            dump_events(seed, EventFilter(), fmt, path)
        with Store(tmp_path / f"{fmt}.db") as b:
            import_events(b, path)
            assert _who(b) == want, fmt
            assert import_events(b, path).unchanged == len(want)  # read back again: nothing to update
    rows = list(csv.DictReader(io.StringIO((tmp_path / "seed.csv").read_text("utf-8"))))
    assert any("(person, representative for " in r["actors"] for r in rows)
    assert all(r["cameo"] for r in rows if r["kind"] != "event")


def test_a_csv_actor_that_is_not_name_type_role_is_refused_with_its_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('date,title,actors\n2024-05-01,Talks,"Vietnam (country, party)"\n'
                    '2024-05-02,Visit,"Joe Biden (person, visitor)"\n', encoding="utf-8")
    with pytest.raises(InterchangeError, match=r"line 3.*Joe Biden"):
        read_import(path)
