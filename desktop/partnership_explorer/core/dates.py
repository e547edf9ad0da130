"""Find date expressions in news text and resolve them to calendar periods.

Pure Python (no Qt). The public entry point is :func:`find_dates`, which returns
:class:`DateMention` objects with exact character spans, the period meant
(``first``..``last`` inclusive) and its precision.

Design
------
* Candidates are found with hand-written regular expressions (English,
  Vietnamese, Korean/Japanese/Chinese numeric forms, language-neutral numeric
  forms).  For other languages, month names are taken from dateparser's locale
  data and candidate strings are parsed with ``dateparser.date.DateDataParser``
  restricted to that language (results cached).  ``dateparser.search`` is never
  used: it turns money, percentages and words such as "we" into dates.
* Every candidate keeps its precision ("day", "month", "year").  Bare four-digit
  numbers are years only in a year-like context (see ``_bare_year_ok``).
* Overlapping candidates are resolved longest-first; relative expressions are
  then resolved left to right, so anaphoric ones ("the next day") can use the
  mentions found before them.  Finally adjacent mentions joined by "to", "-",
  "and" (after "between") ... are merged into ranges.

Conventions for vague periods (all ``is_range=True``, precision "month"):
  early / beginning / start of YEAR  -> January..March
  mid / middle of YEAR               -> May..August
  late / end / close of YEAR         -> October..December
  first / second half                -> January..June / July..December
  Nth quarter, Q1..Q4                -> the three months of the quarter
The same words applied to a month ("early August 2025", "the end of March")
give that month (precision "month", not a range).  Decades ("the 1990s")
are year ranges.  A year inside a proper name that is followed by neither
punctuation nor a noun phrase ("the Global Goals 2030) summit") is not
reported.  Ambiguous all-numeric dates such as "04/05/2025" are read day
first (the convention of the Vietnamese and Korean-English press this tool
targets) with reduced confidence.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from .periods import MONTH_NAMES, STORED_PRECISIONS, finest, iso_label

__all__ = ["DateMention", "find_dates"]

MIN_DATE = dt.date(1800, 1, 1)
MAX_DATE = dt.date(2200, 12, 31)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    first: dt.date
    last: dt.date
    precision: str
    is_range: bool
    relative: bool
    confidence: float

    def label(self) -> str:
        """'2025-04' for a month; a range as its first and last units, '2025-04/2025-06'."""
        a = iso_label(self.first, self.precision)
        if not self.is_range:
            return a
        return f"{a}/{iso_label(self.last, self.precision)}"


# ---------------------------------------------------------------------------
# small calendar helpers
# ---------------------------------------------------------------------------

def _mlast(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _ok_year(y: int) -> bool:
    return MIN_DATE.year <= y <= MAX_DATE.year


def _day(y: int, m: int, d: int):
    if not _ok_year(y):
        return None
    try:
        x = dt.date(y, m, d)
    except (ValueError, OverflowError):
        return None
    return (x, x)


def _month(y: int, m: int):
    if not _ok_year(y) or not 1 <= m <= 12:
        return None
    return (dt.date(y, m, 1), dt.date(y, m, _mlast(y, m)))


def _months(y: int, m1: int, m2: int):
    if not _ok_year(y) or not (1 <= m1 <= m2 <= 12):
        return None
    return (dt.date(y, m1, 1), dt.date(y, m2, _mlast(y, m2)))


def _year(y: int):
    if not _ok_year(y):
        return None
    return (dt.date(y, 1, 1), dt.date(y, 12, 31))


def _add_months(y: int, m: int, k: int):
    n = y * 12 + (m - 1) + k
    return n // 12, n % 12 + 1


# ---------------------------------------------------------------------------
# vocabulary
# ---------------------------------------------------------------------------

_MONTH_FULL = [name.lower() for name in MONTH_NAMES]
_MONTH_NUM = {n: i + 1 for i, n in enumerate(_MONTH_FULL)}
_MONTH_NUM.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                   "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12})
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

# Months that double as first names: never taken alone right before "X said".
_NAME_MONTHS = {"april", "may", "june", "august", "january"}

_NUM_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
              "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
              "several": None, "few": None, "couple": None}


def _case_forms(words):
    out = []
    for w in sorted(words, key=len, reverse=True):
        out += [w.capitalize(), w.upper()]
    return "|".join(out)


_MON_FULL_ALT = _case_forms(_MONTH_FULL)
_MON_ABBR_ALT = _case_forms(["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep",
                             "oct", "nov", "dec"])
_WD_ALT = _case_forms(_WEEKDAYS)


def _mon(name: str) -> str:
    # Capitalised or upper-case month name; abbreviations may carry a dot.
    return (rf"(?<![A-Za-z])(?P<{name}>(?:{_MON_FULL_ALT})|(?:{_MON_ABBR_ALT})\.?)(?![A-Za-z])")


def _monfull(name: str) -> str:
    return rf"(?<![A-Za-z])(?P<{name}>{_MON_FULL_ALT})(?![A-Za-z])"


def _d(name: str) -> str:
    return rf"(?P<{name}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![A-Za-z\d])"


def _y(name: str) -> str:
    return rf"(?P<{name}>\d{{4}})(?!\d)(?![.,]\d)"


_WDPFX = rf"(?:(?:{_WD_ALT}),?\s+(?:(?i:the)\s+)?)?"
_SP = r"[ \t\u00a0]+"          # horizontal white space only
_OSP = r"[ \t\u00a0]*"
_DASH = r"[-\u2010-\u2015~]"

_R = functools.partial(re.compile)

# --- English ---------------------------------------------------------------
RX_MDY = _R(_WDPFX + _mon("m") + _SP + _d("d") + rf"(?:,{_OSP}|{_SP})(?:(?i:of){_SP})?" + _y("y"))
RX_DMY = _R(_WDPFX + r"(?<![\d.,$/:-])" + _d("d") + rf"{_SP}(?:(?i:of){_SP})?" + _mon("m")
            + rf",?{_SP}" + _y("y"))
RX_MD_RANGE = _R(_mon("m") + _SP + _d("d1") + rf"(?:{_OSP}{_DASH}{_OSP}|{_SP}(?i:to|through|until|till){_SP})"
                 + _d("d2") + rf"(?:,?{_SP}" + _y("y") + ")?")
RX_DM_RANGE = _R(r"(?<![\d.,$/:-])" + _d("d1") + rf"(?:{_OSP}{_DASH}{_OSP}|{_SP}(?i:to|through|until|till){_SP})"
                 + _d("d2") + rf"{_SP}(?:(?i:of){_SP})?" + _mon("m") + rf"(?:,?{_SP}" + _y("y") + ")?")
RX_MY = _R(_mon("m") + rf"{_SP}(?:(?i:of){_SP})?" + _y("y"))
RX_MD = _R(_WDPFX + _mon("m") + _SP + _d("d") + r"(?![,.:]\d)")
RX_DM = _R(_WDPFX + r"(?<![\d.,$/:-])" + _d("d") + rf"{_SP}(?:(?i:of){_SP})?" + _mon("m"))
RX_MON_RELYEAR = _R(_mon("m") + rf"(?:{_SP}" + _d("d") + rf")?(?:,?{_SP}(?i:of))?{_SP}"
                    r"(?P<rel>(?i:last|this|next|the\s+previous|the\s+following|the\s+same|the\s+current))"
                    rf"{_SP}(?i:year)(?![A-Za-z])")
RX_MON_CTX = _R(r"(?<![A-Za-z])(?P<pre>(?i:in|since|during|until|till|by|from|before|after|through|throughout"
                r"|to|between|and|or|last|next|this|later\s+in|earlier\s+in|late\s+in|early\s+in|as\s+of))"
                + _SP + _monfull("m"))
RX_MON_PART = _R(r"(?<![A-Za-z])(?P<e>(?i:(?:the\s+)?(?:end|beginning|start|middle|close)\s+of|early|late|mid"
                 r"|middle))(?:\s*-\s*|\s+)" + _monfull("m") + rf"(?:,?{_SP}" + _y("y") + ")?")
RX_WEEKDAY = _R(r"(?<![A-Za-z])(?:(?P<pre>(?i:last|next|this|on|from|since|until|till|by|before|after|starting"
                r"|beginning|coming))" + _SP + r")?(?P<wd>" + _WD_ALT + r")(?![A-Za-z])")
RX_REL = _R(r"(?<![A-Za-z])(?i:(?P<k>yesterday|today|tomorrow|tonight"
            r"|(?:earlier|later)\s+this\s+(?:year|month|week)"
            r"|(?:last|this|next|the\s+current|current|the\s+previous|the\s+following|the\s+next|the\s+same|that)"
            r"\s+(?:year|month|week|day)"
            r"|the\s+day\s+(?:before|after)))(?![A-Za-z])")
RX_AGO = _R(r"(?<![A-Za-z\d])(?i:(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
            r"|twelve)\s+(?P<u>years?|months?|days?)\s+ago)(?![A-Za-z])")
_YX = (r"(?:" + _y("y") + r"|(?P<ry>(?i:this|last|next|the\s+current|the\s+previous|the\s+following|the))"
       r"\s+(?i:year)(?![A-Za-z]))")
RX_HALF = _R(r"(?<![A-Za-z])(?:(?i:the)\s+)?(?P<o>(?i:first|second|1st|2nd|latter|former))\s+(?i:half)\s+"
             r"(?i:of)\s+(?:(?i:the\s+year)\s+)?" + _YX)
RX_QUARTER = _R(r"(?<![A-Za-z])(?:(?i:the)\s+)?(?P<o>(?i:first|second|third|fourth|final|last|1st|2nd|3rd|4th))"
                r"\s+(?i:quarter)\s+(?i:of)\s+(?:(?i:the\s+year)\s+)?" + _YX)
RX_QH = _R(r"(?<![A-Za-z\d])(?P<q>[QH][1-4])(?:\s*[/-]\s*|\s+(?i:of\s+)?)" + _y("y"))
RX_EDGE = _R(r"(?<![A-Za-z])(?P<e>(?i:(?:the\s+)?(?:end|beginning|start|middle|close)\s+of|early|late|mid"
             r"|middle))(?:\s*-\s*|\s+)(?:(?i:the\s+year)\s+)?" + _YX)
RX_DECADE = _R(r"(?<![A-Za-z\d])(?:(?i:the)\s+)?(?:(?P<e>(?i:early|mid|late))[\s-]+)?"
               r"(?:(?P<dec>(?:18|19|20|21)\d0)|['\u2019](?P<d2>\d0))['\u2019]?s(?![A-Za-z])")
RX_YEAR_RANGE = _R(r"(?:(?<![A-Za-z])(?P<pre>(?i:from|between|từ))\s+(?:(?i:năm)\s+)?)?(?<![\w$.,/:+#-])"
                   r"(?P<y1>\d{4})(?:\s*(?P<dash>[-\u2010-\u2013~])\s*|\u2014|\s+(?P<conn>(?i:to|until|till|through"
                   r"|thru|and|đến|tới))\s+(?:(?i:năm)\s+)?)(?P<y2>\d{4}|\d{2})(?![\d\w]|[.,]\d|-\d)")
RX_YEAR = _R(r"(?<![\w$\u20a9\u20ac\u00a3\u00a5#@.,/:+\u2010-\u2015'\u2019-])(?P<y>\d{4})"
             r"(?![\w%]|[.,:/]\d|[-\u2010-\u2015]\d)")

# --- language neutral numeric forms ---------------------------------------------
_NB = r"(?<![\d./:+\u2010-\u2015-])(?<![vV])"
_NA = r"(?![\w/\u2010-\u2015-]|[.,]\d|:\d)"
RX_NUM_DMY = _R(_NB + r"(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4})" + _NA)
RX_NUM_YMD = _R(_NB + r"(?P<y>\d{4})(?P<s>[/.-])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})" + _NA)
RX_NUM_YMD_SP = _R(_NB + r"(?P<y>\d{4})\.\s(?P<m>\d{1,2})\.\s(?P<d>\d{1,2})\.?" + r"(?!\d)")
RX_NUM_MY = _R(_NB + r"(?P<m>0?[1-9]|1[0-2])/(?P<y>\d{4})" + _NA)

# --- Vietnamese ---------------------------------------------------------------
_VI = re.IGNORECASE
RX_VI_DMY = _R(r"(?<!\w)(?:(?P<ngay>ngày)\s+)?(?P<d>3[01]|[12]\d|0?[1-9])\s+tháng\s+(?P<m>1[0-2]|0?[1-9])"
               r"(?:\s*,?\s+năm\s+(?P<y>\d{4}))?(?!\d)", _VI)
RX_VI_NUM = _R(r"(?<!\w)ngày\s+(?P<d>3[01]|[12]\d|0?[1-9])\s*(?P<s>[/.-])\s*(?P<m>1[0-2]|0?[1-9])"
               r"(?:\s*(?P=s)\s*(?P<y>\d{4}))?(?![\d/.-]\d)", _VI)
RX_VI_DAY = _R(r"(?<!\w)ngày\s+(?P<d>3[01]|[12]\d|0?[1-9])(?![\d/.-])(?!\s+tháng)", _VI)
RX_VI_MY = _R(r"(?<!\w)tháng\s+(?P<m>1[0-2]|0?[1-9])(?:\s*[/.-]\s*|\s*,?\s+năm\s+)(?P<y>\d{4})(?!\d)", _VI)
RX_VI_M = _R(r"(?<!\w)tháng\s+(?P<m>1[0-2]|0?[1-9])(?![\d/.-])(?:\s+(?P<suf>tới|này|vừa\s+qua|qua|trước|sau))?"
             r"(?!\w)", _VI)
RX_VI_Y = _R(r"(?<!\w)năm\s+(?P<y>\d{4})(?![\d]|[.,]\d)", _VI)
RX_VI_PART = _R(r"(?<!\w)(?:(?P<h>6\s+tháng\s+(?P<hp>đầu|cuối))\s+năm|(?P<e>đầu|cuối|giữa)\s+năm"
                r"|quý\s+(?P<q>IV|III|II|I|[1-4])(?![\w])(?:\s*[/-]\s*|\s+năm\s+|\s+))\s*"
                r"(?:(?P<y>\d{4})(?!\d)|(?P<ry>nay|ngoái|tới|sau|trước)(?!\w))", _VI)
RX_VI_REL = _R(r"(?<![\w])(?<!\d\s)(?P<k>hôm\s+nay|hôm\s+qua|ngày\s+mai|năm\s+nay|năm\s+ngoái|năm\s+tới"
               r"|tháng\s+trước|tháng\s+này|tháng\s+tới)(?!\w)", _VI)

# --- Korean / Japanese / Chinese numeric forms ----------------------------------
_YR = r"[년年]"
_MO = r"[월月]"
_DY = r"[일日]"
RX_CJK_YMD = _R(r"(?<!\d)(?P<y>\d{4})\s*" + _YR + r"\s*(?P<m>1[0-2]|0?[1-9])\s*" + _MO
                + r"\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*" + _DY
                + r"(?:\s*[~\-\u2013～]\s*(?P<d2>3[01]|[12]\d|0?[1-9])\s*" + _DY + r")?")
RX_CJK_YMD_R = _R(r"(?<!\d)(?P<y>\d{4})\s*" + _YR + r"\s*(?P<m>1[0-2]|0?[1-9])\s*" + _MO
                  + r"\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*[~\-\u2013～]\s*(?P<d2>3[01]|[12]\d|0?[1-9])\s*" + _DY)
RX_CJK_YM = _R(r"(?<!\d)(?P<y>\d{4})\s*" + _YR + r"\s*(?P<m>1[0-2]|0?[1-9])\s*" + _MO + r"(?!요일)")
RX_CJK_Y = _R(r"(?<!\d)(?P<y>\d{4})\s*" + _YR + r"(?!\s*(?:간|동안|대|度))")
RX_CJK_DECADE = _R(r"(?<!\d)(?P<dec>\d{3}0)\s*" + _YR + r"\s*대")
RX_CJK_YRANGE = _R(r"(?<!\d)(?P<y1>\d{4})\s*" + _YR + r"?\s*[~\-\u2013～]\s*(?P<y2>\d{4})\s*" + _YR)
RX_CJK_MD = _R(r"(?<![\d.])(?P<m>1[0-2]|0?[1-9])\s*" + _MO + r"\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*" + _DY
               + r"(?:\s*[~\-\u2013～]\s*(?P<d2>3[01]|[12]\d|0?[1-9])\s*" + _DY + r")?")
RX_CJK_M = _R(r"(?<![\d.])(?P<m>1[0-2]|0?[1-9])\s*" + _MO + r"(?!요일|\s*\d)")
RX_CJK_D = _R(r"(?<![\d.])(?P<d>3[01]|[12]\d|0?[1-9])\s*" + _DY + r"(?!\s*(?:간|동안|째|치|분))")
RX_CJK_PART = _R(r"(?<!\d)(?P<y>\d{4})\s*" + _YR + r"\s*(?:(?P<h>상반기|하반기|上半年|下半年)"
                 r"|(?P<q>[1-4])\s*(?:분기|四半期|季度)|(?P<e>초|말|중반|初|末))")
RX_KO_REL = _R(r"(?P<k>작년|지난해|지난\s해|올해|금년|내년|오늘|어제|내일|지난달|이번\s?달|다음\s?달)")
RX_KO_WD = _R(r"(?:(?P<pre>지난|다음|이번)\s*(?:주\s*)?)?(?P<wd>[월화수목금토일])요일")

# --- tense cues -----------------------------------------------------------------
RX_FUTURE = _R(r"(?i:\bwill\b|\bshall\b|\bwon[’']t\b|[’']ll\b|\b(?:is|are|am|be)\s+(?:expected|scheduled"
               r"|slated|set|due|going|planned|poised|about|likely)\s+to\b|\bplan(?:s|ning)?\s+to\b"
               r"|\bto\s+be\s+(?:held|hosted|organi[sz]ed|signed|launched|opened)\b|\bupcoming\b"
               r"|\bforthcoming\b|\bnext\b(?![-\u2010-\u2015])|\bintends?\s+to\b|\bwill\b"
               r"|\bsẽ\b|\bdự\s+kiến\b|\bsắp\b)|예정|계획|할\s*것|겠")
RX_PAST = _R(r"(?i:\b(?:was|were|had|did|ago|earlier|previously|former|said|says|told|met|held|made|took"
             r"|began|went|came|saw|gave|won|led|became|grew|rose|fell|hit|set\s+up|agreed|sent|spent|paid"
             r"|đã|vừa)\b)|\b(?!(?:expect|schedul|plann|slat|intend|propos|design|aim|commit|need|speed)ed\b)"
             r"[a-z]{2,}(?<!e)ed\b|했다|였다|었다|았다|했으며|했고")
_RX_CLAUSE_BREAK = _R(r"[,;:\u2013\u2014]|\s(?:and|but|while|whereas|after|before|when)\s")
RX_SENT_END = _R(r"[.!?]+[\"”’')\]]*(?=\s)|\n")

# Tokens that hold a URL, e-mail address or file name: nothing inside is a date.
RX_MASK_ANCHOR = _R(r"://|www\.|@|/|\.(?i:jpe?g|png|gif|webp|pdf|html?|php|aspx?|vnp|docx?|xlsx?|mp4|svg"
                    r"|zip)\b")
_WS = re.compile(r"\s")

# Words after a number that make it a quantity rather than a year.
RX_QUANTITY_AFTER = _R(
    r"\s*(?:%|(?i:percent|per\s*cent|pct|percentage\s+points?|million|billion|trillion|thousand|hundred"
    r"|bn|mn|mln|tn|won|dong|vnd|usd|krw|dollars?|euros?|yen|yuan|people|persons?|workers|employees"
    r"|staff|students|units?|projects|companies|firms|enterprises|businesses|jobs|tons?|tonnes?|km|kilomet"
    r"|met(?:er|re)s|hectares|ha|cars|vehicles|engineers|members|participants|delegates|visitors|tourists"
    r"|households|families|cases|beds|houses|homes|items|products|pieces|shares|times|years|months|weeks"
    r"|days|hours|minutes|seconds|mw|gw|kw|kwh|mwh|gwh|sq|square|feet|ft|miles|kg|mt|teu|scholarships"
    r"|experts|officials|soldiers|troops|patients|doctors|nurses|teachers|children|residents|won\b|hp"
    r"|người|tỷ|triệu|nghìn|ngàn|đồng|USD|doanh\s+nghiệp|dự\s+án|명|원|개|건|억|만)(?![A-Za-z]))")

_STRONG_CTX = {
    "in", "since", "from", "by", "until", "till", "through", "thru", "throughout", "of", "for", "to",
    "during", "before", "after", "year", "end", "early", "late", "mid", "circa", "around", "between",
    "within", "beyond", "spring", "summer", "autumn", "fall", "winter", "fiscal", "fy", "as", "until",
    "ahead", "towards", "toward", "starting", "beginning", "calendar", "on", "at",
    # Vietnamese
    "năm", "từ", "đến", "tới", "vào", "trong", "sau", "trước", "cuối", "đầu", "giữa", "đoạn", "khoảng",
}
_WEAK_CTX = {"the", "this", "that", "its", "their", "his", "her", "our", "and", "or", "a"}


# ---------------------------------------------------------------------------
# candidate
# ---------------------------------------------------------------------------

class _C:
    __slots__ = ("start", "end", "kind", "prio", "first", "last", "precision", "is_range", "relative",
                 "conf", "yexp", "data")

    def __init__(self, start, end, kind, prio=0, first=None, last=None, precision="year", is_range=False,
                 relative=False, conf=0.95, yexp=True, data=None):
        self.start, self.end, self.kind, self.prio = start, end, kind, prio
        self.first, self.last, self.precision = first, last, precision
        self.is_range, self.relative, self.conf, self.yexp = is_range, relative, conf, yexp
        self.data = data or {}


def _abs(out, s, e, span, precision, *, is_range=False, conf=0.95, prio=0, data=None):
    if span is None:
        # An invalid full date ("February 30, 2025") still claims its span so
        # that none of its parts is reported on its own.
        out.append(_C(s, e, "void", prio))
        return
    out.append(_C(s, e, "abs", prio, span[0], span[1], precision, is_range, False, conf, True, data))


def _deferred(out, s, e, kind, prio=0, **data):
    out.append(_C(s, e, kind, prio, yexp=False, data=data))


def _mnum(s: str) -> int:
    return _MONTH_NUM.get(s.rstrip(".").lower(), 0)



# ---------------------------------------------------------------------------
# anchored scanning: each family of patterns is only tried in small windows
# around cheap anchors (month names, weekdays, 4-digit numbers, time words),
# which is several times faster than scanning the whole text with every pattern
# ---------------------------------------------------------------------------

_RX_MONTH_ANCHOR = _R(r"(?=[JFMASOND])(?<![A-Za-z])(?:" + _MON_FULL_ALT + "|" + _MON_ABBR_ALT + r")(?![a-z])")
_RX_WD_ANCHOR = _R(r"(?=[MTWFS])(?<![A-Za-z])(?:" + _WD_ALT + r")(?![A-Za-z])")
_RX_NUM_ANCHOR = _R(r"\d{4}")
_REL_KEYS = ("year", "month", "week", "day", " ago", "tonight", "tomorrow")
_FAMILY = {}  # pattern -> (family, chars before anchor, chars after anchor)


def _fam(family, before, after, *rxs):
    for rx in rxs:
        _FAMILY[rx] = (family, before, after)


_fam("month", 48, 48, RX_MDY, RX_DMY, RX_MD_RANGE, RX_DM_RANGE, RX_MY, RX_MD, RX_DM, RX_MON_RELYEAR, RX_MON_CTX,
     RX_MON_PART)
_fam("wd", 16, 4, RX_WEEKDAY)
_fam("rel", 24, 12, RX_REL, RX_AGO)
_fam("yrel", 48, 8, RX_HALF, RX_QUARTER, RX_EDGE)
_fam("year", 48, 40, RX_QH, RX_NUM_DMY, RX_NUM_YMD, RX_NUM_YMD_SP, RX_NUM_MY, RX_YEAR_RANGE, RX_YEAR)
_fam("decade", 0, 0, RX_DECADE)


class _Anchors:
    __slots__ = ("text", "_cache", "_low")

    def __init__(self, text):
        self.text = text
        self._cache = {}
        self._low = None

    def anchors(self, family):
        got = self._cache.get(family)
        if got is not None:
            return got
        t = self.text
        if family == "month":
            got = [m.span() for m in _RX_MONTH_ANCHOR.finditer(t)]
        elif family == "wd":
            got = [m.span() for m in _RX_WD_ANCHOR.finditer(t)] if "day" in t else []
        elif family == "year":
            got = [m.span() for m in _RX_NUM_ANCHOR.finditer(t)]
        elif family == "rel":
            if self._low is None:
                self._low = t.lower()
            low = self._low
            got = []
            for k in _REL_KEYS:
                i = low.find(k)
                while i >= 0:
                    got.append((i, i + len(k)))
                    i = low.find(k, i + 1)
            got.sort()
        elif family == "yrel":
            got = sorted(self.anchors("year") + [a for a in self.anchors("rel") if t[a[0]:a[1]].lower() == "year"])
        else:  # decade: rare, gate on its suffix and scan everything
            got = [(0, len(t))] if re.search(r"0['\u2019]?s", t) else []
        self._cache[family] = got
        return got

    def scan(self, rx):
        """Matches of rx that cover one of its family's anchors, in text order, without duplicates."""
        family, before, after = _FAMILY[rx]
        t = self.text
        n = len(t)
        anchors = self.anchors(family)
        if family == "decade":
            return list(rx.finditer(t)) if anchors else []
        # merge overlapping windows so that dense anchors cost one scan
        windows = []
        for a, b in anchors:
            lo = max(0, a - before)
            hi = min(n, b + after)
            while hi < n and not t[hi].isspace() and hi < b + after + 40:
                hi += 1
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        starts = [a for a, _ in anchors]
        out = []
        for lo, hi in windows:
            for m in rx.finditer(t, lo, hi):
                # keep matches that contain an anchor (edges of a window can cut words)
                i = bisect.bisect_left(starts, m.end()) - 1
                if i >= 0 and anchors[i][1] > m.start():
                    out.append(m)
        out.sort(key=lambda m: m.start())
        return out

