"""From one document's text to candidate events.

A candidate event is a clause holding a date expression and a signal of something that happened (or a dated
figure, or a target). Signals come from ``resources/event_kinds.toml``; dates from :mod:`.dates`; people and
organisations from the gazetteer (:mod:`.entities`); sectors from the taxonomy (:mod:`.sectors`).

Each date is paired with the nearest signal in its clause (each signal serves one date), so a sentence such
as "Trade has surged since diplomatic relations were established in 1992, from $500 million to $86.7 billion
in 2024" gives two events: the 1992 milestone and the 2024 trade figure. A clause with a strong signal but no
date of its own ("while LG CNS and VNPT signed an MoU ...") takes the date of its sentence, or of the
previous sentence of its paragraph when that sentence holds exactly one day-precise date.

This module walks the sentences and clauses and makes the candidates; each layer is a module of its own:

* :mod:`.signals`  — the event lexicon and where its words occur in a clause;
* :mod:`.pairing`  — which date of a clause goes with which signal;
* :mod:`.actors`   — the parties and the people acting for them;
* :mod:`.titles`   — the title, from the clause's own words;
* :mod:`.article_merging` — one happening told twice in one article is one candidate (across articles:
  :mod:`.merging`).
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass, field

from . import dates as dates_mod
from .actors import Actor, clause_actors, currency_prefix, participants, side_keys
from .article_merging import dedupe_within_article, one_transaction_a_day
from .entities import EntityMention, Gazetteer, default_gazetteer
from .merging import dates_compatible, normalise_words
from .fiscal import as_fiscal_year, start_months, story_start_month
from .relevance import about_another_partnership, article_pair, company_pair, reported_speech, within_any
from .pairing import (choose_dates, circumstance_pairs, drop_agreements_to_milestones, milestone_pairs,
                      others_dated_elsewhere, others_far_from_a_held_date, pair_dates, without_dateline,
                      year_inside_name)
from .sectors import UNCLASSIFIED, SectorTaxonomy, default_taxonomy
from .sentences import Span, paragraphs, split_clauses, split_predicates, split_sentences
from .signals import KindRule, Lexicon, Signal, default_lexicon, find_signals
from .titles import (DANGLING, FIGURE, VERB_FINAL, agreement_match, clause_title, make_title, mixed_language,
                     nearest, needs_clause_title)


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
    signal_span: tuple[int, int] | None = None  # offsets of the signal's words in the text
    # told as a happening of its own: one of a list of texts signed, or one more of the day ("On the same day,
    # the two governments signed ..."); never the others told again
    told_apart: bool = False

    @property
    def label(self) -> str:
        return self.date.label()

    @property
    def sides(self) -> frozenset[str]:
        return side_keys(self.actors)

    @property
    def evidence(self) -> Span:
        """What the event's source highlights: its clause, when its sentence tells more than this event ("...
        signed the agreement in July 2022, and it took effect on September 1, 2023"); else the sentence."""
        told = self.sentence if (self.clause.start, self.clause.end) == (self.sentence.start, self.sentence.end) \
            else self.clause
        # a figure's series is named before it ("Two-way trade, which ..., reached $4 billion in 2025"): its
        # evidence keeps the clause's head and loses only the tail ("..., according to the customs office")
        return _part_telling(told, self.date, self.signal_span, keep_head=self.kind in ("statistic", "target"),
                             encounter=self.kind in ("meeting", "visit"))


LONG_EVIDENCE = 150  # characters: a longer clause is narrowed to the part that tells the event
LONG_EVIDENCE_HANGUL = 60  # the same in Korean, which says as much in fewer characters
LONG_EVIDENCE_SHARED = 80  # the same for a clause that names a second year
_A_YEAR = re.compile(r"(?<![\d$€£.,])(?:19|20)\d{2}(?![\d%])")
_DIGIT = re.compile(r"\d")
_FIGURE = re.compile(r"(?:[$€£¥₩]\s?|\b(?:US\$|USD|EUR)\s?)\d|\d(?:[.,]\d+)?\s?(?:%|per\s?cent\b|billion\b|million\b|trillion\b|bn\b|tỷ\b|triệu\b|억|조|만)", re.IGNORECASE)
_PART_BREAK = re.compile(r",\s+|\s+[–—]\s+|;\s+")
_CIRCUMSTANCE_PART = re.compile(r"(?:as|during|while|when|after|following|before|ahead\s+of)\s", re.IGNORECASE)
_SECOND_PREDICATE = re.compile(r"\sand\s+(?:also\s+|then\s+|later\s+)?(?:[a-z]+ed|signed|sealed|inked|won|struck|set|agreed|"
                               r"will|plan(?:s|ned)?\s+to|pledged|announced|watching|witnessing|overseeing|signing)\b")
_PARTICIPLE_PART = re.compile(r"(?:and\s+)?[a-z]+ing\s+(?:to\s+)?[a-z]")


def _part_telling(told: Span, date: dates_mod.DateMention, signal: tuple[int, int] | None, *,
                  keep_head: bool = False, encounter: bool = False) -> Span:
    """The part of a long clause between the commas around its event's date and signal ("Trade between the two
    countries reached 2.4 billion euros in 2025" of "..., up 11% on the year before, according to ..."); the
    clause itself when it is short, or when the date is told elsewhere."""
    if signal is None:
        return told
    limit = LONG_EVIDENCE_HANGUL if _HANGUL.search(told.text) else LONG_EVIDENCE
    if len(told.text) <= limit and not (len(told.text) > LONG_EVIDENCE_SHARED and any(
            not date.start <= told.start + m.start() < date.end for m in _A_YEAR.finditer(told.text))):
        return told  # (a clause that names another year tells another happening too: "An agreement ..., which the
        # two countries signed in 2011, entered into force in 2013")
    a, b = min(date.start, signal[0]), max(date.end, signal[1])
    if a < told.start or b > told.end:
        return told
    if encounter and signal[0] > date.end:
        # a happening told as the circumstance of the dated one, in a part of its own (", as the president wrapped
        # up a two-day visit to Luanda"): that part
        breaks = list(_PART_BREAK.finditer(told.text, date.end - told.start, signal[0] - told.start))
        if breaks and _CIRCUMSTANCE_PART.match(told.text, breaks[-1].end()):
            left = breaks[-1].end()
            right = next((m.start() for m in _PART_BREAK.finditer(told.text, signal[1] - told.start)), len(told.text))
            if right - left >= 25:
                return Span(told.start + left, told.start + right, told.text[left:right])
    if not encounter and not keep_head and signal[0] > date.end:
        # a second predicate told after the dated one ("... raised their ties on Wednesday and signed a three-year
        # wheat supply deal, as ..."): from its "and" to the end of its part
        joins = [m for m in _SECOND_PREDICATE.finditer(told.text, date.end - told.start, signal[0] - told.start)
                 if not _PART_BREAK.search(told.text, m.end(), signal[0] - told.start)]
        if joins:
            left = joins[-1].start() + 1
            right = next((m.start() for m in _PART_BREAK.finditer(told.text, signal[1] - told.start)), len(told.text))
            if right - left >= 25:
                return Span(told.start + left, told.start + right, told.text[left:right])
    if keep_head:
        # and the figure itself, when it follows ("set a target ... by 2030, with a target of $150 billion")
        rest = told.text[:b - told.start]
        if not _DIGIT.search(rest[:date.start - told.start] + rest[date.end - told.start:]):
            figure = _DIGIT.search(told.text, b - told.start)
            if figure is None:
                return told
            b = told.start + figure.end()
    left, right = 0, len(told.text)
    breaks = list(_PART_BREAK.finditer(told.text))
    if _HANGUL.search(told.text):  # "공장은 다음 달 착공해 2027년 하반기부터 ... 생산할 계획이다": two predicates
        breaks = sorted(breaks + list(_KO_PREDICATE_BREAK.finditer(told.text)), key=lambda m: m.start())
    else:  # "arrived in Ahmedabad on Monday and on Tuesday sat with Modi ...": a second predicate with its own date
        breaks = sorted(breaks + list(_DATED_SECOND_PREDICATE.finditer(told.text)), key=lambda m: m.start())
    for m in breaks:
        if m.end() <= a - told.start:
            left = m.end()
        elif m.start() >= b - told.start:
            right = m.start()
            break
    if keep_head and not _PARTICIPLE_PART.match(told.text, left) and (
            not _FIGURE.search(told.text, 0, left) or right - left < 40):
        left = 0  # (a participle part names its own series: "held talks ..., agreeing to lift trade to $30 billion";
        # a head with a figure of its own tells another one: "Trade reached $1.9 billion last year, ..., far below
        # the $4.3 billion recorded in 2014")
    # (Korean says in a dozen syllables what English says in thirty letters: "오는 2028년 말 완공이 목표다")
    if right - left < (12 if _HANGUL.search(told.text, left, right) else 20 if len(told.text) <= limit else 30):
        return told
    return Span(told.start + left, told.start + right, told.text[left:right])


_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# " and on Tuesday ...", " and in March ...": the join to a second predicate told with a date of its own
_DATED_SECOND_PREDICATE = re.compile(r"\s+and\s+(?:then\s+|later\s+)?(?=(?:on|in|last|next|early|late)\s+(?-i:[A-Z0-9]))")
# the end of a Korean predicate joined to the next by a connective ending: "착공해 ", "체결하고 ", "가동하며 "
_KO_EVENT_NOUNS = ("착공", "완공", "준공", "체결", "시작", "개시", "가동", "합의", "설립", "출범", "서명", "투자", "인수",
                   "수주", "개설", "취항", "개통", "출시", "도입")
_KO_PREDICATE_BREAK = re.compile("|".join(
    [f"(?<={n}해)\\s+" for n in _KO_EVENT_NOUNS] + [f"(?<={n}하고)\\s+" for n in _KO_EVENT_NOUNS]
    + [f"(?<={n}하며)\\s+" for n in _KO_EVENT_NOUNS]))


