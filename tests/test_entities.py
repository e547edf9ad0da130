"""Entity recognition: gazetteer matching, folding, offsets, pattern-found names."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnership_explorer.core.entities import Entity, Gazetteer, default_gazetteer
from partnership_explorer.core.paths import resources_dir, seeds_dir


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def names(gaz: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.entity.name) for m in gaz.find(text)]


def one(gaz: Gazetteer, text: str, name: str):
    hits = [m for m in gaz.find(text) if m.entity.name == name]
    assert hits, f"{name!r} not found in {text!r}: {names(gaz, text)}"
    return hits[0]


def test_gazetteer_is_large_and_typed(gaz):
    assert len(gaz.entities) >= 150
    assert {e.type for e in gaz.entities} == {"country", "person", "government", "company", "organisation", "place"}
    assert len({e.name for e in gaz.entities}) == len(gaz.entities)


@pytest.mark.parametrize("text", ["Tô Lâm visited Seoul.", "To Lam visited Seoul.", "TÔ LÂM visited Seoul."])
def test_to_lam_spellings(gaz, text):
    m = one(gaz, text, "To Lam")
    assert (m.start, m.end) == (0, 6) and m.known and m.entity.type == "person" and m.entity.country == "VN"


def test_title_is_not_part_of_the_span(gaz):
    text = "General Secretary To Lam met President Lee Jae Myung."
    m = one(gaz, text, "To Lam")
    assert text[m.start:m.end] == "To Lam"
    assert one(gaz, text, "Lee Jae-myung").text == "Lee Jae Myung"


def test_decomposed_unicode_offsets(gaz):
    text = "Meeting with " + unicodedata.normalize("NFD", "Tô Lâm") + "’s team"
    m = one(gaz, text, "To Lam")
    assert text[m.start:m.end] == m.text
    assert unicodedata.normalize("NFC", m.text) == "Tô Lâm"


def test_acronyms_are_case_sensitive(gaz):
    assert one(gaz, "MSIT signed it.", "Ministry of Science and ICT").text == "MSIT"
    assert names(gaz, "msit signed it.") == []
    assert one(gaz, "MoST and MSIT", "Ministry of Science and Technology of Vietnam").text == "MoST"
    assert names(gaz, "most companies agree") == []
    assert names(gaz, "Most companies agree") == []


def test_word_boundaries(gaz):
    assert names(gaz, "The KTX line and LGBT rights") == []
    assert names(gaz, "KT and LG signed") == [("KT", "KT"), ("LG", "LG")]
    assert names(gaz, "Koreans and Vietnamese") == []


def test_possessive(gaz):
    for text in ("Samsung's plant", "Samsung’s plant"):
        m = one(gaz, text, "Samsung")
        assert (m.start, m.end) == (0, 7)


def test_longest_match_wins(gaz):
    text = "Samsung Electronics and LG CNS and the Korea Herald"
    assert names(gaz, text) == [
        ("Samsung Electronics", "Samsung Electronics"), ("LG CNS", "LG CNS"), ("the Korea Herald", "The Korea Herald")
    ]


def test_hyphen_space_variants(gaz):
    for spelling in ("Choi Young-sam", "Choi Young Sam", "Choi young sam"):
        assert one(gaz, f"Ambassador {spelling} said", "Choi Young-sam").text == spelling


def test_hangul_alias(gaz):
    text = "삼성전자는 베트남에 투자했다"
    assert names(gaz, text) == [("삼성전자", "Samsung Electronics"), ("베트남", "Vietnam")]
    m = one(gaz, "한국과 베트남", "South Korea")
    assert m.entity.country == "KR"


def test_deputy_minister_hoang_minh(gaz):
    text = "Deputy Minister of Science and Technology Hoang Minh emphasized that AI matters."
    m = one(gaz, text, "Hoang Minh")
    assert m.text == "Hoang Minh" and m.entity.type == "person"


def test_unknown_minister_found_by_pattern(gaz):
    text = "Vietnam's Minister of Fisheries Nguyen Van A met Korean officials."
    m = one(gaz, text, "Nguyen Van A")
    assert not m.known and m.entity.type == "person"
    assert m.entity.role == "Minister of Fisheries"
    assert m.entity.country == "VN"


def test_pattern_person_forms(gaz):
    text = ("Minister of Oceans and Fisheries Kang Do-hyung met Deputy Minister Tran Van Binh. "
            "The Minister of Industry and Trade, Nguyen Van Cuong, visited Seoul.")
    found = {m.text: m for m in gaz.find(text)}
    assert {"Kang Do-hyung", "Tran Van Binh", "Nguyen Van Cuong"} <= set(found)
    assert all(found[n].entity.type == "person" and not found[n].known
               for n in ("Kang Do-hyung", "Tran Van Binh", "Nguyen Van Cuong"))


def test_pattern_bodies_and_companies(gaz):
    text = ("The Ministry of Oceans and Fisheries, Hanyang University, the Korea Maritime Institute, "
            "Shinsegae Group and Hanoi Beer Co., Ltd signed deals.")
    found = {m.text: m.entity.type for m in gaz.find(text) if not m.known}
    assert found == {
        "Ministry of Oceans and Fisheries": "government",
        "Hanyang University": "organisation",
        "Korea Maritime Institute": "organisation",
        "Shinsegae Group": "company",
        "Hanoi Beer Co., Ltd": "company",
    }


def test_no_junk_patterns(gaz):
    text = ("The Group said. Working Group met. In March, President Trump spoke. "
            "The Minister said. Mr. Choi said on Monday. Director of the agency.")
    assert [m for m in gaz.find(text) if not m.known] == []


def test_same_alias_two_countries_resolved_by_context(gaz):
    vn = one(gaz, "Vietnam's Ministry of National Defence", "Ministry of National Defence of Vietnam")
    kr = one(gaz, "the Korean Ministry of National Defense", "Ministry of National Defense of Korea")
    assert vn.entity.country == "VN" and kr.entity.country == "KR"


def test_all_caps_headline_common_words(gaz):
    assert names(gaz, "THE MOST IMPORTANT US DEAL: KT AND VIETTEL") == [("KT", "KT"), ("VIETTEL", "Viettel")]


def test_urls_are_ignored(gaz):
    assert names(gaz, "Source: https://www.vietnamplus.vn/viet-nam-han-quoc-post1.vnp") == []


def test_lookup(gaz):
    assert gaz.lookup("Tô Lâm").name == "To Lam"
    assert gaz.lookup("to lam").name == "To Lam"
    assert gaz.lookup("KEPCO").name == "Korea Electric Power Corporation"
    assert gaz.lookup("Ministry of Science and Information Technology").name == "Ministry of Science and ICT"
    assert gaz.lookup("Nobody Here") is None


def test_common_english_words_are_not_aliases(gaz):
    common = {"most", "hue", "my", "may", "us", "it", "vast", "sun", "will", "can", "china's"}
    for e in gaz.entities:
        for alias in (e.name, *e.aliases):
            if alias.casefold() in common:
                assert alias.isupper() or sum(c.isupper() for c in alias) >= 2, (e.name, alias)


def test_malformed_gazetteer(tmp_path: Path):
    bad = tmp_path / "broken.toml"
    bad.write_text('[[entity]]\nname = "X"\ntype = \n', encoding="utf-8")
    with pytest.raises(ValueError, match="broken.toml"):
        Gazetteer.load(bad)
    missing = tmp_path / "missing_type.toml"
    missing.write_text('[[entity]]\nname = "X"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="missing_type.toml.*type"):
        Gazetteer.load(missing)
    clash = tmp_path / "clash.toml"
    clash.write_text('[[entity]]\nname = "A"\ntype = "company"\ncountry = "KR"\naliases = ["Z Co"]\n'
                     '[[entity]]\nname = "B"\ntype = "company"\ncountry = "KR"\naliases = ["Z Co"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="clash.toml"):
        Gazetteer.load(clash)


def test_custom_gazetteer_in_memory():
    g = Gazetteer([Entity("Foo Bar", "company", "KR", ("FB",))])
    assert [(m.text, m.entity.name) for m in g.find("FB and Foo-Bar, not fb")] == [("FB", "Foo Bar"), ("Foo-Bar", "Foo Bar")]


def test_seed_articles(gaz):
    """Every mention in the seeds indexes the original text; key people and bodies are found."""
    wanted = {"To Lam", "Choi Young-sam", "Hoang Minh", "Ho Duc Thang", "Park Yoon-kyu", "Nguyen Manh Hung",
              "Lee Jae-myung", "Kim Nyoun-ho", "Cho Tae-yul", "Bui Thanh Son", "Pham Minh Chinh", "Nguyen Hong Dien",
              "Ahn Duk-geun", "Park Sang-woo", "Ministry of Science and ICT", "Korean Chamber of Commerce in Vietnam",
              "Vietnam-Korea Institute of Science and Technology", "KT", "Viettel", "LG CNS", "VNPT", "Daewoo E&C",
              "GS E&C", "Lotte", "Korea Electric Power Corporation", "Samsung Electronics", "P4G", "FuriosaAI"}
    seen = set()
    for path in sorted(seeds_dir().glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        mentions = gaz.find(text)
        last_end = -1
        for m in mentions:
            assert text[m.start:m.end] == m.text
            assert m.start >= last_end
            last_end = m.end
        seen |= {m.entity.name for m in mentions}
    assert wanted <= seen, wanted - seen


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
       | st.lists(st.sampled_from(["Tô Lâm", "To Lam", " ", "-", "MSIT", "Samsung’s", "\u0302", "Minister of ", "Nguyen",
                                   "Van", "A", ",", ".", "Co., Ltd", "Group", "University", "한국", "Korea", "\n",
                                   "\u200b", "Đ", "LG"]), max_size=30).map("".join))
def test_offsets_property(text):
    gaz = default_gazetteer()
    last_end = 0
    for m in gaz.find(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.start >= last_end
        last_end = m.end


def test_resources_file_exists():
    assert (resources_dir() / "gazetteer.toml").is_file()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("aZ ,.'`-\u00e0\u1ebf\u01b0\u0110\u2019\u201c\u2014\u00a0\u200b\u0301\u0303\u00ad"
                                      "\uac00xy"), max_size=40))
def test_fold_is_the_fold_table(text):
    """Folding replaces exactly the characters of the fold table (accents, curly quotes, dashes, zero widths)."""
    from partnership_explorer.core.entities import _FOLD_TABLE, fold

    assert fold(text) == text.translate(_FOLD_TABLE)


def test_tone_marks_and_korean_verb_endings_tell_words_from_names():
    from partnership_explorer.core.entities import default_gazetteer

    gaz = default_gazetteer()
    names = lambda text: {m.entity.name for m in gaz.find(text)}  # noqa: E731
    assert [m.text for m in gaz.find("Tổng Bí thư Tô Lâm tiếp Đại sứ tại Bỉ.") if m.entity.name == "Belgium"] == ["Bỉ"]
    assert "India" not in names("1차 계약 물량은 지난해까지 대부분 인도됐다.")
    assert "India" in names("인도와 베트남은 어제 정상회담을 가졌다.")
    assert "Vietnam" in names("Việt Nam và Bỉ") and "Vietnam" in names("Viet Nam and Belgium")
    # a plain "y" (health, "y tế"; the veterinary office, "Cục Thú y") is no "Ý" (Italy)
    assert "Italy" not in names("Cục Thú y Việt Nam cấp phép cho các doanh nghiệp ngành y tế.")
    assert "Italy" not in names("Y tế là lĩnh vực hợp tác mới.")
    assert "Italy" in names("Thủ tướng Ý thăm Hà Nội.")


def test_company_names_end_with_legal_forms_and_trade_nouns():
    from partnership_explorer.core.entities import default_gazetteer

    found = {m.text: m.entity.type for m in default_gazetteer().find(
        "Britain's Calder Therapeutics plc licensed the drug to U.S.-based Ostrava Pharma, and Lindqvist Pumps AB "
        "signed with Solvera Airlines. The Ministry of Energy welcomed it.")}
    assert found.get("Calder Therapeutics plc", found.get("Calder Therapeutics")) == "company"
    assert found.get("Ostrava Pharma") == "company" and "U.S.-based Ostrava Pharma" not in found
    assert found.get("Lindqvist Pumps AB", found.get("Lindqvist Pumps")) == "company"
    assert found.get("Solvera Airlines") == "company"
    assert "Energy" not in " ".join(t for t, ty in found.items() if ty == "company")


def test_company_names_of_more_trades_keep_their_legal_form():
    from partnership_explorer.core.entities import default_gazetteer

    found = {m.text: m.entity.type for m in default_gazetteer().find(
        "Pune-based Tarangi Lifesciences and Brazil's Serrana Biofuels signed with Delta Agri JSC, while Orvik "
        "Maritime Investments bought Nordhavn Terminals.")}
    assert found.get("Tarangi Lifesciences") == "company"
    assert found.get("Serrana Biofuels") == "company"
    assert found.get("Delta Agri JSC") == "company" and "Delta Agri" not in found
    assert found.get("Orvik Maritime Investments") == "company"
    assert found.get("Nordhavn Terminals") == "company"


def test_vietnamese_names_of_countries_and_the_eu():
    from partnership_explorer.core.entities import default_gazetteer

    found = {m.entity.name for m in default_gazetteer().find(
        "Việt Nam và Lào ký hiệp định; Ấn Độ, Ba Lan, Mông Cổ và Liên minh châu Âu cũng tham dự.")}
    assert {"Vietnam", "Laos", "India", "Poland", "Mongolia", "European Union"} <= found


def test_a_name_several_countries_share_stands_for_none_when_another_owns_it_or_none_is_named():
    from partnership_explorer.core.entities import default_gazetteer

    g = default_gazetteer()
    names = lambda t: [m.entity.name for m in g.find(t)]  # noqa: E731
    # "Foreign Ministry" is known for Vietnam and Korea: Taiwan's is neither
    assert names("A scholarship programme that Taiwan's foreign ministry began in 2004.") == ["Taiwan"]
    assert names("Paraguay and Chile met. The Foreign Ministry said so.") == ["Paraguay", "Chile"]
    # named beside one of its countries, it is that country's
    assert "Ministry of Foreign Affairs of Korea" in names("Korea and Chile met. The Foreign Ministry said so.")


def test_a_vietnamese_company_told_by_its_kind_first():
    from partnership_explorer.core.entities import default_gazetteer

    g = default_gazetteer()
    found = [(m.entity.name, m.entity.type) for m in g.find(
        "Đầu năm nay, Công ty Alpwerk Hydro của Áo và Công ty CP Cấp nước Cửu Long Xanh đã ký hợp đồng; Tập đoàn "
        "Metsälinna đã khánh thành nhà máy.")]
    assert ("Alpwerk Hydro", "company") in found and ("Cấp nước Cửu Long Xanh", "company") in found
    assert ("Metsälinna", "company") in found and ("Austria", "country") in found


def test_a_body_whose_name_one_country_uses_is_not_that_countrys_when_another_owns_it():
    from partnership_explorer.core.entities import default_gazetteer

    g = default_gazetteer()
    names = lambda t: [m.entity.name for m in g.find(t)]  # noqa: E731
    assert "Ministry of Economy and Finance" not in names("The loan was signed by the Cambodian finance ministry.")
    assert "Ministry of Economy and Finance" in names("The Korean finance ministry said so.")


def test_carriers_named_by_what_they_carry_are_companies():
    from partnership_explorer.core.entities import default_gazetteer

    found = {(m.entity.name, m.entity.type) for m in default_gazetteer().find(
        "Brenmoor Container Line and Morava Rail Cargo formed a joint venture.")}
    assert {("Brenmoor Container Line", "company"), ("Morava Rail Cargo", "company")} <= found


def test_korean_companies_told_by_their_kind_or_their_trade_but_not_a_generic_word():
    from partnership_explorer.core.entities import default_gazetteer
    found = {(m.text, m.entity.type) for m in default_gazetteer().find(
        "한빛머티리얼즈는 이날 페루 구리 생산업체 안데스쿠프레와 계약을 맺었다. 식품기업 바다푸드가 공장을 세웠다. "
        "해외건설 수주도 늘었다.")}
    assert {("한빛머티리얼즈", "company"), ("안데스쿠프레", "company"), ("바다푸드", "company")} <= found, found
    assert not any(t == "해외건설" for t, _ in found), found


def test_a_name_ending_with_company_is_a_company():
    from partnership_explorer.core.entities import default_gazetteer
    found = {(m.text, m.entity.type) for m in default_gazetteer().find("Sagami Power agreed to buy ammonia from Najd "
                                                                      "Ammonia Company under a 15-year contract.")}
    assert ("Najd Ammonia Company", "company") in found, found
