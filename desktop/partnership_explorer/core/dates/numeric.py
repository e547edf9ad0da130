"""Language-neutral numeric forms ("29/10/2025", "2025-10-29", "2025. 10. 29.", "10/2025"), year ranges
("2017-2025", "from 2017 to 2025", "the 2023-24 fiscal year") and bare years, which are years only in a
year-like context (see :func:`bare_year_confidence`). Ambiguous all-numeric dates such as "04/05/2025" are
read day first (the convention of the Vietnamese and Korean-English press this tool targets) with reduced
confidence."""

from __future__ import annotations

import datetime as dt
import re

from .candidates import ABSOLUTE, AnchoredScanner, Candidate, add_absolute, day_span, month_span, register, year_span
from .vocabulary import RX_QUANTITY_AFTER, month_number

_BEFORE_NUMBER = r"(?<![\d./:+\u2010-\u2015-])(?<![vV])"
_AFTER_NUMBER = r"(?![\w/\u2010-\u2015-]|[.,]\d|:\d)"
RX_DAY_MONTH_YEAR = re.compile(_BEFORE_NUMBER + r"(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4})"
                               + _AFTER_NUMBER)
RX_YEAR_MONTH_DAY = re.compile(_BEFORE_NUMBER + r"(?P<y>\d{4})(?P<s>[/.-])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"
                               + _AFTER_NUMBER)
RX_YEAR_MONTH_DAY_SPACED = re.compile(_BEFORE_NUMBER + r"(?P<y>\d{4})\.\s(?P<m>\d{1,2})\.\s(?P<d>\d{1,2})\.?(?!\d)")
RX_MONTH_YEAR = re.compile(_BEFORE_NUMBER + r"(?P<m>0?[1-9]|1[0-2])/(?P<y>\d{4})" + _AFTER_NUMBER)
RX_YEAR_RANGE = re.compile(
    r"(?:(?<![A-Za-z])(?P<pre>(?i:from|between|từ))\s+(?:(?i:năm)\s+)?)?(?<![\w$.,/:+#-])"
    r"(?P<y1>\d{4})(?:\s*(?P<dash>[-\u2010-\u2013~/])\s*|\u2014|\s+(?P<conn>(?i:to|until|till|through"
    r"|thru|and|đến|tới))\s+(?:(?i:năm)\s+)?)(?P<y2>\d{4}|\d{2})(?![\d\w]|[.,]\d|-\d)")
RX_FISCAL_AFTER = re.compile(r"\s+(?P<kind>(?i:fiscal|financial|budget|crop|marketing|academic|school))\s+(?i:year)\b")
RX_YEAR = re.compile(r"(?<![\w$\u20a9\u20ac\u00a3\u00a5#@.,/:+\u2010-\u2015'\u2019-])(?P<y>\d{4})"
                     r"(?![\w%]|[.,:/]\d|[-\u2010-\u2015]\d)")
RX_SHORT_YEAR = re.compile(r"(?<![\w'\u2019])(?P<q>['\u2019])(?P<y>[0-9]\d)(?![\w'\u2019%])(?!s)")

register("year", 48, 40, RX_DAY_MONTH_YEAR, RX_YEAR_MONTH_DAY, RX_YEAR_MONTH_DAY_SPACED, RX_MONTH_YEAR,
         RX_YEAR_RANGE, RX_YEAR)

