"""Helpers shared by the reliability tests: running the command line, user decisions, snapshots."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def cli(*args, db=None, env=None, cwd=None, user=None, timeout=300):
    full_env = dict(os.environ, **(env or {}))
    full_env.pop("PARTNERSHIP_EXPLORER_DEBUG", None)
    cmd = [sys.executable, "-m", "partnership_explorer", *map(str, args)]
    if db is not None:
        cmd += ["--db", str(db)]
    extra = {}
    if user is not None:
        extra = dict(user=user, group=user, extra_groups=[])
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=timeout, **extra)


def cli_all(*commands, db=None, run=None, **kw):
    """Each of ``commands`` (argument tuples) through ``run`` (:func:`cli` by default) in its own subprocess, all
    at once, results in the order given. Only for commands independent of each other (readers of one database,
    each writing its own output): the cores run them side by side instead of one after another."""
    run = run or cli
    with ThreadPoolExecutor(max_workers=max(1, len(commands))) as pool:
        return list(pool.map(lambda args: run(*args, db=db, **kw), commands))


def cli_patched(patch: str, *args, db=None, timeout=300):
    """The command line in a subprocess after running ``patch`` (Python) in it: to simulate what root cannot
    feel (unreadable files, read-only files) or a small disk."""
    env = dict(os.environ)
    env.pop("PARTNERSHIP_EXPLORER_DEBUG", None)
    code = patch + "\nfrom partnership_explorer.cli import main\nmain()\n"
    cmd = [sys.executable, "-c", code, *map(str, args)]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)


def one_line(r, *fragments):
    """stderr of a refused command: one line, no traceback, every fragment in it."""
    err = r.stderr.strip()
    assert "Traceback" not in r.stderr, r.stderr
    assert err and len(err.splitlines()) == 1, r.stderr
    for f in fragments:
        assert f in err, err
    return err


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def apply_decisions(db: Path) -> dict:
    """Confirm, reject, edit, merge and add a manual event on a seeded database; return what was done."""
    from partnership_explorer.core import curation
    from partnership_explorer.core.store import Store

    with Store(db) as s:
        ids = [r[0] for r in s.execute("SELECT id FROM events WHERE status = 'extracted' ORDER BY id LIMIT 5")]
        confirmed, rejected, edited, keep, absorb = ids
        curation.confirm(s, confirmed)
        curation.reject(s, rejected)
        curation.edit(s, edited, title="Edited by the user", date="1999-09", sectors=["trade"])
        curation.merge(s, keep, absorb)
        manual = curation.add_manual_event(s, title="Added by hand", date="2001-02-03", sectors=["energy"]).event_ids[0]
        s.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"confirmed": confirmed, "rejected": rejected, "edited": edited, "keep": keep, "absorbed": absorb,
            "manual": manual}


def assert_decisions(db: Path, done: dict) -> None:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    status = dict(conn.execute("SELECT id, status FROM events"))
    assert status[done["confirmed"]] == "confirmed"
    assert status[done["rejected"]] == "rejected"
    assert status[done["absorbed"]] == "merged"
    assert status[done["manual"]] == "manual"
    title, date, locked = conn.execute("SELECT title, date, locked FROM events WHERE id = ?", [done["edited"]]).fetchone()
    assert (title, date, locked) == ("Edited by the user", "1999-09", 1)
    assert conn.execute("SELECT merged_into FROM events WHERE id = ?", [done["absorbed"]]).fetchone()[0] == done["keep"]
    assert [r[0] for r in conn.execute("SELECT sector_key FROM event_sectors WHERE event_id = ?", [done["edited"]])] == ["trade"]
    conn.close()


def snapshot(db: Path) -> dict:
    """What ingesting other files must never change: stored documents, their sources, the user's decisions,
    and which events exist (with title and kind)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
    snap = {
        "documents": q("SELECT id, path, content_hash, title, published, text FROM documents ORDER BY id"),
        "sources": q('SELECT id, event_id, document_id, start, "end", sentence FROM event_sources ORDER BY id'),
        "events": q("SELECT id, title, kind FROM events ORDER BY id"),
        "decided": q("""SELECT id, status, locked, merged_into,
                             CASE WHEN locked THEN json_array(title, date, start, "end", kind) END
                        FROM events WHERE status != 'extracted' OR locked ORDER BY id"""),
        "log": q("SELECT * FROM curation_log ORDER BY id"),
    }
    conn.close()
    return snap


def assert_kept(before: dict, after: dict) -> None:
    """Everything in ``before`` is still in ``after``, unchanged (new rows may have been added)."""
    for key in before:
        missing = set(before[key]) - set(after[key])
        assert not missing, (key, sorted(missing, key=repr)[:3])


def integrity(db: Path) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
