"""Bulk import speed: ``core.synth`` events/s at 10k, 100k and 1M events (the 1M database is the cached one
the other benchmarks use; its build time is reported when this run built it, else a fresh 100k run is timed).

Also the CSV import path (``partnership-explorer import``) on 10k and 100k events dumped from a synthetic
database. Run: ``python benchmarks/synth_speed.py``; writes ``benchmarks/results/synth_speed.json``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from common import SIZES, db_for, machine, print_table, write_json

from partnership_explorer.core.store import Store
from partnership_explorer.core.synth import synthesize


def _csv_import_seconds(n: int) -> tuple[float, float]:
    """Dump n synthetic events to CSV (our documented columns), then time importing them into a fresh database,
    and importing the unchanged file again."""
    from partnership_explorer.core.interchange import dump_events, import_events
    from partnership_explorer.core.query import EventFilter

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "events.csv"
        with Store(Path(tmp) / "src.db") as src:
            synthesize(src, n, seed=3)
            dump_events(src, EventFilter(), "csv", csv_path)
        with Store(Path(tmp) / "dst.db") as dst:
            t0 = time.perf_counter()
            report = import_events(dst, csv_path)
            seconds = time.perf_counter() - t0
            t0 = time.perf_counter()
            again = import_events(dst, csv_path)
            reimport = time.perf_counter() - t0
            assert again.new == 0 and again.unchanged == n, again
        # synthetic titles repeat, so a few rows match an earlier one (same title, start and end) and are
        # reported unchanged rather than added again
        assert report.new + report.unchanged + report.updated == n, (report, n)
    return seconds, reimport


def main() -> None:
    rows, out = [], []
    for n in (10_000, 100_000):
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db") as store:
            r = synthesize(store, n, seed=2)
        rows.append({"metric": "synth (fresh temp db)", "N": f"{n:,}", "events/s": float(r.events_per_s),
                     "s": r.seconds, "target": "≥ 50,000/s"})
        for name, sec in r.phases.items():
            rows.append({"metric": f"  └ {name}", "N": f"{n:,}", "events/s": None, "s": sec, "target": ""})
        out.append({"n": n, "seconds": r.seconds, "events_per_s": r.events_per_s, "phases": r.phases})
    for n in SIZES:
        _, info = db_for(n)  # builds the cached databases the other benchmarks use
        if info and n == 1_000_000:
            rows.append({"metric": "synth (cached bench db)", "N": f"{n:,}", "events/s": float(info["events_per_s"]),
                         "s": info["seconds"], "target": "≥ 50,000/s"})
            out.append({"n": n, **info})
    for n in (10_000, 100_000):
        seconds, reimport = _csv_import_seconds(n)
        rows.append({"metric": "CSV import (import command)", "N": f"{n:,}", "events/s": n / seconds, "s": seconds,
                     "target": "≥ 50,000/s"})
        rows.append({"metric": "CSV import of the unchanged file again", "N": f"{n:,}", "events/s": n / reimport,
                     "s": reimport, "target": "< 2 s at 100k"})
        out.append({"n": n, "csv_import_seconds": seconds, "csv_events_per_s": n / seconds,
                    "csv_reimport_seconds": reimport})
    print("\nBulk import (core.synth: executemany per 50k chunk, link tables via json_each, indexes and FTS "
          "rebuilt once)")
    print_table(rows, [("metric", "metric"), ("N", "N"), ("events/s", "events/s"), ("s", "seconds"),
                       ("target", "target")])
    write_json("synth_speed", {"machine": machine(), "runs": out})


if __name__ == "__main__":
    main()
