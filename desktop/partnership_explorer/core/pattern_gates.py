"""Gates before regular expressions: the literal text without which a pattern cannot match.

Scanning a clause with a long alternation such as ``\\b(?:signed|signing|inked|concluded)\\b|...`` costs
Python's ``re`` a try of every branch at every position (a leading ``\\b`` defeats its own prefix search). Most
clauses hold none of the pattern's words, and finding the words a clause holds is far quicker.

:func:`required_words` reads a pattern's syntax tree (the standard library's own parser) and gives a set of
lower-case strings such that every match of the pattern contains at least one of them, or ``None`` when it
cannot tell (a pattern that may match digits or letters alone). :class:`WordGates` compiles many patterns, each
with its gate (its words), and opens, for a text, the gates whose words the lower-cased text holds, in one pass
(Aho–Corasick); a :class:`GatedPattern` scans a :class:`GatedText` only when its gate is open there.

A gate never changes a result, only skips scans that would find nothing: the words come from the pattern
itself (never from a list kept beside it), and a text whose letters ``re`` would fold otherwise than
``str.lower`` does (the dotless ``ı`` matching ``i`` under IGNORECASE, the long ``ſ`` matching ``s``) opens every
gate.
"""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass

import ahocorasick

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MAX_ALTERNATIVES = 64  # the most strings a part of a pattern is followed as (a cross product grows fast)
MAX_WORDS = 256  # the most words a gate holds (an alternation of many triggers needs the words of each)
_FEW_WORDS = 32  # up to this many words in all, a text is searched for each in turn rather than by the automaton
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_RANGE_LIMIT = 32  # a character class is expanded to its characters up to this size

_ZERO_WIDTH = {sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT}
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)}
_ATOMIC = getattr(sre_constants, "ATOMIC_GROUP", None)

_Strings = frozenset  # of lower-case strings
_EMPTY: _Strings = frozenset({""})


@dataclass(frozen=True)
class _Shape:
    """What a part of a pattern matches: ``exact`` the strings it can match (when few), ``required`` strings one
    of which every match contains (when known)."""

    exact: _Strings | None
    required: _Strings | None


_UNKNOWN = _Shape(None, None)
_GATES_OF_HIT = operator.itemgetter(1)  # of an automaton's hit (end, the bits of the gates needing its word)


@functools.lru_cache(maxsize=None)
def _foldable(char: str) -> bool:
    """Whether ``str.lower`` folds every character ``re`` matches to ``char`` under IGNORECASE the way it folds
    ``char``: true of ASCII letters for ASCII text (non-ASCII text is checked by :func:`_odd`) and of characters no
    ASCII character matches but themselves and their case pair."""
    if len(char.lower()) != 1:
        return False
    if char.isascii():
        return True
    one = re.compile(re.escape(char), re.IGNORECASE)
    return not any(one.fullmatch(chr(a)) and chr(a).lower() != char.lower() for a in range(128))


def _char(code: int) -> _Shape:
    char = chr(code)
    return _Shape(frozenset({char.lower()}), None) if _foldable(char) else _UNKNOWN


def _char_class(items) -> _Shape:
    chars: set[str] = set()
    for op, av in items:
        if op is sre_constants.LITERAL:
            chars.add(chr(av))
        elif op is sre_constants.RANGE and av[1] - av[0] < _RANGE_LIMIT:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY (\d, \w, \s), a wide range
            return _UNKNOWN
    if len(chars) > MAX_ALTERNATIVES or not all(_foldable(c) for c in chars):
        return _UNKNOWN
    return _Shape(frozenset(c.lower() for c in chars), None)


def _best(factors: list[_Strings]) -> _Strings | None:
    """The most selective of several sets each of which every match holds one of: longest shortest string,
    then fewest strings."""
    factors = [f for f in factors if f and "" not in f]
    if not factors:
        return None
    return max(factors, key=lambda f: (min(len(s) for s in f), -len(f)))


