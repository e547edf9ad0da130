"""Tense: whether the clause around a date speaks of the past or the future, which decides "on Tuesday" or
"in March" written without a year. The cue closest to the mention within its sentence decides, so that
"launched in mid-March, will end in late 2026" reads March as past; a cue in another clause counts for less.
Vague references count as cues too: "recently" speaks of the past, "in the near future" of the future."""

from __future__ import annotations

import bisect
import re

from .references import RX_FUTURE_REF, RX_PAST_REF

# "met ... to plan the merger": an infinitive of purpose, not a plan still to come
RX_FUTURE = re.compile(
    r"(?i:\bwill\b|\bshall\b|\bwon[’']t\b|[’']ll\b|\b(?:is|are|am|be)\s+(?:expected|scheduled|slated|set|due"
    r"|going|planned|poised|about|likely)\s+to\b|\b(?:is|are)\s+(?:set|scheduled|slated|planned|due|pencilled\s+in)\s+for\b|(?<!the\s)(?<!a\s)(?<!to\s)\bplan(?:s|ning)?\s+(?:to|an?|the|their|its)\b"
    r"|\bto\s+be\s+(?:held|hosted|organi[sz]ed|signed|launched|opened)\b|\bupcoming\b|\bforthcoming\b"
    r"|\bnext\b(?![-\u2010-\u2015])|\b(?:intends?|wants?|aims?|hopes?|seeks?|expects?|expected|is|are)\s+to\b"

    # present tense of a scheduled happening ("a visit that ends on Thursday", "talks open on Monday")
    r"|\b(?:begins|starts|ends|opens|closes|concludes|arrives|departs|resumes|wraps\s+up|kicks\s+off"
    r"|travels\s+(?:on\s+)?to|flies\s+(?:on\s+)?to|travels\s+on|flies\s+on|moves\s+on|heads\s+on|goes\s+on\s+to|leaves\s+for"
    r"|takes\s+effect|comes\s+into\s+force|is\s+due|are\s+due)\b"
    # a happening moved to a new date is still to come on it ("the trip was postponed to June 5")
    r"|\b(?:postponed|put\s+off|moved|pushed\s+back|rescheduled|delayed|deferred)\s+(?:to|until|till|for)\b"
    r"|\bsẽ\b|\bdự\s+kiến\b|\bsắp\b)|예정|계획|할\s*것|겠"
    # a modal before a verb ("should be completed", "could sign"), not before a perfect ("could have"); "may" in
    # lower case only (May is a month)
    r"|\b(?:[Ss]hould|[Ww]ould|[Cc]ould|[Mm]ight|[Mm]ust|may)\s+(?!have\b|not\s+have\b)[a-z]")
RX_PAST = re.compile(
    r"(?i:\b(?:was|were|had|did|ago|earlier|previously|former|said|says|told|met|held|made|took|began|went|came"
    r"|saw|gave|won|led|became|grew|rose|fell|hit|set\s+up|agreed|sent|spent|paid|signed|upheld|withheld|found|sold"
    r"|bought|built|brought|fought|sought|struck|stood|wrote|spoke|chose|drew|flew|knew|broke|drove|felt|kept|lost"
    r"|ran|withdrew|oversaw|overcame|undertook|đã|vừa)\b)"
    # (not a participle after a determiner: "to review the restructured projects")
    r"|(?<!\bthe )(?<!\bits )(?<!\btheir )(?<!\ba )(?<!\ban )\b(?!(?:expect|schedul|plann|slat|intend|propos|design|aim|commit|need|speed)ed\b)[a-z]{2,}(?<!e)ed\b"
    r"|했다|였다|었다|았다|했으며|했고|가졌다|밝혔다")
# what was agreed or promised is still to come, for a date told after it: "agreed on Monday to hold their first
# joint patrol in June" (but "later in February agreed to resume talks" is past)
RX_AGREED_TO = re.compile(r"(?i:\b(?:agreed|agrees|decided|decides|pledged|pledges|promised|promises|vowed|vows"
                          r"|resolved)\s+(?:on\s+\w+\s+)?to\s+(?!have\b)[a-z])")
RX_PLANNED_BEFORE = re.compile(  # a plan told in the past ("had been due to open on May 4") dates either side
    r"(?i:\bhad\s+been\s+(?:expected|scheduled|slated|set|due|planned|supposed)\s+to\b)")
