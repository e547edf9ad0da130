"""Command line: a thin shell over ``partnership_explorer.core``.

Every command takes ``--db FILE`` (default: ``$PARTNERSHIP_EXPLORER_DB`` or the user's data directory).
Problems a user can fix are reported in one line on stderr with exit status 2 (usage mistakes too); ingestion
exits 1 when some file failed. Tracebacks are shown only with ``PARTNERSHIP_EXPLORER_DEBUG=1``.

Reading commands (``events``, ``sectors``, ``entities``, ``dump``, ``export``) open the database read-only:
they never write to it. Everything printed goes through :func:`core.terminal.printable` (control and escape
characters from file names and event text are shown escaped, never sent to the terminal); data written to
standard output that is not a terminal (CSV, JSON) is kept exact.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

import click

from . import __version__
from .core.entities import ENTITY_TYPES
from .core.paths import default_db_path, seeds_dir
from .core.terminal import json_for_terminal, printable

PROG = "partnership-explorer"
MAX_LISTED = 50  # skipped entries and warnings shown one per line at most; the rest are counted


class UserError(click.ClickException):
    exit_code = 2

    def show(self, file=None) -> None:  # one line, no "Error:" noise from click
        _say(f"{PROG}: {self.format_message()}")


def _say(message: str) -> None:
    """One line on stderr, escaped."""
    click.echo(printable(message), err=True)


def _out(text: str) -> None:
    """Data on stdout as it is (click.echo would strip escape sequences from piped output: CSV would change)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def _db_option(f):
    return click.option(
        "--db", "db_path", type=click.Path(path_type=Path), default=None, callback=_db_of_command_or_group,
        help="Database file (default: $PARTNERSHIP_EXPLORER_DB or the user data directory).",
    )(f)


def _db_of_command_or_group(ctx: click.Context, _param, value: Path | None) -> Path | None:
    """A command's ``--db``, else the one given before the command (``partnership-explorer --db X ingest ...``)."""
    if value is None and ctx.parent is not None:
        return ctx.parent.params.get("db_path")
    return value


def _open_store(db_path: Path | None, *, create: bool = True, write: bool | None = None):
    """The store for a command: writing commands (``create``, or ``write`` for one that needs an existing
    database) open it read-write, reading commands read-only."""
    from .core.store import Store, StoreError

    path = db_path or default_db_path()
    writes = create if write is None else write
    try:
        store = Store(path, create=create, readonly=not writes)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    for note in store.notes:
        _say(f"note: {note}")
    return store


def _text_arg(option: str, value: str | None) -> str | None:
    """A text option as typed; refused in one line when it is not valid UTF-8 (bytes the OS could not decode)."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UserError(f"{option}: {printable(value)!s} is not valid UTF-8 text") from None
    return value


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

    for option, values in (("--sector", sectors), ("--entity", entities), ("--from", [date_from]),
                           ("--to", [date_to]), ("--query", [query])):
        for value in values:
            _text_arg(option, value)
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


class _Commands(click.Group):
    """The command group; a wrong option or value (``--type people``, ``--format xml``) is one line naming what
    is valid, exit status 2, like every other problem a user can fix."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            if isinstance(exc, UserError):
                raise
            command = f" {ctx.invoked_subcommand}" if ctx.invoked_subcommand else ""
            raise UserError(f"{exc.format_message()} (see: partnership-explorer{command} --help)") from None