def _minimal(strings: _Strings) -> _Strings:
    """Without the strings that hold another of the set ('stakes' when 'stake' is there: it says nothing more)."""
    return frozenset(s for s in strings if not any(o != s and o in s for o in strings))


def _sequence(items) -> _Shape:
    run: _Strings = _EMPTY  # the exact strings of the items since the last unknown one
    factors: list[_Strings] = []
    all_exact = True
    for item in items:
        shape = _item(*item)
        if shape.exact is not None:
            joined = frozenset(a + b for a in run for b in shape.exact)
            if len(joined) <= MAX_ALTERNATIVES:
                run = joined
                continue
            factors.append(run)
            run, all_exact = shape.exact, False
            continue
        all_exact = False
        factors.append(run)
        if shape.required is not None:
            factors.append(shape.required)
        run = _EMPTY
    factors.append(run)
    return _Shape(run if all_exact else None, _best(factors))


def _branch(branches) -> _Shape:
    shapes = [_sequence(b) for b in branches]
    exact = None
    if all(s.exact is not None for s in shapes):
        union = frozenset().union(*(s.exact for s in shapes))
        exact = union if len(union) <= MAX_ALTERNATIVES else None
    required: set[str] = set()
    for s in shapes:
        own = _best([f for f in (s.exact, s.required) if f is not None])
        if own is None:
            return _Shape(exact, None)  # a branch that needs nothing: the alternation needs nothing
        required |= own
    return _Shape(exact, frozenset(required) if len(required) <= MAX_WORDS else None)


def _item(op, av) -> _Shape:
    if op is sre_constants.LITERAL:
        return _char(av)
    if op in _ZERO_WIDTH:
        return _Shape(_EMPTY, None)  # \b, ^, lookarounds: they consume nothing
    if op is sre_constants.IN:
        return _char_class(av)
    if op is sre_constants.SUBPATTERN:
        return _sequence(av[-1])
    if op is _ATOMIC:
        return _sequence(av)
    if op is sre_constants.BRANCH:
        return _branch(av[1])
    if op in _REPEATS:
        low, high, body = av
        inner = _sequence(body)
        if low == 0:
            optional = inner.exact is not None and high == 1
            return _Shape(inner.exact | _EMPTY if optional else None, None)
        required = _best([f for f in (inner.exact, inner.required) if f is not None])
        return _Shape(inner.exact if low == high == 1 else None, required)
    return _UNKNOWN  # any character, a class by category, a back-reference...


def required_words(pattern: str | re.Pattern, flags: int = 0) -> tuple[str, ...] | None:
    """Lower-case strings one of which every match of ``pattern`` contains, or ``None`` if unknown."""
    source, flags = (pattern.pattern, pattern.flags) if isinstance(pattern, re.Pattern) else (pattern, flags)
    if not isinstance(source, str):
        return None
    shape = _sequence(sre_parse.parse(source, flags))
    words = _best([f for f in (shape.exact, shape.required) if f is not None])
    return tuple(sorted(_minimal(words))) if words else None


# -------------------------------------------------------------------------------------------------------------
# the text side


@dataclass(frozen=True)
class GatedPattern:
    """A compiled pattern and its gate's bit in its :class:`WordGates` (0: no gate, always scanned)."""

    pattern: re.Pattern
    bit: int

    def may_match(self, text: "GatedText") -> bool:
        return not self.bit or bool(text.open & self.bit)

    def search(self, text: "GatedText") -> re.Match | None:
        return self.pattern.search(text.text) if self.may_match(text) else None

    def finditer(self, text: "GatedText"):
        return self.pattern.finditer(text.text) if self.may_match(text) else iter(())


@dataclass(frozen=True)
class GatedText:
    """A text and the gates open on it (a bit per gate whose words it holds; -1: all)."""

    text: str
    open: int


