"""Vietnamese and Korean articles: explicit dates right, events found, entities resolved to the gazetteer."""

import pytest

from partnership_explorer.core.ingest import ingest_paths
from partnership_explorer.core.query import EventFilter, list_events

VI = """Việt Nam và Hàn Quốc ký biên bản ghi nhớ về hợp tác bán dẫn

Hà Nội, ngày 15 tháng 3 năm 2025 — Bộ Khoa học và Công nghệ Việt Nam đã ký biên bản ghi nhớ về hợp tác trong lĩnh vực bán dẫn với các đối tác Hàn Quốc.
Hai nước thiết lập quan hệ ngoại giao năm 1992 và nâng cấp quan hệ lên Đối tác Chiến lược Toàn diện vào tháng 12 năm 2022.
Tổng Bí thư Tô Lâm có chuyến thăm Hàn Quốc vào tháng 8/2025.
"""

KO = """한-베트남 반도체 협력 양해각서 체결

한국과 베트남은 1992년 수교했으며, 2022년 12월 포괄적 전략적 동반자 관계로 격상했다.
과학기술정보통신부는 2025년 8월 12일 베트남 과학기술부와 양해각서를 체결했다.
또 럼 서기장은 2025년 8월 한국을 국빈 방문했다.
"""


@pytest.fixture
def events(store, tmp_path):
    (tmp_path / "vi.txt").write_text(VI, encoding="utf-8")
    (tmp_path / "ko.txt").write_text(KO, encoding="utf-8")
    report = ingest_paths(store, [tmp_path / "vi.txt", tmp_path / "ko.txt"])
    assert report.ok, report.failed
    return list_events(store, EventFilter())


def _docs(e):
    return {s["document"] for s in e["sources"]}


def test_languages_detected(store, events):
    langs = {r["file_name"]: r["language"] for r in store.db["documents"].rows}
    assert langs == {"vi.txt": "vi", "ko.txt": "ko"}


def test_milestones_from_both_languages_merge_with_right_dates(events):
    by_date = {(e["date"], e["kind"]): e for e in events}
    relations = by_date[("1992", "milestone")]
    upgrade = by_date[("2022-12", "milestone")]
    assert "diplomatic relations" in relations["title"].lower()
    assert "comprehensive strategic partnership" in upgrade["title"].lower()
    assert _docs(relations) == _docs(upgrade) == {"vi.txt", "ko.txt"}
    assert "diplomacy" in relations["sectors"]


def test_visit_and_mou_dates(events):
    visit = [e for e in events if e["kind"] == "visit"]
    assert len(visit) == 1 and visit[0]["date"] == "2025-08" and _docs(visit[0]) == {"vi.txt", "ko.txt"}
    assert "To Lam" in {x["name"] for x in visit[0]["entities"]}
    mou = [e for e in events if e["kind"] == "agreement" and e["date"] == "2025-08-12"]
    assert len(mou) == 1 and mou[0]["title"].startswith("MoU")
    vi_mou = [e for e in events if e["kind"] == "agreement" and e["date"] == "2025-03-15"]
    assert len(vi_mou) == 1 and "semiconductors" in vi_mou[0]["sectors"]