@click.group(cls=_Commands, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
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
    from . import qt  # noqa: F401  - the window's Qt-free modules before PySide6 (qt/__init__.py says why)

    reason = _no_window_reason()
    if reason is None:
        from .qt.app import main as gui_main_fn

        sys.exit(gui_main_fn(path))  # the window builds a new database itself, with a progress dialog
    store = _open_store(path)
    with store:
        if store.counts()["documents"] == 0:
            _say(f"Building {path} from the bundled articles…")
            _run_ingest(store, [seeds_dir()], quiet=False)
        from .core.query import EventFilter, list_events

        _print_table(list_events(store, EventFilter()))
    _say(f"(no window: {reason})")


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


def _run_ingest(store, paths, *, quiet: bool, follow_links: bool = False, **options):
    from .core.ingest import ingest_paths

    bar = None
    show_bar = not quiet and sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        nonlocal bar
        if not show_bar or total == 0:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="Ingesting", file=sys.stderr, show_pos=True,
                                    item_show_func=lambda n: printable(n) if n else n)
            bar.__enter__()
        bar.update(done - bar.pos, name)

    try:
        report = ingest_paths(store, paths, progress=progress, follow_links=follow_links, **options)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    return report


def _listed(kind: str, lines: list[str]) -> None:
    """``kind: line`` for each of the first :data:`MAX_LISTED` lines, then how many more there were."""
    for line in lines[:MAX_LISTED]:
        _say(f"{kind}: {line}")
    if len(lines) > MAX_LISTED:
        _say(f"{kind}: … and {len(lines) - MAX_LISTED:,} more")


@cli.command()
@click.argument("paths", nargs=-1, required=False, type=click.Path(path_type=Path, readable=False))
@_db_option
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--follow-links", is_flag=True,
              help="Also read files that symbolic links inside the folders lead to elsewhere.")
@click.option("--from-list", "from_lists", multiple=True, type=click.Path(path_type=Path, readable=False),
              help="A file naming the files or folders to read, one a line.")
@click.option("--jobs", type=click.IntRange(1, 1024), default=None,
              help="Processes extracting events (default: the number of cores). One process writes.")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Extract on a Dask cluster: a scheduler address (tcp://host:8786) or 'local'.")
def ingest(paths: tuple[Path, ...], db_path: Path | None, quiet: bool, follow_links: bool,
           from_lists: tuple[Path, ...], jobs: int | None, dask_address: str | None) -> None:
    """Read articles (.txt, .md, .html files or folders; .jsonl or .parquet files of articles, one a record)
    into the database."""
    from .core.pipeline import PipelineError
    from .core.store import StoreError, explain

    if not paths and not from_lists:
        raise click.UsageError("Missing argument 'PATHS...' (files or folders to read), or --from-list FILE",
                               ctx=click.get_current_context())

    with _open_store(db_path) as store:
        try:
            if store.path.exists() and store.path.stat().st_size <= VERIFY_BEFORE_INGEST_BYTES:
                damage = store.verify()
                if damage:
                    raise UserError(f"{store.path}: {damage}; nothing was ingested")
            report = _run_ingest(store, list(paths), quiet=quiet, follow_links=follow_links,
                                 from_lists=list(from_lists), jobs=jobs, dask=dask_address)
            counts = store.counts()
        except PipelineError as exc:
            raise UserError(str(exc)) from None
        except sqlite3.DatabaseError as exc:
            # each document is its own transaction: the one being written is rolled back, earlier ones stay
            raise UserError(f"{store.path}: {explain(exc)}; files ingested before this one are kept") from None
        except StoreError as exc:
            raise UserError(f"{exc}; files ingested before this one are kept") from None
    for _path, message in report.failed:
        _say(f"failed: {message}")
    _listed("skipped", [f"{path}: {why}" for path, why in report.skipped])
    _listed("warning", list(dict.fromkeys(report.warnings)))
    skipped = f", {len(report.skipped)} skipped" if report.skipped else ""
    click.echo(
        f"documents: {report.new} new, {report.updated} updated, {report.unchanged} unchanged, "
        f"{len(report.failed)} failed{skipped}; events: {report.events_created} new from {report.sources_added} "
        f"sources ({counts['events']} in database); entities: {counts['entities']}"
    )
    if report.failed:
        sys.exit(1)


@cli.command()
@_db_option
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many events (1 or more).")
@click.option("--disputed", is_flag=True,
              help="Only events whose sources give dates that do not overlap (each source's date is listed).")
def events(db_path, sectors, entities, date_from, date_to, query, hide_rejected, fmt, limit, disputed) -> None:
    """List events (filters combine with AND; repeated --sector values with OR)."""
    from .core.interchange import event_list_csv
    from .core.query import event_json, list_events

    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected).replace(disputed=disputed)
    with _open_store(db_path, create=False) as store:
        rows = _read(store, lambda: list_events(store, flt, limit=limit))
        if fmt == "json":
            _out(_json_text({"events": [event_json(e) for e in rows]}))
        elif fmt == "csv":
            _out(event_list_csv(rows, _csv_cell_for_stdout()))
        else:
            _print_table(rows, source_dates=disputed)


