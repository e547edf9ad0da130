"""Panels and dialogs on their own, the application entry point and the background task runner (offscreen)."""

import sys
import time

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from partnership_explorer.core.query import EventFilter
from partnership_explorer.qt.document_panel import DocumentPanel, qt_offset
from partnership_explorer.qt.event_dialogs import EventEditDialog
from partnership_explorer.qt.filter_bar import FilterBar
from partnership_explorer.qt.sector_panel import NO_SECTOR, SectorPanel
from partnership_explorer.qt.state import ExplorerState
from partnership_explorer.qt.workers import TaskRunner

SECTORS = [{"key": "ai", "name": "AI", "color": "#e8743b", "count": 4},
           {"key": "energy", "name": "Energy & nuclear", "color": "#c9b843", "count": 5},
           {"key": "trade", "name": "Trade", "color": "#19a979", "count": 7}]

# a modal box would wait forever offscreen: every test records dialogs instead (conftest.no_blocking_dialogs)
pytestmark = pytest.mark.usefixtures("no_blocking_dialogs")


def test_sector_panel_checks_none_all_and_follows_the_state(qtbot):
    state = ExplorerState()
    panel = SectorPanel(state)
    qtbot.addWidget(panel)
    panel.set_counts(SECTORS)
    assert panel.checked_keys() == ["ai", "energy", "trade"]
    assert panel.list.item(1).text() == "Energy & nuclear  (5)"
    panel.set_checked("energy", False)
    assert state.filter.sectors == ("ai", "trade")
    qtbot.mouseClick(panel.none_button, Qt.MouseButton.LeftButton)
    assert state.filter.sectors == (NO_SECTOR,) and panel.checked_keys() == []
    panel.set_checked("trade", True)
    assert state.filter.sectors == ("trade",)
    state.update_filter(None, sectors=())              # e.g. a chip removed elsewhere
    assert panel.checked_keys() == ["ai", "energy", "trade"]


def test_filter_bar_chips_and_bad_dates(qtbot):
    state = ExplorerState()
    bar = FilterBar(state, {"energy": "Energy & nuclear"}.get)
    qtbot.addWidget(bar)
    bar.show()
    assert not bar.chips_row.isVisible()
    state.set_filter(EventFilter(sectors=("energy",), entities=("Tô Lâm",), query="summit", show_rejected=False))
    assert bar.chip_texts() == ["Sector: Energy & nuclear  ✕", "Entity: Tô Lâm  ✕", "Search: summit  ✕",
                                "Rejected hidden  ✕"]
    assert bar.chips_row.isVisible() and bar.search.text() == "summit"
    bar.remove_chip(1)
    assert state.filter.entities == () and state.filter.sectors == ("energy",)
    for text in ("20x5", "2025-02-30", "yesterday-ish", "99999"):
        bar.date_from.setText(text)
        bar.apply_dates()                                # never raises
        assert bar.is_invalid(bar.date_from), text
        assert state.filter.date_from is None
    bar.date_from.setText("2025-03")
    bar.date_to.setText("2024")
    bar.apply_dates()
    assert bar.is_invalid(bar.date_to) and "before" in bar.date_to.toolTip()
    bar.date_to.setText("2025-12-31")
    bar.apply_dates()
    assert not bar.is_invalid(bar.date_to) and not bar.is_invalid(bar.date_from)
    assert (state.filter.date_from.isoformat(), state.filter.date_to.isoformat()) == ("2025-03-01", "2025-12-31")
    bar.clear_all()
    assert state.filter == EventFilter() and bar.date_from.text() == "" and bar.chip_texts() == []


def test_search_box_accepts_anything(qtbot):
    state = ExplorerState()
    bar = FilterBar(state)
    qtbot.addWidget(bar)
    qtbot.keyClicks(bar.search, 'AND "(( NEAR* -')
    bar.apply_search()
    assert state.filter.query == 'AND "(( NEAR* -'


def test_edit_dialog_validates_and_collects_values(qtbot):
    event = {"id": 1, "title": "Summit in Hanoi", "date": "2025-04", "precision": "month", "is_range": False,
             "start": "2025-04-01", "end": "2025-04-30", "kind": "meeting",
             "sectors": [{"key": "energy", "name": "Energy", "color": "#000"}],
             "entities": [{"name": "Vietnam", "type": "country"}]}
    dialog = EventEditDialog(None, sectors=SECTORS, kinds=[("meeting", "Meeting"), ("visit", "Visit")], event=event)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    assert dialog.values() == {"title": "Summit in Hanoi", "date": "2025-04", "precision": "month", "end": None,
                               "kind": "meeting", "sectors": ["energy"], "entities": ["Vietnam"]}
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "2025-04-31")
    assert not ok.isEnabled() and dialog.date.property("invalid") and dialog.error.text()
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "2025-04-16")
    assert ok.isEnabled() and dialog.values()["precision"] == "day"
    dialog.end.setText("2025-04-01")
    assert not ok.isEnabled() and dialog.end.property("invalid")
    dialog.end.setText("2025-04-17")
    dialog.title.clear()
    assert not ok.isEnabled()
    dialog.title.setText("P4G summit in Hanoi")
    assert ok.isEnabled() and dialog.values()["end"] == "2025-04-17"


def test_document_panel_highlights_after_characters_outside_the_bmp(qtbot):
    state = ExplorerState()
    panel = DocumentPanel(state)
    qtbot.addWidget(panel)
    text = "Emoji 🇻🇳🇰🇷 first. The leaders met on 12 August 2025 in Seoul. <b>not html</b> <img src=x>"
    start = text.index("The leaders")
    end = text.index("Seoul.") + len("Seoul.")
    panel.document_text = text
    panel.text.setPlainText(text)
    panel.set_highlight((start, end))
    assert qt_offset(text, start) == start + 4
    assert panel.highlighted_text() == text[start:end]
    assert "<b>not html</b>" in panel.text.toPlainText()      # shown as text, not markup
    assert panel.text.openLinks() is False


