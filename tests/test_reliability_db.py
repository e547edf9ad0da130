"""Databases that must be refused or survive: not SQLite, truncated, damaged, newer, planted triggers/views,
read-only, locked, full; kill -9 during ingestion; reading while another process ingests."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from badfiles import make_corpus
from badfiles.harness import (apply_decisions, assert_decisions, assert_kept, checkpoint, cli, cli_all, cli_patched,
                              integrity, one_line, sha256, snapshot)
from partnership_explorer.core.store import Store, StoreError


@pytest.fixture
def decided(seed_copy):
    done = apply_decisions(seed_copy)
    checkpoint(seed_copy)
    return seed_copy, done


def _article(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("On 3 March 2021, Samsung opened a research centre in Hanoi.\n", encoding="utf-8")
    return path


def _refused(db, tmp_path, *fragments):
    """Both a reading and a writing command refuse ``db`` in one line, exit 2, and leave the file as it was."""
    before = sha256(db)
    commands = (["events"], ["ingest", _article(tmp_path)])
    for args, r in zip(commands, cli_all(*commands, db=db)):   # both at once: neither may change the file
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        one_line(r, str(db.name), *fragments)
    assert sha256(db) == before
    assert not os.path.exists(f"{db}-wal") or os.path.getsize(f"{db}-wal") == 0


def test_not_sqlite_and_truncated(tmp_path, seed_copy):
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(8192))
    _refused(junk, tmp_path, "not an SQLite database")
    data = seed_copy.read_bytes()
    for cut in (50, 4096 + 17, len(data) // 2):
        seed_copy.write_bytes(data[:cut])
        _refused(seed_copy, tmp_path, "truncated")


def test_damaged_pages_are_refused_or_reported(seed_copy, tmp_path):
    """Bytes flipped inside pages: every command fails in one line (exit 2) or works; ingest checks first."""
    data = bytearray(seed_copy.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    rng = random.Random(3)
    for n in range(1, len(data) // page):
        for _ in range(40):
            i = n * page + rng.randrange(page)
            data[i] ^= 0xFF
    seed_copy.write_bytes(data)
    before = sha256(seed_copy)
    r = cli("ingest", _article(tmp_path), db=seed_copy)
    assert r.returncode == 2, (r.stdout, r.stderr)
    one_line(r, seed_copy.name)
    r = cli("events", db=seed_copy)
    assert r.returncode in (0, 2) and "Traceback" not in r.stderr
    if r.returncode:
        one_line(r)
    assert sha256(seed_copy) == before


def test_newer_schema_planted_trigger_and_view(decided, tmp_path):
    db, _ = decided
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('partnership_explorer', 'm999_future', '2030-01-01')")
    conn.commit()
    conn.close()
    _refused(db, tmp_path, "newer version")
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm999_future'")
    conn.execute("CREATE TABLE loot (x)")
    conn.execute("CREATE TRIGGER spy AFTER INSERT ON documents BEGIN INSERT INTO loot VALUES (new.text); END")
    conn.commit()
    conn.close()
    checkpoint(db)
    _refused(db, tmp_path, "contains a trigger 'spy' that Partnership Explorer did not create; refusing to open")
    assert sqlite3.connect(db).execute("SELECT count(*) FROM loot").fetchone()[0] == 0
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER spy")
    conn.execute("CREATE VIEW event_counts AS SELECT count(*) FROM events")
    conn.commit()
    conn.close()
    checkpoint(db)
    _refused(db, tmp_path, "contains a view 'event_counts'")
    with pytest.raises(StoreError, match="view 'event_counts'"):
        Store(db, readonly=True)


def test_defensive_mode_and_untrusted_schema_are_on(seed_copy):
    with Store(seed_copy) as s:
        assert s.defensive
        assert s.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        s.execute("PRAGMA writable_schema = ON")
        with pytest.raises(sqlite3.DatabaseError, match="may not be modified"):
            s.execute("UPDATE sqlite_master SET sql = sql WHERE name = 'events'")
        with pytest.raises(sqlite3.DatabaseError, match="may not be modified"):
            s.execute("DELETE FROM events_fts_data")
        assert s.integrity_ok() and s.verify() is None


READ_ONLY = """
import os
_access = os.access
os.access = lambda p, mode, *a, **k: False if mode & os.W_OK and "ro.db" in os.fspath(p) else _access(p, mode, *a, **k)
"""


def test_read_only_database(decided, tmp_path):
    """A file that cannot be written: reading commands work (opened mode=ro), writing ones say read-only."""
    db, done = decided
    ro = db.with_name("ro.db")
    db.rename(ro)
    before = sha256(ro)
    patch = READ_ONLY if os.geteuid() == 0 else ""
    if not patch:
        ro.chmod(0o444)
    r = cli_patched(patch, "events", "--format", "json", db=ro)
    assert r.returncode == 0, r.stderr
    assert '"Edited by the user"' in r.stdout
    r = cli_patched(patch, "ingest", _article(tmp_path), db=ro)
    assert r.returncode == 2
    one_line(r, "ro.db: database is read-only")
    assert sha256(ro) == before
    with Store(ro, readonly=True) as s:
        assert s.readonly and s.counts()["events"] > 0
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            s.execute("DELETE FROM events")
    assert sha256(ro) == before
    ro.chmod(0o644)
    assert_decisions(ro, done)


# how long an ingest ran once started (the interpreter and the imports aside: with busy cores they take seconds)
_RUN_CLOCK = ("import atexit, time\nimport partnership_explorer.cli, partnership_explorer.core.ingest\n"
              "_started = time.monotonic()\n"
              "atexit.register(lambda: open({out!r}, 'w').write(repr(time.monotonic() - _started)))\n")


def test_database_locked_by_another_process(decided, tmp_path):
    db, _ = decided
    before = sha256(db)
    clock = tmp_path / "ingest.seconds"
    holder = subprocess.Popen(   # holds the lock until told (or until the test is gone)
        [sys.executable, "-c", "import sqlite3, sys\n"
         f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\nc.execute('BEGIN EXCLUSIVE')\n"
         "print('locked', flush=True)\nsys.stdin.readline()\nc.execute('ROLLBACK')"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        results = {"ingest": None, "events": None}
        threads = [threading.Thread(target=lambda: results.__setitem__(
                       "ingest", cli_patched(_RUN_CLOCK.format(out=str(clock)), "ingest", _article(tmp_path), db=db))),
                   threading.Thread(target=lambda: results.__setitem__("events", cli("events", "--limit", "3", db=db)))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        holder.communicate("release\n", timeout=60)
    assert results["events"].returncode == 0, results["events"].stderr  # WAL: readers are not blocked
    r = results["ingest"]
    assert r.returncode == 2, (r.stdout, r.stderr)
    one_line(r, "database is locked by another program")
    waited = float(clock.read_text())
    assert 9 < waited < 14  # the 10 s busy timeout, then a clear refusal
    assert sha256(db) == before


FULL_DISK = """
import partnership_explorer.core.store as st
_configure = st.Store._configure
def _small(self):
    _configure(self)
    pages = self.db.conn.execute("PRAGMA page_count").fetchone()[0]
    self.db.conn.execute(f"PRAGMA max_page_count = {pages + 3}")
