"""Other languages: month names from dateparser's locale data, each candidate checked by dateparser's
``DateDataParser`` restricted to that language (``dateparser.search`` is never used: it turns money,
percentages and words such as "we" into dates)."""

from __future__ import annotations

import datetime as dt
import functools
import re

from .candidates import add_absolute, day_span, month_span
from .vocabulary import MONTH_NAMES


@functools.lru_cache(maxsize=32)
def _month_patterns(language: str):
    from dateparser.languages.loader import default_loader
    try:
        info = default_loader.get_locale(language).info
    except ValueError:  # dateparser knows no such language
        return None
    names = {}
    for i, month in enumerate(MONTH_NAMES):
        for alt in info.get(month, []) or []:
            a = str(alt).strip().lower()
            if len(a) >= 3 and not re.search(r"\d", a):
                names[a] = i + 1
    if not names:
        return None
    alt = "|".join(re.escape(n) + (r"\.?" if len(n) <= 4 else "") for n in sorted(names, key=len, reverse=True))
    mon = rf"(?<!\w)(?P<m>{alt})(?!\w)"
    d = r"(?<![\w.,])(?P<d>3[01]|[12]\d|0?[1-9])(?:\.|º|er|e)?"
    y = r"(?P<y>\d{4})(?!\d)"
    fill = r"(?:\s+(?:de|del|di|du|d'|von|van|of|le|la))?\s+"
    day_month_year = re.compile(d + fill + mon + r",?" + fill + y, re.IGNORECASE)
    month_day_year = re.compile(mon + r"\s+(?P<d>3[01]|[12]\d|0?[1-9])(?!\d),?\s+" + y, re.IGNORECASE)
    month_year = re.compile(mon + fill + y, re.IGNORECASE)
    return names, ((day_month_year, "day"), (month_day_year, "day"), (month_year, "month"))


@functools.lru_cache(maxsize=8)
def _date_data_parser(language: str):
    from dateparser.date import DateDataParser
    return DateDataParser(languages=[language], settings={"PREFER_DAY_OF_MONTH": "first",
                                                          "RELATIVE_BASE": dt.datetime(2000, 1, 1)})


@functools.lru_cache(maxsize=4096)
def _dateparser_reading(language: str, s: str):
    """The day dateparser reads in a candidate string, or None."""
    try:
        data = _date_data_parser(language).get_date_data(s)
    except (ValueError, OverflowError):  # dateparser's way of saying "not a date"
        return None
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date()


def find_other_language(text: str, out: list, language: str) -> None:
    patterns = _month_patterns(language)
    if patterns is None:
        return
    names, forms = patterns
    for rx, precision in forms:
        for m in rx.finditer(text):
            mo = names.get(m["m"].rstrip(".").lower())
            if not mo:
                continue
            y = int(m["y"])
            span = day_span(y, mo, int(m["d"])) if precision == "day" else month_span(y, mo)
            read = _dateparser_reading(language, m.group(0))
            if read is not None and span is not None and (read.year, read.month) != (y, mo):
                continue  # dateparser must agree on the calendar fields it could read
            add_absolute(out, m.start(), m.end(), span, precision, priority=3 if precision == "day" else 2,
                         confidence=0.9 if read else 0.8)
