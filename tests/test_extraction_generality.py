"""General rules of event extraction, on sentences written for these tests: every tense of a signal,
circumstances that share a date, datelines, and titles built from the clause's own words."""

import datetime as dt

import pytest

from partnership_explorer.core.extract import extract_candidates
from partnership_explorer.core.titles import clause_title, needs_clause_title


def cands(text, published=dt.date(2025, 6, 12), language="en"):
    return extract_candidates(text, published=published, published_precision="day", language=language)


def kinds_and_dates(text, **kw):
    return {(c.kind, c.date.first.isoformat()) for c in cands(text, **kw)}


def test_planned_signings_and_travel_are_events():
    found = kinds_and_dates("Officials from Chile and Peru will sign the fisheries agreement next Monday.\n\n"
                            "Peru's trade minister will travel to Santiago next month.")
    assert ("agreement", "2025-06-16") in found
    assert ("visit", "2025-07-01") in found


def test_every_tense_of_meeting_and_opening():
    found = kinds_and_dates("Ghana and Norway's ministers will meet in Oslo in September.\n\n"
                            "The Tema plant built by Aker Marine and Volta Fisheries began commercial operations "
                            "in March.")
    assert ("meeting", "2025-09-01") in found
    assert ("opening", "2025-03-01") in found


def test_the_two_countries_normalised_relations_and_became_strategic_partners():
    found = {(c.kind, c.milestone, c.date.first.year) for c in cands(
        "Vietnam and Brazil normalized relations on July 23, 1956, and became strategic partners in 2011.")}
    assert ("milestone", "relations-established", 1956) in found
    assert ("milestone", "partnership-upgrade", 2011) in found


def test_talks_told_as_a_circumstance_share_the_date():
    found = kinds_and_dates("Egypt and Japan signed four loan agreements on Monday after talks between "
                            "Prime Minister Shigeru Ishiba and President Abdel Fattah el-Sisi.")
    assert {("agreement", "2025-06-09"), ("meeting", "2025-06-09")} <= found


def test_a_dateline_does_not_date_a_happening_the_sentence_dates_itself():
    found = kinds_and_dates("ACCRA, June 12 (Coast Wire) – Ghana and Norway signed a fisheries research "
                            "agreement on Tuesday.")
    assert ("agreement", "2025-06-10") in found
    assert ("agreement", "2025-06-12") not in found


def test_holding_a_stake_is_not_a_deal_but_buying_one_is():
    held = kinds_and_dates("Ghana and Norway opened the Tema terminal on Monday.\n\n"
                           "Kestrel Motors, which holds a 7% stake in the terminal operator, attended the ceremony.")
    assert not any(k == "deal" for k, _ in held)
    bought = kinds_and_dates("Kestrel Motors bought a 7% stake in Andina Lithium in March.")
    assert ("deal", "2025-03-01") in bought


def test_figures_in_vietnamese_and_korean():
    vi = kinds_and_dates("Năm ngoái, kim ngạch thương mại hai chiều Việt Nam – Brazil đạt khoảng 7 tỷ USD.",
                         language="vi")
    assert ("statistic", "2024-01-01") in vi
    ko = kinds_and_dates("지난해 한국과 칠레의 교역액은 약 120억달러였다.", language="ko")
    assert ("statistic", "2024-01-01") in ko


def test_one_partys_revenue_is_not_a_figure_of_the_relationship():
    found = kinds_and_dates("Andina Lithium reported revenue of $840 million last year.")
    assert not any(k == "statistic" for k, _ in found)


# ------------------------------------------------------------------------------------------------ titles

def titles(text, **kw):
    return {c.kind: c.title for c in cands(text, **kw)}


def test_titles_are_never_a_bare_kind_nor_the_whole_sentence():
    text = ("The first shipment of lithium carbonate from the Maricunga salt flat, which Andina Lithium has "
            "developed since 2019 with money from several Asian and European lenders, is due to arrive in "
            "Liverpool in November.")
    for c in cands(text):
        assert not needs_clause_title(c.title, text, "en"), c.title
        assert len(c.title) < 0.8 * len(text)


def test_titles_are_in_one_language():
    """A title is in the article's language or in English, never half and half."""
    text = ("Ngày 20/3, Tổng Bí thư Tô Lâm và Tổng thống Lula da Silva đã hội đàm tại Brasília và chứng kiến lễ "
            "khánh thành nhà máy của Tập đoàn Minh Phát.")
    for c in cands(text, published=dt.date(2025, 3, 21), language="vi"):
        assert not needs_clause_title(c.title, text, "vi"), c.title
        assert "20/3" not in c.title  # the date is the event's date, not part of its title


def test_a_vietnamese_clause_gives_a_vietnamese_title():
    text = "Ngày 20/3, Tập đoàn Minh Phát và Công ty Hanbit Electronics đã khánh thành nhà máy bảng mạch tại Bắc Ninh."
    start = text.index("khánh thành")
    title = clause_title(text, 0, len(text), start, start + len("khánh thành"), 5, 9, [], "vi")
    assert "khánh thành nhà máy" in title and "20/3" not in title and not needs_clause_title(title, text, "vi")


def test_needs_clause_title_flags_what_a_reader_would_reject():
    assert needs_clause_title("Meeting", "", "en")
    assert needs_clause_title("Visit", "", "en")
    assert needs_clause_title("Khi Tổng Bí thư visit to United States", "", "vi")
    assert needs_clause_title("and the first phase is to be completed", "", "en")
    assert not needs_clause_title("Pham Minh Chinh visits Wellington", "x" * 200, "en")


def test_a_clause_title_runs_from_the_subject_through_the_object():
    text = "On Thursday, the battery maker broke ground on its plant in Pecs, the ministry said."
    start = text.index("broke")
    title = clause_title(text, 0, len(text), start, start + len("broke ground"), 3, 11, [], "en")
    assert title == "The battery maker broke ground on its plant in Pecs"


def test_a_second_predicate_joined_by_and_shares_the_date():
    found = [(c.kind, c.date.first.isoformat(), c.signal.lower()) for c in cands(
        "On Monday, Luxon met Prime Minister Pham Minh Chinh and attended a business summit in Auckland.")]
    assert ("meeting", "2025-06-09", "met") in found
    assert ("meeting", "2025-06-09", "summit") in found


def test_an_anniversary_is_not_when_relations_began():
    found = {(c.kind, c.date.first.year) for c in cands(
        "한국과 칠레는 1962년 6월 수교했으며, 올해 수교 63주년을 맞았다.", language="ko")}
    assert ("milestone", 1962) in found and ("milestone", 2025) not in found


def test_a_korean_upgrade_to_strategic_partnership_keeps_its_level():
    [up] = [c for c in cands("양국 정상은 어제 회담을 갖고 양국 관계를 '전략적 동반자 관계'로 격상했다.", language="ko")
            if c.kind == "milestone"]
    assert up.detail.lower() == "strategic partnership" and up.date.first == dt.date(2025, 6, 11)


def test_what_each_side_does_with_other_countries_is_not_an_event_of_the_pair():
    story = ("Chile and Peru signed a fisheries agreement in Lima on Tuesday. Peru's trade minister met his "
             "Chilean counterpart on Monday. Chile and Peru established relations in 1839.\n\n"
             "The Peruvian president visited Brazil and Colombia in March. Earlier, Santiago and Canberra "
             "signed their own fisheries pact in 2019. Peru's foreign minister will fly on to Quito on Friday, "
             "where he will meet Ecuador's president.\n\n"
             "Chile's minister will travel to Arequipa on Thursday to meet exporters, before flying to Bogota.")
    found = kinds_and_dates(story)
    assert {("agreement", "2025-06-10"), ("meeting", "2025-06-09"), ("visit", "2025-06-12")} <= found
    assert not any(d in ("2025-03-01", "2019-01-01", "2025-06-13") for _k, d in found), found


def test_a_company_story_keeps_its_pair_and_leaves_other_companies_deals_out():
    story = ("Pellucid Therapeutics plc said on Monday it had licensed a kidney drug from Korea's Hanbi Biologics, "
             "paying $80 million upfront. Pellucid and Hanbi will start a joint trial in March.\n\n"
             "Hanbi licensed a different antibody to Ostrava Pharma in 2024. Pellucid shares rose 4%.")
    found = kinds_and_dates(story)
    assert any(d == "2025-06-09" for _k, d in found), found
    assert not any(d.startswith("2024") for _k, d in found), found


def test_quotations_and_commentators_remarks_date_no_happening():
    story = ("Chile and Peru signed a fisheries agreement on Tuesday.\n\n"
             "\"The real test is whether the boats are back at sea by March,\" said Ana Ruiz, an analyst at a Lima "
             "bank, who noted that catches fell in 2023. \"Promises made in a speech in January are not contracts,\" "
             "a union leader said.")
    found = kinds_and_dates(story)
    assert ("agreement", "2025-06-10") in found
    assert not any(d[:7] in ("2026-03", "2025-03", "2025-01") or d.startswith("2023") for _k, d in found), found


def test_the_base_of_a_change_is_not_a_date_of_the_figure():
    found = kinds_and_dates("Trade between Chile and Peru reached $4.8 billion in 2024, up 12% from the previous "
                            "year, and rose 9% compared with 2022.")
    assert ("statistic", "2024-01-01") in found
    assert not any(d.startswith(("2023", "2022")) for _k, d in found), found


def test_one_economys_own_goals_are_not_targets_of_the_relationship():
    found = kinds_and_dates("Chile and Peru aim to double two-way trade to $10 billion by 2030. Peru's government "
                            "has set a target of raising defence spending to 2% of GDP by 2028.")
    assert ("target", "2030-01-01") in found
    assert not any(d.startswith("2028") for _k, d in found), found


def test_licences_regulators_trials_flights_and_taking_effect():
    stories = {
        "Pellucid Therapeutics licensed a kidney drug from Hanbi Biologics on Monday for $80 million. Pellucid and "
        "Hanbi ran an early-stage trial of the drug in 2023.": {("deal", "2025-06-09"), ("cooperation", "2023-01-01")},
        "The European Commission cleared the takeover of Vessel Pumps by Arkwood Engineering in April.":
            {("legal", "2025-04-01")},
        "Condor Airlines will start its own nonstop flights between Lima and Santiago on October 25.":
            {("opening", "2025-10-25")},
        "The Chile–Peru trade agreement took effect on March 1, 2024.": {("agreement", "2024-03-01")},
    }
    for story, expected in stories.items():
        assert expected <= kinds_and_dates(story), story


def test_a_long_sentence_highlights_the_clause_of_each_event():
    text = ("Chile and Peru signed a comprehensive economic partnership agreement in July 2022, the first such deal "
            "either had concluded with a neighbour in a decade, and it took effect on September 1, 2023.")
    by_date = {c.date.first.isoformat(): c for c in cands(text)}
    took_effect = by_date["2023-09-01"]
    assert took_effect.evidence.text == "and it took effect on September 1, 2023."
    assert text[took_effect.evidence.start:took_effect.evidence.end] == took_effect.evidence.text
    short = cands("Chile and Peru signed a fisheries agreement on Tuesday.")[0]
    assert short.evidence == short.sentence


def test_a_purpose_after_a_past_meeting_and_a_record_since_a_decade():
    found = kinds_and_dates("Teams from Condor Airlines and Andes Air met in Lima from June 2 to 4 to plan the "
                            "merger of their networks. Last month, a Peruvian frigate docked at Valparaiso in what "
                            "both navies called the largest joint drill since the 1990s.",
                            published=dt.date(2025, 6, 12))
    assert ("meeting", "2025-06-02") in found
    assert ("cooperation", "2025-05-01") in found
    assert not any(d.startswith("199") for _k, d in found), found


def test_a_weekday_in_the_possessive_is_a_day_told_and_a_named_year_is_a_name():
    found = kinds_and_dates("Chile and Peru signed a fisheries agreement on Tuesday. Under Tuesday's agreement, "
                            "Peruvian boats will fish Chilean waters. Chile expects visitors during Visit Chile "
                            "Year 2026, with a target of 8 million arrivals.", published=dt.date(2025, 6, 12))
    assert ("agreement", "2025-06-10") in found
    assert not any(d in ("2025-06-17", "2026-01-01") for _k, d in found), found


def test_opinions_and_quoted_words_are_not_events_and_measures_taking_effect_are_not_agreements():
    found = kinds_and_dates(
        "Condor Airlines and Andes Air signed a codeshare agreement on Monday. She estimated that deals of this "
        "kind doubled in 2024. Rojas said the deal would \"open the south to travellers\".\n\n"
        "Deals have picked up since U.S. tariffs on imported machinery took effect last year.\n\n"
        "The Chile–Peru free trade agreement, signed in 2016, took effect in March 2018.")
    assert ("agreement", "2025-06-09") in found and ("agreement", "2018-03-01") in found
    assert not any(d.startswith(("2024", "2025-01")) for _k, d in found), found
    assert ("opening", "2025-06-09") not in found


def test_vietnamese_sessions_chairs_and_survey_trips():
    found = kinds_and_dates("Hôm qua, hai bộ trưởng đồng chủ trì phiên họp lần thứ ba của Ủy ban hỗn hợp. Tuần "
                            "trước, một đoàn doanh nghiệp Chile đã đến khảo sát các dự án tại Đà Nẵng.",
                            language="vi")
    assert ("meeting", "2025-06-11") in found
    assert any(k == "visit" for k, _d in found), found


def test_an_undated_text_keeps_what_it_dates_itself_and_drops_what_needs_its_own_date():
    found = [(c.kind, c.date.label()) for c in extract_candidates(
        "Washington recognised the newly independent Polish state in January 1919, and the two countries "
        "exchanged envoys later that year. Poland ordered 250 tanks in April 2022. The first of them were handed "
        "over at a plant in Texas earlier this year.", published=None, language="en")]
    assert {("milestone", "1919-01"), ("milestone", "1919"), ("deal", "2022-04")} <= set(found), found
    assert not any(k == "cooperation" for k, _d in found), found


def test_forces_deployed_and_a_contractor_chosen_to_build():
    found = kinds_and_dates("The United States deployed a missile launcher to northern Luzon in April last year. "
                            "In November 2022 the Polish government chose Westinghouse to build its first nuclear "
                            "plant, with the first reactor expected to start in 2036.")
    assert {("cooperation", "2024-04-01"), ("deal", "2022-11-01"), ("opening", "2036-01-01")} <= found, found


def test_the_year_of_a_laws_name_dates_nothing():
    found = kinds_and_dates("Washington threatened tariffs under the Trade Expansion Act of 1962 on chips from Chile "
                            "and Peru, which signed a chip supply agreement in 2024.")
    assert not any(d.startswith("1962") for _k, d in found), found


def test_what_was_agreed_on_a_day_happens_later():
    found = kinds_and_dates("The coast guards of Chile and Peru agreed on Monday to hold their first joint patrol "
                            "off Arica in August.")
    assert {("agreement", "2025-06-09"), ("cooperation", "2025-08-01")} <= found, found


def test_an_event_whose_words_name_no_sector_is_in_its_storys():
    story = ("Condor Airlines and Andes Air signed a codeshare agreement on Monday covering flights between Lima and "
             "Santiago. The airlines will add a third daily flight in March. Tickets go on sale next Monday.")
    by_date = {c.date.first.isoformat(): c for c in cands(story)}
    assert by_date["2025-06-16"].sectors == ["infrastructure"]
    assert "infrastructure" in by_date["2025-06-09"].sectors


def test_hearings_symposia_plans_by_a_year_and_investments_to_be_made():
    found = kinds_and_dates(
        "A hearing on the patent dispute between Condor Airlines and Andes Air is scheduled for March 2 to 6 next "
        "year.\n\nCondor and Andes will present their joint fleet plan at a symposium in Lima on July 8.\n\n"
        "Chile and Peru hope to take a final investment decision on the pipeline by 2027.\n\n"
        "The Chile–Peru fund would make its first investments in the second half of the year.")
    assert {("legal", "2026-03-02"), ("meeting", "2025-07-08"), ("target", "2027-01-01"),
            ("deal", "2025-07-01")} <= found, found


def test_korean_injunctions_and_partnerships_formed():
    found = kinds_and_dates("한국과 체코는 2015년 12월 전략적 동반자 관계를 맺었다. 체코 법원은 지난달 6일 계약 체결을 금지하는 "
                            "가처분 결정을 내렸다.", language="ko")
    assert {("milestone", "2015-12-01"), ("legal", "2025-05-06")} <= found, found


def test_duties_a_wto_case_resumed_shipments_and_a_tripling():
    found = kinds_and_dates(
        "Beijing imposed provisional duties on Chilean wine in November 2020.\n\n"
        "Chile took the wine dispute to the WTO in June 2021.\n\n"
        "A Chilean winery said it would resume shipments to China in the June quarter.\n\n"
        "Trade between China and Chile roughly tripled from 2015 to 2024.")
    assert {("sanction", "2020-11-01"), ("legal", "2021-06-01"), ("cooperation", "2025-04-01")} <= found, found
    assert any(k == "statistic" and d.startswith("2015") for k, d in found), found


def test_others_own_deals_domestic_politics_and_budgets_make_no_events():
    found = kinds_and_dates(
        "Chile and Peru signed a lithium agreement on Tuesday. A rival Argentine miner signed a similar supply deal "
        "with a Saudi buyer last month. Lima and Quito have their own fisheries pact, signed in 2019.\n\n"
        "The Peruvian president has said he will seek a second term in the April 2026 election, and the ruling "
        "party won a by-election in May. The state budget for 2026 targets spending of 250 billion soles.")
    assert ("agreement", "2025-06-10") in found
    assert not any(d.startswith(("2025-05", "2019", "2026")) for _k, d in found), found


def test_a_span_of_months_and_the_year_before():
    found = kinds_and_dates("Trade between Chile and Peru rose to $5.3 billion in the January-May period, up 18% on "
                            "the year before.")
    assert ("statistic", "2025-01-01") in found
    assert not any(d.startswith("2024") for _k, d in found), found


def _found(text, published, language="en"):
    return [(c.kind, c.date.label(), c.title) for c in
            extract_candidates(text, published=published, published_precision="day", language=language)]


def test_a_sentence_opening_after_the_talks_takes_the_talks_day():
    text = ("Prime Minister Lena Varga arrived in Lima on Monday and held talks with President Tomas Ruiz "
            "the following morning.\nAfter the talks, the two governments signed a memorandum of understanding on "
            "fisheries, officials said.")
    found = _found(text, dt.date(2026, 5, 13))
    assert ("agreement", "2026-05-12") in [(k, d) for k, d, _ in found]


def test_what_one_side_urges_at_a_meeting_is_not_done():
    text = ("Foreign Minister Ana Pereira received her Norwegian counterpart in Lisbon on Tuesday.\n"
            "At the meeting, Pereira urged Norway to ratify the investment agreement soon.")
    found = _found(text, dt.date(2026, 5, 13))
    assert [k for k, _, _ in found].count("agreement") == 0


def test_two_predicates_with_their_own_dates_are_two_events():
    text = ("The joint programme between Britain and Japan was launched in December 2022 and aims to put a new "
            "trainer aircraft into service by 2035.")
    found = _found(text, dt.date(2025, 9, 24))
    by_date = {d: k for k, d, _ in found}
    assert by_date.get("2035") == "target" and by_date.get("2022-12") != "target"


def test_a_statistic_is_titled_by_its_own_figure_not_the_change_after_it():
    text = ("Trade between Chile and Peru reached 3.1 billion dollars in 2025, up 14% on the year before, according "
            "to customs data, and officials expect more next year.")
    titles = [t for k, _, t in _found(text, dt.date(2026, 3, 2)) if k == "statistic"]
    assert titles and "3.1 billion" in titles[0] and "14%" not in titles[0]


def test_vietnamese_parts_of_the_day_and_weekdays_date_events():
    text = ("Thủ tướng Peru đến sân bay quốc tế Nội Bài chiều 18/3, bắt đầu chuyến thăm chính thức Việt Nam.\n"
            "Hai Thủ tướng sẽ hội đàm vào sáng nay tại Hà Nội.")
    found = _found(text, dt.date(2026, 3, 20), "vi")
    dates = {d for _, d, _ in found}
    assert {"2026-03-18", "2026-03-20"} <= dates


def test_each_text_of_a_list_of_documents_signed_is_an_event_of_the_signing_day():
    text = ("Chile and Norway signed six agreements on Tuesday during a visit by Prime Minister Ivar Dahl.\n\n"
            "Among the documents signed in the presence of the two leaders were:\n"
            "- a memorandum of understanding on salmon farming research;\n"
            "- an agreement on the avoidance of double taxation;\n"
            "- a 90-million-dollar credit line from Norway's export agency for port cranes in Valparaíso.\n\n"
            "Dahl said the texts would deepen ties.")
    found = _found(text, dt.date(2026, 4, 16))
    on_the_day = [(k, t) for k, d, t in found if d == "2026-04-14"]
    assert len(on_the_day) >= 4, found  # the six agreements told at first, and each text of the list
    titles = " | ".join(t for _, t in on_the_day).lower()
    assert "salmon" in titles and "double taxation" in titles
    assert any(k == "deal" for k, _ in on_the_day)  # the credit line
    assert all(d == "2026-04-14" for k, d, _ in found if k in ("agreement", "deal"))


