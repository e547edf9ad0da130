"""Scoring the extractor against gold data: date expressions (TempEval-3 style) and dated events.

One module for the extraction benchmark (``benchmarks/extraction.py``) and the floor test
(``tests/test_corpus_floor.py``), so both measure the same thing.

Periods
    Every date value is turned into a :class:`Period` (first and last day, and a precision): ``2025``,
    ``2025-08``, ``2025-08-12``, ``2025-W33`` (ISO week), ``2025-Q3``, ``2025-H1``, ``199`` (a decade),
    ``2010-W04-WE`` (a weekend), ranges ``2024-11-05/2024-11-10``. Values that name no calendar period
    (``PAST_REF``, ``XXXX-XX-XX``, ``FY2008``, seasons, durations) are kept as strings and only ever equal
    themselves.

Date expressions (TempEval-3)
    Gold and predicted mentions are paired one to one per document, largest overlap first. *Strict*: the
    spans are identical; *relaxed*: they overlap. Precision = paired predictions / predictions, recall =
    paired gold / gold. *Value*: a relaxed pair whose values name the same period (a gold value with a
    ``mod`` such as "early 2025" also accepts a period inside it); value precision and recall count the
    correct pairs over all predictions / all gold mentions that have a value.

Events
    A predicted event (one stored event, as seen from one document) matches a gold event of the same file
    when (1) its date is compatible — for a gold event without ``end`` the predicted period lies inside the
    gold period (same value at the gold precision, not coarser); for a gold range the periods overlap and
    the prediction either lies inside the range or is itself a range sharing its first or last period — and
    (2) one of its source sentences overlaps the gold evidence span or another mention of the same
    happening, with at least a quarter of that source span on it (a span stretched over the whole article
    overlaps everything and matches nothing). Matching is one to one per file (maximum bipartite matching), so a duplicate is a false
    alarm and two happenings merged into one event lose one of them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PRECISION_ORDER = ("day", "week", "month", "quarter", "half", "year", "decade")
CATEGORIES = ("relative", "range", "history", "figure", "trap")
EXTRA_TAGS = ("inherited", "future", "week", "anchor")
GOLD_KINDS = ("milestone", "agreement", "deal", "visit", "meeting", "opening", "statistic", "target",
              "sanction", "legal", "cooperation", "intent")
# The project's kinds as CAMEO (or project) codes, for predictions that carry a kind but no code.
KIND_DEFAULT_CAMEO = {
    "milestone": "05", "agreement": "057", "deal": "061", "visit": "042", "meeting": "040",
    "opening": "PE-OPEN", "statistic": "PE-STAT", "target": "PE-TARGET",
}


# ------------------------------------------------------------------------------------------------ periods

@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    precision: str  # one of PRECISION_ORDER, or "range"

    def overlaps(self, other: "Period") -> bool:
        return self.first <= other.last and other.first <= self.last

    def inside(self, other: "Period") -> bool:
        return other.first <= self.first and self.last <= other.last

    def canonical(self) -> str:
        return canonical_value(self.first, self.last)


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


_RX_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_RX_MONTH = re.compile(r"(\d{4})-(\d{2})")
_RX_YEAR = re.compile(r"(\d{4})")
_RX_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_RX_WEEKEND = re.compile(r"(\d{4})-W(\d{2})-WE")
_RX_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_RX_HALF = re.compile(r"(\d{4})-H([12])")
_RX_DECADE = re.compile(r"(\d{3})")


def parse_value(value: str | None, end: str | None = None) -> Period | None:
    """The period a TIMEX-like value names (``end``: the last period of a range), or None."""
    if not value or not isinstance(value, str):
        return None
    if end is None and "/" in value:
        value, end = value.split("/", 1)
    start = _single(value.strip())
    if start is None:
        return None
    if end is None:
        return start
    stop = _single(end.strip())
    if stop is None or stop.last < start.first:
        return None
    if stop.precision == start.precision:
        precision = start.precision
    else:
        precision = max(start.precision, stop.precision, key=PRECISION_ORDER.index)
    return Period(start.first, stop.last, precision)


def _single(v: str) -> Period | None:
    try:
        if m := _RX_DAY.fullmatch(v):
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return Period(d, d, "day")
        if m := _RX_WEEKEND.fullmatch(v):
            sat = dt.date.fromisocalendar(int(m[1]), int(m[2]), 6)
            return Period(sat, sat + dt.timedelta(days=1), "week")
        if m := _RX_WEEK.fullmatch(v):
            mon = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return Period(mon, mon + dt.timedelta(days=6), "week")
        if m := _RX_MONTH.fullmatch(v):
            y, mo = int(m[1]), int(m[2])
            return Period(dt.date(y, mo, 1), _month_end(y, mo), "month")
        if m := _RX_QUARTER.fullmatch(v):
            y, q = int(m[1]), int(m[2])
            return Period(dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarter")
        if m := _RX_HALF.fullmatch(v):
            y, h = int(m[1]), int(m[2])
            return Period(dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h), "half")
        if m := _RX_YEAR.fullmatch(v):
            y = int(m[1])
            return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), "year")
        if m := _RX_DECADE.fullmatch(v):
            y = int(m[1]) * 10
            return Period(dt.date(y, 1, 1), dt.date(y + 9, 12, 31), "decade")
    except ValueError:  # 2025-02-30, week 54: not a period
        return None
    return None


def period_of(first: dt.date, last: dt.date) -> Period:
    """A span of days with the precision its shape has (a whole month is a month...), else 'range'."""
    if first == last:
        return Period(first, last, "day")
    value = canonical_value(first, last)
    p = _single(value)
    return p if p is not None else Period(first, last, "range")


def canonical_value(first: dt.date, last: dt.date) -> str:
    """The shortest TIMEX-like value naming exactly the days first..last."""
    if first == last:
        return first.isoformat()
    y = first.year
    if first == dt.date(y, 1, 1) and last == dt.date(y, 12, 31):
        return f"{y:04d}"
    if first.day == 1 and last == _month_end(last.year, last.month):
        if first.year == last.year and first.month == last.month:
            return f"{y:04d}-{first.month:02d}"
        if first.year == last.year and first.month % 3 == 1 and last.month == first.month + 2:
            return f"{y:04d}-Q{(first.month + 2) // 3}"
        if first.year == last.year and first.month in (1, 7) and last.month == first.month + 5:
            return f"{y:04d}-H{1 if first.month == 1 else 2}"
        if first.month == 1 and last.month == 12 and first.year % 10 == 0 and last.year == first.year + 9:
            return f"{first.year // 10:03d}"
    iso = first.isocalendar()
    if first.weekday() == 0 and last == first + dt.timedelta(days=6):
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if first.weekday() == 5 and last == first + dt.timedelta(days=1):
        return f"{iso[0]:04d}-W{iso[1]:02d}-WE"
    return f"{_short(first, last, True)}/{_short(first, last, False)}"


def _short(first: dt.date, last: dt.date, start: bool) -> str:
    d = first if start else last
    if first.day == 1 and last == _month_end(last.year, last.month):
        if first.month == 1 and last.month == 12:
            return f"{d.year:04d}"
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def format_at(d: dt.date, precision: str) -> str:
    if precision == "year":
        return f"{d.year:04d}"
    if precision in ("month", "quarter", "half"):
        return f"{d.year:04d}-{d.month:02d}"
    if precision == "week":
        iso = d.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    return d.isoformat()


def precision_class(value: str | None) -> str:
    """A coarse class of a gold value for breakdowns: day, week, month, quarter, year, decade, range, ref, other."""
    if value is None:
        return "unresolved"
    if "/" in value:
        return "range"
    p = _single(value)
    if p is not None:
        return p.precision
    if value.endswith("_REF"):
        return "ref"
    return "other"


# ------------------------------------------------------------------------------------------------ text

def fold(name: str) -> str:
    """Case-, accent- and punctuation-folded name, without company suffixes."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D").casefold()
    s = re.sub(r"[.,'’()\"]", "", s)
    s = re.sub(r"[-–—/&]+", " ", s)
    s = re.sub(r"\b(?:inc|ltd|plc|corp|co|jsc|ag|gmbh|sa|sas|kk|oy|ab|asa|llc|group|the)\b", " ", s)
    return " ".join(s.split())


