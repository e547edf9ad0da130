"""The date finder by layer: week precision, relative words of Vietnamese and Korean, anaphora, tense, and
errors that surface instead of turning into missing dates."""

import datetime as dt

import pytest


from partnership_explorer.core.dates import find_dates, kinds, resolve

D = dt.date
REF = D(2025, 4, 16)  # a Wednesday


def labels(text, reference=REF, language="en", **kw):
    return [(m.text, m.label()) for m in find_dates(text, reference=reference, language=language, **kw)]


@pytest.mark.parametrize("text, language, span, label", [
    ("Ministers met last week in Manila.", "en", "last week", "2025-W15"),
    ("The delegation arrives next week.", "en", "next week", "2025-W17"),
    ("Tuần trước, hai bên đã ký thỏa thuận.", "vi", "Tuần trước", "2025-W15"),
    ("Đoàn sẽ sang thăm vào tuần tới.", "vi", "tuần tới", "2025-W17"),
    ("양국은 지난주 협정에 서명했다.", "ko", "지난주", "2025-W15"),
    ("장관은 다음 주 방문할 예정이다.", "ko", "다음 주", "2025-W17"),
])
def test_weeks_keep_week_precision(text, language, span, label):
    ms = find_dates(text, reference=REF, language=language)
    assert [(m.text, m.label(), m.precision) for m in ms] == [(span, label, "week")]
    assert ms[0].first.weekday() == 0 and (ms[0].last - ms[0].first).days == 6


@pytest.mark.parametrize("text, language, expected", [
    ("Kim ngạch tháng 2 năm ngoái tăng mạnh.", "vi", [("tháng 2 năm ngoái", "2024-02")]),
    ("Hôm kia, hai bộ trưởng đã gặp nhau.", "vi", [("Hôm kia", "2025-04-14")]),
    ("양국은 지난해 9월 협정을 체결했다.", "ko", [("지난해 9월", "2024-09")]),
    ("두 장관은 그제 회담을 가졌다.", "ko", [("그제", "2025-04-14")]),
    ("이달 말까지 협상을 마칠 계획이다.", "ko", [("이달", "2025-04")]),
    ("정부는 연내 협정을 비준할 방침이다.", "ko", [("연내", "2025")]),
    ("양국은 2022년 수교 30주년을 맞았고 같은 해 8월 정상회담을 열었다.", "ko",
     [("2022년", "2022"), ("같은 해 8월", "2022-08")]),
    ("회담은 지난 6일 열렸다.", "ko", [("지난 6일", "2025-04-06")]),
])
def test_relative_words_in_vietnamese_and_korean(text, language, expected):
    assert labels(text, language=language) == expected


def test_anaphora_and_quarters():
    assert labels("Exports rose in 2019. A year earlier they had fallen.") == [
        ("2019", "2019"), ("A year earlier", "2018")]
    assert labels("Profit fell in the fourth quarter, the company said.", reference=D(2025, 2, 10)) == [
        ("the fourth quarter", "2024-10/2024-12")]
    assert labels("The 2023-24 fiscal year closed with a surplus.") == [("2023-24 fiscal year", "2023-04/2024-03")]
    assert labels("Enrolment rose in the 2021-22 academic year.") == [("2021-22", "2021")]
    # no tense cue: the nearer of the two fourth quarters (this year's in August, last year's in February)
    assert labels("Output targets for the fourth quarter.", reference=D(2025, 8, 20)) == [
        ("the fourth quarter", "2025-10/2025-12")]
    assert labels("Output targets for the fourth quarter.", reference=D(2025, 2, 20)) == [
        ("the fourth quarter", "2024-10/2024-12")]


def test_present_tense_of_a_schedule_is_future_and_signed_is_past():
    assert labels("The minister's visit, which ends on Thursday, covers energy.") == [("Thursday", "2025-04-17")]
    assert labels("The deal signed on Monday, under which the firm will buy gas, runs ten years.") == [
        ("Monday", "2025-04-14")]


def test_a_bug_in_a_resolver_surfaces(monkeypatch):
    def broken(c, anchor):
        raise RuntimeError("resolver bug")

    monkeypatch.setitem(resolve.RESOLVERS, kinds.WEEKDAY, broken)
    with pytest.raises(RuntimeError, match="resolver bug"):
        find_dates("They met on Monday.", reference=REF)


