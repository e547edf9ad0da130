"""`pip install` of the wheel into a fresh virtual environment gives working entry points.

test_wheel.py checks the wheel's contents and runs the package with ``python -m`` from a ``--target`` folder.
What it does not cover, and this file does: a real virtual environment, the two entry-point scripts pip writes
into its ``bin/`` (console and GUI), the declared dependencies being satisfied, the icon inside the wheel,
and the packaging metadata (desktop file, AppStream) agreeing with the package.

How the fresh environment gets its dependencies without the network: ``python -m venv --without-pip`` (no
``--system-site-packages``: that would not see this venv anyway, and the test venv itself holds the editable
install of the checkout). A folder of symlinks to this environment's site-packages entries *minus* everything
of partnership-explorer (the package, its dist-info, the editable finder and every ``.pth``) is put on the new
venv's path by one ``.pth`` file; the wheel is then installed with ``pip --python NEW install --no-deps``. So the
third-party packages are the ones the test suite already uses, the dependency metadata is checked against
them explicitly, and partnership_explorer can only come from the wheel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
METAINFO = PACKAGING / "io.github.partnership_explorer.PartnershipExplorer.metainfo.xml"
DESKTOP = PACKAGING / "partnership-explorer.desktop"


def _version() -> str:
    text = (ROOT / "desktop" / "partnership_explorer" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def _is_ours(name: str) -> bool:
    n = name.lower().replace("-", "_")
    return n.startswith(("partnership_explorer", "_editable_impl_partnership", "__editable__")) or n.endswith(".pth")


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory):
    """A fresh venv with the wheel installed by pip; third-party packages borrowed from this environment."""
    base = tmp_path_factory.mktemp("install")
    env_dir = base / "venv"
    r = subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    python = env_dir / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    deps = base / "deps"
    deps.mkdir()
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    for folder in here:
        for entry in Path(folder).iterdir():
            if entry.name == "__pycache__" or _is_ours(entry.name) or (deps / entry.name).exists():
                continue
            (deps / entry.name).symlink_to(entry)
    Path(purelib, "_borrowed_dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                        "--no-compile", "--disable-pip-version-check", str(wheel)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    home = base / "home"
    home.mkdir()
    env = {"PATH": f"{env_dir / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin", "HOME": str(home),
           "PYTHONNOUSERSITE": "1", "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    return {"dir": env_dir, "python": python, "purelib": Path(purelib), "env": env, "cwd": home}


def _run(venv, *cmd, **kw):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env={**venv["env"], **kw.pop("env", {})},
                          cwd=venv["cwd"], timeout=300, **kw)


def test_both_entry_point_scripts_are_installed(venv):
    bin_dir = venv["dir"] / "bin"
    for name in ("partnership-explorer", "partnership-explorer-gui"):
        script = bin_dir / name
        assert script.is_file() and os.access(script, os.X_OK), f"{name} missing from {bin_dir}"
        assert script.read_text().splitlines()[0] == f"#!{venv['python']}", "script does not run the venv's python"
    gui = (bin_dir / "partnership-explorer-gui").read_text()
    assert "from partnership_explorer.cli import gui_main" in gui
    console = (bin_dir / "partnership-explorer").read_text()
    assert "from partnership_explorer.cli import main" in console
    dist_info = next(venv["purelib"].glob("partnership_explorer-*.dist-info"))
    entry_points = (dist_info / "entry_points.txt").read_text()
    gui_section = entry_points.split("[gui_scripts]", 1)[1]
    assert "partnership-explorer-gui = partnership_explorer.cli:gui_main" in gui_section
    assert "partnership-explorer = partnership_explorer.cli:main" in entry_points.split("[gui_scripts]", 1)[0]


def test_the_package_comes_from_the_wheel_with_its_data_and_icon(venv):
    code = ("import json, partnership_explorer as p\n"
            "from partnership_explorer.core.paths import resources_dir, seeds_dir\n"
            "print(json.dumps({'module': p.__file__, 'resources': str(resources_dir()), 'seeds': str(seeds_dir())}))")
    r = _run(venv, venv["python"], "-c", code)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    for key in ("module", "resources", "seeds"):
        assert info[key].startswith(str(venv["purelib"])), f"{key} not from the installed wheel: {info[key]}"
    icons = Path(info["resources"]) / "icons"
    assert (icons / "app.svg").is_file() and (icons / "app.png").is_file()


def test_declared_dependencies_are_satisfied(venv):
    code = (
        "from importlib import metadata\n"
        "from packaging.requirements import Requirement\n"
        "bad = []\n"
        "for text in metadata.requires('partnership-explorer'):\n"
        "    req = Requirement(text)\n"
        "    if req.marker and not req.marker.evaluate({'extra': ''}):\n"
        "        continue\n"
        "    try:\n"
        "        have = metadata.version(req.name)\n"
        "    except metadata.PackageNotFoundError:\n"
        "        bad.append(f'{req}: not installed'); continue\n"
        "    if not req.specifier.contains(have, prereleases=True):\n"
        "        bad.append(f'{req}: {have} installed')\n"
        "print('\\n'.join(bad))\n"
    )
    r = _run(venv, venv["python"], "-c", code)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "", r.stdout


def test_console_script_version_ingest_and_events_outside_the_checkout(venv, tmp_path):
    exe = venv["dir"] / "bin" / "partnership-explorer"
    r = _run(venv, exe, "--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"partnership-explorer, version {_version()}"
    seeds = next(venv["purelib"].glob("partnership_explorer/_data/seeds"))
    db = tmp_path / "seeds.db"
    r = _run(venv, exe, "ingest", seeds, "--db", db, "--quiet")
    assert r.returncode == 0, r.stderr
    assert "5 new" in r.stdout and "0 failed" in r.stdout, r.stdout
    r = _run(venv, exe, "events", "--format", "json", "--db", db)
    assert r.returncode == 0, r.stderr
    events = json.loads(r.stdout)["events"]
    assert len(events) > 10
    assert all(s["document"] for e in events for s in e["sources"])


def test_gui_script_starts_the_explorer_entry_point(venv, tmp_path):
    # offscreen, `run` cannot show a window: it builds the database from the bundled seeds and prints the table,
    # which proves the GUI entry point reaches cli.gui_main -> run and finds the installed seeds
    db = tmp_path / "gui.db"
    r = _run(venv, venv["dir"] / "bin" / "partnership-explorer-gui", env={"PARTNERSHIP_EXPLORER_DB": str(db)})
    assert r.returncode == 0, r.stderr
    assert re.search(r"^[1-9]\d* events$", r.stdout, re.M), r.stdout[-2000:]
    assert "no window" in r.stderr
    assert db.is_file()


# -- desktop integration files ------------------------------------------------------------------------------
def test_desktop_file_and_metainfo_agree_with_the_package():
    desktop = dict(line.split("=", 1) for line in DESKTOP.read_text(encoding="utf-8").splitlines()
                   if "=" in line and not line.startswith("#"))
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert desktop["Exec"].split()[0] == "partnership-explorer"
    assert 'partnership-explorer = "partnership_explorer.cli:main"' in pyproject
    assert desktop["Icon"] == "partnership-explorer"
    assert desktop["Categories"] == "Office;Education;Science;"
    xml = METAINFO.read_text(encoding="utf-8")
    assert re.search(r'<release version="([^"]+)"', xml).group(1) == _version(), "metainfo release != __version__"
    assert f"<launchable type=\"desktop-id\">{DESKTOP.name}</launchable>" in xml
    assert "<binary>partnership-explorer</binary>" in xml


@pytest.mark.parametrize("tool, args, path", [
    ("desktop-file-validate", [], DESKTOP),
    ("appstreamcli", ["validate", "--no-net"], METAINFO),
])
def test_validators_accept_the_desktop_integration_files(tool, args, path):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install desktop-file-utils appstream)")
    r = subprocess.run([tool, *args, str(path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