# ---------------------------------------------------------------------------
# extractors
# ---------------------------------------------------------------------------

def _ext_english(text, out, A):
    if A.anchors("month"):
        for m in A.scan(RX_MDY):
            _abs(out, m.start(), m.end(), _day(int(m["y"]), _mnum(m["m"]), int(m["d"])), "day", prio=3)
        for m in A.scan(RX_DMY):
            _abs(out, m.start(), m.end(), _day(int(m["y"]), _mnum(m["m"]), int(m["d"])), "day", prio=3)
        for rx in (RX_MD_RANGE, RX_DM_RANGE):
            for m in A.scan(rx):
                mo, d1, d2 = _mnum(m["m"]), int(m["d1"]), int(m["d2"])
                if d2 <= d1:
                    continue
                if m["y"]:
                    a, b = _day(int(m["y"]), mo, d1), _day(int(m["y"]), mo, d2)
                    if a and b:
                        _abs(out, m.start(), m.end(), (a[0], b[0]), "day", is_range=True, prio=3)
                else:
                    _deferred(out, m.start(), m.end(), "md", 2, m=mo, d=d1, d2=d2, mode="tense")
        for m in A.scan(RX_MY):
            _abs(out, m.start(), m.end(), _month(int(m["y"]), _mnum(m["m"])), "month", prio=2)
        for rx in (RX_MD, RX_DM):
            for m in A.scan(rx):
                if _name_before(text, m.start()):
                    continue
                _deferred(out, m.start(), m.end(), "md", 1, m=_mnum(m["m"]), d=int(m["d"]), mode="tense")
        for m in A.scan(RX_MON_RELYEAR):
            rel = m["rel"].lower().split()[-1]
            off = {"last": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "following": 1,
                   "same": 0}[rel]
            anaphoric = m["rel"].lower().startswith("the") and rel in ("previous", "following", "same")
            _deferred(out, m.start(), m.end(), "monrel", 3, m=_mnum(m["m"]),
                      d=int(m["d"]) if m["d"] else None, off=off, ana=anaphoric)
        for m in A.scan(RX_MON_CTX):
            pre = m["pre"].lower()
            mon = m["m"].lower()
            after = text[m.end():m.end() + 40]
            if mon in _NAME_MONTHS and re.match(r"\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:said|says|told|wrote)\b",
                                                after):
                continue
            if pre in ("and", "or", "to", "between") and not _MONTH_BEFORE.search(text, max(0, m.start() - 40),
                                                                                   m.start()):
                if pre != "between" and pre != "to":
                    continue
            if pre in ("last", "next", "this"):
                mode = {"last": "past_strict", "next": "future_strict", "this": "this"}[pre]
                s = m.start()
            else:
                mode, s = "tense", m.start("m")
            _deferred(out, s, m.end(), "md", 0, m=_mnum(m["m"]), d=None, mode=mode)
        for m in A.scan(RX_MON_PART):
            mo = _mnum(m["m"])
            if m["y"]:
                _abs(out, m.start(), m.end(), _month(int(m["y"]), mo), "month", prio=2)
            else:
                _deferred(out, m.start(), m.end(), "md", 1, m=mo, d=None, mode="tense")
    for m in A.scan(RX_WEEKDAY):
        pre = (m["pre"] or "").lower()
        wd = _WEEKDAYS.index(m["wd"].lower())
        mode = {"last": "past_strict", "next": "future_strict", "this": "this", "coming": "future_strict",
                "from": "future", "starting": "future", "beginning": "future", "until": "future",
                "till": "future"}.get(pre, "tense")
        s = m.start() if pre in ("last", "next", "this", "coming") else m.start("wd")
        _deferred(out, s, m.end(), "weekday", 0, wd=wd, mode=mode)
    for m in A.scan(RX_REL):
        k = " ".join(m["k"].lower().split())
        _rel_word(out, m.start(), m.end(), k)
    for m in A.scan(RX_AGO):
        n = m["n"].lower()
        n = int(n) if n.isdigit() else _NUM_WORDS.get(n)
        if not n:
            continue
        u = m["u"].lower().rstrip("s")
        _deferred(out, m.start(), m.end(), "ago", 1, n=n, unit=u)
    for m in A.scan(RX_HALF):
        o = m["o"].lower()
        h = 1 if o in ("first", "1st", "former") else 2
        _yearpart(out, m, (1, 6) if h == 1 else (7, 12))
    for m in A.scan(RX_QUARTER):
        o = m["o"].lower()
        q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}.get(o, 4)
        _yearpart(out, m, (3 * q - 2, 3 * q))
    for m in A.scan(RX_QH):
        kind, n = m["q"][0], int(m["q"][1])
        if kind == "H" and n > 2:
            continue
        _yearpart(out, m, (3 * n - 2, 3 * n) if kind == "Q" else ((1, 6) if n == 1 else (7, 12)))
    for m in A.scan(RX_EDGE):
        e = m["e"].lower()
        if "mid" in e:
            rng = (5, 8)
        elif "end" in e or "late" in e or "close" in e:
            rng = (10, 12)
        else:
            rng = (1, 3)
        _yearpart(out, m, rng)
    for m in A.scan(RX_DECADE):
        if m["dec"]:
            base = int(m["dec"])
        else:
            d2 = int(m["d2"])
            base = (1900 + d2) if d2 >= 20 else (2000 + d2)
        e = (m["e"] or "").lower()
        lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(e, (0, 9))
        if _ok_year(base + lo) and _ok_year(base + hi):
            _abs(out, m.start(), m.end(), (dt.date(base + lo, 1, 1), dt.date(base + hi, 12, 31)), "year",
                 is_range=True, conf=0.8, prio=1)


