"""How the window reads and refreshes: each panel reads its own data off the GUI thread, a write refreshes only
the panels its Changes concern, and a load overtaken by a newer one is dropped (pytest-qt, offscreen)."""

import threading
import time

import pytest
from PySide6.QtCore import QSettings

from partnership_explorer.core import views
from partnership_explorer.core.query import EventFilter
from partnership_explorer.core.store import Store
from partnership_explorer.qt.main_window import MainWindow
from partnership_explorer.qt.workers import Load, ReadModel

pytestmark = pytest.mark.usefixtures("no_blocking_dialogs")


@pytest.fixture
def window(qtbot, seed_copy, tmp_path):
    w = MainWindow(seed_copy, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    w.session.watch_timer.stop()   # the two-second poll for other programs is not what these tests look at
    wait_loaded(qtbot, w)
    yield w
    w.close()


def wait_loaded(qtbot, w):
    qtbot.waitUntil(lambda: not w.ops.busy() and not w.loading() and w.state.view.events is not None
                    and w.state.view.events.filter == w.state.filter, timeout=10000)


@pytest.fixture
def loads(window, monkeypatch):
    """Every load the panels ask for: (part, what)."""
    asked = []
    request = window.reads.request

    def spy(load):
        asked.append((load.part, load.what))
        return request(load)

    monkeypatch.setattr(window.reads, "request", spy)
    return asked


def select(qtbot, w, event_id):
    w.state.set_selection([event_id], None)
    qtbot.waitUntil(lambda: not w.loading() and w.state.view.detail is not None
                    and w.state.view.detail["id"] == event_id, timeout=10000)


def edit_values(detail, **changes):
    values = {"title": detail["title"], "date": detail["date"], "precision": detail["precision"],
              "end": detail["end"] if detail["is_range"] else None, "kind": detail["kind"],
              "sectors": [s["key"] for s in detail["sectors"]], "entities": [e["name"] for e in detail["entities"]]}
    return {**values, **changes}


def test_a_retitle_refreshes_the_row_details_and_timeline_label_only(qtbot, window, loads):
    event = window.state.view.event_rows()[5]
    select(qtbot, window, event["id"])
    entities, sectors, page = window.state.view.entities, window.state.view.sectors, window.state.view.events
    loads.clear()
    op = window.curation.edit_event(event["id"], edit_values(window.state.view.detail, title="Retitled by hand"))
    qtbot.waitUntil(lambda: op.done, timeout=10000)
    wait_loaded(qtbot, window)
    assert op.changes.titles and not (op.changes.dates or op.changes.sectors or op.changes.entities)
    # what shows the title was read again: the list row in place, the details, the article's event list and the
    # timeline's rows patched without reading the timeline again
    parts = {part for part, _ in loads}
    assert {"event-rows", "detail", "document-events"} <= parts
    assert ("timeline", "patch") in loads
    assert not parts & {"sectors", "entities", "events", "documents"}
    assert window.state.view.entities is entities and window.state.view.sectors is sectors
    assert window.state.view.events.shown == page.shown
    assert window.state.view.row_of(event["id"])["title"] == "Retitled by hand"
    row = window.event_list.model.row_of(event["id"])
    assert window.event_list.model.index(row, 3).data() == "Retitled by hand"
    assert window.details.title.text() == "Retitled by hand"
    assert window.timeline.data.titles.get(event["id"]) == "Retitled by hand"
    assert window.timeline.tooltip_text(event["id"]).count("Retitled by hand") == 1
    assert any(window.document_panel.events.item(i).text().endswith("Retitled by hand")
               for i in range(window.document_panel.events.count()))
    # undo is refreshed the same way
    loads.clear()
    window.actions["undo"].trigger()
    wait_loaded(qtbot, window)
    assert window.state.view.row_of(event["id"])["title"] == event["title"]
    assert window.timeline.data.titles.get(event["id"]) == event["title"]
    assert not {part for part, _ in loads} & {"sectors", "entities", "events"}


def test_new_sectors_reload_the_sector_counts_and_lanes_but_not_the_list(qtbot, window, loads):
    event = window.state.view.event_rows()[2]
    select(qtbot, window, event["id"])
    detail = window.state.view.detail
    before = {r["key"]: r["count"] for r in window.state.view.sectors}
    keys = [s["key"] for s in detail["sectors"]]
    new = "health" if "health" not in keys else "climate"
    loads.clear()
    op = window.curation.edit_event(event["id"], edit_values(detail, sectors=[*keys, new]))
    qtbot.waitUntil(lambda: op.done, timeout=10000)
    wait_loaded(qtbot, window)
    parts = {part for part, _ in loads}
    assert {"sectors", "timeline"} <= parts and ("timeline", "patch") not in loads
    assert "events" not in parts and "entities" not in parts      # nothing filters by sector: the list is the same
    after = {r["key"]: r["count"] for r in window.state.view.sectors}
    assert after[new] == before[new] + 1
    lanes = [window.timeline.data.lanes[int(i)].key for i in window.timeline.data.lane[
        window.timeline.data.rows_of_event(event["id"])]]
    assert new in lanes


def test_confirming_reads_the_counts_again_only_when_they_can_change(qtbot, window, loads):
    events = window.state.view.event_rows()
    select(qtbot, window, events[0]["id"])
    loads.clear()
    window.actions["confirm"].trigger()
    wait_loaded(qtbot, window)
    assert window.store.event(events[0]["id"])["status"] == "confirmed"
    parts = {part for part, _ in loads}
    assert "events" not in parts and "sectors" not in parts and "entities" not in parts   # rejected are shown
    assert window.state.view.row_of(events[0]["id"])["status"] == "confirmed"
    # with rejected events hidden, a rejection changes what is counted: the list and the facets are read again
    window.actions["show_rejected"].trigger()
    wait_loaded(qtbot, window)
    total, shown = window.state.view.total, window.state.view.events.shown
    select(qtbot, window, events[1]["id"])
    loads.clear()
    window.actions["reject"].trigger()
    wait_loaded(qtbot, window)
    assert {"events", "sectors", "entities", "timeline"} <= {part for part, _ in loads}
    assert window.state.view.events.shown == shown - 1 and window.state.view.total == total
    assert window.count_label.text() == f"{shown - 1} of {total} events"
    assert events[1]["id"] not in window.event_ids()


def test_a_stale_load_result_is_dropped(qtbot, seed_db):
    reads = ReadModel()
    reads.set_database(seed_db)
    applied = []

    def slow(store):
        time.sleep(0.3)
        return "old"

    first = reads.request(Load("part", slow, applied.append))
    second = reads.request(Load("part", lambda store: "new", applied.append))
    assert first.status == "dropped" and second.status == "pending" and reads.busy()
    qtbot.waitUntil(lambda: not reads.busy(), timeout=5000)
    qtbot.waitUntil(lambda: not reads.runner.busy(), timeout=10000)   # the slow one has reported, and was not applied
    assert applied == ["new"] and second.status == "applied" and second.generation == first.generation + 1
    assert reads.shutdown(2000)


def test_loads_asked_together_start_with_the_most_urgent_and_the_rest_wait_for_it(qtbot, seed_db):
    """Opening a database asks every panel at once: the timeline's read (the first thing drawn) starts alone, the
    others once it is in, the most urgent first; one overtaken meanwhile is never read."""
    reads = ReadModel(threads=2)
    reads.set_database(seed_db)
    log, applied = [], []

    def read(name, delay=0.0):
        def run(store):
            log.append(("start", name))
            time.sleep(delay)
            log.append(("end", name))
            return name
        return run

    with reads.batch():
        reads.request(Load("list", read("list", 0.2), applied.append, priority=2))
        reads.request(Load("counts", read("counts-old"), applied.append, priority=2))
        reads.request(Load("articles", read("articles"), applied.append, priority=0))
        reads.request(Load("timeline", read("timeline", 0.3), applied.append, priority=4))
        reads.request(Load("counts", read("counts", 0.2), applied.append, priority=1))   # overtakes counts-old
        assert log == [] and reads.busy()              # nothing starts inside the batch
    qtbot.waitUntil(lambda: not reads.busy(), timeout=5000)
    assert log[:2] == [("start", "timeline"), ("end", "timeline")]   # alone, though a thread was free
    assert applied[0] == "timeline" and sorted(applied[1:]) == ["articles", "counts", "list"]
    assert ("start", "counts-old") not in log
    started = [name for what, name in log if what == "start"]
    assert started[-1] == "articles"      # then by priority: the two threads take the list and the counts first
    assert reads.shutdown(2000)


def test_the_list_of_a_filter_left_meanwhile_is_never_shown(qtbot, window, monkeypatch):
    """The user picks a sector, then another before the first list arrives: only the second is shown."""
    page = views.event_page
    applied = []
    started = threading.Event()

    def event_page(store, flt, **kw):
        if flt.sectors == ("energy",):
            started.set()
            time.sleep(0.4)                           # the first filter's list is slow to read
        result = page(store, flt, **kw)
        applied.append(flt.sectors)
        return result

    monkeypatch.setattr(views, "event_page", event_page)
    window.state.update_filter(None, sectors=("energy",))
    qtbot.waitUntil(started.is_set, timeout=5000)     # its read is under way...
    window.state.update_filter(None, sectors=("trade",))
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: ("energy",) in applied, timeout=5000)   # ...and finished after the newer one
    assert applied.index(("trade",)) < applied.index(("energy",))
    assert window.state.view.events.filter.sectors == ("trade",)   # ...but not shown
    with Store(window.db_path) as s:
        trade = [e["id"] for e in views.event_page(s, EventFilter(sectors=("trade",))).rows]
    assert window.event_ids() == trade and window.event_list.event_ids() == trade
    assert window.count_label.text().startswith(f"{len(trade)} of ")


