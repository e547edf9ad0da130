"""Read article files (.txt, .md, .html) into normalised text plus metadata.

Everything downstream records character offsets into ``Document.text``, so the text is fixed here once:
decoded, a leading BOM removed, ``\\r\\n`` and lone ``\\r`` turned into ``\\n``, NFC-normalised, and (for
HTML) reduced to the article text by trafilatura. Nothing else is collapsed.

Sources of metadata, strongest first:

* for the publication date of an HTML page, the page's own date markup read by htmldate (meta tags, JSON-LD,
  ``<time>``; published_source ``"html-metadata"``);
* ``manifest.csv`` next to the articles (:func:`load_manifest`), matched by file name;
* the file's own metadata: HTML ``<meta>``/``<title>``/``<html lang>`` or Markdown front matter (published_source
  ``"metadata"``);
* a dateline or date stamp near the top of the text (published_source ``"dateline"``);
* language detection with py3langid, and ``"en"`` as the last resort.

``Document.published_source`` is therefore one of ``"manifest"``, ``"html-metadata"``, ``"metadata"``
(Markdown front matter), ``"dateline"`` or ``"unknown"``.

No network access happens here: HTML is parsed from the file's bytes with lxml (``no_network``) and handed to
trafilatura / htmldate as a parsed tree, never as a string or URL; scripts, frames and images are never run or
fetched, only text is kept. This module does not import Qt.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import errno
import functools
import hashlib
import io
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .dates.story_year import yearless_dateline
from .files import FileRefused, describe_mode, read_regular
from .periods import TYPED_PRECISIONS, Period, PeriodError, iso_label, rank
from .periods import parse as parse_period

__all__ = [
    "SUPPORTED_SUFFIXES",
    "ReadError",
    "Manifest",
    "ManifestRow",
    "Document",
    "load_manifest",
    "read_document",
    "iter_input_files",
    "PUBLISHED_SOURCES",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
PUBLISHED_SOURCES = ("manifest", "html-metadata", "metadata", "dateline", "unknown")
MANIFEST_NAME = "manifest.csv"

_HTML_SUFFIXES = (".html", ".htm")
_MD_SUFFIXES = (".md", ".markdown")
_DETECT_LANGUAGES = ("en", "vi", "ko", "ja", "zh", "fr", "de", "es")
_DATELINE_WINDOW = 1500


class ReadError(Exception):
    """One-line, user-facing message, e.g. "report.txt: not a text file (binary content)".

    ``str(err)`` is meant to be shown as is; line breaks in the message (e.g. from odd file names) are
    replaced by spaces so it always stays on one line.
    """

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


@dataclass(frozen=True)
class ManifestRow:
    file: str
    title: str | None
    outlet: str | None
    language: str | None
    published: str | None  # "YYYY" | "YYYY-MM" | "YYYY-MM-DD" normalised, or None
    published_precision: str | None  # "year" | "month" | "day"
    published_basis: str | None
    # Extra (not in the original column set): problems found in this row, e.g. a bad date. They are copied
    # into Document.warnings of the matching document.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    path: Path
    file_name: str  # path.name
    text: str  # the article text that offsets refer to (NFC, \n newlines)
    title: str | None
    outlet: str | None
    language: str  # ISO 639-1
    published: str | None  # "YYYY" | "YYYY-MM" | "YYYY-MM-DD"
    published_precision: str | None  # "year" | "month" | "day"
    published_source: str  # one of PUBLISHED_SOURCES
    content_hash: str  # sha256 hex of the raw file bytes
    encoding: str  # what the bytes were decoded as
    warnings: tuple[str, ...]  # non-fatal notes


# --------------------------------------------------------------------------------------------------------------
# small helpers


def one_line(message: object) -> str:
    return re.sub(r"[\r\n\t\v\f\x85\u2028\u2029]+", " ", str(message)).strip()


def _display_name(path: Path) -> str:
    return path.name or str(path)


def _normalise_text(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _clean_value(value: str | None) -> str | None:
    if value is None:
        return None
    value = one_line(unicodedata.normalize("NFC", value)).strip()
    return value or None


_UNKNOWN_VALUES = {"", "unknown", "n/a", "na", "none", "null", "-", "?"}


def _clean_label(value: str | None) -> str | None:
    """A title/outlet value, with placeholders such as "unknown" turned into None."""
    value = _clean_value(value)
    if value is None or value.casefold() in _UNKNOWN_VALUES:
        return None
    return value


_LANGUAGE_NAMES = {
    "english": "en", "eng": "en", "vietnamese": "vi", "vie": "vi", "tiếng việt": "vi", "korean": "ko",
    "kor": "ko", "japanese": "ja", "jpn": "ja", "chinese": "zh", "zho": "zh", "chi": "zh", "french": "fr",
    "fra": "fr", "fre": "fr", "german": "de", "deu": "de", "ger": "de", "spanish": "es", "spa": "es",
}


def _normalise_language(value: str | None) -> str | None:
    """'en-US' → 'en', 'vi_VN' → 'vi', 'Korean' → 'ko'; None if it does not look like a language."""
    if not value:
        return None
    value = value.strip().casefold()
    if value in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[value]
    m = re.fullmatch(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*", value)
    if not m:
        return None
    primary = m.group(1)
    if len(primary) == 3:
        return _LANGUAGE_NAMES.get(primary)
    return primary


# --------------------------------------------------------------------------------------------------------------
# dates

def _today() -> _dt.date:
    return _dt.date.today()


def _valid_ymd(y: int, m: int | None = None, d: int | None = None) -> bool:
    if not 1000 <= y <= 9999:
        return False
    try:
        Period.from_parts(y, m, d)
    except PeriodError:
        return False
    return True


def _fmt(y: int, m: int | None, d: int | None) -> tuple[str, str]:
    period = Period.from_parts(y, m, d)
    return period.label(), period.precision


_ISO_VALUE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ]\S.*|Z)?")
_DMY_VALUE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T ]\S.*)?")


def _normalise_date_value(value: str, languages: Iterable[str] = ("en",)) -> tuple[str, str] | None:
    """Normalise a metadata date ('2025-04-14', '2025-04', '2025', '14/04/2025', '2025-04-14T10:30:00+07:00',
    'April 2025', '14 April 2025') to ("YYYY[-MM[-DD]]", precision); None if it is not a date."""
    value = value.strip()
    if not value:
        return None
    m = _ISO_VALUE.fullmatch(value)
    if m:
        y = int(m.group(1))
        mo = int(m.group(2)) if m.group(2) else None
        d = int(m.group(3)) if m.group(3) else None
        return _fmt(y, mo, d) if _valid_ymd(y, mo, d) else None
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T\S*)?", value)  # compact 20250414
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return _fmt(y, mo, d) if _valid_ymd(y, mo, d) else None
    m = _DMY_VALUE.fullmatch(value)
    if m:
        ymd = _day_first(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _fmt(*ymd) if ymd else None
    # free text such as "April 2025" or "14 avril 2025": only with an explicit 4-digit year
    if not re.search(r"(?<!\d)\d{4}(?!\d)", value) or len(value) > 60:
        return None
    return _dateparser_value(value, tuple(languages))


def _day_first(a: int, b: int, y: int) -> tuple[int, int, int] | None:
    """Numeric a/b/y is read as day/month/year, or month/day/year when day-first is impossible."""
    if _valid_ymd(y, b, a):
        return y, b, a
    if _valid_ymd(y, a, b):
        return y, a, b
    return None


@functools.lru_cache(maxsize=1)
def _dateparser_module():
    import dateparser

    return dateparser


@functools.lru_cache(maxsize=64)
def _date_parser(languages: tuple[str, ...]):
    _dateparser_module()
    from dateparser.date import DateDataParser

    settings = {
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": False,
    }
    usable = [lang for lang in dict.fromkeys(languages) if lang]
    try:
        return DateDataParser(languages=usable or ["en"], settings=settings)
    except ValueError:  # a language dateparser does not know
        return DateDataParser(languages=["en"], settings=settings)


@functools.lru_cache(maxsize=512)
def _dateparser_value(snippet: str, languages: tuple[str, ...]) -> tuple[str, str] | None:
    try:
        data = _date_parser(languages).get_date_data(snippet)
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on odd input
        return None
    if data is None or data.date_obj is None:
        return None
    when = data.date_obj
    period = data.period or "day"
    if period == "year":
        return _fmt(when.year, None, None)
    if period == "month":
        return _fmt(when.year, when.month, None)
    return _fmt(when.year, when.month, when.day)


def _plausible_publication(value: str) -> bool:
    y = int(value[:4])
    if y < 1900:
        return False
    return parse_period(value).first <= _today() + _dt.timedelta(days=2)


# --------------------------------------------------------------------------------------------------------------
# dateline detection in text

_YEAR = r"(?P<y>(?:19|20)\d{2})"
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dmy", re.compile(r"(?<!\d)(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-]" + _YEAR + r"(?![\d/.\-]\d)")),
    ("ymd", re.compile(r"(?<![\d/.\-])" + _YEAR + r"(?P<s>[/.\-])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d)")),
    ("ymd", re.compile(_YEAR + r"\s*[년年]\s*(?P<m>\d{1,2})\s*[월月]\s*(?P<d>\d{1,2})\s*[일日]")),
    ("ymd", re.compile(
        r"(?i:ngày)\s+(?P<d>\d{1,2})\s+(?i:tháng)\s+(?P<m>\d{1,2})\s*(?:,\s*|\s+(?i:năm)\s+)" + _YEAR)),
    ("text", re.compile(
        r"(?<![\w])\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+)?" + _YEAR + r"(?!\d)")),
    ("text", re.compile(
        r"(?<![\w])[^\W\d_]{3,12}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+" + _YEAR + r"(?!\d)")),
)

_STAMP_WORDS = (
    r"published|posted|updated|update|last\s+updated|modified|date|dated|released|issued|first\s+published|"
    r"ngày\s+đăng|đăng\s+ngày|đăng\s+lúc|đăng|cập\s+nhật|xuất\s+bản|"
    r"입력|수정|등록|발행|기사입력|작성|송고|公開|更新|発行|发布|發佈|发表|發表|日期|"
    r"publié|mis\s+à\s+jour|veröffentlicht|aktualisiert|stand|publicado|actualizado"
)
_UPDATE_WORDS = re.compile(r"(?i)updated|modified|cập\s+nhật|수정|更新|mis\s+à\s+jour|aktualisiert|actualizado")
_STAMP_BEFORE = re.compile(
    r"(?i)(?:^|[\s|·•,;(\[])(?P<kw>" + _STAMP_WORDS + r")\s*(?:on|at|le|am|el|lúc|vào)?\s*[:：]?\s*"
    r"(?:[^\W\d_]{2,12}\.?,?\s+(?:[^\W\d_]{2,5},?\s+)?)?$"
)
# what may follow a stamp date on its own line: time, timezone, separators
_STAMP_AFTER = re.compile(
    r"(?i)[\s,|·•/\-–—]*(?:(?:lúc|at|um|à)\s+)?(?:\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)?\s*"
    r"(?:\(?\s*(?:gmt|utc)\s*(?:[+\-−]\s*\d{1,2}(?::?\d{2})?)?\s*\)?|\(?\b(?:kst|ict|jst|cet|cest|est|edt|pst|pdt)\b\)?)?"
    r"[\s,|·•\-–—.]*"
)
# "HANOI, " / "SEOUL (Yonhap) -- " / "Tuesday, " before a dateline at the start of a line; a press release's
# "COPENHAGEN, Denmark and CAMBRIDGE, Mass., March 3, 2026 /PRNewswire/ -- " names several places and its wire
_DATELINE_BEFORE = re.compile(r"\s*(?:[A-ZÀ-Ỹ][\w.'’ ]{1,40}(?:,|\s+and\s+)\s*){0,4}(?:[^\W\d_]{3,12},?\s+)?")
_DATELINE_AFTER = re.compile(r"\s*,?\s*(?:\([^()\n]{1,40}\)\s*|/[^/\n]{2,60}/\s*)?(?:-{1,2}|–|—)\s")
_PREPOSITION_END = re.compile(
    r"(?i)\b(?:on|in|since|from|until|till|to|by|before|after|of|at|between|and|or|than|vào|từ|đến|trước|sau)\s*$"
)
_WORD = re.compile(r"[^\W_]+")


@dataclass
class _DateHit:
    start: int
    value: str
    precision: str
    keyword: str | None


def _find_dateline(text: str, language: str) -> tuple[str, str] | None:
    """A publication date from a dateline/date stamp near the top of the text, or None.

    Only dates in a stamp shape count: a line that is (nearly) only the date ("29/10/2025 08:15",
    "Thứ tư, 29/10/2025, 08:00 (GMT+7)", "VietnamPlus29/10/2025", "2025년 10월 29일"), a date right after
    a stamp word ("Published: 14 April 2025", "Posted on 14/04/2025", "Updated: 2025-04-14 10:30"), or a
    news dateline at the start of a paragraph ("April 14, 2025 — ", "HANOI, Oct 29, 2025 (Reuters) - ").
    A date mentioned inside a sentence is never taken. Dates without a year are skipped.
    """
    window = text[:_DATELINE_WINDOW]
    if not any(ch.isdigit() for ch in window):
        return None
    raw: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(window):
            raw.append((m.start(), m.end(), kind, m))
    if not raw:
        return None
    raw.sort(key=lambda item: (item[0], -item[1]))
    hits: list[_DateHit] = []
    last_end = -1
    for start, end, kind, m in raw:
        if start < last_end:
            continue
        keyword = _stamp_context(window, start, end)
        if keyword is None:
            continue
        parsed = _parse_date_match(kind, m, language)
        if parsed is None or not _plausible_publication(parsed[0]):
            continue
        last_end = end
        hits.append(_DateHit(start, parsed[0], parsed[1], keyword or None))
    if not hits:
        return None
    for hit in hits:  # a "published" stamp beats an "updated" one
        if not (hit.keyword and _UPDATE_WORDS.search(hit.keyword)):
            return hit.value, hit.precision
    return hits[0].value, hits[0].precision


def _stamp_context(window: str, start: int, end: int) -> str | None:
    """'' or the stamp keyword if the date at [start, end) sits in a dateline/stamp shape, else None."""
    line_start = window.rfind("\n", 0, start) + 1
    line_end = window.find("\n", end)
    if line_end < 0:
        line_end = len(window)
    before = window[line_start:start]
    after = window[end:line_end]
    m = _STAMP_BEFORE.search(before)
    if m and _stamp_keyword_position_ok(before[: m.start("kw")], m.group("kw")):
        return m.group("kw")
    # a line that is only a stamp: few words before, only time/timezone after
    if _STAMP_AFTER.fullmatch(after) and len(before) <= 80:
        words = _WORD.findall(before)
        if len(words) <= 6 and not _PREPOSITION_END.search(before) and not re.search(r"[.!?]\s", before):
            return ""
    # a news dateline: "HANOI, Oct 29, 2025 (Reuters) - ..." / "April 14, 2025 — ..."
    if _DATELINE_BEFORE.fullmatch(before) and _DATELINE_AFTER.match(after):
        return ""
    return None


def _stamp_keyword_position_ok(prefix: str, keyword: str) -> bool:
    """A stamp word opens the line, follows a separator ("By X | Published ..."), or is capitalised
    ("... Updated 14/04/2025"); "the report was released on 14 April 2025" is a sentence, not a stamp."""
    prefix = prefix.rstrip()
    if not prefix or prefix[-1] in "|·•/-–—([,:;":
        return True
    first = keyword[0]
    if first.isupper():
        return True
    if not first.islower():  # scripts without case (Korean, Chinese, Japanese)
        return len(_WORD.findall(prefix)) <= 3
    return False


def _parse_date_match(kind: str, m: re.Match[str], language: str) -> tuple[str, str] | None:
    y = int(m.group("y"))
    if kind == "dmy":
        ymd = _day_first(int(m.group("a")), int(m.group("b")), y)
        return _fmt(*ymd) if ymd else None
    if kind == "ymd":
        mo, d = int(m.group("m")), int(m.group("d"))
        return _fmt(y, mo, d) if _valid_ymd(y, mo, d) else None
    snippet = m.group(0).strip()
    parsed = _dateparser_value(snippet, tuple(dict.fromkeys((language, "en"))))
    if parsed is None or parsed[1] != "day" or int(parsed[0][:4]) != y:
        return None
    return parsed


# --------------------------------------------------------------------------------------------------------------
# decoding

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27))
_C1_RANGE = bytes(range(0x80, 0xA0))
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_VI_VOWELS = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
_CJK_ENCODINGS = ("cp949", "euc_kr", "shift_jis", "cp932", "euc_jp", "gb18030", "gbk", "big5", "big5hkscs")
_CN_ISOLATION = ["cp1252", "cp1258", "latin_1", "cp949", "euc_kr", "shift_jis", "euc_jp", "gb18030", "big5"]
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]{1,40})""", re.I)


