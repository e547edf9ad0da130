"""The window's daily jobs as a user does them: exporting a figure with its caption and sidecar, going to a date,
reading the keyboard shortcuts, importing without being told another program changed the database."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

from partnership_explorer.qt.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("no_blocking_dialogs")


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings, seed_copy):
    w = MainWindow(seed_copy, settings=settings)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitUntil(lambda: w.state.view.events is not None and not w.loading(), timeout=10000)
    yield w
    w.close()


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


def test_export_without_sidecar_writes_only_the_image(qtbot, window, tmp_path):
    wait_loaded(qtbot, window)
    out = tmp_path / "only.svg"
    window.files.export_with_extras(out, caption=False, sidecar=False, width=800, height=500, dpi=96,
                                    current_view=False)
    assert out.exists() and not (tmp_path / "only.svg.pe.json").exists()