# ------------------------------------------------------------------------------------------------
_QUESTION = re.compile(r"\?[\"'”’)]*\s*$")
_FUTURE = re.compile(
    r"\b(?:will|shall|is|are) (?:be )?(?:expected|scheduled|set|going|slated|due|planned)\b|\bwill\b|\bplans? to\b|"
    r"\bupcoming\b|\bforthcoming\b|\baims?\b|\btarget",
    re.IGNORECASE,
)


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
        if not year_inside_name(text, d)
    ]
    # Undated: the reference is a guess (the latest year named), so a date told relative to it ("earlier this
    # year") is unknown; one told relative to another date of the text ("later that year") is not. The relative
    # dates that stay the same against another guess are those (found only for undated texts).
    told_by_the_text = None
    if published is None and reference is not None:
        told_by_the_text = {(d.start, d.end, d.first, d.last) for d in dates_mod.find_dates(
            text, reference=reference.replace(year=reference.year - 7), reference_precision=reference_precision,
            language=language) if d.relative}
    mentions = _with_short_names(text, [m for m in gazetteer.find(text) if not currency_prefix(text, m)])
    doc_countries = _main_countries(mentions)
    pair = article_pair(mentions), company_pair(text, mentions, gazetteer)
    title_countries = _title_countries(mentions, pair[0])
    fiscal_month = story_start_month(pair[0])
    if fiscal_month is not None:  # "trade in 2023-24" in a story of Pakistan: July 2023 to June 2024
        all_dates = [as_fiscal_year(d, text, fiscal_month) for d in all_dates]
    elif len(pair[0]) == 2:
        all_dates = [_fiscal_year_of_the_side_named(d, text, mentions, pair[0]) for d in all_dates]
    speech = reported_speech(text)  # quotations and commentary: their dates date no happening
    speech_starts = [a for a, _ in speech]  # the sides of the story, for its other partnerships
    demonyms = gazetteer.may_hold_demonyms(text)  # else no clause of it names a side by its demonym
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
    sector_texts: dict[int, tuple[str, str]] = {}  # id of a candidate -> the texts its sectors are read from
    # The day of the previous sentence: "South Korea and Vietnam on Tuesday agreed ... / Foreign Minister Park
    # Jin held talks with his counterpart in Hanoi" (news puts one sentence per line, so this crosses lines).
    previous_day_date: dates_mod.DateMention | None = None
    previous_families: set[str] = set()
    previous_kinds: set[str] = set()  # the kinds told in that sentence
    # The dates of the story's latest meeting and visit: "After the talks, the two governments signed ..."
    latest_happening: list[tuple[str, dates_mod.DateMention, str]] = []  # kind, date, the words telling it
    # The day of a list of texts signed ("The documents signed on Tuesday include: / - a memorandum on ...;"):
    # each item is one of them, signed that day
    list_date: dates_mod.DateMention | None = None
    # the day of the latest happening told to the day: what "the same day" of a later sentence means
    last_event_day: dates_mod.DateMention | None = None
    last_event_at = 0  # where the sentence telling it starts
    lede_day: dates_mod.DateMention | None = None  # the day of the first happening told to the day
    families_told: set[str] = set()  # the families of every candidate so far
    corrected_days: dict[tuple[int, int], dt.date] = {}  # relative days set right since the finder read them
    for para in paragraphs(text):
        if para.start > 0 and _SECTION_HEADING.fullmatch(para.text.strip()):
            continue  # "THURSDAY - Talks in Phnom Penh", "BACKGROUND": a heading names what its section tells
        if lexicon.turns_to_home_affairs(para.text):
            continue
        for sentence in split_sentences(text, para.start, para.end):
            if sentence.start > para.start and lexicon.turns_to_home_affairs(sentence.text):
                continue  # "... At home, his government is preparing for budget hearings": that sentence's own affairs
            lo, hi = bisect.bisect_left(date_starts, sentence.start), bisect.bisect_left(date_starts, sentence.end)
            s_dates = without_dateline([d for d in all_dates[lo:hi] if d.end <= sentence.end], text, sentence)
            if not s_dates and _UNDER_ITS_TERMS.match(sentence.text):
                continue  # "Under the settlement, signed in Taipei, Kaiyuan will pay ...": the terms of what was
                # told, no happening of their own (a date of their own, "deliveries start in 2027", is one)
            item_date = list_date if list_date is not None and _LIST_ITEM.match(sentence.text) else None
            list_date = None
            referred, referred_date = None, None
            # a sentence with no date of its own may open by pointing at a happening told ("After the talks, ...")
            opening = lexicon.reference_opening(sentence.text) if not s_dates else None
            if opening is not None and (latest_happening or last_event_day is not None):
                referred = opening[0]
                referred_date = _happening_pointed_at(latest_happening, referred, _pointer_noun(sentence.text))
                if referred_date is not None and referred == "visit":
                    referred_date = _day_of_the_visit(referred_date, sentence.text[opening[1]:opening[2]])
                if referred_date is None and last_event_day is not None \
                        and _THE_SAME.search(sentence.text, opening[1], opening[2]):
                    # "At the same meeting, ..." after a settlement signed that day: the same day, whatever the
                    # happening told was called
                    referred_date = last_event_day
            pointer_spans: list[tuple[int, int]] = []
            if s_dates and latest_happening and not referred:
                s_dates, pointer_spans = _with_pointer_date(s_dates, sentence, latest_happening, lexicon)
            if last_event_day is not None and s_dates:
                s_dates = _same_day_as_the_story(s_dates, last_event_day, last_event_at, all_dates, hi, reference,
                                                 lede_day, text, corrected_days)
                if lede_day is not None and sentence.start == para.start:
                    s_dates = _same_day_after_a_background(s_dates, lede_day, sentence.start)
            told_again: list[tuple[int, int]] = []  # "the signing" of "on the eve of the signing"
            if latest_happening:
                s_dates, told_again = _with_event_offsets(s_dates, sentence, latest_happening, reference)
                told_again += pointer_spans
                # "이날 협상에서 양측은 ... 논의했다", "협상과 같은 날 ...": the talks of that day, told again
                for at_it in (_KO_AT_THE_TALKS_THAT_DAY.match(sentence.text), _KO_SAME_DAY_AS.search(sentence.text)):
                    if at_it:
                        told_again.append((sentence.start + at_it.start("noun"), sentence.start + at_it.end("noun")))
            if not s_dates and opening is not None and (referred_date is not None or _THE_SAME.search(
                    sentence.text, opening[1], opening[2])):
                # "At the same meeting, the companies signed a licence ...": the pointer's words tell the happening
                # pointed at, told already, not one of this sentence ("After their talks, ..." with no talks told
                # before is the only telling of the talks)
                told_again.append((sentence.start + opening[1], sentence.start + opening[2]))
            if _LIST_HEAD.search(sentence.text):
                # (a head with no day of its own nor one just told: the texts were signed on the story's day,
                # the day of its latest happening told to the day: "the following documents were exchanged:")
                list_date = _list_date(sentence, s_dates, referred_date, previous_day_date or last_event_day, lexicon)
            if item_date is not None:
                list_date = item_date  # the list goes on
            if previous_day_date is not None and lede_day is not None and sentence.start == para.start \
                    and previous_day_date.first < lede_day.first - _BACKGROUND_GAP:
                previous_day_date = None  # a background day, weeks before the story's, dates nothing of a new paragraph
            if not s_dates and referred_date is None and lede_day is not None and _THE_PAIR_ALSO.match(sentence.text) \
                    and (previous_day_date is None or sentence.start == para.start):
                # "The countries also agreed to extend ...", "The leaders also launched ...", opening a paragraph or
                # told after a quote or a plan: one more happening of the story's occasion, its first day
                previous_day_date = lede_day
            elif not s_dates and previous_day_date is None and referred_date is None and last_event_day is not None \
                    and _ONE_OF_THEM.match(sentence.text):
                # "The largest of the agreements sets up a fund ..." after a quote: one of the texts just told, of
                # the day told last (or of the story's first day, when that is a background one, weeks before it)
                previous_day_date = last_event_day if lede_day is None \
                    or last_event_day.first >= lede_day.first - _BACKGROUND_GAP else lede_day
            if not s_dates and previous_day_date is None and referred_date is None and item_date is None:
                continue  # no date its clauses could carry (and nothing it tells dates the next sentence)
            if _QUESTION.search(sentence.text):
                previous_day_date = None
                continue
            families: set[str] = set()
            kinds_told: set[str] = set()
            clauses = split_clauses(text, sentence, language)
            if language == "en" and len(s_dates) > 1:
                clauses = [part for clause in clauses for part in split_predicates(
                    text, clause, [d.start for d in s_dates if clause.start <= d.start < clause.end])]
            sentence_dates = choose_dates(s_dates)
            for clause in clauses:
                if clause.start == sentence.start and clause.end == sentence.end:
                    c_dates = sentence_dates  # the dates of a clause that is its whole sentence are the sentence's
                else:
                    c_dates = choose_dates([d for d in s_dates if d.start >= clause.start and d.end <= clause.end])
                if not c_dates and not sentence_dates and previous_day_date is None and referred_date is None \
                        and item_date is None:
                    continue  # no date this clause could carry
                signals = find_signals(clause.text, clause.start, lexicon)
                if signals and candidates and not _A_SIGNING_VERB.search(clause.text) and not _FUTURE.search(clause.text) \
                        and not _STEP_TO_COME.search(clause.text):
                    # "The Treasury had published the conditions attached to the loan the previous day": the loan
                    # told already, named by another happening's clause, is no new deal
                    signals = [g for g in signals if not (
                        g.kind in ("agreement", "deal") and lexicon.family(g.kind) in families_told
                        and _THE_TEXT_TOLD.fullmatch(text, max(clause.start, g.start - 30), g.end))]
                if signals and told_again:
                    # "on the eve of the signing": the signing is told already, its words date another happening
                    signals = [g for g in signals if not any(a <= g.start < b for a, b in told_again)]
                if not signals:
                    continue
                if item_date is not None and clause.start == clauses[0].start:
                    head = _item_head(signals, sentence)
                    if head is not None:
                        cand = _make_candidate(
                            text, sentence, clause, item_date, head, spans, doc_countries, lexicon, reference,
                            ref_confidence, True, language, gazetteer, demonyms=demonyms, pair=pair,
                            title_countries=title_countries)
                        if cand is not None:
                            cand.told_apart = True
                            cand.title = _item_title(sentence.text) or cand.title
                            candidates.append(cand)
                            families_told.add(cand.family)
                            families.add(cand.family)
                            kinds_told.add(cand.kind)
                            sector_texts[id(cand)] = (clause.text, sentence.text)
                        signals = [s for s in signals if s is not head]
                if item_date is not None and not c_dates:
                    continue  # the rest of an item without a date of its own is what the text signed holds
                inherited = one_of_them = before = another = False
                if not c_dates:
                    # Second half of "in 2025, KT and Viettel signed ..., while LG CNS and VNPT signed ...".
                    strong = [s for s in signals if s.kind in _STRONG_KINDS]
                    if not strong:
                        continue
                    source_dates = [d for d in sentence_dates if d.end <= clause.start]
                    if not source_dates and referred_date is not None:
                        # "After the talks, ...": the talks' day, for what else happened then (the talks told
                        # again are not a new happening, and what one side urges the other to do has not happened)
                        # ("Before the talks, the two prime ministers co-chaired the joint cabinet meeting": what
                        # came before them is another happening, of whatever family)
                        before = _BEFORE_IT.match(sentence.text) is not None
                        # "At the signing ceremony, the two ministries signed an agreement on training": a ceremony
                        # holds more signings than the one told
                        before = before or referred == "agreement" and _AT_THE_CEREMONY.match(sentence.text) is not None
                        pointer_end = sentence.start + max(sentence.text.find(","), 0)  # "Before the talks,"
                        # ("On the second day, he held talks with ...": a day of the visit, whose talks are new)
                        day_of_it = _NTH_DAY.search(sentence.text, opening[1], opening[2]) is not None
                        signals = [s for s in signals
                                   if (before and s.start > pointer_end
                                       or lexicon.family(s.kind) != lexicon.family(referred)
                                       or day_of_it and s.kind != referred)
                                   and not _REQUESTED.search(text, clause.start, s.start)]
                        if not any(s.kind in _STRONG_KINDS for s in signals):
                            continue
                        source_dates = [referred_date]
                        # "같은 자리에서 … 양해각서(MOU)도 교환했다": one more text of the occasion pointed at
                        another = _ANOTHER_HAPPENING.search(clause.text) is not None
                    elif not source_dates and previous_day_date is not None and (not sentence_dates or (
                            clause is clauses[0] and all(d.start >= clause.end for d in sentence_dates)
                            and ";" in text[clause.end - 1:min(d.start for d in sentence_dates)]
                            and (reference is None or previous_day_date.first.year >= reference.year - 1))):
                        # (and the first clause of a sentence whose dates are all past a semicolon: "Tại đây, X dự
                        # kiến ký ... hợp đồng đóng hai tàu; chiếc thứ nhất sẽ được hạ thủy vào năm 2028")
                        # a sentence that goes on about the happening just told ("In the dialogue, ...") is
                        # not a new one: only signals of another family may take the previous day
                        # "also agreed to"; "The largest of the agreements ...": one of a batch just told
                        # ("Among them, X will supply ..., and Y agreed to ...": each clause is one of them)
                        one_of_them = _ONE_OF_THEM.match(clause.text if clause is clauses[0] else sentence.text) \
                            is not None
                        another = one_of_them or _ANOTHER_HAPPENING.search(clause.text) is not None
                        if reference is not None and previous_day_date.first <= reference \
                                and _FUTURE.search(clause.text) and not one_of_them:
                            # "A delegation is expected to visit Callao in the coming weeks": still to come
                            signals = [s for s in signals if s.kind not in _ENCOUNTER_KINDS]
                        # (talks after an arrival are held on the visit, not the visit told again: "Chinh arrived
                        # in Tokyo on Monday. He held talks with Ishiba at the Kantei.")
                        signals = [s for s in signals
                                   if (another or lexicon.family(s.kind) not in previous_families
                                       or s.kind == "meeting" and previous_kinds == {"visit"})
                                   and not (_BACK_REFERENCE.search(text, max(0, s.start - 8), s.start)
                                            and not _ATTENDED.search(text, max(0, s.start - 40), s.start))]
                        if not any(s.kind in _STRONG_KINDS for s in signals):
                            continue
                        source_dates = [previous_day_date]
                    elif source_dates and reference is not None and source_dates[-1].last < reference \
                            and _HAVE_KEPT.search(clause.text):
                        continue  # "established relations in 1992, ..., and Ramaphosa's trips to Japan have kept
                        # ties warm": a state since, not a happening of that year
                    elif source_dates and reference is not None and source_dates[-1].first > reference \
                            and _PERFECT.search(clause.text):
                        continue  # "Output is to begin in 2028, and Sumire has agreed to take half of it": what is
                        # done is not dated by the day still to come of the clause before
                    elif source_dates:
                        # "..., and the visit produced the deals ...": the happening just told, told again
                        signals = [s for s in signals if not (
                            s.kind in _ENCOUNTER_KINDS and _BACK_REFERENCE.search(text, max(0, s.start - 8), s.start)
                            and lexicon.family(s.kind) in previous_families | families)]
                        if not any(s.kind in _STRONG_KINDS for s in signals):
                            continue
                    if len({(d.first, d.last) for d in source_dates}) != 1:
                        continue
                    c_dates, inherited = [source_dates[-1]], True
                # A milestone does not use up its date: "agreed to establish a comprehensive strategic
                # partnership during a summit in Seoul on Monday" is both the upgrade and the summit.
                limit = None if inherited or len(c_dates) == 1 else 140
                clause_arg = None if inherited else clause
                milestones = [s for s in signals if s.kind == "milestone"]
                others = [s for s in signals if s.kind != "milestone"]
                other_pairs = pair_dates(c_dates, others, limit=limit, clause=clause_arg, language=language, text=text)
                pairs = milestone_pairs(
                    pair_dates(c_dates, milestones, limit=limit, clause=clause_arg, language=language), other_pairs
                )
                pairs += others_far_from_a_held_date(pairs, other_pairs)
                pairs = drop_agreements_to_milestones(text, pairs)
                pairs = _one_target_per_horizon(text, pairs)
                pairs += circumstance_pairs(text, clause, pairs, others)
                # "Tokayev, who arrived on Monday, watched as ministers signed ...": the day of a clause told about
                # the subject is not the predicate's, which goes on from the day told before
                one_more = _ANOTHER_HAPPENING.search(clause.text) is not None
                story_day = [] if inherited or previous_day_date is None or language in VERB_FINAL else [
                    s for s in others_dated_elsewhere(text, clause, c_dates, others, pairs, one_more=one_more)
                    if s.kind in _STRONG_KINDS and (one_more or lexicon.family(s.kind) not in previous_families)]
                story_day = [s for i, s in enumerate(story_day) if s.kind not in {g.kind for g in story_day[:i]}]
                pairs += [(previous_day_date, s) for s in story_day]
                for date, signal in pairs:
                    focus = clause if len(pairs) == 1 else _focus(clause, date, signal)
                    cand = _make_candidate(
                        text, sentence, clause, date, signal, spans, doc_countries, lexicon,
                        reference, ref_confidence, inherited or signal in story_day, language, gazetteer,
                        demonyms=demonyms, pair=pair, title_countries=title_countries,
                    )
                    if cand is not None and told_by_the_text is not None and date.relative \
                            and (date.start, date.end, date.first, date.last) not in told_by_the_text:
                        cand = None  # "earlier this year" in an undated text: which year, the text does not say
                    if cand is not None and cand.kind != "milestone" and speech and (
                            within_any(speech, speech_starts, date.start, date.end)
                            or within_any(speech, speech_starts, signal.start, signal.end)):
                        cand = None  # a date in a quotation or a commentator's remark dates an opinion; the
                        # relationship's milestones a speaker recalls ("we upgraded our ties in 2022") stay
                    if cand is not None:
                        if one_of_them or before or another or one_more and signal in story_day \
                                or _ALSO_ON_THE_DAY.fullmatch(text, clause.start, date.start) or _SAME_DAY_AS.fullmatch(date.text.strip()) or \
                                _AT_THE_SAME.fullmatch(date.text.strip()) or \
                                _ONE_MORE_THAT_DAY.fullmatch(date.text.strip()) and (
                                date.start - clause.start <= 3 or _A_FIELD_FIRST.fullmatch(text, clause.start, date.start)
                                or _ANOTHER_HAPPENING.search(clause.text)
                                or _A_NEW_TEXT.match(clause.text)):
                            cand.told_apart = True
                        candidates.append(cand)
                        families_told.add(cand.family)
                        families.add(cand.family)
                        kinds_told.add(cand.kind)
                        if cand.date.precision == "day" and not cand.date.is_range and not (
                                reference is not None and cand.date.first > reference) and not (
                                cand.kind == "visit" and any(d.precision == "day" and d.first != cand.date.first
                                                             for d in sentence_dates)):
                            # (a visit told from its first day to its last, "arrived on the 20th and leaves on
                            # the 24th", is no one day a later "the same day" could mean)
                            last_event_day, last_event_at = cand.date, sentence.start
                            lede_day = lede_day or cand.date
                        if cand.kind in ("meeting", "visit", "agreement", "deal", "opening"):
                            latest_happening.append((cand.kind, cand.date, cand.signal.lower()))
                        if cand.kind != "meeting" and cand.date.precision == "day" \
                                and _TALKS_AS_CIRCUMSTANCE.search(clause.text):
                            latest_happening.append(("meeting", cand.date, "talks"))  # "... adopted after the talks"
                        sector_texts[id(cand)] = (focus.text, sentence.text)
            days = [d for d in sentence_dates if d.precision == "day" and not d.is_range]
            if not sentence_dates and families:
                # a sentence dated by the happening it points back at ("After the talks, the two leaders signed
                # ...") dates the next one as its own day would ("The two sides also signed ...")
                here = sentence.start
                days = [c.date for c in itertools.takewhile(lambda c, here=here: c.sentence.start == here,
                                                            reversed(candidates))
                        if c.date.precision == "day" and not c.date.is_range]
            if sentence_dates or families:
                if not days and previous_day_date is not None and sentence_dates and (not families or all(
                        d.is_range and d.first <= previous_day_date.first <= d.last for d in sentence_dates)):
                    pass  # "..., who is paying a visit from 3 to 6 March.", "... support since the 1990s.": the
                    # day told before goes on (a date that dates no happening does not move the story)
                elif days and previous_day_date is not None and sentence_dates and all(
                        _APPOSITIVE_BACKGROUND_BEFORE.search(text, max(sentence.start, d.start - 60), d.start)
                        for d in sentence_dates):
                    pass  # "..., in the year of the anniversary of relations, established on September 21, 1973.":
                    # a day of the background told in passing; the story's day goes on
                else:
                    previous_day_date = days[0] if len({(d.first, d.last) for d in days}) == 1 else None
                previous_families, previous_kinds = families, kinds_told
    boilerplate = _press_release_boilerplate(text)
    if boilerplate is not None:  # "About Verdane Pharma / Founded in 1932, ...": the issuer's profile, no news
        candidates = [c for c in candidates if c.sentence.start < boilerplate]
    kept = one_transaction_a_day(dedupe_within_article(_drop_signings_of_milestones(
        text, _drop_states_told_by_their_start(text, _drop_restated_upgrades(candidates)))))
    for cand in kept:  # sectors are not part of telling one happening from another: only the kept need them
        cand.sectors = _sectors(classify, *sector_texts[id(cand)])
    _story_sectors(kept)
    if pair[0] and len(pair[1]) != 2:
        _encounters_are_diplomacy(kept, taxonomy)
    return kept


