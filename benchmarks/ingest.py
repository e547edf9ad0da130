"""Ingestion throughput: articles per second on one core.

Builds a corpus of ~5 KB articles by cutting the bundled seed articles into paragraphs and recombining them
(deterministically, with the seed manifest's dates), ingests it into a fresh database, and prints articles/s,
KB/s and the time spent per stage. Run: ``python benchmarks/ingest.py [--articles N]``.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "desktop"))

from partnership_explorer.core.ingest import ingest_paths
from partnership_explorer.core.store import Store


def build_corpus(folder: Path, n: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    seeds = ROOT / "seeds"
    rows = list(csv.DictReader((seeds / "manifest.csv").open(encoding="utf-8")))
    paragraphs = []
    for row in rows:
        text = (seeds / row["file"]).read_text(encoding="utf-8")
        paragraphs += [(p, row) for p in text.split("\n") if len(p) > 80]
    total = 0
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        for i in range(n):
            body, base = [], rng.choice(rows)
            while sum(len(b) for b in body) < 5000:
                body.append(rng.choice(paragraphs)[0])
            text = "\n".join(body)
            name = f"article_{i:05d}.txt"
            (folder / name).write_text(text, encoding="utf-8")
            total += len(text.encode("utf-8"))
            w.writerow(dict(base, file=name, title=f"Article {i}"))
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--profile", action="store_true", help="print the 15 most expensive functions")
    ap.add_argument("--json", type=Path, default=None, help="also write the numbers to this file")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        size = build_corpus(folder, args.articles)
        # warm-up: load the gazetteer, taxonomy, lexicon and date parsers once, outside the timing
        with Store(Path(tmp) / "warm.db") as s:
            ingest_paths(s, [ROOT / "seeds" / "000_b762705dabcd0d83.txt"])
        with Store(Path(tmp) / "bench.db") as s:
            prof = cProfile.Profile() if args.profile else None
            t0 = time.perf_counter()
            cpu0 = time.process_time()
            if prof:
                prof.enable()
            report = ingest_paths(s, [folder])
            if prof:
                prof.disable()
            wall = time.perf_counter() - t0
            cpu = time.process_time() - cpu0
            counts = s.counts()
    result = {
        "articles": args.articles,
        "mean_article_kb": round(size / args.articles / 1024, 2),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "articles_per_s": round(args.articles / wall, 1),
        "kb_per_s": round(size / 1024 / wall, 1),
        "failed": len(report.failed),
        "events": counts["events"],
        "sources": counts["sources"],
    }
    width = max(len(k) for k in result)
    for k, v in result.items():
        print(f"{k:<{width}}  {v}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(15)


if __name__ == "__main__":
    main()
