"""Partner pairs: who works with whom, and the network they form.

A **pair** is two parties (``event_entities.role = 'party'``) of one event of an interaction kind — agreements,
deals, meetings, visits, cooperation, declared intent and relationship milestones (:data:`PAIR_KINDS`) — that
stand at the same level: two countries (Vietnam–South Korea), or two organisations, companies or government
bodies (KT–Viettel, MoST–MSIT). A country and a company of the same event are not paired: the company's pair is
the organisation on the other side, the country's the other country.

For each pair :func:`partner_pairs` gives the number of events, the first and last day, the kinds and the
dominant sector (the sector most of its events are in), under every part of an :class:`~.query.EventFilter`
(sectors, dates, search, status, entities, kinds, article) except its own ``pair``, which the pair list only
marks. :func:`partner_graph` makes a :mod:`networkx` graph of the strongest pairs (nodes: actors sized by their
events, edges: pairs weighted by events, coloured by dominant sector) and :func:`layout` places it
deterministically (seeded spring layout, memoised).

Speed: the pair links of every event are read once per state of the tables they come from (:class:`PartnerLinks`,
memoised with :func:`~.views.cached` until a row of those tables changes, and kept in the file for the next window
on a large database) into numpy columns; a filter change then selects rows in numpy
(status, dates, sectors, kinds) and asks SQL only for the ids of events matching an entity, a search or an
article, and groups the rows with a sort.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass, field

import numpy as np

from .query import (DOCUMENT_EVENTS, ENTITY_EVENTS, HIDDEN_STATUSES, SENTENCE_MATCHES, TITLE_MATCHES, EventFilter,
                    fts_query, search_params)
from .sectors import UNCLASSIFIED
from .store import Store, StoreError
from .timeline import STATUS_CODES, iso_to_days

PAIR_KINDS = ("milestone", "intent", "meeting", "visit", "agreement", "cooperation", "deal")
ORGANISATION_TYPES = ("company", "government", "organisation")
PAIR_LIMIT = 500        # pairs listed (the most frequent); the count of all pairs is given beside them
NETWORK_EDGES = 40      # pairs drawn in the network (the most frequent)
_EPOCH = dt.date(1970, 1, 1)


def _iso(days: int) -> str:
    return (_EPOCH + dt.timedelta(days=int(days))).isoformat()


def _ints(text: str | None) -> np.ndarray:
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.zeros(0, np.int64)


@dataclass(frozen=True)
class PartnerLinks:
    """One row per (event, pair of its parties) over the whole database, with what the pair list groups by."""

    event: np.ndarray        # int64 event id, ascending
    a: np.ndarray            # int64 entity ids, a < b
    b: np.ndarray
    start: np.ndarray        # int64 days since 1970-01-01
    end: np.ndarray
    kind: np.ndarray         # int8 index into PAIR_KINDS
    hidden: np.ndarray       # bool: merged (never shown)
    rejected: np.ndarray     # bool
    sector_row: np.ndarray   # int64 row index of each (row, sector) link
    sector: np.ndarray       # int64 index into sector_keys
    sector_keys: tuple[str, ...]
    entities: dict[int, tuple[str, str, str | None]] = field(default_factory=dict)  # id -> name, type, country
    shorts: dict[str, str] = field(default_factory=dict)  # acronyms of the long names of paired actors

    @property
    def rows(self) -> int:
        return len(self.event)


def load_links(store: Store) -> PartnerLinks:
    """Read every event's pairs of parties (see the module docstring for who is paired)."""
    entities = {int(i): (n, t, c) for i, n, t, c in store.execute("SELECT id, name, type, country FROM entities")}
    level = {i: 1 if t == "country" else 2 if t in ORGANISATION_TYPES else 0 for i, (_n, t, _c) in entities.items()}
    # the parties (the partial index m013 holds them, in event order)
    row = store.execute("SELECT group_concat(event_id), group_concat(entity_id) FROM event_entities "
                        "WHERE role = 'party'").fetchone()
    ev, ent = _ints(row[0]), _ints(row[1])
    level_of = np.zeros(max(entities, default=0) + 1, np.int8)
    for i, lv in level.items():
        level_of[i] = lv
    ent_level = level_of[np.clip(ent, 0, len(level_of) - 1)] * (ent < len(level_of))
    keep = ent_level > 0
    ev, ent, ent_level = ev[keep], ent[keep], ent_level[keep]
    order = np.lexsort((ent, ev))
    pa, pb, pe = _pairs_within_events(ev[order], ent[order], ent_level[order])
    sector_keys = tuple(k for (k,) in store.execute("SELECT key FROM sectors ORDER BY position"))
    # the kind of each event of a pair kind (idx_events_kind covers it), then the dates and status of the events
    # with pairs (idx_events_timeline covers them): long texts of covering-index scans, no Python object per row
    kind_of: list[np.ndarray] = []
    for key, ids in store.execute(f"""SELECT kind, group_concat(id) FROM events WHERE kind IN
                                      ({",".join("?" * len(PAIR_KINDS))}) GROUP BY kind""", list(PAIR_KINDS)):
        got = _ints(ids)
        kind_of.append(np.stack((got, np.full(len(got), PAIR_KINDS.index(key), np.int64))))
    k_all = np.concatenate(kind_of, axis=1) if kind_of else np.zeros((2, 0), np.int64)
    k_order = np.argsort(k_all[0], kind="stable")
    k_id, k_kind = k_all[0][k_order], k_all[1][k_order]
    found = _member(pe, k_id)
    pa, pb, pe = pa[found], pb[found], pe[found]
    kind = k_kind[np.searchsorted(k_id, pe)].astype(np.int8) if len(pe) else np.zeros(0, np.int8)
    e_id, e_start, e_end, e_status = _dates_of(store, _sorted_unique(pe))
    at = np.searchsorted(e_id, pe)
    start, end, status = e_start[at], e_end[at], e_status[at]
    hidden = np.isin(status, [STATUS_CODES[s] for s in HIDDEN_STATUSES])
    rejected = status == STATUS_CODES["rejected"]
    # the sectors of those events, as links from pair rows (every pair row of an event gets each of its sectors)
    s_ev, s_key = _event_sectors(store, _sorted_unique(pe), sector_keys)
    lo = np.searchsorted(pe, s_ev, side="left")
    n = np.searchsorted(pe, s_ev, side="right") - lo
    sector_row = np.repeat(lo, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    sector = np.repeat(s_key, n)
    shorts = short_names(store, [entities[int(i)][0] for i in _sorted_unique(np.concatenate((pa, pb)))])
    return PartnerLinks(pe, pa, pb, start, end, kind, hidden, rejected, sector_row, sector, sector_keys, entities,
                        shorts)


def _dates_of(store: Store, ids: np.ndarray):
    """(id, start day, end day, status code) of the events ``ids`` (sorted), in id order, from one scan of the
    timeline's covering index grouped by status."""
    parts = []
    for status, n, text_ids, starts, ends in store.execute(
            """SELECT status, count(*), group_concat(id), group_concat(start, ''), group_concat("end", '')
               FROM events GROUP BY status"""):
        got = _ints(text_ids)
        sel = np.flatnonzero(_member(got, ids))
        if not len(sel):
            continue
        days = []
        for text in (starts, ends):
            raw = np.frombuffer((text or "").encode("ascii", "replace"), dtype=np.uint8)
            if len(raw) != 10 * n:
                raise store.bad_date_error() or StoreError(f"{store.path}: events hold dates that are not days")
            picked = iso_to_days(raw.reshape(n, 10)[sel].tobytes().decode("ascii"), len(sel))
            if picked is None:
                raise store.bad_date_error() or StoreError(f"{store.path}: events hold dates that are not days")
            days.append(picked.astype(np.int64))
        parts.append((got[sel], days[0], days[1], np.full(len(sel), STATUS_CODES.get(status, 0), np.int64)))
    if not parts:
        z = np.zeros(0, np.int64)
        return z, z, z, z
    cols = [np.concatenate(c) for c in zip(*parts)]
    order = np.argsort(cols[0], kind="stable")
    return tuple(c[order] for c in cols)


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting (numpy's hash-based path takes seconds for a few hundred thousand ints)."""
    a = np.sort(a)
    return a[np.concatenate(([True], a[1:] != a[:-1]))] if len(a) else a


def _pairs_within_events(ev: np.ndarray, ent: np.ndarray, level: np.ndarray):
    """Every two parties of one event at the same level: (a, b, event) with a < b, in event order (the input is
    sorted by event, then entity)."""
    z = np.zeros(0, np.int64)
    if not len(ev):
        return z, z, z
    starts = np.flatnonzero(np.concatenate(([True], ev[1:] != ev[:-1])))
    sizes = np.diff(np.concatenate((starts, [len(ev)])))
    pos = np.arange(len(ev)) - np.repeat(starts, sizes)   # position of each link inside its event
    size_of = np.repeat(sizes, sizes)
    out_a, out_b, out_e = [z], [z], [z]
    for d in range(1, int(sizes.max())):  # events have a few parties: one pass per distance between two
        i = np.flatnonzero(pos + d < size_of)
        j = i + d
        same = level[i] == level[j]
        out_a.append(ent[i[same]])
        out_b.append(ent[j[same]])
        out_e.append(ev[i[same]])
    a, b, e = np.concatenate(out_a), np.concatenate(out_b), np.concatenate(out_e)
    order = np.lexsort((b, a, e))
    return a[order], b[order], e[order]


def _event_sectors(store: Store, ids: np.ndarray, sector_keys: tuple[str, ...]):
    """(event id, sector index) of every sector link of ``ids`` (sorted), in event order (one scan of the covering
    index idx_event_sectors_sector, grouped by sector)."""
    evs, keys = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for key, text in store.execute("SELECT sector_key, group_concat(event_id) FROM event_sectors GROUP BY sector_key"):
        if key not in sector_keys:
            continue
        ev = _ints(text)
        ev = ev[_member(ev, ids)]
        evs.append(ev)
        keys.append(np.full(len(ev), sector_keys.index(key), np.int64))
    ev, key = np.concatenate(evs), np.concatenate(keys)
    order = np.lexsort((key, ev))
    return ev[order], key[order]


LINK_TABLES = ("entities", "entity_aliases", "event_entities", "event_sectors", "events", "sectors")  # load_links reads
SAVE_MIN_ROWS = 20_000  # fewer link rows are read from SQL in a fraction of a second: not kept in the file
_BLOB_FORMAT = 1
_BLOB_COLUMNS = ("event", "a", "b", "start", "end", "kind", "hidden", "rejected", "sector_row", "sector")


def links(store: Store) -> PartnerLinks:
    """:func:`load_links`, memoised until a row of :data:`LINK_TABLES` changes (writes to other tables, such as
    the timeline's snapshot or the ladder, keep it). From :data:`SAVE_MIN_ROWS` link rows on it is also kept in
    the file, so that the next window on the same data reads one blob instead of scanning every event."""
    from .views import Saved, cached

    return cached(store, "partner-links", lambda: load_links(store), tables=LINK_TABLES,
                  saved=Saved(_links_blob, _links_from_blob))


def _narrow(a: np.ndarray) -> np.ndarray:
    """int32 when the values fit (ids, days): half the bytes to keep and read."""
    return a.astype(np.int32) if len(a) and -2**31 < a.min() and a.max() < 2**31 else a


def _links_blob(lk: PartnerLinks) -> bytes | None:
    import io
    import json

    if lk.rows < SAVE_MIN_ROWS:
        return None
    from .. import __version__

    meta = {"format": _BLOB_FORMAT, "version": __version__, "sector_keys": list(lk.sector_keys),
            "entities": [[i, *v] for i, v in lk.entities.items()], "shorts": lk.shorts}
    buf = io.BytesIO()
    np.savez(buf, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
             **{k: _narrow(getattr(lk, k)) if getattr(lk, k).dtype == np.int64 else getattr(lk, k)
                for k in _BLOB_COLUMNS})
    return buf.getvalue()


def _links_from_blob(data: bytes) -> PartnerLinks | None:
    """The links kept by :func:`_links_blob`, or None when the blob is not one this version wrote whole (the file
    may come from anyone: every index is checked before it is used)."""
    import io
    import json

    from .. import __version__

    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            cols = {k: z[k] for k in _BLOB_COLUMNS}
        if meta.get("format") != _BLOB_FORMAT or meta.get("version") != __version__:  # acronyms come from resources
            return None
        sector_keys = tuple(str(k) for k in meta["sector_keys"])
        entities = {int(i): (str(n), str(t), None if c is None else str(c)) for i, n, t, c in meta["entities"]}
        shorts = {str(k): str(v) for k, v in meta["shorts"].items()}
    except (ValueError, KeyError, TypeError, AttributeError, OSError, EOFError, UnicodeDecodeError):
        return None
    ints = {k: cols[k].astype(np.int64) for k in ("event", "a", "b", "start", "end", "sector_row", "sector")}
    n = len(ints["event"])
    kind, hidden, rejected = cols["kind"], cols["hidden"], cols["rejected"]
    shapes_ok = (all(c.ndim == 1 for c in cols.values())
                 and all(len(cols[k]) == n for k in ("a", "b", "start", "end", "kind", "hidden", "rejected"))
                 and len(ints["sector_row"]) == len(ints["sector"])
                 and kind.dtype == np.int8 and hidden.dtype == bool and rejected.dtype == bool)
    if not shapes_ok or not n:
        return None
    known = np.array(sorted(entities), dtype=np.int64)
    if not (bool((ints["event"][1:] >= ints["event"][:-1]).all()) and _member(ints["a"], known).all()
            and _member(ints["b"], known).all() and bool(((kind >= 0) & (kind < len(PAIR_KINDS))).all())
            and bool((ints["start"] <= ints["end"]).all())
            and (not len(ints["sector"]) or (0 <= ints["sector_row"].min() and ints["sector_row"].max() < n
                                             and 0 <= ints["sector"].min()
                                             and ints["sector"].max() < len(sector_keys)))):
        return None
    return PartnerLinks(ints["event"], ints["a"], ints["b"], ints["start"], ints["end"], kind, hidden, rejected,
                        ints["sector_row"], ints["sector"], sector_keys, entities, shorts)


# -- selecting and grouping ---------------------------------------------------------------------------
def row_mask(store: Store, lk: PartnerLinks, flt: EventFilter) -> np.ndarray:
    """Which rows of ``lk`` the filter selects (its ``pair`` aside)."""
    m = ~lk.hidden
    if not flt.show_rejected:
        m &= ~lk.rejected
    if flt.date_from is not None:
        m &= lk.end >= (flt.date_from - _EPOCH).days
    if flt.date_to is not None:
        m &= lk.start <= (flt.date_to - _EPOCH).days
    if flt.kinds:
        wanted = [i for i, k in enumerate(PAIR_KINDS) if k in flt.kinds]
        m &= np.isin(lk.kind, wanted)
    if flt.sectors:
        wanted = [i for i, k in enumerate(lk.sector_keys) if k in flt.sectors]
        in_sector = np.zeros(lk.rows, bool)
        in_sector[lk.sector_row[np.isin(lk.sector, wanted)]] = True
        if UNCLASSIFIED in flt.sectors:  # an event without any sector row counts as unclassified
            in_sector |= np.bincount(lk.sector_row, minlength=lk.rows) == 0
        m &= in_sector
    # the rest from SQL: the ids of the events it selects (statuses are already taken care of above, so entities
    # and articles are read from their link tables' covering indexes, without the event rows)
    for name in flt.entities:
        if m.any():
            m &= _member(lk.event, _event_ids(store, ENTITY_EVENTS, [name, name]))
    if flt.document_id is not None and m.any():
        m &= _member(lk.event, _event_ids(store, DOCUMENT_EVENTS, [flt.document_id]))
    if flt.query and fts_query(flt.query) and m.any():
        m &= _member(lk.event, _event_ids(store, f"{TITLE_MATCHES} UNION {SENTENCE_MATCHES}",
                                          search_params(flt.query)))
    return m


def _event_ids(store: Store, sql: str, params) -> np.ndarray:
    """The sorted, distinct event ids a query selects."""
    text = store.execute(f"WITH t(id) AS ({sql}) SELECT group_concat(id) FROM t", params).fetchone()[0]
    return _sorted_unique(_ints(text))


def _member(values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Which ``values`` are in the sorted ``ids`` (ids are rowids: a table of flags when they are not too sparse)."""
    if not len(ids) or not len(values):
        return np.zeros(len(values), bool)
    top = int(max(ids[-1], values.max()))
    if ids[0] >= 0 and values.min() >= 0 and top < 64 * (len(ids) + len(values)):
        flags = np.zeros(top + 1, bool)
        flags[ids] = True
        return flags[values]
    pos = np.minimum(np.searchsorted(ids, values), len(ids) - 1)
    return ids[pos] == values


@dataclass(frozen=True)
class PartnerView:
    """The pair list and the actors' event counts under one filter."""

    filter: EventFilter
    pairs: list[dict]                 # the PAIR_LIMIT most frequent pairs, most events first
    total_pairs: int                  # every pair under the filter
    actors: dict[str, int]            # events of each actor of a listed pair
    sectors: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (name, colour)

    def pair_of(self, a: str, b: str) -> dict | None:
        key = frozenset((a, b))
        return next((p for p in self.pairs if frozenset((p["a"], p["b"])) == key), None)


def partner_pairs(store: Store, flt: EventFilter = EventFilter(), *, limit: int | None = PAIR_LIMIT) -> PartnerView:
    """Pairs under ``flt`` (its own ``pair`` ignored: the list keeps every pair, the chosen one among them).

    Each pair: ``a``, ``b`` (names; the actor with more events first), their ``a_type``/``b_type`` and
    ``a_country``/``b_country``, ``events``, ``first`` and ``last`` (ISO days), ``kinds`` (kind keys, most
    frequent first), ``sector`` (the dominant sector's key) and ``sector_events`` (its events)."""
    lk = links(store)
    flt = flt.replace(pair=())
    sectors = {k: (n, c) for k, n, c in store.execute("SELECT key, name, color FROM sectors ORDER BY position")}
    m = row_mask(store, lk, flt)
    idx = np.flatnonzero(m)
    if not len(idx):
        return PartnerView(flt, [], 0, {}, sectors)
    code = (lk.a[idx] << 32) | lk.b[idx]
    order = np.argsort(code, kind="stable")
    idx, code = idx[order], code[order]
    bounds = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
    counts = np.diff(np.concatenate((bounds, [len(code)])))
    first = np.minimum.reduceat(lk.start[idx], bounds)
    last = np.maximum.reduceat(lk.end[idx], bounds)
    n_pairs = len(bounds)
    pair_of_row = np.full(lk.rows, -1, np.int64)
    pair_of_row[idx] = np.repeat(np.arange(n_pairs), counts)
    # kinds: events per (pair, kind)
    nk = len(PAIR_KINDS)
    kind_counts = np.bincount(pair_of_row[idx] * nk + lk.kind[idx].astype(np.int64),
                              minlength=n_pairs * nk).reshape(n_pairs, nk)
    # dominant sector: the sector most of the pair's events are in (ties: the taxonomy's order)
    sec_ok = pair_of_row[lk.sector_row] >= 0
    ns = max(1, len(lk.sector_keys))
    sec_counts = np.bincount(pair_of_row[lk.sector_row[sec_ok]] * ns + lk.sector[sec_ok],
                             minlength=n_pairs * ns).reshape(n_pairs, ns)
    dominant = sec_counts.argmax(axis=1)
    dominant_n = sec_counts[np.arange(n_pairs), dominant]
    # actors: distinct events each takes part in as one side of a selected pair
    ends = np.concatenate((lk.a[idx], lk.b[idx]))
    evs = np.concatenate((lk.event[idx], lk.event[idx]))
    actor = _sorted_unique((ends << 40) | evs) >> 40      # (actor, event) once each, in actor order
    first_of = np.flatnonzero(np.concatenate(([True], actor[1:] != actor[:-1])))
    actor_ids, actor_n = actor[first_of], np.diff(np.concatenate((first_of, [len(actor)])))
    actor_events = dict(zip(actor_ids.tolist(), actor_n.tolist()))
    top = np.lexsort((code[bounds], -counts))
    if limit is not None:
        top = top[:int(limit)]
    ents = lk.entities
    pairs = []
    listed: dict[str, int] = {}
    for p in top.tolist():
        ia, ib = int(code[bounds[p]] >> 32), int(code[bounds[p]] & 0xFFFFFFFF)
        # the actor with more events first; equal: alphabetical
        (na, ta, ca), (nb, tb, cb) = ents[ia], ents[ib]
        if (-actor_events.get(ia, 0), na.casefold()) > (-actor_events.get(ib, 0), nb.casefold()):
            (ia, na, ta, ca), (ib, nb, tb, cb) = (ib, nb, tb, cb), (ia, na, ta, ca)
        kc = kind_counts[p]
        kinds = [PAIR_KINDS[k] for k in sorted(np.flatnonzero(kc).tolist(), key=lambda k: (-kc[k], k))]
        sector = lk.sector_keys[int(dominant[p])] if dominant_n[p] > 0 else UNCLASSIFIED
        pairs.append({"a": na, "b": nb, "a_short": na, "b_short": nb, "a_type": ta, "b_type": tb,
                      "a_country": ca, "b_country": cb,
                      "events": int(counts[p]), "first": _iso(first[p]), "last": _iso(last[p]), "kinds": kinds,
                      "sector": sector, "sector_events": int(dominant_n[p])})
        listed[na] = actor_events.get(ia, 0)
        listed[nb] = actor_events.get(ib, 0)
    shorts = lk.shorts
    for p in pairs:
        p["a_short"], p["b_short"] = shorts.get(p["a"], p["a"]), shorts.get(p["b"], p["b"])
    return PartnerView(flt, pairs, n_pairs, listed, sectors)


SHORT_FROM = 18  # names longer than this are drawn by their acronym when they have one ("MSIT")
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z0-9&.\-]{2,8}$")


def short_names(store: Store, names) -> dict[str, str]:
    """An acronym for each long name (stored aliases first, then the gazetteer's), for labels in the network."""
    long = [n for n in names if len(n) > SHORT_FROM]
    out: dict[str, str] = {}
    if not long:
        return out
    aliases: dict[str, list[str]] = {}
    for chunk in range(0, len(long), 900):
        part = long[chunk:chunk + 900]
        for name, alias in store.execute(
                f"""SELECT en.name, a.alias FROM entity_aliases a JOIN entities en ON en.id = a.entity_id
                    WHERE en.name IN ({",".join("?" * len(part))})""", part):
            aliases.setdefault(name, []).append(alias)
    gazetteer = None
    for name in long:
        found = [a for a in aliases.get(name, []) if _ACRONYM.match(a)]
        if not found:
            if gazetteer is None:
                from .entities import default_gazetteer

                gazetteer = default_gazetteer()
            entity = gazetteer.lookup(name)
            found = [a for a in (entity.aliases if entity is not None and entity.name == name else ())
                     if _ACRONYM.match(a)]
        if found:  # the shortest; among equals the first listed (the gazetteer lists "MoST" before "MOST")
            out[name] = min(found, key=lambda a: len(a))
    return out


def event_pairs(store: Store, event_id: int) -> list[tuple[str, str]]:
    """The pairs of one event (its parties at the same level, two by two), as (name, name) tuples sorted within."""
    rows = store.execute(
        """SELECT en.name, en.type FROM event_entities ee JOIN entities en ON en.id = ee.entity_id
           JOIN events e ON e.id = ee.event_id
           WHERE ee.event_id = ? AND ee.role = 'party' AND e.kind IN ({})""".format(",".join("?" * len(PAIR_KINDS))),
        [int(event_id), *PAIR_KINDS]).fetchall()
    out = []
    for i, (na, ta) in enumerate(rows):
        for nb, tb in rows[i + 1:]:
            la = 1 if ta == "country" else 2 if ta in ORGANISATION_TYPES else 0
            lb = 1 if tb == "country" else 2 if tb in ORGANISATION_TYPES else 0
            if la and la == lb:
                out.append(tuple(sorted((na, nb))))
    return sorted(set(out))


# -- the network -----------------------------------------------------------------------------------------
def partner_graph(view: PartnerView, *, edges: int = NETWORK_EDGES):
    """A :class:`networkx.Graph` of the ``edges`` most frequent pairs of ``view``: nodes carry ``events`` and
    ``type``, edges ``weight`` (events), ``sector`` (dominant sector key), ``color`` and the pair's dates."""
    import networkx as nx

    g = nx.Graph()
    for p in view.pairs[:edges]:
        for name, type_, country in ((p["a"], p["a_type"], p["a_country"]), (p["b"], p["b_type"], p["b_country"])):
            if name not in g:
                g.add_node(name, events=int(view.actors.get(name, 0)), type=type_, country=country or "")
        color = view.sectors.get(p["sector"], ("", "#888888"))[1]
        g.add_edge(p["a"], p["b"], weight=int(p["events"]), sector=p["sector"], color=color, first=p["first"],
                   last=p["last"], kinds=",".join(p["kinds"]))
    return g


def layout(graph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Node positions in [-1, 1]², the same for the same graph (seeded spring layout, memoised)."""
    nodes = tuple(sorted(graph.nodes))
    edges = tuple(sorted((min(u, v), max(u, v), int(d.get("weight", 1))) for u, v, d in graph.edges(data=True)))
    return dict(_layout(nodes, edges, seed))


@functools.lru_cache(maxsize=64)
def _layout(nodes: tuple[str, ...], edges: tuple[tuple[str, str, int], ...], seed: int):
    """Each connected component laid out on its own (seeded spring layout), the components then packed in rows,
    biggest first: a network of partners is often one hub and many separate pairs, which one spring layout of the
    whole would push into the corners."""
    import networkx as nx

    if not nodes:
        return ()
    g = nx.Graph()
    g.add_nodes_from(nodes)
    # log weights: one pair with 30 events would otherwise pull its two nodes onto each other
    g.add_weighted_edges_from((u, v, 1.0 + math.log(w)) for u, v, w in edges)
    parts = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c))
    cells = []
    for comp in parts:
        if len(comp) == 1:
            xy = np.zeros((1, 2))
        elif len(comp) == 2:
            xy = np.array([[-0.5, 0.0], [0.5, 0.0]])
        else:
            sub = g.subgraph(comp)
            pos = nx.spring_layout(sub, seed=seed, k=1.6 / math.sqrt(len(comp)), iterations=100, weight="weight")
            xy = np.array([pos[n] for n in comp], dtype=float)
            xy -= xy.mean(axis=0)
            xy /= np.abs(xy).max() or 1.0
        side = math.sqrt(len(comp))  # a component's square grows with its nodes
        cells.append((comp, xy * side * 0.5, side))
    # shelf packing: rows about as wide as the square root of the total area (times the aspect of a panel)
    width = max(max(c[2] for c in cells), 1.6 * math.sqrt(sum(c[2] ** 2 for c in cells)))
    out, x, y, row_h = [], 0.0, 0.0, 0.0
    for comp, xy, side in cells:
        cell = side + 0.6
        if x > 0 and x + cell > width:
            x, y, row_h = 0.0, y + row_h, 0.0
        centre = np.array([x + cell / 2, -(y + cell / 2)])
        out.extend((n, tuple(centre + p)) for n, p in zip(comp, xy))
        x += cell
        row_h = max(row_h, cell)
    xy = np.array([p for _, p in out])
    xy -= (xy.max(axis=0) + xy.min(axis=0)) / 2
    xy /= np.abs(xy).max() or 1.0
    return tuple((n, (float(px), float(py))) for (n, _), (px, py) in zip(out, xy))


def node_radius(events: int, most: int, *, small: float = 5.0, large: float = 22.0) -> float:
    """A node's radius in pixels: its area grows with its events."""
    if most <= 0:
        return small
    return small + (large - small) * math.sqrt(max(events, 0) / most)


def _crosses(box, seg) -> bool:
    """Whether the segment ``seg`` ((x0, y0), (x1, y1)) passes through ``box`` (x0, y0, x1, y1)."""
    return bool(_crossings(box, np.asarray([[*seg[0], *seg[1]]], dtype=float))[0])


def _crossings(box, segs: np.ndarray) -> np.ndarray:
    """Which of the segments (rows x0, y0, x1, y1) pass through ``box`` (Liang–Barsky clipping, vectorised)."""
    if not len(segs):
        return np.zeros(0, bool)
    ax, ay = segs[:, 0], segs[:, 1]
    dx, dy = segs[:, 2] - ax, segs[:, 3] - ay
    p = np.stack((-dx, dx, -dy, dy))
    q = np.stack((ax - box[0], box[2] - ax, ay - box[1], box[3] - ay))
    parallel_out = ((p == 0) & (q < 0)).any(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(p != 0, q / np.where(p != 0, p, 1.0), 0.0)
    t0 = np.max(np.where(p < 0, t, 0.0), axis=0)
    t1 = np.min(np.where(p > 0, t, 1.0), axis=0)
    return (t0 <= t1) & ~parallel_out


def place_labels(points: list[tuple[float, float]], radii: list[float], sizes: list[tuple[float, float]],
                 bounds: tuple[float, float, float, float] | None = None,
                 segments=()) -> list[tuple[float, float]]:
    """Top-left corners of one label per node (pixels), avoiding nodes, labels already placed and the
    ``segments`` (the edges) where one of eight positions around the node allows; the biggest nodes are placed
    first. ``bounds`` is (x0, y0, x1, y1)."""
    n = len(points)
    xy = np.asarray(points, dtype=float).reshape(n, 2)
    r = np.asarray(radii, dtype=float)
    nodes = np.column_stack((xy[:, 0] - r, xy[:, 1] - r, xy[:, 0] + r, xy[:, 1] + r)) if n else np.zeros((0, 4))
    segs = np.asarray([[*a, *b] for a, b in segments], dtype=float).reshape(-1, 4)
    placed = np.zeros((0, 4))
    out: list[tuple[float, float] | None] = [None] * n

    def hits(box, boxes) -> np.ndarray:
        return (box[0] < boxes[:, 2]) & (boxes[:, 0] < box[2]) & (box[1] < boxes[:, 3]) & (boxes[:, 1] < box[3])

    for i in sorted(range(n), key=lambda i: -radii[i]):
        (x, y), ri, (w, h) = points[i], radii[i], sizes[i]
        gap = 2.0
        candidates = [(x + ri + gap, y - h / 2), (x - w / 2, y + ri + gap), (x - w / 2, y - ri - gap - h),
                      (x - ri - gap - w, y - h / 2), (x + ri * 0.7, y + ri * 0.7), (x - ri * 0.7 - w, y + ri * 0.7),
                      (x + ri * 0.7, y - ri * 0.7 - h), (x - ri * 0.7 - w, y - ri * 0.7 - h)]
        others = np.ones(n, bool)
        others[i] = False
        best, best_cost = candidates[0], None
        for cx, cy in candidates:
            box = (cx, cy, cx + w, cy + h)
            cost = (3 * int(hits(box, placed).sum()) + 2 * int((hits(box, nodes) & others).sum())
                    + int(_crossings(box, segs).sum()))
            if bounds is not None and (cx < bounds[0] or cy < bounds[1] or cx + w > bounds[2] or cy + h > bounds[3]):
                cost += 5
            if best_cost is None or cost < best_cost:
                best, best_cost = (cx, cy), cost
            if cost == 0:
                break
        placed = np.vstack((placed, [best[0], best[1], best[0] + w, best[1] + h]))
        out[i] = best
    return out  # type: ignore[return-value]


# -- output --------------------------------------------------------------------------------------------
def pair_label(p: dict) -> str:
    return f"{p['a']} – {p['b']}"


PAIR_COLUMNS = ("a", "b", "a_type", "b_type", "events", "first", "last", "kinds", "sector")


def pair_json(p: dict) -> dict:
    """The stable JSON shape of a pair (``partners --format json``)."""
    return {"a": p["a"], "b": p["b"], "a_type": p["a_type"], "b_type": p["b_type"], "a_country": p["a_country"],
            "b_country": p["b_country"], "events": p["events"], "first": p["first"], "last": p["last"],
            "kinds": list(p["kinds"]), "sector": p["sector"]}


def pairs_csv(pairs: list[dict], cell) -> str:
    """Pairs as CSV (``kinds`` joined with ';'); ``cell`` makes each text cell safe (core.interchange.csv_cell)."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(PAIR_COLUMNS)
    for p in pairs:
        w.writerow([cell(v) if isinstance(v, str) else v
                    for v in (p["a"], p["b"], p["a_type"], p["b_type"], p["events"], p["first"], p["last"],
                              ";".join(p["kinds"]), p["sector"])])
    return buf.getvalue()


def graphml_text(graph) -> str:
    """GraphML of the network. Names and texts are written with control characters escaped (``\\x1b``): XML 1.0
    cannot hold them, and the file may be printed on a terminal."""
    import networkx as nx

    from .terminal import printable

    def clean(attrs: dict) -> dict:
        return {k: printable(v) if isinstance(v, str) else v for k, v in attrs.items()}

    safe = nx.Graph()
    safe.add_nodes_from((printable(n), clean(d)) for n, d in graph.nodes(data=True))
    safe.add_edges_from((printable(u), printable(v), clean(d)) for u, v, d in graph.edges(data=True))
    return "\n".join(nx.generate_graphml(safe, prettyprint=True)) + "\n"


__all__ = ["NETWORK_EDGES", "PAIR_COLUMNS", "PAIR_KINDS", "PAIR_LIMIT", "PartnerLinks", "PartnerView", "event_pairs",
           "graphml_text", "layout", "links", "load_links", "node_radius", "pair_json", "pair_label", "pairs_csv",
           "partner_graph", "partner_pairs", "place_labels", "row_mask", "short_names"]
