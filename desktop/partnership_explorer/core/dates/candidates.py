"""Candidates: a date expression found in the text, before resolution, and how they are found and chosen.

A :class:`Candidate` is either *absolute* (its period is known from its own words: "12 August 2025") or
*relative* (its period needs an anchor: "last Tuesday", "in March", "the next day"; ``kind`` names the
resolver and ``data`` holds what the words said). Patterns are only tried in small windows around cheap
anchors (month names, weekdays, four-digit numbers, time words) by :class:`AnchoredScanner`, several times
faster than running every pattern over the whole text, and in a window only when it holds one of the words
the pattern cannot match without (read from the pattern by :mod:`..pattern_gates`: "half" for "the first half
of 2024", a month name for "March 2024"). :func:`select_longest` keeps the longest of
overlapping candidates; :func:`masked_spans` are URL, e-mail and file-name tokens in which nothing is a date.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from ..pattern_gates import WordGates, find_all, finditer_from, first_characters
from ..periods import Period
from .vocabulary import MAX_YEAR, MIN_YEAR, MONTH_ABBR_ALT, MONTH_FULL_ALT, WEEKDAY_ALT

ABSOLUTE = "absolute"
INVALID = "invalid"  # "February 30, 2025": claims its span so that none of its parts is reported alone


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    kind: str
    priority: int = 0
    first: dt.date | None = None
    last: dt.date | None = None
    precision: str = "year"
    is_range: bool = False
    relative: bool = False
    confidence: float = 0.95
    year_explicit: bool = True  # the words give the year (a relative month-day does not)
    mod: str | None = None  # START, MID or END: "early 2023", "the end of the year" (TimeML's mod)
    data: dict = field(default_factory=dict)
    parts: tuple = ()  # a range: the two dates it was joined from ("2009" and "2011" in "from 2009 to 2011")


# -- calendar spans: (first, last) or None when the parts are not a date --------------------------------------

def year_ok(y: int) -> bool:
    return MIN_YEAR <= y <= MAX_YEAR


def day_span(y: int, m: int, d: int):
    if not year_ok(y):
        return None
    try:
        x = dt.date(y, m, d)
    except ValueError:
        return None
    return (x, x)


def month_span(y: int, m: int):
    if not year_ok(y) or not 1 <= m <= 12:
        return None
    return (dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]))


def months_span(y: int, m1: int, m2: int):
    if not year_ok(y) or not (1 <= m1 <= m2 <= 12):
        return None
    return (dt.date(y, m1, 1), dt.date(y, m2, calendar.monthrange(y, m2)[1]))


def year_span(y: int):
    if not year_ok(y):
        return None
    return (dt.date(y, 1, 1), dt.date(y, 12, 31))


def week_span(day: dt.date):
    """Monday to Sunday of the ISO week holding ``day``."""
    week = Period.of(day, "week")
    return (week.first, week.last)


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


# -- adding candidates -------------------------------------------------------------------------------------

def add_absolute(out: list, start: int, end: int, span, precision: str, *, is_range=False, confidence=0.95,
                 priority=0, mod=None, parts=()) -> None:
    if span is None:
        out.append(Candidate(start, end, INVALID, priority))
        return
    out.append(Candidate(start, end, ABSOLUTE, priority, span[0], span[1], precision, is_range, False,
                         confidence, True, mod, parts=parts))


def add_relative(out: list, start: int, end: int, kind: str, priority=0, mod=None, **data) -> None:
    out.append(Candidate(start, end, kind, priority, year_explicit=False, mod=mod, data=data))


# -- anchored scanning -------------------------------------------------------------------------------------

_RX_MONTH_ANCHOR = re.compile(r"(?=[JFMASOND])(?<![A-Za-z])(?:" + MONTH_FULL_ALT + "|" + MONTH_ABBR_ALT
                              + r")(?![a-z])")
_RX_WEEKDAY_ANCHOR = re.compile(r"(?=[MTWFS])(?<![A-Za-z])(?:" + WEEKDAY_ALT + r")(?![A-Za-z])")
_RX_NUMBER_ANCHOR = re.compile(r"\d{4}")
_RELATIVE_KEYS = ("year", "month", "week", "day", " ago", "night", "tomorrow", "quarter", "morning", "afternoon",
                  "evening", "hours ", "minutes ", "moments ", "spring", "summer", "autumn", " fall", "winter", "fortnight")
_FAMILIES: dict = {}  # pattern -> (family, chars before the anchor, chars after it, its gate, its first characters)
_GATES = WordGates()  # the words of every registered pattern's gate
_WORDS: dict = {}  # pattern (and its gate's words) -> those words as one pattern (None: none), made on first use


def register(family: str, before: int, after: int, *patterns) -> None:
    """Scan ``patterns`` around the anchors of ``family`` ("month", "weekday", "relative", "year_part", "year",
    "decade"), with windows of ``before`` and ``after`` characters."""
    for rx in patterns:
        _FAMILIES[rx] = (family, before, after, _GATES.gate(rx), first_characters(rx))


def _gate_words(rx: re.Pattern) -> re.Pattern | None:
    """A pattern matching each of the words of ``rx``'s gate (in lower-cased text), or ``None``."""
    words = _WORDS.get(rx, ())
    if words == ():
        gate = _GATES.words_of(_FAMILIES[rx][3])
        if gate:  # patterns with the same words share one (a document's windows are tested once for them)
            words = _WORDS.setdefault(gate, re.compile("|".join(map(re.escape, gate))))
        words = _WORDS[rx] = words if gate else None
    return words


