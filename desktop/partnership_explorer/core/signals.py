"""Signals of happenings: the event lexicon (``resources/event_kinds.toml``) and where its words occur in a clause.

Each kind of event has triggers (verbs and nouns with their inflections and nominalisations), optional
``needs`` (the clause must also hold one of these) and ``negative`` patterns; relationship milestones
(relations established, upgraded, recognised) are phrases of their own whose partnership level is kept.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .paths import resources_dir, tomllib
from .pattern_gates import GatedAlternation, GatedPattern, GatedText, WordGates
from .titles import title_case


@dataclass(frozen=True)
class KindRule:
    key: str
    label: str
    family: str
    priority: int
    triggers: tuple[GatedAlternation, ...]
    needs: tuple[GatedAlternation, ...] = ()
    negative: tuple[GatedAlternation, ...] = ()
    future_only: bool = False
    cameo: str = ""
    cameo_when: tuple[tuple[re.Pattern, str], ...] = ()

    @functools.cached_property
    def _trigger_gates(self) -> tuple[bool, int]:
        """(whether a trigger has no gate, the bits of the triggers' gates)"""
        bits = 0
        for t in self.triggers:
            bits |= t.gated_bits
        return any(t.ungated for t in self.triggers), bits

    def may_fire(self, text: GatedText) -> bool:
        """Whether one of the triggers may match ``text`` (its gate is open there)."""
        ungated, bits = self._trigger_gates
        return ungated or bool(text.open & bits)


@dataclass(frozen=True)
class MilestoneRule:
    key: str
    title: str
    pattern: GatedPattern
    context: GatedPattern | None = None
    enumerate: GatedPattern | None = None
    cameo: str = ""


# the words that bring in another happening a clause is timed by ("weeks before a jury trial had been due")
_TIMED_BY_ANOTHER = re.compile(r"(?i:\b(?:before|after|until|till|when|while|since|as\s+soon\s+as)\b)")

_MAX_GATE_COMBINATIONS = 4096  # combinations of open trigger gates whose kinds are kept


@dataclass(frozen=True)
class Lexicon:
    kinds: tuple[KindRule, ...]
    milestones: tuple[MilestoneRule, ...]
    gates: WordGates = field(default_factory=WordGates, compare=False, repr=False)  # of every pattern above
    # (kind pointed at, pattern): a sentence opening "After the talks, ..." tells of that happening's day
    references: tuple[tuple[str, re.Pattern], ...] = ()
    # a paragraph opening so turns to one side's home affairs ("At home, ...", "Trong nước, ...")
    home_affairs: tuple[re.Pattern, ...] = ()
    # the name of a gathering of many countries just before a summit or conference noun ("COP30 climate summit")
    gathering_before: re.Pattern | None = None
    gathering_after: re.Pattern | None = None  # the same name just after "hosted the" ("hosted the COP30 summit")
    # words saying a happening was called off ("was postponed", "무산됐다"): it did not happen
    called_off: tuple[re.Pattern, ...] = ()
    overtaken: tuple[re.Pattern, ...] = ()  # a plan told in the pluperfect ("had been scheduled for September")

    def called_off_in(self, text: str, start: int, end: int, *, legal: bool = False, plan_from: int | None = None
                      ) -> bool:
        """Whether ``text[start:end]``, a clause from a happening's words on, says it was called off (not another
        happening it is timed by: "signed on Friday, weeks before a jury trial had been due to open"). A legal
        happening (``legal``) is called off only as a plan overtaken: a case dropped is a happening of its own. A
        plan's words may come before the happening's, from ``plan_from`` on ("had been set to open")."""
        for p in self.overtaken if legal else self.called_off + self.overtaken:
            begin = plan_from if plan_from is not None and p in self.overtaken else start
            m = p.search(text, begin, end)
            if m is not None and not _TIMED_BY_ANOTHER.search(text, min(start, m.start()), m.start()):
                return True
        return False

    def turns_to_home_affairs(self, paragraph: str) -> bool:
        """Whether a paragraph opens by turning to one side's home affairs: it tells no happening between the
        two ("At home, Ramaphosa faces a party conference in December")."""
        head = paragraph.lstrip(" \t\"'“‘(-–—")
        return any(p.match(head) for p in self.home_affairs)

    def reference_opening(self, sentence: str) -> tuple[str, int, int] | None:
        """The kind of happening a sentence opens by pointing at, and where in the sentence the pointer is."""
        head = sentence.lstrip(" \t\"'“‘(-–—")
        skipped = len(sentence) - len(head)
        for kind, pattern in self.references:
            m = pattern.match(head)
            if m:
                return kind, skipped + m.start(), skipped + m.end()
        return None

    @functools.cached_property
    def _kinds_by_key(self) -> dict[str, KindRule]:
        by_key: dict[str, KindRule] = {}
        for k in self.kinds:
            by_key.setdefault(k.key, k)  # the first of a key, as a search in order finds
        return by_key

    @functools.cached_property
    def _trigger_bits(self) -> int:
        """The bits of every kind's triggers' gates: what a text's open gates are read for to choose kinds."""
        bits = 0
        for k in self.kinds:
            bits |= k._trigger_gates[1]
        return bits

    @functools.cached_property
    def _kinds_by_gates(self) -> dict[int, tuple[KindRule, ...]]:
        return {}

    def kinds_that_may_fire(self, text: GatedText) -> tuple[KindRule, ...]:
        """The kinds, in order, whose triggers may match ``text`` (:meth:`KindRule.may_fire`), looked up by the
        trigger gates open on it: clauses open the same few combinations again and again."""
        key = text.open & self._trigger_bits
        chosen = self._kinds_by_gates.get(key)
        if chosen is None:
            if len(self._kinds_by_gates) >= _MAX_GATE_COMBINATIONS:
                self._kinds_by_gates.clear()
            chosen = self._kinds_by_gates[key] = tuple(k for k in self.kinds if k.may_fire(text))
        return chosen

    def kind(self, key: str) -> KindRule | None:
        return self._kinds_by_key.get(key)

    def family(self, key: str) -> str:
        rule = self.kind(key)
        return rule.family if rule else key


def _compile(patterns) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def _combine(patterns, gates: WordGates) -> tuple[GatedAlternation, ...]:
    """All of a kind's triggers as one alternation: one scan of the clause instead of one per trigger, of the
    triggers whose words the clause holds (none when it holds none)."""
    patterns = list(patterns)
    return (GatedAlternation(gates, patterns, re.IGNORECASE),) if patterns else ()


def load_lexicon(path: Path | None = None) -> Lexicon:
    path = path or resources_dir() / "event_kinds.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        gates = WordGates()
        kinds = tuple(
            KindRule(
                key=k["key"], label=k["label"], family=k.get("family", k["key"]), priority=int(k.get("priority", 1)),
                triggers=_combine(k.get("triggers", ()), gates), needs=_combine(k.get("needs", ()), gates),
                negative=_combine(k.get("negative", ()), gates), future_only=bool(k.get("future_only", False)),
                cameo=str(k.get("cameo", "")),
                cameo_when=tuple((re.compile(p, re.IGNORECASE), str(c)) for p, c in k.get("cameo_when", ())),
            )
            for k in data["kind"]
        )
        milestones = tuple(
            MilestoneRule(
                m["key"], m["title"], gates.compile(m["pattern"], re.IGNORECASE),
                gates.compile(m["context"], re.IGNORECASE) if m.get("context") else None,
                gates.compile(m["enumerate"], re.IGNORECASE) if m.get("enumerate") else None,
                str(m.get("cameo", "")),
            )
            for m in data.get("milestone", ())
        )
        references = tuple((kind, re.compile(p, re.IGNORECASE))
                           for kind, patterns in data.get("references", {}).items() for p in patterns)
        home_affairs = _compile(data.get("home_affairs", {}).get("openers", ()))
        names = data.get("gatherings", {}).get("names", ())
        gathering_before = re.compile(r"(?<![\w-])(?:" + "|".join(names) + r")(?![\w])(?:[\s-]+[\w'’-]+){0,3}?[\s-]+$") \
            if names else None
        gathering_after = re.compile(r"\s*(?:\d{4}\s+)?(?:" + "|".join(names) + r")(?![\w])") if names else None
        called_off = tuple(re.compile(p, re.IGNORECASE) for p in data.get("called_off", {}).get("patterns", ()))
        overtaken = tuple(re.compile(p, re.IGNORECASE) for p in data.get("called_off", {}).get("overtaken", ()))
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, re.error, AttributeError) as exc:
        raise ValueError(f"{path.name}: invalid event lexicon ({exc})") from None
    return Lexicon(kinds, milestones, gates, references, home_affairs, gathering_before, gathering_after, called_off,
                   overtaken)


