"""Filters compiled to SQL, and the listings the CLI and the panels show.

:class:`EventFilter` is the one description of "what the user is looking at": sectors, entities, a date range,
a full-text query and whether rejected events are shown. :meth:`EventFilter.where` turns it into a SQL
``WHERE`` clause with parameters plus a human description; every listing and count goes through it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from .periods import STORED_PRECISIONS, PeriodError, date_forms
from .periods import parse as parse_period
from .sectors import UNCLASSIFIED
from .store import Store

HIDDEN_STATUSES = ("merged",)


class FilterError(ValueError):
    """A filter value the user typed that makes no sense (one line)."""


def parse_date_bound(text: str, *, end: bool) -> dt.date:
    """'2022' → 2022-01-01 (or 2022-12-31 as an end bound); '2022-05' → May; '2022-05-17' → that day; an ISO
    week '2025-W16' → its Monday (or Sunday). Other spellings ('Dec 2022', '17 May 2022') are read with
    dateparser."""
    not_a_date = f"'{text}' is not a date (use {date_forms()})"
    try:
        period = parse_period(text, precisions=STORED_PRECISIONS)
        return period.last if end else period.first
    except PeriodError as exc:
        if exc.field is not None:
            raise FilterError(not_a_date) from None
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "last" if end else "first",
                                                               "REQUIRE_PARTS": ["year"]})
    if parsed is None or not (1000 <= parsed.year <= 9999):
        raise FilterError(not_a_date)
    return parsed.date()


DISPUTED_CLAUSE = """{alias}.id IN (SELECT event_id FROM event_sources GROUP BY event_id
    HAVING max(date_first) > min(date_last))"""
"""Sources disagree about an event's date when one source's period starts after another's ends ("2021" and
"December 2022"); a coarser date holding a finer one ("2022", "December 2022") is agreement. One pass over the
covering index ``idx_sources_event_dates``, computed once per query."""


def fts_query(text: str) -> str:
    """User words → an FTS5 query that cannot be a syntax error: each word quoted, prefix-matched, ANDed."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words)


# the events of one entity, named by its name or any alias (two parameters: the name twice)
ENTITY_EVENTS = """SELECT ee.event_id FROM event_entities ee WHERE ee.entity_id IN (
                       SELECT id FROM entities WHERE name = ? COLLATE NOCASE
                       UNION SELECT entity_id FROM entity_aliases WHERE alias = ? COLLATE NOCASE)"""
DOCUMENT_EVENTS = "SELECT event_id FROM event_sources WHERE document_id = ?"
# a search: events whose title or summary match, or with a source sentence holding the words in an article that
# matches (three parameters: search_params)
TITLE_MATCHES = "SELECT rowid FROM events_fts WHERE events_fts MATCH ?"
SENTENCE_MATCHES = """SELECT s.event_id FROM event_sources s WHERE s.document_id IN
                          (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?) AND s.sentence LIKE ?"""


def search_params(text: str) -> list[str]:
    """The parameters of TITLE_MATCHES then SENTENCE_MATCHES for what the user typed."""
    q = fts_query(text)
    return [q, q, f"%{text.strip()}%"]


def _bound_words(day: dt.date, other: dt.date | None, *, end: bool) -> str:
    """One bound of a date filter in the words of its precision: a whole year "2015", a whole month "Mar 2015",
    else the day "2015-03-04" (a bound is a whole year when it is that year's first day as a start, its last as
    an end; the other bound, when there is one, must be as coarse for both to be said so)."""
    from .periods import MONTH_ABBREVIATIONS

    def year_edge(d: dt.date, is_end: bool) -> bool:
        return (d.month, d.day) == ((12, 31) if is_end else (1, 1))

    def month_edge(d: dt.date, is_end: bool) -> bool:
        return (d + dt.timedelta(days=1)).day == 1 if is_end else d.day == 1

    pair = [(day, end)] + ([(other, not end)] if other is not None else [])
    if all(year_edge(d, e) for d, e in pair):
        return str(day.year)
    if all(month_edge(d, e) for d, e in pair):
        return f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"
    return day.isoformat()


def date_range_words(date_from: dt.date | None, date_to: dt.date | None) -> str:
    """A date filter as one phrase: ``"2015 – 2022"``, ``"Mar 2015 – Jun 2016"``, ``"2015-03-04 – 2016-05-06"``,
    ``"2015"`` (one whole year), ``"from 2015"``, ``"until Jun 2022"``."""
    if date_from is not None and date_to is not None:
        a = _bound_words(date_from, date_to, end=False)
        b = _bound_words(date_to, date_from, end=True)
        return a if a == b else f"{a} – {b}"
    if date_from is not None:
        return f"from {_bound_words(date_from, None, end=False)}"
    if date_to is not None:
        return f"until {_bound_words(date_to, None, end=True)}"
    return ""