def test_a_vietnamese_list_of_documents_signed_takes_the_day_of_the_signing():
    text = ("Chiều 18/3, hai Thủ tướng đã hội đàm tại Hà Nội.\n"
            "Sau hội đàm, hai Thủ tướng chứng kiến lễ ký các văn kiện hợp tác, trong đó có:\n"
            "- Bản ghi nhớ về hợp tác kinh tế số;\n"
            "- Thỏa thuận về hợp tác lao động.")
    found = _found(text, dt.date(2026, 3, 19), "vi")
    agreements = [d for k, d, _ in found if k == "agreement"]
    assert agreements.count("2026-03-18") >= 2, found


def test_a_figure_highlights_its_clause_without_the_tail_of_the_sentence():
    text = ("Bilateral trade between Chile and Norway reached 4.7 billion dollars last year, according to the "
            "statistics office of Norway, with exports of machinery and fish feed well ahead of shipments of copper "
            "and fruit.")
    (stat,) = [c for c in extract_candidates(text, published=dt.date(2026, 4, 16), published_precision="day")
               if c.kind == "statistic"]
    assert stat.evidence.text == "Bilateral trade between Chile and Norway reached 4.7 billion dollars last year"


def test_a_day_told_by_its_distance_from_the_signing():
    text = ("Chile and Norway signed a fisheries agreement in Oslo on Thursday.\n\n"
            "Trade Minister Rosa Vidal met the Norwegian prime minister on the eve of the signing, and the two "
            "delegations will meet again in Santiago two days after the ceremony.")
    found = {(k, d) for k, d, _ in _found(text, dt.date(2026, 4, 18))}
    assert ("agreement", "2026-04-16") in found
    assert ("meeting", "2026-04-15") in found
    assert ("agreement", "2026-04-15") not in found  # "the signing" is the one told already


def test_the_same_day_is_the_day_of_the_happening_just_told_not_of_a_background_date():
    text = ("Hôm qua, hai Bộ trưởng Ngoại giao đã hội đàm tại Hà Nội. Đây là chuyến thăm đầu tiên của ông kể từ khi "
            "nhậm chức ngày 12/1/2024.\n"
            "Sau hội đàm, hai Bộ trưởng đã ký bản ghi nhớ về hợp tác thương mại.\n"
            "Chiều cùng ngày, Thủ tướng Phạm Minh Chính đã tiếp Bộ trưởng Ngoại giao Peru.")
    found = _found(text, dt.date(2026, 5, 14), "vi")
    received = [d for k, d, t in found if k == "meeting" and "tiếp" in t]
    assert received == ["2026-05-13"], found


def test_the_same_day_after_a_dated_founding_is_that_day():
    text = ("Trade Minister Ana Ruiz arrived in Lagos on Monday.\n\n"
            "Nigeria and Chile established diplomatic relations on October 1, 1965, and Chile opened its embassy "
            "in Lagos the same day.")
    found = {(k, d) for k, d, _ in _found(text, dt.date(2026, 5, 13))}
    assert ("opening", "1965-10-01") in found


def test_services_entered_reopened_and_arrivals_by_air_are_events():
    text = ("The second power cable between Spain and Morocco went into service in March 2026.\n\n"
            "Customs posts at the border reopened to commercial traffic in January 2025.\n\n"
            "Prime Minister Carla Soto flew into Rabat on Tuesday evening with nine ministers.\n\n"
            "The two shipping firms set up a joint crew training centre in Busan in 2024.")
    found = {(k, d) for k, d, _ in _found(text, dt.date(2026, 5, 14))}
    assert {("opening", "2026-03"), ("opening", "2025-01"), ("visit", "2026-05-12"),
            ("opening", "2024")} <= found, found


def test_vietnamese_raised_to_a_strategic_partnership_and_korean_dialogue_lab_and_trade():
    vi = _found("Hai nước thiết lập quan hệ ngoại giao năm 1973 và nâng lên Đối tác chiến lược năm 2015.",
                dt.date(2026, 5, 14), "vi")
    assert ("milestone", "2015") in {(k, d) for k, d, _ in vi}
    ko = {(k, d) for k, d, _ in _found(
        "양국은 지난해 11월 서울에서 제1차 핵심광물 대화를 열었다.\n"
        "지난 3월에는 한국이 지원한 광물 분석 실험실이 도도마에 문을 열었다.\n"
        "지난해 한국과 탄자니아의 교역액은 4억1천만 달러에 그쳤다.", dt.date(2026, 9, 18), "ko")}
    assert {("meeting", "2025-11"), ("opening", "2026-03"), ("statistic", "2025")} <= ko, ko


def test_one_more_signing_on_the_same_day_is_a_happening_of_its_own():
    text = ("Britain's export credit agency on Wednesday guaranteed 1.1 billion pounds of loans for a container "
            "terminal in Lagos.\n\n"
            "A second guarantee signed the same day, worth 240 million pounds, backs turbines for a power station "
            "at Ikorodu.\n\n"
            "On the same day, the two governments signed a memorandum on port skills.")
    found = [(k, d) for k, d, _ in _found(text, dt.date(2026, 10, 15))]
    on_the_day = [k for k, d in found if d == "2026-10-14" and k in ("agreement", "deal")]
    assert len(on_the_day) >= 3, found


def test_what_a_signing_came_a_day_after_happened_the_day_before():
    text = ("Britain and Nigeria signed two loan guarantees in Lagos on Wednesday.\n\n"
            "The signing came a day after the two trade ministers co-chaired a session of their trade dialogue "
            "in Abuja.")
    found = {(k, d) for k, d, _ in _found(text, dt.date(2026, 10, 15))}
    assert ("meeting", "2026-10-13") in found and ("meeting", "2026-10-14") not in found, found


def test_a_first_visit_since_another_happening_is_not_dated_by_it():
    text = ("President Lena Varga arrived in Tokyo on Wednesday for a four-day visit, her second trip to Japan since "
            "taking office in June 2022.\n"
            "Đây là chuyến thăm Việt Nam đầu tiên của Quốc vương kể từ khi lên ngôi ngày 31/1/2024.")
    en = {(k, d) for k, d, _ in _found(text.split("\n")[0], dt.date(2026, 5, 14))}
    assert ("visit", "2026-05-13") in en and ("visit", "2022-06") not in en, en
    vi = {(k, d) for k, d, _ in _found(text.split("\n")[1], dt.date(2026, 5, 14), "vi")}
    assert ("visit", "2024-01-31") not in vi, vi


def test_a_sentence_after_one_dated_by_the_talks_takes_the_same_day():
    text = ("Prime Minister Lena Varga held talks with President Tomas Ruiz in Lima on Monday.\n"
            "After the talks, the two leaders witnessed the signing of a memorandum on fisheries research.\n"
            "The two governments also signed an agreement on the mutual recognition of driving licences.\n"
            "Varga told a joint press conference that ties had never been closer.")
    found = _found(text, dt.date(2026, 5, 13))
    agreements = [d for k, d, _ in found if k == "agreement"]
    assert agreements.count("2026-05-11") == 2, found
    assert not any("press conference" in t.lower() for _, _, t in found)


def test_the_most_important_of_the_texts_signed_is_one_of_its_own():
    text = ("Hôm qua, Chủ tịch nước đã hội đàm với Tổng thống Chile tại Hà Nội.\n\n"
            "Kết thúc hội đàm, hai nhà lãnh đạo chứng kiến lễ ký năm văn kiện hợp tác. Quan trọng nhất là bản ghi nhớ "
            "về hợp tác phát triển công nghiệp bán dẫn giữa hai bộ.")
    found = _found(text, dt.date(2026, 11, 7), "vi")
    agreements = [(d, t) for k, d, t in found if k == "agreement" and d == "2026-11-06"]
    assert len(agreements) >= 2, found


def test_the_talks_a_declaration_was_adopted_after_date_what_follows_them():
    text = ("Prime Minister Ana Soto arrived in Hanoi on the evening of May 14.\n"
            "A joint statement on the upgrade was adopted after the talks between the two prime ministers on "
            "Friday.\n"
            "At the end of the talks, the two leaders witnessed the signing of a memorandum on digital payments.")
    found = _found(text, dt.date(2026, 5, 17))
    agreements = [d for k, d, _ in found if k == "agreement"]
    assert agreements and set(agreements) == {"2026-05-15"}, found  # not the day of the arrival


def test_a_treaty_ratified_later_that_month_is_a_step_of_its_own_and_sessions_held_are_meetings():
    text = ("Greece and Egypt signed their maritime agreement in Cairo on August 6, 2020, and the Greek parliament "
            "ratified it later that month.\n\n"
            "The council's first session was held in Athens in May 2025.\n\n"
            "The company expects a final investment decision on the cable in the second half of 2027, and the "
            "plant is expected to ship its first cathodes in 2028.")
    found = {(k, d) for k, d, _ in _found(text, dt.date(2026, 3, 5))}
    assert {("agreement", "2020-08-06"), ("agreement", "2020-08"), ("meeting", "2025-05")} <= found, found
    assert any(k == "deal" and d.startswith("2027-07") for k, d in found), found
    assert ("opening", "2028") in found, found


def test_a_listed_text_is_titled_by_its_own_words():
    text = ("Chile and Norway signed four agreements on Tuesday.\n\n"
            "The documents signed include:\n"
            "- a memorandum of understanding on salmon farming research, which sets up a joint laboratory;\n"
            "- a protocol between the two fisheries ministries on catch data.\n")
    titles = {t for k, d, t in _found(text, dt.date(2026, 4, 16)) if d == "2026-04-14"}
    assert "Memorandum of understanding on salmon farming research" in titles, titles
    assert "Protocol between the two fisheries ministries on catch data" in titles, titles


# -- the wider lexicon: operations reached, duties by their rate, calls on a head of state, delegations led --

def test_a_plant_reaching_commercial_operation_is_an_opening():
    found = kinds_and_dates("Cameroon and Norway agreed on the Kribi gas plant in 2023.\n\n"
                            "The Kribi plant, built by Norway's Fjordline Energy for Cameroon, is due to reach "
                            "commercial operation in October 2026.")
    assert ("opening", "2026-10-01") in found


def test_duties_named_by_their_rate_are_sanctions():
    found = kinds_and_dates("Beijing imposed duties of 62% on Canadian canola in August 2025, and Ottawa "
                            "protested.\n\nCanada and China have argued over farm trade since 2019.")
    assert ("sanction", "2025-08-01") in found


def test_a_call_on_a_head_of_state_is_a_meeting_and_a_call_to_act_is_not():
    found = kinds_and_dates("Chile's foreign minister called on the President of Peru in Lima on Tuesday.")
    assert ("meeting", "2025-06-10") in found
    assert not cands("On Tuesday the senator called on the President to veto the Chile trade bill.")
    assert ("meeting", "2025-06-10") in kinds_and_dates(
        "Peru's foreign minister paid a courtesy call on King Felipe in Madrid on Tuesday.")


def test_a_minister_leading_companies_abroad_is_a_visit():
    found = kinds_and_dates("Ghana's trade minister will lead more than 30 Ghanaian companies to Oslo in the "
                            "week of June 23, the ministry said.")
    assert ("visit", "2025-06-23") in found


def test_hosting_a_named_leader_and_being_received_are_meetings():
    found = kinds_and_dates("On Monday, Chancellor Scholz hosted Chilean President Gabriel Boric in Berlin.")
    assert ("meeting", "2025-06-09") in found
    text = ("Spain and Tunisia signed four agreements in Tunis on Wednesday.\n\n"
            "After the signing, the Spanish prime minister was received by President Kais Saied at Carthage.")
    meetings = [c for c in cands(text) if c.kind == "meeting"]
    assert [c.date.first.isoformat() for c in meetings] == ["2025-06-11"]


def test_what_came_before_the_talks_is_another_happening_of_that_day():
    text = ("Japan and Ghana held talks in Accra on Thursday.\n\n"
            "Before the talks, the two foreign ministers co-chaired the first session of the Japan-Ghana "
            "joint commission.")
    found = cands(text, published=dt.date(2025, 6, 13))
    sessions = [c for c in found if c.kind == "meeting" and "commission" in c.sentence.text]
    talks = [c for c in found if c.kind == "meeting" and "Accra" in c.sentence.text]
    assert [c.date.first.isoformat() for c in sessions] == [c.date.first.isoformat() for c in talks] == ["2025-06-12"]


def test_a_rival_set_aside_does_not_make_a_choice_anothers_partnership():
    found = kinds_and_dates("Canberra and Tokyo have worked on submarines since 2014.\n\n"
                            "Canberra chose the Japanese design in May over a rival from Germany's shipbuilders.\n\n"
                            "Australia and Japan will sign the contract in September.")
    assert ("deal", "2025-05-01") in found


def test_a_vietnamese_route_opened_and_a_clause_after_trong_khi_keeps_its_own_date():
    found = kinds_and_dates("Tháng tới, một hãng hàng không của Hàn Quốc sẽ mở đường bay thẳng Busan – Đà Lạt.",
                            language="vi")
    assert ("opening", "2025-07-01") in found
    text = ("Việt Nam và Lào ký hiệp định vận tải hôm qua.\n\n"
            "Lào cũng đang đàm phán hiệp định thương mại với Trung Quốc, trong khi Việt Nam và Lào đã ký "
            "biên bản ghi nhớ về năng lượng từ tháng 3/2024.")
    dated_2024 = [c for c in cands(text, language="vi") if c.date.first.year == 2024]
    assert dated_2024 and all("Trung Quốc" not in c.clause.text for c in dated_2024)


def test_a_korean_contract_concluded_is_a_deal_without_a_sum():
    found = kinds_and_dates("한국광물공사는 어제 칠레 구리 기업과 공동탐사 계약을 맺었다.", language="ko")
    assert ("deal", "2025-06-11") in found


def test_a_bare_korean_day_away_from_last_month_is_this_month():
    text = ("칠레 법원이 지난달 6일 계약을 금지하는 가처분 결정을 내렸다. 칠레 대법원은 4일 오전 이 결정을 "
            "취소했고, 양측은 같은 날 오후 한국과 칠레의 계약에 서명했다.")
    days = {c.date.first.isoformat() for c in cands(text, language="ko")}
    assert "2025-06-04" in days and "2025-05-04" not in days
    # a day written right after a month keeps that month: "다음 달 7일부터 11일까지"
    visit = [c for c in cands("칠레 대표단은 다음 달 7일부터 11일까지 한국을 찾아 공장을 둘러볼 예정이다.",
                              language="ko") if c.kind == "visit"]
    assert [(c.date.first.isoformat(), c.date.last.isoformat()) for c in visit] == [("2025-07-07", "2025-07-11")]


def test_each_numbered_item_of_a_list_of_texts_signed_is_an_agreement_of_that_day():
    text = ("Kenya and Poland signed three documents in Nairobi on Tuesday, namely:\n\n"
            "1. A memorandum of understanding on agricultural research;\n"
            "2. An agreement on the avoidance of double taxation;\n"
            "3. A protocol on consular cooperation.\n\n"
            "Kenya's president will visit Warsaw next year.")
    items = [c for c in cands(text) if c.kind == "agreement" and c.sentence.text[:2] in ("1.", "2.", "3.")]
    assert len(items) == 3 and {c.date.first.isoformat() for c in items} == {"2025-06-10"}
    assert any("double taxation" in c.title for c in items)


def test_the_same_day_after_a_background_month_is_the_storys_day():
    text = ("Qatar and Pakistan signed an amended gas contract in Doha on Tuesday.\n\n"
            "Their first contract was signed in February 2016.\n\n"
            "The same day, a Qatari fund signed a port concession with Pakistan's Port Qasim Authority.")
    port = [c for c in cands(text) if "port concession" in c.sentence.text]
    assert port and {c.date.first.isoformat() for c in port} == {"2025-06-10"}


def test_relations_established_are_dated_by_the_start_of_an_anniversary_span():
    text = ("Năm nay hai nước kỷ niệm 50 năm thiết lập quan hệ ngoại giao (23/9/1975 – 23/9/2025) giữa Việt Nam "
            "và Đức.")
    found = [c for c in cands(text, language="vi") if c.kind == "milestone"]
    assert [(c.date.first.isoformat(), c.date.is_range) for c in found] == [("1975-09-23", False)]


def test_a_summit_after_which_a_text_was_signed_shares_its_date():
    found = kinds_and_dates("The treaty was signed in March 2022 after a virtual summit between the prime "
                            "ministers of Chile and New Zealand, and was negotiated in four months.")
    assert {("agreement", "2022-03-01"), ("meeting", "2022-03-01")} <= found


def test_what_a_when_clause_after_a_date_tells_happened_then():
    found = kinds_and_dates("Kenya's president visited Berlin in May 2019, when the two governments signed a "
                            "skills partnership, and a migration agreement followed in September 2024.")
    assert {("visit", "2019-05-01"), ("agreement", "2019-05-01"), ("agreement", "2024-09-01")} <= found


def test_korean_strategic_partners_without_jeok_and_the_same_month():
    text = ("2021년 12월 캐나다 총리가 서울을 방문했을 때 양국은 관계를 포괄적 전략동반자 관계로 격상했고, 같은 달 캐나다 "
            "정부는 한국 기업과 전기버스 공급 계약을 맺었다.")
    found = {(c.kind, c.date.first.isoformat(), c.date.precision) for c in cands(text, language="ko")}
    assert ("milestone", "2021-12-01", "month") in found
    assert ("deal", "2021-12-01", "month") in found


def test_the_pacific_in_vietnamese_names_no_thai_side():
    text = ("Hôm qua Thủ tướng Việt Nam hội đàm với Thủ tướng Đức tại Berlin.\n\n"
            "Chiều cùng ngày, Thủ tướng dự Diễn đàn Doanh nghiệp Việt Nam – Đức do Hiệp hội Doanh nghiệp Đức tại "
            "châu Á – Thái Bình Dương tổ chức.")
    forum = [c for c in cands(text, language="vi") if "Diễn đàn" in c.sentence.text]
    assert [c.date.first.isoformat() for c in forum] == ["2025-06-11"]


def test_an_unrelated_dispute_and_one_sides_own_policy_are_not_the_pairs():
    text = ("Arden Chips and Kestrel Foundry settled their patent fight on Monday. Arden Chips will buy wafers "
            "from Kestrel Foundry.\n\n"
            "Kestrel Foundry settled an unrelated dispute with a Dutch toolmaker in 2023.\n\n"
            "Peru's own critical minerals strategy, launched in March 2024, guides the Arden Chips deal.")
    years = {c.date.first.year for c in cands(text)}
    assert 2025 in years and 2023 not in years and 2024 not in years


def test_a_press_release_is_dated_by_its_wire_dateline_and_its_closing_sections_tell_nothing(tmp_path):
    from partnership_explorer.core.pipeline import WorkItem, extract_document

    text = ("Arden Chips Completes Acquisition of Kestrel Foundry\n\n"
            "OSLO, Norway and AUSTIN, Texas, April 7, 2026 /Fjord Newswire/ -- Arden Chips ASA today announced that "
            "it has completed its acquisition of Kestrel Foundry, Inc.\n\n"
            "The European Commission approved the deal without conditions last week. Kestrel Foundry shares "
            "stopped trading before the market opened today. Arden Chips will host a conference call for investors "
            "today.\n\n"
            "About Arden Chips\n"
            "Founded in 1961, Arden Chips designs power chips. Arden Chips opened a plant in Bergen in 2019.\n\n"
            "About Kestrel Foundry\n"
            "Kestrel Foundry was founded in 2004.\n")
    path = tmp_path / "release.txt"
    path.write_text(text, encoding="utf-8")
    result = extract_document(WorkItem(0, path.name, str(path), path.read_bytes()))
    assert result.row["published"] == "2026-04-07"
    found = {(c.kind, c.date.first.isoformat()) for c in result.candidates}
    assert ("legal", "2026-03-30") in found  # the approval "last week"
    assert not {c.date.first.year for c in result.candidates} & {1961, 2004, 2019}
    assert not [c for c in result.candidates if c.kind in ("meeting", "opening")]
    assert ("deal", "2026-04-07") in found  # the acquisition completed today


def test_korean_negotiations_the_following_year_mass_production_and_duties_levied():
    text = ("양국은 2007년 칠레와의 FTA 협상을 시작했지만 이듬해 협상이 중단됐다. 한국과 칠레는 2004년 '새로운 "
            "동반자를 위한 전략적 동반자 관계'를 수립했다. 칠레 공장은 올해 3분기 양산에 들어갈 예정이다. 칠레는 "
            "올해 1월 1일부터 한국산 철강에 최고 30%의 관세를 매기기 시작했다.")
    found = {(c.kind, c.date.first.isoformat()) for c in cands(text, language="ko")}
    assert {("meeting", "2007-01-01"), ("meeting", "2008-01-01"), ("milestone", "2004-01-01"),
            ("opening", "2025-07-01"), ("sanction", "2025-01-01")} <= found, found


