"""Recomputing the indicators table: every indicator again (after a bulk load) and the refresh one curation
decision or one article costs, on the cached synthetic databases; then reading the series (with every source
sentence, as the command line does, and as the window does: sentences only up to WINDOW_SENTENCE_LIMIT figures).

    python benchmarks/indicators.py [N ...]      # default: 10,000 100,000 1,000,000 events
"""

from __future__ import annotations

import sys
import time

from common import db_for, machine, print_table, timed, write_json


def run(n: int) -> dict:
    from partnership_explorer.core import indicators as ind
    from partnership_explorer.core.store import Store

    path, _ = db_for(n)
    with Store(path) as store:
        figures = store.execute("SELECT count(*) FROM event_sources s JOIN events e ON e.id = s.event_id "
                                "WHERE e.kind IN ('statistic', 'target')").fetchone()[0]
        t0 = time.perf_counter()
        rows = ind.rebuild(store)
        full_s = time.perf_counter() - t0
        ids = [r[0] for r in store.execute(
            "SELECT id FROM events WHERE kind = 'statistic' ORDER BY id LIMIT 400").fetchall()]
        it = iter(ids * 4)
        one = timed(lambda: ind.refresh(store, [next(it)]), repeats=30, warmup=2)
        hundred = timed(lambda: ind.refresh(store, ids[:100]), repeats=5, warmup=1)
        load = timed(lambda: ind.load_series(store), repeats=3, warmup=1)
        window = timed(lambda: ind.load_series(store, sentence_limit=ind.WINDOW_SENTENCE_LIMIT), repeats=3, warmup=1)
    return {"events": n, "figure_sources": figures, "rows": rows, "rebuild_s": full_s,
            "refresh_1_ms": one["median"], "refresh_100_ms": hundred["median"], "load_series_ms": load["median"],
            "window_load_ms": window["median"]}


def main(argv: list[str]) -> None:
    sizes = [int(a.replace(",", "").replace("_", "")) for a in argv] or [10_000, 100_000, 1_000_000]
    results = [run(n) for n in sizes]
    print_table(results, [("events", "events"), ("figure_sources", "statistic/target sources"),
                          ("rows", "indicator rows"), ("rebuild_s", "rebuild all (s)"),
                          ("refresh_1_ms", "refresh 1 event (ms)"), ("refresh_100_ms", "refresh 100 (ms)"),
                          ("load_series_ms", "load series (ms)"), ("window_load_ms", "window's load (ms)")])
    write_json("indicators", {"machine": machine(), "results": results})


if __name__ == "__main__":
    main(sys.argv[1:])