def test_panels_read_their_data_without_sql_on_the_gui_thread(qtbot, window, monkeypatch):
    statements = []

    def record(sql):
        statements.append((threading.current_thread() is threading.main_thread(), sql))

    opened = Store._open_connection

    def traced(self, *args, **kwargs):
        opened(self, *args, **kwargs)
        self.db.conn.set_trace_callback(record)

    monkeypatch.setattr(Store, "_open_connection", traced)
    window.store.db.conn.set_trace_callback(record)   # the window's own connection, opened before
    state = window.state
    state.update_filter(None, sectors=("energy", "trade"))          # a sector toggle
    wait_loaded(qtbot, window)
    window.entity_panel.add_to_filter("South Korea")               # an entity
    wait_loaded(qtbot, window)
    state.update_filter(None, query="summit")                      # a search
    wait_loaded(qtbot, window)
    state.update_filter(None, date_from=EventFilter().date_from, query="")
    wait_loaded(qtbot, window)
    event_id = window.event_ids()[0]
    select(qtbot, window, event_id)                                # details, article, highlighted entities
    assert window.document_panel.document_id is not None
    box = window.document_panel.document_box
    other = next(i for i in range(1, box.count()) if box.itemData(i) != window.document_panel.document_id)
    box.activated.emit(other)                                      # another article
    qtbot.waitUntil(lambda: not window.loading() and window.document_panel.document_id == box.itemData(other),
                    timeout=10000)
    window.actions["next"].trigger()                               # the next event
    qtbot.waitUntil(lambda: not window.loading() and window.state.view.detail["id"] != event_id, timeout=10000)
    state.set_filter(EventFilter(), None)
    wait_loaded(qtbot, window)
    window.store.db.conn.set_trace_callback(None)
    assert any(not on_gui for on_gui, _ in statements)             # the panels did read...
    assert [sql for on_gui, sql in statements if on_gui] == []     # ...never on the GUI thread