_DIPLOMATIC_KINDS = ("meeting", "visit", "milestone")

# "established relations in 1897, when they signed a Treaty of Friendship": the signing that made the milestone
_WHEN_THEY_SIGNED = re.compile(r"[^.;]{0,40}?,\s+when\s+(?:they|both(?:\s+sides|\s+countries)?|the\s+two\s+"
                               r"(?:countries|nations|sides|governments|states))\s+$", re.IGNORECASE)


def _drop_states_told_by_their_start(text: str, cands: list[Candidate]) -> list[Candidate]:
    """"The companies have collaborated since June 2021, when Verdane licensed ...": the work together since a date
    and the happening its "when" clause tells are one start; the happening is kept."""
    out = []
    for c in cands:
        if c.kind == "cooperation" and _SINCE.search(text[max(0, c.date.start - 12):c.date.start]) and any(
                o is not c and o.sentence.start == c.sentence.start and o.signal_span[0] >= c.date.end
                and (o.date.first, o.date.last) == (c.date.first, c.date.last) for o in cands):
            continue
        out.append(c)
    return out


def _drop_signings_of_milestones(text: str, cands: list[Candidate]) -> list[Candidate]:
    """A treaty whose signing is how the milestone told just before it happened is that milestone, not an
    agreement of its own."""
    milestones = [c for c in cands if c.kind == "milestone"]
    if not milestones:
        return cands
    return [c for c in cands if not (c.kind == "agreement" and any(
        (m.date.first, m.date.last) == (c.date.first, c.date.last)
        and 0 <= c.signal_span[0] - m.signal_span[1] <= 80
        and _WHEN_THEY_SIGNED.match(text, m.signal_span[1], c.signal_span[0]) for m in milestones))]


