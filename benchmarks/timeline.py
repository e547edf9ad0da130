"""Timeline scale benchmark: repaint, view change, sector toggle, hover, full-text search and export at
1k, 10k, 100k and 1M synthetic events (offscreen, 1600×900), against a naive pyqtgraph scatter baseline.

Run: ``python benchmarks/timeline.py [--sizes 1000,10000] [--repeats 15]``. Prints a table and writes
``benchmarks/results/timeline.json``. Databases are built once by ``core.synth`` and cached in
``benchmarks/results/`` (keyed by N and seed).

What is timed
  repaint    the TimelineWidget rendered into a 1600×900 image (``widget.grab()``) after setting the range and
             letting the level-of-detail layer update; baseline: a PlotWidget holding one ScatterPlotItem with
             one point per (event, lane) row, same x/y range, grabbed the same way.
  view       set_x_range to the range shifted by 10% (the widget re-aggregates on the range change), then
             processEvents, which paints the window once (paints are counted and reported); baseline: setXRange
             on the PlotWidget + processEvents, the same way (pyqtgraph applies the new transform at the start of
             the paint, which invalidates the view again: the baseline paints twice per step).
  toggle     what the window does when a sector is toggled: select_lanes (the sector's rows out of the loaded
             data, no SQL) + set_data + processEvents (one paint); then back to all sectors. For comparison, the
             same filter through SQL (load_timeline, the path of entity, kind and text filters) + set_data + paint.
  hover      core.timeline.hit_test in a random lane at a random x of the 1-year view (tolerance 6 px).
  fts        core.query.list_events(store, EventFilter(query="hydrogen"), limit=50).
  export     qt.export.export_image of the full range at 3840×2160, PNG and SVG (size of the SVG reported).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from common import HEIGHT, SIZES, WIDTH, db_for, machine, print_table, stats_ms, timed, write_json

from partnership_explorer.core.query import EventFilter, list_events
from partnership_explorer.core.store import Store
from partnership_explorer.core.timeline import hit_test, load_timeline, select_lanes, to_days

VIEWS = (("full", None), ("10 years", 3652.5), ("1 year", 365.25), ("1 month", 30.5))
CENTER = to_days("2019-07-01")


def app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["bench"])


def make_widget():
    from partnership_explorer.qt.state import ExplorerState
    from partnership_explorer.qt.timeline import TimelineWidget

    state = ExplorerState()
    w = TimelineWidget(state)
    w.resize(WIDTH, HEIGHT)
    w.show()
    app().processEvents()
    return w, state


def view_range(w, span):
    if span is None:
        return w.full_range()
    return CENTER - span / 2, CENTER + span / 2


class PaintCounter:
    """Counts paint events of a widget's viewport (installed as an event filter)."""

    def __init__(self, view):
        from PySide6.QtCore import QEvent, QObject

        class _F(QObject):
            def eventFilter(inner, obj, ev):  # noqa: N805
                if ev.type() == QEvent.Type.Paint:
                    self.n += 1
                return False

        self.n = 0
        self._filter = _F()
        view.viewport().installEventFilter(self._filter)


def grab(widget):
    img = widget.grab()
    assert img.width() > 0
    return img


