"""The window's poll for other programs' changes: its own panels' bookkeeping commits (watching the tables'
change counters again) are not another program's change, while another program's write still is."""

import sqlite3

from partnership_explorer.core import views
from partnership_explorer.core.store import Store
from partnership_explorer.qt.session import DatabaseSession


def test_the_panels_watching_the_tables_again_is_not_another_programs_change(qapp, seed_copy):
    session = DatabaseSession(poll_ms=60_000)
    try:
        session.open(seed_copy)
        assert not session.check_external_changes()      # the first look only takes the version
        with Store(seed_copy) as own_write:                # the window's writer thread: a real change ...
            with own_write.atomic():
                own_write.execute("UPDATE events SET title = title || ' (edited)' WHERE id = (SELECT min(id) FROM events)")
        session.note_own_write()                           # ... which the window notes as its own
        with Store(seed_copy) as reader:                   # a panel's reader watches the tables again: a commit
            before = views.bookkeeping_commits()
            assert views.data_state(reader) is not None
            assert views.bookkeeping_commits() == before + 1
        assert not session.check_external_changes()
        other = sqlite3.connect(seed_copy)                 # another program's write is still noticed
        other.execute("UPDATE events SET title = title || ' (theirs)' WHERE id = (SELECT max(id) FROM events)")
        other.commit()
        other.close()
        with Store(seed_copy) as reader:                   # even when a panel has watched the tables since
            assert views.data_state(reader) is not None
        assert session.check_external_changes()
    finally:
        session.close()
