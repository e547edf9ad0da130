import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
