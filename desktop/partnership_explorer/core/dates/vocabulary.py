"""Words and pattern pieces shared by the language patterns: month and weekday names, white space, the
guards around numbers, and the words that make a number a quantity rather than a year."""

from __future__ import annotations

import re

from ..periods import MONTH_NAMES as _ENGLISH_MONTH_NAMES

MIN_YEAR, MAX_YEAR = 1800, 2200

MONTH_NAMES = [name.lower() for name in _ENGLISH_MONTH_NAMES]
MONTH_NUMBER = {n: i + 1 for i, n in enumerate(MONTH_NAMES)}
MONTH_NUMBER.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                     "oct": 10, "nov": 11, "dec": 12})
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

# Months that double as first names: never taken alone right before "X said".
MONTHS_THAT_ARE_NAMES = {"april", "may", "june", "august", "january"}

NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "several": None, "few": None,
                "couple": None}
TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
              "ninety": 90}
TENS_ALT = (r"(?:" + "|".join(TENS_WORDS) + r")(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)"
            r"(?![A-Za-z]))?")


def number_word(words: str) -> int | None:
    """The number written as ``words`` ("three", "an", "twenty-five", "12"), None for "several" or non-numbers."""
    w = words.lower()
    if w.isdigit():
        return int(w)
    tens, _, unit = w.replace("-", " ").partition(" ")
    if tens in TENS_WORDS:
        return TENS_WORDS[tens] + ((NUMBER_WORDS.get(unit) or 0) if unit else 0)
    return NUMBER_WORDS.get(w)


def case_forms(words) -> str:
    """Alternation of the capitalised and upper-case forms of ``words``, longest first."""
    out = []
    for w in sorted(words, key=len, reverse=True):
        out += [w.capitalize(), w.upper()]
    return "|".join(out)


MONTH_FULL_ALT = case_forms(MONTH_NAMES)
MONTH_ABBR_ALT = case_forms(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec"])
WEEKDAY_ALT = case_forms(WEEKDAYS)

HSPACE = r"[ \t\u00a0]+"          # horizontal white space only
OPT_HSPACE = r"[ \t\u00a0]*"
DASH = r"[-\u2010-\u2015~]"


def month_group(name: str) -> str:
    """A capitalised or upper-case month name or abbreviation (which may carry a dot), as group ``name``."""
    return rf"(?<![A-Za-z])(?P<{name}>(?:{MONTH_FULL_ALT})|(?:{MONTH_ABBR_ALT})\.?)(?![A-Za-z])"


def full_month_group(name: str) -> str:
    return rf"(?<![A-Za-z])(?P<{name}>{MONTH_FULL_ALT})(?![A-Za-z])"


def day_group(name: str) -> str:
    return rf"(?P<{name}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![A-Za-z\d])"


def year_group(name: str) -> str:
    return rf"(?P<{name}>\d{{4}})(?!\d)(?![.,]\d)"


def month_number(name: str) -> int:
    """1..12 for a month name or abbreviation ('Sept.'), 0 for anything else."""
    return MONTH_NUMBER.get(name.rstrip(".").lower(), 0)


# Words after a number that make it a quantity rather than a year.
RX_QUANTITY_AFTER = re.compile(
    r"\s*(?:%|(?i:percent|per\s*cent|pct|percentage\s+points?|million|billion|trillion|thousand|hundred"
    r"|bn|mn|mln|tn|won|dong|vnd|usd|krw|dollars?|euros?|yen|yuan|people|persons?|workers|employees"
    r"|staff|students|units?|projects|companies|firms|enterprises|businesses|jobs|tons?|tonnes?|km|kilomet"
    r"|met(?:er|re)s|hectares|ha|cars|vehicles|engineers|members|participants|delegates|visitors|tourists"
    r"|households|families|cases|beds|houses|homes|items|products|pieces|shares|times|years|months|weeks"
    r"|days|hours|minutes|seconds|mw|gw|kw|kwh|mwh|gwh|sq|square|feet|ft|miles|kg|mt|teu|scholarships"
    r"|experts|officials|soldiers|troops|patients|doctors|nurses|teachers|children|residents|won\b|hp"
    r"|người|tỷ|triệu|nghìn|ngàn|đồng|USD|doanh\s+nghiệp|dự\s+án|명|원|개|건|억|만)(?![A-Za-z]))")
