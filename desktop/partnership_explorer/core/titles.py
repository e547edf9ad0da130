"""Event titles from the clause's own words: who did what, with whom.

The kind-specific builders of :mod:`.extract` know the common shapes of news ("X visits Y", "Agreement on Z
signed by X"). When they can give only a bare kind ("Meeting", "Visit"), run to a whole sentence, or mix an
English template into Vietnamese or Korean words, the title is taken from the clause instead: from the
first party named before the signal (the subject) through the signal and the words after it (the object), up
to the next comma or subordinate clause, with the date expression and lead-ins left out. The words stay in the
article's language, so a title is never half one language and half another.
"""

from __future__ import annotations

import functools
import re

from .dates.vocabulary import MONTH_NAMES, MONTH_NUMBER, WEEKDAYS
from .entities import EntityMention
from .pattern_gates import WordGates
from .sentences import Span

# a title longer than this, or most of its sentence, is the sentence, not a title
MAX_TITLE_CHARS = 90
WORDS_AFTER_SIGNAL = 8
MAX_TITLE_WORDS = 14
GENERIC_TITLES = frozenset({
    "meeting", "visit", "summit", "talks", "agreement", "mou", "deal", "opening", "dated figure", "target",
    "milestone", "statistic", "cooperation", "intent", "sanction", "legal", "event"})
ACTOR_TYPES = ("country", "company", "person", "organisation", "government")
# the English words of the kind builders' templates: with Vietnamese or Korean words beside them, a title is half
# one language and half the other (a title all in English, from the gazetteer's English names, is consistent)
ENGLISH_TEMPLATE = re.compile(r"\b(?:visits?|visit to|meets?|meeting|signed by|signs|talks|opens|deal|agreement|"
                              r"between|target by|relations|upgraded|established|recognition|summit|forum|"
                              r"Mo[UC]|pact)\b", re.IGNORECASE)
# where the object of the clause ends: punctuation, or a clause of its own beginning
OBJECT_END = re.compile(r"[,;:()–—]|\s(?:which|who|whose|where|while|as|after|before|under which|according to|"
                        r"said|says|the (?:ministry|companies|company|government|officials) said)\b",
                        re.IGNORECASE)
LEAD_IN = re.compile(r"^(?:[-–—•*\s“\"']+|(?:in addition|meanwhile|however|moreover|also|separately|earlier|"
                     r"at the same time|as part of [^,]+|according to [^,]+|sau (?:đó|hội đàm)|theo [^,]+)\s*,\s*)+",
                     re.IGNORECASE)
