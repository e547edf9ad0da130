"""Bad input through the command line: one line naming the file, the right exit status, nothing stored changed.

The corpus is written by tests/badfiles/make_corpus.py into temporary folders at test time.
"""

import os
import socket
import sqlite3
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badfiles import make_corpus
from badfiles.harness import (apply_decisions, assert_decisions, assert_kept, cli, cli_patched, integrity,
                              one_line, snapshot)


@pytest.fixture
def decided(seed_copy):
    """A copy of the seed database with user decisions on it: (path, decisions)."""
    return seed_copy, apply_decisions(seed_copy)


def _failed_lines(r):
    return {line.split(": ", 2)[1]: line for line in r.stderr.splitlines() if line.startswith("failed: ")}


def test_bad_files_are_reported_one_line_each_and_change_nothing(decided, tmp_path):
    db, done = decided
    folder = tmp_path / "bad"
    expected = make_corpus.write_bad_files(folder)
    before = snapshot(db)
    r = cli("ingest", folder, db=db)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    failed = _failed_lines(r)
    for name, outcome in expected.items():
        if outcome is None:
            assert name not in failed, failed.get(name)
        else:
            assert name in failed, (name, r.stderr)
            assert outcome in failed[name], failed[name]
    assert f"{sum(o is not None for o in expected.values())} failed" in r.stdout
    assert_kept(before, snapshot(db))
    assert_decisions(db, done)
    assert integrity(db) == "ok"
    conn = sqlite3.connect(db)
    # what was stored: no script/style/frame content, and no event outside 1800-2200 from the odd dates
    texts = dict(conn.execute("SELECT file_name, text FROM documents"))
    for marker in make_corpus.HOSTILE_MARKERS:
        assert marker not in texts["hostile.html"], marker
    assert "Hội nghị" in texts["mixed_encoding.txt"]  # UTF-8 lines stay UTF-8 next to a cp1252 line
    assert conn.execute("SELECT min(start), max(\"end\") FROM events").fetchone() >= ("1800-01-01", "")
    assert conn.execute("SELECT max(\"end\") FROM events").fetchone()[0] <= "2200-12-31"
    extreme = conn.execute(
        """SELECT e.start, e."end", s.date_text FROM event_sources s JOIN events e ON e.id = s.event_id
           JOIN documents d ON d.id = s.document_id WHERE d.file_name = 'extreme_dates.txt'""").fetchall()
    assert extreme and all("1800-01-01" <= a <= b <= "2200-12-31" for a, b, _ in extreme), extreme


def test_each_refused_file_named_alone_exits_1_or_2_with_one_line(decided, tmp_path):
    db, _ = decided
    folder = tmp_path / "bad"
    make_corpus.write_bad_files(folder)
    before = snapshot(db)
    for name in ("png.txt", "huge.txt"):
        r = cli("ingest", folder / name, db=db)
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and name in r.stderr, r.stderr
    r = cli("ingest", folder / "nowhere.txt", db=db)
    assert r.returncode == 1 and "nowhere.txt: no such file" in r.stderr
    (folder / "picture.png").write_bytes(b"\x89PNG")
    r = cli("ingest", folder / "picture.png", db=db)
    assert r.returncode == 1 and "unsupported file type" in r.stderr
    assert_kept(before, snapshot(db))


