"""EXPLAIN QUERY PLAN and timings of the queries that feed the panels, on the cached 1M synthetic database.

Times the real core functions under each filter and explains every SQL statement they run (captured with a
trace callback), flagging walks over a whole table or index. Run:
``python benchmarks/query_plans.py [--n 1000000]``; writes ``benchmarks/results/query_plans.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import time

from common import db_for, machine, print_table, write_json

from partnership_explorer.core.query import EventFilter, count_events, entity_counts, list_events, sector_counts
from partnership_explorer.core.store import Store
from partnership_explorer.core.timeline import load_timeline

FILTERS = {
    "all": EventFilter(),
    "sector": EventFilter(sectors=("energy",)),
    "dates": EventFilter(date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 12, 31)),
    "entity": EventFilter(entities=("Kim Min-ho",)),
    "query": EventFilter(query="hydrogen"),
    "sector+dates": EventFilter(sectors=("energy",), date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 12, 31)),
}


CALLS = {
    "count_events": lambda store, flt: count_events(store, flt),
    "list_events limit 50": lambda store, flt: list_events(store, flt, limit=50, with_details=False),
    "sector_counts": lambda store, flt: sector_counts(store, flt),
    "entity_counts top 300": lambda store, flt: entity_counts(store, flt, limit=300),
    "load_timeline": lambda store, flt: load_timeline(store, flt),
}


def _size(result) -> int:
    if isinstance(result, int):
        return 1
    if hasattr(result, "event_id"):
        return len(result.event_id)
    return len(result)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    args = ap.parse_args()
    path, _ = db_for(args.n)
    rows, out = [], []
    with Store(path, readonly=True) as store:
        load_timeline(store, EventFilter())  # warm the page cache once, as an open window has
        for fname, flt in FILTERS.items():
            for cname, call in CALLS.items():
                # the real functions, timed; every statement they run is captured and explained
                statements: list[str] = []
                store.db.conn.set_trace_callback(statements.append)
                t0 = time.perf_counter()
                result = call(store, flt)
                ms = (time.perf_counter() - t0) * 1000
                store.db.conn.set_trace_callback(None)
                scans = []
                for sql in statements:
                    if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                        continue
                    plan = [r[3] for r in store.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
                    # walks over a whole table or index, except FTS MATCH lookups and the small reference tables
                    scans += [p for p in plan if re.match(r"SCAN (\w+)", p) and "VIRTUAL TABLE INDEX 0:M" not in p
                              and not re.match(r"SCAN (s|en|sectors|entities|entity_aliases)\b", p)]
                name = f"{cname}[{fname}]"
                rows.append({"query": name, "ms": ms, "rows": float(_size(result)),
                             "full scans": "; ".join(dict.fromkeys(scans)) or "none"})
                out.append({"query": name, "ms": ms, "rows": _size(result), "statements": len(statements),
                            "scans": scans})
    print(f"\nPanel queries at N={args.n:,} (the real core functions): wall time and whole-table walks "
          "(EXPLAIN QUERY PLAN of every statement they run)")
    print_table(rows, [("query", "query"), ("ms", "ms"), ("rows", "rows"), ("full scans", "full scans")])
    write_json("query_plans", {"machine": machine(), "n": args.n, "queries": out})


if __name__ == "__main__":
    main()