def test_a_country_joining_the_others_initiative_is_cooperation():
    found = kinds_and_dates("Chile and China signed a trade deal in 2005. Chile joined China's Belt and Road "
                            "Initiative in November 2018.")
    assert ("cooperation", "2018-11-01") in found


def test_a_readout_dates_its_paragraphs_and_its_list_of_texts_by_the_summit_day():
    text = ("Ministry of Foreign Affairs of Chile\n\n"
            "Santiago, 6 March 2025\n\n"
            "Chile-Kenya Summit Meeting\n\n"
            "1. On 5 March, President Boric held a summit meeting with H.E. Mr. William Ruto, President of Kenya, "
            "who is paying a State Visit to Chile from 4 to 7 March.\n\n"
            "2. President Ruto expressed his thanks for Chile's support since the 1990s.\n\n"
            "3. The two leaders issued a Joint Statement on a strategic partnership.\n\n"
            "4. In the presence of the two leaders, the following documents were exchanged:\n"
            "(1) Memorandum of Cooperation on copper and lithium research\n"
            "(2) Agreement on the mutual exemption of visas for diplomatic passports\n")
    found = cands(text, published=dt.date(2025, 3, 6))
    statement = [c for c in found if "Joint Statement" in c.sentence.text]
    items = [c for c in found if c.sentence.text.startswith(("(1)", "(2)"))]
    assert [c.date.first.isoformat() for c in statement] == ["2025-03-05"]
    assert len(items) == 2 and {c.date.first.isoformat() for c in items} == {"2025-03-05"}
    assert not [c for c in found if c.date.first.isoformat() == "2025-03-06"]  # the day of issue dates nothing


def test_a_korean_bare_day_after_a_background_sentence_is_this_month_and_a_contract_exchanged_is_a_deal():
    text = ("칠레 대통령의 방한은 2023년 9월 이후 처음이다. 보리치 대통령은 8일 서울에서 열린 한·칠레 비즈니스 "
            "포럼에 참석했다.")
    forum = [c for c in cands(text, language="ko") if c.kind == "meeting"]
    assert [c.date.first.isoformat() for c in forum] == ["2025-06-08"]
    found = kinds_and_dates("At the talks on Tuesday, the two leaders witnessed the exchange of a contract under "
                            "which a Chilean firm will build a port in Mombasa.")
    assert ("deal", "2025-06-10") in found


def test_what_was_signed_on_the_same_occasion_is_dated_by_the_meeting_told_before():
    for text, language, day in (
            ("Chile and Kenya held talks in Nairobi on Tuesday. Their trade pact entered into force in 2019. On the "
             "same occasion, the ministers signed a memorandum on mining.", "en", "2025-06-10"),
            ("어제 한국과 칠레 정상은 서울에서 회담했다. 양국 FTA는 2004년 발효됐다. 같은 자리에서 두 나라 장관은 수소 "
             "협력 양해각서를 교환했다.", "ko", "2025-06-11")):
        found = {(c.kind, c.date.first.isoformat()) for c in cands(text, language=language)}
        assert ("agreement", day) in found, (language, found)


def test_a_korean_also_tells_another_happening_of_the_day():
    found = [c for c in cands("어제 한국과 칠레는 서울에서 에너지 협정에 서명했다. 양국 장관들은 또 수소 협력 "
                              "양해각서에 서명했다.", language="ko") if "또" in c.sentence.text]
    assert [c.date.first.isoformat() for c in found] == ["2025-06-11"]


def test_the_first_months_of_a_year_two_vietnamese_days_running_and_visas_scrapped():
    from partnership_explorer.core.dates import find_dates

    found = {(d.text, d.first.isoformat(), d.last.isoformat()) for d in find_dates(
        "Exports rose in the first nine months of this year and fell in the last three months of 2024.",
        reference=dt.date(2025, 10, 20), reference_precision="day", language="en")}
    assert {("the first nine months of this year", "2025-01-01", "2025-09-30"),
            ("the last three months of 2024", "2024-10-01", "2024-12-31")} <= found
    [days] = find_dates("Tổng thống Chile thăm Việt Nam trong hai ngày 19 và 20/6/2024.",
                        reference=dt.date(2025, 10, 20), reference_precision="day", language="vi")
    assert (days.first.isoformat(), days.last.isoformat()) == ("2024-06-19", "2024-06-20")
    assert ("sanction", "2016-06-01") in kinds_and_dates(
        "Chile and China signed a trade pact in 2005. Chile scrapped visas for Chinese visitors in June 2016.")


def test_a_pointer_to_the_talks_takes_the_talks_day_not_the_latest_gathering():
    text = ("Chile and Kenya signed a trade framework on Tuesday after their presidents held talks in Nairobi.\n\n"
            "Boric flew in on Monday and addressed the Kenya-Chile business council the same evening.\n\n"
            "At the talks, the two leaders witnessed the signing of a $300 million contract for a copper smelter.")
    contract = [c for c in cands(text) if "copper smelter" in c.sentence.text]
    assert contract and {c.date.first.isoformat() for c in contract} == {"2025-06-10"}


def test_the_same_period_of_an_earlier_year_is_a_comparison_base_that_dates_nothing():
    from partnership_explorer.core.dates import find_dates

    text = "Chilean arrivals in Kenya reached 14,000 in the first seven months of this year, 61% more than in the same period of 2024."
    dated = {d.text: d.comparison for d in find_dates(text, reference=dt.date(2025, 8, 20), reference_precision="day")}
    assert dated == {"the first seven months of this year": False, "2024": True}


def test_vietnamese_coming_weeks_and_a_plans_vision_year_date_nothing():
    from partnership_explorer.core.dates import find_dates

    assert not find_dates("Hai bên sẽ thành lập nhóm công tác trong những tuần tới.", reference=dt.date(2025, 6, 12),
                          reference_precision="day", language="vi")
    found = kinds_and_dates("Hôm qua Việt Nam và Chile ký hiệp định. Chile cũng xem xét quy hoạch khoáng sản đến năm "
                            "2030, tầm nhìn đến năm 2045, với mục tiêu tăng xuất khẩu.", language="vi")
    assert ("agreement", "2025-06-11") in found and not {y for _k, y in found if y.startswith("2045")}


def test_a_vietnamese_city_abbreviation_does_not_end_the_sentence():
    found = cands("Hãng hàng không Sao Biển dự kiến khai thác chuyến bay thử nghiệm TP. Hồ Chí Minh – Lima vào cuối "
                  "năm nay.", language="vi")
    assert [(c.kind, c.date.precision, c.date.first.year) for c in found] == [("opening", "year", 2025)]
    assert "TP. Hồ Chí Minh" in found[0].sentence.text


def test_on_the_same_occasion_in_vietnamese_takes_the_day_of_the_talks():
    text = ("Chiều 10/6, Thủ tướng Việt Nam hội đàm với Tổng thống Peru tại Lima. Theo thỏa thuận, hai bên sẽ khảo "
            "sát chung vùng biển phía nam từ quý III năm nay.\n\n"
            "Cùng dịp, Tập đoàn Dầu khí Việt Nam và công ty Andes Gas đã ký thỏa thuận cung cấp khí hóa lỏng.")
    deal = [c for c in cands(text, language="vi") if "Andes Gas" in c.sentence.text]
    assert deal and {c.date.first.isoformat() for c in deal} == {"2025-06-10"}


def test_a_comprehensive_partnership_in_vietnamese_is_not_a_strategic_one():
    found = [c for c in cands("Hai nước thiết lập quan hệ ngoại giao năm 1973 và xác lập khuôn khổ Đối tác toàn diện "
                              "năm 2010.", language="vi") if c.kind == "milestone"]
    upgrade = [c for c in found if c.date.first.year == 2010]
    assert upgrade and "Comprehensive Partnership" in upgrade[0].title and "Strategic" not in upgrade[0].title


def test_trains_resuming_and_cargo_handled_are_events():
    found = kinds_and_dates("Passenger trains resumed on the border rail link last Friday after a long pause.\n\n"
                            "In the first five months of 2025 the crossing handled 2.4 million tonnes of cargo.")
    assert ("opening", "2025-06-06") in found and ("statistic", "2025-01-01") in found


def test_a_day_without_its_year_takes_the_year_of_its_month_named_in_the_sentence():
    found = kinds_and_dates("When the two leaders met in Santiago in March 2019, Chile and Peru signed a port accord on "
                            "March 14 that opened the way for joint customs checks.")
    assert ("agreement", "2019-03-14") in found and not any(d.startswith("2025-03") for _k, d in found)


def test_the_years_an_agreement_runs_for_are_not_its_date():
    text = ("Chiều 10/6, Thủ tướng Việt Nam và Thủ tướng Campuchia hội đàm tại Phnom Penh.\n\n"
            "Kết thúc hội đàm, hai Thủ tướng chứng kiến lễ ký thỏa thuận mua bán điện giai đoạn 2026-2030.")
    found = cands(text, language="vi")
    assert {(c.kind, c.date.first.isoformat(), c.date.precision) for c in found
            if c.kind == "agreement"} == {("agreement", "2025-06-10", "day")}
    assert not [c for c in found if c.date.first.year == 2026]


def test_a_past_talk_and_a_planned_meeting_of_the_same_sides_are_two_happenings():
    text = ("On Monday, President Ruto met Chilean President Gabriel Boric in Nairobi.\n\n"
            "A Kenya-Chile working group on lithium is due to hold its first meeting later this year.")
    found = kinds_and_dates(text)
    assert ("meeting", "2025-06-09") in found and ("meeting", "2025-01-01") in found


def test_leaders_of_other_countries_stand_for_their_countries():
    from partnership_explorer.core.entities import default_gazetteer

    found = {m.entity.name: m.entity.country for m in default_gazetteer().find(
        "Chancellor Friedrich Merz held talks with Prime Minister Mark Carney and later called President Lula da Silva.")}
    assert found == {"Friedrich Merz": "DE", "Mark Carney": "CA", "Luiz Inacio Lula da Silva": "BR"}
    talks = cands("In Ottawa on Monday, Merz held talks with Prime Minister Mark Carney.")
    assert talks and talks[0].sides == {"DE", "CA"}


def test_korean_orders_won_and_offices_opened():
    text = ("한국조선은 지난주 금요일 카타르에너지로부터 LNG 운반선 6척을 1조원에 수주했다고 밝혔다.\n\n"
            "카타르투자청은 올해 4분기 서울 사무소를 열 계획이다.")
    found = {(c.kind, c.date.first.isoformat()) for c in cands(text, language="ko")}
    assert ("deal", "2025-06-06") in found and ("opening", "2025-10-01") in found


def test_each_level_of_a_vietnamese_list_of_upgrades_is_a_milestone_of_its_own():
    found = {(c.date.first.isoformat(), c.title) for c in cands(
        "Hai nước thiết lập quan hệ ngoại giao năm 1972, nâng lên Đối tác chiến lược năm 2013 và Đối tác chiến lược "
        "toàn diện vào tháng 9/2023.", language="vi") if c.kind == "milestone"}
    years = {d[:7] for d, _t in found}
    assert {"2013-01", "2023-09"} <= years
    assert any("Comprehensive Strategic Partnership" in t and d.startswith("2023-09") for d, t in found)
    assert not any("Đối" in t for _d, t in found)


def test_a_date_after_an_agreement_is_not_its_topic():
    found = {c.title for text in ("Chile and Peru signed an agreement on port fees on Monday.",
                                  "Brazil and Germany signed eleven agreements on Tuesday covering green hydrogen.",
                                  "Turkey and Britain signed a trade agreement on 29 December 2020.")
             for c in cands(text) if c.kind == "agreement"}
    assert "Agreement on port fees between Chile and Peru" in found
    assert not [t for t in found if "Tuesday" in t or "December" in t or "Monday" in t]
    deal = {c.title for c in cands("China and Ghana signed a contract on 120 electric locomotives on Wednesday.")}
    assert "Contract on 120 electric locomotives between China and Ghana" in deal


def test_a_target_title_is_in_the_articles_language_and_leaves_its_date_out():
    vi = [c.title for c in cands("Hai bên đặt mục tiêu nâng kim ngạch thương mại lên 8 tỷ USD vào năm 2030.",
                                 language="vi") if c.kind == "target"]
    assert vi and vi[0].startswith("Mục tiêu đến năm 2030: ") and "vào năm 2030" not in vi[0]
    ko = [c.title for c in cands("두 정상은 2030년까지 교역 규모를 300억 달러로 늘리기로 했다.", language="ko")
          if c.kind == "target"]
    body = ko[0].removeprefix("2030년 목표: ") if ko else ""
    assert body and "2030년" not in body and "까지" not in body
    en = [c.title for c in cands("The venture expects to employ 420 technicians by 2030.") if c.kind == "target"]
    assert en and en[0].startswith("Target by 2030: ") and not en[0].endswith("2030")


def test_a_named_second_clause_gets_its_own_title_and_a_list_of_names_stays_whole():
    found = {c.title for c in cands("The two firms reached a settlement on May 20, and Halvorsen formally withdrew "
                                    "its claim last week, a court filing showed.")}
    assert "Halvorsen formally withdrew its claim" in found
    assert "The two firms reached a settlement" in found
    accord = [c for c in cands("Chile, Brazil, and Peru signed a fisheries accord on Monday.") if c.kind == "agreement"]
    assert accord and {a.name for a in accord[0].actors} >= {"Chile", "Brazil"}


def test_a_visitor_does_not_visit_their_own_country():
    found = {c.title for c in cands("President Emmanuel Macron began a three-day state visit meant to ease tension "
                                    "between France and Morocco on Monday.")}
    assert "Emmanuel Macron visits Morocco" in found


def test_each_clause_of_among_them_is_one_of_the_texts_signed():
    text = ("Ministers from Chile and Kenya signed 12 agreements on Monday.\n\n"
            "Among them, Andes Rail will supply 20 locomotives to Kenya Railways, and Codelco agreed to develop a "
            "copper refinery in Mombasa.")
    assert any(c.kind == "agreement" and "copper refinery" in c.title and c.date.first.isoformat() == "2025-06-09"
               for c in cands(text))


def test_titles_begin_after_a_date_and_are_never_two_languages():
    vi = [c.title for c in cands("Theo chương trình, ngày 14/6 Thủ tướng sẽ làm việc với lãnh đạo bang Bavaria tại "
                                 "Munich.", published=dt.date(2025, 6, 2), language="vi")]
    assert vi and not vi[0][0].isdigit()
    ko = [c.title for c in cands("양국 국방 당국은 지난 3월 12일 서울에서 실무협의를 열었다.", language="ko")]
    assert ko and not ko[0][0].isdigit()
    visit = [c.title for c in cands("루토 대통령은 그제 3박 4일 일정으로 방한했다.", language="ko")]
    assert visit and "visit" not in visit[0].lower()


def test_a_korean_milestone_keeps_its_english_title_however_short_the_sentence():
    found = [c.title for c in cands("한국과 멕시코는 2006년 전략적 동반자 관계를 맺었다.", language="ko") if c.kind == "milestone"]
    assert found == ["Mexico–South Korea relations upgraded to Strategic Partnership"]


def test_a_counted_batch_of_texts_is_titled_by_its_count():
    found = {c.title for c in cands("Chile and Peru signed nine cooperation documents on Thursday.")}
    assert "Nine cooperation documents signed between Chile and Peru" in found


def test_a_date_told_about_the_subject_does_not_date_what_the_subject_does():
    found = kinds_and_dates("Ghana and Norway have worked together on fisheries for decades.\n\n"
                            "President John Mahama, who took office in January, has promised to sign a new "
                            "fisheries pact with Norway.")
    assert not any(d == "2025-01-01" and k != "visit" for k, d in found)
    # a relative clause that holds its own happening keeps its date
    arrived = kinds_and_dates("Prime Minister Jonas Gahr Store, who arrived in Accra on Monday for a two-day "
                              "visit, said Norway would help.")
    assert ("visit", "2025-06-09") in arrived


def test_a_target_told_in_a_participle_part_is_highlighted_alone():
    text = ("ACCRA, June 12 (Coast Wire) - President John Mahama and Prime Minister Jonas Gahr Store held talks "
            "on Wednesday at the Jubilee House in Accra, where the two delegations met for three hours, agreeing "
            "to lift two-way trade to $2 billion by 2030.")
    targets = [c for c in cands(text) if c.kind == "target"]
    assert targets and all(c.evidence.text.startswith("agreeing to lift two-way trade") for c in targets)


def test_a_goal_restated_on_a_day_is_one_target_of_its_horizon():
    found = kinds_and_dates("Ghana and Norway traded goods worth $1.1 billion in 2024. The two leaders on "
                            "Wednesday restated a goal of $3 billion by 2032.")
    assert ("target", "2032-01-01") in found
    assert ("target", "2025-06-11") not in found


def test_a_paragraph_turning_to_home_affairs_tells_no_event_of_the_partnership():
    text = ("Ghana and Norway signed a fisheries research agreement on Tuesday.\n\n"
            "At home, the Norwegian cabinet approved its 2026 budget on Monday and will hold talks with the "
            "opposition next week.\n\n"
            "Trong nước, Quốc hội sẽ họp kỳ họp bất thường vào tháng 7.")
    found = kinds_and_dates(text)
    assert ("agreement", "2025-06-10") in found
    assert found == {("agreement", "2025-06-10")}


def test_the_same_evening_after_a_same_day_is_the_day_of_the_talks():
    text = ("Ghana and Norway agreed on Tuesday to widen their fisheries partnership.\n\n"
            "The fisheries pact was signed after Mahama held talks with Prime Minister Jonas Gahr Store at his "
            "office on Tuesday.\n\n"
            "Mahama flew in on Monday for a three-day visit and addressed a business council the same evening.\n\n"
            "At the talks, the two leaders witnessed the exchange of a contract under which Norwegian yard Fjordvik "
            "Shipyards will build four trawlers for Ghana. Norway's export credit agency extended a $300 million "
            "loan the same day.\n\n"
            "The same evening, Accra-based Volta Lifesciences signed a memorandum with Norway's health ministry.")
    found = [(c.kind, c.date.first.isoformat(), c.title) for c in cands(text)]
    assert any(k == "agreement" and d == "2025-06-10" and "Volta Lifesciences" in t for k, d, t in found), found


def test_a_background_day_told_in_passing_does_not_date_the_next_sentence():
    text = ("Ghana and Norway upgraded their ties to a strategic partnership on Monday.\n\n"
            "The leaders announced it in the year the two countries mark the 60th anniversary of diplomatic "
            "relations, established on March 6, 1965. Norway also agreed to provide a $200 million loan for "
            "ports.")
    found = kinds_and_dates(text)
    assert not any(d.startswith("1965") and k != "milestone" for k, d in found)
    assert any(k in ("agreement", "deal") and d == "2025-06-09" for k, d in found), found


def test_relations_established_told_in_passing_are_the_milestone_and_keep_their_date():
    found = {(c.kind, c.milestone, c.date.first.isoformat()) for c in cands(
        "The minister's trip falls in the year of the 60th anniversary of diplomatic relations, established on "
        "March 6, 1965.")}
    assert ("milestone", "relations-established", "1965-03-06") in found
    assert not any(k != "milestone" and d.startswith("1965") for k, _, d in found)
    visit = kinds_and_dates("The visit by Ghana's president to Norway took place as the two countries prepared "
                            "to mark the day they established diplomatic relations in 1965.")
    assert not any(k == "visit" and d.startswith("1965") for k, d in visit)


def test_a_visit_going_on_as_the_dated_happening_is_told_shares_its_day():
    text = ("Ghana and Norway signed a $400 million credit line on Wednesday to pay for Norwegian-built trawlers "
            "and cold stores, as Prime Minister Jonas Gahr Store wrapped up a two-day state visit to Accra by "
            "promising more trade.")
    visits = [c for c in cands(text) if c.kind == "visit"]
    assert [c.date.first.isoformat() for c in visits] == ["2025-06-11"]
    assert visits[0].evidence.text.startswith("as Prime Minister Jonas Gahr Store wrapped up")
    assert any(c.kind == "deal" and c.date.first.isoformat() == "2025-06-11" for c in cands(text))


def test_a_leader_who_came_to_a_capital_visited_it():
    text = ("Brazil and Ghana will open direct flights next year. Lula last came to Accra in March 2024, when the "
            "two sides set up a joint commission on cocoa and ethanol.")
    visits = [c for c in cands(text) if c.kind == "visit"]
    assert [c.date.first.isoformat()[:7] for c in visits] == ["2024-03"]
    assert "Lula" in visits[0].title and "visit" in visits[0].title.lower()
    # a thing that comes to an end, or a person who comes to a view, is no visit
    assert not [c for c in cands("The talks came to nothing in May 2024, and the deal came to an end in June.")
                if c.kind == "visit"]