def test_modals_and_passives_read_as_future():
    # REF is 16 April 2025: a month or day after it, in a clause about what is to come, is this year's
    assert labels("The merger should be completed in March, the board said.") == [("March", "2026-03")]
    assert labels("Under the accord, which will be finalized by April 10, tariffs fall.") == [
        ("April 10", "2026-04-10")]
    assert labels("The plant was finalized in March.") == [("March", "2025-03")]
    assert labels("Shares slipped from Monday's close.") == [("Monday", "2025-04-14")]


def test_the_day_of_a_market_report():
    assert labels("The index rose 2% on Tuesday, ending the day at 1,250.") == [
        ("Tuesday", "2025-04-15"), ("the day", "2025-04-15")]
    assert labels("For the day, the benchmark closed flat.") == [("the day", "2025-04-16")]
    assert labels("Trading stopped for a third straight day.") == [("a third straight day", "2025-04-16")]
    assert labels("Exporters had their worst week since March.") == [("week", "2025-W16"), ("March", "2025-03")]
    assert labels("The ferry docks on May 3, two days later than planned.") == [("May 3", "2025-05-03")]
    # "the day after" before a gerund is a conjunction, not the next day
    assert labels("The stock recovered late in the day after falling 3%.") == [("the day", "2025-04-16")]
    assert labels("The forum opened on April 3. The day after the forum, ministers met.") == [
        ("April 3", "2025-04-03"), ("The day after", "2025-04-04")]


def test_the_same_period_a_year_back():
    assert labels("Exports rose 8% in February from the same period last year.") == [
        ("February", "2025-02"), ("the same period last year", "2024-02")]
    assert labels("Sales in the third quarter of 2024 beat the same quarter a year earlier.") == [
        ("the third quarter of 2024", "2024-07/2024-09"), ("the same quarter a year earlier", "2023-07/2023-09")]
    assert labels("Output was up on the same period last year.") == [("the same period last year", "2024")]


def test_decades_and_whole_years():
    assert labels("Trade grew through the 70s and again in the 1990s.") == [
        ("the 70s", "1970/1979"), ("the 1990s", "1990/1999")]
    assert labels("Most retirees are in their 70s.") == []
    assert labels("It posted a loss in 2019, a bad result for the entire year.") == [
        ("2019", "2019"), ("the entire year", "2019")]


def test_a_range_keeps_its_two_dates():
    (m,) = find_dates("Deliveries run from 2027 to 2029.", reference=REF)
    assert m.label() == "2027/2029" and [(p.text, p.label()) for p in m.parts] == [("2027", "2027"), ("2029", "2029")]
    (m,) = find_dates("Talks ran from May 3 to June 1, 2025.", reference=REF)
    assert [(p.text, p.label()) for p in m.parts] == [("May 3", "2025-05-03"), ("June 1, 2025", "2025-06-01")]
    (m,) = find_dates("They met on 3 May 2025.", reference=REF)
    assert m.parts == ()


def test_vague_references_are_found_apart_and_never_date_anything():
    from partnership_explorer.core.dates import find_references

    text = ("The two firms recently agreed to cooperate. Their plant is currently under construction "
            "and will be expanded in the near future, in line with a plan signed in 2024.")
    assert [(r.text, r.value) for r in find_references(text)] == [
        ("recently", "PAST_REF"), ("currently", "PRESENT_REF"), ("in the near future", "FUTURE_REF")]
    assert labels(text) == [("2024", "2024")]
    assert find_references("Over the past three years trade doubled. Now that the deal is done, talks move on.") == []
    dates = find_dates("In the past week, and in the past, prices rose.", reference=REF)
    assert [(r.text, r.value) for r in find_references("In the past week, and in the past, prices rose.", dates)] \
        == [("in the past", "PAST_REF")]


def test_vague_references_are_tense_cues():
    assert labels("Ministers have begun talks in May.") == [("May", "2025-05")]
    assert labels("Ministers have recently begun talks in May.") == [("May", "2024-05")]
    assert labels("The two sides sign a pact in March.") == [("March", "2025-03")]
    assert labels("The two sides sign a pact very soon, in March.") == [("March", "2026-03")]


