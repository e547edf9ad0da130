import csv
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from partnership_explorer.core.dates import DateMention, find_dates

D = dt.date
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
REF = D(2025, 4, 14)  # a Monday


def one(text, **kw):
    kw.setdefault("reference", REF)
    ms = find_dates(text, **kw)
    assert len(ms) == 1, [(m.text, m.label()) for m in ms]
    return ms[0]


def labels(text, **kw):
    kw.setdefault("reference", REF)
    return [(m.text, m.label()) for m in find_dates(text, **kw)]


# ---------------------------------------------------------------------------
# explicit dates
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, span, first, last, precision", [
    ("Relations were established in 1992.", "1992", D(1992, 1, 1), D(1992, 12, 31), "year"),
    ("The plan starts in 2025 with new funds.", "2025", D(2025, 1, 1), D(2025, 12, 31), "year"),
    ("They upgraded ties in December 2022.", "December 2022", D(2022, 12, 1), D(2022, 12, 31), "month"),
    ("The roundtable on August 12, 2025 was a success.", "August 12, 2025", D(2025, 8, 12), D(2025, 8, 12), "day"),
    ("The roundtable on 12 August 2025 was a success.", "12 August 2025", D(2025, 8, 12), D(2025, 8, 12), "day"),
    ("Signed on Aug. 12, 2025 in Seoul.", "Aug. 12, 2025", D(2025, 8, 12), D(2025, 8, 12), "day"),
    ("Signed on the 12th of August, 2025.", "12th of August, 2025", D(2025, 8, 12), D(2025, 8, 12), "day"),
    ("Hanoi, 29/10/2025 - The forum opened.", "29/10/2025", D(2025, 10, 29), D(2025, 10, 29), "day"),
    ("Published 2025-10-29 by the agency.", "2025-10-29", D(2025, 10, 29), D(2025, 10, 29), "day"),
    ("The deal was signed on Tuesday, April 15, 2025.", "Tuesday, April 15, 2025", D(2025, 4, 15),
     D(2025, 4, 15), "day"),
    ("Trade rose in Q2 2024 sharply.", "Q2 2024", D(2024, 4, 1), D(2024, 6, 30), "month"),
])
def test_explicit_dates(text, span, first, last, precision):
    m = one(text)
    assert (m.text, m.first, m.last, m.precision) == (span, first, last, precision)
    assert m.relative is False
    assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("text, span, first, last, precision", [
    ("Trade grew from 2017 to 2025 steadily.", "from 2017 to 2025", D(2017, 1, 1), D(2025, 12, 31), "year"),
    ("In the 2017-2025 period, trade grew.", "2017-2025", D(2017, 1, 1), D(2025, 12, 31), "year"),
    ("Output doubled between 2010 and 2015.", "between 2010 and 2015", D(2010, 1, 1), D(2015, 12, 31), "year"),
    ("The COP24 was held December 4-7, 2018 in Poland.", "December 4-7, 2018", D(2018, 12, 4), D(2018, 12, 7),
     "day"),
    ("The COP24 was held 4\u20137 December 2018 in Poland.", "4\u20137 December 2018", D(2018, 12, 4),
     D(2018, 12, 7), "day"),
    ("Exports rose in the first half of 2025.", "the first half of 2025", D(2025, 1, 1), D(2025, 6, 30), "month"),
    ("Exports rose in the second quarter of 2024.", "the second quarter of 2024", D(2024, 4, 1),
     D(2024, 6, 30), "month"),
    ("Growth in the 1990s was fast.", "the 1990s", D(1990, 1, 1), D(1999, 12, 31), "year"),
    ("They met from December 2022 to March 2023 monthly.", "from December 2022 to March 2023",
     D(2022, 12, 1), D(2023, 3, 31), "month"),
])
def test_ranges(text, span, first, last, precision):
    m = one(text)
    assert (m.text, m.first, m.last, m.precision, m.is_range) == (span, first, last, precision, True)
    assert m.label() == f"{m.label().split('/')[0]}/{m.label().split('/')[1]}"