# a schedule told in the present, right before its date: "The new quotas apply from January 1", "the ban expires on
# 30 June" (a past one is told in the past: "applied from")
RX_PRESENT_SCHEDULE = re.compile(r"(?i:\b(?:apply|applies|takes?\s+effect|(?:comes?|enters?)\s+into\s+(?:force|effect)"
                                 r"|expires?|lapses?|runs?\s+(?:until|till|through))\s+(?:(?:on|from|in)\s+)?(?=\S))")
_RX_CLAUSE_BREAK = re.compile(r"[,;:\u2013\u2014]|\s(?:and|but|while|whereas|after|before|when|under\s+which"
                              r"|which|that)\s")
_RX_RELATIVE_CLAUSE_OPENS = re.compile(r",\s*(?:(?:under|in|by|with|for|through|after|to)\s+)?(?:which|whom|whose"
                                       r"|who)\b")
_RX_PASSIVE_AFTER_BE = re.compile(r"(?<![A-Za-z])(?i:be)\s+$")
# a speech verb after the clause it reports ("..., the companies said"): its tense is the report's, not the clause's
_RX_SPEECH = re.compile(r"(?i:said|says|told|added|noted|stated|announced|confirmed|explained|wrote)")
_RX_REPORTING_FRAME = re.compile(r"[^,;.]*,\s+(?:(?:the|a|an|its|their|his|her)\s+)?(?:[\w’'-]+\s+){0,4}")
_RX_FRAME_ENDS = re.compile(r"\s*(?:[.;]|,\s|$)")  # the frame closes its sentence: "..., the companies said."
_RX_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*(?=\s)|\n")


class TenseReader:
    """Reads the tense around spans of one text (sentence bounds computed once)."""

    def __init__(self, text: str):
        self.text = text
        self._bounds: list[int] | None = None

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        if self._bounds is None:
            self._bounds = [m.end() for m in _RX_SENTENCE_END.finditer(self.text)]
        i = bisect.bisect_right(self._bounds, start)
        a = self._bounds[i - 1] if i > 0 else 0
        j = bisect.bisect_left(self._bounds, end)
        b = self._bounds[j] if j < len(self._bounds) else len(self.text)
        return a, b

    def tense(self, start: int, end: int) -> str:
        """'future', 'past' or 'near' (no cue) for the clause around ``text[start:end]``."""
        a, b = self.sentence_bounds(start, end)
        a, b = max(a, start - 150), min(b, end + 150)
        best, best_distance = "near", None
        for rx, label in ((RX_PLANNED_BEFORE, "near"), (RX_AGREED_TO, "future"), (RX_FUTURE, "future"),
                          (RX_PAST, "past"), (RX_FUTURE_REF, "future"), (RX_PAST_REF, "past"),
                          (RX_PRESENT_SCHEDULE, "future")):
            for m in rx.finditer(self.text, a, b):
                if m.start() < end and start < m.end():
                    continue
                if rx is RX_PRESENT_SCHEDULE and m.end() != start:
                    continue  # only the verb right before its date
                if rx is RX_AGREED_TO and m.end() > start:
                    continue  # only for what comes after the agreeing
                if label == "past" and _RX_PASSIVE_AFTER_BE.search(self.text, max(0, m.start() - 4), m.start()):
                    continue  # "will be finalized", "to be signed": a participle, not a past tense
                gap = self.text[m.end():start] if m.end() <= start else self.text[end:m.start()]
                if label == "past" and m.start() >= end and _RX_SPEECH.fullmatch(m.group()) \
                        and _RX_REPORTING_FRAME.fullmatch(gap) and _RX_FRAME_ENDS.match(self.text, m.end()):
                    continue  # "... will stop in the fourth quarter, the companies said": the frame of the report
                distance = len(gap) + (40 if _RX_CLAUSE_BREAK.search(gap) else 0)
                if m.start() >= end and _RX_RELATIVE_CLAUSE_OPENS.search(gap):
                    distance += 150  # "signed a deal on Wednesday, under which it will buy ...": another clause's verb
                if m.start() >= end:
                    # as near before as after, the verb before governs the date: "said on Thursday it would spend ..."
                    distance += 0.5
                if best_distance is None or distance < best_distance:
                    best, best_distance = label, distance
        return best