class WordGates:
    """The gates of many patterns, all tested in one pass over a text: an Aho–Corasick automaton of every
    gate's words finds each word the lower-cased text holds, and the gates that need it open. The patterns are
    read for their words when a text is first asked about (loading a lexicon costs nothing more until then)."""

    def __init__(self) -> None:
        self._gates_of_word: dict[str, int] = {}
        self._next_bit = 1
        self._unread: list[tuple[str, int, int]] = []  # (source, flags, bit) of gates whose words are not read yet
        self._always = 0  # the bits of the gates of patterns without words: open on every text
        self._automaton: ahocorasick.Automaton | None = None
        self._letters: dict[str, re.Pattern] = {}  # every character of the words, as an IGNORECASE pattern
        self._odd: dict[str, bool] = {}  # non-ASCII characters seen in texts (see :meth:`_is_odd`)

    def compile(self, source: str, flags: int = 0) -> GatedPattern:
        return self.gate(re.compile(source, flags))

    def gate(self, pattern: re.Pattern) -> GatedPattern:
        """``pattern`` (compiled) with its gate."""
        return GatedPattern(pattern, self.add(pattern.pattern, pattern.flags))

    def add(self, source: str, flags: int = 0) -> int:
        """The bit of a new gate for the pattern ``source``."""
        bit, self._next_bit = self._next_bit, self._next_bit << 1
        self._unread.append((source, flags, bit))
        return bit

    def _read_words(self) -> None:
        for source, flags, bit in self._unread:
            words = required_words(source, flags)
            if not words:
                self._always |= bit
                continue
            for word in words:
                self._gates_of_word[word] = self._gates_of_word.get(word, 0) | bit
                for char in word:
                    if char not in self._letters:
                        self._letters[char] = re.compile(re.escape(char), re.IGNORECASE)
                        self._odd.clear()
        self._unread.clear()
        self._automaton = None

    def _words(self) -> ahocorasick.Automaton:
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for word, gates in self._gates_of_word.items():
                automaton.add_word(word, gates)
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def _is_odd(self, char: str) -> bool:
        """A character whose lower case is not one character of its own whatever its neighbours (Turkish İ, the
        Greek capital sigma) or that ``re`` matches under IGNORECASE to a letter of the words that ``str.lower``
        does not give (ı to i, ſ to s)."""
        odd = self._odd.get(char)
        if odd is None:
            low = char.lower()
            odd = len(low) != 1 or any(s.lower() != "".join(c.lower() for c in s)
                                       for s in ("a" + char, char + "a", "a" + char + "a", " " + char + " "))
            odd = odd or any(c != low and one.fullmatch(char) for c, one in self._letters.items())
            self._odd[char] = odd
        return odd

    def folds_plainly(self, text: str) -> bool:
        """Whether the words of the gates can be looked for in ``text.lower()``: no character of ``text`` folds
        otherwise under ``re``'s IGNORECASE (see :meth:`_is_odd`), and each lower-cases to one character, so
        that a slice of the lower-cased text is the lower-cased slice."""
        if self._unread:
            self._read_words()
        return text.isascii() or not any(self._is_odd(c) for c in set(_NON_ASCII.findall(text)))

    def words_of(self, gate: GatedPattern) -> tuple[str, ...] | None:
        """The words of a pattern's gate (one of which every match holds), or ``None`` when it has none."""
        if self._unread:
            self._read_words()
        if not gate.bit or gate.bit & self._always:
            return None
        return tuple(sorted(w for w, bits in self._gates_of_word.items() if bits & gate.bit))

    def open_in(self, text: str) -> GatedText:
        if self._unread:
            self._read_words()
        if not self._gates_of_word:
            return GatedText(text, -1)  # no words: every pattern is scanned
        if not self.folds_plainly(text):
            return GatedText(text, -1)
        low = text.lower()
        gates = self._always
        if len(self._gates_of_word) <= _FEW_WORDS:  # a substring test each is quicker than the automaton's pass
            for word, needing in self._gates_of_word.items():
                if word in low:
                    gates |= needing
        else:
            gates = functools.reduce(operator.or_, map(_GATES_OF_HIT, self._words().iter(low)), gates)
        return GatedText(text, gates)