class AnchoredScanner:
    __slots__ = ("text", "_cache", "_lower", "_windows", "_plain", "_starts")

    def __init__(self, text: str):
        self.text = text
        self._cache: dict = {}
        self._lower = None
        self._windows: dict = {}  # (family, before, after) -> the merged windows around the family's anchors;
        # (words, family, before, after) -> those of them holding one of the words
        self._starts: dict = {}  # family -> where its anchors start
        self._plain: bool | None = None  # whether gates may be tested on the lower-cased text (see pattern_gates)

    def anchors(self, family: str) -> list[tuple[int, int]]:
        got = self._cache.get(family)
        if got is not None:
            return got
        t = self.text
        if family == "month":
            got = [m.span() for m in find_all(_RX_MONTH_ANCHOR, t)]
        elif family == "weekday":
            got = [m.span() for m in find_all(_RX_WEEKDAY_ANCHOR, t)] if "day" in t else []
        elif family == "year":
            got = [m.span() for m in _RX_NUMBER_ANCHOR.finditer(t)]
        elif family == "relative":
            if self._lower is None:
                self._lower = t.lower()
            low = self._lower
            got = []
            for k in _RELATIVE_KEYS:
                i = low.find(k)
                while i >= 0:
                    got.append((i, i + len(k)))
                    i = low.find(k, i + 1)
            got.sort()
        elif family == "year_part":
            got = sorted(self.anchors("year") + [a for a in self.anchors("relative")
                                                 if t[a[0]:a[1]].lower() in ("year", "quarter")])
        elif family == "decade":  # rare: gate on its suffix and scan everything
            got = [(0, len(t))] if re.search(r"0['\u2019]?s", t) else []
        else:
            raise ValueError(f"unknown pattern family {family!r}")
        self._cache[family] = got
        return got

    def scan(self, rx: re.Pattern) -> list[re.Match]:
        """Matches of ``rx`` that cover one of its family's anchors, in text order, without duplicates."""
        family, before, after, _, firsts = _FAMILIES[rx]
        t = self.text
        anchors = self.anchors(family)
        if not anchors:
            return []
        if family == "decade":
            return list(rx.finditer(t))
        windows = self._windows.get((family, before, after))
        if windows is None:
            windows = self._windows[(family, before, after)] = self._merged_windows(anchors, before, after)
        starts = self._starts.get(family)
        if starts is None:
            starts = self._starts[family] = [a for a, _ in anchors]
        words = self._words_to_test(rx)
        if words is not None:  # only the windows holding one of the words every match holds
            key = (words, family, before, after)
            windows = self._windows.get(key)
            if windows is None:
                low = self._lower
                windows = self._windows[key] = [w for w in self._windows[(family, before, after)]
                                                if words.search(low, w[0], w[1])]
        out = []
        for lo, hi in windows:
            for m in (rx.finditer(t, lo, hi) if firsts is None else finditer_from(rx, firsts, t, lo, hi)):
                # keep matches that contain an anchor (edges of a window can cut words)
                i = bisect.bisect_left(starts, m.end()) - 1
                if i >= 0 and anchors[i][1] > m.start():
                    out.append(m)
        return out  # in text order: the windows are in order and do not overlap

    def at_anchors(self, rx: re.Pattern) -> list[re.Match]:
        """What :meth:`scan` gives for a pattern whose every match begins where an anchor of its family begins and
        never overlaps another (a bare year: four digits with no word character on either side, so that they are
        a whole run of digits and the run's first anchor): a match tried at each anchor, instead of at every
        position of the windows around them where one could begin."""
        match = rx.match
        return [m for a, _ in self.anchors(_FAMILIES[rx][0]) if (m := match(self.text, a)) is not None]

    def _words_to_test(self, rx: re.Pattern) -> re.Pattern | None:
        """The words of ``rx``'s gate, when the lower-cased text can be searched for them."""
        words = _gate_words(rx)
        if words is None:
            return None
        if self._plain is None:
            self._plain = _GATES.folds_plainly(self.text)
        if not self._plain:
            return None
        if self._lower is None:
            self._lower = self.text.lower()
        return words

    def _merged_windows(self, anchors, before: int, after: int) -> list[list[int]]:
        """``before`` characters before each anchor to ``after`` after it, stretched to the end of the word
        (40 characters at most), overlapping windows merged so that dense anchors cost one scan."""
        t = self.text
        n = len(t)
        windows: list[list[int]] = []
        for a, b in anchors:
            lo = max(0, a - before)
            hi = min(n, b + after)
            limit = min(n, b + after + 40)
            if hi < limit:
                space = _RX_SPACE.search(t, hi, limit)
                hi = space.start() if space else limit
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        return windows


