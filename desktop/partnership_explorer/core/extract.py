"""From one document's text to candidate events.

A candidate event is a clause holding a date expression and a signal of something that happened (or a dated
figure, or a target). Signals come from ``resources/event_kinds.toml``; dates from :mod:`.dates`; people and
organisations from the gazetteer (:mod:`.entities`); sectors from the taxonomy (:mod:`.sectors`).

Each date is paired with the nearest signal in its clause (each signal serves one date), so a sentence such
as "Trade has surged since diplomatic relations were established in 1992, from $500 million to $86.7 billion
in 2024" gives two events: the 1992 milestone and the 2024 trade figure. A clause with a strong signal but no
date of its own ("while LG CNS and VNPT signed an MoU ...") takes the date of its sentence, or of the
previous sentence of its paragraph when that sentence holds exactly one day-precise date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import dates as dates_mod
from .actors import Actor, clause_actors, currency_prefix, participants, side_keys, sides_compatible
from .entities import EntityMention, Gazetteer, default_gazetteer
from .merging import dates_compatible, merge_window, normalise_words, signature_match
from .paths import resources_dir, tomllib
from .periods import rank
from .sectors import UNCLASSIFIED, SectorTaxonomy, default_taxonomy
from .sentences import Span, paragraphs, split_clauses, split_sentences
from .titles import clause_title, needs_clause_title


@dataclass(frozen=True)
class KindRule:
    key: str
    label: str
    family: str
    priority: int
    triggers: tuple[re.Pattern, ...]
    needs: tuple[re.Pattern, ...] = ()
    negative: tuple[re.Pattern, ...] = ()
    future_only: bool = False
    cameo: str = ""
    cameo_when: tuple[tuple[re.Pattern, str], ...] = ()


@dataclass(frozen=True)
class MilestoneRule:
    key: str
    title: str
    pattern: re.Pattern
    context: re.Pattern | None = None
    enumerate: re.Pattern | None = None
    cameo: str = ""


@dataclass(frozen=True)
class Lexicon:
    kinds: tuple[KindRule, ...]
    milestones: tuple[MilestoneRule, ...]

    def kind(self, key: str) -> KindRule | None:
        return next((k for k in self.kinds if k.key == key), None)

    def family(self, key: str) -> str:
        rule = self.kind(key)
        return rule.family if rule else key


def _compile(patterns) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def _combine(patterns) -> tuple[re.Pattern, ...]:
    """All of a kind's triggers as one alternation: one scan of the clause instead of one per trigger."""
    patterns = list(patterns)
    return (re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE),) if patterns else ()


def load_lexicon(path: Path | None = None) -> Lexicon:
    path = path or resources_dir() / "event_kinds.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        kinds = tuple(
            KindRule(
                key=k["key"], label=k["label"], family=k.get("family", k["key"]), priority=int(k.get("priority", 1)),
                triggers=_combine(k.get("triggers", ())), needs=_combine(k.get("needs", ())),
                negative=_combine(k.get("negative", ())), future_only=bool(k.get("future_only", False)),
                cameo=str(k.get("cameo", "")),
                cameo_when=tuple((re.compile(p, re.IGNORECASE), str(c)) for p, c in k.get("cameo_when", ())),
            )
            for k in data["kind"]
        )
        milestones = tuple(
            MilestoneRule(
                m["key"], m["title"], re.compile(m["pattern"], re.IGNORECASE),
                re.compile(m["context"], re.IGNORECASE) if m.get("context") else None,
                re.compile(m["enumerate"], re.IGNORECASE) if m.get("enumerate") else None,
                str(m.get("cameo", "")),
            )
            for m in data.get("milestone", ())
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, re.error) as exc:
        raise ValueError(f"{path.name}: invalid event lexicon ({exc})") from None
    return Lexicon(kinds, milestones)


@functools.lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()


@dataclass
class EntityRef:
    name: str
    type: str
    country: str | None = None
    role: str | None = None
    known: bool = True
    aliases: tuple[str, ...] = ()


@dataclass
class Candidate:
    """An event as found in one document, with the one source that supports it."""

    title: str
    kind: str
    family: str
    date: dates_mod.DateMention
    sentence: Span
    clause: Span
    sectors: list[str]
    entities: list[EntityRef]
    confidence: float
    milestone: str | None = None  # key of the milestone rule, e.g. "partnership-upgrade"
    detail: str = ""  # milestone level, agreement topic...: part of the merge signature
    inherited_date: bool = False
    signal: str = ""
    actors: list[Actor] = field(default_factory=list)
    cameo: str = ""

    @property
    def label(self) -> str:
        return self.date.label()

    @property
    def sides(self) -> frozenset[str]:
        return side_keys(self.actors)


@dataclass
class Signal:
    kind: str
    start: int
    end: int
    priority: int
    milestone: MilestoneRule | None = None
    detail: str = ""
    cover: tuple[int, int] | None = None  # the whole phrase of a milestone; other signals inside it are its words