_RX_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_STOP = {"the", "a", "an", "of", "in", "on", "to", "and", "for", "with", "by", "at", "as", "its", "their", "from"}


def content_words(s: str) -> set[str]:
    return {w for w in (fold(x) for x in _RX_WORD.findall(s)) if w and w not in _STOP}


# ------------------------------------------------------------------------------------------------ gold data

@dataclass
class GoldDate:
    file: str
    start: int
    end: int
    text: str
    value: str | None = None
    range_end: str | None = None
    mod: str | None = None
    relative: bool = False
    trap: bool = False

    @property
    def period(self) -> Period | None:
        return parse_value(self.value, self.range_end)


@dataclass
class GoldEvent:
    id: str
    file: str
    language: str
    date: str
    precision: str
    end: str | None
    kind: str
    cameo: str
    actors: list[dict]
    sectors: list[str]
    spans: list[tuple[int, int]]  # the evidence span first, then other mentions of the same happening
    title: str
    tags: set[str]

    @property
    def period(self) -> Period:
        p = parse_value(self.date, self.end)
        if p is None:
            raise ValueError(f"{self.id}: bad date {self.date!r}/{self.end!r}")
        return p


def load_jsonl(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{Path(path).name} line {n}: {exc}") from None
    return rows


def gold_events(rows: list[dict]) -> list[GoldEvent]:
    out = []
    for r in rows:
        spans = [(r["evidence"]["start"], r["evidence"]["end"])] + [(m["start"], m["end"]) for m in r.get("mentions", ())]
        out.append(GoldEvent(r["id"], r["file"], r.get("language", "en"), r["date"], r["precision"], r.get("end"),
                             r["kind"], r["cameo"], r["actors"], r.get("sectors", []), spans, r["title"],
                             set(r.get("tags", ()))))
    return out


def gold_dates(rows: list[dict]) -> list[GoldDate]:
    return [GoldDate(r["file"], r["span"][0], r["span"][1], r["text"], r.get("value"), r.get("end"), r.get("mod"),
                     bool(r.get("relative")), bool(r.get("trap"))) for r in rows]


def verify_gold(corpus: Path, texts: dict[str, str]) -> list[str]:
    """Problems in the gold files: offsets that do not hold the quoted text, unknown values, bad kinds...

    ``texts`` maps file names to the text the reader stores (offsets refer to it)."""
    problems = []
    for r in load_jsonl(corpus / "gold.jsonl"):
        where = f"gold.jsonl {r.get('id')}"
        text = texts.get(r.get("file"))
        if text is None:
            problems.append(f"{where}: no article {r.get('file')!r}")
            continue
        for span in [r["evidence"], *r.get("mentions", ())]:
            if text[span["start"]:span["end"]] != span["text"]:
                problems.append(f"{where}: text at {span['start']}..{span['end']} is not {span['text'][:40]!r}")
        if parse_value(r["date"], r.get("end")) is None:
            problems.append(f"{where}: bad date {r['date']!r} / {r.get('end')!r}")
        elif precision_class(r["date"]) != r["precision"]:
            problems.append(f"{where}: precision {r['precision']!r} does not fit {r['date']!r}")
        if r["kind"] not in GOLD_KINDS:
            problems.append(f"{where}: unknown kind {r['kind']!r}")
        if bool(r.get("end")) != ("range" in r.get("tags", ())):
            problems.append(f"{where}: 'range' tag and end disagree")
        if not r.get("actors"):
            problems.append(f"{where}: no actors")
    date_rows = load_jsonl(corpus / "gold_dates.jsonl") if (corpus / "gold_dates.jsonl").exists() else []
    for n, r in enumerate(date_rows, 1):
        where = f"gold_dates.jsonl line {n}"
        text = texts.get(r.get("file"))
        if text is None:
            problems.append(f"{where}: no article {r.get('file')!r}")
            continue
        s, e = r["span"]
        if text[s:e] != r["text"]:
            problems.append(f"{where}: text at {s}..{e} is not {r['text']!r}")
        if not r.get("trap") and r.get("value") is not None and parse_value(r["value"], r.get("end")) is None:
            problems.append(f"{where}: bad value {r['value']!r}")
    return problems


# ------------------------------------------------------------------------------------------------ dates, TempEval-3

@dataclass
class PredDate:
    file: str
    start: int
    end: int
    text: str
    value: str  # canonical TIMEX-like value
    precision: str

    @property
    def period(self) -> Period | None:
        return parse_value(self.value)


def pred_date_value(first: dt.date, last: dt.date, precision: str, is_range: bool) -> tuple[str, str]:
    """(value, precision) of a predicted date: the period it names, written as TIMEX does where it can."""
    if precision == "week":
        iso = first.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}", "week"
    if not is_range:
        p = {"day": 0, "month": 1, "year": 2}.get(precision)
        if p is not None:
            return format_at(first, precision), precision
    per = period_of(first, last)
    return per.canonical(), per.precision


