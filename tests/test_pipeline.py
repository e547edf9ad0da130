"""Parallel ingestion and record inputs: the database is the same whatever ran the extraction."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
from pathlib import Path

import pytest

from dbstate import database_state
from partnership_explorer.core.ingest import ingest_paths
from partnership_explorer.core.store import Store

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus" / "articles"
SEEDS = REPO / "seeds"


def _ingest(db: Path, paths, **options):
    with Store(db) as store:
        return ingest_paths(store, paths, **options)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    """The development corpus and the seeds, copied (with their manifests) so paths are stable."""
    root = tmp_path_factory.mktemp("inputs")
    shutil.copytree(CORPUS, root / "corpus")
    shutil.copytree(SEEDS, root / "seeds")
    return [root / "corpus", root / "seeds"]


@pytest.fixture(scope="module")
def serial_state(inputs, tmp_path_factory):
    db = tmp_path_factory.mktemp("serial") / "serial.db"
    report = _ingest(db, inputs, jobs=1)
    assert report.ok and report.new > 50 and report.events_created > 100
    return database_state(db), report


def _files(folders: list[Path]) -> list[Path]:
    return sorted(p for f in folders for p in f.rglob("*") if p.is_file() and p.name != "manifest.csv"
                  and p.suffix in (".txt", ".md", ".html"))


@pytest.fixture(scope="module")
def few(inputs) -> list[Path]:
    """The seeds' folder and every fifth article of the corpus (English, Vietnamese, Korean, HTML): for the tests
    of how the inputs are named and of cancelling, which read every document as the whole inputs would (those are
    compared whole by the tests of parallel and distributed runs)."""
    return [inputs[1], *_files([inputs[0]])[::5]]


@pytest.fixture(scope="module")
def few_state(few, tmp_path_factory):
    db = tmp_path_factory.mktemp("few") / "few.db"
    report = _ingest(db, few, jobs=1)
    assert report.ok and report.new == 5 + len(few) - 1 and report.events_created > 20
    return database_state(db)


def test_two_processes_write_the_same_database_as_one(inputs, serial_state, tmp_path):
    state, serial = serial_state
    db = tmp_path / "pool.db"
    report = _ingest(db, inputs, jobs=2)
    assert (report.new, report.events_created, report.sources_added, report.failed) == \
        (serial.new, serial.events_created, serial.sources_added, serial.failed)
    assert database_state(db) == state


@pytest.mark.parametrize("seed", [1, 2])
def test_in_any_file_order_two_processes_match_one(inputs, tmp_path, seed):
    files = _files(inputs)
    random.Random(seed).shuffle(files)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    _ingest(one, files, jobs=1)
    report = _ingest(two, files, jobs=2)
    assert report.ok
    assert database_state(two) == database_state(one)


def test_progress_counts_every_document_and_cancel_stops_between_whole_documents(few, few_state, tmp_path):
    seen = []
    db = tmp_path / "c.db"
    report = _ingest(db, few, jobs=2, progress=lambda i, n, name: seen.append((i, n)),
                     cancelled=lambda: len(seen) >= 6)
    assert report.cancelled and report.new == 6
    assert [i for i, _ in seen[:6]] == list(range(6)) and seen[-1][0] == seen[-1][1]
    with Store(db) as store:
        docs = store.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        orphans = store.execute("SELECT COUNT(*) FROM events WHERE id NOT IN (SELECT event_id FROM event_sources)"
                                ).fetchone()[0]
    assert docs == 6 and orphans == 0
    # the run finishes the job: the same database as a run that was never cancelled
    again = _ingest(db, few, jobs=2)
    assert again.unchanged == 6 and again.ok
    assert database_state(db) == few_state


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX priorities")
def test_extraction_workers_yield_the_cpu_to_the_writer(few, tmp_path):
    import multiprocessing

    from partnership_explorer.core.pipeline import WORKER_NICENESS

    mine = os.getpriority(os.PRIO_PROCESS, 0)
    seen: list[int] = []

    def progress(i, n, name):
        if i == 3:  # the workers are running: read their priorities from here, the writer's process
            seen.extend(os.getpriority(os.PRIO_PROCESS, p.pid) for p in multiprocessing.active_children())

    report = _ingest(tmp_path / "n.db", few, jobs=2, progress=progress)
    assert report.ok and len(seen) == 2
    assert all(nice == min(mine + WORKER_NICENESS, 19) for nice in seen), (mine, seen)
    assert os.getpriority(os.PRIO_PROCESS, 0) == mine  # the writer's own priority is left as it was


def test_a_document_that_stops_its_worker_fails_alone_and_the_others_are_stored(few, few_state, tmp_path,
                                                                              monkeypatch):
    """Documents go to the workers in batches; when a worker process stops (a crash in a library, the kernel's
    out-of-memory killer), the pool starts again and only the document that stopped it is a failed line — not the
    others of its batch, nor those in flight beside it — and the database is the one written without it."""
    import stopping_worker

    from partnership_explorer.core import pipeline

    monkeypatch.setattr(pipeline, "extract_documents", stopping_worker.extract_documents)
    files = _files([few[0]])
    stopping = []
    for i, source in enumerate(files[:2]):
        stopping.append(tmp_path / f"{i}-{stopping_worker.MARK}.txt")
        shutil.copy(source, stopping[-1])
    paths = [stopping[0], few[0], *few[1:4], stopping[1], *few[4:]]
    report = _ingest(tmp_path / "s.db", paths, jobs=2)
    assert report.failed == [(str(p), f"{p.name}: cannot be read (its extraction process stopped)")
                             for p in stopping]
    assert database_state(tmp_path / "s.db") == few_state


ARTICLES = [
    ("On 3 March 2021, Samsung opened a research centre in Hanoi, the company said.", "2021-03-05"),
    ("Vietnam and South Korea signed a memorandum of understanding on semiconductors on 12 August 2025.",
     "2025-08-13T09:30:00Z"),
    ("The two countries established diplomatic relations in 1992 and upgraded them in December 2022.", "2023-01-02"),
]


def _records() -> list:
    good = [{"text": text, "url": f"https://news.example/{i}", "published": published, "title": f"Story {i}",
             "outlet": "Example News", "language": "en"} for i, (text, published) in enumerate(ARTICLES)]
    return good[:1] + [{"url": "https://news.example/no-text"}] + good[1:2] + ["not an object"] + good[2:]


def test_a_jsonl_archive_is_read_record_by_record_and_bad_records_get_one_line_each(tmp_path):
    archive = tmp_path / "archive.jsonl"
    lines = [json.dumps(r) for r in _records()]
    lines.insert(3, "{broken json")
    archive.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "r.db"
    report = _ingest(db, [archive])
    assert report.new == 3
    assert [m for _, m in report.failed] == [
        "archive.jsonl record 2: no text", "archive.jsonl line 4: not JSON (Expecting property name enclosed in "
        "double quotes: line 1 column 2 (char 1))", "archive.jsonl record 5: not an object with a 'text' field"]
    with Store(db) as store:
        docs = store.execute("SELECT path, title, outlet, published, published_precision FROM documents ORDER BY id"
                             ).fetchall()
        dates = {r[0] for r in store.execute("SELECT date FROM events")}
    assert docs[1] == ("https://news.example/1", "Story 1", "Example News", "2025-08-13", "day")
    assert {"2021-03-03", "2025-08-12", "1992"} <= dates
    again = _ingest(db, [archive])
    assert (again.new, again.unchanged) == (0, 3)


def test_a_parquet_archive_gives_the_same_database_as_the_jsonl_one(tmp_path):
    pa = pytest.importorskip("pyarrow", reason="Parquet input needs the [parquet] extra (pyarrow)")
    import pyarrow.parquet as pq

    good = [r for r in _records() if isinstance(r, dict) and "text" in r]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in good) + "\n", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(good), tmp_path / "a.parquet", row_group_size=2)
    _ingest(tmp_path / "j.db", [tmp_path / "a.jsonl"])
    report = _ingest(tmp_path / "p.db", [tmp_path / "a.parquet"])
    assert report.new == 3 and report.ok
    assert database_state(tmp_path / "p.db") == database_state(tmp_path / "j.db")


def test_a_parquet_file_without_a_text_column_is_one_line(tmp_path):
    pa = pytest.importorskip("pyarrow", reason="Parquet input needs the [parquet] extra (pyarrow)")
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([{"body": "x"}]), tmp_path / "b.parquet")
    report = _ingest(tmp_path / "b.db", [tmp_path / "b.parquet"])
    assert [m for _, m in report.failed] == ["b.parquet: no 'text' column (columns: body)"]


def test_a_list_file_names_what_to_read_and_a_bad_entry_is_one_line(few, few_state, tmp_path):
    listing = tmp_path / "list.txt"
    listing.write_text("# the seeds' folder and some articles\n" + "\n".join(str(p) for p in few)
                       + "\nmissing-folder\n", encoding="utf-8")
    db = tmp_path / "l.db"
    report = _ingest(db, [], from_lists=[listing], jobs=2)
    assert len(report.failed) == 1 and "missing-folder" in report.failed[0][1]
    assert database_state(db) == few_state


def test_the_command_line_takes_jobs_lists_and_archives(few, few_state, tmp_path):
    from click.testing import CliRunner

    from partnership_explorer.cli import cli

    listing = tmp_path / "list.txt"
    listing.write_text("\n".join(str(p) for p in few) + "\n", encoding="utf-8")
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(cli, ["ingest", "--db", str(db), "--jobs", "2", "--from-list", str(listing)])
    assert result.exit_code == 0, result.output
    assert database_state(db) == few_state
    result = CliRunner().invoke(cli, ["ingest", "--db", str(db), "--jobs", "0", str(few[0])])
    assert result.exit_code == 2 and "--jobs" in result.output


distributed = None
try:
    import distributed
except ImportError:
    pass

needs_dask = pytest.mark.skipif(distributed is None, reason="the Dask tests need the [cluster] extra (dask.distributed)")


@needs_dask
def test_a_local_dask_cluster_with_a_worker_killed_mid_run_writes_the_same_database(inputs, serial_state, tmp_path):
    """Two worker processes on loopback; one is killed with SIGKILL after a few documents: the scheduler runs its
    documents again on the other (or its restarted replacement), and the database is the one a single process
    writes — no document half-written, none lost, none twice."""
    from distributed import Client, LocalCluster

    from partnership_explorer.core import pipeline

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        pids = sorted(client.run(os.getpid).values())
        assert len(pids) == 2
        killed = []

        def progress(i, _n, _name):
            if i == 8 and not killed:
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        db = tmp_path / "dask.db"
        report = _ingest(db, inputs, dask=address, progress=progress)
        assert killed and report.ok
        assert database_state(db) == serial_state[0]
    assert isinstance(pipeline.make_runner(1), pipeline.Runner)


@needs_dask
def test_a_dask_address_that_does_not_answer_is_one_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from partnership_explorer.cli import cli
    from partnership_explorer.core import pipeline

    # nothing listens on the discard port: the client tries it until its timeout (10 s by default), whose
    # length changes nothing in the message
    monkeypatch.setattr(pipeline.DaskRunner, "CONNECT_TIMEOUT", "1s")

    result = CliRunner().invoke(cli, ["ingest", "--db", str(tmp_path / "x.db"), "--dask", "tcp://127.0.0.1:9",
                                      str(SEEDS)])
    assert result.exit_code == 2
    assert "--dask tcp://127.0.0.1:9: the scheduler does not answer" in result.output


def _archive(tmp_path: Path, n: int) -> Path:
    archive = tmp_path / f"a{n}.jsonl"
    with archive.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"text": f"Story {i}. On {1 + i % 28} March 2021, Samsung opened a centre in Hanoi."
                                 + " The two sides talked about trade and culture." * 100,
                                 "url": f"https://news.example/m/{i}", "published": "2021-03-30"}) + "\n")
    return archive


def _peak_bytes_ingesting(tmp_path: Path, n: int) -> int:
    import tracemalloc

    archive = _archive(tmp_path, n)
    with Store(tmp_path / f"m{n}.db") as store:
        tracemalloc.start()
        try:
            report = ingest_paths(store, [archive], jobs=1)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert report.ok and report.new == n
    return peak


def test_an_archive_is_streamed_in_memory_that_does_not_grow_with_its_length(tmp_path):
    """Ingesting four times as many records of 5 KB peaks at about the same memory: the records are read,
    extracted and written one at a time (reading them all first would add 75 × 10 KB of text and bytes, and
    their candidates, to a peak of about 1.2 MB). Garbage collection timing moves the peak by up to a third."""
    with Store(tmp_path / "warm.db") as store:   # resources and caches loaded before measuring: every date the
        ingest_paths(store, [_archive(tmp_path, 28)], jobs=1)   # records hold, once
    small, large = _peak_bytes_ingesting(tmp_path, 25), _peak_bytes_ingesting(tmp_path, 100)
    assert large < small * 1.5, (small, large)


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc (Linux)")
def test_extraction_workers_end_when_the_writer_is_killed(inputs, tmp_path):
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-m", "partnership_explorer", "ingest", "--db", str(tmp_path / "k.db"),
                             "--jobs", "2", str(inputs[0])], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
            workers = _children(proc.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the run never started its workers"
        proc.send_signal(signal.SIGKILL)     # no shutdown reaches the pool
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_running(w) for w in workers):
            time.sleep(0.1)
        assert not [w for w in workers if _running(w)], "workers outlived the killed writer"
    finally:
        if proc.poll() is None:
            proc.kill()
