"""Event interchange: import TimelineJS3 JSON or CSV timelines, dump events as TimelineJS3, CSV or JSON.

Import (:func:`import_events`) reads the whole file, validates every event first and writes all of it in one
transaction, or nothing: a bad file raises :class:`InterchangeError` with one line naming the CSV line or the
JSON path (``events[3].start_date.month: 13 is not a month``). Imported events get status ``imported``, origin
``import`` and ``locked = 1`` (ingestion only ever matches events of origin ``extraction``), and keep where they
came from in ``event_imports`` (file name, the event's id in the file, its media/source URL). Re-importing a
file matches events on (file, id) or on (title, start, end) and adds nothing twice.

Dates keep their precision: a TimelineJS date with only a year is a year-precise event, year + month a month,
year + month + day a day; an ``end_date`` (or a CSV ``end date``) makes a range. ``display_date`` is ignored.
TimelineJS has no weeks: a week-precise event is dumped as its seven days, shown as "week of 14 Apr 2025", with
``"precision": "week"`` in the embedded metadata, and reads back as that week; CSV and JSON write the week as
``2025-W16``.
HTML in TimelineJS text is reduced to plain text with the reader's lxml helpers (no network, scripts and styles
dropped). TimelineJS groups map to sectors by key or display name; an unknown group puts the event in
"unclassified" and is kept as a last line ``Group: …`` of its description.

Dump (:func:`dump_events`) writes what an :class:`~.query.EventFilter` shows: TimelineJS3 JSON (opens in
TimelineJS as is; kind, sectors and entities ride along in a ``<p class="pe-meta" data-pe="…">`` paragraph of
``text.text`` so that a dump imports back losslessly), CSV (:data:`CSV_COLUMNS`) or the ``events --format json``
shape. This module does not import Qt.
"""

from __future__ import annotations

import array
import csv
import datetime as dt
import hashlib
import html
import io
import json
import re
import sqlite3
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from .periods import STORED_PRECISIONS, TYPED_PRECISIONS, Period, PeriodError, date_forms, date_label, finest
from .periods import parse as parse_period
from .files import FileRefused, check_output_target, path_text, write_atomic
from .query import EventFilter, event_json, list_events
from .reader import ReadError, html_body_text, one_line, parse_html, read_bytes
from .sectors import UNCLASSIFIED, default_taxonomy
from .store import Store, StoreError, StoredValueError, now_text, stored_day

MAX_BYTES = 50 * 1024 * 1024
FORMATS = ("timelinejs", "csv", "json")
CSV_COLUMNS = ("date", "end date", "title", "description", "sectors", "entities", "source url", "kind", "cameo",
               "actors", "id")
ROLES = ("party", "representative", "participant")
# one actor in a CSV cell: "Vietnam (country, party)", "Joe Biden (person, representative for United States)"
_ACTOR_CELL = re.compile(r"(?P<name>.+?)\s*\((?P<type>[^,()]+),\s*(?P<role>party|representative|participant)"
                         r"(?:\s+for\s+(?P<for>.+))?\)\s*")
DEFAULT_KIND = "event"
UNTITLED = "Untitled event"
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV Injection"; the full-width
# forms count in some locales): such a cell is written with a leading apostrophe, which spreadsheets show as
# text, and so is a cell that starts with an apostrophe itself, so that reading strips exactly one (lossless).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_SAFE_URL_SCHEMES = ("http://", "https://")

# CSV header aliases (matched after lower-casing and turning _ and - into spaces)
_CSV_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date",),
    "start": ("start date", "start", "from", "begin"),
    "end": ("end date", "end", "to", "until"),
    "title": ("title", "headline", "event", "name"),
    "description": ("description", "text", "summary", "details"),
    "sectors": ("sectors", "sector", "group", "groups"),
    "entities": ("entities", "entity"),
    "url": ("source url", "url", "link", "media", "media url"),
    "kind": ("kind",),
    "cameo": ("cameo", "cameo code"),
    "actors": ("actors", "participants"),
    "ref": ("id", "unique id", "ref"),
}


class InterchangeError(ValueError):
    """A file that cannot be imported or written, explained in one line."""


@dataclass
class ImportReport:
    file: str
    format: str
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    kept: int = 0  # changed in the file, but edited by the user here: the user's version stays
    event_ids: list[int] = field(default_factory=list)
    same_file: bool = False  # the very file last imported, nothing it compares changed since: no record read

    def summary(self) -> str:
        text = f"{self.file}: {self.new} new, {self.unchanged} unchanged"
        if self.same_file:
            text += " (the file is as it was last imported)"
        if self.updated:
            text += f", {self.updated} updated"
        if self.kept:
            text += f", {self.kept} kept as you edited them"
        return text


@dataclass
class _Incoming:
    where: str
    ref: str | None
    title: str
    summary: str
    kind: str | None
    first: dt.date
    last: dt.date
    precision: str
    is_range: bool
    sectors: list[str]
    entities: list[tuple[str, str | None]]
    url: str | None = None
    caption: str | None = None
    credit: str | None = None
    cameo: str | None = None
    # who took part: (name, type, role, acting for)
    actors: list[tuple[str, str | None, str, str | None]] = field(default_factory=list)

    COLUMNS = ("title", "summary", "kind", "date", "precision", "start", "end", "is_range", "cameo")

    def columns(self, periods: dict | None = None) -> dict:
        """The event's columns; ``periods`` keeps the date columns of each period met (a file repeats them)."""
        key = (self.first, self.last, self.precision, self.is_range)
        got = periods.get(key) if periods is not None else None
        if got is None:
            label, precision = date_label(self.first, self.last, self.precision, self.is_range)
            got = (label, precision, self.first.isoformat(), self.last.isoformat(), int(self.is_range))
            if periods is not None:
                periods[key] = got
        return {"title": self.title, "summary": self.summary, "kind": self.kind or DEFAULT_KIND, "date": got[0],
                "precision": got[1], "start": got[2], "end": got[3], "is_range": got[4], "cameo": self.cameo}


class _Bad(Exception):
    """Raised inside the parsers with the location-qualified message (the file name is added later)."""


