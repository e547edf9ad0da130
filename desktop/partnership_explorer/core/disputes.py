"""Where sources disagree: events (and relationship steps) whose sources give dates that do not overlap.

Every source keeps the date it gives (``event_sources.date_*``); an event shows the best-supported one
(:mod:`.merging`). Sources **disagree** when one source's period starts after another's ends ("1973" and
"1974"); a coarser date holding a finer one ("2022", "December 2022") is agreement. The filter's
``disputed`` flag (:data:`.query.DISPUTED_CLAUSE`) lists them; :func:`spans` gives the timeline what it draws
for each: the range the sources span and one tick per source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .merging import SourceDate
from .query import EventFilter
from .store import Store

MAX_SPANS = 5_000  # disputed events drawn at most (they are for checking one by one)


def disagree(dates: Sequence[SourceDate]) -> bool:
    """Whether two of the dates do not overlap."""
    if len(dates) < 2:
        return False
    return max(d.first for d in dates) > min(d.last for d in dates)


@dataclass(frozen=True)
class DisputeSpan:
    """A disputed event as the timeline draws it: days since 1970-01-01 (end exclusive) of the range the sources
    span, and of each source's own period with the date it gives."""

    event_id: int
    start: float
    end: float
    sources: tuple[tuple[float, float, str], ...]


def _days(text: str) -> float:
    return float(dt.date.fromisoformat(text).toordinal() - dt.date(1970, 1, 1).toordinal())


def spans(store: Store, flt: EventFilter = EventFilter(), limit: int = MAX_SPANS) -> list[DisputeSpan]:
    """The disputed events under ``flt``, each with its sources' dates (at most ``limit`` events, by start).
    This tests every event the filter selects: for a whole large database use :func:`spans_of` on the events
    actually drawn one by one."""
    where, params, _ = flt.replace(disputed=True).where()
    ids = [r[0] for r in store.execute(
        f'SELECT e.id FROM events e WHERE {where} ORDER BY e.start, e.id LIMIT {int(limit)}', params).fetchall()]
    return spans_of(store, ids)


def spans_of(store: Store, event_ids) -> list[DisputeSpan]:
    """Those of ``event_ids`` whose sources disagree, each with its sources' dates (one indexed read per
    900 events: what the timeline asks for the events it draws one by one)."""
    ids = list(dict.fromkeys(int(i) for i in event_ids))
    out: list[DisputeSpan] = []
    for chunk in range(0, len(ids), 900):
        part = ids[chunk:chunk + 900]
        marks = ",".join("?" * len(part))
        by_event: dict[int, list[tuple[float, float, str]]] = {}
        for eid, first, last, value in store.execute(
                f"""SELECT event_id, date_first, date_last, date_value FROM event_sources
                    WHERE event_id IN ({marks}) AND date_first IS NOT NULL AND date_last IS NOT NULL
                    ORDER BY event_id, date_first, id""", part).fetchall():
            try:
                by_event.setdefault(eid, []).append((_days(first), _days(last) + 1.0, str(value or first)))
            except ValueError:
                continue  # a hand-edited date: not drawn
        for eid in part:
            srcs = by_event.get(eid)
            # disagreement: one source's period starts after another's ends (end exclusive here)
            if srcs and len(srcs) > 1 and max(s[0] for s in srcs) >= min(s[1] for s in srcs):
                out.append(DisputeSpan(eid, min(s[0] for s in srcs), max(s[1] for s in srcs), tuple(srcs)))
    out.sort(key=lambda d: (d.start, d.event_id))
    return out


def source_date_lines(sources: Sequence[dict]) -> tuple[list[str], bool]:
    """For the event panel: one line per source, "1973-09 — Nikkei, 2023-09-21" (its outlet, else its title), and whether they
    disagree. ``sources`` as :func:`.views.event_detail` gives them."""
    lines, dates = [], []
    for s in sources:
        value = s.get("date_value")
        if not value:
            continue
        where = s.get("outlet") or s.get("document_title") or s.get("file_name") or ""
        where = where if len(where) <= 48 else where[:47] + "…"
        if s.get("published"):
            where += f", {s['published']}"
        lines.append(f"{value} — {where}")
        try:
            dates.append(SourceDate(dt.date.fromisoformat(s["date_first"]), dt.date.fromisoformat(s["date_last"]),
                                    s.get("date_precision") or "day"))
        except (KeyError, TypeError, ValueError):
            pass
    return lines, disagree(dates)