def test_hostile_html_never_touches_the_network(tmp_path, monkeypatch):
    """Scripts, frames, remote images, stylesheets and javascript: links: nothing run, nothing fetched."""
    from partnership_explorer.core.ingest import ingest_paths
    from partnership_explorer.core.store import Store

    attempts = []

    def no_connect(self, *args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", no_connect)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: no_connect(None, *a))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: no_connect(None, *a))
    folder = tmp_path / "html"
    folder.mkdir()
    (folder / "hostile.html").write_text(make_corpus._HOSTILE_HTML, encoding="utf-8")
    (folder / "malformed.html").write_bytes(make_corpus._malformed_html())
    with Store(tmp_path / "h.db") as s:
        report = ingest_paths(s, [folder])
        assert report.ok, report.failed
        texts = [r[0] for r in s.execute("SELECT text FROM documents")]
    assert not attempts, attempts
    for marker in make_corpus.HOSTILE_MARKERS:
        assert all(marker not in t for t in texts), marker


def test_manifests_with_missing_columns_or_bad_dates(decided, tmp_path):
    db, done = decided
    expected = make_corpus.write_manifest_cases(tmp_path / "m")
    before = snapshot(db)
    r = cli("ingest", tmp_path / "m", db=db)
    assert "Traceback" not in r.stderr
    refused = [sub for sub, fragment in expected.items() if fragment]
    assert r.returncode == 1
    for sub in refused:
        lines = [line for line in r.stderr.splitlines() if f"{sub}/manifest.csv" in line]
        assert len(lines) == 1 and expected[sub] in lines[0], r.stderr
    assert f"{len(expected)} new" in r.stdout  # every article is stored, with or without its manifest
    assert "manifest date '2025-13-45' is not a date" in r.stderr
    conn = sqlite3.connect(db)
    published = [r[0] for r in conn.execute("SELECT published FROM documents WHERE published IS NOT NULL")]
    assert all("1800" <= p[:4] <= "2200" for p in published), published
    assert_kept(before, snapshot(db))
    assert_decisions(db, done)


def test_symlink_loops_and_special_files(decided, tmp_path):
    db, _ = decided
    loop = make_corpus.write_symlink_loop(tmp_path / "links")
    make_corpus.write_fifo(loop)
    before = snapshot(db)
    r = cli("ingest", loop, db=db, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "1 new" in r.stdout  # the article once, through all its links; the FIFO is not opened
    r = cli("ingest", loop / "pipe.txt", db=db, timeout=60)
    assert r.returncode == 1 and "pipe.txt: not a regular file" in r.stderr and "Traceback" not in r.stderr
    assert_kept(before, snapshot(db))


def test_thousands_of_files(tmp_path):
    folder = make_corpus.write_many_files(tmp_path / "many", 3000)
    (folder / "part07" / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    db = tmp_path / "many.db"
    r = cli("ingest", folder, "--quiet", db=db, timeout=300)
    assert r.returncode == 1, r.stderr
    assert "3000 new" in r.stdout and "1 failed" in r.stdout
    assert one_line(r, "bad.txt: not a text file")
    assert sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0] == 3000


UNREADABLE_AS_ROOT = """
import builtins, io, os, pathlib
_open, _os_open, _scandir = io.open, os.open, os.scandir
def _denied(p):
    return os.path.basename(os.fspath(p)) in ("secret.txt", "closed")
def open_(file, *a, **k):
    if not isinstance(file, int) and _denied(file):
        raise PermissionError(13, "Permission denied", str(file))
    return _open(file, *a, **k)
def os_open(path, *a, **k):
    if _denied(path):
        raise PermissionError(13, "Permission denied", str(path))
    return _os_open(path, *a, **k)
def scandir(p="."):
    if _denied(p):
        raise PermissionError(13, "Permission denied", str(p))
    return _scandir(p)
builtins.open = io.open = open_
os.open = os_open
os.scandir = scandir
"""


def test_unreadable_file_and_folder(tmp_path):
    """chmod 000 does not stop root: as root, the command runs with open/scandir refusing those two paths."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "secret.txt").write_text("On 3 March 2021, Samsung opened a research centre in Hanoi.\n")
    (folder / "ok.txt").write_text("In December 2022, Vietnam and South Korea upgraded their ties.\n")
    closed = folder / "closed"
    closed.mkdir()
    (closed / "inside.txt").write_text("In 1992, the two countries established diplomatic relations.\n")
    as_root = os.geteuid() == 0
    try:
        if as_root:
            r = cli_patched(UNREADABLE_AS_ROOT, "ingest", folder, db=tmp_path / "u.db")
        else:
            os.chmod(folder / "secret.txt", 0)
            os.chmod(closed, 0)
            r = cli("ingest", folder, db=tmp_path / "u.db")
    finally:
        os.chmod(folder / "secret.txt", stat.S_IRWXU)
        os.chmod(closed, stat.S_IRWXU)
    assert r.returncode == 1, (r.stdout, r.stderr)
    failed, skipped = r.stderr.strip().splitlines()
    assert failed == "failed: secret.txt: cannot read the file (permission denied)"
    assert skipped.startswith("skipped: ") and skipped.endswith("closed: cannot read the folder (permission denied)")
    assert "1 new" in r.stdout and "1 failed, 1 skipped" in r.stdout  # the closed folder is skipped, and said so


# ------------------------------------------------------------------------------------------- any bytes
_INGEST_DB = {}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(data=st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=1500).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from([b"<div>", b"</div>", b"<p>", b"In 2021 ", b"Samsung ", b"opened ", b"\xff", b"\x00",
                              b"<script>", b"12 August 2025", b"\r\n", b"&#0;", b"<!--", b"\xc3", b"year 99999 "]),
             max_size=200).map(b"".join),
), suffix=st.sampled_from([".txt", ".html", ".md"]))
def test_any_bytes_through_ingest(tmp_path_factory, data, suffix):
    from partnership_explorer.core.ingest import ingest_paths
    from partnership_explorer.core.store import Store

    if "db" not in _INGEST_DB:
        base = tmp_path_factory.mktemp("anybytes")
        _INGEST_DB["db"], _INGEST_DB["dir"], _INGEST_DB["n"] = base / "any.db", base, 0
    _INGEST_DB["n"] += 1
    path = _INGEST_DB["dir"] / f"f{_INGEST_DB['n']}{suffix}"
    path.write_bytes(data)
    with Store(_INGEST_DB["db"]) as s:
        report = ingest_paths(s, [path])  # never raises: a bad file is a failed entry
        assert report.new + len(report.failed) == 1
        assert s.integrity_ok()
        for text, start, end, _sentence in s.execute(
                """SELECT d.text, s.start, s."end", s.sentence FROM event_sources s
                   JOIN documents d ON d.id = s.document_id WHERE d.path = ?""", [str(path.resolve())]):
            assert 0 <= start <= end <= len(text)
        assert s.execute("SELECT count(*) FROM events WHERE start < '1800' OR \"end\" > '2201'").fetchone()[0] == 0
