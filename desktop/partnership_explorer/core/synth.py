"""A realistic synthetic database for scale work: ``partnership-explorer synth --events N``.

Everything is drawn from one ``numpy`` generator seeded with ``seed``, so the same ``(n_events, seed)`` gives the
same rows (timestamps included). The shape follows what ingestion produces from real press coverage:

* time: 1992–2025, denser in recent years, with bursts of events around summits (a few days to weeks wide);
* dates: day, month and year precision, and ranges ("4–7 December 2018", "2017–2025") labelled as
  :func:`core.ingest.date_label` labels them; a handful of relationship milestones (the eras);
* sectors: the 14 sectors of :func:`core.sectors.default_taxonomy` with skewed (Zipf-like) sizes, a quarter of the
  events in two or three sectors, about 2% unclassified;
* entities: thousands (people, companies, government bodies, organisations, places and the two countries) with
  aliases, Zipf popularity, one to five per event, with the roles extraction gives (countries, companies, bodies
  and organisations are parties, people represent their country); each event has its kind's CAMEO code;
* documents: about one per 20 events, multi-sentence text built from the sentences of the sources they hold, so
  every source's ``text[start:end] == sentence`` and ``text[date_start:date_end] == date_text``; one to six
  sources per event from different documents.

Events, documents and sources go in with ``executemany`` in chunks of events; the link tables (event_sectors,
event_entities) with one ``INSERT … SELECT … FROM json_each(?)`` per chunk of packed ints. During the load the
secondary indexes are dropped (rebuilt once at the end), the page cache is large enough for the whole database
and the cyclic garbage collector is off; the two FTS5 indexes are rebuilt once at the end (``INSERT INTO
events_fts(events_fts) VALUES('rebuild')``) from that cache.

All of it is one write transaction in the database's WAL, with its usual ``synchronous = NORMAL``: a crash at
any point leaves the database as it was before (every index there, full-text index in step, WAL mode), and a
commit leaves it whole. The synthetic rows of one run are at most :data:`MAX_EVENTS` events (memory grows with
them: about 4 GB per million at the peak, 1.4 GB of database).
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .periods import MONTH_NAMES
from .sectors import UNCLASSIFIED
from .store import Store

CHUNK = 50_000
BULK_MIN_EVENTS = 20_000  # from this many events a run loads in bulk (Store.begin_bulk_load); fewer go row by row
BULK_TABLES = ("events", "event_sources", "event_entities", "event_sectors", "documents")
MAX_EVENTS = 2_000_000  # one run's rows are generated in memory: 4.0 GB at the peak for a million events (measured)
FIXED_TIME = "2025-12-31T00:00:00+00:00"  # created_at / ingested_at: fixed, so a seed gives identical rows
_PRECISION_NAMES = ("day", "month", "year")  # the precision codes 0, 1, 2 used here (core.timeline.PRECISION_CODES)
FIRST_DAY = np.datetime64("1992-01-01")
LAST_DAY = np.datetime64("2025-12-31")

# Sector sizes: Zipf-like over this order (the first is the largest lane).
SECTOR_ORDER = ("trade", "investment", "diplomacy", "energy", "infrastructure", "culture", "education", "digital",
                "semiconductors", "health", "defence", "science", "climate", "ai")
UNCLASSIFIED_SHARE = 0.02

TOPICS = {
    "trade": ("trade", "exports", "imports", "tariffs", "rice exports", "free trade agreement", "customs", "textiles"),
    "investment": ("investment", "FDI", "industrial park", "capital", "factory", "joint venture", "bonds"),
    "diplomacy": ("diplomatic ties", "strategic partnership", "consular affairs", "foreign policy", "embassy"),
    "energy": ("LNG", "hydrogen", "nuclear power", "offshore wind", "solar power", "power grid", "coal phase-out"),
    "infrastructure": ("metro line", "expressway", "airport", "seaport", "high-speed rail", "bridge", "logistics"),
    "culture": ("tourism", "K-pop", "film festival", "cultural exchange", "direct flights", "language school"),
    "education": ("scholarships", "vocational training", "labour migration", "university", "skilled workers"),
    "digital": ("5G", "e-government", "data centre", "telecom", "digital transformation", "fintech", "cloud"),
    "semiconductors": ("chip packaging", "semiconductors", "wafer fab", "chip design", "electronics"),
    "health": ("vaccines", "hospital", "pharmaceuticals", "medical devices", "public health"),
    "defence": ("naval visit", "defence industry", "maritime security", "peacekeeping", "coast guard"),
    "science": ("research centre", "space technology", "R&D", "science park", "innovation hub"),
    "climate": ("emissions", "green growth", "mangroves", "climate finance", "carbon market", "plastic waste"),
    "ai": ("artificial intelligence", "AI", "machine learning", "AI centre", "robotics"),
}
KINDS = ("meeting", "agreement", "deal", "visit", "opening", "statistic", "target")
KIND_P = (0.30, 0.22, 0.16, 0.14, 0.07, 0.07, 0.04)
CAMEO = {"meeting": "040", "agreement": "057", "deal": "061", "visit": "042", "opening": "PE-OPEN",
         "statistic": "PE-STAT", "target": "PE-TARGET", "milestone": "050"}  # as resources/event_kinds.toml codes them
ROLE_CODES = {"country": 1, "company": 1, "government": 1, "organisation": 1}  # party; people 2/3, places 0
STATUSES = ("extracted", "confirmed", "rejected", "edited")
STATUS_P = (0.90, 0.06, 0.03, 0.01)
OUTLETS = ("Vietnam News", "The Korea Herald", "VnExpress International", "Yonhap", "Tuoi Tre News",
           "The Korea Times", "Nhan Dan", "VietnamPlus", "Korea JoongAng Daily", "Hanoi Times")
MILESTONES = (  # (day, title): the eras of the relationship
    ("1992-12-22", "Diplomatic relations established"),
    ("2001-08-23", "Relations upgraded to Comprehensive Partnership"),
    ("2009-10-21", "Relations upgraded to Strategic Cooperative Partnership"),
    ("2022-12-05", "Relations upgraded to Comprehensive Strategic Partnership"),
)
_LEADS = ("On", "In", "From")
_PRE = ("", "Officials said that ", "According to the ministry, ", "Reports say that ", "As announced, ",
        "Local media reported that ")

_VN_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
              "Dương", "Lý")
_VN_MIDDLE = ("Văn", "Thị", "Minh", "Quốc", "Thanh", "Đức", "Hồng", "Xuân", "Ngọc", "Hữu")
_VN_GIVEN = ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân", "Sơn", "Thắng",
             "Trang", "Tuấn", "Việt", "Yến", "Khánh", "Linh")
_KR_FAMILY = ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin")
_KR_GIVEN1 = ("Min", "Ji", "Seo", "Hyun", "Jae", "Sung", "Young", "Dong", "Eun", "Soo", "Hye", "Tae")
_KR_GIVEN2 = ("ho", "woo", "jun", "jin", "min", "hee", "sook", "chul", "hwan", "yeon", "kyu", "bin")
_CO_A = ("Hanoi", "Saigon", "Mekong", "Lotus", "Dragon", "Han River", "Jeju", "Busan", "Daewon", "Sejong", "Hanbit",
         "Kumho", "Thang Long", "Red River", "Pacific", "Asia", "Golden", "Blue Ocean", "Phoenix", "Sunrise")
_CO_B = ("Steel", "Energy", "Electronics", "Logistics", "Pharma", "Construction", "Telecom", "Motors", "Chemicals",
         "Foods", "Textiles", "Semiconductor", "Finance", "Shipbuilding", "Airlines", "Power", "Digital", "Tech")
_CO_C = ("Group", "Corporation", "JSC", "Co., Ltd.", "Holdings", "Industries", "Partners")
_ORG_A = ("Institute", "Association", "Council", "Foundation", "Centre", "Forum", "Chamber", "Agency")
_CITIES = ("Hanoi", "Ho Chi Minh City", "Da Nang", "Hai Phong", "Can Tho", "Bac Ninh", "Quang Ninh", "Nha Trang",
           "Hue", "Vung Tau", "Seoul", "Busan", "Incheon", "Daegu", "Gwangju", "Ulsan", "Suwon", "Changwon", "Jeju",
           "Sejong", "Daejeon", "Pohang", "Thai Nguyen", "Binh Duong", "Dong Nai", "Long An", "Hai Duong")


@dataclass
class SynthReport:
    events: int
    documents: int
    sources: int
    entities: int
    seconds: float
    phases: dict = None  # seconds per phase: generate, documents, events, indexes, fts

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else float("inf")

    def summary(self) -> str:
        return (f"synthesized {self.events:,} events, {self.documents:,} documents, {self.sources:,} sources, "
                f"{self.entities:,} entities in {self.seconds:.1f} s ({self.events_per_s:,.0f} events/s)")


class SynthError(Exception):
    """A synth request that cannot be done (one line)."""


def is_empty(store: Store) -> bool:
    return store.execute("SELECT EXISTS(SELECT 1 FROM events) OR EXISTS(SELECT 1 FROM documents)").fetchone()[0] == 0


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.replace("Đ", "D").replace("đ", "d"))
                   if not unicodedata.combining(c))


def _entities(rng: np.random.Generator, n: int) -> list[tuple[str, str, str | None, str | None, list[str]]]:
    """(name, type, country, role, aliases): the two countries, then ``n`` others, names unique by construction."""
    out = [
        ("Vietnam", "country", "VN", None, ["Viet Nam", "Việt Nam", "VN", "SRV", "베트남"]),
        ("South Korea", "country", "KR", None, ["Korea", "Republic of Korea", "ROK", "대한민국", "Hàn Quốc"]),
    ]
    kinds = rng.choice(np.array(["person", "company", "government", "organisation", "place"]), size=n,
                       p=[0.45, 0.30, 0.10, 0.10, 0.05])
    counters = dict.fromkeys(("person", "company", "government", "organisation", "place"), 0)
    sector_keys = list(TOPICS)
    for t in kinds.tolist():
        i = counters[t]
        counters[t] += 1
        if t == "person":
            if i % 2 == 0:
                j = i // 2
                name = (f"{_VN_FAMILY[j % 16]} {_VN_MIDDLE[(j // 16) % 10]} {_VN_GIVEN[(j // 160) % 20]}"
                        + (f" {j // 3200 + 1}" if j >= 3200 else ""))
                folded = _fold(name)
                aliases = [folded, f"Mr. {folded.split()[-1]}" if j % 3 else f"Ms. {folded.split()[-1]}"]
                out.append((name, t, "VN", ("Minister", "Ambassador", "Deputy Minister", "Chairman", "Director")[j % 5],
                            aliases))
            else:
                j = i // 2
                given = f"{_KR_GIVEN1[(j // 14) % 12]}-{_KR_GIVEN2[(j // 168) % 12]}"
                name = f"{_KR_FAMILY[j % 14]} {given}" + (f" {j // 2016 + 1}" if j >= 2016 else "")
                aliases = [f"{given} {_KR_FAMILY[j % 14]}", name.replace("-", " ")]
                out.append((name, t, "KR", ("Minister", "Ambassador", "CEO", "Governor", "Envoy")[j % 5], aliases))
        elif t == "company":
            name = (f"{_CO_A[i % 20]} {_CO_B[(i // 20) % 18]} {_CO_C[(i // 360) % 7]}"
                    + (f" {i // 2520 + 1}" if i >= 2520 else ""))
            words = name.replace(",", "").replace(".", "").split()
            aliases = ["".join(w[0] for w in words[:3]).upper(), " ".join(words[:2])]
            out.append((name, t, "VN" if i % 2 else "KR", None, aliases))
        elif t == "government":
            country = ("Vietnam", "Korea")[i % 2]
            topic = sector_keys[(i // 2) % 14].capitalize()
            name = f"Ministry of {topic} of {country}" + (f" ({i // 28 + 1})" if i >= 28 else "")
            aliases = [f"{'MO' if i % 2 == 0 else 'MK'}{topic[:3].upper()}{'' if i < 28 else i // 28 + 1}"]
            out.append((name, t, "VN" if i % 2 == 0 else "KR", None, aliases))
        elif t == "organisation":
            topic = " ".join(w if w.isupper() else w.capitalize() for w in TOPICS[sector_keys[i % 14]][0].split())
            name = (f"Vietnam-Korea {topic} {_ORG_A[(i // 14) % 8]}"
                    + (f" {i // 112 + 1}" if i >= 112 else ""))
            aliases = ["VK" + "".join(w[0] for w in name.split()[1:3]).upper() + str(i)]
            out.append((name, t, None, None, aliases))
        else:
            name = _CITIES[i % len(_CITIES)] + (f" District {i // len(_CITIES)}" if i >= len(_CITIES) else "")
            out.append((name, t, "VN" if i % len(_CITIES) < 10 or i % len(_CITIES) > 21 else "KR", None, [_fold(name)]))
    return out


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique`` of an int array by sorting (numpy's hash-based path is slower for millions of ints)."""
    a = np.sort(a, kind="stable")
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if len(a) else a


