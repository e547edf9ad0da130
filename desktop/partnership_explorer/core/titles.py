"""Event titles from the clause's own words: who did what, with whom.

The kind-specific builders of :mod:`.extract` know the common shapes of news ("X visits Y", "Agreement on Z
signed by X"). When they can give only a bare kind ("Meeting", "Visit"), run to a whole sentence, or mix an
English template into a Vietnamese or Korean article (where any English template would), the title is taken from the clause instead: from the
first party named before the signal (the subject) through the signal and the words after it (the object), up
to the next comma or subordinate clause, with the date expression and lead-ins left out. The words stay in the
article's language, so a title is never half one language and half another.
"""

from __future__ import annotations

import re

from .entities import EntityMention

# a title longer than this, or most of its sentence, is the sentence, not a title
MAX_TITLE_CHARS = 90
WORDS_AFTER_SIGNAL = 8
MAX_TITLE_WORDS = 14
GENERIC_TITLES = frozenset({
    "meeting", "visit", "summit", "talks", "agreement", "mou", "deal", "opening", "dated figure", "target",
    "milestone", "statistic", "cooperation", "intent", "sanction", "legal", "event"})
ACTOR_TYPES = ("country", "company", "person", "organisation", "government")
# the English words of the kind builders' templates: in a Vietnamese or Korean article they would make a title
# half English, so there the clause's own words are used
ENGLISH_TEMPLATE = re.compile(r"\b(?:visits?|visit to|meets?|meeting|signed by|signs|talks|opens|deal|agreement|"
                              r"between|target by|relations|upgraded|established|recognition|summit|forum|"
                              r"Mo[UC]|pact)\b", re.IGNORECASE)
# where the object of the clause ends: punctuation, or a clause of its own beginning
OBJECT_END = re.compile(r"[,;:()–—]|\s(?:which|who|whose|where|while|as|after|before|under which|according to|"
                        r"said|says|the (?:ministry|companies|company|government|officials) said)\b",
                        re.IGNORECASE)
LEAD_IN = re.compile(r"^(?:[-–—•*\s“\"']+|(?:in addition|meanwhile|however|moreover|also|separately|earlier|"
                     r"at the same time|as part of [^,]+|according to [^,]+|sau (?:đó|hội đàm)|theo [^,]+),\s*)+",
                     re.IGNORECASE)
# the place and date a dispatch was filed: "HANOI, May 23, 2016 (Meridian) – "
DATELINE = re.compile(r"^[A-ZÀ-Ỹ][A-ZÀ-Ỹ .'’-]{1,40},[^–—\n]{0,60}?[–—]\s*")
# where a coordinated phrase without a named subject begins: "... in March and a visit to the farms by ..."
PHRASE_START = re.compile(r".*(?:[,;:]|\b(?:and|but|while|và|nhưng))\s+", re.IGNORECASE | re.DOTALL)
# the signal is a noun when a determiner or modifier comes just before it: "a visit", "its first shipment"
NOUN_BEFORE = re.compile(r"\b(?:a|an|the|its|their|his|her|first|second|new|official|state|working|joint|"
                         r"trade|business)\s+(?:[\w'’-]+\s+){0,2}$", re.IGNORECASE)
LEADING_CONJUNCTION = re.compile(r"^(?:and|but|while|và|còn)\s+", re.IGNORECASE)
DANGLING = {"and", "or", "as", "to", "of", "the", "a", "an", "in", "on", "at", "with", "for", "by", "that", "which",
            "its", "their", "his", "her", "và", "của", "với", "tại", "ở", "cho", "là", "để"}
DATE_PREPOSITION = re.compile(r"(?:\b(?:on|in|since|from|by|during|of|vào|ngày|năm|trong)\s+)?$", re.IGNORECASE)


def needs_clause_title(title: str, sentence: str, language: str) -> bool:
    """Whether a built title fails a reader: a bare kind, the whole sentence, or two languages in one."""
    t = title.strip()
    words = t.split()
    if not t or len(words) <= 1 or t.lower().rstrip(".") in GENERIC_TITLES:
        return True
    if len(t) > MAX_TITLE_CHARS or (sentence and len(t) >= 0.8 * len(sentence.strip())) or t.endswith("…"):
        return True
    if t[0].islower() or LEADING_CONJUNCTION.match(t) or DATELINE.match(t):
        return True
    if language != "en" and ENGLISH_TEMPLATE.search(t):
        return True
    return False


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
    if verb_final:
        # Korean puts the object and the date before the verb: from the subject to the end of the verb's word
        end = signal_end
        word_end = re.match(r"[^\s.,;:]*", text[signal_end:clause_end])
        end += word_end.end() if word_end else 0
    else:
        after = text[signal_end:clause_end]
        stop = OBJECT_END.search(after)
        after = after[:stop.start()] if stop else after
        words = after.split()[:WORDS_AFTER_SIGNAL]
        end = signal_end + (after.find(words[-1]) + len(words[-1]) if words else 0)
    title = text[start:end]
    # the date is said elsewhere in the event: "on Wednesday", "vào ngày 20/3", "25일" leave the title
    if start <= date_start and date_end <= end:
        head = DATE_PREPOSITION.sub("", text[start:date_start])
        title = head + text[date_end:end]
    title = LEADING_CONJUNCTION.sub("", LEAD_IN.sub("", DATELINE.sub("", title.strip())))
    title = re.sub(r"\s+", " ", title).strip(" ,;:.\"“”'’")
    words = title.split()[:MAX_TITLE_WORDS]
    while len(words) > 2 and words[-1].lower().strip(",;:") in DANGLING:
        words.pop()
    title = " ".join(words).rstrip(",;:")
    return title[:1].upper() + title[1:]
