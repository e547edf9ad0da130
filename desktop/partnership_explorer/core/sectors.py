"""Sector taxonomy: the timeline lanes and the keyword rules that assign text to them.

The taxonomy lives in ``resources/sectors.toml`` (format documented in its header). :meth:`SectorTaxonomy.classify`
returns the sector keys a sentence belongs to, in taxonomy order (``["unclassified"]`` if none);
:meth:`SectorTaxonomy.matches` also returns the spans that triggered each sector, for explanations in the UI.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .pattern_gates import GatedPattern, WordGates

UNCLASSIFIED = "unclassified"
_COLOR_RE = re.compile(r"#[0-9a-fA-F]{6}")
_KEY_RE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Sector:
    key: str
    name: str
    color: str  # "#rrggbb"
    keywords: tuple[str, ...]
    description: str = ""


def _is_acronym(word: str) -> bool:
    """Short tokens with two or more capitals ("AI", "LNG", "R&D", "MoST", "5G", "K9") match case-sensitively."""
    if " " in word or len(word) > 6:
        return False
    uppers = sum(c.isupper() for c in word)
    lowers = sum(c.islower() for c in word)
    return uppers >= 2 or (uppers == 1 and lowers == 0) or (lowers == 0 and any(c.isdigit() for c in word))


def _inflections(word: str) -> str:
    """Regex for ``word`` plus plural/verb endings ("trade" -> trade|trades|traded|trading)."""
    w = re.escape(word)
    if not word[-1:].isalpha() or len(word) < 3:
        return w + r"(?:s)?"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return re.escape(word[:-1]) + r"(?:y|ies|ied|ying)"
    if word.endswith("e"):
        return re.escape(word[:-1]) + r"(?:e|es|ed|ing)"
    if word.endswith(("s", "x", "ch", "sh")):
        return w + r"(?:es|ed|ing)?"
    return w + r"(?:s|es|ed|ing)?"


def _phrase_pattern(phrase: str) -> str:
    """Word-bounded regex for a keyword: separators flexible, last word inflected, acronyms case-sensitive."""
    phrase = phrase.strip()
    prefix = phrase.endswith("*")
    if prefix:
        phrase = phrase[:-1]
    words = re.split(r"[\s\-]+", phrase)
    parts = []
    for i, word in enumerate(words):
        last = i == len(words) - 1
        if _is_acronym(word):
            piece = "(?-i:" + re.escape(word) + ")" + (r"(?:s|'s|’s)?" if last and word[-1:].isalpha() else "")
        elif last and prefix:
            piece = re.escape(word) + r"[\w]*"
        elif last:
            piece = _inflections(word)
        else:
            piece = re.escape(word)
        parts.append(piece)
    body = r"[\s\-]+".join(parts)
    # Korean attaches particles to nouns ("반도체를", and to a Latin word in Korean text: "LNG는", "FTA를"): no
    # right boundary after Hangul, and a Hangul syllable after any keyword ends it as a space would.
    hangul = "\uac00" <= phrase[-1:] <= "\ud7a3"
    right = r"(?![^\W\uac00-\ud7a3]|&)" if (phrase[-1:].isalnum() or prefix) and not hangul else ""
    return body + right


def _compile(phrases: list[str]) -> re.Pattern | None:
    """One regex for all ``phrases``: a single left word boundary, then alternatives grouped by first letter
    (so most positions are rejected after one or two checks), longest phrases first within a group."""
    if not phrases:
        return None
    groups: dict[str, list[str]] = {}
    for phrase in sorted(set(p.strip() for p in phrases), key=len, reverse=True):
        groups.setdefault(phrase[:1].casefold(), []).append(_phrase_pattern(phrase))
    branches = []
    for first, pats in groups.items():
        look = re.escape(first) + (re.escape(first.upper()) if first.upper() != first else "")
        branches.append(f"(?=[{look}])(?:" + "|".join(pats) + ")")
    return re.compile(r"(?<![\w&])(?:" + "|".join(branches) + ")", re.IGNORECASE)


class SectorTaxonomy:
    """The ordered sectors (unclassified last) and their keyword matchers."""

    def __init__(self, sectors: list[Sector], excludes: dict[str, list[str]] | None = None,
                 ignore: list[str] | None = None) -> None:
        self.sectors: list[Sector] = list(sectors)
        self._by_name: dict[str, Sector] = {}
        for s in self.sectors:
            self._by_name.setdefault(s.key, s)
            self._by_name.setdefault(s.key.casefold(), s)
            self._by_name.setdefault(s.name.casefold(), s)
        excludes = excludes or {}
        self._gates = WordGates()  # a sector's keywords are looked for only in a text holding one of their words
        self._rules: list[tuple[str, GatedPattern | None, GatedPattern | None]] = [
            (s.key, self._gated(_compile(list(s.keywords))), self._gated(_compile(excludes.get(s.key, []))))
            for s in self.sectors
            if s.key != UNCLASSIFIED
        ]
        self._ignore = _compile(list(ignore or []))

    def _gated(self, rx: re.Pattern | None) -> GatedPattern | None:
        return None if rx is None else self._gates.gate(rx)

    # ---------------------------------------------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: Path | None = None) -> "SectorTaxonomy":
        """Read a taxonomy TOML file (default ``resources/sectors.toml``); ValueError names the file on error."""
        from .paths import read_resource_toml

        fname, data = read_resource_toml(path, "sectors.toml", "sector taxonomy")

        items = data.get("sector")
        if not isinstance(items, list) or not items:
            raise ValueError(f"{fname}: no [[sector]] entries found")
        sectors: list[Sector] = []
        excludes: dict[str, list[str]] = {}
        seen: set[str] = set()
        for i, item in enumerate(items, 1):
            where = f"{fname}: sector #{i}"
            if not isinstance(item, dict):
                raise ValueError(f"{where}: must be a table")
            key = item.get("key")
            if not isinstance(key, str) or not _KEY_RE.fullmatch(key):
                raise ValueError(f"{where}: missing or invalid 'key' (lower-case letters, digits, _; got {key!r})")
            where = f"{fname}: sector {key!r}"
            if key in seen:
                raise ValueError(f"{where}: duplicate key")
            seen.add(key)
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"{where}: missing or empty 'name'")
            color = item.get("color")
            if not isinstance(color, str) or not _COLOR_RE.fullmatch(color):
                raise ValueError(f"{where}: 'color' must be \"#rrggbb\" (got {color!r})")
            if "keywords" not in item:
                raise ValueError(f"{where}: missing 'keywords' (use [] for none)")
            keywords = item["keywords"]
            if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
                raise ValueError(f"{where}: 'keywords' must be a list of non-empty strings")
            exclude = item.get("exclude", [])
            if not isinstance(exclude, list) or not all(isinstance(k, str) and k.strip() for k in exclude):
                raise ValueError(f"{where}: 'exclude' must be a list of non-empty strings")
            description = item.get("description", "")
            if not isinstance(description, str):
                raise ValueError(f"{where}: 'description' must be a string")
            unknown = set(item) - {"key", "name", "color", "keywords", "exclude", "description"}
            if unknown:
                raise ValueError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
            if key != UNCLASSIFIED and not keywords:
                raise ValueError(f"{where}: 'keywords' is empty")
            sectors.append(Sector(key, name.strip(), color.upper(), tuple(k.strip() for k in keywords), description))
            if exclude:
                excludes[key] = exclude

        unclassified = [s for s in sectors if s.key == UNCLASSIFIED]
        sectors = [s for s in sectors if s.key != UNCLASSIFIED]
        sectors.append(unclassified[0] if unclassified else Sector(UNCLASSIFIED, "Unclassified", "#BBBBBB", ()))

        ignore_tbl = data.get("ignore", {})
        if not isinstance(ignore_tbl, dict):
            raise ValueError(f"{fname}: [ignore] must be a table with a 'phrases' list")
        ignore = ignore_tbl.get("phrases", [])
        if not isinstance(ignore, list) or not all(isinstance(k, str) and k.strip() for k in ignore):
            raise ValueError(f"{fname}: [ignore] 'phrases' must be a list of non-empty strings")
        try:
            return cls(sectors, excludes, ignore)
        except re.error as exc:  # pragma: no cover - keywords are escaped, kept as a safety net
            raise ValueError(f"{fname}: cannot compile keywords: {exc}") from None

    # ---------------------------------------------------------------------------------------------------- queries
    def get(self, key: str) -> Sector | None:
        """Sector by key or display name, case-insensitive ("ai", "AI", "Energy & nuclear", "energy")."""
        if not key:
            return None
        return self._by_name.get(key) or self._by_name.get(key.strip().casefold())

    def keys(self) -> list[str]:
        return [s.key for s in self.sectors]

    def matches(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Sector key -> spans of ``text`` that triggered it (only sectors with at least one span)."""
        out: dict[str, list[tuple[int, int]]] = {}
        if not text:
            return out
        masked = text
        if self._ignore is not None:
            masked = self._ignore.sub(lambda m: " " * (m.end() - m.start()), text)
        gated = self._gates.open_in(masked)
        for key, rx, ex in self._rules:
            if rx is None or not rx.may_match(gated):
                continue
            spans = [m.span() for m in rx.finditer(gated)]
            if spans and ex is not None:
                blocked = [m.span() for m in ex.finditer(gated)]
                spans = [(s, e) for s, e in spans if not any(a <= s and e <= b for a, b in blocked)]
            if spans:
                out[key] = spans
        return out

    def classify(self, text: str) -> list[str]:
        """Sector keys for ``text`` in taxonomy order; ``["unclassified"]`` if no keyword matches."""
        found = self.matches(text)
        return [key for key, _, _ in self._rules if key in found] or [UNCLASSIFIED]


@functools.lru_cache(maxsize=1)
def default_taxonomy() -> SectorTaxonomy:
    """The taxonomy shipped in ``resources/sectors.toml``, loaded once."""
    return SectorTaxonomy.load()
