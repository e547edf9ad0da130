"""Shared helpers for the scale benchmarks: cached synthetic databases, timing statistics, result files."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "desktop"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RESULTS = ROOT / "benchmarks" / "results"
SEED = 1
SIZES = (1_000, 10_000, 100_000, 1_000_000)
WIDTH, HEIGHT = 1600, 900


def db_for(n: int, seed: int = SEED) -> tuple[Path, dict | None]:
    """The cached synthetic database of ``n`` events (built when missing). Returns (path, build report or None)."""
    from partnership_explorer.core.store import Store
    from partnership_explorer.core.synth import synthesize

    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"synth_{n}_seed{seed}.db"
    ok = RESULTS / f"synth_{n}_seed{seed}.ok"
    if path.exists() and ok.exists():
        Store(path).close()  # brings a database cached by an older version up to the current schema
        return path, None
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    with Store(path) as store:
        report = synthesize(store, n, seed)
        store.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.execute("ANALYZE")
    info = {"events": report.events, "seconds": round(report.seconds, 2), "events_per_s": round(report.events_per_s),
            "phases": {k: round(v, 2) for k, v in (report.phases or {}).items()}}
    ok.write_text(json.dumps(info))
    return path, info


def stats_ms(samples: list[float]) -> dict:
    """Median and p95 (nearest rank) of samples given in seconds, as milliseconds."""
    xs = sorted(samples)
    p95 = xs[min(len(xs) - 1, max(0, int(round(0.95 * len(xs) + 0.5)) - 1))]
    return {"median": statistics.median(xs) * 1000, "p95": p95 * 1000, "n": len(xs)}


def timed(fn, repeats: int, warmup: int = 1) -> dict:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return stats_ms(samples)


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3

    return {"cpu": model or platform.processor(), "cores": os.cpu_count(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "platform": platform.platform()}


def write_json(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=str))
    return path


def fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def print_table(rows: list[dict], columns: list[tuple[str, str]]) -> None:
    """rows of dicts; columns as (key, header)."""
    cells = [[h for _, h in columns]] + [[fmt(r.get(k)) if not isinstance(r.get(k), str) else r.get(k)
                                          for k, _ in columns] for r in rows]
    widths = [max(len(str(c[i])) for c in cells) for i in range(len(columns))]
    for j, row in enumerate(cells):
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if j == 0:
            print("  ".join("-" * w for w in widths))