def _encounters_are_diplomacy(cands: list[Candidate], taxonomy: SectorTaxonomy) -> None:
    """In a story of two countries, their talks, visits and milestones are diplomacy, whatever else they are
    about ("the trade and investment dialogue" is trade, investment and diplomacy)."""
    if DIPLOMACY not in taxonomy.keys():
        return
    order = {k: i for i, k in enumerate(taxonomy.keys())}
    for cand in cands:
        if cand.kind in _DIPLOMATIC_KINDS and DIPLOMACY not in cand.sectors:
            cand.sectors = sorted([s for s in cand.sectors if s != UNCLASSIFIED] + [DIPLOMACY],
                                  key=lambda k: order.get(k, len(order)))


# The closing sections of a press release: the issuers' profiles, the legal notice, the contacts
_BOILERPLATE_HEADING = re.compile(
    r"^[ \t]*(?:About\s+(?-i:[A-Z])[^\n.!?]{1,60}|Forward[- ]looking\s+statements?|Safe\s+harbou?r(?:\s+statement)?"
    r"|(?:Media|Press|Investor)(?:\s+relations)?\s+contacts?|Contacts?|Notes?\s+to\s+(?:the\s+)?editors?)[ \t]*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE)
_BOILERPLATE_FROM = 0.4  # of the text: a heading that early is the story's own ("About the deal")


def _press_release_boilerplate(text: str) -> int | None:
    """Where a press release's closing sections begin ("About Verdane Pharma", "Forward-looking statements",
    "Media contacts" on a line of their own, in the last part of the text), or None."""
    m = _BOILERPLATE_HEADING.search(text, int(len(text) * _BOILERPLATE_FROM))
    return m.start() if m else None


def _happening_pointed_at(told: list[tuple[str, dates_mod.DateMention, str]], kind: str,
                          noun: str | None = None) -> dates_mod.DateMention | None:
    """The date of the happening "the talks", "the visit" or "the documents signed" points at: the latest told to
    the day by the same word ("At the talks" after talks and a business council: the talks), else the latest of
    that kind told to the day (the story's own, not one recalled in a background paragraph), else (talks and
    visits) of the other kind, else the latest of that kind told; None when the story has told none."""
    if noun:
        for _kind, date, word in reversed(told):
            if noun in word and date.precision == "day":
                return date
    related = _GATHERINGS if kind in _GATHERINGS else _SIGNINGS if kind in _SIGNINGS else (kind,)
    first = related if kind in _SIGNINGS else (kind,)  # a loan signed is as much "the signing" as a treaty
    for wanted, to_the_day in ((first, True), (related, True), (first, False), (related, False)):
        for k, date, _word in reversed(told):
            if k in wanted and (not to_the_day or date.precision == "day"):
                return date
    return None


_NTH_DAY = re.compile(r"\b(?P<n>first|second|third|final|last|opening|closing)\s+day\b", re.IGNORECASE)
_NTH_DAY_OFFSET = {"first": 0, "opening": 0, "second": 1, "third": 2, "final": -1, "last": -1, "closing": -1}


def _day_of_the_visit(visit: dates_mod.DateMention, pointer: str) -> dates_mod.DateMention | None:
    """The day a pointer such as "On the second day of his visit" names, counted in the visit pointed at: a day of
    its span, or the days after the one day it was told by; None when the visit's dates cannot tell it (its
    last day when only its first was told, a visit known to its month). Other pointers: the visit's date."""
    m = _NTH_DAY.search(pointer)
    if m is None:
        return visit
    if visit.precision != "day":
        return None
    n = _NTH_DAY_OFFSET[m["n"].lower()]
    if n < 0:
        day = visit.last if visit.is_range else None
    else:
        day = visit.first + dt.timedelta(days=n)
        day = day if not visit.is_range or day <= visit.last else None
    return None if day is None else dataclasses.replace(visit, first=day, last=day, is_range=False, parts=())


_GATHERINGS = ("meeting", "visit")  # talks are held during a visit: "after the talks" may point at either
# the word a pointing opening names its happening by: "At the talks, ...", "After the summit, ..."
_POINTER_NOUN = re.compile(r"\W*(?:[\w'’-]+\s+){1,5}?(?P<noun>talks|summit|forum|dialogue|consultations|banquet|dinner"
                           r"|ceremony|signing|visit|trip)\b"
                           # "정상회담 직후 ...", "두 정상은 회담 뒤 ...": the summit, not the forum told since
                           r"|\W*(?:[^\s,.]+\s+){0,2}?(?P<ko>정상회담|회담|포럼|면담|통화)\s*(?:직후|후|뒤|이후|에\s*앞서)",
                           re.IGNORECASE)
_SIGNINGS = ("agreement", "deal")  # "the signing" of a loan or of a memorandum


def _pointer_noun(sentence: str) -> str | None:
    """The noun a sentence's opening points with ("After the talks" → "talk", "정상회담 직후" → "정상회담")."""
    m = _POINTER_NOUN.match(sentence)
    if m is None:
        return None
    return m["noun"].lower().rstrip("s") if m["noun"] else m["ko"]

# A day told by its distance from a happening the story has told to the day: "met the president on the eve of the
# signing", "a day before the summit", "two days after the talks", "hours before the ceremony"
_EVENT_OFFSET = re.compile(
    r"\b(?:on\s+)?(?:the\s+)?(?:(?P<eve>eve)|(?:a|the|one)\s+day\s+(?P<day>before|after)|(?P<n>two|three|2|3)\s+days\s+"
    r"(?P<ndir>before|after)|(?P<wn>a|one|two|2)\s+weeks?\s+(?P<wdir>before|after)"
    r"|(?:hours|shortly|just|minutes)\s+(?P<same>before|after))\s+(?(eve)of\s+)"
    r"(?:(?:the|their|its|his|her)\s+(?:[\w-]+\s+){0,2}?(?P<noun>signing|ceremony|talks|summit|meeting|session|"
    r"consultations|visit|trip)|(?P<arrival>landing|arriving|his\s+arrival|her\s+arrival|the\s+arrival))\b", re.IGNORECASE)
_OFFSET_FROM_SUBJECT = re.compile(
    r"\s*(?:The|This|That|Its|Their)\s+(?P<noun>signing|ceremony|talks|summit|meeting|session|visit)\s+(?:came|took\s+place|"
    r"was\s+held|followed|happened)\s+(?P<n>a|one|two|three)\s+days?\s+(?P<dir>after|before)\b")
_DAYS_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3}
# the same in Korean: "회담 이틀 뒤에는 부산에서 열리는 포럼에 참석한다" (two days after the talks)
_EVENT_OFFSET_KO = re.compile(r"(?P<noun>정상회담|회담|회의|서명식|방문|준공식|개소식|착공식)\s*"
                              r"(?P<n>하루|이틀|사흘|나흘|[1-4]\s*일)\s*(?P<dir>뒤|후|전|앞)")
_KO_DAYS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4}
# "이날 협상에서 ...", "같은 날 회담에서 ...": at the talks of the day just told
_KO_SAME_DAY_AS = re.compile(r"(?P<noun>협상|회담|회의|정상회담)(?:과|와)\s*같은\s*날")
_KO_AT_THE_TALKS_THAT_DAY = re.compile(r"\W*(?:이날|같은\s*날)\s*(?P<noun>협상|회담|회의|정상회담)(?:에서|에\s*서는|에서는)")
_KO_NOUN_KIND = {"정상회담": "meeting", "회담": "meeting", "회의": "meeting", "협상": "meeting", "서명식": "agreement",
                 "방문": "visit", "준공식": "opening", "개소식": "opening", "착공식": "opening"}
# "On the same day as the credit line, ...": the day of the happening named, not of the last day told
_SAME_DAY_AS = re.compile(
    r"\b(?:on\s+)?(?:the\s+)?same\s+day\s+as\s+(?:the|their|its|his|her|this|that)\s+(?:[\w-]+\s+){0,2}?"
    r"(?P<noun>credit\s+lines?|loans?|deals?|contracts?|agreements?|accords?|memorand(?:um|a|ums)|treat(?:y|ies)|pacts?"
    r"|signing|ceremony|talks|summit|meeting|session|visit|trip|forum)\b", re.IGNORECASE)
_SAME_DAY_AS_KIND = {"credit line": "deal", "loan": "deal", "deal": "deal", "contract": "deal", "visit": "visit",
                     "trip": "visit", "talks": "meeting", "summit": "meeting", "meeting": "meeting",
                     "session": "meeting", "forum": "meeting"}
_EVENT_NOUN_KIND = {"signing": "agreement", "ceremony": "agreement", "visit": "visit", "trip": "visit"}
# "Money for a railway was signed for at the same ceremony": the day of the happening named, told before
_AT_THE_SAME = re.compile(r"\b(?:at|during|in)\s+the\s+same\s+(?P<noun>ceremony|signing|event|occasion|summit|meeting|"
                          r"talks|forum|session)\b", re.IGNORECASE)


# "On the same day, ...", "Cùng ngày, ...", "같은 날 ...": a clause opening so tells one more happening of that day
_ONE_MORE_THAT_DAY = re.compile(r"(?i:(?:on\s+)?(?:that\s+|the\s+)same\s+day|(?:hours|minutes|moments)\s+(?:later|earlier)"
                                r"|cùng\s+ngày)|같은\s*날")
# "the same day", "that day", "cùng ngày", "같은 날": the day of the happening just told
_SAME_DAY = re.compile(r"(?i:(?:on\s+|later\s+)?(?:the\s+same|that)\s+(?:day|morning|afternoon|evening|night)|(?:chiều|sáng|tối|trưa)?\s*cùng\s+ngày|(?:ngày\s+)?hôm\s+đó)"
                       r"|같은\s*날|이날")


# how far before the story's first day a day told since must lie to be background, not the story's days
_BACKGROUND_GAP = dt.timedelta(days=7)


def _same_day_after_a_background(s_dates: list, lede_day: dates_mod.DateMention, opening: int) -> list:
    """A paragraph that opens with "the same day" after a paragraph of background ("Last month the defence ministries
    met on the 20th. / 보건 분야에서는 같은 날 ...") goes back to the story's day, not to the background's: the day
    told last is weeks before the first day the story told (``opening``: where the paragraph starts)."""
    return [dataclasses.replace(d, first=lede_day.first, last=lede_day.first)
            if d.relative and d.precision == "day" and not d.is_range and _SAME_DAY.fullmatch(d.text.strip())
            and d.first < lede_day.first - _BACKGROUND_GAP and d.start - opening <= _OPENING_WORDS else d for d in s_dates]


# the field a clause turns to, before its "the same day": "보건 분야에서는 같은 날", "In health, the same day"
_A_FIELD_FIRST = re.compile(r"\W*(?:[가-힣·\s]{1,16}(?:분야|부문)에서(?:는|도)|(?:In|On)\s+(?:the\s+)?[a-z]+(?:\s+[a-z]+)?,"
                            r"|(?:Trong|Về)\s+(?:lĩnh\s+vực\s+)?[^\W\d]+(?:\s+[^\W\d]+)?,)\s*")
_OPENING_WORDS = 40  # characters: how far into its paragraph "the same day" opens it ("보건 분야에서는 같은 날")


# a day counted from the day told last: "the next morning", "the day before" (what "the same day" is, one day on)
_DAY_SHIFT_WORDS = {f"{words} {part}": shift for part in ("day", "morning", "afternoon", "evening", "night")
                    for words, shift in (("the next", 1), ("the following", 1), ("the previous", -1))}