def _json_ints(a: np.ndarray) -> str:
    """An int array as a JSON array: SQLite reads it with ``json_each`` (one INSERT…SELECT instead of a Python
    tuple per row, about half the time for the link tables)."""
    return json.dumps(a.tolist())


def _zipf_p(n: int, a: float) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** a
    return w / w.sum()


def _days_to_iso(days: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D")


def _dates(rng: np.random.Generator, n: int):
    """Start/end days, base precision, is_range — clustered around summits, denser in recent years."""
    first, last = FIRST_DAY.astype(np.int64), LAST_DAY.astype(np.int64)
    span = last - first
    n_bursts = int(np.clip(n // 2500, 12, 400))
    burst_day = first + np.floor(span * rng.random(n_bursts) ** 0.55).astype(np.int64)
    burst_w = rng.pareto(1.2, n_bursts) + 1.0
    burst_sd = np.round(rng.exponential(6.0, n_bursts) + 1.5)
    in_burst = rng.random(n) < 0.55
    which = rng.choice(n_bursts, size=n, p=burst_w / burst_w.sum())
    day = np.where(
        in_burst,
        burst_day[which] + np.round(rng.normal(0.0, 1.0, n) * burst_sd[which]).astype(np.int64),
        first + np.floor(span * rng.random(n) ** 0.6).astype(np.int64),
    )
    day = np.clip(day, first, last)
    u = rng.random(n)
    # base precision: bursts are reported by the day; background events are often known by month or year
    precision = np.where(in_burst, np.where(u < 0.88, 0, np.where(u < 0.97, 1, 2)),
                         np.where(u < 0.62, 0, np.where(u < 0.88, 1, 2))).astype(np.int8)
    is_range = rng.random(n) < 0.06
    d = day.astype("datetime64[D]")
    month0 = d.astype("datetime64[M]")
    year0 = d.astype("datetime64[Y]")
    start = np.where(precision == 0, day,
                     np.where(precision == 1, month0.astype("datetime64[D]").astype(np.int64),
                              year0.astype("datetime64[D]").astype(np.int64)))
    # last day of the period (and of the range: 2–7 days, 2–12 months, 2–10 years)
    k_day = rng.integers(1, 7, n)
    k_month = rng.integers(1, 12, n)
    k_year = rng.integers(1, 10, n)
    end_day = np.where(is_range, day + k_day, day)
    end_month = ((month0 + np.where(is_range, k_month, 0) + 1).astype("datetime64[D]").astype(np.int64) - 1)
    end_year = ((year0 + np.where(is_range, k_year, 0) + 1).astype("datetime64[D]").astype(np.int64) - 1)
    end = np.where(precision == 0, end_day, np.where(precision == 1, end_month, end_year))
    end = np.minimum(end, last)
    # a range clipped back to one period is no range
    single_end = np.where(precision == 0, start, np.where(
        precision == 1, (month0 + 1).astype("datetime64[D]").astype(np.int64) - 1,
        (year0 + 1).astype("datetime64[D]").astype(np.int64) - 1))
    is_range = end > single_end
    end = np.where(is_range, end, single_end)
    end = np.maximum(end, start)
    return start, end, precision, is_range


def _labels(start: np.ndarray, end: np.ndarray, precision: np.ndarray, is_range: np.ndarray):
    """``date`` and ``precision`` columns exactly as core.periods.date_label gives them (codes of
    core.timeline.PRECISION_CODES)."""
    s = start.astype("datetime64[D]")
    e = end.astype("datetime64[D]")
    same_year = s.astype("datetime64[Y]") == e.astype("datetime64[Y]")
    same_month = s.astype("datetime64[M]") == e.astype("datetime64[M]")
    prec = precision.copy()
    prec[is_range & ~(same_year & same_month)] = 2
    prec[is_range & same_year & same_month & (precision == 0) & (start != end)] = 1
    iso = np.datetime_as_string(s, unit="D")
    label = np.where(prec == 0, iso, np.where(prec == 1, iso.astype("<U7"), iso.astype("<U4")))
    return label.tolist(), prec


def _date_text(s: str, e: str, base_prec: int, rng_flag: bool) -> tuple[str, str]:
    """(expression as written, lead word) for a source sentence."""
    y, m, d = int(s[:4]), int(s[5:7]), int(s[8:10])
    if not rng_flag:
        if base_prec == 0:
            return f"{d} {MONTH_NAMES[m - 1]} {y}", "On"
        if base_prec == 1:
            return f"{MONTH_NAMES[m - 1]} {y}", "In"
        return f"{y}", "In"
    y2, m2, d2 = int(e[:4]), int(e[5:7]), int(e[8:10])
    if base_prec == 0:
        if (y, m) == (y2, m2):
            return f"{d}-{d2} {MONTH_NAMES[m - 1]} {y}", "From"
        return f"{d} {MONTH_NAMES[m - 1]} to {d2} {MONTH_NAMES[m2 - 1]} {y2}", "From"
    if base_prec == 1:
        return f"{MONTH_NAMES[m - 1]} {y} to {MONTH_NAMES[m2 - 1]} {y2}", "From"
    return f"{y} to {y2}", "From"


_VERBS = {
    "meeting": ("{a} and {b} hold talks on {t}", "{a} and {b} leaders meet on {t}", "Summit on {t} in {p}",
                "{a} and {b} discuss {t} cooperation"),
    "agreement": ("{a} and {b} sign MoU on {t}", "Agreement on {t} signed by {a} and {b}",
                  "{a} and {b} agree to expand {t}"),
    "deal": ("{a} invests in {t} project in {p}", "{a} wins {t} contract in {p}", "{a} and {b} close {t} deal"),
    "visit": ("{a} visits {p}", "{a} pays official visit to {p} on {t}", "{a} delegation tours {t} sites in {p}"),
    "opening": ("{a} opens {t} centre in {p}", "New {t} facility inaugurated in {p}"),
    "statistic": ("Bilateral {t} figure reaches {n} billion USD", "{t} turnover hits {n} billion USD"),
    "target": ("{a} and {b} aim for {n} billion USD in {t}", "Target of {n} billion USD set for {t}"),
}


def synthesize(store: Store, n_events: int, seed: int = 0, *, chunk: int = CHUNK,
               progress: Callable[[int, int], None] | None = None) -> SynthReport:
    """Add ``n_events`` synthetic events (and their documents, sources, entities) to ``store``."""
    if n_events < 1:
        raise SynthError("--events must be at least 1")
    if n_events > MAX_EVENTS:
        raise SynthError(f"--events {n_events:,} is more than one run makes ({MAX_EVENTS:,}); use --append for more")
    # Millions of short-lived tuples and strings, no reference cycles: the cyclic collector would walk the
    # growing heap again and again (several seconds at 1M events) for nothing.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _synthesize(store, n_events, seed, chunk=chunk, progress=progress)
    finally:
        if gc_was_on:
            gc.enable()


def _synthesize(store: Store, n_events: int, seed: int, *, chunk: int,
                progress: Callable[[int, int], None] | None) -> SynthReport:
    t0 = time.perf_counter()
    from .sectors import default_taxonomy

    store.sync_sectors(default_taxonomy().sectors)
    conn = store  # execute, executemany and in_transaction of the store
    conn.execute("PRAGMA foreign_keys = OFF")  # rows are consistent by construction; checked in the tests
    old_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    # A page cache big enough for the whole 1M database (only what is used is allocated): the index builds and
    # the FTS rebuilds read the tables again from memory. The sorts of CREATE INDEX stay in memory too, up to
    # SQLite's 512 MiB a sort (an index of 1M events is under 100 MiB). temp_store is left as it is (by default a file):
    # with temp_store = MEMORY SQLite's sorter allocates every record on its own instead of packing them into
    # one growing buffer, and the index builds took about 0.15 s more CPU at 100k events.
    conn.execute("PRAGMA cache_size = -2097152")
    conn.execute("PRAGMA threads = 2")  # a sort larger than that spills to its temp file from a helper thread
    try:
        # One write transaction in the WAL, from reading the highest ids to the last index: a crash at any point
        # (kill -9 included) leaves the database exactly as it was, and a commit leaves it whole and indexed.
        with store.atomic():
            return _fill(store, conn, n_events, seed, chunk, progress, t0)
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = {int(old_cache)}")


def _fill(store: Store, conn, n_events: int, seed: int, chunk: int, progress, t0: float) -> SynthReport:
    rng = np.random.default_rng([int(seed), int(n_events)])
    ev_base = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
    doc_base = conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
    src_base = conn.execute("SELECT coalesce(max(id), 0) FROM event_sources").fetchone()[0]
    fresh = ev_base == 0
    n_mile = len(MILESTONES) if fresh and n_events >= 50 else 0
    n_gen = n_events - n_mile

    # -- events --------------------------------------------------------------------------------------------
    start, end, base_prec, is_range = _dates(rng, n_gen)
    kind_idx = rng.choice(len(KINDS), size=n_gen, p=KIND_P)
    status_idx = rng.choice(len(STATUSES), size=n_gen, p=STATUS_P)
    if n_mile:
        m_days = np.array([np.datetime64(d) for d, _ in MILESTONES]).astype(np.int64)
        start = np.concatenate([m_days, start])
        end = np.concatenate([m_days, end])
        base_prec = np.concatenate([np.zeros(n_mile, np.int8), base_prec])
        is_range = np.concatenate([np.zeros(n_mile, bool), is_range])
        kind_idx = np.concatenate([np.full(n_mile, -1), kind_idx])
        status_idx = np.concatenate([np.full(n_mile, 1), status_idx])
        # milestones first (ids 1..4), the rest in no particular time order (ingestion order is not time order)
        order = np.concatenate([np.arange(n_mile), n_mile + rng.permutation(n_gen)])
    else:
        order = rng.permutation(n_gen)
    start, end, base_prec, is_range = start[order], end[order], base_prec[order], is_range[order]
    kind_idx, status_idx = kind_idx[order], status_idx[order]
    n = n_events
    ids = np.arange(ev_base + 1, ev_base + n + 1, dtype=np.int64)
    date_label, precision = _labels(start, end, base_prec, is_range)
    confidence = np.round(0.35 + 0.6 * rng.random(n), 3)

    # sectors: a primary (Zipf over SECTOR_ORDER, some unclassified), then 25% a second, 7% a third
    n_sec = len(SECTOR_ORDER)
    p = _zipf_p(n_sec, 1.1)
    primary = rng.choice(n_sec, size=n, p=p)
    unclassified = rng.random(n) < UNCLASSIFIED_SHARE
    second = rng.choice(n_sec, size=n, p=p)
    third = rng.choice(n_sec, size=n, p=p)
    u = rng.random(n)
    has2, has3 = (u < 0.25) & ~unclassified, (u < 0.07) & ~unclassified
    sector_keys = np.array(list(SECTOR_ORDER) + [UNCLASSIFIED], dtype=object)
    es_ev = np.concatenate([ids, ids[has2], ids[has3]])
    es_sec = np.concatenate([np.where(unclassified, n_sec, primary), second[has2], third[has3]])
    key = _sorted_unique(es_ev * 32 + es_sec)
    es_ev, es_sec = key // 32, key % 32
    topic_sector = primary

    # entities
    existing_entities = conn.execute("SELECT count(*) FROM entities").fetchone()[0]
    n_ent = int(np.clip(n // 200, 300, 6000))
    ents = _entities(np.random.default_rng([int(seed), 7]), n_ent)
    ent_p = _zipf_p(len(ents) - 2, 0.9)
    k_ent = rng.choice(np.arange(1, 4), size=n, p=[0.50, 0.38, 0.12])  # actors named in the title
    ee_parts_ev, ee_parts_ent = [], []
    for j, share in ((0, 0.35), (1, 0.30)):  # the two countries
        pick = rng.random(n) < share
        ee_parts_ev.append(ids[pick])
        ee_parts_ent.append(np.full(int(pick.sum()), j))
    actor = rng.choice(len(ents) - 2, size=(n, 3), p=ent_p) + 2
    actor[:, 1] = np.where(actor[:, 1] == actor[:, 0], 2 + (actor[:, 0] - 1) % (len(ents) - 2), actor[:, 1])
    # one actor only: the other side of the title is a country (linked as such)
    actor[:, 1] = np.where(k_ent == 1, ids % 2, actor[:, 1])
    ee_parts_ev.append(ids[k_ent == 1])
    ee_parts_ent.append(actor[k_ent == 1, 1])
    for j in range(3):
        pick = k_ent > j
        ee_parts_ev.append(ids[pick])
        ee_parts_ent.append(actor[pick, j])
    # a milestone's two sides are the two countries, as the extractor gives every milestone (the relationship
    # ladder is made from them: core.relationship)
    milestone = kind_idx < 0
    for j in range(2):
        ee_parts_ev.append(ids[milestone])
        ee_parts_ent.append(np.full(int(milestone.sum()), j))
    key = _sorted_unique(np.concatenate(ee_parts_ev) * 8192 + np.concatenate(ee_parts_ent))
    ee_ev, ee_ent = key // 8192, key % 8192
    # roles as extraction gives them: countries, companies, bodies and organisations are parties (the sides),
    # people represent their country, places are only mentioned
    ent_role = np.array([ROLE_CODES.get(t, 0) if t != "person" else (2 if c == "VN" else 3)
                         for _name, t, c, _role, _aliases in ents], dtype=np.int64)

    # titles
    verbs = {k: v for k, v in _VERBS.items()}
    vpick = rng.integers(0, 12, n)
    tpick = rng.integers(0, 100, n)
    place = rng.integers(0, len(_CITIES), n)
    amount = rng.integers(1, 150, n)
    topic_lists = [TOPICS[SECTOR_ORDER[i]] for i in range(n_sec)]
    names = [e[0] for e in ents]
    a_name = [names[i] for i in actor[:, 0].tolist()]
    b_name = [names[i] for i in actor[:, 1].tolist()]
    titles = []
    kl, tl, vl, pl, am = kind_idx.tolist(), topic_sector.tolist(), vpick.tolist(), place.tolist(), amount.tolist()
    tp = tpick.tolist()
    mile_titles = [t for _, t in MILESTONES]
    for i in range(n):
        k = kl[i]
        if k < 0:
            titles.append(mile_titles[i])
            continue
        forms = verbs[KINDS[k]]
        topics = topic_lists[tl[i]]
        titles.append(forms[vl[i] % len(forms)].format(a=a_name[i], b=b_name[i], t=topics[tp[i] % len(topics)],
                                                       p=_CITIES[pl[i]], n=am[i]))
    kinds_col = np.array(list(KINDS) + ["milestone"], dtype=object)[kind_idx]  # -1 → milestone
    start_iso = _days_to_iso(start).tolist()
    end_iso = _days_to_iso(end).tolist()
    cache: dict = {}
    dtexts, lead_l = [], []
    for key in zip(start_iso, end_iso, base_prec.tolist(), is_range.tolist()):
        got = cache.get(key)
        if got is None:
            got = cache[key] = _date_text(*key)
        dtexts.append(got[0])
        lead_l.append(got[1])
    lead_idx = np.fromiter(map({w: i for i, w in enumerate(_LEADS)}.__getitem__, lead_l), dtype=np.int64, count=n)
    dtext_len = np.fromiter(map(len, dtexts), dtype=np.int64, count=n)
    bodies = [f"{d}, {t}." for d, t in zip(dtexts, titles)]
    src_labels = [lab if not r else f"{a}/{b}" for lab, r, a, b in zip(date_label, is_range.tolist(), start_iso, end_iso)]

    # -- sources and documents -----------------------------------------------------------------------------
    n_src = rng.choice(np.arange(1, 7), size=n, p=[0.55, 0.25, 0.10, 0.05, 0.03, 0.02])
    n_src = np.where(kind_idx < 0, 6, n_src)
    n_docs = max(1, n // 20) if n else 0
    src_event = np.repeat(np.arange(n), n_src)                 # row index into the event arrays
    src_k = np.arange(len(src_event)) - np.repeat(np.cumsum(n_src) - n_src, n_src)
    # a document covers a stretch of time: place each event by its time rank, its sources in nearby documents
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(start, kind="stable")] = np.arange(n)
    base_doc = (rank * n_docs) // max(n, 1)
    jitter = rng.integers(1, 9, len(src_event)) * src_k
    src_doc = np.clip(base_doc[src_event] + jitter, 0, max(n_docs - 1, 0)) if n_docs else src_event * 0
    order = np.lexsort((start[src_event], src_doc))
    src_event, src_doc, src_k = src_event[order], src_doc[order], src_k[order]
    n_sources = len(src_event)
    src_conf = np.round(0.3 + 0.65 * rng.random(n_sources), 3).tolist()
    src_k = src_k.astype(np.int64)
    outlet_idx = rng.integers(0, len(OUTLETS), n_docs)

    report = SynthReport(0, 0, 0, 0, 0.0, {})
    mark = [t0]  # generation (numpy and strings) ran since the start

    def phase(name: str) -> None:
        now = time.perf_counter()
        report.phases[name] = report.phases.get(name, 0.0) + now - mark[0]
        mark[0] = now

    phase("generate")
    # Secondary indexes of the bulk tables are dropped and rebuilt from their own stored definitions at the end
    # (sorting once is several times faster than growing B-trees row by row), CHECK constraints checked with one
    # query per table and the row-free triggers fired once (Store.begin_bulk_load), in the same transaction: the
    # schema and rows end up identical, and nobody ever sees it without them.
    bulk = store.begin_bulk_load(BULK_TABLES) if n >= BULK_MIN_EVENTS else None
    # entities and aliases (INSERT OR IGNORE keeps an existing entity of the same name on --append)
    conn.executemany(
        "INSERT OR IGNORE INTO entities (name, type, country, role, known) VALUES (?, ?, ?, ?, 1)",
        [(nm, t, c, r) for nm, t, c, r, _ in ents],
    )
    id_of = dict(conn.execute("SELECT name, id FROM entities"))
    ent_ids = np.array([id_of[e[0]] for e in ents], dtype=np.int64)
    conn.executemany(
        "INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?, ?)",
        [(id_of[nm], a) for nm, _, _, _, al in ents for a in (nm, *al)],
    )
    report.entities = conn.execute("SELECT count(*) FROM entities").fetchone()[0] - existing_entities

    # documents with their sources. A source sentence is head + body: the head ("On ", "Officials said that
    # in ") varies with the source, the body ("12 August 2025, <title>.") is the event's; offsets are
    # computed with cumulative sums, so text[start:end] == sentence by construction.
    heads = [f"{pre}{lead if not pre else lead.lower()} " for pre in _PRE for lead in _LEADS]
    head_len = np.array([len(h) for h in heads], dtype=np.int64)
    body_len = np.fromiter(map(len, bodies), dtype=np.int64, count=n)
    src_head = (src_k % len(_PRE)) * len(_LEADS) + lead_idx[src_event]
    sent_len = head_len[src_head] + body_len[src_event]
    # separators: a paragraph break after every fifth sentence of a document, else a space
    doc_bounds = np.searchsorted(src_doc, np.arange(n_docs + 1))
    pos_in_doc = np.arange(n_sources) - np.repeat(doc_bounds[:-1], np.diff(doc_bounds))
    sep_len = np.where(pos_in_doc % 5 == 4, 2, 1)
    headlines = [f"{OUTLETS[o]}: Vietnam-Korea report {doc_base + d + 1}" for d, o in enumerate(outlet_idx.tolist())]
    hl_len = np.fromiter(map(len, headlines), dtype=np.int64, count=n_docs) + 2
    step = sent_len + sep_len
    csum = np.cumsum(step) - step                          # global running offset before each sentence
    src_start = csum - np.repeat(csum[doc_bounds[:-1]] if n_sources else csum[:0], np.diff(doc_bounds)) \
        + np.repeat(hl_len, np.diff(doc_bounds))
    src_end = src_start + sent_len
    date_start = src_start + head_len[src_head]
    date_end = date_start + dtext_len[src_event]
    el = src_event.tolist()
    sentences = [heads[h] + bodies[e] for h, e in zip(src_head.tolist(), el)]
    with_sep = [x + ("\n\n" if k else " ") for x, k in zip(sentences, (sep_len == 2).tolist())]
    src_ids = range(src_base + 1, src_base + n_sources + 1)
    src_doc_ids = (src_doc + doc_base + 1).tolist()
    src_rows = zip(src_ids, ids[src_event].tolist(), src_doc_ids, sentences, src_start.tolist(),
                   src_end.tolist(), map(dtexts.__getitem__, el), date_start.tolist(), date_end.tolist(),
                   map(src_labels.__getitem__, el), src_conf)
    # a document is published on the last day it reports
    last_day = np.full(max(n_docs, 1), FIRST_DAY.astype(np.int64))
    np.maximum.at(last_day, src_doc, end[src_event])
    last_iso = _days_to_iso(last_day).tolist()
    filler = ("The two countries have maintained close cooperation across many fields.",
              "Analysts expect the partnership to deepen further in the coming years.",
              "Both sides reaffirmed their commitment to the comprehensive strategic partnership.")
    db_l = doc_bounds.tolist()
    d0 = 0
    while d0 < n_docs:
        d1 = min(n_docs, d0 + max(1, chunk // 20))
        doc_rows = []
        for d in range(d0, d1):
            doc_id = doc_base + d + 1
            text = headlines[d] + "\n\n" + "".join(with_sep[db_l[d]:db_l[d + 1]]) + filler[d % 3]
            doc_rows.append((doc_id, f"synth/{seed}/{doc_id:08d}.txt", f"{doc_id:08d}.txt", headlines[d],
                             OUTLETS[int(outlet_idx[d])], last_iso[d], hashlib.sha1(text.encode()).hexdigest(),
                             text, FIXED_TIME))
        conn.executemany(
            """INSERT INTO documents (id, path, file_name, title, outlet, language, published,
               published_precision, published_source, content_hash, encoding, text, ingested_at)
               VALUES (?, ?, ?, ?, ?, 'en', ?, 'day', 'manifest', ?, 'utf-8', ?, ?)""", doc_rows)
        conn.executemany(
            """INSERT INTO event_sources (id, event_id, document_id, sentence, start, "end", date_text,
               date_start, date_end, date_label, confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            itertools.islice(src_rows, db_l[d1] - db_l[d0]))
        d0 = d1
    del sentences, with_sep
    phase("documents")
    report.documents = n_docs
    report.sources = n_sources

    # events, sectors and entity links, one transaction per chunk of events
    ids_l = ids.tolist()
    kinds_l = kinds_col.tolist()
    prec_names = np.array(_PRECISION_NAMES, dtype=object)[precision].tolist()
    range_l = is_range.astype(np.int64).tolist()
    conf_l = confidence.tolist()
    status_l = np.array(STATUSES, dtype=object)[status_idx].tolist()
    es_b = np.searchsorted(es_ev, ids)
    ee_b = np.searchsorted(ee_ev, ids)
    es_packed = es_ev * 32 + es_sec                       # event id, sector index
    ee_packed = (ee_ev << 34) | (ent_ids[ee_ent] << 2) | ent_role[ee_ent]  # event id, entity id, role code
    sector_json = json.dumps(sector_keys.tolist())
    summaries = [heads[h] + b for h, b in zip(lead_idx.tolist(), bodies)]  # = the sentence of source 0
    ev_rows = zip(ids_l, titles, summaries, kinds_l, date_label, prec_names, start_iso, end_iso, range_l, conf_l,
                  status_l, n_src.tolist(), map(CAMEO.__getitem__, kinds_l))
    for c0 in range(0, n, chunk):
        c1 = min(n, c0 + chunk)
        rows = itertools.islice(ev_rows, c1 - c0)
        s0, s1 = int(es_b[c0]), int(es_b[c1]) if c1 < n else len(es_packed)
        e0, e1 = int(ee_b[c0]), int(ee_b[c1]) if c1 < n else len(ee_packed)
        conn.executemany(
            f"""INSERT INTO events (id, title, summary, kind, date, precision, start, "end", is_range,
               confidence, status, n_sources, cameo, locked, origin, created_at, updated_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0,'synthetic','{FIXED_TIME}','{FIXED_TIME}')""", rows)
        conn.execute("INSERT INTO event_sectors (event_id, sector_key) "
                     "SELECT value >> 5, ?2 ->> (value & 31) FROM json_each(?1)",
                     (_json_ints(es_packed[s0:s1]), sector_json))
        conn.execute("INSERT INTO event_entities (event_id, entity_id, role, acting_for) "
                     "SELECT value >> 34, (value >> 2) & 4294967295, "
                     "CASE value & 3 WHEN 1 THEN 'party' WHEN 0 THEN NULL ELSE 'representative' END, "
                     "CASE value & 3 WHEN 2 THEN 'Vietnam' WHEN 3 THEN 'South Korea' END FROM json_each(?)",
                     (_json_ints(ee_packed[e0:e1]),))
        report.events = c1
        if progress:
            progress(c1, n)
    phase("events")
    if bulk is not None:
        store.finish_bulk_load(bulk)
    phase("indexes")
    store.rebuild_fts()
    phase("fts")
    from .timeline import save_snapshot_in_transaction

    save_snapshot_in_transaction(store)  # the first open reads one blob, not every row (core.timeline)
    phase("timeline snapshot")
    report.seconds = time.perf_counter() - t0
    return report
