"""File → Export brief…, Save snapshot… and Changes since… in the window (pytest-qt, offscreen)."""

import json

import pytest

from partnership_explorer.core import curation
from partnership_explorer.core.store import Store
from partnership_explorer.qt import brief_dialog
from test_gui_main import make_window, settings, window  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("no_blocking_dialogs")


def test_menu_has_the_brief_entries(window):  # noqa: F811
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Export &brief…" in texts and "Save &snapshot…" in texts and "&Changes since…" in texts


def test_dialog_follows_format_and_checks_input(qtbot, tmp_path):
    d = brief_dialog.BriefDialog(None, default_path=tmp_path / "brief.docx", snapshots=["jan"])
    qtbot.addWidget(d)
    d.format.setCurrentIndex(d.format.findData(".pdf"))
    assert d.path.text().endswith("brief.pdf")
    d.path.setText(str(tmp_path / "x.html"))
    assert d.format.currentData() == ".html"
    d.path.setText(str(tmp_path / "x.odt"))
    d.citations.setText("refs.txt")
    assert set(d.problems()) == {d.path, d.citations}
    d._accept()
    assert d.result() == 0 and d.path.property("invalid") and d.citations.property("invalid")
    d.path.setText(str(tmp_path / "x.md"))
    d.citations.setText(str(tmp_path / "refs.ris"))
    d.since.setCurrentIndex(1)
    d._accept()
    assert d.result() == 1
    assert d.values() == {"path": tmp_path / "x.md", "title": None, "citations": tmp_path / "refs.ris",
                          "since": "jan", "sidecar": True}


def test_export_brief_from_the_window_with_changes_and_sidecar(qtbot, window, tmp_path):  # noqa: F811
    handle = brief_dialog.save_snapshot(window, "first")
    qtbot.waitUntil(lambda: "Saved snapshot 'first'" in window.statusBar().currentMessage(), timeout=10000)
    with Store(window.db_path) as s:
        event_id = s.execute("SELECT id FROM events ORDER BY start LIMIT 1").fetchone()[0]
        curation.confirm(s, event_id)
    out = tmp_path / "brief.md"
    handle = brief_dialog.write_from_window(window, path=out, title="Window brief", since="first",
                                            citations=tmp_path / "refs.json")
    assert handle is not None
    qtbot.waitUntil(lambda: getattr(window, "last_brief", None) is not None, timeout=20000)
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# Window brief") and "**Confirmed**" in md and "*(confirmed)*" in md
    assert (tmp_path / "brief.timeline.png").exists()
    assert json.loads((tmp_path / "refs.json").read_text(encoding="utf-8"))
    car = json.loads((tmp_path / "brief.md.pe.json").read_text(encoding="utf-8"))
    assert car["kind"] == "brief" and str(event_id) in car["events"]


def test_unknown_snapshot_is_a_dialog_not_a_crash(qtbot, window, tmp_path, no_blocking_dialogs):  # noqa: F811
    errors = []
    window.files.show_error = lambda title, message: errors.append((title, message))
    brief_dialog.write_from_window(window, path=tmp_path / "b.html", since="nope")
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert errors[0][0] == "Export brief" and "no snapshot named 'nope'" in errors[0][1]
    assert not (tmp_path / "b.html").exists()


def test_changes_view(qtbot, window):  # noqa: F811
    brief_dialog.save_snapshot(window, "base")
    qtbot.waitUntil(lambda: "Saved snapshot" in window.statusBar().currentMessage(), timeout=10000)
    with Store(window.db_path) as s:
        event_id, title = s.execute("SELECT id, title FROM events ORDER BY start LIMIT 1").fetchone()
        curation.reject(s, event_id)
    dialog = brief_dialog.show_changes(window)
    qtbot.waitUntil(lambda: "Rejected" in dialog.text.toPlainText(), timeout=10000)
    assert title in dialog.text.toPlainText()
    dialog.close()