_DAY_SHIFT_WORDS.update({"the day after": 1, "the day before": -1, "이튿날": 1, "다음 날": 1, "다음날": 1, "그다음 날": 1,
                         "전날": -1, "hôm sau": 1, "ngày hôm sau": 1, "hôm trước": -1, "ngày hôm trước": -1})


# the day a visitor leaves or comes home, right after its date: "오늘 귀국한다", "leaves for Bangkok on Friday" is told
# before its date, "returns home today", "về nước hôm nay" after
_A_LEAVING_DAY = re.compile(r"\s*(?:에\s*)?(?:귀국|출국|떠나|떠난|이한|돌아)|\s*(?:,\s*)?(?:về\s+nước|rời)\b", re.IGNORECASE)


def _same_day_as_the_story(s_dates: list, last_event_day: dates_mod.DateMention, last_event_at: int,
                           all_dates: list, hi: int, reference: dt.date | None = None,
                           lede_day: dates_mod.DateMention | None = None, text: str = "",
                           corrected: dict | None = None) -> list:
    """A sentence's "the same day" is the day of the happening told last, when that happening was told after the
    day the date finder took (the latest day named, which may be a background date: "... since his accession on
    31/1/2024. / After the talks, the two leaders signed ... / Chiều cùng ngày, ..."). ``all_dates[:hi]``: the
    text's dates up to the end of the sentence. ``corrected``: the days these rules gave earlier mentions, by span
    (filled in here): "이튿날" after a "같은 날" set right counts from the day it was set to."""
    out = []
    corrected = {} if corrected is None else corrected
    # the happening told last to the day is a background one, weeks before the story's first day: a day the finder
    # read among the story's own days stands ("... 2004년 4월 1일 발효된 ... / 세온머티리얼즈는 이날 ...")
    background = lede_day is not None and last_event_day.first < lede_day.first - _BACKGROUND_GAP
    for d in s_dates:
        if background and d.relative and not d.is_range and _SAME_DAY.fullmatch(d.text.strip()):
            # (and "the same day" itself is the story's first day, not the background's: "협상과 같은 날 ...")
            out.append(d if d.precision == "day" and d.first >= lede_day.first - _BACKGROUND_GAP else
                       dataclasses.replace(d, first=lede_day.first, last=lede_day.first, precision="day"))
            continue
        if d.relative and d.precision == "month" and not d.is_range and _SAME_DAY.fullmatch(d.text.strip()):
            # the finder's "same day" of a background happening known to its month only: a writer who says
            # "the same day" means a day, the story's ("... in February 2016. / The same day, X signed ...")
            out.append(dataclasses.replace(d, first=last_event_day.first, last=last_event_day.first,
                                           precision="day"))
            continue
        shift = _DAY_SHIFT_WORDS.get(" ".join(d.text.lower().split())) if d.relative and d.precision == "day" \
            and not d.is_range else None
        if shift is not None and d.first - dt.timedelta(days=shift) != last_event_day.first:
            # "The next morning, ...", "the day before", "이튿날": counted from the same day, shifted
            base = d.first - dt.timedelta(days=shift)
            named = next((n for n in (all_dates[i] for i in range(hi - 1, -1, -1)) if n.start < d.start
                          and n.precision == "day" and not n.is_range and n.first == base), None)
            if named is not None and (named.start, named.end) in corrected:
                day = corrected[(named.start, named.end)] + dt.timedelta(days=shift)
                d = _corrected_to(d, day, corrected)
            elif named is not None and (named.start < last_event_at and not named.relative
                                        or _A_LEAVING_DAY.match(text, named.end) is not None):
                d = _corrected_to(d, last_event_day.first + dt.timedelta(days=shift), corrected)
            out.append(d)
            continue
        if (d.relative and d.precision == "day" and not d.is_range and d.first != last_event_day.first
                and _SAME_DAY.fullmatch(d.text.strip())):
            # (an earlier "the same day" names no day of its own: it is the story's day too)
            named = next((n for n in (all_dates[i] for i in range(hi - 1, -1, -1)) if n.start < d.start
                          and n.precision == "day" and not n.is_range and n.first == d.first
                          and not (n.relative and _SAME_DAY.fullmatch(n.text.strip()))), None)
            # the finder's day is the last of a span told before ("a state visit from the 15th to the 17th"), not a
            # day of its own: the writer means the day of the happening told last
            span_end = named is None and any(n.is_range and n.last == d.first for n in all_dates[:hi] if n.start < d.start)
            # (a day still to come named since, "có hiệu lực từ ngày 1/7", is not the day of the happening told)
            ahead = named is not None and reference is not None and named.first > reference >= last_event_day.first
            # (nor a visitor's day of leaving: "윤 장관은 ... 방문하고 있으며, 오늘 귀국한다. / 같은 날 오전에는 ...")
            leaving = named is not None and _A_LEAVING_DAY.match(text, named.end) is not None
            if ((named is None and not span_end) or (named is not None and named.start >= last_event_at)) \
                    and not ahead and not leaving:
                out.append(d)  # the day named is the latest told: the finder's reading stands
                continue
            d = _corrected_to(d, last_event_day.first, corrected)
        out.append(d)
    return out


def _corrected_to(d: dates_mod.DateMention, day: dt.date, corrected: dict) -> dates_mod.DateMention:
    """``d`` set to ``day``, noted in ``corrected`` by its span."""
    corrected[(d.start, d.end)] = day
    return dataclasses.replace(d, first=day, last=day)


def _with_pointer_date(s_dates: list, sentence: Span, told: list[tuple[str, dates_mod.DateMention, str]],
                       lexicon: Lexicon) -> tuple[list, list[tuple[int, int]]]:
    """A sentence that opens by pointing at a happening told to the day and names a later date too ("On the same
    occasion, the two railways signed an agreement to run trains from the first quarter of next year"): the
    pointer dates what is told near it, the later date what is told near that one."""
    opening = lexicon.reference_opening(sentence.text)
    if opening is None:
        return s_dates, []
    kind, a, b = opening
    if kind != "meeting":
        return s_dates, []  # ("The agreement, signed in Jakarta on 22/12/2022, ...": the signing told again;
        # "During the visit, ..." points at days, not a day)
    start, end = sentence.start + a, sentence.start + b
    if any(d.start < end or d.start - end <= 20 and "," not in sentence.text[b:d.start - sentence.start]
           for d in s_dates):
        return s_dates, []  # a date in the opening itself ("After the talks on Monday, ...")
    day = _happening_pointed_at(told, kind, _pointer_noun(sentence.text))
    if day is None or day.precision != "day" or day.is_range:
        return s_dates, []
    return [dates_mod.DateMention(start, end, sentence.text[a:b], day.first, day.first, "day", False, True,
                                  min(0.7, day.confidence))] + s_dates, [(start, end)]


def _with_event_offsets(s_dates: list, sentence: Span, told: list[tuple[str, dates_mod.DateMention, str]],
                        reference: dt.date | None = None
                        ) -> tuple[list, list[tuple[int, int]]]:
    """The sentence's dates with those told by distance from a happening told to the day before, and the spans
    of those phrases."""
    added, told_again = [], []
    subject = _OFFSET_FROM_SUBJECT.match(sentence.text)
    if subject is not None:
        # "The signing came a day after the two ministers co-chaired ...": what follows is n days from the signing
        anchor = _happening_pointed_at(told, _EVENT_NOUN_KIND.get(subject["noun"].lower(), "meeting"))
        if anchor is not None and anchor.precision == "day" and not anchor.is_range:
            n = _DAYS_WORDS.get(subject["n"].lower(), 1)
            day = anchor.first + dt.timedelta(days=-n if subject["dir"].lower() == "after" else n)
            start, end = sentence.start + subject.start("n"), sentence.start + subject.end()
            if not any(d.start < end and start < d.end for d in s_dates):
                added.append(dates_mod.DateMention(start, end, subject.group(0)[subject.start("n"):], day, day,
                                                   "day", False, True, min(0.7, anchor.confidence)))
                told_again.append((sentence.start + subject.start(), end))
    for m in _SAME_DAY_AS.finditer(sentence.text):
        start, end = sentence.start + m.start(), sentence.start + m.end()
        noun = " ".join(m["noun"].lower().split()).rstrip("s")
        noun = "talks" if noun == "talk" else noun
        anchor = _happening_pointed_at(told, _SAME_DAY_AS_KIND.get(noun, "agreement"), noun)
        if anchor is None or anchor.precision != "day" or anchor.is_range:
            continue
        s_dates = [d for d in s_dates if not (d.start < end and start < d.end)]
        added.append(dates_mod.DateMention(start, end, m.group(0), anchor.first, anchor.first, "day", False, True,
                                           min(0.7, anchor.confidence)))
        told_again.append((start + m.group(0).lower().find(" as ") + 4, end))
    for m in _AT_THE_SAME.finditer(sentence.text):
        start, end = sentence.start + m.start(), sentence.start + m.end()
        if any(d.start < end and start < d.end for d in s_dates) or any(
                d.precision == "day" for d in s_dates):
            continue  # ("at the same ceremony on Monday": the day is told)
        # (the ceremony is one held already: not a text said to take effect on a day still to come)
        held = [t for t in told if reference is None or t[1].first <= reference]
        anchor = _happening_pointed_at(held, _EVENT_NOUN_KIND.get(m["noun"].lower(), "meeting")
                                       if m["noun"].lower() not in ("event", "occasion") else "agreement")
        if anchor is None or anchor.precision != "day" or anchor.is_range:
            continue
        added.append(dates_mod.DateMention(start, end, m.group(0), anchor.first, anchor.first, "day", False, True,
                                           min(0.7, anchor.confidence)))
        told_again.append((start, end))
    for m in _EVENT_OFFSET.finditer(sentence.text):
        start, end = sentence.start + m.start(), sentence.start + m.end()
        overlapping = [d for d in s_dates if d.start < end and start < d.end]
        if any(not (d.relative and " ".join(d.text.lower().split()) in _DAY_SHIFT_WORDS) for d in overlapping):
            continue  # (the finder's bare "the day before" counts from the day told last: the happening named
            # after it is what it counts from)
        # ("Hours after landing, Merz handed over ...": counted from the visitor's arrival)
        noun = "visit" if m["arrival"] else m["noun"].lower()
        anchor = _happening_pointed_at(told, _EVENT_NOUN_KIND.get(noun, "meeting"))
        if anchor is None or anchor.precision != "day" or anchor.is_range:
            continue
        s_dates = [d for d in s_dates if d not in overlapping]
        if m["eve"]:
            offset = -1
        elif m["day"]:
            offset = -1 if m["day"].lower() == "before" else 1
        elif m["n"]:
            n = _DAYS_WORDS.get(m["n"].lower()) or int(m["n"])
            offset = -n if m["ndir"].lower() == "before" else n
        elif m["wn"]:
            n = 7 * (_DAYS_WORDS.get(m["wn"].lower()) or int(m["wn"]))
            offset = -n if m["wdir"].lower() == "before" else n
        else:
            offset = 0
        day = anchor.first + dt.timedelta(days=offset)
        added.append(dates_mod.DateMention(start, end, m.group(0), day, day, "day", False, True,
                                           min(0.7, anchor.confidence)))
        told_again.append((start, end))
    for m in _EVENT_OFFSET_KO.finditer(sentence.text):
        start, end = sentence.start + m.start(), sentence.start + m.end()
        if any(d.start < end and start < d.end for d in s_dates):
            continue
        anchor = _happening_pointed_at(told, _KO_NOUN_KIND[m["noun"]])
        if anchor is None or anchor.precision != "day" or anchor.is_range:
            continue
        n = _KO_DAYS.get(m["n"]) or int(m["n"].rstrip("일 "))
        day = anchor.first + dt.timedelta(days=n if m["dir"] in ("뒤", "후") else -n)
        added.append(dates_mod.DateMention(start, end, m.group(0), day, day, "day", False, True,
                                           min(0.7, anchor.confidence)))
        told_again.append((start, end))
    if not added:
        return s_dates, []
    return sorted(s_dates + added, key=lambda d: d.start), told_again