# the place and date a dispatch was filed: "HANOI, May 23, 2016 (Meridian) – "
DATELINE = re.compile(r"^[A-ZÀ-Ỹ][A-ZÀ-Ỹ .'’-]{1,40},[^–—\n]{0,60}?[–—]\s*")
# where a coordinated phrase without a named subject begins: "... in March and a visit to the farms by ..."
PHRASE_START = re.compile(r".*(?:[,;:]|\b(?:and|but|while|và|nhưng))\s+", re.IGNORECASE | re.DOTALL)
NON_ENGLISH_WORD = re.compile(r"[\uac00-\ud7a3]|[ăâđêôơưĂÂĐÊÔƠƯ]|[àáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]")
# the signal is a noun when a determiner or modifier comes just before it: "a visit", "its first shipment"
NOUN_BEFORE = re.compile(r"\b(?:a|an|the|its|their|his|her|first|second|new|official|state|working|joint|"
                         r"trade|business)\s+(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
LEADING_CONJUNCTION = re.compile(r"^(?:and|but|while|và|còn)\s+", re.IGNORECASE)
DANGLING = {"and", "or", "as", "to", "of", "the", "a", "an", "in", "on", "at", "with", "for", "by", "that", "which",
            "its", "their", "his", "her", "và", "của", "với", "tại", "ở", "cho", "là", "để"}
KOREAN_DATE_PARTICLE = re.compile(r"(?:년)?(?:까지|부터|에는|에)?")  # "2030년까지": the particle goes with its date
# the words of a date, for the patterns that keep dates out of titles: weekdays and month names in full, and month
# names with their abbreviations ("Sept"), and the three letters a month's day may be written with ("4 Mar")
_WEEKDAYS_AND_MONTHS = "|".join(WEEKDAYS + MONTH_NAMES)
_CALENDAR_WORDS = "|".join(WEEKDAYS + sorted(MONTH_NUMBER, key=len, reverse=True))
_MONTH_PREFIXES = "|".join(name[:3] for name in MONTH_NAMES)
DATE_PREPOSITION = re.compile(r"(?:\b(?:on|in|since|from|by|during|of|vào|ngày|năm|trong)\s+)?$", re.IGNORECASE)


def needs_clause_title(title: str, sentence: str, language: str) -> bool:
    """Whether a built title fails a reader: a bare kind, the whole sentence, or two languages in one."""
    t = title.strip()
    words = t.split()
    if not t or len(words) <= 1 or t.lower().rstrip(".") in GENERIC_TITLES:
        return True
    if re.sub(r"\s*\([^()]*\)$", "", t).lower() in GENERIC_TITLES:
        return True  # a bare kind with its figure, "Deal ($185 million)": who did it is still untold
    # an English title of a Korean or Vietnamese sentence is not the sentence however long it is beside it
    # (and a title written anew, "Nine documents signed between X and Y", is not the sentence it sums up)
    english_of_other = language != "en" and not NON_ENGLISH_WORD.search(t)
    copied = t.casefold().rstrip(" .…") in (sentence or "").casefold()
    if len(t) > MAX_TITLE_CHARS or t.endswith("…") or (
            sentence and copied and not english_of_other and len(t) >= 0.8 * len(sentence.strip())):
        return True
    if t[0].islower() or LEADING_CONJUNCTION.match(t) or DATELINE.match(t):
        return True
    return mixed_language(t, language)


def mixed_language(title: str, language: str) -> bool:
    """An English template around words of another language ("일정으로 visit"): a title no reader accepts."""
    return language != "en" and bool(NON_ENGLISH_WORD.search(title) and ENGLISH_TEMPLATE.search(title))


def clause_title(text: str, clause_start: int, clause_end: int, signal_start: int, signal_end: int,
                 date_start: int, date_end: int, mentions: list[EntityMention], language: str,
                 verb_final: bool = False) -> str:
    """The title of the happening a signal tells, in the clause's own words (offsets into ``text``)."""
    actors = [m for m in mentions if m.entity.type in ACTOR_TYPES and clause_start <= m.start and m.end <= signal_start]
    # the subject: the first party named in the stretch before the signal (within a few words of it)
    near = [m for m in actors if signal_start - m.end <= 120]
    if near:
        start = near[0].start
    else:
        # no party named before the signal: the phrase it heads ("a visit to the farms by Castellan executives")
        phrase = PHRASE_START.match(text, clause_start, signal_start) if NOUN_BEFORE.search(
            text, clause_start, signal_start) else None
        start = phrase.end() if phrase else clause_start
    if date_start < start < date_end:  # begun inside the date ("ngày 14/6 Thủ tướng ...", "지난 3월 12일 ..."): after it
        start = date_end
        while start < signal_start and text[start] in " ,\t":
            start += 1
    if verb_final:
        # Korean puts the object and the date before the verb: from the subject to the end of the verb's word
        end = signal_end
        word_end = re.match(r"[^\s.,;:]*", text[signal_end:clause_end])
        end += word_end.end() if word_end else 0
    else:
        after = text[signal_end:clause_end]
        stop = OBJECT_END.search(after)
        after = after[:stop.start()] if stop else after
        # (the end of the last word kept, found by its place: "a" may also be found inside "90-hectare")
        words = [w.end() for _, w in zip(range(WORDS_AFTER_SIGNAL), re.finditer(r"\S+", after))]
        end = signal_end + (words[-1] if words else 0)
    title = text[start:end]
    # the date is said elsewhere in the event: "on Wednesday", "vào ngày 20/3", "25일" leave the title
    if start <= date_start and date_end <= end:
        head = DATE_PREPOSITION.sub("", text[start:date_start])
        tail = text[date_end:end]
        title = head + tail[KOREAN_DATE_PARTICLE.match(tail).end():]
    title = LEADING_CONJUNCTION.sub("", LEAD_IN.sub("", DATELINE.sub("", title.strip())))
    title = re.sub(r"\s+", " ", title).strip(" ,;:.\"“”'’")
    words = title.split()[:MAX_TITLE_WORDS]
    while len(words) > 2 and words[-1].lower().strip(",;:") in DANGLING:
        words.pop()
    title = " ".join(words).rstrip(",;:")
    return title[:1].upper() + title[1:]


# ------------------------------------------------------------------------------------------------ by kind
# The common shapes of news titles, one builder per kind: "X visits Y", "Agreement on Z signed by X", "Trade
# between X and Y: $N"; :func:`needs_clause_title` says when their result gives way to :func:`clause_title`.

VERB_FINAL = {"ko", "ja"}


# Titles
_AGREEMENT_NOUN = re.compile(
    r"\b(?P<noun>memorand(?:um|a) of (?:understanding|cooperation|agreement)|Mo[UC]s?|MO[UC]s?|agreements?|"
    r"biên bản ghi nhớ|thỏa thuận|hiệp định|양해각서|협정|협약|"
    r"accords?|treaty|pact|deal|contracts?|(?:strategic |comprehensive )?partnership(?: agreement)?|framework)"
    r"(?:\b|(?<=[\uac00-\ud7a3]))"
    r"(?:\s+\([A-Za-z]+\))?"
    r"(?:[^.;,]{0,40}?\b(?:on|for|regarding|concerning|to cooperate in|in the (?:field|area)s? of|về)\s+"
    r"(?:the\s+)?(?:field of\s+|area of\s+)?"
    # a date is no topic: "signed eleven agreements on Tuesday covering ...", "an agreement on January 1"
    rf"(?!(?i:{_CALENDAR_WORDS}|the\s+same|that\s+day|last|next|this|the\s+(?:previous|following|next)|earlier"
    rf"|later)\b|\d{{4}}\b|\d{{1,2}}/\d|\d{{1,2}}(?:st|nd|rd|th)?\s+(?i:{_MONTH_PREFIXES}))"
    r"(?P<topic>[^,.;()]{2,60}?)"
    r"(?=\s+(?:in|at|with|between|by|worth|valued|during|while|which|that|was|were|originally|signed|,)\b"
    rf"|\s+(?:on|from|since|until)\s+(?:(?i:{_WEEKDAYS_AND_MONTHS})\b|\d{{4}}\b|\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"(?i:{_MONTH_PREFIXES}))|[,.;]|$))?",
    re.IGNORECASE,
)


