"""Bulk import speed: ``core.synth`` events/s at 10k, 100k and 1M events (the 1M database is the cached one
the other benchmarks use; its build time is reported when this run built it, else a fresh 100k run is timed).

Also the CSV import path (``partnership-explorer import``) on 10k and 100k events dumped from a synthetic
database, and importing the unchanged file again. Every time is the whole call, commit included, as wall time
and as this process's CPU time (``time.process_time``: what a busy machine does not stretch), with the load
average at the start of each. Run: ``python benchmarks/synth_speed.py [--sizes 10000,100000]``; writes
``benchmarks/results/synth_speed.json``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from common import SIZES, db_for, machine, print_table, write_json

from partnership_explorer.core.store import Store
from partnership_explorer.core.synth import synthesize


def _timed(fn):
    """(result, wall seconds, CPU seconds, load average before)."""
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - t0, time.process_time() - c0, load


def _csv_import_seconds(n: int) -> tuple[tuple, tuple]:
    """Dump n synthetic events to CSV (our documented columns), then time importing them into a fresh database,
    and importing the unchanged file again."""
    from partnership_explorer.core.interchange import MAX_BYTES, dump_events, import_events
    from partnership_explorer.core.query import EventFilter

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "events.csv"
        with Store(Path(tmp) / "src.db") as src:
            synthesize(src, n, seed=3)
            dump_events(src, EventFilter(), "csv", csv_path)
        with Store(Path(tmp) / "dst.db") as dst:
            limit = max(MAX_BYTES, csv_path.stat().st_size)  # what `import --max-size` does for a larger file
            report, *first = _timed(lambda: import_events(dst, csv_path, limit))
            again, *second = _timed(lambda: import_events(dst, csv_path, limit))
            assert again.new == 0 and again.unchanged == n, again
        # synthetic titles repeat, so a few rows match an earlier one (same title, start and end) and are
        # reported unchanged rather than added again
        assert report.new + report.unchanged + report.updated == n, (report.summary(), n)
    return tuple(first), tuple(second)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000", help="fresh synth and CSV import sizes")
    ap.add_argument("--csv-sizes", default=None,
                    help="CSV import sizes (default: --sizes; over 50 MB, about 150,000 events, the limit is raised "
                         "as `import --max-size` does)")
    ap.add_argument("--no-cached", action="store_true", help="skip building the cached benchmark databases")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x]
    csv_sizes = sizes if args.csv_sizes is None else [int(x) for x in args.csv_sizes.split(",") if x]
    rows, out = [], []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db") as store:
            r, wall, cpu, load = _timed(lambda store=store, n=n: synthesize(store, n, seed=2))
        rows.append({"metric": "synth (fresh temp db, commit included)", "N": f"{n:,}", "events/s": n / wall,
                     "s": wall, "cpu": cpu, "load": load, "target": "≥ 50,000/s"})
        for name, sec in r.phases.items():
            rows.append({"metric": f"  └ {name}", "N": f"{n:,}", "events/s": None, "s": sec, "cpu": None,
                         "load": None, "target": ""})
        rows.append({"metric": "  └ commit (and the commit hooks)", "N": f"{n:,}", "events/s": None,
                     "s": wall - r.seconds, "cpu": None, "load": None, "target": ""})
        out.append({"n": n, "seconds": wall, "cpu_seconds": cpu, "load": load, "events_per_s": n / wall,
                    "events_per_cpu_s": n / cpu, "phases": r.phases})
    for n in (() if args.no_cached else SIZES):
        _, info = db_for(n)  # builds the cached databases the other benchmarks use
        if info and n == 1_000_000:
            rows.append({"metric": "synth (cached bench db)", "N": f"{n:,}", "events/s": float(info["events_per_s"]),
                         "s": info["seconds"], "cpu": None, "load": None, "target": "≥ 50,000/s"})
            out.append({"n": n, **info})
    for n in csv_sizes:
        (seconds, cpu, load), (reimport, re_cpu, re_load) = _csv_import_seconds(n)
        rows.append({"metric": "CSV import (import command)", "N": f"{n:,}", "events/s": n / seconds, "s": seconds,
                     "cpu": cpu, "load": load, "target": "≥ 50,000/s"})
        rows.append({"metric": "CSV import of the unchanged file again", "N": f"{n:,}", "events/s": n / reimport,
                     "s": reimport, "cpu": re_cpu, "load": re_load, "target": "< 2 s at 100k"})
        out.append({"n": n, "csv_import_seconds": seconds, "csv_import_cpu_seconds": cpu, "csv_events_per_s": n / seconds,
                    "csv_reimport_seconds": reimport, "csv_reimport_cpu_seconds": re_cpu, "load": load})
    print("\nBulk import (core.synth: executemany per 50k chunk, link tables via json_each, indexes and FTS "
          f"rebuilt once); {os.cpu_count()} cores, load average = the 1-minute load before each run")
    print_table(rows, [("metric", "metric"), ("N", "N"), ("events/s", "events/s (wall)"), ("s", "wall s"),
                       ("cpu", "CPU s"), ("load", "load"), ("target", "target")])
    write_json("synth_speed", {"machine": machine(), "runs": out})


if __name__ == "__main__":
    main()
