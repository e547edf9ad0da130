"""Several processes on one database file, all at once: the window with its store and worker threads, command
line readers and writers, an ingest. Every commit any of them reports is verified afterwards by a fresh process.

The fault class: closing any file descriptor of a database file drops every POSIX lock the process holds on it,
so a process that reads its own live database with ``open()`` lets another process delete the WAL under it and
its next commits are lost. Nothing here may ever print "disk I/O error" or lose a row.
"""

import builtins
import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from badfiles import make_corpus
from badfiles.harness import cli, integrity
from partnership_explorer.core.store import Store, StoreError


def _probe_rows(db: Path, action: str) -> int:
    """Rows with this curation action, counted by a fresh process (not this one)."""
    code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "print(c.execute('SELECT count(*) FROM curation_log WHERE action = ?', [sys.argv[2]]).fetchone()[0])")
    r = subprocess.run([sys.executable, "-c", code, str(db), action], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return int(r.stdout)


def _commit_probes(store: Store, action: str, n: int = 3) -> None:
    with store.atomic():
        for i in range(n):
            store.log(None, action, {"i": i})


@pytest.mark.parametrize("command", [
    ("sectors",), ("events", "--limit", "3"), ("entities",), ("dump", "--format", "json", "--out", "-"),
    ("ingest", "{article}"), ("export", "--out", "{png}"),
])
def test_a_second_store_and_a_command_never_cost_the_first_store_its_commits(seed_copy, tmp_path, command):
    """The sequence that lost data: a process holds a store, opens and closes a second store on the same file,
    a command runs in another process, the first store commits three rows, another process reads them."""
    article = tmp_path / "one.txt"
    article.write_text("On 3 March 2021, Samsung opened a research centre in Hanoi.\n", encoding="utf-8")
    args = [a.format(article=article, png=tmp_path / "t.png") for a in command]
    first = Store(seed_copy)
    try:
        first.counts()
        wal = os.stat(f"{seed_copy}-wal").st_ino
        Store(seed_copy).close()                       # a worker thread of the window does exactly this
        Store(seed_copy, readonly=True).close()
        r = cli(*args, db=seed_copy)
        assert r.returncode == 0, r.stderr
        assert "disk I/O" not in r.stderr
        assert os.stat(f"{seed_copy}-wal").st_ino == wal  # the WAL the first store writes to is still the file's
        _commit_probes(first, "probe")
        assert _probe_rows(seed_copy, "probe") == 3    # another process sees the commits at once
        r = cli("events", "--limit", "1", db=seed_copy)
        assert r.returncode == 0 and "disk I/O" not in r.stderr, r.stderr
        _commit_probes(first, "probe-2")
    finally:
        first.close()
    assert _probe_rows(seed_copy, "probe") == 3 and _probe_rows(seed_copy, "probe-2") == 3
    assert integrity(seed_copy) == "ok"


def test_no_live_database_file_is_ever_opened_outside_sqlite(seed_copy, tmp_path, monkeypatch):
    """Whatever this process does next to an open store (more stores, read-only stores, the timeline's title
    lookup, ingesting a folder that holds the database itself, dumping onto it), no code of ours opens the
    database or its -wal/-shm with plain open()."""
    from partnership_explorer.core.files import live_database_of
    from partnership_explorer.core.ingest import ingest_paths
    from partnership_explorer.core.interchange import InterchangeError, dump_events
    from partnership_explorer.core.query import EventFilter
    from partnership_explorer.core.timeline import load_timeline

    seen = []
    real_os_open, real_io_open = os.open, io.open

    def guarded_os_open(path, *a, **k):
        if not isinstance(path, int) and live_database_of(path):
            seen.append(os.fspath(path))
        return real_os_open(path, *a, **k)

    def guarded_io_open(file, *a, **k):
        if not isinstance(file, int) and live_database_of(file):
            seen.append(os.fspath(file))
        return real_io_open(file, *a, **k)

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("In December 2022, Vietnam and South Korea upgraded their ties.\n")
    db = folder / "events.txt"  # a database that looks like an article, inside the folder being ingested
    seed_copy.rename(db)
    os.symlink(db, tmp_path / "link.db")
    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(builtins, "open", guarded_io_open)
    monkeypatch.setattr(io, "open", guarded_io_open)
    with Store(db) as main:
        with Store(db) as worker, Store(db, readonly=True) as reader:
            data = load_timeline(reader, EventFilter())
            data.titles.get(int(data.event_id[0]))
            report = ingest_paths(worker, [folder])
        with Store(tmp_path / "link.db") as same_file:  # the same file through a symbolic link
            same_file.counts()
        for target in (db, Path(f"{db}-wal"), tmp_path / "link.db"):
            with pytest.raises(InterchangeError, match="database in use|symbolic link; refusing"):
                dump_events(main, EventFilter(), "json", target)
        data.titles.close()
        main.counts()
    assert not seen, seen
    assert report.new == 1 and any("events.txt" in m and "database in use" in m for _, m in report.failed), report
    os.link(db, tmp_path / "hard.db")  # two names of one file: two WALs for SQLite, so it is refused
    with pytest.raises(StoreError, match="hard links"):
        Store(db)


WINDOW = r"""
import json, sys, time
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

db, folder, out, n = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
dialogs = []
for name in ("warning", "information", "critical", "question"):
    setattr(QMessageBox, name, staticmethod(lambda *a, _n=name, **k: dialogs.append([_n, str(a[1:3])]) or 0))
QMessageBox.exec = lambda self: dialogs.append(["exec", self.text()]) or 0
app = QApplication([])
from partnership_explorer.qt.main_window import MainWindow

w = MainWindow(db, settings=QSettings(str(out) + ".ini", QSettings.Format.IniFormat), restore=False)
w.show()

def spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)

added = []
started = w.import_paths([folder])
for i in range(n):
    title = f"Window event {i}"
    op = w.curation.add_manual_event({"title": title, "date": f"20{10 + i % 15:02d}-03-04", "sectors": ["trade"]})
    done = []
    op.succeeded.connect(lambda changes, title=title: added.append([changes.added_ids[0], title]))
    op.succeeded.connect(lambda _c: done.append(1))
    op.failed.connect(lambda _m: done.append(1))
    deadline = time.monotonic() + 30
    while not done and time.monotonic() < deadline:   # the write runs in the writer thread
        spin(0.01)
    spin(0.05)
deadline = time.monotonic() + 60
while (w.ingestion.running() or w.ops.busy() or w.loading()) and time.monotonic() < deadline:
    spin(0.05)
w.close()
spin(0.1)
out.write_text(json.dumps({"added": added, "dialogs": dialogs, "import_started": started,
                           "errors": [m for m in (w.statusBar().currentMessage(),) if "error" in m.lower()]}))
"""

CURATOR = r"""
import json, sys
from partnership_explorer.core import curation
from partnership_explorer.core.store import Store, StoreError

db, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
made = []
for i in range(n):
    with Store(db) as s:   # a new store each time, as the command line and the window's workers do
        Store(db).close()
        new_id = curation.add_manual_event(s, title=f"Curator event {i}", date="1999-09-09", sectors=["energy"]).event_ids[0]
        made.append([new_id, f"Curator event {i}"])
open(out, "w").write(json.dumps(made))
"""


def _csv_file(path: Path, tag: str, n: int) -> Path:
    lines = ["date,title,sectors"] + [f"20{i % 20 + 5:02d}-0{i % 9 + 1}-1{i % 9},{tag} imported {i},trade"
                                      for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_window_workers_cli_readers_writers_and_an_ingest_all_at_once(seed_copy, tmp_path):
    db = seed_copy
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    window_folder = make_corpus.write_articles(tmp_path / "window_articles", 12, seed=11)
    cli_folder = make_corpus.write_articles(tmp_path / "cli_articles", 20, seed=12)
    procs = {
        "window": subprocess.Popen([sys.executable, "-c", WINDOW, str(db), str(window_folder),
                                    str(tmp_path / "window.json"), "20"], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        "curator": subprocess.Popen([sys.executable, "-c", CURATOR, str(db), str(tmp_path / "curator.json"), "10"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        "ingest": subprocess.Popen([sys.executable, "-m", "partnership_explorer", "ingest", str(cli_folder), "--quiet",
                                    "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
    }
    results: list = []
    stop = threading.Event()

    def reader(args):
        while not stop.is_set():
            results.append((args, cli(*args, db=db)))

    imports = [_csv_file(tmp_path / f"import{i}.csv", f"batch{i}", 20) for i in range(3)]

    def writer():
        for path in imports:
            results.append((("import", path.name), cli("import", path, db=db)))

    threads = [threading.Thread(target=reader, args=(a,)) for a in
               (("events", "--limit", "5"), ("sectors",), ("dump", "--format", "csv", "--out", str(tmp_path / "d.csv")))]
    threads.append(threading.Thread(target=writer))
    for t in threads:
        t.start()
    try:
        outputs = {name: p.communicate(timeout=240) for name, p in procs.items()}
    finally:
        stop.set()
        for t in threads:
            t.join()
    for name, p in procs.items():
        assert p.returncode == 0, (name, outputs[name][1][-2000:])
        assert "disk I/O" not in outputs[name][1] and "Traceback" not in outputs[name][1], (name, outputs[name][1])
    for args, r in results:
        assert r.returncode == 0, (args, r.stderr)
        assert "disk I/O" not in r.stderr and "unexpected" not in r.stderr, (args, r.stderr)
    assert sum(1 for a, _ in results if a[0] == "events") >= 2

    window = json.loads((tmp_path / "window.json").read_text())
    curator = json.loads((tmp_path / "curator.json").read_text())
    assert window["import_started"] and not window["dialogs"] and not window["errors"], window
    assert len(window["added"]) == 20 and all(i is not None for i, _ in window["added"])
    # a fresh process checks every commit anyone reported
    check = subprocess.run([sys.executable, "-c", (
        "import json, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "print(json.dumps({'events': c.execute('SELECT id, title FROM events').fetchall(),"
        " 'documents': [r[0] for r in c.execute('SELECT file_name FROM documents')],"
        " 'mode': c.execute('PRAGMA journal_mode').fetchone()[0]}))"), str(db)],
        capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stderr
    stored = json.loads(check.stdout)
    titles = {i: t for i, t in stored["events"]}
    for event_id, title in window["added"] + curator:
        assert titles.get(event_id) == title, (event_id, title)
    for path in imports:
        tag = path.stem.replace("import", "batch")
        assert sum(1 for t in titles.values() if t.startswith(f"{tag} imported ")) == 20, tag
    docs = set(stored["documents"])
    assert {p.name for p in window_folder.iterdir()} <= docs and {p.name for p in cli_folder.iterdir()} <= docs
    assert stored["mode"] == "wal"
    assert integrity(db) == "ok"


def test_parallel_ingests_of_one_folder_count_each_document_once(tmp_path):
    """Two ingests of the same folder at once store it once, and their summaries add up to the files there."""
    folder = make_corpus.write_articles(tmp_path / "articles", 30, seed=5)
    db = tmp_path / "p.db"
    Store(db).close()
    procs = [subprocess.Popen([sys.executable, "-m", "partnership_explorer", "ingest", str(folder), "--quiet",
                               "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outs = [p.communicate(timeout=240) for p in procs]
    new = unchanged = 0
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        counts = out.split("documents: ", 1)[1]
        new += int(counts.split(" new")[0])
        unchanged += int(counts.split(" updated, ")[1].split(" unchanged")[0])
    assert new == 30 and new + unchanged == 3 * 30, outs
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 30
    # and no document's extraction was written twice by the racing runs: each has its sources once, as in a
    # clean single run
    clean = tmp_path / "clean.db"
    assert cli("ingest", folder, "--quiet", db=clean).returncode == 0
    q = "SELECT d.file_name, count(*) FROM event_sources s JOIN documents d ON d.id = s.document_id GROUP BY 1 ORDER BY 1"
    assert conn.execute(q).fetchall() == sqlite3.connect(clean).execute(q).fetchall()
