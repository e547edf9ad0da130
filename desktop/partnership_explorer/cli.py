"""Command line: a thin shell over ``partnership_explorer.core``.

Every command takes ``--db FILE`` (default: ``$PARTNERSHIP_EXPLORER_DB`` or the user's data directory).
Problems a user can fix are reported in one line on stderr with exit status 2; ingestion exits 1 when some
file failed. Tracebacks are shown only with ``PARTNERSHIP_EXPLORER_DEBUG=1``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import sys
from pathlib import Path

import click

from . import __version__
from .core.paths import default_db_path, seeds_dir


class UserError(click.ClickException):
    exit_code = 2

    def show(self, file=None) -> None:  # one line, no "Error:" noise from click
        click.echo(f"partnership-explorer: {self.format_message()}", err=True)


def _db_option(f):
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Database file (default: $PARTNERSHIP_EXPLORER_DB or the user data directory).",
    )(f)


def _open_store(db_path: Path | None, *, create: bool = True):
    from .core.store import Store, StoreError

    path = db_path or default_db_path()
    try:
        # commands that do not create the database only read it: a file that cannot be written opens read-only
        return Store(path, create=create, readonly=False if create else None)
    except StoreError as exc:
        raise UserError(str(exc)) from None


# Below this size `ingest` runs PRAGMA quick_check before writing (milliseconds to ~0.3 s warm); above it the
# check would cost seconds (2 s warm, 25 s cold for 1M events / 1.3 GB) and is left to SQLite's own page checks.
VERIFY_BEFORE_INGEST_BYTES = 200 * 1024 * 1024


def _filter_options(f):
    f = click.option("--query", "-q", default="", help="Full-text search in titles and sources.")(f)
    f = click.option("--to", "date_to", default=None, help="Events up to this date (YYYY, YYYY-MM, YYYY-MM-DD).")(f)
    f = click.option("--from", "date_from", default=None, help="Events from this date (YYYY, YYYY-MM, YYYY-MM-DD).")(f)
    f = click.option("--entity", "entities", multiple=True, help="Only events involving this entity (repeatable).")(f)
    f = click.option("--sector", "sectors", multiple=True, help="Only events in this sector (repeatable).")(f)
    f = click.option("--hide-rejected", is_flag=True, help="Leave out events a user rejected.")(f)
    return f


def _build_filter(sectors, entities, date_from, date_to, query, hide_rejected=False):
    from .core.query import EventFilter, FilterError, parse_date_bound
    from .core.sectors import default_taxonomy

    taxonomy = default_taxonomy()
    keys = []
    for s in sectors:
        sector = taxonomy.get(s)
        if sector is None:
            known = ", ".join(x.key for x in taxonomy.sectors)
            raise UserError(f"unknown sector '{s}' (known: {known})")
        keys.append(sector.key)
    try:
        start = parse_date_bound(date_from, end=False) if date_from else None
        end = parse_date_bound(date_to, end=True) if date_to else None
    except FilterError as exc:
        raise UserError(str(exc)) from None
    if start and end and end < start:
        raise UserError("--to is before --from")
    return EventFilter(sectors=tuple(keys), entities=tuple(entities), date_from=start, date_to=end,
                       query=query or "", show_rejected=not hide_rejected)


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="partnership-explorer")
@_db_option
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None) -> None:
    """Partnership Explorer: dated, sourced events from press articles about a partnership.

    Without a command, opens the explorer on the database (built from the bundled articles on first use).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(run, db_path=db_path)


@cli.command()
@_db_option
def run(db_path: Path | None) -> None:
    """Open the explorer (builds the database from the bundled articles on first use)."""
    path = db_path or default_db_path()
    reason = _no_window_reason()
    if reason is None:
        from .qt.app import main as gui_main_fn

        sys.exit(gui_main_fn(path))  # the window builds a new database itself, with a progress dialog
    store = _open_store(path)
    with store:
        if store.counts()["documents"] == 0:
            click.echo(f"Building {path} from the bundled articles…", err=True)
            _run_ingest(store, [seeds_dir()], quiet=False)
        from .core.query import EventFilter, list_events

        _print_table(list_events(store, EventFilter()))
    click.echo(f"(no window: {reason})", err=True)


