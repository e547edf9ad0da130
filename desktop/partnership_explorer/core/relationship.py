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

import datetime as dt
import functools
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .curation import CurationError
from .disputes import disagree
from .merging import SourceDate, best_supported
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
        levels.append(Level(key, label, rank, pats, entry.get("cameo")))
    if not levels:
        raise ValueError(f"{name}: no [[level]] entries")
    return Vocabulary(tuple(levels))


@functools.lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    return load_vocabulary()


# -- steps ------------------------------------------------------------------------------------------------
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
        try:
            return SourceDate(dt.date.fromisoformat(self.date_first), dt.date.fromisoformat(self.date_last),
                              self.date_precision or "day")
        except (TypeError, ValueError):
            return None

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


def _sources(store: Store, event_ids: list[int]) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = {}
    if not event_ids:
        return out
    marks = ",".join("?" * len(event_ids))
    for row in store.execute(
            f"""SELECT event_id, id, sentence, date_value, date_precision, date_first, date_last FROM event_sources
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
ladder: kept between transactions, dropped for an event whenever it, its actors or its sources change."""


@dataclass
class _Member:
    """What one milestone event gives the ladder: its pair of countries, its level, its dated sources."""

    pair: list[str] | None
    level: Level | None
    links: list[StepSource]
    periods: list[SourceDate] = field(default_factory=list)  # the links' readable dates, read once

    def __post_init__(self) -> None:
        self.periods = [p for p in (link.period() for link in self.links) if p is not None]


def _member(event: dict, pair: list[str] | None, sources: list[tuple], vocab: Vocabulary) -> _Member:
    level = vocab.find(event["title"]) or vocab.find(event["summary"])
    if level is None:
        for _sid, sentence, *_ in sources:
            level = vocab.find(sentence)
            if level is not None:
                break
    level = level or vocab.by_cameo(event["cameo"])
    dated = [s for s in sources if s[4] and s[5]]
    if dated:
        links = [StepSource(event["id"], sid, value, prec, first, last)
                 for sid, _sentence, value, prec, first, last in dated]
    else:  # an imported or manual milestone: the event's own date
        links = [StepSource(event["id"], None, event["date"], event["precision"], event["start"], event["end"])]
    return _Member(pair, level, links)


def _members(store: Store, events: list[dict], vocab: Vocabulary) -> dict[int, _Member]:
    """Each milestone's :class:`_Member`: from the store's memo where it holds one (with the default
    vocabulary), read for the others."""
    memo: dict[int, _Member] = store.event_memo(LADDER_MEMO) if vocab is default_vocabulary() else {}
    missing = [e for e in events if e["id"] not in memo]
    for chunk in range(0, len(missing), 10_000):
        part = missing[chunk:chunk + 10_000]
        ids = [e["id"] for e in part]
        sides, sources = _sides(store, ids), _sources(store, ids)
        for e in part:
            memo[e["id"]] = _member(e, sides.get(e["id"]), sources.get(e["id"]) or [], vocab)
    return memo


def _steps_of(events: list[dict], members: dict[int, _Member], only: set[tuple[str, str]] | None) -> list[Step]:
    """The steps of the milestones ``events`` (in date order): every step, or only those of ``only``
    ((pair, level) keys)."""
    groups: dict[tuple[str, str], list[tuple[dict, _Member]]] = {}
    names: dict[str, list[str]] = {}
    for e in events:
        m = members[e["id"]]
        if m.pair is None or m.level is None:
            continue
        key = pair_key(*m.pair)
        if only is not None and (key, m.level.key) not in only:
            continue
        names.setdefault(key, m.pair)
        groups.setdefault((key, m.level.key), []).append((e, m))
    steps = []
    for (key, level_key), group in groups.items():
        level = group[0][1].level
        links = [link for _e, m in group for link in m.links]
        periods = [p for _e, m in group for p in m.periods]
        chosen = best_supported(periods)
        if chosen is None:  # no source date readable (a database edited by another program): the event's own
            first = group[0][0]
            own = StepSource(first["id"], None, None, first["precision"], first["start"], first["end"]).period()
            if own is None:
                continue
            chosen = own
        precision = chosen.precision if chosen.precision in STORED_PRECISIONS else "day"
        titles = [e["title"] for e, _ in group]
        steps.append(Step(
            pair_key=key, pair_label=_pair_label(names[key], titles), level=level_key, label=level.label,
            rank=level.rank, date=iso_label(chosen.first, precision), precision=precision,
            start=chosen.first.isoformat(), end=chosen.last.isoformat(), disputed=disagree(periods),
            sources=list(links)))
    steps.sort(key=lambda s: (s.pair_key, s.start, s.rank))
    return steps


def derive(store: Store, vocabulary: Vocabulary | None = None) -> list[Step]:
    """The steps the milestones among the events give (not what is stored: see :func:`steps`)."""
    vocab = vocabulary or default_vocabulary()
    events = _milestones(store)
    return _steps_of(events, _members(store, events, vocab), None)


# -- the stored table --------------------------------------------------------------------------------------
_STEP_COLUMNS = ("id", "pair_key", "pair_label", "level", "label", "rank", "date", "precision", "start", "end",
                 "disputed", "status", "locked")


def has_table(store: Store) -> bool:
    return store.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'relationship_steps'"
                         ).fetchone() is not None


