"""The window's daily jobs as a user does them: exporting a figure with its caption and sidecar, going to a date,
reading the keyboard shortcuts, importing without being told another program changed the database."""

import json
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from test_gui_polish import main_window  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("no_blocking_dialogs")


@pytest.fixture
def window(main_window):  # noqa: F811
    return main_window


def wait_loaded(qtbot, window):
    qtbot.waitUntil(lambda: not window.ops.busy() and not window.loading()
                    and window.state.view.events.filter == window.state.filter, timeout=10000)


def test_export_dialog_caption_and_sidecar_are_remembered_and_written(qtbot, window, tmp_path, monkeypatch):
    from partnership_explorer.core.query import EventFilter
    from partnership_explorer.qt import export_dialog

    wait_loaded(qtbot, window)
    window.state.set_filter(EventFilter(sectors=("trade",)))
    qtbot.waitUntil(lambda: window.state.view.timeline is not None
                    and [l.key for l in window.state.view.timeline.lanes] == ["trade"], timeout=10000)
    window.settings.remember_dir("export", tmp_path)
    out = tmp_path / "fig.png"
    seen = []

    def first(dialog):
        seen.append((dialog.caption.isChecked(), dialog.sidecar.isChecked()))
        dialog.path.setText(str(out))
        dialog.dpi.setValue(96)
        dialog.caption.setChecked(True)
        dialog.whole_range.setChecked(True)
        return True

    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: first(self))
    window.files.choose_export()
    side = tmp_path / "fig.png.pe.json"
    qtbot.waitUntil(side.exists, timeout=10000)
    assert seen[0] == (False, True)        # the first time: no caption, a sidecar
    car = json.loads(side.read_text())
    assert car["kind"] == "image" and car["filters"]["sectors"] == ["trade"]
    assert "sector Trade" in car["caption"] and "made with Partnership Explorer" in car["caption"]
    # the trade figures' indicator row is shown over the Trade lane: the sidecar says which series it drew
    assert any("trade" in key.lower() for key in car.get("indicators", [])), car.get("indicators")
    assert "Saved" in window.statusBar().currentMessage() and side.name in window.statusBar().currentMessage()

    def second(dialog):
        seen.append((dialog.caption.isChecked(), dialog.sidecar.isChecked()))
        return False

    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: second(self))
    window.files.choose_export()
    assert seen[1] == (True, True)         # remembered
    # the sidecar draws the same figure again from the command line, pixel for pixel
    again = tmp_path / "again.png"
    r = subprocess.run([sys.executable, "-m", "partnership_explorer", "export", "--from", str(side), "--out",
                        str(again)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert QImage(str(out)) == QImage(str(again))


def test_export_of_a_date_filter_shows_the_filtered_period_the_dialog_names(qtbot, window, tmp_path, monkeypatch):
    """Export image… of a view filtered to 2015 – 2022, "the filtered period": the picture spans 2015-01-01 to
    2022-12-31 (not only the span of the events kept), as the dialog says, titled without a stray comma."""
    import datetime as dt

    from partnership_explorer.core.query import EventFilter
    from partnership_explorer.core.timeline import to_days
    from partnership_explorer.qt import export as export_module
    from partnership_explorer.qt import export_dialog

    wait_loaded(qtbot, window)
    flt = EventFilter(date_from=dt.date(2015, 1, 1), date_to=dt.date(2022, 12, 31))
    window.state.set_filter(flt)
    qtbot.waitUntil(lambda: window.state.view.timeline is not None and window.state.view.events.filter == flt,
                    timeout=10000)
    qtbot.waitUntil(lambda: window.state.view.timeline.total_events > 0 and not window.loading(), timeout=10000)
    seen: dict = {}
    real = export_module.export_image
    monkeypatch.setattr(export_module, "export_image", lambda data, path, **kw: (seen.update(kw),
                                                                                 real(data, path, **kw))[1])
    out = tmp_path / "period.png"
    texts = []

    def choose(dialog):
        texts.append((dialog.whole_range.text(), dialog.title.placeholderText()))
        dialog.path.setText(str(out))
        dialog.dpi.setValue(96)
        dialog.sidecar.setChecked(False)
        dialog.whole_range.setChecked(True)
        return True

    monkeypatch.setattr(export_dialog.ExportDialog, "exec", lambda self: choose(self))
    window.files.choose_export()
    qtbot.waitUntil(out.exists, timeout=10000)
    whole, title = texts[0]
    assert whole == "the filtered period (2015 – 2022)"
    assert title.endswith(" events — 2015 – 2022") and "," not in title
    assert seen["x_range"] == (to_days(dt.date(2015, 1, 1)), to_days(dt.date(2023, 1, 1)))


def test_export_without_sidecar_writes_only_the_image(qtbot, window, tmp_path):
    wait_loaded(qtbot, window)
    out = tmp_path / "only.svg"
    window.files.export_with_extras(out, caption=False, sidecar=False, width=800, height=500, dpi=96,
                                    current_view=False)
    assert out.exists() and not (tmp_path / "only.svg.pe.json").exists()


def test_help_lists_every_shortcut(qtbot, window, monkeypatch):
    from partnership_explorer.qt import help_dialogs

    shown = []
    monkeypatch.setattr(help_dialogs.ShortcutsDialog, "exec", lambda self: shown.append(self.rows()) or 0)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    entry = next(a for a in help_menu.actions() if a.text() == "&Keyboard shortcuts")
    entry.trigger()
    rows = dict(shown[0])
    assert rows["Go to date"] == "Ctrl+G" and rows["Export image"] == "Ctrl+E" and rows["Keyboard shortcuts"] == "F1"
    assert rows["Next event"] == "Ctrl+Down, J" and "Home" in rows["Jump to the start / end"]
    # every action that has a shortcut is listed
    with_keys = [a for a in window.actions.actions.values() if a.shortcuts()]
    assert len([r for r in shown[0] if r[0] not in dict(help_dialogs.TIMELINE_KEYS)]) == len(with_keys)


def test_go_to_date_centres_the_view_on_any_precision(qtbot, window, monkeypatch):
    import datetime as dt

    from partnership_explorer.core.timeline import to_days
    from partnership_explorer.qt import help_dialogs

    wait_loaded(qtbot, window)
    typed = {"text": "2022-12"}
    errors = []

    def run(dialog):
        dialog.text.setText(typed["text"])
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        errors.append(dialog.error.text())
        return dialog.result()

    monkeypatch.setattr(help_dialogs.GoToDateDialog, "exec", lambda self: run(self))
    window.actions["go_to"].trigger()
    x0, x1 = window.timeline.x_range()
    dec = (to_days(dt.date(2022, 12, 1)), to_days(dt.date(2023, 1, 1)))
    assert x0 < dec[0] and dec[1] < x1 and x1 - x0 < 40       # December 2022 fills the view
    assert window.state.visible_range == (x0, x1)             # every panel follows
    typed["text"] = "2025-04-15"
    window.actions["go_to"].trigger()
    x0, x1 = window.timeline.x_range()
    assert abs((x0 + x1) / 2 - (to_days(dt.date(2025, 4, 15)) + 0.5)) < 0.01
    typed["text"] = "1992 – 2011"
    window.actions["go_to"].trigger()
    x0, x1 = window.timeline.x_range()
    assert x0 < to_days(dt.date(1992, 1, 1)) and to_days(dt.date(2012, 1, 1)) < x1
    typed["text"] = "2025-13"
    before = window.timeline.x_range()
    window.actions["go_to"].trigger()
    assert "13 is not a month" in errors[-1] and window.timeline.x_range() == before


def test_own_import_is_not_reported_as_another_programs_change(qtbot, window, tmp_path):
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    wait_loaded(qtbot, window)
    article = tmp_path / "own.txt"
    article.write_text("Hanoi, 3 March 2026 - Vietnam and South Korea signed a memorandum of understanding on "
                       "hydrogen energy cooperation on March 2, 2026, the two ministries said.\n", encoding="utf-8")
    before = window.state.view.total
    finished = []
    window.ingestion.finished.connect(finished.append)
    assert window.import_paths([article])
    qtbot.waitUntil(lambda: bool(finished), timeout=30000)
    wait_loaded(qtbot, window)
    assert window.state.view.total > before
    # the poll runs every two seconds: let it look twice after the import
    qtbot.wait(int(2.5 * 2000))
    assert not window.session.check_external_changes()
    assert not [m for m in messages if "another program" in m], messages
    # the same poll does notice a write that is truly another program's (the test can fail)
    import sqlite3

    other = sqlite3.connect(window.db_path)
    other.execute("UPDATE events SET title = title || ' (checked)' WHERE id = (SELECT min(id) FROM events)")
    other.commit()
    other.close()
    qtbot.waitUntil(lambda: any("another program" in m for m in messages), timeout=6000)
