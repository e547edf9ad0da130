"""The built wheel carries resources/ and seeds/, so an installed package works outside the checkout."""

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_resources_and_seeds(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "partnership_explorer/_data/resources/gazetteer.toml" in names
    assert "partnership_explorer/_data/resources/sectors.toml" in names
    assert "partnership_explorer/_data/seeds/manifest.csv" in names
    assert sum(n.startswith("partnership_explorer/_data/seeds/") and n.endswith(".txt") for n in names) == 5


def test_installed_wheel_ingests_its_own_seeds_and_lists_events(wheel, tmp_path):
    target = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
                        "--target", str(target), str(wheel)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    # the installed copy, the dependencies of this environment, and nothing of the checkout
    deps = sysconfig.get_paths()["purelib"]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": f"{target}{os.pathsep}{deps}",
           "PYTHONNOUSERSITE": "1", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    code = (
        "import json, sys, partnership_explorer as p\n"
        "from partnership_explorer.core.paths import seeds_dir\n"
        "print(json.dumps({'module': p.__file__, 'seeds': str(seeds_dir())}))\n"
    )
    where = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    info = json.loads(where.stdout)
    assert info["module"].startswith(str(target)) and info["seeds"].startswith(str(target))
    db = tmp_path / "w.db"
    run = lambda *a: subprocess.run([sys.executable, "-S", "-m", "partnership_explorer", *a, "--db", str(db)],  # noqa: E731
                                    capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    r = run("ingest", info["seeds"])
    assert r.returncode == 0 and "5 new" in r.stdout, r.stderr
    r = run("events", "--format", "json")
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)["events"]) > 10