# -- choosing among overlapping candidates -----------------------------------------------------------------

def select_longest(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, longest (then highest priority) first, returned in text order."""
    cands = sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start))
    taken: list[tuple[int, int]] = []
    starts: list[int] = []
    chosen = []
    for c in cands:
        if c.end <= c.start:
            continue
        i = bisect.bisect_right(starts, c.start)
        if i > 0 and taken[i - 1][1] > c.start:
            continue
        if i < len(taken) and taken[i][0] < c.end:
            continue
        taken.insert(i, (c.start, c.end))
        starts.insert(i, c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


_RX_MASK_ANCHOR = re.compile(r"://|www\.|@|/|\.(?i:jpe?g|png|gif|webp|pdf|html?|php|aspx?|vnp|docx?|xlsx?|mp4"
                             r"|svg|zip)\b")
_RX_SPACE = re.compile(r"\s")
_RX_EMAIL = re.compile(r"\w@\w")
_RX_FILE_EXT = re.compile(r"\w\.(?i:jpe?g|png|gif|webp|pdf|html?|php|aspx?|vnp|docx?|xlsx?|mp4|svg|zip)\b")
_RX_LETTER = re.compile(r"[^\W\d_]")


def masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URL, e-mail and file-name tokens."""
    spans = []
    last_end = -1
    for m in _RX_MASK_ANCHOR.finditer(text):
        if m.start() < last_end:
            continue
        a = m.start()
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        e = _RX_SPACE.search(text, m.end())
        b = e.start() if e else len(text)
        last_end = b
        tok = text[a:b]
        if "://" in tok or "www." in tok or _RX_EMAIL.search(tok) or _RX_FILE_EXT.search(tok):
            spans.append((a, b))
            continue
        parts = tok.split("/")
        if len(parts) >= 3 and any(_RX_LETTER.search(x) for x in parts[1:-1]):
            spans.append((a, b))
    return spans