def test_the_same_day_after_a_visit_told_from_arrival_to_departure_is_the_day_of_the_talks():
    # published Thursday 2025-06-12: the talks were yesterday, the visit runs from Monday to Saturday
    text = ("Presidents of Chile and Ghana held talks in Accra yesterday and agreed to open a cocoa research "
            "centre. The Chilean president arrived on June 9 for a six-day visit and leaves on June 14.\n\n"
            "The same day, Chile's development bank signed a $120 million loan agreement with Ghana's finance "
            "ministry.")
    loans = [c for c in cands(text) if "loan" in c.evidence.text]
    assert [c.date.first.isoformat() for c in loans] == ["2025-06-11"]
    ko = ("한국과 가나 정상이 어제(11일) 아크라에서 회담을 열었다. 가나 대통령은 지난 9일 5박 6일 일정으로 방한했으며 "
          "14일 출국한다.\n\n같은 날 한국수출입은행은 가나 재무부와 1억 달러 규모의 차관 약정을 맺었다.")
    loans = [c for c in cands(ko, language="ko") if "차관" in c.evidence.text]
    assert [c.date.first.isoformat() for c in loans] == ["2025-06-11"]


def test_a_korean_pointer_to_the_talks_after_the_subject_dates_what_followed():
    # "두 장관은 회담 뒤 ...": the subject comes before "after the talks"; the day told between is the visit's span
    text = ("한국과 칠레 외교장관이 어제(11일) 산티아고에서 회담을 열었다. 조 장관은 지난 9일 칠레에 도착했으며 "
            "14일 귀국한다.\n\n두 장관은 회담 뒤 리튬 공급망과 남극 연구 분야 양해각서 2건에 서명했다.")
    mous = [c for c in cands(text, language="ko") if c.kind == "agreement"]
    assert [c.date.first.isoformat() for c in mous] == ["2025-06-11"]


def test_the_same_day_as_a_named_happening_is_that_happenings_day():
    text = ("Chile and Ghana signed a $200 million credit line on Wednesday to finance Chilean mining equipment. "
            "The previous day the two presidents held talks in Accra.\n\n"
            "On the same day as the credit line, the Chilean miner Cordillera Norte signed a gold exploration "
            "contract with Ghana's Minerals Commission.")
    found = [(c.date.first.isoformat(), c.evidence.text[:20]) for c in cands(text)
             if "Cordillera" in c.evidence.text]
    assert found and {d for d, _ in found} == {"2025-06-11"}
    # the contract is a happening of its own, not the credit line told again
    assert len([c for c in cands(text) if c.date.first.isoformat() == "2025-06-11"]) >= 2


def test_leaders_who_held_talks_and_watched_their_ministers_sign_tell_a_signing_too():
    text = ("Chile and Ghana signed a $200 million credit line on Wednesday. The previous day the two presidents "
            "held three hours of talks at the presidential palace and watched their ministers sign four memoranda "
            "on mining, health and fisheries.\n\n"
            "On the same day as the credit line, Cordillera Norte signed a gold exploration contract with Ghana's "
            "Minerals Commission.")
    got = {(c.kind, c.date.first.isoformat()) for c in cands(text)}
    assert {("meeting", "2025-06-10"), ("agreement", "2025-06-10")} <= got
    # "the same day as the credit line" is the credit line's day, though the memoranda were told after it
    contract = [c for c in cands(text) if "Cordillera" in c.evidence.text]
    assert [c.date.first.isoformat() for c in contract] == ["2025-06-11"]
    # watching a match is no signing
    assert not [c for c in cands("On Tuesday the two presidents held talks and watched a football match in "
                                 "Accra.") if c.kind == "agreement"]


def test_a_figure_told_after_another_is_highlighted_without_the_first():
    text = ("Trade between Chile and Ghana reached $640 million last year, according to Chile's customs service, "
            "up 9% on the year before, but still well short of the $910 million recorded in 2013.")
    by_year = {c.date.first.year: c for c in cands(text) if c.kind == "statistic"}
    assert by_year[2013].evidence.text.startswith("but still well short of the $910 million")
    assert "$640 million" not in by_year[2013].evidence.text
    assert by_year[2024].evidence.text.startswith("Trade between Chile and Ghana reached $640 million")


def test_a_since_clause_set_off_by_commas_does_not_hold_back_the_date_after_it():
    text = ("The joint commission of Chile and Ghana, which has not met since the pandemic, is to hold its next "
            "session in Santiago in the second half of the year.")
    assert ("meeting", "2025-07-01") in kinds_and_dates(text)
    # what has not happened since a date is no happening of that date
    assert not [c for c in cands("The joint commission of Chile and Ghana has not met since March 2019.")
                if c.kind == "meeting"]


def test_a_pointer_to_the_talks_dates_the_signing_though_a_later_date_is_named():
    text = ("The transport ministers of Chile and Ghana held talks in Accra on Tuesday.\n\n"
            "After the talks, the two state railways signed an agreement to run container trains from the first "
            "quarter of next year.")
    signings = [c for c in cands(text) if c.kind == "agreement"]
    assert "2025-06-10" in {c.date.first.isoformat() for c in signings}
    vi = ("Chiều hôm qua (11/6), Bộ trưởng Giao thông hai nước Chile và Ghana đã hội đàm tại Accra.\n\n"
          "Sau hội đàm, hai tổng công ty đường sắt đã ký thỏa thuận khai thác tàu container từ quý I năm sau.")
    signings = [c for c in cands(vi, language="vi") if c.kind == "agreement"]
    assert "2025-06-11" in {c.date.first.isoformat() for c in signings}


def test_containers_moved_and_the_earlier_figure_they_are_compared_with_are_two_figures():
    text = ("Together the two port operators moved 48,200 containers through the Tema terminal last year, down "
            "from 61,000 in 2021, before the strike.")
    years = sorted(c.date.first.year for c in cands(text) if c.kind == "statistic")
    assert years == [2021, 2024]
    # a percentage is a change, not an earlier figure
    assert sorted(c.date.first.year for c in cands(
        "Exports of cocoa from Ghana to Chile reached $90 million in 2024, up from 7% of the total.")
        if c.kind == "statistic") == [2024]


def test_a_deal_signed_after_the_dated_upgrade_is_a_deal_titled_by_its_own_words():
    found = cands("Ghana and Peru lifted their ties to a strategic partnership on Tuesday and signed a five-year "
                  "cocoa processing contract, as President Mahama held talks with President Boluarte in Accra.")
    deals = [c for c in found if c.kind == "deal"]
    assert [c.date.first.isoformat() for c in deals] == ["2025-06-10"]
    assert deals[0].title.startswith("Five-year cocoa processing contract")
    assert "signed a five-year cocoa processing contract" in deals[0].evidence.text
    assert "strategic partnership" not in deals[0].evidence.text
    assert not [c for c in found if c.kind == "agreement"]  # the verb signed the contract: no agreement besides


def test_talks_held_as_the_dated_happening_is_told_share_its_day():
    found = kinds_and_dates("Chile and Kenya signed a memorandum on geothermal energy on Monday, as their foreign "
                            "ministers held talks in Nairobi.")
    assert ("meeting", "2025-06-09") in found
    assert ("agreement", "2025-06-09") in found


def test_a_state_visit_is_a_visit_though_the_clause_names_tourism():
    found = kinds_and_dates("President Ruto arrived in Lima on Monday for a three-day state visit covering mining, "
                            "tourism and fisheries.")
    assert ("visit", "2025-06-09") in found
    # figures of travellers are still no visit
    assert not [c for c in cands("About 40,000 Kenyan tourists travelled to Peru in May.") if c.kind == "visit"]


def test_the_predicate_after_a_relative_clause_about_the_subject_goes_on_from_the_day_told_before():
    text = ("Peru and Kenya raised their ties to a strategic partnership on Wednesday.\n\n"
            "Ruto, who landed in Lima on Monday, watched with Boluarte as ministers signed nine documents on "
            "mining and fisheries.")
    found = kinds_and_dates(text)
    assert ("agreement", "2025-06-11") in found  # the signing: the story's Wednesday
    assert ("visit", "2025-06-09") in found  # the landing: Monday
    # a statement in the present tense is no happening of that day
    assert not [c for c in cands("The two firms settled their dispute on Wednesday.\n\n"
                                 "For Halden, which is investing $2 billion in a plant due to open next year, the "
                                 "contract brings back a customer.") if c.kind == "deal"]


def test_cargoes_due_and_flights_started_twice_weekly_are_happenings_of_their_month():
    found = kinds_and_dates("Kenya's first order of Peruvian blueberries was placed last week; the cargoes are "
                            "due in October, once the cold-chain checks are done.\n\nAndes Air will start twice-weekly flights between Lima "
                            "and Nairobi next month, using leased jets.")
    assert ("cooperation", "2025-10-01") in found
    assert ("opening", "2025-07-01") in found


def test_the_short_part_that_tells_a_range_of_deliveries_is_its_evidence():
    text = ("Under the contract, Kenya's state grain board will buy up to 400,000 tonnes of Peruvian quinoa a year "
            "from Andes Grains, the cooperative based in Puno, with deliveries spread over 2026-2028.")
    deliveries = [c for c in cands(text) if c.kind == "cooperation"]
    assert deliveries and deliveries[0].evidence.text.rstrip(".") == "with deliveries spread over 2026-2028"


def test_a_strategic_and_global_partnership_is_a_level_of_its_own():
    found = {(c.kind, c.date.first.year, c.detail) for c in cands(
        "The prime minister's visit to Lima in 2016 raised relations to a \"strategic and global partnership\".")}
    assert ("milestone", 2016, "Strategic And Global Partnership") in {(k, y, d.title()) for k, y, d in found}


def test_a_company_story_keeps_both_signings_of_its_day_and_drops_unnamed_firms_told_in_passing():
    text = ("Oskarsson Thermal and Japan's Mirokawa Valve Works signed an agreement in Oslo on Tuesday to set up a "
            "joint venture that will make heat-exchanger valves, two years after the two companies met in a German "
            "court.\n\n"
            "Alongside the joint-venture agreement, the companies signed a supply contract the same day under which "
            "Mirokawa will ship up to 90,000 valves a year to Oskarsson until the new plant is running.\n\n"
            "Oskarsson said Mirokawa would hold 60% of the venture. Oskarsson and Mirokawa will share the costs.\n\n"
            "Last month a Chinese valve maker agreed to supply a German boiler group from a new plant in Hungary.")
    found = kinds_and_dates(text)
    assert ("agreement", "2025-06-10") in found
    assert ("deal", "2025-06-10") in found  # one more of that day, not the agreement told again
    assert not [c for c in cands(text) if c.date.first.isoformat() == "2025-05-01"]


def test_a_partnership_declared_when_a_leader_visited_is_two_happenings():
    found = {(c.kind, c.date.first.isoformat()): c.title for c in cands(
        "The two countries declared a strategic partnership in October 2007 when Arturo Velasco "
        "visited Nairobi.")}
    assert ("milestone", "2007-10-01") in found
    assert found[("visit", "2007-10-01")] == "Arturo Velasco visits Nairobi"


def test_work_begun_with_the_other_side_is_cooperation_and_debates_begun_are_not():
    found = kinds_and_dates("Halvorsen's survey ship began mapping the cable route off Mombasa in January.\n\n"
                            "Next week, Kenyan and Norwegian engineers will begin road tests of the electric buses.")
    assert ("cooperation", "2025-01-01") in found
    assert ("cooperation", "2025-06-16") in found
    assert not cands("Kenya's parliament this week began debating a budget that assumes a weaker shilling.")


def test_korean_deliveries_shipments_and_imports_are_cooperation():
    ko = ("한·칠레 양국은 지난해 구리 공급망 협력에 합의했다.\n\n"
          "첫 번째 전동차는 지난달 15일 창원에서 선적했다.\n\n"
          "나머지 차량은 2027년까지 모두 인도된다.\n\n"
          "칠레산 그린수소는 2028년부터 울산항으로 들여올 예정이다.")
    found = {(c.kind, c.date.first.isoformat()) for c in cands(ko, language="ko")}
    assert ("cooperation", "2025-05-15") in found
    assert ("cooperation", "2027-01-01") in found
    assert ("cooperation", "2028-01-01") in found
    # a delivery to one's own air force is none
    assert not cands("한·칠레 국방장관은 어제 회담했다. 양산 1호기는 내년 공군에 인도될 예정이다.", language="ko")[1:]


def test_one_more_signing_whose_clause_dates_only_the_delivery_takes_the_day_told_before():
    vi = ("Hôm qua (11/6), hai bộ trưởng đã ký Biên bản Kỳ họp tại Hà Nội.\n\n"
          "Công ty Lương thực Sông Hồng cũng ký hợp đồng nhập khẩu 80.000 tấn lúa mì của Peru, giao trong năm 2026.")
    found = {(c.kind, c.date.first.isoformat()) for c in cands(vi, language="vi")}
    assert ("agreement", "2025-06-11") in found or ("deal", "2025-06-11") in found
    assert ("cooperation", "2026-01-01") in found
    assert ("agreement", "2026-01-01") not in found


def test_a_vietnamese_courtesy_call_is_a_meeting():
    vi = "Chiều 11/6, Phó Thủ tướng Việt Nam đã chào xã giao Thủ tướng Peru tại Lima."
    assert ("meeting", "2025-06-11") in {(c.kind, c.date.first.isoformat()) for c in cands(vi, language="vi")}


def test_a_signing_at_the_ceremony_just_told_is_one_more_of_its_day():
    vi = ("Hôm qua (11/6), hai bộ trưởng đã ký Biên bản Kỳ họp tại Lima, mở đường cho tàu hàng từ quý I năm sau.\n\n"
          "Tại lễ ký, Bộ Giáo dục hai nước đã ký thỏa thuận về đào tạo, theo đó phía Peru sẽ cấp thêm học bổng.")
    signings = [c for c in cands(vi, language="vi") if c.kind == "agreement" and c.sentence.start > 90]
    assert [c.date.first.isoformat() for c in signings] == ["2025-06-11"]


def test_a_concession_sealed_is_a_deal():
    found = kinds_and_dates("On Tuesday in Lima, Andes Port Holdings sealed a 30-year concession to build and operate a "
                            "container terminal for Kenya's state shipping line.")
    assert ("deal", "2025-06-10") in found


def test_hours_later_a_contract_signed_by_two_firms_is_one_more_happening_of_the_day():
    text = ("On Tuesday, the trade ministers of Peru and Kenya signed a revised air services agreement in Lima. "
            "Hours later, Andes Wings and Savanna Airways signed a contract for six leased jets.")
    found = kinds_and_dates(text)
    assert ("agreement", "2025-06-10") in found
    assert ("deal", "2025-06-10") in found


def test_relations_that_date_back_to_a_month_and_an_exercise_with_the_other_navy():
    found = kinds_and_dates("Diplomatic relations between Peru and Kenya date back to May 1964.\n\n"
                            "A Peruvian frigate is due to call at Mombasa next month for an exercise with the Kenyan "
                            "Navy.")
    assert ("milestone", "1964-05-01") in found
    assert ("cooperation", "2025-07-01") in found


def test_talks_held_before_the_signing_and_memoranda_exchanged_also_that_day():
    text = ("LIMA, June 12 (Andes Wire) - Peru and Kenya signed a currency swap on Wednesday, after President Ruto "
            "held talks with President Boluarte at the Government Palace.\n\n"
            "Also on Wednesday, ministers exchanged memoranda on fisheries, tourism and customs.")
    found = [c for c in cands(text)]
    kinds = {(c.kind, c.date.first.isoformat()) for c in found}
    assert ("meeting", "2025-06-11") in kinds
    memoranda = [c for c in found if c.kind == "agreement" and c.sentence.start > 100]
    assert memoranda and memoranda[0].told_apart
    assert not memoranda[0].title.lower().startswith("also")


def test_a_contract_signed_alongside_the_lease_and_a_plot_first_leased():
    text = ("Andes Blades and the Kenyan port operator Mombasa Quay Holdings signed a 25-year lease on Tuesday for a "
            "site at the port. A settlement agreed the previous day sets out how the award will be paid.\n\n"
            "Alongside the lease, Mombasa Quay Energy signed a ten-year contract to supply the factory with power.\n\n"
            "Andes Blades first leased the plot in June 2021.")
    found = kinds_and_dates(text)
    assert ("deal", "2025-06-10") in found
    assert ("deal", "2025-06-09") not in found  # the contract is the lease's, not the settlement's day
    assert ("deal", "2021-06-01") in found


def test_a_day_still_to_come_is_not_what_a_later_the_same_day_means():
    text = ("On Tuesday, the two ministers signed a social security agreement in Lima. The agreement takes effect on "
            "July 1, 2025.\n\n"
            "The same day, the two ministers opened a business forum attended by 150 companies.")
    forum = [c.date.first.isoformat() for c in cands(text) if c.sentence.start > 110]
    assert forum and set(forum) == {"2025-06-10"}


def test_vietnamese_same_afternoon_after_a_day_still_to_come_and_goods_handed_over():
    vi = ("Hôm qua (11/6), hai bộ trưởng đã ký Hiệp định về bảo hiểm xã hội tại Lima. Hiệp định có hiệu lực từ ngày "
          "1/7.\n\n"
          "Chiều cùng ngày, hai bộ trưởng đã dự diễn đàn doanh nghiệp Việt Nam – Peru.\n\n"
          "Trước đó, ngày 2/6, lô 50 máy kéo đầu tiên đã được giao cho Công ty Nông cơ Đồng Tháp tại cảng Hải Phòng.")
    found = {(c.kind, c.date.first.isoformat()) for c in cands(vi, language="vi")}
    assert ("meeting", "2025-06-11") in found and ("meeting", "2025-07-01") not in found
    assert ("cooperation", "2025-06-02") in found


def test_a_vietnamese_showroom_opened_is_an_opening():
    vi = "Tuần trước, Hiệp hội Cà phê Peru đã mở phòng trưng bày cà phê tại Hà Nội."
    assert "opening" in {c.kind for c in cands(vi, language="vi")}


def test_a_tribunal_that_threw_out_a_request_is_a_legal_happening():
    found = kinds_and_dates("Andes Blades filed for arbitration against Mombasa Quay in March 2024, and in September "
                            "2024 the tribunal threw out Mombasa Quay's request to have the claim dismissed.")
    assert ("legal", "2024-09-01") in found


def test_a_next_session_to_be_held_and_a_second_round_set_for_a_month_are_meetings_to_come():
    found = kinds_and_dates("Transport officials held the first meeting of a working group on the corridor in Lima "
                            "last week, and a second round is set for Nairobi in October.\n\n"
                            "The joint commission will hold its next session in Lima next month.")
    assert ("meeting", "2025-10-01") in found
    assert ("meeting", "2025-07-01") in found


def test_a_summit_of_many_countries_is_no_meeting_of_the_two_but_meeting_at_it_is():
    assert "meeting" not in {c.kind for c in cands(
        "Kenya and Peru agreed to cooperate on climate finance ahead of the COP31 climate summit in November.")}
    assert "meeting" not in {c.kind for c in cands("Peru hosted the APEC summit in November 2024.")}
    assert ("meeting", "2024-11-01") in kinds_and_dates(
        "President Ruto and President Boluarte met on the sidelines of the G20 summit in November 2024.")


def test_a_demonym_or_article_beginning_company_names_makes_no_company_pair():
    from partnership_explorer.core.entities import default_gazetteer
    from partnership_explorer.core.relevance import company_pair

    text = ("Kenyan Ports Holdings and Al Noor Logistics signed a deal. Kenyan farmers and Kenyan traders welcomed it. "
            "Al Noor said Kenyan demand was strong, and Al Noor will hire Kenyan drivers.")
    mentions = default_gazetteer().find(text)
    assert "kenyan" not in company_pair(text, mentions)
    assert "al" not in company_pair(text, mentions)


def test_the_first_output_of_a_plant_on_its_way_is_an_opening():
    found = kinds_and_dates("Construction starts in the fourth quarter, and the first buses are due to leave the "
                            "Mombasa plant in the second half of 2027.")
    assert ("opening", "2027-07-01") in found


def test_a_new_text_signed_the_same_day_is_one_more_signing():
    text = ("Peru and Kenya deepened defence ties. During a visit to Lima by Defence Minister Amina Otieno in June 2022, "
            "the two countries signed the Joint Vision Statement on Peru-Kenya Defence Partnership towards 2030. "
            "A memorandum on mutual logistics support, allowing each navy to use the other's "
            "ports, was signed the same day.")
    signings = [c for c in cands(text) if c.kind == "agreement"]
    assert len(signings) == 2 and {c.date.first.isoformat() for c in signings} == {"2022-06-01"}


def test_ground_to_be_broken_series_production_and_a_korean_completion_are_openings():
    found = kinds_and_dates("Andes Pharma said it expected to break ground on its Nairobi plant in March.\n\n"
                            "Groundbreaking at the Mombasa site is planned for next month and series production in "
                            "the second half of 2027.")
    assert ("opening", "2026-03-01") in found  # expected to: still to come
    assert ("opening", "2027-07-01") in found
    ko = "한·페루 양국은 어제 회담했다. 공장은 2028년 하반기 완공할 계획이다. 완공되면 500명을 채용한다."
    openings = [c for c in cands(ko, language="ko") if c.kind == "opening"]
    assert len(openings) == 1 and openings[0].date.first.isoformat() == "2028-07-01"


