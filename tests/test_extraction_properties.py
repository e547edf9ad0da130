"""Any text in: no exception, every date in a sane range, every offset inside its document."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership_explorer.core.extract import extract_candidates

PIECES = ["In 1992, ", "diplomatic relations were established", " signed an MoU on nuclear energy", " in 2011.",
          " On Tuesday, ", "Cho Tae-yul", " visited Hanoi", " $92 billion", " 40%", " 33 years", " Sa Dec",
          " the previous day", " by 2030", " year 99999", " 2025년 8월 12일", " ngày 29 tháng 10 năm 2025", "\n",
          " trade reached $86.7 billion in 2024.", " summit in June 2023", " May last year", "; while ", ", and the ",
          "“", "”", " Mr. June Lee", " from 2017 to 2025", " December 4-7, 2018", " 32/13/2025", "—", " Tô Lâm"]

texts = st.text(max_size=400) | st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
refs = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, refs, st.sampled_from(["day", "month", "year"]), st.sampled_from(["en", "vi", "ko"]))
def test_any_text_gives_sane_candidates(text, ref, precision, language):
    for c in extract_candidates(text, published=ref, published_precision=precision if ref else None,
                                language=language):
        assert 0 <= c.sentence.start <= c.sentence.end <= len(text)
        assert text[c.sentence.start:c.sentence.end] == c.sentence.text
        assert 0 <= c.date.start < c.date.end <= len(text) and text[c.date.start:c.date.end] == c.date.text
        assert dt.date(1800, 1, 1) <= c.date.first <= c.date.last <= dt.date(2200, 12, 31)
        assert c.title.strip() and 0 < c.confidence <= 1
        assert c.sectors
