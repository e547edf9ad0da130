"""The command line as a user or a script sees it: summaries, JSON shapes, exit codes, one-line errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from badfiles.harness import cli_all

ROOT = Path(__file__).resolve().parent.parent


def cli(*args, db=None, env=None, cwd=None):
    full_env = dict(os.environ, **(env or {}))
    full_env.pop("PARTNERSHIP_EXPLORER_DEBUG", None)
    cmd = [sys.executable, "-m", "partnership_explorer", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    return subprocess.run(cmd, capture_output=True, text=True, env=full_env, cwd=cwd, timeout=300)


def test_ingest_summary_then_unchanged_on_second_run(tmp_path, seeds_folder):
    db = tmp_path / "x.db"
    r = cli("ingest", str(seeds_folder), db=db)
    assert r.returncode == 0, r.stderr
    assert "5 new" in r.stdout and "0 failed" in r.stdout
    r2 = cli("ingest", str(seeds_folder), db=db)
    assert r2.returncode == 0
    assert "0 new" in r2.stdout and "5 unchanged" in r2.stdout and "events: 0 new" in r2.stdout


def test_events_json_shape(seed_db):
    r = cli("events", "--format", "json", db=seed_db)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["events"]
    e = data["events"][0]
    assert set(e) >= {"id", "title", "kind", "date", "precision", "start", "end", "sectors", "entities", "sources",
                      "confidence", "status"}
    assert all(set(x) == {"name", "type"} for ev in data["events"] for x in ev["entities"])
    assert all({"document", "sentence", "start", "end"} <= set(s) for ev in data["events"] for s in ev["sources"])
    for ev in data["events"]:
        assert len(ev["date"]) == {"year": 4, "month": 7, "week": 8, "day": 10}[ev["precision"]]
    weeks = [ev for ev in data["events"] if ev["precision"] == "week"]  # "next week" in a seed article
    assert weeks and all(ev["date"][4:6] == "-W" and not ev["is_range"] for ev in weeks)


def test_filters_narrow_the_list(seed_db):
    every, energy, window, lam, mou = (json.loads(r.stdout)["events"] for r in cli_all(
        (), ("--sector", "energy"), ("--from", "2025-01", "--to", "2025-06"), ("--entity", "Tô Lâm"),
        ("--query", "memorandum"), run=lambda *args, db: cli("events", "--format", "json", *args, db=db), db=seed_db))
    assert 0 < len(energy) < len(every)
    assert all("energy" in e["sectors"] for e in energy)
    assert window and all(e["end"] >= "2025-01-01" and e["start"] <= "2025-06-30" for e in window)
    assert lam and all(any(x["name"] == "To Lam" for x in e["entities"]) for e in lam)
    assert mou and len(mou) < len(every)


def test_csv_and_table_output(seed_db):
    r, t = cli_all(("events", "--format", "csv"), ("events",), run=cli, db=seed_db)
    assert r.returncode == 0 and r.stdout.splitlines()[0].startswith("id,date,precision")
    assert t.returncode == 0 and "diplomatic relations" in t.stdout.lower()


def test_sector_and_entity_counts(seed_db):
    sectors, ents = cli_all(("sectors", "--format", "json"), ("entities", "--format", "json", "--sector", "energy"),
                            run=cli, db=seed_db)
    sectors, ents = json.loads(sectors.stdout)["sectors"], json.loads(ents.stdout)["entities"]
    assert {"name", "count"} <= set(sectors[0])
    by = {s["name"]: s["count"] for s in sectors}
    assert by["diplomacy"] > 0 and by["energy"] > 0
    assert ents and {"name", "type", "count"} <= set(ents[0])


@pytest.mark.parametrize("args, message", [
    (["events", "--from", "soon"], "'soon' is not a date"),
    (["events", "--from", "2025-13"], "is not a date"),
    (["events", "--sector", "gardening"], "unknown sector 'gardening'"),
])
def test_bad_arguments_get_one_line(seed_db, args, message):
    r = cli(*args, db=seed_db)
    assert r.returncode == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_missing_and_broken_databases(tmp_path):
    r = cli("events", db=tmp_path / "nope.db")
    assert r.returncode == 2 and "no such database" in r.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00\x01garbage" * 100)
    before = junk.read_bytes()
    r = cli("events", db=junk)
    assert r.returncode == 2 and "not an SQLite database" in r.stderr and "Traceback" not in r.stderr
    assert junk.read_bytes() == before


def test_truncated_database_is_reported_in_one_line(seed_copy):
    data = seed_copy.read_bytes()
    seed_copy.write_bytes(data[: len(data) // 3])
    r = cli("events", db=seed_copy)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_ingest_reports_bad_files_and_keeps_the_rest(tmp_path, seed_copy):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    (folder / "good.txt").write_text("On 3 March 2021, Samsung opened a research centre in Hanoi.\n", encoding="utf-8")
    before = json.loads(cli("events", "--format", "json", db=seed_copy).stdout)["events"]
    r = cli("ingest", str(folder), db=seed_copy)
    assert r.returncode == 1
    assert "empty.txt" in r.stderr and "image.txt" in r.stderr and "Traceback" not in r.stderr
    assert "1 new" in r.stdout and "2 failed" in r.stdout
    after = json.loads(cli("events", "--format", "json", db=seed_copy).stdout)["events"]
    assert {e["id"] for e in before} <= {e["id"] for e in after}
    assert any(e["date"] == "2021-03-03" for e in after)


def test_database_from_environment_variable(tmp_path, seeds_folder):
    db = tmp_path / "env.db"
    r = cli("ingest", str(seeds_folder / "004_1d330e7e8ca98846.txt"), env={"PARTNERSHIP_EXPLORER_DB": str(db)})
    assert r.returncode == 0, r.stderr
    assert db.exists()


def test_version():
    r = cli("--version")
    assert r.returncode == 0 and "partnership-explorer" in r.stdout


def test_run_without_a_display_builds_the_database_and_prints_the_table(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PARTNERSHIP_EXPLORER_DB"] = str(tmp_path / "first.db")
    r = subprocess.run([sys.executable, "-m", "partnership_explorer"], capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert "diplomatic relations established" in r.stdout and "no window" in r.stderr
    assert (tmp_path / "first.db").exists()


def test_export_physical_size_and_resolution(seed_db, tmp_path):
    from PySide6.QtGui import QImage

    out = tmp_path / "fig.png"
    r = cli("export", "--out", str(out), "--width", "17cm", "--height", "4in", "--dpi", "300", db=seed_db)
    assert r.returncode == 0, r.stderr
    img = QImage(str(out))
    assert (img.width(), img.height()) == (2008, 1200)
    assert abs(img.dotsPerMeterX() - 300 / 0.0254) < 2


@pytest.mark.parametrize("args, message", [
    (["--width", "17 furlongs"], "'17 furlongs' is not a length"),
    (["--height", "1mm"], "out of range"),
    (["--width", "100in", "--dpi", "600"], "too large for a PNG"),
])
def test_export_bad_sizes_get_one_line(seed_db, tmp_path, args, message):
    r = cli("export", "--out", str(tmp_path / "x.png"), *args, db=seed_db)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


@pytest.mark.parametrize("args, message", [
    (["entities", "--type", "people"], "'people' is not one of 'country', 'person', 'government'"),
    (["events", "--format", "xml"], "'xml' is not one of 'table', 'csv', 'json'"),
    (["events", "--bogus"], "No such option '--bogus'"),
    (["dump", "--format", "yaml", "--out", "-"], "'yaml' is not one of"),
    (["export", "--out", "x.png", "--dpi", "5"], "'--dpi'"),
])
def test_unknown_values_name_the_valid_ones_in_one_line(seed_db, args, message):
    r = cli(*args, db=seed_db)
    assert r.returncode == 2 and r.stdout == ""
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_entity_type_filter(seed_db):
    people = json.loads(cli("entities", "--type", "Person", "--format", "json", db=seed_db).stdout)["entities"]
    assert people and {e["type"] for e in people} == {"person"}


def test_export_sidecar_renders_the_same_physical_size_and_resolution_again(seed_db, tmp_path):
    from PySide6.QtGui import QImage

    out, again = tmp_path / "fig.png", tmp_path / "again.png"
    r = cli("export", "--out", str(out), "--width", "17cm", "--height", "8cm", "--dpi", "300", "--sidecar", db=seed_db)
    assert r.returncode == 0, r.stderr
    r = cli("export", "--from", str(out) + ".pe.json", "--out", str(again))
    assert r.returncode == 0, r.stderr
    first, second = QImage(str(out)), QImage(str(again))
    assert (first.width(), first.height()) == (2008, 945) and first == second


def test_export_caption_is_recorded_in_the_sidecar_and_drawn_again(seed_db, tmp_path):
    from PySide6.QtGui import QImage

    out, again = tmp_path / "cap.png", tmp_path / "again.png"
    r = cli("export", "--out", str(out), "--sector", "trade", "--caption", "--sidecar", db=seed_db)
    assert r.returncode == 0, r.stderr
    car = json.loads((tmp_path / "cap.png.pe.json").read_text())
    assert car["caption"].startswith("6 events from") and "sector Trade" in car["caption"]
    assert "made with Partnership Explorer" in car["caption"]
    r = cli("export", "--from", str(out) + ".pe.json", "--out", str(again))
    assert r.returncode == 0, r.stderr
    assert QImage(str(out)) == QImage(str(again))
    plain = tmp_path / "plain.png"
    assert cli("export", "--out", str(plain), "--sector", "trade", db=seed_db).returncode == 0
    assert QImage(str(plain)) != QImage(str(out))


def test_a_database_named_before_the_command_is_the_one_written(tmp_path, seeds_folder):
    """`partnership-explorer --db X ingest ...` writes to X, as `ingest ... --db X` does (not to the default
    database), and a later command reads it there; the command's own --db wins over the one before it."""
    db, other, default = tmp_path / "named.db", tmp_path / "other.db", tmp_path / "default.db"
    env = {"PARTNERSHIP_EXPLORER_DB": str(default)}
    r = cli("--db", str(db), "ingest", str(seeds_folder), env=env)
    assert r.returncode == 0, r.stderr
    assert db.exists() and not default.exists()
    listed = cli("--db", str(db), "events", "--format", "json", env=env)
    assert listed.returncode == 0 and json.loads(listed.stdout)["events"]
    r = cli("--db", str(other), "check", "--db", str(db), env=env)
    assert r.returncode == 0 and str(db) in r.stdout and not other.exists()