def test_a_mediation_begun_between_the_parties_is_a_legal_happening():
    found = kinds_and_dates("Mediation between Andes Chips and Savanna Foundry, led by a retired judge, began last "
                            "October.")
    assert ("legal", "2024-10-01") in found


def test_an_ending_the_two_settle_on_is_an_agreement_not_a_new_deal():
    text = ("Brasco Tiles of Portugal and Keramos Holdings of Greece have agreed to part ways.\n\n"
            "The two companies announced the termination of their glaze supply contract on Friday.")
    found = cands(text, published=dt.date(2026, 9, 15))
    assert [(c.kind, c.date.first.isoformat()) for c in found] == [("agreement", "2026-09-11")]
    assert "end" in found[0].title.lower() and "glaze supply contract" in found[0].title.lower()
    # told without its object, the ending is still the happening of that day
    short = kinds_and_dates("Brasco Tiles and Keramos Holdings are parting ways. The two firms announced the "
                            "termination on Friday.", published=dt.date(2026, 9, 15))
    assert ("agreement", "2026-09-11") in short
    # the end of a war is no ending of a contract between the two
    assert not cands("Greece and Portugal welcomed the talks. The mediator announced the end of the war on "
                     "Friday.", published=dt.date(2026, 9, 15))


def test_a_firms_deal_on_the_day_of_the_governments_agreement_is_a_transaction_of_its_own():
    text = ("OSLO, May 8 (Fjord Wire) - Norway and Chile signed a memorandum on salmon farming research on "
            "Thursday.\n\n"
            "The Bergen feed maker Havgress Foods said on Thursday it would spend $210 million building a new "
            "plant in Puerto Montt.")
    found = kinds_and_dates(text, published=dt.date(2026, 5, 8))
    assert {("agreement", "2026-05-07"), ("deal", "2026-05-07")} <= found
    invests = kinds_and_dates(text.replace("would spend $210 million building", "will invest $210 million in"),
                              published=dt.date(2026, 5, 8))
    assert {("agreement", "2026-05-07"), ("deal", "2026-05-07")} <= invests


def test_a_dinner_one_leader_hosts_for_the_other_is_a_meeting_titled_by_host_and_guest():
    text = ("Norway and Chile signed a memorandum on salmon farming research on Thursday. Prime Minister "
            "Jonas Gahr Store hosted a dinner for President Gabriel Boric that evening at the Akershus fortress.")
    meetings = [c for c in cands(text, published=dt.date(2026, 5, 8)) if c.kind == "meeting"]
    assert [(c.date.first.isoformat(), c.title) for c in meetings] == [
        ("2026-05-07", "Jonas Gahr Store hosts a dinner for Gabriel Boric")]


def test_a_programme_between_the_two_begun_is_cooperation_titled_by_the_programme():
    found = cands("Peru and Japan signed a fisheries memorandum on Tuesday. The youth exchange programme, which "
                  "began in March 2009, has brought 4,000 students to Japan. A scholarship scheme that Japan's "
                  "education ministry launched in 2012 pays for 40 Peruvian engineers a year.",
                  published=dt.date(2026, 5, 8))
    begun = {(c.date.first.isoformat(), c.title) for c in found if c.kind == "cooperation"}
    assert begun == {("2009-03-01", "Youth exchange programme begins"), ("2012-01-01", "Scholarship scheme begins")}


def test_a_return_from_a_trip_and_a_since_clause_date_no_visit():
    found = kinds_and_dates("Bolivia and Taiwan signed a beef protocol last month. President Rodrigo Paz came home "
                            "on Saturday from a visit to Taiwan that ran from June 28 to July 3. It was his first "
                            "trip to Asia since he returned to office in January 2025.",
                            published=dt.date(2026, 7, 9))
    visits = {d for k, d in found if k == "visit"}
    assert visits == {"2026-06-28"}


def test_the_visit_told_again_in_the_second_half_of_a_sentence_is_no_new_visit():
    found = cands("The Chilean president began a state visit to Seoul on June 27. He and President Lee held talks "
                  "on June 29, and the visit produced three agreements on lithium.", published=dt.date(2026, 7, 9))
    assert sorted((c.kind, c.date.first.isoformat()) for c in found if c.kind in ("visit", "meeting")) == [
        ("meeting", "2026-06-29"), ("visit", "2026-06-27")]


def test_a_city_that_is_a_persons_first_name_names_no_other_country():
    # "Santiago" is Chile's capital, but "President Santiago Peña" is Paraguay's president
    found = kinds_and_dates("Paraguay and Taiwan marked their ties on Monday. Paraguay sells beef to Taiwan. "
                            "President Santiago Peña returned on Saturday from a visit to Taiwan.",
                            published=dt.date(2026, 7, 9))
    assert ("visit", "2026-07-04") in found


def test_the_republic_of_china_is_taiwan():
    found = [c for c in cands("Paraguay and the Republic of China established diplomatic relations on July 8, 1957.",
                              published=dt.date(2026, 7, 9)) if c.kind == "milestone"]
    assert [sorted(a.name for a in c.actors if a.type == "country") for c in found] == [["Paraguay", "Taiwan"]]


def test_a_happening_called_off_did_not_happen_but_one_set_again_stays():
    pub = dt.date(2026, 5, 8)
    base = "Norway and Chile signed a salmon research memorandum on Thursday. "
    assert kinds_and_dates(base + "A visit to Oslo by Chile's foreign minister, pencilled in for June, was "
                           "postponed.", published=pub) == {("agreement", "2026-05-07")}
    assert kinds_and_dates(base + "A treaty on pensions, which officials had said would be signed on Thursday, "
                           "was held back for legal checks.", published=pub) == {("agreement", "2026-05-07")}
    # moved to a new date, the visit is still to come on that date
    assert ("visit", "2026-06-05") in kinds_and_dates(
        base + "Chile's foreign minister will visit Oslo; the trip was postponed to June 5.", published=pub)
    vi = kinds_and_dates("Hai bên đã ký bản ghi nhớ vào ngày 7/5. Chuyến thăm Oslo của Bộ trưởng Ngoại giao dự "
                         "kiến vào tháng 6 đã bị hoãn.", published=pub, language="vi")
    assert not any(k == "visit" for k, _ in vi)
    # what went ahead after several delays did happen
    assert ("agreement", "2026-05-07") in kinds_and_dates(
        "Na Uy và Chile đã ký hiệp định ngày 7/5, sau nhiều lần trì hoãn.", published=pub, language="vi")
    ko = kinds_and_dates("양국은 7일 연어 연구 양해각서에 서명했다. 당초 다음 달로 예정됐던 외교장관의 오슬로 방문은 "
                         "무산됐다.", published=pub, language="ko")
    assert not any(k == "visit" for k, _ in ko)


def test_a_grant_signed_is_a_deal_and_attending_an_inauguration_is_a_visit():
    found = kinds_and_dates("Ghana and Japan marked their ties on Monday. Last month, Japan's embassy signed a further "
                            "$30 million grant with Ghana's roads ministry for rural bridges. Kishida attended "
                            "Mahama's inauguration in Accra in January 2025.", published=dt.date(2026, 7, 9))
    assert ("deal", "2026-06-01") in found and ("agreement", "2026-06-01") not in found
    assert ("visit", "2025-01-01") in found


def test_at_the_same_meeting_is_one_more_signing_of_the_day_and_the_terms_told_are_no_happening():
    text = ("Orvane Tools and Kestrel Wafer settled their patent dispute on Tuesday. Under the settlement, signed in "
            "Taipei, Kestrel will pay Orvane $90 million over three years. At the same meeting, the companies signed "
            "a seven-year licence for Orvane's etch recipes. They also agreed to set up a joint laboratory in "
            "Hsinchu. Under the deal, tool deliveries will begin in 2027.")
    found = cands(text, published=dt.date(2026, 4, 15))
    told = [(c.kind, c.date.first.isoformat(), c.sentence.text[:12]) for c in found]
    assert ("legal", "2026-04-14", "Orvane Tools") in told
    assert ("agreement", "2026-04-14", "At the same ") in told  # the licence
    assert ("agreement", "2026-04-14", "They also ag") in told  # the laboratory
    assert not any(s.startswith("Under the se") for _, _, s in told)  # the settlement's terms
    assert ("cooperation", "2027-01-01", "Under the de") in told  # a date of its own
    assert not any(k == "meeting" for k, _, _ in told)  # "the same meeting" is no meeting of its own


def test_investigators_at_work_a_case_closed_and_a_court_ruling_appealed_are_legal_happenings():
    text = ("Orvane Tools of Oregon and Kestrel Wafer of Taiwan settled their dispute on Tuesday. Orvane and Kestrel "
            "had fought for two years. Prosecutors searched Kestrel's Tainan offices in November 2024 as part of a "
            "related investigation, which was closed without charges the following year. In October 2025, the "
            "Oregon court granted Orvane an injunction against Kestrel, a ruling Kestrel appealed. The two "
            "companies have worked together since 2014, when Kestrel installed its first Orvane tools at its fab.")
    found = kinds_and_dates(text, published=dt.date(2026, 4, 15))
    assert {("legal", "2024-11-01"), ("legal", "2025-01-01"), ("legal", "2025-10-01")} <= found
    assert ("cooperation", "2014-01-01") in found
    # a ruling party rules on nothing
    assert not kinds_and_dates("The ruling Cambodian People's Party won the election in July 2023.",
                               published=dt.date(2026, 4, 15))


def test_a_plan_overtaken_did_not_happen_but_a_happening_timed_by_one_did():
    pub = dt.date(2026, 4, 15)
    base = "Orvane Tools and Kestrel Wafer settled their patent dispute on Tuesday. "
    assert not any(k == "legal" and d.startswith("2025-09") for k, d in kinds_and_dates(
        base + "A jury trial had been scheduled for September.", published=pub))
    # the signing stands; what was called off is the trial it came weeks before
    assert ("agreement", "2026-04-10") in kinds_and_dates(
        "Orvane Tools and Kestrel Wafer ended their dispute. The settlement was signed on Friday, a few weeks "
        "before a jury trial had been due to open.", published=pub)
    assert ("agreement", "2026-04-10") in kinds_and_dates(
        "Orvane Tools and Kestrel Wafer ended their dispute. The settlement was signed on Friday, after a hearing "
        "was postponed.", published=pub)


def test_a_vietnamese_signing_at_a_forum_takes_the_forums_day():
    text = ("Hôm qua (11/6), Bộ trưởng hai nước đã ký Hiệp định hợp tác phát triển. Chiều cùng ngày, tại Diễn đàn "
            "doanh nghiệp Việt Nam – Na Uy, Công ty Fjordvann AS và Công ty CP Nước sạch Mekong đã ký hợp đồng cung "
            "cấp 30 trạm lọc nước, trị giá 12 triệu euro.")
    found = [(c.kind, c.date.first.isoformat()) for c in cands(text, published=dt.date(2026, 6, 12), language="vi")]
    assert ("deal", "2026-06-11") in found
    assert found.count(("agreement", "2026-06-11")) == 1  # the ministers' agreement; the contract is the deal


def test_vietnamese_work_begun_equipment_installed_a_programme_opened_and_a_ministers_title():
    text = ("Hôm qua (6/10), hai bên ký Hiệp định thành lập Quỹ hợp tác. Quỹ sẽ bắt đầu nhận hồ sơ dự án từ tháng "
            "1/2027. Theo kế hoạch, 10 trạm đầu tiên sẽ được lắp đặt tại Cà Mau trong quý I năm sau. Hai năm trước, "
            "Đại học Vaasa đã mở chương trình thạc sĩ liên kết tại Hà Nội.")
    found = kinds_and_dates(text, published=dt.date(2026, 10, 7), language="vi")
    assert {("cooperation", "2027-01-01"), ("opening", "2024-01-01")} <= found
    assert any(k == "cooperation" and d.startswith("2027-01") for k, d in found)
    # "Bộ trưởng Thương mại quốc tế và Hợp tác phát triển" is a minister's title, no cooperation
    talks = kinds_and_dates("Hôm qua (6/10), Bộ trưởng Tài chính hội đàm với Bộ trưởng Thương mại quốc tế và Hợp "
                            "tác phát triển Phần Lan.", published=dt.date(2026, 10, 7), language="vi")
    assert talks == {("meeting", "2026-10-06")}


def test_the_end_of_a_term_extended_does_not_date_the_signing_beside_another_date():
    ko = kinds_and_dates("양국 정상은 어제(10일) 회담을 열었다. 양국 석유 당국은 같은 날 원유 공동비축 사업을 2029년까지 "
                         "연장하는 계약에도 서명했다.", published=dt.date(2026, 6, 11), language="ko")
    assert ("agreement", "2026-06-10") in ko and not any(d.startswith("2029") for _, d in ko)
    en = kinds_and_dates("Kuwait and Korea held talks on Wednesday. On Wednesday the two oil agencies also signed a "
                         "contract that extends their joint stockpiling deal until 2029.", published=dt.date(2026, 6, 11))
    assert not any(d.startswith("2029") for _, d in en)


def test_korean_first_since_dates_the_earlier_happening_and_training_sent_is_cooperation():
    found = kinds_and_dates("알사바 왕세자는 9일부터 11일까지 방한 중이며, 2024년 6월 왕세자에 책봉된 뒤 처음 나선 아시아 "
                            "순방의 첫 방문국으로 한국을 택했다. 쿠웨이트 보건부는 내년부터 해마다 의사 50명을 한국 "
                            "대학병원에 연수 보낸다.", published=dt.date(2026, 6, 11), language="ko")
    assert not any(k == "visit" and d.startswith("2024") for k, d in found)
    assert ("cooperation", "2027-01-01") in found


def test_a_korean_clause_of_two_parts_gives_the_part_telling_the_happening_as_evidence():
    text = ("대륙엔지니어링은 9일 쿠웨이트정유화학과 정유공장 고도화 공사 계약을 맺었다. 남부 아흐마디 지역의 기존 "
            "정유공장에 하루 12만 배럴 규모의 중질유 분해 설비를 더하는 사업으로, 오는 2028년 말 완공이 목표다.")
    openings = [c for c in cands(text, published=dt.date(2026, 6, 11), language="ko") if c.kind == "opening"]
    assert [c.evidence.text for c in openings] == ["오는 2028년 말 완공이 목표다."]


def test_a_korean_predicate_joined_by_a_connective_is_a_part_of_its_own():
    text = ("세진양극재는 지난달 모로코 정부와 투자협약을 맺었다. 투자 규모는 7억 유로로, 공장은 다음 달 착공해 2028년 "
            "하반기부터 연간 6만t의 양극재를 생산할 예정이다.")
    found = {c.date.first.isoformat(): c.evidence.text for c in cands(text, published=dt.date(2026, 6, 11),
                                                                         language="ko") if c.kind == "opening"}
    assert found.get("2026-07-01") == "공장은 다음 달 착공해"


def test_a_consignment_due_to_be_flown_out_and_a_hospitals_first_patients_are_happenings():
    found = kinds_and_dates("Paraguay and Taiwan signed a beef protocol on June 30. The first chilled consignment is "
                            "due to be flown out of Asunción in September. The hospital is due to be finished this "
                            "year, and the ministry expects it to admit its first patients early next year.",
                            published=dt.date(2026, 7, 9))
    assert ("cooperation", "2026-09-01") in found
    assert ("opening", "2027-01-01") in found


def test_a_paragraph_opening_with_the_same_day_after_background_goes_back_to_the_storys_day():
    text = ("이재명 대통령과 카타르 국왕이 어제(16일) 서울에서 정상회담을 열었다. 두 정상은 회담 뒤 양해각서 6건에 "
            "서명하는 자리에 함께했다.\n\n"
            "방산 협력도 속도를 내고 있다. 양국 국방부는 지난달 20일 서울에서 첫 방산협력공동위원회를 열었다.\n\n"
            "보건 분야에서는 같은 날 한빛의료재단이 카타르 보건부와 재활전문병원을 공동 운영하는 협약을 맺었다.")
    found = [(c.kind, c.date.first.isoformat(), c.evidence.text[:8]) for c in
             cands(text, published=dt.date(2026, 9, 17), language="ko")]
    assert ("agreement", "2026-09-16", "보건 분야에서는") in found
    assert not any(d == "2026-08-20" and k == "agreement" for k, d, _ in found)
    # told inside a paragraph of history, "the same day" is that history's day
    history = kinds_and_dates("Britain and Nigeria signed a port deal on Wednesday.\n\nTies go back to independence "
                              "on October 1, 1960, when the two established relations; Britain opened its High "
                              "Commission in Lagos the same day.", published=dt.date(2026, 10, 15))
    assert ("opening", "1960-10-01") in history


def test_a_partys_own_board_shareholders_or_parliament_plenary_is_no_meeting_of_the_two():
    pub = dt.date(2026, 4, 15)
    base = "Orvane Tools and Kestrel Wafer settled their patent dispute on Tuesday. "
    assert kinds_and_dates(base + "Kestrel's board meets on April 28 to approve its dividend.", published=pub) \
        == {("legal", "2026-04-14")}
    assert kinds_and_dates(base + "Orvane holds its annual general meeting on May 6.", published=pub) \
        == {("legal", "2026-04-14")}
    ko = kinds_and_dates("양국 장관은 어제(14일) 회담을 열었다. 국회 산업위원회는 다음 주 전체 회의를 열어 비준안을 "
                         "논의한다.", published=pub, language="ko")
    assert ko == {("meeting", "2026-04-14")}


def test_a_trial_that_had_been_set_to_open_and_a_request_to_act_soon_are_no_happenings():
    pub = dt.date(2026, 3, 5)
    base = "Orvane Tools and Kestrel Wafer settled their patent dispute on Tuesday. "
    assert kinds_and_dates(base + "A jury trial in Texas had been set to open on March 2.", published=pub) \
        == {("legal", "2026-03-03")}
    vi = kinds_and_dates("Hôm qua (4/3), hai Thủ tướng đã hội đàm. Thủ tướng đề nghị hai bên sớm hoàn tất các thủ tục "
                         "để mở đường bay thẳng trong năm nay.", published=pub, language="vi")
    assert vi == {("meeting", "2026-03-04")}
    en = kinds_and_dates("The prime ministers held talks on Wednesday. He urged Seoul to swiftly open a consulate in "
                         "Cebu this year.", published=pub)
    assert en == {("meeting", "2026-03-04")}


def test_a_rival_told_first_in_its_sentence_is_another_party():
    text = ("Haldor Freight and Vistra Rail settled their dispute on Tuesday. Haldor and Vistra will run the terminal. "
            "Rival operator Odra Intermodal opened a terminal near Wroclaw in November.")
    assert not any(k == "opening" for k, _ in kinds_and_dates(text, published=dt.date(2026, 1, 28)))


def test_the_first_of_a_kind_since_a_date_tells_the_last_one_then():
    found = kinds_and_dates("Brazil and Germany signed eleven agreements on Tuesday, as Merz hosted Lula for the "
                            "first round of government consultations between the two countries since December 2023.",
                            published=dt.date(2025, 11, 26))
    assert ("meeting", "2023-12-01") in found
    # a state begun is no happening, nor the date of what a visit is the first since
    assert not any(d.startswith("2017") for _, d in kinds_and_dates(
        "The talks have been on hiatus since 2017, officials said on Tuesday.", published=dt.date(2025, 11, 26)))
    assert not any(d.startswith("2022") for _, d in kinds_and_dates(
        "Lula visited Berlin on Tuesday, his first visit since taking office in June 2022.",
        published=dt.date(2025, 11, 26)))


def test_an_encounter_told_as_the_circumstance_shares_the_day_of_the_happening_before_it():
    found = kinds_and_dates("Brazil and Germany signed eleven agreements on Tuesday, as Chancellor Friedrich Merz hosted "
                            "Brazilian President Lula for the first round of government consultations between the two "
                            "countries since December 2023.", published=dt.date(2025, 11, 26))
    assert {("agreement", "2025-11-25"), ("meeting", "2025-11-25"), ("meeting", "2023-12-01")} <= found


def test_a_signing_watched_as_a_second_participle_shares_the_talks_day_and_has_its_own_evidence():
    text = ("Indian Prime Minister Narendra Modi and Brazilian President Luiz Inacio Lula da Silva held talks on "
            "Wednesday on the sidelines of the BRICS summit in New Delhi, agreeing to push two-way trade to $30 billion "
            "by 2030 and watching their ministers sign a memorandum on sustainable aviation fuel.")
    found = cands(text, published=dt.date(2026, 9, 17))
    signing = [c for c in found if c.kind == "agreement"]
    assert [c.date.first.isoformat() for c in signing] == ["2026-09-16"]
    assert signing[0].evidence.text.startswith("and watching their ministers sign a memorandum")


