"""Fiscal years written across two calendar years are read as the year of the story's country."""

import datetime as dt

import pytest

from partnership_explorer.core.extract import extract_candidates
from partnership_explorer.core.fiscal import start_months, story_start_month


def figures(text, published=dt.date(2025, 11, 20)):
    return [c for c in extract_candidates(text, published=published, published_precision="day", language="en")
            if c.kind == "statistic"]


def test_a_pakistani_two_year_figure_runs_july_to_june():
    text = ("Pakistan and Qatar signed a port deal in Karachi on Tuesday. Pakistan's ministry said trade between "
            "Pakistan and Qatar reached $2.9 billion in 2023-24, up from $2.1 billion a year earlier.")
    [fig] = [c for c in figures(text) if "2.9" in c.title or "2023" in c.date.text]
    assert (fig.date.first, fig.date.last) == (dt.date(2023, 7, 1), dt.date(2024, 6, 30))


def test_an_indian_fiscal_year_runs_april_to_march_and_a_calendar_pair_keeps_the_calendar():
    india = ("India and Peru held talks in Lima on Monday. India's exports to Peru were worth $1.4 billion in the "
             "2024-25 fiscal year, the Indian embassy said.")
    [fig] = figures(india)
    assert (fig.date.first, fig.date.last) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    vietnam = ("Vietnam and Chile held talks in Hanoi on Monday. Trade between Vietnam and Chile reached "
               "$1.9 billion in 2023-24, the Vietnamese ministry said.")
    [fig] = figures(vietnam)
    assert (fig.date.first, fig.date.last) == (dt.date(2023, 1, 1), dt.date(2024, 12, 31))


def test_sides_that_keep_different_years_leave_the_reading_as_it_was():
    table = start_months()
    assert story_start_month({"AU", "IN"}, table) is None
    assert story_start_month({"AU", "CN"}, table) == 7
    assert story_start_month({"VN", "CL"}, table) is None


def test_a_bad_fiscal_table_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "fiscal_years.toml"
    bad.write_text("[start_month]\nPK = 13\n", encoding="utf-8")
    with pytest.raises(ValueError, match="fiscal_years.toml: PK = 13"):
        start_months.__wrapped__(bad)
