"""Vietnamese date expressions: "ngày 29 tháng 10 năm 2025", "ngày 7/3/2024", "tháng 3/2018", "năm 2030",
"6 tháng đầu năm", "quý III năm nay", "cuối năm nay", and the relative words "hôm qua", "tuần trước",
"tháng 2 năm ngoái", "năm tới"."""

from __future__ import annotations

import re

from . import kinds
from .candidates import add_absolute, add_relative, day_span, month_span, months_span, year_span
from .vocabulary import RX_QUANTITY_AFTER

_I = re.IGNORECASE
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9])"
_MONTH = r"(?P<m>1[0-2]|0?[1-9])"
_RELATIVE_YEAR = r"(?P<ry>nay|ngoái|tới|sau|trước)"
RX_DAY_MONTH_YEAR = re.compile(r"(?<!\w)(?:(?P<ngay>ngày)\s+)?" + _DAY + r"\s+tháng\s+" + _MONTH
                               + r"(?:\s*,?\s+năm\s+(?P<y>\d{4}))?(?!\d)", _I)
RX_NUMERIC = re.compile(r"(?<!\w)ngày\s+" + _DAY + r"\s*(?P<s>[/.-])\s*" + _MONTH
                        + r"(?:\s*(?P=s)\s*(?P<y>\d{4}))?(?![\d/.-]\d|\d)", _I)
RX_DAY = re.compile(r"(?<!\w)ngày\s+" + _DAY + r"(?![\d/.-])(?!\s+tháng)", _I)
RX_MONTH_YEAR = re.compile(r"(?<!\w)tháng\s+" + _MONTH + r"(?:\s*[/.-]\s*|\s*,?\s+năm\s+)(?P<y>\d{4})(?!\d)", _I)
RX_MONTH_OF_RELATIVE_YEAR = re.compile(r"(?<!\w)tháng\s+" + _MONTH + r"\s+năm\s+" + _RELATIVE_YEAR + r"(?!\w)", _I)
# a day of this or last year: "ngày 12/3 năm nay", "12 tháng 3 năm ngoái"
RX_DAY_OF_RELATIVE_YEAR = re.compile(r"(?<![\w/])(?:(?P<ngay>ngày|sáng|trưa|chiều|tối|đêm)\s+)?" + _DAY
                                     + r"\s*(?:(?P<slash>/)|\s+tháng\s+)\s*" + _MONTH
                                     + r"\s+năm\s+" + _RELATIVE_YEAR + r"(?!\w)", _I)
# (a full stop after the month ends the sentence, "vào tháng 11."; before a digit it writes a year, "tháng 11.2025")
RX_MONTH = re.compile(r"(?<!\w)tháng\s+" + _MONTH + r"(?![\d/-]|\.\d)(?:\s+(?P<suf>tới|này|vừa\s+qua|qua|trước"
                      r"|sau))?(?!\w)", _I)
RX_YEAR = re.compile(r"(?<!\w)năm\s+(?P<y>\d{4})(?![\d]|[.,]\d)", _I)
RX_YEAR_PART = re.compile(r"(?<!\w)(?:(?P<h>(?P<hn>\d{1,2})\s+tháng\s+(?P<hp>đầu|cuối))\s+năm|(?P<e>đầu|cuối|giữa)"
                          r"\s+năm|quý\s+(?P<q>IV|III|II|I|[1-4])(?![\w])(?:\s*[/-]\s*|\s+năm\s+|\s+))\s*"
                          r"(?:(?P<y>\d{4})(?!\d)|" + _RELATIVE_YEAR + r"(?!\w))", _I)