def test_a_gathering_or_trial_that_opens_is_no_opening():
    text = ("Modi and Lula held talks on Wednesday. The leaders met at the convention centre, where the three-day "
            "gathering of the bloc opened on Tuesday. The trial in Delaware opened in May.")
    assert not any(k == "opening" for k, _ in kinds_and_dates(text, published=dt.date(2026, 9, 17)))
    # a plant that opens is one
    assert ("opening", "2026-09-15") in kinds_and_dates("Modi and Lula held talks on Wednesday. Aurora's distillery "
                                                        "in Uttar Pradesh opened on Tuesday.", published=dt.date(2026, 9, 17))


def test_a_clause_naming_a_second_year_gives_each_happening_its_own_part():
    text = ("India and Uruguay held talks on Monday. An agreement on the avoidance of double taxation, which the two "
            "countries signed in 2011, entered into force in 2013.")
    found = {c.date.first.year: c.evidence.text for c in cands(text, published=dt.date(2026, 9, 16))
             if c.kind == "agreement"}
    assert found.get(2013) == "entered into force in 2013."


def test_a_visitor_arriving_on_a_day_and_a_first_round_to_be_held():
    text = ("Indian Commerce Minister Raghav Menon used a three-day visit to Montevideo to line up pulp purchases from "
            "Uruguay. Menon arrived on Sunday and left for Brasilia on Tuesday evening. India and Uruguay launched "
            "talks on Monday. The first round is to be held in New Delhi in November.")
    found = kinds_and_dates(text, published=dt.date(2026, 9, 16))
    assert {("visit", "2026-09-13"), ("meeting", "2026-11-01")} <= found
    # the first round of a tournament is no meeting
    assert not any(k == "meeting" and d.startswith("2026-10") for k, d in kinds_and_dates(
        "India and Uruguay launched talks on Monday. Uruguay lost in the first round of the tournament in October.",
        published=dt.date(2026, 9, 16)))


def test_a_programme_launched_and_its_first_cohort_out_are_cooperation():
    vi = kinds_and_dates("Hôm qua (3/12), hai Bộ trưởng đã hội đàm. Chương trình đào tạo kép được khởi động từ 3 năm "
                         "trước với 40 học viên. Cuối tuần qua, 36 học viên khóa đầu tiên đã tốt nghiệp.",
                         published=dt.date(2025, 12, 4), language="vi")
    assert ("cooperation", "2022-01-01") in vi
    assert any(k == "cooperation" and d.startswith("2025-11") for k, d in vi)
    en = kinds_and_dates("Austria and Vietnam held talks on Wednesday. The first cohort of 36 trainees graduated in "
                         "November.", published=dt.date(2025, 12, 4))
    assert ("cooperation", "2025-11-01") in en


def test_the_same_day_after_a_visits_span_is_the_day_just_told_not_the_spans_end():
    text = ("양국 장관이 그저께 튀니스에서 회담을 열고 협정에 서명했다. 한 본부장은 9일부터 12일까지 3박 4일 일정으로 "
            "튀니지를 방문하고 있다.\n\n같은 날 오후에는 서진비료와 튀니지인산화학이 가베스에 비료 공장을 세우는 "
            "합작투자계약을 맺었다.")
    found = kinds_and_dates(text, published=dt.date(2026, 11, 12), language="ko")
    assert ("deal", "2026-11-10") in found and ("deal", "2026-11-12") not in found


def test_a_korean_figure_changed_from_a_series_told_before_and_its_comparison_base():
    text = ("한국무역협회에 따르면 지난해 양국 교역액은 3억4천만 달러였고, 올해 1~9월에는 2억9천만 달러로 지난해 같은 "
            "기간보다 18% 늘었다.")
    found = kinds_and_dates(text, published=dt.date(2026, 11, 12), language="ko")
    assert ("statistic", "2025-01-01") in found and ("statistic", "2026-01-01") in found
    assert len([k for k, _ in found if k == "statistic"]) == 2  # "지난해 같은 기간보다" dates no figure of its own


def test_a_section_heading_tells_no_happening_and_a_far_country_owns_no_shared_ministry_name():
    text = ("Cambodia-Japan week in review\n\n"
            "PHNOM PENH, March 7 (Angkor Review) - It was a busy week for Cambodia and Japan.\n\n"
            "THURSDAY - Talks in Phnom Penh\n\n"
            "Morioka of Japan held talks with Cambodian Foreign Minister Chea Sovann at the foreign ministry on "
            "Thursday. Japan and Cambodia agreed to expand maritime patrols.\n\n"
            + "Trade between the two grew steadily over the decade, officials said. " * 12
            + "\n\nSouth Korea pledged funds for a ring road last month.")
    found = cands(text, published=dt.date(2026, 3, 7))
    talks = [c for c in found if c.kind == "meeting"]
    assert [(c.date.first.isoformat(), c.sentence.text[:7]) for c in talks] == [("2026-03-05", "Morioka")]


def test_a_route_begun_a_figure_that_came_to_a_sum_and_a_feasibility_study_begun():
    text = ("Japan and Cambodia held talks on Thursday. Cambodia's exports to Japan grew 9% last year. In January alone "
            "they came to $230 million. Separately, the carrier Sakura Wings said it would start four weekly flights "
            "between Narita and Phnom Penh from July 1. A JICA survey team is to begin a feasibility study on an urban "
            "railway next week.")
    found = kinds_and_dates(text, published=dt.date(2026, 3, 7))
    assert {("statistic", "2026-01-01"), ("opening", "2026-07-01"), ("cooperation", "2026-03-09")} <= found


def test_construction_begun_by_a_builder_named_between():
    found = kinds_and_dates("Japan and Cambodia opened the terminal on Monday. The loan was signed in August 2022, and "
                            "construction by a consortium led by the Osaka contractor Shirakawa Kensetsu began the "
                            "following year.", published=dt.date(2026, 3, 7))
    assert ("opening", "2023-01-01") in found


def test_a_visit_told_in_a_when_part_after_a_milestone_has_that_part_as_evidence():
    text = ("Japan and Cambodia held talks on Thursday. Japan and Cambodia established diplomatic relations in 1953, "
            "seven decades before they raised their ties to a Comprehensive Strategic Partnership in December 2023, "
            "when Hun Manet visited Tokyo.")
    visits = [c for c in cands(text, published=dt.date(2026, 3, 7)) if c.kind == "visit"]
    assert [c.evidence.text for c in visits] == ["when Hun Manet visited Tokyo."]


def test_containers_one_party_carried_for_the_other_are_a_figure_but_an_airlines_own_passengers_are_not():
    text = ("Brenmoor Container Line and Morava Rail Cargo settled their dispute on Tuesday. Brenmoor and Morava will "
            "form a joint venture. Morava carried 96,000 TEU for Brenmoor in 2025.")
    assert ("statistic", "2025-01-01") in kinds_and_dates(text, published=dt.date(2026, 10, 27))
    own = kinds_and_dates("Brenmoor Container Line and Morava Rail Cargo settled their dispute on Tuesday. Brenmoor and "
                          "Morava will form a joint venture. Morava, founded in 2009, carried 11.2 million passengers "
                          "in 2025.", published=dt.date(2026, 10, 27))
    assert ("statistic", "2025-01-01") not in own


def test_one_countrys_own_national_goal_is_no_target_of_the_two_nor_a_goal_met_a_meeting():
    pub = dt.date(2026, 3, 7)
    base = "Japan and Cambodia signed a demining grant on Tuesday. "
    for own in ("Cambodia aims to be free of landmines by 2030, a goal officials admit will be hard to meet.",
                "Cambodia's plans rest on its goal of high-income status by 2050.",
                "India wants to be a developed nation by 2047, the minister added."):
        assert kinds_and_dates(base + own, published=pub) == {("agreement", "2026-03-03")}, own
    # the two sides' own goal is one
    assert ("target", "2030-01-01") in kinds_and_dates(
        base + "The two governments want trade to reach $5 billion a year by 2030.", published=pub)


def test_the_day_a_figure_was_reported_beside_its_own_period_dates_no_second_figure():
    text = ("Japan and Cambodia held talks on Thursday. Cambodia's exports to Japan reached $2.4 billion in 2025, up 9% "
            "on the year before, the commerce ministry said on Friday.")
    figures = sorted(d for k, d in kinds_and_dates(text, published=dt.date(2026, 3, 7)) if k == "statistic")
    assert figures == ["2025-01-01"]


def test_a_speakers_wishes_are_no_happening_but_the_facts_a_speaker_tells_are():
    pub = dt.date(2025, 12, 4)
    base = "Hôm qua (3/12), hai Bộ trưởng đã hội đàm tại Hà Nội. "
    wish = kinds_and_dates(base + "Phát biểu tại hội đàm, Bộ trưởng mong muốn doanh nghiệp Áo tham gia các dự án hạ "
                           "tầng giai đoạn 2026-2030.", published=pub, language="vi")
    assert wish == {("meeting", "2025-12-03")}
    fact = kinds_and_dates(base + "Phát biểu tại buổi lễ, Đại sứ cho biết trong năm 2024, kim ngạch thương mại hai "
                           "chiều đạt khoảng 2,5 tỷ USD.", published=pub, language="vi")
    assert ("statistic", "2024-01-01") in fact


def test_korean_new_zealand_the_summit_pointed_at_and_one_more_text_also_signed():
    text = ("이재명 대통령과 크리스토퍼 럭슨 뉴질랜드 총리가 어제(9일) 서울에서 정상회담을 열었다. 럭슨 총리는 8일 서울에서 "
            "열린 한·뉴질랜드 비즈니스 포럼에 참석했다. 정상회담 직후 두 장관은 공동선언문에 서명했다. 같은 자리에서 두 "
            "나라 산업 당국은 수소 경제 협력 양해각서(MOU)도 교환했다.")
    found = cands(text, published=dt.date(2026, 6, 10), language="ko")
    signings = sorted((c.date.first.isoformat(), c.sentence.text[:6]) for c in found if c.kind == "agreement")
    assert signings == [("2026-06-09", "같은 자리에"), ("2026-06-09", "정상회담 직")]
    assert all({a.name for a in c.actors if a.type == "country"} <= {"New Zealand", "South Korea"} for c in found)


def test_a_text_told_again_by_another_happenings_clause_is_no_new_one_but_its_step_to_come_is():
    pub = dt.date(2025, 10, 8)
    base = "Germany signed a 500 million euro loan to South Africa on Tuesday. "
    assert kinds_and_dates(base + "The Treasury had published the reform conditions attached to the loan the previous "
                           "day.", published=pub) == {("deal", "2025-10-07")}
    assert ("deal", "2026-07-01") in kinds_and_dates(base + "The deal is expected to close in the third quarter of next "
                                                     "year.", published=pub)


def test_a_pronoun_or_a_preposition_before_the_signal_is_no_part_of_a_title():
    titles = [c.title for c in cands("South Africa and China signed twelve agreements on Tuesday. On Wednesday he "
                                     "visited Shanghai, where the locomotives are built.", published=dt.date(2026, 9, 4))
              if c.kind == "visit"]
    assert titles and not any(t.split()[0].lower() in ("he", "after", "when") for t in titles), titles


def test_a_second_predicate_with_a_date_of_its_own_ends_the_first_ones_evidence():
    text = ("Australia and India signed a minerals pact on Wednesday. Albanese arrived in Ahmedabad on Monday and on "
            "Tuesday sat with Modi through the opening session of the fourth Test between the two sides at the "
            "Narendra Modi Stadium, where the leaders held informal talks over lunch.")
    visits = [c for c in cands(text, published=dt.date(2026, 3, 5)) if c.kind == "visit"]
    assert [c.evidence.text for c in visits] == ["Albanese arrived in Ahmedabad on Monday"]


def test_sitting_down_with_the_other_leader_is_a_meeting():
    found = kinds_and_dates("Australia and India signed a minerals pact on Wednesday. On Tuesday Albanese sat with Modi "
                            "through the opening session of the fourth Test.", published=dt.date(2026, 3, 5))
    assert ("meeting", "2026-03-03") in found


def test_cargoes_named_with_where_they_go_and_due_are_on_their_way():
    found = kinds_and_dates("Australia and India signed a minerals pact on Wednesday. First cargoes to a refinery "
                            "planned in Gujarat are due in the second half of 2027.", published=dt.date(2026, 3, 5))
    assert ("cooperation", "2027-07-01") in found


def test_a_plan_overtaken_whose_court_is_named_before_its_date():
    text = ("Calloway Robotics and Nishiki Medical settled their patent dispute on Thursday. Both will withdraw every "
            "pending claim, including a rehearing that had been scheduled before the US Court of Appeals for the "
            "Federal Circuit for November 30.")
    assert not any(d.endswith("11-30") for _, d in kinds_and_dates(text, published=dt.date(2026, 11, 20)))


def test_relations_restored_after_a_break_and_a_strategic_global_partnership_declared_are_milestones():
    found = kinds_and_dates("Relations between Peru and Japan broke down during the war and were restored in 1952. In "
                            "2014 the two governments declared a Strategic Global Partnership.",
                            published=dt.date(2026, 3, 5))
    assert {("milestone", "1952-01-01"), ("milestone", "2014-01-01")} <= found, found


def test_a_day_of_the_visit_pointed_at_and_the_next_morning_counted_from_it():
    text = ("Chile's foreign minister visited Seoul on May 11 and 12.\n\n"
            "The two countries' free trade agreement took effect on April 1, 2004, the first Korea signed.\n\n"
            "On the first day, she held talks with her Korean counterpart, and the two signed a memorandum on "
            "lithium supply chains. The next morning, President Lee received her at the presidential office.")
    found = kinds_and_dates(text, published=dt.date(2026, 5, 14))
    assert {("meeting", "2026-05-11"), ("agreement", "2026-05-11"), ("meeting", "2026-05-12")} <= found, found
    assert not any(d.startswith("2004-04-02") for _k, d in found), found


def test_the_second_day_of_a_visit_told_by_its_span():
    text = ("Vietnam's prime minister paid an official visit to Chile from March 3 to 5.\n\n"
            "On the second day of his visit, he met President Boric, and the two governments signed an agreement "
            "on agricultural trade.")
    found = kinds_and_dates(text, published=dt.date(2026, 3, 6))
    assert ("agreement", "2026-03-04") in found, found


def test_one_sides_dealings_with_a_bloc_or_a_country_told_by_its_demonym_only_are_another_partnership():
    text = ("Peru and Japan signed a memorandum on copper smelting on Monday. Japan buys a fifth of Peru's copper, and "
            "Japanese smelters want more of it.\n\n"
            "Lima has also been looking elsewhere: it concluded a revised trade agreement with the European Union in "
            "March, and it cut tariffs on Brazilian steel last month.")
    found = kinds_and_dates(text, published=dt.date(2026, 6, 10))
    assert ("agreement", "2026-06-08") in found, found
    assert not any(d.startswith(("2026-03", "2026-05")) for _k, d in found), found


def test_a_fight_over_a_cancelled_order_settled_is_legal_and_a_cross_licence_at_the_same_signing_one_more_text():
    text = ("Brenholt Batteries and the carmaker Ostrava Motors settled their court fight over a cancelled order on "
            "Tuesday. The new supply contract, signed the same day and worth about €800 million, runs to 2032. At "
            "the same signing, the two companies granted each other a cross-licence on cell patents.")
    found = _found(text, dt.date(2026, 7, 9))
    kinds = [k for k, d, _ in found if d == "2026-07-07"]
    assert kinds[0] == "legal" and "agreement" in kinds, found
    assert len(kinds) == 3, found


def test_cross_licensing_told_as_the_terms_of_a_settlement_is_no_text_of_its_own():
    text = ("Under the settlement, Brenholt will pay Ostrava $90 million by the end of May, and the two companies will "
            "cross-license their cell patents for six years.")
    assert not any(k == "agreement" for k, _d, _t in _found(text, dt.date(2026, 4, 2))), _found(text, dt.date(2026, 4, 2))


def test_a_projects_permit_issued_its_output_to_begin_and_the_first_workers_arriving():
    text = ("Chile and Korea agreed on Thursday to build a lithium hydroxide plant near Antofagasta. Chile's environment "
            "ministry had issued the plant's environmental permit the previous week. Output is to begin in the first "
            "half of 2028.\n\n"
            "Chilean mining engineers have trained in Korea since May 2019, when the first twelve trainees arrived in "
            "Ulsan under a government scheme.")
    found = kinds_and_dates(text, published=dt.date(2026, 4, 10))
    assert {("legal", "2026-03-30"), ("opening", "2028-01-01"), ("cooperation", "2019-05-01")} <= found, found


def test_vietnamese_first_ship_and_first_lot_and_an_upgrade_to_comprehensive_partnership():
    text = ("Việt Nam và Chile ký bản ghi nhớ về cảng biển hôm qua. Bến mới dự kiến đón tàu đầu tiên vào năm 2028. "
            "Lô hàng đầu tiên gồm 300 tấn đồng sẽ cập cảng Hải Phòng vào tuần tới.\n\n"
            "Hai nước thiết lập quan hệ ngoại giao năm 1971; đến năm 2007, quan hệ được nâng lên Đối tác toàn diện.")
    found = kinds_and_dates(text, published=dt.date(2026, 11, 7), language="vi")
    assert {("opening", "2028-01-01"), ("cooperation", "2026-11-09"), ("milestone", "2007-01-01")} <= found, found


def test_korean_a_bare_half_two_days_after_the_talks_a_first_shipment_and_the_first_volunteers_sent():
    text = ("한국과 칠레 외교장관이 어제 서울에서 회담을 했다. 칠레 장관은 회담 이틀 뒤 부산에서 열리는 비즈니스 포럼에 "
            "참석한다. 칠레산 구리 정광 첫 수출 물량 5만t이 다음 주 안토파가스타항에서 울산으로 출항한다. 한국은 1995년 "
            "칠레에 처음으로 해외봉사단원을 보냈다. 칠레 대통령은 하반기 방한할 예정이다.")
    found = kinds_and_dates(text, published=dt.date(2026, 3, 19), language="ko")
    assert {("meeting", "2026-03-18"), ("meeting", "2026-03-20"), ("cooperation", "2026-03-23"),
            ("cooperation", "1995-01-01"), ("visit", "2026-07-01")} <= found, found


def test_tonnes_imported_from_the_other_side_are_a_figure_in_english_and_vietnamese():
    found = kinds_and_dates("Chile and Vietnam signed a fruit protocol on Monday. Last year, Vietnam imported about "
                            "4,500 tonnes of Chilean cherries.", published=dt.date(2026, 11, 7))
    assert ("statistic", "2025-01-01") in found, found
    found = kinds_and_dates("Việt Nam và Chile ký nghị định thư về trái cây hôm thứ Hai. Năm ngoái, Việt Nam nhập khẩu "
                            "khoảng 4.500 tấn anh đào từ Chile.", published=dt.date(2026, 11, 7), language="vi")
    assert ("statistic", "2025-01-01") in found, found


def test_what_one_company_processed_or_delivered_for_the_other_is_a_figure():
    found = kinds_and_dates("Brenholt Batteries and Ostrava Motors signed a supply deal on Monday. Brenholt processed "
                            "12,000 tonnes of Ostrava's production scrap in 2025.", published=dt.date(2026, 5, 6))
    assert ("statistic", "2025-01-01") in found, found


def test_talks_held_and_a_text_signed_in_one_clause_are_two_happenings_of_its_day():
    found = kinds_and_dates("The breakthrough came on Tuesday, when the two foreign ministers held the first round of a "
                            "strategic dialogue in Lima and signed an arrangement on fisheries research.",
                            published=dt.date(2026, 10, 9))
    assert {("meeting", "2026-10-06"), ("agreement", "2026-10-06")} <= found, found


def test_a_background_day_dates_nothing_of_a_later_paragraph_and_a_visit_to_come_takes_no_past_day():
    text = ("Peru and Korea signed six agreements on Wednesday during a state visit.\n\n"
            "The two countries' free trade agreement took effect on August 1, 2011.\n\n"
            "\"This is a new chapter,\" the Peruvian president said in a speech to business leaders.\n\n"
            "The largest of the agreements sets up a $2 billion fund to take stakes in Peruvian ports.\n\n"
            "A delegation of Korean port operators is expected to visit Callao in the coming weeks.\n\n"
            "The countries also agreed to extend by five years a forestry partnership.")
    found = _found(text, dt.date(2026, 4, 10))
    story_day = [k for k, d, _ in found if d == "2026-04-08"]
    assert "deal" in story_day and story_day.count("agreement") == 2, found
    assert [k for k, d, _ in found if d == "2011-08-01"] == ["agreement"], found
    assert story_day.count("visit") == 1, found  # the state visit only


def test_what_has_been_agreed_takes_no_day_still_to_come_from_the_clause_before():
    found = _found("Peru and Japan agreed on Monday to build a copper smelter in Ilo. Output is to begin in the second "
                   "half of 2029, and Mitsuhama has agreed to take half of it for its plants in Japan.",
                   dt.date(2026, 5, 13))
    assert [k for k, d, _ in found if d.startswith("2029")] == ["opening"], found


