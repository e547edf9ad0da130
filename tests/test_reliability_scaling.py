"""Time and memory grow in proportion to the input, every limit is documented and said in one line, nothing hangs.

Growth is checked without timing anything: the work of extraction is counted as the Python lines it executes
(``sys.settrace``), and its memory as the peak ``tracemalloc`` sees, for inputs four times apart. A quadratic
step makes the count grow sixteen-fold; linear work, four-fold. The absolute speed is in
``benchmarks/scaling.py``. Inputs that used to hang or crash (a FIFO as database, 1,100 nested folders, a
manifest of 400,000 bad dates, 60,000 TimelineJS eras, a line of megabytes) run with a timeout that only a hang
would reach.
"""

import json
import os
import sqlite3
import sys
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from badfiles import make_corpus
from badfiles.harness import cli, one_line
from partnership_explorer.core.extract import extract_candidates
from partnership_explorer.core.sentences import MAX_SENTENCE_CHARS, split_sentences

SHAPES = {"dense prose": make_corpus.dense_text, "one long line": make_corpus.one_line_text,
          "markdown table": make_corpus.markdown_table}


def _lines_executed(fn, *args) -> int:
    n = [0]

    def tracer(frame, event, arg):
        n[0] += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn(*args)
    finally:
        sys.settrace(None)
    return n[0]


def _peak_bytes(fn, *args) -> int:
    tracemalloc.start()
    try:
        fn(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_extraction_work_grows_linearly(shape):
    make = SHAPES[shape]
    extract_candidates("On 3 March 2021, Samsung opened a research centre in Hanoi.")  # resources loaded first
    small, large = make(64_000), make(256_000)
    work = _lines_executed(extract_candidates, large) / _lines_executed(extract_candidates, small)
    assert work < 5.5, work  # 4 for linear work; a quadratic step makes it 16


def test_extraction_memory_grows_linearly():
    extract_candidates("On 3 March 2021, Samsung opened a research centre in Hanoi.")
    small, large = make_corpus.dense_text(64_000), make_corpus.dense_text(256_000)
    assert _peak_bytes(extract_candidates, large) / _peak_bytes(extract_candidates, small) < 5.5


def test_timeline_eras_are_matched_in_linear_work(tmp_path):
    """Each era is matched to the event starting on its day through an index of days, not a scan of the events."""
    from partnership_explorer.core.interchange import read_import

    def timeline(n):
        events = [{"start_date": {"year": 1900 + i // 336, "month": 1 + (i // 28) % 12, "day": 1 + i % 28},
                   "text": {"headline": f"Event {i}"}} for i in range(n)]
        eras = [{"start_date": e["start_date"], "text": {"headline": f"Era {i}"}} for i, e in enumerate(events)]
        path = tmp_path / f"eras{n}.json"
        path.write_text(json.dumps({"events": events, "eras": eras}))
        return path

    small, large = timeline(1_000), timeline(4_000)
    assert _lines_executed(read_import, large) / _lines_executed(read_import, small) < 5.5
    parsed = read_import(large)
    assert len(parsed.records) == 4_000 and all(r.kind == "milestone" for r in parsed.records)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab 1\n.!,;"), max_size=6000))
def test_sentences_are_pieces_of_bounded_length_covering_the_text(text):
    spans = split_sentences(text)
    assert all(0 < s.end - s.start <= MAX_SENTENCE_CHARS and text[s.start:s.end] == s.text for s in spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    covered = "".join(s.text for s in spans)
    assert "".join(text.split()) == "".join(covered.split())  # every character but spaces is in a sentence


CAP = """
import partnership_explorer.core.ingest as ingest
import partnership_explorer.core.pipeline as pipeline
pipeline.MAX_EXTRACT_CHARS = 50_000
"""


def test_a_line_of_megabytes_is_stored_whole_and_searched_up_to_the_documented_cap(tmp_path):
    from badfiles.harness import cli_patched

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "line.txt").write_text(make_corpus.one_line_text(5_000_000) + "Zanzibar closing words\n")
    db = tmp_path / "l.db"
    r = cli_patched(CAP, "ingest", folder, "--quiet", db=db, timeout=600)
    assert r.returncode == 0, r.stderr
    warning = one_line(r, "line.txt: events were looked for in its first", "the limit is 50,000", "searchable")
    assert warning.startswith("warning: ")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT length(text) FROM documents").fetchone()[0] > 5_000_000
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    assert conn.execute("SELECT max(\"end\") FROM event_sources").fetchone()[0] <= 50_000
    r = cli("events", "--query", "Zanzibar", "--format", "json", db=db)
    assert r.returncode == 0, r.stderr  # the end of the text is searchable


def test_a_manifest_of_400000_bad_dates_costs_one_pass_and_a_few_lines(tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    rows = ["file,title,published"] + [f"other{i}.txt,Title {i},Smarch {i % 40} {1990 + i % 30}" for i in range(400_000)]
    rows.append("a.txt,Our article,Smarch 45 2021")
    rows += [f"other{i}.txt,Twice {i},2020-01-01" for i in range(3_000)]  # listed twice
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "a.txt").write_text("On 3 March 2021, Samsung opened a research centre in Hanoi.\n")
    r = cli("ingest", folder, "--quiet", db=tmp_path / "m.db", timeout=600)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) <= 30 and all(line.startswith("warning: ") for line in lines), lines[:5]
    assert any("a.txt" in line and "'Smarch 45 2021' is not a date" in line for line in lines)
    assert any("more problems like these" in line for line in lines)
    assert "Warning" not in r.stderr and ".py:" not in r.stderr  # plain lines, not Python warnings


def test_eleven_hundred_nested_folders(tmp_path):
    folder = tmp_path / "deep"
    path = str(folder)
    os.mkdir(path)
    for _i in range(1_100):  # (pathlib's own mkdir(parents=True) would recurse too deeply here)
        path = os.path.join(path, "d")
        os.mkdir(path)
    with open(os.path.join(path, "bottom.txt"), "w") as fh:
        fh.write("In December 2022, Vietnam and South Korea upgraded their ties.\n")
    (folder / "top.txt").write_text("On 3 March 2021, Samsung opened a research centre in Hanoi.\n")
    try:
        r = cli("ingest", folder, "--quiet", db=tmp_path / "d.db", timeout=300)
    finally:  # removed from the bottom up here: shutil.rmtree, which cleans temporary folders, recurses
        os.unlink(os.path.join(path, "bottom.txt"))
        while path != str(folder):
            os.rmdir(path)
            path = os.path.dirname(path)
    assert r.returncode == 0, r.stderr
    assert "2 new" in r.stdout


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "dangling link"])
def test_a_database_path_that_is_not_a_regular_file_is_refused_at_once(tmp_path, kind):
    path = tmp_path / "events.db"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        os.symlink("/dev/zero", path)
    elif kind == "folder":
        path.mkdir()
    else:
        os.symlink(tmp_path / "nowhere.db", path)
    for args in (["events"], ["ingest", tmp_path / "x.txt"], ["synth", "--events", "10"], ["check"]):
        r = cli(*args, db=path, timeout=60)  # a FIFO opened for reading would block forever
        assert r.returncode == 2, (args, r.stderr)
        one_line(r, "events.db")
    assert not os.path.exists(tmp_path / "nowhere.db")


