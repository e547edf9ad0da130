"""Which date of a clause goes with which signal.

Each date is paired with the nearest signal of its clause, each signal serving one date ("Trade has surged
since relations were established in 1992, from $500 million to $86.7 billion in 2024" gives the 1992 milestone
and the 2024 figure); a date after its signal belongs to it unless the date opens the clause; Korean puts the
date before its verb. A milestone does not use up its date, an encounter told as the circumstance of a
happening ("after talks", "during a visit") shares it, and a dateline's date dates nothing the sentence dates
itself. Years that close a name ("Vision 2045") are no dates.
"""

from __future__ import annotations

import re

from . import dates as dates_mod
from .sentences import Span
from .signals import Signal
from .titles import CLAUSE_LEAD_IN, VERB_FINAL


_NAME_YEAR = re.compile(r"(?:[A-Z][\w&.-]*\s+){1,6}$")


_LAW_OF_YEAR = re.compile(r"(?-i:[A-Z][\w-]*\s+(?:Act|Law|Code|Charter|Protocol|Convention|Ordinance))\s+of\s+$")  # "the Trade Expansion Act of 1962"
_VISION_TO = re.compile(r"(?i:\b(?:tầm\s+nhìn|vision)\s+(?:đến|tới|to|for)?\s*)$")  # "tầm nhìn đến năm 2045"
_NAMED_YEAR = re.compile(r"(?-i:[A-Z][\w&.-]*\s+Year)\s+$")  # "Visit Malaysia Year 2026", "Culture Year 2025": a name
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|since|from|by|until|till|through|of|for|to|during|before|after|year|end|early|late|mid|the|on|"
    r"between|and|as of|around|circa|at)\s*$",
    re.IGNORECASE,
)


