"""Whether a clause tells of the article's own partnership or of another one mentioned in passing.

A story about two countries also tells what each does with others: "He visited Saudi Arabia and Egypt in
December", "Rome and Tokyo signed their own agreement in 2017", "Kim visited Tashkent on Monday before flying to
Astana". Those are happenings of other partnerships, not of the one the reader follows. The rule, read from the
clause alone:

* the article's pair is its two most named countries, counting its people and bodies for their country, when
  the second is named at least twice and more often than any third (:func:`article_pair`); else nothing is
  dropped;
* the countries a clause names are those of its countries, people, bodies, companies and places, and of its
  demonyms ("the Japanese side");
* a clause that, up to the end of the event's words, names a country outside the pair and not both of the pair
  tells of another partnership ("will travel on to Auckland on Thursday to meet business leaders, before flying
  to Sydney" is still the pair's; "Kim visited Tashkent on Monday before flying to Astana" is not). One that names both ("Vietnam and Korea signed the deal on the sidelines of the G20 summit in
  Brazil") or no other country stays.
* In a story of two companies the countries of its companies and plants say nothing of another partnership: a
  clause naming a company is read by companies instead, the article's pair being its two most named companies
  ("Shenghe licensed a different antibody to Meridale Pharma in 2024", in a story of Shenghe and Calder), and
  the countries are not read at all in such a story (they are those of its firms, plants and regulators).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable

from .entities import EntityMention, Gazetteer, default_gazetteer, fold

COUNTRY_BEARING_TYPES = ("country", "person", "government", "company", "place")


def article_pair(mentions: Iterable[EntityMention]) -> frozenset[str]:
    """ISO codes of the article's two sides, counted over its countries, people and government bodies; empty when
    the second side is not clear (named once, or as often as a third)."""
    return _clear_two(Counter(m.entity.country for m in mentions
                              if m.entity.type in ("country", "person", "government") and m.entity.country))


def _first_word(name: str) -> str:
    words = name.split()
    return words[0].strip(".,'’") if words else ""


def company_key(name: str) -> str:
    """What tells a story's companies apart: the first word of the name ("Hyundai" for Hyundai Motor Group and
    Hyundai; "Calder" for Calder Therapeutics plc)."""
    return _first_word(name).casefold()


def company_pair(text: str, mentions: Iterable[EntityMention], gazetteer: Gazetteer | None = None) -> frozenset[str]:
    """The article's two most named companies (:func:`company_key`), counted by every time the text names them,
    short names included ("Calder said"), when both are clear (see :func:`article_pair`). ``gazetteer`` (the
    default one when None) tells demonyms, which name no company ("Ethiopian" Shipping)."""
    mentions = list(mentions)
    gazetteer = gazetteer or default_gazetteer()
    countries = {fold(m.entity.name) for m in mentions if m.entity.type == "country"}
    # a first word a text uses for other things tells no company apart: "Ethiopian" (Shipping ...), "Al" (Ghaf ...)
    firsts = {w for w in (_first_word(m.entity.name) for m in mentions if m.entity.type == "company")
              if w and w.casefold() not in _NO_COMPANY_KEY and fold(w) not in countries
              and not (w[:1].isupper() and _demonym(w, gazetteer))}
    counts = Counter({w.casefold(): len(re.findall(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)) for w in firsts})
    return _clear_two(counts)


_NO_COMPANY_KEY = {"al", "el", "the", "new", "national", "state", "first", "royal", "united", "general"}


def _demonym(word: str, gazetteer: Gazetteer) -> bool:
    return any(s == 0 and e == len(word) for s, e, _code in gazetteer.demonym_countries(word))


def _clear_two(counts: Counter) -> frozenset[str]:
    top = counts.most_common(3)
    if len(top) < 2 or top[1][1] < 2 or (len(top) == 3 and top[2][1] == top[1][1]):
        return frozenset()
    return frozenset(code for code, _n in top[:2])


# a city stands for its country as an actor ("Beijing added tungsten to its list", "Santiago and Canberra signed")
# or where someone goes ("visited Tashkent"), not where a thing is or passes ("a stop in Rome", "talks in Kunming")
_LOCATIVE_BEFORE = re.compile(r"(?i:\b(?:in|at|near|from|via|outside|around|across|between|through|of)\s+(?:the\s+)?)$")


# a city's name that is a person's first name: "President Santiago Peña", "Florence Mbeki said"
_TITLE_BEFORE = re.compile(r"(?-i:\b(?:President|Prime\s+Minister|Minister|Premier|Senator|Governor|Mayor|Ambassador|General"
                           r"|Mr|Mrs|Ms|Dr|Sir|Dame))\.?\s+$")
_SURNAME_AFTER = re.compile(r"\s(?-i:[A-Z][a-zà-ÿ’'-]+)(?!\s+(?-i:[A-Z]))")


def _a_persons_name(text: str, m: EntityMention) -> bool:
    return (_TITLE_BEFORE.search(text, max(0, m.start - 20), m.start) is not None
            and _SURNAME_AFTER.match(text, m.end) is not None)


def named_countries(text: str, mentions: Iterable[EntityMention], gazetteer: Gazetteer, start: int, end: int, *,
                    demonyms: bool = True) -> set[str]:
    """ISO codes of the countries ``text[start:end]`` names, itself or through its people, bodies, companies,
    demonyms and the cities that act or are gone to (``mentions`` are that span's entity mentions)."""
    codes = {m.entity.country for m in mentions if m.entity.type in COUNTRY_BEARING_TYPES and m.entity.country
             and (m.entity.type != "place" or not _LOCATIVE_BEFORE.search(text, max(0, m.start - 12), m.start)
                  and not _a_persons_name(text, m))}
    if demonyms:
        codes.update(code for _s, _e, code in gazetteer.demonym_countries(text[start:end]))
    return codes


# words by which a story tells of others' dealings like the pair's
_ANOTHER_PAIRS_OWN = re.compile(r"(?i:\b(?:signed|agreed|concluded|struck|reached|have|has|had)\s+(?:their|its)\s+own\b"
                                # "an unrelated dispute with a Dutch toolmaker"; "India's own National Critical Mineral
                                # Mission, launched in January 2025": another matter, one side's own policy
                                r"|\b(?:an?\s+)?unrelated\s+(?:[\w-]+\s+){0,2}?(?:dispute|case|deal|agreement|contract"
                                r"|lawsuit|suit|matter|transaction|order)s?\b"
                                r"|(?:\b(?:its|their|his|her)|['’]s)\s+own\s+(?:[\w-]+\s+){0,5}?(?:mission|programme|program"
                                r"|plan|strategy|scheme|policy|initiative|law|budget)s?,?\s+(?:was\s+|were\s+)?(?:launched|unveiled"
                                r"|adopted|announced|set\s+up|approved|introduced|started|passed)\b"
                                r"|(?<!over )(?<!beating )(?<!beat )(?<!than )(?<!of )\b(?:a|an)\s+(?:rival|competing)\s+\w+"
                                r"|(?-i:\bRival)\s+[a-z]+\b"  # "Rival operator Odra Intermodal opened a terminal"
                                r"|\ba\s+similar\s+(?:[\w-]+\s+)?(?:deal|agreement|pact"
                                r"|contract|accord|arrangement|partnership)\b"
                                # "is in talks with other lessors": others than the other side
                                r"|\bwith\s+other\s+(?:[\w-]+\s+)?(?:lessors|buyers|suppliers|partners|companies|firms"
                                r"|carriers|airlines|banks|investors|manufacturers|makers|operators|customers|clients)\b)")
# a firm known only by its country and trade: "a Chinese compressor maker", "an Indian steel group"
_UNNAMED_FIRM = re.compile(r"\b(?i:an?)\s+(?-i:[A-Z][a-z]+)\s+(?:[\w-]+\s+){0,2}(?i:maker|makers|group|company|firm|producer"
                           r"|manufacturer|supplier|rival|competitor|operator|carrier|utility|miner|trader|developer"
                           r"|conglomerate|chaebol|start-up|startup|fund|investor|lessor|buyer|insurer|airline|bank)\b")
# (a rival set aside is no party: "chose the Japanese design over a rival from Germany's TKMS")
# (Korean names the rivals beaten before the verb: "프랑스·이탈리아 업체를 제치고", beating French and Italian firms)
_KO_BEATEN_WORD = re.compile(r"제치고|누르고|꺾고")  # (the pattern below is tried only where one of these is)
_KO_BEATING = re.compile(r"(?:[가-힣A-Za-z]+[·\s]*){1,4}?(?:업체|기업|회사|경쟁사|컨소시엄)?\s*(?:을|를)\s*(?:제치고|누르고|꺾고)")
_WITH_BEFORE = re.compile(r"\bwith\s+(?:the\s+)?$", re.IGNORECASE)
_EVENT_WORDS_END = re.compile(r"[,;:()]|\s(?:before|after|while|when|whereas|where|which|who|then|and\s+then"
                              # "arrived on Sunday and left for Brasilia on Tuesday": the next leg of the journey
                              r"|and\s+(?:left|leaves|departed|departs|flew|flies|travell?ed|travels|headed|heads|went|goes"
                              r"|moved|moves)\s+(?:on\s+)?(?:to|for)|over\s+(?:a|an|the)"
                              r"\s+(?:rival|competing|competitor)|instead\s+of|rather\s+than|beating|outbidding)\s")


def about_another_partnership(text: str, mentions: list[EntityMention], gazetteer: Gazetteer, start: int, end: int,
                              event_end: int, pair: frozenset[str], companies: frozenset[str] = frozenset(), *,
                              demonyms: bool = True) -> bool:
    """The clause ``text[start:end]`` (its entity mentions ``mentions``), whose signal and date end at
    ``event_end``, tells of another partnership than the article's ``pair`` of countries (:func:`article_pair`)
    or, when it names a company, than its ``companies`` (:func:`company_pair`). The event's words run on to the
    object of its verb, up to the next comma or subordinate clause ("meet Ecuador's president", not "before
    flying to Bogota")."""
    if _ANOTHER_PAIRS_OWN.search(text, start, end):
        return True  # "Rome and Tokyo signed their own agreement", "a rival miner signed a similar deal"
    if len(companies) == 2 and _UNNAMED_FIRM.search(text, start, event_end) and not {
            company_key(m.entity.name) for m in mentions if m.entity.type == "company"} & companies:
        return True  # "Last month a Chinese compressor maker agreed to supply a German boiler group": in a story of
        # two companies, a firm told by its country and trade only is another one
    if not mentions and not demonyms:
        return False  # (with none, a demonym may still name another side: "it raised tariffs on Chinese cars")
    beaten = [(m.start(), m.end()) for m in _KO_BEATING.finditer(text, start, end)] \
        if _KO_BEATEN_WORD.search(text, start, end) else []
    if beaten:  # the rivals a side beat are no party: "프랑스·이탈리아 업체를 제치고 우선협상대상자로 선정됐다"
        mentions = [m for m in mentions if not any(a <= m.start < b for a, b in beaten)]
    cut = _EVENT_WORDS_END.search(text, event_end, end)
    event_end = cut.start() if cut else end
    if any(m.entity.type == "company" for m in mentions):
        if len(companies) != 2:
            return False
        named = {company_key(m.entity.name) for m in mentions if m.entity.type == "company" and m.start < event_end}
        return bool(named - companies) and not companies <= named
    if len(pair) != 2 or len(companies) == 2:
        return False  # a story of two companies names the countries of its firms, plants and regulators
    named = named_countries(text, [m for m in mentions if m.start < event_end], gazetteer, start, event_end,
                            demonyms=demonyms)
    if not pair <= named and any(m.entity.type == "organisation" and not m.entity.country and m.start < event_end
                                 and _WITH_BEFORE.search(text, max(start, m.start - 12), m.start) for m in mentions):
        return True  # "it signed an updated trade agreement with the European Union": one side's dealings with a
        # bloc or a multilateral body (the two sides together with one are the pair's: "Chile and Peru signed ...
        # with the World Bank")
    return bool(named - pair) and not pair <= named


# -- what someone says rather than what happened --------------------------------------------------------------

_QUOTED = re.compile(r"“[^“”\n]{1,600}”|\"[^\"\n]{1,600}\"|«[^«»\n]{1,600}»|「[^「」\n]{1,600}」")
_COMMENTARY = re.compile(
    r",\s+who\s+(?:also\s+)?(?:noted|said|says|added|argued|argues|warned|warns|estimated|estimates|pointed out"
    r"|believes|thinks|expects|cautioned|observed|recalled)\b[^.!?\n]*"
    # an opinion told as such: "She estimated that deals of this kind accounted for ... in 2024"
    r"|\b(?:estimated|estimates|argued|argues|believes|believed|thinks|thought|reckons|reckoned|predicted|predicts"
    r"|speculated)\s+that\b[^.!?\n]*"
    # a sentence telling a speech's wishes: "Phát biểu tại hội đàm, Bộ trưởng ... mong muốn ...", "Speaking at the
    # talks, he urged ..." (not the facts a speaker tells: "... cho biết kim ngạch đạt 2,5 tỷ USD", "... said trade
    # reached")
    r"|(?:^|(?<=[.!?]\s)|(?<=\n))(?:Phát\s+biểu|Speaking)\s+(?:tại|trong|bên\s+lề|khi|at|after|during|to)\b"
    r"(?![^.!?\n]*\b(?:cho\s+biết|thông\s+tin|said|says|told|noted)\b)[^.!?\n]*")


def reported_speech(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are speech, not narration: direct quotations ("“What we signed today ...”") and
    what a speaker goes on to note after being named ("..., said Rizal Pratama, an economist, who noted that only
    a fraction of the pledges since 2019 ..."). A date inside them dates an opinion, not a happening the story
    reports (the story tells its happenings in its own words); only the relationship's milestones a speaker
    recalls are kept (:mod:`core.extract`). Sorted, not overlapping."""
    spans = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    spans += [(m.start(), m.end()) for m in _COMMENTARY.finditer(text)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def within_any(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """``[start, end)`` lies inside one of ``spans`` (sorted, not overlapping; ``starts`` their starts)."""
    i = bisect.bisect_right(starts, start) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]
