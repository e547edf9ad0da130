"""Re-ingesting: unchanged files are a no-op, changed files replace their own extraction only, and user
decisions (reject, edit, merge, manual events) survive."""

import unicodedata

import pytest

from partnership_explorer.core import curation
from partnership_explorer.core.ingest import ingest_paths
from partnership_explorer.core.query import EventFilter, count_events, list_events

SEED_004 = "004_1d330e7e8ca98846.txt"


def _by_title(store, needle):
    return [e for e in list_events(store, EventFilter()) if needle.lower() in e["title"].lower()]


def test_unchanged_reingest_changes_nothing(store, seeds_folder):
    ingest_paths(store, [seeds_folder])
    snapshot = [(e["id"], e["title"], e["date"], len(e["sources"])) for e in list_events(store, EventFilter())]
    report = ingest_paths(store, [seeds_folder])
    assert report.unchanged == 5 and report.new == 0 and report.events_created == 0
    assert [(e["id"], e["title"], e["date"], len(e["sources"])) for e in list_events(store, EventFilter())] == snapshot


def test_changed_file_replaces_only_its_own_extraction(store, seeds_folder):
    ingest_paths(store, [seeds_folder])
    other_docs_sources = store.execute(
        "SELECT count(*) FROM event_sources s JOIN documents d ON d.id = s.document_id WHERE d.file_name != ?",
        [SEED_004]).fetchone()[0]
    path = seeds_folder / SEED_004
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("originally signed in 2010", "originally signed in 2009"), encoding="utf-8")
    report = ingest_paths(store, [seeds_folder])
    assert report.updated == 1 and report.unchanged == 4
    dates = {e["date"] for e in list_events(store, EventFilter()) if "defen" in e["title"].lower()
             or any("defense cooperation" in s["sentence"] for s in e["sources"])}
    assert "2009" in dates and "2010" not in dates
    assert store.execute(
        "SELECT count(*) FROM event_sources s JOIN documents d ON d.id = s.document_id WHERE d.file_name != ?",
        [SEED_004]).fetchone()[0] == other_docs_sources


def test_rejected_event_is_not_resurrected_and_edits_are_kept(store, seeds_folder):
    ingest_paths(store, [seeds_folder])
    nuclear = [e for e in list_events(store, EventFilter()) if e["date"] == "2011"][0]
    relations = [e for e in list_events(store, EventFilter()) if e["date"] == "1992"][0]
    curation.reject(store, nuclear["id"])
    curation.edit(store, relations["id"], title="Seoul and Hanoi establish ties", sectors=["diplomacy", "trade"])
    path = seeds_folder / SEED_004
    path.write_text(path.read_text(encoding="utf-8") + "\nA closing line added by the editor.\n", encoding="utf-8")
    ingest_paths(store, [seeds_folder])
    again = [e for e in list_events(store, EventFilter()) if e["date"] == "2011"]
    assert len(again) == 1 and again[0]["status"] == "rejected" and again[0]["id"] == nuclear["id"]
    visible = list_events(store, EventFilter(show_rejected=False))
    assert nuclear["id"] not in {e["id"] for e in visible}
    rel = store.event(relations["id"])
    assert rel["title"] == "Seoul and Hanoi establish ties" and rel["status"] == "edited"
    keys = {r[0] for r in store.execute("SELECT sector_key FROM event_sectors WHERE event_id = ?", [relations["id"]])}
    assert keys == {"diplomacy", "trade"}


def test_merge_survives_reingest(store, seeds_folder):
    ingest_paths(store, [seeds_folder])
    events = list_events(store, EventFilter())
    talks = [e for e in events if e["kind"] == "meeting" and e["date"].startswith("2025-04")]
    visit = [e for e in events if e["kind"] == "visit" and e["date"].startswith("2025-04")]
    assert talks and visit
    curation.merge(store, talks[0]["id"], visit[0]["id"])
    n = count_events(store)
    path = seeds_folder / SEED_004
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    ingest_paths(store, [seeds_folder])
    assert count_events(store) == n
    assert store.event(visit[0]["id"])["status"] == "merged"
    kept = [e for e in list_events(store, EventFilter()) if e["id"] == talks[0]["id"]][0]
    assert len(kept["sources"]) >= 2


def test_manual_event_is_kept_and_listed(store, seeds_folder):
    ingest_paths(store, [seeds_folder])
    curation.add_manual_event(store, title="Korea–Vietnam FTA signed", date="2015-05-05",
                              sectors=["trade"], entities=["Vietnam", "South Korea"])
    ingest_paths(store, [seeds_folder])
    manual = [e for e in list_events(store, EventFilter(sectors=("trade",))) if e["status"] == "manual"]
    assert [m["date"] for m in manual] == ["2015-05-05"]