def _read(store, fn):
    """Run a read; a value in the database this program never writes (a hand-edited date) is one line."""
    from .core.store import StoreError

    try:
        return fn()
    except StoreError as exc:
        raise UserError(str(exc)) from None
    except ValueError:
        err = store.bad_date_error()
        if err is None:
            raise
        raise UserError(str(err)) from None


def _json_text(data) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return json_for_terminal(text)  # JSON escapes for what a terminal would act on: the same values


def _csv_cell_for_stdout():
    """CSV cells as spreadsheets may read them; on a terminal, control characters are escaped as well."""
    from .core.interchange import csv_cell

    if sys.stdout.isatty():
        return lambda v: printable(csv_cell(v)) if isinstance(v, str) else v
    return csv_cell


def _print_table(rows: list[dict], *, source_dates: bool = False) -> None:
    from tabulate import tabulate

    table = [
        [e["id"], printable(e["date"]), printable(e["kind"]), printable(_clip(e["title"], 64)),
         printable(", ".join(e["sectors"])), len(e["sources"]), printable(e["status"])]
        + ([printable(_source_dates(e))] if source_dates else [])
        for e in rows
    ]
    headers = ["id", "date", "kind", "title", "sectors", "src", "status"] + (["dates by source"] if source_dates else [])
    click.echo(tabulate(table, headers=headers, disable_numparse=True))
    click.echo(f"{len(rows)} events")


def _source_dates(event: dict) -> str:
    """'2021 (a.txt); 2022-12 (b.txt)': what each source says the date is."""
    return "; ".join(f"{s['date']['date']} ({s['document']})" for s in event["sources"] if s.get("date"))


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
        rows = _read(store, lambda: sector_counts(store, flt, ignore_own_filter=False))
    if fmt == "json":
        _out(_json_text({"sectors": [{"name": r["key"], "label": r["name"], "count": r["count"]} for r in rows]}))
    else:
        from tabulate import tabulate

        click.echo(tabulate([[printable(r["key"]), printable(r["name"]), r["count"]] for r in rows],
                            headers=["sector", "name", "events"], disable_numparse=True))


@cli.command()
@_db_option
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "graphml"]), default="table",
              show_default=True, help="graphml: the network (nodes: actors, edges: pairs) for Gephi, yEd, networkx.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many pairs, most events first.")
def partners(db_path, sectors, entities, date_from, date_to, query, hide_rejected, fmt, limit) -> None:
    """Partner pairs: the two sides of agreements, deals, meetings and visits, with their events."""
    from .core import partners as core_partners

    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected)
    with _open_store(db_path, create=False) as store:
        view = _read(store, lambda: core_partners.partner_pairs(store, flt, limit=limit))
    rows = view.pairs
    if fmt == "graphml":
        _out(core_partners.graphml_text(core_partners.partner_graph(view, edges=len(rows))))
    elif fmt == "json":
        _out(_json_text({"pairs": [core_partners.pair_json(p) for p in rows], "total": view.total_pairs}))
    elif fmt == "csv":
        _out(core_partners.pairs_csv(rows, _csv_cell_for_stdout()))
    else:
        from tabulate import tabulate

        click.echo(tabulate([[printable(core_partners.pair_label(p)), p["events"], p["first"], p["last"],
                              printable(", ".join(p["kinds"])), printable(p["sector"])] for p in rows],
                            headers=["pair", "events", "first", "last", "kinds", "sector"], disable_numparse=True))
        shown = f"{len(rows)} of {view.total_pairs}" if len(rows) < view.total_pairs else f"{len(rows)}"
        click.echo(f"{shown} pairs")


