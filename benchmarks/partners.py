"""Partner pairs and their network at scale: how long after a filter change the Partners dock has its data.

    python benchmarks/partners.py [--events N ...] [--repeats R] [--no-window]

For each synthetic database (default 100k and 1M events; ``core/synth.py`` gives every event parties with roles):

* ``links``: reading the pair links of the whole database into numpy columns (once per database state: after
  opening it and after each write; memoised until the file changes), median of 3 in this process;
* per filter (all events, one sector, two sectors, a date range, a search, an entity, rejected hidden): the
  worker's whole job after a filter change with the links read — pairs, graph, layout (layout memo cleared) —
  median and p95 of R runs;
* ``window``: in the real window (offscreen Qt, the Partners tab in front, the timeline and the other panels
  loading at the same time on the two worker threads), from ``state.set_filter`` to the Partners dock showing the
  pairs of that filter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from common import db_for, machine, print_table, stats_ms, timed, write_json

from partnership_explorer.core import partners
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


def bench_core(path, repeats: int) -> list[dict]:
    rows = []
    with Store(path, readonly=True) as s:
        samples = []
        for _ in range(3):
            t0 = time.perf_counter()
            lk = partners.load_links(s)
            samples.append(time.perf_counter() - t0)
        st = stats_ms(samples)
        rows.append({"what": "links (once per database state)", "median": st["median"], "p95": max(samples) * 1000,
                     "pairs": None, "rows": f"{lk.rows:,}"})
        partners.links(s)  # memoised from here on, as in the window
        for name, flt in FILTERS.items():
            st = timed(lambda flt=flt: core_job(s, flt), repeats)
            view = core_job(s, flt)
            rows.append({"what": f"filter: {name}", "median": st["median"], "p95": st["p95"],
                         "pairs": f"{view.total_pairs:,}", "rows": None})
    return rows


def bench_window(path) -> list[dict]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from partnership_explorer.qt.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings = QSettings("/tmp/partners-bench-settings.ini", QSettings.Format.IniFormat)
    t0 = time.perf_counter()
    w = MainWindow(path, settings=settings, restore=False)
    w.resize(1600, 1000)
    w.docks["partners"].raise_()   # the Partners tab in front (hidden, it reads nothing)
    w.show()
    panel = w.partners_panel

    def wait(pred, timeout=120.0):
        end = time.perf_counter() + timeout
        while not pred():
            app.processEvents()
            time.sleep(0.002)
            if time.perf_counter() > end:
                raise TimeoutError
        return time.perf_counter()

    first = wait(lambda: panel.data is not None) - t0
    wait(lambda: not w.loading())
    rows = [{"what": "window: open to pairs shown", "median": first * 1000, "p95": None, "pairs": None, "rows": None}]
    samples = []
    for _round in range(2):
        for name, flt in list(FILTERS.items())[1:] + [("all events", EventFilter())]:
            t0 = time.perf_counter()
            w.state.set_filter(flt, None)
            done = wait(lambda flt=flt: panel.data is not None and panel.data.view.filter == flt)
            samples.append(done - t0)
            if _round == 1:
                rows.append({"what": f"window: filter {name}", "median": (done - t0) * 1000, "p95": None,
                             "pairs": f"{panel.data.view.total_pairs:,}", "rows": None})
            wait(lambda: not w.loading())
    st = stats_ms(samples)
    rows.append({"what": "window: every filter change (2 rounds)", "median": st["median"], "p95": st["p95"],
                 "pairs": None, "rows": None})
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
        print_table(rows, [("what", "what"), ("median", "median"), ("p95", "p95 / slowest"), ("pairs", "pairs"),
                           ("rows", "link rows")])
        out["results"][str(n)] = rows
    print(f"\nwritten {write_json('partners', out)}")


if __name__ == "__main__":
    main()
