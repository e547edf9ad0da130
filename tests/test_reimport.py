"""Importing an events file again: the very file last imported is answered without reading its records, and
only while nothing it compares has changed; otherwise every record is compared, cameo codes and actors too."""

from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dbstate import database_state
from partnership_explorer.core import interchange
from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.store import Store, now_text
from partnership_explorer.core.synth import synthesize


@pytest.fixture(scope="module")
def events_csv(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("reimport")
    with Store(tmp / "src.db") as src:
        synthesize(src, 600, seed=4)
        interchange.dump_events(src, EventFilter(), "csv", tmp / "events.csv")
    return tmp / "events.csv"


def _copy(src: Path, dst: Path) -> None:
    """A copy through SQLite's backup (never a plain read of a live database file)."""
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()


def _compared_record_by_record(store: Store, path: Path) -> interchange.ImportReport:
    parsed = interchange.read_import(path)
    parsed.digest = None  # never taken as the file last imported
    return interchange.apply_import(store, parsed)


def test_the_same_file_again_is_answered_without_reading_its_records(events_csv, tmp_path, monkeypatch):
    db = tmp_path / "a.db"
    with Store(db) as store:
        first = interchange.import_events(store, events_csv)
    assert first.new > 550 and not first.same_file
    before = database_state(db)

    def no_parsing(*_args):
        raise AssertionError("the records were read again")

    monkeypatch.setattr(interchange, "_parse_text", no_parsing)
    with Store(db) as store:
        again = interchange.import_events(store, events_csv)
    assert again.same_file and (again.new, again.updated, again.kept) == (0, 0, 0)
    assert again.unchanged == first.new + first.unchanged == 600
    assert again.event_ids == first.event_ids
    assert "0 new, 600 unchanged (the file is as it was last imported)" in again.summary()
    assert database_state(db) == before
    monkeypatch.undo()
    with Store(db) as store:  # what comparing every record says: the same
        full = _compared_record_by_record(store, events_csv)
    assert (full.new, full.unchanged, full.updated, full.kept, full.event_ids) == (0, 600, 0, 0, first.event_ids)


def test_the_command_line_says_the_file_is_unchanged(events_csv, tmp_path):
    db = tmp_path / "cli.db"
    env = {k: v for k, v in os.environ.items() if k != "PARTNERSHIP_EXPLORER_DEBUG"}

    def run():
        return subprocess.run([sys.executable, "-m", "partnership_explorer", "import", str(events_csv), "--db",
                               str(db)], capture_output=True, text=True, env=env, timeout=300)

    r1, r2 = run(), run()
    assert r1.returncode == 0 and r2.returncode == 0, (r1.stderr, r2.stderr)
    assert "unchanged (the file" not in r1.stdout
    assert "0 new, 600 unchanged (the file is as it was last imported)" in r2.stdout


def _edit_title(store, ids):
    store.update_event(ids[3], {"title": "Retitled by hand", "updated_at": now_text()})


def _drop_sector(store, ids):
    store.execute("DELETE FROM event_sectors WHERE event_id = ?", [ids[5]])
    store.link_sectors(ids[5], ["unclassified"])


def _new_alias(store, ids):
    entity = store.execute("SELECT entity_id FROM event_entities WHERE event_id = ? LIMIT 1", [ids[7]]).fetchone()[0]
    store.execute("INSERT INTO entity_aliases (entity_id, alias) VALUES (?, 'A name added later')", [entity])


def _delete_event(store, ids):
    store.delete_events([ids[9]])


def _merge_status(store, ids):
    store.execute("UPDATE events SET status = 'merged', merged_into = ? WHERE id = ?", [ids[0], ids[11]])


@pytest.mark.parametrize("change", [_edit_title, _drop_sector, _new_alias, _delete_event, _merge_status],
                         ids=["title edited", "sectors changed", "alias added", "event deleted", "event merged"])
def test_a_change_since_sends_the_import_back_to_its_records(events_csv, tmp_path, change):
    db, twin = tmp_path / "a.db", tmp_path / "twin.db"
    with Store(db) as store:
        first = interchange.import_events(store, events_csv)
        with store.atomic():
            change(store, first.event_ids)
    _copy(db, twin)
    with Store(db) as store:
        again = interchange.import_events(store, events_csv)
    with Store(twin) as store:
        full = _compared_record_by_record(store, events_csv)
    assert not again.same_file
    assert (again.new, again.unchanged, again.updated, again.kept, again.event_ids) == \
        (full.new, full.unchanged, full.updated, full.kept, full.event_ids)
    assert again.new + again.updated + again.kept > 0 or change is _new_alias
    state, twin_state = database_state(db), database_state(twin)
    assert len(state.pop("import_files")) == 2 and len(twin_state.pop("import_files")) == 1  # only the first keeps it
    assert state == twin_state


def _rewrite(src: Path, dst: Path, column: str, value) -> tuple[str, str]:
    """Copy the CSV with one record's cell changed: (that record's id, its new cell)."""
    rows = list(csv.DictReader(io.StringIO(src.read_text(encoding="utf-8"))))
    target = next(r for r in rows if r["actors"] and r["cameo"])
    target[column] = value(target[column])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    dst.write_text(out.getvalue(), encoding="utf-8")
    return target["id"], target[column]


@pytest.mark.parametrize("column,value", [
    ("cameo", lambda v: "036" if v != "036" else "040"),
    ("actors", lambda v: v.replace("(country, party)", "(country, participant)", 1)),
], ids=["cameo code", "actor role"])
def test_a_changed_cameo_code_or_actor_is_updated(events_csv, tmp_path, column, value):
    db = tmp_path / "a.db"
    changed = tmp_path / "events.csv"  # the same file name: its records are matched by their ids
    ref, cell = _rewrite(events_csv, changed, column, value)
    with Store(db) as store:
        interchange.import_events(store, events_csv)
        again = interchange.import_events(store, changed)
        assert (again.new, again.updated, again.unchanged) == (0, 1, 599) and not again.same_file
        event_id = store.execute("SELECT event_id FROM event_imports WHERE ref = ?", [ref]).fetchone()[0]
        stored, _ = interchange.render_events(store, EventFilter(), "csv")
    row = next(r for r in csv.DictReader(io.StringIO(stored)) if r["id"] == f"pe-{event_id}")
    if column == "actors":  # who and in which role (the type is the gazetteer's, the order the stored one)
        def who(text):
            return sorted(re.fullmatch(r"(.+?) \([^,]+, (.+)\)", a.strip()).groups() for a in text.split(";"))

        assert who(row[column]) == who(cell)
    else:
        assert row[column] == cell