@cli.command()
@_db_option
@_filter_options
@click.option("--type", "types", multiple=True, type=click.Choice(ENTITY_TYPES, case_sensitive=False),
              help="Only entities of this type (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def entities(db_path, sectors, entities, date_from, date_to, query, hide_rejected, types, fmt) -> None:
    """Entities of the filtered events, with the number of events each appears in."""
    from .core.query import entity_counts

    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected)
    for t in types:
        _text_arg("--type", t)
    with _open_store(db_path, create=False) as store:
        rows = _read(store, lambda: entity_counts(store, flt))
    if types:
        rows = [r for r in rows if r["type"] in types]
    if fmt == "json":
        _out(_json_text({"entities": [{"name": r["name"], "type": r["type"], "count": r["count"]} for r in rows]}))
    else:
        from tabulate import tabulate

        click.echo(tabulate([[printable(r["name"]), printable(r["type"]), r["count"]] for r in rows],
                            headers=["entity", "type", "events"], disable_numparse=True))


@cli.command()
@_db_option
@_filter_options
@click.option("--metric", "metrics", multiple=True, help="Only this metric (trade, exports, imports, fdi, "
              "investment, visitors...); repeat for several.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def indicators(db_path, sectors, entities, date_from, date_to, query, hide_rejected, metrics, fmt) -> None:
    """Dated figures (trade, investment, visitors, targets) as series, each point with its sources."""
    from .core import indicators as ind

    known = ind.default_lexicon().metrics
    bad = [m for m in metrics if m.lower() not in known]
    if bad:
        raise UserError(f"--metric {bad[0]!r} is not a metric (one of {', '.join(known)})")
    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected)
    with _open_store(db_path, create=False) as store:
        series = _read(store, lambda: ind.load_series(store, flt))
    if metrics:
        series = [s for s in series if s.metric in {m.lower() for m in metrics}]
    rows = ind.table_rows(series)
    if fmt == "json":
        _out(_json_text(ind.series_json(series)))
    elif fmt == "csv":
        import csv
        import io

        cell = _csv_cell_for_stdout()
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        columns = ["series", "metric", "period", "quantity", "unit", "target", "as written", "events", "sources"]
        writer.writerow(columns)
        for r in rows:
            writer.writerow([cell(r[c]) if isinstance(r[c], str) else r[c] for c in columns])
        _out(buf.getvalue())
    else:
        from tabulate import tabulate

        columns = ["series", "period", "value", "target", "as written", "events", "sources"]
        click.echo(tabulate([[printable(_clip(str(r[c]), 60)) for c in columns] for r in rows], headers=columns,
                            disable_numparse=True))
        click.echo(f"{len(rows)} points in {len(series)} series")


@cli.command()
@_db_option
@_filter_options
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Image file to write: .png, .svg or .pdf.")
@click.option("--width", default="1600px", show_default=True,
              help="Width: px (1/96 in, the default unit), mm, cm or in, e.g. 17cm.")
@click.option("--height", default="900px", show_default=True, help="Height: px, mm, cm or in, e.g. 4in.")
@click.option("--dpi", type=click.FloatRange(10, 4800), default=96, show_default=True,
              help="Resolution: the same picture, sharper (a PNG gets dpi/96 times the pixels of its px size).")
@click.option("--title", default=None, help="A title drawn above the timeline.")
@click.option("--caption", is_flag=True,
              help="A provenance line under the figure: articles, filters, date range, version and date.")