def _no_window_reason() -> str | None:
    """Why the window cannot open here, or None when it can."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if sys.platform.startswith("linux") and not platform and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "no display; set DISPLAY or run on a desktop to open the explorer"
    if platform in ("offscreen", "minimal"):
        return f"QT_QPA_PLATFORM={platform} shows no window"
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as exc:
        return f"the Qt libraries cannot be loaded ({exc})"
    return None


def _run_ingest(store, paths, *, quiet: bool):
    from .core.ingest import ingest_paths

    bar = None
    show_bar = not quiet and sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        nonlocal bar
        if not show_bar or total == 0:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Ingesting", file=sys.stderr, show_pos=True,
                                    item_show_func=lambda n: n)
            bar.__enter__()
        bar.update(done - bar.pos, name)

    try:
        report = ingest_paths(store, paths, progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    return report


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@_db_option
@click.option("--quiet", is_flag=True, help="No progress bar.")
def ingest(paths: tuple[Path, ...], db_path: Path | None, quiet: bool) -> None:
    """Read articles (.txt, .md, .html files or folders) into the database."""
    from .core.store import _explain

    with _open_store(db_path) as store:
        try:
            if store.path.exists() and store.path.stat().st_size <= VERIFY_BEFORE_INGEST_BYTES:
                damage = store.verify()
                if damage:
                    raise UserError(f"{store.path}: {damage}; nothing was ingested")
            report = _run_ingest(store, list(paths), quiet=quiet)
            counts = store.counts()
        except sqlite3.DatabaseError as exc:
            # each document is its own transaction: the one being written is rolled back, earlier ones stay
            raise UserError(f"{store.path}: {_explain(exc)}; files ingested before this one are kept") from None
    for path, message in report.failed:
        click.echo(f"failed: {message}", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"documents: {report.new} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.failed)} failed; events: {report.events_created} new from {report.sources_added} sources "
        f"({counts['events']} in database); entities: {counts['entities']}"
    )
    if report.failed:
        sys.exit(1)


@cli.command()
@_db_option
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--limit", type=int, default=None, help="At most this many events.")
def events(db_path, sectors, entities, date_from, date_to, query, hide_rejected, fmt, limit) -> None:
    """List events (filters combine with AND; repeated --sector values with OR)."""
    from .core.query import event_json, list_events

    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected)
    with _open_store(db_path, create=False) as store:
        rows = list_events(store, flt, limit=limit)
    if fmt == "json":
        click.echo(json.dumps({"events": [event_json(e) for e in rows]}, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["id", "date", "precision", "start", "end", "kind", "title", "sectors", "entities", "sources",
                    "confidence", "status"])
        for e in rows:
            w.writerow([e["id"], e["date"], e["precision"], e["start"], e["end"], e["kind"], e["title"],
                        ";".join(e["sectors"]), ";".join(x["name"] for x in e["entities"]),
                        ";".join(sorted({s["document"] for s in e["sources"]})), e["confidence"], e["status"]])
        click.echo(buf.getvalue(), nl=False)
    else:
        _print_table(rows)


def _print_table(rows: list[dict]) -> None:
    from tabulate import tabulate

    table = [
        [e["id"], e["date"], e["kind"], _clip(e["title"], 64), ", ".join(e["sectors"]), len(e["sources"]),
         e["status"]]
        for e in rows
    ]
    click.echo(tabulate(table, headers=["id", "date", "kind", "title", "sectors", "src", "status"]))
    click.echo(f"{len(rows)} events")


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


@cli.command()
@_db_option
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def sectors(db_path, sectors, entities, date_from, date_to, query, hide_rejected, fmt) -> None:
    """Events per sector under the same filters."""
    from .core.query import sector_counts

    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected)
    with _open_store(db_path, create=False) as store:
        rows = sector_counts(store, flt, ignore_own_filter=False)
    if fmt == "json":
        click.echo(json.dumps({"sectors": [{"name": r["key"], "label": r["name"], "count": r["count"]} for r in rows]},
                              ensure_ascii=False, indent=2))
    else:
        from tabulate import tabulate

        click.echo(tabulate([[r["key"], r["name"], r["count"]] for r in rows], headers=["sector", "name", "events"]))


@cli.command()
@_db_option
@_filter_options
@click.option("--type", "types", multiple=True, help="Only entities of this type (person, company, ...).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def entities(db_path, sectors, entities, date_from, date_to, query, hide_rejected, types, fmt) -> None:
    """Entities of the filtered events, with the number of events each appears in."""
    from .core.query import entity_counts

    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected)
    with _open_store(db_path, create=False) as store:
        rows = entity_counts(store, flt)
    if types:
        rows = [r for r in rows if r["type"] in types]
    if fmt == "json":
        click.echo(json.dumps({"entities": [{"name": r["name"], "type": r["type"], "count": r["count"]} for r in rows]},
                              ensure_ascii=False, indent=2))
    else:
        from tabulate import tabulate

        click.echo(tabulate([[r["name"], r["type"], r["count"]] for r in rows], headers=["entity", "type", "events"]))


@cli.command()
@_db_option
@_filter_options
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Image file to write: .png, .svg or .pdf.")
@click.option("--width", type=click.IntRange(200, 20000), default=1600, show_default=True, help="Width in pixels.")
@click.option("--height", type=click.IntRange(150, 20000), default=900, show_default=True, help="Height in pixels.")
@click.option("--title", default=None, help="A title drawn above the timeline.")
@click.option("--sidecar", is_flag=True, help="Also write FILE.pe.json, from which `export --from` re-renders it.")
@click.option("--strict", is_flag=True, help="With --from FILE.pe.json: fail if the data changed since.")
def export(db_path, sectors, entities, date_from, date_to, query, hide_rejected, out, width, height, title,
           sidecar, strict) -> None:
    """Render the timeline of the filtered events to PNG, SVG or PDF (no display needed).

    `--from FILE.pe.json` (a sidecar, told from a date by its .json ending) re-renders a recorded export."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # an export never needs a display
    if date_from and date_from.lower().endswith(".json"):
        ctx = click.get_current_context()
        given = [n for n in ("sectors", "entities", "date_to", "query", "hide_rejected", "width", "height", "title")
                 if ctx.get_parameter_source(n) == click.core.ParameterSource.COMMANDLINE]
        if given:
            raise UserError("--from FILE.pe.json takes the filters, size and title from the sidecar "
                            f"(drop {', '.join('--' + n.replace('_', '-') for n in given)})")
        _export_from_sidecar(Path(date_from), db_path, out, strict=strict, sidecar=sidecar)
        return
    if strict:
        raise UserError("--strict only applies with --from FILE.pe.json")
    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected)
    path = db_path or default_db_path()
    if not path.exists():
        raise UserError(f"{path}: no such database")
    from .qt.export import ExportError, export_from_cli

    try:
        written = export_from_cli(path, out, flt, width=width, height=height, title=title)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    click.echo(f"wrote {written}")
    if sidecar:
        with _open_store(path, create=False) as store:
            click.echo(f"wrote {_write_sidecar(store, written, flt, kind='image', size=(width, height), title=title)}")


