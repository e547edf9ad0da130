"""`partnership-explorer brief` and reproducible exports from the command line: each format opened by its reader
(pdftotext for PDF, python-docx, html5lib), the figure inside, sidecars that re-render the same picture."""

import base64
import json
import re
import shutil
import subprocess
import unicodedata

import pytest

from partnership_explorer.core import curation
from partnership_explorer.core.query import EventFilter, list_events
from partnership_explorer.core.store import Store
from test_cli import cli


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()  # NFKC: the "fi" ligature of PDF text


def _seed_truth(db):
    with Store(db) as s:
        return [e for e in list_events(s, EventFilter()) if e["status"] != "rejected"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_pdf_brief_text_figure_and_notes(seed_db, tmp_path):
    out = tmp_path / "brief.pdf"
    r = cli("brief", "--out", str(out), "--title", "Seed brief", db=seed_db)
    assert r.returncode == 0, r.stderr
    assert f"wrote {out}" in r.stdout
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r" ?Seed brief \d+ / \d+ ?", " ", _norm(text))  # page footers
    head, _, rest = flat.partition(" Events ")
    assert "Seed brief" in head and "not yet reviewed" in head
    # the figure is vector: its lane names and era labels are text on page 1, before the event list
    assert "Semiconductors" in head and "Diplomatic relations 1992" in head
    events = _seed_truth(seed_db)
    for e in events:
        assert _norm(e["title"]) in flat
    notes = flat.split(" Notes ", 1)[1]
    for e in events:
        for src in e["sources"]:
            assert _norm(src["sentence"])[:60] in notes
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+[2-9]", info) and "(A4)" in info  # A4, several pages


def test_docx_brief_figure_at_print_resolution(seed_db, tmp_path):
    docx = pytest.importorskip("docx")
    from PySide6.QtGui import QImage

    out = tmp_path / "brief.docx"
    r = cli("brief", "--out", str(out), db=seed_db)
    assert r.returncode == 0, r.stderr
    doc = docx.Document(str(out))
    assert len(doc.inline_shapes) == 1
    blob = doc.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    part = doc.part.related_parts[blob]
    img = QImage.fromData(part.blob)
    assert (img.width(), img.height()) == (2000, 1200) and round(img.dotsPerMeterX() * 0.0254) == 300


def test_html_brief_valid_with_inline_svg_figure(seed_db, tmp_path):
    html5lib = pytest.importorskip("html5lib")
    out = tmp_path / "brief.html"
    r = cli("brief", "--out", str(out), db=seed_db)
    assert r.returncode == 0, r.stderr
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(out.read_text(encoding="utf-8"))
    src = tree.find(".//figure/img").get("src")
    assert src.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(src.split(",", 1)[1]).decode()
    assert "<svg" in svg and "Semiconductors" in svg


def test_markdown_brief_with_side_figure_and_citations(seed_db, tmp_path):
    out = tmp_path / "brief.md"
    bib = tmp_path / "sources.bib"
    csl = tmp_path / "sources.json"
    r = cli("brief", "--out", str(out), "--citations", str(bib), db=seed_db)
    assert r.returncode == 0, r.stderr
    side = tmp_path / "brief.timeline.png"
    assert side.exists() and side.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "](brief.timeline.png)" in out.read_text(encoding="utf-8")
    assert bib.read_text(encoding="utf-8").count("@article{") == 5
    r = cli("brief", "--citations", str(csl), db=seed_db)  # citations alone: no figure, no brief
    assert r.returncode == 0, r.stderr
    assert len(json.loads(csl.read_text(encoding="utf-8"))) == 5


@pytest.mark.parametrize("args, message", [
    ((), "nothing to write"),
    (("--out", "brief.odt"), "unknown brief format"),
    (("--citations", "x.txt"), "unknown citation format"),
    (("--out", "nofolder/brief.pdf"), "no such folder"),
    (("--out", "b.pdf", "--since", "never-saved"), "no snapshot named 'never-saved'"),
])
def test_brief_bad_input_one_line(seed_db, tmp_path, args, message):
    r = cli("brief", *args, db=seed_db, cwd=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "b.pdf").exists()


def test_brief_since_snapshot_names_the_change(seed_copy, tmp_path):
    assert cli("snapshot", "save", "march", db=seed_copy).returncode == 0
    with Store(seed_copy) as s:
        first = list_events(s, EventFilter())[0]
        curation.confirm(s, first["id"])
    out = tmp_path / "brief.md"
    r = cli("brief", "--out", str(out), "--since", "march", db=seed_copy)
    assert r.returncode == 0, r.stderr
    md = out.read_text(encoding="utf-8")
    section = md.split("## Changes since “march”", 1)[1].split("## Events", 1)[0]
    assert "**Confirmed**" in section and first["title"] in section
    assert section.count("\n- ") == 1