@click.option("--sidecar", is_flag=True, help="Also write FILE.pe.json, from which `export --from` re-renders it.")
@click.option("--strict", is_flag=True, help="With --from FILE.pe.json: fail if the data changed since.")
@click.option("--indicators", "with_indicators", is_flag=True,
              help="Draw the indicator row (dated trade, investment, visitor figures) above the lanes.")
def export(db_path, sectors, entities, date_from, date_to, query, hide_rejected, out, width, height, dpi, title,
           caption, sidecar, strict, with_indicators) -> None:
    """Render the timeline of the filtered events to PNG, SVG or PDF (no display needed).

    `--from FILE.pe.json` (a sidecar, told from a date by its .json ending) re-renders a recorded export."""
    from .core.figure import ExportSize, SizeError

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # an export never needs a display
    if date_from and date_from.lower().endswith(".json"):
        ctx = click.get_current_context()
        given = [n for n in ("sectors", "entities", "date_to", "query", "hide_rejected", "width", "height", "dpi",
                             "title", "caption") if ctx.get_parameter_source(n) == click.core.ParameterSource.COMMANDLINE]
        if given:
            raise UserError("--from FILE.pe.json takes the filters, size and title from the sidecar "
                            f"(drop {', '.join('--' + n.replace('_', '-') for n in given)})")
        _export_from_sidecar(Path(date_from), db_path, out, strict=strict, sidecar=sidecar)
        return
    if strict:
        raise UserError("--strict only applies with --from FILE.pe.json")
    try:
        size = ExportSize.of(width, height, dpi)
    except SizeError as exc:
        raise UserError(str(exc)) from None
    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected)
    _text_arg("--title", title)
    path = db_path or default_db_path()
    from .core.files import FileRefused, check_output_target
    from .core.store import StoreError

    try:
        check_output_target(out)  # before Qt starts: a refused target costs nothing
    except FileRefused as exc:
        raise UserError(str(exc)) from None
    from .qt.export import ExportError, export_from_cli

    drawn: dict = {}
    try:
        written = export_from_cli(path, out, flt, width=width, height=height, dpi=dpi, title=title, caption=caption,
                                  record=drawn, indicators=with_indicators)
    except (ExportError, StoreError) as exc:
        raise UserError(str(exc)) from None
    click.echo(printable(f"wrote {written}"))
    if sidecar:
        with _open_store(path, create=False) as store:
            click.echo(f"wrote {_write_sidecar(store, written, flt, kind='image', size=size.css_px, title=title, dpi=round(dpi), caption=drawn.get('caption'), indicators=drawn.get('indicators'))}")


def _write_sidecar(store, out: Path, flt, *, kind: str, size=None, title=None, dpi=None, visible_range=None,
                   theme: str = "light", caption: str | None = None, indicators: tuple[str, ...] | None = None) -> Path:
    """FILE.pe.json beside ``out``: what it shows (fingerprint, event ids), from which data, with which settings."""
    from .core import sidecar as sc

    car = sc.make(store, out, flt, kind=kind, size=size, title=title, title_given=title is not None, dpi=dpi,
                  visible_range=visible_range, theme=theme, caption=caption, indicators=indicators)
    from .core.files import FileRefused

    try:
        return sc.write(car, sc.sidecar_path(out))
    except FileRefused as exc:
        raise UserError(str(exc)) from None