def _control_ratio_bytes(sample: bytes) -> float:
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


def _control_ratio_text(sample: str) -> float:
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\v\x1b") or "\x7f" <= ch <= "\x9f")
    return bad / len(sample)


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit at alternate positions (ASCII-heavy UTF-16), else None."""
    sample = raw[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd >= 0.3 * half and even <= 0.02 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.02 * half:
        return "utf-16-be"
    return None


def _declared_html_charset(raw: bytes) -> str | None:
    m = _META_CHARSET.search(raw[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").strip().lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # as browsers do (WHATWG encoding standard): latin-1/ascii labels mean windows-1252
    if codec in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        return None  # a BOM-less file that is readable as ASCII cannot be UTF-16; ignore the label
    return codec


def _looks_vietnamese_cp1258(raw: bytes) -> str | None:
    """The cp1258 reading when it yields well-formed Vietnamese (tone marks attached to vowels)."""
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError:
        return None
    tones = attached = 0
    prev = ""
    for ch in text:
        if ch in _TONE_MARKS:
            tones += 1
            if prev in _VI_VOWELS:
                attached += 1
        prev = ch
    vi_letters = sum(text.count(ch) for ch in "ăâđêôơưĂÂĐÊÔƠƯ")
    if tones >= 2 and attached >= 0.9 * tones and (vi_letters or tones >= 5):
        return text
    return None


def _long_high_runs(raw: bytes) -> bool:
    """True when bytes >= 0x80 come mostly in runs of 3+ (double-byte CJK), not isolated (Western 8-bit)."""
    high = in_long = run = 0
    for b in raw[:20000]:
        if b >= 0x80:
            run += 1
            high += 1
        else:
            if run >= 3:
                in_long += run
            run = 0
    if run >= 3:
        in_long += run
    return high > 0 and in_long >= 0.5 * high


def _decode_legacy(raw: bytes) -> tuple[str, str] | None:
    """Bytes that are not UTF-8: Vietnamese cp1258, a double-byte CJK code page, or Western 8-bit."""
    multibyte = _long_high_runs(raw)
    if not multibyte:
        vi = _looks_vietnamese_cp1258(raw)
        if vi is not None:
            return vi, "cp1258"
    guess = None
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(raw[:200_000], cp_isolation=_CN_ISOLATION).best()
        guess = best.encoding if best is not None else None
    except Exception:  # noqa: BLE001 - a detector failure just means "no guess"
        guess = None
    if guess in _CJK_ENCODINGS and multibyte:
        try:
            return raw.decode(guess), guess.replace("_", "-")
        except UnicodeDecodeError:
            pass
    if guess == "cp1258":
        vi = _looks_vietnamese_cp1258(raw)
        if vi is not None:
            return vi, "cp1258"
    try:
        text = raw.decode("cp1252")
        return text, ("cp1252" if any(b in _C1_RANGE for b in raw) else "latin-1")
    except UnicodeDecodeError:
        pass
    text = raw.decode("latin-1")
    if _control_ratio_text(text[:8000]) > 0.01:
        return None
    return text, "latin-1"


def _decode(raw: bytes, name: str, *, html: bool = False) -> tuple[str, str, list[str]]:
    """Decode file bytes; returns (text, encoding, warnings). Raises ReadError for binary/undecodable data."""
    notes: list[str] = []
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom):].decode(codec.replace("-sig", ""))
            except UnicodeDecodeError:
                raise ReadError(f"{name}: cannot decode the text (invalid {codec.upper()})") from None
            return _check_text(text, name), codec, notes
    sample = raw[:8192]
    if b"\x00" in sample:
        codec = _utf16_without_bom(raw)
        if codec is None:
            raise ReadError(f"{name}: not a text file (binary content)")
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            raise ReadError(f"{name}: not a text file (binary content)") from None
        return _check_text(text, name), codec, notes
    if _control_ratio_bytes(sample) > 0.05:
        raise ReadError(f"{name}: not a text file (binary content)")
    if html:
        declared = _declared_html_charset(raw)
        if declared:
            try:
                return _check_text(raw.decode(declared), name), declared, notes
            except UnicodeDecodeError:
                notes.append(f"the declared charset {declared} does not fit the bytes; the encoding was guessed")
    try:
        return raw.decode("utf-8"), "utf-8", notes
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed_lines(raw)
    if mixed is not None:
        text, bad_lines = mixed
        notes.append(f"{name}: {bad_lines} line(s) were not UTF-8 and were read as Windows-1252")
        return _check_text(text, name), "utf-8", notes
    legacy = _decode_legacy(raw)
    if legacy is None:
        raise ReadError(f"{name}: cannot decode the text (unknown encoding)")
    return _check_text(legacy[0], name), legacy[1], notes


def _decode_mixed_lines(raw: bytes) -> tuple[str, int] | None:
    """A file that is UTF-8 except for some lines (text pasted from a Windows-1252 source): each line decoded
    on its own. None unless some line holds non-ASCII UTF-8 (evidence that the file is UTF-8 at heart)."""
    parts: list[str] = []
    bad = utf8_chars = 0
    for line in raw.splitlines(keepends=True):
        try:
            decoded = line.decode("utf-8")
            utf8_chars += sum(1 for ch in decoded if ord(ch) > 127)
        except UnicodeDecodeError:
            bad += 1
            decoded = "".join(line[i:i + 1].decode("cp1252", "strict") if line[i] not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
                              else chr(line[i]) for i in range(len(line)))
        parts.append(decoded)
    if utf8_chars < 2 or not bad:
        return None
    return "".join(parts), bad


def _check_text(text: str, name: str) -> str:
    if _control_ratio_text(text[:8192]) > 0.05 or "\x00" in text[:8192]:
        raise ReadError(f"{name}: not a text file (binary content)")
    return text


def read_bytes(path: Path, max_bytes: int, *, follow_links: bool = True) -> bytes:
    """The file's bytes (a regular file of at most ``max_bytes``, never a FIFO, device or open database), or
    ReadError naming it in one line."""
    try:
        return read_regular(path, max_bytes, _display_name(path), follow_links=follow_links)
    except FileRefused as err:
        raise ReadError(str(err).replace("cannot read the file (no such file or directory)",
                                         "no such file or directory")) from None


# --------------------------------------------------------------------------------------------------------------
# manifest


MAX_MANIFEST_BYTES = 50_000_000
MAX_MANIFEST_NOTES = 20


class Manifest(Mapping):
    """The rows of a manifest.csv by file name (a read-only mapping of :class:`ManifestRow`).

    A row's values (dates, language, placeholders) are read when the row is first looked up, so a manifest
    of a million rows costs one CSV pass, whatever its dates look like; only the rows of files being read
    are ever parsed. ``notes`` holds the problems of the manifest itself (rows without a file name, files
    listed twice), at most :data:`MAX_MANIFEST_NOTES` of them plus a count of the rest."""

    def __init__(self, label: str = "", index: dict[str, int] | None = None, raw: dict[str, tuple] | None = None,
                 notes: list[str] | None = None):
        self.label = label
        self._index = index or {}
        self._raw = raw or {}
        self._rows: dict[str, ManifestRow] = {}
        self.notes = notes or []

    def __getitem__(self, key: str) -> ManifestRow:
        row = self._rows.get(key)
        if row is None:
            line_no, cells = self._raw[key]
            row = self._rows[key] = _manifest_row(self._index, cells, f"{self.label} line {line_no} ({key})")
        return row

    def __iter__(self):
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def load_manifest(folder: Path) -> Manifest:
    """Read folder/manifest.csv if present (an empty mapping if absent). Keys are file names (the base name of
    the `file` column). Columns: file,title,outlet,language,published,published_precision,published_basis; only
    `file` is required and unknown columns are ignored. A row with a bad date keeps the row with
    published=None; the problem goes to ``ManifestRow.warnings`` (then into ``Document.warnings`` of the file
    it describes). Placeholder titles/outlets ("", "unknown", "n/a") become None. Problems of the manifest
    itself are in ``Manifest.notes`` (never emitted as Python warnings).

    Raises ReadError (one line) when the manifest cannot be read or decoded, or has no `file` column.
    """
    folder = Path(folder)
    path = folder / MANIFEST_NAME
    if not os.path.lexists(path):
        return Manifest()
    label = str(path)
    try:
        raw = read_bytes(path, MAX_MANIFEST_BYTES)
    except ReadError as err:
        raise ReadError(f"{label}: {str(err).split(': ', 1)[-1]}") from None
    if not raw.strip():
        return Manifest(label)
    try:
        text, _encoding, _notes = _decode(raw, label)
    except ReadError as err:
        raise ReadError(f"{label}: {str(err).split(': ', 1)[-1]}") from None
    text = _normalise_text(text)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header_row = next(reader, None)
    except csv.Error as err:
        raise ReadError(f"{label}: not a valid CSV file ({err})") from None
    if not header_row:
        return Manifest(label)
    header = [h.strip().lstrip("\ufeff").casefold() for h in header_row]
    if "file" not in header:
        raise ReadError(f"{label}: no 'file' column in the header")
    index = {name: header.index(name) for name in dict.fromkeys(header)}
    file_col = index["file"]
    rows: dict[str, tuple] = {}
    notes: list[str] = []
    extra = 0

    def note(message: str) -> None:
        nonlocal extra
        if len(notes) < MAX_MANIFEST_NOTES:
            notes.append(message)
        else:
            extra += 1

    line_no = 1
    try:
        for cells in reader:
            line_no = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            file_value = _clean_value(cells[file_col]) if file_col < len(cells) else None
            if not file_value:
                note(f"{label} line {line_no}: no file name, row ignored")
                continue
            key = file_value.replace("\\", "/").rsplit("/", 1)[-1]
            if key in rows:
                note(f"{label} line {line_no}: {key} is listed twice; the first row is used")
                continue
            rows[key] = (line_no, cells)
    except csv.Error as err:
        raise ReadError(f"{label}: not a valid CSV file (line {line_no + 1}: {err})") from None
    if extra:
        notes.append(f"{label}: {extra:,} more problems like these")
    return Manifest(label, index, rows, notes)


def _manifest_row(index: dict[str, int], row: list[str], where: str) -> ManifestRow:
    def cell(column: str) -> str | None:
        i = index.get(column)
        if i is None or i >= len(row):
            return None
        return _clean_value(row[i])

    file_value = cell("file") or ""
    row_notes: list[str] = []
    language_raw = cell("language")
    language = _normalise_language(language_raw)
    if language_raw and language is None and language_raw.casefold() not in _UNKNOWN_VALUES:
        row_notes.append(f"manifest language {_short_value(language_raw)!r} is not a language code")
    published, precision = _manifest_date(cell("published"), cell("published_precision"), language, row_notes)
    return ManifestRow(
        file=file_value,
        title=_clean_label(cell("title")),
        outlet=_clean_label(cell("outlet")),
        language=language,
        published=published,
        published_precision=precision,
        published_basis=cell("published_basis"),
        warnings=tuple(f"{where}: {note}" for note in row_notes),
    )


def manifest_row_from(values: dict[str, str | None], where: str) -> ManifestRow:
    """A manifest row from named values (``file``, ``title``, ``outlet``, ``language``, ``published``,
    ``published_precision``): the same cleaning and date checks as a ``manifest.csv`` line, for articles that
    come as records (JSONL, Parquet) rather than files. Problems go to ``warnings``, prefixed with ``where``."""
    names = list(values)
    return _manifest_row({n: i for i, n in enumerate(names)}, ["" if values[n] is None else str(values[n])
                                                              for n in names], where)


def _short_value(value: str, n: int = 60) -> str:
    return value if len(value) <= n else value[: n - 1] + "…"


def _manifest_date(
    value: str | None, precision_value: str | None, language: str | None, notes: list[str]
) -> tuple[str | None, str | None]:
    if not value or value.casefold() in _UNKNOWN_VALUES:
        return None, None
    parsed = _normalise_date_value(value, tuple(dict.fromkeys((language or "en", "en"))))
    if parsed is None:
        notes.append(f"manifest date {_short_value(value)!r} is not a date")
        return None, None
    normalised, shape = parsed
    if precision_value:
        wanted = precision_value.strip().casefold()
        if wanted not in TYPED_PRECISIONS:
            notes.append(f"manifest precision {_short_value(precision_value)!r} is not year/month/day; {shape!r} used")
        elif rank(wanted) > rank(shape):
            normalised, shape = iso_label(parse_period(normalised).first, wanted), wanted
        elif wanted != shape:
            notes.append(f"manifest precision {_short_value(precision_value)!r} is finer than the date "
                         f"{_short_value(value)!r}; {shape!r} used")
    return normalised, shape


# --------------------------------------------------------------------------------------------------------------
# formats


@dataclass
class _Extracted:
    text: str
    title: str | None = None
    outlet: str | None = None
    language: str | None = None
    published: tuple[str, str] | None = None
    published_source: str = "unknown"


_BOILERPLATE_LINES = frozenset(
    ("skip to content", "skip to main content", "skip to navigation", "menu", "home", "search", "advertisement")
)


def _first_line_title(text: str) -> str | None:
    for line in text.split("\n", 50)[:50]:
        line = line.strip()
        if not line or line.casefold() in _BOILERPLATE_LINES:
            continue
        if len(line) < 200 and not line.endswith((".", "。", "．")):
            return line
        return None
    return None


def _extract_plain(text: str) -> _Extracted:
    return _Extracted(text=text, title=_first_line_title(text))


_FRONT_MATTER_OPEN = re.compile(r"---[ \t]*\n")
_FRONT_MATTER_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_FRONT_KEY = re.compile(r"([A-Za-z_][\w\-]*)\s*:\s*(.*)")
_ATX_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.M)
_SETEXT_H1 = re.compile(r"^ {0,3}(\S[^\n]*)\n {0,3}=+[ \t]*$", re.M)


def _extract_markdown(text: str, notes: list[str]) -> _Extracted:
    meta: dict[str, str] = {}
    body = text
    if _FRONT_MATTER_OPEN.match(text):
        close = _FRONT_MATTER_CLOSE.search(text, _FRONT_MATTER_OPEN.match(text).end())
        if close:
            block = text[_FRONT_MATTER_OPEN.match(text).end(): close.start()]
            for line in block.split("\n"):
                m = _FRONT_KEY.fullmatch(line.strip())
                if m and not line.startswith((" ", "\t")):
                    value = m.group(2).strip()
                    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                        value = value[1:-1]
                    meta.setdefault(m.group(1).casefold(), value.strip())
            body = text[close.end():]
            body = body[1:] if body.startswith("\n") else body
            body = body.lstrip("\n")
    out = _Extracted(text=body)
    out.title = _clean_label(meta.get("title"))
    out.outlet = _clean_label(meta.get("outlet") or meta.get("source") or meta.get("publisher")
                              or meta.get("site") or meta.get("site_name"))
    lang_value = meta.get("language") or meta.get("lang")
    out.language = _normalise_language(lang_value)
    for key in ("published", "date", "pubdate", "publish_date", "published_at"):
        value = meta.get(key)
        if not value:
            continue
        parsed = _normalise_date_value(value, tuple(dict.fromkeys((out.language or "en", "en"))))
        if parsed is None:
            notes.append(f"front matter date {value!r} is not a date")
            continue
        out.published, out.published_source = parsed, "metadata"
        break
    if out.title is None:
        heading = _ATX_H1.search(body) or _SETEXT_H1.search(body)
        if heading:
            out.title = _clean_label(heading.group(1))
    return out


# HTML ---------------------------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table tbody td th thead tr ul".split()
)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head",
              "form", "button", "select", "textarea")
_PUBLISHED_META_KEYS = (
    "article:published_time", "og:published_time", "og:article:published_time", "article:published",
    "datepublished", "pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
    "published_time", "published-date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published", "date",
)


@functools.lru_cache(maxsize=1)
def _html_parser():
    from lxml import html as lxml_html

    return lxml_html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False, no_network=True,
        default_doctype=False,
    )


def parse_html(text: str):
    from lxml import etree

    data = text.encode("utf-8", "surrogatepass")
    try:
        root = etree.fromstring(data, _html_parser())
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return None
    return root


def _meta_map(root) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                out.setdefault(key.strip().casefold(), content.strip())
    return out


def _written_publication(root, meta: dict[str, str]) -> tuple[str, str] | None:
    """An explicit publication date in <meta>/<time>; precision as written (a full date → "day")."""
    candidates = [meta[k] for k in _PUBLISHED_META_KEYS if meta.get(k)]
    for el in root.iter("time"):
        if (el.get("itemprop") or "").casefold() == "datepublished" or el.get("pubdate") is not None:
            if el.get("datetime"):
                candidates.append(el.get("datetime"))
    for value in candidates:
        value = value.strip()
        m = re.match(r"(\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?)(?:$|[T ])", value)
        parsed = _normalise_date_value(m.group(1) if m else value)
        if parsed and _plausible_publication(parsed[0]):
            return parsed
    return None


def _html_language(root, meta: dict[str, str]) -> str | None:
    for value in (root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang"),
                  meta.get("content-language"), meta.get("language"), meta.get("dc.language"),
                  meta.get("og:locale")):
        lang = _normalise_language(value.split(",")[0] if value else None)
        if lang:
            return lang
    return None


def _html_title(root, meta: dict[str, str]) -> str | None:
    for el in root.iter("title"):
        title = _clean_label(el.text_content() if hasattr(el, "text_content") else el.text)
        if title:
            return title
    return _clean_label(meta.get("og:title") or meta.get("twitter:title"))


def html_body_text(root) -> str:
    """Fallback text of <body> without scripts/styles, one line per block element (via lxml)."""
    from copy import deepcopy

    body = root.find("body")
    body = deepcopy(body if body is not None else root)
    for el in list(body.iter(*_DROP_TAGS)):
        el.drop_tree()
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text and isinstance(el.tag, str):
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(body)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


_DATE_MARKUP = re.compile(r"(?i)date|time|publish|posted|updated|byline|dateline|meta")


def _date_markup_tree(root):
    """A copy of the page where only date markup keeps its text (see _extract_html)."""
    from copy import deepcopy

    tree = deepcopy(root)
    body = tree.find("body")
    if body is None:
        return tree
    stack = [(body, False)]
    while stack:
        el, kept = stack.pop()
        if isinstance(el.tag, str) and not kept:
            tag = el.tag.lower()
            attrs = " ".join(el.get(a) or "" for a in ("class", "id", "itemprop", "name", "property"))
            kept = (tag in ("time", "abbr")
                    or (tag == "script" and "ld+json" in (el.get("type") or "").lower())
                    or bool(attrs.strip() and _DATE_MARKUP.search(attrs)))
        if not kept:
            el.text = None
        for child in el:
            if not kept:
                child.tail = None
            stack.append((child, kept))
    return tree


def _page_metadata(root) -> tuple[str | None, str | None]:
    """(title, site name) from trafilatura's metadata helpers (meta tags, JSON-LD, <title>/<h1>), no date."""
    try:
        from trafilatura.metadata import (
            examine_meta,
            extract_meta_json,
            extract_sitename,
            extract_title,
        )

        metadata = examine_meta(root)
        try:
            metadata = extract_meta_json(root, metadata)
        except Exception:  # noqa: BLE001 - malformed JSON-LD
            pass
        title = metadata.title or extract_title(root)
        sitename = metadata.sitename or extract_sitename(root)
    except Exception:  # noqa: BLE001 - helper API changed or failed: the caller falls back to <title>/og tags
        return None, None
    if sitename:
        sitename = sitename.lstrip("@")
    return _clean_label(title), _clean_label(sitename)


