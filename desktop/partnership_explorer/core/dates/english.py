"""English date expressions: month-day-year forms, month names in context, weekdays, relative words ("last
year", "the previous day", "three months ago"), parts of a year (halves, quarters, "early 2023"), decades.

Conventions for parts of a year: first / second half -> January..June / July..December, Nth quarter and
Q1..Q4 -> the three months of the quarter (ranges of precision "month"); early / mid / late / the end of a
year -> that year, precision "year", with TimeML's ``mod`` (START, MID, END) saying which part. The same
words applied to a month ("early August 2025", "the end of March") give that month with its ``mod``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re

from . import kinds
from .candidates import (AnchoredScanner, add_absolute, add_relative, day_span, month_span, months_span,
                         register, week_span, year_ok, year_span)
from .vocabulary import (DASH, HSPACE, MONTH_FULL_ALT, MONTHS_THAT_ARE_NAMES, OPT_HSPACE, TENS_ALT,
                         WEEKDAY_ALT, WEEKDAYS, day_group, full_month_group, month_group, month_number, number_word,
                         year_group)

_WEEKDAY_PREFIX = rf"(?:(?:{WEEKDAY_ALT}),?\s+(?:(?i:the)\s+)?)?"
_RELATIVE_YEAR_WORDS = (r"(?P<rel>(?i:last|this|next|that|the\s+previous|the\s+following|the\s+same|the\s+current"
                        r"|a\s+year\s+(?:earlier|before|ago)))")

RX_MONTH_DAY_YEAR = re.compile(_WEEKDAY_PREFIX + month_group("m") + HSPACE + day_group("d")
                               + rf"(?:,{OPT_HSPACE}|{HSPACE})(?:(?i:of){HSPACE})?" + year_group("y"))
RX_DAY_MONTH_YEAR = re.compile(_WEEKDAY_PREFIX + r"(?<![\d.,$/:-])" + day_group("d") + rf"{HSPACE}(?:(?i:of)"
                               rf"{HSPACE})?" + month_group("m") + rf",?{HSPACE}" + year_group("y"))
_DAY_RANGE_GAP = rf"(?:{OPT_HSPACE}{DASH}{OPT_HSPACE}|{HSPACE}(?i:to|through|until|till){HSPACE})"
RX_MONTH_DAYS = re.compile(month_group("m") + HSPACE + day_group("d1") + _DAY_RANGE_GAP + day_group("d2")
                           + rf"(?:,?{HSPACE}" + year_group("y") + ")?")
RX_DAYS_MONTH = re.compile(r"(?<![\d.,$/:-])" + day_group("d1") + _DAY_RANGE_GAP + day_group("d2")
                           + rf"{HSPACE}(?:(?i:of){HSPACE})?" + month_group("m") + rf"(?:,?{HSPACE}"
                           + year_group("y") + ")?")
RX_MONTH_YEAR = re.compile(month_group("m") + rf"{HSPACE}(?:(?i:of){HSPACE})?" + year_group("y"))
RX_MONTH_DAY = re.compile(_WEEKDAY_PREFIX + month_group("m") + HSPACE + day_group("d") + r"(?![,.:]\d)")
RX_DAY_MONTH = re.compile(_WEEKDAY_PREFIX + r"(?<![\d.,$/:-])" + day_group("d") + rf"{HSPACE}(?:(?i:of)"
                          rf"{HSPACE})?" + month_group("m"))
RX_WEEK_OF = re.compile(r"(?<![A-Za-z])(?i:the\s+week\s+(?:of|beginning|starting|from))" + HSPACE
                        + month_group("m") + HSPACE + day_group("d") + r"(?![,.:]?\d)(?:,?" + HSPACE + year_group("y")
                        + ")?")
# the same with the day first: "the week of 7 December", "in the week of 26 October 2026"
RX_WEEK_OF_DAY_MONTH = re.compile(r"(?<![A-Za-z])(?i:the\s+week\s+(?:of|beginning|starting|from))" + HSPACE
                                  + day_group("d") + HSPACE + month_group("m") + r"(?![A-Za-z])(?:,?" + HSPACE
                                  + year_group("y") + ")?")
# "the first week of December", "the last week of January 2026": a week of a month counted as ISO 8601 counts the
# weeks of a year, a week belonging to the month that holds its Thursday (the first is the week of the 4th)
RX_NTH_WEEK_OF_MONTH = re.compile(r"(?<![A-Za-z])(?i:(?:the\s+)?(?P<n>first|second|third|fourth|last|final|1st|2nd|3rd"
                                  r"|4th)\s+week\s+of)" + HSPACE + full_month_group("m") + r"(?:,?" + HSPACE
                                  + year_group("y") + ")?")
_NTH_WEEK = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
RX_MONTH_OF_RELATIVE_YEAR = re.compile(month_group("m") + rf"(?:{HSPACE}" + day_group("d")
                                       + rf")?(?:,?{HSPACE}(?i:of))?{HSPACE}" + _RELATIVE_YEAR_WORDS
                                       + r"(?:(?<=ago)|(?<=earlier)|(?<=before)|" + HSPACE
                                       + r"(?i:year)(?![A-Za-z]))")
RX_MONTH_IN_CONTEXT = re.compile(
    r"(?<![A-Za-z])(?P<pre>(?i:in|since|during|until|till|by|from|before|after|through|throughout|to|between"
    r"|and|or|last|next|this|later\s+in|earlier\s+in|late\s+in|early\s+in|as\s+of|for|of))" + HSPACE
    + full_month_group("m"))
RX_MONTH_PART = re.compile(r"(?<![A-Za-z])(?P<e>(?i:(?:the\s+)?(?:end|beginning|start|middle|close)\s+of|early"
                           r"|late|mid|middle))(?:\s*-\s*|\s+)" + full_month_group("m")
                           + rf"(?:,?{HSPACE}" + year_group("y") + ")?")
RX_WEEKDAY = re.compile(r"(?<![A-Za-z])(?:(?P<pre>(?i:last|next|this|on|from|since|until|till|by|before|after"
                        r"|starting|beginning|coming))" + HSPACE + r")?(?P<wd>" + WEEKDAY_ALT + r")(?![A-Za-z])")
RX_RELATIVE_WORD = re.compile(
    # ("at today's prices", "in today's money", "today's dollars": a measure, not a day)
    r"(?<![A-Za-z])(?i:(?P<k>yesterday|today(?![’']s\s+(?:prices?|money|rates?|exchange\s+rates?|dollars|euros|terms|values?))|tomorrow|tonight"
    r"|(?:earlier|later)\s+this\s+(?:year|month|week)"
    r"|(?:last|this|next|the\s+current|current|the\s+previous|the\s+following|the\s+next|the\s+same|that"
    r"|the\s+past|the\s+coming)\s+(?:year|month|week|day)"
    r"|(?:the\s+same|that|the\s+previous|the\s+next|the\s+following)\s+(?:morning|afternoon|evening|night)"
    r"|(?:(?<=in\s)|(?<=later\s)|(?<=later\sin\s))the\s+(?:morning|afternoon|evening)|later\s+that\s+day"
    # "Hours later, the two companies signed ...": the day just told
    r"|(?<![\w,] )(?:hours|minutes|moments)\s+(?:later|earlier)(?=\s*,)"
    r"|the\s+(?:entire|whole|full)\s+year|the\s+year\s+(?:before|previous|after)|the\s+day\s+(?:before|after)(?!\s+[a-z]+ing\b)))"
    r"(?![A-Za-z])")
RX_DAY_OF_STORY = re.compile(  # "closed higher for the day", "For the day, ...", "ending the day at 8,017"
    r"(?:(?:(?<=[a-z] )|(?<=[.!?] )|(?<=\n)|^)(?i:for|during|on|of|in|into)\s+"
    r"|(?<=[a-z,] )(?i:(?:end|finish|close|start|open|begin)(?:s|es|ed|d|ing)?|began)\s+)"
    r"(?P<k>the\s+day)(?!\s+(?:of|when|that|on)\b|\s+(?:before|after)\b(?!\s+[a-z]+ing\b))(?![A-Za-z])")
RX_AGO = re.compile(r"(?<![A-Za-z\d])(?i:(?P<n>\d{1,3}|" + TENS_ALT + r"|an?|one|two|three|four|five|six|seven"
                    r"|eight|nine|ten|eleven|twelve)\s+(?P<u>years?|months?|weeks?|fortnights?|days?)\s+(?P<dir>ago|earlier|before|later|after))"
                    r"(?![A-Za-z])")
RX_SAME_PERIOD_YEAR_BEFORE = re.compile(  # "up 12% on the same period last year": the period just named, a year back
    r"(?<![A-Za-z])(?i:the\s+same\s+(?:period|month|quarter|week|time|season)\s+(?:(?:of|in)\s+)?"
    r"(?:last\s+year|a\s+year\s+(?:earlier|ago|before)|the\s+(?:previous|last|prior|preceding)\s+year"
    r"|the\s+year\s+before)"
    # a change against a year before ("up 14.5% from a year earlier"): the period just named, a year back
    r"|(?<=\d%\s)(?:from|on|over)\s+(?P<k>a\s+year\s+(?:earlier|ago|before))"
    r"|(?<=\spercent\s)(?:from|on|over)\s+(?P<k2>a\s+year\s+(?:earlier|ago|before))"
    r"|(?<=compared\s)(?:with|to)\s+(?P<k3>a\s+year\s+(?:earlier|ago|before)))(?![A-Za-z])")
_ORDINAL = (r"(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\d{1,2}(?:st|nd|rd|th))")
RX_UNIT_OF_STORY = re.compile(  # the day, week, month or year the story is about, named by a streak or a record
    r"(?<![A-Za-z])(?i:(?:an?\s+|the\s+)?" + _ORDINAL + r"\s+(?:(?:consecutive|straight|successive)\s+"
    r"(?P<u1>day|week|month|year)|(?P<u2>day|week|month|year)\s+in\s+a\s+row)"
    r"|(?<=best\s)(?P<u3>day|week|month|year)(?=\s+since\b)|(?<=worst\s)(?P<u4>day|week|month|year)(?=\s+since\b))"
    r"(?![A-Za-z])")
YEAR_OR_RELATIVE_YEAR = (r"(?:" + year_group("y") + r"|(?P<ry>(?i:this|last|next|the\s+current|the\s+previous"
                         r"|the\s+following|the))\s+(?i:year)(?![A-Za-z]))")
RX_HALF = re.compile(r"(?<![A-Za-z])(?:(?i:the)\s+)?(?P<o>(?i:first|second|1st|2nd|latter|former))\s+(?i:half)"
                     r"\s+(?i:of)\s+(?:(?i:the\s+year)\s+)?" + YEAR_OR_RELATIVE_YEAR)
_QUARTER_ORDINAL = r"(?P<o>(?i:first|second|third|fourth|final|last|1st|2nd|3rd|4th))"
# the first or last months of a year: "the first nine months of this year", "the first five months of 2025"
_MONTH_COUNT = {w: i for i, w in enumerate("two three four five six seven eight nine ten eleven".split(), 2)}
RX_MONTHS_OF_YEAR = re.compile(r"(?<![A-Za-z])(?:(?i:the)\s+)?(?P<o>(?i:first|last|final))\s+(?P<n>(?i:"
                               + "|".join(_MONTH_COUNT) + r")|[2-9]|1[01])\s+(?i:months)\s+(?i:of)\s+"
                               r"(?:(?i:the\s+year)\s+)?" + YEAR_OR_RELATIVE_YEAR)
RX_QUARTER = re.compile(r"(?<![A-Za-z])(?:(?i:the)\s+)?" + _QUARTER_ORDINAL + r"\s+(?i:quarter)\s+(?i:of)\s+"
                        r"(?:(?i:the\s+year)\s+)?" + YEAR_OR_RELATIVE_YEAR)
RX_QUARTER_WITHOUT_YEAR = re.compile(r"(?<![A-Za-z])(?:(?P<the>(?i:the|this|its|a))\s+)?" + _QUARTER_ORDINAL
                                     + r"[\s-](?i:quarter)(?![A-Za-z])(?!\s+(?i:of|century))")
# A quarter named by its months, as Australian and Indian reports do: "the June quarter" (April to June), "the
# April-June quarter", "the October-December quarter of 2024"; and other spans of months, "the April-September
# period" (of this year unless a year is named)
RX_MONTHS_QUARTER = re.compile(r"(?<![A-Za-z])(?:(?i:the)\s+)?(?:(?P<m1>" + MONTH_FULL_ALT + r")\s*[-\u2013]\s*)?(?P<m2>"
                               + MONTH_FULL_ALT + r")\s+(?P<unit>(?i:quarter|period|half))(?![A-Za-z])(?:\s+(?i:of)\s+"
                               + year_group("y") + r")?")
RX_QUARTER_OR_HALF_CODE = re.compile(r"(?<![A-Za-z\d])(?P<q>[QH][1-4])(?:\s*[/-]\s*|\s+(?i:of\s+)?)"
                                     + year_group("y"))
RX_YEAR_EDGE = re.compile(r"(?<![A-Za-z])(?P<e>(?i:(?:the\s+)?(?:end|beginning|start|middle|close)\s+of|early"
                          r"|late|mid|middle))(?:\s*-\s*|\s+)(?:(?i:the\s+year)\s+)?" + YEAR_OR_RELATIVE_YEAR)
# A season: "next spring", "last summer", "this autumn" (counted on the northern year: a season is told at year
# precision, its months depend on the hemisphere), "the spring of 2027", "in autumn 2026", "in the fall of 2025".
# (Winter spans two years: only with its year, "the winter of 2026", which names the year it starts in.)
RX_SEASON = re.compile(r"(?<![A-Za-z])(?:(?P<rel>(?i:next|last|this|the\s+coming|the\s+past))\s+(?P<s>(?i:spring|summer|autumn|fall))"
                       r"|(?:(?:(?i:in|by|until|from|since|during)\s+)?(?i:the\s+)?(?P<s2>(?i:spring|summer|autumn|winter))"
                       r"|(?i:in|by|during)\s+(?i:the\s+)?(?P<s3>(?i:fall)))(?:\s+(?i:of))?\s+(?P<y>(?:19|20)\d{2}))"
                       r"(?![A-Za-z\d])")
RX_DECADE = re.compile(r"(?<![A-Za-z\d])(?:(?i:the)\s+)?(?:(?P<e>(?i:early|mid|late))[\s-]+)?"
                       r"(?:(?P<dec>(?:18|19|20|21)\d0)|['\u2019](?P<d2>\d0)|(?<=[Tt]he )(?P<d3>[3-9]0))['\u2019]?s"
                       r"(?![A-Za-z])")

register("month", 48, 48, RX_MONTH_DAY_YEAR, RX_DAY_MONTH_YEAR, RX_MONTH_DAYS, RX_DAYS_MONTH, RX_MONTH_YEAR,
         RX_MONTH_DAY, RX_DAY_MONTH, RX_MONTH_OF_RELATIVE_YEAR, RX_WEEK_OF, RX_WEEK_OF_DAY_MONTH, RX_NTH_WEEK_OF_MONTH,
         RX_MONTH_IN_CONTEXT, RX_MONTH_PART)
register("month", 48, 48, RX_MONTHS_QUARTER)
register("weekday", 16, 4, RX_WEEKDAY)
register("relative", 48, 12, RX_SAME_PERIOD_YEAR_BEFORE)
register("relative", 40, 12, RX_UNIT_OF_STORY)
register("relative", 24, 12, RX_RELATIVE_WORD, RX_AGO, RX_DAY_OF_STORY, RX_QUARTER_WITHOUT_YEAR)
register("relative", 48, 16, RX_MONTHS_OF_YEAR)
register("year_part", 48, 8, RX_HALF, RX_QUARTER, RX_YEAR_EDGE)
register("relative", 24, 16, RX_SEASON)
# a weekend, Saturday and Sunday: "this weekend", "last weekend", "at the weekend" (the tense says which)
RX_WEEKEND = re.compile(r"(?<![A-Za-z])(?:(?P<rel>(?i:this|next|last|the\s+coming|the\s+past))\s+(?i:weekend)"
                        r"|(?i:at|over|during)\s+(?P<the>(?i:the\s+weekend)))(?![A-Za-z])")
register("relative", 24, 16, RX_WEEKEND)
register("year", 48, 40, RX_QUARTER_OR_HALF_CODE)
register("decade", 0, 0, RX_DECADE)

_RX_THAN_AFTER = re.compile(r"\s+than\b")
_RX_DATE_AND_COMMA_BEFORE = re.compile(r"(?:\b\d{4}|\b(?:" + MONTH_FULL_ALT + r")(?:\s+\d{1,2})?|[a-z]{3,}),\s+$", re.IGNORECASE)
_RX_NOUN_PHRASE_AFTER = re.compile(r"\s+(?:the|a|an|his|her|their|its|(?-i:[A-Z])[\w.'’-]*)\s", re.IGNORECASE)
_RX_COMPARED_BEFORE = re.compile(r"(?i:\b(?:from|on|over|than|with|to|versus|vs\.?|against))\s+$")
_RX_SAID_AFTER_NAME = re.compile(r"\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:said|says|told|wrote)\b")
_RX_MONTH_BEFORE = re.compile(r"(?:" + MONTH_FULL_ALT + r")\W*\s*$|\d{4}\s*$|(?:the\s+)?(?:end|beginning|start"
                              r"|middle)\s+of\s+\w+\s*$", re.IGNORECASE)
_RX_CAPITAL_BEFORE = re.compile(r"(?<![A-Za-z])([A-Z][a-z]*)[ \t\u00a0]+$")
_WORDS_BEFORE_A_DATE = {"on", "in", "since", "by", "from", "until", "till", "before", "after", "through",
                        "during", "between", "and", "or", "to", "of", "as", "at", "updated", "published", "posted",
                        "dated", "last", "next", "this", "early", "late", "mid", "the", "a", "an"} | set(WEEKDAYS)

_RX_TO_WEEKDAY = re.compile(r"\s*(?:-|\u2013|\s(?i:to|through|until|till|and)\s)\s*(?:" + WEEKDAY_ALT + r")(?![A-Za-z])")
_RELATIVE_MONTH_MODE = {"last": "past_strict", "next": "future_strict", "this": "this"}
_WEEKDAY_MODE = {"last": "past_strict", "next": "future_strict", "this": "this", "coming": "future_strict",
                 "from": "future", "starting": "future", "beginning": "future", "until": "future",
                 "till": "future"}
_YEAR_OFFSET = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "following": 1, "same": 0, "that": 0,
                "earlier": -1, "before": -1, "ago": -1}
_QUARTER_NUMBER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}


def _name_before(text: str, s: int) -> bool:
    """True when a capitalised word that is not a preposition precedes position s ("Sa Dec 2")."""
    m = _RX_CAPITAL_BEFORE.search(text, max(0, s - 30), s)
    return bool(m) and m.group(1).lower() not in _WORDS_BEFORE_A_DATE


def edge_mod(words: str) -> str:
    """TimeML's mod for "early", "mid", "the end of"...: START, MID or END."""
    w = words.lower()
    if "mid" in w:
        return "MID"
    if "end" in w or "late" in w or "close" in w:
        return "END"
    return "START"


