"""Output that is safe to open and to print: no formula runs from our CSV, no escape sequence from an input reaches a
terminal, no write goes through a link or onto a device, links out of an ingested folder are not followed.
"""

import csv
import io
import json
import os
import pty
import socket
import sqlite3
import stat
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badfiles.harness import cli, one_line
from partnership_explorer.core.terminal import json_for_terminal, printable

UNSAFE = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))] + list("\u061c\u200e\u200f\u2028\u2029") + \
    [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
HOSTILE = ["\x1b]0;window title\x07", "\x1b]52;c;Y2xpcGJvYXJk\x07", "\x1b]8;;http://example.invalid\x1b\\link\x1b]8;;\x1b\\",
           "\x1b[2J\x1b[31m", "line\nfailed: forged.txt", "\u202eevil\u202c", "\x9b31m", "tab\there", "\x00nul"]


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=80))
def test_printable_leaves_nothing_a_terminal_would_act_on(text):
    shown = printable(text)
    assert not any(ch in shown for ch in UNSAFE)
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in shown)
    shown.encode("utf-8")  # always printable on a UTF-8 terminal
    if not any(ch in text for ch in UNSAFE) and not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        assert shown == text  # ordinary text, accents and scripts included, is left alone


@settings(max_examples=200)
@given(st.recursive(st.text(max_size=30) | st.integers() | st.none(),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                    max_leaves=12))
def test_json_for_terminal_is_the_same_json(value):
    text = json_for_terminal(json.dumps(value, ensure_ascii=False))
    assert json.loads(text) == value
    assert not any(ch in text for ch in UNSAFE)


@pytest.fixture
def hostile_db(seed_copy):
    """The seed database with events, kinds and entities whose text holds escape sequences and line breaks."""
    from partnership_explorer.core import curation
    from partnership_explorer.core.store import Store

    with Store(seed_copy) as s:
        for i, text in enumerate(HOSTILE):
            curation.add_manual_event(s, title=f"Hostile {i} {text} end", date=f"20{10 + i:02d}-01-02",
                                      kind=f"kind{text}", entities=[f"Entity {i} {text}"], sectors=["trade"],
                                      summary=f"summary {text}")
    return seed_copy


def _on_a_terminal(args, db):
    """Run the command with stdout and stderr on a pseudo-terminal; return everything it printed (bytes)."""
    main, child = pty.openpty()
    env = dict(os.environ)
    env.pop("PARTNERSHIP_EXPLORER_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "partnership_explorer", *map(str, args), "--db", str(db)],
                            stdout=child, stderr=child, env=env)
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=120)
    os.close(main)
    return proc.returncode, out


@pytest.mark.parametrize("args", [["events"], ["events", "--format", "csv"], ["events", "--format", "json"],
                                  ["entities"], ["dump", "--format", "csv", "--out", "-"],
                                  ["dump", "--format", "timelinejs", "--out", "-"]], ids=" ".join)
def test_nothing_from_the_data_reaches_a_terminal_raw(hostile_db, args):
    code, out = _on_a_terminal(args, hostile_db)
    assert code == 0, out[-500:]
    text = out.decode("utf-8")
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text and "\x07" not in text
    assert not any(line.startswith("failed: forged") for line in text.splitlines())  # no line forged


def test_piped_csv_and_json_keep_the_data_exactly(hostile_db):
    r = cli("events", "--format", "json", db=hostile_db)
    titles = {e["title"] for e in json.loads(r.stdout)["events"]}
    assert {f"Hostile {i} {t} end" for i, t in enumerate(HOSTILE)} - {f"Hostile {i} {t} end" for i, t in
                                                                      enumerate(HOSTILE) if "\x00" in t} <= titles
    assert "\x1b" not in r.stdout  # JSON's own \u001b escapes
    r = cli("dump", "--format", "csv", "--out", "-", db=hostile_db)
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert any("\x1b]52;c;" in row["title"] for row in rows)  # a file gets the data as it is (not escaped)