class GatedAlternation:
    """Patterns joined as one alternation ``(?:a)|(?:b)|...`` (one scan instead of one per pattern), each with its
    own gate: a text is scanned with the alternation of the patterns whose gates are open there, in their order.
    A pattern that cannot match anywhere in a text changes nothing in what the alternation finds in it (at every
    position it fails and the next is tried), so leaving it out gives the same matches, sooner."""

    _MAX_KEPT = 4096  # alternations of open patterns kept compiled

    def __init__(self, gates: WordGates, sources, flags: int = 0):
        self.sources = tuple(sources)
        self.flags = flags
        self.pattern = self._join(self.sources)  # compiled first: an invalid pattern is an error before any gate
        self.bits = tuple(gates.add(s, flags) for s in self.sources)  # each alternative's gate
        self._gated_bits = 0  # the bits of the alternatives with a gate
        self._ungated = 0  # one bit per alternative (by position) that has none
        for i, bit in enumerate(self.bits):
            if bit:
                self._gated_bits |= bit
            else:
                self._ungated |= 1 << i
        self._everything = (1 << len(self.sources)) - 1
        self._by_open: dict[int, re.Pattern] = {self._everything: self.pattern}
        # the alternatives' gates are most often consecutive bits: which are open is then one shift away
        first = self.bits[0] if self.bits else 0
        self._shift = first.bit_length() - 1 if first and all(b == first << i for i, b in enumerate(self.bits)) \
            else None

    def _join(self, sources) -> re.Pattern:
        return re.compile("|".join(f"(?:{s})" for s in sources), self.flags)

    @property
    def ungated(self) -> bool:
        """Whether an alternative has no gate (the alternation may match any text)."""
        return bool(self._ungated)

    @property
    def gated_bits(self) -> int:
        """The bits of the alternatives' gates."""
        return self._gated_bits

    def may_match(self, text: GatedText) -> bool:
        return bool(self._ungated) or bool(text.open & self._gated_bits)

    def _open_pattern(self, text: GatedText) -> re.Pattern | None:
        if text.open == -1:
            return self.pattern
        if self._shift is not None:
            which = self._ungated | (text.open >> self._shift) & self._everything
        else:
            which = self._ungated
            for i, bit in enumerate(self.bits):
                if bit & text.open:
                    which |= 1 << i
        if not which:
            return None
        pattern = self._by_open.get(which)
        if pattern is None:
            if len(self._by_open) >= self._MAX_KEPT:
                self._by_open = {self._everything: self.pattern}
            pattern = self._by_open[which] = self._join(
                [s for i, s in enumerate(self.sources) if which >> i & 1])
        return pattern

    def search(self, text: GatedText) -> re.Match | None:
        pattern = self._open_pattern(text) if self.may_match(text) else None
        return pattern.search(text.text) if pattern is not None else None

    def finditer(self, text: GatedText):
        pattern = self._open_pattern(text) if self.may_match(text) else None
        return pattern.finditer(text.text) if pattern is not None else iter(())


# -------------------------------------------------------------------------------------------------------------
# where a match can begin


_CATEGORY_ESCAPES = {
    sre_constants.CATEGORY_DIGIT: r"\d", sre_constants.CATEGORY_NOT_DIGIT: r"\D",
    sre_constants.CATEGORY_SPACE: r"\s", sre_constants.CATEGORY_NOT_SPACE: r"\S",
    sre_constants.CATEGORY_WORD: r"\w", sre_constants.CATEGORY_NOT_WORD: r"\W",
}


class _Unknown(Exception):
    """A part of a pattern whose first character is not read (a back-reference, a locale flag)."""


def _code_point(code: int) -> str:
    return re.escape(chr(code))