# the first months of the year without its year: "giảm 12% trong 6 tháng đầu năm" (this year's)
RX_FIRST_MONTHS = re.compile(r"(?<!\w)(?P<hn>\d{1,2})\s+tháng\s+đầu\s+năm(?!\s*(?:nay|ngoái|trước|sau|tới|qua|\d))(?!\w)", _I)
# a quarter without its year: "dự kiến được tổ chức trong quý III" (the third quarter, of the year the tense says)
RX_QUARTER = re.compile(r"(?<!\w)quý\s+(?P<q>IV|III|II|I|[1-4])(?![\w/-])(?!\s*[/-]\s*\d)(?!\s+năm\b)", _I)
# "trong những tuần tới" (in the coming weeks), "vài tháng tới" (the next few months): no period a reader could place
# a count of years, months, weeks or days back: "hai năm trước", "3 tháng trước", "cách đây mười năm"
_COUNT_VI = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
             "mười hai": 12, "mười lăm": 15, "hai mươi": 20, "ba mươi": 30}
_COUNT_VI_ALT = "|".join(sorted((w.replace(" ", r"\s+") for w in _COUNT_VI), key=len, reverse=True))
RX_AGO = re.compile(r"(?<!\w)(?:cách\s+đây\s+(?P<n1>\d{1,3}|" + _COUNT_VI_ALT + r")\s+(?P<u1>năm|tháng|tuần|ngày)"
                    r"|(?P<n2>\d{1,3}|" + _COUNT_VI_ALT + r")\s+(?P<u2>năm|tháng|tuần|ngày)\s+(?:về\s+)?trước)(?!\w)", _I)
_AGO_UNIT = {"năm": "year", "tháng": "month", "tuần": "week", "ngày": "day"}
RX_RELATIVE_WORD = re.compile(r"(?<![\w])(?<!\d\s)(?<!những\s)(?<!các\s)(?<!vài\s)(?<!mấy\s)"
                              r"(?<!một\s)(?<!hai\s)(?<!ba\s)(?<!bốn\s)(?<!năm\s)(?<!sáu\s)(?<!bảy\s)(?<!tám\s)"
                              r"(?<!chín\s)(?<!mười\s)(?<!lăm\s)(?<!mươi\s)(?P<k>hôm\s+nay|hôm\s+qua|hôm\s+kia|ngày\s+mai|năm\s+nay"
                              r"|năm\s+ngoái|năm\s+tới|năm\s+sau|năm\s+trước|tháng\s+trước|tháng\s+này|tháng\s+tới"
                              r"|tháng\s+sau|tuần\s+trước|tuần\s+này|tuần\s+tới|tuần\s+sau|tuần\s+qua"
                              r"|ngày\s+hôm\s+trước|hôm\s+trước|hôm\s+sau|cùng\s+ngày|ngày\s+hôm\s+đó|hôm\s+đó"
                              # the day before or after the one told: "Trước đó một ngày", "một ngày sau đó"
                              r"|trước\s+đó\s+một\s+ngày|một\s+ngày\s+trước\s+đó|sau\s+đó\s+một\s+ngày"
                              r"|một\s+ngày\s+sau\s+đó)(?!\w)", _I)

# a part of the day or a weekday before a numeric date or "nay"/"qua": "chiều 18/3", "sáng thứ Ba (10/6)",
# "(19/3)" after "Hôm qua", "sáng nay" (this morning), "tối qua" (last night)
_DAY_PART = r"(?:rạng\s+sáng|sáng|trưa|chiều|tối|đêm)"
# the day word is capitalised ("thứ Năm"): "lần thứ năm" (the fifth time), "lớn thứ ba" (third largest) are ordinals
_WEEKDAY_VI = (r"(?<!lần\s)(?<!lớn\s)(?<!hạng\s)(?<!phiên\s)(?<!khóa\s)(?<!kỳ\s)(?P<wd>(?i:thứ)\s+"
               r"(?-i:Hai|Ba|Tư|Năm|Sáu|Bảy|HAI|BA|TƯ|NĂM|SÁU|BẢY)|(?i:chủ\s+nhật))")
