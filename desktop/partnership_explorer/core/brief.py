"""The sourced brief as a document model, built once and rendered by thin writers per format.

:func:`build_brief` reads the filtered events (rejected ones left out) with their sources and turns them into a
:class:`Brief`: a title, counts (how many events, how many extracted but not yet reviewed), the events in date
order — date as precise as the sources allow, title, kind, actors, sectors, review mark — each with numbered
notes (one per supporting sentence: the sentence quoted, the article's title, outlet and publication date) and
a bibliography of the articles cited, each with a stable citation key. Optional: a "changes since" section
(:mod:`.snapshots`). Nothing here knows about a file format or about Qt; :mod:`.brief_writers` (Markdown, HTML,
citations), :mod:`.brief_docx` (Word) and ``qt.brief_pdf`` (PDF) render it.

:func:`fingerprint` is the content hash of the events a figure or brief shows (their dates, titles, kinds,
status, sectors, entities and sources, with the content hash of each source article): two renders with the
same fingerprint show the same data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

from .periods import PeriodError, iso_label
from .periods import parse as parse_period
from .query import EventFilter, list_events
from .store import Store

#: How each reviewed status is marked in the brief (extracted events carry no mark: they are "not yet reviewed").
STATUS_MARKS = {
    "confirmed": "confirmed",
    "edited": "edited",
    "manual": "added by the analyst",
    "imported": "imported",
}


@dataclass(frozen=True)
class Article:
    """One bibliography entry: an ingested article that supports at least one event of the brief."""

    key: str  # citation key, e.g. "koreaherald2025a"
    document_id: int
    title: str
    outlet: str | None
    published: str | None  # YYYY, YYYY-MM or YYYY-MM-DD as stored
    published_precision: str | None
    published_basis: str  # manifest, html-metadata, metadata, dateline, ... or unknown
    language: str
    file_name: str

    @property
    def published_label(self) -> str:
        return format_date(self.published, self.published_precision) if self.published else "undated"

    @property
    def year(self) -> str | None:
        return self.published[:4] if self.published else None


@dataclass(frozen=True)
class Note:
    """A numbered note: one sentence of one article that supports an event."""

    number: int
    article: Article
    sentence: str
    date_text: str | None

    def text(self) -> str:
        """The note as one line: the quoted sentence, then the article."""
        return f"“{self.sentence.strip()}” — {citation_text(self.article)}"


@dataclass(frozen=True)
class BriefEvent:
    id: int
    date_label: str  # "12 August 2025", "December 2022", "1992", "2017 – 2025"
    date: str
    precision: str
    start: str
    end: str
    title: str
    kind: str
    kind_label: str
    status: str
    mark: str | None  # "confirmed", "edited", ... or None (not yet reviewed)
    actors: tuple[str, ...]
    sectors: tuple[str, ...]  # sector labels
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class LadderStep:
    """One step of the relationship ladder as the brief's table shows it."""

    date_label: str        # "December 2022"
    level: str             # "Comprehensive Strategic Partnership"
    source_dates: str      # "December 2022 (1), 2022 (2)"; with "— sources disagree" when they do
    events: str            # the titles of its events
    disputed: bool


@dataclass(frozen=True)
class Brief:
    title: str
    subtitle: str  # what the filters select
    generated: dt.date
    database: str  # the database file's name
    events: tuple[BriefEvent, ...]
    bibliography: tuple[Article, ...]
    rejected_left_out: int
    figure_caption: str
    changes: object | None = None  # a snapshots.Diff when the brief covers "changes since"
    fingerprint: str = ""
    ladder_pair: str | None = None                 # the pair whose relationship ladder the brief shows
    ladder: tuple[LadderStep, ...] = ()
    indicators: tuple = ()         # core.indicators.table_rows of the brief's events: one dict per figure

    @property
    def ladder_heading(self) -> str:
        return f"Relationship ladder: {self.ladder_pair}"

    @property
    def unreviewed(self) -> int:
        return sum(1 for e in self.events if e.mark is None)

    @property
    def notes(self) -> list[Note]:
        return [n for e in self.events for n in e.notes]

    def summary(self) -> str:
        """The counts paragraph every format prints under the title."""
        n = len(self.events)
        reviewed = n - self.unreviewed
        parts = [f"{n} event{'s' if n != 1 else ''} from {len(self.bibliography)} "
                 f"article{'s' if len(self.bibliography) != 1 else ''}"]
        parts.append(f"{reviewed} reviewed by an analyst (confirmed, edited or added)")
        parts.append(f"{self.unreviewed} extracted automatically and not yet reviewed")
        text = "; ".join(parts) + "."
        if self.rejected_left_out:
            text += (f" {self.rejected_left_out} rejected event{'s are' if self.rejected_left_out != 1 else ' is'}"
                     " left out.")
        return text


