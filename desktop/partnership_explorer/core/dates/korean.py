"""Korean (and the shared Japanese/Chinese numeric) date expressions: "2025년 8월 12일", "8월 12~14일",
"2025년 상반기", "1990년대", and the relative words "어제", "그제", "지난주", "이달", "지난해 9월", "같은 해 8월",
"올해 초", "연내", "지난 6일", "오는 13일"."""

from __future__ import annotations

import datetime as dt
import re

from ..pattern_gates import WordGates
from . import kinds
from .candidates import add_absolute, add_relative, day_span, month_span, months_span, year_ok, year_span

_YEAR = r"[년年]"
_MONTH = r"[월月]"
_DAY = r"[일日]"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9])"
_M = r"(?P<m>1[0-2]|0?[1-9])"
_D2 = r"(?:\s*[~\-\u2013～]\s*(?P<d2>3[01]|[12]\d|0?[1-9])\s*" + _DAY + r")?"
RX_YEAR_MONTH_DAY = re.compile(r"(?<!\d)(?P<y>\d{4})\s*" + _YEAR + r"\s*" + _M + r"\s*" + _MONTH + r"\s*" + _D
                               + r"\s*" + _DAY + _D2)
RX_YEAR_MONTH = re.compile(r"(?<!\d)(?P<y>\d{4})\s*" + _YEAR + r"\s*" + _M + r"\s*" + _MONTH + r"(?!요일)")
# ("1990년대" is a decade; "2016년 대명자동차가", a year and a name)
RX_YEAR = re.compile(r"(?<!\d)(?P<y>\d{4})\s*" + _YEAR + r"(?!\s*(?:간|동안|度)|대)")
RX_DECADE = re.compile(r"(?<!\d)(?P<dec>\d{3}0)\s*" + _YEAR + r"\s*대")
RX_YEAR_RANGE = re.compile(r"(?<!\d)(?P<y1>\d{4})\s*" + _YEAR + r"?\s*[~\-\u2013～]\s*(?P<y2>\d{4})\s*" + _YEAR)
_RELATIVE_YEAR = r"(?P<ry>작년|지난해|지난\s해|올해|금년|내년|같은\s?해|그해|이듬해)"
RX_MONTH_DAY = re.compile(r"(?:(?P<pre>지난|오는|이번)\s*)?(?<![\d.])" + _M + r"\s*" + _MONTH + r"\s*" + _D
                          + r"\s*" + _DAY + _D2)
RX_MONTH_OF_RELATIVE_YEAR = re.compile(_RELATIVE_YEAR + r"\s*" + _M + r"\s*" + _MONTH + r"(?:\s*" + _D + r"\s*"
                                       + _DAY + r")?(?!요일)")
RX_MONTH = re.compile(r"(?:(?P<pre>지난|오는|이번)\s*)?(?<![\d.])" + _M + r"\s*" + _MONTH + r"(?!요일|\s*\d)")
RX_DAY = re.compile(r"(?:(?P<pre>지난|오는|이번\s?달)\s*)?(?<![\d.])" + _D + r"\s*" + _DAY
                    + r"(?!\s*(?:간|동안|째|치|분))")
RX_YEAR_PART = re.compile(r"(?<!\d)(?:(?P<y>\d{4})\s*" + _YEAR + r"|" + _RELATIVE_YEAR + r")\s*(?:(?P<h>상반기|하반기"
                          r"|上半年|下半年)|(?P<q>[1-4])\s*(?:분기|四半期|季度)|(?P<e>초|말|중반|初|末))")