@dataclass(frozen=True)
class EventFilter:
    sectors: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    query: str = ""
    show_rejected: bool = True
    kinds: tuple[str, ...] = ()
    document_id: int | None = None
    pair: tuple[str, ...] = ()  # two entity names: events where both are parties (core/partners.py)
    disputed: bool = False      # only events whose sources give dates that do not overlap (core.relationship)

    def replace(self, **changes: Any) -> "EventFilter":
        return replace(self, **changes)

    def where(self, store: Store | None = None, alias: str = "e") -> tuple[str, list[Any], list[str]]:
        clauses = [f"{alias}.status NOT IN ({','.join(repr(s) for s in HIDDEN_STATUSES)})"]
        params: list[Any] = []
        described: list[str] = []
        if not self.show_rejected:
            clauses.append(f"{alias}.status != 'rejected'")
            described.append("rejected hidden")
        if self.sectors:
            marks = ",".join("?" * len(self.sectors))
            clause = f"{alias}.id IN (SELECT event_id FROM event_sectors WHERE sector_key IN ({marks}))"
            if UNCLASSIFIED in self.sectors:
                # an event with no sector row at all (written by another program) is shown in the Unclassified lane
                clause = f"({clause} OR NOT EXISTS (SELECT 1 FROM event_sectors WHERE event_id = {alias}.id))"
            clauses.append(clause)
            params.extend(self.sectors)
            described.append("sector " + " or ".join(sector_name(key) for key in self.sectors))
        for name in self.entities:
            clauses.append(f"{alias}.id IN ({ENTITY_EVENTS})")
            params.extend([name, name])
            described.append(f"with {name}")
        if self.date_from is not None:
            clauses.append(f'{alias}."end" >= ?')
            params.append(self.date_from.isoformat())
        if self.date_to is not None:
            clauses.append(f"{alias}.start <= ?")
            params.append(self.date_to.isoformat())
        if self.date_from is not None or self.date_to is not None:
            described.append(date_range_words(self.date_from, self.date_to))
        if self.kinds:
            marks = ",".join("?" * len(self.kinds))
            clauses.append(f"{alias}.kind IN ({marks})")
            params.extend(self.kinds)
            described.append("kind " + " or ".join(self.kinds))
        if self.document_id is not None:
            clauses.append(f"{alias}.id IN ({DOCUMENT_EVENTS})")
            params.append(self.document_id)
            described.append(f"document {self.document_id}")
        if self.pair:
            clause, pair_params = _pair_clause(self.pair, alias)
            clauses.append(clause)
            params.extend(pair_params)
            described.append(f"between {self.pair[0]} and {self.pair[-1]}")
        if self.disputed:
            clauses.append(DISPUTED_CLAUSE.format(alias=alias))
            described.append("disputed dates")
        q = fts_query(self.query) if self.query else ""
        if q:
            clauses.append(f"({alias}.id IN ({TITLE_MATCHES}) OR {alias}.id IN ({SENTENCE_MATCHES}))")
            params.extend(search_params(self.query))
            described.append(f"matching “{self.query.strip()}”")
        return " AND ".join(clauses), params, described

    def describe(self) -> str:
        return ", ".join(self.where()[2]) or "all events"


def _pair_clause(pair: tuple[str, ...], alias: str) -> tuple[str, list[Any]]:
    """Events where both entities of ``pair`` are parties (one of the two sides), of a kind partners share."""
    from .partners import PAIR_KINDS

    if len(pair) != 2:
        raise FilterError(f"a pair is two names, not {len(pair)}")
    kinds = ",".join("?" * len(PAIR_KINDS))
    party = "SELECT event_id FROM event_entities WHERE role = 'party' AND entity_id = (SELECT id FROM entities WHERE name = ?)"
    return (f"({alias}.kind IN ({kinds}) AND {alias}.id IN ({party}) AND {alias}.id IN ({party}))",
            [*PAIR_KINDS, pair[0], pair[1]])


def sector_name(key: str) -> str:
    """A sector's label as users read it ("Digital & telecom"), the key itself when the taxonomy has none."""
    from .sectors import default_taxonomy

    sector = default_taxonomy().get(key)
    return sector.name if sector is not None else key


