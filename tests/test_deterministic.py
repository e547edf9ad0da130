"""The same articles ingested twice into new databases give the same file, row for row and in the same row
order, whatever the process's hash seed (Python's set and dict-of-str orders change with it from run to run)."""

import os
import subprocess
import sys

from dbstate import database_state


def test_ingesting_with_another_hash_seed_writes_the_same_rows_in_the_same_order(tmp_path, seeds_folder):
    states = []
    for seed in ("1", "2"):
        db = tmp_path / f"seed{seed}.db"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        env.pop("PARTNERSHIP_EXPLORER_DEBUG", None)
        r = subprocess.run([sys.executable, "-m", "partnership_explorer", "ingest", "--jobs", "1", "--quiet",
                            str(seeds_folder), "--db", str(db)], capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 0, r.stderr
        states.append(database_state(db, stored_order=True))
    assert states[0]["entity_aliases"], "the seeds name entities with aliases"
    for table in states[0]:
        assert states[0][table] == states[1][table], table