# ---------------------------------------------------------------------------------------------- dates
def _number(value: Any, where: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Bad(f"{where}: {json.dumps(value)} is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _Bad(f"{where}: {value!r} is not a whole number")
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d{1,18}", text):
            return int(text)
        raise _Bad(f"{where}: {_short(value)!r} is not a number")
    raise _Bad(f"{where}: expected a number, got {_json_type(value)}")


_TIME_LIMITS = {"hour": 23, "minute": 59, "second": 60, "millisecond": 999}


def _tl_date(obj: Any, where: str, *, required: bool) -> Period | None:
    """A TimelineJS date object → its period (year, month or day); None for an absent/empty optional one."""
    if obj is None or obj == "" or obj == {}:
        if required:
            raise _Bad(f"{where}: missing")
        return None
    if not isinstance(obj, dict):
        raise _Bad(f"{where}: expected an object with a year, got {_json_type(obj)}")
    values = {k: _number(obj.get(k), f"{where}.{k}") for k in ("year", "month", "day", *_TIME_LIMITS)}
    if values["year"] is None:
        if not required and all(v is None for v in values.values()):
            return None
        raise _Bad(f"{where}.year: missing")
    for name, top in _TIME_LIMITS.items():
        if values[name] is not None and not 0 <= values[name] <= top:
            raise _Bad(f"{where}.{name}: {values[name]} is out of range (0–{top})")
    try:
        return Period.from_parts(values["year"], values["month"], values["day"])
    except PeriodError as exc:
        raise _Bad(f"{where}.{exc.field}: {exc.detail}") from None


def _partial_date(text: str, where: str, what: str = "") -> Period:
    """'2022' / '2022-05' / '2022-05-17' (also with / and a time, which is ignored) → its period."""
    def label() -> str:  # only a refused date needs it
        return f"{where}: {what + ' ' if what else ''}{_short(text)!r}"

    try:
        return parse_period(text, precisions=STORED_PRECISIONS, lenient=True)
    except PeriodError as exc:
        if exc.field is None:
            raise _Bad(f"{label()} is not a date (use {date_forms()})") from None
        raise _Bad(f"{label()}: {exc.detail}") from None


def _range(start: Period, end: Period | None, where: str) -> tuple[dt.date, dt.date, str, bool]:
    if end is None:
        return start.first, start.last, start.precision, False
    if end.last < start.first:
        raise _Bad(f"{where}: the end date is before the start date")
    return start.first, end.last, finest(start.precision, end.precision), True


# ---------------------------------------------------------------------------------------------- text
def _short(value: Any, n: int = 40) -> str:
    s = one_line(value)
    return s if len(s) <= n else s[: n - 1] + "…"


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")


def _norm_lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in (text or "").split("\n"))
    return "\n".join(line for line in lines if line)


def _one(text: str) -> str:
    return " ".join((text or "").split())


def _is_one_line(text: str) -> bool:
    """``_one(text) == text`` without building it: a printable text has no whitespace but the space (every other
    whitespace character is a control or separator character)."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def _ones(texts: list[str]) -> list[str]:
    """:func:`_one` of each text."""
    return [t if _is_one_line(t) else _one(t) for t in texts]


def _html_text(fragment: str) -> tuple[str, dict | None]:
    """HTML fragment → plain text (one line per block) and our own ``pe-meta`` data, if the fragment has it."""
    if not fragment or not fragment.strip():
        return "", None
    root = parse_html(fragment)
    if root is None:
        return "", None
    meta = None
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if "pe-meta" in (el.get("class") or "").split():
            try:
                data = json.loads(el.get("data-pe") or "")
            except ValueError:
                data = None
            if isinstance(data, dict) and meta is None:
                meta = data
            el.drop_tree()
    return _norm_lines(html_body_text(root)), meta


def _with_note(summary: str, label: str, values: list[str]) -> str:
    if not values:
        return summary
    note = f"{label}: " + "; ".join(values)
    lines = summary.split("\n") if summary else []
    if note in lines:
        return summary
    return "\n".join([*lines, note])


def _meta_sectors(meta: dict | None) -> list[str] | None:
    if not meta or not isinstance(meta.get("sectors"), list):
        return None
    taxonomy = default_taxonomy()
    keys = [taxonomy.get(s).key for s in meta["sectors"] if isinstance(s, str) and taxonomy.get(s)]
    return list(dict.fromkeys(keys)) or None


def _meta_entities(meta: dict | None) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for item in (meta or {}).get("entities") or []:
        if isinstance(item, str) and item.strip():
            out.append((_one(item), None))
        elif isinstance(item, list) and item and isinstance(item[0], str) and item[0].strip():
            out.append((_one(item[0]), item[1] if len(item) > 1 and isinstance(item[1], str) else None))
    return out


def _actor(name: Any, type_: Any, role: Any, acting_for: Any, where: str) -> tuple[str, str | None, str, str | None]:
    name = _one(_string(name, f"{where}.name"))
    role = _string(role, f"{where}.role").strip()
    if not name:
        raise _Bad(f"{where}: an actor without a name")
    if role not in ROLES:
        raise _Bad(f"{where}.role: {_short(role)!r} is not one of {', '.join(ROLES)}")
    return name, _one(_string(type_, f"{where}.type")) or None, role, _one(_string(acting_for, f"{where}.for")) or None


def _json_actors(items: Any, where: str) -> list[tuple[str, str | None, str, str | None]]:
    """Actors as ``events --format json`` writes them (objects) or the TimelineJS meta does (lists)."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise _Bad(f"{where}: expected a list, got {_json_type(items)}")
    out = []
    for j, x in enumerate(items):
        if isinstance(x, dict):
            out.append(_actor(x.get("name"), x.get("type"), x.get("role"), x.get("for"), f"{where}[{j}]"))
        elif isinstance(x, list) and 3 <= len(x) <= 4:
            out.append(_actor(*x, *([None] * (4 - len(x))), f"{where}[{j}]"))
        else:
            raise _Bad(f"{where}[{j}]: expected an actor, got {_json_type(x)}")
    return out


def actor_cell(actors: list[dict]) -> str:
    """The CSV cell of an event's actors: ``Name (type, role)`` or ``Name (type, representative for Side)``."""
    return "; ".join(f"{a['name']} ({a['type']}, {a['role']}" + (f" for {a['for']}" if a.get("for") else "") + ")"
                     for a in actors)


def _csv_actors(cell: str, where: str) -> list[tuple[str, str | None, str, str | None]]:
    out = []
    for part in (p for p in cell.split(";") if p.strip()):
        m = _ACTOR_CELL.fullmatch(part.strip())
        if m is None:
            raise _Bad(f"{where}: actor {_short(part.strip())!r} is not 'Name (type, role)' or "
                       f"'Name (type, representative for Side)'")
        out.append((_one(m["name"]), _one(m["type"]), m["role"], _one(m["for"] or "") or None))
    return out


def _sectors_for(names: list[str], summary: str, label: str, fallback_text: str) -> tuple[list[str], str]:
    """Sector names → keys; unknown names keep the event in 'unclassified' and go to a note line."""
    taxonomy = default_taxonomy()
    names = [_one(n) for n in names if _one(n)]
    if not names:
        return taxonomy.classify(fallback_text), summary
    known, unknown = [], []
    for name in names:
        sector = taxonomy.get(name)
        (known if sector else unknown).append(sector.key if sector else name)
    keys = list(dict.fromkeys(known)) or [UNCLASSIFIED]
    return keys, _with_note(summary, label, unknown)


# ---------------------------------------------------------------------------------------------- reading
def _read_text(path: Path, max_bytes: int = MAX_BYTES) -> tuple[str, str]:
    name = path.name or str(path)
    try:
        raw = read_bytes(path, max_bytes)
    except ReadError as exc:
        raise InterchangeError(str(exc)) from None
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            raw, encoding = raw[len(bom):], codec
            break
    else:
        encoding = "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InterchangeError(
            f"{name}: line {line}: not {encoding.upper()} text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InterchangeError(f"{name}: line {line}: not a text file (NUL character)")
    return name, text


def _looks_like_json(path: Path, text: str) -> bool:
    if path.suffix.lower() == ".json":
        return True
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return False
    return text.lstrip()[:1] in ("{", "[")


def _parse_text(name: str, text: str) -> tuple[str, str, list[_Incoming]]:
    try:
        if _looks_like_json(Path(name), text):
            return name, "timelinejs", _parse_json(text)
        return name, "csv", _parse_csv(text)
    except _Bad as exc:
        raise InterchangeError(f"{name}: {one_line(exc)}") from None
    except RecursionError:
        raise InterchangeError(f"{name}: nested too deeply to be a timeline") from None


# ---------------------------------------------------------------------------------------------- JSON
def _obj(value: Any, where: str, *, optional: bool = True) -> dict:
    if value is None and optional:
        return {}
    if not isinstance(value, dict):
        raise _Bad(f"{where}: expected an object, got {_json_type(value)}")
    return value


def _string(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise _Bad(f"{where}: expected text, got {_json_type(value)}")
    text = str(value)
    bad = _SURROGATE.search(text)
    if bad:  # JSON can spell half of a UTF-16 pair ("\\ud800"), which is no character at all
        raise _Bad(f"{where}: holds an invalid character (a lone surrogate \\u{ord(bad.group()):04x}); "
                   "fix the text in the file")
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def _parse_json(text: str) -> list[_Incoming]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Bad(f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})") from None
    except ValueError as exc:
        raise _Bad(f"not valid JSON ({_short(exc, 80)})") from None
    if not isinstance(data, dict):
        raise _Bad(f"expected a JSON object with an \"events\" list, got {_json_type(data)}")
    if "events" not in data:
        raise _Bad("events: missing (a TimelineJS file has an \"events\" list)")
    events = data["events"]
    if not isinstance(events, list):
        raise _Bad(f"events: expected a list, got {_json_type(events)}")
    if "title" in data and data["title"] is not None:
        title = _obj(data["title"], "title")
        _string(_obj(title.get("text"), "title.text").get("headline"), "title.text.headline")
    eras = data.get("eras")
    if eras is not None and not isinstance(eras, list):
        raise _Bad(f"eras: expected a list, got {_json_type(eras)}")
    out: list[_Incoming] = []
    refs: set[str] = set()
    for i, ev in enumerate(events):
        where = f"events[{i}]"
        ev = _obj(ev, where, optional=False)
        rec = _pe_event(ev, where) if "start_date" not in ev and "start" in ev and "precision" in ev \
            else _tl_event(ev, where)
        if rec.ref is not None:
            if rec.ref in refs:  # TimelineJS renames duplicate ids; here the later one just has no id
                rec.ref = None
            else:
                refs.add(rec.ref)
        out.append(rec)
    first_event_on: dict[dt.date, _Incoming] = {}
    for rec in out:
        first_event_on.setdefault(rec.first, rec)
    for i, era in enumerate(eras or []):
        where = f"eras[{i}]"
        era = _obj(era, where, optional=False)
        first, last, precision, is_range, headline, summary, _ = _tl_slide(era, where)
        match = first_event_on.get(first)
        if match is not None:  # an era starting with an event of the file: that event is the milestone
            if match.kind is None:
                match.kind = "milestone"
            continue
        title = headline or summary.split("\n")[0] or "Era"
        out.append(_Incoming(where, None, title, summary, "milestone", first, last, precision, is_range,
                             default_taxonomy().classify(f"{title}\n{summary}"), []))
    return out


def _tl_slide(obj: dict, where: str) -> tuple:
    """The dates and text of a TimelineJS slide (event or era): first, last, precision, is_range, headline,
    summary and the metadata our own dumps embed in the text."""
    start = _tl_date(obj.get("start_date"), f"{where}.start_date", required=True)
    end = _tl_date(obj.get("end_date"), f"{where}.end_date", required=False)
    first, last, precision, is_range = _range(start, end, where)
    txt = _obj(obj.get("text"), f"{where}.text")
    headline = _one(_html_text(_string(txt.get("headline"), f"{where}.text.headline"))[0])
    summary, meta = _html_text(_string(txt.get("text"), f"{where}.text.text"))
    return first, last, precision, is_range, headline, summary, meta


def _tl_event(ev: dict, where: str) -> _Incoming:
    first, last, precision, is_range, headline, summary, meta = _tl_slide(ev, where)
    media = _obj(ev.get("media"), f"{where}.media")
    url = _one(_string(media.get("url"), f"{where}.media.url")) or None
    caption = _one(_html_text(_string(media.get("caption"), f"{where}.media.caption"))[0]) or None
    credit = _one(_html_text(_string(media.get("credit"), f"{where}.media.credit"))[0]) or None
    group = _one(_string(ev.get("group"), f"{where}.group"))
    ref = _one(_string(ev.get("unique_id"), f"{where}.unique_id")) or None
    title = headline or (summary.split("\n")[0][:120] if summary else "") or caption or UNTITLED
    sectors = _meta_sectors(meta)
    if sectors is None:
        sectors, summary = _sectors_for([group] if group else [], summary, "Group", f"{title}\n{summary}")
    kind = meta.get("kind") if meta and isinstance(meta.get("kind"), str) and meta["kind"].strip() else None
    if meta and meta.get("precision") == "week" and (first, last) == _week_days(first):
        precision, is_range = "week", False  # our own dump of a week: its seven days
    cameo = _one(_string((meta or {}).get("cameo"), f"{where}.cameo")) or None
    return _Incoming(where, ref, title, summary, kind, first, last, precision, is_range, sectors,
                     _meta_entities(meta), url, caption, credit, cameo,
                     _json_actors((meta or {}).get("actors"), f"{where}.actors"))


def _pe_event(ev: dict, where: str) -> _Incoming:
    """An event in the ``events --format json`` shape (start/end ISO days, precision, sectors, entities)."""
    precision = _string(ev.get("precision"), f"{where}.precision")
    if precision not in STORED_PRECISIONS:
        raise _Bad(f"{where}.precision: {_short(precision)!r} is not one of {', '.join(STORED_PRECISIONS)}")
    first = _partial_date(_string(ev.get("start"), f"{where}.start"), f"{where}.start").first
    last = _partial_date(_string(ev.get("end") or ev.get("start"), f"{where}.end"), f"{where}.end").last
    if last < first:
        raise _Bad(f"{where}.end: before the start")
    is_range = bool(ev.get("is_range"))
    if not is_range:
        is_range = not Period(first, last, precision).is_unit
    title = _one(_string(ev.get("title"), f"{where}.title")) or UNTITLED
    sectors = ev.get("sectors") or []
    if not isinstance(sectors, list):
        raise _Bad(f"{where}.sectors: expected a list, got {_json_type(sectors)}")
    keys, summary = _sectors_for([_string(s, f"{where}.sectors") for s in sectors], "", "Sector", title)
    ents = ev.get("entities") or []
    if not isinstance(ents, list):
        raise _Bad(f"{where}.entities: expected a list, got {_json_type(ents)}")
    entities = []
    for j, x in enumerate(ents):
        if isinstance(x, dict):
            name = _one(_string(x.get("name"), f"{where}.entities[{j}].name"))
            type_ = _string(x.get("type"), f"{where}.entities[{j}].type") or None
        else:
            name, type_ = _one(_string(x, f"{where}.entities[{j}]")), None
        if name:
            entities.append((name, type_))
    ref = ev.get("id")
    kind = _one(_string(ev.get("kind"), f"{where}.kind")) or None
    cameo = _one(_string(ev.get("cameo"), f"{where}.cameo")) or None
    return _Incoming(where, f"pe-{ref}" if ref is not None and not isinstance(ref, (dict, list)) else None, title,
                     summary, kind, first, last, precision, is_range, keys, entities, cameo=cameo,
                     actors=_json_actors(ev.get("actors"), f"{where}.actors"))


# ---------------------------------------------------------------------------------------------- CSV
def _header_key(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").replace("_", " ").replace("-", " ").casefold().split())


def _uncell(value: str) -> str:
    """Undo :func:`csv_cell`: the apostrophe before a cell that would be a formula (or starts with one)."""
    if len(value) > 1 and value[0] == "'" and (value[1] in _FORMULA_START or value[1] == "'"):
        return value[1:]
    return value


def _parse_csv(text: str) -> list[_Incoming]:
    """The records of a CSV file, read column by column (:func:`_csv_columns`); a file with any problem is read
    again record by record (:func:`_parse_csv_rows`), which names the first bad line exactly as it always has."""
    try:
        return _csv_columns(text)
    except (_Bad, csv.Error):
        return _parse_csv_rows(text)


def _csv_reader(text: str):
    """(reader, header, column of each field) of a CSV text."""
    sample = text[:4096]
    delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
    if "\t" in sample.split("\n", 1)[0] and "," not in sample.split("\n", 1)[0]:
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise _Bad(f"line 1: {exc}") from None
    if not header or not any(h.strip() for h in header):
        raise _Bad("line 1: empty file (expected a header line with a date column)")
    keys = [_header_key(h) for h in header]
    cols: dict[str, int] = {}
    for field_name, aliases in _CSV_ALIASES.items():
        for alias in aliases:
            if alias in keys:
                cols[field_name] = keys.index(alias)
                break
    if "date" not in cols and "start" not in cols:
        raise _Bad(f"line 1: no date column (expected one of: date, start date, start_date; found: "
                   f"{_short(', '.join(h.strip() for h in header), 80)})")
    return reader, header, cols


def _parse_csv_rows(text: str) -> list[_Incoming]:
    """The records of a CSV file one at a time: the reference reading, and the one that explains a bad file."""
    reader, header, cols = _csv_reader(text)
    out: list[_Incoming] = []
    refs: set[str] = set()
    dates: dict[str, Period] = {}
    prev = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _Bad(f"line {prev + 1}: {exc}") from None
        where = f"line {prev + 1}"
        prev = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise _Bad(f"{where}: {len(row)} cells but the header has {len(header)} "
                       "(quote cells that contain the separator)")

        def cell(name: str, row=row) -> str:
            i = cols.get(name)
            return _uncell(row[i].strip()) if i is not None and i < len(row) else ""

        out.append(_csv_record(cell, where, dates))
        if out[-1].ref is not None:
            if out[-1].ref in refs:
                out[-1].ref = None
            else:
                refs.add(out[-1].ref)
    return out


def _csv_columns(text: str) -> list[_Incoming]:
    """The records of a CSV file, each column read as a whole: its cells stripped and unquoted in one pass, and
    each distinct value of a column that repeats (dates, sectors, entities, actors, kind, CAMEO code) read once.
    Gives the records :func:`_parse_csv_rows` gives (tested); raises at the first problem of any kind without
    naming it, and the caller reads the file again record by record to say which line is bad."""
    reader, header, cols = _csv_reader(text)
    rows, lines = [], []
    width = len(header)
    prev = reader.line_num
    for row in reader:
        if len(row) > width:
            raise _Bad("too many cells")
        if any(c.strip() for c in row):
            rows.append(row)
            lines.append(prev + 1)
        prev = reader.line_num
    n = len(rows)

    def column(name: str) -> list[str]:
        i = cols.get(name)
        if i is None:
            return [""] * n
        cells = [r[i].strip() if i < len(r) else "" for r in rows]
        return [_uncell(c) if c[:1] == "'" else c for c in cells]

    def distinct(values: list[str], read) -> list:
        memo = {v: read(v) for v in dict.fromkeys(values)}
        return [memo[v] for v in values]

    parts: dict[str, tuple] = {}

    def actor_list(cell: str) -> list[tuple]:
        out = []
        for part in cell.split(";"):
            got = parts.get(part)
            if got is None:
                got = parts[part] = tuple(_csv_actors(part, "")) if part.strip() else ()
            out.extend(got)
        return out

    def period(text: str) -> Period | None:
        return _partial_date(text, "") if text else None

    date_p, start_p, end_p = (distinct(column(c), period) for c in ("date", "start", "end"))
    taxonomy = default_taxonomy()

    def sector_keys(raw: str) -> list[str] | None:
        """The keys of a sectors cell whose every name is known (None: the record's own text decides)."""
        names = [_one(s) for s in re.split(r"[;,|]", raw) if s.strip()] if raw else []
        names = [x for x in names if x]
        found = [taxonomy.get(x) for x in names]
        return list(dict.fromkeys(f.key for f in found)) if names and all(found) else None

    sectors_raw = column("sectors")
    sectors = distinct(sectors_raw, sector_keys)
    entities = distinct(column("entities"), lambda c: [(_one(x), None) for x in c.split(";") if _one(x)])
    actors = distinct(column("actors"), actor_list)
    kinds = distinct(column("kind"), lambda c: _one(c) or None)
    cameos = distinct(column("cameo"), lambda c: _one(c) or None)
    urls = [c or None for c in _ones(column("url"))]
    refs_col = [c or None for c in _ones(column("ref"))]
    titles = _ones(column("title"))
    descriptions = column("description")
    one_line = [bool(d) and _is_one_line(d) for d in descriptions]  # a clean one-line description: its summary
    out: list[_Incoming] = []
    seen: set[str] = set()
    for j in range(n):
        label, start, end = date_p[j], start_p[j], end_p[j]
        where = f"line {lines[j]}"
        if label is None and start is None:
            raise _Bad("empty date")
        if label is not None and start is not None:
            first = start.first
            last = end.last if end is not None else label.last
            if last < first:
                raise _Bad("end before start")
            if (first, last) == (label.first, label.last):
                precision, is_range = label.precision, False
            else:
                precision, is_range = "day", True
        else:
            first, last, precision, is_range = _range(label if label is not None else start, end, where)
        d = descriptions[j]
        if one_line[j]:
            summary = d
        else:
            summary = _norm_lines(d.replace("\r\n", "\n").replace("\r", "\n")) if d else ""
        title = titles[j] or (summary.split("\n")[0][:120] if summary else "") or UNTITLED
        keys = sectors[j]
        if keys is None:
            raw = sectors_raw[j]
            names = [x for x in re.split(r"[;,|]", raw) if x.strip()] if raw else []
            keys, summary = _sectors_for(names, summary, "Sector", f"{title}\n{summary}")
        ref = refs_col[j]
        if ref is not None and ref.isdigit():
            ref = f"pe-{ref}"
        if ref is not None:
            if ref in seen:
                ref = None
            else:
                seen.add(ref)
        out.append(_Incoming(where, ref, title, summary, kinds[j], first, last, precision, is_range, keys,
                             list(entities[j]), urls[j], cameo=cameos[j], actors=list(actors[j])))
    return out


def _csv_record(cell, where: str, dates: dict[str, Period] | None = None) -> _Incoming:
    """One CSV record. ``dates``: the periods of date texts already read in this file (a file of 100,000 events
    has a few thousand distinct dates; a refused one is never kept, so its message names its own line)."""
    if dates is None:
        dates = {}

    def period(text: str, what: str) -> Period:
        got = dates.get(text)
        if got is None:
            got = dates[text] = _partial_date(text, where, what)
        return got

    date_text, start_text, end_text = cell("date"), cell("start"), cell("end")
    if not date_text and not start_text:
        raise _Bad(f"{where}: empty date")
    if date_text and start_text:  # the `events --format csv` shape: a date label plus ISO start and end days
        label = period(date_text, "date")
        first = period(start_text, "start").first
        last = period(end_text, "end").last if end_text else label.last
        if last < first:
            raise _Bad(f"{where}: the end date is before the start date")
        if (first, last) == (label.first, label.last):
            first, last, precision, is_range = first, last, label.precision, False
        else:
            precision, is_range = "day", True
    else:
        start = period(date_text or start_text, "date")
        end = period(end_text, "end date") if end_text else None
        first, last, precision, is_range = _range(start, end, where)
    summary = _norm_lines(cell("description").replace("\r\n", "\n").replace("\r", "\n"))
    title = _one(cell("title")) or (summary.split("\n")[0][:120] if summary else "") or UNTITLED
    raw_sectors = cell("sectors")
    names = [s for s in re.split(r"[;,|]", raw_sectors) if s.strip()] if raw_sectors else []
    sectors, summary = _sectors_for(names, summary, "Sector", f"{title}\n{summary}")
    entities = [(_one(n), None) for n in cell("entities").split(";") if _one(n)]
    url = _one(cell("url")) or None
    ref = _one(cell("ref")) or None
    if ref is not None and ref.isdigit():
        ref = f"pe-{ref}"
    return _Incoming(where, ref, title, summary, _one(cell("kind")) or None, first, last, precision, is_range,
                     sectors, entities, url, cameo=_one(cell("cameo")) or None,
                     actors=_csv_actors(cell("actors"), where))


# ---------------------------------------------------------------------------------------------- writing
def _entity_ids(store: Store, entities: list[tuple[str, str | None]]) -> list[int]:
    from .entities import default_gazetteer

    ids = []
    for name, type_ in entities:
        entity_id = store.entity_id(name)
        if entity_id is None:
            known = default_gazetteer().lookup(name)
            if known is not None:
                entity_id = store.ensure_entity(known.name, known.type, country=known.country, role=known.role,
                                                aliases=known.aliases)
            else:
                entity_id = store.ensure_entity(name, type_ or "organisation", known=False)
        ids.append(entity_id)
    return list(dict.fromkeys(ids))


def _current(store: Store, event_id: int) -> tuple[dict, set[str], set[str], str | None]:
    ev = store.event(event_id)
    sectors = {r[0] for r in store.execute("SELECT sector_key FROM event_sectors WHERE event_id = ?", [event_id])}
    ents = {r[0] for r in store.execute(
        "SELECT e.name FROM event_entities ee JOIN entities e ON e.id = ee.entity_id WHERE ee.event_id = ?",
        [event_id])}
    row = store.execute("SELECT url FROM event_imports WHERE event_id = ?", [event_id]).fetchone()
    return ev, sectors, ents, row[0] if row else None


def _current_actors(store: Store, event_id: int) -> set[tuple[str, str, str | None]]:
    return {(name, role, acting_for) for name, role, acting_for in store.execute(
        "SELECT e.name, ee.role, ee.acting_for FROM event_entities ee JOIN entities e ON e.id = ee.entity_id "
        "WHERE ee.event_id = ? AND ee.role IS NOT NULL", [event_id])}


def _actor_links(store: Store, actors) -> list[tuple[int, str, str | None]]:
    return [(_entity_ids(store, [(name, type_)])[0], role, acting_for) for name, type_, role, acting_for in actors]


def _same(store: Store, event_id: int, rec: _Incoming) -> bool:
    ev, sectors, ents, url = _current(store, event_id)
    for key, value in rec.columns().items():
        stored = ev[key]
        if (stored if stored is not None else "") != (value if value is not None else ""):
            return False
    wanted_actors = set()
    for name, _, role, acting_for in rec.actors:
        entity_id = store.entity_id(name)
        if entity_id is None:
            return False
        wanted_actors.add((store.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()[0],
                           role, acting_for))
    if wanted_actors != _current_actors(store, event_id):
        return False
    if sectors != set(rec.sectors or [UNCLASSIFIED]) or url != rec.url:
        return False
    wanted = set()
    for name, _ in rec.entities:
        entity_id = store.entity_id(name)
        if entity_id is None:
            return False
        wanted.add(store.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()[0])
    return wanted == ents


class _KnownImports:
    """What this file imported before, read in four queries: the event each id matched, its columns, sectors,
    entities and URL, to tell an unchanged record without a query per record (re-importing a file). Only a
    positive answer is taken from it; anything else goes through :func:`_same` against the database."""

    def __init__(self, store: Store, file: str) -> None:
        self.store = store
        self.event_of: dict[str, int] = {}
        for ref, event_id in store.execute(
                "SELECT i.ref, min(i.event_id) FROM event_imports i JOIN events e ON e.id = i.event_id "
                "WHERE i.file = ? AND i.ref IS NOT NULL AND e.status != 'merged' GROUP BY i.ref", [file]):
            self.event_of[ref] = event_id
        self.columns: dict[int, tuple] = {}
        self.sectors: dict[int, set[str]] = {}
        self.entities: dict[int, set[str]] = {}
        self.url: dict[int, str | None] = {}
        if not self.event_of:
            return
        names = tuple(_Incoming.COLUMNS)
        query = ", ".join(f'e."{c}"' for c in names)
        for row in store.execute(f"SELECT e.id, i.url, {query} FROM event_imports i JOIN events e ON e.id = i.event_id "
                                 "WHERE i.file = ? AND i.ref IS NOT NULL", [file]):
            self.url[row[0]] = row[1]
            self.columns[row[0]] = tuple("" if v is None else v for v in row[2:])
        for event_id, key in store.execute(
                "SELECT s.event_id, s.sector_key FROM event_imports i JOIN event_sectors s ON s.event_id = i.event_id "
                "WHERE i.file = ? AND i.ref IS NOT NULL", [file]):
            self.sectors.setdefault(event_id, set()).add(key)
        for event_id, entity in store.execute(
                "SELECT ee.event_id, en.name FROM event_imports i JOIN event_entities ee ON ee.event_id = i.event_id "
                "JOIN entities en ON en.id = ee.entity_id WHERE i.file = ? AND i.ref IS NOT NULL", [file]):
            self.entities.setdefault(event_id, set()).add(entity)
        self.actors: dict[int, set[tuple]] = {}
        for event_id, entity, role, acting_for in store.execute(
                "SELECT ee.event_id, en.name, ee.role, ee.acting_for FROM event_imports i JOIN event_entities ee "
                "ON ee.event_id = i.event_id JOIN entities en ON en.id = ee.entity_id "
                "WHERE i.file = ? AND i.ref IS NOT NULL AND ee.role IS NOT NULL", [file]):
            self.actors.setdefault(event_id, set()).add((entity, role, acting_for))
        self._names: dict[str, str | None] = {}

    def forget(self, event_id: int) -> None:
        self.columns.pop(event_id, None)

    def _entity_name(self, name: str) -> str | None:
        if name not in self._names:
            entity_id = self.store.entity_id(name)
            self._names[name] = None if entity_id is None else self.store.execute(
                "SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()[0]
        return self._names[name]

    def same(self, rec: _Incoming, cols: dict) -> bool:
        event_id = self.event_of.get(rec.ref) if rec.ref is not None else None
        stored = self.columns.get(event_id) if event_id is not None else None
        if stored is None or stored != tuple("" if v is None else v for v in cols.values()):
            return False
        if self.sectors.get(event_id, set()) != set(rec.sectors or [UNCLASSIFIED]) or self.url.get(event_id) != rec.url:
            return False
        actors = {(self._entity_name(name), role, acting_for) for name, _, role, acting_for in rec.actors}
        if actors != self.actors.get(event_id, set()):
            return False
        wanted = {self._entity_name(name) for name, _ in rec.entities}
        return None not in wanted and wanted == self.entities.get(event_id, set())


def _user_touched(store: Store, event_id: int) -> bool:
    return store.execute(
        "SELECT 1 FROM curation_log WHERE event_id = ? AND action NOT IN ('import', 'import-update') LIMIT 1",
        [event_id]).fetchone() is not None


def _write(store: Store, rec: _Incoming, file: str, event_id: int | None = None) -> int:
    cols = rec.columns()
    if event_id is None:
        event_id = store.insert_event({**cols, "confidence": 1.0, "status": "imported", "origin": "import",
                                       "locked": 1})
        store.execute(
            "INSERT INTO event_imports (event_id, file, ref, url, caption, credit, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", [event_id, file, rec.ref, rec.url, rec.caption, rec.credit, now_text()])
        store.log(event_id, "import", {"file": file, "ref": rec.ref, "at": rec.where})
    else:
        store.update_event(event_id, cols)
        store.execute("UPDATE event_imports SET url = ?, caption = ?, credit = ?, imported_at = ? WHERE event_id = ?",
                      [rec.url, rec.caption, rec.credit, now_text(), event_id])
        store.execute("DELETE FROM event_sectors WHERE event_id = ?", [event_id])
        store.execute("DELETE FROM event_entities WHERE event_id = ?", [event_id])
        store.log(event_id, "import-update", {"file": file, "ref": rec.ref, "at": rec.where})
    store.link_sectors(event_id, rec.sectors or [UNCLASSIFIED])
    # actors first: their order (the two sides, then who acted for them) is the order they are linked in
    store.link_actors(event_id, _actor_links(store, rec.actors))
    store.link_entities(event_id, _entity_ids(store, rec.entities))
    return event_id


@dataclass
class ParsedImport:
    """A whole file read and validated, ready for :func:`apply_import`."""
    file: str
    format: str
    records: list[_Incoming]
    digest: str | None = None  # SHA-256 of the file's text (None: never taken as the file last imported)


@dataclass
class ImportSource:
    """A file read (its text and digest) but not yet parsed: :meth:`parse` validates it."""
    file: str
    text: str
    digest: str

    def parse(self) -> ParsedImport:
        return ParsedImport(*_parse_text(self.file, self.text), digest=self.digest)


def read_import_source(path: str | Path, max_bytes: int = MAX_BYTES) -> ImportSource:
    """Read a TimelineJS3 JSON or CSV file (size, encoding, NUL checks) and take its digest, without parsing.
    A file over ``max_bytes`` is refused before it is read (:data:`MAX_BYTES` unless the user raised it)."""
    name, text = _read_text(Path(path), max_bytes)
    return ImportSource(name, text, _digest(text))


def read_import(path: str | Path) -> ParsedImport:
    """Read and validate a TimelineJS3 JSON or CSV file without touching any database."""
    return read_import_source(path).parse()


def import_events(store: Store, path: str | Path, max_bytes: int = MAX_BYTES) -> ImportReport:
    """Import a TimelineJS3 JSON or CSV file: everything or nothing (InterchangeError, one line). The very file
    last imported, into a database where nothing it compares has changed since, is answered from
    ``import_files`` without parsing it again."""
    source = read_import_source(path, max_bytes)
    report = unchanged_import(store, source)
    return report if report is not None else apply_import(store, source.parse())


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _known_file(store: Store, file: str, digest: str | None) -> tuple[str, int, bytes] | None:
    """(format, records, packed event ids) of ``file`` when its last import had this digest under this version
    of the program and nothing an import compares has changed since (the triggers of ``import_files``)."""
    if digest is None:
        return None
    try:
        row = store.execute("SELECT format, records, event_ids FROM import_files WHERE file = ? AND sha256 = ? "
                            "AND app_version = ?", [file, digest, __version__]).fetchone()
    except sqlite3.OperationalError:  # a database read-only and older than the table
        return None
    return tuple(row) if row else None


def _unchanged_report(file: str, known: tuple[str, int, bytes]) -> ImportReport:
    fmt, records, packed = known
    ids = array.array("q")
    ids.frombytes(zlib.decompress(packed))
    return ImportReport(file, fmt, unchanged=records, event_ids=ids.tolist(), same_file=True)


def unchanged_import(store: Store, source: ImportSource | ParsedImport) -> ImportReport | None:
    """The report of importing ``source`` again (every record unchanged) when it is the very file last imported
    and nothing it compares changed since; None when its records must be read and compared."""
    known = _known_file(store, source.file, source.digest)
    return _unchanged_report(source.file, known) if known is not None else None


def _remember_file(store: Store, parsed: ParsedImport, report: ImportReport) -> None:
    """Keep the file's digest and the events its records resolved to, when the database now holds every record
    as the file says (nothing kept as the user edited it): importing the same bytes again changes nothing."""
    if parsed.digest is None:
        return
    store.execute("DELETE FROM import_files WHERE file = ?", [parsed.file])
    if report.kept or len(report.event_ids) != len(parsed.records):
        return
    packed = zlib.compress(array.array("q", report.event_ids).tobytes(), 1)
    store.execute("INSERT INTO import_files (file, sha256, format, app_version, records, event_ids, imported_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)", [parsed.file, parsed.digest, parsed.format, __version__,
                                                   len(parsed.records), packed, now_text()])


def apply_import(store: Store, parsed: ParsedImport) -> ImportReport:
    """Write a validated file in one transaction; events already there (same file and id, or same title, start
    and end) are not added again.

    Records are first matched against the database in bulk; the run of records that are plainly new (an id this
    file has not imported before, a title and dates not stored) is written with ``executemany``. From the first
    record that needs a decision (a known id: unchanged, updated, or kept as the user edited it) the rest of the
    file goes one record at a time, against the database as it then is."""
    name, records = parsed.file, parsed.records
    report = ImportReport(name, parsed.format)
    store.sync_sectors(default_taxonomy().sectors)
    with store.atomic():
        known_file = _known_file(store, name, parsed.digest)
        if known_file is not None:
            return _unchanged_report(name, known_file)
        done, bulk = _bulk_new(store, name, records, report)
        known = _KnownImports(store, name) if len(records) - done > 1 else None
        for rec in records[done:]:
            cols = rec.columns()
            event_id = None
            if known is not None and known.same(rec, cols):
                report.unchanged += 1
                report.event_ids.append(known.event_of[rec.ref])
                continue
            if rec.ref is not None:
                row = store.execute(
                    "SELECT i.event_id FROM event_imports i JOIN events e ON e.id = i.event_id "
                    "WHERE i.file = ? AND i.ref = ? AND e.status != 'merged' ORDER BY i.event_id LIMIT 1",
                    [name, rec.ref]).fetchone()
                if row:
                    event_id = row[0]
                    if _same(store, event_id, rec):
                        report.unchanged += 1
                    elif _user_touched(store, event_id):
                        report.kept += 1
                    else:
                        _write(store, rec, name, event_id)
                        report.updated += 1
                        if known is not None:
                            known.forget(event_id)
                    report.event_ids.append(event_id)
                    continue
            row = store.execute(
                'SELECT id FROM events WHERE title = ? AND start = ? AND "end" = ? AND status != \'merged\' '
                "ORDER BY id LIMIT 1", [cols["title"], cols["start"], cols["end"]]).fetchone()
            if row:
                report.unchanged += 1
                report.event_ids.append(row[0])
                continue
            report.event_ids.append(_write(store, rec, name))
            report.new += 1
        _remember_file(store, parsed, report)
        _after_bulk_load(store, bulk)
    return report


def _bulk_new(store: Store, name: str, records: list[_Incoming], report: ImportReport) -> tuple[int, bool]:
    """Write the leading run of plainly new records in bulk; return how many records it handled, and whether
    it was a load large enough to build the indexes after it."""
    conn = store  # execute, executemany and in_transaction of the store
    known_refs = {r[0] for r in conn.execute(
        "SELECT DISTINCT ref FROM event_imports WHERE file = ? AND ref IS NOT NULL", [name])}
    # the leading run ends at the first id this file imported before: only the records up to there are matched
    # here (the rest are compared one by one below, against the database as it then is)
    run = next((i for i, rec in enumerate(records) if rec.ref is not None and rec.ref in known_refs), len(records))
    periods: dict = {}
    cols = [rec.columns(periods) for rec in records[:run]]
    stored: dict[int, int | None] = {}
    if conn.execute("SELECT EXISTS (SELECT 1 FROM events)").fetchone()[0]:  # else nothing to match
        conn.execute('CREATE TEMP TABLE IF NOT EXISTS import_keys (i INTEGER PRIMARY KEY, title TEXT, start TEXT, '
                     '"end" TEXT)')
        conn.execute("DELETE FROM import_keys")
        conn.executemany('INSERT INTO import_keys (i, title, start, "end") VALUES (?, ?, ?, ?)',
                         [(i, c["title"], c["start"], c["end"]) for i, c in enumerate(cols)])
        stored = dict(conn.execute(
            """SELECT k.i, (SELECT e.id FROM events e WHERE e.start = k.start AND e."end" = k."end"
                            AND e.title = k.title AND e.status != 'merged' ORDER BY e.id LIMIT 1)
               FROM import_keys k"""))
        conn.execute("DELETE FROM import_keys")
    next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM events").fetchone()[0]
    first_of: dict[tuple, int] = {}   # (title, start, end) -> id given in this run
    refs: set[str] = set()
    new: list[tuple[int, int]] = []    # (record index, event id)
    done = 0
    for i, (rec, c) in enumerate(zip(records[:run], cols)):
        if rec.ref is not None and (rec.ref in known_refs or rec.ref in refs):
            break  # needs the record-by-record comparison
        key = (c["title"], c["start"], c["end"])
        existing = stored.get(i) or first_of.get(key)
        if existing is not None:
            report.unchanged += 1
            report.event_ids.append(existing)
        else:
            first_of[key] = next_id
            new.append((i, next_id))
            report.event_ids.append(next_id)
            report.new += 1
            next_id += 1
        if rec.ref is not None:
            refs.add(rec.ref)
        done = i + 1
    if not new:
        return done, False
    now = now_text()
    # A large load into a smaller database: indexes rebuilt once and the events' full-text index rebuilt whole
    # at the end (in this transaction: a crash leaves the database as it was)
    bulk = len(new) >= BULK_INDEX_REBUILD and len(new) >= next_id - 1
    load = store.begin_bulk_load(BULK_TABLES) if bulk else None
    conn.executemany(
        """INSERT INTO events (id, title, summary, kind, date, precision, start, "end", is_range, cameo, confidence,
                               status, origin, locked, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1.0, 'imported', 'import', 1, ?, ?)""",
        [(eid, c["title"], c["summary"], c["kind"], c["date"], c["precision"], c["start"], c["end"], c["is_range"],
          c["cameo"], now, now) for i, eid in new for c in (cols[i],)])
    ids = [eid for _, eid in new]
    if not bulk:
        store.fts_add("events", ids)
    conn.executemany(
        "INSERT INTO event_imports (event_id, file, ref, url, caption, credit, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(eid, name, records[i].ref, records[i].url, records[i].caption, records[i].credit, now) for i, eid in new])
    # the payload json.dumps({"file": ..., "ref": ..., "at": ...}, ensure_ascii=False) writes, put together
    # from the encoded parts (the file name once)
    head = '{"file": ' + json.dumps(name, ensure_ascii=False) + ', "ref": '
    conn.executemany(
        "INSERT INTO curation_log (event_id, action, payload, at) VALUES (?, 'import', ?, ?)",
        [(eid, head + ("null" if records[i].ref is None else _json_string(records[i].ref)) + ', "at": '
          + _json_string(records[i].where) + "}", now) for i, eid in new])
    conn.executemany("INSERT OR IGNORE INTO event_sectors (event_id, sector_key) VALUES (?, ?)",
                     [(eid, key) for i, eid in new for key in (records[i].sectors or [UNCLASSIFIED])])
    entity_of: dict[tuple, list[int]] = {}
    links = []
    for i, eid in new:
        for entity in records[i].entities:
            got = entity_of.get(entity)
            if got is None:
                got = entity_of[entity] = _entity_ids(store, [entity])
            links.extend((eid, e) for e in got)
    # actors first, in their order (see _write); an actor's entity is looked up once per (name, type), as the
    # entities above: the first lookup creates what is missing, so later ones find the same id
    actor_of: dict[tuple, int] = {}
    actor_rows = []
    for i, eid in new:
        for actor_name, type_, role, acting_for in records[i].actors:
            got = actor_of.get((actor_name, type_))
            if got is None:
                got = actor_of[(actor_name, type_)] = _entity_ids(store, [(actor_name, type_)])[0]
            actor_rows.append((eid, got, role, acting_for))
    store.link_actor_rows(actor_rows)
    conn.executemany("INSERT OR IGNORE INTO event_entities (event_id, entity_id) VALUES (?, ?)", links)
    if load is not None:
        store.finish_bulk_load(load)
        store.execute("INSERT INTO events_fts(events_fts) VALUES('rebuild')")
    return done, bulk


_json_string = json.encoder.encode_basestring  # a str as json.dumps(..., ensure_ascii=False) writes it


def _after_bulk_load(store: Store, bulk: bool) -> None:
    """A large import into a smaller database: the timeline snapshot the first open would save, saved now."""
    if bulk:
        from .timeline import save_snapshot_in_transaction

        save_snapshot_in_transaction(store)


BULK_INDEX_REBUILD = 20_000
"""From this many new records (and at least as many as the events already stored) an import drops the
secondary indexes of the tables it fills and builds them once at the end."""
BULK_TABLES = ("events", "event_imports", "event_sectors", "event_entities", "curation_log")


# ---------------------------------------------------------------------------------------------- dump
def _week_days(day: dt.date) -> tuple[dt.date, dt.date]:
    week = Period.of(day, "week")
    return week.first, week.last


def _exact_level(d: dt.date, *, end: bool) -> str:
    """The coarsest unit a TimelineJS date can say (year, month, day) that starts (or, with ``end``, ends) on
    ``d``."""
    return next(p for p in reversed(TYPED_PRECISIONS)
                if d == (Period.of(d, p).last if end else Period.of(d, p).first))


def _parts(d: dt.date, level: str) -> dict:
    parts = {"year": d.year}
    if level in ("month", "day"):
        parts["month"] = d.month
    if level == "day":
        parts["day"] = d.day
    return parts


def _ends(e: dict) -> tuple[Period, Period | None]:
    """Start (and end, for a range) as the units that re-import to exactly the same days."""
    first, last = stored_day(e["start"], e["id"], "start"), stored_day(e["end"], e["id"], "end")
    unit = Period.of(first, e["precision"])
    if not e["is_range"] and (unit.first, unit.last) == (first, last):
        return unit, None
    level = finest(_exact_level(first, end=False), _exact_level(last, end=True))
    return Period.of(first, level), Period.of(last, level)


def _imports(store: Store, ids: list[int]) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        marks = ",".join("?" * len(part))
        for event_id, url, caption, credit in store.execute(
                f"SELECT event_id, url, caption, credit FROM event_imports WHERE event_id IN ({marks})", part):
            out[event_id] = {"url": url, "caption": caption, "credit": credit}
    return out


def _safe_url(url: str | None) -> str | None:
    return url if url and url.strip().lower().startswith(_SAFE_URL_SCHEMES) else None


def _eras(rows: list[dict]) -> list[dict]:
    """Eras between the milestones among the dumped events (the rule of core/timeline.py)."""
    from .timeline import era_label

    if not rows:
        return []
    points: list[tuple[dt.date, str]] = []
    for e in sorted((e for e in rows if e["kind"] == "milestone" and e["status"] != "rejected"),
                    key=lambda e: (e["start"], e["id"])):
        start = stored_day(e["start"], e["id"], "start")
        if points and points[-1][0] == start:
            continue
        points.append((start, e["title"]))
    labelled: list[tuple[dt.date, str]] = []
    for start, title in points:
        label = era_label(title, start.year)
        if labelled and label.rsplit(" ", 1)[0] == labelled[-1][1].rsplit(" ", 1)[0]:
            continue
        labelled.append((start, label))
    latest = max(stored_day(e["end"], e["id"], "end") for e in rows)
    eras = []
    for i, (start, label) in enumerate(labelled):
        end = labelled[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(labelled) else latest
        end = max(end, start)
        eras.append({"start_date": _parts(start, _exact_level(start, end=False)),
                     "end_date": _parts(end, _exact_level(end, end=True)),
                     "text": {"headline": html.escape(label), "text": ""}})
    return eras


def _timelinejs(rows: list[dict], imports: dict[int, dict], flt: EventFilter) -> dict:
    taxonomy = default_taxonomy()
    events = []
    for e in rows:
        start, end = _ends(e)
        names = [taxonomy.get(k).name if taxonomy.get(k) else k for k in e["sectors"]]
        meta = {"kind": e["kind"], "sectors": e["sectors"], "entities": [[x["name"], x["type"]] for x in e["entities"]],
                "cameo": e.get("cameo"),
                "actors": [[a["name"], a["type"], a["role"], *([a["for"]] if a.get("for") else [])]
                           for a in e.get("actors", ())]}
        if start.precision == "week":
            meta["precision"] = "week"
        visible = []
        if names:
            visible.append("Sectors: " + ", ".join(names))
        if e["entities"]:
            visible.append("With: " + ", ".join(x["name"] for x in e["entities"]))
        body = "".join(f"<p>{html.escape(line)}</p>" for line in _norm_lines(e.get("summary") or "").split("\n")
                       if line)
        body += (f'<p class="pe-meta" data-pe="{html.escape(json.dumps(meta, ensure_ascii=False))}">'
                 f"{html.escape(' · '.join(visible))}</p>")
        if start.precision == "week":  # TimelineJS has no weeks: the seven days, named as the week
            ev: dict[str, Any] = {"start_date": _parts(start.first, "day"), "end_date": _parts(start.last, "day"),
                                  "display_date": start.label("short")}
        else:
            ev = {"start_date": _parts(start.first, start.precision)}
            if end is not None:
                ev["end_date"] = _parts(end.first, end.precision)
        ev["text"] = {"headline": html.escape(_one(e["title"])), "text": body}
        if names:
            ev["group"] = names[0]
        media = imports.get(e["id"])
        if media and _safe_url(media["url"]):
            ev["media"] = {"url": media["url"].strip()}
            if media["caption"]:
                ev["media"]["caption"] = html.escape(media["caption"])
            if media["credit"]:
                ev["media"]["credit"] = html.escape(media["credit"])
        ev["unique_id"] = f"pe-{e['id']}"
        events.append(ev)
    return {
        "title": {"text": {"headline": "Partnership Explorer",
                           "text": f"<p>{html.escape(flt.describe())}: {len(rows)} events</p>"}},
        "events": events,
        "eras": _eras(rows),
    }


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: text starting like a formula (or with an apostrophe) gets a leading
    apostrophe; numbers stay numbers. ``import`` strips it again, so what a dump holds reads back unchanged."""
    if isinstance(value, str) and value[:1] and (value[0] in _FORMULA_START or value[0] == "'"):
        return "'" + value
    return value


def csv_text(header: tuple[str, ...] | list[str], rows, cell=csv_cell) -> str:
    """CSV text with every cell through ``cell`` (:func:`csv_cell` by default)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([cell(h) for h in header])
    for row in rows:
        w.writerow([cell(v) for v in row])
    return buf.getvalue()


EVENT_LIST_COLUMNS = ("id", "date", "precision", "start", "end", "kind", "title", "sectors", "entities", "sources",
                      "confidence", "status")


def event_list_csv(rows: list[dict], cell=csv_cell) -> str:
    """The ``events --format csv`` table (it imports as it is)."""
    return csv_text(EVENT_LIST_COLUMNS, (
        [e["id"], e["date"], e["precision"], e["start"], e["end"], e["kind"], e["title"], ";".join(e["sectors"]),
         ";".join(x["name"] for x in e["entities"]), ";".join(sorted({s["document"] for s in e["sources"]})),
         e["confidence"], e["status"]] for e in rows), cell)


def _csv(rows: list[dict], imports: dict[int, dict], cell=csv_cell) -> str:
    def lines():
        for e in rows:
            start, end = _ends(e)
            url = _safe_url((imports.get(e["id"]) or {}).get("url")) or ""
            yield [start.label(), end.label() if end else "", _one(e["title"]),
                   _norm_lines(e.get("summary") or ""), ";".join(e["sectors"]),
                   ";".join(x["name"] for x in e["entities"]), url, e["kind"], e.get("cameo") or "",
                   actor_cell(e.get("actors", [])), f"pe-{e['id']}"]
    return csv_text(CSV_COLUMNS, lines(), cell)


def render_events(store: Store, flt: EventFilter, fmt: str, *, cell=csv_cell) -> tuple[str, int]:
    """The text of a dump in ``fmt`` (timelinejs, csv, json) and the number of events in it. ``cell`` writes each
    CSV cell (the command line escapes control characters when the CSV goes to a terminal)."""
    if fmt not in FORMATS:
        raise InterchangeError(f"unknown format '{fmt}' (use {', '.join(FORMATS)})")
    rows = list_events(store, flt)
    if fmt == "json":
        return json.dumps({"events": [event_json(e) for e in rows]}, ensure_ascii=False, indent=2) + "\n", len(rows)
    imports = _imports(store, [e["id"] for e in rows])
    try:
        if fmt == "csv":
            return _csv(rows, imports, cell), len(rows)
        return json.dumps(_timelinejs(rows, imports, flt), ensure_ascii=False, indent=2) + "\n", len(rows)
    except StoredValueError as exc:
        raise StoreError(f"{store.path}: {exc}") from None


def dump_events(store: Store, flt: EventFilter, fmt: str, path: str | Path) -> int:
    """Write the events ``flt`` shows to ``path`` (replaced atomically, see :func:`files.write_atomic`: never
    through a link, never onto a device, FIFO or the database itself); return how many were written."""
    path = Path(path)
    name = path_text(path)
    try:
        check_output_target(path, name)  # before the work: a refused target costs no query
        text, count = render_events(store, flt, fmt)
        write_atomic(path, text, name)
    except FileRefused as exc:
        raise InterchangeError(str(exc)) from None
    return count


__all__ = ["CSV_COLUMNS", "EVENT_LIST_COLUMNS", "FORMATS", "ImportReport", "InterchangeError", "ParsedImport",
           "actor_cell", "apply_import", "csv_cell", "csv_text", "dump_events", "event_list_csv", "import_events", "read_import",
           "render_events"]
