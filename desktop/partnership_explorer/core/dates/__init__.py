"""Find date expressions in news text and resolve them to calendar periods.

Pure Python (no Qt). :func:`find_dates` returns :class:`DateMention` objects with exact character spans, the
period meant (``first``..``last`` inclusive) and its precision (day, week, month or year).

The layers, one module each:

* patterns per language: :mod:`.english`, :mod:`.vietnamese`, :mod:`.korean` (with the Japanese/Chinese
  numeric forms), :mod:`.numeric` (language-neutral numbers and bare years), :mod:`.other_languages` (month
  names from dateparser's locale data); shared words in :mod:`.vocabulary`;
* candidate finding and choice (:mod:`.candidates`): the longest of overlapping candidates wins; nothing
  inside a URL, e-mail address or file name is a date;
* resolution against an anchor (:mod:`.resolve`, with :mod:`.tense`): relative expressions are resolved left
  to right against the reference (publication date or dateline) and the dates found before them;
* range merging (:mod:`.ranges`);
* vague references without a period ("recently", "currently", "in the long term"), found apart by
  :func:`find_references` (:mod:`.references`): they never date an event.

A week ("last week", "tuần trước", "지난주") keeps week precision: Monday to Sunday of its ISO week.
"early / mid / the end of 2023" is the year 2023 with ``mod`` START / MID / END (TimeML's convention); "the
first half", "the third quarter", "6 tháng đầu năm" are ranges of months.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import re
import threading
from dataclasses import dataclass

from ..periods import PRECISIONS, STORED_PRECISIONS, iso_label
from .candidates import ABSOLUTE, INVALID, AnchoredScanner, masked_spans, select_longest
from .english import find_english
from .korean import find_korean
from .numeric import find_numeric, find_years
from .other_languages import find_other_language
from .ranges import merge_ranges
from .references import TimeReference, find_references
from .resolve import Anchor, resolve as resolve_candidate
from .vietnamese import find_vietnamese

__all__ = ["PRECISIONS", "DateMention", "TimeReference", "find_dates", "find_references"]

MIN_DATE = dt.date(1800, 1, 1)
MAX_DATE = dt.date(2200, 12, 31)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date
    precision: str
    is_range: bool
    relative: bool
    confidence: float
    mod: str | None = None  # START, MID or END: "early 2023" is 2023 with mod START
    parts: tuple["DateMention", ...] = ()  # a range joined from two dates: those two, each with its own span
    comparison: bool = False  # the base a figure is compared with ("up 5% from a year earlier"): dates no event

    def label(self) -> str:
        """'2025-04' for a month, '2025-W16' for a week; a range as its first and last units, '2025-04/2025-06'."""
        a = iso_label(self.first, self.precision)
        if not self.is_range:
            return a
        return f"{a}/{iso_label(self.last, self.precision)}"


def find_dates(text: str, *, reference: dt.date | None = None, reference_precision: str | None = None,
               language: str = "en") -> list[DateMention]:
    """All date expressions in ``text``, sorted by start, non-overlapping. Relative ones are resolved against
    ``reference`` (known to ``reference_precision``: day, month or year) or left out when they need more."""
    if not isinstance(text, str) or not text:
        return []
    if isinstance(reference, dt.datetime):
        reference = reference.date()
    if not isinstance(reference, dt.date) or not (MIN_DATE <= reference <= MAX_DATE):
        reference = None
    reference_precision = reference_precision if reference_precision in STORED_PRECISIONS else "day"
    lang = (language or "en").lower().split("-")[0].split("_")[0]

    anchor = Anchor(text, reference, reference_precision)
    resolved = []
    for c in _found_in(text, lang):
        if c.kind == INVALID:
            continue
        if c.kind != ABSOLUTE:  # resolution sets a relative candidate's period: each call resolves its own copy
            c = copy.copy(c)
            if not resolve_candidate(c, anchor):
                continue
        if not (MIN_DATE <= c.first <= c.last <= MAX_DATE):
            continue
        resolved.append(c)
        anchor.done.append(c)

    merged = merge_ranges(text, resolved)
    _restated_in_brackets(text, merged)
    return [_mention(text, c) for c in merged]


_RX_OPEN_BRACKET = re.compile(r"\s*\(\s*")
_RX_CLOSE_BRACKET = re.compile(r"\s*\)")


def _restated_in_brackets(text: str, found: list) -> None:
    """A relative day restated in brackets ("전날(9일)", "Hôm qua (19/3)", "on Tuesday (March 3)") is the day the
    brackets name: the writer's own reading wins over the anchor's."""
    for c, n in zip(found, found[1:]):
        if (c.kind != ABSOLUTE or c.relative) and c.precision == "day" and n.precision == "day" and not c.is_range \
                and not n.is_range and _RX_OPEN_BRACKET.fullmatch(text, c.end, n.start) \
                and _RX_CLOSE_BRACKET.match(text, n.end) and (c.first, c.last) != (n.first, n.last):
            c.first, c.last = n.first, n.last


FOUND_MEMO_TEXTS = 4
"""The candidates of this many of the latest texts are kept: a story whose dateline has no year is read for its
year (:mod:`.story_year`) and then for its dates against that year, and both find the same candidates. Each
thread keeps its own."""
_local = threading.local()


def _found_in(text: str, lang: str) -> list:
    """The date candidates of ``text`` in language ``lang``, before resolution (which needs the anchor, not the
    words): every pattern's candidates, none inside a URL, e-mail address or file name, the longest of
    overlapping ones."""
    memo = getattr(_local, "found", None)
    if memo is None:
        memo = _local.found = {}
    key = (lang, text)
    found = memo.pop(key, None)
    if found is None:
        candidates: list = []
        scanner = AnchoredScanner(text)
        find_numeric(text, candidates, scanner)
        find_years(text, candidates, scanner)
        find_vietnamese(text, candidates)
        find_korean(text, candidates)
        if lang == "en" or lang not in ("vi", "ko", "ja", "zh"):
            find_english(text, candidates, scanner)
        if lang not in ("en", "vi", "ko"):
            find_other_language(text, candidates, lang)
        mask = masked_spans(text)
        if mask:  # sorted, not overlapping: the one span that can overlap a candidate is the last to start before its end
            starts = [a for a, _ in mask]
            candidates = [c for c in candidates
                          if (i := bisect.bisect_left(starts, c.end) - 1) < 0 or mask[i][1] <= c.start]
        found = select_longest(candidates)
        if len(memo) >= FOUND_MEMO_TEXTS:
            del memo[next(iter(memo))]
    memo[key] = found  # the latest last
    return found


# The base a change is measured from: "up 12% from the previous year", "16% higher than in 2023", "tăng 16% so với
# năm 2023", "2023년 대비 8% 증가". The cue before the date (or 대비 after it) is a comparison only after a change
# ("from 2020 to 2024" alone is a span).
_RX_BASE_CUE_BEFORE = re.compile(r"(?i:\b(?:from|on|over|than|compared\s+(?:with|to)|versus|vs\.?|against)(?:\s+(?:the|in|"
                                 r"its|their|a))?(?:\s+(?:the\s+)?same\s+(?:period|months?|quarter|half|time|season)"
                                 r"\s+(?:of|in|last))?|so\s+với(?:\s+(?:năm|cùng\s+kỳ))?)\s+$")
_RX_CHANGE_BEFORE = re.compile(r"(?i:\d\s?(?:%|percent|per\s+cent)|\b(?:up|down|higher|lower|more|less|rose|fell|grew"
                               r"|increased|decreased|jumped|dropped|climbed|declined|surged|tăng|giảm)\b)")
# ("지난해 같은 기간보다 18% 늘었다", "2023년보다", "작년에 비해": than that period)
_RX_BASE_CUE_AFTER = re.compile(r"\s*(?:대비|比|(?:같은\s*기간|동기)?\s*(?:보다|에\s*비해|대비))")


# "the largest joint drill since the 1990s", "the first visit since 2016": the date a record is measured against
_RX_RECORD_SINCE = re.compile(r"(?i:\b(?:largest|biggest|highest|lowest|first|worst|best|strongest|weakest|most|longest"
                              r"|deepest|closest)\b[^.;!?]{0,60}?\bsince\s+(?:the\s+)?)$")


def _is_comparison_base(text: str, c) -> bool:
    if c.data and c.data.get("comparison"):
        return True
    if _RX_BASE_CUE_AFTER.match(text, c.end) or _RX_RECORD_SINCE.search(text, max(0, c.start - 80), c.start):
        return True
    cue = _RX_BASE_CUE_BEFORE.search(text, max(0, c.start - 30), c.start)
    if cue is None:
        return False
    # the change is told in the date's own sentence ("... more than ceremony. On Monday, ..." compares nothing)
    start = max(0, cue.start() - 40)
    ends = [m.end() for m in _RX_SENTENCE_BREAK.finditer(text, start, cue.start())]
    return _RX_CHANGE_BEFORE.search(text, ends[-1] if ends else start, cue.start()) is not None


_RX_SENTENCE_BREAK = re.compile(r"[.!?][\"”’')\]]*\s|\n")


def _mention(text: str, c) -> DateMention:
    return DateMention(c.start, c.end, text[c.start:c.end], c.first, c.last, c.precision, bool(c.is_range),
                       bool(c.relative), float(max(0.0, min(1.0, c.confidence))), c.mod,
                       tuple(_mention(text, p) for p in c.parts), _is_comparison_base(text, c))