# ------------------------------------------------------------------------------------------------
_QUESTION = re.compile(r"\?[\"'”’)]*\s*$")
_NAME_YEAR = re.compile(r"(?:[A-Z][\w&.-]*\s+){1,6}$")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|since|from|by|until|till|through|of|for|to|during|before|after|year|end|early|late|mid|the|on|"
    r"between|and|as of|around|circa|at)\s*$",
    re.IGNORECASE,
)
_MONTHS = {m.lower() for m in (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec").split()}
_FUTURE = re.compile(
    r"\b(?:will|shall|is|are) (?:be )?(?:expected|scheduled|set|going|slated|due|planned)\b|\bwill\b|\bplans? to\b|"
    r"\bupcoming\b|\bforthcoming\b|\baims?\b|\btarget",
    re.IGNORECASE,
)


def _year_inside_name(text: str, m: dates_mod.DateMention) -> bool:
    """'Digital Week 2025', 'Global Goals 2030': a bare year closing a capitalised name is part of the name."""
    if m.precision != "year" or m.is_range or not m.text.strip().isdigit():
        return False
    before = text[max(0, m.start - 60):m.start]
    if _PREPOSITION_BEFORE.search(before):
        return False
    name = _NAME_YEAR.search(before)
    if not name:
        return False
    last_word = name.group(0).split()[-1].strip(".").lower()
    return last_word not in _MONTHS


def _find_signals(clause: str, offset: int, lexicon: Lexicon) -> list[Signal]:
    signals: list[Signal] = []
    for rule in lexicon.milestones:
        found = []
        for m in rule.pattern.finditer(clause):
            groups = [k for k, v in m.groupdict().items() if v]
            if groups:  # the level named is where the date attaches ("... to a strategic partnership in 2009")
                a, b = m.span(groups[0])
                level = m.group(groups[0]) if m.group(groups[0]).isascii() else "comprehensive strategic partnership"
            else:
                a, b, level = m.start(), m.end(), ""
            found.append((a, b, level, m.span()))
        if rule.enumerate is not None and rule.context is not None and rule.context.search(clause):
            for m in rule.enumerate.finditer(clause):
                if not any(a <= m.start("level") and m.end("level") <= b for a, b, _, _ in found):
                    # the whole phrase, name tail included: "Strategic Partnership for Peace ... in Asia (2009)"
                    found.append((m.start(), m.end(), m.group("level"), m.span("level")))
        for a, b, level, (c0, c1) in found:
            level = re.sub(r",\s*", " ", level)
            signals.append(Signal("milestone", offset + a, offset + b, 6, rule, _title_case(level),
                                  cover=(offset + c0, offset + c1)))
    covers = [s.cover for s in signals if s.cover]
    for rule in lexicon.kinds:
        if not rule.triggers:
            continue
        if rule.needs and not any(p.search(clause) for p in rule.needs):
            continue
        if any(p.search(clause) for p in rule.negative):
            continue
        for pattern in rule.triggers:
            for m in pattern.finditer(clause):
                a, b = offset + m.start(), offset + m.end()
                if any(c0 <= a and b <= c1 for c0, c1 in covers):
                    continue  # "relations were established" is the milestone, not an opening
                signals.append(Signal(rule.key, a, b, rule.priority))
    return signals


def _gap(a0: int, a1: int, b0: int, b1: int) -> int:
    if a1 <= b0:
        return b0 - a1
    if b1 <= a0:
        return a0 - b1
    return 0


def _choose_date(found: list[dates_mod.DateMention]) -> list[dates_mod.DateMention]:
    """Drop a coarse date that only restates a finer one next to it ('October 29th ... Forum 2025')."""
    keep = []
    for d in found:
        finer = any(
            o is not d and o.first >= d.first and o.last <= d.last and (o.last - o.first) < (d.last - d.first)
            for o in found
        )
        if not finer:
            keep.append(d)
    return keep


def extract_candidates(
    text: str,
    *,
    published: dt.date | None = None,
    published_precision: str | None = None,
    language: str = "en",
    gazetteer: Gazetteer | None = None,
    taxonomy: SectorTaxonomy | None = None,
    lexicon: Lexicon | None = None,
) -> list[Candidate]:
    gazetteer = gazetteer or default_gazetteer()
    taxonomy = taxonomy or default_taxonomy()
    lexicon = lexicon or default_lexicon()

    reference, reference_precision, ref_confidence = published, published_precision, 1.0
    if reference is None:
        latest = _latest_explicit_year(text, language)
        if latest:
            reference, reference_precision, ref_confidence = dt.date(latest, 1, 1), "year", 0.6
    all_dates = [
        d for d in dates_mod.find_dates(text, reference=reference, reference_precision=reference_precision,
                                       language=language)
        if not _year_inside_name(text, d)
    ]
    mentions = _with_short_names(text, [m for m in gazetteer.find(text) if not currency_prefix(text, m)])
    doc_countries = _main_countries(mentions)
    # Both lists are in text order: the dates and names of a sentence or clause are a slice found by bisection
    # (a scan of the whole list per sentence made a long article quadratic).
    date_starts = [d.start for d in all_dates]
    in_order = all(a <= b for a, b in zip(date_starts, date_starts[1:]))
    if not in_order:
        all_dates = sorted(all_dates, key=lambda d: d.start)
        date_starts = [d.start for d in all_dates]
    mentions = sorted(mentions, key=lambda m: m.start)
    spans = _Spans(mentions)
    # the sectors of a sentence are asked once per candidate it holds: once is enough
    classify = functools.lru_cache(maxsize=64)(taxonomy.classify)

    candidates: list[Candidate] = []
    # The day of the previous sentence: "South Korea and Vietnam on Tuesday agreed ... / Foreign Minister Park
    # Jin held talks with his counterpart in Hanoi" (news puts one sentence per line, so this crosses lines).
    previous_day_date: dates_mod.DateMention | None = None
    previous_families: set[str] = set()
    for para in paragraphs(text):
        for sentence in split_sentences(text, para.start, para.end):
            if _QUESTION.search(sentence.text):
                previous_day_date = None
                continue
            families: set[str] = set()
            lo, hi = bisect.bisect_left(date_starts, sentence.start), bisect.bisect_left(date_starts, sentence.end)
            s_dates = _without_dateline([d for d in all_dates[lo:hi] if d.end <= sentence.end], text, sentence)
            clauses = split_clauses(text, sentence, language)
            sentence_dates = _choose_date(s_dates)
            for clause in clauses:
                c_dates = _choose_date([d for d in s_dates if d.start >= clause.start and d.end <= clause.end])
                if not c_dates and not sentence_dates and previous_day_date is None:
                    continue  # no date this clause could carry
                signals = _find_signals(clause.text, clause.start, lexicon)
                if not signals:
                    continue
                inherited = False
                if not c_dates:
                    # Second half of "in 2025, KT and Viettel signed ..., while LG CNS and VNPT signed ...".
                    strong = [s for s in signals if s.kind in ("agreement", "deal", "visit", "meeting", "opening")]
                    if not strong:
                        continue
                    source_dates = [d for d in sentence_dates if d.end <= clause.start]
                    if not source_dates and not sentence_dates and previous_day_date is not None:
                        # a sentence that goes on about the happening just told ("In the dialogue, ...") is
                        # not a new one: only signals of another family may take the previous day
                        signals = [s for s in signals if lexicon.family(s.kind) not in previous_families
                                   and not _BACK_REFERENCE.search(text, max(0, s.start - 8), s.start)]
                        if not any(s.kind in ("agreement", "deal", "visit", "meeting", "opening") for s in signals):
                            continue
                        source_dates = [previous_day_date]
                    if len({(d.first, d.last) for d in source_dates}) != 1:
                        continue
                    c_dates, inherited = [source_dates[-1]], True
                # A milestone does not use up its date: "agreed to establish a comprehensive strategic
                # partnership during a summit in Seoul on Monday" is both the upgrade and the summit.
                limit = None if inherited or len(c_dates) == 1 else 140
                clause_arg = None if inherited else clause
                milestones = [s for s in signals if s.kind == "milestone"]
                others = [s for s in signals if s.kind != "milestone"]
                other_pairs = _pair(c_dates, others, limit=limit, clause=clause_arg, language=language)
                pairs = _milestone_pairs(
                    _pair(c_dates, milestones, limit=limit, clause=clause_arg, language=language), other_pairs
                ) + other_pairs
                pairs = _drop_agreements_to_milestones(text, pairs)
                pairs += _circumstance_pairs(text, clause, pairs, others)
                for date, signal in pairs:
                    focus = clause if len(pairs) == 1 else _focus(clause, date, signal)
                    cand = _make_candidate(
                        text, sentence, clause, focus, date, signal, spans, doc_countries, classify, lexicon,
                        reference, ref_confidence, inherited, language, gazetteer,
                    )
                    if cand is not None:
                        candidates.append(cand)
                        families.add(cand.family)
            days = [d for d in sentence_dates if d.precision == "day" and not d.is_range]
            if sentence_dates or families:
                previous_day_date = days[0] if len({(d.first, d.last) for d in days}) == 1 else None
                previous_families = families
    return _one_transaction_a_day(_dedupe_within_document(_drop_restated_upgrades(candidates)))


# "signed nine agreements on Thursday after talks between ...", "received its licence in May 2016, during a visit
# by ...", "met on the sidelines of the summit": an encounter told as the circumstance of the clause's happening
_CIRCUMSTANCE = re.compile(
    r"\b(?:during|after|following|before|ahead of|at|on the sidelines of|in the course of)\s+"
    r"(?:(?:a|an|the|his|her|their|its|first|official|state|working|two-day|three-day|four-day|bilateral)\s+)*$",
    re.IGNORECASE,
)
ENCOUNTERS = ("meeting", "visit")


def _circumstance_pairs(text: str, clause: Span, pairs, signals: list[Signal]):
    """An encounter signal in a circumstance phrase ("after talks", "during a visit") that pairing left without a
    date shares the date of the happening it is the circumstance of (the nearest paired date of the clause): one
    date then carries two happenings, as the sentence says."""
    if not pairs:
        return []
    used = {id(s) for _, s in pairs}
    kinds_on_date = {(id(d), s.kind) for d, s in pairs}
    extra = []
    for s in signals:
        if id(s) in used or s.kind not in ENCOUNTERS:
            continue
        if not _CIRCUMSTANCE.search(text, max(clause.start, s.start - 40), s.start):
            continue
        date = min((d for d, _ in pairs), key=lambda d: _gap(d.start, d.end, s.start, s.end))
        if (id(date), s.kind) in kinds_on_date:
            continue
        kinds_on_date.add((id(date), s.kind))
        extra.append((date, s))
    return extra


# "NAIROBI, Nov 12 (East Africa Ledger) – ...", "HAI PHONG, Vietnam, March 3 (Meridian) – ...": the place and
# date a dispatch was filed, before the dash that opens its first sentence
_DATELINE_BEFORE = re.compile(r"\s*[A-ZÀ-Ỹ][A-ZÀ-Ỹ .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,30})?,\s*$")
_DATELINE_AFTER = re.compile(r"\s*(?:\([^)]{0,60}\)\s*)?[–—-]")


def _without_dateline(s_dates: list, text: str, sentence: Span) -> list:
    """A dateline's date says when the dispatch was filed, not when its happening was: when the sentence dates
    its happening itself ("on Wednesday"), the dateline's date is left out of pairing."""
    if len(s_dates) < 2:
        return s_dates
    first = s_dates[0]
    line_start = max(sentence.start, text.rfind("\n", sentence.start, first.start) + 1)
    if _DATELINE_BEFORE.match(text, line_start, first.start) and _DATELINE_AFTER.match(text, first.end):
        return s_dates[1:]
    return s_dates


# kinds that tell one transaction from two sides: the contract signed is the deal made
TRANSACTION_KINDS = frozenset({"agreement", "deal"})
# "signed nine agreements", "22 memorandums": a batch of texts, each deal among them a happening of its own
_BATCH_OF_TEXTS = re.compile(r"\b(?:agreements|accords|memorand(?:a|ums)|deals|contracts|MoUs|documents|văn kiện|"
                             r"thỏa thuận|\d+\s*건)\b|\d+건", re.IGNORECASE)


def _one_transaction_a_day(cands: list[Candidate]) -> list[Candidate]:
    """In one article, an agreement and a deal on the same day are one transaction told twice (the offtake
    agreement signed on Wednesday and the supply deal it is): the first told is kept. Not when the agreement is
    a batch of texts ("signed nine agreements"), where each deal told is one of them."""
    out: list[Candidate] = []
    for c in cands:
        if c.kind in TRANSACTION_KINDS and c.date.precision == "day" and any(
                {o.kind, c.kind} == TRANSACTION_KINDS and (o.date.first, o.date.last) == (c.date.first, c.date.last)
                and not _BATCH_OF_TEXTS.search(o.clause.text if o.kind == "agreement" else c.clause.text)
                and sides_compatible(o.sides, c.sides)
                for o in out):
            continue
        out.append(c)
    return out


def _milestone_pairs(milestone_pairs, other_pairs):
    """A milestone shares a date with another happening only if it is about as near to it: in "plans to revise
    their MoU on defence, signed in 2010", 2010 belongs to the MoU, not to the partnership named before."""
    kept = []
    for d, s in milestone_pairs:
        # talks and visits are where upgrades happen: only a rival of another family can hold the date
        rivals = [_gap(d.start, d.end, o.start, o.end) for od, o in other_pairs
                  if od is d and o.kind not in ("meeting", "visit")]
        if not rivals or _gap(d.start, d.end, s.start, s.end) <= min(rivals) + 60:
            kept.append((d, s))
    return kept


def _drop_agreements_to_milestones(text: str, pairs):
    """'agreed to establish a strategic partnership in 2009' is the milestone, not a separate agreement."""
    milestone_starts = [s.start for _, s in pairs if s.kind == "milestone"]
    if not milestone_starts:
        return pairs
    return [
        (d, s) for d, s in pairs
        if not (s.kind == "agreement" and text[s.start:s.end].lower().startswith("agreed to")
                and any(0 <= m - s.end <= 80 for m in milestone_starts))
    ]


# "The agreement was included in ...": a sentence pointing back at something already told
_BACK_REFERENCE = re.compile(r"\b(?:the|this|that|these|those)\s+$", re.IGNORECASE)
_AGREED_TO_UPGRADE = re.compile(r"\bagreed to\s+(?:further\s+)?(?:upgrade|elevate|raise|lift)\b", re.IGNORECASE)


def _drop_restated_upgrades(cands: list[Candidate]) -> list[Candidate]:
    """'... agreed to elevate the relationship' next to the upgrade itself is that milestone told again."""
    upgrades = [c for c in cands if c.milestone == "partnership-upgrade"]
    return [
        c for c in cands
        if not (c.kind == "agreement" and c.signal.lower() == "agreed to" and _AGREED_TO_UPGRADE.search(c.clause.text)
                and any(dates_compatible(u.date.first, u.date.last, c.date.first, c.date.last) for u in upgrades))
    ]


def _focus(clause: Span, date, signal: Signal) -> Span:
    """The part of a clause around one of several events it holds (for sectors)."""
    a = max(clause.start, min(date.start, signal.start) - 40)
    b = min(clause.end, max(date.end, signal.end) + 40)
    return Span(a, b, clause.text[a - clause.start:b - clause.start])


# a participle set off by a comma after a name describes that name: ", founded in 2012," ", set up in 1998 as"
_APPOSITIVE_BACKGROUND = re.compile(r",\s*(?:founded|established|set up|created|formed|incorporated|launched)\b",
                                    re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.IGNORECASE)


VERB_FINAL = {"ko", "ja"}


def _pair(c_dates, signals, *, limit: int | None, clause: Span | None = None,
          language: str = "en") -> list[tuple[dates_mod.DateMention, Signal]]:
    options = []
    verb_final = language in VERB_FINAL
    for d in c_dates:
        opens_clause = clause is not None and not _LEAD_IN.sub("", clause.text[: d.start - clause.start]).strip()
        for s in signals:
            gap = _gap(d.start, d.end, s.start, s.end)
            if limit is not None and gap > limit:
                continue
            # "X's visit to Y in August", "signed in 2011": a date after its signal belongs to it, unless the
            # date opens the clause ("In February, the minister visited Korea"). Korean puts the date first
            # ("1992년 수교"), so there a signal before the date is the unlikely one.
            if verb_final:
                after_penalty = 10 if s.end <= d.start else 0
            else:
                after_penalty = 10 if s.start > d.end and not opens_clause else 0
            options.append((gap - 4 * s.priority + after_penalty, -s.priority, d.start, s.start, d, s))
    options.sort(key=lambda o: o[:4])
    used_dates, used_signals, pairs = set(), set(), []
    for *_, d, s in options:
        if id(d) in used_dates or id(s) in used_signals:
            continue
        used_dates.add(id(d))
        used_signals.add(id(s))
        # a signal that overlaps another chosen signal of the same kind is the same signal
        pairs.append((d, s))
    return pairs


class _Spans:
    """Items with ``start``/``end`` in text order; :meth:`within` gives those inside a range by bisection."""

    def __init__(self, items: list):
        self.items = items
        self.starts = [m.start for m in items]

    def within(self, start: int, end: int) -> list:
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return [m for m in self.items[lo:hi] if m.end <= end]


def _make_candidate(text, sentence, clause, focus, date, signal, mentions: _Spans, doc_countries, classify, lexicon,
                    reference, ref_confidence, inherited, language="en", gazetteer=None) -> Candidate | None:
    kind = signal.kind
    if kind == "statistic" and reference is not None and date.first > reference:
        kind = "target"  # a figure for a date still to come is a goal ("trade to $100 billion by 2020")
    rule = lexicon.kind(kind)
    if kind in ("meeting", "visit", "agreement", "deal") and (
            _SINCE.search(text[max(0, date.start - 12):date.start]) or re.match(r"since\b", date.text, re.I)):
        return None  # "on hiatus since 2017": the start of a state of affairs, not a happening
    if kind == "opening" and _APPOSITIVE_BACKGROUND.search(text, max(0, signal.start - 3), signal.end + 1):
        return None  # "Orbis, founded in 2012, ...": background about one party, not a happening between two
    future = bool(_FUTURE.search(clause.text))
    if rule is not None and rule.future_only:
        if reference is None or date.last < reference and not re.search(r"\bby\b", clause.text):
            return None
    clause_mentions = mentions.within(clause.start, clause.end)
    sentence_mentions = mentions.within(sentence.start, sentence.end)
    entities = _entity_refs(participants(text, clause_mentions or sentence_mentions))
    span = clause if clause_mentions else sentence
    actors = clause_actors(text, clause_mentions or sentence_mentions, doc_countries, gazetteer or default_gazetteer(),
                           span.start, span.end)
    sectors = list(classify(focus.text))
    if sectors == [UNCLASSIFIED] and focus.text != sentence.text:
        sectors = list(classify(sentence.text))
    title = make_title(kind, signal, clause, date, clause_mentions, doc_countries, text, language)
    if needs_clause_title(title or "", sentence.text, language):
        own_words = clause_title(text, clause.start, clause.end, signal.start, signal.end, date.start, date.end,
                                 clause_mentions, language, verb_final=language in VERB_FINAL)
        if not needs_clause_title(own_words, sentence.text, language):
            title = own_words
    if not title:
        return None
    confidence = 0.55 + 0.1 * (signal.priority >= 4) + 0.15 * (kind == "milestone")
    confidence *= float(getattr(date, "confidence", 1.0) or 1.0) * ref_confidence
    if inherited:
        confidence *= 0.75
    if future and kind not in ("target",):
        confidence *= 0.85
    detail = signal.detail if kind == "milestone" else _detail(kind, clause.text, date.start - clause.start,
                                                                 text[signal.start:signal.end])
    return Candidate(
        title=title, kind=kind, family=lexicon.family(kind), date=date, sentence=sentence, clause=clause,
        sectors=sectors, entities=entities, confidence=round(min(confidence, 0.99), 3),
        milestone=signal.milestone.key if signal.milestone else None, detail=detail,
        inherited_date=inherited, signal=text[signal.start:signal.end], actors=actors,
        cameo=_cameo(signal, rule, clause.text),
    )


def _cameo(signal: Signal, rule: KindRule | None, clause: str) -> str:
    """The CAMEO (or project) code: the milestone's, else the kind's, refined by the first of its
    ``cameo_when`` patterns the clause matches ("lifted the embargo" is 085, not 163)."""
    if signal.milestone is not None:
        return signal.milestone.cameo
    if rule is None:
        return ""
    for pattern, code in rule.cameo_when:
        if pattern.search(clause):
            return code
    return rule.cameo


def _short_forms(entity) -> list[str]:
    """How a story refers to a person after the first mention: Korean family name first ('Choi' for Choi
    Young-sam), Vietnamese given name last ('Phuc' for Nguyen Xuan Phuc), others by the last name."""
    tokens = re.findall(r"[^\W\d_][\w'-]*", entity.name)
    if len(tokens) < 2:
        return []
    first, last = tokens[0], tokens[-1].split("-")[0] if entity.country == "KR" else tokens[-1]
    if entity.country == "KR":
        return [first]
    return [last]


def _with_short_names(text: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """Add later mentions of a person by short name, when the full name appeared earlier and only one
    person of the story has that short name."""
    owners: dict[str, tuple[int, object, bool]] = {}
    clash: set[str] = set()
    for m in mentions:
        if m.entity.type != "person":
            continue
        for short in _short_forms(m.entity):
            if short in owners and owners[short][1].name != m.entity.name:
                clash.add(short)
            owners.setdefault(short, (m.end, m.entity, m.known))
    owners = {k: v for k, v in owners.items() if k not in clash}
    if not owners:
        return mentions
    taken = sorted((m.start, m.end) for m in mentions)
    taken_starts = [a for a, _ in taken]
    reach = list(itertools.accumulate((b for _, b in taken), max))  # the furthest end among the first i spans
    extra = []
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(owners, key=len, reverse=True))
                         + r")(?![\w-])")
    for m in pattern.finditer(text):
        after, entity, known = owners[m.group(1)]
        i = bisect.bisect_left(taken_starts, m.end()) - 1  # spans starting before this one ends...
        if m.start() < after or (i >= 0 and reach[i] > m.start()):  # ...and one of them ends after it starts
            continue
        extra.append(EntityMention(m.start(), m.end(), m.group(1), entity, known))
    return sorted(mentions + extra, key=lambda x: x.start)


def _entity_refs(ms: list[EntityMention]) -> list[EntityRef]:
    seen: dict[str, EntityRef] = {}
    for m in ms:
        e = m.entity
        if e.name not in seen:
            seen[e.name] = EntityRef(e.name, e.type, e.country, getattr(e, "role", None), m.known,
                                     tuple(a for a in (m.text,) if a != e.name))
    return list(seen.values())


def _main_countries(mentions: list[EntityMention]) -> list[str]:
    counts: dict[str, int] = {}
    for m in mentions:
        if m.entity.type == "country":
            counts[m.entity.name] = counts.get(m.entity.name, 0) + 1
    return [n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][:2]


_YEAR_RE = re.compile(r"(?<![\d$.,])(1[89]\d\d|20\d\d)(?![\d%])")


def _latest_explicit_year(text: str, language: str) -> int | None:
    years = [int(m.group(1)) for m in _YEAR_RE.finditer(text)]
    years = [y for y in years if 1900 <= y <= dt.date.today().year]
    return max(years) if years else None


# ------------------------------------------------------------------------------------------------
# Titles
_AGREEMENT_NOUN = re.compile(
    r"\b(?P<noun>memorand(?:um|a) of (?:understanding|cooperation|agreement)|Mo[UC]s?|MO[UC]s?|agreements?|"
    r"biên bản ghi nhớ|thỏa thuận|hiệp định|양해각서|협정|협약|"
    r"accords?|treaty|pact|deal|contracts?|(?:strategic |comprehensive )?partnership(?: agreement)?|framework)"
    r"(?:\b|(?<=[\uac00-\ud7a3]))"
    r"(?:\s+\([A-Za-z]+\))?"
    r"(?:[^.;,]{0,40}?\b(?:on|for|regarding|concerning|to cooperate in|in the (?:field|area)s? of|về)\s+"
    r"(?:the\s+)?(?:field of\s+|area of\s+)?(?P<topic>[^,.;()]{2,60}?)"
    r"(?=\s+(?:in|at|with|between|by|worth|valued|during|while|which|that|was|were|originally|signed|,)\b|[,.;]|$))?",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"(?:[$€£₩¥]\s?\d[\d.,]*(?:\s*(?:trillion|billion|million))?|\d[\d.,]*\s*(?:trillion|billion|million)"
    r"(?:\s*(?:won|dong|dollars|USD|VND|KRW))?|\d[\d.,]*\s?(?:%|percent|per cent)|\d+-fold)",
    re.IGNORECASE,
)
_STAT_SUBJECT = re.compile(
    r"\b(?P<s>(?:bilateral |two-way |annual )?(?:trade|exports?|imports?|investments?|FDI|GDP|turnover|revenue|"
    r"tourists|visitors|workers|students|businesses|projects))\b",
    re.IGNORECASE,
)
_NAMED_EVENT = re.compile(
    r"\b((?:[A-Z][\w&'’-]*\s+){0,5}(?:Forum|Summit|Dialogue|Conference|Roundtable|Expo|Week|Festival|Games)"
    r"(?:\s+\d{4})?)\b"
)
_STOP_MODIFIERS = {"the", "a", "an", "their", "its", "his", "her", "our", "this", "that", "these", "to", "of",
                   "in", "on", "at", "and", "for", "hold", "held", "during", "with", "will", "attend", "recent",
                   "first-ever", "annual", "basis", "take", "took", "place", "as", "part", "by", "was", "were",
                   "is", "are", "be", "been", "has", "have", "had", "it", "meet", "met", "while", "also",
                   "holding", "organized", "organised", "attended", "who", "which"}


def _title_case(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in s.split())


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


_FOREIGN_AGREEMENT_NOUNS = {"biên bản ghi nhớ": "MoU", "양해각서": "MoU", "thỏa thuận": "Agreement",
                            "hiệp định": "Agreement", "협정": "Agreement", "협약": "Agreement"}


def _agreement_noun(noun: str) -> str:
    n = noun.lower()
    if n in _FOREIGN_AGREEMENT_NOUNS:
        return _FOREIGN_AGREEMENT_NOUNS[n]
    if n.startswith("memorand") and "understanding" in n or n.startswith("mou"):
        return "MoU"
    if n.startswith("memorand") and "cooperation" in n or n.startswith("moc"):
        return "Memorandum of cooperation"
    if n.startswith("memorand"):
        return "Memorandum of agreement"
    return noun[:1].upper() + noun[1:].lower() if not noun.isupper() else noun


_MEETING_NOUNS = {"met": "meeting", "meets": "meeting", "meeting": "meeting", "summits": "summit", "forums": "forum",
                  "roundtables": "roundtable", "dialogues": "dialogue", "conferences": "conference",
                  "workshops": "workshop"}


def _detail(kind: str, clause: str, pos: int, signal_text: str = "") -> str:
    if kind == "meeting":
        between = re.search(r"\b(summit|talks|meeting|dialogue)\s+between\b", clause, re.IGNORECASE)
        noun = between.group(1).lower() if between else signal_text.lower()
        return _MEETING_NOUNS.get(noun, noun)
    if kind in ("agreement", "deal"):
        m = _agreement_match(clause, pos)
        if m and m.group("topic"):
            return normalise_words(m.group("topic"))
    if kind in ("statistic", "target"):
        fig = _nearest(_FIGURE, clause, pos)
        if fig:
            return normalise_figure(fig.group(0))
    return ""


_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def normalise_figure(figure: str) -> str:
    """'US$150 billion', '150 billion USD', '$150bn' → '150e9'; '53.1 percent' → '53.1%'."""
    f = figure.lower()
    num = re.search(r"\d[\d,]*(?:\.\d+)?", f)
    if not num:
        return normalise_words(figure)
    value = float(num.group(0).replace(",", ""))
    if re.search(r"%|percent|per cent", f):
        return f"{value:g}%"
    scale = next((v for k, v in _SCALE.items() if k in f), 1.0)
    return f"{value * scale:.4g}"


_SPECIFIC_AGREEMENT = re.compile(r"memorand|\bmo[uc]|treaty|pact|accord|biên bản|양해각서", re.IGNORECASE)


def _agreement_match(clause: str, pos: int):
    """The agreement noun phrase nearest the date, preferring specific ones (MoU, treaty) over 'agreements'."""
    found = list(_AGREEMENT_NOUN.finditer(clause))
    if not found:
        return None
    specific = [m for m in found if _SPECIFIC_AGREEMENT.search(m.group("noun"))]
    pool = specific or found
    return min(pool, key=lambda m: abs(m.start() - pos))




def _short_name(m: EntityMention) -> str:
    """An acronym alias reads better in a title than a ministry's full name ('MSIT')."""
    e = m.entity
    if e.type in ("government", "organisation") and len(e.name) > 20:
        acronyms = [a for a in e.aliases if 2 <= len(a) <= 6 and a.replace("&", "").isalnum()
                    and sum(c.isupper() for c in a) >= 2 and " " not in a]
        if acronyms:
            return acronyms[0]
    return e.name


def _actor_names(mentions: list[EntityMention], types) -> list[str]:
    out: list[str] = []
    for m in mentions:
        if m.entity.type in types:
            name = _short_name(m)
            if name not in out:
                out.append(name)
    return out


def make_title(kind, signal, clause: Span, date, mentions: list[EntityMention], countries: list[str], text: str,
               language: str = "en") -> str:
    """A short title a person would write, built from the clause's parts (never a whole sentence)."""
    ctext = clause.text
    rel = lambda pos: pos - clause.start  # noqa: E731  (absolute offset → clause offset)
    pair = "–".join(countries) if len(countries) == 2 else ""
    if kind == "milestone" and signal.milestone is not None:
        if signal.milestone.key == "relations-established":
            return f"{pair} diplomatic relations established" if pair else signal.milestone.title
        if signal.milestone.key == "recognition":
            return f"{pair} diplomatic recognition" if pair else signal.milestone.title
        level = signal.detail or "a new level"
        return f"{pair} relations upgraded to {level}" if pair else signal.milestone.title.replace("{level}", level)
    if kind in ("agreement", "deal"):
        return _agreement_title(kind, ctext, rel(date.start), mentions, pair, english=language == "en")
    if kind == "visit":
        return _visit_title(ctext, rel(signal.start), rel(signal.end), clause.start, mentions, pair,
                            verb_final=language in VERB_FINAL)
    if kind == "meeting":
        return _meeting_title(ctext, rel(signal.start), rel(signal.end), clause.start, mentions, pair)
    if kind == "opening":
        orgs = _actor_names([m for m in mentions if m.start < signal.start] or mentions,
                            ("organisation", "company", "government"))
        place = _place_after(mentions, signal.start)
        if orgs:
            return f"{orgs[-1] if len(orgs) > 1 else orgs[0]} opens" + (f" in {place}" if place else "")
        return _fallback_title(ctext)
    if kind == "statistic":
        return _statistic_title(ctext, rel(date.start), mentions, clause.start)
    if kind == "target":
        return _target_title(ctext, rel(date.start), date)
    return _fallback_title(ctext)


def _agreement_title(kind: str, ctext: str, date_pos: int, mentions: list[EntityMention], pair: str,
                     english: bool = True) -> str:
    m = _agreement_match(ctext, date_pos)
    agreed = re.search(r"\bagreed to\s+([^,.;]{3,80})", ctext, re.IGNORECASE)
    if agreed and (m is None or agreed.start() < m.start() and not _SPECIFIC_AGREEMENT.search(m.group("noun"))):
        what = agreed.group(1)
        if agreed.start(1) <= date_pos < agreed.end(1):  # leave the date out of the title
            what = what[: date_pos - agreed.start(1)]
        what = re.sub(r"\b(?:their|its|the)\s+", "", _trim_words(what, 9))
        return _tidy(f"Agreement to {what}")
    noun = _agreement_noun(m.group("noun")) if m else ("Deal" if kind == "deal" else "Agreement")
    if noun.lower().endswith("s") and noun.lower() in ("agreements", "accords", "contracts", "mous", "mocs"):
        noun = noun[:-1]
    # titles are written in English: a topic phrase in another language would make a mixed title
    topic = m.group("topic").strip() if m and m.group("topic") and english else ""
    parts = [noun]
    if topic:
        topic = _trim_words(re.sub(r"^(?:the|a|an)\s+", "", topic), 7)
        parts.append(f"on {topic}")
    orgs = _actor_names(mentions, ("company", "government", "organisation"))
    if len(orgs) >= 2:
        parts.append(("signed by " if kind == "agreement" else "between ") + _join(orgs[:2]))
    elif orgs:
        parts.append(f"with {orgs[0]}" if kind == "deal" else f"signed by {orgs[0]}")
    elif pair:
        parts.append(f"between {pair.replace('–', ' and ')}")
    title = " ".join(parts)
    figure = _FIGURE.search(ctext) if kind == "deal" else None
    if figure:
        title += f" ({figure.group(0)})"
    return title


def _visit_title(ctext, s0, s1, offset, mentions, pair, verb_final=False) -> str:
    people = [m for m in mentions if m.entity.type == "person"]
    before = [m for m in people if m.end - offset <= s0]
    possessive = [m for m in before if re.match(r"[’']s\b", ctext[m.end - offset:m.end - offset + 3])]
    visitor = (possessive or before or people or [None])[-1 if (possessive or before) else 0]
    dest = _place_after(mentions, offset + s0, types=("place", "country"))
    if not dest and verb_final:  # "한국을 국빈 방문했다": the destination comes before the verb
        before_places = [m for m in mentions if m.entity.type in ("place", "country") and m.end - offset <= s0]
        dest = before_places[-1].entity.name if before_places else ""
    if visitor is None:
        mods = _modifiers(ctext, s0)
        base = " ".join(mods + ["visit"]) if mods else "Visit"
        base = base[:1].upper() + base[1:]
        return f"{base} to {dest}" if dest else base
    name = visitor.entity.name
    return f"{name} visits {dest}" if dest else f"Visit by {name}"


def _modifiers(ctext: str, s0: int) -> list[str]:
    """Words qualifying the signal noun: 'second foreign ministerial (talks)', 'three-day state (visit)'."""
    words = re.findall(r"[\w’'-]+", re.sub(r"\([^()]*\)", " ", ctext[:s0]))[-4:]
    mods: list[str] = []
    for w in reversed(words):
        if w.lower() in _STOP_MODIFIERS or w.endswith(("’s", "'s")):
            break
        mods.insert(0, w)
    return mods


def _meeting_title(ctext, s0, s1, offset, mentions, pair) -> str:
    trig = ctext[s0:s1]
    place = _place_after(mentions, offset + s0)
    people = _actor_names(mentions, ("person",))
    between = re.search(r"\b(summit|talks|meeting|phone call|dialogue)\s+between\b", ctext, re.IGNORECASE)
    if between and len(people) >= 2:
        base = f"{between.group(1)[:1].upper() + between.group(1)[1:].lower()} between {people[0]} and {people[1]}"
        return f"{base} in {place}" if place else base
    if trig.lower() in ("met", "meets", "meeting"):
        if len(people) >= 2:
            base = f"{people[0]} meets {people[1]}"
        elif people and re.search(r"\bcounterpart\b", ctext, re.IGNORECASE):
            base = f"{people[0]} meets counterpart"
        elif people:
            base = f"Meeting with {people[0]}"
        else:
            base = "Meeting"
        return f"{base} in {place}" if place else base
    named = [m for m in _NAMED_EVENT.finditer(ctext) if m.start() <= s0 < m.end() + 1 or m.start() <= s1 <= m.end()]
    if named and len(named[0].group(1).split()) >= 2:
        base = named[0].group(1).strip()
    else:
        mods = _modifiers(ctext, s0)
        base = " ".join(mods + [trig.lower()])
        base = base[:1].upper() + base[1:]
        if len(people) >= 2 and not mods and trig.lower().startswith(("summit", "talks")):
            base = f"{base} between {people[0]} and {people[1]}"
            return f"{base} in {place}" if place else base
        if not mods and pair:
            base = f"{pair} {trig.lower()}"
    return f"{base} in {place}" if place and place not in base else base


_GROWTH = re.compile(
    r"^(?P<subj>.{3,70}?)\s+(?:has |have |had )?(?:grew|grown|rose|risen|reached|surged|increased|jumped|climbed|"
    r"fell|dropped|declined|totall?ed|hit|stood at|amounted to|accounts? for|accounted for|represented|provided)\b",
    re.IGNORECASE,
)


def _statistic_title(ctext: str, date_pos: int, mentions: list[EntityMention], offset: int) -> str:
    fig = _nearest(_FIGURE, ctext, date_pos)
    if not fig:
        return _fallback_title(ctext)
    figure = fig.group(0)
    after = ctext[fig.end():]
    of = re.match(r"\s+of\s+((?:[\w’'.-]+\s+){0,6}?[\w’'.-]+?)(?=\s+(?:and|were|was|is|are|in|by|to|from|"
                  r"through|last|this|during|for|since|on|,)\b|[,.;]|$)", after)
    lead = _LEAD_IN.sub("", ctext)
    growth = _GROWTH.match(lead)
    if of:
        owner = [m for m in mentions if m.start - offset < fig.start() and m.start - offset < 40]
        head = f"{owner[0].entity.name}: " if owner and not growth else ""
        if growth and len(growth.group("subj")) <= 45:
            head = growth.group("subj").strip() + ": "
        return head + figure + " of " + of.group(1)
    subj = growth.group("subj").strip() if growth else ""
    if not subj or len(subj) > 45:
        near = _nearest(_STAT_SUBJECT, ctext, fig.start())
        subj = near.group("s") if near else ""
    if not subj:
        return _fallback_title(ctext)
    subj = re.sub(r"^(?:the|a|an)\s+", "", subj, flags=re.IGNORECASE)
    subj = subj[:1].upper() + subj[1:]
    up = re.search(r"\b(?:grew|grown|rose|risen|increased|jumped|climbed|surged)\b", ctext, re.IGNORECASE)
    if up and re.search(r"%|percent|per cent", figure):
        return f"{subj} up {figure}"
    return f"{subj}: {figure}"


_AIM_START = re.compile(r"\b(?:aims?|aiming|targets?|targeting|goal is|strives?|plans?)\s+(?:to\s+)?(?:be\s+)?|,\s*(?:and\s+)?",
                        re.IGNORECASE)


def _target_title(ctext: str, date_pos: int, date) -> str:
    year = date.label()[:4]
    fig = _nearest(_FIGURE, ctext, date_pos)
    if fig and abs(fig.start() - date_pos) > 70:
        fig = None
    if fig:
        subj = _STAT_SUBJECT.search(ctext[fig.end():fig.end() + 40])
        what = fig.group(0) + (f" in {subj.group('s').lower()}" if subj else "")
        return f"Target: {what} by {year}"
    before = re.sub(r"\s*\bby(?: the end of)?\s*$", "", ctext[:date_pos])
    cut = max((m.end() for m in _AIM_START.finditer(before)), default=-1)
    if cut >= 0 and len(before) - cut >= 5:
        what = _trim_words(before[cut:].strip(" ,"), 10)
        return f"Target by {year}: {what}"
    return f"Target by {year}: " + _fallback_title(ctext, 70)


def _nearest(pattern: re.Pattern, s: str, pos: int):
    best = None
    for m in pattern.finditer(s):
        if best is None or abs(m.start() - pos) < abs(best.start() - pos):
            best = m
    return best


def _place_after(mentions: list[EntityMention], pos: int, types=("place",)) -> str:
    """The first place named after ``pos`` ('visit to Hanoi', 'talks in Seoul')."""
    return next((m.entity.name for m in mentions if m.entity.type in types and m.start >= pos), "")


def _trim_words(s: str, n: int) -> str:
    words = s.split()
    return " ".join(words[:n]).rstrip(",;:")


_DANGLING = {"and", "or", "as", "to", "of", "the", "a", "an", "in", "on", "at", "with", "for", "by", "that", "which",
             "while", "this", "next", "last", "from", "during", "since"}


def _tidy(title: str) -> str:
    """No title ends on a dangling word or quote: 'Agreement to seek negotiations this year and' → '... negotiations'."""
    words = title.replace('"', "").replace("“", "").replace("”", "").split()
    while len(words) > 2 and words[-1].lower().strip(",;:") in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(",;:")


_LEAD_IN = re.compile(
    r"^(?:[-–—•*\s“\"]+|(?:for example|for instance|in addition|meanwhile|however|moreover|also|as part of [^,]+|"
    r"according to [^,]+|at the same time|in [^,]{0,30}|on [^,]{0,30}|by [^,]{0,30}),\s*)+",
    re.IGNORECASE,
)


def _fallback_title(s: str, limit: int = 90) -> str:
    s = _LEAD_IN.sub("", s.strip().strip("“”\"'’‘"))
    s = s.rstrip(".,;: ")
    if len(s) > limit:
        s = s[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return s[:1].upper() + s[1:]


# ------------------------------------------------------------------------------------------------
DEDUPE_LOOK_BACK = 200


def _dedupe_within_document(cands: list[Candidate]) -> list[Candidate]:
    """The same happening stated twice in one article (headline and body) is one candidate with its first source.
    Within one article different kinds are different happenings (a visit and the talks held during it).

    A candidate is compared only with the earlier ones of its kind whose period (widened by the merge window)
    shares a month with its own, found through buckets of (kind, month), and with the latest
    :data:`DEDUPE_LOOK_BACK` of each bucket at most: a long article costs a bounded number of comparisons per
    candidate instead of one per pair of candidates (a table of thousands of rows on one day included)."""
    out: list[Candidate] = []
    buckets: dict[tuple[str, int], list[int]] = {}

    def months(c: Candidate) -> range:  # counted from January of year 0
        slack = merge_window(c.family)
        first, last = c.date.first - slack, c.date.last + slack
        return range(first.year * 12 + first.month - 1, last.year * 12 + last.month)

    for c in cands:
        seen: set[int] = set()
        dup = None
        for y in months(c):
            for i in buckets.get((c.kind, y), ())[-DEDUPE_LOOK_BACK:]:
                if i in seen or (dup is not None and i >= dup):
                    continue
                seen.add(i)
                o = out[i]
                if (o.kind not in ("meeting",) or o.detail == c.detail) and same_happening(o, c):
                    dup = i
        if dup is None:
            out.append(c)
            for y in months(c):
                buckets.setdefault((c.kind, y), []).append(len(out) - 1)
        elif rank(c.date.precision) < rank(out[dup].date.precision):
            old = out[dup]
            out[dup] = c
            for y in months(old):
                buckets[(old.kind, y)].remove(dup)
            for y in months(c):
                bucket = buckets.setdefault((c.kind, y), [])
                bisect.insort(bucket, dup)
    return out


def _specific_entities(c: Candidate) -> set[str]:
    return {e.name for e in c.entities if e.type in ("person", "company", "government", "organisation")}


def same_happening(a: Candidate, b: Candidate) -> bool:
    """Two candidates tell one happening: same family, compatible dates, sides and signature."""
    if a.family != b.family:
        return False
    if not dates_compatible(a.date.first, a.date.last, b.date.first, b.date.last, merge_window(a.family)):
        return False
    if not sides_compatible(a.sides, b.sides):
        return False
    return signature_match(a.kind, a.milestone, a.detail, _specific_entities(a), a.title,
                           b.kind, b.milestone, b.detail, _specific_entities(b), b.title)
