"""The year of a story whose dateline gives a month and day only ("JAKARTA, Feb 3 (Wire) – ..."), read from
what the text says about its own present:

* a count of years since a dated start: "the 75th anniversary of relations established in 1949" is 2024,
  "marks 30 years since ... in 1995" is 2025; so is "... in July 2005. Twenty years on, the pact is toasted";
* a year named as running: "so far in 2025", "2025 so far", "this year, 2025";
* otherwise the latest year the story speaks of in the past: a whole year reported ("trade reached $22 billion
  in 2023") is over, so the story is of the year after; a day, month or span of that year that ends before the
  dateline's day ("on January 9, 2024" with a dateline of Feb 3, "in the first eight months of 2025" with one of
  Oct 16) dates the story to that year; a span that runs past it is no bound (it is as often a plan). Years in
  a clause about the future ("by 2027", "will open in 2026") say nothing of when the story was written.

None when the text names no year to go by.
"""

from __future__ import annotations

import datetime as dt
import re

from . import find_dates
from .tense import TenseReader
from .vocabulary import month_number

_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                  "eighth": 8, "ninth": 9, "tenth": 10, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
                  "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
                  "hundredth": 100}
_CARDINAL_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                   "ten": 10, "fifteen": 15, "twenty": 20, "twenty-five": 25, "thirty": 30, "forty": 40, "fifty": 50,
                   "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100}
# a count of years, in years or in the spans news counts them by: "twenty years", "a decade", "two decades",
# "half a century", "a quarter of a century"
_DECADES = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_CENTURIES = {"a century": 100, "half a century": 50, "a quarter of a century": 25, "a quarter-century": 25}
_SPAN_OF_YEARS = (r"(?:(?P<n>\d{1,3})|(?P<w>" + "|".join(sorted(_CARDINAL_WORDS, key=len, reverse=True)) + r"))\s+years"
                  r"|(?P<dec>" + "|".join(_DECADES) + r")\s+decades?"
                  r"|(?P<cent>" + "|".join(sorted(_CENTURIES, key=len, reverse=True)).replace(" ", r"\s+") + r")")
RX_YEARS_ON = re.compile(r"(?i)(?:" + _SPAN_OF_YEARS + r")\s+(?:on|later)\b")
_AFTER_DATELINE = re.compile(r"[^\n]{0,80}?\s(?:-{1,2}|\u2013|\u2014)\s+(?=\S)")
RX_YEARS_AFTER = re.compile(r"(?i)(?:" + _SPAN_OF_YEARS + r")\s+after\b")


def _years_counted(m: re.Match) -> int:
    """The years of a match of ``_SPAN_OF_YEARS``: "twenty years" 20, "a decade" 10, "half a century" 50."""
    if m["n"]:
        return int(m["n"])
    if m["w"]:
        return _CARDINAL_WORDS[m["w"].lower()]
    if m["dec"]:
        return 10 * _DECADES[m["dec"].lower()]
    return _CENTURIES[re.sub(r"\s+", " ", m["cent"].lower())]
RX_PRESENT = re.compile(r"(?i)\b(?:is|are|has|have|remains?|now|today)\b")
# "The deal comes seven years after the two companies began working together in 2019": a count of years from the
# year of the rest of its clause, to the present the verb speaks of
RX_COMES_YEARS_AFTER = re.compile(r"(?i)\b(?:comes?|marks?|is|arrives?)\s+(?:almost\s+|nearly\s+|exactly\s+|just\s+)?(?:"
                                  + _SPAN_OF_YEARS + r")\s+(?:after|since)\b")
# what a story reports of a year that is over: "Orvane's 2025 annual report", "fourth-quarter 2025 results", "its
# full-year 2025 earnings"
_YEAR_REPORTED = re.compile(r"(?i)(?<![\d.,$])(?P<y>20\d{2})\s+(?:annual|full[- ]year|yearly)\s+(?:report|results|accounts|"
                            r"earnings|figures)\b|\b(?:fourth[- ]quarter|full[- ]year|annual|Q4)\s+(?P<y2>20\d{2})\s+"
                            r"(?:results|earnings|figures|report)\b")