def test_supplies_to_the_other_side_from_a_year_on_are_cooperation():
    found = kinds_and_dates("Brenholt Batteries and Ostrava Motors formed a recycling venture on Monday. The venture is "
                            "to supply Ostrava with recovered cobalt from 2028.", published=dt.date(2026, 5, 6))
    assert ("cooperation", "2028-01-01") in found, found


def test_a_state_visit_story_of_two_fiscal_years_quotas_applying_the_leaders_launching_and_a_forerunner_deal():
    text = ("CANBERRA, Nov 21 - Thailand and Australia signed a memorandum on rare earths on Thursday, as the Thai "
            "prime minister used a three-day visit to win larger beef quotas.\n\n"
            "Srettha, who arrived on Wednesday evening, held talks with Albanese at Parliament House. The new quotas "
            "apply from January 1.\n\n"
            "The day before, in Perth, a Thai battery maker agreed to buy 40,000 tonnes of lithium ore from an "
            "Australian miner.\n\n"
            "The leaders also launched a scholarship scheme for Thai engineers. The first scholars will begin their "
            "courses next year.\n\n"
            "Australia is Thailand's fifth-largest trading partner, and Thailand ranks tenth for Australia. Two-way "
            "trade reached A$21 billion in the 2024-25 fiscal year, according to Australia's trade department.")
    found = _found(text, dt.date(2025, 11, 21))
    got = {(k, d) for k, d, _ in found}
    assert {("visit", "2025-11-19"), ("agreement", "2026-01-01"), ("deal", "2025-11-19"), ("opening", "2025-11-20"),
            ("cooperation", "2026"), ("statistic", "2024-07/2025-06")} <= got, found
    assert ("agreement", "2025-11-19") not in got, found  # "agreed to buy" is the deal, read once


def test_vietnamese_an_official_trip_one_more_signing_that_morning_a_first_intake_a_first_lot_and_a_delegation_to_come():
    text = ("Sáng nay, Việt Nam và Chile ký hợp đồng cung cấp 200 máy dệt trị giá 12 triệu USD. Diễn đàn nằm trong "
            "chuyến công tác tại Chile từ 8 đến 11/4 của đoàn Bộ Công Thương.\n\n"
            "Cũng trong sáng nay, Trường Đại học Mỹ thuật Hà Nội và Đại học Valparaíso đã ký bản ghi nhớ về đào tạo; "
            "khóa đầu tiên sẽ tuyển sinh vào tháng 9/2026 với 40 sinh viên.\n\n"
            "Hai tuần trước, lô cà phê Arabica hữu cơ đầu tiên của Cầu Đất đã cập cảng San Antonio. Tháng 10 năm nay, "
            "đoàn 20 doanh nghiệp Chile sẽ sang Đà Nẵng tìm đối tác.")
    found = kinds_and_dates(text, published=dt.date(2026, 4, 10), language="vi")
    assert {("visit", "2026-04-08"), ("agreement", "2026-04-10"), ("deal", "2026-04-10"), ("cooperation", "2026-09-01"),
            ("cooperation", "2026-03-23"), ("visit", "2026-10-01")} <= found, found


def test_korean_the_talks_told_again_a_firms_contract_that_day_after_a_background_and_its_first_shipment():
    text = ("한국과 페루가 9일 리마에서 자유무역협정 개선협상 제2차 공식협상을 열었다. 이날 협상에서 양측은 상품 양허 확대를 "
            "논의했다.\n\n"
            "한·페루 FTA는 2011년 3월 서명돼 2011년 8월 1일 발효됐다.\n\n"
            "협상과 같은 날 리마에서는 기업 간 계약도 이어졌다. 한빛머티리얼즈는 이날 페루 구리 생산업체 안데스쿠프레와 "
            "2027년부터 5년간 구리 정광 10만 톤을 공급받는 장기계약을 맺었다. 한빛머티리얼즈가 지은 공장은 오는 15일 "
            "준공식을 연다. 첫 제품은 준공식 사흘 뒤 카야오항에서 선적된다. 한빛머티리얼즈는 3년 전 페루 정부의 구리 "
            "공급 사업자로 선정됐다.")
    found = _found(text, dt.date(2026, 6, 10), language="ko")
    got = {(k, d) for k, d, _ in found}
    assert {("deal", "2026-06-09"), ("opening", "2026-06-15"), ("cooperation", "2026-06-18"), ("deal", "2023")} <= got, found
    assert [k for k, d, _ in found if d == "2026-06-09"].count("meeting") <= 1, found  # the talks, told once at most


def test_a_loan_restructuring_story_its_terms_a_figure_of_speech_disbursements_to_resume_and_visits_to_come():
    text = ("ACCRA - Officials from Ghana's finance ministry and the Export-Import Bank of China signed agreements on "
            "Tuesday restructuring $1.2 billion of loans, and opened a new chapter in the relationship.\n\n"
            "Under the agreements, repayments are stretched over 15 more years. Disbursements on four stalled projects "
            "would resume in the second quarter, Ghana's deputy finance minister said.\n\n"
            "Chinese Premier Li Qiang is expected in Accra in April, and the joint commission will meet in Beijing in "
            "June to review the restructured projects.\n\n"
            "Ghana and China first worked together on a dam in 1964, when Chinese engineers surveyed the Volta.")
    found = _found(text, dt.date(2026, 3, 5))
    got = {(k, d) for k, d, _ in found}
    assert {("agreement", "2026-03-03"), ("deal", "2026-04/2026-06"), ("visit", "2026-04"), ("meeting", "2026-06"),
            ("cooperation", "1964")} <= got, found
    assert not any(k == "opening" for k, _ in got), found
    assert [k for k, d in got if d == "2026-03-03"] == ["agreement"], found


def test_a_launch_provider_is_no_launch_and_a_service_that_will_not_start_before_a_quarter_starts_then():
    text = ("Halcyra Space and the carrier Bastide signed a capacity lease on Monday. Service under the lease will not "
            "start before the second quarter of 2027. The delays began when Halcyra's launch provider grounded its "
            "rocket in May 2025.")
    got = kinds_and_dates(text, published=dt.date(2026, 8, 19))
    assert ("opening", "2027-04-01") in got, got
    assert not any(d.startswith("2025-05") for _k, d in got), got


def test_a_date_a_milestones_participle_holds_is_no_day_of_the_talks_it_was_announced_after():
    text = ("Chile and Japan upgraded their ties to a strategic partnership on Monday.\n\n"
            "The two leaders announced the upgrade after talks in Tokyo, in the year the countries mark the 128th "
            "anniversary of diplomatic relations, established on September 25, 1897.")
    got = kinds_and_dates(text, published=dt.date(2025, 9, 24))
    assert ("milestone", "1897-09-25") in got, got
    assert ("meeting", "1897-09-25") not in got, got


def test_work_together_since_a_year_and_a_contract_agreed_in_the_passive():
    found = kinds_and_dates("Brenholt Batteries and Ostrava Motors signed a supply deal on Monday. The two companies "
                            "have worked together since 2019, when Brenholt began testing Ostrava's cells. A second, "
                            "longer contract was agreed in 2022.", published=dt.date(2026, 5, 6))
    assert {("cooperation", "2019-01-01"), ("deal", "2022-01-01")} <= found, found


def test_an_audience_a_courtesy_call_and_drilling_to_start_are_events_but_a_request_is_not():
    found = kinds_and_dates("Peru and Japan signed a copper memorandum on Tuesday. On 4 March the Peruvian president was "
                            "received in audience by the Emperor. Drilling would start in the first quarter of 2027, "
                            "the miner said.", published=dt.date(2026, 3, 6))
    assert {("meeting", "2026-03-04"), ("opening", "2027-01-01")} <= found, found
    found = kinds_and_dates("Peru's minister called on the Prime Minister to lift the quotas on Tuesday.",
                            published=dt.date(2026, 3, 6))
    assert not any(k == "meeting" for k, _d in found), found


def test_more_flights_between_the_two_and_a_vietnamese_trip_made_to_see_a_project():
    found = kinds_and_dates("Morocco and China signed a tourism pact on Monday. Flights between Casablanca and Shanghai "
                            "are to go from two a week to daily next month.", published=dt.date(2026, 8, 5))
    assert ("cooperation", "2026-09-01") in found, found
    found = kinds_and_dates("Chủ tịch nước hội đàm với Tổng thống Chile sáng 20/5, sau đó ngày 21/5 bay tới vùng "
                            "Atacama để thăm một mỏ đồng.", published=dt.date(2026, 5, 22), language="vi")
    assert ("visit", "2026-05-21") in found, found


def test_a_first_group_to_follow_and_a_korean_first_shipment_planned():
    found = kinds_and_dates("Chile and Germany signed a labour mobility pact on Monday. Nurses would leave for Germany "
                            "by June, and a first group of electricians would follow in the second half of the year.",
                            published=dt.date(2025, 3, 4))
    assert ("cooperation", "2025-07-01") in found, found
    found = kinds_and_dates("한국과 칠레가 어제 수소 협력 양해각서를 체결했다. 첫 출하는 내년 상반기로 예정돼 있다.",
                            published=dt.date(2025, 3, 4), language="ko")
    assert ("cooperation", "2026-01-01") in found, found


def test_korean_the_same_day_is_not_the_visitors_day_of_leaving_and_the_next_day_counts_from_the_day_set_right():
    text = ("한국과 칠레 교통장관이 지난 20일 산티아고에서 회담을 열었다. 윤 장관은 지난 19일 산티아고에 도착해 칠레를 "
            "방문하고 있으며, 오늘 귀국한다.\n\n"
            "같은 날 오전에는 대성레일이 칠레 철도공사와 전동차 20편성을 공급하는 계약을 맺었다.\n\n"
            "이튿날에는 해온풍력이 칠레 개발사 안데스윈드와 해상풍력 하부구조물 공급 계약을 체결했다.")
    found = _found(text, dt.date(2026, 4, 23), language="ko")
    deals = sorted(d for k, d, _ in found if k == "deal")
    assert deals == ["2026-04-20", "2026-04-21"], found


def test_korean_a_bid_won_over_named_rivals_commercial_operation_and_a_first_steel_cut():
    text = ("한국과 칠레 교통장관이 어제 산티아고에서 회담을 열었다. 대성레일은 작년 이맘때 칠레 철도공사 입찰에서 "
            "프랑스·이탈리아 업체를 제치고 우선협상대상자로 선정됐다. 해상풍력 단지는 2029년 상업운전에 들어갈 예정이다. "
            "첫 선박은 내년 연초 강재 절단에 들어간다.")
    found = kinds_and_dates(text, published=dt.date(2026, 4, 23), language="ko")
    assert ("intent", "2025-04-01") in found and ("meeting", "2025-04-01") not in found, found  # a bid won, no talks
    assert {("opening", "2029-01-01"), ("opening", "2027-01-01")} <= found, found


def test_a_title_keeps_whole_words_and_a_long_clause_is_cut_rather_than_left_a_bare_kind():
    titles = [t for _k, _d, t in _found("Kasumi had signed a lease for the 90-hectare site with the developer a "
                                        "fortnight ago.", dt.date(2026, 5, 18))]
    assert titles == ["Kasumi had signed a lease for the 90-hectare site"], titles


def test_vietnamese_joint_drills_and_a_first_lot_leaving_port():
    text = ("Việt Nam và Chile ký hợp đồng xuất khẩu gạo hôm qua. Lô hàng đầu tiên theo hợp đồng sẽ rời cảng Cần Thơ "
            "trong tháng 10. Ba năm trước, hải quân hai nước tổ chức diễn tập chung lần đầu.")
    found = kinds_and_dates(text, published=dt.date(2026, 8, 10), language="vi")
    assert {("cooperation", "2026-10-01"), ("cooperation", "2023-01-01")} <= found, found


def test_talks_with_other_lessors_a_sale_to_an_unnamed_fund_are_others_dealings_and_jets_joining_a_fleet_are_not():
    text = ("Tembara Airlines and the lessor Harwick Aviation Capital signed leases for ten jets on Wednesday. The "
            "first two are due to join Tembara's fleet in the fourth quarter of this year. Harwick sold six leased jets "
            "to an Indian investment fund last month, and Tembara is in talks with other lessors for widebody aircraft.")
    found = kinds_and_dates(text, published=dt.date(2026, 6, 4))
    assert ("cooperation", "2026-10-01") in found, found
    assert not any(d.startswith("2026-05") for _k, d in found), found


def test_vietnamese_a_contract_signed_where_the_visitor_went_is_a_happening_of_its_own():
    text = ("Hôm qua, Tổng thống Chile hội đàm với Chủ tịch nước tại Hà Nội. Hôm nay, Tổng thống thăm Hải Phòng và "
            "Nhà máy đóng tàu Bạch Đằng, nơi Hải quân Chile ký hợp đồng đặt đóng 2 tàu tuần tra trị giá 80 triệu USD.")
    found = kinds_and_dates(text, published=dt.date(2026, 8, 6), language="vi")
    assert {("visit", "2026-08-06"), ("deal", "2026-08-06")} <= found, found


def test_relations_established_in_the_1800s_by_a_treaty_are_one_milestone_and_restored_after_a_war():
    text = ("Peru and Japan established relations in 1873, when they signed a treaty of peace and friendship. Ties "
            "were cut during the war and restored in 1952. The bank, which Orlan Holdings opened in 1889, will lend "
            "to the port.")
    found = _found(text, dt.date(2026, 3, 2))
    assert ("milestone", "1873") in [(k, d) for k, d, _ in found], found
    assert ("milestone", "1952") in [(k, d) for k, d, _ in found], found
    assert not any(d == "1873" and k == "agreement" for k, d, _ in found), found  # the signing made the milestone
    assert not any(d == "1889" for _k, d, _ in found), found  # a firm's own past
    assert not kinds_and_dates("A fleet of 1850 trucks crossed the border in 2025.", published=dt.date(2026, 3, 2)) \
        & {("deal", "1850-01-01")}


def test_firms_that_establish_ties_have_no_diplomatic_relations():
    found = kinds_and_dates("Corvane Foundry established ties with Samsung in 2019.", published=dt.date(2026, 3, 2))
    assert not any(k == "milestone" for k, _ in found), found
    found = kinds_and_dates("Chile established relations with Vietnam in 1971.", published=dt.date(2026, 3, 2))
    assert ("milestone", "1971-01-01") in found, found


def test_a_visitor_flying_in_is_a_visit_a_visiting_forces_pact_is_not_and_an_invitation_accepted_is_one_to_come():
    text = ("Estonia and Japan signed a Visiting Forces Agreement on Wednesday after the two prime ministers held "
            "talks. Kallas flew in from Seoul on Tuesday evening and leaves for Manila on Thursday. Ishiba accepted "
            "an invitation to visit Tallinn later this year.")
    found = _found(text, dt.date(2026, 2, 26))
    visits = [(d, t) for k, d, t in found if k == "visit"]
    assert any(d == "2026-02-24" and "Seoul" not in t for d, t in visits), visits  # (Seoul is where she came from)
    assert "2026" in [d for d, _ in visits], visits
    assert not any(d == "2026-02-25" for d, _ in visits), visits  # the pact's name is no visit


def test_a_day_counted_from_the_talks_named_not_from_the_day_told_last():
    text = ("Spain and Chile held talks in Madrid on Wednesday. Earlier on Thursday, the two leaders broke ground on "
            "a plant. The day before the talks, some 150 executives met at a business forum.")
    found = _found(text, dt.date(2026, 2, 26))
    assert ("meeting", "2026-02-24") in [(k, d) for k, d, _ in found], found


def test_a_text_signed_at_the_same_ceremony_first_passengers_output_and_a_goal_wanted():
    text = ("Spain and Chile signed a defence agreement on Wednesday. A loan for a tram line was signed at the same "
            "ceremony. The line is expected to carry its first passengers in 2030. The first turbines should come off "
            "the assembly line in the second half of 2028. Trade reached €2 billion in 2025, and the two governments "
            "want it to climb to €3 billion by 2029.")
    found = [(k, d) for k, d, _ in _found(text, dt.date(2026, 2, 26))]
    assert len([1 for k, d in found if d == "2026-02-25" and k in ("agreement", "deal")]) == 2, found
    assert {("opening", "2030"), ("opening", "2028-07/2028-12"), ("target", "2029")} <= set(found), found


def test_vietnamese_a_president_receiving_the_visitor_a_session_in_a_quarter_and_a_route_in_service():
    text = ("Sáng 4/6, hai bộ trưởng đồng chủ trì kỳ họp Ủy ban hỗn hợp. Chiều cùng ngày, Tổng thống tiếp Phó Thủ tướng "
            "tại Phủ Tổng thống. Phiên đàm phán đầu tiên dự kiến được tổ chức trong quý III. Hôm qua, Phó Thủ tướng dự "
            "Diễn đàn Doanh nghiệp hai nước. Sáng cùng ngày, bên lề diễn đàn, hai tập đoàn ký hợp đồng cung cấp sợi. "
            "Đường bay thẳng của hãng sẽ chính thức khai thác từ ngày 15/9.")
    found = kinds_and_dates(text, published=dt.date(2026, 6, 6), language="vi")
    assert {("meeting", "2026-06-04"), ("meeting", "2026-07-01"), ("opening", "2026-09-15")} <= found, found
    assert len([1 for k, d in found if k == "meeting" and d == "2026-06-05"]) == 1, found  # the forum, once
    assert not kinds_and_dates("Trong quý I, tăng trưởng kinh tế của Indonesia đạt 5,1%.", published=dt.date(2026, 6, 6),
                               language="vi"), "one economy's growth"


def test_korean_a_signing_right_after_the_talks_of_that_day_firms_named_by_their_kind_a_choice_and_a_dialogue_to_come():
    text = ("양국 산업장관이 어제 서울에서 회담을 열었다.\n\n두 장관은 이날 회담 직후 수소 협력 양해각서(MOU)에 서명했다. "
            "이날 오후 청운소재는 칠레 리튬 개발사 아타카마리티오와 장기 구매 계약을 맺었다. 칠레 정부는 다음 달 초 최종 "
            "사업자를 선정할 예정이다. 해진조선은 지난달 칠레 정부에 최종 제안서를 제출했다. 양국은 내년 상반기 산티아고에서 "
            "제1차 공급망 대화를 열기로 했다.")
    found = {(c.kind, c.date.first.isoformat()): c for c in cands(text, published=dt.date(2026, 9, 10), language="ko")}
    assert ("agreement", "2026-09-09") in found and ("deal", "2026-09-09") in found, found.keys()
    assert {a.name for a in found[("deal", "2026-09-09")].actors if a.type == "company"} >= {"청운소재"}
    assert {("deal", "2026-10-01"), ("intent", "2026-08-01"), ("meeting", "2027-01-01")} <= set(found), found.keys()


def test_a_second_text_alongside_the_first_commercial_operation_first_output_and_a_case_opened():
    text = ("The Danish turbine maker Vestrand and the Chilean utility Andes Power signed a supply agreement on "
            "Tuesday. Alongside it, Andes Power signed a 20-year service contract under which Vestrand will maintain "
            "the turbines. The farm is meant to be in commercial operation by December 2028, and the first blades "
            "should leave the plant in 2028. They settled the patent dispute that Vestrand had opened in March 2025. "
            "The regulator opened an in-depth investigation in October.")
    found = [(k, d) for k, d, _ in _found(text, dt.date(2026, 11, 18))]
    assert found.count(("agreement", "2026-11-17")) + found.count(("deal", "2026-11-17")) == 2, found
    assert {("opening", "2028-12"), ("opening", "2028"), ("legal", "2026-10")} <= set(found), found
    assert ("opening", "2025-03") not in found, found  # a dispute opened is no opening


def test_a_title_names_the_storys_pair_only_when_it_is_clear_and_never_a_bare_kind_with_its_figure():
    titles = [t for _k, _d, t in _found("Vietnam and Japan signed a rice deal on Tuesday. Vinafood won a smaller order "
                                        "in Brazil last month.", dt.date(2026, 11, 18))]
    assert not any("Brazil and Japan" in t or "Japan and Brazil" in t for t in titles), titles
    titles = [t for _k, _d, t in _found("Kestrel and Andina signed a supply deal on Tuesday. The partners plan to invest "
                                        "$185 million in the plant this year.", dt.date(2026, 11, 18))]
    assert not any(t.startswith("Deal (") for t in titles), titles


def test_goods_sent_or_bought_in_a_year_are_figures_but_a_firms_sales_and_a_government_taking_office_are_not():
    text = ("Peru sent about 90,000 tonnes of blueberries to Japan in 2025. Norland Foods, whose snacks are sold in "
            "30 countries, reported sales of $1.2 billion in 2025. The new government in Lima, which took office on "
            "July 28, has promised to speed up export permits.")
    found = kinds_and_dates(text, published=dt.date(2026, 3, 16))
    assert ("statistic", "2025-01-01") in found, found
    assert len([1 for k, d in found if k == "statistic"]) == 1, found
    assert not any(d == "2025-07-28" for _k, d in found), found