def _stored(store: Store, groups: set[tuple[str, str]] | None = None, *, documents: bool = True
            ) -> dict[tuple[str, str], Step]:
    """The stored steps (only those of ``groups``, (pair, level) keys, when given) with their sources (and the
    file name of each source's document, unless ``documents`` is false)."""
    out: dict[tuple[str, str], Step] = {}
    cols = ", ".join(f'"{c}"' for c in _STEP_COLUMNS)
    where, params = "", []
    if groups is not None:
        params = [v for key in sorted(groups) for v in key]
        where = f"WHERE (pair_key, level) IN (VALUES {', '.join(['(?, ?)'] * len(groups))})"
    for row in store.execute(f"SELECT {cols} FROM relationship_steps {where}", params).fetchall():
        d = dict(zip(_STEP_COLUMNS, row))
        step = Step(**{k: d[k] for k in _STEP_COLUMNS if k != "id"}, id=d["id"])
        step.disputed, step.locked = bool(step.disputed), bool(step.locked)
        out[(step.pair_key, step.level)] = step
    by_id = {s.id: s for s in out.values()}
    if documents:
        document, join = "d.file_name", """LEFT JOIN event_sources es ON es.id = ss.source_id
                                             LEFT JOIN documents d ON d.id = es.document_id"""
    else:
        document, join = "NULL", ""
    # in the order a step's links are made (its events by date, each event's sources in turn), whatever order
    # the rows were written in
    for sid, link, eid, src, value, prec, first, last, doc in store.execute(
            f"""SELECT ss.step_id, ss.id, ss.event_id, ss.source_id, ss.date_value, ss.date_precision, ss.date_first,
                       ss.date_last, {document}
                FROM relationship_step_sources ss JOIN events ev ON ev.id = ss.event_id {join}
                WHERE ss.step_id IN (SELECT id FROM relationship_steps {where})
                ORDER BY ss.step_id, ev.start, ev.id, ss.source_id, ss.id""",
            params).fetchall():
        by_id[sid].sources.append(StepSource(eid, src, value, prec, first, last, doc, link_id=link))
    return out


def _same(a: Step, b: Step) -> bool:
    fields_ = ("pair_label", "label", "rank", "date", "precision", "start", "end", "disputed")
    return all(getattr(a, f) == getattr(b, f) for f in fields_) and \
        [s.row() for s in a.sources] == [s.row() for s in b.sources]


_FEW_CHANGED = 100
"""Up to this many changed milestones (and steps), only their pairs' milestones are read and their steps rebuilt;
beyond, all of them."""