def _write_sidecar(store, out: Path, flt, *, kind: str, size=None, title=None, dpi=None, visible_range=None,
                   theme: str = "light") -> Path:
    """FILE.pe.json beside ``out``: what it shows (fingerprint, event ids), from which data, with which settings."""
    from .core import sidecar as sc

    car = sc.make(store, out, flt, kind=kind, size=size, title=title, title_given=title is not None, dpi=dpi,
                  visible_range=visible_range, theme=theme)
    try:
        return sc.write(car, sc.sidecar_path(out))
    except OSError as exc:
        raise UserError(f"{sc.sidecar_path(out)}: cannot write ({exc.strerror or exc})") from None


def _export_from_sidecar(file: Path, db_path: Path | None, out: Path, *, strict: bool, sidecar: bool) -> None:
    """Re-render the picture a sidecar describes; say what changed in the data since (or fail, with --strict)."""
    from .core import sidecar as sc
    from .core.store import Store, StoreError
    from .core.timeline import load_timeline

    try:
        car = sc.read(file)
    except sc.SidecarError as exc:
        raise UserError(str(exc)) from None
    if car.kind != "image":
        raise UserError(f"{file.name}: describes a {car.kind}, not an image (`export --from` re-renders images)")
    path = db_path or Path(car.database)
    if not path.exists():
        raise UserError(f"{file.name}: its database {path} does not exist (point at it with --db)")
    from .qt.export import ExportError, export_from_cli, export_image

    try:
        with Store(path, create=False, readonly=None) as store:
            changes = sc.changes_since(car, store)
            if changes and strict:
                raise UserError(f"data changed since {file.name} was written: {'; '.join(changes)}")
            if changes:
                click.echo(f"data changed since {file.name} was written: {'; '.join(changes)}; "
                           "rendering the current state", err=True)
            width, height = car.size or (1600, 900)
            if car.visible_range is None:
                written = export_from_cli(path, out, car.filters, width=width, height=height,
                                          title=car.title if car.title_given else None, dpi=car.dpi,
                                          palette=car.theme)
            else:
                written = export_image(load_timeline(store, car.filters), out, width=width, height=height,
                                       dpi=car.dpi, title=car.title, x_range=car.visible_range, palette=car.theme)
            click.echo(f"wrote {written}")
            if sidecar:
                click.echo(f"wrote {_write_sidecar(store, written, car.filters, kind='image', size=(width, height), title=car.title if car.title_given else None, dpi=car.dpi, visible_range=car.visible_range, theme=car.theme)}")
    except StoreError as exc:
        raise UserError(str(exc)) from None
    except ExportError as exc:
        raise UserError(str(exc)) from None


