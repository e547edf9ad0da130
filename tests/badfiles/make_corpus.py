"""Write the reliability test corpus into a folder: bad article files, odd folders and generated articles.

    python tests/badfiles/make_corpus.py OUT_FOLDER [--articles N]

Nothing here is committed as data: the tests call these functions to build the corpus in temporary folders.
``CASES`` lists every bad file with what ingesting it must give: ``None`` when the file must be stored, or a
piece of the one-line message that names it.
"""

from __future__ import annotations

import argparse
import os
import random
from pathlib import Path

BIG_BYTES = 50 * 1024 * 1024

_HOSTILE_HTML = """<!doctype html>
<html lang="en"><head><title>Hostile page</title>
<meta charset="utf-8">
<script>document.write('SCRIPT-MARKER-1'); fetch('http://127.0.0.1:9/steal');</script>
<script src="http://127.0.0.1:9/evil.js"></script>
<link rel="stylesheet" href="http://127.0.0.1:9/style.css">
<style>body { background: url(http://127.0.0.1:9/bg.png) } .x:after { content: 'STYLE-MARKER' }</style>
<meta http-equiv="refresh" content="0; url=http://127.0.0.1:9/">
</head>
<body onload="alert('ONLOAD-MARKER')">
<iframe src="http://127.0.0.1:9/frame.html">IFRAME-MARKER</iframe>
<img src="http://127.0.0.1:9/tracker.gif" onerror="alert('ONERROR-MARKER')">
<article>
<h1>Vietnam and South Korea sign energy deal</h1>
<p>On 12 August 2025, Vietnam and South Korea signed a memorandum of understanding on nuclear energy
cooperation in Seoul. <a href="javascript:alert('JSLINK-MARKER')">Read more</a></p>
<script>var x = 'SCRIPT-MARKER-2';</script>
<p>In December 2022, the two countries upgraded their ties to a Comprehensive Strategic Partnership.
<object data="http://127.0.0.1:9/x.swf">OBJECT-MARKER</object>
<embed src="http://127.0.0.1:9/y.swf"></p>
<svg><script>alert('SVG-MARKER')</script></svg>
<noscript>NOSCRIPT-MARKER</noscript>
<template>TEMPLATE-MARKER</template>
</article>
</body></html>
"""
HOSTILE_MARKERS = ("SCRIPT-MARKER", "STYLE-MARKER", "ONLOAD-MARKER", "IFRAME-MARKER", "ONERROR-MARKER",
                   "JSLINK-MARKER", "OBJECT-MARKER", "SVG-MARKER", "NOSCRIPT-MARKER", "TEMPLATE-MARKER",
                   "127.0.0.1", "alert(", "fetch(")

EXTREME_DATES_TEXT = """Hanoi and Seoul signed an agreement on trade in the year 99999, officials claimed.
A summit was held in 50000 BC between the two countries, according to a satirical column.
The two kingdoms established relations in the 3rd century BCE, a legend says.
A memorandum of understanding was signed on 32/13/2025 by the two ministries.
The investment deal was announced on 0/0/0000 at a forum in Hanoi.
Vietnam and South Korea held talks in the year 1066 on trade.
The agreement signed on February 30, 2024 covers energy cooperation.
An MoU on semiconductors was signed in 2350 by the two governments.
The summit in 12345 AD will open a new era of cooperation, the minister joked.
Samsung opened a factory in Bac Ninh in 1799 and expanded it in 2201.
On 3 March 2021, Samsung opened a research centre in Hanoi.
"""


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _deep_html(depth: int) -> bytes:
    return (b"<html><body>" + b"<div>" * depth + b"<p>On 3 March 2021, Samsung opened a research centre in Hanoi.</p>"
            + b"</div>" * depth + b"</body></html>")


def _malformed_html() -> bytes:
    return (b"<html><head><title>Broken</title><body><p>On 5 May 2019 Vietnam and South Korea signed an MoU on trade"
            b"<div><span><table><tr><td>unclosed <b><i>tags</p></div></b><<<>>> &bogus; &#xFFFFFFFF; &#0;"
            b"<p>In 2020 the two countries held talks in Hanoi.<!-- unterminated comment")