def rebuild(store: Store, vocabulary: Vocabulary | None = None, changed: dict[int, dict] | None = None) -> bool:
    """Bring ``relationship_steps`` in line with the events; True when something was written. Derived steps
    follow the events; the user's (locked) steps keep their level, date and status and get their links to
    events refreshed. Runs inside the caller's transaction (or its own).

    ``changed``: only the events with these ids changed (:attr:`.store.Store.changed_events`, each with what
    the store's memos held for it before): only the steps of the milestones' pairs and levels, before and after,
    are rebuilt; every other step depends on none of them."""
    if store.readonly or not has_table(store):
        return False
    vocab = vocabulary or default_vocabulary()
    if changed is None:
        groups = None
        events = _milestones(store)
    else:
        # the pairs the changed milestones were or are on, then only those pairs' milestones: a document
        # costs the size of its pairs' ladders, not of the whole database
        ids = [event_id for event_id, change in changed.items() if change.milestone]
        few = len(ids) <= _FEW_CHANGED
        events = _milestones(store, ids=ids) if few else _milestones(store)
        groups = _groups_of(store, changed, _members(store, events, vocab))
        if not groups:
            return False
        if few and len(groups) <= _FEW_CHANGED:
            events = _milestones(store, pairs={key for key, _level in groups})
        else:  # a large change: every step again
            groups = None
            if few:
                events = _milestones(store)
    members = _members(store, events, vocab)
    new = {(s.pair_key, s.level): s for s in _steps_of(events, members, groups)}
    old = _stored(store, groups, documents=False)  # compared by their rows, which hold no file name
    changed = False
    now = now_text()
    with store.atomic():
        for key, step in old.items():
            if key not in new and not step.locked:
                store.execute("DELETE FROM relationship_steps WHERE id = ?", [step.id])
                changed = True
            elif key not in new and step.sources:
                store.execute("DELETE FROM relationship_step_sources WHERE step_id = ?", [step.id])
                changed = True
        for key, step in new.items():
            before = old.get(key)
            if before is not None and before.locked:
                if [s.row() for s in before.sources] == [s.row() for s in step.sources]:
                    continue
                step_id = before.id
            elif before is not None and _same(before, step):
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
            _write_links(store, step_id, before.sources if before is not None else [], step.sources)
            changed = True
    return changed


def _write_links(store: Store, step_id: int, stored: list[StepSource], links: list[StepSource]) -> None:
    """Make the step's stored links those of ``links``: only the rows that differ are deleted or added (a
    step told by thousands of sources gains one, it is not written again whole)."""
    wanted = {link.row() for link in links}
    have = {link.row(): link.link_id for link in stored}
    gone = [(link_id,) for row, link_id in have.items() if row not in wanted]
    if gone:
        store.executemany("DELETE FROM relationship_step_sources WHERE id = ?", gone)
    store.executemany(
        """INSERT INTO relationship_step_sources (step_id, event_id, source_id, date_value, date_precision,
           date_first, date_last) VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [(step_id, *row) for row in dict.fromkeys(link.row() for link in links) if row not in have])


def _groups_of(store: Store, changed: dict[int, Any], members: dict[int, _Member]) -> set[tuple[str, str]]:
    """The steps (pair, level) the ``changed`` milestones were or are on: a step is made from its own pair's
    milestones of its own level only, so no other step can change."""
    keys: set[tuple[str, str]] = set()
    ids = [event_id for event_id, change in changed.items() if change.milestone]
    for event_id in ids:
        for m in (changed[event_id].before.get(LADDER_MEMO), members.get(event_id)):
            if m is not None and m.pair is not None and m.level is not None:
                keys.add((pair_key(*m.pair), m.level.key))
    for chunk in range(0, len(ids), 10_000):
        part = ids[chunk:chunk + 10_000]
        keys.update((r[0], r[1]) for r in store.execute(
            f"""SELECT DISTINCT st.pair_key, st.level FROM relationship_step_sources ss
                JOIN relationship_steps st ON st.id = ss.step_id WHERE ss.event_id IN ({','.join('?' * len(part))})""",
            part).fetchall())
    return keys


def _commit_hook(store: Store) -> None:
    """Before each commit: the ladder follows the events written by the same transaction (when it wrote to a
    milestone, its actors or sources, or to entities: :attr:`.store.Store.milestones_changed`)."""
    if not store.milestones_changed:
        return
    try:
        rebuild(store, changed=None if store.all_derived_changed else store.changed_events)
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