@pytest.mark.parametrize("text, language, expected", [
    ("Australia donated 5,000 vaccine doses to Fiji in January.", "en", ("deal", "2026-01-01")),
    ("China banned imports of Japanese seafood in August 2023.", "en", ("sanction", "2023-08-01")),
    ("South Korea removed Japan from its white list in 2019.", "en", ("sanction", "2019-01-01")),
    ("Japan restored South Korea to its list of trusted trading partners in July 2023.", "en", ("sanction", "2023-07-01")),
    ("KEPCO won a $1.2 billion bid to build a power plant in the Philippines in May.", "en", ("deal", "2026-05-01")),
    ("Korean prosecutors charged two executives of the Vietnamese firm on Monday.", "en", ("legal", "2026-06-08")),
    ("Vietnam and Australia upgraded relations in March 2024.", "en", ("milestone", "2024-03-01")),
    ("The two foreign ministers spoke by phone on Wednesday.", "en", ("meeting", "2026-06-10")),
    ("Nhật Bản bàn giao tàu tuần tra đầu tiên cho Cảnh sát biển Việt Nam hôm thứ Hai.", "vi", ("cooperation", "2026-06-08")),
    ("Hàn Quốc viện trợ 5.000 liều vắc-xin cho Lào vào tháng 1.", "vi", ("deal", "2026-01-01")),
    ("Trung Quốc cấm nhập khẩu hải sản Nhật Bản từ tháng 8/2023.", "vi", ("sanction", "2023-08-01")),
    ("Đầu tư của Nhật Bản vào Việt Nam giảm 12% trong 6 tháng đầu năm.", "vi", ("statistic", "2026-01-01")),
    ("Đoàn doanh nghiệp Hàn Quốc đã đến Hà Nội hôm Chủ nhật.", "vi", ("visit", "2026-06-07")),
    ("Vietjet đặt mua 20 máy bay Airbus tại Triển lãm hàng không Paris hồi tháng 6 năm ngoái.", "vi", ("deal", "2025-06-01")),
    ("한국과 인도 해군은 지난주 남중국해에서 연합훈련을 실시했다.", "ko", ("cooperation", "2026-06-01")),
    ("중국은 2023년 8월부터 일본산 수산물 수입을 금지했다.", "ko", ("sanction", "2023-08-01")),
    ("싱가포르 법원은 11일 베트남 기업의 손을 들어줬다.", "ko", ("legal", "2026-06-11")),
    ("양국 외교장관은 10일 전화 통화를 했다.", "ko", ("meeting", "2026-06-10")),
    ("한국과 일본은 1965년 국교를 정상화했다.", "ko", ("milestone", "1965-01-01")),
])
def test_aid_bans_lists_of_trusted_partners_tenders_charges_calls_and_upgrades_in_three_languages(text, language, expected):
    assert expected in kinds_and_dates(text, published=dt.date(2026, 6, 12), language=language)


@pytest.mark.parametrize("text, expected", [
    ("Prime Minister Pham Minh Chinh arrived in Tokyo on Monday. He held talks with Prime Minister Ishiba at the "
     "Kantei.", ("meeting", "2026-06-08")),  # talks held on the visit
    ("Lee and Cuong met in Hanoi on Tuesday. The two leaders then attended the groundbreaking of a Samsung research "
     "centre.", ("opening", "2026-06-09")),  # what they went to is a happening of its own
    ("The summit was held in Seoul on Friday, June 5. A week after the summit, the two central banks signed a "
     "currency swap agreement.", ("agreement", "2026-06-12")),
    ("Ministers from Vietnam and Korea met in Hanoi on Tuesday. At the meeting, the Export-Import Bank of Korea "
     "extended a $500 million line of credit to Vietnam.", ("deal", "2026-06-09")),  # a bank's name is no trade figure
])
def test_a_happening_told_in_the_next_sentence_takes_its_day(text, expected):
    assert expected in kinds_and_dates(text, published=dt.date(2026, 6, 12))


def test_talks_held_as_a_minister_with_a_long_title_met_and_figures_beside_a_revenue_service():
    text = ("CAPE TOWN, July 9 (Wire) - Japan and South Africa agreed on Wednesday to work together on green hydrogen, "
            "as Japanese Economy, Trade and Industry Minister Aiko Mori held talks in Cape Town with her counterpart. "
            "The agenda had been settled by officials at a preparatory session in Tokyo in the week of June 15. "
            "Installation of the new signalling is to begin early next year. Bilateral trade reached $9.8 billion in "
            "2025, according to South Africa's revenue service. Those sales rose 12% to $1.9 billion in the first five "
            "months of this year.")
    found = kinds_and_dates(text, published=dt.date(2026, 7, 9))
    assert {("meeting", "2026-07-08"), ("meeting", "2026-06-15"), ("opening", "2027-01-01"),
            ("statistic", "2025-01-01"), ("statistic", "2026-01-01")} <= found, found
    assert not any(k == "legal" for k, _ in found), found  # an agenda settled is no settlement


def test_vietnamese_one_syllable_country_names_not_a_persons_name_nor_labour():
    from partnership_explorer.core.entities import default_gazetteer

    g = default_gazetteer()
    def names(t):
        return [m.entity.name for m in g.find(t)]
    assert names("Việt Nam và Đức ký hiệp định.") == ["Vietnam", "Germany"]
    assert names("Thủ tướng Đức Olaf Scholz tiếp đoàn.")[:1] == ["Germany"]
    assert "Germany" not in names("Phó Thủ tướng Lâm Đức Hải thăm Séc.")
    assert "Czech Republic" in names("Phó Thủ tướng Lâm Đức Hải thăm Séc.")
    assert names("Về hợp tác lao động, hai bộ ký bản ghi nhớ.") == []  # labour, not Laos
    assert "United Kingdom" not in names("Sinh viên học tiếng Anh.")
    assert names("xuất khẩu sang Mỹ tăng") == ["United States"]


def test_vietnamese_back_in_march_a_ship_launched_and_a_first_clause_before_a_semicolon_takes_the_day_before():
    text = ("Hôm nay, đoàn đến thành phố cảng Gdańsk. Tại đây, Tổng công ty Hàng hải Đông Đô dự kiến ký với nhà máy "
            "Motława Yards hợp đồng đóng hai tàu trị giá 140 triệu euro; chiếc thứ nhất sẽ được hạ thủy vào năm 2028. "
            "Công ty Farmavita, được cấp giấy chứng nhận đăng ký đầu tư hồi tháng 3, sẽ khởi công nhà máy vào tuần sau.")
    found = kinds_and_dates(text, published=dt.date(2026, 5, 22), language="vi")
    assert {("deal", "2026-05-22"), ("cooperation", "2028-01-01")} <= found, found
    assert not any(d.startswith("2027-03") for _k, d in found), found  # "hồi tháng 3" is the March gone by


def test_home_affairs_mid_paragraph_a_pause_since_a_year_a_state_kept_since_a_project_described_and_a_first_consignment():
    text = ("Kenya and the Emirates signed a port concession on Monday. At home, the opposition attacked the deal on "
            "Tuesday. Kenya and the Emirates established relations in 1982, and state visits have kept ties warm. "
            "Officials hope the deal will give the Lamu corridor, a project launched under the Vision 2030 plan, more "
            "traffic. Its first consignment of tea is planned for the week of 7 December.")
    found = kinds_and_dates(text, published=dt.date(2026, 11, 18))
    assert ("cooperation", "2026-12-07") in found, found  # the week of 7 December
    assert not any(d == "2026-11-17" for _k, d in found), found  # the opposition at home
    assert not any(k in ("visit", "meeting") and d.startswith("1982") for k, d in found), found
    assert not any(k == "opening" for k, _ in found), found
    ko = "양국 장관이 그저께 회담을 열고 2008년 이후 멈춰 있던 FTA 협상을 다시 시작하기로 했다. 한 장관은 어제 대통령궁에서 대통령을 예방했다."
    found = kinds_and_dates(ko, published=dt.date(2026, 6, 10), language="ko")
    assert ("meeting", "2026-06-09") in found and not any(d.startswith("2008") for _k, d in found), found


def test_a_text_created_at_the_same_ceremony_is_dated_by_a_ceremony_held_not_one_to_come():
    text = ("Polarbridge and Golden Feather signed a warehouse lease on Monday. The lease will take effect on 1 January. "
            "At the same ceremony, the two companies created a joint venture.")
    found = _found(text, dt.date(2026, 11, 18))
    assert not any(d == "2027-01-01" and "venture" in t for _k, d, t in found), found
    assert any(d == "2026-11-16" and "venture" in t for _k, d, t in found), found


@pytest.mark.parametrize("text, expected", [
    ("The venture won approval from Vietnam's competition authority last week.", ("legal", "2026-06-01")),
    ("The partners expect to receive investment privileges from Thailand's Board of Investment in the first quarter "
     "of next year.", ("legal", "2027-01-01")),
    ("Seoul approved the export of K9 howitzers to Vietnam in April.", ("legal", "2026-04-01")),
    ("Polarbridge has handled the company's cargo since 2019, when it won a contract to store its products.",
     ("deal", "2019-01-01")),
])
def test_approvals_won_or_awaited_and_a_happening_told_by_when_after_since(text, expected):
    assert expected in kinds_and_dates(text, published=dt.date(2026, 6, 12))


def test_work_together_since_a_day_and_the_happening_that_began_it_are_one_event():
    found = _found("The companies have collaborated since June 2021, when Verdane licensed European rights to a drug.",
                   dt.date(2026, 6, 12))
    assert [d for _k, d, _t in found].count("2021-06") == 1, found


@pytest.mark.parametrize("text, language, expected", [
    ("Merz, who flew in on Tuesday evening for a three-day stay, met Tinubu on Wednesday.", "en", ("visit", "2026-10-20")),
    ("Angela Merkel stopped in Abuja in August 2018.", "en", ("visit", "2018-08-01")),
    ("Merz arrived in Abuja on Tuesday. Hours after landing, Merz handed over 31 bronze plaques to Nigeria's museum "
     "commission.", "en", ("cooperation", "2026-10-20")),
    ("The new channel is scheduled to be finished by June 2028.", "en", ("opening", "2028-06-01")),
    ("The dredger will sail from Singapore next week to start preparatory surveys.", "en", ("cooperation", "2026-10-26")),
    ("On Tuesday the companies also said they would bid together for dredging work at the planned port.", "en",
     ("intent", "2026-10-20")),
    ("Canada cut off nuclear cooperation with India in 1974.", "en", ("sanction", "1974-01-01")),
    ("India restored electronic visas for Canadians in November 2023.", "en", ("sanction", "2023-11-01")),
    ("현지 기업과 지난해 9월 세운 합작법인이 공장을 짓는다.", "ko", ("cooperation", "2025-09-01")),
    ("이 공장은 2028년 하반기 상업 생산에 들어간다.", "ko", ("opening", "2028-07-01")),
])
def test_arrivals_stopovers_handovers_completions_surveys_joint_bids_cut_offs_and_joint_ventures_set_up(
        text, language, expected):
    found = kinds_and_dates(text, published=dt.date(2026, 10, 22), language=language)
    assert expected in found, found


def test_korean_talks_held_and_a_text_signed_in_one_sentence_are_two_happenings_of_the_day():
    text = "양국 국방장관이 어제 자카르타에서 회담을 열고 전투기 공동개발 분담금 조정 합의서에 서명했다."
    found = kinds_and_dates(text, published=dt.date(2026, 6, 16), language="ko")
    assert {("meeting", "2026-06-15"), ("agreement", "2026-06-15")} <= found, found


@pytest.mark.parametrize("sentence, expected", [
    ("Samsung said on Tuesday it would invest a further $2 billion in its Bac Ninh plant.", ("deal", "2026-06-09")),
    ("LG Display will pour $1 billion into its Hai Phong factory next year.", ("deal", "2027-01-01")),
    ("Vietjet finalised an order for 40 planes from Korean Air Aerospace on Wednesday.", ("deal", "2026-06-10")),
    ("The Korean government granted $20 million in aid for flood relief in central Vietnam last month.",
     ("deal", "2026-05-01")),
    ("Korea was Vietnam's largest foreign investor last year, with $4.8 billion.", ("statistic", "2025-01-01")),
])
def test_investments_said_poured_orders_for_a_count_grants_and_investor_ranks(sentence, expected):
    text = "Vietnam and South Korea held talks on Friday. " + sentence
    assert expected in kinds_and_dates(text, published=dt.date(2026, 6, 12))


@pytest.mark.parametrize("sentence, expected", [
    ("The first cargo of Brazilian corn left Santos for China on Wednesday.", ("cooperation", "2026-06-10")),
    ("Chinese and Brazilian scientists will set up a joint laboratory in Campinas next year.", ("opening", "2027-01-01")),
    ("A Chinese navy flotilla called at Rio de Janeiro on Sunday.", ("cooperation", "2026-06-07")),
    ("BYD was fined 300,000 reais by Brazilian labour inspectors in January.", ("legal", "2026-01-01")),
])
def test_a_first_cargo_leaving_a_laboratory_set_up_a_port_call_and_a_fine(sentence, expected):
    assert expected in kinds_and_dates("Brazil and China held talks on Friday. " + sentence, published=dt.date(2026, 6, 12))


@pytest.mark.parametrize("text, language, expected", [
    ("Việt Nam và Hàn Quốc hội đàm hôm thứ Sáu. Tàu hải quân Hàn Quốc đã cập cảng Cam Ranh hôm Chủ nhật.", "vi",
     ("cooperation", "2026-06-07")),
    ("Việt Nam và Hàn Quốc hội đàm hôm thứ Sáu. Công ty Hàn Quốc bị phạt 500 triệu đồng vào tháng 1.", "vi",
     ("legal", "2026-01-01")),
    ("양국 정상은 어제 회담을 열었다. 첫 수출 물량은 지난 10일 부산항을 떠났다.", "ko", ("cooperation", "2026-06-10")),
    ("양국 정상은 어제 회담을 열었다. 한국 해군 함정이 지난 7일 깜라인항에 입항했다.", "ko", ("cooperation", "2026-06-07")),
])
def test_vietnamese_and_korean_port_calls_fines_and_a_first_cargo_leaving(text, language, expected):
    assert expected in kinds_and_dates(text, published=dt.date(2026, 6, 12), language=language)


def test_vietnamese_an_investment_announced_is_a_deal_not_a_bare_figure():
    text = "Việt Nam và Hàn Quốc hội đàm hôm thứ Sáu. Samsung cho biết hôm thứ Ba sẽ đầu tư thêm 2 tỷ USD vào nhà máy tại Bắc Ninh."
    assert ("deal", "2026-06-09") in kinds_and_dates(text, published=dt.date(2026, 6, 12), language="vi")


@pytest.mark.parametrize("sentence, kinds", [
    ("Orvane and Kestrel announced a strategic partnership on Monday.", {"agreement"}),
    ("Orvane renewed its distribution deal with Kestrel last month.", {"agreement", "deal"}),
    ("The deal closed on Thursday.", {"deal"}),
    ("Orvane unveiled a joint chip with Kestrel at a Seoul trade show on Tuesday.", {"cooperation"}),
])
def test_company_partnerships_announced_deals_renewed_or_closed_and_joint_products_unveiled(sentence, kinds):
    found = kinds_and_dates("Orvane and Kestrel held talks on Friday. " + sentence, published=dt.date(2026, 6, 12))
    assert {k for k, d in found if d != "2026-06-12"} & kinds, found


@pytest.mark.parametrize("sentence, expected", [
    ("The foreign ministers exchanged views on the South China Sea on Wednesday.", ("meeting", "2026-06-10")),
    ("Japan's ambassador presented his credentials to the Vietnamese president in January.", ("meeting", "2026-01-01")),
    ("Japan will dispatch 30 experts to Vietnam next month.", ("cooperation", "2026-07-01")),
])
def test_views_exchanged_credentials_presented_and_experts_dispatched(sentence, expected):
    assert expected in kinds_and_dates("Vietnam and Japan held talks on Friday. " + sentence, published=dt.date(2026, 6, 12))


@pytest.mark.parametrize("sentence, expected", [
    ("Hai Bộ trưởng đã trao đổi ý kiến về tình hình Biển Đông hôm thứ Tư.", ("meeting", "2026-06-10")),
    ("Đại sứ Nhật Bản trình Quốc thư lên Chủ tịch nước vào tháng 1.", ("meeting", "2026-01-01")),
    ("Nhật Bản sẽ cử 30 chuyên gia sang Việt Nam vào tháng tới.", ("cooperation", "2026-07-01")),
    ("Vietnam Airlines nối lại đường bay thẳng tới Fukuoka từ thứ Hai.", ("opening", "2026-06-15")),  # from (next) Monday
    ("Nhật Bản gửi 200 tấn gạo cứu trợ miền Trung vào tháng 10 năm ngoái.", ("cooperation", "2025-10-01")),
    ("Lễ động thổ nhà máy diễn ra sáng thứ Tư.", ("opening", "2026-06-10")),
])
def test_vietnamese_views_exchanged_credentials_experts_sent_flights_resumed_relief_and_groundbreaking(sentence, expected):
    found = kinds_and_dates("Việt Nam và Nhật Bản hội đàm hôm thứ Sáu. " + sentence, published=dt.date(2026, 6, 12),
                            language="vi")
    assert expected in found, found


@pytest.mark.parametrize("sentence, expected", [
    ("양국 외교장관은 지난 10일 한반도 정세에 대해 의견을 교환했다.", ("meeting", "2026-06-10")),
    ("주한 대사는 지난 1월 대통령에게 신임장을 제정했다.", ("meeting", "2026-01-01")),
    ("정부는 다음 달 전문가 30명을 베트남에 파견한다.", ("cooperation", "2026-07-01")),
    ("베트남항공은 지난 8일 인천-다낭 노선 운항을 재개했다.", ("opening", "2026-06-08")),
    ("공장 기공식은 지난 10일 열렸다.", ("opening", "2026-06-10")),
])
def test_korean_views_exchanged_credentials_experts_sent_flights_resumed_and_ceremonies(sentence, expected):
    found = kinds_and_dates("양국 정상은 어제 회담을 열었다. " + sentence, published=dt.date(2026, 6, 12), language="ko")
    assert expected in found, found


def test_a_rank_as_trading_partner_is_a_figure_and_payments_settled_are_no_legal_settlement():
    lead = "India and the UAE held talks on Friday. "
    found = kinds_and_dates(lead + "The UAE was India's third-largest trading partner in 2024.", published=dt.date(2026, 6, 12))
    assert ("statistic", "2024-01-01") in found, found
    found = kinds_and_dates(lead + "The volume of rupee-dirham settlements doubled in the first quarter.",
                            published=dt.date(2026, 6, 12))
    assert ("statistic", "2026-01-01") in found and not any(k == "legal" for k, _ in found), found


def test_a_happening_supposed_or_undecided_is_not_told():
    lead = "Vietnam and Japan held talks on Friday. "
    assert not any(d.startswith("2028") for _k, d in kinds_and_dates(
        lead + "If the deal goes ahead, construction could start in 2028.", published=dt.date(2026, 6, 12)))
    found = kinds_and_dates(lead + "The ministry said it had not yet decided whether to sign the agreement this year.",
                            published=dt.date(2026, 6, 12))
    assert not any(k == "agreement" for k, _ in found), found
    assert ("opening", "2028-01-01") in kinds_and_dates(lead + "Construction will start in 2028.",
                                                         published=dt.date(2026, 6, 12))


def test_vietnamese_and_korean_conditionals_and_a_firms_own_founding_are_no_happenings():
    lead_vi = "Việt Nam và Nhật Bản hội đàm hôm thứ Sáu. "
    vi = lambda t: kinds_and_dates(lead_vi + t, published=dt.date(2026, 6, 12), language="vi")  # noqa: E731
    assert not any(d.startswith("2028") for _k, d in vi("Nếu dự án được phê duyệt, nhà máy có thể khởi công vào năm 2028."))
    assert not any(d.startswith("1995") for _k, d in vi("Công ty được thành lập năm 1995 tại Hà Nội."))
    assert ("opening", "2019-01-01") in vi("Công ty liên doanh giữa hai tập đoàn được thành lập năm 2019.")
    assert ("opening", "2028-01-01") in vi("Nhà máy sẽ khởi công vào năm 2028.")
    ko = kinds_and_dates("양국 정상은 어제 회담을 열었다. 사업이 승인되면 공장은 2028년 착공할 수 있다.",
                         published=dt.date(2026, 6, 12), language="ko")
    assert not any(d.startswith("2028") for _k, d in ko), ko


def test_korean_a_memorandum_exchanged_at_the_talks_takes_their_day():
    found = kinds_and_dates("양국 정상은 어제 회담을 열었다. 이 자리에서 양국 장관은 에너지 협력 MOU를 교환했다.",
                            published=dt.date(2026, 6, 12), language="ko")
    assert ("agreement", "2026-06-11") in found, found


def test_an_upgrade_of_two_countries_stays_a_milestone_when_a_firm_is_named_beside_them():
    text = "Vietnam and South Korea, home of Samsung Electronics, established diplomatic relations in 1992."
    assert ("milestone", "1992-01-01") in kinds_and_dates(text, published=dt.date(2026, 6, 12))