FIGURE = re.compile(
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
                   "holding", "organized", "organised", "attended", "who", "which",
                   # a pronoun or a preposition qualifies no noun: "he visit", "after talks"
                   "he", "she", "they", "we", "after", "before", "following", "since", "from", "when", "where"}


def title_case(s: str) -> str:
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


_AGREED_TO_GATE = WordGates()  # a clause without the words is not scanned (an IGNORECASE scan of it costs more)
_AGREED_TO = _AGREED_TO_GATE.compile(r"\bagreed to\s+([^,.;]{3,80})", re.IGNORECASE)
_SPECIFIC_AGREEMENT = re.compile(r"memorand|\bmo[uc]|treaty|pact|accord|biên bản|양해각서", re.IGNORECASE)


def agreement_match(clause: str, pos: int):
    """The agreement noun phrase nearest the date, preferring specific ones (MoU, treaty) over 'agreements'."""
    found, specific = _agreement_nouns(clause)
    if not found:
        return None
    pool = specific or found
    return min(pool, key=lambda m: abs(m.start() - pos))


@functools.lru_cache(maxsize=256)  # a clause is asked about for its title and for its signature, often for several dates
def _agreement_nouns(clause: str) -> tuple[tuple[re.Match, ...], tuple[re.Match, ...]]:
    """The agreement noun phrases of a clause, and the specific ones among them."""
    found = tuple(_AGREEMENT_NOUN.finditer(clause))
    return found, tuple(m for m in found if _SPECIFIC_AGREEMENT.search(m.group("noun")))


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
        # a deal is named by the noun nearest its own words ("signed a wheat supply deal"), an agreement by the one
        # nearest its date
        return _agreement_title(kind, ctext, rel(date.start), mentions, pair, english=language == "en",
                                noun_pos=rel(signal.start) if kind == "deal" else None)
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
        return _fallback_title(_without_date(ctext, rel(date.start), date))
    if kind == "statistic":  # the figure is the signal ("2.4 billion euros in 2025, up 11%": not the 11%)
        return _statistic_title(ctext, rel(signal.start), mentions, clause.start)
    if kind == "target":
        return _target_title(ctext, rel(date.start), date, language)
    begun = _PROGRAMME_BEGUN.search(ctext) if kind == "cooperation" and language == "en" else None
    if begun is not None:  # "The working-holiday programme, which began in January 2007" → "... programme begins"
        what = (begun.group("what") or begun.group("what2")).strip()
        return f"{what[:1].upper()}{what[1:]} begins"
    return _fallback_title(_without_date(ctext, rel(date.start), date))