def test_file_names_with_escapes_and_line_breaks_cannot_forge_lines(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["ok.txt", "bad\nfailed: forged.txt", "\x1b]0;owned\x07.txt", "\u202etxt.exe.txt"]
    for name in names:
        data = b"On 3 March 2021, Samsung opened a research centre in Hanoi.\n" if name == "ok.txt" else b"\x00\x01" * 50
        (folder / name).write_bytes(data)
    r = cli("ingest", folder, db=tmp_path / "n.db")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith("failed: ") for line in lines), lines
    assert "\x1b" not in r.stderr and "\u202e" not in r.stderr and "forged" in lines[0] + lines[1] + lines[2]
    code, out = _on_a_terminal(["ingest", folder], tmp_path / "t.db")  # the progress bar names files too
    assert b"\x1b]" not in out and "\u202e".encode() not in out


_word = st.text(alphabet="=+-@'\t\r\"; ,aZé0", min_size=1, max_size=6).map(lambda w: " ".join(w.split()) or "x")
_value = st.lists(_word, min_size=1, max_size=4).map(" ".join).map(lambda v: " ".join(v.split()) or "x")
FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


_CSV_DB = {}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(title=_value, kind=_value, entity=_value.filter(lambda v: ";" not in v), summary=_value)  # ';' separates names
def test_csv_cells_never_start_a_formula_and_read_back_unchanged(tmp_path_factory, title, kind, entity, summary):
    """Both CSV outputs (dump and the event listing), any text: no cell starts like a formula, and `import`
    reads every value back as it was."""
    from partnership_explorer.core import curation
    from partnership_explorer.core.interchange import _csv, event_list_csv, read_import
    from partnership_explorer.core.query import EventFilter, list_events
    from partnership_explorer.core.sectors import default_taxonomy
    from partnership_explorer.core.store import Store

    if "root" not in _CSV_DB:
        _CSV_DB["root"] = tmp_path_factory.mktemp("csv")
        with Store(_CSV_DB["root"] / "a.db") as s:
            s.sync_sectors(default_taxonomy().sectors)
    root = _CSV_DB["root"]
    with Store(root / "a.db") as s:
        new_id = curation.add_manual_event(s, title=title, date="2019-05-06", kind=kind, entities=[entity],
                                           summary=summary, sectors=["trade"]).event_ids[0]
        rows = [e for e in list_events(s, EventFilter()) if e["id"] == new_id]
        texts = {"dump.csv": _csv(rows, {}), "listing.csv": event_list_csv(rows)}
        s.delete_events([new_id])
    for name, text in texts.items():
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(FORMULA), cell
        path = root / name
        path.write_text(text, encoding="utf-8")
        (record,) = read_import(path).records
        assert (record.title, record.kind, [n for n, _ in record.entities]) == (title, kind, [entity]), name
        if name == "dump.csv":
            assert record.summary == summary


def _targets(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file\n")
    fifo = tmp_path / "fifo.out"
    os.mkfifo(fifo)
    link = tmp_path / "link.out"
    os.symlink(victim, link)
    dangling = tmp_path / "dangling.out"
    os.symlink(tmp_path / "nowhere", dangling)
    folder = tmp_path / "folder.out"
    folder.mkdir()
    sock_path = tmp_path / "sock.out"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    targets = {"fifo": fifo, "symlink": link, "dangling symlink": dangling, "folder": folder, "socket": sock_path}
    device = tmp_path / "null.out"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        targets["device"] = device
    except (PermissionError, OSError):
        pass
    return victim, targets, sock


@pytest.mark.parametrize("command", ["dump", "export"])
def test_a_target_that_is_not_a_regular_file_is_refused_and_left_alone(seed_db, tmp_path, command):
    victim, targets, sock = _targets(tmp_path)
    try:
        for kind, target in targets.items():
            before = os.lstat(target)
            out = target if command == "dump" else target.with_suffix(".png")
            if command == "export":
                os.rename(target, out)
            r = cli(command, "--out", out, db=seed_db, timeout=120)
            assert r.returncode == 2, (kind, r.stdout, r.stderr)
            one_line(r)
            after = os.lstat(out)
            assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino), kind
    finally:
        sock.close()
    assert victim.read_text() == "someone else's file\n"
    assert not (tmp_path / "nowhere").exists()


