"""Range merging: two resolved dates joined by "to", "-", "until", "đến", "부터/에서 ... 까지" (or "and" after
"between", or between two months that follow each other) become one range ("from December 2022 to March 2023",
"between May and August", "in May and June"). A date written without its year takes it from its partner ("from
May 3 to June 1, 2025")."""

from __future__ import annotations

import calendar
import re

from ..periods import finest
from .candidates import ABSOLUTE, Candidate

_RX_GAP = re.compile(r"\s*(?:[-\u2010-\u2013~]|\u2014)\s*|\s+(?i:to|until|till|through|thru|and|đến|tới|và)\s+"
                     r"(?:(?i:năm|tháng)\s+)?|\s*(?:부터|에서)\s*")
_RX_FROM = re.compile(r"(?<![A-Za-z])(?i:from|between|từ)\s+(?:(?i:năm)\s+)?$")
_TO_WORDS = ("to", "until", "till", "through", "thru", "đến", "tới")


def _move_to_year(c: Candidate, y: int) -> bool:
    """Move a date written without a year to year ``y``; False if that is not a date."""
    try:
        first = c.first.replace(year=y)
        last = c.last.replace(year=y)
    except ValueError:
        return False
    if c.precision == "month":
        last = last.replace(day=calendar.monthrange(y, last.month)[1])
    c.first, c.last = first, last
    return True


def _joinable(text: str, a: Candidate, b: Candidate, gap: str, pre) -> bool:
    word = gap.strip().lower()
    if word in ("and", "và") and not (pre and pre.group(0).lower().startswith("between")):
        # "tháng 1 và tháng 2 năm nay": two months of one year read as one span in Vietnamese; "in May and June":
        # two months that follow each other are one span, with nothing lost
        if not (a.precision == b.precision == "month" and not a.is_range and not b.is_range
                and (word == "và" or (b.first - a.last).days == 1)):
            return False
    if word in _TO_WORDS and not pre and a.precision != b.precision:
        return False
    if "\u2014" in gap and gap != "\u2014":
        return False
    if a.precision != "day" and b.precision == "day" and not pre:
        return False
    # a date without its own year takes it from its partner
    if not a.year_explicit and b.year_explicit and a.relative:
        y = b.first.year - int((a.first.month, a.first.day) > (b.first.month, b.first.day))
        return _move_to_year(a, y)
    if not b.year_explicit and a.year_explicit and b.relative:
        y = a.last.year + int((b.first.month, b.first.day) < (a.last.month, a.last.day))
        return _move_to_year(b, y)
    return True


def merge_ranges(text: str, found: list[Candidate]) -> list[Candidate]:
    out = []
    i = 0
    while i < len(found):
        a = found[i]
        if i + 1 < len(found):
            b = found[i + 1]
            gap = text[a.end:b.start]
            if len(gap) <= 12 and _RX_GAP.fullmatch(gap) and not a.is_range and not b.is_range:
                pre = _RX_FROM.search(text, max(0, a.start - 16), a.start)
                if _joinable(text, a, b, gap, pre) and a.first <= b.first and a.last <= b.last \
                        and a.first != b.first:
                    end = b.end + (2 if text.startswith("까지", b.end) else 0)
                    precision = finest(a.precision, b.precision)
                    out.append(Candidate(pre.start() if pre else a.start, end, ABSOLUTE, 0, a.first, b.last,
                                         precision, True, a.relative or b.relative,
                                         min(a.confidence, b.confidence), a.year_explicit and b.year_explicit,
                                         parts=(a, b)))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out
