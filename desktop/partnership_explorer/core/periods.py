"""Calendar periods: what a date is known to (a day, an ISO week, a month, a year) and how it is written.

A :class:`Period` is the days ``first``..``last`` (inclusive) at a ``precision``. :meth:`Period.of` gives the
calendar unit of a precision that holds a day, :meth:`Period.from_parts` checks a year, month and day one by
one (``13 is not a month``), and :func:`parse` reads the ISO-partial forms users type and files hold
(``2025``, ``2025-04``, ``2025-04-14``, ``2025-W15``). :meth:`Period.label` writes a unit back in the ISO-partial
form (the events table's ``date`` column), short (``14 Apr 2025``, ``Apr 2025``) or long (``April 2025``);
:meth:`Period.span_label` writes a whole span (``4–7 Dec 2018``). :func:`date_label` is the ``date`` and
``precision`` an event is stored with (a range is labelled by the unit that holds both its ends).

Precisions, finest first: :data:`PRECISIONS` (day < week < month < year; :func:`rank` and :func:`finest`
compare them; periods sort by first day, then last day, then precision). Events in the database have
:data:`STORED_PRECISIONS`, all four: an event known to its week ("next week", "the week of 14 April") is stored
as that ISO week (``date`` 2025-W16, Monday to Sunday), not as a range of seven days. Dates typed on the command
line and in filters are :data:`TYPED_PRECISIONS` (year, month, day); a publication date is never a week.

Pure standard library (no Qt). Month names are English, whatever the process locale.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

__all__ = ["LABEL_STYLES", "MONTH_ABBREVIATIONS", "MONTH_NAMES", "PRECISIONS", "STORED_PRECISIONS",
           "TYPED_PRECISIONS", "Period",
           "PeriodError", "date_forms", "date_label", "finest", "iso_label", "parse", "rank", "typed_precision"]

PRECISIONS = ("day", "week", "month", "year")
STORED_PRECISIONS = PRECISIONS
TYPED_PRECISIONS = ("day", "month", "year")
LABEL_STYLES = ("iso", "short", "long")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)

_RANK = {p: i for i, p in enumerate(PRECISIONS)}
_FORMS = {"year": "YYYY", "month": "YYYY-MM", "week": "YYYY-Www", "day": "YYYY-MM-DD"}
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_SIX_DAYS = dt.timedelta(days=6)


class PeriodError(ValueError):
    """A date that is not a calendar period, in one line. ``field`` names the part at fault ("year", "month",
    "week" or "day") and ``detail`` says why ("13 is not a month"); both are None when the text is not in one
    of the forms :func:`parse` reads."""

    def __init__(self, message: str, field: str | None = None, detail: str | None = None):
        super().__init__(message)
        self.field = field
        self.detail = detail


def rank(precision: str) -> int:
    """Position of ``precision`` in :data:`PRECISIONS` (0 = day, the finest)."""
    try:
        return _RANK[precision]
    except (KeyError, TypeError):
        raise PeriodError(f"{precision!r} is not a precision (one of {', '.join(PRECISIONS)})") from None


def finest(*precisions: str) -> str:
    """The finest of the given precisions: ``finest("month", "day") == "day"``."""
    return min(precisions, key=rank)


def date_forms(precisions: Iterable[str] = TYPED_PRECISIONS) -> str:
    """The written forms of ``precisions`` for messages, coarsest first: 'YYYY, YYYY-MM or YYYY-MM-DD'."""
    wanted = set(precisions)
    forms = [_FORMS[p] for p in reversed(PRECISIONS) if p in wanted]
    return forms[0] if len(forms) == 1 else f"{', '.join(forms[:-1])} or {forms[-1]}"


def _field_error(field: str, detail: str) -> PeriodError:
    return PeriodError(f"{field}: {detail}", field, detail)


def _month_days(year: int, month: int) -> int:
    return 29 if month == 2 and calendar.isleap(year) else _DAYS_IN_MONTH[month - 1]


def _same_unit(a: dt.date, b: dt.date, precision: str) -> bool:
    """True when the two days are in the same unit of ``precision``."""
    if precision == "day":
        return a == b
    if precision == "month":
        return a.year == b.year and a.month == b.month
    if precision == "year":
        return a.year == b.year
    return a.isocalendar()[:2] == b.isocalendar()[:2]


def _bounds(day: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """First and last day of the unit of ``precision`` that holds ``day``: :meth:`Period.of` without making the
    period."""
    if precision == "day":
        return day, day
    if precision == "month":
        return day.replace(day=1), day.replace(day=_month_days(day.year, day.month))
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    rank(precision)  # an unknown precision: the error names the known ones
    year, week, _ = day.isocalendar()
    unit = Period.iso_week(year, week)
    return unit.first, unit.last


def iso_label(day: dt.date, precision: str) -> str:
    """The ISO-partial label of the unit of ``precision`` that holds ``day`` ('2025-04'): what
    ``Period.of(day, precision).label()`` gives, without making the period."""
    if precision == "day":
        return day.isoformat()
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if precision == "year":
        return f"{day.year:04d}"
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


@functools.total_ordering
@dataclass(frozen=True)
class Period:
    """The days ``first``..``last`` (inclusive) at ``precision``. One calendar unit (see :attr:`is_unit`) or a
    span of them; ordered by first day, then last day, then precision (finest first)."""

    first: dt.date
    last: dt.date
    precision: str = "day"

    def __post_init__(self) -> None:
        if self.precision not in _RANK:
            rank(self.precision)
        if self.last < self.first:
            raise PeriodError(f"a period cannot end ({self.last.isoformat()}) before it starts "
                              f"({self.first.isoformat()})")

    # -- constructors ----------------------------------------------------------------------------------------
    @classmethod
    def of(cls, day: dt.date, precision: str = "day") -> Period:
        """The unit of ``precision`` that holds ``day``: that day, its ISO week (Monday to Sunday), its month or
        its year."""
        first, last = _bounds(day, precision)
        return cls(first, last, precision)

    @classmethod
    def from_parts(cls, year: int, month: int | None = None, day: int | None = None) -> Period:
        """The year, the month or the day given by its parts, each checked: 'month: 13 is not a month',
        'day: 30 is not a day of February 2022', 'day: a day needs a month', 'year: 0 is out of range (1–9999)'."""
        if not dt.MINYEAR <= year <= dt.MAXYEAR:
            raise _field_error("year", f"{year} is out of range ({dt.MINYEAR}–{dt.MAXYEAR})")
        if month is not None and not 1 <= month <= 12:
            raise _field_error("month", f"{month} is not a month")
        if day is not None:
            if month is None:
                raise _field_error("day", "a day needs a month")
            if not 1 <= day <= _month_days(year, month):
                raise _field_error("day", f"{day} is not a day of {MONTH_NAMES[month - 1]} {year}")
            d = dt.date(year, month, day)
            return cls(d, d, "day")
        if month is not None:
            return cls(dt.date(year, month, 1), dt.date(year, month, _month_days(year, month)), "month")
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")

    @classmethod
    def iso_week(cls, year: int, week: int) -> Period:
        """ISO week ``week`` of ``year`` (ISO year: week 1 holds the year's first Thursday), Monday to Sunday."""
        if not dt.MINYEAR <= year <= dt.MAXYEAR:
            raise _field_error("year", f"{year} is out of range ({dt.MINYEAR}–{dt.MAXYEAR})")
        weeks = dt.date(year, 12, 28).isocalendar()[1]
        if not 1 <= week <= weeks:
            raise _field_error("week", f"{week} is not a week of {year} (1–{weeks})")
        monday = dt.date.fromisocalendar(year, week, 1)
        if dt.date.max - monday < _SIX_DAYS:
            raise _field_error("week", f"{week} of {year} ends after {dt.date.max.isoformat()}")
        return cls(monday, monday + _SIX_DAYS, "week")

    # -- relations -------------------------------------------------------------------------------------------
    def _key(self) -> tuple[dt.date, dt.date, int]:
        return self.first, self.last, _RANK[self.precision]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    def __contains__(self, item: object) -> bool:
        """A day, or a whole period, inside this one."""
        if isinstance(item, Period):
            return self.first <= item.first and item.last <= self.last
        if isinstance(item, dt.date):
            return self.first <= item <= self.last
        return False

    def overlaps(self, other: Period) -> bool:
        """True when the two periods share at least one day."""
        return self.first <= other.last and other.first <= self.last

    @property
    def is_unit(self) -> bool:
        """True when the period is exactly one calendar unit of its precision (one day, week, month or year)."""
        return _bounds(self.first, self.precision) == (self.first, self.last)

    # -- labels ----------------------------------------------------------------------------------------------
    def label(self, style: str = "iso") -> str:
        """The unit of :attr:`precision` that holds :attr:`first`, written in ``style``: "iso" (2025-04-14,
        2025-W16, 2025-04, 2025), "short" (14 Apr 2025, week of 14 Apr 2025, Apr 2025, 2025) or "long" (14 April
        2025, week of 14 April 2025, April 2025, 2025). A week is named by its Monday."""
        d, precision = self.first, self.precision
        if style == "iso":
            return iso_label(d, precision)
        if style not in LABEL_STYLES:
            raise ValueError(f"{style!r} is not a label style (one of {', '.join(LABEL_STYLES)})")
        months = MONTH_NAMES if style == "long" else MONTH_ABBREVIATIONS
        if precision == "year":
            return str(d.year)
        if precision == "month":
            return f"{months[d.month - 1]} {d.year}"
        if precision == "week":
            monday = d - dt.timedelta(days=d.weekday())
            return f"week of {monday.day} {months[monday.month - 1]} {monday.year}"
        return f"{d.day} {months[d.month - 1]} {d.year}"

    def span_label(self) -> str:
        """The whole span, short: one unit as :meth:`label` ('12 Aug 2025', 'Aug 2025', '2025'), days of one
        month as '4–7 Dec 2018', anything longer as its first and last units ('Aug 2025 – Oct 2025')."""
        a, b = Period.of(self.first, self.precision), Period.of(self.last, self.precision)
        if a == b:
            return a.label("short")
        first, last = self.first, self.last
        if self.precision == "day" and (first.year, first.month) == (last.year, last.month):
            return f"{first.day}–{last.day} {MONTH_ABBREVIATIONS[first.month - 1]} {first.year}"
        return f"{a.label('short')} – {b.label('short')}"


def date_label(first: dt.date, last: dt.date, precision: str, is_range: bool = False) -> tuple[str, str]:
    """The ``date`` label and ``precision`` an event is stored with: ('2025', 'year'), ('2025-08', 'month'),
    ('2025-W33', 'week') or ('2025-08-12', 'day'). A range is labelled by the finest stored unit, no finer than
    its precision, that holds both ends ('the end of 2024' → 2024, '4–7 December 2018' → 2018-12, 'August to
    October 2025' → 2025); a range of days is never labelled by its week (only a range of weeks is); start and
    end keep the span."""
    if is_range:
        finest_allowed = rank(precision)
        for p in STORED_PRECISIONS:
            if p == "week" and precision != "week":
                continue
            if _RANK[p] >= finest_allowed and _same_unit(first, last, p):
                precision = p
                break
        else:
            precision = STORED_PRECISIONS[-1]
    return iso_label(first, precision), precision


def typed_precision(text: str) -> str:
    """The precision a date typed by a user implies, by its '-'-separated parts: 'YYYY' a year, 'YYYY-MM' a
    month, 'YYYY-MM-DD' a day, 'YYYY-Www' an ISO week. A date still being typed ('2025-0', '2025-W') already has
    the precision it is heading for; a spelled-out date ('Dec 2022') is one part."""
    parts = text.strip().split("-")
    if len(parts) == 2 and parts[1][:1] in ("W", "w"):
        return "week"
    return {1: "year", 2: "month"}.get(len(parts), "day")


_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)"
_STRICT = re.compile(r"(\d{4})(?:-(?:[Ww](\d{1,2})|(\d{1,2})(?:-(\d{1,2}))?))?")
_LENIENT = re.compile(r"(\d{1,4})(?:[-/](?:[Ww](\d{1,2})|(\d{1,2})(?:[-/](\d{1,2})" + _TIME + r"?)?))?")