def _extract_html(text: str, name: str, notes: list[str]) -> _Extracted:
    root = parse_html(text)
    if root is None:
        raise ReadError(f"{name}: no article text found in the HTML")
    meta = _meta_map(root)
    body = root.find("body")
    if body is not None:  # content that is never article text (trafilatura keeps some of it, e.g. <template>)
        for el in list(body.iter("noscript", "template", "iframe", "object", "embed", "svg", "canvas")):
            el.drop_tree()
    import trafilatura

    doc = None
    try:
        # Metadata is read separately (_page_metadata): trafilatura's own metadata pass spends most of its time
        # in a date search that may pick any date in the body (see below).
        doc = trafilatura.bare_extraction(
            root,  # a parsed tree: trafilatura never sees a URL or fetches anything
            include_comments=False, include_tables=False, favor_precision=False, with_metadata=False,
            include_images=False, include_links=False,
        )
    except Exception as err:  # noqa: BLE001 - extraction failure falls back to the body text
        notes.append(f"article extraction failed ({one_line(err)[:80]}); the page text was used")
        doc = None
    body_text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not body_text:
        body_text = html_body_text(root)
    if not body_text.strip():
        raise ReadError(f"{name}: no article text found in the HTML")
    title, sitename = _page_metadata(root)
    out = _Extracted(text=body_text)
    out.title = title or _html_title(root, meta)
    out.outlet = _clean_label(meta.get("og:site_name")) or sitename
    out.language = _html_language(root, meta)
    published = _html_published(root, meta, notes)
    if published:
        out.published, out.published_source = published, "html-metadata"
    return out