def _value_ok(g: GoldDate, p: PredDate) -> bool:
    gp, pp = g.period, p.period
    if gp is None or pp is None:
        return g.value is not None and g.value == p.value
    if g.mod:
        return pp.inside(gp)
    return gp.first == pp.first and gp.last == pp.last


@dataclass
class DateScores:
    n_gold: int = 0
    n_pred: int = 0
    strict: int = 0
    relaxed: int = 0
    value_correct: int = 0
    n_gold_valued: int = 0
    n_pred_valued: int = 0
    pairs: list = field(default_factory=list)  # (gold, pred)
    missed: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)
    trap_alarms: list = field(default_factory=list)

    @staticmethod
    def prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> dict:
        p = tp_p / n_p if n_p else 0.0
        r = tp_r / n_r if n_r else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

    def table(self) -> dict:
        return {
            "gold": self.n_gold, "predicted": self.n_pred,
            "strict": self.prf(self.strict, self.n_pred, self.strict, self.n_gold),
            "relaxed": self.prf(self.relaxed, self.n_pred, self.relaxed, self.n_gold),
            "value": self.prf(self.value_correct, self.n_pred_valued, self.value_correct, self.n_gold_valued),
        }

    def by_precision(self) -> dict:
        total, found, right = Counter(), Counter(), Counter()
        paired = {id(g): p for g, p in self.pairs}
        for g in [g for g, _ in self.pairs] + self.missed:
            c = precision_class(g.value if not g.range_end else f"{g.value}/{g.range_end}")
            total[c] += 1
            if id(g) in paired:
                found[c] += 1
                right[c] += int(_value_ok(g, paired[id(g)]))
        return {c: {"gold": total[c], "relaxed_recall": round(found[c] / total[c], 4),
                    "value_accuracy": round(right[c] / found[c], 4) if found[c] else 0.0}
                for c in sorted(total, key=lambda c: -total[c])}

    def error_categories(self) -> dict[str, list]:
        """Misses, false alarms and wrong values, grouped by a short description of what went wrong."""
        cats: dict[str, list] = defaultdict(list)
        for g in self.missed:
            cls = precision_class(g.value if not g.range_end else f"{g.value}/{g.range_end}")
            cats[f"missed {'relative ' if g.relative else ''}{cls}"].append((g.file, g.text, g.value, None))
        for p in self.false_alarms:
            cats[f"false alarm: {_shape(p.text)}"].append((p.file, p.text, None, p.value))
        for p in self.trap_alarms:
            cats["false alarm on a trap (money, duration, name...)"].append((p.file, p.text, None, p.value))
        for g, p in self.pairs:
            if g.value is None or _value_ok(g, p):
                continue
            cats[f"wrong value: {_value_error(g, p)}"].append((g.file, g.text, g.value, p.value))
        return dict(sorted(cats.items(), key=lambda kv: -len(kv[1])))


