"""kill -9 in the middle of bulk work: the database is as before or as after, fully indexed, in WAL mode, and the
next command works; what an older version left half-done is repaired by the next command, which says so.

Kill points are spread over a measured run (a tenth of the way, three tenths...), and some are placed exactly in a
phase (the event chunks, the full-text rebuild, just before the rename of an atomic write) by a process that kills
itself there.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from badfiles.harness import cli, integrity
from partnership_explorer.core.store import Store, _migration_names, _schema_of

BASE_EVENTS = 2_000
APPEND = 25_000  # above synth's threshold for dropping and rebuilding indexes


def _counts(db):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM documents), "
                            "(SELECT count(*) FROM event_sources), (SELECT count(*) FROM event_entities)").fetchone()
    finally:
        conn.close()


def _whole(db):
    """Integrity, every index and table of the schema, both full-text indexes in step, WAL mode, no repair due."""
    assert integrity(db) == "ok"
    expected = {k for k, (_, _, raw) in _schema_of(_migration_names()).items() if raw is not None}
    with Store(db, readonly=True) as s:
        assert not s.notes, s.notes
        present = set(s.execute("SELECT type, name FROM sqlite_master").fetchall())
        assert expected <= present, sorted(expected - present)
        assert s.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        for table in ("events", "documents"):
            assert s.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == \
                s.execute(f"SELECT count(*) FROM {table}_fts_docsize").fetchone()[0], table
    copy = f"{db}.check"
    shutil.copy(db, copy)
    for side in ("-wal", "-shm"):
        if os.path.exists(f"{db}{side}"):
            shutil.copy(f"{db}{side}", f"{copy}{side}")
    conn = sqlite3.connect(copy)  # FTS5's own check needs a writable connection: on a copy
    for table in ("events", "documents"):
        conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES('integrity-check')")
    conn.close()


@pytest.fixture(scope="module")
def synth_pair(tmp_path_factory):
    """A small synthetic database, and the same after a completed `synth --append` (with its duration)."""
    root = tmp_path_factory.mktemp("crash")
    base = root / "base.db"
    assert cli("synth", "--events", BASE_EVENTS, "--seed", "1", db=base).returncode == 0
    with Store(base) as s:
        s.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    after = root / "after.db"
    shutil.copy(base, after)
    started = time.monotonic()
    r = cli("synth", "--events", APPEND, "--seed", "2", "--append", db=after)
    assert r.returncode == 0, r.stderr
    return base, _counts(base), _counts(after), time.monotonic() - started


def _append(db):
    env = dict(os.environ)
    env.pop("PARTNERSHIP_EXPLORER_DEBUG", None)
    return subprocess.Popen([sys.executable, "-m", "partnership_explorer", "synth", "--events", str(APPEND), "--seed",
                             "2", "--append", "--db", str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)


@pytest.mark.parametrize("fraction", [0.1, 0.35, 0.6, 0.8, 0.95])
def test_kill_9_during_synth_append_leaves_before_or_after(synth_pair, tmp_path, fraction):
    base, before, after, duration = synth_pair
    db = tmp_path / "killed.db"
    shutil.copy(base, db)
    proc = _append(db)
    time.sleep(duration * fraction)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    state = _counts(db)
    assert state in (before, after), (fraction, state, before, after)
    _whole(db)
    r = cli("events", "--limit", "1", db=db)
    assert r.returncode == 0 and not r.stderr, r.stderr
    r = cli("synth", "--events", "100", "--append", db=db)  # and it can be written again
    assert r.returncode == 0, r.stderr
    _whole(db)


KILL_AT = {
    # the event chunk, between its sector and its entity links
    "events": "import partnership_explorer.core.synth as m\n_j = m._json_ints\nn = [0]\n"
              "def f(a):\n    n[0] += 1\n    if n[0] == 2: os.kill(os.getpid(), 9)\n    return _j(a)\nm._json_ints = f\n",
    # checking the loaded rows, with the row-free triggers dropped and CHECK constraints off
    "checks": "from partnership_explorer.core.store import Store\n"
              "Store._check_rows = lambda self, table, after: os.kill(os.getpid(), 9)\n",
    # the full-text rebuild, after every index was built again
    "fts": "from partnership_explorer.core.store import Store\n"
           "Store.rebuild_fts = lambda self: os.kill(os.getpid(), 9)\n",
}


@pytest.mark.parametrize("phase", sorted(KILL_AT))
def test_kill_9_in_each_phase_of_synth_append(synth_pair, tmp_path, phase):
    base, before, _, _ = synth_pair
    db = tmp_path / "killed.db"
    shutil.copy(base, db)
    code = "import os\n" + KILL_AT[phase] + "from partnership_explorer.cli import main\nmain()\n"
    r = subprocess.run([sys.executable, "-c", code, "synth", "--events", str(APPEND), "--seed", "2", "--append",
                        "--db", str(db)], capture_output=True, text=True, timeout=300)
    assert r.returncode == -signal.SIGKILL, (r.returncode, r.stderr)
    assert _counts(db) == before
    _whole(db)


def _csv(path, n):
    path.write_text("date,title,sectors,entities\n" + "".join(
        f"20{i % 25:02d}-0{i % 9 + 1}-1{i % 9},Bulk record {i},trade;energy,Samsung\n" for i in range(n)),
        encoding="utf-8")
    return path


def test_kill_9_during_a_large_csv_import_is_all_or_nothing(seed_copy, tmp_path):
    source = _csv(tmp_path / "big.csv", 15_000)
    done = tmp_path / "done.db"
    shutil.copy(seed_copy, done)
    started = time.monotonic()
    assert cli("import", source, db=done).returncode == 0
    duration = time.monotonic() - started
    before, after = _counts(seed_copy), _counts(done)
    assert after[0] == before[0] + 15_000
    for fraction in (0.3, 0.6, 0.8, 0.95):
        db = tmp_path / f"killed-{fraction}.db"
        shutil.copy(seed_copy, db)
        proc = subprocess.Popen([sys.executable, "-m", "partnership_explorer", "import", str(source), "--db", str(db)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _counts(db) in (before, after), fraction
        _whole(db)


def test_kill_9_before_an_atomic_write_is_renamed_keeps_the_old_file(seed_db, tmp_path):
    out = tmp_path / "events.csv"
    out.write_text("the old dump\n")
    os.chmod(out, 0o640)
    code = ("import os\n_replace = os.replace\n"
            "os.replace = lambda a, b: os.kill(os.getpid(), 9)\n"
            "from partnership_explorer.cli import main\nmain()\n")
    r = subprocess.run([sys.executable, "-c", code, "dump", "--format", "csv", "--out", str(out), "--db", str(seed_db)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == -signal.SIGKILL
    assert out.read_text() == "the old dump\n"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".events.csv.")]
    assert len(leftovers) == 1  # the unfinished temporary file, never the target
    r = subprocess.run([sys.executable, "-m", "partnership_explorer", "dump", "--format", "csv", "--out", str(out),
                        "--db", str(seed_db)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.read_text().startswith("date,end date,title") and oct(os.stat(out).st_mode & 0o777) == "0o640"


def test_what_an_interrupted_older_synth_left_is_repaired_by_the_next_command(synth_pair, tmp_path):
    """The state the old in-memory-journal append left after kill -9: most indexes dropped, new rows missing from
    the full-text index, the journal switched from WAL to 'memory' (on disk: 'delete')."""
    base, _, _, _ = synth_pair
    db = tmp_path / "half.db"
    shutil.copy(base, db)
    conn = sqlite3.connect(db)
    dropped = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
        "('events', 'event_sources', 'event_entities', 'event_sectors', 'documents')")][:11]
    for name in dropped:
        conn.execute(f'DROP INDEX "{name}"')
    top = conn.execute("SELECT max(id) FROM events").fetchone()[0]
    conn.executemany("INSERT INTO events (id, title, kind, date, precision, start, \"end\", created_at, updated_at) "
                     "VALUES (?, ?, 'meeting', '2023', 'year', '2023-01-01', '2023-12-31', 'x', 'x')",
                     [(top + i + 1, f"Quokka forum {i}") for i in range(50)])
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    r = cli("ingest", tmp_path / "nothing-here", db=db)  # any writing command repairs first
    assert "repaired" in r.stderr and "11 of its indexes were missing" in r.stderr and "WAL" in r.stderr, r.stderr
    _whole(db)
    r = cli("events", "--query", "Quokka", "--format", "json", db=db)
    assert r.returncode == 0 and r.stdout.count('"Quokka forum') == 50


def test_a_checkpoint_cut_short_by_a_full_disk_still_opens(seed_copy, tmp_path):
    """A checkpoint that wrote the new first page into the main file but could not grow the file (the disk was
    full) leaves a main file shorter than its header says, with every page still in the -wal: SQLite reads it
    whole, so it must be opened (it was refused as 'truncated')."""
    conn = sqlite3.connect(seed_copy, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO curation_log (event_id, action, payload, at) VALUES (NULL, 'bulk', ?, 'now')",
                     [(f"{{\"n\": {i}, \"pad\": \"{'x' * 300}\"}}",) for i in range(2_000)])
    conn.execute("COMMIT")
    crashed = tmp_path / "crashed.db"
    shutil.copy(seed_copy, crashed)  # the main file as it was, and the WAL holding the new pages
    shutil.copy(f"{seed_copy}-wal", f"{crashed}-wal")
    conn.close()
    wal = open(f"{crashed}-wal", "rb").read()
    page_size = int.from_bytes(wal[8:12], "big")
    newest_first_page = None
    for at in range(32, len(wal) - 24 - page_size + 1, 24 + page_size):
        if int.from_bytes(wal[at:at + 4], "big") == 1:
            newest_first_page = wal[at + 24:at + 24 + page_size]
    with open(crashed, "r+b") as fh:
        fh.write(newest_first_page)  # what the interrupted checkpoint wrote first
    header_pages = int.from_bytes(newest_first_page[28:32], "big")
    assert os.path.getsize(crashed) < header_pages * page_size
    r = cli("events", "--limit", "1", db=crashed)
    assert r.returncode == 0, r.stderr
    with Store(crashed) as s:
        assert s.integrity_ok()
        assert s.execute("SELECT count(*) FROM curation_log WHERE action = 'bulk'").fetchone()[0] == 2_000
    _whole(crashed)
