"""Sidecar files (``FILE.pe.json``) that make an exported figure, brief or dump reproducible.

A sidecar records the app version, the database's path, a fingerprint of the data shown (the content hash of the
events and of the user decisions on them, see :func:`.brief.event_digests`), one short hash per event (so a later
comparison can say which events changed), the filters, the visible range, size, dpi, theme and title.
:func:`read` checks a sidecar before anything is rendered: a file that is not JSON, JSON that is not a sidecar,
a sidecar of a newer version and a database that is gone each get one line (:class:`SidecarError`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from .brief import combine_digests, event_digests
from .files import FileRefused, read_regular, write_atomic
from .query import EventFilter, list_events
from .store import Store

FORMAT = "partnership-explorer/sidecar"
VERSION = 1
SUFFIX = ".pe.json"
MAX_BYTES = 50 * 1024 * 1024


class SidecarError(ValueError):
    """A sidecar that cannot be used, explained in one line."""


def sidecar_path(out: Path) -> Path:
    """``timeline.png`` → ``timeline.png.pe.json`` (beside the file it describes)."""
    out = Path(out)
    return out.with_name(out.name + SUFFIX)


def filter_to_json(flt: EventFilter) -> dict:
    out = {"sectors": list(flt.sectors), "entities": list(flt.entities),
            "date_from": flt.date_from.isoformat() if flt.date_from else None,
            "date_to": flt.date_to.isoformat() if flt.date_to else None,
            "query": flt.query, "show_rejected": flt.show_rejected, "kinds": list(flt.kinds),
            "document_id": flt.document_id, "pair": list(flt.pair)}
    if flt.disputed:
        out["disputed"] = True
    return out


def filter_from_json(data: object, where: str) -> EventFilter:
    if not isinstance(data, dict):
        raise SidecarError(f"{where}: 'filters' is not an object")
    try:
        def day(v):
            return dt.date.fromisoformat(v) if v else None

        def strings(v):
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise ValueError
            return tuple(v)

        if len(strings(data.get("pair", []))) not in (0, 2):
            raise ValueError
        doc = data.get("document_id")
        if doc is not None and not isinstance(doc, int):
            raise ValueError
        return EventFilter(sectors=strings(data.get("sectors", [])), entities=strings(data.get("entities", [])),
                           date_from=day(data.get("date_from")), date_to=day(data.get("date_to")),
                           query=str(data.get("query") or ""), show_rejected=bool(data.get("show_rejected", True)),
                           kinds=strings(data.get("kinds", [])), document_id=doc,
                           pair=strings(data.get("pair", [])),
                           disputed=bool(data.get("disputed", False)))
    except (TypeError, ValueError):
        raise SidecarError(f"{where}: 'filters' is not readable") from None


@dataclass
class Sidecar:
    kind: str  # image, brief or dump
    output: str  # the file's name, beside the sidecar
    database: str
    fingerprint: str
    events: dict[int, str]
    filters: EventFilter
    app_version: str = ""
    visible_range: tuple[float, float] | None = None  # epoch seconds; None = the filtered events' whole range
    size: tuple[float, float] | None = None
    dpi: int | None = None
    theme: str = "light"
    title: str | None = None
    title_given: bool = False
    created_at: str = ""
    caption: str | None = None  # the provenance line drawn under the figure, as drawn (re-rendered as it is)
    indicators: tuple[str, ...] | None = None  # the keys of the indicator series drawn above the lanes
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "format": FORMAT, "version": VERSION, "app_version": self.app_version, "kind": self.kind,
            "output": self.output, "created_at": self.created_at, "database": self.database,
            "fingerprint": self.fingerprint, "filters": filter_to_json(self.filters),
            "visible_range": list(self.visible_range) if self.visible_range else None,
            "size": list(self.size) if self.size else None, "dpi": self.dpi, "theme": self.theme,
            "title": self.title, "title_given": self.title_given, "caption": self.caption,
            "events": {str(k): v for k, v in sorted(self.events.items())},
            **({"indicators": list(self.indicators)} if self.indicators else {}), **self.extra,
        }


def describe_data(store: Store, flt: EventFilter) -> tuple[str, dict[int, str]]:
    """(fingerprint, per-event hashes) of the events ``flt`` shows."""
    digests = event_digests(store, list_events(store, flt))
    return combine_digests(digests), digests


def make(store: Store, out: Path, flt: EventFilter, *, kind: str, **params) -> Sidecar:
    from .. import __version__

    fingerprint, digests = describe_data(store, flt)
    return Sidecar(kind=kind, output=Path(out).name, database=str(Path(store.path).resolve()),
                   fingerprint=fingerprint, events=digests, filters=flt, app_version=__version__,
                   created_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), **params)


def write(sidecar: Sidecar, path: Path) -> Path:
    """Write the sidecar all at once (core.files.write_atomic: never through a planted link or onto a device);
    :class:`~.files.FileRefused` (one line) when it cannot be written."""
    path = Path(path)
    write_atomic(path, json.dumps(sidecar.as_json(), ensure_ascii=False, indent=2) + "\n")
    return path


def read(path: Path) -> Sidecar:
    """The sidecar at ``path``, checked; :class:`SidecarError` (one line) otherwise."""
    path = Path(path)
    name = path.name
    try:  # a regular file only: a FIFO named here would block the read forever
        text = read_regular(path, MAX_BYTES, str(path)).decode("utf-8")
    except FileRefused as exc:
        raise SidecarError(str(exc).replace("cannot read the file (no such file or directory)", "no such file")) from None
    except UnicodeDecodeError:
        raise SidecarError(f"{name}: not a sidecar (not UTF-8 text)") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise SidecarError(f"{name}: not a sidecar (not JSON)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SidecarError(f"{name}: not a Partnership Explorer sidecar (JSON without \"format\": \"{FORMAT}\")")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise SidecarError(f"{name}: sidecar version {version!r} is not readable")
    if version > VERSION:
        raise SidecarError(f"{name}: written by a newer version of Partnership Explorer "
                           f"({data.get('app_version') or 'unknown'}, sidecar version {version}; "
                           f"this one reads up to {VERSION})")
    try:
        events = {int(k): str(v) for k, v in (data.get("events") or {}).items()}
        vr = data.get("visible_range")
        visible = (float(vr[0]), float(vr[1])) if vr else None
        size = data.get("size")
        # px of 1/96 inch; fractions keep a physical size (17 cm = 642.52 px) exact at any dpi
        size_t = (_number(size[0]), _number(size[1])) if size else None
        dpi = int(data["dpi"]) if data.get("dpi") is not None else None
        kind = str(data.get("kind") or "image")
        database = str(data["database"])
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        raise SidecarError(f"{name}: damaged sidecar (a field has the wrong type or is missing)") from None
    title = data.get("title")
    caption = data.get("caption")
    keys = data.get("indicators")
    if keys is not None and not (isinstance(keys, list) and all(isinstance(k, str) for k in keys)):
        raise SidecarError(f"{name}: damaged sidecar ('indicators' is not a list of series names)")
    return Sidecar(kind=kind, output=str(data.get("output") or ""), database=database,
                   fingerprint=str(data.get("fingerprint") or ""), events=events,
                   filters=filter_from_json(data.get("filters", {}), name),
                   app_version=str(data.get("app_version") or ""), visible_range=visible, size=size_t, dpi=dpi,
                   theme=str(data.get("theme") or "light"), title=title if isinstance(title, str) else None,
                   title_given=bool(data.get("title_given")), created_at=str(data.get("created_at") or ""),
                   caption=caption if isinstance(caption, str) and caption else None,
                   indicators=tuple(keys) if keys else None)


def changes_since(sidecar: Sidecar, store: Store) -> list[str]:
    """What differs between the data the sidecar recorded and the database now (empty: the same data)."""
    fingerprint, digests = describe_data(store, sidecar.filters)
    if fingerprint == sidecar.fingerprint:
        return []
    old, new = sidecar.events, digests
    changed = sorted(i for i in old.keys() & new.keys() if old[i] != new[i])
    added = sorted(new.keys() - old.keys())
    gone = sorted(old.keys() - new.keys())
    out = []

    def ids(xs):
        shown = ", ".join(str(x) for x in xs[:10])
        return shown + (f" and {len(xs) - 10} more" if len(xs) > 10 else "")

    if changed:
        out.append(f"{len(changed)} event{'s' if len(changed) != 1 else ''} changed ({ids(changed)})")
    if added:
        out.append(f"{len(added)} new ({ids(added)})")
    if gone:
        out.append(f"{len(gone)} no longer shown ({ids(gone)})")
    return out or ["the data's fingerprint differs"]


__all__ = ["FORMAT", "SUFFIX", "Sidecar", "SidecarError", "VERSION", "changes_since", "describe_data",
           "filter_from_json", "filter_to_json", "make", "read", "sidecar_path", "write"]


def _number(value) -> float | int:
    """An int when whole (sidecars of whole pixels read as before), else a float."""
    f = float(value)
    return int(f) if f.is_integer() else f