def find_english(text: str, out: list, scanner: AnchoredScanner) -> None:
    if scanner.anchors("month"):
        _month_forms(text, out, scanner)
    for m in scanner.scan(RX_WEEKDAY):
        pre = (m["pre"] or "").lower()
        s = m.start() if pre in ("last", "next", "this", "coming") else m.start("wd")
        mode = _WEEKDAY_MODE.get(pre, "tense")
        if pre == "from" and text.startswith(("'s", "\u2019s"), m.end()):
            mode = "tense"  # "fell from Monday's close": the day of a figure, not the start of a span
        elif pre == "from" and _RX_TO_WEEKDAY.match(text, m.end()):
            mode = "tense"  # "visited from Monday to Wednesday": a span whose days the tense places
        elif not pre and text.startswith(("'s", "\u2019s"), m.end()):
            mode = "past"  # "Tuesday's agreement", "under Monday's deal": a day the story has told, never one to come
        add_relative(out, s, m.end(), kinds.WEEKDAY, weekday=WEEKDAYS.index(m["wd"].lower()), mode=mode)
    for m in scanner.scan(RX_RELATIVE_WORD):
        add_relative_word(out, m.start(), m.end(), " ".join(m["k"].lower().split()))
    for m in scanner.scan(RX_SAME_PERIOD_YEAR_BEFORE):
        k = next((g for g in ("k", "k2", "k3") if m[g]), None)  # only the words of the date make its span
        start = m.start(k) if k else m.start()
        add_relative(out, start, m.end(), kinds.RELATIVE_UNIT, 1, unit="same_period_year_before", offset=-1,
                     comparison=bool(k or _RX_COMPARED_BEFORE.search(text, max(0, start - 24), start)))
    for m in scanner.scan(RX_UNIT_OF_STORY):
        unit = (m["u1"] or m["u2"] or m["u3"] or m["u4"]).lower()
        add_relative(out, m.start(), m.end(), kinds.RELATIVE_UNIT, 1, unit="story_day" if unit == "day" else unit,
                     offset=0)
    for m in scanner.scan(RX_DAY_OF_STORY):
        add_relative(out, m.start("k"), m.end("k"), kinds.RELATIVE_UNIT, unit="story_day", offset=0)
    for m in scanner.scan(RX_AGO):
        n = number_word(m["n"])
        if not n:
            continue
        direction = m["dir"].lower()
        if direction in ("later", "earlier") and _RX_THAN_AFTER.match(text, m.end()):
            continue  # "arrives on May 3, two days later than planned": a delay, not another date
        # "in June 2016, a month after King Mohammed VI's state visit": told after the date it counts from, the
        # phrase dates the happening it names, a month before that date ("in 1958, two years before Nigeria's
        # independence": two years after it)
        apposed = (direction in ("before", "after") and _RX_DATE_AND_COMMA_BEFORE.search(text, max(0, m.start() - 40),
                                                                                         m.start()) is not None
                   and _RX_NOUN_PHRASE_AFTER.match(text, m.end()) is not None)
        if direction == "after" and not apposed:
            continue
        unit = m["u"].lower().rstrip("s")
        if unit == "fortnight":  # "a fortnight ago": two weeks
            n, unit = 2 * n, "week"
        if apposed:
            add_relative(out, m.start(), m.end(), kinds.AGO, 1, n=n if direction == "after" else -n, unit=unit,
                         anaphoric=True)
            continue
        add_relative(out, m.start(), m.end(), kinds.AGO, 1, n=n if direction != "later" else -n, unit=unit,
                     anaphoric=direction != "ago")
    for m in scanner.scan(RX_HALF):
        first_half = m["o"].lower() in ("first", "1st", "former")
        _year_part(out, m, (1, 6) if first_half else (7, 12))
    for m in scanner.scan(RX_QUARTER):
        q = _QUARTER_NUMBER.get(m["o"].lower(), 4)
        _year_part(out, m, (3 * q - 2, 3 * q))
    for m in scanner.scan(RX_MONTHS_OF_YEAR):
        n = _MONTH_COUNT.get(m["n"].lower()) or int(m["n"])
        _year_part(out, m, (1, n) if m["o"].lower() == "first" else (13 - n, 12))
    for m in scanner.scan(RX_QUARTER_WITHOUT_YEAR):
        q = _QUARTER_NUMBER.get(m["o"].lower(), 4)
        if m["o"].lower() in ("last", "final") and not m["the"]:
            continue
        add_relative(out, m.start(), m.end(), kinds.QUARTER, 0, quarter=q,
                     latest=m["o"].lower() == "last" and (m["the"] or "").lower() == "the")
    for m in scanner.scan(RX_MONTHS_QUARTER):
        last = month_number(m["m2"])
        if m["unit"].lower() == "quarter":
            if last % 3 or (m["m1"] and month_number(m["m1"]) != last - 2):
                continue  # not the months of a quarter
            first = last - 2
        else:  # "the April-September period", "the January-June half": the months named
            first = month_number(m["m1"]) if m["m1"] else 0
            if not 0 < first < last:
                continue
        if m["y"]:
            add_absolute(out, m.start(), m.end(), months_span(int(m["y"]), first, last), "month", is_range=True,
                         priority=2)
        elif m["unit"].lower() == "quarter":
            add_relative(out, m.start(), m.end(), kinds.QUARTER, 0, quarter=last // 3, latest=False)
        else:
            add_relative(out, m.start(), m.end(), kinds.YEAR_PART, 2, mod=None, months=(first, last), offset=0,
                         anaphoric=False)
    for m in scanner.scan(RX_QUARTER_OR_HALF_CODE):
        letter, n = m["q"][0], int(m["q"][1])
        if letter == "H" and n > 2:
            continue
        _year_part(out, m, (3 * n - 2, 3 * n) if letter == "Q" else ((1, 6) if n == 1 else (7, 12)))
    for m in scanner.scan(RX_YEAR_EDGE):
        _year_part(out, m, (1, 12), mod=edge_mod(m["e"]))
    for m in scanner.scan(RX_SEASON):
        if m["y"]:
            y = int(m["y"])
            if year_ok(y):
                start = m.start("s2") if m["s2"] else m.start("s3")  # the season's words make the span
                add_absolute(out, start, m.end(), year_span(y), "year", confidence=0.85, priority=2)
        else:
            rel = " ".join(m["rel"].lower().split())
            add_relative(out, m.start(), m.end(), kinds.RELATIVE_UNIT, 2, unit="season",
                         offset={"next": 1, "the coming": 1, "last": -1, "the past": -1}.get(rel, 0),
                         months=_SEASON_MONTHS[m["s"].lower()])
    for m in scanner.scan(RX_WEEKEND):
        rel = " ".join((m["rel"] or "").lower().split())
        mode = {"next": "future_strict", "the coming": "future", "last": "past_strict", "the past": "past",
                "this": "this"}.get(rel, "tense")
        start = m.start("the") if m["the"] else m.start()
        add_relative(out, start, m.end(), kinds.WEEKDAY, 1, weekday=5, mode=mode, days=2)
    for m in scanner.scan(RX_DECADE):
        if m["dec"]:
            base = int(m["dec"])
        elif m["d3"]:  # "the 70s": a decade of the last century (a bare "70s" is an age or a temperature)
            base = 1900 + int(m["d3"])
        else:
            d2 = int(m["d2"])
            base = (1900 + d2) if d2 >= 20 else (2000 + d2)
        lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get((m["e"] or "").lower(), (0, 9))
        if year_ok(base + lo) and year_ok(base + hi):
            add_absolute(out, m.start(), m.end(), (dt.date(base + lo, 1, 1), dt.date(base + hi, 12, 31)), "year",
                         is_range=True, confidence=0.8, priority=1)


def _month_forms(text: str, out: list, scanner: AnchoredScanner) -> None:
    for rx in (RX_MONTH_DAY_YEAR, RX_DAY_MONTH_YEAR):
        for m in scanner.scan(rx):
            add_absolute(out, m.start(), m.end(), day_span(int(m["y"]), month_number(m["m"]), int(m["d"])), "day",
                         priority=3)
    for rx in (RX_MONTH_DAYS, RX_DAYS_MONTH):
        for m in scanner.scan(rx):
            mo, d1, d2 = month_number(m["m"]), int(m["d1"]), int(m["d2"])
            if d2 <= d1:
                continue
            if m["y"]:
                a, b = day_span(int(m["y"]), mo, d1), day_span(int(m["y"]), mo, d2)
                if a and b:
                    add_absolute(out, m.start(), m.end(), (a[0], b[0]), "day", is_range=True, priority=3)
            else:
                add_relative(out, m.start(), m.end(), kinds.MONTH_DAY, 2, month=mo, day=d1, day2=d2, mode="tense")
    for m in scanner.scan(RX_MONTH_YEAR):
        add_absolute(out, m.start(), m.end(), month_span(int(m["y"]), month_number(m["m"])), "month", priority=2)
    for rx in (RX_MONTH_DAY, RX_DAY_MONTH):
        for m in scanner.scan(rx):
            if not _name_before(text, m.start()):
                add_relative(out, m.start(), m.end(), kinds.MONTH_DAY, 1, month=month_number(m["m"]),
                             day=int(m["d"]), mode="tense")
    # "the week of June 9", "the week of 9 June": the week that holds the day
    for m in itertools.chain(scanner.scan(RX_WEEK_OF), scanner.scan(RX_WEEK_OF_DAY_MONTH)):
        mo, d = month_number(m["m"]), int(m["d"])
        if m["y"]:
            day = day_span(int(m["y"]), mo, d)
            add_absolute(out, m.start(), m.end(), day and week_span(day[0]), "week", priority=3)
        else:
            add_relative(out, m.start(), m.end(), kinds.MONTH_DAY, 2, month=mo, day=d, mode="tense", week=True)
    for m in scanner.scan(RX_NTH_WEEK_OF_MONTH):  # the week holding the 4th, 11th, 18th or 25th, or the 4th-last day
        mo = month_number(m["m"])
        n = _NTH_WEEK.get(m["n"].lower())
        y = int(m["y"]) if m["y"] else None
        if n is not None:
            d = 7 * n - 3
        else:
            d = (calendar.monthrange(y, mo)[1] if y else (28 if mo == 2 else calendar.monthrange(2001, mo)[1])) - 3
        if y:
            day = day_span(y, mo, d)
            add_absolute(out, m.start(), m.end(), day and week_span(day[0]), "week", priority=3)
        else:
            add_relative(out, m.start(), m.end(), kinds.MONTH_DAY, 3, month=mo, day=d, mode="tense", week=True)
    for m in scanner.scan(RX_MONTH_OF_RELATIVE_YEAR):
        words = m["rel"].lower().split()
        anaphoric = words == ["that"] or (words[0] in ("the", "a") and words[-1] in ("previous", "following", "same",
                                                                                      "earlier", "before"))
        add_relative(out, m.start(), m.end(), kinds.MONTH_OF_RELATIVE_YEAR, 3, month=month_number(m["m"]),
                     day=int(m["d"]) if m["d"] else None, offset=_YEAR_OFFSET[words[-1]], anaphoric=anaphoric)
    for m in scanner.scan(RX_MONTH_IN_CONTEXT):
        pre = m["pre"].lower()
        if m["m"].lower() in MONTHS_THAT_ARE_NAMES and _RX_SAID_AFTER_NAME.match(text, m.end()):
            continue
        if pre in ("and", "or") and not _RX_MONTH_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue
        if pre in _RELATIVE_MONTH_MODE:
            mode, s = _RELATIVE_MONTH_MODE[pre], m.start()
        else:
            mode, s = "tense", m.start("m")
        add_relative(out, s, m.end(), kinds.MONTH_DAY, 0, month=month_number(m["m"]), day=None, mode=mode)
    for m in scanner.scan(RX_MONTH_PART):
        mo = month_number(m["m"])
        mod = edge_mod(m["e"])
        if m["y"]:
            add_absolute(out, m.start(), m.end(), month_span(int(m["y"]), mo), "month", priority=2, mod=mod)
        else:
            add_relative(out, m.start(), m.end(), kinds.MONTH_DAY, 1, mod=mod, month=mo, day=None, mode="tense")


def _year_part(out: list, m: re.Match, months: tuple[int, int], mod: str | None = None) -> None:
    whole_year = months == (1, 12)
    if m["y"]:
        y = int(m["y"])
        span = year_span(y) if whole_year else months_span(y, *months)
        if span is not None:
            add_absolute(out, m.start(), m.end(), span, "year" if whole_year else "month", is_range=not whole_year,
                         priority=2, mod=mod)
        return
    ry = " ".join(m["ry"].lower().split())
    offset = {"last": -1, "the previous": -1, "next": 1, "the following": 1}.get(ry, 0)
    add_relative(out, m.start(), m.end(), kinds.YEAR_PART, 2, mod=mod, months=months, offset=offset,
                 anaphoric=ry in ("the previous", "the following"), the_year=ry == "the")


_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}