# the year's end or start: "올 연말", "올해 연말", "내년 연초", "2027년 연말", a bare "연말" being this year's
RX_YEAR_END = re.compile(r"(?:(?P<y>\d{4})\s*년\s*|(?P<ry>작년|지난해|올해|올|금년|내년)\s*)?(?<![가-힣])(?P<e>연말|연초)(?![가-힣]*\s*(?:대비|보다))")
# this time of a year before or after: "작년 이맘때" (about this time last year), "내년 이맘때"
RX_THIS_TIME = re.compile(r"(?P<ry>작년|지난해|내년)\s*(?:이맘때|이맘\s+때|이\s*무렵)")
# a half named without its year is the story's year's: "마하마 대통령은 하반기 방한할 예정이다"
RX_BARE_HALF = re.compile(r"(?<![\d가-힣])(?P<h>상반기|하반기)(?![가-힣]*\s*(?:대비|보다|比))")
# months of one year: "올해 1~8월", "2025년 3~5월" (a bare "1~8월" names no year)
RX_MONTH_RANGE = re.compile(r"(?<!\d)(?:(?P<y>\d{4})\s*" + _YEAR + r"|" + _RELATIVE_YEAR + r")\s*(?P<m1>1[0-2]|0?[1-9])\s*"
                            + _MONTH + r"?\s*[~\-\u2013～]\s*(?P<m2>1[0-2]|0?[1-9])\s*" + _MONTH + r"(?!\s*\d)")
RX_RELATIVE_WORD = re.compile(r"(?P<k>작년|지난해|지난\s해|올해|금년|내년|연내|오늘|어제|그제|그저께|내일|모레|지난달"
                              r"|이번\s?달|이달|다음\s?달|같은\s?달|그달|이듬해|그해|같은\s?해(?!\s*\d)|지난\s?주|이번\s?주|다음\s?주|전날|다음\s?날|이튿날|같은\s?날|이날)")
RX_WEEKDAY = re.compile(r"(?:(?P<pre>지난|다음|이번)\s*(?:주\s*)?)?(?P<wd>[월화수목금토일])요일")
# a count back from the day of the story: "2년 전", "3개월 전", "사흘 전" (three days ago), "한 달 전에"
_NATIVE_DAYS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "이레": 7, "여드레": 8, "아흐레": 9,
                "열흘": 10}
_NATIVE_MONTHS = {"한달": 1, "두달": 2, "석달": 3, "넉달": 4}
RX_AGO = re.compile(r"(?<![\d.])(?:(?P<n>\d{1,3})\s*(?P<u>년|개월|주|일)|(?P<nd>" + "|".join(_NATIVE_DAYS)
                    + r")|(?P<nm>[한두석넉]\s?달))\s*전(?=에|부터|까지|[^가-힣]|$)")
_AGO_UNIT = {"년": "year", "개월": "month", "주": "week", "일": "day"}
_RX_NIGHTS_BEFORE = re.compile(r"\d\s*박\s*$")
_GATES = WordGates()  # a text without the Korean words these forms need is not searched for them
_RX_ANY = _GATES.compile(r"\d\s*[년年월月일日]|[작올금내]년|올해|[상하]반기|연말|연초|이맘|지난해|연내|오늘|어제|그제|내일|요일|지난달|이달|[이다]음?\s?달"
                         r"|[지이다][난번음]\s?주|전날|같은\s?해|같은\s?[날달]|그달|이듬해|그해|이날"
                         r"|\d\s*(?:개월|주)\s*전|(?:하루|이틀|사흘|나흘|닷새|엿새|이레|여드레|아흐레|열흘|[한두석넉]\s?달)\s*전")
# every alternative of _RX_ANY holds a Hangul syllable or one of 年月日: a text with none is not searched further
_RX_SCRIPT = re.compile(r"[\uac00-\ud7a3年月日]")

