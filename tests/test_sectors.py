"""Sector taxonomy: loading, validation, keyword classification."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from partnership_explorer.core.sectors import Sector, SectorTaxonomy, default_taxonomy

EXPECTED = [
    ("ai", "AI"), ("semiconductors", "Semiconductors"), ("digital", "Digital & telecom"),
    ("science", "Science & technology"), ("energy", "Energy & nuclear"), ("defence", "Defence & security"),
    ("trade", "Trade"), ("investment", "Investment"), ("infrastructure", "Infrastructure & transport"),
    ("education", "Education & labour"), ("climate", "Climate & environment"), ("health", "Health"),
    ("culture", "Culture & people-to-people"), ("diplomacy", "Diplomacy"), ("unclassified", "Unclassified"),
]


@pytest.fixture(scope="module")
def tax() -> SectorTaxonomy:
    return default_taxonomy()


def test_sectors_in_order_with_colours(tax):
    assert [(s.key, s.name) for s in tax.sectors] == EXPECTED
    colours = [s.color for s in tax.sectors]
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in colours)
    assert len(set(colours)) == len(colours)
    assert all(s.keywords for s in tax.sectors[:-1])


def test_get_accepts_keys_and_names(tax):
    for query in ("AI", "ai", "Ai"):
        assert tax.get(query).key == "ai"
    assert tax.get("Energy & nuclear").key == "energy"
    assert tax.get("energy").key == "energy"
    assert tax.get("energy & NUCLEAR").key == "energy"
    assert tax.get("nope") is None


@pytest.mark.parametrize(
    ("text", "expected", "exact"),
    [
        ("KT and Viettel signed a strategic partnership worth 130 trillion won to cooperate in the field of AI",
         ["ai"], False),
        ("memorandum of understanding on nuclear energy in 2011", ["energy"], True),
        ("revise their memorandum of understanding on defense cooperation, originally signed in 2010",
         ["defence"], False),
        ("Trade between South Korea and Vietnam has surged from $500 million to $86.7 billion in 2024",
         ["trade"], False),
        ("diplomatic relations were established in 1992", ["diplomacy"], True),
        ("The weather was pleasant and everyone went home early.", ["unclassified"], True),
        ("Samsung opened a new semiconductors plant", ["semiconductors"], True),
        ("Korean investments in Vietnam grew", ["investment"], True),
        ("the third-largest trading partners", ["trade"], True),
        ("LNG power plants and the high speed rail", ["energy", "infrastructure"], True),
        ("North Korea's nuclear weapons programme", ["defence"], True),
        ("investment incentives and the business environment", ["investment"], True),
        ("digital infrastructure for data centers", ["ai", "digital"], True),
        ("training outstanding students", ["education"], True),
        ("the P4G summit on green growth", ["climate", "diplomacy"], True),
    ],
)
def test_classify(tax, text, expected, exact):
    got = tax.classify(text)
    if exact:
        assert got == expected
    else:
        assert set(expected) <= set(got)


def test_acronyms_case_sensitive(tax):
    assert "ai" in tax.classify("AI-powered services")
    assert tax.classify("Lai Chau province") == ["unclassified"]
    assert tax.classify("the ai of the song") == ["unclassified"]


def test_ignored_body_names(tax):
    assert "trade" not in tax.classify("Minister of Industry and Trade Nguyen Hong Dien visited Seoul.")


def test_matches_spans(tax):
    text = "Cooperation on nuclear energy and semiconductors."
    spans = tax.matches(text)
    assert set(spans) == {"energy", "semiconductors"}
    assert [text[a:b] for a, b in spans["energy"]] == ["nuclear energy"]
    assert [text[a:b] for a, b in spans["semiconductors"]] == ["semiconductors"]
    assert tax.matches("") == {}


def test_classify_order_follows_taxonomy(tax):
    assert tax.classify("ambassador talks on AI") == ["ai", "diplomacy"]


def _write(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


def test_malformed_toml(tmp_path):
    with pytest.raises(ValueError, match="bad_sectors.toml") as exc:
        SectorTaxonomy.load(_write(tmp_path, "bad_sectors.toml", "[[sector]\nkey = 'x'\n"))
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('[[sector]]\nname = "AI"\ncolor = "#112233"\nkeywords = ["AI"]\n', "key"),
        ('[[sector]]\nkey = "ai"\ncolor = "#112233"\nkeywords = ["AI"]\n', "name"),
        ('[[sector]]\nkey = "ai"\nname = "AI"\ncolor = "red"\nkeywords = ["AI"]\n', "color"),
        ('[[sector]]\nkey = "ai"\nname = "AI"\ncolor = "#112233"\n', "keywords"),
        ("title = 'nothing'\n", "sector"),
    ],
)
def test_missing_fields(tmp_path, body, problem):
    with pytest.raises(ValueError, match=rf"s\.toml.*{problem}"):
        SectorTaxonomy.load(_write(tmp_path, "s.toml", body))


def test_unclassified_added_if_missing(tmp_path):
    tax = SectorTaxonomy.load(_write(tmp_path, "s.toml", '[[sector]]\nkey = "ai"\nname = "AI"\ncolor = "#112233"\n'
                                                          'keywords = ["AI", "invest*"]\n'))
    assert [s.key for s in tax.sectors] == ["ai", "unclassified"]
    assert tax.classify("investors") == ["ai"]
    assert tax.classify("nothing") == ["unclassified"]


def test_in_memory_taxonomy():
    tax = SectorTaxonomy([Sector("x", "X", "#000000", ("chip",)), Sector("unclassified", "U", "#BBBBBB", ())])
    assert tax.classify("chips and chipsets") == ["x"]


@pytest.mark.parametrize("text", [
    "The refinery will process crude oil from the Niger Delta.",
    "The two sides will cooperate on uranium supply and a gas pipeline.",
    "Hai bên thúc đẩy hợp tác năng lượng và điện hạt nhân.",
    "양국은 원전과 에너지 분야 협력을 확대하기로 했다.",
])
def test_oil_uranium_pipelines_and_vietnamese_and_korean_energy_words_are_energy(tax, text):
    assert "energy" in tax.classify(text)


def test_palm_oil_and_ministries_named_for_energy_are_not_energy(tax):
    assert "energy" not in tax.classify("Palm oil exports to India rose.")
    assert "energy" not in tax.classify("The Ministry of Trade, Industry and Energy said on Monday.")


def test_ship_orders_are_transport_and_business_forums_trade(tax):
    assert "infrastructure" in tax.classify("The line ordered six container ships from a Korean shipyard.")
    assert "trade" in tax.classify("The minister opened a business forum in Lima.")


def test_talks_and_visits_of_two_countries_are_diplomacy_and_companies_meetings_are_not():
    import datetime as dt

    from partnership_explorer.core.extract import extract_candidates

    def sectors(text):
        return {c.kind: c.sectors for c in extract_candidates(text, published=dt.date(2025, 6, 12),
                                                              published_precision="day")}
    found = sectors("Kenya and Japan held a trade and investment dialogue in Nairobi on Tuesday. Kenya and Japan "
                    "will meet again in Tokyo next year.")
    assert "diplomacy" in found["meeting"] and "trade" in found["meeting"]
    companies = sectors("Arden Chips and Kestrel Foundry executives met in Taipei on Tuesday to discuss wafer "
                        "supply. Arden Chips buys wafers from Kestrel Foundry.")
    assert "diplomacy" not in companies.get("meeting", [])


@pytest.mark.parametrize("text", [
    "The carmaker signed a ten-year contract for lithium hydroxide from an Andean producer.",
    "The plant will make cathode materials for electric-car batteries from 2028.",
    "A Japanese utility agreed to buy blue ammonia for its coal plants.",
    "The turbine maker will open a blade factory near the port.",
    "Nhà máy pin lithium đầu tiên của liên doanh sẽ khởi công vào tháng tới.",
    "카타르산 LNG는 1999년 처음 들어왔다.",  # a Latin acronym with a Korean particle attached
    "두 회사는 배터리 양극재 공장을 짓기로 했다.",
])
def test_batteries_and_their_minerals_and_new_fuels_are_energy(tax, text):
    assert "energy" in tax.classify(text)


def test_supply_contracts_and_tonnages_are_trade_but_carbon_tonnes_and_attacks_are_not(tax):
    assert "trade" in tax.classify("Deliveries of 20,000 tonnes a year will start in March.")
    assert "trade" in tax.classify("The two firms penned a ten-year offtake deal.")
    assert "trade" in tax.classify("Hai bên ký hợp đồng bao tiêu 5.000 tấn cà phê.")
    assert "trade" not in tax.classify("The plant will capture 2 million tonnes of CO2 a year.")
    assert "trade" not in tax.classify("Vụ tấn công xảy ra hôm qua.")


def test_business_forums_are_investment_too_and_routes_people_to_people(tax):
    assert {"trade", "investment"} <= set(tax.classify("The minister opened a business forum in Lima."))
    assert "culture" in tax.classify("The carrier will open a direct route to Lagos in August.")
    assert "climate" in tax.classify("The two agencies signed a letter of intent on wildfire training.")


def test_an_event_without_sector_words_takes_its_storys_topic_rather_than_diplomacy():
    import datetime as dt

    from partnership_explorer.core.extract import extract_candidates

    text = ("Chile and Japan held talks in Santiago on Monday. The ministers visited a copper smelter on Tuesday. "
            "Chile and Japan signed an agreement on lithium refining on Monday. A Japanese battery maker agreed on "
            "Monday to build a cathode plant in Antofagasta. The plant is due to open in 2029.")
    found = {c.kind: c.sectors for c in extract_candidates(text, published=dt.date(2026, 3, 4),
                                                          published_precision="day")}
    assert found["opening"] == ["energy"]  # "The plant is due to open": the story's topic, not its diplomacy
    assert "diplomacy" in found["meeting"]