def test_task_runner_drops_stale_results(qtbot):
    runner = TaskRunner(threads=2)
    got = []

    def slow(task):
        time.sleep(0.2)
        return "old"

    first = runner.submit("load", slow, None)
    first.finished.connect(got.append)
    second = runner.submit("load", lambda task: "new", None)
    second.finished.connect(got.append)
    qtbot.waitUntil(lambda: first.done and second.done or (second.done and not runner.busy()), timeout=5000)
    qtbot.wait(300)
    assert got == ["new"]
    failing = runner.submit("other", lambda task: 1 / 0, None)
    errors = []
    failing.failed.connect(errors.append)
    qtbot.waitUntil(lambda: failing.done, timeout=5000)
    assert errors and errors[0].startswith("ZeroDivisionError")
    assert runner.shutdown(2000)


def test_task_runner_opens_the_database_once_per_thread_for_a_burst(qtbot, seed_db, monkeypatch):
    from partnership_explorer.core.store import Store

    opened = []
    init = Store.__init__

    def counting(self, *args, **kwargs):
        opened.append(1)
        init(self, *args, **kwargs)

    monkeypatch.setattr(Store, "__init__", counting)
    runner = TaskRunner(threads=2)
    results = []

    def count(store, task):
        time.sleep(0.02)
        return store.execute("SELECT count(*) FROM events").fetchone()[0]

    handles = [runner.submit(f"read-{i}", count, seed_db) for i in range(10)]
    for h in handles:
        h.finished.connect(results.append)
    qtbot.waitUntil(lambda: all(h.done for h in handles), timeout=10000)
    assert len(results) == 10 and len(set(results)) == 1 and results[0] > 0
    assert len(opened) <= 4                  # not one connection per task
    assert runner.shutdown(2000)


@pytest.fixture
def user_settings(tmp_path):
    """QSettings() without arguments writes under tmp_path during the test."""
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "config"))
    yield
    QSettings().clear()


def test_first_launch_builds_the_database_from_the_seeds_in_the_background(qtbot, tmp_path, monkeypatch,
                                                                             user_settings):
    from partnership_explorer.qt import app as app_module

    db = tmp_path / "fresh.db"
    seen = {}

    def fake_exec(self=None):
        window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "" and hasattr(w, "ingestion")
                      and getattr(w, "db_path", None) == db)
        seen["building"] = window.ingestion.running()
        qtbot.waitUntil(lambda: not window.ingestion.running(), timeout=60000)
        qtbot.waitUntil(lambda: (window.state.view.total or 0) > 0 and not window.loading(), timeout=10000)
        seen["text"] = window.count_label.text()
        seen["title"] = window.windowTitle()
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert app_module.main(db) == 0
    assert seen["building"] is True
    assert seen["text"].endswith("events") and "fresh.db" in seen["title"]
    assert QApplication.applicationName() == "Partnership Explorer"
    assert QSettings().value("db/last") == str(db)


def test_launch_on_a_bad_database_says_so(qtbot, tmp_path, monkeypatch, user_settings):
    from partnership_explorer.qt import app as app_module

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 100)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text))
    monkeypatch.setattr(app_module, "default_db_path", lambda: bad)
    assert app_module.main(bad) == 2
    assert shown and "not an SQLite database" in shown[0]


def test_excepthook_shows_a_dialog_and_logs(qtbot, monkeypatch, capsys):
    from partnership_explorer.qt import app as app_module

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    monkeypatch.delenv("PARTNERSHIP_EXPLORER_DEBUG", raising=False)
    old = sys.excepthook
    try:
        app_module.install_excepthook()
        try:
            raise RuntimeError("boom\nsecond line")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = old
    assert shown == ["RuntimeError: boom"]
    assert "Traceback" in capsys.readouterr().err


def test_dropping_files_on_the_window_imports_them(qtbot, seed_copy, tmp_path):
    from partnership_explorer.qt.main_window import MainWindow

    window = MainWindow(seed_copy, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.state.view.events is not None, timeout=10000)
    article = tmp_path / "dropped.md"
    article.write_text("# Dropped\n\nOn 5 May 2026 Vietnam and South Korea signed an agreement on green hydrogen "
                       "in Hanoi.\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(article))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.ingestion.running()
    qtbot.waitUntil(lambda: not window.ingestion.running(), timeout=30000)
    assert "1 new" in window.ingestion.last_summary
    window.close()


def test_edit_dialog_offers_week_precision(qtbot):
    event = {"id": 1, "title": "P4G summit in Hanoi", "date": "2025-W16", "precision": "week", "is_range": False,
             "start": "2025-04-14", "end": "2025-04-20", "kind": "meeting", "sectors": [], "entities": []}
    dialog = EventEditDialog(None, sectors=SECTORS, kinds=[("meeting", "Meeting")], event=event)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.precision.currentText() == "Week" and ok.isEnabled()
    assert [dialog.precision.itemData(i) for i in range(dialog.precision.count())] == ["day", "week", "month", "year"]
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "2025-W54")
    assert not ok.isEnabled() and dialog.error.text()
    dialog.date.clear()
    qtbot.keyClicks(dialog.date, "2025-W17")
    assert ok.isEnabled() and dialog.values()["precision"] == "week" and dialog.values()["date"] == "2025-W17"
