"""core.figure: physical sizes and resolution of exported pictures (Qt-free)."""

import pytest

from partnership_explorer.core.figure import ExportSize, Length, SizeError, convert, parse_length


@pytest.mark.parametrize("text, inches", [
    ("17cm", 17 / 2.54), ("4in", 4.0), ("4 in", 4.0), ('4"', 4.0), ("120mm", 120 / 25.4), ("1600px", 1600 / 96),
    ("1600", 1600 / 96), ("2.5IN", 2.5), (".5in", 0.5), (960, 10.0),
])
def test_parse_length(text, inches):
    assert parse_length(text).inches == pytest.approx(inches)


@pytest.mark.parametrize("text", ["", "cm", "17 furlongs", "-3cm", "0", "1e3", "12 cm 4"])
def test_parse_length_rejects(text):
    with pytest.raises(SizeError):
        parse_length(text)


def test_resolution_keeps_the_layout_and_multiplies_the_pixels():
    at96 = ExportSize.of("17cm", "4in", 96)
    at300 = ExportSize.of("17cm", "4in", 300)
    assert at96.layout_px == at300.layout_px == (643, 384)
    assert at96.device_px == (643, 384)
    assert at300.device_px == (2008, 1200)
    assert ExportSize.of(900, 500, 288).device_px == (2700, 1500)
    assert ExportSize.of(900, 500).dpi == 96


def test_limits_are_one_line_errors():
    with pytest.raises(SizeError, match="dpi is out of range"):
        ExportSize.of(900, 500, 5)
    with pytest.raises(SizeError, match="out of range"):
        ExportSize.of("1mm", 500)
    with pytest.raises(SizeError, match="too large for a PNG"):
        ExportSize.of("100in", "10in", 600).check_raster()


def test_convert_and_str():
    assert convert(17, "cm", "mm") == pytest.approx(170)
    assert convert(96, "px", "in") == pytest.approx(1)
    assert str(Length(17.0, "cm")) == "17cm"


def test_provenance_caption_names_articles_filters_range_version_and_date():
    import datetime as dt

    from partnership_explorer.core.figure import provenance_caption, span_label
    from partnership_explorer.core.query import EventFilter
    from partnership_explorer.core.timeline import to_days

    day = lambda y, m=1, d=1: to_days(dt.date(y, m, d))  # noqa: E731
    text = provenance_caption(n_events=6, n_articles=2, flt=EventFilter(sectors=("trade",)),
                              span=(day(1992), day(2031)), version="1.2.3", made_on=dt.date(2026, 12, 1))
    assert text == ("6 events from 2 articles · sector Trade · 1992 – 2030 · made with Partnership Explorer 1.2.3 "
                    "on 2026-12-01")
    one = provenance_caption(n_events=1, n_articles=1, flt=EventFilter(), span=None, version="1", made_on=dt.date(2026, 1, 1))
    assert one.startswith("1 event from 1 article · made with")
    assert span_label(day(2025, 4), day(2025, 7)) == "Apr 2025 – Jun 2025"
    assert span_label(day(2025, 4, 14), day(2025, 4, 22)) == "2025-04-14 – 2025-04-21"
    assert span_label(day(2025, 4, 15), day(2025, 4, 16)) == "2025-04-15"


def test_count_articles_counts_the_documents_of_the_events_shown(seed_db):
    from partnership_explorer.core.figure import count_articles
    from partnership_explorer.core.query import EventFilter
    from partnership_explorer.core.store import Store

    with Store(seed_db, create=False, readonly=True) as store:
        assert count_articles(store, EventFilter()) == 5
        assert 1 <= count_articles(store, EventFilter(sectors=("trade",))) < 5


def test_automatic_title_says_a_date_filter_as_one_period():
    import datetime as dt

    from partnership_explorer.core.figure import automatic_title
    from partnership_explorer.core.query import EventFilter, date_range_words

    years = EventFilter(date_from=dt.date(2015, 1, 1), date_to=dt.date(2022, 12, 31))
    assert automatic_title(126, years) == "126 events — 2015 – 2022"
    assert automatic_title(3, years.replace(sectors=("trade",))) == "3 events — sector Trade, 2015 – 2022"
    assert date_range_words(dt.date(2015, 3, 1), dt.date(2016, 6, 30)) == "Mar 2015 – Jun 2016"
    assert date_range_words(dt.date(2015, 3, 4), dt.date(2016, 6, 30)) == "2015-03-04 – 2016-06-30"
    assert date_range_words(dt.date(2022, 1, 1), dt.date(2022, 12, 31)) == "2022"
    assert date_range_words(dt.date(2015, 1, 1), None) == "from 2015"
    assert date_range_words(None, dt.date(2022, 6, 30)) == "until Jun 2022"
    assert date_range_words(None, dt.date(2022, 6, 12)) == "until 2022-06-12"


def test_provenance_caption_says_the_filtered_period_once():
    import datetime as dt

    from partnership_explorer.core.figure import provenance_caption
    from partnership_explorer.core.query import EventFilter
    from partnership_explorer.core.timeline import to_days

    flt = EventFilter(date_from=dt.date(2015, 1, 1), date_to=dt.date(2022, 12, 31))
    text = provenance_caption(n_events=6, n_articles=2, flt=flt, span=(to_days(dt.date(2015, 1, 1)),
                              to_days(dt.date(2023, 1, 1))), version="1", made_on=dt.date(2026, 12, 1))
    assert text == "6 events from 2 articles · 2015 – 2022 · made with Partnership Explorer 1 on 2026-12-01"
