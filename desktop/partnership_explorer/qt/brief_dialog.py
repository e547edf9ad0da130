"""File → Export brief…, Save snapshot… and Changes since…: the brief and snapshots in the window.

The queries (the brief's events and sources, the figure's timeline columns, a snapshot difference, the sidecar's
fingerprint) run in a worker; the figure is rendered on the GUI thread, where widgets live; laying out and writing
the file runs in a worker again (a brief of 10,000 events is 1,270 PDF pages).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QInputDialog, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)

from .event_dialogs import mark_invalid

FORMATS = {".docx": "Word document", ".pdf": "PDF document", ".html": "Web page (one file)",
           ".md": "Markdown (figure beside it)"}
FILE_FILTER = "Word document (*.docx);;PDF document (*.pdf);;Web page (*.html);;Markdown (*.md)"
CITATION_FILTER = "CSL-JSON (*.json);;BibTeX (*.bib);;RIS (*.ris)"


class BriefDialog(QDialog):
    """Format (from the file's extension), file, title, an optional citations file and "changes since"."""

    def __init__(self, parent: QWidget | None, *, default_path: Path, snapshots: list[str]):
        super().__init__(parent)
        self.setWindowTitle("Export brief")
        self.setMinimumWidth(500)
        self.format = QComboBox(self)
        for suffix, label in FORMATS.items():
            self.format.addItem(f"{label} ({suffix})", suffix)
        self.path, row = self._file_row(str(default_path), "The brief's file; its extension sets the format",
                                        self._browse)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("Partnership brief")
        self.citations, cite_row = self._file_row(
            "", "The sources for a reference manager (Zotero...): CSL-JSON (.json), BibTeX (.bib) or RIS (.ris)",
            self._browse_citations)
        self.citations.setPlaceholderText("optional: .json, .bib or .ris")
        self.since = QComboBox(self)
        self.since.addItem("(no section)", None)
        for name in snapshots:
            self.since.addItem(name, name)
        self.since.setEnabled(bool(snapshots))
        self.sidecar = QCheckBox("Write a sidecar (FILE.pe.json) recording the data and filters", self)
        self.sidecar.setChecked(True)
        form = QFormLayout()
        form.addRow("F&ormat:", self.format)
        file_label = QLabel("&File:", self)
        file_label.setBuddy(self.path)
        form.addRow(file_label, row)
        form.addRow("&Title:", self.title)
        cite_label = QLabel("&Citations:", self)
        cite_label.setBuddy(self.citations)
        form.addRow(cite_label, cite_row)
        form.addRow("Changes &since:", self.since)
        form.addRow("", self.sidecar)
        note = QLabel("The brief holds the events the filters show (rejected ones left out), the timeline, and a "
                      "footnote for every source sentence.", self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.format.currentIndexChanged.connect(self._format_changed)
        self.path.textChanged.connect(self._path_changed)
        self._path_changed(self.path.text())

    def _file_row(self, text: str, tip: str, browse_slot) -> tuple[QLineEdit, QHBoxLayout]:
        """A file name field with its tooltip and a Browse… button."""
        edit = QLineEdit(text, self)
        edit.setProperty("normalTip", tip)
        edit.setToolTip(tip)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(browse_slot)
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(browse)
        return edit, row

    def _format_changed(self) -> None:
        suffix = self.format.currentData()
        path = Path(self.path.text().strip() or "brief")
        if path.suffix.lower() != suffix:
            self.path.setText(str(path.with_suffix(suffix)))

    def _path_changed(self, text: str) -> None:
        suffix = Path(text.strip()).suffix.lower()
        i = self.format.findData(suffix)
        if i >= 0 and i != self.format.currentIndex():
            self.format.blockSignals(True)
            self.format.setCurrentIndex(i)
            self.format.blockSignals(False)
        mark_invalid(self.path, None)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export brief", self.path.text(), FILE_FILTER)
        if name:
            self.path.setText(name)

    def _browse_citations(self) -> None:
        start = self.citations.text() or str(Path(self.path.text()).with_suffix(".bib"))
        name, _ = QFileDialog.getSaveFileName(self, "Citations", start, CITATION_FILTER)
        if name:
            self.citations.setText(name)

    def problems(self) -> dict[QLineEdit, str]:
        out = {}
        path = Path(self.path.text().strip())
        if path.suffix.lower() not in FORMATS:
            out[self.path] = "Use .docx, .pdf, .html or .md"
        elif not path.parent.is_dir():
            out[self.path] = f"No such folder: {path.parent}"
        cite = self.citations.text().strip()
        if cite and Path(cite).suffix.lower() not in (".json", ".bib", ".ris"):
            out[self.citations] = "Use .json (CSL-JSON), .bib or .ris"
        return out

    def _accept(self) -> None:
        problems = self.problems()
        for edit in (self.path, self.citations):
            mark_invalid(edit, problems.get(edit))
        if not problems:
            self.accept()

    def values(self) -> dict:
        cite = self.citations.text().strip()
        return {"path": Path(self.path.text().strip()), "title": self.title.text().strip() or None,
                "citations": Path(cite) if cite else None, "since": self.since.currentData(),
                "sidecar": self.sidecar.isChecked()}


def _snapshot_names(window) -> list[str]:
    from ..core.snapshots import list_snapshots

    try:
        return [r["name"] for r in list_snapshots(window.store)] if window.store is not None else []
    except Exception:  # noqa: BLE001 - a database that cannot be read now: no snapshots to offer
        return []


def _error(window, title: str, message: str) -> None:
    window.files.show_error(title, message)


def export_brief(window) -> QDialog | None:
    """File → Export brief…: the dialog, then the brief written (queries in a worker, rendering here)."""
    if window.db_path is None:
        return None
    default = Path(window.settings.last_dir("brief")) / "brief.docx"
    dialog = BriefDialog(window, default_path=default, snapshots=_snapshot_names(window))
    dialog.accepted.connect(lambda: write_from_window(window, **dialog.values()))
    dialog.open()
    window._brief_dialog = dialog
    return dialog


def write_from_window(window, *, path: Path, title: str | None = None, citations: Path | None = None,
                      since: str | None = None, sidecar: bool = True):
    """Write a brief of what the window's filters show; errors become a dialog, success a status message."""
    from ..core import sidecar as sc
    from ..core.snapshots import SnapshotError, diff

    window.settings.remember_dir("brief", path.parent)
    flt = window.state.filter

    def work(store):
        from .brief_export import prepare_brief

        try:
            changes = diff(store, since) if since else None
        except SnapshotError as exc:
            return ("error", str(exc))
        prepared = prepare_brief(store, flt, title=title, changes=changes)
        car = sc.make(store, path, flt.replace(show_rejected=False), kind="brief", title=title,
                      title_given=title is not None) if sidecar else None
        return ("ok", (prepared, car))

    def queried(result) -> None:  # GUI thread: the figure needs a widget
        kind, payload = result
        if kind == "error":
            _error(window, "Export brief", payload)
            return
        prepared, car = payload
        from .brief_export import figure_from_timeline, write_prepared
        from .export import ExportError

        try:
            controller = getattr(window, "indicators", None)   # the figure shows the indicator row as the window does
            indicators = controller.filter_shown(prepared.indicators) if controller is not None else prepared.indicators
            figure = (figure_from_timeline(prepared.timeline, indicators=indicators)
                      if prepared.timeline is not None else None)
        except ExportError as exc:
            _error(window, "Export brief", str(exc))
            return

        def write(task):  # worker: laying out and writing a long brief takes seconds
            try:
                files = write_prepared(prepared, path, citations=citations, figure=figure).written
                if car is not None:
                    files.append(sc.write(car, sc.sidecar_path(path)))
            except (ExportError, OSError) as exc:
                return ("error", str(exc))
            return ("ok", files)

        handle = window.reads.runner.submit("brief-write", write, None)
        handle.finished.connect(lambda result: written(prepared.brief, result))
        handle.failed.connect(lambda message: _error(window, "Export brief", message))

    def written(b, result) -> None:
        kind, payload = result
        if kind == "error":
            _error(window, "Export brief", payload)
            return
        window.statusBar().showMessage(
            f"Wrote {path.name}: {len(b.events)} events, {len(b.notes)} notes, {b.unreviewed} not yet reviewed", 15000)
        window.last_brief = payload

    handle = window.reads.submit("brief", work)
    if handle is None:
        return None
    window.statusBar().showMessage(f"Writing {path.name}…")
    handle.finished.connect(queried)
    handle.failed.connect(lambda message: _error(window, "Export brief", message))
    return handle


def save_snapshot(window, name: str | None = None):
    """File → Save snapshot…: record the curated state under a name (asked for when not given); a write of the
    operations layer, like every write of the window."""
    if window.db_path is None:
        return None
    if name is None:
        name, ok = QInputDialog.getText(window, "Save snapshot", "Name of the snapshot (e.g. the month of the brief):")
        if not ok:
            return None
    from ..core.changes import Changes
    from ..core.snapshots import SnapshotError, save
    from .operations import WriteOp

    def write(store):
        try:
            return ("ok", save(store, name)), Changes()
        except SnapshotError as exc:
            return ("error", str(exc)), Changes()

    def done(_changes) -> None:
        kind, payload = op.result
        if kind == "error":
            _error(window, "Save snapshot", payload)
        else:
            window.statusBar().showMessage(
                f"Saved snapshot '{payload['name']}': {payload['n_events']} events, {payload['n_documents']} documents",
                15000)

    op = WriteOp("Save snapshot", write, show_errors=False)
    op.succeeded.connect(done)
    op.failed.connect(lambda message: _error(window, "Save snapshot", message))
    return window.ops.run(op)


class ChangesDialog(QDialog):
    """View → Changes since…: pick a snapshot, read what changed (the text a monthly brief starts from)."""

    def __init__(self, window, snapshots: list[str]):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Changes since a snapshot")
        self.resize(720, 480)
        self.choice = QComboBox(self)
        self.choice.addItems(snapshots)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Snapshot:", self))
        top.addWidget(self.choice, 1)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.choice.currentTextChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        name = self.choice.currentText()
        if not name:
            self.text.setPlainText("No snapshot saved yet: File → Save snapshot… records the curated state.")
            return
        from ..core.snapshots import SnapshotError, diff, render_markdown

        def work(store):
            try:
                return render_markdown(diff(store, name))
            except SnapshotError as exc:
                return str(exc)

        handle = self.window_.reads.submit("changes", work)
        if handle is not None:
            handle.finished.connect(self.text.setPlainText)
            handle.failed.connect(self.text.setPlainText)


def show_changes(window) -> QDialog | None:
    if window.db_path is None:
        return None
    dialog = ChangesDialog(window, _snapshot_names(window))
    dialog.open()
    window._changes_dialog = dialog
    return dialog


def add_actions(window) -> None:
    """Export brief…, Save snapshot… and Changes since… in the window's File menu, before Quit."""
    from PySide6.QtGui import QAction

    menu = window.menuBar().actions()[0].menu()
    entries = menu.actions()
    quit_action = next((a for a in entries if a.objectName() == "action_quit"), None)
    before = quit_action
    if quit_action is not None:
        i = entries.index(quit_action)
        if i > 0 and entries[i - 1].isSeparator():
            before = entries[i - 1]
    for key, text, slot, tip in (
        ("export_brief", "Export &brief…", lambda: export_brief(window),
         "Write a sourced brief (Word, PDF, HTML or Markdown) of the events the filters show"),
        ("save_snapshot", "Save &snapshot…", lambda: save_snapshot(window),
         "Record the curated state, to list later what changed since"),
        ("show_changes", "&Changes since…", lambda: show_changes(window),
         "What is new, re-dated, merged, retitled, confirmed or rejected since a snapshot"),
    ):
        action = QAction(text, window)
        action.setObjectName(f"action_{key}")
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(slot)
        window.actions.actions[key] = action
        menu.insertAction(before, action)


__all__ = ["BriefDialog", "ChangesDialog", "add_actions", "export_brief", "save_snapshot", "show_changes",
           "write_from_window"]