# a programme between the two begun: "The working-holiday programme, which began in January 2007"
_PROGRAMME_BEGUN = re.compile(r"(?:\b(?:the|a|an|their|its)\s+)?(?P<what>(?:[\w’'-]+\s+){0,4}?(?:programmes?|programs?|schemes?"
                              r"|scholarships?|exchanges?))\s*,?\s+(?:(?:which|that)\s+)?(?:began|started|was\s+launched"
                              r"|were\s+launched|was\s+set\s+up|got\s+under\s*way)\b"
                              r"|(?:\b(?:the|a|an|their|its)\s+)?(?P<what2>(?:[\w’'-]+\s+){0,4}?(?:programmes?|programs?|schemes?"
                              r"|scholarships?|exchanges?))\s*,?\s+(?:which|that)\s+(?:[\w’'-]+\s+){1,4}?(?:began|started"
                              r"|launched|set\s+up)\b", re.IGNORECASE)


# a batch of texts signed, counted: "14 agreements", "nine cooperation documents", "22 memorandums of understanding"
_BATCH = re.compile(r"\b(?P<n>\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\s+"
                    r"(?P<what>(?:(?:new|more|other|bilateral|cooperation|economic|trade|separate)\s+)?(?:agreements|documents"
                    r"|memorand(?:a|ums)(?:\s+of\s+understanding)?|MoUs|deals|contracts|accords|texts|instruments))\b",
                    re.IGNORECASE)


_DEAL_MODIFIERS = re.compile(r"\b(?:a|an|the|its|their)\s+((?:(?!(?:and|or|with|of|on|in|to|for|by|a|an|the|its|their)\b)"
                             r"[a-z][\w-]*\s+){1,4})$")


# an ending the two settle on: "the termination of their cell supply contract", "an early end to the lease"
_ENDING = re.compile(r"\b(?:termination|dissolution|(?:early\s+)?end(?:ing)?)\s+(?:of|to)\s+(?:their|the|its)\s+"
                     r"((?:[\w-]+\s+){0,3}?(?:contract|agreement|deal|partnership|venture|alliance|lease)s?)\b", re.IGNORECASE)