def _snapshot_diff(store, name: str):
    from .core.snapshots import SnapshotError, diff

    try:
        return diff(store, name)
    except SnapshotError as exc:
        raise UserError(str(exc)) from None


@cli.group()
def snapshot() -> None:
    """Named records of the curated state, and what changed since one."""


@snapshot.command("save")
@click.argument("name")
@_db_option
@click.option("--replace", is_flag=True, help="Overwrite a snapshot of the same name.")
def snapshot_save(name: str, db_path: Path | None, replace: bool) -> None:
    """Record the curated state (events, decisions, sources) under NAME."""
    from .core.snapshots import SnapshotError, save

    with _open_store(db_path, create=False) as store:
        try:
            row = save(store, name, replace=replace)
        except SnapshotError as exc:
            raise UserError(str(exc)) from None
    click.echo(f"saved snapshot '{row['name']}': {row['n_events']} events, {row['n_documents']} documents")


@snapshot.command("list")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def snapshot_list(db_path: Path | None, fmt: str) -> None:
    """The saved snapshots, oldest first."""
    from .core.snapshots import list_snapshots

    with _open_store(db_path, create=False) as store:
        rows = list_snapshots(store)
    if fmt == "json":
        click.echo(json.dumps({"snapshots": rows}, ensure_ascii=False, indent=2))
        return
    from tabulate import tabulate

    click.echo(tabulate([[r["name"], r["created_at"], r["n_events"], r["n_documents"]] for r in rows],
                        headers=["name", "saved", "events", "documents"]))
    click.echo(f"{len(rows)} snapshots")


@snapshot.command("diff")
@click.argument("name")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table", show_default=True)
def snapshot_diff(name: str, db_path: Path | None, fmt: str) -> None:
    """What is new, re-dated, merged, retitled, confirmed or rejected, and which sources arrived, since NAME."""
    from .core.snapshots import render_markdown, render_table

    with _open_store(db_path, create=False) as store:
        d = _snapshot_diff(store, name)
    if fmt == "json":
        click.echo(json.dumps(d.as_json(), ensure_ascii=False, indent=2))
    elif fmt == "md":
        click.echo(render_markdown(d))
    else:
        click.echo(render_table(d))


