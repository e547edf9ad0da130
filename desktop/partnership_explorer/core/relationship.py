"""The relationship ladder: for each pair of countries, the levels their relationship reached, in time order.

A **step** is one level reached by one pair (Vietnam–South Korea: diplomatic relations 1992, Comprehensive
Strategic Partnership December 2022). Steps are derived from the relationship milestones among the events
(kind ``milestone``): the pair is the milestone's two country sides (its ``party`` actors), the level is read
from its title, then its summary, then its sources' sentences, against the curated vocabulary of
``resources/relationship_levels.toml`` (English, Vietnamese and Korean wording, each level with a rank: its
height on the ladder); a milestone with no level in its words but a level's CAMEO code (054: relations
established) is at that level.

Several milestones at one level of one pair (an upgrade told by articles that were not merged) make one step,
linked to all of them. The step's date is the best-supported of its sources' dates (:func:`.merging.best_supported`,
as for an event); every source keeps its own date in ``relationship_step_sources``, and a step whose sources
give dates that do not overlap is **disputed**.

The table ``relationship_steps`` is rebuilt by :func:`rebuild` inside every write transaction of the store
(:data:`.store.COMMIT_HOOKS`): ingestion, curation, import, undo — a rebuild writes only what differs. Steps are
user-editable like events (:func:`edit_step`, :func:`reject_step`, :func:`add_step`): a step the user touched is
locked, and a rebuild refreshes its links to events but never its level, date or status.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from .curation import CurationError
from .disputes import disagree
from .merging import SourceDate, best_supported_counts
from .paths import read_resource_toml
from .periods import STORED_PRECISIONS, Period, iso_label
from .store import COMMIT_HOOKS, Store, StoreError, now_text

LEVELS_FILE = "relationship_levels.toml"
HIDDEN_EVENT_STATUSES = ("rejected", "merged")
STEP_STATUSES = ("derived", "edited", "rejected", "manual")
PAIR_SEPARATORS = re.compile(r"\s*[–—/]\s*|\s+-\s+|\s+and\s+|\s*&\s*|\s*,\s*")


class RelationshipError(CurationError):
    """A step edit or a pair name that cannot be used, in one line (a curation problem the user can fix)."""


# -- the vocabulary ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Level:
    key: str
    label: str
    rank: int
    patterns: tuple[re.Pattern, ...]
    cameo: str | None = None
    short: str | None = None    # the usual abbreviation ("CSP"), where there is no room for the label


@dataclass(frozen=True)
class Vocabulary:
    levels: tuple[Level, ...]
    # the level each text named (the ladder reads the same titles and sentences at every rebuild)
    _found: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def get(self, key: str) -> Level | None:
        return next((lv for lv in self.levels if lv.key == key), None)

    def by_cameo(self, code: str | None) -> Level | None:
        return next((lv for lv in self.levels if code and lv.cameo == code), None)

    def find(self, text: str | None) -> Level | None:
        """The level a text names: the longest match of any level's patterns (the higher rank on a tie)."""
        if not text:
            return None
        if text not in self._found:
            if len(self._found) >= 50_000:
                self._found.clear()
            self._found[text] = self._find(text)
        return self._found[text]

    def _find(self, text: str) -> Level | None:
        best: tuple[int, int, Level] | None = None
        for lv in self.levels:
            for pat in lv.patterns:
                for m in pat.finditer(text):
                    cand = (m.end() - m.start(), lv.rank, lv)
                    if best is None or cand[:2] > best[:2]:
                        best = cand
        return best[2] if best else None

    def short_name(self, name: str) -> str | None:
        """The abbreviation of a level named by its label ("Comprehensive Strategic Partnership" → "CSP", in any
        case and spacing); None when ``name`` is no level's label or the level has none."""
        t = " ".join(str(name).split()).lower()
        for lv in self.levels:
            if lv.label.lower() == t:
                return lv.short
        return None

    def lookup(self, text: str) -> Level:
        """A level named by a user: its key, its label or words of the vocabulary ("CSP" is not one)."""
        t = " ".join(str(text).split())
        for lv in self.levels:
            if t.lower() in (lv.key, lv.label.lower()):
                return lv
        found = self.find(t)
        if found is None:
            raise RelationshipError(f"'{t}' is not a relationship level (one of: "
                                    + ", ".join(lv.key for lv in self.levels) + ")")
        return found


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    name, data = read_resource_toml(path, LEVELS_FILE, "relationship levels")
    levels = []
    for i, entry in enumerate(data.get("level", ())):
        try:
            key, label, rank = str(entry["key"]), str(entry["label"]), int(entry["rank"])
            pats = tuple(re.compile(p, re.IGNORECASE) for p in entry.get("patterns", ()))
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise ValueError(f"{name}: level {i + 1}: {exc}") from None
        levels.append(Level(key, label, rank, pats, entry.get("cameo"), entry.get("short")))
    if not levels:
        raise ValueError(f"{name}: no [[level]] entries")
    return Vocabulary(tuple(levels))


@functools.lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    return load_vocabulary()


# -- steps ------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _source_date(first: str | None, last: str | None, precision: str | None) -> SourceDate | None:
    """The period of a source's stored date (a few hundred distinct ones among thousands of sources), None when
    it is not readable."""
    try:
        return SourceDate(dt.date.fromisoformat(first), dt.date.fromisoformat(last), precision or "day")
    except (TypeError, ValueError):
        return None