@pytest.mark.parametrize("text, span, year, mod", [
    ("Ties were upgraded at the end of 2022.", "the end of 2022", 2022, "END"),
    ("Ties were upgraded at end of 2022.", "end of 2022", 2022, "END"),
    ("Ties were upgraded in late 2022.", "late 2022", 2022, "END"),
    ("Work began in early 2023.", "early 2023", 2023, "START"),
    ("Work began in mid-2024.", "mid-2024", 2024, "MID"),
    ("The plant should open by the end of this year.", "the end of this year", 2025, "END"),
])
def test_parts_of_a_year_are_the_year_with_its_part(text, span, year, mod):
    """As TimeML writes them: the year, and which part of it the text names."""
    m = one(text)
    assert (m.text, m.first, m.last, m.precision, m.is_range, m.mod) == (
        span, D(year, 1, 1), D(year, 12, 31), "year", False, mod)


def test_targets_and_through():
    m = one("Trade should reach $150 billion by 2030.")
    assert (m.text, m.label(), m.precision) == ("2030", "2030", "year")
    m = one("Korea aims to double trade by the end of 2030.")
    assert m.first.year == m.last.year == 2030
    m = one("with $92 billion in total investments through 2024.")
    assert (m.text, m.label()) == ("2024", "2024")


def test_labels():
    assert one("in December 2022.").label() == "2022-12"
    assert one("on August 12, 2025.").label() == "2025-08-12"
    assert one("from 2017 to 2025.").label() == "2017/2025"
    assert one("December 4-7, 2018").label() == "2018-12-04/2018-12-07"
    assert one("in 1992.").label() == "1992"


# ---------------------------------------------------------------------------
# relative dates
# ---------------------------------------------------------------------------

def test_weekday_from_and_future_tense():
    m = one("held on the occasion of Foreign Minister Cho Tae-yul's three-day official visit to Hanoi from Tuesday.")
    assert m.first == D(2025, 4, 15) and m.precision == "day" and m.relative
    m = one("On Tuesday, Cho will meet his Vietnamese counterpart.")
    assert m.first == D(2025, 4, 15)


def test_weekday_past_tense():
    m = one("On Friday, the two ministers signed the accord.")
    assert m.first == D(2025, 4, 11)
    assert one("The minister arrived last Monday.").first == D(2025, 4, 7)
    assert one("The minister arrives next Monday.").first == D(2025, 4, 21)


def test_weekday_needs_day_reference():
    assert find_dates("On Tuesday, Cho will meet Son.", reference=D(2025, 1, 1), reference_precision="year") == []
    assert find_dates("On Tuesday, Cho will meet Son.", reference=None) == []


def test_month_without_year_by_tense():
    m = one("In February, Vietnam's Minister of Industry and Trade visited Korea.")
    assert (m.text, m.label(), m.precision, m.relative) == ("February", "2025-02", "month", True)
    assert one("He met his counterpart in Hanoi in March to discuss railways.").label() == "2025-03"
    assert one("Seoul and Hanoi later in February agreed to resume talks.").label() == "2025-02"
    assert one("The two leaders will meet in June.").label() == "2025-06"
    assert one("The two leaders met in June.").label() == "2024-06"
    assert one("The two sides will meet again in March.").label() == "2026-03"


def test_tense_of_the_nearest_clause_and_no_cue():
    ms = find_dates("The project, launched in mid-March, will end in late 2026.", reference=REF)
    assert [(m.text, m.label()) for m in ms] == [("mid-March", "2025-03"), ("late 2026", "2026")]
    # no tense cue: the occurrence nearest to the reference
    assert one("From July 1, the law takes effect.").label() == "2025-07-01"
    assert one("He said Tuesday that talks went well.").label() == "2025-04-08"
    assert one("The project was completed in early August.").label() == "2024-08"


def test_month_day_without_year():
    m = one("The roundtable held on August 12 established a strategic plan.", reference=D(2025, 8, 20))
    assert (m.text, m.first, m.precision, m.relative) == ("August 12", D(2025, 8, 12), "day", True)
    m = one("On October 29th, in Hanoi, the Ministry held a forum.", reference=D(2025, 10, 29))
    assert (m.text, m.first, m.precision) == ("October 29th", D(2025, 10, 29), "day")
    m = one("Signed on Aug. 12 in Seoul.", reference=D(2025, 8, 20))
    assert m.first == D(2025, 8, 12)


