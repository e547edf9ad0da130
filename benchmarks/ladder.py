"""The relationship ladder and the disputed dates at scale: how fast they follow a filter change.

Two parts, on the cached synthetic database of 1M events (``common.db_for``):

* core, no Qt: ``relationship.ladder_for`` (what the band shows for a filter), ``relationship.rebuild`` (what
  every write transaction runs, here with nothing to change), ``disputes.spans_of`` (the disagreement bands of the
  events drawn one by one) and the first page of "only disputed dates";
* the real window (offscreen, a fresh process): after each filter change, the time until the ladder band shows
  the ladder of the new filter, and the longest the GUI thread went without running its event loop meanwhile
  (the reads run in worker threads; a long stall would mean the GUI thread waited on one).

    python benchmarks/ladder.py [--events 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import db_for, machine, print_table, stats_ms, timed, write_json

FILTERS = {
    "all events": {},
    "sector energy": {"sectors": ("energy",)},
    "2015–2020": {"date_from": dt.date(2015, 1, 1), "date_to": dt.date(2020, 12, 31)},
    "search 'hydrogen'": {"query": "hydrogen"},
    "entity Vietnam": {"entities": ("Vietnam",)},
}


def give_milestones_their_sides(db: Path) -> int:
    """The synthetic milestones name a level but not both of their sides, which the extractor gives every milestone
    (its two country ``party`` actors). Set them here — Vietnam and South Korea, as in the demo corpus — so that the
    ladder has steps: a handful of link rows; the write's own transaction rebuilds the ladder. Returns the steps."""
    from partnership_explorer.core import relationship
    from partnership_explorer.core.store import Store

    with Store(db) as store:
        ids = [r[0] for r in store.execute("SELECT id FROM events WHERE kind = 'milestone'").fetchall()]
        with store.atomic():
            for name in ("Vietnam", "South Korea"):
                entity = store.ensure_entity(name, "country")
                for event_id in ids:
                    store.execute("""INSERT INTO event_entities (event_id, entity_id, role) VALUES (?, ?, 'party')
                                     ON CONFLICT (event_id, entity_id) DO UPDATE SET role = 'party'""",
                                  [event_id, entity])
        return len(relationship.steps(store))


def core(db: Path) -> list[dict]:
    from partnership_explorer.core import disputes, relationship
    from partnership_explorer.core.query import EventFilter, list_events
    from partnership_explorer.core.store import Store

    rows = []
    with Store(db) as store:
        steps = relationship.steps(store)
        rows.append({"what": "rebuild (every write runs it; nothing to change)",
                     **timed(lambda: relationship.rebuild(store), 15), "note": f"{len(steps)} steps stored"})
        for name, kw in FILTERS.items():
            flt = EventFilter(**kw)
            pair, found = relationship.ladder_for(store, flt)
            rows.append({"what": f"ladder_for, {name}", **timed(lambda flt=flt: relationship.ladder_for(store, flt), 15),
                         "note": f"{pair}: {len(found)} steps" if pair else "no ladder"})
        # the window reads disagreement bands for the events its lanes draw one by one (at most 20,000)
        for n in (2_000, 20_000):
            ids = [r[0] for r in store.execute(
                "SELECT id FROM events WHERE start >= '2024-01-01' ORDER BY start LIMIT ?", [n]).fetchall()]
            found = len(disputes.spans_of(store, ids))
            rows.append({"what": f"disputes.spans_of, {len(ids):,} events drawn",
                         **timed(lambda ids=ids: disputes.spans_of(store, ids), 5), "note": f"{found} disputed"})
        # "Only disputed dates": the event list's first page tests events in time order until it has 50
        flt = EventFilter(disputed=True)
        t0 = time.perf_counter()
        page = list_events(store, flt, limit=50, with_details=False)
        rows.append({"what": "only disputed dates: first 50 of the event list", "median": (time.perf_counter() - t0)
                     * 1000, "p95": None, "n": 1, "note": f"{len(page)} listed"})
    return rows


