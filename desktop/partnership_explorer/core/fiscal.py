"""Fiscal years written as two calendar years ("2023-24", "the 2023-24 fiscal year"), read as the year of the
story's country.

The date finder reads "2023-24" as the two calendar years and "the 2023-24 fiscal year" as April to March, as
nothing in the words says whose year it is. The story does: in a story of Pakistan and Qatar the figure "for
2023-24" is Pakistan's fiscal year, July 2023 to June 2024. The months are curated in
``resources/fiscal_years.toml``; when the two sides of a story keep different non-calendar years (Australia
and India), or neither does, the finder's reading stands.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable
from pathlib import Path

from .dates import DateMention

FISCAL_FILE = "fiscal_years.toml"

# "2023-24", "2023–24", "FY2023-24", "fiscal 2023/24", "2023-2024 fiscal year": one year straddling two
_STRADDLE = re.compile(r"(?i:(?:FY|fiscal(?:\s+year)?|financial\s+year)\s*)?(?P<y1>\d{4})\s*[-–/]\s*(?P<y2>\d{2}|\d{4})")
_FISCAL_WORD = re.compile(r"(?i)\b(?:fiscal|financial|budget|FY)\b|tài khóa|회계연도")


@functools.cache
def start_months(path: Path | None = None) -> dict[str, int]:
    """ISO code -> the month its fiscal year begins in, for the countries of ``resources/fiscal_years.toml``."""
    from .paths import read_resource_toml

    name, data = read_resource_toml(path, FISCAL_FILE, "fiscal years")
    table = data.get("start_month")
    if not isinstance(table, dict):
        raise ValueError(f"{name}: no [start_month] table")
    out = {}
    for code, month in table.items():
        if not re.fullmatch(r"[A-Z]{2}", code) or not isinstance(month, int) or not 1 <= month <= 12:
            raise ValueError(f"{name}: {code} = {month!r}: expected an ISO code and a month number 1-12")
        out[code] = month
    return out


def story_start_month(countries: Iterable[str], table: dict[str, int] | None = None) -> int | None:
    """The month the story's fiscal years begin in: that of its sides that keep a non-calendar year, when they
    agree; None when none does or two disagree."""
    table = start_months() if table is None else table
    months = {table[c] for c in countries if c in table}
    return months.pop() if len(months) == 1 else None


def as_fiscal_year(d: DateMention, text: str, month: int) -> DateMention:
    """``d`` as the fiscal year beginning in ``month`` when it is one year written across two ("2023-24" or a
    fiscal year "2023-2024"); else ``d`` unchanged."""
    if not d.is_range or d.precision not in ("year", "month"):
        return d
    m = _STRADDLE.search(d.text)
    if m is None:
        return d
    y1 = int(m["y1"])
    y2 = int(m["y2"]) if len(m["y2"]) == 4 else (y1 // 100) * 100 + int(m["y2"])
    if y2 != y1 + 1 or d.first.year != y1:
        return d
    # two digits after the dash say a year across two ("2023-24"); four need a fiscal word ("fiscal 2023-2024")
    if len(m["y2"]) == 4 and not _FISCAL_WORD.search(text, max(0, d.start - 20), min(len(text), d.end + 20)):
        return d
    first = dt.date(y1, month, 1)
    last = dt.date(y1 + 1, month, 1) - dt.timedelta(days=1) if month > 1 else dt.date(y1, 12, 31)
    return dataclasses.replace(d, first=first, last=last, precision="month", parts=())