@pytest.mark.parametrize("text, language, expected", [
    ("The ministers met on April 3. The same evening they signed a memorandum.", "en",
     [("April 3", "2025-04-03"), ("The same evening", "2025-04-03")]),
    ("The envoy landed on Monday and that night dined with the minister.", "en",
     [("Monday", "2025-04-14"), ("that night", "2025-04-14")]),
    ("Talks ended on March 9; the next morning the two sides issued a statement.", "en",
     [("March 9", "2025-03-09"), ("the next morning", "2025-03-10")]),
    ("The tariff was raised in 2019 and withdrawn in October of that year.", "en",
     [("2019", "2019"), ("October of that year", "2019-10")]),
])
def test_parts_of_a_named_day_and_months_of_a_named_year(text, language, expected):
    assert labels(text, language=language) == expected


def test_korean_nights_and_days_are_a_length_of_stay():
    assert labels("대표단은 3박 4일 일정으로 부산을 찾는다.", language="ko") == []
    assert labels("대표단은 2박3일간 머문다.", language="ko") == []
    assert labels("대표단은 지난 4일 부산에 도착했다.", language="ko") == [("지난 4일", "2025-04-04")]


@pytest.mark.parametrize("text, expected", [
    ("Forty years ago the two ports were twinned.", [("Forty years ago", "1985")]),
    ("Twenty-one years ago, the first flight landed.", [("Twenty-one years ago", "2004")]),
    # irregular past forms speak of the past
    ("The court upheld the ruling in a hearing in August.", [("August", "2024-08")]),
    ("The group sold its stake in June.", [("June", "2024-06")]),
    # "plan" with an object speaks of the future
    ("The navies plan a joint drill in June, officials said.", [("June", "2025-06")]),
    # a plan told in the past dates the nearer side: the hearing had been due a few weeks on
    ("The hearing had been scheduled to open on May 6.", [("May 6", "2025-05-06")]),
    ("The hearing had been scheduled to open on April 2.", [("April 2", "2025-04-02")]),
])
def test_tense_and_counts_of_years(text, expected):
    assert labels(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Ministers meet the week of May 12 in Jakarta.", [("the week of May 12", "2025-W20")]),
    ("Talks were held the week of March 4, 2024, in Seoul.", [("the week of March 4, 2024", "2024-W10")]),
    # a week counted within its month, as ISO 8601 counts weeks within a year (the month holds its Thursday)
    ("Ministers agreed to meet again in the first week of December.", [("the first week of December", "2025-W49")]),
    ("The trade fair ran in the last week of June 2023.", [("the last week of June 2023", "2023-W26")]),
    ("Talks resumed in the second week of March, 2024.", [("the second week of March, 2024", "2024-W11")]),
    ("Shipments slowed in the last week of January.", [("the last week of January", "2025-W05")]),
    # part of a day: the day named just before, nothing when none is
    ("The king received the president on Monday. He hosts a dinner for him in the evening.",
     [("Monday", "2025-04-14"), ("the evening", "2025-04-14")]),
    ("Ports are busiest in the morning.", []),
    ("The pact was signed on April 2 and later that day ratified.",
     [("April 2", "2025-04-02"), ("later that day", "2025-04-02")]),
])
def test_weeks_of_a_day_and_parts_of_a_day(text, expected):
    assert labels(text) == expected


@pytest.mark.parametrize("text, language, expected", [
    ("Exports reached $2 billion in the first half of 2024, up 9% from a year earlier.", "en",
     [("the first half of 2024", "2024-01/2024-06", False), ("a year earlier", "2023-01/2023-06", True)]),
    ("Sales in March rose 4% on the same period last year.", "en",
     [("March", "2025-03", False), ("the same period last year", "2024-03", True)]),
    ("Xuất khẩu tháng 3 năm nay tăng 8% so với cùng kỳ năm ngoái.", "vi",
     [("tháng 3 năm nay", "2025-03", False), ("cùng kỳ năm ngoái", "2024-03", True)]),
    ("Xuất khẩu tháng 1 và tháng 2 năm nay tăng 8% so với cùng kỳ năm ngoái.", "vi",
     [("tháng 1 và tháng 2 năm nay", "2025-01/2025-02", False), ("cùng kỳ năm ngoái", "2024-01/2024-02", True)]),
    ("Sales in January and February rose 4% on the same period last year.", "en",
     [("January and February", "2025-01/2025-02", False), ("the same period last year", "2024-01/2024-02", True)]),
])
def test_the_base_of_a_comparison_is_the_same_period_a_year_back(text, language, expected):
    assert [(m.text, m.label(), m.comparison) for m in find_dates(text, reference=REF, language=language)] == expected