@dataclass
class StepSource:
    """One event (and one of its sources, when it has any) supporting a step, with the date that source gives."""

    event_id: int
    source_id: int | None
    date_value: str | None
    date_precision: str | None
    date_first: str | None
    date_last: str | None
    document: str | None = None
    link_id: int | None = field(default=None, compare=False, repr=False)  # its stored row, once stored

    def period(self) -> SourceDate | None:
        return _source_date(self.date_first, self.date_last, self.date_precision)

    def row(self) -> tuple:
        return (self.event_id, self.source_id, self.date_value, self.date_precision, self.date_first,
                self.date_last)


@dataclass
class Step:
    pair_key: str
    pair_label: str
    level: str
    label: str
    rank: int
    date: str
    precision: str
    start: str
    end: str
    disputed: bool = False
    status: str = "derived"
    locked: bool = False
    id: int | None = None
    sources: list[StepSource] = field(default_factory=list)

    @property
    def event_ids(self) -> list[int]:
        return list(dict.fromkeys(s.event_id for s in self.sources))

    def source_dates(self) -> list[str]:
        """The distinct dates the sources give, in the order they came ("2022-12", "2022")."""
        return list(dict.fromkeys(s.date_value for s in self.sources if s.date_value))

    def as_json(self) -> dict:
        return {"id": self.id, "pair": self.pair_label, "level": self.level, "label": self.label, "rank": self.rank,
                "date": self.date, "precision": self.precision, "start": self.start, "end": self.end,
                "disputed": self.disputed, "status": self.status, "event_ids": self.event_ids,
                "sources": [{"event_id": s.event_id, "source_id": s.source_id, "document": s.document,
                             "date": s.date_value, "precision": s.date_precision, "first": s.date_first,
                             "last": s.date_last} for s in self.sources]}


def pair_key(a: str, b: str) -> str:
    return "|".join(sorted((a, b)))


def _milestones(store: Store, *, ids: Iterable[int] | None = None, pairs: Iterable[str] | None = None) -> list[dict]:
    """The shown milestone events in date order: all of them, only those of ``ids``, or only those linked to both
    countries of one of ``pairs`` (every milestone of those pairs' ladders, and maybe a few of other pairs)."""
    where, params = "", []
    if ids is not None:
        ids = sorted(ids)
        where, params = f"AND id IN ({','.join('?' * len(ids))})", ids
    elif pairs is not None:
        linked_to = ("SELECT ee.event_id FROM entities en JOIN event_entities ee ON ee.entity_id = en.id "
                     "WHERE en.type = 'country' AND en.name = ?")
        either = []
        for key in sorted(pairs):
            a, b = key.split("|", 1)
            either.append(f"(id IN ({linked_to}) AND id IN ({linked_to}))")
            params += [a, b]
        where = f"AND ({' OR '.join(either)})"
    rows = store.execute(
        f"""SELECT id, title, summary, cameo, date, precision, start, "end" FROM events
            WHERE kind = 'milestone' AND status NOT IN ({','.join('?' * len(HIDDEN_EVENT_STATUSES))}) {where}
            ORDER BY start, id""", [*HIDDEN_EVENT_STATUSES, *params]).fetchall()
    return [dict(zip(("id", "title", "summary", "cameo", "date", "precision", "start", "end"), r)) for r in rows]


def _sides(store: Store, event_ids: list[int]) -> dict[int, list[str]]:
    """Each event's country sides: its ``party`` actors that are countries, else every country linked to it."""
    out: dict[int, list[str]] = {}
    if not event_ids:
        return out
    marks = ",".join("?" * len(event_ids))
    rows = store.execute(
        f"""SELECT ee.event_id, en.name, ee.role FROM event_entities ee JOIN entities en ON en.id = ee.entity_id
            WHERE ee.event_id IN ({marks}) AND en.type = 'country' ORDER BY ee.event_id, ee.rowid""",
        event_ids).fetchall()
    parties: dict[int, list[str]] = {}
    linked: dict[int, list[str]] = {}
    for eid, name, role in rows:
        (parties if role == "party" else linked).setdefault(eid, []).append(name)
    for eid in event_ids:
        names = list(dict.fromkeys(parties.get(eid) or linked.get(eid) or []))
        if len(names) == 2:
            out[eid] = names
    return out


def _sources(store: Store, event_ids: list[int], columns: str) -> dict[int, list[tuple]]:
    """``columns`` of each event's sources, in source order."""
    out: dict[int, list[tuple]] = {}
    if not event_ids:
        return out
    marks = ",".join("?" * len(event_ids))
    for row in store.execute(
            f"""SELECT event_id, {columns} FROM event_sources
                WHERE event_id IN ({marks}) ORDER BY event_id, id""", event_ids).fetchall():
        out.setdefault(row[0], []).append(row[1:])
    return out


def _pair_label(names: list[str], titles: list[str]) -> str:
    """'Vietnam–South Korea' in the order the events' titles name the two sides (else alphabetical)."""
    a, b = sorted(names)
    votes = Counter()
    for t in titles:
        ia, ib = t.find(a), t.find(b)
        if ia >= 0 and ib >= 0:
            votes[(a, b) if ia < ib else (b, a)] += 1
    first, second = votes.most_common(1)[0][0] if votes else (a, b)
    return f"{first}–{second}"


