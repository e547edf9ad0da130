"""Sentence and clause boundaries with character offsets into the original text.

A small rule-based splitter: sentence-final punctuation (optionally followed by closing quotes or brackets)
followed by whitespace and a capital letter, digit or opening quote; line breaks always end a sentence.
Known abbreviations ("Mr.", "Dr.", "U.S.", "Jan.", "Co.", Vietnamese "TP.") and initials do not. It is several
times faster than general-purpose segmenters on news text, and news text is what it sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st jr sr co corp inc ltd no nos vs etc e.g i.e u.s u.k u.n gen sen rep gov lt col maj
    capt sgt adm cmdr hon rev dept univ assn bros jan feb mar apr jun jul aug sep sept oct nov dec approx est
    fig vol pp ph.d p.m a.m mt ft h.e h.m h.r.h""".split()
)

# Vietnamese titles and place words written with a dot before a name ("TP. Hồ Chí Minh", "TS. Nguyễn Văn A"),
# matched as written: a city (thành phố), town (thị xã), doctor, master, professor, associate professor
CASED_ABBREVIATIONS = frozenset({"TP", "Tp", "TX", "TS", "ThS", "GS", "PGS", "BS"})

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9À-ỸĀ-ſ\u1100-\u11ff\uac00-\ud7af\u3131-\u318e–—-])")
_LINEBREAK = re.compile(r"\n+")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


_LIST_NUMBER = re.compile(r"[ \t]*\(?(?:\d{1,2}|[a-hA-H])")  # the number or letter of a list item, before its dot


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not m:
        return False
    if m.group(1).rstrip(".") in CASED_ABBREVIATIONS:
        return True
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isalpha() and text[m.start(1)].isupper()  # an initial: "J. Smith"


MAX_SENTENCE_CHARS = 1_000
"""A longer run of text without a sentence end (a table row, a list, a page without punctuation) is cut into
pieces of at most this many characters, at a space where there is one: what is done per sentence (pairing its
dates and signals) then costs the same for every piece, and a long text costs in proportion to its length."""


def _pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    out = []
    while b - a > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", a + MAX_SENTENCE_CHARS // 2, a + MAX_SENTENCE_CHARS)
        cut = cut if cut > a else a + MAX_SENTENCE_CHARS
        out.append((a, cut))
        a = cut
        while a < b and text[a].isspace():
            a += 1
    out.append((a, b))
    return out


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of ``text[start:end]`` with offsets into ``text``, whitespace trimmed, empty ones dropped; a
    sentence longer than :data:`MAX_SENTENCE_CHARS` comes in pieces."""
    end = len(text) if end is None else end
    cuts = [start]
    if text.find("\n", start, end) >= 0:  # not within one paragraph
        for line in _LINEBREAK.finditer(text, start, end):
            cuts.append(line.start())
            cuts.append(line.end())
    for m in _BOUNDARY.finditer(text, start, end):
        if text[m.start()] == "." and (_is_abbreviation(text, m.start()) or _LIST_NUMBER.fullmatch(
                text, max(start, text.rfind("\n", start, m.start()) + 1), m.start())):
            continue  # "J. Smith"; "1. A memorandum on ..." (the number of a list item opens its sentence)
        cuts.append(m.end())
    cuts.append(end)
    cuts.sort()
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b - a > MAX_SENTENCE_CHARS:
            for p, q in _pieces(text, a, b):
                while q > p and text[q - 1].isspace():
                    q -= 1
                if q > p:
                    spans.append(Span(p, q, text[p:q]))
        elif b > a:
            spans.append(Span(a, b, text[a:b]))
    return spans


# Places where one sentence holds two happenings: "..., while LG CNS and VNPT signed ...", "...; ...",
# ", and the first talks took place ...", and in Vietnamese "..., trong khi Việt Nam và Malaysia đã ...", "..., còn
# ...", "..., nhưng ...". A clause split never cuts inside quotes' own punctuation.
_CLAUSE_BREAK = re.compile(
    r";\s+|,\s+(?=(?:while|whereas|and\s+(?:the|a|an|its|their|it|they|he|she|we))\b)|\s+(?=(?:while|whereas)\s)"
    # (and ", nơi ...", where: "thăm Nhà máy đóng tàu Sông Cấm, nơi Tuần duyên Philippines ký hợp đồng ...")
    r"|,\s+(?=(?:trong\s+khi|trong\s+lúc|còn|nhưng|song|nơi)\s)|(?P<named>,\s+(?=and\s+[A-Z][\w'’.-]*\s))",
)
# ", and Strandmere withdrew ..." opens a clause, ", and Peru signed" after "Chile, Brazil" ends a list of names: a
# name after ", and" starts a clause only when the words since the comma before are a clause's worth
NAMED_CLAUSE_MIN_WORDS = 5


# Korean joins clauses with a connective ending before the comma: "1992년 수교했으며, 2022년 ..."
_CLAUSE_BREAK_KO = re.compile(r"(?<=[며고서나데])\s*,\s+|;\s+")


def split_clauses(text: str, sentence: Span, language: str = "en") -> list[Span]:
    """Clauses of one sentence, offsets into ``text``."""
    cuts = [sentence.start]
    pattern = _CLAUSE_BREAK_KO if language == "ko" else _CLAUSE_BREAK
    for m in pattern.finditer(text, sentence.start, sentence.end):
        if m.lastgroup == "named":
            since = text[max(cuts[-1], text.rfind(",", cuts[-1], m.start()) + 1):m.start()]
            if len(since.split()) < NAMED_CLAUSE_MIN_WORDS:
                continue
        cuts.append(m.end())
    cuts.append(sentence.end)
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        while b > a and text[b - 1] in " ,;":
            b -= 1
        if b > a:
            spans.append(Span(a, b, text[a:b]))
    return spans


# Two predicates of one subject, each with its own date: "was launched in December 2022 and aims to put a fighter
# into service by 2035". The word after "and" is a finite verb (an auxiliary, a past tense, a third person).
_PREDICATE_AND = re.compile(
    r"\s+and\s+(?=(?:then\s+|later\s+|also\s+|subsequently\s+|now\s+)?(?:will|would|is|was|are|were|has|had|"
    r"have|could|can|may|might|should|[a-z]{2,}ed|(?:aim|plan|hope|expect|intend|want|seek|look|need|promise)s)\b)"
)


def split_predicates(text: str, clause: Span, dated: list[int]) -> list[Span]:
    """``clause`` cut where "and" joins a second predicate, when the parts on both sides of a cut hold a date
    (``dated``: the start offsets of the clause's dates, sorted); else the clause itself."""
    if len(dated) < 2:
        return [clause]
    cuts = [clause.start]
    for m in _PREDICATE_AND.finditer(text, clause.start, clause.end):
        if any(cuts[-1] <= d < m.start() for d in dated) and any(d >= m.end() for d in dated):
            cuts.append(m.start())
    if len(cuts) == 1:
        return [clause]
    cuts.append(clause.end)
    return [Span(a, b, text[a:b]) for a, b in zip(cuts, cuts[1:])]


def paragraphs(text: str) -> list[Span]:
    """Blocks separated by line breaks (news text puts one paragraph on a line)."""
    out = []
    pos = 0
    for m in re.finditer(r"\n+", text):
        if m.start() > pos:
            out.append(Span(pos, m.start(), text[pos:m.start()]))
        pos = m.end()
    if pos < len(text):
        out.append(Span(pos, len(text), text[pos:]))
    return out