def test_a_figure_is_dated_by_its_own_period_not_by_the_base_it_is_compared_with():
    from partnership_explorer.core.extract import extract_candidates
    for text, language in [
        ("Chilean exports to India reached $2.1 billion in the first half of 2025, up 9% from a year earlier, "
         "customs data show.", "en"),
        ("Thương mại song phương Việt Nam - Brazil trong tháng 3 năm nay đạt 1,2 tỷ USD, tăng 8% so với cùng kỳ "
         "năm ngoái.", "vi"),
    ]:
        found = extract_candidates(text, published=D(2025, 8, 20), published_precision="day", language=language)
        labels_found = {c.date.label() for c in found if c.kind == "statistic"}
        assert labels_found and all(label.startswith("2025") for label in labels_found), labels_found


@pytest.mark.parametrize("text, expected", [
    ("Negotiators met in January and February to settle the text.", [("January and February", "2025-01/2025-02")]),
    ("Negotiators met in January and March.", [("January", "2025-01"), ("March", "2025-03")]),
    ("Exports grew in December 2023 and January 2024.", [("December 2023 and January 2024", "2023-12/2024-01")]),
    # "the same day" as a happening known to its month only: that month
    ("During a visit in May 2021 the ministers signed a plan towards 2030. A loan was agreed the same day.",
     [("May 2021", "2021-05"), ("2030", "2030"), ("the same day", "2021-05")]),
])
def test_months_that_follow_each_other_and_the_same_day_of_a_month(text, expected):
    assert labels(text) == expected


def test_a_relative_clause_after_the_date_does_not_set_its_tense():
    text = "The miner signed a supply contract with the smelter on Monday, under which the smelter will buy its ore."
    assert labels(text) == [("Monday", "2025-04-14")]
    assert labels("The smelter will sign the contract on Monday.") == [("Monday", "2025-04-21")]


def test_one_text_read_against_several_anchors_resolves_each_on_its_own():
    """The candidates of a text are found once and kept for the next reading of the same text (a story's year is
    read first, then its dates against that year): resolving them against one anchor must never change what
    another anchor, or no anchor, gives."""
    text = ("SEOUL, March 3 – The two ministers met on Monday and will meet again next month. "
            "Trade rose in 2023. The previous day, officials signed a memorandum on March 1, 2024.")

    def read(reference):
        return [(d.text, d.label()) for d in find_dates(text, reference=reference)]

    none, a, b = read(None), read(dt.date(2025, 3, 3)), read(dt.date(2019, 3, 4))
    assert ("Monday", "2025-03-03") in a and ("Monday", "2019-03-04") in b
    assert ("next month", "2025-04") in a and ("next month", "2019-04") in b
    assert ("March 1, 2024", "2024-03-01") in none and ("March 1, 2024", "2024-03-01") in b
    # the same answers again, in another order, after other texts went through
    find_dates("The talks ended in 2021.")
    assert read(dt.date(2019, 3, 4)) == b and read(None) == none and read(dt.date(2025, 3, 3)) == a


def test_a_quarter_named_by_its_months():
    found = [(d.text, d.label()) for d in find_dates(
        "Investment was $4.8 billion in the April-June quarter, exports rose in the June quarter and fell in the "
        "October-December quarter of 2024; the May quarter is no quarter.", reference=dt.date(2025, 10, 14))]
    assert ("the April-June quarter", "2025-04/2025-06") in found
    assert ("the June quarter", "2025-04/2025-06") in found
    assert ("the October-December quarter of 2024", "2024-10/2024-12") in found
    assert not any("May quarter" in t for t, _ in found)


def test_vietnamese_ordinals_are_not_weekdays():
    from partnership_explorer.core.dates import find_dates
    ref = dt.date(2026, 3, 20)
    assert [d.label() for d in find_dates("vào thứ Sáu tuần trước", reference=ref, reference_precision="day",
                                          language="vi")] == ["2026-03-13"]
    assert find_dates("phiên họp lần thứ năm, thị trường lớn thứ ba", reference=ref, reference_precision="day",
                      language="vi") == []


