"""Who did what with whom: the participants of an event, with their roles, found in its clause.

* **Parties** are the two sides: countries, companies, government bodies and organisations named in the clause
  (a capital or city stands for its country when no country is named: "talks in Hanoi"), completed by the
  article's own pair of countries when the clause names only one side or none ("the two countries").
* **Representatives** are people acting for a side (a name from the gazetteer, or found after a title such as
  Minister/President), each with the side they act for (their country).
* People only quoted about the event ("..., Choi said") take no part in it.

:func:`side_keys` turns actors into the set of sides an event is between (ISO country codes and company or
organisation names): two mentions can only be the same happening when their sides agree.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .entities import EntityMention, Gazetteer, fold

PARTY_TYPES = ("country", "company", "government", "organisation")
ROLES = ("party", "representative", "participant")


@dataclass(frozen=True)
class Actor:
    name: str
    type: str  # an entity type (country, person, company, government, organisation, place)
    role: str  # party | representative | participant
    acting_for: str | None = None  # the side a representative acts for (a country name)
    country: str | None = None  # ISO code
    known: bool = True
    aliases: tuple[str, ...] = ()


_SPEAKER_AFTER = re.compile(r"[\s,]*(?:has |had )?(?:said|says|told|stated|added|wrote|noted)\b", re.IGNORECASE)
_SPEAKER_BEFORE = re.compile(r"\b(?:said|according to|quoting)\s*$", re.IGNORECASE)


def only_quoted(text: str, m: EntityMention) -> bool:
    """A person who only speaks about the event ('..., Choi said', 'according to Minister Park')."""
    return m.entity.type == "person" and bool(
        _SPEAKER_AFTER.match(text, m.end) or _SPEAKER_BEFORE.search(text[max(0, m.start - 20):m.start]))


def currency_prefix(text: str, m: EntityMention) -> bool:
    """'US$150 billion', 'A$2 billion': a country's letters naming its currency, not the country."""
    return text[m.end:m.end + 1] == "$"


def participants(text: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """People and bodies taking part, without whoever is only quoted about it."""
    return [m for m in mentions if not only_quoted(text, m) and not currency_prefix(text, m)]


_PLACE_CUE = re.compile(r"\b(?:in|to|at|from|visit(?:ed|s|ing)?|toured|reached)\s+(?:the\s+)?$", re.IGNORECASE)


def clause_actors(text: str, mentions: list[EntityMention], doc_pair: list[str], gazetteer: Gazetteer,
                  clause_start: int = 0, clause_end: int | None = None, *, demonyms: bool = True,
                  taking_part: list[EntityMention] | None = None) -> list[Actor]:
    """The actors of an event told by ``mentions`` (the clause's entity mentions, in text order); ``demonyms``
    False when the text holds none (:meth:`.Gazetteer.may_hold_demonyms`); ``taking_part`` the
    :func:`participants` of ``mentions`` when the caller has them already."""
    actors: dict[str, Actor] = {}
    countries: list[str] = []  # ISO codes of the sides named, in order

    def add(actor: Actor) -> None:
        if actor.name not in actors:
            actors[actor.name] = actor

    for m in participants(text, mentions) if taking_part is None else taking_part:
        e = m.entity
        alias = (m.text,) if m.text != e.name else ()
        if e.type == "country":
            add(_party(e.name, "country", e.country, m.known, alias))
            if e.country and e.country not in countries:
                countries.append(e.country)
        elif e.type in ("company", "government", "organisation"):
            add(_party(e.name, e.type, e.country, m.known, alias))
        elif e.type == "person":
            add(Actor(e.name, "person", "representative", acting_for=gazetteer.country_name(e.country),
                      country=e.country, known=m.known, aliases=alias))
    # a demonym names its country's side ("the Japanese prime minister")
    end = len(text) if clause_end is None else clause_end
    for _s, _e, code in gazetteer.demonym_countries(text[clause_start:end]) if demonyms else ():
        if code not in countries:
            countries.append(code)
            name = gazetteer.country_name(code)
            if name:
                add(_party(name, "country", code))
    # a place stands for its country when the clause names no country ("talks in Hanoi")
    if not countries:
        for m in mentions:
            if m.entity.type == "place" and m.entity.country and _PLACE_CUE.search(text[max(0, m.start - 20):m.start]):
                name = gazetteer.country_name(m.entity.country)
                if name:
                    countries.append(m.entity.country)
                    add(_party(name, "country", m.entity.country))
                break
    has_company_pair = sum(a.type == "company" for a in actors.values()) >= 2
    # the article's pair completes a clause that names one side or none ("the two countries")
    if doc_pair and not has_company_pair:
        pair_codes = [found.country if (found := gazetteer.lookup(n)) else None for n in doc_pair]
        named = {a.country for a in actors.values() if a.country}
        if not countries and (not named or named & set(pair_codes)) or countries and set(countries) <= set(pair_codes):
            for name, code in zip(doc_pair, pair_codes):
                if code not in countries:
                    add(_party(name, "country", code))
                    countries.append(code)
    return list(actors.values())


@functools.lru_cache(maxsize=4096)
def _party(name: str, type_: str, country: str | None, known: bool = True, aliases: tuple[str, ...] = ()) -> Actor:
    """A side of an event (an actor is immutable: the same side of a document's many events is made once)."""
    return Actor(name, type_, "party", country=country, known=known, aliases=aliases)


def side_keys(actors) -> frozenset[str]:
    """The sides an event is between: ISO codes of the countries (a ministry, a person or a place counts for
    its country) and the folded names of companies and organisations."""
    keys: set[str] = set()
    for a in actors:
        if a.type in ("company", "organisation"):
            keys.add("org:" + fold(a.name).casefold())
        elif a.country:
            keys.add(a.country)
    return frozenset(keys)


def sides_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two mentions are between the same sides when one's sides contain the other's, or they share two.
    A mention whose sides are unknown joins only another whose sides are unknown too."""
    if not a or not b:
        return not a and not b
    return a <= b or b <= a or len(a & b) >= 2