_RX_REL_WORD = re.compile(r"(?i)\b(?:last|next|this|previous|following|earlier|later|ago|yesterday|today|tomorrow)\b")


def _shape(text: str) -> str:
    if re.fullmatch(r"\d{4}", text.strip()):
        return "bare year"
    if _RX_REL_WORD.search(text):
        return "relative expression"
    if re.search(r"(?i)monday|tuesday|wednesday|thursday|friday|saturday|sunday", text):
        return "weekday"
    if re.search(r"\d", text):
        return "numeric/date form"
    return "other words"


def _value_error(g: GoldDate, p: PredDate) -> str:
    gp, pp = g.period, p.period
    if gp is None:
        return f"gold value {precision_class(g.value)} not representable"
    if pp is None:
        return "unreadable prediction"
    if gp.precision != pp.precision:
        rank = PRECISION_ORDER.index
        if gp.precision in PRECISION_ORDER and pp.precision in PRECISION_ORDER:
            coarse = "coarser" if rank(pp.precision) > rank(gp.precision) else "finer"
            return f"{gp.precision} given as {pp.precision} ({coarse})"
        return f"{gp.precision} given as {pp.precision}"
    if gp.first.year != pp.first.year:
        return "wrong year"
    if gp.first.month != pp.first.month:
        return "wrong month"
    return "wrong day/extent"


def score_dates(gold: list[GoldDate], pred: list[PredDate]) -> DateScores:
    """TempEval-3 span and value scores; gold ``trap`` entries are not date expressions (they only label
    the false alarms that fall on them)."""
    s = DateScores()
    traps = [g for g in gold if g.trap]
    gold = [g for g in gold if not g.trap]
    s.n_gold, s.n_pred = len(gold), len(pred)
    by_file_g, by_file_p = defaultdict(list), defaultdict(list)
    for g in gold:
        by_file_g[g.file].append(g)
    for p in pred:
        by_file_p[p.file].append(p)
    trap_by_file = defaultdict(list)
    for t in traps:
        trap_by_file[t.file].append(t)
    for f in sorted(set(by_file_g) | set(by_file_p)):
        gs, ps = by_file_g.get(f, []), by_file_p.get(f, [])
        cand = sorted(((min(g.end, p.end) - max(g.start, p.start), i, j) for i, g in enumerate(gs)
                       for j, p in enumerate(ps) if g.start < p.end and p.start < g.end), reverse=True)
        used_g, used_p = set(), set()
        for _, i, j in cand:
            if i in used_g or j in used_p:
                continue
            used_g.add(i)
            used_p.add(j)
            g, p = gs[i], ps[j]
            s.pairs.append((g, p))
            s.relaxed += 1
            s.strict += int(g.start == p.start and g.end == p.end)
            if g.value is not None:
                s.value_correct += int(_value_ok(g, p))
        s.missed += [g for i, g in enumerate(gs) if i not in used_g]
        for j, p in enumerate(ps):
            if j in used_p:
                continue
            if any(t.start < p.end and p.start < t.end for t in trap_by_file.get(f, ())):
                s.trap_alarms.append(p)
            else:
                s.false_alarms.append(p)
    s.n_gold_valued = sum(1 for g in gold if g.value is not None)
    s.n_pred_valued = s.n_pred - sum(1 for g, _ in s.pairs if g.value is None)
    return s