def _agreement_title(kind: str, ctext: str, date_pos: int, mentions: list[EntityMention], pair: str,
                     english: bool = True, noun_pos: int | None = None) -> str:
    ending = _ENDING.search(ctext) if english and kind == "agreement" else None
    if ending is not None:  # "Castelmare and Seorin end their cell supply contract"
        orgs = _actor_names(mentions, ("company", "government", "organisation"))
        who = _join(orgs[:2]) if len(orgs) >= 2 else pair.replace("–", " and ")
        what = ending.group(1).lower()
        return f"{who} end their {what}" if who else f"End of the {what}"
    m = agreement_match(ctext, date_pos if noun_pos is None else noun_pos)
    agreed = _AGREED_TO.search(_AGREED_TO_GATE.open_in(ctext))
    if agreed and (m is None or agreed.start() < m.start() and not _SPECIFIC_AGREEMENT.search(m.group("noun"))):
        what = agreed.group(1)
        if agreed.start(1) <= date_pos < agreed.end(1):  # leave the date out of the title
            what = what[: date_pos - agreed.start(1)]
        what = re.sub(r"\b(?:their|its|the)\s+", "", _trim_words(what, 9))
        return _tidy(f"Agreement to {what}")
    batch = _BATCH.search(ctext) if kind == "agreement" else None
    if batch is not None:  # "witnessed the signing of 14 agreements": "14 agreements signed between X and Y"
        orgs = _actor_names(mentions, ("company", "government", "organisation"))
        who = (f" between {pair.replace('–', ' and ')}" if pair else f" by {_join(orgs[:2])}" if orgs else "")
        count = batch.group("n")
        what = " ".join(w if any(c.isupper() for c in w[1:]) else w.lower() for w in batch.group("what").split())
        return f"{count[:1].upper() + count[1:]} {what} signed{who}"
    noun = _agreement_noun(m.group("noun")) if m else ("Deal" if kind == "deal" else "Agreement")
    if noun.lower().endswith("s") and noun.lower() in ("agreements", "accords", "contracts", "mous", "mocs"):
        noun = noun[:-1]
    # titles are written in English: a topic phrase in another language would make a mixed title
    topic = m.group("topic").strip() if m and m.group("topic") and english else ""
    if kind == "deal" and m and not topic and english:
        # the words that say what the deal is ("a three-year wheat supply deal"): the title's noun phrase
        modifiers = _DEAL_MODIFIERS.search(ctext, max(0, m.start() - 60), m.start())
        if modifiers:
            noun = f"{modifiers.group(1)}{m.group('noun').lower()}"
            noun = noun[:1].upper() + noun[1:]
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
    figure = FIGURE.search(ctext) if kind == "deal" else None
    if figure:
        title += f" ({figure.group(0)})"
    return title


def _visit_title(ctext, s0, s1, offset, mentions, pair, verb_final=False) -> str:
    people = [m for m in mentions if m.entity.type == "person"]
    before = [m for m in people if m.end - offset <= s0]
    possessive = [m for m in before if re.match(r"[’']s\b", ctext[m.end - offset:m.end - offset + 3])]
    visitor = (possessive or before or people or [None])[-1 if (possessive or before) else 0]
    # ("flew in from Jakarta", "arrived from Hanoi": the place named is where the visitor came from)
    dest = "" if ctext[s0:s1].lower().endswith(" from") else _place_after(mentions, offset + s0, types=("place", "country"))
    if not dest and verb_final:  # "한국을 국빈 방문했다": the destination comes before the verb
        before_places = [m for m in mentions if m.entity.type in ("place", "country") and m.end - offset <= s0]
        dest = before_places[-1].entity.name if before_places else ""
    if visitor is None and _VISIT_VERB.match(ctext, s0):
        # "when Manmohan Singh visited Abuja": the capitalised name just before the verb is the visitor
        subject = _NAME_BEFORE.search(ctext, 0, s0)
        if subject:
            return f"{subject.group(1)} visits {dest}" if dest else f"Visit by {subject.group(1)}"
    if visitor is None:
        mods = _modifiers(ctext, s0)
        base = " ".join(mods + ["visit"]) if mods else "Visit"
        base = base[:1].upper() + base[1:]
        return f"{base} to {dest}" if dest else base
    name = visitor.entity.name
    home = visitor.entity.country
    if home and dest and not verb_final:  # the visitor's own country is not where they go ("Macron visits France")
        dest = next((m.entity.name for m in mentions if m.entity.type in ("place", "country")
                     and m.start >= offset + s0 and m.entity.country != home), "")
    return f"{name} visits {dest}" if dest else f"Visit by {name}"


