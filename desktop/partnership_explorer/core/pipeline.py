"""The pure half of ingestion, and where it runs.

:func:`extract_document` turns one document — its bytes, its name (the suffix says the format) and its manifest
row — into what the writer stores: the ``documents`` row and the candidate events, with the warnings. It reads
no file and touches no database, so it can run in this process, in a local process pool (``--jobs N``) or on a
Dask cluster (``--dask ADDRESS``). Everything that depends on what is already stored — whether the document is
unchanged, which event a candidate joins, entity and event ids — stays in the one writer
(:func:`.ingest.ingest_paths`), which consumes the results in input order: the database is the same whatever
ran the extraction and however many workers there were.

Inputs: files and folders (as before), a list file naming one path a line (``--from-list``), and record files —
JSON Lines (``.jsonl``, standard library) or Parquet (``.parquet``, pyarrow, read batch by batch) — one article
a record with the columns ``text`` (required), ``url``, ``published``, ``title``, ``outlet``, ``language``.
Records are streamed: memory stays flat however long the file.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import indicators
from .entities import default_gazetteer
from .extract import Candidate, default_lexicon, extract_candidates
from .files import path_text
from .merge_keys import candidate_keys
from .reader import (
    SUPPORTED_SUFFIXES,
    ManifestRow,
    ReadError,
    document_from_bytes,
    iter_input_files,
    load_manifest,
    manifest_row_from,
    read_bytes,
)
from .sectors import default_taxonomy

MAX_FILE_BYTES = 20_000_000
RECORD_SUFFIXES = (".jsonl", ".ndjson", ".parquet")
RECORD_COLUMNS = ("text", "url", "published", "title", "outlet", "language")
FINGERPRINT = ("content_hash", "title", "outlet", "language", "published", "published_precision")
"""The stored columns that decide whether a document is unchanged (its bytes and its metadata)."""

MAX_EXTRACT_CHARS = 1_000_000
"""Events are looked for in the first million characters of a document (about 200 long news articles; an
article is rarely a hundredth of it). Extraction costs about 10-40 s per million characters on one core,
linearly: the cap bounds one file's time; the whole text is still stored and searchable."""


class PipelineError(Exception):
    """The place extraction runs cannot be used (a Dask address that does not answer, Dask not installed)."""


@dataclass(frozen=True)
class WorkItem:
    """One document to extract, with everything the pure part needs (and nothing that needs the database)."""

    seq: int
    name: str  # what progress and messages show
    path: str  # the file's path, or for a record a name whose suffix gives the format
    raw: bytes
    manifest_row: ManifestRow | None = None
    stored: tuple | None = None  # FINGERPRINT of the stored document with this key, if any
    key: str | None = None  # documents.path for a record (its URL, or FILE#LINE)
    label: str | None = None  # documents.file_name for a record