def test_retitling_a_milestone_renames_its_era(qtbot, window):
    upgrade = next(e for e in window.state.view.event_rows() if e["kind"] == "milestone" and "upgraded" in e["title"])
    select(qtbot, window, upgrade["id"])
    assert any(era.label.startswith("Comprehensive Strategic Partnership") for era in window.timeline.data.eras)
    op = window.curation.edit_event(upgrade["id"], edit_values(window.state.view.detail,
                                                               title="Relations upgraded to a closer partnership"))
    qtbot.waitUntil(lambda: op.done, timeout=10000)
    wait_loaded(qtbot, window)
    labels = [era.label for era in window.timeline.data.eras]
    assert any(label.startswith("Closer Partnership") for label in labels), labels
    assert not any(label.startswith("Comprehensive Strategic Partnership") for label in labels)


def test_the_event_list_reads_its_next_pages_in_a_worker(qtbot, tmp_path):
    from partnership_explorer.core.synth import synthesize

    db = tmp_path / "many.db"
    with Store(db) as s:
        synthesize(s, views.EVENT_PAGE + 700, seed=3)
    w = MainWindow(db, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.show()
    w.session.watch_timer.stop()
    wait_loaded(qtbot, w)
    model = w.event_list.model
    shown = w.state.view.events.shown
    assert shown > views.EVENT_PAGE and len(model.rows) == views.EVENT_PAGE and model.canFetchMore()
    on_gui = []
    w.store.db.conn.set_trace_callback(lambda sql: on_gui.append(sql))
    w.event_list.view.scrollToBottom()              # the view asks the model for more as the user scrolls
    model.fetchMore()
    assert not model.canFetchMore()                  # one page at a time
    qtbot.waitUntil(lambda: len(model.rows) == shown and not w.loading(), timeout=10000)
    w.store.db.conn.set_trace_callback(None)
    assert on_gui == []
    assert w.event_ids() == [e["id"] for e in model.rows]
    with Store(db) as s:
        second = views.event_page(s, EventFilter(), offset=views.EVENT_PAGE).rows
    assert [e["id"] for e in model.rows[views.EVENT_PAGE:]] == [e["id"] for e in second]
    w.actions["next"].trigger()
    assert w.state.selection == (model.rows[0]["id"],)
    w.close()
