"""Gates before the lexicon's patterns: a clause is scanned only by the patterns whose words it holds, and the
gates never hide a match (a missed signal would be a missed event)."""

import datetime as dt
import re

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from partnership_explorer.core.pattern_gates import GatedPattern, WordGates, required_words
from partnership_explorer.core.signals import default_lexicon, find_signals


def test_words_come_from_the_pattern():
    assert required_words(re.compile(r"\b(?:signed|signing|inked)\b", re.I)) == ("inked", "signed", "signing")
    # optional parts and inflections: the shortest sure words ('stakes' says no more than 'stake')
    assert required_words(re.compile(r"\b(?:took|bought)\s+(?:a\s+)*stakes?\b", re.I)) == ("stake",)
    assert required_words(re.compile(r"\barriv(?:ed|es|e|ing) in\b", re.I)) == (
        "arrive in", "arrived in", "arrives in", "arriving in")
    assert required_words(re.compile(r"(?-i:\bMo[UC]s?\b)")) == ("moc", "mou")
    assert required_words(re.compile("서명|체결")) == ("서명", "체결")


def test_a_pattern_that_needs_no_word_has_no_gate():
    assert required_words(re.compile(r"\d+\s*\w+")) is None
    assert required_words(re.compile(r"\b(?:signed|\d{4})\b")) is None  # one branch needs no word
    gates = WordGates()
    digits, signed = gates.compile(r"\d{4}"), gates.compile(r"\bsigned\b")
    text = gates.open_in("in 2024")
    assert digits.may_match(text) and not signed.may_match(text) and digits.search(text).group() == "2024"


def test_a_clause_without_the_words_is_not_scanned():
    gates = WordGates()
    signed = gates.compile(r"\bsign(?:ed|ing)\b", re.I)
    visit = gates.compile(r"\bvisit(?:ed|s)?\b", re.I)
    text = gates.open_in("The two ministers SIGNED the accord.")
    assert signed.may_match(text) and not visit.may_match(text)
    assert signed.search(text).group() == "SIGNED" and visit.search(text) is None


def test_letters_that_fold_otherwise_open_every_gate():
    # under IGNORECASE re matches the long s to 's' and the dotless i to 'i'; str.lower keeps them apart
    gates = WordGates()
    signed = gates.compile(r"\bsigned\b", re.I)
    for word in ("ſigned", "sıgned", "SİGNED"):
        if signed.pattern.search(word):
            assert signed.search(gates.open_in(f"They {word} it.")) is not None
    lexicon = default_lexicon()
    assert [s.kind for s in find_signals("They ſigned an accord", 0, lexicon)] == ["agreement", "agreement"]


_PATTERNS = [GatedPattern(re.compile(source, alternation.flags), bit) for k in default_lexicon().kinds
             for alternation in (*k.triggers, *k.needs, *k.negative)
             for source, bit in zip(alternation.sources, alternation.bits)] + [
    m.pattern for m in default_lexicon().milestones]
_WORDS = sorted({w for p in _PATTERNS for w in required_words(p.pattern) or ()})
_PIECES = st.one_of(st.sampled_from(_WORDS), st.sampled_from(["ſ", "ı", "İ", "K", "Σ", " ", ", ", "2024", "$5"]),
                    st.text(min_size=1, max_size=6))


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12), st.sampled_from(["keep", "upper", "title"]))
def test_a_gate_is_open_wherever_its_pattern_matches(pieces, case):
    text = " ".join(pieces)
    text = {"keep": text, "upper": text.upper(), "title": text.title()}[case]
    gated = default_lexicon().gates.open_in(text)
    for p in _PATTERNS:
        if p.pattern.search(text):
            assert p.may_match(gated), (p.pattern.pattern[:80], text)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12))
def test_an_alternation_scanned_with_its_open_patterns_finds_what_the_whole_one_finds(pieces):
    text = " ".join(pieces)
    for kind in default_lexicon().kinds:
        for alternation in (*kind.triggers, *kind.needs, *kind.negative):
            gated = default_lexicon().gates.open_in(text)
            assert [m.span() for m in alternation.finditer(gated)] == [
                m.span() for m in alternation.pattern.finditer(text)], (kind.key, text)


def test_an_alternation_skips_the_patterns_whose_words_are_absent():
    from partnership_explorer.core.pattern_gates import GatedAlternation

    gates = WordGates()
    # leftmost-first: 'signed an' wins over 'signed' where both match, as in the whole alternation
    alternation = GatedAlternation(gates, [r"\bvisit(?:ed)?\b", r"\bsigned an\b", r"\bsigned\b", r"\d{4}"], re.I)
    text = gates.open_in("They signed an accord and signed another in 2024.")
    assert [m.group() for m in alternation.finditer(text)] == ["signed an", "signed", "2024"]
    assert alternation.search(gates.open_in("nothing here")) is None


# -- the date patterns' gates: a window around an anchor is scanned only when it holds the pattern's words