def _htmldate_publication(root, notes: list[str]) -> tuple[str, str] | None:
    """The page's original publication date as htmldate reads it (meta tags, JSON-LD, <time>, <abbr>, date
    classes, the canonical URL's date path), as a day.

    htmldate downloads its input when it is a string that looks like a URL, so it only ever gets a parsed
    lxml tree. Even without ``extensive_search`` it ends with a regex over the page text and would take any date
    the article mentions, so it reads a copy of the page that keeps only date markup: <head>, <time>, <abbr> and
    elements whose class/id/itemprop says date/time/published/byline. ``original_date`` prefers the published
    date to a modified one; the date in the canonical URL counts only when the markup has none."""
    from htmldate import find_date

    try:
        date = find_date(_date_markup_tree(root), extensive_search=False, original_date=True,
                         outputformat="%Y-%m-%d", deferred_url_extractor=True)
    except Exception as err:  # noqa: BLE001 - a page htmldate cannot read: said, and the dateline is tried
        notes.append(f"publication date search failed ({one_line(err)[:80]})")
        return None
    if not date:
        return None
    found = _normalise_date_value(str(date))
    return found if found and _plausible_publication(found[0]) else None


def _html_published(root, meta: dict[str, str], notes: list[str]) -> tuple[str, str] | None:
    """An HTML page's publication date: htmldate's, at the precision the page writes it ("2025-04" in a meta tag
    stays a month, where htmldate gives its first day); the page's own <meta>/<time> when htmldate finds none."""
    found = _htmldate_publication(root, notes)
    written = _written_publication(root, meta)
    if found is None:
        return written
    if written is not None and rank(written[1]) > rank(found[1]) and found[0].startswith(written[0]):
        return written
    return found