@cli.command()
@_db_option
@_filter_options
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Brief to write: .docx, .pdf, .html or .md (the Markdown figure goes beside it).")
@click.option("--citations", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the sources for a reference manager: .json (CSL-JSON), .bib or .ris.")
@click.option("--title", default=None, help="The brief's title (default: 'Partnership brief').")
@click.option("--since", "since", default=None, help="Add a 'Changes since' section against this snapshot.")
@click.option("--sidecar", is_flag=True, help="Also write FILE.pe.json: the data fingerprint, filters and event ids.")
def brief(db_path, sectors, entities, date_from, date_to, query, hide_rejected, out, citations, title, since,
          sidecar) -> None:
    """Write a sourced brief of the filtered events: figure, events in date order, footnotes, sources."""
    if out is None and citations is None:
        raise UserError("nothing to write: give --out FILE and/or --citations FILE")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a brief never needs a display
    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected)
    path = db_path or default_db_path()
    if not path.exists():
        raise UserError(f"{path}: no such database")
    from .qt.brief_export import write_brief
    from .qt.export import ExportError

    with _open_store(path, create=False) as store:
        changes = _snapshot_diff(store, since) if since else None
        try:
            result = write_brief(store, out, flt, title=title, changes=changes, citations=citations)
        except ExportError as exc:
            raise UserError(str(exc)) from None
        if sidecar and out is not None:
            result.written.append(_write_sidecar(store, out, flt.replace(show_rejected=False), kind="brief",
                                                 title=title))
    b = result.brief
    for p in result.written:
        click.echo(f"wrote {p}")
    click.echo(f"{len(b.events)} events, {len(b.notes)} notes, {len(b.bibliography)} sources; "
               f"{b.unreviewed} not yet reviewed, {b.rejected_left_out} rejected left out")


@cli.command()
@click.option("--events", "n_events", type=click.IntRange(1, 50_000_000), required=True,
              help="How many synthetic events to add.")
@_db_option
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same database.")
@click.option("--append", is_flag=True, help="Add to a database that already has events or documents.")
def synth(n_events: int, db_path: Path | None, seed: int, append: bool) -> None:
    """Fill a database with realistic synthetic events, documents and sources (for scale testing)."""
    from .core.synth import SynthError, is_empty, synthesize

    with _open_store(db_path) as store:
        if not append and not is_empty(store):
            raise UserError(f"{store.path}: already has events or documents (use --append to add to it)")
        try:
            report = synthesize(store, n_events, seed)
        except SynthError as exc:
            raise UserError(str(exc)) from None
    click.echo(report.summary())


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@_db_option
def import_(file: Path, db_path: Path | None) -> None:
    """Import events from a TimelineJS3 JSON file or a CSV file (all or nothing)."""
    from .core.interchange import InterchangeError, apply_import, read_import

    try:
        parsed = read_import(file)  # the whole file is validated before the database is opened
        with _open_store(db_path) as store:
            report = apply_import(store, parsed)
    except InterchangeError as exc:
        raise UserError(str(exc)) from None
    click.echo(report.summary())


@cli.command()
@_db_option
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["timelinejs", "csv", "json"]), default="timelinejs",
              show_default=True, help="TimelineJS3 JSON, CSV, or the `events --format json` shape.")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path), help="File to write ('-': stdout).")
@click.option("--sidecar", is_flag=True, help="Also write FILE.pe.json: the data fingerprint, filters and event ids.")
def dump(db_path, sectors, entities, date_from, date_to, query, hide_rejected, fmt, out, sidecar) -> None:
    """Write the filtered events to a file other tools (and `import`) can read."""
    from .core.interchange import InterchangeError, dump_events, render_events

    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected)
    with _open_store(db_path, create=False) as store:
        try:
            if str(out) == "-":
                text, _ = render_events(store, flt, fmt)
                click.echo(text, nl=False)
                return
            count = dump_events(store, flt, fmt, out)
        except InterchangeError as exc:
            raise UserError(str(exc)) from None
        written = _write_sidecar(store, out, flt, kind="dump") if sidecar else None
    click.echo(f"wrote {count} events to {out}")
    if written is not None:
        click.echo(f"wrote {written}")


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="partnership-explorer", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("partnership-explorer: interrupted", err=True)
        sys.exit(130)
    except SystemExit:
        raise
    except sqlite3.DatabaseError as exc:
        click.echo(f"partnership-explorer: database error: {exc} (the file may be damaged or in use)", err=True)
        sys.exit(2)
    except Exception as exc:  # the last line of defence: never a traceback for a user
        if os.environ.get("PARTNERSHIP_EXPLORER_DEBUG"):
            raise
        click.echo(f"partnership-explorer: unexpected error: {exc.__class__.__name__}: {exc}", err=True)
        sys.exit(1)


def gui_main() -> None:
    main([])