_MONTHS = [calendar.month_name[i] for i in range(13)]
# characters XML 1.0 (DOCX) and HTML cannot hold: C0 controls except tab and newlines, C1 controls, non-characters
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def clean(text: str | None) -> str:
    """Text from an article, safe in every brief format: control characters become spaces."""
    return _UNSAFE.sub(" ", text or "")


def format_date(date: str | None, precision: str | None = None) -> str:
    """'2025-08-12' → '12 August 2025', '2025-W16' → 'week of 14 April 2025', '2022-12' → 'December 2022',
    '1992' → '1992' (as precise as stored)."""
    if not date:
        return ""
    parts = date.split("-")
    try:
        if precision == "week" or (len(parts) == 2 and parts[1][:1] in ("W", "w")):
            return parse_period(date, precisions=("week",)).label("long")
        if precision == "year" or len(parts) == 1:
            return parts[0]
        if precision == "month" or len(parts) == 2:
            return f"{_MONTHS[int(parts[1])]} {parts[0]}"
        return f"{int(parts[2])} {_MONTHS[int(parts[1])]} {parts[0]}"
    except (ValueError, IndexError, PeriodError):
        return date


def _label_of(iso: str, precision: str) -> str:
    if precision == "week":
        return iso_label(dt.date.fromisoformat(iso[:10]), "week")
    return {"year": iso[:4], "month": iso[:7]}.get(precision, iso[:10])


def event_date_label(e: dict) -> str:
    """The event's date for a reader: one date, or a range from its start to its end at its precision."""
    if e.get("is_range") and e["start"] != e["end"]:
        first = format_date(_label_of(e["start"], e["precision"]), e["precision"])
        last = format_date(_label_of(e["end"], e["precision"]), e["precision"])
        if first != last:
            return f"{first} – {last}"
    return format_date(e["date"], e["precision"])


