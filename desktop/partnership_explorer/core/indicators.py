"""Indicators: the dated figures of the events, as typed values (quantity, unit, period, metric, direction).

The extractor keeps a dated figure ("Trade ... from $500 million to $86.7 billion in 2024") as a *statistic* or
*target* event with its sentence. This module reads those sentences again and turns each figure into an
:class:`Indicator`: the quantity in base units (86.7e9), its unit (an ISO 4217 currency for money, the count
noun's metric for counts: "1.2 million visitors"), the period it is for (the date it is paired with in the
sentence), the metric (trade, exports, imports, FDI, investment, visitors...), whether it is a goal, the two
sides and, when the text says so, the direction ("Korea's investment in Vietnam": South Korea → Vietnam), and
the figure as written. Money stays in its own currency; a conversion is kept only when the text gives one
("130 trillion won (about $92 billion)", "at 1,350 won to the dollar").

What a figure is, in every language, lives in ``resources/indicators.toml``: metric words, count nouns,
currencies, multipliers (English, Vietnamese "tỷ", Korean myriads "억", "조"), target and stock words. A bare
number is never a figure: years, percentages, durations, anniversaries, ranks and phone-like numbers are not
indicators.

Stored in the table ``indicators`` (one row per figure of an event's source sentence, foreign keys to the event
and the source, rows go with them) and recomputed by :func:`refresh` whenever events change: ingestion,
curation, import, undo. :func:`load_series` groups the rows of the events a filter shows into series over time,
each point with its sources. Qt-free.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .entities import Gazetteer, default_gazetteer
from .paths import read_resource_toml

__all__ = ["Figure", "Indicator", "IndicatorLexicon", "Point", "Series", "SentenceFigures", "default_lexicon",
           "find_figures", "indicators_in_sentence", "load_series", "read_candidates", "read_sentence", "rebuild",
           "refresh", "INDICATOR_KINDS"]

INDICATOR_KINDS = ("statistic", "target")
"""The event kinds whose sentences hold dated figures."""

_NUMBER = r"(?<![\w.,])(?P<num>\d{1,3}(?:[,.]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
_WORD_END = r"(?![^\W\d_])"          # not followed by a letter (any script)
_PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?\(?\d{2,4}\)?[\s.-]\d{3,4}[\s.-]\d{3,5}\b")
_QUARTER_MONTHS = {1: 3, 4: 6, 7: 9, 10: 12}


def _alternation(words: Iterable[str]) -> str:
    """One regex alternation, longest first, spaces matching any run of spaces."""
    unique = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique)


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    money: bool
    directed: bool
    words: tuple[str, ...]
    count_nouns: tuple[str, ...] = ()
    refines: str | None = None


class IndicatorLexicon:
    """The compiled contents of ``resources/indicators.toml``."""

    def __init__(self, data: dict, name: str = "indicators.toml"):
        try:
            self.metrics = {
                key: Metric(key, str(m["label"]), bool(m["money"]), bool(m.get("directed", False)),
                            tuple(m["words"]), tuple(m.get("count_nouns", ())), m.get("refines"))
                for key, m in data["metrics"].items()}
            self.multipliers = {str(k).lower(): float(v) for k, v in data["multipliers"].items()}
            currencies = data["currencies"]
            target_words = data["targets"]["words"]
            stock_words = data["stock"]["words"]
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{name}: missing or invalid entry {exc}") from None
        self.symbol_code: dict[str, str] = {}
        self.word_code: dict[str, str] = {}
        for code, c in currencies.items():
            for s in c.get("symbols", ()):
                self.symbol_code[s.lower()] = code
            for w in c.get("words", ()):
                self.word_code[w.lower()] = code
        long_mult = [m for m in self.multipliers if len(m) > 1 or not m.isascii()]
        short_mult = [m for m in self.multipliers if len(m) == 1 and m.isascii()]
        mult = rf"(?:\s*(?P<mult>{_alternation(long_mult)}){_WORD_END}|(?P<short>{_alternation(short_mult)}){_WORD_END})?"
        symbols = _alternation(self.symbol_code)
        words = _alternation(self.word_code)
        self.money_before = re.compile(rf"(?P<cur>{symbols})\s?{_NUMBER}{mult}", re.IGNORECASE)
        self.money_after = re.compile(rf"{_NUMBER}{mult}\s?(?P<cur>{words}){_WORD_END}", re.IGNORECASE)
        self.noun_metric: dict[str, str] = {}
        for m in self.metrics.values():
            for n in m.count_nouns:
                self.noun_metric.setdefault(n.lower(), m.key)
        self.count = re.compile(rf"{_NUMBER}{mult}\s*(?P<mid>(?:[^\W\d_][\w’'-]*\s+){{0,2}}?)"
                                rf"(?P<noun>{_alternation(self.noun_metric)}){_WORD_END}", re.IGNORECASE)
        self.metric_words = [(m.key, re.compile(rf"(?<![^\W\d_])(?:{_alternation(m.words)}){_WORD_END}", re.IGNORECASE))
                             for m in self.metrics.values()]
        self.all_metric_words = {w.lower() for m in self.metrics.values() for w in m.words}
        self.target = re.compile(rf"(?<![^\W\d_])(?:{_alternation(target_words)}){_WORD_END}", re.IGNORECASE)
        self.stock = re.compile(rf"(?<![^\W\d_])(?:{_alternation(stock_words)}){_WORD_END}", re.IGNORECASE)
        not_after = data.get("not_figures", {}).get("after", ())
        self.not_figure = {w.lower() for w in not_after}

    def multiplier(self, word: str | None) -> float:
        return self.multipliers.get(word.lower(), 1.0) if word else 1.0


@functools.lru_cache(maxsize=1)
def default_lexicon() -> IndicatorLexicon:
    name, data = read_resource_toml(None, "indicators.toml", "the indicator vocabulary")
    return IndicatorLexicon(data, name)


# ------------------------------------------------------------------------------------------------- figures
@dataclass(frozen=True)
class Figure:
    """A number with its unit as written in a sentence (offsets into the sentence)."""
    start: int
    end: int
    text: str
    quantity: float
    unit: str                       # ISO currency code for money, the metric key for a count
    money: bool
    metric: str | None = None       # for a count: the metric its noun names
    converted_quantity: float | None = None
    converted_unit: str | None = None


def parse_number(text: str, language: str = "en") -> float:
    """'86.7' → 86.7, '1,200' → 1200, '86,7' (Vietnamese decimal comma) → 86.7, '1.200' (vi) → 1200."""
    seps = [c for c in text if c in ",."]
    if not seps:
        return float(text)
    decimal_comma = language == "vi"
    if len(seps) == 1:
        whole, frac = re.split(r"[,.]", text)
        thousands = len(frac) == 3 and (seps[0] == ("." if decimal_comma else ","))
        return float(whole + frac) if thousands else float(f"{whole}.{frac}")
    last = seps[-1]
    if all(s == seps[0] for s in seps):            # 1,200,000 or 1.200.000
        return float(text.replace(last, ""))
    thousands_sep = "," if last == "." else "."
    return float(text.replace(thousands_sep, "").replace(",", "."))


def _phone_spans(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PHONE.finditer(sentence)]


def _inside(spans, s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in spans)


def find_figures(sentence: str, language: str = "en", lexicon: IndicatorLexicon | None = None) -> list[Figure]:
    """Money and counts in ``sentence``, in text order, non-overlapping; a conversion the text gives is folded
    into the figure it converts ("130 trillion won (about $92 billion)" is one figure)."""
    lex = lexicon or default_lexicon()
    phones = _phone_spans(sentence)
    found: list[Figure] = []

    def add(m: re.Match, money: bool) -> None:
        s, e = m.span()
        if _inside(phones, m.start("num"), m.end("num")):
            return
        try:
            value = parse_number(m.group("num"), language)
        except ValueError:
            return
        mult = m.group("mult") or m.group("short")
        value *= lex.multiplier(mult)
        if money:
            cur = m.group("cur").lower()
            unit = lex.symbol_code.get(cur) or lex.word_code.get(cur)
            found.append(Figure(s, e, sentence[s:e], value, unit, True))
        else:
            if not mult and re.fullmatch(r"1[89]\d\d|2[01]\d\d|2200", m.group("num")):
                return  # "in 2024 tourists ...": a year, not a count
            mid = m.group("mid").strip().lower()
            if any(w in lex.not_figure or w in lex.all_metric_words for w in mid.split()):
                return
            noun = re.sub(r"\s+", " ", m.group("noun").lower())
            metric = lex.noun_metric[noun]
            if noun not in lex.all_metric_words and not any(
                    rx.search(sentence) for key, rx in lex.metric_words if key == metric):
                return  # "450만 명" alone is people, not visitors
            found.append(Figure(s, e, sentence[s:e], value, metric, False, metric))

    for rx, money in ((lex.money_before, True), (lex.money_after, True), (lex.count, False)):
        for m in rx.finditer(sentence):
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            add(m, money)
    found.sort(key=lambda f: f.start)
    found = _korean_chains(sentence, found, lex, language)
    return _fold_conversions(sentence, found, lex, language)


def _korean_chains(sentence: str, figures: list[Figure], lex: IndicatorLexicon, language: str) -> list[Figure]:
    """'1조 2천억 원' is read by the currency pattern as '2천억 원': extend it over the chain before it."""
    out = []
    for f in figures:
        start, value = f.start, f.quantity
        while f.money:
            before = re.search(r"(?P<num>\d+(?:[.,]\d+)?)\s?(?P<mult>[\uac00-\ud7a3]{1,2})\s?$", sentence[:start])
            if not before or before.group("mult") not in lex.multipliers:
                break
            value += parse_number(before.group("num"), language) * lex.multiplier(before.group("mult"))
            start = before.start()
        out.append(f if start == f.start else Figure(start, f.end, sentence[start:f.end], value, f.unit, True))
    return out


_CONVERSION_GAP = re.compile(r"^\s*(?:\(\s*|,\s*|—\s*|-\s*)?(?:or\s+|about\s+|around\s+|approximately\s+|roughly\s+|some\s+|"
                             r"nearly\s+|almost\s+|equivalent\s+to\s+|equal\s+to\s+|khoảng\s+|tương\s+đương\s+|약\s*|~\s*|≈\s*)*$",
                             re.IGNORECASE)
_RATE = re.compile(r"(?:at|exchange rate of|rate of)\s+(?:about\s+)?(?P<num>\d[\d,.]*)\s*(?P<cur>[^\W\d_]+)\s+"
                   r"(?:to the|per|a|for one|for each)\s+(?P<base>dollar|US dollar|euro|yen|yuan)", re.IGNORECASE)
_BASE_CODES = {"dollar": "USD", "us dollar": "USD", "euro": "EUR", "yen": "JPY", "yuan": "CNY"}


def _fold_conversions(sentence: str, figures: list[Figure], lex: IndicatorLexicon, language: str) -> list[Figure]:
    out: list[Figure] = []
    skip = set()
    for i, f in enumerate(figures):
        if i in skip:
            continue
        nxt = figures[i + 1] if i + 1 < len(figures) else None
        if (f.money and nxt is not None and nxt.money and nxt.unit != f.unit
                and _CONVERSION_GAP.match(sentence[f.end:nxt.start])):
            out.append(Figure(f.start, f.end, f.text, f.quantity, f.unit, True, None, nxt.quantity, nxt.unit))
            skip.add(i + 1)
            continue
        out.append(f)
    rate = _RATE.search(sentence)
    if rate:
        code = lex.word_code.get(rate.group("cur").lower()) or lex.symbol_code.get(rate.group("cur").lower())
        base = _BASE_CODES.get(rate.group("base").lower())
        try:
            per = parse_number(rate.group("num").rstrip(",."), language)
        except ValueError:
            per = 0
        if code and base and per > 0:
            out = [f for f in out if not (rate.start() <= f.start and f.end <= rate.end())]
            out = [Figure(f.start, f.end, f.text, f.quantity, f.unit, True, None, f.quantity / per, base)
                   if f.money and f.unit == code and f.converted_unit is None else f for f in out]
    return out


# ---------------------------------------------------------------------------------------------- indicators
@dataclass(frozen=True)
class Indicator:
    """A typed, dated figure of one sentence."""
    figure: Figure
    metric: str
    measure: str | None            # 'stock' (cumulative) or 'flow' for investment; None otherwise
    first: dt.date
    last: dt.date
    precision: str                 # day, week, month, quarter or year (a longer span keeps its ends)
    period: str                    # '2024', '2024-Q3', '2024-05', '2017/2025'
    is_target: bool
    party_from: str | None
    party_to: str | None
    directed: bool
    date_start: int | None = None  # the date expression it is paired with (offsets into the sentence)


@dataclass(frozen=True)
class DateSpan:
    """A date expression of the sentence: its span and the period it means."""
    start: int
    end: int
    first: dt.date
    last: dt.date
    precision: str
    is_range: bool = False


def _period(d: DateSpan) -> tuple[str, str]:
    """(label, precision) of a date: quarters are named; a range longer than one unit keeps both ends."""
    f, last = d.first, d.last
    if d.precision == "month" and f.day == 1 and f.month in _QUARTER_MONTHS and last.month == _QUARTER_MONTHS[f.month] \
            and f.year == last.year:
        return f"{f.year}-Q{(f.month - 1) // 3 + 1}", "quarter"
    if d.precision == "year" or (f.month == 1 and f.day == 1 and last.month == 12 and last.day == 31):
        return (str(f.year) if f.year == last.year else f"{f.year}/{last.year}"), "year"
    if d.precision == "month":
        a, b = f"{f.year}-{f.month:02d}", f"{last.year}-{last.month:02d}"
        return (a if a == b else f"{a}/{b}"), "month"
    a, b = f.isoformat(), last.isoformat()
    return (a if a == b else f"{a}/{b}"), d.precision


def _nearest_metric(sentence: str, f: Figure, lex: IndicatorLexicon, money: bool) -> str | None:
    best: tuple[int, str] | None = None
    present = set()
    for key, rx in lex.metric_words:
        if lex.metrics[key].money != money:
            continue
        for m in rx.finditer(sentence):
            if m.start() < f.end and f.start < m.end():
                continue
            present.add(key)
            dist = f.start - m.end() if m.end() <= f.start else m.start() - f.end
            if dist <= 160 and (best is None or dist < best[0]):
                best = (dist, key)
    if best is None:
        return None
    key = best[1]
    for m in lex.metrics.values():
        if m.refines == key and m.key in present:
            return m.key
    return key


_AFTER_GAP = re.compile(r"^[\s,]*(?:(?:in|by|as of|through|until|till|for|during|at the end of|by the end of|"
                        r"in the (?:first|second|third|fourth|last) (?:half|quarter) of|of|vào|năm|trong|đến|tính đến)\s+)*$",
                        re.IGNORECASE)


def _pair_date(sentence: str, f: Figure, figures: list[Figure], dates: list[DateSpan]) -> DateSpan | None:
    """The date a figure is for: one right after it ("$86.7 billion in 2024"), else the nearest before it with
    no other figure between ("by 2030, with a target of $150 billion"); the first figure of "from X to Y" takes
    the date before it ("since 1992, from $500 million to ...")."""
    others = [g for g in figures if g is not f]

    def clear(a: int, b: int) -> bool:
        return not any(a <= g.start < b for g in others) and ";" not in sentence[a:b]

    after = [d for d in dates if d.start >= f.end]
    before = [d for d in dates if d.end <= f.start]
    opens_range = re.search(r"\bfrom\s*$", sentence[max(0, f.start - 8):f.start], re.IGNORECASE) and \
        re.match(r"\s*(?:to|into)\b", sentence[f.end:f.end + 8])
    if after and _AFTER_GAP.match(sentence[f.end:after[0].start]) and (len(sentence[f.end:after[0].start]) <= 40):
        return after[0]
    if opens_range and before:
        return before[-1]
    if before and clear(before[-1].end, f.start):
        return before[-1]
    if after and clear(f.end, after[0].start):
        return after[0]
    return None


def _parties(sentence: str, gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    """(start, end, name) of the countries, companies and bodies of the sentence; a demonym counts for its country."""
    found = [(m.start, m.end, m.entity.name) for m in gazetteer.find(sentence)
             if m.entity.type in ("country", "company", "organisation", "government")]
    for s, e, code in gazetteer.demonym_countries(sentence):
        name = gazetteer.country_name(code)
        if name and not any(a < e and s < b for a, b, _ in found):
            found.append((s, e, name))
    return sorted(found)


_FLOW = r"(?:investments?|investors?|exports?|shipments|FDI|aid|ODA|tourists|visitors|students|workers)"
_A_TO_B = [  # text between A and B (A first) that makes it A → B
    re.compile(rf"^(?:'s|’s)?\s+(?:[\w-]+\s+){{0,3}}?{_FLOW}\s+(?:[\w-]+\s+){{0,2}}?(?:to|in|into|for)\s+(?:the\s+)?$",
               re.IGNORECASE),
    re.compile(r"^\s+(?:[\w-]+\s+){0,5}?(?:invested|exported|shipped|sent|poured)\b.{0,40}?\b(?:to|in|into)\s+(?:the\s+)?$",
               re.IGNORECASE),
    re.compile(r"^\s+(?:to|into)\s+$", re.IGNORECASE),                       # from A to B
    re.compile(r"^\s+(?:vào|tại|sang)\s+$", re.IGNORECASE),                  # đầu tư của A vào B
    re.compile(r"^(?:의|에서)\s+$"),                                           # A의 B 투자, A에서 B로
]
_A_IS_B_SOURCE = re.compile(r"^[\w\s,]{0,30}?\b(?:is|was|being|remains|remained|became|as)\s+(?:also\s+)?(?:the\s+)?$",
                            re.IGNORECASE)
_B_SOURCE_TAIL = re.compile(r"^(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?(?:foreign\s+)?(?:investor|source|donor|supplier)",
                            re.IGNORECASE)
_B_FROM_A = re.compile(r"^(?:'s|’s)?\s+(?:[\w-]+\s+){0,4}?(?:imports?|purchases|received|attracted|drew|welcomed|"
                       r"visitors|tourists|arrivals|investment|FDI)\b[^.;]{0,60}?\bfrom\s+(?:the\s+)?$", re.IGNORECASE)


def _direction(sentence: str, parties: list[tuple[int, int, str]]) -> tuple[str, str] | None:
    for i, (a0, a1, a) in enumerate(parties):
        for b0, b1, b in parties[i + 1:]:
            if a == b:
                continue
            between = sentence[a1:b0]
            lead = sentence[max(0, a0 - 8):a0]
            if any(rx.match(between) for rx in _A_TO_B[:2]) or (
                    _A_TO_B[2].match(between) and re.search(r"\bfrom\s+(?:the\s+)?$", lead, re.IGNORECASE)) or (
                    _A_TO_B[3].match(between) and re.search(r"\bcủa\s+$", lead)) or (
                    _A_TO_B[4].match(between) and re.match(r"\s*(?:에\s*대한\s*)?(?:투자|수출|로)", sentence[b1:b1 + 8])):
                return a, b
            if _A_IS_B_SOURCE.match(between) and _B_SOURCE_TAIL.match(sentence[b1:]):
                return a, b
            if _B_FROM_A.match(between):
                return b, a
    return None


def indicators_in_sentence(sentence: str, *, dates: list[DateSpan], language: str = "en",
                           reference: dt.date | None = None, fallback: DateSpan | None = None,
                           gazetteer: Gazetteer | None = None, lexicon: IndicatorLexicon | None = None,
                           sides: Iterable[str] = (), figures: list[Figure] | None = None,
                           read: SentenceFigures | None = None) -> list[Indicator]:
    """The indicators of one sentence. ``dates`` are its date expressions; ``fallback`` is the period of a figure
    no date is paired with (the event's own date); ``sides`` the event's two sides, for a sentence that names
    neither ("the two countries"); ``reference`` (the publication date) tells a goal from a
    record: a figure for a period still to come is a target. ``read``: what :func:`read_sentence` found in it
    (its figures, their metrics and goal words, its parties and direction), used instead of reading it again."""
    lex = lexicon or default_lexicon()
    if read is not None:
        figures = read.figures
    elif figures is None:
        figures = find_figures(sentence, language, lex)
    if not figures:
        return []
    figure_spans = [(f.start, f.end) for f in figures]
    dates = [d for d in dates if not any(s < d.end and d.start < e for s, e in figure_spans)]
    metrics = read.metrics if read is not None else [_figure_metric(sentence, f, lex) for f in figures]
    parties = read.parties if read is not None else None
    out = []
    for i, (f, metric) in enumerate(zip(figures, metrics)):
        if metric is None:
            continue
        paired = _pair_date(sentence, f, figures, dates)
        d = paired or fallback
        if d is None:
            continue
        label, precision = _period(d)
        target = (read.goals[i] if read is not None else _goal_before(sentence, f, lex)) or (
            reference is not None and d.first > reference)
        measure = None
        if metric in ("fdi", "investment"):
            measure = "stock" if (read.stock if read is not None else lex.stock.search(sentence)) else "flow"
        if parties is None:
            parties = _parties(sentence, gazetteer or default_gazetteer())
        direction = None
        if lex.metrics[metric].directed:
            direction = read.direction if read is not None else _direction(sentence, parties)
        if direction:
            p_from, p_to, directed = direction[0], direction[1], True
        else:
            names = sorted({p[2] for p in parties if p[2]})
            if len(names) != 2:
                names = sorted(set(sides))
            p_from, p_to = (names[0], names[1]) if len(names) == 2 else (None, None)
            directed = False
        out.append(Indicator(f, metric, measure, d.first, d.last, precision, label, target, p_from, p_to, directed,
                             paired.start if paired is not None else None))
    return out


def _figure_metric(sentence: str, f: Figure, lex: IndicatorLexicon) -> str | None:
    """The metric of a figure: its count noun's, or for money the nearest metric word's."""
    return f.metric if not f.money else _nearest_metric(sentence, f, lex, True)


def _goal_before(sentence: str, f: Figure, lex: IndicatorLexicon) -> bool:
    """Whether a goal word ("target", "aim") comes in the 100 characters before the figure."""
    return bool(lex.target.search(sentence[max(0, f.start - 100):f.start]))


@dataclass(frozen=True)
class SentenceFigures:
    """What the text of one source sentence alone says about its figures (no database, no event): read where
    the document is extracted and carried with its candidates, so the writer does not read the sentence again.
    ``published`` and ``language`` are the document's, which the reading depends on (the writer uses it only
    for a sentence of the same text, language and publication date)."""
    sentence: str
    language: str
    published: str | None
    figures: list[Figure]
    metrics: list[str | None]                      # one per figure (None: not an indicator)
    goals: list[bool]                              # one per figure: a goal word before it
    parties: list[tuple[int, int, str]] | None     # read when a figure has a metric
    direction: tuple[str, str] | None              # read when a figure's metric is directed
    stock: bool                                    # a stock word (read when a figure is an investment)
    dates: list[DateSpan] | None                   # read when the writer pairs dates (several figures, or no own)

    def fits(self, sentence: str, language: str, published) -> bool:
        return self.sentence == sentence and self.language == language and self.published == published


def read_sentence(sentence: str, language: str, published: str | None, *, dated: bool,
                  lexicon: IndicatorLexicon | None = None, gazetteer: Gazetteer | None = None) -> SentenceFigures:
    """The figures of ``sentence`` with what :func:`refresh` reads of its text: their metrics, the sentence's
    parties, and its date expressions when ``dated`` or when it has several figures (the dates pair figures
    with periods; one figure takes its event's date)."""
    lex = lexicon or default_lexicon()
    figures = find_figures(sentence, language, lex) if re.search(r"\d", sentence) else []
    metrics = [_figure_metric(sentence, f, lex) for f in figures]
    goals = [_goal_before(sentence, f, lex) for f in figures]
    parties = _parties(sentence, gazetteer or default_gazetteer()) if any(m is not None for m in metrics) else None
    directed = any(m is not None and lex.metrics[m].directed for m in metrics)
    direction = _direction(sentence, parties) if directed and parties is not None else None
    stock = any(m in ("fdi", "investment") for m in metrics) and bool(lex.stock.search(sentence))
    dates = _sentence_dates(sentence, language, _day(published)) if figures and (dated or len(figures) > 1) else None
    return SentenceFigures(sentence, language, published, figures, metrics, goals, parties, direction, stock, dates)


def read_candidates(candidates, language: str | None, published: str | None) -> dict[int, SentenceFigures]:
    """:func:`read_sentence` of the text each figure candidate among ``candidates`` is stored with (its evidence:
    :attr:`core.extract.Candidate.evidence`), by its start."""
    language = language or "en"
    out: dict[int, SentenceFigures] = {}
    dated: dict[int, bool] = {}
    for c in candidates:
        if c.kind in INDICATOR_KINDS and re.search(r"\d", c.evidence.text):
            dated[c.evidence.start] = dated.get(c.evidence.start, False) or not isinstance(c.date.start, int)
    for c in candidates:
        start = c.evidence.start
        if start in dated and start not in out:
            out[start] = read_sentence(c.evidence.text, language, published, dated=dated[start])
    return out


# ------------------------------------------------------------------------------------------------ storage
_SOURCES_SQL = """
    SELECT s.id, s.event_id, s.document_id, s.sentence, s.start, s.date_start, s.date_end, s.date_first,
           s.date_last, s.date_precision, s.date_is_range, e.kind, e.status, e.start, e."end", e.precision,
           e.is_range, d.published, d.language
    FROM events e CROSS JOIN event_sources s ON s.event_id = e.id CROSS JOIN documents d ON d.id = s.document_id
    WHERE e.kind IN ('statistic', 'target') {where}
    ORDER BY s.document_id, s.start, s.id"""
# CROSS JOIN: the events first (SQLite keeps that order), so that only the sources of figure events are read; the
# planner otherwise started from the sources of every event asked for, a milestone's thousands of sources included


def _day(value) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 4:
        return None
    try:
        if len(value) == 4:
            return dt.date(int(value), 1, 1)
        if len(value) == 7:
            return dt.date(int(value[:4]), int(value[5:7]), 1)
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _sentence_dates(sentence: str, language: str, reference: dt.date | None) -> list[DateSpan]:
    from . import dates as dates_mod
    return [DateSpan(m.start, m.end, m.first, m.last, m.precision, m.is_range)
            for m in dates_mod.find_dates(sentence, reference=reference, language=language)]


def _rows_for_sources(rows: list, taken: dict, gazetteer, lex, sides: dict[int, list[str]] | None = None,
                      read: dict[tuple[int, int], SentenceFigures] | None = None) -> list[tuple]:
    """Indicator rows for source rows (see _SOURCES_SQL). A figure goes with the source whose date it is paired
    with; a figure paired with a date no indicator event of the sentence has goes with the sentence's first
    source, so that no figure is counted twice when two events share one sentence. ``read``: sentences already
    read (:func:`read_sentence`), by (document id, start)."""
    out = []
    cache: dict[tuple[int, int], tuple[list[DateSpan], list[Figure], SentenceFigures | None]] = {}
    for (sid, eid, doc, sentence, s_start, d_start, d_end, d_first, d_last, d_prec, d_range, _kind, status,
         e_start, e_end, e_prec, e_range, published, language) in rows:
        if not sentence or not re.search(r"\d", sentence):
            continue
        key = (doc, s_start)
        reference = _day(published)
        own_first, own_last = _day(d_first) or _day(e_start), _day(d_last) or _day(e_end)
        if status == "edited" or own_first is None:   # the analyst's date wins over what the sentence said
            own_first, own_last = _day(e_start), _day(e_end)
            d_prec, d_range = e_prec, e_range
        if own_first is None or own_last is None:
            continue
        rel = (d_start - s_start, d_end - s_start) if isinstance(d_start, int) and isinstance(d_end, int) else None
        if key not in cache:
            # one figure in the sentence is the one its event was made of, for the event's own date: the
            # sentence's other dates are read only when there are several figures to pair
            known = (read or {}).get(key)
            if known is not None and not known.fits(sentence, language or "en", published):
                known = None
            figures = known.figures if known is not None else find_figures(sentence, language or "en", lex)
            several = len(figures) > 1
            if not (several or rel is None):
                found = []
            elif known is not None and known.dates is not None:
                found = known.dates
            else:
                found = _sentence_dates(sentence, language or "en", reference)
            cache[key] = (found, figures, known)
        found, figures, known = cache[key]
        if not figures:
            continue
        own = DateSpan(rel[0] if rel else -1, rel[1] if rel else -1, own_first, own_last,
                       d_prec if d_prec in ("day", "week", "month", "year") else "day", bool(d_range))
        spans = [own if rel and d.start < rel[1] and rel[0] < d.end else d for d in found]
        if rel and own not in spans:
            spans = sorted([*spans, own], key=lambda d: d.start)
        items = indicators_in_sentence(sentence, dates=spans, language=language or "en", reference=reference,
                                       fallback=own, gazetteer=gazetteer, lexicon=lex,
                                       sides=(sides or {}).get(eid, ()), figures=figures, read=known)
        claimed = taken.get(key, set())
        first_source = min(taken.get(("first",) + key, {sid}))
        for ind in items:
            mine = ind.date_start is None and rel is None or (rel is not None and ind.date_start == rel[0])
            other = ind.date_start is not None and ind.date_start in claimed and not mine
            if not mine and (other or sid != first_source):
                continue
            f = ind.figure
            out.append((eid, sid, ind.metric, ind.measure, f.quantity, f.unit, int(f.money), f.converted_quantity,
                        f.converted_unit, ind.period, ind.precision, ind.first.isoformat(), ind.last.isoformat(),
                        int(ind.is_target), ind.party_from, ind.party_to, int(ind.directed), f.text,
                        s_start + f.start, s_start + f.end))
    return out


_INSERT = """INSERT INTO indicators (event_id, source_id, metric, measure, quantity, unit, is_money,
             converted_quantity, converted_unit, period, precision, period_first, period_last, is_target,
             party_from, party_to, directed, figure_text, figure_start, figure_end)
             VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"""


def _claims(store, rows: list) -> dict:
    """For each sentence (document, start) of ``rows``: the date offsets (into the sentence) of every indicator
    event's source on it, and the ids of those sources, read from the database (other events share sentences).
    A rejected event keeps its claim: rejecting the 1992 figure hides it, it does not hand it to another event."""
    claims: dict = {}
    keys = sorted({(r[2], r[4]) for r in rows})
    for doc, start in keys:
        for sid, d_start in store.execute(
                """SELECT s.id, s.date_start FROM event_sources s JOIN events e ON e.id = s.event_id
                   WHERE s.document_id = ? AND s.start = ? AND e.kind IN ('statistic', 'target')
                   AND e.status != 'merged'""", [doc, start]).fetchall():
            claims.setdefault((doc, start), set())
            if isinstance(d_start, int):
                claims[(doc, start)].add(d_start - start)
            claims.setdefault(("first", doc, start), set()).add(sid)
    return claims


def _event_sides(store, event_ids: set[int]) -> dict[int, list[str]]:
    """The two sides (actors with role 'party') of each event."""
    out: dict[int, list[str]] = {}
    ids = sorted(event_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for eid, name in store.execute(
                f"""SELECT ee.event_id, en.name FROM event_entities ee JOIN entities en ON en.id = ee.entity_id
                    WHERE ee.role = 'party' AND ee.event_id IN ({','.join('?' * len(chunk))})""", chunk).fetchall():
            out.setdefault(eid, []).append(name)
    return {k: v for k, v in out.items() if len(v) == 2}


def _has_table(store) -> bool:
    return store.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'indicators'").fetchone() is not None


def refresh(store, event_ids: Iterable[int] | None = None,
            read: dict[tuple[int, int], SentenceFigures] | None = None) -> int:
    """Recompute the indicators of ``event_ids`` (every event when None) from their sources, in the caller's
    transaction or in one of its own. Returns the number of indicator rows written. ``read``: source sentences
    already read (:func:`read_sentence`, by document id and start), used where their text, language and
    publication date are still those; the others are read here."""
    if not _has_table(store):
        return 0
    ids = None if event_ids is None else sorted({int(i) for i in event_ids})
    if ids is not None and not ids:
        return 0
    lex, gaz = default_lexicon(), default_gazetteer()
    written = 0
    with store.atomic():
        if ids is None:
            store.execute("DELETE FROM indicators")
            batches = [None]
        else:
            batches = [ids[i:i + 500] for i in range(0, len(ids), 500)]
        for batch in batches:
            if batch is None:
                rows = store.execute(_SOURCES_SQL.format(where="")).fetchall()
            else:
                marks = ",".join("?" * len(batch))
                store.execute(f"DELETE FROM indicators WHERE event_id IN ({marks})", batch)
                rows = store.execute(_SOURCES_SQL.format(where=f"AND e.id IN ({marks})"), batch).fetchall()
            rows = [r for r in rows if r[12] not in ("merged",)]
            claims = _claims(store, rows) if batch is not None else _claims_from(rows)
            new = _rows_for_sources(rows, claims, gaz, lex, _event_sides(store, {r[1] for r in rows}), read)
            store.executemany(_INSERT, new)
            written += len(new)
    return written


def _claims_from(rows: list) -> dict:
    claims: dict = {}
    for r in rows:
        key = (r[2], r[4])
        claims.setdefault(key, set())
        if isinstance(r[5], int):
            claims[key].add(r[5] - r[4])
        claims.setdefault(("first",) + key, set()).add(r[0])
    return claims


def rebuild(store) -> int:
    """Every indicator again from the events (after a bulk load, or to repair)."""
    return refresh(store, None)


# -------------------------------------------------------------------------------------------------- series
@dataclass
class Point:
    period: str
    precision: str
    first: dt.date
    last: dt.date
    quantity: float
    is_target: bool
    figures: list[str] = field(default_factory=list)        # as written, one per source (distinct)
    event_ids: list[int] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)       # {event_id, source_id, document, sentence, figure}
    converted: tuple[float, str] | None = None

    @property
    def middle(self) -> dt.date:
        return self.first + (self.last - self.first) / 2


@dataclass
class Series:
    key: str
    metric: str
    label: str
    unit: str
    is_money: bool
    measure: str | None
    party_from: str | None
    party_to: str | None
    directed: bool
    points: list[Point] = field(default_factory=list)

    @property
    def actual(self) -> list[Point]:
        return [p for p in self.points if not p.is_target]

    @property
    def targets(self) -> list[Point]:
        return [p for p in self.points if p.is_target]


def series_key(metric: str, measure: str | None, unit: str, party_from: str | None, party_to: str | None,
               directed: bool) -> str:
    return "|".join([metric, measure or "", unit, party_from or "", party_to or "", "1" if directed else "0"])


def series_label(metric: str, measure: str | None, unit: str, party_from: str | None, party_to: str | None,
                 directed: bool, lexicon: IndicatorLexicon | None = None) -> str:
    lex = lexicon or default_lexicon()
    m = lex.metrics.get(metric)
    name = m.label if m else metric
    if measure == "stock":
        name += " (cumulative)"
    if party_from and party_to:
        name += f", {party_from} → {party_to}" if directed else f", {party_from}–{party_to}"
    if m is not None and m.money:
        name += f" ({unit})"
    return name


def format_quantity(quantity: float, unit: str, is_money: bool) -> str:
    """86.7e9, 'USD' → '86.7 billion USD'; 1.2e6 visitors → '1.2 million'."""
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(quantity) >= size:
            text = f"{quantity / size:,.3g} {word}"
            break
    else:
        text = f"{quantity:,.0f}"
    return f"{text} {unit}" if is_money else text


def load_series(store, flt=None, *, sentence_limit: int | None = None) -> list[Series]:
    """The indicator series of the events ``flt`` (a :class:`.query.EventFilter`) shows, rejected events left
    out; each point is one figure for one period (sources that give the same figure share it), in time order.

    Each source comes with its article's file name and its sentence when there are at most ``sentence_limit``
    figures (always when None): the window asks for them only where someone could read them, so a synthetic
    database of a million events does not read a hundred thousand sentences for a row of points."""
    from .query import EventFilter
    if not _has_table(store):
        return []
    flt = flt or EventFilter()
    where, params, _ = flt.where(store, "e")
    rows = store.execute(
        f"""SELECT i.metric, i.measure, i.unit, i.party_from, i.party_to, i.directed, i.is_money, i.period,
                   i.precision, i.period_first, i.period_last, i.quantity, i.is_target, i.figure_text, i.event_id,
                   i.source_id, i.converted_quantity, i.converted_unit
            FROM indicators i JOIN events e ON e.id = i.event_id
            WHERE {where} AND e.status != 'rejected'
            ORDER BY i.period_first, i.period_last, i.quantity, i.event_id, i.source_id""", params).fetchall()
    where_from: dict[int, tuple[str, str]] = {}
    if sentence_limit is None or len(rows) <= sentence_limit:
        ids = sorted({r[15] for r in rows})
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            where_from.update((sid, (name, sentence)) for sid, name, sentence in store.execute(
                f"""SELECT s.id, d.file_name, s.sentence FROM event_sources s JOIN documents d ON d.id = s.document_id
                    WHERE s.id IN ({','.join('?' * len(chunk))})""", chunk).fetchall())
    by_key: dict[str, Series] = {}
    points: dict[tuple, Point] = {}
    for (metric, measure, unit, p_from, p_to, directed, money, period, precision, first, last, qty, target, text,
         eid, sid, conv_q, conv_u) in rows:
        key = series_key(metric, measure, unit, p_from, p_to, bool(directed))
        s = by_key.get(key)
        if s is None:
            s = by_key[key] = Series(key, metric, series_label(metric, measure, unit, p_from, p_to, bool(directed)),
                                     unit, bool(money), measure, p_from, p_to, bool(directed))
        pkey = (key, period, round(qty, 6), bool(target))
        p = points.get(pkey)
        if p is None:
            p = points[pkey] = Point(period, precision, dt.date.fromisoformat(first), dt.date.fromisoformat(last), qty,
                                     bool(target), converted=(conv_q, conv_u) if conv_q is not None else None)
            s.points.append(p)
        if text not in p.figures:
            p.figures.append(text)
        if eid not in p.event_ids:
            p.event_ids.append(eid)
        file_name, sentence = where_from.get(sid, ("", ""))
        p.sources.append({"event_id": eid, "source_id": sid, "document": file_name, "sentence": sentence,
                          "figure": text})
    order = {k: i for i, k in enumerate(default_lexicon().metrics)}
    return sorted(by_key.values(), key=lambda s: (order.get(s.metric, 99), -len(s.points), s.label))


AUTO_SERIES = 4
"""Series the indicator row draws of itself (more are chosen by the user, View → Indicators): what its legend names
on two lines, and its figures stay legible, in a window of the default size; a database of many pairs has
dozens (62 in a thousand events of thirty pairs)."""


def _pair_sides(pair: str | None) -> frozenset[str]:
    if not pair:
        return frozenset()
    from .relationship import PAIR_SEPARATORS

    return frozenset(p.strip().lower() for p in PAIR_SEPARATORS.split(pair) if p.strip())


def series_rank(s: Series, pair: str | None = None) -> tuple:
    """What orders the series for the row to draw of itself, first first: those between the two sides of the
    pair the ladder band shows, then those that name both their parties (a figure without them mixes pairs), then
    a line (two figures or more) before a lone figure, then more figures, then the order :func:`load_series`
    gives (the lexicon's metric order)."""
    sides = _pair_sides(pair)
    parties = {x.strip().lower() for x in (s.party_from, s.party_to) if x}
    return (not (len(sides) == 2 and parties == sides), len(parties) < 2, len(s.actual) < 2, -len(s.points))


def choose_series(series: list[Series], *, pair: str | None = None, hidden=(), chosen=(),
                  limit: int = AUTO_SERIES) -> list[Series]:
    """The series the indicator row draws, in the order of ``series``: those the user ``chosen`` (keys), never
    those ``hidden``, and of the others the first by :func:`series_rank` until ``limit`` are drawn (the user's
    choices count towards it; beyond it only theirs)."""
    hidden, chosen = set(hidden), set(chosen)
    picked = {s.key for s in series if s.key in chosen and s.key not in hidden}
    free = [s for s in series if s.key not in hidden and s.key not in chosen]
    order = sorted(range(len(free)), key=lambda i: (series_rank(free[i], pair), i))
    for i in order:
        if len(picked) >= limit:
            break
        picked.add(free[i].key)
    return [s for s in series if s.key in picked]


WINDOW_SENTENCE_LIMIT = 5000
"""The window reads the source sentences of its points (for the tooltips) up to this many figures."""


def series_json(series: list[Series]) -> dict:
    return {"series": [{
        "key": s.key, "label": s.label, "metric": s.metric, "measure": s.measure, "unit": s.unit,
        "is_money": s.is_money, "from": s.party_from, "to": s.party_to, "directed": s.directed,
        "points": [{"period": p.period, "precision": p.precision, "first": p.first.isoformat(),
                    "last": p.last.isoformat(), "quantity": p.quantity, "is_target": p.is_target,
                    "figures": p.figures, "event_ids": p.event_ids,
                    "converted": ({"quantity": p.converted[0], "unit": p.converted[1]} if p.converted else None),
                    "sources": p.sources} for p in s.points]} for s in series]}


def table_rows(series: list[Series]) -> list[dict]:
    """One flat row per point (the CLI's table and CSV, the brief's table)."""
    out = []
    for s in series:
        for p in s.points:
            out.append({"series": s.label, "metric": s.metric, "period": p.period,
                        "value": format_quantity(p.quantity, s.unit, s.is_money), "quantity": p.quantity,
                        "unit": s.unit, "target": "target" if p.is_target else "",
                        "as written": " / ".join(p.figures), "events": ",".join(str(i) for i in p.event_ids),
                        "sources": "; ".join(sorted({src["document"] for src in p.sources}))})
    return out