@pytest.mark.parametrize("side", ["-wal", "-shm", "-journal"])
def test_a_fifo_where_sqlite_keeps_its_companion_files_is_refused(seed_copy, side):
    os.mkfifo(f"{seed_copy}{side}")
    r = cli("events", db=seed_copy, timeout=60)
    assert r.returncode == 2
    one_line(r, f"copy.db{side}", "a FIFO")


def test_fifos_and_sockets_in_a_folder_are_skipped_with_a_note(tmp_path):
    import socket

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("On 3 March 2021, Samsung opened a research centre in Hanoi.\n")
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.md"))
    try:
        r = cli("ingest", folder, "--quiet", db=tmp_path / "f.db", timeout=60)
    finally:
        sock.close()
    assert r.returncode == 0, r.stderr
    notes = sorted(r.stderr.strip().splitlines())
    assert len(notes) == 2 and "pipe.txt: not a regular file (a FIFO" in notes[0] and "sock.md: not a regular file (a socket)" in notes[1]
    assert "1 new" in r.stdout and "2 skipped" in r.stdout


@pytest.mark.parametrize("n", ["50000000", "2000001"])
def test_synth_beyond_its_documented_cap_is_one_line(tmp_path, n):
    r = cli("synth", "--events", n, db=tmp_path / "s.db")
    assert r.returncode == 2
    one_line(r, "more than synth makes at once (2,000,000")
    assert not (tmp_path / "s.db").exists()


def test_a_file_above_the_size_cap_is_one_line(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.write(b"On 3 March 2021, Samsung opened a research centre in Hanoi.\n")
        fh.truncate(20_000_001)
    r = cli("ingest", big, db=tmp_path / "b.db")
    assert r.returncode == 1
    one_line(r, "big.txt: file too large (20,000,001 bytes; the limit is 20,000,000)")
