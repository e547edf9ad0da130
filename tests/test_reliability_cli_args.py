"""Every refusal on the command line is one clear line with exit status 2 (ingest: one line per file, and it goes
on): bad option values, bytes that are not UTF-8 in file names, options and TimelineJS text, files named on the
command line that cannot be read, values in a hand-edited database that this program never writes.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badfiles.harness import cli, cli_all, cli_patched, one_line

BAD = [
    (("events", "--limit", "0"), "--limit"),
    (("events", "--limit", "0", "--query", "MoU"), "--limit"),
    (("events", "--limit", "-1"), "--limit"),
    (("events", "--limit", "1e20"), "--limit"),
    (("events", "--limit", "lots"), "--limit"),
    (("events", "--format", "xml"), "--format"),
    (("events", "--from", "2025-13"), "2025-13"),
    (("events", "--from", "2025", "--to", "2020"), "--to is before --from"),
    (("events", "--sector", "nosuch"), "unknown sector 'nosuch'"),
    (("events", "--frobnicate"), "--frobnicate"),
    (("dump", "--format", "csv"), "--out"),
    (("synth",), "--events"),
    (("synth", "--events", "0"), "--events"),
    (("synth", "--events", "10", "--seed", "-1"), "--seed"),
    (("export", "--out", "x.png", "--width", "10"), "out of range"),
    (("export", "--out", "x.gif"), "unknown image type"),
    (("import",), "FILE"),
    (("ingest",), "PATHS"),
    (("nosuchcommand",), "nosuchcommand"),
]


@pytest.mark.parametrize("args, fragment", BAD, ids=lambda a: " ".join(a) if isinstance(a, tuple) else "")
def test_a_bad_invocation_is_one_line_with_exit_2(seed_db, tmp_path, args, fragment):
    r = cli(*args, db=seed_db, cwd=tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    line = one_line(r, fragment)
    assert "Usage:" not in line and "unexpected" not in line


def test_a_limit_beyond_any_count_lists_everything(seed_db):
    every = json.loads(cli("events", "--format", "json", db=seed_db).stdout)["events"]
    for extra in ([], ["--query", "MoU"]):
        r = cli("events", "--format", "json", "--limit", "100000000000000000000", *extra, db=seed_db)
        assert r.returncode == 0, r.stderr
        got = json.loads(r.stdout)["events"]
        assert (len(got) == len(every)) if not extra else 0 < len(got) < len(every)


def test_options_that_are_not_utf8_are_refused_in_one_line(seed_db):
    for option in ("--query", "--entity", "--sector", "--from"):
        cmd = [sys.executable, "-m", "partnership_explorer", "events", option, b"caf\xe9 \xff", "--db", str(seed_db)]
        r = subprocess.run(cmd, capture_output=True, timeout=60)
        assert r.returncode == 2, (option, r.stderr)
        err = r.stderr.decode("utf-8")
        assert len(err.strip().splitlines()) == 1 and "not valid UTF-8" in err and "\\xff" in err, err


UNREADABLE = """
import builtins, io, os
_os_open, _open = os.open, io.open
def os_open(path, *a, **k):
    if os.path.basename(os.fspath(path)).startswith("secret"):
        raise PermissionError(13, "Permission denied", os.fspath(path))
    return _os_open(path, *a, **k)
def open_(file, *a, **k):
    if not isinstance(file, int) and os.path.basename(os.fspath(file)).startswith("secret"):
        raise PermissionError(13, "Permission denied", os.fspath(file))
    return _open(file, *a, **k)