def test_month_with_relative_year():
    m = one("the first talks took place in May last year in Seoul.")
    assert (m.text, m.label(), m.precision) == ("May last year", "2024-05", "month")
    assert one("It opens in March next year.").label() == "2026-03"
    assert one("It opened in January this year.").label() == "2025-01"


@pytest.mark.parametrize("text, label, precision", [
    ("a maritime dialogue last year", "2024", "year"),
    ("exports this year are strong", "2025", "year"),
    ("a summit next year", "2026", "year"),
    ("in the first half of the current year", "2025-01/2025-06", "month"),
    ("an agreement signed last month", "2025-03", "month"),
    ("the minister said yesterday", "2025-04-13", "day"),
    ("the minister said today", "2025-04-14", "day"),
    ("compared to five years ago", "2020", "year"),
])
def test_relative_words(text, label, precision):
    m = one(text)
    assert (m.label(), m.precision, m.relative) == (label, precision, True)


def test_previous_day_uses_last_day_date():
    ms = find_dates("The forum opened on 12 August 2025. The previous day, delegates arrived.", reference=REF)
    assert [(m.text, m.label()) for m in ms] == [("12 August 2025", "2025-08-12"), ("The previous day", "2025-08-11")]
    ms = find_dates("Talks ended on May 3, 2024 and resumed the next day.", reference=None)
    assert ms[-1].label() == "2024-05-04"


def test_relative_dropped_without_reference():
    assert find_dates("a maritime dialogue last year and talks on Tuesday yesterday", reference=None) == []


def test_month_without_year_uses_earlier_year_without_reference():
    ms = find_dates("The plan was adopted in 2019. In March, the first factory opened.", reference=None)
    assert [m.label() for m in ms] == ["2019", "2019-03"]
    assert ms[1].confidence <= 0.5
    assert find_dates("In March, the first factory opened.", reference=None) == []


def test_year_precision_reference_month():
    m = one("In August, the two countries agreed.", reference=D(2025, 1, 1), reference_precision="year")
    assert m.label() == "2025-08" and m.confidence <= 0.5


# ---------------------------------------------------------------------------
# things that are not dates
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Investment reached $92 billion.",
    "a goal of $150 billion in annual trade",
    "a loan of $300 million",
    "worth 130 trillion won",
    "a fee of \u20a95,000",
    "a fee of \u20a92025 per unit",
    "about 40% of firms",
    "a share of 53.1 percent",
    "investment grew by 107% on-year",
    "It has been 33 years since ties began.",
    "over 10 years of work",
    "over 10,000 projects",
    "2 national centers for AI",
    "100 million people",
    "train 50,000 AI engineers",
    "deliver 20 units",
    "2,500 workers joined",
    "1,992 delegates came",
    "the company hired 2000 workers",
    "it may grow further",
    "they will march on",
    "the Sun rose",
    "we agreed to cooperate",
    "Farmers in Sa Dec flower village are busy.",
    "Mr. June Lee attended.",
    "April Smith said the deal was good.",
    "The Decree was issued.",
    "Call +84 24 3825 1234 now.",
    "Call 024-3825-1234 now.",
    "pi is 3.14 and growth 1.5",
    "the 30th anniversary of relations",
    "software version 2.1.3 released",
    "see image 1-5683.jpg for details",
    "https://www.vietnamplus.vn/post1073586.vnp",
    "the meeting at 10:30 was short",
    "the P4G summit in Hanoi",
    "the Global Goals 2030) summit in Hanoi",
    "room 2019 on floor 3",
    "year 99999 is far",
    "February 30, 2025",
    "32/13/2025",
    "in 500 BC the city was founded",
    "COVID-19 hit hard",
    "with 1800 to 2000 employees",
])
def test_not_dates(text):
    assert find_dates(text, reference=REF) == [], labels(text)


def test_traps_in_a_sentence_with_real_dates():
    text = ("Trade between South Korea and Vietnam has surged since diplomatic relations were established in "
            "1992, from $500 million to $86.7 billion in 2024")
    ms = find_dates(text, reference=REF)
    assert [(m.text, m.label(), m.precision) for m in ms] == [("1992", "1992", "year"), ("2024", "2024", "year")]


