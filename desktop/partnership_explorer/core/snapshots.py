"""Named snapshots of the curated state, and what changed since one: the paragraph an analyst writes each month.

:func:`save` records, under a name, every event's title, date (and precision and span), kind, status, merge
target and sectors, and every document's path and content hash (table ``curation_snapshots``, one compressed
JSON value per snapshot). :func:`diff` compares the database with a snapshot and lists what is new, re-dated,
merged, retitled, reclassified, confirmed, rejected, restored or removed, and which articles arrived or changed.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass, field

from .brief import format_date
from .store import Store

MAX_NAME = 100


class SnapshotError(ValueError):
    """A snapshot that cannot be saved or found (one line)."""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise SnapshotError("a snapshot needs a name")
    if len(name) > MAX_NAME:
        raise SnapshotError(f"snapshot names are at most {MAX_NAME} characters")
    if any(ord(c) < 32 for c in name):
        raise SnapshotError("a snapshot name cannot contain control characters")
    return name


def _table_exists(store: Store) -> bool:
    """False for a database of an older version opened read-only (its schema was not upgraded)."""
    return store.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'curation_snapshots'"
                         ).fetchone() is not None


def current_state(store: Store) -> dict:
    """The curated state as plain JSON-able data."""
    sectors: dict[int, list[str]] = {}
    for event_id, key in store.execute("SELECT event_id, sector_key FROM event_sectors ORDER BY event_id, sector_key"):
        sectors.setdefault(event_id, []).append(key)
    events = {}
    for row in store.execute(
            'SELECT id, title, date, precision, start, "end", is_range, kind, status, merged_into, n_sources FROM events'):
        event_id = row[0]
        events[str(event_id)] = {
            "title": row[1], "date": row[2], "precision": row[3], "start": row[4], "end": row[5],
            "is_range": bool(row[6]), "kind": row[7], "status": row[8], "merged_into": row[9], "n_sources": row[10],
            "sectors": sectors.get(event_id, []),
        }
    documents = {}
    for row in store.execute("SELECT id, path, content_hash, title, outlet, published, published_precision "
                             "FROM documents"):
        documents[str(row[0])] = {"path": row[1], "hash": row[2], "title": row[3], "outlet": row[4],
                                  "published": row[5], "published_precision": row[6]}
    return {"format": 1, "events": events, "documents": documents}


def save(store: Store, name: str, *, replace: bool = False) -> dict:
    """Record the curated state under ``name``; returns the snapshot's summary row."""
    from .. import __version__

    name = _check_name(name)
    if getattr(store, "readonly", False) or not _table_exists(store):
        raise SnapshotError(f"{store.path}: database is read-only (a snapshot is stored in it)")
    with store.atomic():
        exists = store.execute("SELECT 1 FROM curation_snapshots WHERE name = ?", [name]).fetchone()
        if exists and not replace:
            raise SnapshotError(f"a snapshot named '{name}' exists already (choose another name or replace it)")
        state = current_state(store)
        blob = zlib.compress(json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode(), 6)
        row = {"name": name, "created_at": _now(), "app_version": __version__, "n_events": len(state["events"]),
               "n_documents": len(state["documents"]), "state": blob}
        if exists:
            store.execute("DELETE FROM curation_snapshots WHERE name = ?", [name])
        store.execute(
            "INSERT INTO curation_snapshots (name, created_at, app_version, n_events, n_documents, state) "
            "VALUES (:name, :created_at, :app_version, :n_events, :n_documents, :state)", row)
    return {k: v for k, v in row.items() if k != "state"}


def list_snapshots(store: Store) -> list[dict]:
    if not _table_exists(store):
        return []
    cur = store.execute("SELECT name, created_at, app_version, n_events, n_documents FROM curation_snapshots "
                        "ORDER BY created_at, id")
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def load(store: Store, name: str) -> tuple[dict, dict]:
    """(summary row, state) of a snapshot."""
    row = None if not _table_exists(store) else store.execute(
        "SELECT name, created_at, app_version, n_events, n_documents, state FROM curation_snapshots WHERE name = ?",
        [name]).fetchone()
    if row is None:
        known = [r["name"] for r in list_snapshots(store)]
        hint = f" (saved: {', '.join(known)})" if known else " (none saved yet: use `snapshot save NAME`)"
        raise SnapshotError(f"there is no snapshot named '{name}'{hint}")
    try:
        state = json.loads(zlib.decompress(row[5]))
    except (zlib.error, ValueError):
        raise SnapshotError(f"snapshot '{name}' is damaged and cannot be read") from None
    if not isinstance(state, dict) or not isinstance(state.get("events"), dict):
        raise SnapshotError(f"snapshot '{name}' is not in a format this version reads")
    return {"name": row[0], "created_at": row[1], "app_version": row[2], "n_events": row[3],
            "n_documents": row[4]}, state


