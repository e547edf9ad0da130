"""Calendar periods (core/periods.py): construction, labels, parsing, ordering, containment. Qt-free."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnership_explorer.core.periods import (PRECISIONS, STORED_PRECISIONS, TYPED_PRECISIONS, Period, PeriodError,
                                               date_forms, date_label, finest, iso_label, parse, rank,
                                               typed_precision)

D = dt.date

days = st.dates(min_value=D(1, 1, 1), max_value=D(9999, 11, 30))  # every unit of these ends before date.max
precisions = st.sampled_from(PRECISIONS)
units = st.builds(Period.of, days, precisions)


# -- precisions ---------------------------------------------------------------------------------------------------
def test_precisions_finest_first_and_all_stored_but_weeks_are_not_typed():
    assert PRECISIONS == ("day", "week", "month", "year")
    assert [rank(p) for p in PRECISIONS] == [0, 1, 2, 3]
    assert STORED_PRECISIONS == PRECISIONS
    assert TYPED_PRECISIONS == ("day", "month", "year")
    assert finest("year", "month") == "month" and finest("month", "day", "week") == "day"
    with pytest.raises(PeriodError, match="'hour' is not a precision"):
        rank("hour")


def test_date_forms_for_messages():
    assert date_forms() == "YYYY, YYYY-MM or YYYY-MM-DD"
    assert date_forms(PRECISIONS) == "YYYY, YYYY-MM, YYYY-Www or YYYY-MM-DD"
    assert date_forms(["year"]) == "YYYY"


# -- construction -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("day, precision, first, last", [
    (D(2025, 4, 14), "day", D(2025, 4, 14), D(2025, 4, 14)),
    (D(2025, 4, 16), "week", D(2025, 4, 14), D(2025, 4, 20)),   # Monday to Sunday
    (D(2024, 12, 31), "week", D(2024, 12, 30), D(2025, 1, 5)),  # ISO week 1 of 2025 starts in 2024
    (D(2024, 2, 10), "month", D(2024, 2, 1), D(2024, 2, 29)),   # leap year
    (D(2023, 2, 10), "month", D(2023, 2, 1), D(2023, 2, 28)),
    (D(1992, 12, 22), "year", D(1992, 1, 1), D(1992, 12, 31)),
])
def test_of_gives_the_unit_holding_a_day(day, precision, first, last):
    p = Period.of(day, precision)
    assert (p.first, p.last, p.precision) == (first, last, precision)
    assert day in p and p.is_unit


def test_a_period_is_checked():
    with pytest.raises(PeriodError, match="cannot end"):
        Period(D(2025, 2, 1), D(2025, 1, 31), "day")
    with pytest.raises(PeriodError, match="not a precision"):
        Period(D(2025, 1, 1), D(2025, 1, 1), "decade")
    with pytest.raises(PeriodError, match="week: 52 of 9999 ends after 9999-12-31"):
        Period.of(D(9999, 12, 31), "week")


@pytest.mark.parametrize("parts, field, message", [
    ((0,), "year", "year: 0 is out of range (1–9999)"),
    ((12000, 1), "year", "year: 12000 is out of range (1–9999)"),
    ((2022, 13), "month", "month: 13 is not a month"),
    ((2022, 0), "month", "month: 0 is not a month"),
    ((2022, 2, 30), "day", "day: 30 is not a day of February 2022"),
    ((2024, 2, 30), "day", "day: 30 is not a day of February 2024"),
    ((2022, None, 3), "day", "day: a day needs a month"),
])
def test_from_parts_says_which_part_is_wrong(parts, field, message):
    with pytest.raises(PeriodError) as exc:
        Period.from_parts(*parts)
    assert str(exc.value) == message and exc.value.field == field


def test_from_parts_and_iso_week():
    assert Period.from_parts(2024, 2, 29) == Period.of(D(2024, 2, 29))
    assert Period.from_parts(2024, 2) == Period(D(2024, 2, 1), D(2024, 2, 29), "month")
    assert Period.from_parts(2024) == Period(D(2024, 1, 1), D(2024, 12, 31), "year")
    assert Period.iso_week(2020, 53) == Period(D(2020, 12, 28), D(2021, 1, 3), "week")
    with pytest.raises(PeriodError, match="53 is not a week of 2021"):
        Period.iso_week(2021, 53)


# -- labels -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("period, iso, short, long", [
    (Period.of(D(2025, 4, 14)), "2025-04-14", "14 Apr 2025", "14 April 2025"),
    (Period.of(D(2025, 4, 16), "week"), "2025-W16", "week of 14 Apr 2025", "week of 14 April 2025"),
    (Period.of(D(2025, 4, 14), "month"), "2025-04", "Apr 2025", "April 2025"),
    (Period.of(D(2025, 4, 14), "year"), "2025", "2025", "2025"),
    (Period.of(D(987, 6, 5), "month"), "0987-06", "Jun 987", "June 987"),
    (Period.of(D(2025, 1, 1), "week"), "2025-W01", "week of 30 Dec 2024", "week of 30 December 2024"),  # ISO year
])
def test_labels(period, iso, short, long):
    assert (period.label(), period.label("short"), period.label("long")) == (iso, short, long)
    with pytest.raises(ValueError, match="not a label style"):
        period.label("fancy")


@pytest.mark.parametrize("first, last, precision, text", [
    (D(2025, 8, 12), D(2025, 8, 12), "day", "12 Aug 2025"),
    (D(2025, 8, 1), D(2025, 8, 31), "month", "Aug 2025"),
    (D(1992, 1, 1), D(1992, 12, 31), "year", "1992"),
    (D(2018, 12, 4), D(2018, 12, 7), "day", "4–7 Dec 2018"),
    (D(2018, 11, 28), D(2018, 12, 2), "day", "28 Nov 2018 – 2 Dec 2018"),
    (D(2025, 8, 1), D(2025, 10, 31), "month", "Aug 2025 – Oct 2025"),
    (D(2017, 1, 1), D(2025, 12, 31), "year", "2017 – 2025"),
    (D(2025, 4, 14), D(2025, 4, 20), "week", "week of 14 Apr 2025"),
    (D(2025, 4, 14), D(2025, 4, 27), "week", "week of 14 Apr 2025 – week of 21 Apr 2025"),
])
def test_span_label(first, last, precision, text):
    assert Period(first, last, precision).span_label() == text


@pytest.mark.parametrize("first, last, precision, is_range, stored", [
    (D(2025, 8, 12), D(2025, 8, 12), "day", False, ("2025-08-12", "day")),
    (D(2025, 8, 1), D(2025, 8, 31), "month", False, ("2025-08", "month")),
    (D(2025, 1, 1), D(2025, 12, 31), "year", False, ("2025", "year")),
    (D(2018, 12, 4), D(2018, 12, 7), "day", True, ("2018-12", "month")),    # '4–7 December 2018'
    (D(2024, 10, 1), D(2024, 12, 31), "month", True, ("2024", "year")),     # 'the end of 2024'
    (D(2025, 8, 1), D(2025, 10, 31), "month", True, ("2025", "year")),      # 'August to October 2025'
    (D(2017, 1, 1), D(2025, 12, 31), "year", True, ("2017", "year")),       # '2017–2025'
    (D(2018, 12, 30), D(2019, 1, 2), "day", True, ("2018", "year")),        # the same ISO week: still no week
    (D(2025, 4, 14), D(2025, 4, 20), "week", False, ("2025-W16", "week")),  # 'next week'
    (D(2025, 4, 14), D(2025, 4, 27), "week", True, ("2025-04", "month")),   # two weeks of one month
    (D(2025, 3, 31), D(2025, 4, 13), "week", True, ("2025", "year")),
])
def test_date_label_of_stored_events(first, last, precision, is_range, stored):
    assert date_label(first, last, precision, is_range) == stored


# -- parsing ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, period", [
    ("2025", Period(D(2025, 1, 1), D(2025, 12, 31), "year")),
    ("2025-04", Period(D(2025, 4, 1), D(2025, 4, 30), "month")),
    (" 2025-4 ", Period(D(2025, 4, 1), D(2025, 4, 30), "month")),
    ("2025-04-14", Period.of(D(2025, 4, 14))),
    ("2025-4-7", Period.of(D(2025, 4, 7))),
    ("2025-W16", Period(D(2025, 4, 14), D(2025, 4, 20), "week")),
    ("2025-w1", Period(D(2024, 12, 30), D(2025, 1, 5), "week")),
])
def test_parse(text, period):
    assert parse(text) == period


@pytest.mark.parametrize("text, field, message", [
    ("soon", None, "'soon' is not a date (use YYYY, YYYY-MM, YYYY-Www or YYYY-MM-DD)"),
    ("25", None, "'25' is not a date (use YYYY, YYYY-MM, YYYY-Www or YYYY-MM-DD)"),
    ("2025/04", None, "'2025/04' is not a date (use YYYY, YYYY-MM, YYYY-Www or YYYY-MM-DD)"),
    ("2025-04-14T10:00", None, "'2025-04-14T10:00' is not a date (use YYYY, YYYY-MM, YYYY-Www or YYYY-MM-DD)"),
    ("2025-13", "month", "'2025-13': 13 is not a month"),
    ("2023-02-29", "day", "'2023-02-29': 29 is not a day of February 2023"),
    ("2021-W53", "week", "'2021-W53': 53 is not a week of 2021 (1–52)"),
    ("0000", "year", "'0000': 0 is out of range (1–9999)"),
])
def test_parse_errors_say_why(text, field, message):
    with pytest.raises(PeriodError) as exc:
        parse(text)
    assert str(exc.value) == message and exc.value.field == field


def test_parse_reads_only_the_precisions_asked_for():
    with pytest.raises(PeriodError, match=r"^'2025-W16' is not a date \(use YYYY, YYYY-MM or YYYY-MM-DD\)$") as exc:
        parse("2025-W16", precisions=TYPED_PRECISIONS)
    assert exc.value.field is None
    with pytest.raises(PeriodError, match=r"\(use YYYY\)"):
        parse("2025-04", precisions=["year"])


def test_lenient_parse_reads_what_other_programs_write():
    assert parse("2022/5/17", lenient=True) == Period.of(D(2022, 5, 17))
    assert parse("2022-05-17T10:30:00+07:00", lenient=True) == Period.of(D(2022, 5, 17))
    assert parse("2022-05-17 10:30Z", lenient=True) == Period.of(D(2022, 5, 17))
    assert parse("987", lenient=True) == Period.of(D(987, 1, 1), "year")
    with pytest.raises(PeriodError, match="is not a date"):
        parse("10000", lenient=True)
    with pytest.raises(PeriodError, match="is not a date"):
        parse("2022-05T10:30", lenient=True)  # a time only after a whole day


def test_typed_precision():
    assert [typed_precision(t) for t in ("2022", " 2022-12 ", "2022-12-05", "2022-", "Dec 2022", "2025-W16",
                                         "2025-w")] == ["year", "month", "day", "month", "year", "week", "week"]


# -- relations ----------------------------------------------------------------------------------------------------
def test_containment_and_overlap():
    march = Period.from_parts(2025, 3)
    assert D(2025, 3, 31) in march and D(2025, 4, 1) not in march
    assert Period.of(D(2025, 3, 9)) in march and march in Period.from_parts(2025)
    assert Period.of(D(2025, 3, 31), "week") not in march      # that week runs into April
    assert Period.of(D(2025, 3, 31), "week").overlaps(march)
    assert not march.overlaps(Period.from_parts(2025, 4))
    assert "2025-03" not in march


def test_order_is_by_first_day_then_last_day_then_precision():
    jan1 = D(2025, 1, 1)
    assert sorted([Period.of(jan1, "year"), Period.of(jan1, "month"), Period.of(jan1, "day"),
                   Period.of(jan1, "week")]) == [
        Period.of(jan1, "week"), Period.of(jan1, "day"), Period.of(jan1, "month"), Period.of(jan1, "year")]
    assert Period.of(D(2024, 12, 31)) < Period.of(jan1, "year") < Period.of(D(2025, 1, 2))
    assert Period(jan1, jan1, "day") < Period(jan1, jan1, "week")  # the same days: the finer precision first
    with pytest.raises(TypeError):
        Period.of(jan1) < jan1  # noqa: B015 - the comparison itself must refuse


# -- properties ---------------------------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(units)
def test_every_label_parses_back_to_its_unit(p):
    assert parse(p.label()) == p
    assert parse(f"  {p.label()} ") == p


@settings(max_examples=150, deadline=None)
@given(units)
def test_lenient_parse_agrees_with_strict_on_labels(p):
    assert parse(p.label(), lenient=True) == p


@settings(max_examples=150, deadline=None)
@given(days, precisions)
def test_the_unit_of_a_day_holds_it_and_only_its_own_days(d, precision):
    p = Period.of(d, precision)
    assert d in p and p.is_unit and p.precision == precision and iso_label(d, precision) == p.label()
    assert all(Period.of(x, precision) == p for x in (p.first, p.last))
    if p.first > D(1, 1, 1):
        assert Period.of(p.first - dt.timedelta(days=1), precision) < p
    if p.last < D(9999, 11, 30):
        assert Period.of(p.last + dt.timedelta(days=1), precision) > p


@settings(max_examples=150, deadline=None)
@given(days)
def test_units_nest_day_in_week_and_month_and_month_in_year(d):
    day, week, month, year = (Period.of(d, p) for p in PRECISIONS)
    assert day in week and day in month and month in year and week.overlaps(month)
    assert day.label() >= month.label() >= year.label()  # ISO labels of one day's units sort coarse first


@settings(max_examples=150, deadline=None)
@given(st.lists(units, min_size=2, max_size=8), st.sampled_from(["day", "month", "year", "week"]))
def test_order_is_total_and_labels_of_one_precision_sort_the_same_way(ps, precision):
    ordered = sorted(ps)
    for a, b in zip(ordered, ordered[1:]):
        assert a <= b and not b < a
        assert (a == b) == (a._key() == b._key())
    same = sorted({Period.of(p.first, precision) for p in ps})
    assert [p.label() for p in same] == sorted(p.label() for p in same)


@settings(max_examples=150, deadline=None)
@given(units, units)
def test_overlap_is_symmetric_and_matches_shared_days(a, b):
    assert a.overlaps(b) == b.overlaps(a) == (max(a.first, b.first) <= min(a.last, b.last))
    if a in b:
        assert a.overlaps(b) and b.first <= a.first


@settings(max_examples=150, deadline=None)
@given(days, days, st.sampled_from(STORED_PRECISIONS), st.booleans())
def test_date_label_is_a_stored_unit_holding_the_start(d1, d2, precision, is_range):
    first, last = min(d1, d2), max(d1, d2)
    label, stored = date_label(first, last, precision, is_range)
    unit = parse(label, precisions=STORED_PRECISIONS)
    assert stored in STORED_PRECISIONS and unit.precision == stored and first in unit
    assert rank(stored) >= rank(precision)
    if is_range:
        assert last in unit or stored == "year"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=20))
def test_parse_of_any_text_gives_a_period_or_a_period_error(text):
    for lenient in (False, True):
        try:
            p = parse(text, lenient=lenient)
        except PeriodError as exc:
            assert str(exc).startswith(f"'{text}'")
        else:
            assert p.is_unit


@settings(max_examples=150, deadline=None)
@given(st.integers(-5, 10_005), st.one_of(st.none(), st.integers(-2, 14)), st.one_of(st.none(), st.integers(-2, 33)))
def test_from_parts_accepts_exactly_the_real_dates(year, month, day):
    try:
        D(year, 1 if month is None else month, 1 if day is None else day)
        real = day is None or month is not None
    except ValueError:
        real = False
    try:
        p = Period.from_parts(year, month, day)
    except PeriodError as exc:
        assert not real and exc.field in ("year", "month", "day")
    else:
        assert real and p.first == D(year, month or 1, day or 1)
        assert p.precision == ("day" if day is not None else "month" if month is not None else "year")