# name -> (bytes factory, expected: None = stored, else a fragment of the "failed:" line)
def cases() -> dict[str, tuple]:
    rng = random.Random(7)
    mixed = ("On 3 March 2021, Samsung opened a research centre in Hanoi.\n".encode()
             + "Café in Hà Nội — the café opened in 2019.\n".encode("cp1252", "replace")
             + "Hội nghị ngày 29 tháng 10 năm 2025 tại Hà Nội.\n".encode("utf-8"))
    return {
        "empty.txt": (lambda: b"", "empty file"),
        "blank.md": (lambda: b" \n\t\n  \r\n", "empty file"),
        "png.txt": (lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(4000)),
                    "not a text file"),
        "zip.html": (lambda: b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 20, "not a text file"),
        "elf.md": (lambda: b"\x7fELF\x02\x01\x01\x00" + bytes(range(32)) * 200, "not a text file"),
        "controls.txt": (lambda: bytes(rng.choice(b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10 abc")
                                       for _ in range(5000)), "not a text file"),
        "bad_utf8_bom.txt": (lambda: b"\xef\xbb\xbfOn 3 March 2021 \xff\xfe\xc3\x28 Samsung opened a centre.\n",
                             "cannot decode the text"),
        "invalid_utf8.txt": (lambda: b"On 3 March 2021, Samsung opened a research centre in Hanoi. \xc3\x28 \xa0\xa1"
                             b" \xe2\x28\xa1 \xf0\x28\x8c\xbc\n", None),
        "mixed_encoding.txt": (lambda: mixed, None),
        "utf16_odd.txt": (lambda: b"\xff\xfe" + "On 3 March 2021 Samsung".encode("utf-16-le") + b"\x00",
                          "cannot decode the text"),
        "huge.txt": (None, "file too large"),  # written sparse by write_bad_files
        # libxml2 stops at 256 levels of nesting: the text below is not reached, and the page is refused
        "deep.html": (lambda: _deep_html(100_000), "no article text found"),
        "malformed.html": (lambda: _malformed_html(), None),
        "hostile.html": (lambda: _HOSTILE_HTML.encode(), None),
        "no_text.html": (lambda: b"<html><head><script>var a=1;</script></head><body><img src='x.png'></body></html>",
                         "no article text"),
        "extreme_dates.txt": (lambda: EXTREME_DATES_TEXT.encode(), None),
        "good.txt": (lambda: b"On 3 March 2021, Samsung opened a research centre in Hanoi.\n", None),
    }