# -- the difference ------------------------------------------------------------------------------------------------
CATEGORIES = (
    ("new", "New events"),
    ("redated", "Re-dated"),
    ("merged", "Merged"),
    ("retitled", "Retitled"),
    ("reclassified", "Reclassified"),
    ("confirmed", "Confirmed"),
    ("rejected", "Rejected"),
    ("restored", "No longer rejected"),
    ("removed", "Removed"),
    ("new_sources", "New sources"),
    ("updated_sources", "Updated sources"),
)


@dataclass
class Change:
    category: str
    text: str
    event_id: int | None = None
    document_id: int | None = None
    before: object = None
    after: object = None

    def as_json(self) -> dict:
        out = {"change": self.category, "text": self.text}
        if self.event_id is not None:
            out["event_id"] = self.event_id
        if self.document_id is not None:
            out["document_id"] = self.document_id
        if self.before is not None or self.after is not None:
            out["before"], out["after"] = self.before, self.after
        return out


@dataclass
class Diff:
    name: str
    saved_at: str
    changes: list[Change] = field(default_factory=list)

    def by_category(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = {}
        for c in self.changes:
            out.setdefault(c.category, []).append(c)
        return out

    def groups(self) -> list[tuple[str, list[str]]]:
        cats = self.by_category()
        return [(label, [c.text for c in cats[key]]) for key, label in CATEGORIES if key in cats]

    def heading(self) -> str:
        return f"Changes since “{self.name}” ({self.saved_at[:10]})"

    def summary(self) -> str:
        if not self.changes:
            return "Nothing changed since this snapshot."
        cats = self.by_category()
        parts = []
        for key, label in CATEGORIES:
            if key in cats:
                parts.append(f"{len(cats[key])} {label.lower()}")
        return "Since this snapshot: " + ", ".join(parts) + "."

    def as_json(self) -> dict:
        return {"snapshot": self.name, "saved_at": self.saved_at, "changes": [c.as_json() for c in self.changes]}


def _date_of(e: dict) -> str:
    first = format_date(e["date"], e["precision"])
    if e.get("is_range") and e["start"] != e["end"]:
        last = format_date({"year": e["end"][:4], "month": e["end"][:7]}.get(e["precision"], e["end"]),
                           e["precision"])
        if last != first:
            return f"{first} – {last}"
    return first


def _visible(e: dict) -> bool:
    return e["status"] not in ("merged",)


def compare(name: str, saved_at: str, old: dict, new: dict) -> Diff:
    """What changed from state ``old`` to state ``new`` (both from :func:`current_state`)."""
    out = Diff(name, saved_at)
    oe, ne = old.get("events", {}), new.get("events", {})
    # sectors a survivor gained from the events merged into it since: part of the merge, not a reclassification
    inherited: dict[str, set[str]] = {}
    for key, e in ne.items():
        was = oe.get(key)
        if e["status"] == "merged" and was is not None and was["status"] != "merged" and e["merged_into"]:
            inherited.setdefault(str(e["merged_into"]), set()).update(was["sectors"])
    for key in sorted(ne, key=lambda k: (ne[k]["start"], int(k))):
        e = ne[key]
        event_id = int(key)
        was = oe.get(key)
        if was is None:
            if e["status"] == "rejected":
                out.changes.append(Change("rejected", f"{_date_of(e)} — {e['title']} (new, rejected)", event_id))
            elif _visible(e):
                out.changes.append(Change("new", f"{_date_of(e)} — {e['title']}", event_id))
            continue
        if e["status"] == "merged":
            if was["status"] != "merged":
                target = ne.get(str(e["merged_into"]))
                into = f"“{target['title']}”" if target else "another event"
                out.changes.append(Change("merged", f"“{was['title']}” merged into {into}", event_id,
                                          before=None, after=e["merged_into"]))
            continue
        if was["status"] == "merged":
            continue  # an undone merge shows as the event's other changes, if any
        if (was["date"], was["precision"], was["start"], was["end"]) != (e["date"], e["precision"], e["start"], e["end"]):
            out.changes.append(Change("redated", f"{e['title']}: {_date_of(was)} → {_date_of(e)}", event_id,
                                      before=was["date"], after=e["date"]))
        if was["title"] != e["title"]:
            out.changes.append(Change("retitled", f"“{was['title']}” → “{e['title']}”", event_id,
                                      before=was["title"], after=e["title"]))
        gained = set(e["sectors"]) - set(was["sectors"])
        lost = set(was["sectors"]) - set(e["sectors"])
        merged_in = inherited.get(key, set())
        if was["kind"] != e["kind"] or lost - {"unclassified"} or gained - merged_in or (lost and not merged_in):
            bits = []
            if was["kind"] != e["kind"]:
                bits.append(f"kind {was['kind']} → {e['kind']}")
            if sorted(was["sectors"]) != sorted(e["sectors"]):
                bits.append(f"sectors {', '.join(was['sectors']) or '–'} → {', '.join(e['sectors']) or '–'}")
            out.changes.append(Change("reclassified", f"{e['title']}: {'; '.join(bits)}", event_id,
                                      before={"kind": was["kind"], "sectors": was["sectors"]},
                                      after={"kind": e["kind"], "sectors": e["sectors"]}))
        if e["status"] != was["status"]:
            if e["status"] == "confirmed":
                out.changes.append(Change("confirmed", f"{_date_of(e)} — {e['title']}", event_id,
                                          before=was["status"], after=e["status"]))
            elif e["status"] == "rejected":
                out.changes.append(Change("rejected", f"{_date_of(e)} — {e['title']}", event_id,
                                          before=was["status"], after=e["status"]))
            elif was["status"] == "rejected":
                out.changes.append(Change("restored", f"{_date_of(e)} — {e['title']}", event_id,
                                          before=was["status"], after=e["status"]))
    for key in sorted(oe, key=lambda k: (oe[k]["start"], int(k))):
        if key not in ne and _visible(oe[key]):
            was = oe[key]
            out.changes.append(Change("removed", f"{_date_of(was)} — {was['title']}", int(key)))
    od, nd = old.get("documents", {}), new.get("documents", {})
    old_by_path = {d["path"]: d for d in od.values()}
    for key in sorted(nd, key=lambda k: ((nd[k]["published"] or ""), int(k))):
        d = nd[key]
        was = old_by_path.get(d["path"])
        label = ", ".join(x for x in (d["title"] or d["path"].rsplit("/", 1)[-1], d["outlet"],
                                      format_date(d["published"], d["published_precision"]) if d["published"] else "")
                          if x)
        if was is None:
            out.changes.append(Change("new_sources", label, document_id=int(key)))
        elif was["hash"] != d["hash"]:
            out.changes.append(Change("updated_sources", label, document_id=int(key)))
    order = {key: i for i, (key, _) in enumerate(CATEGORIES)}
    out.changes.sort(key=lambda c: order[c.category])  # stable: within a category, in date order
    return out


def diff(store: Store, name: str) -> Diff:
    """What changed in the database since the snapshot ``name``."""
    row, state = load(store, name)
    return compare(row["name"], row["created_at"], state, current_state(store))


def render_table(d: Diff) -> str:
    from tabulate import tabulate

    labels = dict(CATEGORIES)
    rows = [[labels[c.category], c.event_id if c.event_id is not None else "", c.text] for c in d.changes]
    head = f"{d.heading()}: {len(d.changes)} change{'s' if len(d.changes) != 1 else ''}"
    if not rows:
        return head + "\n" + d.summary()
    return head + "\n" + tabulate(rows, headers=["change", "event", "what"])


def render_markdown(d: Diff) -> str:
    lines = [f"## {d.heading()}", "", d.summary(), ""]
    for label, items in d.groups():
        lines += [f"**{label}**", ""] + [f"- {i}" for i in items] + [""]
    return "\n".join(lines)


__all__ = ["CATEGORIES", "Change", "Diff", "SnapshotError", "compare", "current_state", "diff", "list_snapshots",
           "load", "render_markdown", "render_table", "save"]
