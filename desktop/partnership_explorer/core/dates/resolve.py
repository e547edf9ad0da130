"""Resolution of relative candidates against an anchor: the publication date or dateline (the reference, known
to a day, a month or a year) or the dates already found before the candidate in the text ("the next day", "the
same year"); the tense of the clause decides past or future where the words do not ("on Tuesday", "in
March"). One resolver per candidate kind (:mod:`.kinds`); each sets the candidate's period and returns True, or
returns False when the anchor it needs is missing."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator

from . import kinds
from .candidates import (Candidate, add_months, day_span, month_span, months_span, week_span, year_span)
from .tense import TenseReader


LOOK_BACK = 200
"""A relative date looks for its anchor among this many earlier dates at most (an anchor further back is not
the one the writer meant, and looking through all of them made long texts quadratic)."""


STORY_DAY_REACH = 300
""""the day" of a market report is the day named within this many characters before it, else the reference."""


RELATIVE_REACH = 150
# a relative clause opened before a date, within its sentence: ", who is on a visit that began on", ", where ..."
_RELATIVE_BEFORE = re.compile(r",\s*(?:who|which|where|whose)\b[^,;:.!?\n]*$")


def recent(done: list) -> Iterator:
    """The dates found before, latest first, :data:`LOOK_BACK` at most."""
    return itertools.islice(reversed(done), LOOK_BACK)


class Anchor:
    """What relative expressions are resolved against: the reference and the dates resolved so far."""

    def __init__(self, text: str, reference: dt.date | None, reference_precision: str):
        self.reference, self.precision = reference, reference_precision
        self.text = text
        self.tense = TenseReader(text)
        self.done: list[Candidate] = []

    def knows_day(self) -> bool:
        return self.reference is not None and self.precision == "day"

    def knows_month(self) -> bool:
        return self.reference is not None and self.precision in ("day", "month")

    def last_year(self) -> int | None:
        """Year of the last date found before, or of the reference."""
        for p in recent(self.done):
            return p.first.year if not p.is_range else p.last.year
        return self.reference.year if self.reference is not None else None

    def last_day(self, *, main_clause: bool = False, before: int | None = None) -> Candidate | None:
        """The day named last; with ``main_clause``, passing over a day told in a relative clause ("the minister,
        who is on a visit that began on Monday") for the day of the happening told before it: what "the previous
        day" of a later sentence counts from. With ``before``, the last day named before that offset."""
        first = None
        for p in recent(self.done):
            if p.precision == "day" and not p.is_range and (before is None or p.end <= before):
                if not main_clause or not _RELATIVE_BEFORE.search(self.text, max(0, p.start - RELATIVE_REACH),
                                                                   p.start):
                    return p
                first = first or p
        return first


def _set(c: Candidate, span, precision: str, confidence: float, *, is_range=False) -> bool:
    if span is None:
        return False
    c.first, c.last = span
    c.precision, c.confidence, c.relative, c.is_range = precision, confidence, True, is_range
    return True


_RX_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
SAME_MONTH_REACH = 160
"""How far back, within its sentence, a day written without a year looks for its month named with one."""


def _same_month_named_before(c: Candidate, anchor: Anchor, month: int) -> int | None:
    """The year of the same month named with its year earlier in the sentence: "in August 2022, the two leaders
    signed the alliance on August 23" is 2022, whatever the publication date."""
    for p in recent(anchor.done):
        if c.start - p.end > SAME_MONTH_REACH:
            return None
        if p.year_explicit and not p.relative and not p.is_range and p.precision == "month" \
                and p.first.month == month and not _RX_SENTENCE_END.search(anchor.text, p.end, c.start):
            return p.first.year
    return None


def year_for_month(c: Candidate, anchor: Anchor, month: int, day: int | None, mode: str):
    """(year, confidence) for a month (and optional day) written without a year, or (None, 0)."""
    ref, rp = anchor.reference, anchor.precision
    if day is not None and (named := _same_month_named_before(c, anchor, month)) is not None:
        return named, 0.85
    if ref is None:
        for p in recent(anchor.done):
            if p.year_explicit and not p.relative:
                return (p.last.year if not p.is_range else p.first.year), 0.4
        return None, 0.0
    if rp == "year":
        return ref.year, 0.5
    if mode == "this":
        return ref.year, 0.85
    lo = ref
    hi = ref.replace(day=month_span(ref.year, ref.month)[1].day) if rp == "month" else ref
    if lo.month == month and (day is None or rp == "month" or day == ref.day):
        return ref.year, 0.9
    periods = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        span = day_span(y, month, day) if day else month_span(y, month)
        if span:
            periods.append((y, span))
    if not periods:
        return None, 0.0
    if mode == "tense":
        mode = anchor.tense.tense(c.start, c.end)
    if mode == "past_strict":
        ok = [y for y, (f, la) in periods if la < lo]
        return (max(ok), 0.85) if ok else (None, 0.0)
    if mode == "future_strict":
        ok = [y for y, (f, la) in periods if f > hi]
        return (min(ok), 0.85) if ok else (None, 0.0)
    if mode == "past":
        tolerance = dt.timedelta(days=7 if day else 0)  # publication dates are often a day or two late
        ok = [y for y, (f, la) in periods if f <= hi + tolerance]
        return (max(ok), 0.8) if ok else (None, 0.0)
    if mode == "future":
        ok = [y for y, (f, la) in periods if la >= lo]
        return (min(ok), 0.8) if ok else (None, 0.0)

    def distance(item):
        f, la = item[1]
        return (max(0, (f - hi).days, (lo - la).days), item[0])
    return min(periods, key=distance)[0], 0.7


def _month_day(c: Candidate, anchor: Anchor) -> bool:
    month, day, day2 = c.data["month"], c.data.get("day"), c.data.get("day2")
    y, confidence = year_for_month(c, anchor, month, day, c.data["mode"])
    if y is None:
        return False
    if day is None:
        return _set(c, month_span(y, month), "month", confidence)
    a = day_span(y, month, day)
    if c.data.get("week"):  # "the week of June 9"
        return bool(a) and _set(c, week_span(a[0]), "week", confidence)
    if day2:
        b = day_span(y, month, day2)
        return bool(a and b) and _set(c, (a[0], b[0]), "day", confidence, is_range=True)
    return _set(c, a, "day", confidence)


def _month_of_relative_year(c: Candidate, anchor: Anchor) -> bool:
    month, day, offset = c.data["month"], c.data["day"], c.data["offset"]
    if c.data["anaphoric"]:
        base = anchor.last_year()
        if base is None:
            return False
        y, confidence = base + offset, 0.7
    else:
        if anchor.reference is None:
            return False
        y = anchor.reference.year + offset
        confidence = 0.9 if anchor.precision != "year" or offset else 0.85
    return _set(c, day_span(y, month, day) if day else month_span(y, month), "day" if day else "month", confidence)


THE_YEAR_REACH = 120
"""How far before "the first half of the year", in its sentence, a year named makes it that year's ("in the second half of 2026,
preceded by meetings during the first half of the year"); with none that near, it is the story's year."""


def _year_part(c: Candidate, anchor: Anchor) -> bool:
    near = next((p for p in recent(anchor.done) if c.start - p.end <= THE_YEAR_REACH
                 and not _RX_SENTENCE_END.search(anchor.text, p.end, c.start)), None) if c.data.get("the_year") else None
    if near is not None and near.precision in ("year", "month", "day") and near.first.year == near.last.year \
            and not (anchor.reference is not None and near.first.year < anchor.reference.year
                     and anchor.tense.tense(c.start, c.end) == "future"):
        # (not a year gone by for a part still to come: "the agreement, signed in November 2024, is to be ratified
        # in the second half of the year" is this year's)
        base = near.first.year
    elif c.data["anaphoric"]:
        base = anchor.last_year()
        if base is None:
            return False
    else:
        if anchor.reference is None:
            return False
        base = anchor.reference.year
    y = base + c.data["offset"]
    months = c.data["months"]
    if months == (1, 12):
        return _set(c, year_span(y), "year", 0.8)
    return _set(c, months_span(y, *months), "month", 0.8, is_range=True)


def _quarter(c: Candidate, anchor: Anchor) -> bool:
    ref = anchor.reference
    if ref is None or anchor.precision == "year":
        return False
    if c.data["latest"]:  # "the last quarter": the last one that ended before the reference
        y, q = ref.year, (ref.month - 1) // 3
        if q == 0:
            y, q = y - 1, 4
    else:
        y, q = ref.year, c.data["quarter"]
        start = dt.date(y, 3 * q - 2, 1)
        if start > ref:
            tense = anchor.tense.tense(c.start, c.end)
            if tense == "past":
                y -= 1  # results are reported after the quarter ends
            elif tense == "near":  # no cue: the nearer of this year's quarter and last year's
                end_before = months_span(y - 1, 3 * q - 2, 3 * q)[1]
                if (ref - end_before).days < (start - ref).days:
                    y -= 1
    return _set(c, months_span(y, 3 * q - 2, 3 * q), "month", 0.75, is_range=True)


def _relative_unit(c: Candidate, anchor: Anchor) -> bool:
    unit, offset = c.data["unit"], c.data["offset"]
    ref = anchor.reference
    if unit == "year":
        return ref is not None and _set(c, year_span(ref.year + offset), "year", 0.9)
    if unit == "month":
        if not anchor.knows_month():
            return False
        y, mo = add_months(ref.year, ref.month, offset)
        return _set(c, month_span(y, mo), "month", 0.85)
    if unit == "story_day":  # "ended the day higher": the day just named, else the day of the story
        p = anchor.last_day()
        if p is not None and c.start - p.end <= STORY_DAY_REACH:
            return _set(c, (p.first, p.first), "day", min(0.7, p.confidence))
    if unit == "part_of_day":  # "(in) the evening": of the day just named, when one is named close before
        p = anchor.last_day()
        return (p is not None and c.start - p.end <= STORY_DAY_REACH
                and _set(c, (p.first, p.first), "day", min(0.7, p.confidence)))
    if unit in ("day", "story_day"):
        if not anchor.knows_day():
            return False
        x = ref + dt.timedelta(days=offset)
        return _set(c, (x, x), "day", 0.7 if offset == 0 else 0.85)
    if unit == "week":
        if not anchor.knows_day():
            return False
        return _set(c, week_span(ref + dt.timedelta(days=7 * offset)), "week", 0.8)
    if unit == "mentioned_day":
        if offset == 0:  # "signed the same day" as a happening known to its month: that month, no finer
            q = next((q for q in recent(anchor.done) if q.precision in ("day", "month") and not q.is_range), None)
            if q is not None and q.precision == "month":
                return _set(c, (q.first, q.last), "month", min(0.7, q.confidence))
        p = anchor.last_day(main_clause=offset != 0)
        if p is not None and offset <= 0 and anchor.knows_day() and p.first > ref \
                and anchor.tense.tense(c.start, c.end) == "past":
            # "..., and leaves on the 24th. The same day, the bank signed ...": what was done is not dated by a
            # day still to come, but by the day before it that the story told
            # (nor by another day of the sentence that told the day to come: "arrived on the 20th and leaves
            # on the 24th" is the visit's span, the happening was told before it)
            opened = max((m.end() for m in _RX_SENTENCE_END.finditer(anchor.text, 0, p.start)), default=0)
            earlier = anchor.last_day(main_clause=offset != 0, before=opened)
            p = earlier if earlier is not None and earlier.first <= ref else p
        if p is None:
            return False
        x = p.first + dt.timedelta(days=offset)
        return _set(c, (x, x), "day", 0.8 if not p.relative else min(0.7, p.confidence))
    if unit == "this_time_of_year":  # "작년 이맘때": the story's month, a year back (or on)
        if not anchor.knows_month():
            return False
        return _set(c, month_span(ref.year + offset, ref.month), "month", 0.7)
    if unit == "season":  # "next spring": the year of the next one to begin, "last summer" of the last one ended
        if not anchor.knows_month():
            return False
        first, last = c.data["months"]
        y = ref.year
        if offset > 0 and ref.month >= first:
            y += 1
        elif offset < 0 and ref.month <= last:
            y -= 1
        return _set(c, year_span(y), "year", 0.75)
    if unit == "mentioned_week":
        p = anchor.last_day()
        return p is not None and _set(c, week_span(p.first + dt.timedelta(days=7 * offset)), "week", 0.7)
    if unit == "mentioned_year":
        base = anchor.last_year()
        return base is not None and _set(c, year_span(base + offset), "year", 0.7)
    if unit == "same_period_year_before":  # the month, week or months named last, a year back
        for p in recent(anchor.done):
            if p.precision == "month" and not p.is_range:
                p = _with_month_before(p, anchor)
            if p.precision in ("day", "week", "month") and (not p.is_range or p.precision == "month"):
                y = p.first.year + offset
                if p.precision == "week":
                    return _set(c, week_span(p.first - dt.timedelta(weeks=52)), "week", 0.65)
                if p.is_range:
                    span = months_span(y, p.first.month, p.last.month) if p.first.year == p.last.year else None
                    return _set(c, span, "month", 0.65, is_range=True)
                return _set(c, month_span(y, p.first.month), "month", 0.65)
            if p.precision == "year":
                break
        return ref is not None and _set(c, year_span(ref.year + offset), "year", 0.7)
    if unit == "mentioned_month":
        for p in recent(anchor.done):
            if p.precision in ("day", "week", "month") and not p.is_range:
                y, mo = add_months(p.first.year, p.first.month, offset)
                return _set(c, month_span(y, mo), "month", 0.7)
        return False
    raise ValueError(f"unknown relative unit {unit!r}")


_RX_MONTHS_JOINED = re.compile(r"\s+(?i:and|to|through|và|đến)\s+|\s*[-\u2013]\s*")


def _with_month_before(p: Candidate, anchor: Anchor) -> Candidate:
    """``p``, or the span from the month just before it that it is joined to ("tháng 1 và tháng 2", "in May and
    June": ranges are merged after resolution, so "the same period" looks back at both months itself)."""
    done = anchor.done
    i = next((k for k in range(len(done) - 1, -1, -1) if done[k] is p), -1)
    if i < 1:
        return p
    q = done[i - 1]
    if (q.precision == "month" and not q.is_range and (p.first - q.last).days == 1
            and _RX_MONTHS_JOINED.fullmatch(anchor.tense.text, q.end, p.start)):
        return Candidate(q.start, p.end, p.kind, 0, q.first, p.last, "month", True)
    return p


def _weekday(c: Candidate, anchor: Anchor) -> bool:
    if not anchor.knows_day():
        return False
    ref = anchor.reference
    wd, mode = c.data["weekday"], c.data["mode"]
    cur = ref.weekday()
    if mode == "tense":
        mode = anchor.tense.tense(c.start, c.end)
    if mode == "near":
        forward, back = (wd - cur) % 7, (cur - wd) % 7
        mode = "future" if forward < back else "past"
    if mode == "future":
        x = ref + dt.timedelta(days=(wd - cur) % 7)
    elif mode == "past":
        x = ref - dt.timedelta(days=(cur - wd) % 7)
    elif mode == "past_strict":
        x = ref - dt.timedelta(days=(cur - wd) % 7 or 7)
    elif mode == "future_strict":
        x = ref + dt.timedelta(days=(wd - cur) % 7 or 7)
    else:  # this
        x = ref - dt.timedelta(days=cur) + dt.timedelta(days=wd)
    days = c.data.get("days", 1)  # a weekend is two days from its Saturday
    if days > 1 and mode == "past" and x + dt.timedelta(days=days - 1) < ref - dt.timedelta(days=6):
        x += dt.timedelta(days=7)
    return _set(c, (x, x + dt.timedelta(days=days - 1)), "day", 0.8, is_range=days > 1)


def _ago(c: Candidate, anchor: Anchor) -> bool:
    n, unit = c.data["n"], c.data["unit"]
    if c.data["anaphoric"]:  # "a year earlier", "two days later": from the last date found
        if unit == "year":
            base = anchor.last_year()
            return base is not None and _set(c, year_span(base - n), "year", 0.7)
        p = anchor.last_day()
        base_day, precision = (p.first, "day") if p is not None else (None, None)
        if unit == "month":
            for q in recent(anchor.done):
                if q.precision in ("day", "month") and not q.is_range:
                    y, mo = add_months(q.first.year, q.first.month, -n)
                    return _set(c, month_span(y, mo), "month", 0.65)
            return False
    else:
        ref = anchor.reference
        if ref is None:
            return False
        if unit == "year":
            return _set(c, year_span(ref.year - n), "year", 0.8)
        if unit == "month":
            if not anchor.knows_month():
                return False
            y, mo = add_months(ref.year, ref.month, -n)
            return _set(c, month_span(y, mo), "month", 0.75)
        base_day, precision = (ref, "day") if anchor.knows_day() else (None, None)
    if base_day is None:
        return False
    days = n * (7 if unit == "week" else 1)
    try:
        x = base_day - dt.timedelta(days=days)
    except OverflowError:
        return False
    if unit == "week" and not c.data["anaphoric"]:
        return _set(c, week_span(x), "week", 0.7)
    # ("a week later" than a day told: that day and seven more, as "seven days later" would be)
    return _set(c, (x, x), precision, 0.75 if unit != "week" else 0.7)


_SENTENCE_END = re.compile(r"[.!?。]\s|\n")
_STORY_MONTH_REACH = 200  # characters: how far a month named goes on dating bare days of the same narrative


def _day_of_month(c: Candidate, anchor: Anchor) -> bool:
    day, mode = c.data["day"], c.data.get("mode", "near")
    for p in recent(anchor.done):
        if p.precision in ("day", "month") and not p.is_range and mode == "near":
            if c.data.get("this_month") and not (c.start - p.end <= 4 or (
                    (p.kind == kinds.MONTH_DAY or p.year_explicit) and c.start - p.end <= _STORY_MONTH_REACH
                    and not _SENTENCE_END.search(anchor.text, p.end, c.start))):
                break  # Korean news writes a day of another month with its month ("지난달 6일", "3월 12일"):
                # a bare "4일" away from a month named in its sentence is this month's
            return _set(c, day_span(p.first.year, p.first.month, day), "day", 0.6)
    if not anchor.knows_month():
        return False
    ref = anchor.reference
    y, mo = ref.year, ref.month
    if anchor.precision == "day":
        if mode == "past" and day > ref.day:
            y, mo = add_months(y, mo, -1)
        elif mode == "future" and day < ref.day:
            y, mo = add_months(y, mo, 1)
    return _set(c, day_span(y, mo, day), "day", 0.6)


RESOLVERS = {
    kinds.MONTH_DAY: _month_day,
    kinds.MONTH_OF_RELATIVE_YEAR: _month_of_relative_year,
    kinds.YEAR_PART: _year_part,
    kinds.QUARTER: _quarter,
    kinds.RELATIVE_UNIT: _relative_unit,
    kinds.WEEKDAY: _weekday,
    kinds.AGO: _ago,
    kinds.DAY_OF_MONTH: _day_of_month,
}


def resolve(c: Candidate, anchor: Anchor) -> bool:
    """Date the relative candidate ``c``; False when its anchor is missing or its words are not a date."""
    return RESOLVERS[c.kind](c, anchor)