def _export_from_sidecar(file: Path, db_path: Path | None, out: Path, *, strict: bool, sidecar: bool) -> None:
    """Re-render the picture a sidecar describes; say what changed in the data since (or fail, with --strict)."""
    from .core import sidecar as sc
    from .core.store import Store, StoreError

    try:
        car = sc.read(file)
    except sc.SidecarError as exc:
        raise UserError(str(exc)) from None
    if car.kind != "image":
        raise UserError(f"{file.name}: describes a {car.kind}, not an image (`export --from` re-renders images)")
    path = db_path or Path(car.database)
    if not path.exists():
        raise UserError(f"{file.name}: its database {path} does not exist (point at it with --db)")
    from .qt.export import ExportError, export_from_cli, export_image, indicator_bands, read_ladder, timeline_for

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
                                          palette=car.theme, caption=car.caption or False,
                                          indicators=car.indicators or False)
            else:
                data = timeline_for(store, car.filters)
                ladder, disputes = read_ladder(store, car.filters, data)
                written = export_image(data, out, width=width, height=height,
                                       dpi=car.dpi, title=car.title, x_range=car.visible_range, palette=car.theme,
                                       caption=car.caption, ladder=ladder, disputes=disputes,
                                       bands=indicator_bands(store, car.filters, car.indicators))
            click.echo(f"wrote {written}")
            if sidecar:
                click.echo(f"wrote {_write_sidecar(store, written, car.filters, kind='image', size=(width, height), title=car.title if car.title_given else None, dpi=car.dpi, visible_range=car.visible_range, theme=car.theme, caption=car.caption, indicators=car.indicators)}")
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

    with _open_store(db_path, create=False, write=True) as store:
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
@click.option("--events", "n_events", type=click.IntRange(min=1), required=True,
              help="How many synthetic events to add (at most 2,000,000 a run).")
@_db_option
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=0, show_default=True, help="Same seed, same database.")
@click.option("--append", is_flag=True, help="Add to a database that already has events or documents.")
def synth(n_events: int, db_path: Path | None, seed: int, append: bool) -> None:
    """Fill a database with realistic synthetic events, documents and sources (for scale testing)."""
    from .core.synth import MAX_EVENTS, SynthError, is_empty, synthesize

    if n_events > MAX_EVENTS:
        raise UserError(f"--events {n_events:,} is more than synth makes at once ({MAX_EVENTS:,}: about 1.4 GB of "
                        "database and 4 GB of memory per million events); run it again with --append for more")
    with _open_store(db_path) as store:
        if not append and not is_empty(store):
            raise UserError(f"{store.path}: already has events or documents (use --append to add to it)")
        try:
            report = synthesize(store, n_events, seed)
        except SynthError as exc:
            raise UserError(str(exc)) from None
    click.echo(report.summary())


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path, readable=False))
@click.option("--max-size", "max_mb", type=click.IntRange(1, 4096), default=None, metavar="MB",
              help="Refuse a file larger than this many megabytes (the whole file is read into memory; "
                   "default: the import's own limit, 50).")
@_db_option
def import_(file: Path, max_mb: int | None, db_path: Path | None) -> None:
    """Import events from a TimelineJS3 JSON file or a CSV file (all or nothing)."""
    from .core.interchange import MAX_BYTES, InterchangeError, apply_import, read_import_source, unchanged_import

    try:
        source = read_import_source(file, MAX_BYTES if max_mb is None else max_mb * 1024 * 1024)
        report = None
        path = db_path or default_db_path()
        if path.is_file():  # the very file last imported, nothing changed since: answered without parsing it
            from .core.store import Store, StoreError

            try:
                with Store(path, create=False, readonly=True) as peek:
                    report = unchanged_import(peek, source)
            except StoreError:
                report = None  # said in one line by the read-write open below
        if report is None:
            parsed = source.parse()  # the whole file is validated before the database is opened to write
            with _open_store(db_path) as store:
                report = apply_import(store, parsed)
    except InterchangeError as exc:
        message = str(exc)
        if "file too large" in message:
            message += "; --max-size MB raises the limit"
        raise UserError(message) from None
    click.echo(printable(report.summary()))


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

    from .core.files import FileRefused, check_output_target

    flt = _build_filter(sectors, entities, date_from, date_to, query, hide_rejected)
    if str(out) != "-":
        try:
            check_output_target(out)  # before the database is even opened
        except FileRefused as exc:
            raise UserError(str(exc)) from None
    with _open_store(db_path, create=False) as store:
        try:
            if str(out) == "-":
                text, _ = _read(store, lambda: render_events(store, flt, fmt, cell=_csv_cell_for_stdout()))
                _out(json_for_terminal(text) if fmt != "csv" else text)
                return
            count = _read(store, lambda: dump_events(store, flt, fmt, out))
        except InterchangeError as exc:
            raise UserError(str(exc)) from None
        written = _write_sidecar(store, out, flt, kind="dump") if sidecar else None
    click.echo(printable(f"wrote {count} events to {out}"))
    if written is not None:
        click.echo(printable(f"wrote {written}"))