# the year of a recurring event a story looks to ("the 2026 edition of Semicon Korea next month")
_EDITION = re.compile(r"(?i)\bthe\s+(?P<y>20\d{2})\s+edition\s+of\b")
# a page's copyright line ("© 2026 Orvane Systems"): the year of the page when nothing else tells it
_COPYRIGHT = re.compile(r"(?:©|\(c\)|(?i:copyright))\s*(?P<y>20\d{2})(?!\d)")
_YEAR = r"(?<![\d.,$])(?P<y>(?:18|19|20)\d{2})(?![\d%])"
RX_ANNIVERSARY = re.compile(r"(?i)\b(?:(?P<n>\d{1,3})(?:st|nd|rd|th)|(?P<w>" + "|".join(_ORDINAL_WORDS)
                            + r"))\s+anniversary\b|\b(?P<n2>\d{1,3})\s+years\s+(?:since|of)\b")
RX_RUNNING_YEAR = re.compile(r"(?i)\bso\s+far\s+(?:in|this\s+year,?)\s+" + _YEAR + r"|" + _YEAR.replace("?P<y>", "?P<y2>")
                             + r"\s+so\s+far\b|\bthis\s+year,\s+" + _YEAR.replace("?P<y>", "?P<y3>"))
_RX_YEARS_SINCE_WORDS = re.compile(r"years\s+(?:since|of)\b")  # in lower case: what RX_ANNIVERSARY's second form needs
_RX_BEFORE_FUTURE = re.compile(r"(?i)\b(?:by|until|till|through|to|from|starting|beginning|between)\s+"
                               r"(?:(?:early|mid|late|the\s+end\s+of)\s+)?$")
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]|$)")
RX_YEARLESS_DATELINE = re.compile(  # "JAKARTA, Feb 3 (Pacific Dispatch) – " at the start of a paragraph
    r"^[A-Z\u00c0-\u1ef8][A-Z\u00c0-\u1ef8.'\u2019 -]{1,40},[ \t]*(?P<m>[A-Z][a-z]{2,8})\.?[ \t]+(?P<d>\d{1,2})"
    r"(?=[ \t]*(?:\([^()\n]{1,40}\)[ \t]*)?(?:-{1,2}|\u2013|\u2014)\s)", re.MULTILINE)
DATELINE_WINDOW = 1500


def yearless_dateline(text: str) -> dt.date | None:
    """The date of a dateline that names a month and day only, its year read by :func:`story_year`; None when
    the text opens with no such dateline or says nothing of its year."""
    m = RX_YEARLESS_DATELINE.search(text, 0, DATELINE_WINDOW)
    if m is None or not month_number(m["m"]):
        return None
    month, day = month_number(m["m"]), int(m["d"])
    year = story_year(text, month, day)
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_CLAUSE_BREAK = re.compile(r"[;:]\s+|,\s+(?:and|but|while|whereas|(?:even\s+)?as|when)\s+")


def _clause_around(sentence: str, pos: int) -> str:
    """The part of ``sentence`` between the clause breaks around ``pos``."""
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, pos)), default=0)
    end = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, pos)), len(sentence))
    return sentence[start:end]