st.Store._configure = _small
"""


def test_full_disk_during_ingest(decided, tmp_path):
    db, done = decided
    before = snapshot(db)
    folder = make_corpus.write_articles(tmp_path / "articles", 40)
    r = cli_patched(FULL_DISK, "ingest", folder, db=db)
    assert r.returncode == 2, (r.stdout, r.stderr)
    one_line(r, db.name, "database or disk is full")
    assert integrity(db) == "ok"
    assert_kept(before, snapshot(db))
    assert_decisions(db, done)
    r = cli("ingest", folder, db=db)  # with room again, the job completes
    assert r.returncode == 0 and "0 failed" in r.stdout, r.stderr


def test_unwritable_export_and_dump_paths(seed_db, tmp_path):
    afile = tmp_path / "afile"
    afile.write_text("x")
    dumps = (tmp_path / "no" / "such" / "dir.json", afile / "under-a-file.json", tmp_path)
    exports = (tmp_path / "no" / "such" / "t.png", afile / "t.png")
    results = cli_all(*(("dump", "--out", out) for out in dumps), *(("export", "--out", out) for out in exports),
                      db=seed_db)   # readers of one database, each refused its own output: all at once
    for out, r in zip(dumps, results):
        assert r.returncode == 2, (out, r.stderr)
        one_line(r, "cannot write" if out != tmp_path else "is a folder")
    for out, r in zip(exports, results[len(dumps):]):
        assert r.returncode == 2, (out, r.stdout, r.stderr)
        one_line(r)
    assert afile.read_text() == "x"


# ----------------------------------------------------------------------------------------- kill -9
def _per_document_sources(db):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = dict(conn.execute("""SELECT d.file_name, count(s.id) FROM documents d
                                LEFT JOIN event_sources s ON s.document_id = d.id GROUP BY d.id"""))
    counts = conn.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events), "
                          "(SELECT count(*) FROM event_sources), (SELECT count(*) FROM curation_log)").fetchone()
    conn.close()
    return rows, counts


def test_kill_9_during_ingestion(decided, tmp_path):
    db, done = decided
    folder = make_corpus.write_articles(tmp_path / "articles", 200)
    clean = tmp_path / "clean.db"
    clean.write_bytes(db.read_bytes())
    killed_db = tmp_path / "killed.db"
    killed_db.write_bytes(db.read_bytes())
    before = snapshot(db)
    r = cli("ingest", folder, db=clean)
    assert r.returncode == 0, r.stderr
    clean_docs, clean_counts = _per_document_sources(clean)
    rng = random.Random(9)
    env = dict(os.environ)
    env.pop("PARTNERSHIP_EXPLORER_DEBUG", None)
    progress = []
    for run in range(5):
        proc = subprocess.Popen([sys.executable, "-m", "partnership_explorer", "ingest", str(folder), "--quiet",
                                 "--db", str(killed_db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        stored = len(_per_document_sources(killed_db)[0])
        deadline = time.monotonic() + 600   # its first group of documents takes a while when the cores are busy
        while len(_per_document_sources(killed_db)[0]) <= stored and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)  # wait until this run is writing, then kill it at a random point
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert integrity(killed_db) == "ok"
        print(f"kill run {run}: documents stored so far", len(_per_document_sources(killed_db)[0]))
        docs, _ = _per_document_sources(killed_db)
        for name, n in docs.items():  # no half-written document: each has all its sources, as in a clean run
            assert n == clean_docs[name], (run, name, n, clean_docs[name])
        assert_kept(before, snapshot(killed_db))
        assert_decisions(killed_db, done)
        progress.append(len(docs))
    assert progress == sorted(progress) and progress[0] > len(before["documents"]), progress
    r = cli("ingest", folder, db=killed_db)
    assert r.returncode == 0, r.stderr
    docs, counts = _per_document_sources(killed_db)
    assert docs == clean_docs
    assert counts == clean_counts
    assert_decisions(killed_db, done)


# ----------------------------------------------------------------------------------------- concurrency
def test_reading_and_curating_while_another_process_ingests(decided, tmp_path):
    from partnership_explorer.core import curation
    from partnership_explorer.core.query import EventFilter, count_events, list_events

    db, done = decided
    folder = make_corpus.write_articles(tmp_path / "articles", 120, seed=4)
    errors, seen, reads = [], [], [0]
    stop = threading.Event()

    def reader():
        try:
            with Store(db) as s:
                while not stop.is_set():
                    seen.append(count_events(s, EventFilter()))
                    list_events(s, EventFilter(), limit=50)
                    reads[0] += 1
                    time.sleep(0.005)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)

    t = threading.Thread(target=reader)
    t.start()
    proc = subprocess.Popen([sys.executable, "-m", "partnership_explorer", "ingest", str(folder), "--quiet",
                             "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (seen and seen[-1] > seen[0]) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)  # until the ingestion's first commit is visible
        with Store(db) as s:  # a decision in the middle of the ingestion
            extracted = s.execute("SELECT id FROM events WHERE status = 'extracted' ORDER BY id DESC LIMIT 1").fetchone()[0]
            curation.confirm(s, extracted)
        out, err = proc.communicate(timeout=120)
    finally:
        stop.set()
        t.join()
    assert proc.returncode == 0, err
    assert not errors, errors
    assert reads[0] > 20 and seen[-1] > seen[0]
    with Store(db) as s:
        assert count_events(s, EventFilter()) == seen[-1]
        assert s.event(extracted)["status"] == "confirmed"
    assert_decisions(db, done)