# ------------------------------------------------------------------------------------------------ events

@dataclass
class PredEvent:
    file: str
    event_id: int
    period: Period
    kind: str
    title: str
    spans: list[tuple[int, int]]  # source sentences in this document
    date_spans: list[tuple[int, int]]  # the date expressions the sources were found by
    date_texts: list[str]
    actors: list[tuple[str, str]]  # (name, type)
    actor_aliases: dict[str, set[str]] = field(default_factory=dict)
    cameo: str | None = None
    sectors: list[str] = field(default_factory=list)
    language: str = "en"
    published: dt.date | None = None


def date_compatible(g: GoldEvent, p: PredEvent) -> bool:
    gp, pp = g.period, p.period
    if g.end is None:
        return pp.inside(gp)
    if not pp.overlaps(gp):
        return False
    if pp.inside(gp):
        return True
    if pp.precision == "range" or pp.first != pp.last:
        prec = g.precision
        return (format_at(pp.first, prec) == format_at(gp.first, prec)
                or format_at(pp.last, prec) == format_at(gp.last, prec))
    return False


# At least this share of a predicted source span must lie on the gold evidence: a sentence that overlaps it
# counts, a source span stretched over a paragraph or the whole article does not.
MIN_SOURCE_SHARE = 0.25


def evidence_overlaps(g: GoldEvent, p: PredEvent) -> bool:
    return any(min(b, d) - max(a, c) > 0 and min(b, d) - max(a, c) >= MIN_SOURCE_SHARE * (d - c)
               for a, b in g.spans for c, d in p.spans)


def compatible(g: GoldEvent, p: PredEvent) -> bool:
    return g.file == p.file and evidence_overlaps(g, p) and date_compatible(g, p)


def _preference(g: GoldEvent, p: PredEvent) -> tuple:
    """Among several compatible predictions, try the one of the right kind on the evidence sentence first."""
    a, b = g.spans[0]
    on_evidence = any(a < d and c < b for c, d in p.spans)
    return (p.kind != g.kind, not on_evidence, p.period.last - p.period.first, p.event_id)


def match_events(gold: list[GoldEvent], pred: list[PredEvent]) -> list[tuple[GoldEvent, PredEvent]]:
    """Maximum one-to-one matching per file (augmenting paths), preferring same-kind pairs."""
    pairs = []
    by_file_p = defaultdict(list)
    for p in pred:
        by_file_p[p.file].append(p)
    by_file_g = defaultdict(list)
    for g in gold:
        by_file_g[g.file].append(g)
    for f, gs in by_file_g.items():
        ps = by_file_p.get(f, [])
        options = [sorted((j for j, p in enumerate(ps) if compatible(g, p)), key=lambda j: _preference(g, ps[j]))
                   for g in gs]
        owner: dict[int, int] = {}

        def augment(i: int, seen: set[int], options=options, owner=owner) -> bool:
            for j in options[i]:
                if j in seen:
                    continue
                seen.add(j)
                if j not in owner or augment(owner[j], seen, options, owner):
                    owner[j] = i
                    return True
            return False

        for i in range(len(gs)):
            augment(i, set())
        pairs += [(gs[i], ps[j]) for j, i in owner.items()]
    return pairs


_GENERIC_TITLE = {fold(w) for w in (
    "meeting", "visit", "summit", "talks", "agreement", "mou", "deal", "opening", "dated figure", "target",
    "milestone", "relationship milestone", "statistic", "agreement / mou", "deal / investment",
    "summit / meeting / talks", "opening / founding", "figure", "event")}
