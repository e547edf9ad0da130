"""Tests for partnership_explorer.core.reader (plain pytest, inputs generated in tmp_path)."""

from __future__ import annotations

import codecs
import hashlib
import os
import socket
import struct
import sys
import unicodedata
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership_explorer.core.reader import (
    SUPPORTED_SUFFIXES,
    Document,
    ManifestRow,
    ReadError,
    iter_input_files,
    load_manifest,
    read_document,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_002 = "002_680865e7478d9234.txt"

VI = "Hà Nội, ngày 29 tháng 10 năm 2025 — Việt Nam và Hàn Quốc đã ký kết thỏa thuận hợp tác về khoa học và công nghệ."
EN_SMART = "The minister said “we are ready” — costs rose to €5 million, the company’s CEO noted… Naïve café."
LATIN1 = "Café naïve à Zürich, très bien. Ça coûte cher, déjà vu. Größe ±5 °C."
_TONES = set("\u0300\u0301\u0303\u0309\u0323")


def to_cp1258(text: str) -> bytes:
    """Encode with Python's cp1258 codec, the way Windows writes Vietnamese: tone marks as combining chars."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
            out.append(base + "".join(c for c in decomposed if c in _TONES))
    return "".join(out).encode("cp1258")


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    p.write_bytes(data)
    return p


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)  # recorded as well as refused: a library may swallow the error
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield
    assert attempts == [], "network access attempted"


# ---------------------------------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("text", "data", "encoding"),
    [
        (VI, VI.encode("utf-8"), "utf-8"),
        (VI, codecs.BOM_UTF8 + VI.encode("utf-8"), "utf-8-sig"),
        (VI, codecs.BOM_UTF16_LE + VI.encode("utf-16-le"), "utf-16-le"),
        (VI, codecs.BOM_UTF16_BE + VI.encode("utf-16-be"), "utf-16-be"),
        (EN_SMART, EN_SMART.encode("utf-16-le"), "utf-16-le"),  # no BOM: NULs at odd positions
        (EN_SMART, EN_SMART.encode("utf-16-be"), "utf-16-be"),  # no BOM: NULs at even positions
        (EN_SMART, EN_SMART.encode("cp1252"), "cp1252"),
        (VI, to_cp1258(VI), "cp1258"),
        (LATIN1, LATIN1.encode("latin-1"), None),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp1252", "cp1258", "latin1"],
)
def test_encodings_round_trip(tmp_path, text, data, encoding):
    doc = read_document(write(tmp_path, "a.txt", data))
    assert doc.text == unicodedata.normalize("NFC", text)
    assert not doc.text.startswith("\ufeff")
    if encoding:
        assert doc.encoding == encoding
    assert doc.content_hash == hashlib.sha256(data).hexdigest()


def test_cp1258_gives_correct_vietnamese(tmp_path):
    data = to_cp1258(VI)
    assert "\u0323" in data.decode("cp1258")  # really uses combining tone marks
    doc = read_document(write(tmp_path, "vi.txt", data))
    assert "Hà Nội" in doc.text and "Việt Nam" in doc.text
    assert unicodedata.is_normalized("NFC", doc.text)
    assert doc.language == "vi"


def test_latin1_with_non_cp1252_bytes(tmp_path):
    # 0x81 is undefined in cp1252, so only latin-1 can decode this
    data = "caf\xe9 \x81".encode("latin-1") + b" plain words follow here, enough of them to be text." * 3
    doc = read_document(write(tmp_path, "l.txt", data))
    assert doc.text.startswith("café")


def test_cjk_legacy_encoding(tmp_path):
    korean = "한국과 베트남은 과학기술 협력을 강화하기로 합의했다. 양국 정상은 하노이에서 만났다. " * 3
    doc = read_document(write(tmp_path, "k.txt", korean.encode("euc_kr")))
    assert doc.text == korean
    assert doc.language == "ko"


def test_newlines_and_nfc(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Việt Nam\r\nHà Nội\rend\n")
    doc = read_document(write(tmp_path, "n.txt", decomposed))
    assert doc.text == "Việt Nam\nHà Nội\nend\n"


def test_undecodable(tmp_path):
    # lone UTF-16 surrogate after a BOM: nothing sensible can decode it
    data = codecs.BOM_UTF16_LE + "ok text".encode("utf-16-le") + b"\x00\xd8"
    with pytest.raises(ReadError, match=r"^u\.txt: cannot decode"):
        read_document(write(tmp_path, "u.txt", data))


# ---------------------------------------------------------------------------------------------------- errors


def _png_bytes() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + bytes((x * y) % 256 for x in range(16)) for y in range(16))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_binary_with_text_extension(tmp_path):
    with pytest.raises(ReadError) as err:
        read_document(write(tmp_path, "image.txt", _png_bytes()))
    message = str(err.value)
    assert message.startswith("image.txt:") and "binary" in message and "\n" not in message


def test_binary_control_chars_without_nul(tmp_path):
    data = bytes(range(1, 32)) * 50
    with pytest.raises(ReadError, match="binary"):
        read_document(write(tmp_path, "c.md", data))


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t "])
def test_empty_file(tmp_path, data):
    with pytest.raises(ReadError, match=r"^e\.txt: .*empty"):
        read_document(write(tmp_path, "e.txt", data))


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match=r"^nope\.txt: no such file"):
        read_document(tmp_path / "nope.txt")


def test_folder_is_not_a_file(tmp_path):
    (tmp_path / "d.txt").mkdir()
    with pytest.raises(ReadError, match=r"^d\.txt: "):
        read_document(tmp_path / "d.txt")


def test_too_large(tmp_path):
    p = write(tmp_path, "big.txt", "x" * 2000)
    with pytest.raises(ReadError, match=r"^big\.txt: .*too large"):
        read_document(p, max_bytes=1000)
    assert read_document(p, max_bytes=2000).text == "x" * 2000


def test_unsupported_suffix_in_read_document(tmp_path):
    with pytest.raises(ReadError, match=r"^x\.pdf: unsupported file type"):
        read_document(write(tmp_path, "x.pdf", "%PDF-1.4"))


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, non-root")
def test_unreadable_file(tmp_path):
    p = write(tmp_path, "secret.txt", "text")
    p.chmod(0)
    try:
        with pytest.raises(ReadError, match=r"^secret\.txt: cannot read"):
            read_document(p)
    finally:
        p.chmod(0o644)


def test_read_error_is_one_line(tmp_path):
    with pytest.raises(ReadError) as err:
        read_document(tmp_path / "two\nlines.txt")
    assert "\n" not in str(err.value)


# ---------------------------------------------------------------------------------------------------- HTML

HOSTILE_HTML = """<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>Seoul and Hanoi sign chip pact | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="og:title" content="Seoul and Hanoi sign chip pact">
<meta property="article:published_time" content="2025-04-14T10:30:00+09:00">
<script>alert(1); var secret = "SCRIPT-TEXT";</script>
<script src="http://evil.example/x.js"></script>
<link rel="stylesheet" href="http://evil.example/s.css">
<style>body { color: red } .STYLE-TEXT {}</style>
</head><body>
<nav><a href="/">Home</a> <a href="javascript:alert(2)">Click me</a></nav>
<iframe src="http://evil.example/frame"></iframe>
<article>
<h1>Seoul and Hanoi sign chip pact</h1>
<p>South Korea and Vietnam signed a memorandum of understanding on semiconductor cooperation in Hanoi on Monday,
officials said, opening a new chapter in the comprehensive strategic partnership between the two countries.</p>
<img src="http://evil.example/pixel.gif" onerror="alert(3)">
<p>The agreement covers joint research, training of engineers and supply-chain resilience, and will be reviewed
by a joint committee every year. <a href="javascript:alert(4)">More</a></p>
<p>Both ministers said they expect bilateral trade to reach 150 billion dollars by 2030, and that the pact would
help Vietnamese firms join the supply chains of Korean chipmakers.</p>
</article>
<script>document.write("SCRIPT-TEXT-2")</script>
</body></html>
"""


def test_html_hostile_content_no_network(tmp_path, no_network):
    doc = read_document(write(tmp_path, "page.html", HOSTILE_HTML))
    assert "memorandum of understanding on semiconductor cooperation" in doc.text
    assert "supply chains of Korean chipmakers" in doc.text
    for bad in ("alert", "SCRIPT-TEXT", "STYLE-TEXT", "javascript", "evil.example", "<p>", "<"):
        assert bad not in doc.text
    assert doc.published == "2025-04-14"
    assert doc.published_precision == "day"
    assert doc.published_source == "html-metadata"
    assert doc.outlet == "Example News"
    assert doc.language == "en"
    assert doc.title and "chip pact" in doc.title


def test_html_url_looking_content_is_not_fetched(tmp_path, no_network):
    # htmldate would download a string like this; the reader only ever hands over a parsed tree
    doc = read_document(write(tmp_path, "u.html", "http://example.com/article"))
    assert doc.text == "http://example.com/article"


def test_a_page_date_beats_the_manifest_which_dates_pages_without_one(tmp_path, no_network):
    write(tmp_path, "page.html", HOSTILE_HTML)
    write(tmp_path, "bare.html", f"<html><head><title>T</title></head><body><article>{ARTICLE}</article></body></html>")
    write(tmp_path, "manifest.csv", "file,title,outlet,language,published,published_precision\n"
                                    "page.html,Manifest title,Manifest Outlet,en,2025-04,month\n"
                                    "bare.html,,,en,2025-03,month\n")
    manifest = load_manifest(tmp_path)
    doc = read_document(tmp_path / "page.html", manifest)
    assert (doc.published, doc.published_precision, doc.published_source) == ("2025-04-14", "day", "html-metadata")
    assert doc.title == "Manifest title" and doc.outlet == "Manifest Outlet"  # the manifest still names it
    doc = read_document(tmp_path / "bare.html", manifest)
    assert (doc.published, doc.published_precision, doc.published_source) == ("2025-03", "month", "manifest")


def test_html_short_page_falls_back_to_body(tmp_path, no_network):
    html = ("<html><head><title>Short note</title><script>var x='SCRIPT';</script></head>"
            "<body><p>Korea and Vietnam met.</p><div>Second line here</div></body></html>")
    doc = read_document(write(tmp_path, "short.htm", html))
    assert "Korea and Vietnam met." in doc.text
    assert "SCRIPT" not in doc.text
    assert doc.title == "Short note"


def test_html_without_text(tmp_path):
    html = "<html><head><title>x</title><script>alert(1)</script></head><body><img src='a.png'></body></html>"
    with pytest.raises(ReadError, match=r"^empty\.html: no article text"):
        read_document(write(tmp_path, "empty.html", html))


def test_html_meta_charset_is_honoured(tmp_path):
    body = "<p>" + VI + " " + VI + "</p>"
    html = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"></head>' \
           f"<body><article>{body}</article></body></html>"
    doc = read_document(write(tmp_path, "vi.html", to_cp1258(html)))
    assert "Hà Nội" in doc.text and "Việt Nam" in doc.text
    assert doc.encoding == "cp1258"
    assert doc.language == "vi"


def test_html_lang_and_cp1252_declared_as_latin1(tmp_path):
    text = "<p>Le ministre a déclaré « nous sommes prêts » — un accord de 5 millions d’euros.</p>" * 5
    html = f'<html lang="fr"><head><meta charset="iso-8859-1"></head><body>{text}</body></html>'
    doc = read_document(write(tmp_path, "fr.html", html.encode("cp1252")))
    assert "d’euros" in doc.text and "—" in doc.text
    assert doc.language == "fr"


ARTICLE = ("<p>South Korea and Vietnam signed a memorandum of understanding on semiconductor cooperation, officials "
           "said, opening a new chapter in the partnership. The ministers met again on 2024-03-05 and in 1992.</p>"
           "<p>The agreement covers joint research, training of engineers and supply-chain resilience, and will be "
           "reviewed by a joint committee every year, the two ministries said in a joint statement.</p>")


@pytest.mark.parametrize(
    ("head", "body_extra", "expected"),
    [
        ("", "", (None, None, "unknown")),  # a date inside the article text is not metadata
        ("", '<div class="post-date">Posted 14/04/2025</div>', ("2025-04-14", "day", "html-metadata")),
        ("", '<time datetime="2025-04-14T08:00:00+07:00">14 April</time>', ("2025-04-14", "day", "html-metadata")),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-04-14"}</script>',
         "", ("2025-04-14", "day", "html-metadata")),
        ('<meta name="date" content="2025-04">', "", ("2025-04", "month", "html-metadata")),
        ('<meta property="article:published_time" content="not a date">', "", (None, None, "unknown")),
    ],
    ids=["body-date-only", "date-class", "time-element", "json-ld", "meta-month", "meta-garbage"],
)
def test_html_date_sources(tmp_path, no_network, head, body_extra, expected):
    html = f"<html><head><title>T</title>{head}</head><body>{body_extra}<article>{ARTICLE}</article></body></html>"
    doc = read_document(write(tmp_path, "d.html", html))
    assert (doc.published, doc.published_precision, doc.published_source) == expected
    assert "2024-03-05" in doc.text


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # a later "modified" stamp does not replace the publication date, in whichever order the tags come
        ('<meta property="article:modified_time" content="2025-05-02T10:00:00Z">'
         '<meta property="article:published_time" content="2025-04-14T08:00:00Z">', "2025-04-14"),
        ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", '
         '"dateModified": "2025-06-30", "datePublished": "2025-06-03T07:00:00+02:00"}</script>', "2025-06-03"),
        ('<meta name="dcterms.issued" content="2024-11-20">', "2024-11-20"),
        # the date path of the canonical address counts when the markup has none; nothing is fetched
        ('<link rel="canonical" href="https://news.example.org/2025/03/09/trade-talks-resume">', "2025-03-09"),
        ('<link rel="canonical" href="https://news.example.org/2025/03/09/x">'
         '<meta property="article:published_time" content="2025-03-10">', "2025-03-10"),
        # a date in the future of today's clock is not a publication date
        ('<meta property="article:published_time" content="2199-01-01">', None),
    ],
    ids=["published-not-modified", "json-ld-published", "dcterms", "canonical-url", "markup-beats-url", "future"],
)
def test_htmldate_reads_the_page_date_markup(tmp_path, no_network, head, expected):
    html = f"<html><head><title>T</title>{head}</head><body><article>{ARTICLE}</article></body></html>"
    doc = read_document(write(tmp_path, "p.html", html))
    assert doc.published == expected
    assert doc.published_source == ("html-metadata" if expected else "unknown")


def test_html_dateline_in_extracted_text(tmp_path, no_network):
    html = f"<html><body><article><p>Thứ tư, 29/10/2025, 08:00 (GMT+7)</p>{ARTICLE}</article></body></html>"
    doc = read_document(write(tmp_path, "v.html", html))
    assert (doc.published, doc.published_source) == ("2025-10-29", "dateline")


# ---------------------------------------------------------------------------------------------------- markdown


def test_markdown_front_matter(tmp_path):
    md = ("---\ntitle: \"Chip pact signed\"\ndate: 2025-04-14\noutlet: Example News\nlanguage: en\n---\n\n"
          "# Heading\n\nKorea and Vietnam signed a chip pact.\n")
    doc = read_document(write(tmp_path, "a.md", md))
    assert doc.text == "# Heading\n\nKorea and Vietnam signed a chip pact.\n"
    assert doc.title == "Chip pact signed" and doc.outlet == "Example News"
    assert (doc.published, doc.published_precision, doc.published_source) == ("2025-04-14", "day", "metadata")


def test_markdown_heading_title_and_bad_front_matter_date(tmp_path):
    md = "---\ndate: someday\n---\n# Korea–Vietnam forum\n\nText of the article.\n"
    doc = read_document(write(tmp_path, "b.markdown", md))
    assert doc.title == "Korea–Vietnam forum"
    assert doc.published is None and doc.published_source == "unknown"
    assert any("someday" in w for w in doc.warnings)


def test_markdown_only_front_matter_is_empty(tmp_path):
    with pytest.raises(ReadError, match="empty"):
        read_document(write(tmp_path, "c.md", "---\ntitle: x\n---\n\n"))


# ---------------------------------------------------------------------------------------------------- plain text


def test_plain_title_first_short_line(tmp_path):
    doc = read_document(write(tmp_path, "t.txt", "\n\nKorea and Vietnam sign pact\n\nBody text here.\n"))
    assert doc.title == "Korea and Vietnam sign pact"
    doc = read_document(write(tmp_path, "u.txt", "This is a sentence.\nMore.\n"))
    assert doc.title is None


def test_language_detection_and_default(tmp_path):
    vi = read_document(write(tmp_path, "vi.txt", VI * 3))
    assert vi.language == "vi"
    short = read_document(write(tmp_path, "s.txt", "Xin chào"))
    assert short.language == "en"


# ---------------------------------------------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("VietnamPlusVietnamPlus29/10/2025", "2025-10-29"),
        ("Published: 14 April 2025", "2025-04-14"),
        ("Updated: 2025-04-14 10:30", "2025-04-14"),
        ("April 14, 2025 — Seoul and Hanoi agreed on Monday to deepen ties in many fields of cooperation.",
         "2025-04-14"),
        ("HANOI, Oct 29, 2025 (Reuters) - Vietnam and South Korea signed a deal on technology.", "2025-10-29"),
        ("Posted on 14/04/2025", "2025-04-14"),
        ("2025년 10월 29일", "2025-10-29"),
        ("Thứ tư, 29/10/2025, 08:00 (GMT+7)", "2025-10-29"),
        ("29/10/2025 08:15", "2025-10-29"),
        ("By Kim Min-ji | Published 14 April 2025 | 3 min read", "2025-04-14"),
        ("04/14/2025", "2025-04-14"),  # month-first only because day-first is impossible
        ("입력 2025.10.29 08:15", "2025-10-29"),
        ("Cập nhật: 29/10/2025 08:15 | Đăng ngày 28/10/2025", "2025-10-28"),  # published beats updated
        ("Hanoi, 29/10/2025 – The Ministry of Science and Technology organised a forum on digital cooperation.",
         "2025-10-29"),
        ("SEOUL (Yonhap) -- Oct. 29, 2025", "2025-10-29"),
        ("14.04.2025", "2025-04-14"),
    ],
)
def test_dateline_shapes(tmp_path, header, expected):
    body = "Korea and Vietnam agreed to expand cooperation in science and technology, officials said.\n" * 3
    doc = read_document(write(tmp_path, "d.txt", f"Some headline here\n{header}\n\n{body}"))
    assert (doc.published, doc.published_precision, doc.published_source) == (expected, "day", "dateline")


@pytest.mark.parametrize(
    "header",
    [
        "HANOI, Oct 29 (Reuters) - Vietnam and South Korea signed a deal.",  # no year
        "The two countries established diplomatic relations in 1992 and upgraded ties in December 2022.",
        "The memorandum was signed on 12/08/2025 in Seoul by the two ministers, who then met the press.",
        "Signed on 12/08/2025",
        "- 12/08/2025: MoU signed",
        "Officials met on April 14, 2025, in Hanoi to discuss the plan.",
        "Published: 14 April 2099",  # in the future
        "The report was released on 14 April 2025 by the ministry of trade.",
        "Vietnam and Korea updated on 14/04/2025 their plan",
    ],
)
def test_no_dateline_from_body_dates(tmp_path, header):
    doc = read_document(write(tmp_path, "d.txt", f"Headline\n{header}\n\nMore text follows here.\n"))
    assert doc.published is None and doc.published_source == "unknown"


def test_dateline_must_be_near_the_top(tmp_path):
    text = "Headline\n" + ("Body sentence about cooperation. " * 60) + "\n29/10/2025\n"
    doc = read_document(write(tmp_path, "late.txt", text))
    assert doc.published is None


def test_dateline_language_of_document(tmp_path):
    text = "Titre\nPublié le 14 avril 2025\n\n" + "Le ministre coréen a rencontré son homologue vietnamien. " * 5
    doc = read_document(write(tmp_path, "fr.txt", text))
    assert doc.language == "fr"
    assert (doc.published, doc.published_source) == ("2025-04-14", "dateline")


# ---------------------------------------------------------------------------------------------------- seeds


def test_seed_002_without_manifest_uses_dateline():
    doc = read_document(SEEDS / SEED_002)
    assert (doc.published, doc.published_precision, doc.published_source) == ("2025-10-29", "day", "dateline")
    assert doc.language == "en"


def test_seeds_with_manifest():
    manifest = load_manifest(SEEDS)
    files = list(iter_input_files([SEEDS]))
    assert [p.name for p in files] == sorted(manifest)
    assert len(files) == 5
    for path in files:
        doc = read_document(path, manifest)
        row = manifest[path.name]
        assert isinstance(doc, Document)
        assert doc.published == row.published and doc.published is not None
        assert doc.published_precision == row.published_precision
        assert doc.published_source == "manifest"
        assert doc.language == "en"
        assert doc.title == row.title
        assert doc.encoding == "utf-8"
        assert doc.text == path.read_text(encoding="utf-8").replace("\r\n", "\n")
        assert doc.warnings == ()
    assert manifest[SEED_002].published == "2025-10-29"
    assert manifest["000_b762705dabcd0d83.txt"].published_precision == "year"
    assert manifest["004_1d330e7e8ca98846.txt"].outlet == "The Korea Herald"


# ---------------------------------------------------------------------------------------------------- manifest


def test_manifest_absent(tmp_path):
    assert load_manifest(tmp_path) == {}


@pytest.mark.parametrize("name, content", [
    ("zero.html", f'<html><head><meta name="date" content="2025-00"></head><body><article>{ARTICLE}</article></body></html>'),
    ("zero.txt", "Headline\nPublished: 2025-00-00\n\nBody text of the article goes here, long enough to be read.\n"),
])
def test_month_or_day_zero_is_not_a_publication_date(tmp_path, no_network, name, content):
    doc = read_document(write(tmp_path, name, content))
    assert (doc.published, doc.published_precision) == (None, None)
    assert "Body text" in doc.text or "semiconductor" in doc.text


def test_manifest_bad_dates_keep_rows(tmp_path):
    write(tmp_path, "manifest.csv",
          "\ufefffile,published,extra,language\n"
          "a.txt,2025-13-40,x,en\n"
          "b.txt,soon,y,EN-us\n"
          "c.txt,2025-04-14,z,\n"
          "d.txt,14/04/2025,,\n"
          "e.txt,20250414,,\n"
          "f.txt,April 2025,,\n")
    rows = load_manifest(tmp_path)  # problems ride with the rows, never as Python warnings
    assert set(rows) == {"a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"}
    assert rows["e.txt"].published == "2025-04-14"
    assert (rows["f.txt"].published, rows["f.txt"].published_precision) == ("2025-04", "month")
    assert rows["a.txt"].published is None and rows["a.txt"].warnings
    assert rows["b.txt"].published is None and "soon" in rows["b.txt"].warnings[0]
    assert rows["b.txt"].language == "en"
    assert (rows["c.txt"].published, rows["c.txt"].published_precision) == ("2025-04-14", "day")
    assert rows["d.txt"].published == "2025-04-14"
    assert rows["c.txt"].title is None and rows["c.txt"].published_basis is None

    write(tmp_path, "b.txt", "Headline\nPublished: 14 April 2025\n\nBody text of the article goes here.\n")
    doc = read_document(tmp_path / "b.txt", rows)
    assert any("soon" in w for w in doc.warnings)
    assert (doc.published, doc.published_source) == ("2025-04-14", "dateline")


def test_manifest_precision_truncates(tmp_path):
    write(tmp_path, "manifest.csv", "file,published,published_precision\na.txt,2025-08-12,month\n")
    row = load_manifest(tmp_path)["a.txt"]
    assert (row.published, row.published_precision) == ("2025-08", "month")


def test_manifest_without_file_column(tmp_path):
    write(tmp_path, "manifest.csv", "name,title\na.txt,x\n")
    with pytest.raises(ReadError, match="file"):
        load_manifest(tmp_path)


def test_manifest_undecodable(tmp_path):
    write(tmp_path, "manifest.csv", _png_bytes())
    with pytest.raises(ReadError) as err:
        load_manifest(tmp_path)
    assert "manifest.csv" in str(err.value) and "\n" not in str(err.value)


def test_manifest_row_type():
    row = ManifestRow("a.txt", None, None, None, None, None, None)
    assert row.warnings == ()


# ---------------------------------------------------------------------------------------------------- iter_input_files


def test_iter_input_files(tmp_path):
    root = tmp_path / "corpus"
    for rel in ("b.txt", "a.md", "manifest.csv", ".hidden.txt", "notes.pdf", "sub/c.html", "sub/deeper/d.htm",
                ".git/e.txt", "sub/B.markdown", "Z.TXT"):
        write(root, rel, "text")
    os.symlink(root, root / "sub" / "loop")  # a cycle back to the top
    os.symlink(root / "b.txt", root / "sub" / "link-to-b.txt")  # the same file twice
    found = [p.relative_to(root).as_posix() for p in iter_input_files([root])]
    assert found == ["a.md", "b.txt", "sub/B.markdown", "sub/c.html", "sub/deeper/d.htm", "Z.TXT"]
    # stable, and each file once even when named again
    again = [p.relative_to(root).as_posix() for p in iter_input_files([root, root / "b.txt", root / "sub"])]
    assert again == found


def test_iter_input_files_symlink_to_parent_dir(tmp_path):
    write(tmp_path, "x/y/z.txt", "text")
    os.symlink(tmp_path / "x", tmp_path / "x" / "y" / "up")
    assert [p.name for p in iter_input_files([tmp_path])] == ["z.txt"]


def test_iter_input_files_explicit(tmp_path):
    a = write(tmp_path, "a.txt", "text")
    hidden = write(tmp_path, ".hidden.md", "text")
    assert list(iter_input_files([a, hidden])) == [a, hidden]
    pdf = write(tmp_path, "x.pdf", "%PDF")
    with pytest.raises(ReadError, match=r"^x\.pdf: unsupported file type \(use \.txt, \.md or \.html\)$"):
        list(iter_input_files([pdf]))
    with pytest.raises(ReadError, match="no such file or directory"):
        list(iter_input_files([tmp_path / "missing"]))


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, non-root")
def test_iter_input_files_unreadable_dir(tmp_path):
    write(tmp_path, "ok.txt", "text")
    locked = tmp_path / "locked"
    write(locked, "hidden-away.txt", "text")
    locked.chmod(0)
    try:
        assert [p.name for p in iter_input_files([tmp_path])] == ["ok.txt"]
    finally:
        locked.chmod(0o755)


def test_iter_input_files_unreadable_dir_is_skipped(tmp_path, monkeypatch):
    write(tmp_path, "ok.txt", "text")
    write(tmp_path, "locked/inside.txt", "text")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert [p.name for p in iter_input_files([tmp_path])] == ["ok.txt"]


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".markdown", ".html", ".htm")


# ---------------------------------------------------------------------------------------------------- robustness

_FUZZ_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_FUZZ_SETTINGS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_arbitrary_bytes_give_document_or_read_error(tmp_path, data, suffix):
    p = write(tmp_path, "fuzz" + suffix, data)
    try:
        doc = read_document(p)
    except ReadError as err:
        assert str(err).startswith("fuzz" + suffix + ": ") and "\n" not in str(err)
        return
    assert doc.text.strip()
    assert unicodedata.is_normalized("NFC", doc.text) and "\r" not in doc.text
    assert doc.published_source in ("manifest", "html-metadata", "metadata", "dateline", "unknown")


@_FUZZ_SETTINGS
@given(text=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=500)
       .filter(lambda t: t.strip() and not t.startswith("\ufeff")),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_plain_text_round_trip(tmp_path, text, encoding):
    doc = read_document(write(tmp_path, "rt.txt", text.encode(encoding)))
    assert doc.text == unicodedata.normalize("NFC", text)


def test_a_failing_date_search_is_said_and_the_dateline_still_counts(tmp_path, monkeypatch):
    import htmldate

    def broken(*args, **kwargs):
        raise ValueError("cannot read this page")

    monkeypatch.setattr(htmldate, "find_date", broken)
    html = f"<html><body><article><p>Hanoi, 29/10/2025 - {ARTICLE}</p></article></body></html>"
    doc = read_document(write(tmp_path, "v.html", html))
    assert (doc.published, doc.published_source) == ("2025-10-29", "dateline")
    assert any("publication date search failed (cannot read this page)" in w for w in doc.warnings)