_FISCAL_REACH = 120  # characters either side of a fiscal year in which the country keeping it is named


def _fiscal_year_of_the_side_named(d: dates_mod.DateMention, text: str, mentions, pair: frozenset[str]
                                   ) -> dates_mod.DateMention:
    """A fiscal year ("in the 2024-25 fiscal year") in a story of two sides that keep different ones (Thailand from
    October, Australia from July): the year of the side the sentence names ("according to Australia's Department
    of Foreign Affairs and Trade"), when it names one of them only; else ``d`` as the finder read it."""
    if not d.is_range or d.precision != "month":
        return d
    lo, hi = max(0, d.start - _FISCAL_REACH), min(len(text), d.end + _FISCAL_REACH)
    opened = max(text.rfind(". ", lo, d.start), text.rfind("\n", lo, d.start), lo)
    after = _CLAUSE_END.search(text, d.end, hi)
    closed = after.start() if after else hi
    table = start_months()
    # the rest of its clause first ("..., according to Australia's Department of ..."), then what comes before it
    for a, b in ((d.end, closed), (opened, d.start)):
        months = {table.get(m.entity.country) for m in mentions if a <= m.start < b and m.entity.country in pair
                  and m.entity.type in ("country", "government", "person")}
        if months:
            months.discard(None)
            return as_fiscal_year(d, text, months.pop()) if len(months) == 1 else d
    return d


_CLAUSE_END = re.compile(r"[.;\n]|,\s+(?:and|but|while|whereas)\b")


def _story_sectors(cands: list[Candidate]) -> None:
    """An event whose own words name no sector is in its story's: the sector most of the story's other events are
    in ("Tickets go on sale next Monday" in a story of an airline codeshare is transport), diplomacy only when the
    story names no other (a story of two countries' talks on lithium is about lithium: "The plant is due to open
    in 2029" is energy, not diplomacy). A story whose events name none leaves them unclassified."""
    counts = collections.Counter(s for c in cands for s in c.sectors if s != UNCLASSIFIED)
    if len(counts) > 1:
        counts.pop(DIPLOMACY, None)
    if not counts:
        return
    top = max(counts.values())
    story = [s for s, n in counts.items() if n == top][:1]  # ties: the sector told first
    for cand in cands:
        if cand.sectors == [UNCLASSIFIED]:
            cand.sectors = list(story)


def _sectors(classify, focus: str, sentence: str) -> list[str]:
    """The sectors of the part of a clause an event is told in, else of its sentence."""
    sectors = list(classify(focus))
    if sectors == [UNCLASSIFIED] and focus != sentence:
        sectors = list(classify(sentence))
    return sectors


# the kinds of happening a clause without a date of its own may take one for from its context
DIPLOMACY = "diplomacy"  # the lane of relations, summits, visits and talks (resources/sectors.toml)
_STRONG_KINDS = ("agreement", "deal", "visit", "meeting", "opening")
# A list of what was signed: its head ends with a colon ("Among the documents signed were:"), each item starts
# with a bullet or a number ("- a memorandum on ...", "▲ 핵심광물 협력 MOU", "2) an agreement on ...")
_LIST_HEAD = re.compile(r":\s*$")
_LIST_ITEM = re.compile(r"\s*(?:[-–—•*▲△■□●○◆◇·‣]|\(?\d{1,2}[.)]|\(?[a-h]\))\s+")
_ITEM_KINDS = ("agreement", "deal")
_ITEM_HEAD_CHARS = 80  # the text an item names comes first: "- a 150-million-euro credit line from ..."


def _list_date(sentence: Span, s_dates, referred_date, previous_day_date, lexicon: Lexicon):
    """The day the texts of a list were signed, from its head: its own date, the signing it points back at ("the
    documents signed ..."), or the day just told; None when the head tells no signing or no single day."""
    signals = find_signals(sentence.text, sentence.start, lexicon)
    if not any(s.kind in _ITEM_KINDS for s in signals):
        return None
    days = {(d.first, d.last): d for d in choose_dates(s_dates)} if s_dates else {}
    if len(days) == 1:
        return next(iter(days.values()))
    if days:
        return None
    if referred_date is not None:
        return referred_date
    return previous_day_date


_ITEM_CUT = re.compile(r"\s*[,;:(]|\s+(?:under which|which|that|meant to|to be|so that|allowing|whereby)\s"
                       r"|\s+(?:nhằm|theo đó|trong đó)\s")
_ITEM_ARTICLE = re.compile(r"(?i:an?|the)\s+")
ITEM_TITLE_CHARS = 90
ITEM_MIN_HEAD = 30


