"""The brief's document model and its Qt-free writers (DOCX, Markdown, HTML, citations), read back as a reader
would: python-docx for Word (real footnotes pointing at the right sentences), html5lib for HTML, JSON/BibTeX/RIS
parsers for the sources."""

import base64
import io
import json
import re
import struct
import subprocess
import sys
import zlib

import pytest

from partnership_explorer.core import curation
from partnership_explorer.core.brief import build_brief, format_date
from partnership_explorer.core.brief_writers import bibtex, csl_json, render_html, render_markdown, ris
from partnership_explorer.core.query import EventFilter, list_events
from partnership_explorer.core.store import Store


def tiny_png(w=40, h=24) -> bytes:
    """A valid grey PNG written by hand (the Qt-free tests have no renderer)."""
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * w for _ in range(h))

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture
def curated(seed_copy):
    """The seed database with one event confirmed, one edited, one rejected."""
    with Store(seed_copy) as s:
        events = list_events(s, EventFilter())
        by_title = {e["title"]: e["id"] for e in events}
        ids = [e["id"] for e in events]
        curation.confirm(s, ids[0])
        curation.edit(s, ids[1], title="Trade in 1992: half a billion dollars")
        curation.reject(s, ids[2])
    return seed_copy, ids, by_title


def test_model_orders_marks_and_counts(curated):
    path, ids, _ = curated
    with Store(path) as s:
        b = build_brief(s, title="Test brief")
        all_events = list_events(s, EventFilter())
    assert b.title == "Test brief"
    assert ids[2] not in [e.id for e in b.events]  # rejected: left out...
    assert b.rejected_left_out == 1  # ...and counted
    assert len(b.events) == len(all_events) - 1
    starts = [(e.start, e.end) for e in b.events]
    assert starts == sorted(starts)
    marks = {e.id: e.mark for e in b.events}
    assert marks[ids[0]] == "confirmed" and marks[ids[1]] == "edited"
    assert b.unreviewed == len(b.events) - 2
    assert f"{b.unreviewed} extracted automatically and not yet reviewed" in b.summary()
    assert "1 rejected event is left out" in b.summary()
    # one numbered note per supporting sentence, numbered in reading order
    assert [n.number for n in b.notes] == list(range(1, len(b.notes) + 1))
    sources = {e["id"]: [x["sentence"] for x in e["sources"]] for e in all_events}
    for e in b.events:
        assert [n.sentence for n in e.notes] == sources[e.id]
    cited = {n.article.document_id for n in b.notes}
    assert {a.document_id for a in b.bibliography} == cited
    assert len({a.key for a in b.bibliography}) == len(b.bibliography)


def test_dates_as_precise_as_known():
    assert format_date("2025-08-12", "day") == "12 August 2025"
    assert format_date("2022-12", "month") == "December 2022"
    assert format_date("1992", "year") == "1992"


def test_filters_apply(seed_db):
    with Store(seed_db) as s:
        b = build_brief(s, EventFilter(sectors=("energy",)))
    assert b.events and all("Energy & nuclear" in e.sectors for e in b.events)
    assert b.subtitle.lower().startswith("sector")


def _footnote_ids(paragraph):
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return [int(r.get(w + "id")) for r in paragraph._p.iter(w + "footnoteReference")]


def test_docx_has_figure_events_and_real_footnotes(curated):
    docx = pytest.importorskip("docx")
    from partnership_explorer.core.brief_docx import read_footnotes, render_docx

    path, ids, _ = curated
    with Store(path) as s:
        b = build_brief(s, title="Docx brief")
        truth = {e["id"]: e for e in list_events(s, EventFilter())}
    doc = docx.Document(io.BytesIO(render_docx(b, tiny_png())))
    assert doc.core_properties.title == "Docx brief"
    assert len(doc.inline_shapes) == 1  # the figure
    notes = read_footnotes(doc)
    assert sorted(notes) == list(range(1, len(b.notes) + 1))
    paragraphs = [p for p in doc.paragraphs if _footnote_ids(p)]
    assert len(paragraphs) == len(b.events)
    for p, e in zip(paragraphs, b.events):
        assert e.title in p.text and e.date_label in p.text
        expected = [x["sentence"] for x in truth[e.id]["sources"]]
        got = [notes[i] for i in _footnote_ids(p)]
        assert len(got) == len(expected)
        for sentence, note in zip(expected, got):
            assert sentence.strip() in note  # the footnote quotes the event's own evidence sentence
    marked = [p.text for p in paragraphs if "(confirmed)" in p.text]
    assert len(marked) == 1 and truth[ids[0]]["title"] in marked[0]
    assert all(truth[ids[2]]["title"] not in p.text for p in paragraphs)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "not yet reviewed" in text and "Sources" in text
    for a in b.bibliography:
        assert f"[{a.key}]" in text and a.title in text


