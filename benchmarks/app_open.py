"""Open-to-interactive time and peak memory of the real main window on synthetic databases.

The parent starts a fresh interpreter per database (``python benchmarks/app_open.py --child DB``) and measures from
just before the process starts. The child builds the real ``MainWindow`` (1600×900, offscreen), opens the
database and polls with a QTimer (every 5 ms):

* interactive: the timeline holds the data and has been drawn (a ``grab()``): the user can pan, zoom, hover and
  toggle sectors; the panels (counts, entities, event list, articles) may still be filling in from their worker;
* panels: the filtered panels are filled too (``window.loading()`` is false);
* sector toggles: 11 times ``update_filter`` between energy alone and all sectors, one per timer tick, each
  timed to the timeline drawn (the window takes the lanes out of the loaded rows on the GUI thread); median and
  slowest are reported; then, after the last (energy alone), the time until the panels are updated by their
  worker.

It prints the times and the peak memory of the window's process (``VmHWM``: its own, not the benchmark's that
started it). Each database is opened twice, in
two fresh processes: the first open of this run (right after the database was written when this run built it,
or with ``--fresh``, which writes it again with ``synth`` first) and the second (its pages in the OS cache). The
CPU time of each child process (user + system, all its threads) is printed beside the wall times, which a busy
machine stretches.

The child starts as the program does (``qt.app.main``): the window's Qt-free modules first, then Qt, the timeline's
read-ahead (:mod:`partnership_explorer.core.read_ahead`; ``--no-read-ahead`` leaves it out, to compare), then the
window's modules. Before the timed opens one untimed child opens an empty database, so that every module an open
imports is compiled (as after an install) and no timed open compiles any.

Run: ``python benchmarks/app_open.py [--sizes 1000,1000000] [--fresh] [--no-read-ahead]``; writes
``benchmarks/results/app_open.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOGGLES = 11  # sector toggles timed per database (the median is reported, and the slowest)


def peak_memory_mb() -> float:
    """The peak resident memory of this process's own image (``VmHWM``, which a new program starts afresh), not
    ``ru_maxrss``, which on Linux keeps the high-water mark of the process the child was forked from (the
    benchmark itself, which holds a million events after ``--fresh``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(db: str, t_start: float) -> None:
    sys.path.insert(0, str(HERE.parent / "desktop"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import partnership_explorer.qt  # noqa: F401  - first, as the program starts (its Qt-free modules before Qt)
    from PySide6.QtCore import QSettings, QTimer

    from partnership_explorer.core import read_ahead
    from partnership_explorer.qt.app import make_application

    app = make_application([sys.argv[0]])
    if not os.environ.get("APP_OPEN_NO_READ_AHEAD"):
        read_ahead.start(db)  # as qt.app.main does, before the window's modules are imported
    from partnership_explorer.qt.main_window import MainWindow

    import tempfile

    settings = QSettings(str(Path(tempfile.mkdtemp()) / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(None, settings=settings)
    window.resize(1600, 900)
    out: dict = {}
    window.open_database(Path(db))
    window.show()
    phase = {"p": "open"}
    toggles: list = []

    def poll():
        tl = window.timeline
        now = time.time()
        if phase["p"] == "open" and len(getattr(tl, "data", ())):
            tl.grab()
            out["interactive_s"] = time.time() - t_start
            usage = resource.getrusage(resource.RUSAGE_SELF)
            out["interactive_cpu_s"] = usage.ru_utime + usage.ru_stime
            phase["p"] = "panels"
        elif phase["p"] == "panels" and not window.loading():
            out["panels_s"] = time.time() - t_start
            phase["p"] = "toggle"
        elif phase["p"] == "toggle":
            # one toggle per timer tick (energy alone, then all sectors again...), the event loop running in
            # between as it does for a user; the window applies the timeline part synchronously
            toggles.append(None)
            keys = ("energy",) if len(toggles) % 2 else ()
            t0 = time.time()
            window.state.update_filter(None, sectors=keys)
            assert len(tl.data.lanes) == (1 if keys else len(window.timeline_data.lanes))
            tl.grab()
            toggles[-1] = time.time() - t0
            if len(toggles) == TOGGLES:  # ends on energy alone: now wait for the panels
                out["toggle_s"] = sorted(toggles)[len(toggles) // 2]
                out["toggle_max_s"] = max(toggles)
                out["t_toggle0"] = t0
                phase["p"] = "toggle panels"
        elif phase["p"] == "toggle panels" and not window.loading():
            out["toggle_panels_s"] = time.time() - out.pop("t_toggle0")
            out["peak_rss_mb"] = peak_memory_mb()
            usage = resource.getrusage(resource.RUSAGE_SELF)
            out["cpu_s"] = usage.ru_utime + usage.ru_stime
            print(json.dumps(out), flush=True)
            app.quit()
        elif now - t_start > 300:
            print(json.dumps({"error": f"timeout in phase {phase['p']}"}), flush=True)
            app.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(5)
    app.exec()
    os._exit(0)


def _child_env() -> dict:
    """The children start as an installed program does: with compiled bytecode (pip and the bundle compile it at
    install), kept in a cache folder of the results rather than beside the sources, even where the environment
    asks Python not to write bytecode."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(HERE / "results" / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm(folder: str) -> None:
    """The child of :func:`warm_bytecode`: a window opens a new, empty database in ``folder`` and closes once its
    panels are loaded, so that every module an open imports (also those imported only then) is compiled."""
    sys.path.insert(0, str(HERE.parent / "desktop"))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import partnership_explorer.qt  # noqa: F401
    from PySide6.QtCore import QSettings, QTimer

    from partnership_explorer.qt.app import make_application
    from partnership_explorer.qt.main_window import MainWindow

    app = make_application([sys.argv[0]])
    window = MainWindow(None, settings=QSettings(str(Path(folder) / "warm.ini"), QSettings.Format.IniFormat))
    window.open_database(Path(folder) / "warm.db")
    window.show()
    timer = QTimer()
    timer.timeout.connect(lambda: app.quit() if not window.loading() else None)
    timer.start(20)
    app.exec()
    os._exit(0)


def warm_bytecode() -> None:
    """Compile what the window imports while it opens a database, once and untimed (the first start after an
    install: pip and the bundle compile every module then), so that no timed open compiles any."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, __file__, "--warm", folder], env=_child_env(), check=True, timeout=600,
                       capture_output=True)


def run(db: Path) -> dict:
    t0 = time.time()
    proc = subprocess.run([sys.executable, __file__, "--child", str(db), "--t0", repr(t0)],
                          capture_output=True, text=True, timeout=600, env=_child_env())
    wall = time.time() - t0
    lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
    res = json.loads(lines[-1]) if lines else {"error": proc.stderr.strip().splitlines()[-1:] or "no output"}
    res["process_wall_s"] = wall
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child")
    ap.add_argument("--warm")
    ap.add_argument("--no-read-ahead", action="store_true",
                    help="the window reads the timeline only once it is built (as before the read-ahead)")
    ap.add_argument("--t0", type=float)
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--fresh", action="store_true", help="write each database again (synth) before opening it")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.t0)
        return
    if args.warm:
        warm(args.warm)
        return
    if args.no_read_ahead:
        os.environ["APP_OPEN_NO_READ_AHEAD"] = "1"   # inherited by the children
    sys.path.insert(0, str(HERE))
    from common import RESULTS, SEED, db_for, machine, print_table, write_json

    rows, results = [], []
    warm_bytecode()
    for n in [int(s) for s in args.sizes.split(",") if s]:
        if args.fresh:
            for p in RESULTS.glob(f"synth_{n}_seed{SEED}.*"):
                p.unlink()
        db, built = db_for(n)
        r = run(db)
        again = run(db)
        r["n"] = n
        r["first_open_after_write"] = built is not None
        r["again"] = {k: again.get(k) for k in ("interactive_s", "interactive_cpu_s", "panels_s", "error")}
        results.append(r)
        first = "first open, right after the write" if built is not None else "first open of this run"
        rows.append({"metric": f"open to interactive timeline (s): {first}", "N": f"{n:,}",
                     "value": r.get("interactive_s"), "target": "≤ 2 s"})
        rows.append({"metric": "  CPU time of the process until then (s)", "N": f"{n:,}",
                     "value": r.get("interactive_cpu_s"), "target": ""})
        rows.append({"metric": "open to interactive timeline (s): second open", "N": f"{n:,}",
                     "value": again.get("interactive_s"), "target": "≤ 2 s"})
        rows.append({"metric": "  CPU time of the process until then (s)", "N": f"{n:,}",
                     "value": again.get("interactive_cpu_s"), "target": ""})
        rows.append({"metric": "  open to panels filled (s)", "N": f"{n:,}", "value": r.get("panels_s"),
                     "target": ""})
        rows.append({"metric": f"sector toggle to timeline drawn, median of {TOGGLES} (s)", "N": f"{n:,}",
                     "value": r.get("toggle_s"), "target": "≤ 0.05 s"})
        rows.append({"metric": "  slowest toggle (s)", "N": f"{n:,}", "value": r.get("toggle_max_s"), "target": ""})
        rows.append({"metric": "  sector toggle to panels updated (s)", "N": f"{n:,}",
                     "value": r.get("toggle_panels_s"), "target": ""})
        rows.append({"metric": "peak memory (MB)", "N": f"{n:,}", "value": r.get("peak_rss_mb"), "target": "≤ 500 MB"})
        if "error" in r:
            rows.append({"metric": f"error: {r['error']}"[:60], "N": f"{n:,}", "value": None, "target": ""})
        print(f"[app_open] N={n:,}: {r}", file=sys.stderr, flush=True)
    print(f"\nReal main window, offscreen 1600×900, one fresh process per open; load average at the end: "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print_table(rows, [("metric", "metric"), ("N", "N"), ("value", "value"), ("target", "target at 1M")])
    write_json("app_open", {"machine": machine(), "results": results})


if __name__ == "__main__":
    main()