_RX_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t\u00a0]*[(\[]?[ \t\u00a0]*$")
# the same in a string of its own: the leftmost match there begins a word (or the string), and is tried only
# where a word begins (at each letter of a word, the word was read to its end again)
_RX_LAST_WORD = re.compile(r"(?<![^\W\d_])([^\W\d_]+)[ \t\u00a0]*[(\[]?[ \t\u00a0]*$")
_RX_CODE_BEFORE = re.compile(
    r"(?:[$\u20a9\u20ac\u00a3\u00a5]|\b(?:US|USD|VND|KRW|EUR|Rs|No|no|#|Nr|number|No\.|page|p|pp|vol|version|v"
    r"|room|Room|ext|tel|Tel|fax|Fax|phone|hotline|box|code|Article|article|Decree|Decision|Resolution"
    r"|Circular|Law|Directive))[ \t\u00a0.]*$")
_RX_NUMBER_BEFORE = re.compile(r"\d(?:st|nd|rd|th)?[ \t\u00a0,]*$")
_RX_YEAR_LIST_BEFORE = re.compile(r"(?:19|20)\d\d(?:\s*,\s*|\s+(?:and|or|&|to)\s+|\s*/\s*)$")
_RX_SENTENCE_START_BEFORE = re.compile(r"(?:^|[.!?\n])\s*\S*$")

_YEAR_CONTEXT_WORDS = {
    "in", "since", "from", "by", "until", "till", "through", "thru", "throughout", "of", "for", "to",
    "during", "before", "after", "year", "end", "early", "late", "mid", "circa", "around", "between",
    "within", "beyond", "spring", "summer", "autumn", "fall", "winter", "fiscal", "fy", "as", "ahead", "towards",
    "toward", "starting", "beginning", "calendar", "on", "at",
    # Vietnamese
    "năm", "từ", "đến", "tới", "vào", "trong", "sau", "trước", "cuối", "đầu", "giữa", "đoạn", "khoảng",
}
_WEAK_CONTEXT_WORDS = {"the", "this", "that", "its", "their", "his", "her", "our", "and", "or", "a"}


def find_numeric(text: str, out: list, scanner: AnchoredScanner) -> None:
    for m in scanner.scan(RX_DAY_MONTH_YEAR):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if a > 12 and b <= 12:
            span, confidence = day_span(y, b, a), 0.95
        elif b > 12 and a <= 12:
            span, confidence = day_span(y, a, b), 0.9
        elif a <= 12 and b <= 12:
            span, confidence = day_span(y, b, a), (0.95 if a == b else 0.7)
        else:
            span, confidence = None, 0.0
        add_absolute(out, m.start(), m.end(), span, "day", confidence=confidence, priority=2)
    for rx in (RX_YEAR_MONTH_DAY, RX_YEAR_MONTH_DAY_SPACED):
        for m in scanner.scan(rx):
            add_absolute(out, m.start(), m.end(), day_span(int(m["y"]), int(m["m"]), int(m["d"])), "day",
                         priority=2)
    for m in scanner.scan(RX_MONTH_YEAR):
        add_absolute(out, m.start(), m.end(), month_span(int(m["y"]), int(m["m"])), "month", confidence=0.8,
                     priority=1)


def find_years(text: str, out: list, scanner: AnchoredScanner) -> None:
    for m in scanner.scan(RX_YEAR_RANGE):
        _year_range(text, out, m)
    for m in scanner.at_anchors(RX_YEAR):  # four digits alone: where a run of digits begins
        y = int(m["y"])
        if 1900 <= y <= 2100 or 1800 <= y < 1900 and _nineteenth_century_year(text, m.start()):
            confidence = bare_year_confidence(text, m.start(), m.end())
            if confidence:
                add_absolute(out, m.start(), m.end(), year_span(y), "year", confidence=confidence)
    if "'" in text or "\u2019" in text:
        for m in RX_SHORT_YEAR.finditer(text):
            word = _RX_WORD_BEFORE.search(text, max(0, m.start() - 20), m.start())
            if word and word.group(1).lower() in ("in", "since", "of", "from", "until", "by", "the", "class"):
                y = int(m["y"])
                add_absolute(out, m.start(), m.end(), year_span(1900 + y if y >= 30 else 2000 + y), "year",
                             confidence=0.7)


def _year_range(text: str, out: list, m: re.Match) -> None:
    y1, raw2 = int(m["y1"]), m["y2"]
    pre, conn, dash = (m["pre"] or "").lower(), (m["conn"] or "").lower(), m["dash"]
    if len(raw2) == 2:
        if not dash:
            return
        y2 = (y1 // 100) * 100 + int(raw2)
    else:
        y2 = int(raw2)
    if dash == "/" and len(raw2) == 4:
        return  # "2024/2025" is a list as often as a span
    if not (1800 <= y1 < y2 <= 2200 and y2 - y1 <= 200):
        return
    if conn == "and" and pre != "between":
        return
    if not pre and not (1900 <= y1 <= 2100 and 1900 <= y2 <= 2100):
        return
    if RX_QUANTITY_AFTER.match(text, m.end()):
        return
    s = m.start() if pre else m.start("y1")
    fiscal = RX_FISCAL_AFTER.match(text, m.end())
    if fiscal and y2 == y1 + 1:
        # one year straddling two calendar years: a fiscal year written so ("the 2023-24 fiscal year") runs from
        # April to March, as in the countries that write it with two years; an academic, school, crop or
        # marketing year is known to the year it begins in
        if fiscal["kind"].lower() in ("fiscal", "financial", "budget"):
            add_absolute(out, s, fiscal.end(), (dt.date(y1, 4, 1), dt.date(y2, 3, 31)), "month",
                         is_range=True, confidence=0.7, priority=1)
        else:
            add_absolute(out, s, m.end(), year_span(y1), "year", confidence=0.7, priority=1)
        return
    if dash == "/":
        return
    confidence = 0.9 if (pre or dash) else 0.8
    parts = tuple(Candidate(m.start(g), m.end(g), ABSOLUTE, 0, *year_span(y), "year", confidence=confidence)
                  for g, y in (("y1", y1), ("y2", y2)))
    add_absolute(out, s, m.end(), (dt.date(y1, 1, 1), dt.date(y2, 12, 31)), "year", is_range=True,
                 confidence=confidence, priority=1, parts=parts)


# the words before a bare year of the 1800s that make it one ("established relations in 1897", "năm 1897"): a
# number of that size is a count more often than a year, so only a preposition of time will do
_OLD_YEAR_WORDS = {"in", "since", "from", "until", "till", "by", "during", "before", "after", "circa", "around",
                   "năm", "từ", "vào", "trong", "sau", "trước"}


def _nineteenth_century_year(text: str, s: int) -> bool:
    word = _RX_LAST_WORD.search(text[max(0, s - 40):s])
    return bool(word) and word.group(1).lower() in _OLD_YEAR_WORDS


def bare_year_confidence(text: str, s: int, e: int) -> float:
    """Confidence that the bare four-digit number ``text[s:e]`` is a year (0 = it is not)."""
    before = text[max(0, s - 40):s]
    if _RX_CODE_BEFORE.search(before) or RX_QUANTITY_AFTER.match(text, e):
        return 0.0
    after = text[e:e + 3]
    pw = _RX_LAST_WORD.search(before)
    word = pw.group(1) if pw else ""
    lw = word.lower()
    if lw in _YEAR_CONTEXT_WORDS or month_number(word) and word[0].isupper():
        return 0.9
    if _RX_YEAR_LIST_BEFORE.search(before):
        return 0.85
    if _RX_NUMBER_BEFORE.search(before):
        return 0.0  # the rest of a number or of an invalid date ("February 30, 2025")
    if lw in _WEAK_CONTEXT_WORDS:
        return 0.8
    stripped = before.rstrip(" \t\u00a0")
    if stripped.endswith("(") and after[:1] == ")":
        return 0.8
    if after[:1] in (",", ".", ";", ":", "!", "?") or after[:2] in ("'s", "’s") or not after.strip():
        if word and word[0].isupper() and not _RX_SENTENCE_START_BEFORE.search(before):
            return 0.0  # part of a proper name ("Vision 2030.")
        return 0.75
    if not stripped or stripped[-1] in ".!?\n:\"“":
        return 0.7  # starts a sentence or line ("2025 marks ...")
    return 0.0
