"""Scaling: ingestion time and peak memory of one file of 1, 2, 4 and 8 MB, for four shapes of input.

Shapes (written by ``tests/badfiles/make_corpus.py``): dense prose (articles one after another, a dated event in
most sentences), one long line without a sentence end, a Markdown table of dated rows, an HTML page of the dense
prose. Each run is a fresh process ingesting one file into a fresh database, so its peak memory (``ru_maxrss``)
is its own. Two series:

* ``capped``: ``ingest`` as users run it: events are looked for in the first ``MAX_EXTRACT_CHARS`` characters,
  the whole text is stored and indexed for search;
* ``uncapped``: the same with the cap lifted, to show that extraction itself grows linearly.

Prints seconds, seconds per MB and peak MB per run, and the growth from 1 to 8 MB (8.0 is linear). Results also
go to ``benchmarks/results/scaling.json``. Run: ``python benchmarks/scaling.py [--sizes 1 2 4 8] [--shapes ...]
[--series capped uncapped]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile

from common import ROOT, machine, write_json

RUN = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1] + "/desktop")
sys.path.insert(0, sys.argv[1] + "/tests")
from badfiles import make_corpus
import partnership_explorer.core.ingest as ingest
import partnership_explorer.core.pipeline as pipeline
from partnership_explorer.core.extract import extract_candidates
from partnership_explorer.core.store import Store

shape, mb, series, folder = sys.argv[2], float(sys.argv[3]), sys.argv[4], Path(sys.argv[5])
if series == "uncapped":
    pipeline.MAX_EXTRACT_CHARS = 10**12
path = folder / shape
path.write_text(make_corpus.LARGE_SHAPES[shape](int(mb * 1_000_000)), encoding="utf-8")
extract_candidates("On 3 March 2021, Samsung opened a research centre in Hanoi.")  # resources loaded before timing
from partnership_explorer.core.reader import _language_identifier
_language_identifier()
with Store(folder / "s.db") as store:
    t0 = time.perf_counter()
    report = ingest.ingest_paths(store, [path])
    seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "events": report.events_created, "failed": len(report.failed),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "bytes": path.stat().st_size}))
"""


def run(shape: str, mb: float, series: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="pe-scaling-") as tmp:
        r = subprocess.run([sys.executable, "-c", RUN, str(ROOT), shape, str(mb), series, tmp],
                           capture_output=True, text=True, timeout=3600)
    if r.returncode != 0:
        raise SystemExit(f"{shape} {mb} MB {series}: {r.stderr.strip().splitlines()[-1:]}")
    return json.loads(r.stdout)


def main(argv: list[str] | None = None) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from badfiles import make_corpus

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 8], help="file sizes in MB")
    ap.add_argument("--shapes", nargs="+", default=list(make_corpus.LARGE_SHAPES), choices=list(make_corpus.LARGE_SHAPES))
    ap.add_argument("--series", nargs="+", default=["capped", "uncapped"], choices=["capped", "uncapped"])
    args = ap.parse_args(argv)
    results = []
    print(f"{'series':9} {'shape':13} {'MB':>4} {'seconds':>8} {'s/MB':>6} {'peak MB':>8} {'events':>7}")
    for series in args.series:
        for shape in args.shapes:
            rows = []
            for mb in args.sizes:
                got = run(shape, mb, series)
                mb_real = got["bytes"] / 1e6
                rows.append({"series": series, "shape": shape, "mb": round(mb_real, 2), **got})
                print(f"{series:9} {shape:13} {mb_real:4.1f} {got['seconds']:8.2f} {got['seconds'] / mb_real:6.2f} "
                      f"{got['peak_mb']:8.0f} {got['events']:7}", flush=True)
            first, last = rows[0], rows[-1]
            growth = last["seconds"] / first["seconds"]
            size = last["mb"] / first["mb"]
            print(f"{'':9} {shape:13} time x{growth:.1f} for size x{size:.1f}; peak memory "
                  f"x{last['peak_mb'] / first['peak_mb']:.1f}", flush=True)
            results += rows
    out = write_json("scaling", {"machine": machine(), "runs": results})
    print(f"results: {out}")


if __name__ == "__main__":
    main()
