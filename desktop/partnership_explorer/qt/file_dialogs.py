"""Files in and out from the File menu: articles to import, events to import or export (TimelineJS, CSV, JSON),
the timeline as an image (PNG, SVG, PDF). Each dialog remembers its folder (:class:`~.settings.WindowSettings`).

Importing events is a long write of the operations layer (the file is checked whole before anything is
written; its :class:`~..core.changes.Changes` name the events it added or updated); exporting events reads
in a worker; an image is drawn on the GUI thread from the rows already loaded (``state.view.timeline``),
because widgets live there. Errors are dialogs and status messages, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox

from ..core.changes import imported
from ..core.view_fit import filtered_period
from .export_dialog import DEFAULTS as EXPORT_DEFAULTS
from .export_dialog import ExportDialog
from .ingestion import Ingestion
from .operations import Operations, WriteOp
from .settings import WindowSettings
from .state import ExplorerState
from .workers import TaskHandle

DOC_FILTER = "Articles (*.txt *.md *.html *.htm);;All files (*)"
EVENTS_FILTER = "Timelines (*.json *.csv);;TimelineJS JSON (*.json);;CSV (*.csv)"
EXPORT_EVENTS_FILTER = "TimelineJS JSON (*.json);;CSV (*.csv);;Partnership Explorer JSON (*.json)"


class FileDialogs(QObject):
    eventsImported = Signal(object)   # core.interchange.ImportReport

    def __init__(self, window: QMainWindow, state: ExplorerState, ops: Operations, reads, ingestion: Ingestion,
                 settings: WindowSettings):
        super().__init__(window)
        self.window, self.state, self.ops, self.reads = window, state, ops, reads
        self.ingestion, self.settings = ingestion, settings
        self.error_box: QMessageBox | None = None

    def show_error(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        self.error_box = box
        self.window.statusBar().showMessage(message, 15000)

    # articles ------------------------------------------------------------------------------------------
    def choose_import_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self.window, "Import documents", self.settings.last_dir("import"),
                                                DOC_FILTER)
        if names:
            self.settings.remember_dir("import", Path(names[0]).parent)
            self.ingestion.import_paths([Path(n) for n in names])

    def choose_import_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self.window, "Import a folder of articles",
                                                self.settings.last_dir("import"))
        if name:
            self.settings.remember_dir("import", name)
            self.ingestion.import_paths([Path(name)])

    # events in and out (TimelineJS, CSV) ------------------------------------------------------------------
    def choose_import_events(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self.window, "Import events", self.settings.last_dir("events"),
                                              EVENTS_FILTER)
        if name:
            self.settings.remember_dir("events", Path(name).parent)
            self.import_events_file(Path(name))

    def import_events_file(self, path: Path) -> WriteOp | None:
        """Import a TimelineJS/CSV file in the background; the file is checked whole before anything is written."""
        if self.ops.path is None:
            return None
        from ..core import interchange

        limit = interchange.MAX_BYTES
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0  # the import itself says what is wrong with the path
        if size > limit:
            if not self.confirm_large_import(path, size, limit):
                return None
            limit = size

        def write(store):
            before = store.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
            report = interchange.import_events(store, path, limit)
            return report, imported(report, [i for i in report.event_ids if i > before])

        op = WriteOp(f"Import events from {path.name}", write, long=True, show_errors=False)
        self.window.statusBar().showMessage(f"Importing events from {path.name}…")

        def done(_changes) -> None:
            self.window.statusBar().showMessage(f"Imported events: {op.result.summary()}", 15000)
            self.eventsImported.emit(op.result)

        op.succeeded.connect(done)
        op.failed.connect(lambda message: self.show_error("Import events", message))
        return self.ops.run(op)

    def confirm_large_import(self, path: Path, size: int, limit: int) -> bool:
        """Ask before importing a file over the usual limit: it is read whole into memory and checked first."""
        box = QMessageBox(QMessageBox.Icon.Question, "Import events",
                          f"{path.name} is {size / 2**20:,.0f} MB, more than the {limit / 2**20:,.0f} MB an import "
                          "reads without asking. The whole file is read into memory and checked before anything "
                          "is written, which can take a while. Import it?", parent=self.window)
        box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Ok).setText("Import")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Ok

    def choose_export_events(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(
            self.window, "Export events", str(Path(self.settings.last_dir("events")) / "timeline.json"),
            EXPORT_EVENTS_FILTER)
        if name:
            self.settings.remember_dir("events", Path(name).parent)
            fmt = "csv" if name.lower().endswith(".csv") else ("json" if chosen.startswith("Partnership") else
                                                                 "timelinejs")
            self.export_events_file(Path(name), fmt)

    def export_events_file(self, path: Path, fmt: str) -> TaskHandle | None:
        """Write what the filters show, in a worker; errors as a dialog."""
        if self.reads.path is None:
            return None
        from ..core.interchange import dump_events

        flt = self.state.filter
        handle = self.reads.submit("events-export", lambda store: dump_events(store, flt, fmt, path))
        handle.finished.connect(
            lambda count: self.window.statusBar().showMessage(f"Exported {count} events to {path.name}", 15000))
        handle.failed.connect(lambda message: self.show_error("Export events", message))
        return handle

    # image -------------------------------------------------------------------------------------------------
    def choose_export(self) -> None:
        if self.state.view.timeline is None:
            QMessageBox.information(self.window, "Export image", "There is no timeline to export yet.")
            return
        from ..core.figure import automatic_title

        remembered = self.settings.export_settings(EXPORT_DEFAULTS)
        default = Path(self.settings.last_dir("export")) / f"timeline{remembered['format']}"
        from ..core.figure import span_label

        title = automatic_title(self.state.view.timeline.total_events, self.state.filter)
        view = self.state.visible_range
        dialog = ExportDialog(self.window, default_path=default, has_view=view is not None,
                              remembered=remembered, automatic_title=title,
                              view_span=span_label(*view) if view is not None else "",
                              whole_span=span_label(*filtered_period(self.state.view.timeline, self.state.filter)),
                              date_filtered=self.state.filter.date_from is not None
                              or self.state.filter.date_to is not None)
        if dialog.exec():
            values = dialog.values()
            self.settings.remember_dir("export", values["path"].parent)
            self.settings.remember_export(dialog.settings())
            self.window.statusBar().showMessage(f"Exporting {values['path'].name}…")
            QTimer.singleShot(0, lambda: self.export_with_extras(**values))   # after the dialog has closed

    def export_with_extras(self, path: Path, *, caption: bool = False, sidecar: bool = True,
                           **values) -> TaskHandle | None:
        """Export the image with its provenance caption and its sidecar (``FILE.pe.json``), if asked: what they
        need from the database (articles counted, the data's fingerprint) is read in a worker first, then the
        picture is drawn here. Without either, the picture is drawn at once."""
        data, flt = self.state.view.timeline, self.state.filter
        if data is None or not (caption or sidecar):
            self.export(path=path, **values)
            return None
        x_range = self.state.visible_range if values.get("current_view", True) else None
        size, dpi, title = values.get("width", 1600), values.get("dpi", 150), values.get("title")
        drawn = self.window.indicators.shown_series() if hasattr(self.window, "indicators") else []
        keys = tuple(s.key for s in drawn) or None   # the indicator series the picture draws, for the sidecar

        def read(store):
            from ..core import sidecar as sc
            from ..core.figure import ExportSize
            from .export import caption_for

            text = caption_for(store, data, flt, x_range) if caption else None
            car = None
            if sidecar:
                css = ExportSize.of(size, values.get("height", 900), dpi).css_px
                car = sc.make(store, path, flt, kind="image", size=css, title=title, title_given=title is not None,
                              dpi=round(dpi), visible_range=x_range, theme="light", caption=text, indicators=keys)
            return text, car

        handle = self.reads.submit("image-export", read)
        if handle is None:
            self.export(path=path, **values)
            return None
        handle.finished.connect(lambda result: self._export_and_record(path, result, values))
        handle.failed.connect(lambda message: self.show_error("Export image", message))
        return handle

    def _export_and_record(self, path: Path, result, values: dict) -> None:
        text, car = result
        written = self.export(path=path, caption=text, **values)
        if written is None or car is None:
            return
        from ..core import sidecar as sc
        from ..core.files import FileRefused

        try:
            side = sc.write(car, sc.sidecar_path(written))
        except FileRefused as exc:
            self.show_error("Export image", f"The image was saved, but not its sidecar: {exc}")
            return
        self.window.statusBar().showMessage(f"Saved {written} and {side.name}", 8000)

    def export(self, path: Path, *, width: str | float = 1600, height: str | float = 900, dpi: float = 150,
               title: str | None = None, current_view: bool = True, caption: str | None = None) -> Path | None:
        """Render the filtered timeline to ``path`` (PNG/SVG/PDF by suffix); errors become a message box.

        ``width`` and ``height`` are physical lengths ("17cm"; numbers are px of 1/96 inch), ``dpi`` the resolution:
        the same picture, sharper — the command line's ``export`` takes the same arguments.

        The renderer is an offscreen TimelineWidget, and widgets exist only on the GUI thread, so this runs here
        (a picture takes a fraction of a second; the data it draws was loaded in the background already)."""
        from .export import ExportError, export_image

        data = self.state.view.timeline
        if data is None:
            QMessageBox.information(self.window, "Export image", "There is no timeline to export yet.")
            return None
        # the whole filtered range is the period of a date filter (else the events' range), as the dialog says
        x_range = self.state.visible_range if current_view else filtered_period(data, self.state.filter)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            shown = self.window.indicators.shown_series() if hasattr(self.window, "indicators") else []
            bands = ()
            if shown:
                from .indicator_row import export_band
                bands = (export_band(shown),)   # the indicator row, as the window shows it
            result = export_image(data, Path(path), width=width, height=height, dpi=dpi, title=title, x_range=x_range,
                                  caption=caption, ladder=self.state.view.ladder, disputes=self.state.view.disputes,
                                  bands=bands)
        except ExportError as exc:
            message = str(exc)
        except Exception as exc:  # noqa: BLE001 - one line for the user, the details on stderr
            import traceback

            traceback.print_exc()
            message = f"{exc.__class__.__name__}: {exc}"
        else:
            message = None
        finally:
            QApplication.restoreOverrideCursor()
        if message is not None:
            self.window.statusBar().clearMessage()
            QMessageBox.warning(self.window, "Export image", message)
            return None
        self.window.statusBar().showMessage(f"Saved {result}", 8000)
        return Path(result)