LADDER_MEMO = "ladder"
"""The name of the store's per-event memo (:meth:`.store.Store.event_memo`) of what each milestone gives the
ladder: kept between transactions, dropped for an event whenever it, its actors or its sources change. The
store's derived memo (:meth:`.store.Store.derived_memo`) of the same name keeps which milestones make each step
(:class:`_Ladder`)."""


@dataclass
class _Member:
    """What one milestone event gives the ladder: its pair of countries, its level, its dated sources; with its
    own row (its place in date order, its title, its date when no source has one)."""

    event: dict
    pair: list[str] | None
    level: Level | None
    links: list[StepSource]
    named: bool = False  # its level named by its own words or its sources' (not only by its CAMEO code)
    highest: int = 0  # the highest id of its sources when it was read
    key: tuple[str, str] | None = None  # its step: (pair key, level key)
    dates: Counter | None = None  # the links' readable dates counted, in the order they came

    def __post_init__(self) -> None:
        if self.dates is None:
            self.dates = Counter(p for p in (link.period() for link in self.links) if p is not None)
        if self.pair is not None and self.level is not None:
            self.key = (pair_key(*self.pair), self.level.key)

    @property
    def order(self) -> tuple[str, int]:
        """Its place among the step's milestones: by start, then id (as :func:`_milestones` reads them)."""
        return self.event["start"], self.event["id"]


def _member(event: dict, pair: list[str] | None, sources: list[tuple], level: Level | None,
            sentences: Iterable[str], vocab: Vocabulary, before: _Member | None = None) -> _Member:
    """``level``: the one its title or summary names; else its sources' ``sentences`` (in source order) are read,
    else its CAMEO code. ``before``: what the event gave before ``sources`` were added to it (its row and its
    other sources unchanged): only the new sources are read."""
    if level is None:
        level = next((lv for lv in map(vocab.find, sentences) if lv is not None), None)
    named = level is not None
    level = level or vocab.by_cameo(event["cameo"])
    dated = [StepSource(event["id"], sid, value, prec, first, last)
             for sid, value, prec, first, last in sources if first and last]
    highest = max((s[0] for s in sources), default=0)
    dates = None
    if before is not None:
        highest = max(before.highest, highest)
        if before.links and before.links[0].source_id is not None:  # the dates of the earlier sources, counted
            dates = before.dates + Counter(p for p in (link.period() for link in dated) if p is not None)
            dated = before.links + dated
    if dated:
        links = dated
    else:  # an imported or manual milestone: the event's own date
        links, dates = [StepSource(event["id"], None, event["date"], event["precision"], event["start"],
                                   event["end"])], None
    return _Member(event, pair, level, links, named, highest, dates=dates)


_MEMBER_FIELDS = ("title", "summary", "cameo", "date", "precision", "start", "end")


def _grown(store: Store, events: list[dict], changed: dict[int, Any] | None) -> dict[int, tuple[_Member, list]]:
    """Of ``events``, those that only gained sources since the store's memo last held them (their row as it was,
    no source of theirs changed or removed): what they gave before, and their new sources (a source added has a
    higher id than every source stored)."""
    out: dict[int, tuple[_Member, list]] = {}
    for e in events:
        change = (changed or {}).get(e["id"])
        before = change.before.get(LADDER_MEMO) if change is not None else None
        if before is None or change.sources_rewritten or any(e[k] != before.event[k] for k in _MEMBER_FIELDS):
            continue
        out[e["id"]] = before, store.execute(
            """SELECT id, date_value, date_precision, date_first, date_last, sentence FROM event_sources
               WHERE event_id = ? AND id > ? ORDER BY id""", [e["id"], before.highest]).fetchall()
    return out


def _members(store: Store, events: list[dict], vocab: Vocabulary, changed: dict[int, Any] | None = None
             ) -> dict[int, _Member]:
    """Each milestone's :class:`_Member`: from the store's memo where it holds one (with the default
    vocabulary), read for the others — of a milestone that only gained sources (``changed``: what the memo held
    before, :attr:`.store.Store.changed_events`), only the new sources."""
    memo: dict[int, _Member] = store.event_memo(LADDER_MEMO) if vocab is default_vocabulary() else {}
    missing = [e for e in events if e["id"] not in memo]
    grown = _grown(store, missing, changed) if vocab is default_vocabulary() else {}
    if grown:
        sides = _sides(store, list(grown))
        for e in missing:
            if e["id"] in grown:
                before, rows = grown[e["id"]]
                memo[e["id"]] = _member(e, sides.get(e["id"]), [r[:5] for r in rows],
                                        before.level if before.named else None, (r[5] for r in rows), vocab,
                                        before)
        missing = [e for e in missing if e["id"] not in grown]
    for chunk in range(0, len(missing), 10_000):
        part = missing[chunk:chunk + 10_000]
        ids = [e["id"] for e in part]
        sides = _sides(store, ids)
        sources = _sources(store, ids, "id, date_value, date_precision, date_first, date_last")
        own = {e["id"]: vocab.find(e["title"]) or vocab.find(e["summary"]) for e in part}
        # the sentences only of the milestones whose own words name no level
        sentences = _sources(store, [i for i, level in own.items() if level is None], "sentence")
        for e in part:
            i = e["id"]
            memo[i] = _member(e, sides.get(i), sources.get(i) or [], own[i], (s for s, in sentences.get(i, ())), vocab)
    return memo