def test_vietnamese_days_of_one_month_are_a_range():
    ref = dt.date(2025, 3, 13)
    found = {d.text: (d.first.isoformat(), d.last.isoformat(), d.is_range) for d in find_dates(
        "chuyến thăm chính thức từ ngày 11 đến 13/3; hội nghị từ 18 đến 20/3/2025; họp ngày 5-7 tháng 6 năm 2024",
        reference=ref, reference_precision="day", language="vi")}
    assert found["từ ngày 11 đến 13/3"] == ("2025-03-11", "2025-03-13", True)
    assert found["từ 18 đến 20/3/2025"] == ("2025-03-18", "2025-03-20", True)
    assert found["ngày 5-7 tháng 6 năm 2024"] == ("2024-06-05", "2024-06-07", True)
    # a score is not a date
    assert find_dates("thắng với tỷ số 2-1/3 trận", reference=ref, reference_precision="day", language="vi") == []


def test_korean_months_of_one_year_are_a_range():
    found = {d.text: d.label() for d in find_dates("올해 1~8월 수입량, 2025년 3~5월 교역",
                                                 reference=dt.date(2026, 9, 18), reference_precision="day",
                                                 language="ko")}
    assert found["올해 1~8월"] == "2026-01/2026-08"
    assert found["2025년 3~5월"] == "2025-03/2025-05"


def test_the_previous_day_counts_from_the_happening_not_from_a_relative_clause():
    text = ("Norway signed a loan to Ghana on Tuesday. It was signed by the finance minister and Norway's "
            "development minister, who is on a visit that began on Monday. The cabinet had approved the terms "
            "the previous day.")
    assert ("the previous day", "2025-04-14") in labels(text)
    # with no day of a main clause before it, the day of the relative clause is still the anchor
    assert ("the previous day", "2025-04-13") in labels(
        "The minister, who arrived on Monday, spoke. The embassy had sent the invitation the previous day.")


def test_a_vietnamese_day_of_this_or_last_year_takes_that_year():
    ref = D(2025, 10, 16)
    # "ngày 12/3" alone would be the coming March; "năm nay" (this year) says it was the March just gone
    assert labels("Thỏa thuận có hiệu lực từ ngày 12/3 năm nay.", reference=ref, language="vi") == [
        ("ngày 12/3 năm nay", "2025-03-12")]
    assert labels("Hai bên ký biên bản chiều 5 tháng 11 năm ngoái.", reference=ref, language="vi") == [
        ("chiều 5 tháng 11 năm ngoái", "2024-11-05")]
    # a share is no day
    assert labels("Tỷ lệ 3/4 năm nay thuộc về xuất khẩu gạo.", reference=ref, language="vi") == []


def test_a_change_told_in_the_sentence_before_makes_no_comparison_base_of_on_monday():
    text = "The visit was about more than trade. On Monday, the two ministers met in Lima."
    (monday,) = [d for d in find_dates(text, reference=dt.date(2025, 6, 18), reference_precision="day",
                                       language="en") if d.text == "Monday"]
    assert not monday.comparison
    # a change in the date's own sentence still makes one
    (base,) = find_dates("Exports rose 12% on 2023.", reference=dt.date(2025, 6, 18), reference_precision="day",
                         language="en")
    assert base.comparison


def test_a_span_told_after_the_date_it_counts_from_dates_the_happening_it_names():
    ref = dt.date(2026, 8, 20)
    found = {d.text: (d.first, d.precision) for d in find_dates(
        "Peru lifted visas for Kenyan visitors in June 2016, a month after President Kenyatta's state visit to Lima; "
        "the embassy had opened in 1958, two years before Kenya's first trade mission.",
        reference=ref, reference_precision="day", language="en")}
    assert found["a month after"] == (dt.date(2016, 5, 1), "month")
    assert found["two years before"] == (dt.date(1960, 1, 1), "year")
    # told alone, "two years before" still counts back from the date told before it
    (_, before) = find_dates("The plant opened in 1998. Two years before, the firms had signed a deal.",
                             reference=ref, reference_precision="day", language="en")
    assert before.first == dt.date(1996, 1, 1)


def test_vietnamese_the_day_before_the_one_told():
    text = "Ngày 14/6, hai bộ trưởng đã hội đàm tại Lima. Trước đó một ngày, diễn đàn doanh nghiệp đã diễn ra."
    found = {d.text: d.first for d in find_dates(text, reference=dt.date(2025, 6, 20), reference_precision="day",
                                                 language="vi")}
    assert found["Trước đó một ngày"] == dt.date(2025, 6, 13)