def _item_title(item: str) -> str:
    """A list item's title: the text it names, in its own words ("- a memorandum of understanding on critical
    minerals, which sets up ..." → "Memorandum of understanding on critical minerals"); "" when too short."""
    text = _LIST_ITEM.sub("", item, count=1).strip().rstrip(".;")
    for cut in _ITEM_CUT.finditer(text):
        # a comma close to the start is inside the name ("Bản ghi nhớ về phòng, chống thiên tai")
        if cut.group().strip() != "," or cut.start() >= ITEM_MIN_HEAD:
            text = text[:cut.start()]
            break
    text = _ITEM_ARTICLE.sub("", text, count=1) if _ITEM_ARTICLE.match(text) else text
    if len(text) > ITEM_TITLE_CHARS:
        text = text[:ITEM_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    if len(text.split()) < 2:
        return ""
    return text[0].upper() + text[1:]


def _item_head(signals: list[Signal], sentence: Span) -> Signal | None:
    """The signal naming the text a list item is ("a memorandum of understanding on ..."), if it comes first."""
    for s in signals:
        if s.kind in _ITEM_KINDS and s.start - sentence.start <= _ITEM_HEAD_CHARS:
            return s
    return None


# "Also on Wednesday, ministers exchanged memoranda ...": one more happening of a day already told
_ALSO_ON_THE_DAY = re.compile(r"\W*(?i:also|separately|in\s+addition)\s+(?:on\s+|in\s+)?")
# "A memorandum on mutual logistics support ... was signed the same day": a text not told before, one more that day
_A_NEW_TEXT = re.compile(r"\W*(?:An?|Another|A\s+separate)\s+(?:[\w-]+\s+){0,3}(?:memorand(?:um|a)|agreements?|deals?"
                         r"|contracts?|MoUs?|accords?|protocols?|treat(?:y|ies)|declarations?|loans?)\b")
# "The countries also agreed to ...", "Separately, ...": a sentence telling one more happening of the same day
_ANOTHER_HAPPENING = re.compile(r"(?i:\b(?:also|separately|in addition|additionally|as well|another|a second|a third"
                                r"|alongside|besides)\b|^\W*(?:at|on|during)\s+the\s+same\s+(?:meeting|ceremony|event|occasion)\b"
                                r"|\bcũng\b|\bđồng thời\b)|또한|별도로|(?<![가-힣])또(?![가-힣])"
                                # "양해각서(MOU)도 교환했다", "계약에도 서명했다": the particle "also" on what was signed
                                r"|(?<=[가-힣)])(?:에)?도\s*(?:교환|체결|서명|맺|합의)")
# "signed after their talks", "thông qua sau cuộc hội đàm", "회담 후 서명": the talks were held that day too
_TALKS_AS_CIRCUMSTANCE = re.compile(
    r"(?i:\b(?:after|following|at\s+the\s+(?:end|close)\s+of|during)\s+(?:the\s+|their\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:talks|summit|meeting)\b|\bsau\s+(?:cuộc\s+)?hội\s+đàm\b)|회담\s*(?:후|뒤|직후)")
# the two sides, and what else they did: "The countries also agreed to extend ...", "Both sides also signed ..."
_THE_PAIR_ALSO = re.compile(r"\W*(?:The|Both)\s+(?:two\s+)?(?:countries|sides|governments|leaders|nations|companies|firms"
                            r"|partners|ministers|presidents)\s+(?:also|further)\s+(?:agreed|signed|launched|committed"
                            r"|decided|set\s+up|approved|adopted|exchanged)\b")
# what has been done, in the present perfect: "Sumire has agreed to take half of it"
_PERFECT = re.compile(r"\b(?:has|have)\s+(?:already\s+|also\s+)?(?:agreed|signed|committed|pledged|promised|decided)\b",
                      re.IGNORECASE)
# a present perfect of what went on ("have kept ties warm", "has been growing"): a state, no happening of a date
_KEPT = r"(?:has|have)\s+(?:since\s+|also\s+|long\s+)?(?:kept|been|remained|grown|helped|made|continued|stayed|become)\b"
_HAVE_KEPT = re.compile(r"\b" + _KEPT, re.IGNORECASE)
# the same right after a signal, its object between: "state visits to Japan have kept ties warm"
_A_STATE_KEPT = re.compile(r"(?:\s+(?:to|in|with)\s+[\w\s-]{1,40}?)?\s+" + _KEPT, re.IGNORECASE)
# "The largest of the agreements ...", "Among them, ...", "Quan trọng nhất là ...": one of a batch just told
_ONE_OF_THEM = re.compile(r"\W*(?i:(?:among\s+them|among\s+the\s+(?:agreements|deals|documents|texts|contracts)|"
                          r"the\s+(?:largest|biggest|most\s+important|most\s+significant|main|first|second|third|"
                          r"last)\s+of\s+(?:the|these|those|them)\b|chief\s+among\s+them|quan\s+trọng\s+nhất\s+là|"
                          r"nổi\s+bật\s+(?:nhất\s+)?là|đáng\s+chú\s+ý\s+(?:nhất\s+)?là|trong\s+đó\s+có)\b)|이\s*가운데|그중")
# "urged the EU to ratify ...", "đề nghị EU sớm phê chuẩn": what is asked of the other side has not happened
_REQUESTED = re.compile(r"\b(?:urg(?:ed|es|e|ing)|call(?:ed|s)? (?:on|for)|ask(?:ed|s)?|request(?:ed|s)?|press(?:ed|es)"
                        r"|invit(?:ed|es)|encourag(?:ed|es))\b|\b(?:đề nghị|kêu gọi|yêu cầu|mời)\b|촉구|요청|당부",
                        re.IGNORECASE)
# a request that the other side do something soon: "đề nghị hai bên sớm hoàn tất ...", "urged Seoul to swiftly open"
_ASKED_TO_DO = re.compile(r"\b(?:đề nghị|kêu gọi|yêu cầu)\s+(?:[^\W\d]+\s+){1,6}?(?:sớm|đẩy nhanh|khẩn trương)\b"
                          r"|\b(?:urg(?:ed|es|ing)|call(?:ed|s|ing)\s+on|press(?:ed|es|ing)|ask(?:ed|s|ing))\s+(?:[\w’'-]+\s+){1,4}?"
                          r"to\s+(?:quickly|swiftly|speedily|soon|promptly|urgently|rapidly)\b", re.IGNORECASE)
# "The agreement was included in ...": a sentence pointing back at something already told
# "At the signing ceremony, ...", "Tại lễ ký, ...": the ceremony just told, which may hold more signings
_AT_THE_CEREMONY = re.compile(r"\W*(?i:(?:at|during)\s+the\s+(?:[\w-]+\s+){0,2}?(?:signing\s+)?ceremony|(?:tại|trong)\s+(?:buổi\s+)?lễ\s+(?:ký|trao)"
                              # "Alongside it, the utility signed a service contract": one more text of that signing
                              r"|(?:alongside|along\s+with|together\s+with)\s+(?:it|this|that|them|these)\s*,)")
# "Before the talks, ...", "Trước hội đàm, ...", "회담에 앞서": the sentence tells what came before the happening
_BEFORE_IT = re.compile(r"\W*(?i:(?:(?:shortly|just|hours|minutes|moments)\s+)?(?:before|ahead\s+of|prior\s+to)\b"
                        r"|(?:ngay\s+)?trước\s+(?:khi\s+)?(?:(?:cuộc|buổi|kỳ|phiên|lễ)\s+)?\w)|[^.,]{0,30}?에\s*앞서")
_BACK_REFERENCE = re.compile(r"\b(?:the|this|that|these|those)\s+$", re.IGNORECASE)
# a happening named as what someone went to ("then attended the groundbreaking of a research centre", "witnessed
# the signing of five memoranda"): a new one, whatever its article
_ATTENDED = re.compile(r"\b(?:attend(?:ed|s|ing)?|witness(?:ed|es|ing)?|join(?:ed|s|ing)?|grac(?:ed|es|ing)|"
                       r"officiat(?:ed|es|ing)\s+at|presid(?:ed|es|ing)\s+over|took\s+part\s+in|"
                       r"(?:were|was)\s+present\s+at)\s+(?:the|this|that)\s+$", re.IGNORECASE)
_ENCOUNTER_KINDS = ("visit", "meeting")
# a text named again by "the": "attached to the loan", "under the new agreement" (and a clause with no verb of signing)
_THE_TEXT_TOLD = re.compile(r"(?:.*?\s)?(?i:the|this|that)\s+(?:[\w-]+\s+){0,2}?(?i:loan|deal|agreement|contract|memorandum"
                            r"|accord|pact|treaty|credit\s+line|grant)", re.S)
# (a step of the text still to come is a happening of its own: "The deal is expected to close", "could be held under
# the pact", "to take up the pact")
_STEP_TO_COME = re.compile(r"(?i:\b(?:could|would|may|might|should|must|expected|due|set|to\s+close|to\s+take\s+effect)\b)")
_A_SIGNING_VERB = re.compile(r"(?i:\b(?:sign\w*|ink\w*|seal\w*|conclud\w*|agree\w*|struck|strike|reach\w*|renew\w*"
                             r"|extend\w*|approv\w*|ratif\w*|award\w*|won|win|clinch\w*|finali[sz]\w*|announc\w*)\b)"
                             r"|\bký\b|서명|체결|맺")
# a section heading inside a story: a short line in capitals first, without a sentence's end ("THURSDAY - Talks in
# Phnom Penh", "MONDAY - A terminal for the coast", "BACKGROUND")
_SECTION_HEADING = re.compile(r"(?-i:[A-ZÀ-Ỹ][A-ZÀ-Ỹ0-9 &'’-]{2,40})(?:\s*[-–—:]\s*[^.!?\n]{0,80})?")
# a sentence that opens with the terms of a text told: "Under the settlement, ...", "Under the deal, ...",
# "Theo thỏa thuận, ..."
_UNDER_ITS_TERMS = re.compile(r"\W*(?:(?i:under|according\s+to)\s+(?:the|this|that|its|their)\s+(?:[\w-]+\s+){0,3}?"
                              r"(?i:settlements?|agreements?|deals?|accords?|terms|contracts?|licen[cs]es?|leases?|arrangements?|pacts?|treat(?:y|ies))"
                              r"|(?i:theo)\s+(?:(?:các\s+)?(?:thỏa\s+thuận|hợp\s+đồng|hiệp\s+định)))\b")
_THE_SAME = re.compile(r"(?i:\bsame\b|\bcùng\b)|같은")  # "at the same meeting", "cùng dịp", "같은 자리에서"
# a clause told inside its noun phrase ("..., which officials said would be signed on Thursday, was held back") and
# how far the main clause after it reaches (to the next coordinated clause)
_RELATIVE_OPENING = re.compile(r"\s*(?:which|that|who|whose|pencilled|penciled|planned|scheduled|set|due|expected)\b",
                               re.IGNORECASE)
_CALLED_OFF_REACH = re.compile(r";|,\s+(?:and|but|while|whereas)\s|$")


def _main_clause_end(text: str, sentence: Span, clause: Span) -> int:
    """Where what the clause tells ends: its own end, or, for a clause inside a noun phrase ("The MoU on licences,
    which officials said would be signed on Thursday, was held back"), the end of the main clause after it."""
    inside = _RELATIVE_OPENING.match(clause.text) is not None or (
        text.startswith(",", clause.end) and _RELATIVE_OPENING.match(text, clause.end + 1) is not None)
    return _CALLED_OFF_REACH.search(text, clause.end, sentence.end).start() if inside else clause.end
_AGREED_TO_UPGRADE = re.compile(r"\bagreed to\s+(?:further\s+)?(?:upgrade|elevate|raise|lift)\b", re.IGNORECASE)


def _drop_restated_upgrades(cands: list[Candidate]) -> list[Candidate]:
    """'... agreed to elevate the relationship' next to the upgrade itself is that milestone told again."""
    upgrades = [c for c in cands if c.milestone == "partnership-upgrade"]
    return [
        c for c in cands
        if not (c.kind == "agreement" and c.signal.lower() == "agreed to" and _AGREED_TO_UPGRADE.search(c.clause.text)
                and any(dates_compatible(u.date.first, u.date.last, c.date.first, c.date.last) for u in upgrades))
    ]


# the year a goal is to be met by: "a goal of $100 billion by 2035", "đến năm 2030", "2030년까지"
_HORIZON_BEFORE = re.compile(r"(?i:\b(?:by|until|till|to|through|đến|tới)\s+(?:the\s+end\s+of\s+|năm\s+)?)$")
_HORIZON_AFTER = re.compile(r"\s*(?:년)?\s*까지")


def _one_target_per_horizon(text: str, pairs: list) -> list:
    """A clause's goal is dated by the year it is to be met by: "The two leaders on Wednesday restated a goal of
    $100 billion by 2035" is one target, of 2035, not a second one of Wednesday."""
    targets = [(d, s) for d, s in pairs if s.kind == "target"]
    if len(targets) < 2:
        return pairs
    horizons = {id(s) for d, s in targets if _HORIZON_BEFORE.search(text, max(0, d.start - 20), d.start)
                or _HORIZON_AFTER.match(text, d.end)}
    if not horizons:
        return pairs
    return [(d, s) for d, s in pairs if s.kind != "target" or id(s) in horizons]


def _focus(clause: Span, date, signal: Signal) -> Span:
    """The part of a clause around one of several events it holds (for sectors)."""
    a = max(clause.start, min(date.start, signal.start) - 40)
    b = min(clause.end, max(date.end, signal.end) + 40)
    return Span(a, b, clause.text[a - clause.start:b - clause.start])


# a participle set off by a comma after a name describes that name: ", founded in 2012," ", set up in 1998 as"
_APPOSITIVE_BACKGROUND = re.compile(r",\s*(?:founded|established|set up|created|formed|incorporated)\b",
                                    re.IGNORECASE)
_APPOSITIVE_BACKGROUND_BEFORE = re.compile(r",\s*(?:founded|established|set up|created|formed|incorporated)\s+"
                                           r"(?:in|on)\s+$", re.IGNORECASE)
_FOUNDED_ALONE = re.compile(r"(?:^|\b(?:was|were|is)\s+)(?:founded|established|incorporated)\s+in\s+(?:[A-Z][a-z]+\s+)?\d{4}"
                            r"(?!\s+(?:by|between|as\s+a\s+joint))", re.IGNORECASE)
_ANNIVERSARY = re.compile(r"\s*(?:\d+\s*주년|\d+(?:st|nd|rd|th)?\s+anniversar|anniversar|kỷ niệm\s+\d+\s+năm)", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+(?:the\s+)?$", re.IGNORECASE)
# "the first round of government consultations ... since December 2023": the last one was held then
_FIRST_SINCE = re.compile(r"\b(?:first|the\s+first)\s+(?:[\w-]+\s+){0,8}?since\s+(?:the\s+)?$", re.IGNORECASE)
_SINCE_START = re.compile(r"since\b", re.IGNORECASE)
_IF_THEN_MAYBE = re.compile(r"\W*(?:(?:if|unless|should)\b[^,;.]{3,120},\s+[^.;]*?\b(?:could|would|might|may)\b"
                            r"|(?:nếu|trong\s+trường\s+hợp)\b[^,;.]{3,120},\s+[^.;]*?\bcó\s+thể\b"
                            # "사업이 승인되면 공장은 2028년 착공할 수 있다": if approved, the plant could be begun
                            r"|[^.,]{2,60}?(?:되면|하면|된다면|한다면)\s+[^.]*?수\s*있(?:다|을|는))", re.IGNORECASE)


def _condition_end(sentence: str) -> int:
    """Where the "if" part of a conditional sentence ends: its comma, or (Korean) its 면."""
    comma = sentence.find(",")
    if comma >= 0:
        return comma
    m = re.search(r"(?:되면|하면|된다면|한다면)\s", sentence)
    return m.end() if m else -1


_WHETHER_TO = re.compile(r"\bwhether\s+(?:or\s+not\s+)?to\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
# "... since 2019, when it won a contract to store its products": what the "when" clause tells is of that year
_WHEN_AFTER_SINCE = re.compile(r",\s+when\s+(?:[\w’'-]+\s+){0,6}$", re.IGNORECASE)
# "2008년 이후 멈춰 있던 ... 협상을 다시 시작": the start of a pause, told by the date (Korean puts "since" after it)
_KO_STALLED_SINCE = re.compile(r"\s*(?:이후|부터)\s*(?:[가-힣]+\s*){0,2}?(?:멈춰|멈춘|중단된|중단됐던|중단되었던|끊긴|끊겼던|"
                               r"정체된|단절된|표류하던|교착)")
_SINCE_BETWEEN = re.compile(r"\b(?:since|kể từ)\b(?=[^.;,]{0,60}$)", re.IGNORECASE)
_BY = re.compile(r"\bby\b")


class _Spans:
    """Items with ``start``/``end`` in text order; :meth:`within` gives those inside a range by bisection."""

    def __init__(self, items: list):
        self.items = items
        self.starts = [m.start for m in items]

    def within(self, start: int, end: int) -> list:
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return [m for m in self.items[lo:hi] if m.end <= end]


_BEGINNINGS = ("relations-established", "recognition")  # milestones that happen on one day, never over a span


def _shortened_title(title: str, sentence: str, language: str) -> str:
    """A clause title that is most of its sentence, cut word by word from its end until a reader takes it as a
    title ("Kasumi had signed a lease for the 90-hectare site"), rather than a bare kind ("Deal"); as it was when
    no cut helps."""
    words = title.split()
    for n in range(len(words) - 1, 3, -1):
        cut = " ".join(words[:n])
        while cut.split()[-1].lower().strip(",;:") in DANGLING and len(cut.split()) > 2:
            cut = cut.rsplit(" ", 1)[0]
        if not needs_clause_title(cut, sentence, language):
            return cut.rstrip(",;:")
    return title


def _make_candidate(text, sentence, clause, date, signal, mentions: _Spans, doc_countries, lexicon,
                    reference, ref_confidence, inherited, language="en", gazetteer=None, *,
                    demonyms: bool = True, pair: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
                    title_countries: list[str] | None = None) -> Candidate | None:
    """The candidate of one date and signal of a clause (its sectors are filled in once duplicates are gone).
    ``title_countries``: the pair a title may name (:func:`_title_countries`; ``doc_countries`` when None)."""
    kind = signal.kind
    if kind == "milestone" and date.is_range and date.parts and signal.milestone is not None \
            and signal.milestone.key in _BEGINNINGS:
        date = date.parts[0]  # "50 năm thiết lập quan hệ ngoại giao (23/9/1975 – 23/9/2025)": relations began once
    if kind == "statistic" and reference is not None and date.first > reference:
        kind = "target"  # a figure for a date still to come is a goal ("trade to $100 billion by 2020")
    rule = lexicon.kind(kind)
    if kind in ("meeting", "visit", "agreement", "deal") and (
            _SINCE.search(text[max(0, date.start - 12):date.start]) or _SINCE_START.match(date.text)
            or signal.end <= date.start and _SINCE_BETWEEN.search(text, signal.end, date.start)) and not (
            signal.end <= date.start and _FIRST_SINCE.search(text, signal.start - 40 if signal.start > 40 else 0,
                                                              date.start)) and not (
            kind in ("agreement", "deal") and signal.start >= date.end
            and _WHEN_AFTER_SINCE.match(text, date.end, signal.start)):
        return None  # "on hiatus since 2017": the start of a state of affairs, not a happening; "his first visit
        # since taking office in June 2022", "chuyến thăm đầu tiên kể từ khi lên ngôi ngày 31/1/2024": that date
        # is the other happening's
    if kind in ("meeting", "visit") and _A_STATE_KEPT.match(text, signal.end) and date.last < (reference or date.last):
        return None  # "..., and state visits have kept ties warm": visits in general, no visit of the year before
    if kind not in ("milestone", "statistic") and (
            _IF_THEN_MAYBE.match(sentence.text) and signal.start - sentence.start > _condition_end(sentence.text)
            or _WHETHER_TO.search(text, max(sentence.start, signal.start - 40), signal.start)):
        return None  # "If the deal goes ahead, construction could start in 2028", "had not decided whether to
        # sign the agreement this year": a happening supposed, not one told
    if kind in ("meeting", "visit", "agreement", "deal") and _KO_STALLED_SINCE.match(text, date.end):
        return None  # "2008년 이후 멈춰 있던 FTA 협상": stalled since then, no happening of 2008
    if kind not in ("milestone", "statistic", "target") and lexicon.called_off_in(
            text, signal.start, _main_clause_end(text, sentence, clause), legal=kind == "legal",
            plan_from=clause.start):
        return None  # "A visit by the foreign minister, pencilled in for May, was postponed": it did not happen
    if kind not in ("milestone", "statistic", "target", "intent") and _ASKED_TO_DO.search(text, clause.start, signal.start):
        return None  # "Thủ tướng đề nghị hai bên sớm hoàn tất thủ tục để mở ...", "urged Seoul to quickly open ...":
        # asked of the other side, not done
    if kind == "opening" and (_APPOSITIVE_BACKGROUND.search(text, max(0, signal.start - 3), signal.end + 1)
                              or _FOUNDED_ALONE.search(text, max(sentence.start, signal.start - 12), sentence.end)):
        return None  # "Founded in 1932, Verdane is ...", "Nilgiri was founded in 2014 and ...": one party's past
    if kind == "milestone" and (_ANNIVERSARY.search(text, min(date.end, signal.start), max(date.start, signal.end))
                                or _ANNIVERSARY.match(text, signal.end, signal.end + 12)):
        return None  # "올해 수교 75주년", "this year marks the 30th anniversary of relations": not when they began  # "Orbis, founded in 2012, ...": background about one party, not a happening between two
    future = bool(_FUTURE.search(clause.text))
    if rule is not None and rule.future_only:
        if reference is None or date.last < reference and not _BY.search(clause.text):
            return None
    clause_mentions = mentions.within(clause.start, clause.end)
    gazetteer = gazetteer or default_gazetteer()
    if about_another_partnership(text, clause_mentions, gazetteer, clause.start, clause.end,
                                 max(date.end, signal.end), *pair, demonyms=demonyms):
        return None  # "He visited Saudi Arabia in December", in a story of Indonesia and the UAE
    sentence_mentions = mentions.within(sentence.start, sentence.end)
    taking_part = participants(text, clause_mentions or sentence_mentions)
    entities = _entity_refs(taking_part)
    span = clause if clause_mentions else sentence
    actors = clause_actors(text, clause_mentions or sentence_mentions, doc_countries, gazetteer,
                           span.start, span.end, demonyms=demonyms, taking_part=taking_part)
    if date.last.year < 1900 and kind not in ("milestone", "agreement", "visit", "meeting", "cooperation") \
            and any(a.type == "company" for a in actors):
        return None  # a partnership's 1800s are its treaties, relations and missions; a firm's opening then is its
        # own history ("the bank, which opened in 1898"), unlike "in 1897, Japanese settlers founded a colony"
    if kind == "milestone" and any(a.type == "company" for a in actors) \
            and not any(a.type in ("country", "government") for a in actors):
        return None  # "Kestrel Foundry established ties with Samsung in 2019": firms have no diplomatic relations
    title = make_title(kind, signal, clause, date, clause_mentions,
                       doc_countries if title_countries is None else title_countries, text, language)
    if needs_clause_title(title or "", sentence.text, language):
        own_words = clause_title(text, clause.start, clause.end, signal.start, signal.end, date.start, date.end,
                                 clause_mentions, language, verb_final=language in VERB_FINAL)
        if needs_clause_title(own_words, sentence.text, language):
            own_words = _shortened_title(own_words, sentence.text, language)
        if not needs_clause_title(own_words, sentence.text, language) or (
                own_words and mixed_language(title or "", language) and not mixed_language(own_words, language)):
            title = own_words  # the clause's own words, even long, rather than two languages in one title
    if not title:
        return None
    confidence = 0.55 + 0.1 * (signal.priority >= 4) + 0.15 * (kind == "milestone")
    confidence *= float(getattr(date, "confidence", 1.0) or 1.0) * ref_confidence
    if inherited:
        confidence *= 0.75
    if future and kind not in ("target",):
        confidence *= 0.85
    at = signal.start if kind == "statistic" else date.start  # a statistic's figure is its signal
    detail = signal.detail if kind == "milestone" else _detail(kind, clause.text, at - clause.start,
                                                                 text[signal.start:signal.end])
    return Candidate(
        title=title, kind=kind, family=lexicon.family(kind), date=date, sentence=sentence, clause=clause,
        sectors=[], entities=entities, confidence=round(min(confidence, 0.99), 3),
        milestone=signal.milestone.key if signal.milestone else None, detail=detail,
        inherited_date=inherited, signal=text[signal.start:signal.end], actors=actors,
        cameo=_cameo(signal, rule, clause.text), signal_span=(signal.start, signal.end),
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


_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _short_forms(entity) -> list[str]:
    """How a story refers to a person after the first mention: Korean family name first ('Choi' for Choi
    Young-sam), Vietnamese given name last ('Phuc' for Nguyen Xuan Phuc), others by the last name."""
    tokens = re.findall(r"[^\W\d_][\w'-]*", entity.name)
    while len(tokens) > 2 and tokens[-1].lower() in _NAME_SUFFIXES:
        tokens.pop()  # "Ferdinand Marcos Jr." is "Marcos"
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


def _country_counts(mentions: list[EntityMention]) -> collections.Counter:
    return collections.Counter(m.entity.name for m in mentions if m.entity.type == "country")


def _main_countries(mentions: list[EntityMention]) -> list[str]:
    return [n for n, _ in sorted(_country_counts(mentions).items(), key=lambda kv: (-kv[1], kv[0]))][:2]


def _title_countries(mentions: list[EntityMention], pair: frozenset[str]) -> list[str]:
    """The two countries a title may name as the story's pair: the article's two sides (``pair``, by their people and
    bodies too), else the only two it names, or two named more often than any other (and more than once); none when
    a third is named as often ("Vietnam and Japan signed ... Vinafood won an order in Brazil" is no story of Brazil
    and Japan, nor a turbine order of Chile and Argentina)."""
    counts = _country_counts(mentions)
    codes = {m.entity.name: m.entity.country or "" for m in reversed(mentions) if m.entity.type == "country"}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    sides = [name for name, _n in ranked if codes.get(name) in pair]
    if len(pair) == 2 and len(sides) == 2:
        return sorted(sides, key=lambda n: (-counts[n], n))
    if len(ranked) == 2 or len(ranked) > 2 and ranked[1][1] >= 2 and ranked[1][1] > ranked[2][1]:
        return _main_countries(mentions)
    return []


_YEAR_RE = re.compile(r"(?<![\d$.,])(1[89]\d\d|20\d\d)(?![\d%])")


def _latest_explicit_year(text: str, language: str) -> int | None:
    years = [int(m.group(1)) for m in _YEAR_RE.finditer(text)]
    years = [y for y in years if 1900 <= y <= dt.date.today().year]
    return max(years) if years else None


# ------------------------------------------------------------------------------------------------ signature
# What names a happening for merging: the kind of meeting, the agreement's topic, the figure


_MEETING_NOUNS = {"met": "meeting", "meets": "meeting", "meet": "meeting", "meeting with": "meeting", "meeting": "meeting", "summits": "summit", "forums": "forum",
                  "roundtables": "roundtable", "dialogues": "dialogue", "conferences": "conference",
                  "workshops": "workshop"}


_MEETING_BETWEEN = re.compile(r"\b(summit|talks|meeting|dialogue)\s+between\b", re.IGNORECASE)


def _detail(kind: str, clause: str, pos: int, signal_text: str = "") -> str:
    if kind == "meeting":
        between = _MEETING_BETWEEN.search(clause)
        noun = between.group(1).lower() if between else signal_text.lower()
        return _MEETING_NOUNS.get(noun, noun)
    if kind in ("agreement", "deal"):
        m = agreement_match(clause, pos)
        if m and m.group("topic"):
            return normalise_words(m.group("topic"))
    if kind in ("statistic", "target"):
        fig = nearest(FIGURE, clause, pos)
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