_RX_CAP_BEFORE = _R(r"(?<![A-Za-z])([A-Z][a-z]*)[ \t\u00a0]+$")
_OK_CAP_BEFORE = {"on", "in", "since", "by", "from", "until", "till", "before", "after", "through", "during",
                  "between", "and", "or", "to", "of", "as", "at", "updated", "published", "posted", "dated",
                  "last", "next", "this", "early", "late", "mid", "the"} | set(_WEEKDAYS)


def _name_before(text, s) -> bool:
    """True when a capitalised word that is not a preposition precedes position s ("Sa Dec 2")."""
    m = _RX_CAP_BEFORE.search(text, max(0, s - 30), s)
    return bool(m) and m.group(1).lower() not in _OK_CAP_BEFORE


def _yearpart(out, m, rng):
    if m["y"]:
        y = int(m["y"])
        if not 1800 <= y <= 2200:
            return
        _abs(out, m.start(), m.end(), _months(y, *rng), "month", is_range=True, prio=2)
    else:
        ry = " ".join(m["ry"].lower().split())
        off = {"last": -1, "the previous": -1, "next": 1, "the following": 1}.get(ry, 0)
        _deferred(out, m.start(), m.end(), "yearpart", 2, rng=rng, off=off,
                  ana=ry in ("the previous", "the following"))