_RELATIVE_WORDS = {"작년": ("year", -1), "지난해": ("year", -1), "올해": ("year", 0), "금년": ("year", 0),
                   "내년": ("year", 1), "연내": ("year", 0), "오늘": ("day", 0), "어제": ("day", -1),
                   "그제": ("day", -2), "그저께": ("day", -2), "내일": ("day", 1), "모레": ("day", 2),
                   "지난달": ("month", -1), "이번달": ("month", 0), "이달": ("month", 0), "다음달": ("month", 1),
                   "지난주": ("week", -1), "이번주": ("week", 0), "다음주": ("week", 1),
                   "전날": ("mentioned_day", -1), "다음날": ("mentioned_day", 1), "이튿날": ("mentioned_day", 1),
                   "같은날": ("mentioned_day", 0), "이날": ("mentioned_day", 0),
                   "같은달": ("mentioned_month", 0), "그달": ("mentioned_month", 0),
                   "같은해": ("mentioned_year", 0), "그해": ("mentioned_year", 0), "이듬해": ("mentioned_year", 1)}
_YEAR_OFFSET = {"작년": -1, "지난해": -1, "올해": 0, "금년": 0, "내년": 1, "같은해": 0, "그해": 0, "이듬해": 1}
_MODE = {"지난": "past_strict", "오는": "future_strict", "이번": "this", "이번달": "this", "이번 달": "this"}
_EDGE = {"초": "START", "初": "START", "중반": "MID", "말": "END", "末": "END"}


def _year_words(words: str) -> tuple[int, bool]:
    """(offset, anaphoric) of a relative year: 지난해 -1, 올해 0, 같은 해 0 counted from the last year mentioned."""
    key = re.sub(r"\s", "", words)
    return _YEAR_OFFSET[key], key in ("같은해", "그해", "이듬해")