def _with_flags(source: str, flags: int) -> str:
    if flags & re.LOCALE:
        raise _Unknown
    if flags & re.IGNORECASE:
        source = f"(?i:{source})"
    if flags & re.ASCII:
        source = f"(?a:{source})"
    return source


def _class_members(op, av) -> str | None:
    """The members of a character class matching what the one-character item ``(op, av)`` matches (case as
    written), or ``None`` for an item no class member can stand for (a negated class, any character)."""
    if op is sre_constants.LITERAL:
        return _code_point(av)
    if op is not sre_constants.IN:
        return None
    members = []
    for item_op, item_av in av:
        if item_op is sre_constants.LITERAL:
            members.append(_code_point(item_av))
        elif item_op is sre_constants.RANGE:
            members.append(f"{_code_point(item_av[0])}-{_code_point(item_av[1])}")
        elif item_op is sre_constants.CATEGORY and item_av in _CATEGORY_ESCAPES:
            members.append(_CATEGORY_ESCAPES[item_av])
        elif item_op is sre_constants.NEGATE:
            return None
        else:
            raise _Unknown
    return "".join(members)


def _one_character(op, av, flags: int) -> str:
    """The source of a pattern matching what the one-character item ``(op, av)`` matches under ``flags``."""
    if op is sre_constants.ANY:
        return "(?s:.)" if flags & re.DOTALL else "."
    if op is sre_constants.NOT_LITERAL:
        return _with_flags(f"[^{_code_point(av)}]", flags)
    members = _class_members(op, av)
    if members is None:  # a negated class
        members = "^" + _class_members(sre_constants.IN, [item for item in av if item[0] is not sre_constants.NEGATE])
    return _with_flags("[" + members + "]", flags)


def _first_of_sequence(items, flags: int, out: list) -> bool:
    """Add to ``out`` the one-character items (with their flags) a match of ``items`` can begin with; whether
    they can match nothing."""
    for op, av in items:
        if not _first_of_item(op, av, flags, out):
            return False
    return True


def _first_of_item(op, av, flags: int, out: list) -> bool:
    if op in _ONE_CHARACTER:
        out.append((op, av, flags))
        return False
    if op in _ZERO_WIDTH:
        return True  # consumes nothing; what it asserts only narrows where a match begins
    if op is sre_constants.SUBPATTERN:
        _, add_flags, del_flags, body = av
        return _first_of_sequence(body, (flags | add_flags) & ~del_flags, out)
    if op is _ATOMIC:
        return _first_of_sequence(av, flags, out)
    if op is sre_constants.BRANCH:
        empty = False
        for branch in av[1]:
            empty = _first_of_sequence(branch, flags, out) or empty
        return empty
    if op in _REPEATS:
        low, high, body = av
        if high == 0:
            return True
        return _first_of_sequence(body, flags, out) or low == 0
    raise _Unknown  # a back-reference, a conditional group


_ONE_CHARACTER = (sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.ANY, sre_constants.IN)


def _leading_lookbehinds(items, flags: int) -> tuple[list[str], int]:
    """The lookbehinds of one character a pattern begins with (``(?<![A-Za-z])``), each written as it is tested
    one character further on, after that first character (``(?<![A-Za-z](?s:.))``), and how many items they are."""
    sources = []
    for op, av in items:
        if op not in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) or av[0] != -1:
            break
        body = list(av[1])
        if len(body) != 1 or body[0][0] not in _ONE_CHARACTER:
            break
        sign = "=" if op is sre_constants.ASSERT else "!"
        sources.append(f"(?<{sign}{_one_character(*body[0], flags)}(?s:.))")
    return sources, len(sources)