# --------------------------------------------------------------------------------------------------------------
# language detection


@functools.lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(_DETECT_LANGUAGES))
    return identifier


LANGUAGE_SAMPLE = 1000
"""The language of a text without one given is told from its first this many characters (about 150 words: as
reliable as 2,000 on every article of the development sets and the annotated corpora, at half the cost)."""


def _detect_language(text: str) -> str:
    sample = text[:LANGUAGE_SAMPLE]
    letters = sum(map(str.isalpha, sample))
    if letters < 40:
        return "en"
    try:
        lang, prob = _language_identifier().classify(sample)
    except Exception:  # noqa: BLE001
        return "en"
    return lang if prob >= 0.5 else "en"


# --------------------------------------------------------------------------------------------------------------
# public entry points


def read_document(
    path: Path, manifest: dict[str, ManifestRow] | None = None, *, max_bytes: int = 20_000_000
) -> Document:
    """Read one article file. Raises ReadError (one line, starting with the file name) for a missing or
    unreadable file, an unsupported suffix, an empty file (or nothing left after extraction), binary content,
    undecodable bytes, a file larger than ``max_bytes`` and HTML without article text."""
    path = Path(path)
    name = _display_name(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ReadError(f"{name}: unsupported file type (use .txt, .md or .html)")
    return document_from_bytes(read_bytes(path, max_bytes), path, manifest)


def document_from_bytes(raw: bytes, path: Path, manifest: dict[str, ManifestRow] | None = None) -> Document:
    """:func:`read_document` on bytes already read: a pure function of the bytes, the file's name (its suffix
    says the format) and the manifest; it touches no file, so it can run in another process or machine."""
    path = Path(path)
    name = _display_name(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"{name}: unsupported file type (use .txt, .md or .html)")
    if not raw.strip():
        raise ReadError(f"{name}: empty file")
    content_hash = hashlib.sha256(raw).hexdigest()
    is_html = suffix in _HTML_SUFFIXES
    text, encoding, notes = _decode(raw, name, html=is_html)
    text = _normalise_text(text)
    if not text.strip():
        raise ReadError(f"{name}: empty file")

    if is_html:
        extracted = _extract_html(text, name, notes)
    elif suffix in _MD_SUFFIXES:
        extracted = _extract_markdown(text, notes)
    else:
        extracted = _extract_plain(text)
    final_text = _normalise_text(extracted.text)
    if not final_text.strip():
        raise ReadError(f"{name}: empty after extraction (no article text)")

    row = (manifest or {}).get(path.name)
    if row is not None:
        notes = list(row.warnings) + notes

    language = (row.language if row else None) or extracted.language or _detect_language(final_text)
    title = (row.title if row else None) or extracted.title
    outlet = (row.outlet if row else None) or extracted.outlet

    if extracted.published and extracted.published_source == "html-metadata":
        # a page's own date markup is what the outlet stamped on it; the manifest dates the pages without one
        (published, precision), source = extracted.published, extracted.published_source
    elif row is not None and row.published:
        published, precision, source = row.published, row.published_precision or "day", "manifest"
    elif extracted.published:
        (published, precision), source = extracted.published, extracted.published_source
    else:
        found = _find_dateline(final_text, language)
        yearless = None if found else yearless_dateline(final_text)
        if found:
            (published, precision), source = found, "dateline"
        elif yearless is not None and _plausible_publication(yearless.isoformat()):
            published, precision, source = yearless.isoformat(), "day", "dateline"
        else:
            published, precision, source = None, None, "unknown"

    return Document(
        path=path,
        file_name=path.name,
        text=final_text,
        title=title,
        outlet=outlet,
        language=language,
        published=published,
        published_precision=precision,
        published_source=source,
        content_hash=content_hash,
        encoding=encoding,
        warnings=tuple(dict.fromkeys(notes)),
    )


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _sort_key(name: str) -> tuple[str, str]:
    return name.casefold(), name


def iter_input_files(paths: Iterable[Path], *, follow_links: bool = False,
                     skipped: list[tuple[str, str]] | None = None) -> Iterator[Path]:
    """Expand files and folders (recursively) to supported article files, each file once.

    Arguments are taken in the given order; inside a folder entries are visited in sorted name order
    (case-insensitive, depth first), so the result is stable. Hidden files/folders (".name") and manifest.csv
    are skipped inside folders. The walk keeps its own stack (any depth of nesting) and tracks resolved folders,
    so symlink cycles end. Inside a folder, a symbolic link is followed only when it leads to a place inside
    that folder, or with ``follow_links``; links leading elsewhere, links to nothing, entries that are not
    regular files (FIFOs, devices, sockets) and folders that cannot be read are skipped, each with a
    ``(path, reason)`` note appended to ``skipped``. Files and folders named explicitly are the user's choice
    and are followed. A path that does not exist raises ReadError("PATH: no such file or directory"); an
    explicitly named file with an unsupported suffix raises ReadError.
    """
    # files and folders are known by (device, inode): a folder reached again through a link is not walked twice,
    # and no path has to be resolved component by component (a chain of 1,100 folders made that quadratic)
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    notes = skipped if skipped is not None else []
    for given in paths:
        p = Path(given)
        try:
            is_dir = p.is_dir()
            exists = is_dir or p.exists()
        except (OSError, ValueError):
            is_dir = exists = False
        if not exists:
            raise ReadError(f"{p}: no such file or directory")
        if is_dir:
            yield from _walk(p, seen_files, seen_dirs, follow_links, notes)
            continue
        if p.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise ReadError(f"{_display_name(p)}: unsupported file type (use .txt, .md or .html)")
        key = _file_key(p)
        if key is None or key not in seen_files:
            if key is not None:
                seen_files.add(key)
            yield p


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _scan(folder: Path, notes: list[tuple[str, str]]) -> list | None:
    try:
        with os.scandir(folder) as it:
            return sorted(it, key=lambda e: _sort_key(e.name))
    except OSError as err:
        notes.append((str(folder), f"cannot read the folder ({_os_reason(err)})"))
        return None


def _walk(top: Path, seen_files: set[tuple[int, int]], seen_dirs: set[tuple[int, int]], follow_links: bool,
          notes: list[tuple[str, str]]) -> Iterator[Path]:
    """Depth first in sorted order, with an explicit stack of folders being listed (no recursion)."""
    root = os.path.realpath(top)
    top_key = _file_key(top)
    if top_key is None or top_key in seen_dirs:
        return
    seen_dirs.add(top_key)
    entries = _scan(top, notes)
    if entries is None:
        return
    stack = [(top, iter(entries))]
    while stack:
        folder, it = stack[-1]
        entry = next(it, None)
        if entry is None:
            stack.pop()
            continue
        if _is_hidden(entry.name):
            continue
        path = folder / entry.name
        try:
            link = entry.is_symlink()
            st = os.stat(path) if link else entry.stat(follow_symlinks=False)
        except OSError as err:
            if link and err.errno == errno.ENOENT:
                notes.append((str(path), "a symbolic link to nothing"))
            elif link:
                notes.append((str(path), f"a symbolic link that cannot be followed ({_os_reason(err)})"))
            else:
                notes.append((str(path), f"cannot be read ({_os_reason(err)})"))
            continue
        if link and not follow_links and not _inside(os.path.realpath(path), root):
            notes.append((str(path), "a symbolic link leading outside the folder (not followed; "
                                     "use --follow-links to read it)"))
            continue
        key = (st.st_dev, st.st_ino)
        if stat.S_ISDIR(st.st_mode):
            if key in seen_dirs:
                continue  # a cycle, or a folder reached twice through links
            seen_dirs.add(key)
            sub = _scan(path, notes)
            if sub is not None:
                stack.append((path, iter(sub)))
            continue
        if not stat.S_ISREG(st.st_mode):
            notes.append((str(path), f"not a regular file ({describe_mode(st.st_mode)})"))
            continue
        if entry.name.casefold() == MANIFEST_NAME or Path(entry.name).suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        if key in seen_files:
            continue
        seen_files.add(key)
        yield path


def _os_reason(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "permission denied"
    return err.strerror or err.__class__.__name__
