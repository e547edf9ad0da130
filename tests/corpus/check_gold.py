"""Check the development set's gold files against the articles; ``--fix`` moves offsets to the quoted text.

    python tests/corpus/check_gold.py [--fix] [--split NAME | --heldout]

Offsets refer to the text the reader stores for each article (``core.reader.read_document``: for HTML, the
article text without markup). After editing an article or a quoted span by hand, ``--fix`` puts every
``start``/``end`` back on its quoted text (the occurrence nearest the old offset) and rewrites the files.
``--split NAME`` checks the split in ``tests/corpus/NAME/`` (``articles/`` and ``gold.jsonl``) instead, e.g.
``--split heldout2``; ``--heldout`` is ``--split heldout``. Exits 1 when a problem remains, 2 when the split
does not exist.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from partnership_explorer.core.reader import load_manifest, read_document

import scoring


def stored_texts(folder: Path = HERE / "articles") -> dict[str, str]:
    manifest = load_manifest(folder)
    return {p.name: read_document(p, manifest).text for p in sorted(folder.iterdir())
            if p.is_file() and p.name != "manifest.csv"}


def fix(texts: dict[str, str], split: Path = HERE) -> int:
    moved = 0
    for name in ("gold.jsonl", "gold_dates.jsonl"):
        if not (split / name).exists():
            continue
        rows = scoring.load_jsonl(split / name)
        for r in rows:
            text = texts.get(r["file"], "")
            spans = [r["evidence"], *r.get("mentions", ())] if "evidence" in r else []
            for span in spans:
                if text[span["start"]:span["end"]] != span["text"]:
                    h = scoring.nearest(text, span["text"], span["start"])
                    if h is not None:
                        span["start"], span["end"] = h, h + len(span["text"])
                        moved += 1
            if "span" in r and text[r["span"][0]:r["span"][1]] != r["text"]:
                h = scoring.nearest(text, r["text"], r["span"][0])
                if h is not None:
                    r["span"] = [h, h + len(r["text"])]
                    moved += 1
        (split / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return moved


def split_folder(args: list[str]) -> Path | None:
    """The split the arguments name (``--split NAME``, ``--split=NAME``, ``--heldout``), the development set
    when none is named; None when ``--split`` has no name."""
    for i, a in enumerate(args):
        if a == "--split":
            return HERE / args[i + 1] if i + 1 < len(args) and not args[i + 1].startswith("-") else None
        if a.startswith("--split="):
            return HERE / a.split("=", 1)[1] if a.split("=", 1)[1] else None
    return HERE / "heldout" if "--heldout" in args else HERE


def main() -> int:
    split = split_folder(sys.argv[1:])
    if split is None:
        print("--split needs the name of a folder in tests/corpus (e.g. --split heldout2)")
        return 2
    if not (split / "articles").is_dir():
        print(f"no split at {split}: expected {split / 'articles'} and {split / 'gold.jsonl'}")
        return 2
    texts = stored_texts(split / "articles")
    if "--fix" in sys.argv[1:]:
        print(f"{fix(texts, split)} offsets moved")
    problems = scoring.verify_gold(split, texts)
    for p in problems:
        print(p)
    print(f"{len(texts)} articles, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
