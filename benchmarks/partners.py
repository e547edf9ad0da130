"""Partner pairs and their network at scale: how long after a filter change the Partners dock has its data.

    python benchmarks/partners.py [--events N ...] [--repeats R] [--no-window]

For each synthetic database (default 100k and 1M events; ``core/synth.py`` gives every event parties with roles):

* ``links``: reading the pair links of the whole database into numpy columns, median of 3 in this process: from
  the tables (once per state of the tables they come from: after a write to events, their entities or sectors),
  and from the copy kept in the file (what the next window on the same data reads);
* per filter (all events, one sector, two sectors, a date range, a search, an entity, rejected hidden): the
  worker's whole job after a filter change with the links read — pairs, graph, layout (layout memo cleared) —
  median and p95 of R runs;
* ``window``: in the real window (offscreen Qt, the Partners tab in front, the timeline and the other panels
  loading at the same time on the two worker threads): opening it without and with the copy of the links in the
  file, then from ``state.set_filter`` to the Partners dock showing the pairs of that filter.

Times are wall clock; ``cpu`` is the CPU time of this process over the same interval (all its threads), which a
busy machine disturbs less.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from common import db_for, machine, print_table, stats_ms, write_json

from partnership_explorer.core import partners, views
from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.store import Store

FILTERS = {
    "all events": EventFilter(),
    "sector trade": EventFilter(sectors=("trade",)),
    "sectors ai + energy": EventFilter(sectors=("ai", "energy")),
    "2015-2019": EventFilter(date_from=dt.date(2015, 1, 1), date_to=dt.date(2019, 12, 31)),
    "search hydrogen": EventFilter(query="hydrogen"),
    "entity Vietnam": EventFilter(entities=("Vietnam",)),
    "rejected hidden": EventFilter(show_rejected=False),
}


def database(n: int):
    path, info = db_for(n)
    with Store(path, readonly=True) as s:
        has_roles = s.execute("SELECT EXISTS(SELECT 1 FROM event_entities WHERE role = 'party')").fetchone()[0]
    if not has_roles:  # cached by a version of synth without roles: build it again
        (path.parent / f"{path.stem}.ok").unlink(missing_ok=True)
        path, info = db_for(n)
    return path, info


def core_job(store: Store, flt: EventFilter):
    view = partners.partner_pairs(store, flt)
    graph = partners.partner_graph(view)
    partners._layout.cache_clear()
    partners.layout(graph)
    return view


def _clocks(fn):
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t0, time.process_time() - c0


def bench_core(path, repeats: int) -> list[dict]:
    rows = []
    with Store(path) as s:   # read-write, as the window's workers: the links are kept in the file
        walls, cpus = [], []
        for _ in range(3):
            lk, wall, cpu = _clocks(lambda: partners.load_links(s))
            walls.append(wall)
            cpus.append(cpu)
        rows.append({"what": "links from the tables (after a change)", "median": stats_ms(walls)["median"],
                     "p95": max(walls) * 1000, "cpu": stats_ms(cpus)["median"], "pairs": None, "rows": f"{lk.rows:,}"})
        partners.links(s)  # memoised (and kept in the file) from here on, as in the window
        walls, cpus = [], []
        for _ in range(3):
            views._cache.clear()   # a new process: nothing in memory
            _lk, wall, cpu = _clocks(lambda: partners.links(s))
            walls.append(wall)
            cpus.append(cpu)
        rows.append({"what": "links from the copy in the file (next open)", "median": stats_ms(walls)["median"],
                     "p95": max(walls) * 1000, "cpu": stats_ms(cpus)["median"], "pairs": None, "rows": None})
        for name, flt in FILTERS.items():
            core_job(s, flt)   # warm-up
            walls, cpus = [], []
            for _ in range(repeats):
                view, wall, cpu = _clocks(lambda flt=flt: core_job(s, flt))
                walls.append(wall)
                cpus.append(cpu)
            st = stats_ms(walls)
            rows.append({"what": f"filter: {name}", "median": st["median"], "p95": st["p95"],
                         "cpu": stats_ms(cpus)["median"], "pairs": f"{view.total_pairs:,}", "rows": None})
    return rows


def bench_window(path) -> list[dict]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from partnership_explorer.qt.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings("/tmp/partners-bench-settings.ini", QSettings.Format.IniFormat)

    def wait(pred, timeout=120.0):
        end = time.perf_counter() + timeout
        while not pred():
            app.processEvents()
            time.sleep(0.002)
            if time.perf_counter() > end:
                raise TimeoutError
        return time.perf_counter()

    def open_window():
        t0, c0 = time.perf_counter(), time.process_time()
        w = MainWindow(path, settings=settings, restore=False)
        w.resize(1600, 1000)
        w.docks["partners"].raise_()   # the Partners tab in front (hidden, it reads nothing)
        w.show()
        first = wait(lambda: w.partners_panel.data is not None) - t0
        cpu = time.process_time() - c0
        wait(lambda: not w.loading())
        return w, first, cpu

    rows = []
    for label, keep in (("window: open, links not in the file", False), ("window: open, links kept in the file", True)):
        if not keep:
            with Store(path) as s:   # what the first open after a change to the events finds
                s.execute("DELETE FROM view_snapshots WHERE name = 'partner-links'")
        views._cache.clear()
        w, first, cpu = open_window()
        rows.append({"what": f"{label} (to pairs shown)", "median": first * 1000, "p95": None, "cpu": cpu * 1000,
                     "pairs": None, "rows": None})
        if not keep:
            w.close()
    panel = w.partners_panel
    samples = []
    for _round in range(2):
        for name, flt in list(FILTERS.items())[1:] + [("all events", EventFilter())]:
            t0, c0 = time.perf_counter(), time.process_time()
            w.state.set_filter(flt, None)
            done = wait(lambda flt=flt: panel.data is not None and panel.data.view.filter == flt)
            samples.append(done - t0)
            rows.append({"what": f"window: round {_round + 1}, filter {name}", "median": (done - t0) * 1000,
                         "p95": None, "cpu": (time.process_time() - c0) * 1000,
                         "pairs": f"{panel.data.view.total_pairs:,}", "rows": None})
            wait(lambda: not w.loading())
    st = stats_ms(samples)
    rows.append({"what": "window: every filter change (2 rounds)", "median": st["median"], "p95": st["p95"],
                 "cpu": None, "pairs": None, "rows": None})
    w.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, nargs="*", default=[100_000, 1_000_000])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--no-window", action="store_true")
    args = ap.parse_args()
    out = {"machine": machine(), "results": {}}
    for n in args.events:
        path, _info = database(n)
        rows = bench_core(path, args.repeats)
        if not args.no_window:
            rows += bench_window(path)
        print(f"\npartner pairs at {n:,} events (ms; target: ready within 1,000 ms of a filter change)")
        print_table(rows, [("what", "what"), ("median", "median"), ("p95", "p95 / slowest"), ("cpu", "cpu (median)"),
                           ("pairs", "pairs"), ("rows", "link rows")])
        out["results"][str(n)] = rows
    print(f"\nwritten {write_json('partners', out)}")


if __name__ == "__main__":
    main()