def count_events(store: Store, flt: EventFilter = EventFilter()) -> int:
    if flt.sectors and UNCLASSIFIED not in flt.sectors and is_unfiltered(flt.replace(sectors=())):
        return _count_in_sectors(store, flt)
    where, params, _ = flt.where()
    return store.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()[0]


def _count_in_sectors(store: Store, flt: EventFilter) -> int:
    """Events in some sectors, from the sector index alone (no event rows are read: counting one sector at 1M
    events took 0.1 s warm but 30 s from a cold disk cache, reading each event's row for its status): the
    sectors' links, minus those of the few events the status rules hide."""
    marks = ",".join("?" * len(flt.sectors))
    distinct = "event_id" if len(flt.sectors) == 1 else "DISTINCT event_id"
    links = store.execute(f"SELECT count({distinct}) FROM event_sectors WHERE sector_key IN ({marks})",
                          list(flt.sectors)).fetchone()[0]
    hidden = _hidden_statuses(flt)
    hidden_marks = ",".join("?" * len(hidden))
    gone = store.execute(
        f"""SELECT count(*) FROM events e WHERE e.status IN ({hidden_marks})
            AND EXISTS (SELECT 1 FROM event_sectors es WHERE es.event_id = e.id AND es.sector_key IN ({marks}))""",
        [*hidden, *flt.sectors]).fetchone()[0]
    return links - gone


_EVENT_COLUMNS = """e.id, e.title, e.summary, e.kind, e.date, e.precision, e.start, e."end", e.is_range,
                     e.confidence, e.status, e.origin"""
_ORDER = 'ORDER BY e.start, e."end", e.id'
# driven by the event (its one or few sources), never by the matching documents (thousands for a common word)
_DOC_HITS = """SELECT 1 FROM event_sources s INDEXED BY idx_sources_event WHERE s.event_id = e.id AND s.sentence LIKE ?
               AND s.document_id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"""


MAX_LIMIT = 2**62  # a limit (or offset) beyond any table's size; SQLite's integers end at 2**63 - 1
_WALK_FROM_MATCHES = 1_000  # title matches from which the first ones are found walking the events by start
_SCAN_LIMIT = 20_000  # events walked by start at most before the sentence matches are collected documents first


def list_events(store: Store, flt: EventFilter = EventFilter(), *, limit: int | None = None,
                with_details: bool = True, offset: int = 0) -> list[dict]:
    if limit is not None:
        limit = min(int(limit), MAX_LIMIT)
        if limit <= 0:
            return []
    offset = min(max(int(offset), 0), MAX_LIMIT)
    q = fts_query(flt.query) if flt.query else ""
    if q and limit is not None:
        rows, cols = _first_matches(store, flt, q, int(limit), int(offset))
    else:
        where, params, _ = flt.where()
        # a page of a sector's events: walk the events in time order and keep the sector's, instead of reading
        # every event of the sector (93k at 1M, 16 s from a cold disk cache) to sort them
        walk = "INDEXED BY idx_events_start" if limit is not None and flt.sectors and not (
            flt.entities or flt.kinds or flt.document_id is not None) else ""
        sql = f"SELECT {_EVENT_COLUMNS} FROM events e {walk} WHERE {where} {_ORDER}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
            if offset:
                sql += f" OFFSET {int(offset)}"
        cur = store.execute(sql, params)
        cols = [c[0] for c in cur.description]
        rows = cur.fetchall()
    events = [dict(zip(cols, row)) for row in rows]
    if with_details and events:
        _attach_details(store, events)
    return events


