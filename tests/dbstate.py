"""What a database holds, as comparable values: every table a user's data lives in, every row, without the
clock columns (when a row was written) and without derived tables (full-text indexes, the timeline cache,
memoised reads and their change counters)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

CLOCK_COLUMNS = {"ingested_at", "created_at", "updated_at", "at", "applied_at", "imported_at"}
SKIPPED_TABLES = {"_sqlite_migrations", "timeline_snapshot", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4",
                  "change_counters", "view_snapshots"}


def database_state(path: Path, *, stored_order: bool = False) -> dict[str, list[tuple]]:
    """Every row of every such table, sorted; with ``stored_order``, each row with its rowid, in rowid order (the
    tables with a rowid only)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE '%VIRTUAL TABLE%' "
            + ("AND sql NOT LIKE '%WITHOUT ROWID%' " if stored_order else "") + "ORDER BY name")]
        state = {}
        for table in tables:
            if table in SKIPPED_TABLES or "_fts" in table:
                continue
            columns = [r[1] for r in con.execute(f'PRAGMA table_info("{table}")') if r[1] not in CLOCK_COLUMNS]
            quoted = ", ".join(f'"{c}"' for c in columns)
            if stored_order:
                state[table] = con.execute(f'SELECT rowid, {quoted} FROM "{table}" ORDER BY rowid').fetchall()
            else:
                state[table] = [tuple(columns)] + sorted(
                    con.execute(f'SELECT {quoted} FROM "{table}"').fetchall(), key=repr)
        return state
    finally:
        con.close()