def test_document_is_all_or_nothing(store, seeds_folder, monkeypatch):
    import partnership_explorer.core.ingest as ingest_mod

    calls = {"n": 0}
    real = ingest_mod.attach_candidate

    def flaky(store_, doc_id, cand, *rest):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk unplugged")
        return real(store_, doc_id, cand, *rest)

    monkeypatch.setattr(ingest_mod, "attach_candidate", flaky)
    failed = ingest_paths(store, [seeds_folder / SEED_004]).failed  # reported, and nothing of it stored
    assert len(failed) == 1 and "RuntimeError: disk unplugged" in failed[0][1]
    assert store.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert store.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert store.execute("SELECT count(*) FROM event_sources").fetchone()[0] == 0
    monkeypatch.setattr(ingest_mod, "attach_candidate", real)
    report = ingest_paths(store, [seeds_folder / SEED_004])
    assert report.new == 1 and count_events(store) > 5


def _windows_vietnamese(text: str) -> bytes:
    """cp1258 as Windows writes it: base letters precomposed, tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + "".join(c for c in decomposed if c in tones))
    return "".join(out).encode("cp1258")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252", "cp1258"])
def test_encodings_end_to_end(store, tmp_path, encoding):
    text = ("Hà Nội — Vietnam’s Minister Nguyễn Mạnh Hùng met Korean officials on 12 August 2025 "
            "to sign an MoU on semiconductors.\n")
    if encoding == "cp1252":
        text = text.replace("Hà Nội", "Hanoi").replace("Nguyễn Mạnh Hùng", "Nguyen Manh Hung")
    f = tmp_path / f"article-{encoding}.txt"
    f.write_bytes(_windows_vietnamese(text) if encoding == "cp1258" else text.encode(encoding))
    report = ingest_paths(store, [f])
    assert report.ok, report.failed
    doc = store.db["documents"].get(1)
    assert ("Nguyễn Mạnh Hùng" in doc["text"]) or encoding == "cp1252"
    assert any(e["date"] == "2025-08-12" for e in list_events(store, EventFilter()))


def test_html_article_is_reduced_to_its_text_and_dated_from_metadata(store, tmp_path):
    page = tmp_path / "visit.html"
    page.write_text(
        """<!doctype html><html lang="en"><head><title>Minister visits Seoul</title>
        <meta property="article:published_time" content="2025-02-20T08:00:00+07:00">
        <meta property="og:site_name" content="Example News"></head>
        <body><nav><a href="/">Home</a> | <a href="javascript:alert(1)">Login</a></nav>
        <script>document.write('Samsung opened a plant on 1 January 2001')</script>
        <iframe src="http://tracker.invalid/x"></iframe><img src="http://tracker.invalid/pixel.gif">
        <article><h1>Minister visits Seoul</h1>
        <p>Vietnam's Minister of Industry and Trade Nguyen Hong Dien visited Seoul on Monday to discuss nuclear
        power cooperation with his South Korean counterpart Ahn Duk-geun.</p>
        <p>The two ministers signed a memorandum of understanding on LNG supply on the same day.</p>
        <p>Bilateral trade reached $86.7 billion in 2024, according to the ministry.</p></article>
        <footer>Contact us</footer></body></html>""",
        encoding="utf-8",
    )
    report = ingest_paths(store, [page])
    assert report.ok, report.failed
    doc = store.db["documents"].get(1)
    assert doc["published"] == "2025-02-20" and doc["published_source"] == "html-metadata"
    assert doc["title"] == "Minister visits Seoul" and doc["outlet"] == "Example News"
    assert "document.write" not in doc["text"] and "alert" not in doc["text"] and "Contact us" not in doc["text"]
    events = {(e["date"], e["kind"]) for e in list_events(store, EventFilter())}
    assert ("2025-02-17", "visit") in events
    assert ("2025-02-17", "agreement") in events
    assert ("2024", "statistic") in events
    assert not any(d.startswith("2001") for d, _ in events)


def test_markdown_with_front_matter(store, tmp_path):
    md = tmp_path / "note.md"
    md.write_text("---\ntitle: Forum note\ndate: 2025-10-30\n---\n# Forum note\n\n"
                  "On October 29, the Vietnam-Korea Digital Forum 2025 opened in Hanoi.\n", encoding="utf-8")
    report = ingest_paths(store, [md])
    assert report.ok, report.failed
    assert [e["date"] for e in list_events(store, EventFilter())] == ["2025-10-29"]