os.open = os_open
builtins.open = io.open = open_
"""


@pytest.mark.parametrize("command, name, code", [("import", "secret.csv", 2), ("import", "secret.json", 2),
                                                 ("ingest", "secret.txt", 1)])
def test_an_unreadable_file_named_on_the_command_line_is_one_line_naming_it(seed_copy, tmp_path, command, name, code):
    path = tmp_path / name
    path.write_text("date,title\n2020,x\n" if name.endswith(".csv") else '{"events": []}' if name.endswith("json")
                    else "On 3 March 2021, Samsung opened a research centre in Hanoi.\n")
    if os.geteuid() == 0:  # root reads anything: the process refuses that file as the OS would
        r = cli_patched(UNREADABLE, command, path, db=seed_copy)
    else:
        path.chmod(0)
        r = cli(command, path, db=seed_copy)
    assert r.returncode == code, (r.stdout, r.stderr)
    one_line(r, name, "permission denied")


def test_file_names_that_are_not_utf8_are_stored_and_the_rest_of_the_folder_too(tmp_path):
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    good = b"On 3 March 2021, Samsung opened a research centre in Hanoi.\n"
    names = [b"\xff.txt", b"caf\xe9.txt", b"ok.txt", b"z\xed\xa0\x80.md"]
    for i, name in enumerate(names):
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(good.replace(b"2021", str(2001 + i).encode()))
    with open(os.path.join(folder, b"\xfe-binary.txt"), "wb") as fh:
        fh.write(b"\x00\x01\x02" * 100)
    db = tmp_path / "n.db"
    r = subprocess.run([sys.executable, "-m", "partnership_explorer", "ingest", folder, "--db", str(db)],
                       capture_output=True, timeout=120)
    out, err = r.stdout.decode(), r.stderr.decode("utf-8")
    assert r.returncode == 1, err
    assert "4 new" in out and "1 failed" in out  # every other file, and the summary
    assert "failed: \\xfe-binary.txt: not a text file" in err
    stored = sorted(n for (n,) in sqlite3.connect(db).execute("SELECT file_name FROM documents"))
    assert stored == sorted(["\\xff.txt", "caf\\xe9.txt", "ok.txt", "z\\xed\\xa0\\x80.md"])
    again = subprocess.run([sys.executable, "-m", "partnership_explorer", "ingest", folder, "--db", str(db)],
                           capture_output=True, timeout=120)
    assert "4 unchanged" in again.stdout.decode()  # the same names are found again
    r = subprocess.run([sys.executable, "-m", "partnership_explorer", "events", "--format", "json", "--db",
                        os.fsencode(tmp_path) + b"/\xff.db"], capture_output=True, timeout=60)
    assert r.returncode == 2 and b"no such database" in r.stderr and b"\\xff.db" in r.stderr


@pytest.mark.parametrize("field", ["unique_id", "group", "text.headline", "media.caption"])
def test_timelinejs_text_with_lone_surrogates_is_refused_naming_the_field(seed_copy, tmp_path, field):
    event = {"start_date": {"year": 2020}, "text": {"headline": "Fine"}, "media": {"url": "https://x.org/a.png"}}
    if "." in field:
        outer, inner = field.split(".")
        event[outer][inner] = "bad \\ud800 text"
    else:
        event[field] = "bad \\udfff text"
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"events": [{"start_date": {"year": 2019}}, event]}).replace("\\\\u", "\\u"))
    before = sqlite3.connect(seed_copy).execute("SELECT count(*) FROM events").fetchone()[0]
    r = cli("import", path, db=seed_copy)
    assert r.returncode == 2, (r.stdout, r.stderr)
    one_line(r, "t.json", f"events[1].{field}", "lone surrogate")
    assert sqlite3.connect(seed_copy).execute("SELECT count(*) FROM events").fetchone()[0] == before


@pytest.mark.parametrize("column", ["start", "end"])
@pytest.mark.parametrize("value", ["garbage", "2025-13-01", "2025-02-30", "", 20250101])
def test_a_hand_edited_date_is_one_line_naming_the_event(seed_copy, tmp_path, column, value):
    conn = sqlite3.connect(seed_copy)
    conn.execute("PRAGMA ignore_check_constraints = ON")  # as a hand editor can
    event_id = conn.execute("SELECT id FROM events ORDER BY id LIMIT 1 OFFSET 3").fetchone()[0]
    conn.execute(f'UPDATE events SET "{column}" = ? WHERE id = ?', [value, event_id])
    conn.commit()
    conn.close()
    refused = (("dump", "--format", "csv", "--out", "-"), ("dump", "--format", "timelinejs", "--out", "-"),
               ("export", "--out", tmp_path / "t.png"))
    listed = (("events",), ("events", "--format", "json"), ("sectors",))  # listing shows what is stored
    results = cli_all(*refused, *listed, db=seed_copy)   # readers of the file, each its own output: all at once
    for args, r in zip(refused, results[:len(refused)]):
        assert r.returncode == 2, (args, r.stdout[-300:], r.stderr)
        one_line(r, f"event {event_id}", "not a date")
    for args, r in zip(listed, results[len(refused):]):
        assert r.returncode == 0 and not r.stderr, (args, r.stderr)


def test_manifest_warnings_are_plain_lines(tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "manifest.csv").write_text("file,published,language\na.txt,2025-13-45,klingon\n,2020,\na.txt,2020,en\n")
    (folder / "a.txt").write_text("On 3 March 2021, Samsung opened a research centre in Hanoi.\n")
    r = cli("ingest", folder, db=tmp_path / "m.db")
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert lines and all(line.startswith("warning: ") and "manifest.csv line " in line for line in lines), lines
    assert "Warning:" not in r.stderr and "warnings.warn" not in r.stderr and ".py:" not in r.stderr


_WORDS = ["events", "sectors", "entities", "dump", "import", "ingest", "synth", "check", "--limit", "--format",
          "--from", "--to", "--query", "--sector", "--entity", "--out", "--events", "--seed", "--append", "--width",
          "--type", "--hide-rejected", "--quiet", "--follow-links", "-", "0", "-1", "1e9", "2025", "2025-02-30",
          "json", "csv", "table", "timelinejs", "energy", "MoU", "\x1b[31m", "caf\udce9", "", "--", "-q",
          "{tmp}/out.json", "{tmp}/in.txt", "{tmp}", "{tmp}/none.csv", "{db}"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6))
def test_any_combination_of_arguments_ends_cleanly(tmp_path_factory, argv):
    """Commands, options and values in any order: exit 0, 1 or 2, never a traceback or an 'unexpected error',
    and a refusal (exit 2) is one line."""
    from partnership_explorer.cli import main

    root = _fuzz_root(tmp_path_factory)
    args = [a.format(tmp=root, db=root / "f.db") for a in argv]
    args += ["--db", str(root / "f.db")] if args[0] in _WORDS[:8] else []
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    text = err.getvalue()
    assert code in (0, 1, 2), (args, code, text)
    assert "Traceback" not in text and "unexpected error" not in text, (args, text)
    if code == 2:
        assert len(text.strip().splitlines()) == 1, (args, text)


_FUZZ = {}


def _fuzz_root(factory):
    if "root" not in _FUZZ:
        root = factory.mktemp("fuzz")
        from conftest import SEEDS

        shutil.copy(SEEDS / "004_1d330e7e8ca98846.txt", root / "in.txt")
        os.environ["PARTNERSHIP_EXPLORER_DB"] = str(root / "default.db")  # never the user's own database
        _FUZZ["root"] = root
    return _FUZZ["root"]