@dataclass
class _Ladder:
    """Which milestones make each step, (pair key, level key) -> event ids, and the other way round: what a
    change to a few milestones needs to make their steps again without reading every milestone of their pairs.
    Derived from the members alone, so it is as valid as the store's memos (kept with them, emptied with them)."""

    events: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    step_of: dict[int, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, events: list[dict], members: dict[int, _Member]) -> "_Ladder":
        ladder = cls()
        ladder.move([e["id"] for e in events], members)
        return ladder

    def move(self, event_ids: Iterable[int], members: dict[int, _Member]) -> set[tuple[str, str]]:
        """Put each of ``event_ids`` where its member (if it still has one) says; the steps it left or joined."""
        touched: set[tuple[str, str]] = set()
        for event_id in event_ids:
            old = self.step_of.pop(event_id, None)
            if old is not None:
                touched.add(old)
                self.events[old].discard(event_id)
                if not self.events[old]:
                    del self.events[old]
            m = members.get(event_id)
            if m is not None and m.key is not None:
                touched.add(m.key)
                self.step_of[event_id] = m.key
                self.events.setdefault(m.key, set()).add(event_id)
        return touched


def _step_of(key: tuple[str, str], group: list[_Member]) -> Step | None:
    """The step one pair's milestones of one level make (``group`` in date order), None when none of them has a
    readable date."""
    level = group[0].level
    counted: Counter = Counter()
    for m in group:
        counted.update(m.dates)  # in the order the dates came, as the sources do
    chosen = best_supported_counts(counted)  # each distinct date once, with its count (not every source again)
    if chosen is None:  # no source date readable (a database edited by another program): the event's own
        first = group[0].event
        chosen = StepSource(first["id"], None, None, first["precision"], first["start"], first["end"]).period()
        if chosen is None:
            return None
    precision = chosen.precision if chosen.precision in STORED_PRECISIONS else "day"
    return Step(
        pair_key=key[0], pair_label=_pair_label(group[0].pair, [m.event["title"] for m in group]), level=key[1],
        label=level.label, rank=level.rank, date=iso_label(chosen.first, precision), precision=precision,
        start=chosen.first.isoformat(), end=chosen.last.isoformat(),
        # whether two dates do not overlap: the distinct ones tell (two of one date, when there is only one)
        disputed=disagree(list(counted) if len(counted) > 1 else list(islice(counted.elements(), 2))),
        sources=[link for m in group for link in m.links])


def _has_date(group: list[_Member]) -> bool:
    """Whether the milestones ``group`` make a step (:func:`_step_of` is not None), without choosing its date."""
    first = group[0].event
    return any(m.dates for m in group) or _source_date(first["start"], first["end"], first["precision"]) is not None


def _sorted_steps(steps: Iterable[Step]) -> list[Step]:
    return sorted(steps, key=lambda s: (s.pair_key, s.start, s.rank))


def _steps_of(events: list[dict], members: dict[int, _Member], only: set[tuple[str, str]] | None) -> list[Step]:
    """The steps of the milestones ``events`` (in date order): every step, or only those of ``only``
    ((pair, level) keys)."""
    groups: dict[tuple[str, str], list[_Member]] = {}
    for e in events:
        m = members[e["id"]]
        if m.key is not None and (only is None or m.key in only):
            groups.setdefault(m.key, []).append(m)
    return _sorted_steps(s for s in (_step_of(key, group) for key, group in groups.items()) if s is not None)


def derive(store: Store, vocabulary: Vocabulary | None = None) -> list[Step]:
    """The steps the milestones among the events give (not what is stored: see :func:`steps`)."""
    vocab = vocabulary or default_vocabulary()
    events = _milestones(store)
    return _steps_of(events, _members(store, events, vocab), None)


# -- the stored table --------------------------------------------------------------------------------------
_STEP_COLUMNS = ("id", "pair_key", "pair_label", "level", "label", "rank", "date", "precision", "start", "end",
                 "disputed", "status", "locked")
_LINK_COLUMNS = "step_id, id, event_id, source_id, date_value, date_precision, date_first, date_last"


def has_table(store: Store) -> bool:
    return store.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'relationship_steps'"
                         ).fetchone() is not None


def _groups_where(groups: set[tuple[str, str]] | None) -> tuple[str, list]:
    if groups is None:
        return "", []
    return (f"WHERE (pair_key, level) IN (VALUES {', '.join(['(?, ?)'] * len(groups))})",
            [v for key in sorted(groups) for v in key])


def _stored_steps(store: Store, groups: set[tuple[str, str]] | None = None) -> dict[tuple[str, str], Step]:
    """The stored steps (only those of ``groups``, (pair, level) keys, when given), without their sources."""
    out: dict[tuple[str, str], Step] = {}
    cols = ", ".join(f'"{c}"' for c in _STEP_COLUMNS)
    where, params = _groups_where(groups)
    for row in store.execute(f"SELECT {cols} FROM relationship_steps {where}", params).fetchall():
        d = dict(zip(_STEP_COLUMNS, row))
        step = Step(**{k: d[k] for k in _STEP_COLUMNS if k != "id"}, id=d["id"])
        step.disputed, step.locked = bool(step.disputed), bool(step.locked)
        out[(step.pair_key, step.level)] = step
    return out


