"""A dateline that gives a month and day only ("LIMA, Mar 4 (Wire) – ") takes its year from what the story says
of its own present; with nothing to go by the story stays undated rather than guessed."""

import datetime as dt

import pytest

from partnership_explorer.core.dates.story_year import story_year, yearless_dateline
from partnership_explorer.core.reader import read_document


@pytest.mark.parametrize("text, month, day, year", [
    # a count of years since a dated start
    ("Chile and India celebrate the 20th anniversary of a trade pact signed in 2006.", 5, 2, 2026),
    ("The fair marks 40 years since the first joint venture opened in 1985.", 9, 1, 2025),
    # each count goes with the year of its own clause
    ("Today is the 40th anniversary of that launch, and it falls in a busy year: this May it will be 60 years "
     "since the two ports were twinned in 1965.", 3, 2, 2025),
    # a count of years on from the year of the sentence before, to the present of its own sentence; a count told
    # with a year of its own is history, and a year it names is a bound as any other
    ("The two ports were twinned in May 2004. Twenty years on, the link is busier than ever. Two years later, in "
     "2006, a ferry line opened.", 10, 3, 2024),
    ("The two ports were twinned in May 2004. Two years later, in March 2006, a ferry line opened.", 10, 3, 2006),
    # a year named as running
    ("Sales in the region have doubled so far in 2023, the company said. Prices fell in 2021.", 8, 14, 2023),
    # a whole year reported in the past is over
    ("Two-way trade reached $9 billion in 2021, up from $7 billion in 2019.", 3, 10, 2022),
    # a day of a year that is later than the dateline's day
    ("The port was closed on October 2, 2020, after a storm.", 4, 6, 2021),
    # a day of a year before the dateline's day: that year will do
    ("The port reopened on January 20, 2021, after repairs.", 4, 6, 2021),
    # a span of a year that ends before the dateline's day dates the story to that year, not to the one before
    ("The mill was sold in May 2023. Output rose 6% in the first nine months of 2024, its owner said.", 11, 20, 2024),
    ("Exports in the first half of 2022 beat every forecast; the plant dates from 2019.", 8, 2, 2022),
    # a span running past the dateline's day may be a plan: it bounds nothing
    ("Talks resumed in January 2026. The cable is to be laid in the second half of 2027.", 3, 4, 2026),
    # years of the future tell nothing of the present
    ("Trade reached $3 billion in 2018. The line will open in 2027 and should be full by 2030.", 6, 1, 2019),
])
def test_story_year(text, month, day, year):
    assert story_year(text, month, day) == year


def test_a_quantity_is_no_year_to_count_from():
    assert story_year("The exporter marks 10 years of shipments, 2000 tonnes a month.", 3, 1) is None


def test_no_year_to_go_by():
    assert story_year("The two firms agreed to work together on Monday.", 2, 3) is None
    assert story_year("A plant will open in 2029.", 2, 3) is None


def test_yearless_dateline_is_dated_from_the_story():
    text = ("LIMA, Mar 4 (Andes Wire) – Peru and Korea opened talks on a port on Tuesday.\n\n"
            "Bilateral trade reached $4 billion in 2022, officials said.\n")
    assert yearless_dateline(text) == dt.date(2023, 3, 4)
    assert yearless_dateline("Peru and Korea opened talks on Tuesday. Trade reached $4 billion in 2022.") is None


def test_reader_dates_a_yearless_dateline(tmp_path):
    path = tmp_path / "port.txt"
    path.write_text("Peru and Korea open port talks\n\nLIMA, Mar 4 (Andes Wire) – Peru and Korea opened talks on a "
                    "port on Tuesday.\n\nBilateral trade reached $4 billion in 2022, officials said.\n",
                    encoding="utf-8")
    doc = read_document(path)
    assert (doc.published, doc.published_precision, doc.published_source) == ("2023-03-04", "day", "dateline")


def test_twenty_years_after_a_dated_pact_told_in_the_present_is_the_story_year():
    text = ("LIMA, May 20 - Twenty years after Peru and Kenya signed an air services agreement in Nairobi in "
            "October 2006, a deal few remember, the two governments are trying to fill the route.\n\n"
            "On Tuesday, the ministers met in Lima.")
    assert yearless_dateline(text) == dt.date(2026, 5, 20)
    # a past count of years dates nothing: "Twenty years after ..., the two signed" is no present
    assert story_year("Twenty years after they met in 1990, the two leaders signed a pact.", 5, 20) != 2010


@pytest.mark.parametrize("span, year", [("A decade", 2025), ("Two decades", 2035), ("Half a century", 2065),
                                        ("A quarter of a century", 2040)])
def test_a_count_of_decades_or_a_century_after_a_dated_pact_is_the_story_year(span, year):
    text = (f"QUITO, March 4 - {span} after Ecuador and Ghana signed a cocoa research accord in Accra in May 2015, "
            "the two governments are planning a joint institute.")
    assert story_year(text, 3, 4) == year


def test_an_anniversary_counts_from_a_year_of_its_own_clause_only():
    # the year before ", even as" belongs to another clause: the 70th anniversary is not counted from it
    text = ("LUSAKA, June 2 - A decade after Zambia and Chile signed a copper agreement in June 2016, trade has "
            "grown fourfold, even as the two countries approach the 70th anniversary of their diplomatic ties.")
    assert story_year(text, 6, 2) == 2026


@pytest.mark.parametrize("body, year", [
    ("The deal comes seven years after the two companies began working together in 2019.", 2026),
    ("According to Orvane's 2025 annual report, published in March, sales to Kestrel doubled.", 2026),
    ("It follows Kestrel's record fourth-quarter 2025 results in February.", 2026),
    ("The firms will show the first chips at the 2026 edition of Semicon Korea next month.", 2026),
])
def test_a_press_release_without_a_year_is_dated_by_what_it_says_of_its_present(body, year):
    text = f"SEOUL, June 9 — Orvane Systems said on Monday it had signed a licence with Kestrel Foundry. {body}"
    assert story_year(text, 6, 9) == year


def test_a_copyright_line_dates_a_page_that_says_nothing_else_of_its_year():
    text = "SEOUL, June 9 — Orvane Systems said on Monday it had signed a licence.\n\n© 2026 Orvane Systems."
    assert story_year(text, 6, 9) == 2026
    assert story_year("SEOUL, June 9 — Orvane Systems said on Monday it had signed a licence.", 6, 9) is None