RX_DAY_PART_NUMERIC = re.compile(r"(?<![\w/])(?:(?P<part>" + _DAY_PART + r")\s+)?(?:" + _WEEKDAY_VI + r"\s*,?\s*)?"
                                 r"(?P<paren>\(\s*)?" + _DAY + r"\s*/\s*" + _MONTH
                                 + r"(?:\s*/\s*(?P<y>\d{4}))?(?![\d/.-]\d|\d)(?(paren)\s*\))", _I)
# days of one month: "từ ngày 11 đến 13/3", "từ 18 đến 20/3/2025", "ngày 11-12/3", "(ngày) 5 – 7 tháng 6 (năm 2025)"
RX_DAYS_OF_MONTH = re.compile(r"(?<![\w/])(?:(?P<tu>từ)\s+)?(?:ngày\s+)?(?P<d1>3[01]|[12]\d|0?[1-9])"
                              r"(?(tu)\s+(?:đến|tới|-|–)\s+|\s*(?:[-–]|(?P<va>và))\s*)(?:ngày\s+)?" + _DAY
                              + r"(?:\s*/\s*" + _MONTH + r"(?:\s*/\s*(?P<y>\d{4}))?(?![\d/.-]\d|\d)"
                              r"|\s+tháng\s+(?P<mw>1[0-2]|0?[1-9])(?:\s*,?\s+năm\s+(?P<yw>\d{4}))?(?!\d))", _I)
RX_DAY_PART_RELATIVE = re.compile(r"(?<!\w)" + _DAY_PART + r"\s+(?P<k>nay|qua|mai)(?!\w)", _I)
RX_WEEKDAY = re.compile(r"(?<!\w)" + _WEEKDAY_VI + r"(?P<suf>\s+(?:tuần\s+)?(?:trước|tới|này|vừa\s+qua|qua))?"
                        r"(?![\w(]|\s*,?\s*\(?\s*\d)", _I)
_WEEKDAYS_VI = ("thứ hai", "thứ ba", "thứ tư", "thứ năm", "thứ sáu", "thứ bảy", "chủ nhật")
_DAY_PART_OFFSET = {"nay": 0, "qua": -1, "mai": 1}
_HOI_BEFORE = re.compile(r"(?<!\w)(?i:hồi)\s+$")
_HOM_BEFORE = re.compile(r"(?<!\w)(?i:hôm)\s+$")
_WEEKDAY_MODE = {"tới": "future_strict", "trước": "past_strict", "vừa qua": "past", "qua": "past", "này": "this"}

_YEAR_OFFSET = {"nay": 0, "ngoái": -1, "trước": -1, "tới": 1, "sau": 1}
_MONTH_MODE = {"tới": "future", "sau": "future", "này": "this", "vừa qua": "past", "qua": "past", "trước": "past"}
_RELATIVE_WORDS = {"hôm nay": ("day", 0), "hôm qua": ("day", -1), "hôm kia": ("day", -2), "ngày mai": ("day", 1),
                   "năm nay": ("year", 0), "năm ngoái": ("year", -1), "năm tới": ("year", 1),
                   "năm sau": ("year", 1), "năm trước": ("year", -1),
                   "tháng trước": ("month", -1), "tháng này": ("month", 0), "tháng tới": ("month", 1),
                   "tháng sau": ("month", 1),
                   "tuần trước": ("week", -1), "tuần qua": ("week", -1), "tuần này": ("week", 0),
                   "tuần tới": ("week", 1), "tuần sau": ("week", 1),
                   "ngày hôm trước": ("mentioned_day", -1), "hôm trước": ("mentioned_day", -1),
                   "hôm sau": ("mentioned_day", 1), "cùng ngày": ("mentioned_day", 0),
                   "ngày hôm đó": ("mentioned_day", 0), "hôm đó": ("mentioned_day", 0),
                   "trước đó một ngày": ("mentioned_day", -1), "một ngày trước đó": ("mentioned_day", -1),
                   "sau đó một ngày": ("mentioned_day", 1), "một ngày sau đó": ("mentioned_day", 1)}