_MONTHS = {m.lower() for m in (
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec").split()}


# the term of a text named with it: "thỏa thuận mua bán điện giai đoạn 2025-2030", "the action plan for 2026-2030"
_TERM_OF_TEXT = re.compile(
    r"(?i:\b(?:thỏa thuận|hiệp định|chương trình|kế hoạch|chiến lược|văn kiện|đề án|agreements?|programmes?|programs?"
    r"|plans?|strateg(?:y|ies)|frameworks?|roadmaps?|memorand(?:um|a)|MoUs?|contracts?|accords?)\b(?:\s+[\w-]+){0,5}?"
    r"\s+(?:giai\s+đoạn|thời\s+kỳ|for\s+(?:the\s+(?:period|years)\s+)?|covering(?:\s+the\s+years)?)\s*)$")


def year_inside_name(text: str, m: dates_mod.DateMention) -> bool:
    """'Digital Week 2025', 'Global Goals 2030': a bare year closing a capitalised name is part of the name; so is the
    horizon of a plan's vision ("tầm nhìn đến năm 2045", "a vision to 2045") and the years a text runs for, named
    with it ("the power purchase agreement for 2025-2030": signed on a day of its own)."""
    if m.is_range and m.precision == "year":
        return _TERM_OF_TEXT.search(text[max(0, m.start - 90):m.start]) is not None
    if m.precision != "year" or m.is_range:
        return False
    before = text[max(0, m.start - 60):m.start]
    if _VISION_TO.search(before):
        return True
    if not m.text.strip().isdigit():
        return False
    if _LAW_OF_YEAR.search(before):
        return True
    if _PREPOSITION_BEFORE.search(before) and not _NAMED_YEAR.search(before):
        return False
    name = _NAME_YEAR.search(before)
    if not name:
        return False
    last_word = name.group(0).split()[-1].strip(".").lower()
    return last_word not in _MONTHS


def span_gap(a0: int, a1: int, b0: int, b1: int) -> int:
    if a1 <= b0:
        return b0 - a1
    if b1 <= a0:
        return a0 - b1
    return 0


def choose_dates(found: list[dates_mod.DateMention]) -> list[dates_mod.DateMention]:
    """Drop a coarse date that only restates a finer one next to it ('October 29th ... Forum 2025'), and the base
    of a comparison ('up 5% in May from a year earlier', 'the largest drill since the 1990s'): it dates no
    happening, whether or not the clause has a date of its own."""
    found = [d for d in found if not d.comparison]
    keep = []
    for d in found:
        # days told as a range ("visiting from 11 to 13 March") are a span of their own, not a coarse restatement
        finer = not (d.is_range and d.precision == "day") and any(
            o is not d and o.first >= d.first and o.last <= d.last and (o.last - o.first) < (d.last - d.first)
            for o in found
        )
        if not finer:
            keep.append(d)
    return keep


# "signed nine agreements on Thursday after talks between ...", "received its licence in May 2016, during a visit
# by ...", "met on the sidelines of the summit": an encounter told as the circumstance of the clause's happening
# ("at the forum" points back at a forum already told: only "at a/an ..." is a circumstance)
_CIRCUMSTANCE = re.compile(
    r"(?:\b(?:during|after|following|before|ahead of|on the sidelines of|in the course of)\s+|\bat\s+(?=an?\s)"
    # "..., as President Lula wrapped up a two-day state visit": the visit going on as the happening is told
    # (the subject may hold commas: "as Japanese Economy, Trade and Industry Minister Takumi Oyabu held talks")
    r"|\bas\s+(?:(?-i:[A-Z])[\w.'’-]*,\s+(?=(?-i:[A-Z]))|[\w.'’-]+\s+){0,10}?(?:wrapped\s+up|wound\s+up|ended|concluded|began|started|opened|kicked\s+off"
    r"|was\s+on|is\s+on|paid|made|held|holds|was\s+holding|were\s+holding)\s+"
    # "..., after Prime Minister Abiy Ahmed held talks with ...": the talks held that day, before the happening told
    r"|\b(?:after|while)\s+(?:[\w.'’-]+\s+){1,8}?(?:held|had|was\s+holding|were\s+holding)\s+"
    # "..., as Chancellor Friedrich Merz hosted Brazilian President Lula ...": the host's verb is the encounter's
    r"|\bas\s+(?:(?-i:[A-Z])[\w.'’-]*\s+){1,6})"
    r"(?:(?:a|an|the|his|her|their|its|first|official|state|working|two-day|three-day|four-day|bilateral|virtual"
    r"|online|informal|annual|joint|trilateral|high-level|leaders'|ministerial|inaugural|second|third)\s+)*$",
    re.IGNORECASE,
)


# "On Monday, Biden met Chinh and attended an investment summit": a second predicate of the same subject, joined
# by "and", told after the dated one and without a date of its own
_COORDINATED = re.compile(r"\band\s+(?:also\s+|then\s+|later\s+)?(?:[a-z]+(?:ed|ent|et|ook|ew|ave|ade|eld|ined|ought)\s+"
                          r"(?:(?:a|an|the|its|their|his|her)\s+)?(?:[\w-]+\s+){0,2}"
                          # "... held talks and watched their ministers sign five memoranda": the signing seen
                          r"|(?:watched|witnessed|saw|oversaw|watching|witnessing|overseeing)\s+(?:[\w-]+\s+){1,3}?"
                          r"(?:sign|ink|exchange)\s+(?:[\w-]+\s+){0,2})$", re.IGNORECASE)
_AND_BEFORE = re.compile(r"\band\s+(?:also\s+|then\s+|later\s+)?$", re.IGNORECASE)
# the Korean second predicate after a first one joined by -고 ("회담을 열고 ... 합의서에 서명했다": held talks and signed)
_KO_AND_THEN = re.compile(r"(?:을|를)?\s*(?:열고|갖고|가진\s*뒤|가진\s*후|마치고|연\s*뒤|연\s*후|벌이고|진행하고)\s+[^.]{0,80}$")
_SIGNED_OR_OPENED = re.compile(r"(?:signed|inked|concluded|opened|inaugurated)", re.IGNORECASE)
# a date and then ", when ..." (", during which ..."): what the when-clause tells happened then
_WHEN_THEN = re.compile(r"\s*,?\s*(?:when|during\s+which|at\s+which)\s+(?:[\w'’-]+\s+){0,6}", re.IGNORECASE)
ENCOUNTERS = ("meeting", "visit")
# the words that make an encounter the circumstance of what its clause tells: "At the talks", "during his visit"
_HOSTING_CIRCUMSTANCE = re.compile(r"\b(?:at|after|during|following|on\s+the\s+sidelines\s+of|in\s+the\s+course\s+of)\s+"
                                   r"(?:(?:the|their|a|an|its|his|her)\s+)?(?:[\w-]+\s+){0,2}$"
                                   # "tại Diễn đàn doanh nghiệp ..., A và B đã ký hợp đồng": at the forum
                                   r"|\b(?:tại|trong\s+khuôn\s+khổ|bên\s+lề)\s+(?:(?:buổi|cuộc|phiên|kỳ|lễ)\s+)?$",
                                   re.IGNORECASE)
HOSTED_KINDS = ("agreement", "deal")
COORDINATED_KINDS = ("meeting", "visit", "agreement", "opening")


_RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which|whose|where)\b[^,;]*,")


def others_dated_elsewhere(text: str, clause: Span, c_dates, signals: list[Signal], pairs, *,
                           one_more: bool = False) -> list[Signal]:
    """The signals left without a date because every date of the clause lies in a relative clause told about the
    subject before them ("Tokayev, who arrived in Cairo on Monday, watched as ministers signed ..."): the predicate
    has no date of its own. So do, in a clause telling one more happening (``one_more``: "also", "cũng"), those
    whose clause's dates are all held by another signal in a part after them ("..., giao trong năm 2026")."""
    if not c_dates:
        return []
    held = {id(s) for _, s in pairs}
    relatives = [(clause.start + m.start(), clause.start + m.end()) for m in _RELATIVE_CLAUSE.finditer(clause.text)]
    out = []
    for s in signals:
        if id(s) in held:
            continue
        if one_more and all(d.start > s.end and _OBJECT_PHRASE_BREAK.search(text, s.end, d.start) and any(
                g.start > s.end and _OBJECT_PHRASE_BREAK.search(text, s.end, g.start) for e, g in pairs if e is d)
               for d in c_dates):
            # "X also signed a contract to import 150,000 tonnes, for delivery in 2026": the date told in a part
            # after the signing is the delivery's
            out.append(s)
            continue
        if not relatives:
            continue
        ends = [b for d in c_dates for a, b in relatives if a <= d.start and d.end <= b <= s.start]
        if len(ends) == len(c_dates) and _PAST_PREDICATE.search(text, max(ends), s.end):
            out.append(s)  # (told in the past: "the deal brings back a customer" is no happening)
    return out


_OBJECT_PHRASE_BREAK = re.compile(r",\s(?!(?:and|but|while|và|nhưng|còn)\b)")  # a phrase of the object, not a new predicate
_PAST_PREDICATE = re.compile(r"\b(?:[a-z]+ed|held|met|won|made|took|gave|paid|struck|began|led|saw|went|came|set"
                             r"|brought|built|sold|bought)\b")


def _inside_other_relative_clause(text: str, clause: Span, date, signal: Signal) -> bool:
    for m in _RELATIVE_CLAUSE.finditer(text, clause.start, clause.end):
        if m.start() <= date.start and date.end <= m.end() and not (m.start() <= signal.start < m.end()):
            return True
    return False


def circumstance_pairs(text: str, clause: Span, pairs, signals: list[Signal]):
    """An encounter signal in a circumstance phrase ("after talks", "during a visit") that pairing left without a
    date shares the date of the happening it is the circumstance of (the nearest paired date of the clause); so
    does the signal of a second predicate joined by "and" after the dated one ("met X and attended a summit"):
    one date then carries two happenings, as the sentence says."""
    if not pairs:
        return []
    used = {id(s) for _, s in pairs}
    # a date a milestone holds ("diplomatic relations, established on September 21, 1973") is no circumstance's
    held = {id(d) for d, g in pairs if g.kind == "milestone" and span_gap(d.start, d.end, g.start, g.end) <= MILESTONE_HOLD
            and _MILESTONE_PARTICIPLE.search(text, (g.cover or (g.start, g.end))[0], d.start)}
    # a kind once per date, except two predicates that say different things ("met" and "attended a summit")
    told = {(id(d), s.kind, text[s.start:s.end].lower()) for d, s in pairs}
    extra = []
    for s in signals:
        if id(s) in used:
            continue
        window = max(clause.start, s.start - 40)
        coordinated = False
        when = [d for d, _ in pairs if d.end <= s.start and _WHEN_THEN.fullmatch(text, d.end, s.start)]
        if when and any(d is when[-1] and g.kind == s.kind for d, g in pairs):
            continue  # "first worked together in 2022, when Lanyu began making its chips": that happening, told again
        if when and not any(g.start == s.start for _, g in pairs + extra):  # a word read as two kinds, once
            # "visited Abuja in August 2018, when the two governments signed a defence partnership"
            told.add((id(when[-1]), s.kind, text[s.start:s.end].lower()))
            extra.append((when[-1], s))
            continue
        hosts = [d for d, g in pairs if g.kind in ENCOUNTERS and g.end <= s.start
                 and _HOSTING_CIRCUMSTANCE.search(text, max(clause.start, g.start - 40), g.start)]
        if hosts and s.kind in HOSTED_KINDS and not any(
                g.start == s.start or g.kind == s.kind and d is hosts[-1] for d, g in pairs + extra):
            # "At the talks on Tuesday, the two leaders witnessed the exchange of a contract": the talks are the
            # circumstance, and what was done at them happened that day
            told.add((id(hosts[-1]), s.kind, text[s.start:s.end].lower()))
            extra.append((hosts[-1], s))
            continue
        if s.kind in ENCOUNTERS and _CIRCUMSTANCE.search(text, max(clause.start, s.start - 100), s.start):
            pass
        elif (s.kind in COORDINATED_KINDS and (_COORDINATED.search(text, window, s.start)
                                               or s.kind in HOSTED_KINDS and any(
                    g.kind in ENCOUNTERS and g.end <= s.start and _KO_AND_THEN.match(text, g.end, s.start)
                    for _, g in pairs) or (
                # the second predicate's verb is the signal itself: "held the first round ... and signed an
                # arrangement on Antarctic logistics"
                _AND_BEFORE.search(text, window, s.start) and _SIGNED_OR_OPENED.fullmatch(text, s.start, s.end)))
              and all(d.end <= s.start for d, _ in pairs)):
            coordinated = True
        else:
            continue
        # a date inside a relative clause dates that clause only: "Obama, who arrived on Sunday, ... after talks"
        # (a target's or a figure's horizon is no day a happening is told on: "agreeing to push trade to $30 billion
        # by 2030 and watching their ministers sign a memorandum")
        dates = [d for d, g in pairs if not _inside_other_relative_clause(text, clause, d, s)
                 and g.kind not in ("target", "statistic") and id(d) not in held]
        if not dates:
            continue
        date = min(dates, key=lambda d: span_gap(d.start, d.end, s.start, s.end))
        # the happening it is the circumstance of is told before it: "signed eleven agreements on Tuesday, as Merz
        # hosted Lula for the first consultations since December 2023" (the date after tells another happening)
        before = [d for d, g in pairs if g.end <= s.start and d in dates and d.end <= s.start]
        if before and date.start > s.start:
            date = max(before, key=lambda d: d.end)
        word = text[s.start:s.end].lower()
        if any(i == id(date) and k == s.kind and (not coordinated or w == word) for i, k, w in told):
            continue
        told.add((id(date), s.kind, word))
        extra.append((date, s))
    return extra


# "NAIROBI, Nov 12 (East Africa Ledger) – ...", "HAI PHONG, Vietnam, March 3 (Meridian) – ...": the place and
# date a dispatch was filed, before the dash that opens its first sentence
_DATELINE_BEFORE = re.compile(r"\s*[A-ZÀ-Ỹ][A-ZÀ-Ỹ .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,30})?,\s*$")


_DATELINE_AFTER = re.compile(r"\s*(?:\([^)]{0,60}\)\s*)?[–—-]")
_PLACE_AND_DATE = re.compile(r"\s*(?:[A-ZÀ-Ỹ][\w.'’-]*(?:\s+[A-ZÀ-Ỹ][\w.'’-]*){0,3},\s*)?")


def without_dateline(s_dates: list, text: str, sentence: Span) -> list:
    """A dateline's date says when the dispatch was filed, not when its happening was: when the sentence dates
    its happening itself ("on Wednesday"), the dateline's date is left out of pairing."""
    if len(s_dates) == 1 and _PLACE_AND_DATE.fullmatch(text, sentence.start, s_dates[0].start) \
            and not text[s_dates[0].end:sentence.end].strip(" .,"):
        return []  # a line that is only the place and day of issue ("Tokyo, 5 March 2026") dates no happening
    if len(s_dates) < 2:
        return s_dates
    first = s_dates[0]
    line_start = max(sentence.start, text.rfind("\n", sentence.start, first.start) + 1)
    if _DATELINE_BEFORE.match(text, line_start, first.start) and _DATELINE_AFTER.match(text, first.end):
        return s_dates[1:]
    return s_dates


def milestone_pairs(milestone_pairs, other_pairs):
    """A milestone shares a date with another happening only if it is about as near to it: in "plans to revise
    their MoU on defence, signed in 2010", 2010 belongs to the MoU, not to the partnership named before."""
    kept = []
    for d, s in milestone_pairs:
        # talks and visits are where upgrades happen: only a rival of another family can hold the date
        rivals = [span_gap(d.start, d.end, o.start, o.end) for od, o in other_pairs
                  if od is d and o.kind not in ("meeting", "visit")]
        if not rivals or span_gap(d.start, d.end, s.start, s.end) <= min(rivals) + 60:
            kept.append((d, s))
    return kept


# a milestone told by a participle after its noun: "diplomatic relations, established on ..."
_MILESTONE_PARTICIPLE = re.compile(r",\s+(?:which\s+(?:were|was)\s+)?(?:first\s+|formally\s+)?(?:established|normali[sz]ed"
                                   r"|forged|set\s+up|restored)\b", re.IGNORECASE)
MILESTONE_HOLD = 15
"""A date this near its milestone's words ("diplomatic relations, established on September 21, 1973") is the
milestone's own: a happening told much further away in the sentence does not share it."""


def others_far_from_a_held_date(pairs_of_milestones, other_pairs):
    held = {id(d): span_gap(d.start, d.end, s.start, s.end) for d, s in pairs_of_milestones
            if span_gap(d.start, d.end, s.start, s.end) <= MILESTONE_HOLD}
    return [(d, s) for d, s in other_pairs
            if id(d) not in held or span_gap(d.start, d.end, s.start, s.end) <= held[id(d)] + 60]


def drop_agreements_to_milestones(text: str, pairs):
    """'agreed to establish a strategic partnership in 2009' is the milestone, not a separate agreement."""
    milestone_starts = [s.start for _, s in pairs if s.kind == "milestone"]
    if not milestone_starts:
        return pairs
    return [
        (d, s) for d, s in pairs
        if not (s.kind == "agreement" and text[s.start:s.end].lower().startswith("agreed to")
                and any(0 <= m - s.end <= 80 for m in milestone_starts))
    ]


# "came home on Saturday from a visit to Taiwan that ran from June 28 to July 3": the day of the return, when the
# visit's own span is told beside it
_RETURN_BEFORE = re.compile(r"\b(?:came|comes|returned|returns|flew|flies|got|arrived|arrives)\s+(?:back\s+|home\s+)*"
                            r"(?:(?:late|early)\s+)?(?:on|in)?\s*$", re.IGNORECASE)
_FROM_THE_TRIP = re.compile(r"\s*from\s+(?:a|an|the|his|her|their|its)\s+(?:[\w-]+\s+){0,3}(?:visit|trip|tour|stay)\b",
                            re.IGNORECASE)


# "his first trip to Japan since he returned to office in January 2025": the date of a clause told after "since",
# not of the happening before it
_SINCE_A_CLAUSE = re.compile(r"\bsince\s+(?:he|she|they|we|it|(?:the|his|her|their|its)\s+[\w-]+|(?-i:[A-Z][\w-]+))\s+"
                             r"(?:[\w’'-]+\s+){1,6}?$", re.IGNORECASE)


# the same in Korean, the date first: "2024년 6월 왕세자에 책봉된 뒤 처음 나선 아시아 순방" (his first Asian tour since he
# was named crown prince in June 2024)
_KO_FIRST_SINCE = re.compile(r"[^.,]{0,40}?(?:된|한|난|온|간|은|던)\s*(?:뒤|후|이후)\s*(?:처음|첫)")


def _in_a_since_clause_after(text: str, d, s: Signal) -> bool:
    """The date ``d`` is told in a since-clause after the signal ``s`` ("his first trip since he returned to office
    in January 2025", "… 책봉된 뒤 처음 나선 순방"): it dates that clause, not the signal's happening."""
    if d.end <= s.start and _KO_FIRST_SINCE.match(text, d.end, s.start):
        return True
    m = _SINCE_A_CLAUSE.search(text, max(0, d.start - 80), d.start)
    return m is not None and s.end <= m.start() and "," not in text[m.start():d.start]


# the end of a term a happening extends ("the stockpiling deal, extended until 2029", "2029년까지 연장하는 계약",
# "gia hạn đến năm 2029"): when its clause names another date, that one dates the happening
# (and the start of a term: "2027년부터 6년간 ... 공급받는 장기계약을 맺었다", supplies from 2027 for six years)
_TERM_AFTER = re.compile(r"\s*까지\s*(?:연장|유지|늘리)|\s*부터\s*(?:\d+|[한두세네]|다섯|여섯|일곱|여덟|아홉|열)\s*(?:년|개월|달)\s*(?:간|동안)")
_TERM_BEFORE = re.compile(r"(?:\b(?i:extend(?:s|ed|ing)?|prolong(?:s|ed|ing)?|renew(?:s|ed|ing)?)\s+(?:[\w'’-]+\s+){0,6}?"
                          r"(?i:until|till|to|through|into)|\b(?i:gia\s+hạn)\s+(?:[\w-]+\s+){0,4}?(?i:đến|tới)(?:\s+năm)?)\s+$")


def _a_term_beside_another_date(text: str, d, c_dates) -> bool:
    """The date ``d`` ends a term a happening extends, and its clause names another date that dates it."""
    return len(c_dates) > 1 and (_TERM_AFTER.match(text, d.end) is not None
                                 or _TERM_BEFORE.search(text, max(0, d.start - 80), d.start) is not None)


def _a_return_beside_the_span(text: str, d, s: Signal, c_dates) -> bool:
    """The day of a return from a trip dates no visit of the clause when the clause tells the visit's span."""
    return (s.kind == "visit" and any(o.is_range for o in c_dates if o is not d)
            and _FROM_THE_TRIP.match(text, d.end) is not None
            and _RETURN_BEFORE.search(text, max(0, d.start - 40), d.start) is not None)


# the day a figure was told, not the figure's period: "the ministry said on Friday", "data released on Monday"
_REPORTED_ON = re.compile(r"\b(?:said|says|announced|reported|showed|published|released|disclosed|stated)\s+(?:on|late\s+on"
                          r"|early\s+on)?\s*$", re.IGNORECASE)


def pair_dates(c_dates, signals, *, limit: int | None, clause: Span | None = None,
          language: str = "en", text: str | None = None) -> list[tuple[dates_mod.DateMention, Signal]]:
    if not signals:
        return []
    options = []
    verb_final = language in VERB_FINAL
    # "Nawrocki, who took office in August 2025, has promised ...": the date of a clause told about the subject
    # dates that clause, not the predicate after it
    about_the_subject = [] if clause is None or verb_final else [
        (clause.start + m.start(), clause.start + m.end()) for m in _RELATIVE_CLAUSE.finditer(clause.text)]
    for d in c_dates:
        opens_clause = clause is not None and not CLAUSE_LEAD_IN.sub("", clause.text[: d.start - clause.start]).strip()
        for s in signals:
            gap = span_gap(d.start, d.end, s.start, s.end)
            if limit is not None and gap > limit:
                continue
            if any(a <= d.start and d.end <= b <= s.start for a, b in about_the_subject):
                continue
            if text is not None and s.kind == "statistic" and len(c_dates) > 1 \
                    and _REPORTED_ON.search(text, max(0, d.start - 30), d.start):
                continue  # "... $2.4 billion in 2025, up 9% on the year before, the ministry said on Friday": the
                # report's day, beside the figure's own period
            if text is not None and (_a_return_beside_the_span(text, d, s, c_dates)
                                     or _in_a_since_clause_after(text, d, s) or _a_term_beside_another_date(text, d, c_dates)):
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