_RELATIVE_WORDS = {
    "yesterday": ("day", -1), "today": ("day", 0), "tomorrow": ("day", 1), "tonight": ("day", 0),
    "last year": ("year", -1), "this year": ("year", 0), "next year": ("year", 1), "the past year": ("year", -1),
    "the current year": ("year", 0), "current year": ("year", 0), "earlier this year": ("year", 0),
    "later this year": ("year", 0), "the coming year": ("year", 1),
    "last month": ("month", -1), "this month": ("month", 0), "next month": ("month", 1),
    "the current month": ("month", 0), "current month": ("month", 0), "earlier this month": ("month", 0),
    "later this month": ("month", 0), "the past month": ("month", -1), "the coming month": ("month", 1),
    "last week": ("week", -1), "this week": ("week", 0), "next week": ("week", 1), "the past week": ("week", -1),
    "earlier this week": ("week", 0), "later this week": ("week", 0), "the current week": ("week", 0),
    "the coming week": ("week", 1),
    "the previous day": ("mentioned_day", -1), "the next day": ("mentioned_day", 1),
    "the following day": ("mentioned_day", 1), "the same day": ("mentioned_day", 0),
    "the day before": ("mentioned_day", -1), "the day after": ("mentioned_day", 1), "that day": ("mentioned_day", 0),
    **{f"{words} {part}": ("mentioned_day", offset) for part in ("morning", "afternoon", "evening", "night")
       for words, offset in (("the same", 0), ("that", 0), ("the previous", -1), ("the next", 1),
                             ("the following", 1))},
    **{f"the {part}": ("part_of_day", 0) for part in ("morning", "afternoon", "evening")},
    "later that day": ("mentioned_day", 0),
    **{f"{unit} {way}": ("mentioned_day", 0) for unit in ("hours", "minutes", "moments") for way in ("later", "earlier")},
    "the previous year": ("mentioned_year", -1), "the following year": ("mentioned_year", 1),
    "the next year": ("mentioned_year", 1), "the same year": ("mentioned_year", 0), "that year": ("mentioned_year", 0),
    "the year before": ("mentioned_year", -1), "the year previous": ("mentioned_year", -1),
    "the year after": ("mentioned_year", 1), "the entire year": ("mentioned_year", 0),
    "the whole year": ("mentioned_year", 0), "the full year": ("mentioned_year", 0),
    "the previous month": ("mentioned_month", -1), "the following month": ("mentioned_month", 1),
    "the next month": ("mentioned_month", 1), "the same month": ("mentioned_month", 0),
    "that month": ("mentioned_month", 0),
    "the previous week": ("mentioned_week", -1), "the following week": ("mentioned_week", 1),
    "the next week": ("mentioned_week", 1), "the same week": ("mentioned_week", 0), "that week": ("mentioned_week", 0),
}


def add_relative_word(out: list, start: int, end: int, words: str) -> None:
    """A relative expression of the table above ("last year", "the previous day"); other words are ignored."""
    found = _RELATIVE_WORDS.get(words)
    if found is not None:
        unit, offset = found
        add_relative(out, start, end, kinds.RELATIVE_UNIT, unit=unit, offset=offset)