# -- reproducible figures -------------------------------------------------------------------------------------------
def _pixels(path):
    from PySide6.QtGui import QImage

    img = QImage(str(path))
    assert not img.isNull()
    return img.width(), img.height(), bytes(img.constBits())


def test_export_sidecar_round_trip_pixel_equal(seed_copy, tmp_path):
    png = tmp_path / "fig.png"
    r = cli("export", "--out", str(png), "--sector", "energy", "--width", "900", "--height", "500", "--sidecar",
            db=seed_copy)
    assert r.returncode == 0, r.stderr
    car = tmp_path / "fig.png.pe.json"
    data = json.loads(car.read_text())
    assert data["format"] == "partnership-explorer/sidecar" and data["size"] == [900, 500]
    assert data["filters"]["sectors"] == ["energy"] and data["fingerprint"].startswith("sha256:")
    assert data["events"] and data["database"] == str(seed_copy.resolve())
    again = tmp_path / "again.png"
    r = cli("export", "--from", str(car), "--out", str(again))  # the database comes from the sidecar
    assert r.returncode == 0, r.stderr
    assert "changed" not in r.stderr
    assert _pixels(png) == _pixels(again)

    # one curation change: said, the current state rendered; --strict refuses
    event_id = int(next(iter(data["events"])))
    with Store(seed_copy) as s:
        curation.reject(s, event_id)  # drawn hollow from now on
    r = cli("export", "--from", str(car), "--out", str(again))
    assert r.returncode == 0, r.stderr
    assert f"1 event changed ({event_id})" in r.stderr and "rendering the current state" in r.stderr
    assert _pixels(png) != _pixels(again)
    before = again.read_bytes()
    r = cli("export", "--from", str(car), "--out", str(again), "--strict")
    assert r.returncode == 2 and f"1 event changed ({event_id})" in r.stderr
    assert again.read_bytes() == before


@pytest.mark.parametrize("content, message", [
    ("not json at all", "not a sidecar (not JSON)"),
    ('{"title": "a TimelineJS file"}', "not a Partnership Explorer sidecar"),
    ('{"format": "partnership-explorer/sidecar", "version": 7, "app_version": "9.0", "database": "x"}',
     "written by a newer version of Partnership Explorer"),
    ('{"format": "partnership-explorer/sidecar", "version": 1, "kind": "image", "database": "/no/such/x.db"}',
     "does not exist"),
    ('{"format": "partnership-explorer/sidecar", "version": 1, "size": "big", "database": "x"}', "damaged sidecar"),
])
def test_bad_sidecars_one_line(tmp_path, content, message):
    car = tmp_path / "x.pe.json"
    car.write_text(content)
    r = cli("export", "--from", str(car), "--out", str(tmp_path / "x.png"))
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.png").exists()


def test_dump_sidecar_records_the_events(seed_db, tmp_path):
    out = tmp_path / "events.csv"
    r = cli("dump", "--format", "csv", "--out", str(out), "--sector", "trade", "--sidecar", db=seed_db)
    assert r.returncode == 0, r.stderr
    car = json.loads((tmp_path / "events.csv.pe.json").read_text())
    import csv

    with open(out, newline="", encoding="utf-8") as fh:
        ids = {int(row["id"].removeprefix("pe-")) for row in csv.DictReader(fh)}
    assert car["kind"] == "dump" and {int(k) for k in car["events"]} == ids
    r = cli("export", "--from", str(tmp_path / "events.csv.pe.json"), "--out", str(tmp_path / "x.png"))
    assert r.returncode == 2 and "describes a dump, not an image" in r.stderr


def test_a_brief_figure_draws_the_indicator_rows_automatic_choice(seed_db, tmp_path, monkeypatch):
    """A database of many series: the brief's figure draws the few the window's row would, not all of them."""
    import datetime as dt

    from partnership_explorer.core import indicators as ind
    from partnership_explorer.qt import brief_export

    def many(store, flt=None, **kw):
        return [ind.Series(f"trade|{k}", "trade", f"Trade, series {k}", "USD", True, None, "A", f"B{k}", False,
                           [ind.Point("2024", "year", dt.date(2024, 1, 1), dt.date(2024, 12, 31), 1.0 + k, False,
                                      [f"${1 + k} billion"], [1], [])]) for k in range(30)]

    drawn = []
    real = brief_export.figure_from_timeline
    monkeypatch.setattr(brief_export, "load_series", many)
    monkeypatch.setattr(brief_export, "figure_from_timeline",
                        lambda data, *a, indicators=(), **kw: (drawn.append(len(indicators)),
                                                               real(data, *a, indicators=indicators, **kw))[1])
    with Store(seed_db, readonly=True) as store:
        brief_export.write_brief(store, tmp_path / "b.html")
    assert drawn == [ind.AUTO_SERIES]