_REL_TABLE = {
    "yesterday": ("day", -1), "today": ("day", 0), "tomorrow": ("day", 1), "tonight": ("day", 0),
    "last year": ("year", -1), "this year": ("year", 0), "next year": ("year", 1),
    "the current year": ("year", 0), "current year": ("year", 0), "earlier this year": ("year", 0),
    "later this year": ("year", 0),
    "last month": ("month", -1), "this month": ("month", 0), "next month": ("month", 1),
    "the current month": ("month", 0), "current month": ("month", 0), "earlier this month": ("month", 0),
    "later this month": ("month", 0),
    "last week": ("week", -1), "this week": ("week", 0), "next week": ("week", 1),
    "earlier this week": ("week", 0), "later this week": ("week", 0), "the current week": ("week", 0),
    "the previous day": ("aday", -1), "the next day": ("aday", 1), "the following day": ("aday", 1),
    "the same day": ("aday", 0), "the day before": ("aday", -1), "the day after": ("aday", 1),
    "that day": ("aday", 0),
    "the previous year": ("ayear", -1), "the following year": ("ayear", 1), "the next year": ("ayear", 1),
    "the same year": ("ayear", 0), "that year": ("ayear", 0),
    "the previous month": ("amonth", -1), "the following month": ("amonth", 1),
    "the next month": ("amonth", 1), "the same month": ("amonth", 0), "that month": ("amonth", 0),
}