@cli.command()
@_db_option
@click.option("--pair", default=None, help='One pair\'s ladder, e.g. "Vietnam–South Korea" (either order, any alias).')
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def relationship(db_path: Path | None, pair: str | None, fmt: str) -> None:
    """The relationship ladder of each country pair: the levels reached (diplomatic relations, strategic
    partnership...), each with its date, the events it comes from and, where sources disagree, each one's date."""
    from .core import relationship as rel

    _text_arg("--pair", pair)
    with _open_store(db_path, create=False) as store:
        try:
            found = _read(store, lambda: rel.steps(store, pair))
        except rel.RelationshipError as exc:
            raise UserError(str(exc)) from None
        if fmt == "json":
            _out(_json_text({"steps": [s.as_json() for s in found]}))
            return
        from tabulate import tabulate

        table = [[s.id, printable(s.pair_label), printable(s.date), printable(s.label), s.rank,
                  printable(", ".join(str(i) for i in s.event_ids)),
                  printable(" / ".join(s.source_dates()) + (" (disputed)" if s.disputed else "")),
                  printable(s.status)] for s in found]
        click.echo(tabulate(table, headers=["id", "pair", "date", "level", "rank", "events", "dates by source",
                                            "status"], disable_numparse=True))
        click.echo(f"{len(found)} steps")


@cli.command()
@_db_option
def check(db_path: Path | None) -> None:
    """Check the database, bring it up to date, and repair what an interrupted job left half-done."""
    from .core.store import Store, StoreError, explain

    path = db_path or default_db_path()
    try:
        # read-write, never created: a file that is not ours is refused before anything is written to it;
        # an upgrade or a repair is said in a note
        store = Store(path, create=False, readonly=False)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    for note in store.notes:
        _say(f"note: {note}")
    with store:
        try:
            damage = store.verify()
            counts = store.counts()
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{store.path}: {explain(exc)}") from None
    if damage:
        raise UserError(f"{path}: {damage}")
    click.echo(printable(f"{path}: ok ({counts['documents']:,} documents, {counts['events']:,} events)"))


def main(argv: list[str] | None = None) -> None:
    import multiprocessing

    multiprocessing.freeze_support()  # the desktop bundle's extraction processes start here
    try:
        code = cli.main(args=argv, prog_name=PROG, standalone_mode=False)
    except click.exceptions.UsageError as exc:  # one line, as every other refusal (click prints the usage too)
        where = exc.ctx.command_path if exc.ctx is not None else PROG
        _say(f"{where}: {exc.format_message()} (see {where} --help)")
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        _say(f"{PROG}: interrupted")
        sys.exit(130)
    except SystemExit:
        raise
    except BrokenPipeError:
        # the reader of our output went away (`| head`): nothing more to say, and nothing to print it on
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        sys.exit(1)
    except MemoryError:
        _say(f"{PROG}: out of memory (the input or the request is too large for this machine)")
        sys.exit(2)
    except sqlite3.DatabaseError as exc:
        _say(f"{PROG}: database error: {exc} (the file may be damaged or in use)")
        sys.exit(2)
    except Exception as exc:  # the last line of defence: never a traceback for a user
        if os.environ.get("PARTNERSHIP_EXPLORER_DEBUG"):
            raise
        _say(f"{PROG}: unexpected error: {exc.__class__.__name__}: {exc}")
        sys.exit(1)
    if isinstance(code, int) and code:
        sys.exit(code)


def gui_main() -> None:
    main([])