_VISIT_VERB = re.compile(r"visit(?:ed|s)\b")
# the name of a guest after "for" (its title left out): "for Taoiseach Micheál Martin", "for the visiting Emir"
_NAME_AFTER = re.compile(r"\s+(?:the\s+)?(?:visiting\s+)?(?:(?-i:Taoiseach|President|Prime\s+Minister|Premier|Chancellor|King|Queen"
                         r"|Emir|Sultan|Crown\s+Prince|Minister|Foreign\s+Minister|Secretary)\s+)?"
                         r"((?-i:[A-Z][\w’'-]+)(?:\s+(?-i:[A-Z][\w’'-]+)){0,2})")
_NAME_BEFORE = re.compile(r"(?<![\w’'])((?-i:[A-Z][\w’'-]+)(?:\s+(?-i:[A-Z][\w’'-]+)){1,3})\s+(?:(?:also|then|later|first)\s+)?$")


def _modifiers(ctext: str, s0: int) -> list[str]:
    """Words qualifying the signal noun: 'second foreign ministerial (talks)', 'three-day state (visit)'."""
    words = re.findall(r"[\w’'-]+", re.sub(r"\([^()]*\)", " ", ctext[:s0]))[-4:]
    mods: list[str] = []
    for w in reversed(words):
        if w.lower() in _STOP_MODIFIERS or w.endswith(("’s", "'s")) or _DATE_WORD.fullmatch(w):
            break  # a date's words are no modifier: "ngày 14/6 ... hội kiến", "지난 3월 12일 ... 협의"
        mods.insert(0, w)
    return mods


_DATE_WORD = re.compile(rf"\d+(?:월|일|년|st|nd|rd|th)?|(?i:{_WEEKDAYS_AND_MONTHS})")


# "hosted a dinner for", "gave a state luncheon in honour of": a meal one side gives the other
_HOSTED_MEAL = re.compile(r"(?i:hosted|hosts|gave|gives|held|holds|threw|offered)\s+(?:a|an)\s+((?:[\w-]+\s+)?"
                          r"(?:dinner|lunch|luncheon|reception|breakfast))\b")


def _meeting_title(ctext, s0, s1, offset, mentions, pair) -> str:
    trig = ctext[s0:s1]
    place = _place_after(mentions, offset + s0)
    people = _actor_names(mentions, ("person",))
    meal = _HOSTED_MEAL.match(trig)
    if meal:  # "Takaichi hosts a dinner for Martin"
        host = [_short_name(m) for m in mentions if m.entity.type == "person" and m.start < offset + s0]
        guests = [_short_name(m) for m in mentions if m.entity.type == "person" and m.start >= offset + s1]
        named_before = _NAME_BEFORE.search(ctext[:s0])
        named_after = _NAME_AFTER.match(ctext, s1)
        host = host[-1:] or ([named_before.group(1)] if named_before else [])
        guests = guests[:1] or ([named_after.group(1)] if named_after else [])
        if host and guests:
            return f"{host[0]} hosts a {meal.group(1).lower()} for {guests[0]}"
    between = re.search(r"\b(summit|talks|meeting|phone call|dialogue)\s+between\b", ctext, re.IGNORECASE)
    if between and len(people) >= 2:
        base = f"{between.group(1)[:1].upper() + between.group(1)[1:].lower()} between {people[0]} and {people[1]}"
        return f"{base} in {place}" if place else base
    if trig.lower() in ("met", "meets", "meet", "meeting", "meeting with"):
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
    fig = nearest(FIGURE, ctext, date_pos)
    if not fig:
        return _fallback_title(ctext)
    figure = fig.group(0)
    after = ctext[fig.end():]
    of = re.match(r"\s+of\s+((?:[\w’'.-]+\s+){0,6}?[\w’'.-]+?)(?=\s+(?:and|were|was|is|are|in|by|to|from|"
                  r"through|last|this|during|for|since|on|,)\b|[,.;]|$)", after)
    lead = CLAUSE_LEAD_IN.sub("", ctext)
    growth = _GROWTH.match(lead)
    if of:
        owner = [m for m in mentions if m.start - offset < fig.start() and m.start - offset < 40]
        head = f"{owner[0].entity.name}: " if owner and not growth else ""
        if growth and len(growth.group("subj")) <= 45:
            head = growth.group("subj").strip() + ": "
        return head + figure + " of " + of.group(1)
    subj = growth.group("subj").strip() if growth else ""
    if not subj or len(subj) > 45:
        near = nearest(_STAT_SUBJECT, ctext, fig.start())
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