def test_month_name_inside_words_and_names():
    assert labels("Decembers are cold; Marshall met Mayor Junes.") == []
    assert labels("in Sa Dec 2 new farms opened") == []


# ---------------------------------------------------------------------------
# Vietnamese and Korean
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, span, label, precision", [
    ("Hội nghị diễn ra ngày 29 tháng 10 năm 2025 tại Hà Nội.", "ngày 29 tháng 10 năm 2025", "2025-10-29", "day"),
    ("Hà Nội, 29/10/2025 - Bộ trưởng phát biểu.", "29/10/2025", "2025-10-29", "day"),
    ("Hà Nội, 29-10-2025 - Bộ trưởng phát biểu.", "29-10-2025", "2025-10-29", "day"),
    ("Chuyến thăm vào tháng 8 năm 2025 rất thành công.", "tháng 8 năm 2025", "2025-08", "month"),
    ("Chuyến thăm vào tháng 8/2025 rất thành công.", "tháng 8/2025", "2025-08", "month"),
    ("Hai nước thiết lập quan hệ ngoại giao năm 1992.", "năm 1992", "1992", "year"),
    ("Kim ngạch tăng trong 6 tháng đầu năm 2025.", "6 tháng đầu năm 2025", "2025-01/2025-06", "month"),
    ("Kim ngạch tăng trong quý II/2024.", "quý II/2024", "2024-04/2024-06", "month"),
])
def test_vietnamese(text, span, label, precision):
    m = one(text, language="vi")
    assert (m.text, m.label(), m.precision) == (span, label, precision)


def test_vietnamese_range_and_relative():
    m = one("Giai đoạn từ năm 2017 đến năm 2025, thương mại tăng.", language="vi")
    assert (m.label(), m.is_range) == ("2017/2025", True)
    assert one("Kim ngạch năm ngoái tăng mạnh.", language="vi").label() == "2024"


@pytest.mark.parametrize("text, span, label, precision", [
    ("양국은 2025년 8월 12일 서울에서 회담했다.", "2025년 8월 12일", "2025-08-12", "day"),
    ("양국은 2025년 8월 서울에서 회담했다.", "2025년 8월", "2025-08", "month"),
    ("양국은 1992년 수교했다.", "1992년", "1992", "year"),
    ("발표일: 2025.8.12 서울", "2025.8.12", "2025-08-12", "day"),
    ("2025년 상반기 투자가 늘었다.", "2025년 상반기", "2025-01/2025-06", "month"),
])
def test_korean(text, span, label, precision):
    m = one(text, language="ko")
    assert (m.text, m.label(), m.precision) == (span, label, precision)


def test_korean_day_alone_and_relative():
    m = one("장관은 25일 하노이를 방문했다.", language="ko", reference=D(2025, 8, 27))
    assert (m.text, m.label(), m.relative) == ("25일", "2025-08-25", True)
    assert find_dates("장관은 25일 하노이를 방문했다.", language="ko", reference=None) == []
    assert labels("33년 동안 협력했다. 5,000원", language="ko") == []
    assert one("작년 교역이 늘었다.", language="ko").label() == "2024"


def test_other_language_via_dateparser():
    m = one("Le sommet a eu lieu le 12 août 2025 à Hanoï.", language="fr")
    assert (m.label(), m.precision) == ("2025-08-12", "day")
    m = one("La cumbre fue el 12 de agosto de 2025.", language="es")
    assert m.label() == "2025-08-12"
    assert find_dates("Il a coûté 40% de plus.", language="fr") == []


# ---------------------------------------------------------------------------
# seed articles
# ---------------------------------------------------------------------------

def _seed(name):
    return (SEEDS / name).read_text(encoding="utf-8")


def test_seed_002_vietnamplus():
    text = _seed("002_680865e7478d9234.txt")
    ms = find_dates(text, reference=D(2025, 10, 29), reference_precision="day")
    sa_dec = text.index("Sa Dec")
    assert not any(m.start < sa_dec + 6 and sa_dec < m.end for m in ms)
    oct29 = [m for m in ms if m.text == "October 29th"]
    assert oct29 and oct29[0].first == oct29[0].last == D(2025, 10, 29) and oct29[0].precision == "day"
    assert any(m.text == "29/10/2025" and m.label() == "2025-10-29" for m in ms)