_KEYWORDS = ("tháng", "năm", "ngày", "hôm", "quý", "tuần", "/", "thứ", "chủ nhật", " nay", " qua", " mai")


RX_SAME_PERIOD_YEAR_BEFORE = re.compile(r"(?<!\w)cùng\s+kỳ(?:\s+(?:của\s+)?năm\s+(?:ngoái|trước))?(?!\w)", _I)


def find_vietnamese(text: str, out: list) -> None:
    low = text.lower()
    if not any(k in low for k in _KEYWORDS):
        return
    for rx in (RX_DAY_MONTH_YEAR, RX_NUMERIC, RX_DAY_PART_NUMERIC):
        for m in rx.finditer(text):
            if rx is RX_DAY_MONTH_YEAR and not m["ngay"] and not m["y"]:
                continue
            if rx is RX_DAY_PART_NUMERIC and not (m["part"] or m["wd"] or m["paren"]):
                continue  # a bare "5/3" may be a fraction; "ngày 5/3" is read above
            if m["y"]:
                add_absolute(out, m.start(), m.end(), day_span(int(m["y"]), int(m["m"]), int(m["d"])), "day",
                             priority=3)
            else:
                add_relative(out, m.start(), m.end(), kinds.MONTH_DAY, 1, month=int(m["m"]), day=int(m["d"]),
                             mode="tense")
    for m in RX_DAYS_OF_MONTH.finditer(text):
        month, year = int(m["m"] or m["mw"]), m["y"] or m["yw"]
        d1, d2 = int(m["d1"]), int(m["d"])
        if not d1 < d2 or not (m["tu"] or "ngày" in text[max(0, m.start() - 6):m.start("d1")].lower() or year):
            continue  # "11-12/3" alone may be a score or a fraction: "ngày 11-12/3", "từ 11 đến 12/3" are dates
        if m["va"] and d2 != d1 + 1:
            continue  # "ngày 19 và 20/6" is two days running; "ngày 5 và 20/6" two days apart, not a span
        if year:
            first, last = day_span(int(year), month, d1), day_span(int(year), month, d2)
            if first and last:
                add_absolute(out, m.start(), m.end(), (first[0], last[0]), "day", is_range=True, priority=3)
        else:
            add_relative(out, m.start(), m.end(), kinds.MONTH_DAY, 2, month=month, day=d1, day2=d2, mode="tense")
    for m in RX_DAY_PART_RELATIVE.finditer(text):
        add_relative(out, m.start(), m.end(), kinds.RELATIVE_UNIT, unit="day",
                     offset=_DAY_PART_OFFSET[m["k"].lower()])
    for m in RX_WEEKDAY.finditer(text):
        suffix = " ".join((m["suf"] or "").lower().split()).removeprefix("tuần ")
        weekday = _WEEKDAYS_VI.index(" ".join(m["wd"].lower().split()))
        mode = _WEEKDAY_MODE.get(suffix, "tense")
        if mode == "tense" and _HOM_BEFORE.search(text, max(0, m.start() - 6), m.start()):
            mode = "past"  # "bàn giao tàu hôm thứ Hai": "hôm" before a weekday tells a day gone by
        add_relative(out, m.start(), m.end(), kinds.WEEKDAY, weekday=weekday, mode=mode)
    for m in RX_DAY.finditer(text):
        add_relative(out, m.start(), m.end(), kinds.DAY_OF_MONTH, day=int(m["d"]))
    for m in RX_MONTH_YEAR.finditer(text):
        add_absolute(out, m.start(), m.end(), month_span(int(m["y"]), int(m["m"])), "month", priority=2)
    for m in RX_DAY_OF_RELATIVE_YEAR.finditer(text):
        if m["slash"] and not m["ngay"]:
            continue  # "3/4 năm nay" may be a share; "ngày 12/3 năm nay" is a day
        add_relative(out, m.start(), m.end(), kinds.MONTH_OF_RELATIVE_YEAR, 4, month=int(m["m"]), day=int(m["d"]),
                     offset=_YEAR_OFFSET[m["ry"].lower()], anaphoric=False)
    for m in RX_MONTH_OF_RELATIVE_YEAR.finditer(text):
        add_relative(out, m.start(), m.end(), kinds.MONTH_OF_RELATIVE_YEAR, 3, month=int(m["m"]), day=None,
                     offset=_YEAR_OFFSET[m["ry"].lower()], anaphoric=False)
    for m in RX_MONTH.finditer(text):
        suffix = " ".join((m["suf"] or "").lower().split())
        mode = _MONTH_MODE.get(suffix, "tense")
        if mode == "tense" and _HOI_BEFORE.search(text, max(0, m.start() - 6), m.start()):
            mode = "past"  # "được cấp giấy chứng nhận hồi tháng 3": "hồi" (back in) tells a month gone by
        add_relative(out, m.start(), m.end() if suffix else m.end("m"), kinds.MONTH_DAY, month=int(m["m"]),
                     day=None, mode=mode)
    for m in RX_YEAR.finditer(text):
        if not RX_QUANTITY_AFTER.match(text, m.end()):
            add_absolute(out, m.start(), m.end(), year_span(int(m["y"])), "year", priority=1)
    for m in RX_YEAR_PART.finditer(text):
        mod = None
        if m["h"]:
            n = int(m["hn"])
            if not 1 <= n <= 11:
                continue
            months = (1, n) if m["hp"].lower() == "đầu" else (13 - n, 12)
        elif m["e"]:
            months, mod = (1, 12), {"đầu": "START", "giữa": "MID", "cuối": "END"}[m["e"].lower()]
        else:
            q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(m["q"].lower()) or int(m["q"])
            months = (3 * q - 2, 3 * q)
        whole_year = months == (1, 12)
        if m["y"]:
            y = int(m["y"])
            span = year_span(y) if whole_year else months_span(y, *months)
            add_absolute(out, m.start(), m.end(), span, "year" if whole_year else "month",
                         is_range=not whole_year, priority=2, mod=mod)
        else:
            add_relative(out, m.start(), m.end(), kinds.YEAR_PART, 2, mod=mod, months=months,
                         offset=_YEAR_OFFSET[m["ry"].lower()], anaphoric=False)
    for m in RX_FIRST_MONTHS.finditer(text):
        n = int(m["hn"])
        if 1 <= n <= 11:
            add_relative(out, m.start(), m.end(), kinds.YEAR_PART, 2, mod=None, months=(1, n), offset=0,
                         anaphoric=False)
    for m in RX_QUARTER.finditer(text):
        q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(m["q"].lower()) or int(m["q"])
        add_relative(out, m.start(), m.end(), kinds.QUARTER, 0, quarter=q, latest=False)
    for m in RX_SAME_PERIOD_YEAR_BEFORE.finditer(text):  # "tăng 12% so với cùng kỳ năm ngoái": a year back
        add_relative(out, m.start(), m.end(), kinds.RELATIVE_UNIT, 2, unit="same_period_year_before", offset=-1,
                     comparison=bool(re.search(r"(?i:so\s+với|hơn)\s+$", text[max(0, m.start() - 12):m.start()])))
    for m in RX_AGO.finditer(text):
        count = m["n1"] or m["n2"]
        n = int(count) if count.isdigit() else _COUNT_VI[" ".join(count.lower().split())]
        add_relative(out, m.start(), m.end(), kinds.AGO, 2, n=n, unit=_AGO_UNIT[(m["u1"] or m["u2"]).lower()],
                     anaphoric=False)
    for m in RX_RELATIVE_WORD.finditer(text):
        unit, offset = _RELATIVE_WORDS[" ".join(m["k"].lower().split())]
        add_relative(out, m.start(), m.end(), kinds.RELATIVE_UNIT, unit=unit, offset=offset)