_EN_TEMPLATE = re.compile(r"(?i)\b(?:visit(?:s|ed)?|meets?|signed|signs|talks|opens|by|with|to)\b")
_VI_LETTERS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ]|[\u0300-\u0323]|[àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def title_signals(p: PredEvent, sentence: str, gold_title: str | None = None) -> dict[str, bool | float]:
    t = p.title.strip()
    words = _RX_WORD.findall(t)
    out = {
        "bare_kind": fold(t) in _GENERIC_TITLE or len(words) <= 2,
        "whole_sentence": len(t) > 100 or (len(sentence) > 0 and len(t) >= 0.8 * len(sentence.strip())),
        "fragment": bool(t) and (t[0].isdigit() or t[0].islower()),
        "mixed_language": bool((p.language == "vi" and _VI_LETTERS.search(t) and _EN_TEMPLATE.search(t))
                               or (p.language == "ko" and _HANGUL.search(t) and _EN_TEMPLATE.search(t))),
    }
    if gold_title is not None:
        gw, pw = content_words(gold_title), content_words(t)
        out["gold_word_recall"] = len(gw & pw) / len(gw) if gw else 0.0
    return out


def _actor_keys(name: str, aliases) -> set[str]:
    return {k for k in (fold(x) for x in [name, *aliases]) if k}


@dataclass
class EventScores:
    n_gold: int
    n_pred: int
    pairs: list[tuple[GoldEvent, PredEvent]]
    missed: list[GoldEvent]
    false_alarms: list[PredEvent]
    groups: dict[str, dict]
    kind_accuracy: float
    kind_confusion: dict[str, int]
    cameo_accuracy: float | None
    exact_precision: float
    actors: dict[str, float]
    sectors_recall: float
    titles: dict[str, float]

    def overall(self) -> dict:
        return prf_row(len(self.pairs), self.n_pred, len(self.pairs), self.n_gold)


def prf_row(tp_p: int, n_p: int, tp_r: int, n_r: int) -> dict:
    return DateScores.prf(tp_p, n_p, tp_r, n_r) | {"gold": n_r, "predicted": n_p, "matched": tp_r}


def pred_categories(p: PredEvent, gdates: list[GoldDate]) -> set[str]:
    """Categories of a prediction that matched nothing, from its own features."""
    cats = set()
    near = [g for g in gdates if g.file == p.file and any(g.start < b and a < g.end for a, b in p.date_spans)]
    if any(g.trap for g in near):
        cats.add("trap")
    if any(g.relative for g in near if not g.trap) or (not near and not any(re.search(r"\d{4}", t) for t in p.date_texts)):
        cats.add("relative")
    if p.period.precision in ("range", "quarter", "half", "decade"):
        cats.add("range")
    if p.published and p.period.last < p.published - dt.timedelta(days=365):
        cats.add("history")
    if p.kind in ("statistic", "target") or (p.cameo or "").startswith(("PE-STAT", "PE-TARGET")):
        cats.add("figure")
    return cats


def score_events(gold: list[GoldEvent], pred: list[PredEvent], gdates: list[GoldDate] = (),
                 sentences: dict[tuple[str, int], str] | None = None) -> EventScores:
    pairs = match_events(gold, pred)
    matched_g = {id(g) for g, _ in pairs}
    matched_p = {id(p) for _, p in pairs}
    missed = [g for g in gold if id(g) not in matched_g]
    false_alarms = [p for p in pred if id(p) not in matched_p]

    # groups: overall, per language, per category (recall from gold tags; precision over the predictions in
    # the category: matched ones take the category of their gold event, the others their own features)
    groups: dict[str, dict] = {}
    tp_p, n_p, tp_r, n_r = Counter(), Counter(), Counter(), Counter()
    for g in gold:
        keys = {"all", f"lang:{g.language}"} | {f"cat:{t}" for t in g.tags if t in CATEGORIES + EXTRA_TAGS}
        for k in keys:
            n_r[k] += 1
            tp_r[k] += int(id(g) in matched_g)
    gold_of = {id(p): g for g, p in pairs}
    for p in pred:
        g = gold_of.get(id(p))
        if g is not None:
            keys = {"all", f"lang:{g.language}"} | {f"cat:{t}" for t in g.tags if t in CATEGORIES + EXTRA_TAGS}
        else:
            keys = {"all", f"lang:{p.language}"} | {f"cat:{c}" for c in pred_categories(p, list(gdates))}
        for k in keys:
            n_p[k] += 1
            tp_p[k] += int(g is not None)
    for k in sorted(set(n_r) | set(n_p)):
        groups[k] = prf_row(tp_p[k], n_p[k], tp_r[k], n_r[k])

    kind_ok = sum(1 for g, p in pairs if p.kind == g.kind)
    confusion = Counter(f"{g.kind}->{p.kind}" for g, p in pairs if p.kind != g.kind)
    with_cameo = [(g, p) for g, p in pairs if p.cameo]
    cameo_acc = (sum(1 for g, p in with_cameo if _cameo_root(p.cameo) == _cameo_root(g.cameo)) / len(with_cameo)
                 if with_cameo else None)
    exact = sum(1 for g, p in pairs if _same_precision(g, p))

    # actors over the matched pairs
    alias_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    for g in gold:
        for a in g.actors:
            alias_of[(g.file, a["name"])] |= set(a.get("aliases", ()))
    g_total = g_found = p_total = p_found = party_total = party_found = 0
    for g, p in pairs:
        pred_keys = [_actor_keys(n, p.actor_aliases.get(n, ())) for n, _ in p.actors]
        gold_keys = [(_actor_keys(a["name"], alias_of[(g.file, a["name"])]), a["role"]) for a in g.actors]
        for keys, role in gold_keys:
            hit = any(keys & pk for pk in pred_keys)
            g_total += 1
            g_found += hit
            if role == "party":
                party_total += 1
                party_found += hit
        for pk in pred_keys:
            p_total += 1
            p_found += any(pk & gk for gk, _ in gold_keys)
    actors = {"recall": round(g_found / g_total, 4) if g_total else 0.0,
              "precision": round(p_found / p_total, 4) if p_total else 0.0,
              "party_recall": round(party_found / party_total, 4) if party_total else 0.0}
    sec_tot = sum(len(g.sectors) for g, _ in pairs)
    sec_hit = sum(len(set(g.sectors) & set(p.sectors)) for g, p in pairs)

    signals = Counter()
    word_recall = []
    for p in pred:
        g = gold_of.get(id(p))
        sent = (sentences or {}).get((p.file, p.event_id), "")
        sig = title_signals(p, sent, g.title if g else None)
        for k, v in sig.items():
            if k == "gold_word_recall":
                word_recall.append(v)
            elif v:
                signals[k] += 1
    titles = {k: round(signals[k] / len(pred), 4) if pred else 0.0
              for k in ("bare_kind", "whole_sentence", "fragment", "mixed_language")}
    titles["gold_word_recall"] = round(sum(word_recall) / len(word_recall), 4) if word_recall else 0.0
    return EventScores(
        n_gold=len(gold), n_pred=len(pred), pairs=pairs, missed=missed, false_alarms=false_alarms, groups=groups,
        kind_accuracy=round(kind_ok / len(pairs), 4) if pairs else 0.0, kind_confusion=dict(confusion.most_common()),
        cameo_accuracy=round(cameo_acc, 4) if cameo_acc is not None else None,
        exact_precision=round(exact / len(pairs), 4) if pairs else 0.0, actors=actors,
        sectors_recall=round(sec_hit / sec_tot, 4) if sec_tot else 0.0, titles=titles,
    )


def _cameo_root(code: str | None) -> str:
    code = (code or "").strip()
    return code if code.startswith("PE-") else code[:2]


def _same_precision(g: GoldEvent, p: PredEvent) -> bool:
    if g.end is not None:
        return p.period.first == g.period.first and p.period.last == g.period.last
    return p.period.precision == g.precision


# ------------------------------------------------------------------------------------------------ the project's store

def nearest(text: str, quoted: str, start: int) -> int | None:
    """Where ``quoted`` occurs in ``text`` nearest to ``start`` (None if nowhere)."""
    hits = [m.start() for m in re.finditer(re.escape(quoted), text)]
    return min(hits, key=lambda h: abs(h - start)) if hits else None


def relocate(gold: list[GoldEvent], gdates: list[GoldDate], texts: dict[str, str], rows: list[dict]) -> list[str]:
    """Bring gold offsets in line with the stored texts when they moved (the reader changed how it reduces
    HTML, say): each quoted text is looked for nearest its old offset. Returns what could not be found."""
    lost = []
    by_id = {r["id"]: r for r in rows}
    for g in gold:
        r = by_id[g.id]
        text = texts.get(g.file, "")
        quoted = [r["evidence"]["text"]] + [m["text"] for m in r.get("mentions", ())]
        spans = []
        for (s, e), q in zip(g.spans, quoted):
            h = s if text[s:e] == q else nearest(text, q, s)
            if h is None:
                lost.append(f"{g.id}: evidence not in the stored text: {q[:50]!r}")
            else:
                spans.append((h, h + len(q)))
        g.spans = spans or g.spans
    for gd in gdates:
        text = texts.get(gd.file, "")
        if text[gd.start:gd.end] == gd.text:
            continue
        h = nearest(text, gd.text, gd.start)
        if h is None:
            lost.append(f"{gd.file}: date text not in the stored text: {gd.text!r}")
        else:
            gd.start, gd.end = h, h + len(gd.text)
    return lost


def _source_period(source: dict) -> Period | None:
    """A per-source date, when the store gives one (``date``: a value or {date, precision, start, end})."""
    d = source.get("date")
    if isinstance(d, dict):
        if d.get("start") and d.get("end"):
            return period_of(dt.date.fromisoformat(d["start"]), dt.date.fromisoformat(d["end"]))
        d = d.get("date")
    return parse_value(d) if isinstance(d, str) else None


def predictions_from_store(store, *, use_source_dates: bool = False) -> tuple[list[PredEvent], dict]:
    """Every stored event as seen from each of its documents, in the shape of ``events --format json``
    (plus the character span of each source's date expression, read from ``event_sources``).

    The period is the event's own (what the timeline shows); with ``use_source_dates`` a source's own date is
    used where the store gives one per source."""
    from partnership_explorer.core.query import EventFilter, event_json, list_events

    docs = {row[0]: {"language": row[1], "published": row[2]} for row in
            store.execute("SELECT file_name, language, published FROM documents").fetchall()}
    spans: dict[tuple[int, str, int], list] = defaultdict(list)
    for event_id, name, start, date_start, date_end, label in store.execute(
            """SELECT s.event_id, d.file_name, s.start, s.date_start, s.date_end, s.date_label
               FROM event_sources s JOIN documents d ON d.id = s.document_id""").fetchall():
        spans[(event_id, name, start)].append((date_start, date_end, label))
    aliases: dict[str, set[str]] = defaultdict(set)
    for name, alias in store.execute(
            "SELECT e.name, a.alias FROM entity_aliases a JOIN entities e ON e.id = a.entity_id").fetchall():
        aliases[name].add(alias)
    preds, sentences = [], {}
    for e in (event_json(x) | {k: x[k] for k in ("cameo", "actors") if k in x}
              for x in list_events(store, EventFilter())):
        if e["status"] == "rejected":
            continue
        event_period = period_of(dt.date.fromisoformat(e["start"]), dt.date.fromisoformat(e["end"]))
        if not e["is_range"] and e["precision"] in ("day", "month", "year", "week"):
            event_period = Period(event_period.first, event_period.last, e["precision"])
        by_doc: dict[str, list[dict]] = defaultdict(list)
        for s in e["sources"]:
            by_doc[s["document"]].append(s)
        actors = [(a["name"], a.get("type", "")) for a in (e.get("actors") or e["entities"])]
        for name, sources in by_doc.items():
            period = event_period
            if use_source_dates:
                own = [p for p in (_source_period(s) for s in sources) if p is not None]
                if not own:
                    own = [parse_value(lab) for s in sources for (_, _, lab) in spans[(e["id"], name, s["start"])]]
                    own = [p for p in own if p is not None]
                period = own[0] if own else period
            date_spans = [(a, b) for s in sources for (a, b, _) in spans[(e["id"], name, s["start"])]
                          if a is not None and b is not None]
            meta = docs.get(name, {})
            published = None
            if meta.get("published"):
                p = parse_value(meta["published"])
                published = p.first if p else None
            preds.append(PredEvent(
                file=name, event_id=e["id"], period=period, kind=e["kind"], title=e["title"],
                spans=[(s["start"], s["end"]) for s in sources], date_spans=date_spans,
                date_texts=[s.get("date_text") or "" for s in sources], actors=actors,
                actor_aliases={n: aliases.get(n, set()) for n, _ in actors}, cameo=e.get("cameo"),
                sectors=list(e["sectors"]), language=meta.get("language") or "en", published=published))
            sentences[(name, e["id"])] = sources[0]["sentence"]
    return preds, sentences


def corpus_texts(store) -> dict[str, str]:
    return dict(store.execute("SELECT file_name, text FROM documents").fetchall())


@dataclass
class CorpusRun:
    events: EventScores
    events_by_source_date: EventScores  # the same events dated by what each article said (before merging)
    dates: DateScores
    predictions: list[PredEvent]
    gold: list[GoldEvent]
    problems: list[str]
    seconds: float


def run_corpus(corpus: Path, db_path: Path) -> CorpusRun:
    """Ingest ``corpus/articles`` (manifest included) into a new database at ``db_path`` through the real
    ingestion path, then score its events against ``gold.jsonl`` (dated as the timeline shows them, and
    again by each source's own date) and the date finder against ``gold_dates.jsonl``."""
    import time

    from partnership_explorer.core.dates import find_dates
    from partnership_explorer.core.ingest import ingest_paths
    from partnership_explorer.core.store import Store

    corpus = Path(corpus)
    rows = load_jsonl(corpus / "gold.jsonl")
    # a split may come without date expressions (the held-out split scores events only)
    date_rows = load_jsonl(corpus / "gold_dates.jsonl") if (corpus / "gold_dates.jsonl").exists() else []
    gold, gdates = gold_events(rows), gold_dates(date_rows)
    t0 = time.perf_counter()
    with Store(db_path) as store:
        report = ingest_paths(store, [corpus / "articles"])
        problems = [f"ingest failed: {f}: {msg}" for f, msg in report.failed]
        texts = corpus_texts(store)
        problems += relocate(gold, gdates, texts, rows)
        preds, sentences = predictions_from_store(store)
        by_source, _ = predictions_from_store(store, use_source_dates=True)
        docs = store.execute("SELECT file_name, text, language, published, published_precision FROM documents").fetchall()
    seconds = time.perf_counter() - t0
    # the date finder alone, anchored on what the reader found (manifest, HTML metadata, dateline)
    found = []
    for name, text, language, published, precision in docs:
        ref = parse_value(published).first if published and parse_value(published) else None
        for m in find_dates(text, reference=ref, reference_precision=precision, language=language or "en"):
            value, prec = pred_date_value(m.first, m.last, m.precision, m.is_range)
            found.append(PredDate(name, m.start, m.end, m.text, value, prec))
    return CorpusRun(score_events(gold, preds, gdates, sentences), score_events(gold, by_source, gdates, sentences),
                     score_dates(gdates, found), preds, gold, problems, seconds)