def test_seed_004_korea_herald():
    text = _seed("004_1d330e7e8ca98846.txt")
    ms = find_dates(text, reference=D(2025, 4, 14), reference_precision="day")

    def at(phrase, offset=0):
        i = text.index(phrase) + offset
        hit = [m for m in ms if m.start <= i < m.end]
        assert hit, phrase
        return hit[0]

    assert at("In February", 3).label() == "2025-02"
    assert at("May last year").label() == "2024-05"
    assert at("in 2011", 3).label() == "2011"
    assert at("since 2017", 6).label() == "2017"
    assert at("in 2010", 3).label() == "2010"
    assert at("from Tuesday", 5).first == D(2025, 4, 15)
    assert at("June 2023").label() == "2023-06"
    # traps in the same article
    for trap in ("$92 billion", "$150 billion", "30th anniversary", "Global Goals 2030", "P4G"):
        i = text.index(trap)
        assert not any(m.start < i + len(trap) and i < m.end for m in ms), trap


def test_all_seeds_are_clean():
    rows = list(csv.DictReader((SEEDS / "manifest.csv").open(encoding="utf-8")))
    assert rows
    for r in rows:
        parts = [int(x) for x in r["published"].split("-")] + [1, 1]
        text = _seed(r["file"])
        ms = find_dates(text, reference=D(*parts[:3]), reference_precision=r["published_precision"],
                        language=r["language"])
        assert ms, r["file"]
        for m in ms:
            assert text[m.start:m.end] == m.text
            assert 1900 <= m.first.year <= 2100
            assert m.first <= m.last
            assert m.precision in ("day", "week", "month", "year")
        # sorted and non-overlapping
        assert all(a.end <= b.start for a, b in zip(ms, ms[1:]))


# ---------------------------------------------------------------------------
# robustness and speed
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "   ", "0000", "31/02/2025", "2025-13-45", "99999", "-2025",
                                  "year 20255", "May 99, 2025", "\x00\ud800", "12 May 1799", "1 Jan 2201"])
def test_nonsense_gives_nothing(text):
    assert find_dates(text, reference=REF) == []


_alphabet = st.sampled_from(list("0123456789 /.-,:$%年월일년tháng nay Mayo December Tuesday in since late "
                                 "first half of end the 199020252030 Q H ngày năm\n"))


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(max_size=80), st.lists(_alphabet, max_size=40).map("".join)),
       lang=st.sampled_from(["en", "vi", "ko", "fr", "xx"]),
       ref=st.one_of(st.none(), st.dates(min_value=D(1800, 1, 1), max_value=D(2200, 12, 31))),
       prec=st.sampled_from([None, "day", "month", "year"]))
def test_never_raises(text, lang, ref, prec):
    ms = find_dates(text, reference=ref, reference_precision=prec, language=lang)
    prev_end = 0
    for m in ms:
        assert isinstance(m, DateMention)
        assert prev_end <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert D(1800, 1, 1) <= m.first <= m.last <= D(2200, 12, 31)
        assert 0.0 <= m.confidence <= 1.0
        m.label()
        prev_end = m.end


@pytest.mark.parametrize("text, span, first", [
    ("Chinh will visit Busan at the weekend.", "the weekend", dt.date(2026, 6, 13)),
    ("He visited Busan over the weekend.", "the weekend", dt.date(2026, 6, 6)),
    ("They met last weekend.", "last weekend", dt.date(2026, 6, 6)),
    ("The fair opens this weekend.", "this weekend", dt.date(2026, 6, 13)),
])
def test_a_weekend_is_its_saturday_and_sunday_the_tense_saying_which(text, span, first):
    found = [d for d in find_dates(text, reference=dt.date(2026, 6, 12), reference_precision="day") if "weekend" in d.text]
    assert [(d.text, d.first, d.last, d.is_range) for d in found] == [(span, first, first + dt.timedelta(days=1), True)]