def _stored(store: Store, groups: set[tuple[str, str]] | None = None) -> dict[tuple[str, str], Step]:
    """The stored steps (only those of ``groups``, (pair, level) keys, when given) with their sources and the
    file name of each source's document."""
    out = _stored_steps(store, groups)
    by_id = {s.id: s for s in out.values()}
    where, params = _groups_where(groups)
    # in the order a step's links are made (its events by date, each event's sources in turn), whatever order
    # the rows were written in
    for sid, link, eid, src, value, prec, first, last, doc in store.execute(
            f"""SELECT ss.step_id, ss.id, ss.event_id, ss.source_id, ss.date_value, ss.date_precision, ss.date_first,
                       ss.date_last, d.file_name
                FROM relationship_step_sources ss JOIN events ev ON ev.id = ss.event_id
                LEFT JOIN event_sources es ON es.id = ss.source_id LEFT JOIN documents d ON d.id = es.document_id
                WHERE ss.step_id IN (SELECT id FROM relationship_steps {where})
                ORDER BY ss.step_id, ev.start, ev.id, ss.source_id, ss.id""",
            params).fetchall():
        by_id[sid].sources.append(StepSource(eid, src, value, prec, first, last, doc, link_id=link))
    return out


def _same_fields(a: Step, b: Step) -> bool:
    fields_ = ("pair_label", "label", "rank", "date", "precision", "start", "end", "disputed")
    return all(getattr(a, f) == getattr(b, f) for f in fields_)


_FEW_CHANGED = 100
"""Up to this many changed milestones (and steps), only their steps are made again; beyond, all of them."""


@dataclass
class _StoredLinks:
    """The stored links of the steps a rebuild compares: all of a step's, or only those of the changed events
    (``scope``) when the rest of the step is known to be stored as its unchanged milestones give it."""

    rows: dict[int, list[tuple[int, tuple]]] = field(default_factory=dict)  # step id -> [(link id, row)]
    scope: dict[int, set[int] | None] = field(default_factory=dict)  # step id -> events compared (None: all)

    def read_all(self, store: Store, step_ids: list[int] | None) -> None:
        """Every link of these steps (of every step: None)."""
        if step_ids is None:
            query, params = f"SELECT {_LINK_COLUMNS} FROM relationship_step_sources", []
        else:
            for step_id in step_ids:
                self.rows[step_id], self.scope[step_id] = [], None
            query = f"SELECT {_LINK_COLUMNS} FROM relationship_step_sources WHERE step_id IN ({_marks(step_ids)})"
            params = step_ids
        if step_ids is None or step_ids:
            for step_id, link_id, *row in store.execute(query, params).fetchall():
                self.rows.setdefault(step_id, []).append((link_id, tuple(row)))


def _marks(values: list) -> str:
    return ",".join("?" * len(values))


def _stored_links(store: Store, old: dict[tuple[str, str], Step], event_ids: list[int] | None,
                  ladder: _Ladder, members: dict[int, _Member]) -> _StoredLinks:
    """The stored links a rebuild compares: every link of every step (``event_ids`` None), else those of the
    changed events in the steps ``old`` — with, for each such step, a count of its links: when it is not what
    its unchanged milestones give plus the changed ones' links stored, the step's links are all read (a step the
    user moved to another level, a step whose links were left out while it had no date)."""
    links = _StoredLinks()
    if event_ids is None:
        links.read_all(store, None)
        for step in old.values():
            links.scope[step.id] = None
        return links
    step_ids = [step.id for step in old.values()]
    if not step_ids:
        return links
    changed = set(event_ids)
    for step_id in step_ids:
        links.rows[step_id], links.scope[step_id] = [], changed
    for chunk in range(0, len(event_ids), 10_000):
        part = event_ids[chunk:chunk + 10_000]
        for step_id, link_id, *row in store.execute(
                f"SELECT {_LINK_COLUMNS} FROM relationship_step_sources WHERE event_id IN ({_marks(part)})",
                part).fetchall():
            if step_id in links.rows:
                links.rows[step_id].append((link_id, tuple(row)))
    counts = dict(store.execute(
        f"""SELECT step_id, count(*) FROM relationship_step_sources WHERE step_id IN ({_marks(step_ids)})
            GROUP BY step_id""", step_ids).fetchall())
    whole = []
    for key, step in old.items():
        unchanged = sum(len(members[i].links) for i in ladder.events.get(key, ()) if i not in changed)
        if counts.get(step.id, 0) != unchanged + len(links.rows[step.id]):
            whole.append(step.id)
    links.read_all(store, whole)
    return links