def parse(text: str, *, precisions: Collection[str] = PRECISIONS, lenient: bool = False) -> Period:
    """The period an ISO-partial date names: 'YYYY' a year, 'YYYY-MM' a month, 'YYYY-MM-DD' a day, 'YYYY-Www'
    an ISO week (months, days and weeks may have one digit; spaces around are ignored). Only forms of
    ``precisions`` are read. ``lenient`` also reads what other programs write: years of one to four digits,
    '/' between the parts and a time of day after a full date (ignored).

    Raises :class:`PeriodError`: "'soon' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)" (``field`` None) for
    text in none of these forms, "'2025-13': 13 is not a month" (``field`` "month") for a form with a part out
    of range."""
    m = (_LENIENT if lenient else _STRICT).fullmatch(text.strip())
    if m:
        year, week, month, day = m.groups()
        precision = "week" if week else "day" if day else "month" if month else "year"
        if precision in precisions:
            try:
                if week:
                    return Period.iso_week(int(year), int(week))
                return Period.from_parts(int(year), int(month) if month else None, int(day) if day else None)
            except PeriodError as exc:
                raise PeriodError(f"'{text}': {exc.detail}", exc.field, exc.detail) from None
    raise PeriodError(f"'{text}' is not a date (use {date_forms(precisions)})")