def _one_of(items) -> str:
    """A pattern matching what any of the one-character items matches: one class where their flags allow (so
    that ``re`` searches for its characters first), alternatives for the others."""
    plain, case_free, others = [], [], []
    for op, av, flags in items:
        members = _class_members(op, av) if not flags & (re.ASCII | re.LOCALE) else None
        if members is None:
            others.append(_one_character(op, av, flags))
        else:
            (case_free if flags & re.IGNORECASE else plain).append(members)
    classes = []
    if plain:
        classes.append("[" + "".join(dict.fromkeys(plain)) + "]")
    if case_free:
        classes.append("(?i:[" + "".join(dict.fromkeys(case_free)) + "])")
    return "|".join(classes + list(dict.fromkeys(others)))


@functools.lru_cache(maxsize=None)
def _first_characters(source: str, flags: int) -> re.Pattern | None:
    try:
        parsed = sre_parse.parse(source, flags)
        if _searched_for_by_re(parsed):
            return None
        flags = parsed.state.flags
        lookbehinds, n = _leading_lookbehinds(parsed.data, flags)
        firsts: list = []
        if _first_of_sequence(parsed.data[n:], flags, firsts):
            return None  # it may match the empty string
        return re.compile("(?:" + _one_of(firsts) + ")" + "".join(lookbehinds))
    except _Unknown:
        return None


_COMMON_CHARACTERS = "abcdefghijklmnopqrstuvwxyz \n"


def _searched_for_by_re(parsed) -> bool:
    """Whether the pattern begins with a character (or class) that ``re`` itself searches for first."""
    items = list(parsed.data)
    while items and items[0][0] is sre_constants.SUBPATTERN and not items[0][1][1] and not items[0][1][2]:
        items = list(items[0][1][3])
    return bool(items) and items[0][0] in (sre_constants.LITERAL, sre_constants.IN)


def first_characters(pattern: re.Pattern) -> re.Pattern | None:
    """A pattern of one character matching every character a match of ``pattern`` can begin with (with the
    lookbehinds it begins with), read from its syntax tree. ``None`` when it cannot tell, when ``pattern`` may
    match the empty string, when ``re`` already searches for its first character, or when a match may begin with
    a lower-case letter or a space (most characters of a text: trying a match at each is no quicker than ``re``'s
    own search)."""
    if not isinstance(pattern.pattern, str):
        return None
    firsts = _first_characters(pattern.pattern, pattern.flags)
    if firsts is None:
        return None
    if any(firsts.match(before + c, 1) for c in _COMMON_CHARACTERS for before in "x "):
        return None
    return firsts


def finditer_from(pattern: re.Pattern, firsts: re.Pattern, text: str, pos: int, endpos: int) -> list[re.Match]:
    """``list(pattern.finditer(text, pos, endpos))``, trying a match only where ``firsts`` (its
    :func:`first_characters`) matches. ``re`` tries a pattern that begins with a lookbehind or an optional group
    at every position, all of its branches each time; where few characters can begin a match, finding those
    characters first and matching at each is several times quicker. Matches are tried left to right from the end
    of the previous one, as ``finditer`` does (the pattern never matches the empty string), and a match at a
    position sees the text before it as in a search (lookbehinds, ``\\b``)."""
    found = []
    after = pos
    match = pattern.match
    for first in firsts.finditer(text, pos, endpos):
        start = first.start()
        if start < after:
            continue
        m = match(text, start, endpos)
        if m is not None:
            found.append(m)
            after = m.end()
    return found


def find_all(pattern: re.Pattern, text: str, pos: int = 0, endpos: int | None = None) -> list[re.Match]:
    """``list(pattern.finditer(text, pos, endpos))``, tried only where a match can begin when that is quicker
    (see :func:`first_characters`)."""
    endpos = len(text) if endpos is None else endpos
    firsts = _first_characters_of(pattern)
    if firsts is None:
        return list(pattern.finditer(text, pos, endpos))
    return finditer_from(pattern, firsts, text, pos, endpos)


@functools.lru_cache(maxsize=512)
def _first_characters_of(pattern: re.Pattern) -> re.Pattern | None:
    return first_characters(pattern)