def test_a_day_after_told_after_the_signers_names_dates_the_talks_a_day_earlier():
    text = ("The pact was signed in Lima on Tuesday by Kenya's trade minister, Amina Otieno, and Peru's energy "
            "minister, Luis Paredes, a day after the two held talks on financing.")
    found = {d.text: d.first for d in find_dates(text, reference=dt.date(2025, 6, 12), reference_precision="day",
                                                 language="en")}
    assert found["a day after"] == dt.date(2025, 6, 9)


def test_a_korean_year_before_a_name_beginning_with_dae_is_a_year_not_a_decade():
    found = find_dates("2016년 대명자동차가 페스케리아에 공장을 세웠고, 1990년대에는 수출이 늘었다.",
                       reference=dt.date(2025, 9, 17), reference_precision="day", language="ko")
    assert {(d.text, d.precision) for d in found} >= {("2016년", "year")}
    assert any(d.text.startswith("1990년대") for d in found)


def test_the_verb_before_a_weekday_governs_it_when_one_after_is_as_near():
    # the saying is dated, not the spending it reports
    assert labels("The miller said on Tuesday it would spend $40 million on a new silo.") == [("Tuesday", "2025-04-15")]
    assert labels("The miller said on Tuesday it will spend $40 million.") == [("Tuesday", "2025-04-15")]
    # with no verb before, the plan after still reads as future
    assert labels("On Tuesday it will open a new silo.") == [("Tuesday", "2025-04-22")]


@pytest.mark.parametrize("language, text, span, label", [
    ("vi", "Hai năm trước, hai trường mở chương trình liên kết.", "Hai năm trước", "2023"),
    ("vi", "Cách đây mười năm, hai bên ký hiệp định.", "Cách đây mười năm", "2015"),
    ("vi", "3 tháng trước, hai nước ký hiệp định.", "3 tháng trước", "2025-01"),
    ("vi", "Năm năm trước, hai nước ký hiệp định.", "Năm năm trước", "2020"),
    ("vi", "Năm trước, hai nước ký hiệp định.", "Năm trước", "2024"),
    ("ko", "양국은 2년 전 협정을 맺었다.", "2년 전", "2023"),
    ("ko", "사흘 전 계약을 체결했다.", "사흘 전", "2025-04-13"),
    ("ko", "3개월 전 공장을 열었다.", "3개월 전", "2025-01"),
    ("ko", "3일 전에 회담을 열었다.", "3일 전", "2025-04-13"),
    ("ko", "한 달 전 방문했다.", "한 달 전", "2025-03"),
])
def test_a_vietnamese_or_korean_count_back_from_the_story(language, text, span, label):
    assert (span, label) in labels(text, language=language)


def test_a_relative_day_restated_in_brackets_is_the_day_the_brackets_name():
    # the day told before is the last of a span: "전날" of it would be the 10th, the brackets say the 9th
    found = labels("왕세자는 9일부터 11일까지 방한 중이다. 전날(9일) 포럼에서 계약을 맺었다.", reference=D(2026, 6, 11),
                   language="ko")
    assert ("전날", "2026-06-09") in found and ("9일", "2026-06-09") in found


def test_todays_prices_are_no_day_and_travelling_on_is_a_schedule():
    assert labels("The soybeans are worth $270 million at today's prices.") == []
    assert labels("Today's talks went well.") == [("Today", "2025-04-16")]
    # present tense of a journey still to come: the Saturday ahead
    assert ("Saturday", "2025-04-19") in labels("He arrived on Monday and travels on to Osaka on Saturday.")


def test_a_group_that_flies_to_the_other_side_later_this_year_goes_ahead():
    assert ("late August", "2025-08") in labels("The scholarship began in 2004 and this year's group of 140 "
                                               "students flies to Taipei in late August.", reference=D(2025, 7, 9))


def test_a_reporting_frame_after_the_clause_does_not_set_its_tense():
    # "..., the companies said." reports a plan still to come: this year's fourth quarter
    assert labels("Remaining deliveries will taper off and stop in the fourth quarter, the companies said.") == [
        ("the fourth quarter", "2025-10/2025-12")]
    # a speech verb that opens what it reports is the clause's own past ("on March 28, he said ...")
    assert labels("During talks on March 28, Hegseth said Washington would deploy a second system.") == [
        ("March 28", "2025-03-28")]


