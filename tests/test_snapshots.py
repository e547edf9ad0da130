"""Snapshots of the curated state: after one curation change, `snapshot diff` names exactly that change."""

import json

import pytest

from partnership_explorer.core import curation, snapshots
from partnership_explorer.core.brief import build_brief
from partnership_explorer.core.brief_writers import render_markdown
from partnership_explorer.core.ingest import ingest_paths
from partnership_explorer.core.query import EventFilter, list_events
from partnership_explorer.core.store import Store
from test_cli import cli


@pytest.fixture
def snap(seed_copy):
    with Store(seed_copy) as s:
        snapshots.save(s, "before")
        events = list_events(s, EventFilter())
    return seed_copy, events


def _diff(path):
    with Store(path) as s:
        return snapshots.diff(s, "before")


def test_nothing_changed(snap):
    d = _diff(snap[0])
    assert d.changes == [] and d.summary() == "Nothing changed since this snapshot."


@pytest.mark.parametrize("change, category", [
    ("confirm", "confirmed"),
    ("reject", "rejected"),
    ("retitle", "retitled"),
    ("redate", "redated"),
    ("merge", "merged"),
    ("sectors", "reclassified"),
])
def test_one_curation_change_is_named_exactly(snap, change, category):
    path, events = snap
    a, b = events[3], events[4]
    with Store(path) as s:
        if change == "confirm":
            curation.confirm(s, a["id"])
        elif change == "reject":
            curation.reject(s, a["id"])
        elif change == "retitle":
            curation.edit(s, a["id"], title="A better title")
        elif change == "redate":
            curation.edit(s, a["id"], date="2019-03-05")
        elif change == "merge":
            curation.merge(s, b["id"], a["id"])
        elif change == "sectors":
            curation.edit(s, a["id"], sectors=["health"])
    d = _diff(path)
    assert [(c.category, c.event_id) for c in d.changes] == [(category, a["id"])]
    text = d.changes[0].text
    if change == "retitle":
        assert text == f"“{a['title']}” → “A better title”"
    elif change == "redate":
        assert text.endswith("→ 5 March 2019")
    elif change == "merge":
        assert text == f"“{a['title']}” merged into “{b['title']}”"
    else:
        assert a["title"] in text


def test_new_article_lists_new_events_and_the_source(snap, tmp_path):
    path, events = snap
    article = tmp_path / "new.txt"
    article.write_text("Hanoi, March 3, 2026 — Vietnam and South Korea signed a memorandum of understanding on "
                       "semiconductor training on March 2, 2026, the two ministries said.\n", encoding="utf-8")
    with Store(path) as s:
        report = ingest_paths(s, [article])
    assert report.events_created >= 1
    d = _diff(path)
    cats = d.by_category()
    assert set(cats) == {"new", "new_sources"}
    assert len(cats["new"]) == report.events_created
    assert [c.document_id for c in cats["new_sources"]] and "2026" in cats["new_sources"][0].text


def test_names_are_checked(snap):
    path, _ = snap
    with Store(path) as s:
        with pytest.raises(snapshots.SnapshotError, match="exists already"):
            snapshots.save(s, "before")
        snapshots.save(s, "before", replace=True)
        for bad in ("", "   ", "x" * 101, "a\nb"):
            with pytest.raises(snapshots.SnapshotError):
                snapshots.save(s, bad)
        with pytest.raises(snapshots.SnapshotError, match="no snapshot named 'nope'.*saved: before"):
            snapshots.diff(s, "nope")
        assert [r["name"] for r in snapshots.list_snapshots(s)] == ["before"]


def test_brief_section_since(snap):
    path, events = snap
    with Store(path) as s:
        curation.reject(s, events[0]["id"])
        b = build_brief(s, changes=snapshots.diff(s, "before"))
    md = render_markdown(b, None)
    assert "## Changes since “before”" in md and "1 rejected" in md
    assert events[0]["title"] in md.split("## Events")[0]


def test_cli_snapshot_commands(seed_copy):
    r = cli("snapshot", "save", "jan", db=seed_copy)
    assert r.returncode == 0 and "saved snapshot 'jan'" in r.stdout
    assert cli("snapshot", "save", "jan", db=seed_copy).returncode == 2
    with Store(seed_copy) as s:
        event = list_events(s, EventFilter())[2]
        curation.confirm(s, event["id"])
    r = cli("snapshot", "diff", "jan", "--format", "json", db=seed_copy)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["snapshot"] == "jan"
    assert [(c["change"], c["event_id"]) for c in data["changes"]] == [("confirmed", event["id"])]
    r = cli("snapshot", "diff", "jan", db=seed_copy)
    assert "Confirmed" in r.stdout and "1 change" in r.stdout
    r = cli("snapshot", "diff", "jan", "--format", "md", db=seed_copy)
    assert "**Confirmed**" in r.stdout
    r = cli("snapshot", "list", "--format", "json", db=seed_copy)
    assert [x["name"] for x in json.loads(r.stdout)["snapshots"]] == ["jan"]
    r = cli("snapshot", "diff", "feb", db=seed_copy)
    assert r.returncode == 2 and "no snapshot named 'feb'" in r.stderr


def test_read_only_database(seed_copy):
    import os
    import stat

    with Store(seed_copy) as s:
        snapshots.save(s, "kept")
        s.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for p in (seed_copy, *seed_copy.parent.glob(seed_copy.name + "-*")):
        os.chmod(p, stat.S_IRUSR)
    if os.access(seed_copy, os.W_OK):
        pytest.skip("root can write anywhere")
    r = cli("snapshot", "save", "new", db=seed_copy)
    assert r.returncode == 2 and "read-only" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli("snapshot", "diff", "kept", db=seed_copy)
    assert r.returncode == 0 and "0 changes" in r.stdout


def test_saving_in_a_read_only_store_says_why(seed_copy):
    with Store(seed_copy) as s:
        snapshots.save(s, "kept")
    with Store(seed_copy, create=False, readonly=True) as s:
        assert [r["name"] for r in snapshots.list_snapshots(s)] == ["kept"]
        assert snapshots.diff(s, "kept").changes == []
        with pytest.raises(snapshots.SnapshotError, match="read-only"):
            snapshots.save(s, "x")
