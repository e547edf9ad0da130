"""The main window on a copy of the seed database, driven the way a user would (pytest-qt, offscreen)."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from partnership_explorer.core import views
from partnership_explorer.core.store import Store
from partnership_explorer.qt.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent


# a modal box would wait forever offscreen: every test records dialogs instead (conftest.no_blocking_dialogs)
pytestmark = pytest.mark.usefixtures("no_blocking_dialogs")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    windows = []

    def make(db_path):
        window = MainWindow(db_path, settings=settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.state.view.events is not None and not window.loading(), timeout=10000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


@pytest.fixture
def window(make_window, seed_copy):
    return make_window(seed_copy)


def wait_loaded(qtbot, window):
    """Writes stored, and every panel loaded for the current filter."""
    qtbot.waitUntil(lambda: not window.ops.busy() and not window.loading()
                    and window.state.view.events.filter == window.state.filter, timeout=10000)


def select(qtbot, window, ids):
    """Select as a user would, and wait for the panels to show it."""
    window.state.set_selection(ids, None)
    qtbot.waitUntil(lambda: not window.loading() and window.state.view.detail is not None
                    and window.state.view.detail["id"] == window.state.selection[0], timeout=10000)


def stored(qtbot, op):
    """Wait for a write of the operations layer to be stored (or refused)."""
    assert op is not None
    qtbot.waitUntil(lambda: op.done, timeout=10000)
    return op


def events(window):
    return window.state.view.event_rows()


def test_status_bar_counts_and_sector_toggle_changes_the_events_shown(qtbot, window):
    total = window.state.view.total
    assert window.count_label.text() == f"{total} of {total} events"
    assert len(window.event_list.event_ids()) == total
    # the user unchecks "Diplomacy": the count follows at once (from the timeline), then the panels agree
    window.sector_panel.set_checked("diplomacy", False)
    early = window.count_label.text()
    assert early != f"{total} of {total} events"
    wait_loaded(qtbot, window)
    assert window.count_label.text() == early
    assert "diplomacy" not in window.state.filter.sectors and len(window.state.filter.sectors) > 1
    shown = window.state.view.events.shown
    assert 0 < shown < total
    assert window.count_label.text() == f"{shown} of {total} events"
    assert len(window.event_list.event_ids()) == shown
    with Store(window.db_path) as s:
        for event_id in window.event_list.event_ids():
            assert [x["key"] for x in views.event_detail(s, event_id)["sectors"]] != ["diplomacy"]
    # "All" brings everything back
    qtbot.mouseClick(window.sector_panel.all_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, window)
    assert window.count_label.text() == f"{total} of {total} events"


def test_selecting_an_event_highlights_its_sentence_in_the_article(qtbot, window):
    event = next(e for e in events(window) if e["status"] != "manual")
    select(qtbot, window, [event["id"]])
    detail = views.event_detail(window.store, event["id"])
    source = detail["sources"][0]
    panel = window.document_panel
    assert panel.document_id == source["document_id"]
    assert panel.title.text() == source["document_title"]
    selections = panel.text.extraSelections()
    assert len(selections) == 1
    cursor = selections[0].cursor
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (source["start"], source["end"])  # ASCII article
    assert selections[0].format.background().color().alpha() > 0
    assert panel.highlighted_text() == panel.document_text[source["start"]:source["end"]]
    assert " ".join(panel.highlighted_text().split()) == " ".join(source["sentence"].split())
    # the sentence is scrolled into view
    assert panel.highlight_visible()
    # also for a sentence far down a long article, once the panel has its size
    far = max((e for e in events(window)),
              key=lambda e: views.event_detail(window.store, e["id"])["sources"][0]["start"]
              if views.event_detail(window.store, e["id"])["sources"] else -1)
    select(qtbot, window, [far["id"]])
    qtbot.wait(10)
    assert panel.text.verticalScrollBar().value() > 0 and panel.highlight_visible()
    assert window.details.title.text() == views.event_detail(window.store, far["id"])["title"]
    assert window.actions["confirm"].isEnabled()


def test_an_event_with_several_sources_lists_them_and_each_opens(qtbot, window):
    multi = next((e for e in events(window)
                  if len({s["document_id"] for s in views.event_detail(window.store, e["id"])["sources"]}) > 1), None)
    if multi is None:
        pytest.skip("no event with sources in two articles in the seeds")
    select(qtbot, window, [multi["id"]])
    detail = views.event_detail(window.store, multi["id"])
    panel = window.document_panel
    assert panel.source_box.count() == len(detail["sources"])
    last = len(detail["sources"]) - 1
    panel.source_box.setCurrentIndex(last)
    qtbot.waitUntil(lambda: not window.loading(), timeout=10000)
    assert panel.document_id == detail["sources"][last]["document_id"]
    assert panel.highlight == (detail["sources"][last]["start"], detail["sources"][last]["end"])


def test_clicking_an_entity_filters_the_timeline_and_shows_a_chip(qtbot, window):
    total = window.state.view.total
    item = window.entity_panel.item_for("South Korea")
    tree = window.entity_panel.tree
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    assert window.state.filter.entities == ("South Korea",)
    wait_loaded(qtbot, window)
    assert window.state.view.events.shown < total
    assert window.count_label.text() == f"{window.state.view.events.shown} of {total} events"
    assert any("South Korea" in t for t in window.filter_bar.chip_texts())
    # removing the chip restores everything
    window.filter_bar.remove_chip(0)
    wait_loaded(qtbot, window)
    assert window.state.filter.entities == () and window.state.view.events.shown == total


def test_selected_event_entities_are_highlighted(qtbot, window):
    event = next(e for e in events(window) if views.event_detail(window.store, e["id"])["entities"])
    select(qtbot, window, [event["id"]])
    names = {e["name"] for e in views.event_detail(window.store, event["id"])["entities"]}
    assert set(window.entity_panel.highlighted()) == names


def test_entity_filter_box_narrows_the_list_as_you_type(qtbot, window):
    qtbot.keyClicks(window.entity_panel.search, "kor")
    visible = window.entity_panel.visible_names()
    assert "South Korea" in visible and "Vietnam" not in visible


def test_edit_persists_across_reopening_and_undo_restores(qtbot, window, make_window):
    event = events(window)[0]
    old = views.event_detail(window.store, event["id"])
    values = {"title": "Renamed by the analyst", "date": "1992-12-22", "precision": "day", "end": None,
              "kind": old["kind"], "sectors": ["diplomacy", "trade"], "entities": ["Vietnam", "South Korea"]}
    select(qtbot, window, [event["id"]])
    assert stored(qtbot, window.curation.edit_event(event["id"], values)).error is None
    wait_loaded(qtbot, window)
    assert window.details.title.text() == "Renamed by the analyst"
    assert window.undo_stack.canUndo()
    # undo puts the extracted title back, redo the edit
    window.actions["undo"].trigger()
    wait_loaded(qtbot, window)
    assert views.event_detail(window.store, event["id"])["title"] == old["title"]
    assert window.details.title.text() == old["title"]
    window.actions["redo"].trigger()
    wait_loaded(qtbot, window)
    path = window.db_path
    window.close()
    again = make_window(path)
    detail = views.event_detail(again.store, event["id"])
    assert detail["title"] == "Renamed by the analyst"
    assert detail["date"] == "1992-12-22" and detail["status"] == "edited"
    assert [s["key"] for s in detail["sectors"]] == ["trade", "diplomacy"] or \
        {s["key"] for s in detail["sectors"]} == {"trade", "diplomacy"}


def test_reject_then_hide_rejected(qtbot, window):
    event = events(window)[3]
    select(qtbot, window, [event["id"]])
    window.actions["reject"].trigger()
    wait_loaded(qtbot, window)
    assert window.store.event(event["id"])["status"] == "rejected"
    assert event["id"] in window.event_ids()           # shown (struck through) while "Show rejected" is on
    window.actions["show_rejected"].trigger()           # View → Show rejected off
    assert window.state.filter.show_rejected is False
    wait_loaded(qtbot, window)
    assert event["id"] not in window.event_ids()
    assert window.count_label.text() == f"{window.state.view.total - 1} of {window.state.view.total} events"
    assert "Rejected hidden" in " ".join(window.filter_bar.chip_texts())
    window.actions["undo"].trigger()
    wait_loaded(qtbot, window)
    assert event["id"] in window.event_ids()


def test_merge_two_selected_events_and_undo(qtbot, window, monkeypatch):
    a, b = events(window)[1:3]
    total = window.state.view.total
    select(qtbot, window, [a["id"], b["id"]])
    assert stored(qtbot, window.curation.merge_events(a["id"], b["id"])).error is None
    wait_loaded(qtbot, window)
    assert window.state.view.total == total - 1 and b["id"] not in window.event_ids()
    assert window.state.selection == (a["id"],)
    window.undo_stack.undo()
    wait_loaded(qtbot, window)
    assert window.state.view.total == total and b["id"] in window.event_ids()


def test_add_manual_event_and_undo_removes_it(qtbot, window):
    total = window.state.view.total
    op = stored(qtbot, window.curation.add_manual_event({
        "title": "Hand-written milestone", "date": "2019", "precision": "year", "end": None, "kind": "milestone",
        "sectors": ["culture"], "entities": []}))
    new_id = op.changes.added_ids[0]
    assert op.command.created_ids == [new_id]
    wait_loaded(qtbot, window)
    assert window.state.view.total == total + 1 and window.state.selection == (new_id,)
    assert window.document_panel.source_box.currentText().startswith("no article")
    window.undo_stack.undo()
    wait_loaded(qtbot, window)
    assert window.state.view.total == total and window.store.event(new_id) is None


def test_curation_error_is_a_message_not_a_traceback(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    event = events(window)[0]
    op = stored(qtbot, window.curation.merge_events(event["id"], event["id"]))
    assert op.error is not None and op.changes is None
    assert shown and "itself" in shown[0]
    assert not window.undo_stack.canUndo()


def test_search_is_debounced_and_date_boxes_validate(qtbot, window):
    total = window.state.view.total
    qtbot.keyClicks(window.filter_bar.search, "nuclear")
    assert window.state.filter.query == ""              # not on every keystroke
    qtbot.waitUntil(lambda: window.state.filter.query == "nuclear", timeout=2000)
    wait_loaded(qtbot, window)
    assert 0 < window.state.view.events.shown < total
    bar = window.filter_bar
    qtbot.keyClicks(bar.date_from, "2025-13")
    bar.apply_dates()
    assert bar.is_invalid(bar.date_from) and "not a date" in bar.date_from.toolTip()
    assert "border" in bar.date_from.styleSheet()
    assert window.state.filter.date_from is None
    bar.date_from.clear()
    qtbot.keyClicks(bar.date_from, "2025")
    bar.apply_dates()
    assert not bar.is_invalid(bar.date_from)
    assert window.state.filter.date_from.isoformat() == "2025-01-01"
    assert any(t.startswith("Dates: 2025-01-01") for t in bar.chip_texts())


def test_keyboard_steps_through_events_in_time_order(qtbot, window):
    ids = window.event_ids()
    window.actions["next"].trigger()
    assert window.state.selection == (ids[0],)
    window.actions["next"].trigger()
    assert window.state.selection == (ids[1],)
    window.actions["prev"].trigger()
    assert window.state.selection == (ids[0],)


def test_ingesting_a_file_from_the_gui_adds_events_without_blocking(qtbot, window, tmp_path):
    article = tmp_path / "new_article.txt"
    article.write_text(
        "Hanoi, March 3, 2026 - Vietnam and South Korea signed a memorandum of understanding on "
        "semiconductor supply chains on March 2, 2026, the Ministry of Industry and Trade said.\n",
        encoding="utf-8")
    total = window.state.view.total
    assert window.import_paths([article])
    assert window.ingestion.running()               # returned at once; the work runs in a thread
    assert window.ingestion.progress.isVisible()
    qtbot.waitUntil(lambda: not window.ingestion.running(), timeout=30000)
    wait_loaded(qtbot, window)
    assert window.state.view.total > total
    summary = window.ingestion.last_summary
    assert "1 new" in summary and "0 failed" in summary
    assert not window.ingestion.progress.isVisible()


def test_import_failures_are_listed(qtbot, window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    window.import_paths([bad])
    qtbot.waitUntil(lambda: not window.ingestion.running(), timeout=30000)
    if "0 failed" in window.ingestion.last_summary:
        pytest.skip("the reader accepted the binary file")
    assert "1 failed" in window.ingestion.last_summary
    assert "bad.txt" in window.ingestion.failure_box.detailedText()
    window.ingestion.failure_box.close()


def test_bad_database_shows_a_message_and_keeps_the_open_one(qtbot, window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append((title, text)))
    bad = tmp_path / "not-a-db.db"
    bad.write_text("this is not sqlite at all, just some text " * 20)
    old = window.db_path
    assert window.open_database(bad) is False
    assert shown and "not an SQLite database" in shown[0][1] and "\n" not in shown[0][1]
    assert window.db_path == old and window.store is not None
    assert window.store.counts()["events"] == window.state.view.total


def test_settings_remember_the_database_and_recent_list(qtbot, window, settings, seed_db):
    first = window.db_path
    assert settings.value("db/last") == str(first)
    assert window.open_database(seed_db)
    wait_loaded(qtbot, window)
    assert window.settings.recent_databases()[:2] == [str(seed_db), str(first)]
    assert seed_db.name in window.settings.recent_menu.actions()[0].text()
    window.settings.recent_menu.actions()[1].trigger()            # File → Recent databases → the copy again
    assert window.db_path == first and window.undo_stack.count() == 0
    window.close()
    assert settings.value("window/geometry") is not None and settings.value("db/last") == str(first)


def test_export_image_writes_the_file(qtbot, window, tmp_path, monkeypatch):
    pytest.importorskip("partnership_explorer.qt.export")
    if window.state.view.timeline is None:
        pytest.skip("timeline data not available")
    out = tmp_path / "timeline.png"
    assert window.files.export(out, width=800, height=500, dpi=96, title="Seed events", current_view=False) == out
    assert out.exists() and out.stat().st_size > 1000
    svg = tmp_path / "view.svg"
    assert window.files.export(svg, width=800, height=500, current_view=True) == svg
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_export_error_is_a_message_box(qtbot, window, tmp_path, monkeypatch):
    pytest.importorskip("partnership_explorer.qt.export")
    if window.state.view.timeline is None:
        pytest.skip("timeline data not available")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text))
    assert window.files.export(tmp_path / "missing-folder" / "x" / "timeline.png", width=800, height=500,
                               current_view=False) is None
    assert window.files.export(tmp_path / "timeline.gif", current_view=False) is None
    assert len(shown) == 2 and all("Traceback" not in m and "\n" not in m for m in shown)


def test_view_menu_zooms_the_timeline_and_help_about_lists_versions(qtbot, window, no_blocking_dialogs):
    qtbot.waitUntil(lambda: window.state.visible_range is not None, timeout=5000)
    x0, x1 = window.state.visible_range
    window.actions["zoom_in"].trigger()
    qtbot.waitUntil(lambda: window.state.visible_range[1] - window.state.visible_range[0] < (x1 - x0) * 0.9,
                    timeout=3000)
    window.actions["fit"].trigger()
    qtbot.waitUntil(lambda: abs((window.state.visible_range[1] - window.state.visible_range[0]) - (x1 - x0)) < 1,
                    timeout=3000)
    window.actions["about"].trigger()
    name, (title, text) = no_blocking_dialogs[-1]
    assert name == "about" and "PySide6" in text and "SQLite" in text and "pyqtgraph" in text
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Help"]
    panel_toggles = [d.toggleViewAction() for d in window.docks.values()]
    panel_toggles[0].trigger()
    assert not window.docks["sectors"].isVisible()


def test_export_events_then_import_them_into_another_database(qtbot, make_window, seed_copy, tmp_path,
                                                              no_blocking_dialogs):
    import json

    window = make_window(seed_copy)
    window.sector_panel.set_checked("diplomacy", False)
    wait_loaded(qtbot, window)
    shown = window.state.view.events.shown
    out = tmp_path / "timeline.json"
    handle = window.files.export_events_file(out, "timelinejs")
    qtbot.waitUntil(lambda: handle.done, timeout=10000)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["events"]) == shown  # what the filters show
    other = make_window(tmp_path / "other.db")
    with qtbot.waitSignal(other.files.eventsImported, timeout=10000) as got:
        other.files.import_events_file(out)
    assert got.args[0].new == shown
    qtbot.waitUntil(lambda: not other.loading() and other.state.view.total == shown, timeout=10000)


def test_an_events_file_over_the_limit_is_imported_only_when_the_user_says_so(qtbot, window, tmp_path, monkeypatch,
                                                                              no_blocking_dialogs):
    from PySide6.QtWidgets import QMessageBox

    from partnership_explorer.core import interchange

    out = tmp_path / "big.csv"
    out.write_text("date,title\n2015-03-02,Ministers open a trade office\n2016-07-09,Ports agree to share data\n",
                   encoding="utf-8")
    monkeypatch.setattr(interchange, "MAX_BYTES", 40)  # the file is larger than this
    total = window.state.view.total
    assert window.files.import_events_file(out) is None  # the question was declined (Cancel)
    asked = [text for kind, text in no_blocking_dialogs if kind == "exec"]
    assert asked and asked[0].startswith("big.csv is 0 MB, more than the 0 MB") and asked[0].endswith("Import it?")
    assert window.state.view.total == total
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Ok)
    with qtbot.waitSignal(window.files.eventsImported, timeout=10000) as got:
        window.files.import_events_file(out)
    assert got.args[0].new == 2
    qtbot.waitUntil(lambda: not window.loading() and window.state.view.total == total + 2, timeout=10000)


def test_a_broken_events_file_is_a_dialog_and_changes_nothing(qtbot, window, tmp_path, no_blocking_dialogs):
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": [{"start_date": {"year": "soon"}}]}', encoding="utf-8")
    total = window.state.view.total
    handle = window.files.import_events_file(bad)
    qtbot.waitUntil(lambda: handle.done, timeout=10000)
    box = window.files.error_box
    assert box.text().startswith("bad.json") and "\n" not in box.text()
    assert window.state.view.total == total


def test_the_window_shows_events_another_program_ingested(qtbot, window, tmp_path):
    """The CLI ingesting into the open database: the window picks the new events up without a restart."""
    import subprocess
    import sys

    total = window.state.view.total
    window.session.check_external_changes()  # remember the current version
    article = tmp_path / "new.txt"
    article.write_text("On 3 March 2021, Samsung opened a research centre in Hanoi.\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "partnership_explorer", "ingest", str(article), "--db",
                        str(window.db_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    qtbot.waitUntil(lambda: not window.loading() and window.state.view.total == total + 1, timeout=15000)


def test_large_counts_use_the_users_digit_grouping():
    from PySide6.QtCore import QLocale

    from partnership_explorer.qt.event_panel import count_text as _count_text

    before = QLocale()
    try:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        assert _count_text(93551, 1000000) == "93,551 of 1,000,000 events"
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        assert _count_text(93551, 1000000) == "93.551 of 1.000.000 events"
    finally:
        QLocale.setDefault(before)


def test_export_dialog_remembers_its_settings_and_titles_with_sector_labels(qtbot, window, tmp_path, monkeypatch):
    from partnership_explorer.core.query import EventFilter
    from partnership_explorer.qt import export_dialog
    from PySide6.QtGui import QImage

    wait_loaded(qtbot, window)
    window.state.set_filter(EventFilter(sectors=("ai", "digital")))
    qtbot.waitUntil(lambda: window.state.view.timeline is not None
                    and set(l.key for l in window.state.view.timeline.lanes) <= {"ai", "digital"}, timeout=10000)
    window.settings.remember_dir("export", tmp_path)
    opened = []
    exported = []
    real_export = window.files.export
    monkeypatch.setattr(window.files, "export", lambda **values: exported.append(values))

    def first(dialog):
        opened.append(dialog)
        assert "sector AI or Digital & telecom" in dialog.title.placeholderText()
        assert dialog.dpi.value() == 150 and dialog.unit.currentText() == "px"
        dialog.unit.setCurrentText("cm")                  # 1600 px is 42.3 cm: the size is kept
        assert abs(dialog.width.value() - 42.3) < 0.06
        dialog.width.setValue(17)
        dialog.height.setValue(10)
        dialog.dpi.setValue(300)
        assert dialog.output_label.text().startswith("2008 × 1181 pixels")
        dialog.path.setText(str(tmp_path / "fig.svg"))
        assert dialog.output_label.text().startswith("a page of 6.7 × 3.9 in (17.0 × 10.0 cm)")
        return True

    def second(dialog):
        opened.append(dialog)
        assert Path(dialog.path.text()) == tmp_path / "timeline.svg"
        assert (dialog.unit.currentText(), dialog.width.value(), dialog.height.value(), dialog.dpi.value()) == \
            ("cm", 17.0, 10.0, 300)
        assert dialog.titled.isChecked() and dialog.title.text() == "My figure"
        return False

    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: first(self))
    window.files.choose_export()
    dialog = opened[-1]
    qtbot.waitUntil(lambda: bool(exported), timeout=5000)
    values = exported[-1]
    assert (values["width"], values["height"], values["dpi"]) == ("17.0cm", "10.0cm", 300)
    assert "sector AI or Digital & telecom" in values["title"]
    dialog.title.setText("My figure")
    window.settings.remember_export(dialog.settings())
    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: second(self))
    window.files.choose_export()
    assert len(opened) == 2
    # what the dialog asked for, through the window's export: 17 × 10 cm at 300 dpi
    out = real_export(tmp_path / "fig.png", width=values["width"], height=values["height"], dpi=300,
                              title=values["title"], current_view=False)
    img = QImage(str(out))
    assert (img.width(), img.height()) == (2008, 1181)


def _sector_row(window, key):
    panel = window.sector_panel
    item = next(panel.list.item(i) for i in range(panel.list.count()) if panel.list.item(i).data(Qt.ItemDataRole.UserRole) == key)
    return item, panel.list.visualItemRect(item).center()


def _fits_filtered_events(window):
    data = window.timeline.data
    x0, x1 = window.timeline.x_range()
    a, b = data.extent
    return x0 < a and b < x1 and (x1 - x0) < (b - a) * 1.2 + 40


def test_one_sector_by_double_click_then_ctrl_click_adds_and_the_view_follows(qtbot, window):
    import datetime as dt

    from partnership_explorer.core.timeline import to_days

    wait_loaded(qtbot, window)
    window.show()
    qtbot.waitExposed(window)
    panel, timeline = window.sector_panel, window.timeline
    _, pos = _sector_row(window, "energy")
    qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert window.state.filter.sectors == ("energy",)
    wait_loaded(qtbot, window)
    assert [l.key for l in timeline.data.lanes] == ["energy"]
    assert _fits_filtered_events(window)
    # Ctrl-click adds Diplomacy: the view refits, 1992 comes into view
    _, pos = _sector_row(window, "diplomacy")
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, pos)
    assert window.state.filter.sectors == ("energy", "diplomacy")
    wait_loaded(qtbot, window)
    assert _fits_filtered_events(window) and timeline.x_range()[0] < to_days(dt.date(1992, 1, 1))
    assert window.fit_button.isHidden()
    # after zooming by hand a filter change keeps the view and offers "Fit to filter"
    timeline.zoom(4.0)
    zoomed = timeline.x_range()
    _, pos = _sector_row(window, "trade")
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, pos)
    wait_loaded(qtbot, window)
    assert window.state.filter.sectors == ("energy", "trade", "diplomacy")     # in the panel's order
    assert timeline.x_range() == pytest.approx(zoomed)
    assert window.fit_button.isVisible()
    qtbot.mouseClick(window.fit_button, Qt.MouseButton.LeftButton)
    assert _fits_filtered_events(window) and window.fit_button.isHidden()
    # the context menu has "Only this sector" and "Show all"
    item, _ = _sector_row(window, "ai")
    menu = panel.context_menu(item)
    texts = {a.text(): a for a in menu.actions()}
    texts["Only this sector"].trigger()
    assert window.state.filter.sectors == ("ai",)
    panel.context_menu(item).actions()[-1].trigger()            # Show all
    assert window.state.filter.sectors == ()
    wait_loaded(qtbot, window)
    assert _fits_filtered_events(window)                        # Clear all refits too: 2030 and 2045 shown


def test_filtered_views_hide_empty_lanes(qtbot, window):
    wait_loaded(qtbot, window)
    every = [l.key for l in window.timeline.data.lanes]
    action = window.actions["hide_empty"]
    assert not action.isChecked()                               # the whole picture keeps every lane
    window.filter_bar.search.setText("nuclear")
    window.filter_bar.apply_search()
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: window.state.view.timeline is not None and len(window.timeline.data.lanes) < len(every),
                    timeout=10000)
    data = window.timeline.data
    assert all(data.lane_bounds[i + 1] > data.lane_bounds[i] for i in range(len(data.lanes)))
    assert action.isChecked()
    action.trigger()                                            # the user wants them back
    assert [l.key for l in window.timeline.data.lanes] == every
    window.clear_filters()
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: not window.state.filter.query, timeout=5000)
    assert not action.isChecked()


def test_event_list_date_column_shows_whole_dates(qtbot, window):
    from PySide6.QtGui import QFontMetrics

    wait_loaded(qtbot, window)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    view, model = window.event_list.view, window.event_list.model
    dates = [r["date"] for r in model.rows]
    assert "1992" in dates[:3] and any(len(d) == 10 for d in dates)   # years on top, whole days further down
    fm = QFontMetrics(view.font())
    width = view.columnWidth(0)
    assert all(fm.horizontalAdvance(d) + 8 <= width for d in dates), (width, max(dates, key=len))
    view.scrollToBottom()
    qtbot.wait(50)
    assert view.columnWidth(0) >= width


def test_fit_all_and_fit_to_filter_show_a_date_filters_period_as_the_export_does(qtbot, window):
    """With dates in the filter, View → Fit all (Ctrl+0), the "Fit to filter" button and the fit after the filter
    change show the filter's period (January 2015 to December 2022, a small margin around it) — the span an
    export of the same filter has — not only the span of the events it keeps (here 2022 alone)."""
    import datetime as dt

    from partnership_explorer.core.timeline import to_days
    from partnership_explorer.core.view_fit import filtered_period

    wait_loaded(qtbot, window)
    window.show()
    qtbot.waitExposed(window)
    bar, timeline = window.filter_bar, window.timeline
    qtbot.keyClicks(bar.date_from, "2015")
    qtbot.keyClicks(bar.date_to, "2022")
    bar.apply_dates()
    assert window.state.filter.date_to == dt.date(2022, 12, 31)
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: window.state.view.timeline_filter == window.state.filter, timeout=10000)
    assert timeline.data.extent[0] >= to_days(dt.date(2022, 1, 1))      # the events kept are of 2022

    def shows_the_period():
        x0, x1 = timeline.x_range()
        a, b = filtered_period(window.state.view.timeline, window.state.filter)    # what an export spans
        assert (a, b) == (to_days(dt.date(2015, 1, 1)), to_days(dt.date(2023, 1, 1)))
        return x0 < a < x0 + 120 and b < x1 < b + 120

    assert shows_the_period()                            # the fit after the filter change
    timeline.zoom(4.0)
    assert not shows_the_period()
    window.actions["fit"].trigger()                      # View → Fit all
    assert shows_the_period()
    timeline.zoom(3.0)
    qtbot.keyClick(timeline.glw, Qt.Key.Key_0)
    assert shows_the_period()
    # zoomed by hand, a filter change offers "Fit to filter": it fits the new period
    timeline.zoom(4.0)
    bar.date_from.clear()
    qtbot.keyClicks(bar.date_from, "2010")
    bar.apply_dates()
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: window.fit_button.isVisible(), timeout=10000)
    qtbot.mouseClick(window.fit_button, Qt.MouseButton.LeftButton)
    x0, x1 = timeline.x_range()
    a, b = to_days(dt.date(2010, 1, 1)), to_days(dt.date(2023, 1, 1))
    assert x0 < a < x0 + 200 and b < x1 < b + 200 and window.fit_button.isHidden()
    # without dates, the fit is the events' extent again
    window.clear_filters()
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: window.state.view.timeline_filter == window.state.filter, timeout=10000)
    window.actions["fit"].trigger()
    assert _fits_filtered_events(window)