@functools.lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return load_lexicon()


@dataclass
class Signal:
    kind: str
    start: int
    end: int
    priority: int
    milestone: MilestoneRule | None = None
    detail: str = ""
    cover: tuple[int, int] | None = None  # the whole phrase of a milestone; other signals inside it are its words


def _level_in_english(level: str) -> str:
    """A partnership level as the titles name it: "포괄적 전략적 동반자", "Đối tác Chiến lược Toàn diện" and "Đối tác
    toàn diện" in English words; an English level as written."""
    if level.isascii():
        return level
    comprehensive = re.search(r"포괄|toàn diện", level, re.IGNORECASE)
    strategic = re.search(r"전략|chiến lược", level, re.IGNORECASE)
    return ("comprehensive " if comprehensive else "") + ("strategic " if strategic else "") + "partnership"


def find_signals(clause: str, offset: int, lexicon: Lexicon) -> list[Signal]:
    signals: list[Signal] = []
    gated = lexicon.gates.open_in(clause)
    for rule in lexicon.milestones:
        found = []
        for m in rule.pattern.finditer(gated):
            groups = [k for k, v in m.groupdict().items() if v]
            if groups:  # the level named is where the date attaches ("... to a strategic partnership in 2009")
                a, b = m.span(groups[0])
                level = _level_in_english(m.group(groups[0]))
            else:
                a, b, level = m.start(), m.end(), ""
            found.append((a, b, level, m.span()))
        if rule.enumerate is not None and rule.context is not None and rule.context.search(gated):
            for m in rule.enumerate.finditer(gated):
                if not any(a <= m.start("level") and m.end("level") <= b for a, b, _, _ in found):
                    # the whole phrase, name tail included: "Strategic Partnership for Peace ... in Asia (2009)"
                    found.append((m.start(), m.end(), _level_in_english(m.group("level")), m.span("level")))
        for a, b, level, (c0, c1) in found:
            level = re.sub(r",\s*", " ", level)
            signals.append(Signal("milestone", offset + a, offset + b, 6, rule, title_case(level),
                                  cover=(offset + c0, offset + c1)))
    covers = [s.cover for s in signals if s.cover]
    for rule in lexicon.kinds_that_may_fire(gated):  # not one without triggers
        if rule.needs and not any(p.search(gated) for p in rule.needs):
            continue
        if rule.negative and any(p.search(gated) for p in rule.negative):
            continue
        for pattern in rule.triggers:
            for m in pattern.finditer(gated):
                a, b = offset + m.start(), offset + m.end()
                if covers and any(c0 <= a and b <= c1 for c0, c1 in covers):
                    continue  # "relations were established" is the milestone, not an opening
                signals.append(Signal(rule.key, a, b, rule.priority))
    signals = _signing_of_a_deal(clause, offset, signals)
    # "agreed to buy 60,000 tonnes": the same words read as an agreement and as a deal are the deal
    deal_starts = {s.start for s in signals if s.kind == "deal"}
    if deal_starts:
        signals = [s for s in signals if not (s.kind == "agreement" and s.start in deal_starts)]
    if lexicon.gathering_before is not None and any(s.kind == "meeting" for s in signals):
        signals = [s for s in signals if not s.kind == "meeting" or not (
            _GATHERING_NOUN.fullmatch(clause, s.start - offset, s.end - offset)
            and lexicon.gathering_before.search(clause, max(0, s.start - offset - 40), s.start - offset)
            or _HOSTED_THE.fullmatch(clause, s.start - offset, s.end - offset)
            and lexicon.gathering_after.match(clause, s.end - offset))]
    return signals