def rebuild(store: Store, vocabulary: Vocabulary | None = None, changed: dict[int, dict] | None = None, *,
            dates: bool = True) -> bool:
    """Bring ``relationship_steps`` in line with the events; True when something was written. Derived steps
    follow the events; the user's (locked) steps keep their level, date and status and get their links to
    events refreshed. Runs inside the caller's transaction (or its own).

    ``changed``: only the events with these ids changed (:attr:`.store.Store.changed_events`, each with what
    the store's memos held for it before): only the steps (pair and level) the milestones among them were or are
    on are made again, from the milestones the store's memo says make them (:class:`_Ladder`), and only the
    links of those milestones compared with what is stored; every other step depends on none of them. Without
    that memo (the first write of a session, a rollback, another connection's commit), every step again.

    ``dates`` False (more of the same transaction follows: the next document of a group): which steps there are
    and their links are written now, as if the transaction ended here (so the ids they get do not depend on
    where it ends), but the date, disputed flag and pair label of a step that was already stored are made (from
    every source of the step) by the rebuild that ends the transaction: nothing reads them in between."""
    if store.readonly or not has_table(store):
        return False
    vocab = vocabulary or default_vocabulary()
    kept = store.derived_memo(LADDER_MEMO)
    if vocab is not default_vocabulary():  # steps of another vocabulary: what is kept of the default's is not
        kept.clear()
        kept = {}
    # taken while brought up to date: an error leaves none, and the next rebuild makes every step again
    ladder: _Ladder | None = kept.pop("steps", None)
    undated: set[tuple[str, str]] = kept.pop("undated", set())  # stored steps whose dates wait for the end
    ids = None if changed is None else [event_id for event_id, change in changed.items() if change.milestone]
    plan = None
    if ids is not None and ladder is not None and len(ids) <= _FEW_CHANGED:
        plan = _changed_steps(store, vocab, ladder, ids, changed, undated if dates else set(), dates)
    if plan is None:  # every step again
        events = _milestones(store)
        members = _members(store, events, vocab)
        ladder, ids = _Ladder.of(events, members), None
        old = _stored_steps(store)
        new, undated = _steps_of(events, members, None), set()
    else:
        members, old, new, later = plan
        undated = later | (set() if dates else undated)
        if not new and not old:
            kept["steps"], kept["undated"] = ladder, undated
            return False
    wrote = _write_steps(store, {(s.pair_key, s.level): s for s in new}, old,
                         _stored_links(store, old, ids, ladder, members), ladder, members)
    kept["steps"], kept["undated"] = ladder, undated
    return wrote


def _changed_steps(store: Store, vocab: Vocabulary, ladder: _Ladder, ids: list[int], changed: dict[int, Any],
                   undated: set[tuple[str, str]], dates: bool
                   ) -> tuple[dict[int, _Member], dict[tuple[str, str], Step], list[Step], set[tuple[str, str]]] | None:
    """For a rebuild of the steps a few milestones (``ids``) were or are on (and of the ``undated`` ones): the
    members, those steps as stored, the steps their milestones make now, and the stored ones whose dates were
    left for later (``dates`` False: their stored fields with their links now); None when they are too many
    (every step is made again)."""
    members = _members(store, _milestones(store, ids=ids), vocab, changed)
    groups = _groups_of(store, changed, members) | ladder.move(ids, members) | undated
    if len(groups) > _FEW_CHANGED:
        return None
    missing = [i for key in groups for i in ladder.events.get(key, ()) if i not in members]
    if missing:  # unchanged milestones the memo no longer holds (it holds a bounded number)
        members = _members(store, _milestones(store, ids=missing), vocab)
        if any(i not in members for i in missing):
            return None
    old = _stored_steps(store, groups) if groups else {}
    new, later = [], set()
    for key in groups:
        group = sorted((members[i] for i in ladder.events.get(key, ())), key=lambda m: m.order)
        before = old.get(key)
        if not dates and before is not None and group and _has_date(group):
            new.append(dataclasses.replace(before, sources=[link for m in group for link in m.links]))
            if not before.locked:
                later.add(key)
            continue
        step = _step_of(key, group) if group else None
        if step is not None:
            new.append(step)
    return members, old, new, later


def _write_steps(store: Store, new: dict[tuple[str, str], Step], old: dict[tuple[str, str], Step],
                 stored: _StoredLinks, ladder: _Ladder, members: dict[int, _Member]) -> bool:
    """Write the steps ``new`` over the stored ``old`` (of the same (pair, level) keys): only what differs."""
    wrote = False
    now = now_text()
    with store.atomic():
        for key, step in old.items():
            if key not in new and not step.locked:
                store.execute("DELETE FROM relationship_steps WHERE id = ?", [step.id])
                wrote = True
            elif key not in new and store.execute(
                    "SELECT 1 FROM relationship_step_sources WHERE step_id = ? LIMIT 1", [step.id]).fetchone():
                store.execute("DELETE FROM relationship_step_sources WHERE step_id = ?", [step.id])
                wrote = True
        # new steps first, in ladder order (their ids follow it), then the stored ones' links by pair and rank
        # (not by date: a stored step's date may be left for later, see rebuild)
        for key, step in sorted(new.items(), key=lambda item: (0, item[1].pair_key, item[1].start, item[1].rank)
                                if item[0] not in old else (1, item[1].pair_key, item[1].rank, item[1].level)):
            before = old.get(key)
            have = stored.rows.get(before.id, []) if before is not None else []
            scope = stored.scope.get(before.id) if before is not None else None
            if scope is None:
                wanted = [link.row() for link in step.sources]
            else:  # the links of its changed milestones only: its others are stored as they give them
                group = sorted((members[i] for i in ladder.events.get(key, set()) & scope), key=lambda m: m.order)
                wanted = [link.row() for m in group for link in m.links]
            same_links = len(have) == len(wanted) and {row for _id, row in have} == set(wanted)
            if before is not None and before.locked:
                if same_links:
                    continue
                step_id = before.id
            elif before is not None and same_links and _same_fields(before, step):
                continue
            elif before is not None:
                step_id = before.id
                store.execute(
                    """UPDATE relationship_steps SET pair_label = ?, label = ?, rank = ?, date = ?, precision = ?,
                       start = ?, "end" = ?, disputed = ?, updated_at = ? WHERE id = ?""",
                    [step.pair_label, step.label, step.rank, step.date, step.precision, step.start, step.end,
                     int(step.disputed), now, step_id])
            else:
                step_id = store.execute(
                    """INSERT INTO relationship_steps (pair_key, pair_label, level, label, rank, date, precision,
                       start, "end", disputed, status, locked, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'derived', 0, ?)""",
                    [step.pair_key, step.pair_label, step.level, step.label, step.rank, step.date, step.precision,
                     step.start, step.end, int(step.disputed), now]).lastrowid
            _write_links(store, step_id, have, wanted)
            wrote = True
    return wrote