_DATE_PIECES = st.one_of(
    st.sampled_from(["the first half of", "the third quarter of", "Q3", "H1", "early", "the end of", "mid-",
                     "March", "Sept.", "12", "2024", "2019-2021", "10/2025", "29.10.2025", "last week", "yesterday",
                     "the same period last year", "three years ago", "the 1990s", "on Monday", "ſ", "ı", "İ", " ",
                     ", ", "."]),
    st.text(min_size=1, max_size=5))


def _dates_without_gates(text):
    from partnership_explorer.core.dates import candidates, find_dates

    with pytest.MonkeyPatch.context() as m:
        m.setattr(candidates.AnchoredScanner, "_words_to_test", lambda self, rx: None)
        return find_dates(text, reference=dt.date(2025, 6, 11))


@settings(max_examples=120, deadline=None)
@given(st.lists(_DATE_PIECES, min_size=1, max_size=14), st.sampled_from(["keep", "upper"]))
def test_the_date_gates_never_hide_a_date(pieces, case):
    from partnership_explorer.core.dates import find_dates

    text = " ".join(pieces)
    text = text.upper() if case == "upper" else text
    assert find_dates(text, reference=dt.date(2025, 6, 11)) == _dates_without_gates(text), text


def test_a_date_pattern_is_gated_by_its_own_words():
    from partnership_explorer.core.dates import candidates, english

    gates = candidates._GATES
    assert gates.words_of(candidates._FAMILIES[english.RX_HALF][3]) == ("half",)
    assert gates.words_of(candidates._FAMILIES[english.RX_QUARTER][3]) == ("quarter",)
    assert gates.folds_plainly("In the first half of 2024") and not gates.folds_plainly("the fırst half of 2024")
    scanner = candidates.AnchoredScanner("Trade rose 12% in 2024, and in the first half of 2025 it rose again.")
    assert [m.group() for m in scanner.scan(english.RX_HALF)] == ["the first half of 2025"]
    assert scanner.scan(english.RX_QUARTER) == []  # no 'quarter' in any window: not scanned at all


def test_a_document_without_demonyms_is_not_asked_clause_by_clause():
    from partnership_explorer.core.entities import default_gazetteer

    gazetteer = default_gazetteer()
    plain = "Vietnam and Japan signed an accord in Hanoi on Monday."
    assert not gazetteer.may_hold_demonyms(plain) and gazetteer.demonym_countries(plain) == []
    told = "The Japanese prime minister met his Vietnamese counterpart."
    assert gazetteer.may_hold_demonyms(told)
    assert [code for _, _, code in gazetteer.demonym_countries(told)] == ["JP", "VN"]


# -- where a match can begin: a pattern is tried only where its first character is

def test_the_first_characters_come_from_the_pattern():
    from partnership_explorer.core.pattern_gates import first_characters

    months = first_characters(re.compile(r"(?<![A-Za-z])(?:(?:Mon|Tue)day,?\s+)?(?:March|May|June)\s+\d{1,2}"))
    assert [c for c in "MTJmtj a1" if months.match(c)] == ["M", "T", "J"]
    assert not months.match("xM", 1)  # the leading lookbehind holds before the first character
    assert first_characters(re.compile(r"\d?x")) is None  # may begin with a lower-case letter: no quicker
    assert first_characters(re.compile(r"(?:[A-Z]\d)?")) is None  # may match nothing
    assert first_characters(re.compile(r"(?<!-)(?P<a>[A-Z])(?P=a)")).match("Q")
    assert first_characters(re.compile(r"[A-Z]\d")) is None  # re searches for a leading class itself
    assert first_characters(re.compile(r"(?i:Q)[1-4]")) is None  # 'q' begins a match too


_START_PIECES = st.one_of(_DATE_PIECES, st.sampled_from(["Monday,", "June 5", "5 June", "Q3/2024", "v2024",
                                                          "-2024", "2024/25", "K", "\n", "\u00a0", "Ministry of",
                                                          "Agency", "Co., Ltd.", "Corp.", "Minister"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(_START_PIECES, min_size=1, max_size=16), st.integers(0, 40), st.integers(0, 40))
def test_matching_where_a_match_can_begin_finds_what_finditer_finds(pieces, cut_before, cut_after):
    from partnership_explorer.core.dates import candidates
    from partnership_explorer.core.pattern_gates import finditer_from

    from partnership_explorer.core import entities
    from partnership_explorer.core.pattern_gates import find_all

    text = " ".join(pieces)
    lo, hi = min(cut_before, len(text)), max(0, len(text) - cut_after)
    tried = 0
    for rx, (*_, firsts) in candidates._FAMILIES.items():
        if firsts is None:
            continue
        tried += 1
        for a, b in ((0, len(text)), (lo, hi)):
            assert [m.span() for m in finditer_from(rx, firsts, text, a, b)] == [
                m.span() for m in rx.finditer(text, a, b)], (rx.pattern[:60], text, a, b)
    assert tried >= 8  # the month-name and number forms
    for rx in (candidates._RX_MONTH_ANCHOR, candidates._RX_WEEKDAY_ANCHOR, entities._BODY_HEAD_RE,
               entities.company_suffix_pattern(), entities._TITLE_RE):
        assert [m.span() for m in find_all(rx, text, lo, hi)] == [m.span() for m in rx.finditer(text, lo, hi)]