# a host's verb before the gathering's name ("hosted the G20 summit")
_HOSTED_THE = re.compile(r"(?i:hosted|hosts|hosting)\s+the")
# the nouns by which a gathering of many countries is named ("summit", "conference")
_GATHERING_NOUN = re.compile(r"(?i:summits?|conferences?|forums?|gatherings?|meetings?|assembly|session)")


# the words between a signing verb and the noun it governs: "signed a three-year wheat supply deal"
_OBJECT_WORDS = re.compile(r"\s+(?:(?!and\b|or\b|with\b|on\b|in\b|at\b)[\w'’.$€£¥₩,-]+\s+){0,5}", re.IGNORECASE)
_SIGNING_VERB = re.compile(r"(?:signed|inked|concluded|(?:will|to|would) (?:sign|ink|conclude)|ký(?: kết)?)", re.IGNORECASE)
_DEAL_NOUN = re.compile(r"(?:contracts?|orders?|deals?|purchases?|(?:offtake|supply) (?:agreement|deal|contract)s?"
                        r"|loans?|credit lines?|grants?|licen[cs]e (?:deal|agreement)s?|hợp đồng)$", re.IGNORECASE)


def _signing_of_a_deal(clause: str, offset: int, signals: list[Signal]) -> list[Signal]:
    """A signing verb whose object is a deal ("signed a three-year wheat supply deal") tells the deal, not an
    agreement of its own: the verb is dropped, so the deal is what a date near the verb pairs with."""
    deals = [s for s in signals if s.kind == "deal" and _DEAL_NOUN.search(clause, s.start - offset, s.end - offset)]
    if not deals:
        return signals
    dropped = set()
    for s in signals:
        if s.kind != "agreement" or not _SIGNING_VERB.fullmatch(clause, s.start - offset, s.end - offset):
            continue
        if any(s.end < d.start and _OBJECT_WORDS.fullmatch(clause, s.end - offset, d.start - offset) for d in deals):
            dropped.add(id(s))
    return [s for s in signals if id(s) not in dropped] if dropped else signals