def _rel_word(out, s, e, key):
    v = _REL_TABLE.get(key)
    if v is None:
        return
    unit, off = v
    _deferred(out, s, e, "rel", 0, unit=unit, off=off)


_MONTH_BEFORE = _R(r"(?:" + _MON_FULL_ALT + r")\W*\s*$|\d{4}\s*$|(?:the\s+)?(?:end|beginning|start|middle)"
                   r"\s+of\s+\w+\s*$", re.IGNORECASE)


def _ext_numeric(text, out, A):
    for m in A.scan(RX_NUM_DMY):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if a > 12 and b <= 12:
            span, conf = _day(y, b, a), 0.95
        elif b > 12 and a <= 12:
            span, conf = _day(y, a, b), 0.9
        elif a <= 12 and b <= 12:
            span = _day(y, b, a)
            conf = 0.95 if a == b else 0.7
        else:
            span = None
        _abs(out, m.start(), m.end(), span, "day", conf=conf if span else 0, prio=2)
    for m in A.scan(RX_NUM_YMD):
        _abs(out, m.start(), m.end(), _day(int(m["y"]), int(m["m"]), int(m["d"])), "day", prio=2)
    for m in A.scan(RX_NUM_YMD_SP):
        _abs(out, m.start(), m.end(), _day(int(m["y"]), int(m["m"]), int(m["d"])), "day", prio=2)
    for m in A.scan(RX_NUM_MY):
        _abs(out, m.start(), m.end(), _month(int(m["y"]), int(m["m"])), "month", conf=0.8, prio=1)