@pytest.mark.parametrize("text, expected", [
    ("올해 하반기 수출은 늘었다.", [("올해 하반기", "2025-07/2025-12")]),  # "올해" alone opens the Korean patterns
    ("대통령은 하반기 방한할 예정이다.", [("하반기", "2025-07/2025-12")]),  # a half without its year: the story's year
    ("상반기에는 두 차례 회의가 열렸다.", [("상반기", "2025-01/2025-06")]),
])
def test_korean_halves_of_this_year(text, expected):
    assert labels(text, language="ko") == expected


@pytest.mark.parametrize("text, span, label", [
    ("The first nurses are expected to arrive next spring.", "next spring", "2026"),  # spring 2025 has begun
    ("Talks will resume this autumn.", "this autumn", "2025"),
    ("Exports slumped last summer.", "last summer", "2024"),
    ("The line opens in the spring of 2027.", "spring of 2027", "2027"),
    ("Prices fell in the fall of 2023.", "fall of 2023", "2023"),
])
def test_seasons_are_told_to_their_year(text, span, label):
    assert [(m.text, m.label(), m.precision) for m in find_dates(text, reference=REF, language="en")] == \
        [(span, label, "year")]


def test_a_verb_fall_before_a_number_is_no_season():
    assert labels("Exports could fall 2025 units short, the ministry said.") == []


def test_a_schedule_told_in_the_present_is_still_to_come_and_a_week_later_than_a_day_is_a_day():
    text = "The new tariffs apply from January 1, and the first cargo shipped under them leaves a week later."
    assert labels(text, reference=D(2025, 11, 21)) == [("January 1", "2026-01-01"), ("a week later", "2026-01-08")]
    assert labels("Prices rose two weeks ago.", reference=D(2025, 11, 21)) == [("two weeks ago", "2025-W45")]


def test_the_day_before_a_day_still_to_come_told_in_the_past_counts_from_the_day_told_before():
    text = ("The ministers signed the pact on Thursday. The new quotas apply from January 1. "
            "The day before the signing, a miner agreed to sell its ore.")
    got = dict(labels(text, reference=D(2025, 11, 21)))
    assert got["The day before"] == "2025-11-19", got


def test_a_participle_after_a_determiner_is_no_past_tense():
    # "the restructured projects" does not make June a past month; "will meet" is the verb of the date
    assert labels("The commission will meet in Beijing in June to review the restructured projects.",
                  reference=D(2026, 3, 5)) == [("June", "2026-06")]


def test_the_half_of_the_year_is_of_the_year_its_sentence_just_named_unless_that_year_is_gone_for_a_plan():
    text = ("The committee will meet in Lima in the second half of 2026, preceded by working groups during the "
            "first half of the year.")
    assert labels(text, reference=D(2025, 12, 10))[-1] == ("the first half of the year", "2026-01/2026-06")
    text = "The pact, signed in November 2024, is to be ratified by Congress in the second half of the year."
    assert labels(text, reference=D(2025, 3, 10))[-1] == ("the second half of the year", "2025-07/2025-12")
    assert labels("Exports rose in the first half of the year.", reference=D(2025, 9, 1)) == \
        [("the first half of the year", "2025-01/2025-06")]


@pytest.mark.parametrize("text, expected", [
    ("대성레일은 작년 이맘때 입찰에서 선정됐다.", [("작년 이맘때", "2024-04")]),  # about this time last year
    ("첫 선박은 올 연말 강재 절단에 들어간다.", [("올 연말", "2025")]),
    ("공장은 내년 연초 착공한다.", [("내년 연초", "2026")]),
])
def test_korean_this_time_last_year_and_the_years_end(text, expected):
    assert labels(text, language="ko") == expected


def test_a_fortnight_is_two_weeks():
    assert labels("The lease was signed a fortnight ago.", reference=D(2026, 5, 18)) == [("a fortnight ago", "2026-W19")]


def test_a_vietnamese_month_ending_its_sentence_is_a_month_and_one_written_with_its_year_after_a_dot_too():
    assert labels("Kỳ họp dự kiến diễn ra tại Manila vào tháng 11.", reference=D(2026, 8, 10), language="vi") == \
        [("tháng 11", "2026-11")]
    assert labels("Hai bên ký thỏa thuận vào tháng 11.2025 tại Hà Nội.", reference=D(2026, 8, 10), language="vi") == \
        [("tháng 11.2025", "2025-11")]
