"""The same articles ingested twice into new databases give the same file, row for row and in the same row
order, whatever the process's hash seed (Python's set and dict-of-str orders change with it from run to run)."""

import os
import sqlite3
import subprocess
import sys

from dbstate import CLOCK_COLUMNS, SKIPPED_TABLES


def _rows_in_stored_order(path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL TABLE%' "
            "AND sql NOT LIKE '%WITHOUT ROWID%' ORDER BY name")]
        out = {}
        for table in tables:
            if table in SKIPPED_TABLES or "_fts" in table:
                continue
            columns = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")') if r[1] not in CLOCK_COLUMNS]
            quoted = ", ".join(f'"{c}"' for c in columns)
            out[table] = con.execute(f'SELECT rowid, {quoted} FROM "{table}" ORDER BY rowid').fetchall()
        return out
    finally:
        con.close()


def test_ingesting_with_another_hash_seed_writes_the_same_rows_in_the_same_order(tmp_path, seeds_folder):
    states = []
    for seed in ("1", "2"):
        db = tmp_path / f"seed{seed}.db"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        env.pop("PARTNERSHIP_EXPLORER_DEBUG", None)
        r = subprocess.run([sys.executable, "-m", "partnership_explorer", "ingest", "--jobs", "1", "--quiet",
                            str(seeds_folder), "--db", str(db)], capture_output=True, text=True, env=env, timeout=300)
        assert r.returncode == 0, r.stderr
        states.append(_rows_in_stored_order(db))
    assert states[0]["entity_aliases"], "the seeds name entities with aliases"
    for table in states[0]:
        assert states[0][table] == states[1][table], table