def _write_links(store: Store, step_id: int, stored: list[tuple[int, tuple]], links: list[tuple]) -> None:
    """Make the step's stored links ``stored`` ((link id, row)) those of ``links`` (rows): only the rows that
    differ are deleted or added (a step told by thousands of sources gains one, it is not written again
    whole); a row stored twice is stored once."""
    wanted = set(links)
    have: dict[tuple, int] = {}
    gone = []
    for link_id, row in stored:
        if row in wanted and row not in have:
            have[row] = link_id
        else:
            gone.append((link_id,))
    if gone:
        store.executemany("DELETE FROM relationship_step_sources WHERE id = ?", gone)
    store.executemany(
        """INSERT INTO relationship_step_sources (step_id, event_id, source_id, date_value, date_precision,
           date_first, date_last) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [(step_id, *row) for row in dict.fromkeys(links) if row not in have])


def _groups_of(store: Store, changed: dict[int, Any], members: dict[int, _Member]) -> set[tuple[str, str]]:
    """The steps (pair, level) the ``changed`` milestones were or are on: a step is made from its own pair's
    milestones of its own level only, so no other step can change."""
    keys: set[tuple[str, str]] = set()
    ids = [event_id for event_id, change in changed.items() if change.milestone]
    for event_id in ids:
        for m in (changed[event_id].before.get(LADDER_MEMO), members.get(event_id)):
            if m is not None and m.key is not None:
                keys.add(m.key)
    for chunk in range(0, len(ids), 10_000):
        part = ids[chunk:chunk + 10_000]
        keys.update((r[0], r[1]) for r in store.execute(
            f"""SELECT DISTINCT st.pair_key, st.level FROM relationship_step_sources ss
                JOIN relationship_steps st ON st.id = ss.step_id WHERE ss.event_id IN ({_marks(part)})""",
            part).fetchall())
    return keys


def _commit_hook(store: Store) -> None:
    """Before each commit: the ladder follows the events written by the same transaction (when it wrote to a
    milestone, its actors or sources, or to entities: :attr:`.store.Store.milestones_changed`); between the
    documents of a group, all but the dates of stored steps (:attr:`.store.Store.commit_follows`)."""
    if not store.milestones_changed and not (store.commit_follows and store.derived_memo(LADDER_MEMO).get("undated")):
        return
    try:
        rebuild(store, changed=None if store.all_derived_changed else store.changed_events,
                dates=store.commit_follows)
        store.all_derived_changed = False
    except (sqlite3.Error, StoreError, ValueError):
        # a database refusing the rebuild (locked, full disk) must not cost the user's own change: the next
        # write rebuilds the whole ladder again
        store.all_derived_changed = True


if _commit_hook not in COMMIT_HOOKS:
    COMMIT_HOOKS.append(_commit_hook)


# -- reading ------------------------------------------------------------------------------------------------
def steps(store: Store, pair: str | None = None, *, include_rejected: bool = False) -> list[Step]:
    """The stored steps (of one pair, named as users write it: "Vietnam–South Korea", "Korea/Vietnam"), in pair
    then date order; rejected steps only when asked."""
    if not has_table(store):
        return []
    out = list(_stored(store).values())
    if pair is not None:
        key = find_pair(store, pair)
        out = [s for s in out if s.pair_key == key]
    if not include_rejected:
        out = [s for s in out if s.status != "rejected"]
    out.sort(key=lambda s: (s.pair_key, s.start, s.rank))
    return out


def pairs(store: Store) -> list[tuple[str, str, int]]:
    """(pair key, label, number of steps) of every pair with a ladder, the longest ladder first."""
    if not has_table(store):
        return []
    rows = store.execute("""SELECT pair_key, min(pair_label), count(*) FROM relationship_steps
                            WHERE status != 'rejected' GROUP BY pair_key ORDER BY count(*) DESC, pair_key""")
    return [(k, label, n) for k, label, n in rows.fetchall()]


def _entity_name(store: Store, text: str) -> str | None:
    row = store.execute(
        """SELECT name FROM entities WHERE name = ? COLLATE NOCASE
           UNION ALL SELECT e.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id
           WHERE a.alias = ? COLLATE NOCASE LIMIT 1""", [text, text]).fetchone()
    if row:
        return row[0]
    from .entities import default_gazetteer

    known = default_gazetteer().lookup(text)  # an alias the articles never used ("Viet Nam", "ROK")
    return known.name if known is not None else None


def find_pair(store: Store, text: str) -> str:
    """The key of the pair a user names ("Vietnam–South Korea", "Korea - Vietnam", "Viet Nam/ROK"), either order,
    any alias the entities know; RelationshipError naming the pairs with a ladder otherwise."""
    known = pairs(store)
    t = " ".join(str(text).split())
    for key, label, _ in known:
        if t.lower() in (label.lower(), key.lower()):
            return key
    parts = [p for p in PAIR_SEPARATORS.split(t) if p]
    if len(parts) != 2 and "-" in t:
        parts = [p.strip() for p in t.split("-") if p.strip()]
    if len(parts) == 2:
        a, b = (_entity_name(store, p) or p for p in parts)
        key = pair_key(a, b)
        if any(k == key for k, _, _ in known):
            return key
    names = ", ".join(label for _, label, _ in known) or "none yet"
    raise RelationshipError(f"no relationship ladder for '{t}' (pairs with one: {names})")


def ladder_for(store: Store, flt: Any = None) -> tuple[str | None, list[Step]]:
    """The ladder the timeline shows under a filter: the pair its entity filter names (both sides, or one side's
    longest ladder), else the longest ladder of all; (pair label, steps). The ladder is context, like the
    eras: the other filters do not thin it out."""
    known = pairs(store)
    if not known:
        return None, []
    entities = tuple(getattr(flt, "entities", ()) or ())
    chosen = known[0][0]
    if entities:
        names = {(_entity_name(store, e) or e) for e in entities}
        matching = [k for k, _, _ in known if names <= set(k.split("|")) or names & set(k.split("|"))]
        if not matching:
            return None, []
        full = [k for k in matching if names <= set(k.split("|"))]
        chosen = (full or matching)[0]
    found = [s for s in steps(store) if s.pair_key == chosen]
    return (found[0].pair_label if found else None), found


# -- editing --------------------------------------------------------------------------------------------------
def _step(store: Store, step_id: int) -> Step:
    for s in _stored(store).values():
        if s.id == step_id:
            return s
    raise RelationshipError(f"no relationship step {step_id}")


def _log(store: Store, action: str, payload: dict) -> None:
    store.log(None, action, payload)


def edit_step(store: Store, step_id: int, *, level: str | None = None, date: str | None = None,
              precision: str | None = None) -> Step:
    """Change a step's level or date (``2022``, ``2022-12``, ``2022-12-05``); the step is the user's from now on:
    rebuilding the ladder keeps the change."""
    from .curation import CurationError, period

    step = _step(store, step_id)
    changes: dict[str, Any] = {}
    if level is not None:
        lv = default_vocabulary().lookup(level)
        if (step.pair_key, lv.key) != (step.pair_key, step.level) and \
                store.execute("SELECT 1 FROM relationship_steps WHERE pair_key = ? AND level = ? AND id != ?",
                              [step.pair_key, lv.key, step_id]).fetchone():
            raise RelationshipError(f"{step.pair_label} already has a {lv.label} step")
        changes.update(level=lv.key, label=lv.label, rank=lv.rank)
    if date is not None:
        try:
            p = period(date, precision)
        except (CurationError, ValueError) as exc:
            raise RelationshipError(str(exc)) from None
        changes.update(date=p["date"], precision=p["precision"], start=p["start"], end=p["end"])
    if not changes:
        return step
    with store.atomic():
        sets = ", ".join(f'"{k}" = ?' for k in changes)
        store.execute(f"UPDATE relationship_steps SET {sets}, status = CASE status WHEN 'manual' THEN 'manual' "
                      f"ELSE 'edited' END, locked = 1, updated_at = ? WHERE id = ?",
                      [*changes.values(), now_text(), step_id])
        _log(store, "step-edit", {"step": step_id, **changes})
    return _step(store, step_id)


def reject_step(store: Store, step_id: int) -> Step:
    """Leave a step out of the ladder (a level the press got wrong); rebuilding keeps it out."""
    _step(store, step_id)
    with store.atomic():
        store.execute("UPDATE relationship_steps SET status = 'rejected', locked = 1, updated_at = ? WHERE id = ?",
                      [now_text(), step_id])
        _log(store, "step-reject", {"step": step_id})
    return _step(store, step_id)


def add_step(store: Store, pair: str, level: str, date: str, precision: str | None = None) -> Step:
    """A step the user adds ("Vietnam–South Korea", "strategic partnership", "2009")."""
    from .curation import CurationError, period

    parts = [p for p in PAIR_SEPARATORS.split(" ".join(pair.split())) if p]
    if len(parts) != 2:
        raise RelationshipError(f"'{pair}' is not a pair of two sides (write it as 'Vietnam–South Korea')")
    a, b = (_entity_name(store, p) or p for p in parts)
    lv = default_vocabulary().lookup(level)
    try:
        p = period(date, precision)
    except (CurationError, ValueError) as exc:
        raise RelationshipError(str(exc)) from None
    key = pair_key(a, b)
    if store.execute("SELECT 1 FROM relationship_steps WHERE pair_key = ? AND level = ?", [key, lv.key]).fetchone():
        raise RelationshipError(f"{a}–{b} already has a {lv.label} step (edit it instead)")
    with store.atomic():
        step_id = store.execute(
            """INSERT INTO relationship_steps (pair_key, pair_label, level, label, rank, date, precision, start,
               "end", disputed, status, locked, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'manual', 1, ?)""",
            [key, f"{a}–{b}", lv.key, lv.label, lv.rank, p["date"], p["precision"], p["start"], p["end"],
             now_text()]).lastrowid
        _log(store, "step-add", {"step": step_id, "pair": f"{a}–{b}", "level": lv.key, "date": p["date"]})
    return _step(store, step_id)


def period_label(step: Step) -> str:
    """'December 2022', '1992', '5 December 2022'."""
    return Period(dt.date.fromisoformat(step.start), dt.date.fromisoformat(step.end), step.precision).label("long")