def test_a_planted_temporary_name_is_never_followed(seed_db, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    os.symlink(victim, tmp_path / ".timeline.png.part")  # the fixed name an earlier version wrote through
    os.symlink(victim, tmp_path / ".timeline.png.tmp")
    r = cli("export", "--out", tmp_path / "timeline.png", db=seed_db, timeout=120)
    assert r.returncode == 0, r.stderr
    assert victim.read_text() == "keep me\n"
    assert (tmp_path / "timeline.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o664, None])
def test_an_existing_file_keeps_its_permissions(seed_db, tmp_path, mode):
    out = tmp_path / "events.json"
    if mode is not None:
        out.write_text("old\n")
        os.chmod(out, mode)
    r = cli("dump", "--format", "json", "--out", out, db=seed_db)
    assert r.returncode == 0, r.stderr
    expected = mode if mode is not None else 0o666 & ~_umask()
    assert stat.S_IMODE(os.stat(out).st_mode) == expected
    assert json.loads(out.read_text())["events"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_the_open_database_is_never_the_output(seed_copy):
    before = sqlite3.connect(seed_copy).execute("SELECT count(*) FROM events").fetchone()[0]
    for out in (seed_copy, f"{seed_copy}-wal", f"{seed_copy}-shm"):
        r = cli("dump", "--format", "json", "--out", out, db=seed_copy)
        assert r.returncode == 2, (out, r.stderr)
    assert sqlite3.connect(seed_copy).execute("SELECT count(*) FROM events").fetchone()[0] == before


def _linked_tree(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("On 5 May 2019, the two ministries signed a secret MoU in Seoul.\n")
    (outside / "sub").mkdir()
    (outside / "sub" / "more.txt").write_text("In 2018, Hyundai opened a plant in Ninh Binh.\n")
    tree = tmp_path / "tree"
    (tree / "inner").mkdir(parents=True)
    (tree / "ok.txt").write_text("On 3 March 2021, Samsung opened a research centre in Hanoi.\n")
    (tree / "inner" / "own.txt").write_text("In December 2022, Vietnam and South Korea upgraded their ties.\n")
    os.symlink(outside / "secret.txt", tree / "secret-link.txt")
    os.symlink(outside / "sub", tree / "folder-link")
    os.symlink(tree / "inner", tree / "inner-link")  # stays inside: followed (once)
    os.symlink(tree / "inner-link", tree / "chain")  # a chain that ends inside
    return tree


def test_links_leaving_the_folder_are_skipped_and_said_unless_asked(tmp_path):
    tree = _linked_tree(tmp_path)
    r = cli("ingest", tree, "--quiet", db=tmp_path / "a.db")
    assert r.returncode == 0, r.stderr
    skipped = r.stderr.strip().splitlines()
    assert len(skipped) == 2 and all("leading outside the folder" in line and "--follow-links" in line
                                     for line in skipped), skipped
    assert "2 new" in r.stdout and "2 skipped" in r.stdout
    names = {n for (n,) in sqlite3.connect(tmp_path / "a.db").execute("SELECT file_name FROM documents")}
    assert names == {"ok.txt", "own.txt"}
    r = cli("ingest", tree, "--quiet", "--follow-links", db=tmp_path / "b.db")
    assert r.returncode == 0 and not r.stderr, r.stderr
    names = {n for (n,) in sqlite3.connect(tmp_path / "b.db").execute("SELECT file_name FROM documents")}
    assert names == {"ok.txt", "own.txt", "secret-link.txt", "more.txt"}