def write_bad_files(folder: Path) -> dict[str, str | None]:
    """Write every bad file of :func:`cases` into ``folder``; return name -> expected outcome."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    for name, (factory, outcome) in cases().items():
        if factory is None:
            with open(folder / name, "wb") as fh:  # sparse: 50 MB of nothing really written
                fh.write(b"On 3 March 2021, Samsung opened a research centre in Hanoi.\n")
                fh.truncate(BIG_BYTES)
        else:
            _write(folder, name, factory())
        expected[name] = outcome
    return expected


def write_symlink_loop(folder: Path) -> Path:
    """folder/loop/ with an article, a link back to itself and a link to its parent."""
    loop = Path(folder) / "loop"
    (loop / "sub").mkdir(parents=True, exist_ok=True)
    _write(loop / "sub", "article.txt", b"In December 2022, Vietnam and South Korea upgraded their ties.\n")
    os.symlink(loop, loop / "sub" / "back", target_is_directory=True)
    os.symlink(".", loop / "self", target_is_directory=True)
    os.symlink(loop / "sub" / "article.txt", loop / "alias.txt")
    os.symlink(loop / "missing.txt", loop / "dangling.txt")
    return loop


def write_fifo(folder: Path, name: str = "pipe.txt") -> Path:
    path = Path(folder) / name
    os.mkfifo(path)
    return path


def write_manifest_cases(folder: Path) -> dict[str, str]:
    """Folders with a broken manifest.csv; returns folder name -> expected fragment (or '' = stored, warned)."""
    folder = Path(folder)
    article = b"The two countries signed an agreement on trade in Hanoi last year.\nOn 3 March 2021, Samsung opened a research centre in Hanoi.\n"
    out = {}
    layouts = {
        # no 'file' column: the manifest is refused, the articles are still read
        "no_file_column": ("title,published\nX,2020-01-01\n", "no 'file' column"),
        # missing optional columns and bad dates: rows kept, dates dropped with a warning
        "missing_columns": ("file\na.txt\n", ""),
        "bad_dates": ("file,title,published,published_precision\n"
                      "a.txt,A,2025-13-45,day\n", ""),
        "nonsense_dates": ("file,published\na.txt,yesterday-ish\n", ""),
        "far_dates": ("file,published\na.txt,99999-01-01\n", ""),
        "binary_manifest": (b"\x00\x01\x02\x03" * 100, "not a text file"),
        "ragged_rows": ("file,title,outlet\na.txt\n,,\nb.txt,B,O,extra,cells\n", ""),
    }
    for sub, (manifest, fragment) in layouts.items():
        d = folder / sub
        d.mkdir(parents=True, exist_ok=True)
        _write(d, "manifest.csv", manifest if isinstance(manifest, bytes) else manifest.encode())
        _write(d, "a.txt", article)
        out[sub] = fragment
    return out


def write_many_files(folder: Path, n: int = 3000) -> Path:
    """``n`` small articles spread over 30 sub-folders."""
    folder = Path(folder)
    for i in range(n):
        sub = folder / f"part{i % 30:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        _write(sub, f"note{i:05d}.txt", f"Note {i}: nothing happened here.\n".encode())
    return folder


# ---------------------------------------------------------------------------------------------- articles
_PEOPLE = ("Tô Lâm", "Lee Jae-myung", "Yoon Suk Yeol", "Phạm Minh Chính", "Nguyễn Xuân Phúc", "Moon Jae-in")
_ORGS = ("Samsung", "LG", "Hyundai", "SK Group", "Viettel", "PetroVietnam", "KEPCO", "Doosan")
_PLACES = ("Hanoi", "Seoul", "Ho Chi Minh City", "Busan", "Da Nang", "Bac Ninh")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_TEMPLATES = (
    "On {d} {m} {y}, {org} opened a new factory in {place}.",
    "{person} visited {place} in {m} {y} for talks on trade and investment.",
    "In {y}, the two countries signed a memorandum of understanding on {topic}.",
    "{org} announced an investment of {n} million dollars in {place} on {d} {m} {y}.",
    "A summit between Vietnam and South Korea was held in {place} on {d} {m} {y}.",
    "The two sides agreed in {m} {y} to cooperate on {topic}.",
    "{person} met {person2} in {place} on {d} {m} {y}.",
    "Officials said the weather in {place} was pleasant.",
)
_TOPICS = ("semiconductors", "nuclear energy", "artificial intelligence", "defence industry", "climate change",
           "education", "health care", "infrastructure")


def article_text(i: int, seed: int = 1) -> str:
    rng = random.Random(seed * 100_003 + i)
    lines = [f"Partnership report {i}", ""]
    for _ in range(rng.randint(4, 8)):
        t = rng.choice(_TEMPLATES)
        lines.append(t.format(d=rng.randint(1, 28), m=rng.choice(_MONTHS), y=rng.randint(1992, 2025),
                              org=rng.choice(_ORGS), place=rng.choice(_PLACES), person=rng.choice(_PEOPLE),
                              person2=rng.choice(_PEOPLE), topic=rng.choice(_TOPICS), n=rng.randint(10, 900)))
    return "\n".join(lines) + "\n"


def write_articles(folder: Path, n: int = 200, seed: int = 1) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        _write(folder, f"article{i:04d}.txt", article_text(i, seed).encode())
    return folder


# ---------------------------------------------------------------------------------------------- large inputs
def dense_text(nbytes: int, seed: int = 1) -> str:
    """Articles one after another, dense with dated sentences, to about ``nbytes`` of UTF-8."""
    parts, size, i = [], 0, 0
    while size < nbytes:
        part = article_text(i, seed)
        parts.append(part)
        size += len(part.encode("utf-8"))
        i += 1
    return "".join(parts)


def one_line_text(nbytes: int, seed: int = 1) -> str:
    """One line of about ``nbytes`` with no sentence end: dates and signals all through it."""
    rng = random.Random(seed)
    parts, size = [], 0
    while size < nbytes:
        part = (f"{rng.choice(_ORGS)} opened a factory in {rng.choice(_PLACES)} on {rng.randint(1, 28)} "
                f"{rng.choice(_MONTHS)} {rng.randint(1992, 2025)} and ")
        parts.append(part)
        size += len(part)
    return "".join(parts)


def markdown_table(nbytes: int, seed: int = 1) -> str:
    """A Markdown table of about ``nbytes``: one dated row per line."""
    rng = random.Random(seed)
    rows, size, i = ["# Timeline of cooperation", "", "| date | what | where |", "|---|---|---|"], 0, 0
    while size < nbytes:
        row = (f"| {rng.randint(1, 28)} {rng.choice(_MONTHS)} {rng.randint(1992, 2025)} | {rng.choice(_ORGS)} "
               f"opened factory number {i} | {rng.choice(_PLACES)} |")
        rows.append(row)
        size += len(row) + 1
        i += 1
    return "\n".join(rows) + "\n"


def html_page(nbytes: int, seed: int = 1) -> str:
    """An HTML page of about ``nbytes``: the dense articles as paragraphs."""
    body = "".join(f"<p>{line}</p>\n" for line in dense_text(nbytes, seed).split("\n") if line)
    return f"<html><head><title>Partnership report</title></head><body><article>{body}</article></body></html>\n"


LARGE_SHAPES = {"dense.txt": dense_text, "one_line.txt": one_line_text, "table.md": markdown_table,
                "page.html": html_page}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--articles", type=int, default=200)
    args = ap.parse_args(argv)
    write_bad_files(args.out / "bad")
    write_symlink_loop(args.out / "links")
    write_manifest_cases(args.out / "manifests")
    write_many_files(args.out / "many")
    write_articles(args.out / "articles", args.articles)
    print(f"corpus written to {args.out}")


if __name__ == "__main__":
    main()