def bench_n(n: int, repeats: int, do_baseline: bool, do_export: bool) -> dict:
    qapp = app()
    path, build = db_for(n)
    out: dict = {"n": n, "build": build}
    store = Store(path, readonly=True)
    t0 = time.perf_counter()
    data = load_timeline(store, EventFilter())
    out["load_timeline_ms"] = (time.perf_counter() - t0) * 1000
    out["rows"] = len(data)
    w, state = make_widget()
    t0 = time.perf_counter()
    w.set_data(data)
    qapp.processEvents()
    out["set_data_ms"] = (time.perf_counter() - t0) * 1000
    reps = repeats if n < 1_000_000 else max(5, repeats)

    # -- repaint -------------------------------------------------------------------------------------------
    for name, span in VIEWS:
        x0, x1 = view_range(w, span)
        w.set_x_range(x0, x1)
        w.update_lod()
        qapp.processEvents()
        out[f"repaint {name}"] = timed(lambda: grab(w), reps)
        out[f"lod {name}"] = {"mode": w.lod_mode, "lod_ms": w.last_lod_ms}

    # -- view change (pan step at 10 years and 1 year): re-aggregate + the paint it causes -------------
    paints = PaintCounter(w.glw)
    for name, span in (("10 years", 3652.5), ("1 year", 365.25)):
        x0, x1 = view_range(w, span)
        w.set_x_range(x0, x1)
        qapp.processEvents()
        state_ = {"k": 0}

        def step(state_=state_, x0=x0, x1=x1):
            state_["k"] += 1
            d = (x1 - x0) * 0.1 * (1 if state_["k"] % 2 else -1)
            a, b = w.x_range()
            w.set_x_range(a + d, b + d)
            qapp.processEvents()

        before = paints.n
        out[f"view change {name}"] = timed(step, reps)
        out[f"view change {name}"]["paints_per_step"] = (paints.n - before) / (reps + 1)

    # -- hover ---------------------------------------------------------------------------------------------
    x0, x1 = view_range(w, 365.25)
    tol = 6.0 * (x1 - x0) / 1400.0
    rng = np.random.default_rng(0)
    lanes = rng.integers(0, len(data.lanes), 400)
    xs = rng.uniform(x0, x1, 400)
    samples = []
    for lane, x in zip(lanes.tolist(), xs.tolist()):
        t = time.perf_counter()
        hit_test(data, lane, x, tol)
        samples.append(time.perf_counter() - t)
    out["hover"] = stats_ms(samples)

    # -- full-text search ------------------------------------------------------------------------------
    out["fts"] = timed(lambda: list_events(store, EventFilter(query="hydrogen"), limit=50), max(5, reps // 2))
    out["fts_hits"] = len(list_events(store, EventFilter(query="hydrogen"), limit=50))

    # -- sector toggle as the window does it: select_lanes → set_data → paint ---------------------------
    w.fit_all()
    qapp.processEvents()
    split = {"select": [], "set_data": [], "paint": [], "total": [], "back_total": []}
    for k in range(max(5, reps) * 2):
        keys = ("energy",) if k % 2 == 0 else ()
        t0 = time.perf_counter()
        d = select_lanes(data, keys)
        t1 = time.perf_counter()
        w.set_data(d)
        t2 = time.perf_counter()
        qapp.processEvents()
        t3 = time.perf_counter()
        if keys:
            split["select"].append(t1 - t0)
            split["set_data"].append(t2 - t1)
            split["paint"].append(t3 - t2)
            split["total"].append(t3 - t0)
        else:
            split["back_total"].append(t3 - t0)
    out["toggle"] = {k: stats_ms(v) for k, v in split.items()}
    # the same filter through SQL (entity, kind and text filters take this path)
    sql = []
    for _ in range(max(3, reps // 3)):
        t0 = time.perf_counter()
        w.set_data(load_timeline(store, EventFilter(sectors=("energy",))))
        qapp.processEvents()
        sql.append(time.perf_counter() - t0)
        w.set_data(data)
        qapp.processEvents()
    out["toggle_sql"] = stats_ms(sql)

    # -- export ----------------------------------------------------------------------------------------
    if do_export:
        from partnership_explorer.qt.export import export_image

        with tempfile.TemporaryDirectory() as tmp:
            for suffix in ("png", "svg"):
                target = Path(tmp) / f"t.{suffix}"
                t0 = time.perf_counter()
                export_image(data, target, width=3840, height=2160)
                out[f"export {suffix}"] = {"ms": (time.perf_counter() - t0) * 1000,
                                           "mb": target.stat().st_size / 1e6}
    w.hide()
    w.deleteLater()
    qapp.processEvents()

    # -- naive baseline ------------------------------------------------------------------------------
    if do_baseline:
        out.update(baseline(data, reps if n < 1_000_000 else 3, do_export))
    store.close()
    del data
    gc.collect()
    return out


def baseline(data, reps: int, do_export: bool) -> dict:
    import pyqtgraph as pg

    qapp = app()
    out: dict = {}
    pw = pg.PlotWidget()
    pw.resize(WIDTH, HEIGHT)
    t0 = time.perf_counter()
    sp = pg.ScatterPlotItem(x=data.start, y=data.lane.astype(np.float64))
    pw.addItem(sp)
    pw.show()
    paints = PaintCounter(pw)
    qapp.processEvents()
    out["baseline set_data_ms"] = (time.perf_counter() - t0) * 1000
    n_lanes = len(data.lanes)
    ext = data.extent or (0.0, 1.0)
    span = ext[1] - ext[0]
    full = (ext[0] - span * 0.03, ext[1] + span * 0.03)
    for name, s in VIEWS:
        x0, x1 = full if s is None else (CENTER - s / 2, CENTER + s / 2)
        pw.setXRange(x0, x1, padding=0)
        pw.setYRange(-0.5, n_lanes - 0.5, padding=0)
        qapp.processEvents()
        out[f"baseline repaint {name}"] = timed(lambda: pw.grab(), reps)
    for name, s in (("10 years", 3652.5), ("1 year", 365.25)):
        x0, x1 = CENTER - s / 2, CENTER + s / 2
        pw.setXRange(x0, x1, padding=0)
        qapp.processEvents()
        k = {"k": 0}

        def step(k=k, x0=x0, x1=x1):
            k["k"] += 1
            d = (x1 - x0) * 0.1 * (1 if k["k"] % 2 else -1)
            a, b = pw.getViewBox().viewRange()[0]
            pw.setXRange(a + d, b + d, padding=0)
            qapp.processEvents()

        before = paints.n
        out[f"baseline view change {name}"] = timed(step, reps)
        out[f"baseline view change {name}"]["paints_per_step"] = (paints.n - before) / (reps + 1)
    t_rep = out["baseline repaint full"]["median"]
    if do_export:
        if t_rep * 3 > 60_000:
            out["baseline export png"] = "skipped (> 60 s)"
        else:
            from pyqtgraph.exporters import ImageExporter

            with tempfile.TemporaryDirectory() as tmp:
                pw.setXRange(*full, padding=0)
                qapp.processEvents()
                ex = ImageExporter(pw.getPlotItem())
                ex.parameters()["width"] = 3840
                t0 = time.perf_counter()
                ex.export(str(Path(tmp) / "b.png"))
                out["baseline export png"] = {"ms": (time.perf_counter() - t0) * 1000}
    pw.hide()
    pw.deleteLater()
    qapp.processEvents()
    return out


def table(results: list[dict]) -> list[dict]:
    rows = []
    for r in results:
        n = r["n"]

        def add(metric, ours, base=None, target=None, n=n):
            row = {"metric": metric, "N": f"{n:,}", "median": None, "p95": None, "baseline": None, "ratio": None,
                   "target": target or ""}
            if isinstance(ours, dict):
                row["median"], row["p95"] = ours.get("median"), ours.get("p95")
            if isinstance(base, dict):
                row["baseline"] = base.get("median")
                if row["median"]:
                    row["ratio"] = base["median"] / row["median"]
            elif isinstance(base, str):
                row["baseline"] = base
            rows.append(row)

        for name, _ in VIEWS:
            add(f"repaint {name} (ms)", r[f"repaint {name}"], r.get(f"baseline repaint {name}"), "p95 ≤ 16")
        for name in ("10 years", "1 year"):
            ours, base = r[f"view change {name}"], r.get(f"baseline view change {name}")
            paints = f"{ours['paints_per_step']:.0f}" + (f"/{base['paints_per_step']:.0f}" if base else "")
            add(f"view change {name} (ms; paints {paints})", ours, base, "p95 ≤ 33")
        t = r["toggle"]
        add("sector toggle total (ms)", t["total"], None, "≤ 50")
        add("  └ select_lanes (ms)", t["select"])
        add("  └ set_data (ms)", t["set_data"])
        add("  └ paint (ms)", t["paint"])
        add("  toggle back to all (ms)", t["back_total"])
        add("  same filter through SQL (ms)", r["toggle_sql"])
        add("hover hit-test (ms)", r["hover"], None, "≤ 5")
        add(f"full-text search, {r['fts_hits']} first (ms)", r["fts"], None, "≤ 100")
        add("load_timeline all (ms)", {"median": r["load_timeline_ms"]})
        if "export png" in r:
            b = r.get("baseline export png")
            add("export PNG 3840×2160 (ms)", {"median": r["export png"]["ms"]},
                {"median": b["ms"]} if isinstance(b, dict) else b, "≤ 2000")
            add(f"export SVG 3840×2160 (ms; {r['export svg']['mb']:.1f} MB)", {"median": r["export svg"]["ms"]},
                None, "≤ 5000, ≤ 20 MB")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    app()
    results = []
    for n in sizes:
        t0 = time.perf_counter()
        r = bench_n(n, args.repeats, not args.no_baseline, do_export=True)
        r["bench_s"] = time.perf_counter() - t0
        results.append(r)
        print(f"[timeline] N={n:,} done in {r['bench_s']:.1f} s", file=sys.stderr, flush=True)
    rows = table(results)
    print(f"\nTimeline benchmark, offscreen {WIDTH}×{HEIGHT}; times in ms (median, p95); "
          "baseline = naive ScatterPlotItem median; ratio = baseline / ours")
    print_table(rows, [("metric", "metric"), ("N", "N"), ("median", "median"), ("p95", "p95"),
                       ("baseline", "baseline"), ("ratio", "ratio"), ("target", "target at 1M")])
    write_json("timeline", {"machine": machine(), "results": results, "table": rows})


if __name__ == "__main__":
    main()