# the words that lead to a target's date, and those that follow it: "by (the end of) 2030", "vào năm 2030", "2030년까지"
_TO_TARGET_DATE = re.compile(r"\s*(?:\b(?:by|in|until|before)(?:\s+the\s+end\s+of)?|\bvào(?:\s+năm)?|\bđến(?:\s+năm)?"
                             r"|\btrước(?:\s+năm)?|\btới(?:\s+năm)?)\s*$", re.IGNORECASE)
_TARGET_HEAD = {"vi": "Mục tiêu đến năm {year}: ", "ko": "{year}년 목표: "}


def _target_title(ctext: str, date_pos: int, date, language: str = "en") -> str:
    """"Target: $10 billion in trade by 2030", else the aim in the clause's own words after a head in the article's
    language ("Target by 2030: ", "Mục tiêu đến năm 2030: ", "2030년 목표: "), the date left out of them."""
    year = date.label()[:4]
    head = _TARGET_HEAD.get(language, "Target by {year}: ").format(year=year)
    fig = nearest(FIGURE, ctext, date_pos)
    if fig and abs(fig.start() - date_pos) > 70:
        fig = None
    if fig and language not in _TARGET_HEAD:
        subj = _STAT_SUBJECT.search(ctext[fig.end():fig.end() + 40])
        what = fig.group(0) + (f" in {subj.group('s').lower()}" if subj else "")
        return f"Target: {what} by {year}"
    before = _TO_TARGET_DATE.sub("", ctext[:date_pos])
    cut = max((m.end() for m in _AIM_START.finditer(before)), default=-1)
    if cut >= 0 and len(before) - cut >= 5 and language not in _TARGET_HEAD:
        what = _trim_words(before[cut:].strip(" ,"), 10)
        return head + what
    return head + _fallback_title(_without_date(ctext, date_pos, date), 70)


def _without_date(ctext: str, date_pos: int, date) -> str:
    """The clause with its date and the words that lead to it left out ("signed ... on February 27" → "signed
    ..."), for a title said in the clause's own words."""
    if date is None or ctext[date_pos:date_pos + len(date.text)] != date.text:
        return ctext
    before = _TO_TARGET_DATE.sub("", DATE_PREPOSITION.sub("", ctext[:date_pos]))
    after = ctext[date_pos + len(date.text):]
    after = after[KOREAN_DATE_PARTICLE.match(after).end():]
    if not after.strip(" .,;"):
        return before
    return before.rstrip() + ("" if after.lstrip()[:1] in ",.;:" else " ") + after.lstrip()


def nearest(pattern: re.Pattern, s: str, pos: int):
    best = None
    for m in _matches(pattern, s):
        if best is None or abs(m.start() - pos) < abs(best.start() - pos):
            best = m
    return best


@functools.lru_cache(maxsize=256)  # the figures of a clause are looked for near its date for the title and the signature
def _matches(pattern: re.Pattern, s: str) -> tuple[re.Match, ...]:
    return tuple(pattern.finditer(s))


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


CLAUSE_LEAD_IN = re.compile(
    r"^(?:[-–—•*\s“\"]+|(?:for example|for instance|in addition|meanwhile|however|moreover|also|as part of [^,]+|"
    r"according to [^,]+|at the same time|in [^,]{0,30}|on [^,]{0,30}|by [^,]{0,30}),\s*)+",
    re.IGNORECASE,
)


def _fallback_title(s: str, limit: int = 90) -> str:
    s = CLAUSE_LEAD_IN.sub("", s.strip().strip("“”\"'’‘"))
    s = s.rstrip(".,;: ")
    if len(s) > limit:
        s = s[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return s[:1].upper() + s[1:]
