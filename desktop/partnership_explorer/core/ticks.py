"""Date-axis ticks for the timeline, without Qt: which calendar units to mark, where, and what they read.

The x unit is the timeline's float days since 1970-01-01 (:func:`.timeline.to_days`). A tick *level* is a
``(unit, step, approximate length in days)`` triple: years in steps from 1000 down to 1, months in steps of
6, 3 and 1, days in steps of 5, 2 and 1. :func:`choose_levels` picks the finest level whose labels still have
room (the major ticks, labelled) and the finest one after it whose ticks are at least 7 pixels apart (the
minor ticks, unlabelled); :func:`tick_values` lists a level's ticks in a range, :func:`tick_label` says what a
major tick reads ("2025", "Feb", "12") and :func:`context_label` what the axis title says ("August 2025").
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from .periods import MONTH_ABBREVIATIONS, MONTH_NAMES
from .timeline import from_days, to_days

Level = tuple[str, int, float]  # (unit "year" | "month" | "day", step, approximate days per step)

YEAR_STEPS = (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1)
MONTH_STEPS = (6, 3, 1)
DAY_STEPS = (5, 2, 1)
MIN_LABEL_PX = {"year": 80, "month": 40, "day": 44}  # room a major tick's label needs
MIN_MINOR_PX = 7                                       # closest minor ticks


def levels() -> Iterator[Level]:
    """Every tick level, coarsest first."""
    for s in YEAR_STEPS:
        yield ("year", s, 365.25 * s)
    for s in MONTH_STEPS:
        yield ("month", s, 30.44 * s)
    for s in DAY_STEPS:
        yield ("day", s, float(s))


def choose_levels(x0: float, x1: float, size_px: float) -> tuple[Level, Level | None]:
    """(major level, minor level or None) for a date axis of ``size_px`` pixels showing days ``x0..x1``."""
    ppd = max(size_px, 1.0) / max(x1 - x0, 1e-9)
    all_levels = list(levels())
    major = all_levels[0]
    for lv in all_levels:
        if lv[2] * ppd >= MIN_LABEL_PX[lv[0]]:
            major = lv
        else:
            break
    minor = None
    i = all_levels.index(major)
    for lv in all_levels[i + 1:]:
        if lv[2] * ppd >= MIN_MINOR_PX:
            minor = lv
        else:
            break
    return major, minor


def tick_values(level: Level, x0: float, x1: float, limit: int = 2000) -> list[float]:
    """The ticks of ``level`` within ``[x0, x1]`` (at most ``limit``): first days of years, months or days."""
    unit, step, _ = level
    a, b = from_days(x0), from_days(x1)
    out: list[float] = []
    if unit == "year":
        y = (a.year // step) * step
        while y <= b.year and len(out) < limit:
            if 1 <= y <= 9999:
                v = to_days(dt.date(y, 1, 1))
                if x0 <= v <= x1:
                    out.append(v)
            y += step
    elif unit == "month":
        y, m = a.year, ((a.month - 1) // step) * step + 1
        while (y, m) <= (b.year, b.month) and len(out) < limit:
            v = to_days(dt.date(y, m, 1))
            if x0 <= v <= x1:
                out.append(v)
            m += step
            if m > 12:
                y, m = y + 1, m - 12
    else:
        d = a
        while d <= b and len(out) < limit:
            if (d.day - 1) % step == 0 and (step == 1 or d.day <= 31 - step + 1 or d.day == 1):
                v = to_days(d)
                if x0 <= v <= x1:
                    out.append(v)
            d += dt.timedelta(days=1)
    return out


def tick_label(unit: str, value: float) -> str:
    """What a major tick reads: the year; a month's name ("2025" for January); a day's number (the month's
    name on the first)."""
    d = from_days(value + 0.5)
    if unit == "year":
        return str(d.year)
    if unit == "month":
        return str(d.year) if d.month == 1 else MONTH_ABBREVIATIONS[d.month - 1]
    return MONTH_ABBREVIATIONS[d.month - 1] if d.day == 1 else str(d.day)


def concise_labels(unit: str, values: list[float]) -> list[str]:
    """Major tick labels for an axis without a title (the overview strip): what :func:`tick_label` says, except
    that the first tick, and the first of each new month (days) or year (months), also names it — days read
    "Apr 14, 15, 16, … May, 2, 3", months "Apr 2025, May, Jun, … 2026, Feb" — so no axis reads "14 15 … 21"."""
    out = []
    previous = None
    for v in values:
        d = from_days(v + 0.5)
        plain = tick_label(unit, v)
        if unit == "day":
            key = (d.year, d.month)
            named = plain if d.day == 1 else f"{MONTH_ABBREVIATIONS[d.month - 1]} {d.day}"
        elif unit == "month":
            key = d.year
            named = plain if d.month == 1 else f"{MONTH_ABBREVIATIONS[d.month - 1]} {d.year}"
        else:
            key, named = None, plain
        out.append(plain if key == previous else named)
        previous = key
    return out


def context_label(unit: str, x0: float, x1: float) -> str:
    """What the axis title says: the years or months the ticks belong to."""
    a, b = from_days(x0), from_days(max(x0, x1 - 1e-6))
    if unit == "day":
        if (a.year, a.month) == (b.year, b.month):
            return f"{MONTH_NAMES[a.month - 1]} {a.year}"
        if a.year == b.year:
            return f"{MONTH_ABBREVIATIONS[a.month - 1]} – {MONTH_ABBREVIATIONS[b.month - 1]} {a.year}"
        return f"{MONTH_ABBREVIATIONS[a.month - 1]} {a.year} – {MONTH_ABBREVIATIONS[b.month - 1]} {b.year}"
    if unit == "month":
        return str(a.year) if a.year == b.year else f"{a.year} – {b.year}"
    return f"{a.year} – {b.year}"