def child(db: str) -> None:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from partnership_explorer.core.query import EventFilter
    from partnership_explorer.qt.main_window import MainWindow

    app = QApplication(["bench"])
    settings = QSettings(str(Path(os.environ["BENCH_TMP"]) / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Path(db), settings=settings, restore=False)
    window.resize(1600, 1000)
    window.show()
    band = window.timeline.ladder_band
    names = list(FILTERS)[1:] + list(FILTERS)[:1]
    plan = [EventFilter(**FILTERS[n]) for n in names]
    state = {"phase": "open", "i": 0, "t0": 0.0, "last_tick": time.perf_counter(), "stall": 0.0,
             "t_open": time.perf_counter()}
    results = []

    def on_view(part: str) -> None:
        if part == "ladder" and state["phase"] == "wait" and window.state.filter == plan[state["i"]]:
            window.timeline.grab()  # the band painted with its new ladder
            results.append({"filter": names[state["i"]], "ladder_ms": (time.perf_counter() - state["t0"]) * 1000,
                            "steps": len(band.steps), "gui_stall_ms": state["stall"] * 1000})
            state["i"] += 1
            state["phase"] = "settle"

    window.state.viewChanged.connect(on_view)

    def tick() -> None:
        now = time.perf_counter()
        state["stall"] = max(state["stall"], now - state["last_tick"])
        state["last_tick"] = now
        if state["phase"] == "open" and window.state.view.ladder is not None and not window.loading():
            state["open_s"] = now - state["t_open"]
            state["phase"] = "settle"
        elif state["phase"] == "settle" and not window.loading():
            if state["i"] >= len(plan):
                print(json.dumps({"open_s": state["open_s"], "changes": results}), flush=True)
                app.quit()
                return
            state["phase"] = "wait"
            state["stall"] = 0.0
            state["t0"] = state["last_tick"] = time.perf_counter()
            window.state.set_filter(plan[state["i"]], None)
        elif now - state["t_open"] > 900:
            print(json.dumps({"error": f"timeout in phase {state['phase']}", "changes": results}), flush=True)
            app.quit()

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(5)
    app.exec()
    os._exit(0)


def gui(db: Path) -> dict:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, __file__, "--child", str(db)], capture_output=True, text=True,
                              timeout=1200, env=dict(os.environ, QT_QPA_PLATFORM="offscreen", BENCH_TMP=tmp))
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    return json.loads(lines[-1]) if lines else {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child")
    ap.add_argument("--events", type=int, default=1_000_000)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    db, _ = db_for(args.events)
    n_steps = give_milestones_their_sides(db)
    print(f"relationship ladder and disputed dates at {args.events:,} events ({db.name}; its milestones given "
          f"their two sides: {n_steps} steps)\n")
    rows = core(db)
    print_table(rows, [("what", "core (ms)"), ("median", "median"), ("p95", "p95"), ("n", "runs"), ("note", "")])
    print()
    res = gui(db)
    if "error" in res:
        print("window:", res["error"])
    else:
        print(f"window opened (ladder shown, panels loaded) in {res['open_s']:.2f} s")
        print_table(res["changes"], [("filter", "filter change in the window, to"), ("ladder_ms", "ladder shown (ms)"),
                                     ("steps", "steps"), ("gui_stall_ms", "longest GUI-thread stall (ms)")])
        if res["changes"]:
            ms = [c["ladder_ms"] for c in res["changes"]]
            print(f"\nladder after a filter change: median {sorted(ms)[len(ms) // 2]:.0f} ms, slowest {max(ms):.0f} ms "
                  f"(target ≤ 1000 ms)")
    write_json("ladder", {"machine": machine(), "events": args.events, "core": rows, "window": res,
                          "ladder_stats": stats_ms([c["ladder_ms"] / 1000 for c in res.get("changes", [])])
                          if res.get("changes") else None})


if __name__ == "__main__":
    main()
