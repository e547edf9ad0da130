"""Reading articles into the open database from the window: in the background, with progress and Cancel.

:meth:`Ingestion.import_paths` runs :func:`core.ingest.ingest_paths` as a long write of the operations layer
(:mod:`.operations`: off the GUI thread, beside curation); the status bar shows a progress bar with Cancel
(a first launch shows a progress dialog instead). Each article is stored in its own transaction, so as
articles arrive the window shows them; the end is announced with the ingestion's
:class:`~..core.changes.Changes`, a summary in the status bar, and a dialog listing the files that failed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressBar, QProgressDialog, QPushButton

from ..core.changes import ingested
from .operations import Operations, WriteOp
from .state import ExplorerState
from .workers import ReadModel


def summary(report) -> str:
    return (f"Imported: {report.new} new, {report.unchanged} unchanged, {len(report.failed)} failed"
            + (f", {report.updated} updated" if report.updated else "")
            + f" · {report.events_created} new events"
            + (" (cancelled)" if report.cancelled else ""))


class Ingestion(QObject):
    finished = Signal(object)    # core.ingest.IngestReport

    def __init__(self, window: QMainWindow, state: ExplorerState, ops: Operations, reads: ReadModel):
        super().__init__(window)
        self.window, self.state, self.ops, self.reads = window, state, ops, reads
        self.op: WriteOp | None = None
        self.last_summary: str | None = None
        self.failure_box: QMessageBox | None = None
        self.dialog: QProgressDialog | None = None
        self.progress = QProgressBar(window)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel", window)
        self.cancel_button.setToolTip("Stop importing after the current article")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress.hide()
        self.cancel_button.hide()
        bar = window.statusBar()
        bar.insertPermanentWidget(0, self.progress)
        bar.insertPermanentWidget(1, self.cancel_button)

    def running(self) -> bool:
        return self.op is not None

    def import_paths(self, paths: list[Path], *, dialog: bool = False) -> bool:
        """Ingest files/folders in the background. ``dialog``: a progress dialog (first launch) instead of the
        status bar. Returns False when an import is already running or there is no database."""
        if self.ops.path is None:
            return False
        if self.op is not None:
            self.window.statusBar().showMessage("An import is already running", 4000)
            return False
        from ..core.ingest import ingest_paths

        paths = [Path(p) for p in paths]

        def write(store):
            # jobs=None: extraction in worker processes, one per core, when there are enough documents
            report = ingest_paths(store, paths, progress=op.report, cancelled=op.cancelled, jobs=None)
            return report, ingested(report)

        op = self.op = WriteOp("Import documents", write, long=True, show_errors=False)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Importing…")
        self.progress.show()
        self.cancel_button.show()
        if dialog:
            pd = QProgressDialog("Building the database from the bundled articles…", "Cancel", 0, 0, self.window)
            pd.setWindowTitle("Partnership Explorer")
            pd.setMinimumDuration(0)
            # Not modal: a modal QProgressDialog runs the event loop inside setValue(), where the finished
            # import could delete the dialog under the caller's feet.
            pd.setWindowModality(Qt.WindowModality.NonModal)
            pd.canceled.connect(self.cancel)
            pd.show()
            self.dialog = pd
        op.progress.connect(self._progress)
        op.succeeded.connect(lambda _changes: self._finished(op.result))
        op.failed.connect(self._failed)
        self.ops.run(op)
        return True

    def cancel(self) -> None:
        if self.op is not None:
            self.op.cancel()
            self.progress.setFormat("Cancelling…")

    def _progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"%v/%m {name}" if name else "%v/%m")
        self.progress.setToolTip(name)
        if self.dialog is not None:
            self.dialog.setRange(0, max(total, 1))
            self.dialog.setValue(done)
            if name:
                self.dialog.setLabelText(f"Reading {name}…")
        # every finished article is in the database already: show it (unless the views are still reading)
        if done and done < total and not self.reads.busy():
            self.state.notify_data_changed(ingested(None, partial=True))

    def _done(self) -> None:
        self.op = None
        self.progress.hide()
        self.cancel_button.hide()
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None

    def _finished(self, report) -> None:
        self._done()
        text = summary(report)
        self.window.statusBar().showMessage(text, 15000)
        self.last_summary = text
        if report.failed:
            box = QMessageBox(QMessageBox.Icon.Warning, "Import", text, parent=self.window)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setInformativeText(f"{len(report.failed)} file(s) could not be read; see the details.")
            box.setDetailedText("\n".join(f"{Path(p).name}: {msg}" for p, msg in report.failed))
            box.setModal(True)
            box.open()
            self.failure_box = box
        self.finished.emit(report)

    def _failed(self, message: str) -> None:
        self._done()
        QMessageBox.warning(self.window, "Import failed", message)
