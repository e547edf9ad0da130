import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent

# The suite starts a few hundred subprocesses (the command line, windows, ingests). They start as an installed
# program does: with compiled bytecode, kept in one cache folder rather than beside the sources. An environment
# that asks Python not to write bytecode (PYTHONDONTWRITEBYTECODE) would otherwise make each of them compile the
# program's modules again (about 0.2 s of CPU a command). The folder is kept between runs (Python checks each
# file's source date and size before using it), and the test processes use it too: pytest keeps the rewritten
# test modules there, which saves each test process (one per xdist worker) about 7 s of CPU at collection.
# Processes writing the same file at once are safe: both Python and pytest write a temporary file and rename it.
def _pycache_folder() -> str:
    if os.environ.get("PYTHONPYCACHEPREFIX"):
        return os.environ["PYTHONPYCACHEPREFIX"]
    folder = ROOT / ".pytest_cache" / "pycache"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder)
    except OSError:   # a read-only checkout: one folder for this run
        folder = tempfile.mkdtemp(prefix="pe-test-pycache-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        return folder


os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix = _pycache_folder()
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session", autouse=True)
def private_user_folders(tmp_path_factory):
    """The settings (``QSettings()``) and the default database (the user data folder) of the tests, and of every
    program they start, are in a folder of this test process: never the user's own, and never those of another
    process when the suite runs on several workers (pytest-xdist gives each worker its own temporary folder)."""
    user = tmp_path_factory.mktemp("user")
    saved = {name: os.environ.get(name) for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    os.environ["XDG_CONFIG_HOME"] = str(user / "config")
    os.environ["XDG_DATA_HOME"] = str(user / "data")
    yield user
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


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
