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
    assert labels("The 2023-24 fiscal year closed with a surplus.") == [("2023-24", "2024")]


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
