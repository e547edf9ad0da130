"""One happening told twice in one article (headline and body, a deal and the agreement it is) is one candidate.

Across articles, :mod:`.merging` decides; within one article these rules run first, on the candidates of
:func:`.extract.extract_candidates` in text order.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import TYPE_CHECKING

from .actors import sides_compatible
from .dates.tense import TenseReader
from .merging import dates_compatible, merge_window, signature_match
from .periods import rank

if TYPE_CHECKING:
    from .extract import Candidate


# kinds that tell one transaction from two sides: the contract signed is the deal made
TRANSACTION_KINDS = frozenset({"agreement", "deal"})


# "signed nine agreements", "22 memorandums": a batch of texts, each deal among them a happening of its own
_BATCH_OF_TEXTS = re.compile(r"\b(?:agreements|accords|memorand(?:a|ums)|deals|contracts|MoUs|documents|văn kiện|"
                             r"thỏa thuận|\d+\s*건)\b|\d+건", re.IGNORECASE)


def one_transaction_a_day(cands: list[Candidate]) -> list[Candidate]:
    """In one article, an agreement and a deal on the same day are one transaction told twice (the offtake
    agreement signed on Wednesday and the supply deal it is; "the $1.4 billion project" after the concession
    signed by its two companies, whatever sides each sentence names): the first told is kept. Not when the agreement is
    a batch of texts ("signed nine agreements"), where each deal told is one of them."""
    out: list[Candidate] = []
    for c in cands:
        if c.kind in TRANSACTION_KINDS and c.date.precision == "day" and not c.told_apart and any(
                {o.kind, c.kind} == TRANSACTION_KINDS and (o.date.first, o.date.last) == (c.date.first, c.date.last)
                and not o.told_apart
                and not _BATCH_OF_TEXTS.search(o.clause.text if o.kind == "agreement" else c.clause.text)
                and not _other_firms(o, c)
                and not _ONE_MORE.match(c.clause.text)
                for o in out):
            continue
        out.append(c)
    return out


# a clause that opens by saying it tells one more: "Also on Tuesday, ...", "Separately, ...", "Cũng trong sáng nay, ..."
_ONE_MORE = re.compile(r"\W*(?:(?i:also|separately|in\s+addition|additionally)\b|(?:Cũng|Đồng thời)\b|또한|별도로)")


def _other_firms(a: "Candidate", b: "Candidate") -> bool:
    """The later ``b`` names companies, none of them named by ``a``: two transactions of the day (the two
    governments' memorandum, then "Tsukimi said it would spend €480 million on its plant"). A later mention that
    names no company may be the earlier one told again by its sides ("the $1.4 billion project")."""
    firms_a = {x.name for x in a.actors if x.type == "company"}
    firms_b = {x.name for x in b.actors if x.type == "company"}
    return bool(firms_b) and not firms_a & firms_b


DEDUPE_LOOK_BACK = 200


def dedupe_within_article(cands: list[Candidate]) -> list[Candidate]:
    """The same happening stated twice in one article (headline and body) is one candidate with its first source.
    Within one article different kinds are different happenings (a visit and the talks held during it).

    A candidate is compared only with the earlier ones of its kind whose period (widened by the merge window)
    shares a month with its own (:class:`_EarlierOfKind`), and with the latest :data:`DEDUPE_LOOK_BACK` of
    each month at most: a long article costs a bounded number of comparisons per candidate instead of one per
    pair of candidates (a table of thousands of rows on one day included)."""
    out: list[Candidate] = []
    told: list[_Told] = []  # what each of ``out`` is compared by
    earlier: dict[str, _EarlierOfKind] = {}

    for c in cands:
        c_months = _months(c)
        of_kind = earlier.setdefault(c.kind, _EarlierOfKind())
        c_told = _Told(c)
        # the first told of the earlier candidates it repeats
        # each text of a list of texts signed is one of its own
        dup = None if c.told_apart else next(
            (i for i in of_kind.nearby(c_months)
             if not out[i].told_apart and (out[i].kind != "meeting" or out[i].detail == c.detail)
             and told[i].same_happening(c_told)), None)
        if dup is None:
            out.append(c)
            told.append(c_told)
            of_kind.add(len(out) - 1, c_months)
        elif rank(c.date.precision) < rank(out[dup].date.precision):
            out[dup], told[dup] = c, c_told
            of_kind.replace(dup, c_months)
    return out


def _months(c: Candidate) -> range:
    """The months (counted from January of year 0) of a candidate's period widened by its merge window."""
    slack = merge_window(c.family)
    first, last = c.date.first - slack, c.date.last + slack
    return range(first.year * 12 + first.month - 1, last.year * 12 + last.month)


class _EarlierOfKind:
    """The kept candidates of one kind (by their index), each with its months. While there are no more than
    :data:`DEDUPE_LOOK_BACK` of them, those sharing a month with a period are found by comparing month ranges;
    beyond, through a bucket per month, of which only the latest :data:`DEDUPE_LOOK_BACK` are looked at. The
    two give the same candidates while no month holds more than :data:`DEDUPE_LOOK_BACK`."""

    def __init__(self) -> None:
        self.months: dict[int, range] = {}
        self.by_month: dict[int, list[int]] | None = None  # month -> indices in order, once there are many

    def nearby(self, months: range) -> list[int]:
        """The indices, in order, of the candidates sharing a month with ``months``."""
        if self.by_month is None:
            lo, hi = months.start, months.stop
            return sorted(i for i, m in self.months.items() if m.start < hi and lo < m.stop)
        found: set[int] = set()
        for y in months:
            bucket = self.by_month.get(y)
            if bucket:
                found.update(bucket if len(bucket) <= DEDUPE_LOOK_BACK else bucket[-DEDUPE_LOOK_BACK:])
        return sorted(found)

    def add(self, index: int, months: range) -> None:  # ``index`` is above every index already there
        self.months[index] = months
        if self.by_month is not None:
            for y in months:
                self.by_month.setdefault(y, []).append(index)
        elif len(self.months) > DEDUPE_LOOK_BACK:
            self.by_month = {}
            for i in sorted(self.months):
                for y in self.months[i]:
                    self.by_month.setdefault(y, []).append(i)

    def replace(self, index: int, months: range) -> None:
        old = self.months[index]
        self.months[index] = months
        if self.by_month is not None:
            for y in old:
                self.by_month[y].remove(index)
            for y in months:
                bisect.insort(self.by_month.setdefault(y, []), index)


def _specific_entities(c: Candidate) -> set[str]:
    return {e.name for e in c.entities if e.type in ("person", "company", "government", "organisation")}


class _Told:
    """A candidate with what telling one happening from another reads of it, worked out once (an article's
    candidates are compared with each other many times)."""

    def __init__(self, c: Candidate):
        self.candidate = c

    @functools.cached_property
    def sides(self) -> frozenset[str]:
        return self.candidate.sides

    @functools.cached_property
    def specific_entities(self) -> set[str]:
        return _specific_entities(self.candidate)

    @functools.cached_property
    def tense(self) -> str:
        """'past', 'future' or 'near': how the sentence tells the happening, read at its signal."""
        c = self.candidate
        if c.signal_span is None:
            return "near"
        a, b = c.signal_span[0] - c.sentence.start, c.signal_span[1] - c.sentence.start
        return TenseReader(c.sentence.text).tense(a, b) if 0 <= a < b <= len(c.sentence.text) else "near"

    def same_happening(self, other: "_Told") -> bool:
        a, b = self.candidate, other.candidate
        if a.family != b.family:
            return False
        if a.kind == b.kind == "agreement" and _stage(a.signal) != _stage(b.signal):
            return False  # "signed ... on August 6, and parliament ratified it later that month": two steps
        if not dates_compatible(a.date.first, a.date.last, b.date.first, b.date.last, merge_window(a.family)):
            return False
        if a.date.precision != b.date.precision and (self.tense == "future") != (other.tense == "future"):
            return False  # "Biden met the prime minister on Monday" and "a working group is due to meet this year"
        if not sides_compatible(self.sides, other.sides):
            return False
        return signature_match(a.kind, a.milestone, a.detail, self.specific_entities, a.title,
                               b.kind, b.milestone, b.detail, other.specific_entities, b.title)


# the steps of a treaty after its signing: ratified, in force
_RATIFIED = re.compile(r"ratif|phê chuẩn|비준", re.IGNORECASE)
_IN_FORCE = re.compile(r"into (?:force|effect)|took effect|takes effect|có hiệu lực|발효", re.IGNORECASE)


def _stage(signal: str) -> str:
    return "ratified" if _RATIFIED.search(signal) else "in force" if _IN_FORCE.search(signal) else "signed"


def same_happening(a: Candidate, b: Candidate) -> bool:
    """Two candidates tell one happening: same family, compatible dates, sides and signature."""
    return _Told(a).same_happening(_Told(b))