def _ext_years(text, out, A):
    for m in A.scan(RX_YEAR_RANGE):
        y1 = int(m["y1"])
        raw2 = m["y2"]
        pre = (m["pre"] or "").lower()
        conn = (m["conn"] or "").lower()
        if len(raw2) == 2:
            if not m["dash"]:
                continue
            y2 = (y1 // 100) * 100 + int(raw2)
        else:
            y2 = int(raw2)
        if not (1800 <= y1 < y2 <= 2200 and y2 - y1 <= 200):
            continue
        if conn == "and" and pre != "between":
            continue
        if not pre and not (1900 <= y1 <= 2100 and 1900 <= y2 <= 2100):
            continue
        if RX_QUANTITY_AFTER.match(text, m.end()):
            continue
        s = m.start() if pre else m.start("y1")
        _abs(out, s, m.end(), (dt.date(y1, 1, 1), dt.date(y2, 12, 31)), "year", is_range=True,
             conf=0.9 if (pre or m["dash"]) else 0.8, prio=1)
    for m in A.scan(RX_YEAR):
        y = int(m["y"])
        if not 1900 <= y <= 2100:
            continue
        conf = _bare_year_ok(text, m.start(), m.end())
        if conf:
            _abs(out, m.start(), m.end(), _year(y), "year", conf=conf, prio=0)


_RX_PREV_WORD = _R(r"([^\W\d_]+)[ \t\u00a0]*[(\[]?[ \t\u00a0]*$")
_RX_MONEY_BEFORE = _R(r"(?:[$\u20a9\u20ac\u00a3\u00a5]|\b(?:US|USD|VND|KRW|EUR|Rs|No|no|#|Nr|number|No\.|"
                      r"page|p|pp|vol|version|v|room|Room|ext|tel|Tel|fax|Fax|phone|hotline|box|code|Article|article|Decree|Decision|Resolution"
                      r"|Circular|Law|Directive))[ \t\u00a0.]*$")


_RX_NUM_BEFORE = _R(r"\d(?:st|nd|rd|th)?[ \t\u00a0,]*$")


def _bare_year_ok(text, s, e) -> float:
    """Confidence that the bare 4-digit number text[s:e] is a year (0 = it is not)."""
    before = text[max(0, s - 40):s]
    if _RX_MONEY_BEFORE.search(before):
        return 0.0
    if RX_QUANTITY_AFTER.match(text, e):
        return 0.0
    after = text[e:e + 3]
    pw = _RX_PREV_WORD.search(before)
    word = pw.group(1) if pw else ""
    lw = word.lower()
    if lw in _STRONG_CTX or _mnum(word) and word[0].isupper():
        return 0.9
    if re.search(r"(?:19|20)\d\d(?:\s*,\s*|\s+(?:and|or|&|to)\s+|\s*/\s*)$", before):
        return 0.85
    if _RX_NUM_BEFORE.search(before):
        return 0.0  # the rest of a number or of an invalid date ("February 30, 2025")
    if lw in _WEAK_CTX:
        return 0.8
    stripped = before.rstrip(" \t\u00a0")
    if stripped.endswith("(") and after[:1] == ")":
        return 0.8
    if after[:1] in (",", ".", ";", ":", "!", "?") or after[:2] in ("'s", "’s") or not after.strip():
        if word and word[0].isupper() and not re.search(r"(?:^|[.!?\n])\s*\S*$", before):
            return 0.0  # part of a proper name ("Vision 2030.")
        return 0.75
    if not stripped or stripped[-1] in ".!?\n:\"“" or stripped.endswith("\n"):
        return 0.7  # starts a sentence or line ("2025 marks ...")
    return 0.0


def _ext_vietnamese(text, out):
    low = text.lower()
    if "tháng" not in low and "năm" not in low and "ngày" not in low and "hôm" not in low and "quý" not in low:
        return
    for m in RX_VI_DMY.finditer(text):
        if not m["ngay"] and not m["y"]:
            continue
        if m["y"]:
            _abs(out, m.start(), m.end(), _day(int(m["y"]), int(m["m"]), int(m["d"])), "day", prio=3)
        else:
            _deferred(out, m.start(), m.end(), "md", 1, m=int(m["m"]), d=int(m["d"]), mode="tense")
    for m in RX_VI_NUM.finditer(text):
        if m["y"]:
            _abs(out, m.start(), m.end(), _day(int(m["y"]), int(m["m"]), int(m["d"])), "day", prio=3)
        else:
            _deferred(out, m.start(), m.end(), "md", 1, m=int(m["m"]), d=int(m["d"]), mode="tense")
    for m in RX_VI_DAY.finditer(text):
        _deferred(out, m.start(), m.end(), "dayonly", 0, d=int(m["d"]))
    for m in RX_VI_MY.finditer(text):
        _abs(out, m.start(), m.end(), _month(int(m["y"]), int(m["m"])), "month", prio=2)
    for m in RX_VI_M.finditer(text):
        suf = " ".join((m["suf"] or "").lower().split())
        mode = {"tới": "future", "sau": "future", "này": "this", "vừa qua": "past", "qua": "past",
                "trước": "past"}.get(suf, "tense")
        end = m.end() if suf else m.end("m")
        _deferred(out, m.start(), end, "md", 0, m=int(m["m"]), d=None, mode=mode)
    for m in RX_VI_Y.finditer(text):
        y = int(m["y"])
        if RX_QUANTITY_AFTER.match(text, m.end()):
            continue
        _abs(out, m.start(), m.end(), _year(y), "year", prio=1)
    for m in RX_VI_PART.finditer(text):
        if m["h"]:
            rng = (1, 6) if m["hp"].lower() == "đầu" else (7, 12)
        elif m["e"]:
            rng = {"đầu": (1, 3), "giữa": (5, 8), "cuối": (10, 12)}[m["e"].lower()]
        else:
            q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(m["q"].lower()) or int(m["q"])
            rng = (3 * q - 2, 3 * q)
        if m["y"]:
            y = int(m["y"])
            _abs(out, m.start(), m.end(), _months(y, *rng), "month", is_range=True, prio=2)
        else:
            off = {"ngoái": -1, "trước": -1, "tới": 1, "sau": 1}.get(m["ry"].lower(), 0)
            _deferred(out, m.start(), m.end(), "yearpart", 2, rng=rng, off=off, ana=False)
    for m in RX_VI_REL.finditer(text):
        k = " ".join(m["k"].lower().split())
        unit, off = {"hôm nay": ("day", 0), "hôm qua": ("day", -1), "ngày mai": ("day", 1),
                     "năm nay": ("year", 0), "năm ngoái": ("year", -1), "năm tới": ("year", 1),
                     "tháng trước": ("month", -1), "tháng này": ("month", 0), "tháng tới": ("month", 1)}[k]
        _deferred(out, m.start(), m.end(), "rel", 0, unit=unit, off=off)


_RX_CJK_ANY = _R(r"\d\s*[년年월月일日]|[작올금내]년|지난해|오늘|어제|내일|요일|지난달|[이다]음?\s?달")


def _ext_cjk(text, out):
    if not _RX_CJK_ANY.search(text):
        return
    for m in RX_CJK_YMD.finditer(text):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        if m["d2"]:
            a, b = _day(y, mo, d), _day(y, mo, int(m["d2"]))
            if a and b and b[0] > a[0]:
                _abs(out, m.start(), m.end(), (a[0], b[0]), "day", is_range=True, prio=3)
            continue
        _abs(out, m.start(), m.end(), _day(y, mo, d), "day", prio=3)
    for m in RX_CJK_YM.finditer(text):
        _abs(out, m.start(), m.end(), _month(int(m["y"]), int(m["m"])), "month", prio=2)
    for m in RX_CJK_Y.finditer(text):
        _abs(out, m.start(), m.end(), _year(int(m["y"])), "year", prio=1)
    for m in RX_CJK_DECADE.finditer(text):
        b = int(m["dec"])
        if _ok_year(b) and _ok_year(b + 9):
            _abs(out, m.start(), m.end(), (dt.date(b, 1, 1), dt.date(b + 9, 12, 31)), "year", is_range=True,
                 prio=2)
    for m in RX_CJK_YRANGE.finditer(text):
        y1, y2 = int(m["y1"]), int(m["y2"])
        if 1800 <= y1 < y2 <= 2200:
            _abs(out, m.start(), m.end(), (dt.date(y1, 1, 1), dt.date(y2, 12, 31)), "year", is_range=True,
                 prio=2)
    for m in RX_CJK_MD.finditer(text):
        if m["d2"]:
            if int(m["d2"]) <= int(m["d"]):
                continue
            _deferred(out, m.start(), m.end(), "md", 1, m=int(m["m"]), d=int(m["d"]), d2=int(m["d2"]),
                      mode="tense")
        else:
            _deferred(out, m.start(), m.end(), "md", 1, m=int(m["m"]), d=int(m["d"]), mode="tense")
    for m in RX_CJK_M.finditer(text):
        _deferred(out, m.start(), m.end(), "md", 0, m=int(m["m"]), d=None, mode="tense")
    for m in RX_CJK_D.finditer(text):
        _deferred(out, m.start(), m.end(), "dayonly", 0, d=int(m["d"]))
    for m in RX_CJK_PART.finditer(text):
        if m["h"]:
            rng = (1, 6) if m["h"] in ("상반기", "上半年") else (7, 12)
        elif m["q"]:
            q = int(m["q"])
            rng = (3 * q - 2, 3 * q)
        else:
            rng = {"초": (1, 3), "初": (1, 3), "중반": (5, 8), "말": (10, 12), "末": (10, 12)}[m["e"]]
        _abs(out, m.start(), m.end(), _months(int(m["y"]), *rng), "month", is_range=True, prio=3)
    for m in RX_KO_REL.finditer(text):
        k = re.sub(r"\s", "", m["k"])
        unit, off = {"작년": ("year", -1), "지난해": ("year", -1), "올해": ("year", 0), "금년": ("year", 0),
                     "내년": ("year", 1), "오늘": ("day", 0), "어제": ("day", -1), "내일": ("day", 1),
                     "지난달": ("month", -1), "이번달": ("month", 0), "다음달": ("month", 1)}[k]
        _deferred(out, m.start(), m.end(), "rel", 0, unit=unit, off=off)
    for m in RX_KO_WD.finditer(text):
        wd = "월화수목금토일".index(m["wd"])
        mode = {"지난": "past_strict", "다음": "future_strict", "이번": "this"}.get(m["pre"] or "", "tense")
        _deferred(out, m.start(), m.end(), "weekday", 0, wd=wd, mode=mode)


# --- other languages: month names from dateparser's locale data -----------------------

@functools.lru_cache(maxsize=32)
def _generic_patterns(language: str):
    try:
        from dateparser.languages.loader import default_loader
        loc = default_loader.get_locale(language)
        info = loc.info
    except Exception:
        return None
    names = {}
    for i, mname in enumerate(_MONTH_FULL):
        for alt in info.get(mname, []) or []:
            a = str(alt).strip().lower()
            if len(a) >= 3 and not re.search(r"\d", a):
                names[a] = i + 1
    if not names:
        return None
    alt = "|".join(re.escape(n) + (r"\.?" if len(n) <= 4 else "") for n in sorted(names, key=len, reverse=True))
    mon = rf"(?<!\w)(?P<m>{alt})(?!\w)"
    d = r"(?<![\w.,])(?P<d>3[01]|[12]\d|0?[1-9])(?:\.|º|er|e)?"
    y = r"(?P<y>\d{4})(?!\d)"
    fill = r"(?:\s+(?:de|del|di|du|d'|von|van|of|le|la))?\s+"
    rx_dmy = re.compile(d + fill + mon + r",?" + fill + y, re.IGNORECASE)
    rx_mdy = re.compile(mon + r"\s+(?P<d>3[01]|[12]\d|0?[1-9])(?!\d),?\s+" + y, re.IGNORECASE)
    rx_my = re.compile(mon + fill + y, re.IGNORECASE)
    return names, rx_dmy, rx_mdy, rx_my


@functools.lru_cache(maxsize=8)
def _ddp(language: str):
    from dateparser.date import DateDataParser
    return DateDataParser(languages=[language], settings={"PREFER_DAY_OF_MONTH": "first",
                                                          "RELATIVE_BASE": dt.datetime(2000, 1, 1)})


@functools.lru_cache(maxsize=4096)
def _dp_parse(language: str, s: str):
    """(date, period) from dateparser for a candidate string, or None."""
    try:
        dd = _ddp(language).get_date_data(s)
    except Exception:
        return None
    if dd is None or dd.date_obj is None:
        return None
    return dd.date_obj.date(), dd.period


def _ext_generic(text, out, language):
    pats = _generic_patterns(language)
    if pats is None:
        return
    names, rx_dmy, rx_mdy, rx_my = pats
    for rx, prec in ((rx_dmy, "day"), (rx_mdy, "day"), (rx_my, "month")):
        for m in rx.finditer(text):
            mo = names.get(m["m"].rstrip(".").lower())
            y = int(m["y"])
            if not mo:
                continue
            if prec == "day":
                span = _day(y, mo, int(m["d"]))
            else:
                span = _month(y, mo)
            parsed = _dp_parse(language, m.group(0))
            if parsed is not None and span is not None:
                # dateparser must agree on the calendar fields it could read.
                pd, period = parsed
                if (pd.year, pd.month) != (y, mo):
                    continue
            _abs(out, m.start(), m.end(), span, prec, prio=3 if prec == "day" else 2,
                 conf=0.9 if parsed else 0.8)


# ---------------------------------------------------------------------------
# resolution of relative expressions
# ---------------------------------------------------------------------------

class _Ctx:
    __slots__ = ("text", "ref", "rprec", "bounds", "done")

    def __init__(self, text, ref, rprec):
        self.text, self.ref, self.rprec = text, ref, rprec
        self.bounds = None
        self.done = []

    def tense(self, c) -> str:
        """'future', 'past' or 'near' (no cue) for the clause around mention c.

        The cue closest to the mention within its sentence decides, so that
        "launched in mid-March, will end in late 2026" reads March as past.
        """
        if self.bounds is None:
            self.bounds = [m.end() for m in RX_SENT_END.finditer(self.text)]
        i = bisect.bisect_right(self.bounds, c.start)
        a = self.bounds[i - 1] if i > 0 else 0
        j = bisect.bisect_left(self.bounds, c.end)
        b = self.bounds[j] if j < len(self.bounds) else len(self.text)
        a, b = max(a, c.start - 150), min(b, c.end + 150)
        best, best_d = "near", None
        for rx, label in ((RX_FUTURE, "future"), (RX_PAST, "past")):
            for m in rx.finditer(self.text, a, b):
                if m.start() < c.end and c.start < m.end():
                    continue
                if m.end() <= c.start:
                    gap = self.text[m.end():c.start]
                else:
                    gap = self.text[c.end:m.start()]
                # a cue in another clause counts for less
                dist = len(gap) + (40 if _RX_CLAUSE_BREAK.search(gap) else 0)
                if best_d is None or dist < best_d:
                    best, best_d = label, dist
        return best


def _set(c, span, precision, conf, relative=True, is_range=False):
    if span is None:
        return False
    c.first, c.last = span
    c.precision, c.conf, c.relative, c.is_range = precision, conf, relative, is_range
    return True


def _month_year(c, ctx, m, d, mode):
    """Year for a month (and optional day) written without a year, or (None, 0)."""
    ref, rp = ctx.ref, ctx.rprec
    if ref is None:
        for p in reversed(ctx.done):
            if p.yexp and not p.relative:
                return p.last.year if not p.is_range else p.first.year, 0.4
        return None, 0.0
    if rp == "year":
        return ref.year, 0.5
    if mode == "this":
        return ref.year, 0.85
    lo = ref
    hi = ref.replace(day=_mlast(ref.year, ref.month)) if rp == "month" else ref
    if lo.month == m and (d is None or rp == "month" or d == ref.day):
        return ref.year, 0.9
    periods = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        span = _day(y, m, d) if d else _month(y, m)
        if span:
            periods.append((y, span))
    if not periods:
        return None, 0.0
    if mode == "tense":
        mode = ctx.tense(c)
    if mode == "past_strict":
        ok = [y for y, (f, la) in periods if la < lo]
        return (max(ok), 0.85) if ok else (None, 0.0)
    if mode == "future_strict":
        ok = [y for y, (f, la) in periods if f > hi]
        return (min(ok), 0.85) if ok else (None, 0.0)
    if mode == "past":
        # a few days of slack: publication dates are often a day or two late
        tol = dt.timedelta(days=7 if d else 0)
        ok = [y for y, (f, la) in periods if f <= hi + tol]
        return (max(ok), 0.8) if ok else (None, 0.0)
    if mode == "future":
        ok = [y for y, (f, la) in periods if la >= lo]
        return (min(ok), 0.8) if ok else (None, 0.0)

    def gap(item):
        f, la = item[1]
        return (max(0, (f - hi).days, (lo - la).days), item[0])
    return min(periods, key=gap)[0], 0.7


def _resolve(c, ctx) -> bool:
    k, dd = c.kind, c.data
    ref, rp = ctx.ref, ctx.rprec
    if k == "md":
        m, d, d2 = dd["m"], dd.get("d"), dd.get("d2")
        y, conf = _month_year(c, ctx, m, d, dd["mode"])
        if y is None:
            return False
        if d is None:
            return _set(c, _month(y, m), "month", conf)
        a = _day(y, m, d)
        if d2:
            b = _day(y, m, d2)
            return bool(a and b) and _set(c, (a[0], b[0]), "day", conf, is_range=True)
        return _set(c, a, "day", conf)
    if k == "monrel":
        m, d, off = dd["m"], dd["d"], dd["off"]
        if dd["ana"]:
            base = _last_year(ctx)
            if base is None:
                return False
            y, conf = base + off, 0.7
        else:
            if ref is None:
                return False
            y, conf = ref.year + off, (0.9 if rp != "year" or off else 0.85)
        return _set(c, _day(y, m, d) if d else _month(y, m), "day" if d else "month", conf)
    if k == "yearpart":
        if dd["ana"]:
            base = _last_year(ctx)
            if base is None:
                return False
            y = base + dd["off"]
        else:
            if ref is None:
                return False
            y = ref.year + dd["off"]
        return _set(c, _months(y, *dd["rng"]), "month", 0.8, is_range=True)
    if k == "rel":
        unit, off = dd["unit"], dd["off"]
        if unit == "year":
            return ref is not None and _set(c, _year(ref.year + off), "year", 0.9)
        if unit == "month":
            if ref is None or rp == "year":
                return False
            y, mo = _add_months(ref.year, ref.month, off)
            return _set(c, _month(y, mo), "month", 0.85)
        if unit == "day":
            if ref is None or rp != "day":
                return False
            x = ref + dt.timedelta(days=off)
            return _set(c, (x, x), "day", 0.7 if off == 0 else 0.85)
        if unit == "week":
            if ref is None or rp != "day":
                return False
            mon = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(days=7 * off)
            return _set(c, (mon, mon + dt.timedelta(days=6)), "day", 0.6, is_range=True)
        if unit == "aday":
            for p in reversed(ctx.done):
                if p.precision == "day" and not p.is_range:
                    x = p.first + dt.timedelta(days=off)
                    return _set(c, (x, x), "day", 0.8 if not p.relative else min(0.7, p.conf))
            return False
        if unit == "ayear":
            base = _last_year(ctx)
            return base is not None and _set(c, _year(base + off), "year", 0.7)
        if unit == "amonth":
            for p in reversed(ctx.done):
                if p.precision in ("day", "month") and not p.is_range:
                    y, mo = _add_months(p.first.year, p.first.month, off)
                    return _set(c, _month(y, mo), "month", 0.7)
            return False
        return False
    if k == "weekday":
        if ref is None or rp != "day":
            return False
        wd, mode = dd["wd"], dd["mode"]
        cur = ref.weekday()
        if mode == "tense":
            mode = ctx.tense(c)
        if mode == "near":
            fwd, back = (wd - cur) % 7, (cur - wd) % 7
            mode = "future" if fwd < back else "past"
        if mode == "future":
            x = ref + dt.timedelta(days=(wd - cur) % 7)
        elif mode == "past":
            x = ref - dt.timedelta(days=(cur - wd) % 7)
        elif mode == "past_strict":
            x = ref - dt.timedelta(days=(cur - wd) % 7 or 7)
        elif mode == "future_strict":
            x = ref + dt.timedelta(days=(wd - cur) % 7 or 7)
        else:  # this
            x = ref - dt.timedelta(days=cur) + dt.timedelta(days=wd)
        return _set(c, (x, x), "day", 0.8)
    if k == "ago":
        if ref is None:
            return False
        n, unit = dd["n"], dd["unit"]
        if unit == "year":
            return _set(c, _year(ref.year - n), "year", 0.8)
        if unit == "month":
            if rp == "year":
                return False
            y, mo = _add_months(ref.year, ref.month, -n)
            return _set(c, _month(y, mo), "month", 0.75)
        if rp != "day":
            return False
        try:
            x = ref - dt.timedelta(days=n)
        except OverflowError:
            return False
        return _set(c, (x, x), "day", 0.75)
    if k == "dayonly":
        d = dd["d"]
        for p in reversed(ctx.done):
            if p.precision in ("day", "month") and not p.is_range:
                return _set(c, _day(p.first.year, p.first.month, d), "day", 0.6)
        if ref is not None and rp in ("day", "month"):
            return _set(c, _day(ref.year, ref.month, d), "day", 0.6)
        return False
    return False


def _last_year(ctx):
    for p in reversed(ctx.done):
        if p.precision in STORED_PRECISIONS:
            return p.first.year if not p.is_range else p.last.year
    return None


# ---------------------------------------------------------------------------
# range merging
# ---------------------------------------------------------------------------

_RX_GAP = _R(r"\s*(?:[-\u2010-\u2013~]|\u2014)\s*|\s+(?i:to|until|till|through|thru|and|đến|tới)\s+(?:(?i:năm)\s+)?"
             r"|\s*(?:부터|에서)\s*")
_RX_FROM = _R(r"(?<![A-Za-z])(?i:from|between|từ)\s+(?:(?i:năm)\s+)?$")


def _rebind_year(c, y):
    """Move a mention written without a year to year y; False if impossible."""
    try:
        f = c.first.replace(year=y)
        last = c.last.replace(year=y)
        if c.precision == "month":
            last = last.replace(day=_mlast(y, last.month))
    except ValueError:
        return False
    c.first, c.last = f, last
    return True


def _merge_ranges(text, ms):
    out = []
    i = 0
    while i < len(ms):
        a = ms[i]
        if i + 1 < len(ms):
            b = ms[i + 1]
            gap = text[a.end:b.start]
            g = _RX_GAP.fullmatch(gap) if len(gap) <= 12 else None
            if g and not a.is_range and not b.is_range:
                word = gap.strip().lower()
                pre = _RX_FROM.search(text, max(0, a.start - 16), a.start)
                ok = True
                if word in ("and",) and not (pre and pre.group(0).lower().startswith("between")):
                    ok = False
                if word in ("to", "until", "till", "through", "thru", "đến", "tới") and not pre \
                        and not (a.precision == b.precision):
                    ok = False
                if word == "\u2014" or (gap.strip() == "\u2014" and gap != "\u2014"):
                    ok = ok and gap == "\u2014"
                if ok and a.precision != "day" and b.precision == "day" and not pre:
                    ok = False
                if ok:
                    # A mention without its own year takes it from its partner.
                    if not a.yexp and b.yexp and a.relative:
                        y = b.first.year
                        if (a.first.month, a.first.day) > (b.first.month, b.first.day):
                            y -= 1
                        ok = _rebind_year(a, y)
                    elif not b.yexp and a.yexp and b.relative:
                        y = a.last.year
                        if (b.first.month, b.first.day) < (a.last.month, a.last.day):
                            y += 1
                        ok = _rebind_year(b, y)
                if ok and a.first <= b.first and a.last <= b.last and a.first != b.first:
                    start = pre.start() if pre else a.start
                    end = b.end
                    if text.startswith("까지", end):
                        end += 2
                    prec = finest(a.precision, b.precision)
                    out.append(_C(start, end, "abs", 0, a.first, b.last, prec, True, a.relative or b.relative,
                                  min(a.conf, b.conf), a.yexp and b.yexp))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


# ---------------------------------------------------------------------------
# public entry point
# ---------------------------------------------------------------------------

def _select(cands):
    cands.sort(key=lambda c: (-(c.end - c.start), -c.prio, c.start))
    taken = []  # sorted list of (start, end)
    starts = []
    chosen = []
    for c in cands:
        if c.end <= c.start:
            continue
        i = bisect.bisect_right(starts, c.start)
        if i > 0 and taken[i - 1][1] > c.start:
            continue
        if i < len(taken) and taken[i][0] < c.end:
            continue
        taken.insert(i, (c.start, c.end))
        starts.insert(i, c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _masked(text):
    """Spans of URL, e-mail and file-name tokens."""
    spans = []
    last_end = -1
    for m in RX_MASK_ANCHOR.finditer(text):
        if m.start() < last_end:
            continue
        a = m.start()
        while a > 0 and not text[a - 1].isspace():
            a -= 1
        e = _WS.search(text, m.end())
        b = e.start() if e else len(text)
        last_end = b
        tok = text[a:b]
        if "://" in tok or "www." in tok or _RX_EMAIL.search(tok) or _RX_FILE_EXT.search(tok):
            spans.append((a, b))
            continue
        parts = tok.split("/")
        if len(parts) >= 3 and any(_RX_LETTER.search(x) for x in parts[1:-1]):
            spans.append((a, b))
    return spans


_RX_EMAIL = _R(r"\w@\w")
_RX_FILE_EXT = _R(r"\w\.(?i:jpe?g|png|gif|webp|pdf|html?|php|aspx?|vnp|docx?|xlsx?|mp4|svg|zip)\b")
_RX_LETTER = _R(r"[^\W\d_]")


def find_dates(text: str, *, reference: dt.date | None = None, reference_precision: str | None = None,
               language: str = "en") -> list[DateMention]:
    """All date expressions in `text`, sorted by start, non-overlapping."""
    try:
        return _find_dates(text, reference, reference_precision, language)
    except Exception:  # pragma: no cover - last line of defence: never raise
        return []


def _find_dates(text, reference, reference_precision, language):
    if not isinstance(text, str) or not text:
        return []
    if isinstance(reference, dt.datetime):
        reference = reference.date()
    if not isinstance(reference, dt.date) or not (MIN_DATE <= reference <= MAX_DATE):
        reference = None
    rprec = reference_precision if reference_precision in STORED_PRECISIONS else "day"
    lang = (language or "en").lower().split("-")[0].split("_")[0]

    cands: list[_C] = []
    A = _Anchors(text)
    extractors = [lambda: _ext_numeric(text, cands, A), lambda: _ext_years(text, cands, A),
                  lambda: _ext_vietnamese(text, cands), lambda: _ext_cjk(text, cands)]
    if lang == "en" or lang not in ("vi", "ko", "ja", "zh"):
        extractors.append(lambda: _ext_english(text, cands, A))
    if lang not in ("en", "vi", "ko"):
        extractors.append(lambda: _ext_generic(text, cands, lang))
    for ex in extractors:
        try:
            ex()
        except Exception:
            continue

    mask = _masked(text)
    if mask:
        cands = [c for c in cands if not any(c.start < b and a < c.end for a, b in mask)]

    ctx = _Ctx(text, reference, rprec)
    resolved = []
    for c in _select(cands):
        if c.kind == "void":
            continue
        try:
            if c.kind != "abs":
                if not _resolve(c, ctx):
                    continue
                c.relative = True
        except Exception:
            continue
        if c.first is None or c.last is None or c.first > c.last:
            continue
        if not (MIN_DATE <= c.first and c.last <= MAX_DATE):
            continue
        resolved.append(c)
        ctx.done.append(c)

    try:
        resolved = _merge_ranges(text, resolved)
    except Exception:
        pass

    result = []
    n = len(text)
    for c in resolved:
        if not (0 <= c.start < c.end <= n):
            continue
        result.append(DateMention(c.start, c.end, text[c.start:c.end], c.first, c.last, c.precision,
                                  bool(c.is_range), bool(c.relative), float(max(0.0, min(1.0, c.conf)))))
    return result