def test_markdown_footnotes_and_figure_link(seed_db):
    with Store(seed_db) as s:
        b = build_brief(s)
    md = render_markdown(b, "brief.timeline.png")
    assert "](brief.timeline.png)" in md
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", md))
    defs = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", md, flags=re.M))
    assert refs == set(defs) == {str(n.number) for n in b.notes}
    for n in b.notes:
        assert n.article.title.split()[0] in defs[str(n.number)]
    assert md.count("\n- **") == len(b.events)


def test_html_is_valid_self_contained_and_linked(seed_db):
    html5lib = pytest.importorskip("html5lib")
    with Store(seed_db) as s:
        b = build_brief(s, title="A <b>bold</b> & risky title")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="6"><rect width="10" height="6"/></svg>'
    text = render_html(b, figure_svg=svg)
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(text)  # strict: any parse error raises
    assert tree.find(".//title").text == "A <b>bold</b> & risky title"  # escaped, not markup
    assert not tree.findall(".//script") and "http" not in re.sub(r'xmlns="[^"]+"', "", text).split("<body>")[1]
    img = tree.find(".//figure/img")
    assert base64.b64decode(img.get("src").split(",", 1)[1]) == svg
    ids = {el.get("id") for el in tree.iter() if el.get("id")}
    links = [a.get("href")[1:] for a in tree.iter("a") if (a.get("href") or "").startswith("#")]
    assert links and all(target in ids for target in links)
    for n in b.notes:
        li = tree.find(f".//li[@id='note-{n.number}']")
        assert n.sentence.strip() in "".join(li.itertext())
    assert len(tree.findall(".//ol[@class='events']/li")) == len(b.events)


def test_citations_parse_back(seed_db):
    with Store(seed_db) as s:
        b = build_brief(s)
    items = json.loads(csl_json(b))
    assert [i["id"] for i in items] == [a.key for a in b.bibliography]
    assert all(i["type"] == "article-newspaper" and i["title"] for i in items)
    dated = [i for i in items if "issued" in i]
    assert dated and all(isinstance(p, int) for i in dated for p in i["issued"]["date-parts"][0])
    bib = bibtex(b)
    assert re.findall(r"^@article\{([^,]+),", bib, flags=re.M) == [a.key for a in b.bibliography]
    assert bib.count("{") == bib.count("}")
    records = ris(b).split("ER  - ")
    assert len([r for r in records if "TY  - NEWS" in r]) == len(b.bibliography)
    for a in b.bibliography:
        assert f"TI  - {a.title}" in ris(b)


def test_bibtex_escapes_specials(seed_copy):
    with Store(seed_copy) as s:
        s.execute("UPDATE documents SET title = 'R&D: 50% up {fast}_now', outlet = 'A & B' WHERE id = 1")
        b = build_brief(s)
    bib = bibtex(b)
    assert r"R\&D: 50\% up \{fast\}\_now" in bib and r"A \& B" in bib


def test_brief_modules_import_no_qt():
    code = ("import sys, partnership_explorer.core.brief, partnership_explorer.core.brief_writers, "
            "partnership_explorer.core.brief_docx, partnership_explorer.core.snapshots, "
            "partnership_explorer.core.sidecar; sys.exit(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_control_characters_and_long_text_do_not_break_docx_or_html(seed_copy):
    docx = pytest.importorskip("docx")
    html5lib = pytest.importorskip("html5lib")
    from partnership_explorer.core.brief_docx import read_footnotes, render_docx

    with Store(seed_copy) as s:
        s.execute("UPDATE event_sources SET sentence = 'Signed\x0c on a \x01form feed\x7f day.' WHERE id = 1")
        s.execute("UPDATE documents SET title = ? WHERE id = 1", ["A very long title " * 30])
        b = build_brief(s, title="T\x00itle " + "x" * 300)
    doc = docx.Document(io.BytesIO(render_docx(b, tiny_png())))
    assert any("Signed  on a  form feed  day." in t for t in read_footnotes(doc).values())
    html5lib.HTMLParser(strict=True).parse(render_html(b))


def test_a_week_reads_as_the_week_of_its_monday():
    from partnership_explorer.core.brief import event_date_label

    assert format_date("2025-W16", "week") == "week of 14 April 2025"
    assert format_date("2025-W99", "week") == "2025-W99"  # a hand-edited value is shown as stored
    assert event_date_label({"date": "2025-W16", "precision": "week", "is_range": False, "start": "2025-04-14",
                             "end": "2025-04-20"}) == "week of 14 April 2025"
    assert event_date_label({"date": "2025-04", "precision": "week", "is_range": True, "start": "2025-04-14",
                             "end": "2025-04-27"}) == "week of 14 April 2025 – week of 21 April 2025"
