import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The suite starts a few hundred subprocesses (the command line, windows, ingests). They start as an installed
# program does: with compiled bytecode, kept in one cache folder for the run rather than beside the sources. An
# environment that asks Python not to write bytecode (PYTHONDONTWRITEBYTECODE) would otherwise make each of them
# compile the program's modules again (about 0.2 s of CPU a command).
if "PYTHONPYCACHEPREFIX" not in os.environ:
    _PYCACHE = tempfile.mkdtemp(prefix="pe-test-pycache-")
    os.environ["PYTHONPYCACHEPREFIX"] = _PYCACHE
    atexit.register(shutil.rmtree, _PYCACHE, ignore_errors=True)
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "events.db"


@pytest.fixture
def store(db_path):
    from partnership_explorer.core.store import Store

    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    """A database built once from the bundled seed articles (copy it before changing it)."""
    from partnership_explorer.core.ingest import ingest_paths
    from partnership_explorer.core.store import Store

    path = tmp_path_factory.mktemp("seed") / "seed.db"
    with Store(path) as s:
        report = ingest_paths(s, [SEEDS])
        assert report.ok, report.failed
    return path


@pytest.fixture
def seed_copy(seed_db, tmp_path) -> Path:
    """A private copy of the seed database for tests that change it."""
    from partnership_explorer.core.store import Store

    target = tmp_path / "copy.db"
    with Store(seed_db) as s:
        s.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(seed_db, target)
    return target


@pytest.fixture
def seeds_folder(tmp_path) -> Path:
    """A private copy of the seed folder, to edit files in."""
    target = tmp_path / "articles"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The project's wheel, built once per test run."""
    out = tmp_path_factory.mktemp("dist")
    r = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0 and "No module named build" in r.stderr:
        pytest.skip("the 'build' package is not installed (pip install -e '.[test]')")
    assert r.returncode == 0, r.stderr[-3000:]
    return next(out.glob("partnership_explorer-*.whl"))


@pytest.fixture
def no_blocking_dialogs(monkeypatch):
    """A modal box would wait forever offscreen: record what would have been shown instead."""
    from PySide6.QtWidgets import QMessageBox

    shown = []
    for name in ("warning", "information", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, _n=name, **k: shown.append((_n, a[1:3])) or 0)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(("exec", self.text())) or 0)
    return shown
