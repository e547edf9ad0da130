"""Vague references to the past, the present or the future ("recently", "currently", "in the long term"):
time expressions without a calendar period. TimeML gives them the values ``PAST_REF``, ``PRESENT_REF`` and
``FUTURE_REF``. They never date an event; they say which side of the publication date a clause speaks of, and
the tense reader (:mod:`.tense`) takes them as cues.

English only: the words of news reports for an indefinite time. "The past" followed by a length ("the past nine
days") is a duration, not a reference; a bare "now" is too often a discourse word ("now that", "and now") to
count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAST_REF, PRESENT_REF, FUTURE_REF = "PAST_REF", "PRESENT_REF", "FUTURE_REF"

_UNITS = r"(?:years?|months?|weeks?|days?|decades?|quarters?|centur(?:y|ies)|sessions?)"
RX_PAST_REF = re.compile(
    r"(?<![A-Za-z])(?i:(?:more\s+|most\s+|until\s+|only\s+)?recently"
    r"|(?:in\s+)?recent\s+(?:years|months|weeks|decades|times)"
    r"|(?:in\s+)?the\s+(?:recent\s+|distant\s+)?past(?!\s+(?:[\w-]+\s+){0,2}" + _UNITS + r"\b))(?![A-Za-z])")
RX_PRESENT_REF = re.compile(
    r"(?<![A-Za-z])(?:(?i:currently|at\s+present|presently|nowadays|these\s+days|(?:for\s+)?the\s+time\s+being"
    r"|at\s+the\s+moment|(?:right|until|as\s+of|by)\s+now)|(?<=\bis\s)now|(?<=\bare\s)now|(?<=\bhas\s)now"
    r"|(?<=\bhave\s)now)(?![A-Za-z])")
RX_FUTURE_REF = re.compile(
    r"(?<![A-Za-z])(?i:(?:in\s+)?the\s+(?:near\s+|distant\s+|foreseeable\s+)?future(?!\s+of\b)"
    r"|(?:very\s+|as\s+)soon(?!\s+as\b)|(?:in|over|for)\s+the\s+(?:long|short|near|medium)\s+term"
    r"|the\s+(?:long|short|near|medium)\s+term(?=\s*[,.;])|in\s+the\s+(?:years|months)\s+(?:to\s+come|ahead)"
    r"|in\s+the\s+coming\s+(?:years|months|decades))(?![A-Za-z])")
_PATTERNS = ((RX_PAST_REF, PAST_REF), (RX_PRESENT_REF, PRESENT_REF), (RX_FUTURE_REF, FUTURE_REF))


@dataclass(frozen=True)
class TimeReference:
    start: int
    end: int
    text: str
    value: str  # PAST_REF, PRESENT_REF or FUTURE_REF


def find_references(text: str, taken=()) -> list[TimeReference]:
    """The vague time references of ``text`` in text order, none overlapping another or a span of ``taken``
    (``(start, end)`` pairs or objects with ``start`` and ``end``: the dates already found)."""
    if not isinstance(text, str) or not text:
        return []
    spans = [(t.start, t.end) if hasattr(t, "start") else tuple(t) for t in taken]
    found = []
    for rx, value in _PATTERNS:
        for m in rx.finditer(text):
            a, b = m.span()
            if any(s < b and a < e for s, e in spans):
                continue
            spans.append((a, b))
            found.append(TimeReference(a, b, m.group(0), value))
    return sorted(found, key=lambda r: r.start)