def find_korean(text: str, out: list) -> None:
    if not _RX_SCRIPT.search(text) or not _RX_ANY.search(_GATES.open_in(text)):
        return
    for m in RX_YEAR_MONTH_DAY.finditer(text):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if m["d2"]:
            a, b = day_span(y, mo, d), day_span(y, mo, int(m["d2"]))
            if a and b and b[0] > a[0]:
                add_absolute(out, m.start(), m.end(), (a[0], b[0]), "day", is_range=True, priority=3)
            continue
        add_absolute(out, m.start(), m.end(), day_span(y, mo, d), "day", priority=3)
    for m in RX_YEAR_MONTH.finditer(text):
        add_absolute(out, m.start(), m.end(), month_span(int(m["y"]), int(m["m"])), "month", priority=2)
    for m in RX_YEAR.finditer(text):
        add_absolute(out, m.start(), m.end(), year_span(int(m["y"])), "year", priority=1)
    for m in RX_DECADE.finditer(text):
        b = int(m["dec"])
        if year_ok(b) and year_ok(b + 9):
            add_absolute(out, m.start(), m.end(), (dt.date(b, 1, 1), dt.date(b + 9, 12, 31)), "year", is_range=True,
                         priority=2)
    for m in RX_YEAR_RANGE.finditer(text):
        y1, y2 = int(m["y1"]), int(m["y2"])
        if 1800 <= y1 < y2 <= 2200:
            add_absolute(out, m.start(), m.end(), (dt.date(y1, 1, 1), dt.date(y2, 12, 31)), "year", is_range=True,
                         priority=2)
    for m in RX_MONTH_DAY.finditer(text):
        mode = _MODE.get(m["pre"] or "", "tense")
        if m["d2"] and int(m["d2"]) <= int(m["d"]):
            continue
        add_relative(out, m.start(), m.end(), kinds.MONTH_DAY, 1, month=int(m["m"]), day=int(m["d"]),
                     day2=int(m["d2"]) if m["d2"] else None, mode=mode)
    for m in RX_MONTH_OF_RELATIVE_YEAR.finditer(text):
        offset, anaphoric = _year_words(m["ry"])
        add_relative(out, m.start(), m.end(), kinds.MONTH_OF_RELATIVE_YEAR, 3, month=int(m["m"]),
                     day=int(m["d"]) if m["d"] else None, offset=offset, anaphoric=anaphoric)
    for m in RX_MONTH.finditer(text):
        add_relative(out, m.start(), m.end(), kinds.MONTH_DAY, 0, month=int(m["m"]), day=None,
                     mode=_MODE.get(m["pre"] or "", "tense"))
    for m in RX_DAY.finditer(text):
        if not m["pre"] and _RX_NIGHTS_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "2박 3일": two nights, three days, a length of stay
        pre = re.sub(r"\s", "", m["pre"] or "")
        add_relative(out, m.start(), m.end(), kinds.DAY_OF_MONTH, day=int(m["d"]),
                     mode={"지난": "past", "오는": "future"}.get(pre, "near"), this_month=True)
    for m in RX_MONTH_RANGE.finditer(text):
        months = (int(m["m1"]), int(m["m2"]))
        if not months[0] < months[1]:
            continue
        if m["y"]:
            add_absolute(out, m.start(), m.end(), months_span(int(m["y"]), *months), "month", is_range=True,
                         priority=3)
        else:
            offset, anaphoric = _year_words(m["ry"])
            add_relative(out, m.start(), m.end(), kinds.YEAR_PART, 3, mod=None, months=months, offset=offset,
                         anaphoric=anaphoric)
    for m in RX_YEAR_PART.finditer(text):
        mod = None
        if m["h"]:
            months = (1, 6) if m["h"] in ("상반기", "上半年") else (7, 12)
        elif m["q"]:
            q = int(m["q"])
            months = (3 * q - 2, 3 * q)
        else:
            months, mod = (1, 12), _EDGE[m["e"]]
        whole_year = months == (1, 12)
        if m["y"]:
            y = int(m["y"])
            span = year_span(y) if whole_year else months_span(y, *months)
            add_absolute(out, m.start(), m.end(), span, "year" if whole_year else "month", is_range=not whole_year,
                         priority=3, mod=mod)
        else:
            offset, anaphoric = _year_words(m["ry"])
            add_relative(out, m.start(), m.end(), kinds.YEAR_PART, 3, mod=mod, months=months, offset=offset,
                         anaphoric=anaphoric)
    for m in RX_YEAR_END.finditer(text):
        mod = "END" if m["e"] == "연말" else "START"
        if m["y"]:
            add_absolute(out, m.start(), m.end(), year_span(int(m["y"])), "year", priority=3, mod=mod)
        else:
            key = re.sub(r"\s", "", m["ry"] or "올해")
            offset = _YEAR_OFFSET["올해" if key == "올" else key]
            add_relative(out, m.start(), m.end(), kinds.YEAR_PART, 3, mod=mod, months=(1, 12), offset=offset,
                         anaphoric=False)
    for m in RX_THIS_TIME.finditer(text):
        add_relative(out, m.start(), m.end(), kinds.RELATIVE_UNIT, 3, unit="this_time_of_year",
                     offset=_YEAR_OFFSET[m["ry"]])
    for m in RX_BARE_HALF.finditer(text):
        add_relative(out, m.start(), m.end(), kinds.YEAR_PART, 2, mod=None,
                     months=(1, 6) if m["h"] == "상반기" else (7, 12), offset=0, anaphoric=False)
    for m in RX_AGO.finditer(text):
        if m["n"]:
            n, unit = int(m["n"]), _AGO_UNIT[m["u"]]
        elif m["nd"]:
            n, unit = _NATIVE_DAYS[m["nd"]], "day"
        else:
            n, unit = _NATIVE_MONTHS[re.sub(r"\s", "", m["nm"])], "month"
        add_relative(out, m.start(), m.end(), kinds.AGO, 4, n=n, unit=unit, anaphoric=False)
    for m in RX_RELATIVE_WORD.finditer(text):
        unit, offset = _RELATIVE_WORDS[re.sub(r"\s", "", m["k"])]
        add_relative(out, m.start(), m.end(), kinds.RELATIVE_UNIT, unit=unit, offset=offset)
    for m in RX_WEEKDAY.finditer(text):
        add_relative(out, m.start(), m.end(), kinds.WEEKDAY, weekday="월화수목금토일".index(m["wd"]),
                     mode={"지난": "past_strict", "다음": "future_strict", "이번": "this"}.get(m["pre"] or "", "tense"))
