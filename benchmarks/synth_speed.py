"""Bulk import speed: ``core.synth`` events/s at 10k, 100k and 1M events (the 1M database is the cached one
the other benchmarks use; its build time is reported when this run built it, else a fresh 100k run is timed).

Run: ``python benchmarks/synth_speed.py``; writes ``benchmarks/results/synth_speed.json``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from common import SIZES, db_for, machine, print_table, write_json

from partnership_explorer.core.store import Store
from partnership_explorer.core.synth import synthesize


def main() -> None:
    rows, out = [], []
    for n in (10_000, 100_000):
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db") as store:
            r = synthesize(store, n, seed=2)
        rows.append({"metric": "synth (fresh temp db)", "N": f"{n:,}", "events/s": float(r.events_per_s),
                     "s": r.seconds, "target": "≥ 50,000/s"})
        out.append({"n": n, "seconds": r.seconds, "events_per_s": r.events_per_s})
    for n in SIZES:
        _, info = db_for(n)  # builds the cached databases the other benchmarks use
        if info and n == 1_000_000:
            rows.append({"metric": "synth (cached bench db)", "N": f"{n:,}", "events/s": float(info["events_per_s"]),
                         "s": info["seconds"], "target": "≥ 50,000/s"})
            out.append({"n": n, **info})
    rows.append({"metric": "CSV import", "N": "—", "events/s": None, "s": None,
                 "target": "n/a: no CSV importer in the project yet"})
    print("\nBulk import (core.synth: executemany per 50k chunk, link tables via json_each, indexes and FTS "
          "rebuilt once)")
    print_table(rows, [("metric", "metric"), ("N", "N"), ("events/s", "events/s"), ("s", "seconds"),
                       ("target", "target")])
    write_json("synth_speed", {"machine": machine(), "runs": out})


if __name__ == "__main__":
    main()
