"""EXPLAIN QUERY PLAN and timings of the queries that feed the panels, on the cached 1M synthetic database.

Flags every full table scan (``SCAN <table>`` without an index) and times each query. Run:
``python benchmarks/query_plans.py [--n 1000000]``; writes ``benchmarks/results/query_plans.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import time

from common import db_for, machine, print_table, write_json

from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.store import Store

FILTERS = {
    "all": EventFilter(),
    "sector": EventFilter(sectors=("energy",)),
    "dates": EventFilter(date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 12, 31)),
    "entity": EventFilter(entities=("Kim Min-ho",)),
    "query": EventFilter(query="hydrogen"),
    "sector+dates": EventFilter(sectors=("energy",), date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 12, 31)),
}


def statements(store: Store):
    """(name, sql, params) of the panel queries, compiled exactly as core.query / core.timeline do."""
    from partnership_explorer.core import timeline as tl

    for fname, flt in FILTERS.items():
        where, params, _ = flt.where()
        yield f"count_events[{fname}]", f"SELECT count(*) FROM events e WHERE {where}", params
        yield (f"list_events[{fname}] limit 50",
               f"""SELECT e.id FROM events e WHERE {where} ORDER BY e.start, e."end", e.id LIMIT 50""", params)
        base = flt.replace(sectors=())
        w2, p2, _ = base.where()
        yield (f"sector_counts[{fname}]",
               f"""SELECT s.key, count(e.id) FROM sectors s LEFT JOIN event_sectors es ON es.sector_key = s.key
                   LEFT JOIN events e ON e.id = es.event_id AND {w2} GROUP BY s.key ORDER BY s.position""", p2)
        yield (f"entity_counts[{fname}]",
               f"""SELECT en.name, count(DISTINCT e.id) AS n FROM entities en
                   JOIN event_entities ee ON ee.entity_id = en.id JOIN events e ON e.id = ee.event_id AND {where}
                   GROUP BY en.id ORDER BY n DESC, en.type, en.name""", params)
        sector_cond, lp = "", list(params)
        if flt.sectors:
            sector_cond = f" AND es.sector_key IN ({','.join('?' * len(flt.sectors))})"
            lp = list(flt.sectors) + lp
        yield (f"load_timeline[{fname}]",
               f"""SELECT e.id, es.sector_key, e.start, e."end", COALESCE(sc.n, 0), e.title FROM events e
                   LEFT JOIN event_sectors es ON es.event_id = e.id{sector_cond}
                   LEFT JOIN (SELECT event_id, count(*) AS n FROM event_sources GROUP BY event_id) sc
                     ON sc.event_id = e.id
                   WHERE {where}{' AND es.sector_key IS NOT NULL' if flt.sectors else ''}""", lp)
    yield ("load_timeline eras",
           f"""SELECT julianday(start) - {tl._JULIAN_EPOCH}, title FROM events
               WHERE kind = 'milestone' AND status NOT IN ('rejected', 'merged') ORDER BY start, id""", [])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    args = ap.parse_args()
    path, _ = db_for(args.n)
    rows, out = [], []
    with Store(path, readonly=True) as store:
        for name, sql, params in statements(store):
            plan = [r[3] for r in store.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()]
            # every walk over a whole table or index, except FTS MATCH lookups and the small reference tables
            # (sectors: 15 rows, entities: thousands)
            scans = [p for p in plan if re.match(r"SCAN (\w+)", p) and "VIRTUAL TABLE INDEX 0:M" not in p
                     and not re.match(r"SCAN (s|en|sectors|entities)\b", p)]
            t0 = time.perf_counter()
            n_rows = len(store.execute(sql, params).fetchall())
            ms = (time.perf_counter() - t0) * 1000
            rows.append({"query": name, "ms": ms, "rows": float(n_rows),
                         "full scans": "; ".join(scans) or "none"})
            out.append({"query": name, "ms": ms, "rows": n_rows, "plan": plan, "full_scans": scans})
    print(f"\nPanel queries at N={args.n:,}: wall time and full table scans (EXPLAIN QUERY PLAN)")
    print_table(rows, [("query", "query"), ("ms", "ms"), ("rows", "rows"), ("full scans", "full scans")])
    write_json("query_plans", {"machine": machine(), "n": args.n, "queries": out})


if __name__ == "__main__":
    main()