def _first_matches(store: Store, flt: EventFilter, q: str, limit: int, offset: int) -> tuple[list, list[str]]:
    """The first ``offset + limit`` events (by start) matching a full-text query, without collecting every match.

    Same rows as ``flt.where()``: events whose title/summary match ``events_fts``, or with a source sentence that
    contains the query in a document matching ``documents_fts``. The title matches come first from the FTS
    index; the start of the last one needed bounds the sentence matches, found walking the events by start.
    When there are fewer title matches than needed (or too many events before the bound), every sentence match
    is collected, documents first.
    """
    where, params, _ = flt.replace(query="").where()
    like = f"%{flt.query.strip()}%"
    need = limit + offset
    # A common word matches thousands of titles: walking the events in time order (idx_events_start holds start,
    # end and id, the list's order) and stopping at the first matches beats reading and sorting every match. A
    # rare word: read its few matches by id.
    n_titles = store.execute("SELECT count(*) FROM events_fts WHERE events_fts MATCH ?", [q]).fetchone()[0]
    walk = "INDEXED BY idx_events_start" if n_titles >= _WALK_FROM_MATCHES * max(1, need // 50) else ""
    cur = store.execute(
        f"""SELECT {_EVENT_COLUMNS} FROM events e {walk}
            WHERE e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?) AND {where} {_ORDER}
            LIMIT {need}""", [q, *params])
    cols = [c[0] for c in cur.description]
    rows = cur.fetchall()
    i_id, i_start = cols.index("id"), cols.index("start")
    bound = rows[-1][i_start] if len(rows) >= need else None
    if bound is not None and store.execute(
            "SELECT count(*) FROM (SELECT 1 FROM events WHERE start <= ? LIMIT ?)",
            [bound, _SCAN_LIMIT]).fetchone()[0] < _SCAN_LIMIT:
        # few events start before the last title match needed: test their sentences one by one
        more = store.execute(
            f"""SELECT {_EVENT_COLUMNS} FROM events e WHERE e.start <= ? AND {where} AND EXISTS ({_DOC_HITS})""",
            [bound, *params, like, q]).fetchall()
    else:
        more = store.execute(
            f"""SELECT {_EVENT_COLUMNS} FROM events e WHERE {where} AND e.id IN (
                    SELECT s.event_id FROM event_sources s WHERE s.document_id IN
                        (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?) AND s.sentence LIKE ?)""",
            [*params, q, like]).fetchall()
    seen = {r[i_id] for r in rows}
    rows.extend(r for r in more if r[i_id] not in seen)
    i_end = cols.index("end")
    rows.sort(key=lambda r: (r[i_start], r[i_end], r[i_id]))
    return rows[offset:offset + limit], cols


def _has_actor_columns(store: Store) -> bool:
    """Whether the database holds roles, CAMEO codes and per-source dates (a read-only database written by an
    older version does not, and lists its events without them)."""
    return any(r[1] == "cameo" for r in store.execute("PRAGMA table_info(events)").fetchall())


def _attach_details(store: Store, events: list[dict]) -> None:
    by_id = {e["id"]: e for e in events}
    for e in events:
        e["is_range"] = bool(e["is_range"])
        e["sectors"], e["entities"], e["sources"], e["actors"] = [], [], [], []
        e.setdefault("cameo", None)
    ids = list(by_id)
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        marks = ",".join("?" * len(part))
        for event_id, key in store.execute(
            f"""SELECT es.event_id, es.sector_key FROM event_sectors es JOIN sectors s ON s.key = es.sector_key
                WHERE es.event_id IN ({marks}) ORDER BY s.position""",
            part,
        ):
            by_id[event_id]["sectors"].append(key)
        for event_id, name, type_ in store.execute(
            f"""SELECT ee.event_id, en.name, en.type FROM event_entities ee JOIN entities en ON en.id = ee.entity_id
                WHERE ee.event_id IN ({marks}) ORDER BY en.type, en.name""",
            part,
        ):
            by_id[event_id]["entities"].append({"name": name, "type": type_})
        for event_id, doc_id, file_name, title, sentence, start, end, date_text in store.execute(
            f"""SELECT s.event_id, d.id, d.file_name, d.title, s.sentence, s.start, s."end", s.date_text
                FROM event_sources s JOIN documents d ON d.id = s.document_id
                WHERE s.event_id IN ({marks}) ORDER BY d.published, d.file_name, s.start""",
            part,
        ):
            by_id[event_id]["sources"].append(
                {"document_id": doc_id, "document": file_name, "document_title": title, "sentence": sentence,
                 "start": start, "end": end, "date_text": date_text, "date": None}
            )
    if _has_actor_columns(store):
        _attach_actors(store, by_id)


_ROLE_ORDER = "CASE ee.role WHEN 'party' THEN 0 WHEN 'representative' THEN 1 ELSE 2 END"


def _attach_actors(store: Store, by_id: dict[int, dict]) -> None:
    """Each event's CAMEO code, its actors (entities with a role) and each source's own date."""
    ids = list(by_id)
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        marks = ",".join("?" * len(part))
        for event_id, cameo in store.execute(f"SELECT id, cameo FROM events WHERE id IN ({marks})", part):
            by_id[event_id]["cameo"] = cameo
        for event_id, name, type_, role, acting_for in store.execute(
            f"""SELECT ee.event_id, en.name, en.type, ee.role, ee.acting_for FROM event_entities ee
                JOIN entities en ON en.id = ee.entity_id
                WHERE ee.event_id IN ({marks}) AND ee.role IS NOT NULL ORDER BY {_ROLE_ORDER}, ee.rowid""",
            part,
        ):
            actor = {"name": name, "type": type_, "role": role}
            if acting_for:
                actor["for"] = acting_for
            by_id[event_id]["actors"].append(actor)
        dates: dict[tuple[int, int, int], dict] = {}
        for event_id, doc_id, start, value, precision, first, last, is_range in store.execute(
            f"""SELECT event_id, document_id, start, date_value, date_precision, date_first, date_last, date_is_range
                FROM event_sources WHERE event_id IN ({marks}) AND date_value IS NOT NULL""",
            part,
        ):
            dates[(event_id, doc_id, start)] = {"date": value, "precision": precision, "start": first, "end": last,
                                                "is_range": bool(is_range)}
        for event_id in part:
            for s in by_id[event_id]["sources"]:
                s["date"] = dates.get((event_id, s["document_id"], s["start"]))


def _hidden_statuses(flt: EventFilter) -> list[str]:
    return list(HIDDEN_STATUSES) + ([] if flt.show_rejected else ["rejected"])


def is_unfiltered(flt: EventFilter) -> bool:
    """Nothing but the status rules: counts can come from the link tables' covering indexes."""
    return flt.replace(show_rejected=True) == EventFilter()


def _link_counts(store: Store, table: str, column: str, hidden) -> dict:
    """Events per value of a link table, unfiltered: every link (the table's covering index) minus the links of
    hidden events (a few, found through idx_events_status_start)."""
    counts = dict(store.execute(f"SELECT {column}, count(*) FROM {table} GROUP BY {column}").fetchall())
    marks = ",".join("?" * len(hidden))
    for value, n in store.execute(
        f"""SELECT l.{column}, count(*) FROM events e CROSS JOIN {table} l ON l.event_id = e.id
            WHERE e.status IN ({marks}) GROUP BY l.{column}""", list(hidden),
    ).fetchall():
        counts[value] = counts.get(value, 0) - n
    return counts


def sector_counts(store: Store, flt: EventFilter = EventFilter(), *, ignore_own_filter: bool = True) -> list[dict]:
    """Events per sector under the filter (the sector selection itself is ignored by default, as a facet)."""
    base = flt.replace(sectors=()) if ignore_own_filter else flt
    if is_unfiltered(base):
        counts = _link_counts(store, "event_sectors", "sector_key", _hidden_statuses(base))
    else:
        where, params, _ = base.where()
        counts = dict(store.execute(
            f"""SELECT es.sector_key, count(*) FROM events e JOIN event_sectors es ON es.event_id = e.id
                WHERE {where} GROUP BY es.sector_key""", params,
        ).fetchall())
    rows = store.execute("SELECT key, name, color FROM sectors ORDER BY position").fetchall()
    return [{"key": k, "name": n, "color": c, "count": int(counts.get(k, 0))} for k, n, c in rows]


def entity_counts(store: Store, flt: EventFilter = EventFilter(), *, limit: int | None = None) -> list[dict]:
    if is_unfiltered(flt):
        counts = _link_counts(store, "event_entities", "entity_id", _hidden_statuses(flt))
        info = {i: (name, type_, country) for i, name, type_, country in
                store.execute("SELECT id, name, type, country FROM entities").fetchall()}
        rows = sorted(((info[i][0], info[i][1], info[i][2], n) for i, n in counts.items() if n > 0 and i in info),
                      key=lambda r: (-r[3], r[1], r[0]))
        if limit is not None:
            rows = rows[:int(limit)]
    else:
        where, params, _ = flt.where()
        sql = f"""SELECT en.name, en.type, en.country, count(DISTINCT e.id) AS n FROM entities en
                  JOIN event_entities ee ON ee.entity_id = en.id
                  JOIN events e ON e.id = ee.event_id AND {where}
                  GROUP BY en.id ORDER BY n DESC, en.type, en.name"""
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        rows = store.execute(sql, params).fetchall()
    return [{"name": name, "type": type_, "country": country, "count": n} for name, type_, country, n in rows]


def event_json(e: dict) -> dict:
    """The stable JSON shape of an event (CLI ``events --format json``)."""
    return {
        "id": e["id"],
        "title": e["title"],
        "kind": e["kind"],
        "date": e["date"],
        "precision": e["precision"],
        "start": e["start"],
        "end": e["end"],
        "is_range": e["is_range"],
        "cameo": e.get("cameo"),
        "sectors": e["sectors"],
        "entities": e["entities"],
        "actors": e.get("actors", []),
        "sources": [
            {"document": s["document"], "sentence": s["sentence"], "start": s["start"], "end": s["end"],
             "date_text": s["date_text"], "date": s.get("date")}
            for s in e["sources"]
        ],
        "confidence": e["confidence"],
        "status": e["status"],
    }