@dataclass
class DocResult:
    seq: int
    name: str
    row: dict | None = None
    candidates: list[Candidate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    unchanged: bool = False
    figures: dict = field(default_factory=dict)  # sentence start -> indicators.SentenceFigures of its figures
    keys: list = field(default_factory=list)  # merge_keys.CandidateKeys of each candidate


@dataclass
class Step:
    """What the writer does at one position of the input: messages to pass on, then (maybe) a document."""

    name: str
    item: WorkItem | None = None
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def extraction_prefix(text: str) -> str:
    """``text`` itself, or its first :data:`MAX_EXTRACT_CHARS` characters ending at a line or word break."""
    if len(text) <= MAX_EXTRACT_CHARS:
        return text
    cut = text.rfind("\n", MAX_EXTRACT_CHARS * 9 // 10, MAX_EXTRACT_CHARS)
    if cut < 0:
        cut = text.rfind(" ", MAX_EXTRACT_CHARS * 9 // 10, MAX_EXTRACT_CHARS)
    return text[:cut if cut > 0 else MAX_EXTRACT_CHARS]


def document_row(doc) -> dict:
    return {
        "path": path_text(doc.path.resolve()),
        "file_name": path_text(doc.file_name),
        "title": doc.title,
        "outlet": doc.outlet,
        "language": doc.language,
        "published": doc.published,
        "published_precision": doc.published_precision,
        "published_source": doc.published_source,
        "content_hash": doc.content_hash,
        "encoding": doc.encoding,
        "text": doc.text,
    }


def fingerprint(row: dict | None) -> tuple | None:
    return None if row is None else tuple(row.get(k) for k in FINGERPRINT)


def published_date(doc):
    from .periods import PeriodError
    from .periods import parse as parse_period

    if not doc.published:
        return None, None
    try:
        period = parse_period(doc.published)
    except PeriodError:
        return None, None
    return period.first, doc.published_precision or period.precision


def extract_document(item: WorkItem) -> DocResult:
    """The pure part of ingesting one document (spawn-safe: a top-level function of picklable values)."""
    result = DocResult(item.seq, item.name)
    path = Path(item.path)
    try:
        doc = document_from_bytes(item.raw, path, {path.name: item.manifest_row} if item.manifest_row else None)
        row = document_row(doc)
        if item.key is not None:
            row["path"], row["file_name"] = item.key, item.label or item.key
        result.warnings.extend(doc.warnings)
        if item.key is None and row["file_name"] != doc.file_name:
            result.warnings.append(f"{row['file_name']}: the file name is not valid UTF-8; it is stored as shown")
        result.row = row
        if item.stored is not None and item.stored == fingerprint(row):
            result.unchanged = True
            return result
        published, precision = published_date(doc)
        searched = extraction_prefix(doc.text)
        if len(searched) < len(doc.text):
            result.warnings.append(
                f"{row['file_name']}: events were looked for in its first {len(searched):,} characters only (of "
                f"{len(doc.text):,}; the limit is {MAX_EXTRACT_CHARS:,}); the whole text is stored and searchable")
        result.candidates = extract_candidates(
            searched, published=published, published_precision=precision, language=doc.language,
            gazetteer=default_gazetteer(), taxonomy=default_taxonomy(), lexicon=default_lexicon(),
        )
        # what the writer's indicator refresh reads of these sentences' text, read here (and so in a worker)
        result.figures = indicators.read_candidates(result.candidates, row["language"], row["published"])
        result.keys = [candidate_keys(c) for c in result.candidates]  # and what merging compares of each
    except ReadError as exc:
        message = str(exc)
        if item.key is not None and message.startswith(path.name):
            message = item.name + message[len(path.name):]
        result.error, result.row = message, None
    except Exception as exc:  # noqa: BLE001 - an input no rule foresaw
        result.error, result.row = (f"{path_text(path.name) if item.key is None else item.name}: cannot be read "
                                    f"({exc.__class__.__name__}: {str(exc)[:120]})"), None
    return result


# --------------------------------------------------------------------------------------------------------------
# inputs: the steps of a run, in order, read lazily


def is_record_file(path: Path) -> bool:
    return path.suffix.lower() in RECORD_SUFFIXES


def count_lines(path: Path) -> int:
    n, last = 0, b"\n"
    with open(path, "rb") as fh:  # an input file, never a database
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def _list_entries(list_file: Path) -> Iterator[Path]:
    """The paths of a list file, one a line (blank lines and ``#`` comments skipped), relative to its folder."""
    try:
        with open(list_file, "rb") as fh:  # an input file, never a database
            for line in fh:
                text = line.decode("utf-8", errors="surrogateescape").strip()
                if text and not text.startswith("#"):
                    yield Path(text) if os.path.isabs(text) else list_file.parent / text
    except OSError as exc:
        raise ReadError(f"{path_text(list_file.name)}: cannot be read ({exc.strerror})") from None


class Inputs:
    """The documents of a run: paths (files, folders, record files) and list files, expanded lazily.

    ``total`` is known before the first document (folders are listed, record and list files counted) so a
    progress bar can be drawn; the documents themselves are read one at a time."""

    def __init__(self, paths: Iterable[str | Path], *, from_lists: Iterable[str | Path] = (),
                 follow_links: bool = False, skipped: list | None = None) -> None:
        self.follow_links = follow_links
        self.skipped = skipped if skipped is not None else []
        self.failed: list[tuple[str, str]] = []
        self.sources: list[tuple[str, object]] = []  # ("files", [Path]) | ("records", Path) | ("list", Path)
        self.total = 0
        for p in paths:
            self._add(Path(p))
        for lf in from_lists:
            lf = Path(lf)
            try:
                if not lf.is_file():
                    raise ReadError(f"{path_text(lf.name)}: not a file")
                self.total += sum(1 for _ in _list_entries(lf))
                self.sources.append(("list", lf))
            except ReadError as exc:
                self.failed.append((str(lf), str(exc)))

    def _add(self, p: Path) -> None:
        if is_record_file(p) and p.is_file():
            try:
                n = _record_count(p)
            except ReadError as exc:
                self.failed.append((str(p), str(exc)))
                return
            self.total += n
            self.sources.append(("records", p))
            return
        try:
            files = list(iter_input_files([p], follow_links=self.follow_links, skipped=self.skipped))
        except ReadError as exc:
            self.failed.append((str(p), str(exc)))
            return
        self.total += len(files)
        self.sources.append(("files", files))

    def steps(self, stored: Callable[[str], dict | None]) -> Iterator[Step]:
        """The steps in input order; ``stored(key)`` is the stored document with that key (or None)."""
        seq = 0
        manifests: dict[Path, dict[str, ManifestRow]] = {}
        for kind, source in self.sources:
            if kind == "files":
                files = source
            elif kind == "records":
                for step in _record_steps(source, seq, stored):
                    seq += 1
                    yield step
                continue
            else:
                files = self._listed_files(source)
            for path in files:
                if isinstance(path, Step):
                    yield path
                    continue
                step = Step(path.name)
                folder = path.parent
                if folder not in manifests:
                    try:
                        manifests[folder] = load_manifest(folder)
                        step.warnings.extend(manifests[folder].notes)
                    except ReadError as exc:
                        step.failed.append((str(folder / "manifest.csv"), str(exc)))
                        manifests[folder] = {}
                    if len(manifests) > 256:  # a long list of folders: keep memory flat
                        manifests.pop(next(iter(manifests)))
                try:
                    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                        document_from_bytes(b"", path)  # raises the one-line refusal of the file type
                    raw = read_bytes(path, MAX_FILE_BYTES)
                    row = manifests[folder].get(path.name)
                    step.item = WorkItem(seq, path.name, str(path), raw, row,
                                         fingerprint(stored(path_text(path.resolve()))))
                except ReadError as exc:
                    step.failed.append((str(path), str(exc)))
                except OSError as exc:
                    step.failed.append((str(path), f"{path_text(path.name)}: cannot be read ({exc.strerror})"))
                seq += 1
                yield step

    def _listed_files(self, list_file: Path) -> Iterator[Path | Step]:
        for entry in _list_entries(list_file):
            try:
                if is_record_file(entry):
                    raise ReadError(f"{path_text(entry.name)}: a record file cannot be listed; give it as a path")
                yield from list(iter_input_files([entry], follow_links=self.follow_links, skipped=self.skipped))
            except ReadError as exc:
                yield Step(entry.name, failed=[(str(entry), str(exc))])


def _record_count(path: Path) -> int:
    if path.suffix.lower() == ".parquet":
        pq = _pyarrow_parquet(path)
        try:
            return pq.ParquetFile(path).metadata.num_rows
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a file that is not Parquet
            raise ReadError(f"{path_text(path.name)}: not a Parquet file ({str(exc)[:120]})") from None
    try:
        return count_lines(path)
    except OSError as exc:
        raise ReadError(f"{path_text(path.name)}: cannot be read ({exc.strerror})") from None


def _pyarrow_parquet(path: Path):
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ReadError(f"{path_text(path.name)}: reading Parquet needs pyarrow "
                        "(pip install 'partnership-explorer[parquet]')") from None
    return pq


_ISO_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")


def _record_value(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    value = str(value).strip()
    m = _ISO_STAMP.match(value)
    return m.group(1) if m else (value or None)


def _looks_html(text: str) -> bool:
    head = text.lstrip()[:512].casefold()
    return head.startswith("<") and ("<html" in head or "<body" in head or "<!doctype html" in head)


def record_item(seq: int, source: Path, number: int, record, stored: Callable[[str], dict | None]) -> WorkItem:
    """The work item of one record (line or row ``number`` of ``source``); ReadError for a bad record."""
    where = f"{path_text(source.name)} record {number}"
    if not isinstance(record, dict):
        raise ReadError(f"{where}: not an object with a 'text' field")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ReadError(f"{where}: no text")
    url = _record_value(record.get("url"))
    key = url or f"{path_text(source.resolve())}#{number}"
    label = url or f"{path_text(source.name)}#{number}"
    suffix = ".html" if _looks_html(text) else ".txt"
    name = f"record-{number}{suffix}"
    row = manifest_row_from({"file": name, **{c: _record_value(record.get(c)) for c in RECORD_COLUMNS[2:]}}, where)
    return WorkItem(seq, where, name, text.encode("utf-8", errors="surrogatepass"), row,
                    fingerprint(stored(key)), key, label)


def _record_steps(path: Path, seq: int, stored) -> Iterator[Step]:
    for number, record, problem in _records(path):
        step = Step(f"{path_text(path.name)} record {number}")
        if problem is not None:
            step.failed.append((f"{path}#{number}", problem))
        else:
            try:
                step.item = record_item(seq, path, number, record, stored)
            except ReadError as exc:
                step.failed.append((f"{path}#{number}", str(exc)))
        seq += 1
        yield step


def _records(path: Path) -> Iterator[tuple[int, object, str | None]]:
    """(record number from 1, record, problem) for each line of a JSONL file or row of a Parquet file."""
    name = path_text(path.name)
    if path.suffix.lower() == ".parquet":
        pq = _pyarrow_parquet(path)
        pf = pq.ParquetFile(path)
        present = [c for c in RECORD_COLUMNS if c in pf.schema_arrow.names]
        if "text" not in present:
            yield 1, None, f"{name}: no 'text' column (columns: {', '.join(pf.schema_arrow.names)[:200]})"
            return
        number = 0
        for batch in pf.iter_batches(batch_size=512, columns=present):
            for record in batch.to_pylist():
                number += 1
                yield number, record, None
        return
    with open(path, "rb") as fh:  # an input file, never a database
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                yield number, None, f"{name} line {number}: not JSON ({str(exc)[:80]})"
                continue
            yield number, record, None


# --------------------------------------------------------------------------------------------------------------
# where the pure part runs; results always come back in input order


class Runner:
    """Runs :func:`extract_document` over steps and yields (step, result) in input order, with at most
    ``window`` documents in flight (bounded memory)."""

    jobs = 1

    def run(self, steps: Iterator[Step], while_waiting: Callable[[], None] | None = None
            ) -> Iterator[tuple[Step, DocResult | None]]:
        """``while_waiting``: called once, when the first documents have been sent and their results are not
        back yet (the writer loads what it needs meanwhile, rather than later while the workers wait for it);
        here, in this process, there is no such moment."""
        for step in steps:
            yield step, (extract_document(step.item) if step.item is not None else None)

    def close(self) -> None:
        pass


WORKER_NICENESS = 10
"""How much lower than the writer's the extraction workers' CPU priority is (POSIX nice; elsewhere they run at
the writer's). With one writer there is one pace: the workers get ahead of it on their own, and a worker that
takes a core from the writer (or from the window the writer runs in) only makes the whole run, and the window,
slower. At a lower priority the workers use what the writer leaves, and the writer a whole core whenever it
has work."""


def _worker_start() -> None:
    """A worker leaves Ctrl+C to the writer, which stops the run between documents (no traceback from each
    worker on the terminal), and ends when the writer's process does, however it ended: a writer that was
    killed never sends the pool its stop, and its workers would otherwise wait for work forever. It runs at a
    lower priority than the writer (:data:`WORKER_NICENESS`)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "nice"):
        try:
            os.nice(WORKER_NICENESS)
        except OSError:
            pass  # not allowed here: the worker runs at the writer's priority, as before
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), name="end-with-the-writer", daemon=True).start()


def _end_with(sentinel) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])      # ready when the parent process has ended
    os._exit(0)


def extract_documents(items: list[WorkItem]) -> list[DocResult]:
    """:func:`extract_document` over a batch: one task, one message each way, for several documents."""
    return [extract_document(item) for item in items]


BATCH_DOCUMENTS = 4
BATCH_BYTES = 256 * 1024
"""A pool task carries up to this many documents, or this many bytes of them (a large document goes alone): the
writer's process handles one future, one message and one wake-up of the pool's threads per batch instead of per
document, which is its CPU, taken from the writing."""


def _batches(steps: Iterator[Step]) -> Iterator[list[Step]]:
    """Consecutive steps in groups holding up to :data:`BATCH_DOCUMENTS` documents (:data:`BATCH_BYTES`); a step
    without a document rides along with the next group."""
    batch: list[Step] = []
    documents = size = 0
    for step in steps:
        if step.item is not None and documents and (documents >= BATCH_DOCUMENTS
                                                    or size + len(step.item.raw) > BATCH_BYTES):
            yield batch
            batch, documents, size = [], 0, 0
        batch.append(step)
        if step.item is not None:
            documents += 1
            size += len(step.item.raw)
    if batch:
        yield batch


HELD = object()
"""A batch the pool has not been given yet (after a worker stopped, batches are sent one at a time)."""


def _succeeded(future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


class PoolRunner(Runner):
    """A local process pool (spawn: safe beside threads, the same on every platform). Documents go in batches
    (:func:`_batches`), at most ``window`` of them in flight."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.window = jobs * 8
        self.pool = None

    def _pool(self):
        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_worker_start)
        return self.pool

    def _submit(self, batch: list[Step]):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        items = [step.item for step in batch if step.item is not None]
        if not items:
            return None
        try:
            return self._pool().submit(extract_documents, items)
        except BrokenProcessPool as exc:  # a worker stopped since: noticed when this batch's turn comes
            future = Future()
            future.set_exception(exc)
            return future

    def run(self, steps, while_waiting: Callable[[], None] | None = None):
        from concurrent.futures.process import BrokenProcessPool

        # [steps of a batch, its future (None: no document; HELD: not sent yet), sent alone], in input order
        pending: deque = deque()
        batches = _batches(iter(steps))
        more, in_flight = True, 0

        def fill() -> None:
            nonlocal more, in_flight
            while more and in_flight < self.window and not any(entry[1] is HELD for entry in pending):
                batch = next(batches, None)
                if batch is None:
                    more = False
                    break
                pending.append([batch, self._submit(batch), False])
                in_flight += len(batch)

        fill()
        if while_waiting is not None:
            while_waiting()
        while pending:
            batch, future, alone = pending.popleft()
            in_flight -= len(batch)
            if future is HELD:
                future, alone = self._submit(batch), True
            if not alone:  # (a batch sent alone, after a worker stopped, is waited for with nothing beside it)
                fill()  # the workers get the next batch before the writer takes this one's documents
            if future is None:
                for step in batch:
                    yield step, None
                fill()
                continue
            try:
                results = future.result()
            except BrokenProcessPool:
                # a document stopped its worker (memory, a crash in a library). The pool is started again, and
                # the documents in flight are sent one batch at a time, this batch's one document at a time: a
                # document fails only when it stopped a worker while nothing else ran beside it.
                self.close()
                documents = [step for step in batch if step.item is not None]
                if not (alone and len(documents) == 1):
                    for other in pending:
                        if other[1] is not None and other[1] is not HELD and not _succeeded(other[1]):
                            other[1] = HELD
                    pending.extendleft(reversed([[[step], HELD, True] for step in batch]))
                    in_flight += len(batch)
                    continue
                step = documents[0]
                results = [DocResult(step.item.seq, step.item.name,
                                     error=f"{step.item.name}: cannot be read (its extraction process stopped)")]
            results = iter(results)
            for step in batch:
                yield step, (next(results) if step.item is not None else None)
            fill()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class DaskRunner(Runner):
    """A Dask cluster: ``address`` of a scheduler, or ``local`` for a LocalCluster on loopback. Results stream
    back with ``as_completed`` into a reorder buffer; the writer takes them in input order. A task whose worker
    dies is run again elsewhere by the scheduler (it wrote nothing: the pure part never writes)."""

    RESUBMIT = 3
    CONNECT_TIMEOUT = "10s"   # how long an address is tried before it is said not to answer

    def __init__(self, address: str, jobs: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise PipelineError("--dask needs dask.distributed (pip install 'partnership-explorer[cluster]')") from None
        self.cluster = None
        try:
            if address == "local":
                self.cluster = LocalCluster(n_workers=jobs or os.cpu_count() or 1, threads_per_worker=1,
                                            processes=True, host="127.0.0.1", dashboard_address=None)
                self.client = Client(self.cluster)
            else:
                self.client = Client(address, timeout=self.CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise PipelineError(f"--dask {address}: the scheduler does not answer ({str(exc)[:120]})") from None
        self.jobs = max(1, len(self.client.scheduler_info().get("workers", {})) or (jobs or 1))
        self.window = self.jobs * 16

    def run(self, steps, while_waiting: Callable[[], None] | None = None):
        from distributed import as_completed

        client = self.client
        steps = iter(steps)
        buffer: dict[int, tuple[Step, DocResult | None]] = {}
        order: deque[int] = deque()
        futures: dict = {}
        tries: dict[int, int] = {}
        done = as_completed()
        more, n = True, 0
        try:
            while more or order:
                while more and len(order) < self.window:
                    step = next(steps, None)
                    if step is None:
                        more = False
                        break
                    order.append(n)
                    if step.item is None:
                        buffer[n] = (step, None)
                    else:
                        future = client.submit(extract_document, step.item, pure=False)
                        futures[future.key] = (n, step)
                        done.add(future)
                    n += 1
                if while_waiting is not None:
                    while_waiting()
                    while_waiting = None
                while order and order[0] not in buffer:
                    future = next(done)
                    i, step = futures.pop(future.key)
                    try:
                        result = future.result()
                    except Exception as exc:  # noqa: BLE001 - the cluster's failure: extract_document catches its own
                        # a worker lost while it held the task, a connection cut: extract_document never raises
                        # for a document, so the document is sent again (it wrote nothing)
                        tries[i] = tries.get(i, 0) + 1
                        if tries[i] <= self.RESUBMIT:
                            again = client.submit(extract_document, step.item, pure=False)
                            futures[again.key] = (i, step)
                            done.add(again)
                            continue
                        result = DocResult(step.item.seq, step.item.name,
                                           error=f"{step.item.name}: cannot be read ({exc.__class__.__name__} "
                                                 f"on the cluster: {str(exc)[:200]})")
                    finally:
                        future.release()
                    tries.pop(i, None)
                    buffer[i] = (step, result)
                while order and order[0] in buffer:
                    yield buffer.pop(order.popleft())
        finally:
            for future in list(done.futures):
                future.cancel()

    def close(self) -> None:
        client, cluster = getattr(self, "client", None), self.cluster
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        self.client = self.cluster = None


def make_runner(jobs: int | None = 1, dask: str | None = None) -> Runner:
    """``jobs``: worker processes (None: the number of cores; 1: in this process). ``dask``: a scheduler address
    or ``local``."""
    if dask:
        return DaskRunner(dask, jobs)
    n = jobs if jobs is not None else (os.cpu_count() or 1)
    return Runner() if n <= 1 else PoolRunner(n)