def citation_text(a: Article) -> str:
    """'Title', Outlet, 12 August 2025 — the short reference used in notes."""
    bits = [a.title]
    if a.outlet and a.outlet.strip().lower() not in ("unknown", ""):
        bits.append(a.outlet)
    bits.append(a.published_label)
    return ", ".join(bits) + "."


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _citation_keys(docs: list[dict]) -> dict[int, str]:
    """Stable keys (outlet or first title word + year, then a, b, c...) in bibliography order."""
    stop = {"the", "a", "an", "unknown", "via", "reposted", "by", "press"}
    base: dict[int, str] = {}
    for d in docs:
        words = [w for w in re.split(r"[\s()\-–,.:;]+", d["outlet"] or "") if w and w.lower() not in stop]
        if not words:
            words = [w for w in re.split(r"[\s()\-–,.:;]+", d["title"] or "") if w and w.lower() not in stop]
        stem = _slug(words[0] if words else "") or "article"
        base[d["id"]] = stem[:20] + ((d["published"] or "")[:4] or "nd")
    counts: dict[str, int] = {}
    for k in base.values():
        counts[k] = counts.get(k, 0) + 1
    seen: dict[str, int] = {}
    keys = {}
    for doc_id, k in base.items():
        if counts[k] > 1:
            i = seen.get(k, 0)
            seen[k] = i + 1
            keys[doc_id] = k + "abcdefghijklmnopqrstuvwxyz"[i % 26] + ("" if i < 26 else str(i // 26))
        else:
            keys[doc_id] = k
    return keys


def _kind_labels() -> dict[str, str]:
    from .views import kinds

    return dict(kinds())


def _sector_labels(store: Store) -> dict[str, str]:
    return dict(store.execute("SELECT key, name FROM sectors").fetchall())


def brief_events(store: Store, flt: EventFilter) -> list[dict]:
    """The events a brief shows: the filter's, without rejected (and merged) ones, in date order."""
    return list_events(store, flt.replace(show_rejected=False))


def build_brief(store: Store, flt: EventFilter = EventFilter(), *, title: str | None = None,
                changes: object | None = None, today: dt.date | None = None) -> Brief:
    """The brief of the filtered events (rejected ones left out and counted)."""
    rows = brief_events(store, flt)
    where, params, _ = flt.replace(show_rejected=True).where()
    rejected = store.execute(f"SELECT count(*) FROM events e WHERE {where} AND e.status = 'rejected'",
                             params).fetchone()[0]
    doc_ids = sorted({s["document_id"] for e in rows for s in e["sources"]})
    docs: list[dict] = []
    for chunk in range(0, len(doc_ids), 900):
        part = doc_ids[chunk:chunk + 900]
        cur = store.execute(
            f"""SELECT id, title, outlet, published, published_precision, published_source, language, file_name
                FROM documents WHERE id IN ({",".join("?" * len(part))})""", part)
        cols = [c[0] for c in cur.description]
        docs.extend(dict(zip(cols, r)) for r in cur.fetchall())
    docs.sort(key=lambda d: ((d["published"] or "9999"), (d["title"] or d["file_name"]).lower(), d["id"]))
    keys = _citation_keys(docs)
    articles = {
        d["id"]: Article(key=keys[d["id"]], document_id=d["id"], title=clean(d["title"] or d["file_name"]).strip(),
                         outlet=clean(d["outlet"]) or None, published=d["published"],
                         published_precision=d["published_precision"],
                         published_basis=d["published_source"] or "unknown", language=d["language"] or "en",
                         file_name=clean(d["file_name"]))
        for d in docs
    }
    kind_labels = _kind_labels()
    sector_labels = _sector_labels(store)
    number = 0
    events = []
    for e in rows:
        notes = []
        for s in e["sources"]:
            number += 1
            notes.append(Note(number=number, article=articles[s["document_id"]], sentence=clean(s["sentence"]),
                              date_text=s["date_text"]))
        events.append(BriefEvent(
            id=e["id"], date_label=event_date_label(e), date=e["date"], precision=e["precision"], start=e["start"],
            end=e["end"], title=clean(e["title"]), kind=e["kind"], kind_label=kind_labels.get(e["kind"], e["kind"]),
            status=e["status"], mark=STATUS_MARKS.get(e["status"]),
            actors=tuple(clean(x["name"]) for x in e["entities"]),
            sectors=tuple(sector_labels.get(k, k) for k in e["sectors"]), notes=tuple(notes)))
    described = flt.replace(show_rejected=True).describe()
    subtitle = "All events" if described == "all events" else described[0].upper() + described[1:]
    span = ""
    if events:
        first, last = events[0].start[:4], max(e.end for e in events)[:4]
        span = first if first == last else f"{first}–{last}"
    caption = (f"Timeline of the {len(events)} events in this brief" + (f", {span}" if span else "")
               + ", one lane per sector; a day-precise event is a marker, a month- or year-precise event a bar"
               " over its period; shaded eras are relationship milestones.")
    pair, ladder = brief_ladder(store, flt)
    if ladder:
        caption += f" The band above the lanes is the relationship ladder of {pair}: each step a level reached."
    key_of = {a.file_name: a.key for a in articles.values()}
    figures = [{**r, "sources": "; ".join(key_of.get(f, f) for f in r["sources"].split("; ") if f)}
               for r in indicator_rows(store, flt)] if events else []
    if figures:
        caption += (" Above the lanes, the dated figures of the Indicators table over time (a dashed line leads to"
                    " a target; series of one currency share a scale).")
    return Brief(
        title=clean(title) or "Partnership brief", subtitle=subtitle, generated=today or dt.date.today(),
        database=store.path.name, events=tuple(events), bibliography=tuple(articles.values()),
        rejected_left_out=int(rejected), figure_caption=caption, changes=changes,
        fingerprint=fingerprint_of(rows, store), ladder_pair=pair, ladder=ladder, indicators=tuple(figures))


def brief_ladder(store: Store, flt: EventFilter) -> tuple[str | None, tuple[LadderStep, ...]]:
    """The relationship ladder the figure shows (:func:`.relationship.ladder_for`), as table rows."""
    from collections import Counter

    from .relationship import ladder_for

    pair, steps = ladder_for(store, flt)
    if not steps:
        return None, ()
    ids = sorted({i for st in steps for i in st.event_ids})
    titles = dict(store.execute(f"SELECT id, title FROM events WHERE id IN ({','.join('?' * len(ids))})",
                                ids).fetchall()) if ids else {}
    out = []
    for st in steps:
        counts = Counter((x.date_value, x.date_precision) for x in st.sources if x.date_value)
        dates = ", ".join(f"{format_date(v, p)} ({n})" for (v, p), n in counts.items())
        if st.disputed:
            dates += " — sources disagree"
        events = "; ".join(clean(titles.get(i, f"event {i}")) for i in st.event_ids) or "added by the analyst"
        out.append(LadderStep(date_label=format_date(st.date, st.precision), level=clean(st.label),
                              source_dates=dates or "—", events=events, disputed=st.disputed))
    return clean(pair), tuple(out)



INDICATOR_COLUMNS = (("series", "Series"), ("period", "Period"), ("value", "Value"), ("target", "Target"),
                     ("as written", "As written"), ("sources", "Articles"))


def indicator_rows(store: Store, flt: EventFilter) -> list[dict]:
    """The dated figures of the brief's events (rejected ones left out), one row per point, cleaned for print."""
    from .indicators import load_series, table_rows

    return [{k: clean(str(v)) for k, v in r.items()} for r in table_rows(load_series(store, flt.replace(show_rejected=False)))]


# -- fingerprint ------------------------------------------------------------------------------------------------
def event_digests(store: Store, rows: list[dict]) -> dict[int, str]:
    """A short content hash per event: what a figure or brief shows of it, and the articles behind it."""
    doc_ids = sorted({s["document_id"] for e in rows for s in e["sources"]})
    hashes: dict[int, str] = {}
    for chunk in range(0, len(doc_ids), 900):
        part = doc_ids[chunk:chunk + 900]
        hashes.update(store.execute(
            f"SELECT id, content_hash FROM documents WHERE id IN ({','.join('?' * len(part))})", part).fetchall())
    out = {}
    for e in rows:
        content = {
            "title": e["title"], "kind": e["kind"], "date": e["date"], "precision": e["precision"],
            "start": e["start"], "end": e["end"], "is_range": bool(e["is_range"]), "status": e["status"],
            "sectors": list(e["sectors"]), "entities": sorted(x["name"] for x in e["entities"]),
            "sources": sorted([hashes.get(s["document_id"], ""), s["start"], s["end"]] for s in e["sources"]),
        }
        out[int(e["id"])] = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False)
                                           .encode()).hexdigest()[:16]
    return out


def fingerprint_of(rows: list[dict], store: Store) -> str:
    digests = event_digests(store, rows)
    return combine_digests(digests)


def combine_digests(digests: dict[int, str]) -> str:
    h = hashlib.sha256()
    for event_id in sorted(digests):
        h.update(f"{event_id}:{digests[event_id]}\n".encode())
    return "sha256:" + h.hexdigest()


__all__ = ["Article", "Brief", "BriefEvent", "LadderStep", "Note", "brief_ladder", "STATUS_MARKS", "brief_events", "build_brief", "citation_text",
           "combine_digests", "event_date_label", "event_digests", "fingerprint_of", "format_date"]