def story_year(text: str, month: int, day: int) -> int | None:
    """The year of a story dated ``month``/``day`` in its dateline (see the module's rules), or None."""
    for m in RX_RUNNING_YEAR.finditer(text):
        return int(m["y"] or m["y2"] or m["y3"])
    # most texts count no years and skip the sentences (the words first, a cheap look that the pattern needs)
    low = text.lower()
    counts_years = "anniversary" in low or _RX_YEARS_SINCE_WORDS.search(low) is not None
    for sentence in _SENTENCE.finditer(text) if counts_years else ():
        for a in RX_ANNIVERSARY.finditer(sentence.group()):
            # the count goes with a year of its own clause: "Today is the 117th anniversary of that arrival, and
            # ...: this November it will be 130 years since ... 1895" counts 130 from 1895, not 117
            clause = _clause_around(sentence.group(), a.start())
            n = int(a["n"] or a["n2"]) if (a["n"] or a["n2"]) else _ORDINAL_WORDS[a["w"].lower()]
            years = [d.first.year for d in find_dates(clause) if not d.relative and not d.is_range]
            if n and years:
                return min(years) + n

    # "Twenty years after Greece and India signed a shipping agreement in March 2006, ..., the two governments are
    # trying ...": a count of years from the year of its own "after" clause, to the present of the sentence
    if RX_YEARS_AFTER.search(low):
        for sentence in _SENTENCE.finditer(text):
            told = sentence.group().lstrip()
            lead = _AFTER_DATELINE.match(told)  # "LIMA, May 20 - Twenty years after ..."
            a = RX_YEARS_AFTER.match(told) or (RX_YEARS_AFTER.match(told, lead.end()) if lead else None)
            if a is None or not RX_PRESENT.search(told, a.end()):
                continue
            head = told[a.end():].split(",", 1)[0]
            years = [d.last.year for d in find_dates(head) if not d.relative and not d.is_range]
            if len(set(years)) == 1:
                return years[0] + _years_counted(a)
    if RX_COMES_YEARS_AFTER.search(text):
        for sentence in _SENTENCE.finditer(text):
            a = RX_COMES_YEARS_AFTER.search(sentence.group())
            if a is None:
                continue
            years = [d.last.year for d in find_dates(_clause_around(sentence.group(), a.end()))
                     if not d.relative and not d.is_range]
            if len(set(years)) == 1:
                return years[0] + _years_counted(a)
    # "... signed the P4 in July 2005. Twenty years on, the pact is being toasted": a count of years from the year
    # of the sentence before, to a present its own sentence speaks of
    if RX_YEARS_ON.search(low):
        previous = None
        for sentence in _SENTENCE.finditer(text):
            a = RX_YEARS_ON.match(sentence.group().lstrip())
            if a is not None and previous is not None and RX_PRESENT.search(sentence.group()):
                if not [d for d in find_dates(sentence.group()) if not d.relative]:
                    return previous + _years_counted(a)
            years = [d.last.year for d in find_dates(sentence.group()) if not d.relative and not d.is_range]
            previous = max(years) if years else None

    # each year spoken of in the past is a lower bound of the story's year: the greatest bound whose clause is not
    # about the future (the tense is read for the greatest bounds first, and only until one is in the past)
    bounds: list[tuple[int, object]] = []
    for d in find_dates(text):
        if d.relative or d.first.year != d.last.year:
            continue  # a range within one year ("the first eight months of 2025") bounds it as its last day does
        y = d.first.year
        if d.precision == "year":
            if d.mod in ("START", "MID"):
                continue  # "early 2024" may be the story's own year
            guess = y + 1  # a whole year spoken of in the past is over
        else:
            try:
                ended = d.last < dt.date(y, month, day)
            except ValueError:
                continue
            if d.is_range and not ended:
                continue  # a span running past the dateline's day is as often a plan ("in the second half of 2027")
            guess = y if ended else y + 1
        bounds.append((guess, d))
    # a year a report or results are of is over (whatever the tense of the clause that names them), and an edition
    # of a recurring event looked to is of the story's year
    reported = [int(m["y"] or m["y2"]) + 1 for m in _YEAR_REPORTED.finditer(text)]
    reported += [int(m["y"]) for m in _EDITION.finditer(text)]
    tense = TenseReader(text)
    for guess, d in sorted(bounds, key=lambda b: -b[0]):
        if tense.tense(d.start, d.end) == "future" or _RX_BEFORE_FUTURE.search(text, max(0, d.start - 30), d.start):
            continue
        return max([guess, *reported])
    if reported:
        return max(reported)
    copyright_years = [int(m["y"]) for m in _COPYRIGHT.finditer(text)]
    return max(copyright_years) if copyright_years else None
