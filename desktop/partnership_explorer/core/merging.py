"""When two mentions tell the same happening, and which date an event told by several sources has.

Two mentions are the same happening only when all three agree:

* **the sides** — the same pair of countries or companies (:func:`.actors.sides_compatible`): the 1973 ties of
  Vietnam and Japan are not the 1973 ties of Korea and Indonesia;
* **the kind** — the same family (a visit and a summit may be one trip; an agreement is not a visit), and a
  matching signature (the same milestone and level; a shared person or body; the same agreement topic; or
  nearly the same title);
* **the dates** — their periods overlap (a day inside a month inside a year); a relationship reaches a given
  level once, so milestones tolerate the months between the decision to upgrade and the upgrade itself.

An event keeps every source's own date; its date is the best-supported one (:func:`best_supported`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

MILESTONE_SLACK = dt.timedelta(days=400)


@functools.lru_cache(maxsize=1 << 16)
def normalise_words(s: str) -> str:
    """Lower-case ASCII words of ``s``, accents dropped (kept for the titles and details merging compares again
    and again)."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", s))


@functools.lru_cache(maxsize=1 << 16)
def _title_words(title: str) -> frozenset[str]:
    return frozenset(normalise_words(title).split())


def merge_window(family: str) -> dt.timedelta:
    """How far apart two dates may be and still tell the same happening."""
    return MILESTONE_SLACK if family == "milestone" else dt.timedelta(0)


def dates_compatible(a_first: dt.date, a_last: dt.date, b_first: dt.date, b_last: dt.date,
                     slack: dt.timedelta = dt.timedelta(0)) -> bool:
    """Two dated mentions can be the same happening when their periods overlap (a day inside a month...)."""
    return a_first - slack <= b_last and b_first - slack <= a_last


def signature_match(kind_a, milestone_a, detail_a, ents_a, title_a, kind_b, milestone_b, detail_b, ents_b,
                    title_b) -> bool:
    """Whether two mentions of one family (and compatible dates and sides) name the same happening."""
    if kind_a == "milestone" or kind_b == "milestone":
        return (kind_a == kind_b and milestone_a == milestone_b
                and normalise_words(detail_a or "") == normalise_words(detail_b or ""))
    if kind_a in ("statistic", "target"):
        return bool(detail_a) and detail_a == detail_b
    if kind_a == kind_b == "meeting" and detail_a and detail_b and detail_a != detail_b:
        return False  # talks and a summit on the same days are two happenings
    if detail_a and detail_b and detail_a == detail_b:
        return True
    if ents_a & ents_b:
        return True
    ta, tb = _title_words(title_a), _title_words(title_b)
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= 0.6


@dataclass(frozen=True)
class SourceDate:
    """The date one source gives an event."""

    first: dt.date
    last: dt.date
    precision: str
    is_range: bool = False

    def inside(self, other: "SourceDate") -> bool:
        return other.first <= self.first and self.last <= other.last

    def nested(self, other: "SourceDate") -> bool:
        return self.inside(other) or other.inside(self)

    @property
    def width(self) -> int:
        return (self.last - self.first).days


def best_supported(dates: Sequence[SourceDate]) -> SourceDate | None:
    """The event's date from its sources' dates (in the order the sources came).

    Each date is supported by the sources whose dates agree with it (one inside the other: "2022", "December
    2022" and "5 December 2022" agree). The best-supported date wins, the earlier one on a tie, so a later
    article that disagrees never re-dates an event by itself; then the most precise date that agrees with it
    and is as well supported makes it precise ("December 2022" becomes "5 December 2022")."""
    # many sources give the same date: compare each distinct date once (in the order it first came), counted
    by_value = Counter((d.first, d.last, d.precision, d.is_range) for d in dates)  # in the order they came
    return best_supported_counts({SourceDate(*value): n for value, n in by_value.items()})


def best_supported_counts(counts: Mapping[SourceDate, int]) -> SourceDate | None:
    """:func:`best_supported` of the sources' dates counted: each distinct date (in the order it first came) with
    the number of sources that give it. An event told by thousands of sources keeps this count and adds each new
    source to it, instead of reading every source again."""
    if not counts:
        return None
    distinct = list(counts)
    if len(distinct) > _VECTOR_FROM:
        support = _support_vectorised(distinct, list(counts.values()))
    else:
        support = [sum(n for o, n in counts.items() if d.nested(o)) for d in distinct]
    top = max(support)
    chosen = distinct[support.index(top)]
    finer = [d for d, n in zip(distinct, support) if n == top and d.inside(chosen)]
    return min(finer, key=lambda d: d.width) if finer else chosen


_VECTOR_FROM = 12
"""From this many distinct dates, their pairwise nesting is computed as one array (an event or a ladder step
told by hundreds of sources would otherwise compare every pair in Python at every new source)."""


def _support_vectorised(distinct: list[SourceDate], counts: list[int]) -> list[int]:
    """For each date, how many sources give a date nested with it (the same answer as comparing each pair)."""
    firsts = np.fromiter((d.first.toordinal() for d in distinct), dtype=np.int64, count=len(distinct))
    lasts = np.fromiter((d.last.toordinal() for d in distinct), dtype=np.int64, count=len(distinct))
    inside = (firsts[None, :] <= firsts[:, None]) & (lasts[:, None] <= lasts[None, :])  # [i, j]: i inside j
    nested = inside | inside.T
    return (nested.astype(np.int64) @ np.asarray(counts, dtype=np.int64)).tolist()
