"""What merging compares and stores of a candidate event that depends on the candidate alone (and the event
lexicon): its date columns, its ``extraction_key``, the keys a stored event must have to share its signature,
the kinds of its family, its sides and the names of its people and bodies. Pure: computed where the document is
extracted (:func:`.pipeline.extract_document`, in a worker with several jobs) and carried with its candidates,
so the writer (:mod:`.ingest`) only looks up and writes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from .extract import Candidate
from .periods import date_label
from .signals import Lexicon, default_lexicon

SIGNATURE_ENTITY_TYPES = ("person", "company", "government", "organisation")


@dataclass(frozen=True)
class KeyRange:
    """The extraction keys from ``low`` (included) to ``high`` (excluded): every key that starts with a prefix."""

    low: str
    high: str


def extraction_key(c: Candidate) -> str:
    return json.dumps([c.kind, c.milestone or "", c.detail], ensure_ascii=False)


def signature_keys(cand: Candidate, kinds: Iterable[str]) -> tuple[str, ...] | KeyRange | None:
    """The ``extraction_key`` values a stored event of the candidate's family must have for
    :func:`.merging.signature_match` to accept it, where the signature alone decides (None: any key; ``()``: no
    event can match). Only ever narrows what signature_match accepts, which still runs on every row read.

    * a figure or target is the same only with the same detail (its indicator): its key is exactly
      ``[kind, "", detail]`` for one of the lexicon's ``kinds`` (the kind extraction gave, which a user may have
      changed since; only milestones carry a milestone rule, the candidate's own is allowed too);
    * a milestone is the same only with the same milestone rule: its key starts ``["milestone", rule, ``;
      the detail (its level) is compared folded, so it is left to signature_match."""
    if cand.kind in ("statistic", "target"):
        if not cand.detail:
            return ()
        rules = dict.fromkeys(("", cand.milestone or ""))
        return tuple(json.dumps([k, m, cand.detail], ensure_ascii=False) for k in kinds for m in rules)
    if cand.kind == "milestone" and cand.milestone:
        prefix = json.dumps(["milestone", cand.milestone], ensure_ascii=False)[:-1] + ", "
        return KeyRange(prefix, prefix + "\U0010ffff")
    return None


def date_columns(cand: Candidate) -> dict:
    d = cand.date  # a week ("last week") is stored as that ISO week: date 2025-W16, Monday to Sunday
    label, precision = date_label(d.first, d.last, d.precision, d.is_range)
    return {"date": label, "precision": precision, "start": d.first.isoformat(), "end": d.last.isoformat(),
            "is_range": int(d.is_range)}


@dataclass(frozen=True)
class CandidateKeys:
    """A candidate's values for merging and storing (:func:`candidate_keys`)."""

    columns: dict                                  # the event's date columns (:func:`date_columns`)
    date_label: str                                # its source's date label
    extraction_key: str
    signature: tuple[str, ...] | KeyRange | None   # :func:`signature_keys`
    kinds: tuple[str, ...]                         # the kinds of its family, in the lexicon's order
    sides: frozenset[str]                          # :attr:`.extract.Candidate.sides`
    names: frozenset[str]                          # its people and bodies (:data:`SIGNATURE_ENTITY_TYPES`)


def candidate_keys(cand: Candidate, lexicon: Lexicon | None = None) -> CandidateKeys:
    lexicon = lexicon or default_lexicon()
    return CandidateKeys(
        date_columns(cand), cand.date.label(), extraction_key(cand),
        signature_keys(cand, [k.key for k in lexicon.kinds]),
        tuple(k.key for k in lexicon.kinds if k.family == cand.family), cand.sides,
        frozenset(e.name for e in cand.entities if e.type in SIGNATURE_ENTITY_TYPES))
