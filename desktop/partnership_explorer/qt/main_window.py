"""The main window: the composition of the explorer's parts around one :class:`~.state.ExplorerState`.

* :class:`~.session.DatabaseSession` – the open database, and the poll that notices other programs' writes;
* :class:`~.workers.ReadModel` – every read a panel shows, off the GUI thread (newest request per part wins);
* :class:`~.operations.Operations` – every write, in the writer thread, with the undo stack; each write's
  :class:`~..core.changes.Changes` go out through ``state.dataChanged`` and each panel refreshes what they concern;
* :func:`~.docks.build_panels` – the timeline, the event list, the sector, entity, event and article panels,
  the filter bar and the status bar count, each pulling its own data (:class:`~.timeline_feed.TimelineFeed`
  for the timeline widget);
* :class:`~.actions.WindowActions` – actions and menus; :class:`~.curation_actions.Curator` – curation;
  :class:`~.ingestion.Ingestion` – reading articles with progress; :class:`~.file_dialogs.FileDialogs` – import
  and export; :class:`~.settings.WindowSettings` – what is remembered between runs.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QPushButton

from ..core import views
from ..core.changes import Changes
from ..core.query import EventFilter
from ..core.store import StoreError
from .actions import WindowActions
from .curation_actions import Curator
from .docks import build_panels
from .file_dialogs import FileDialogs
from .ingestion import Ingestion
from .operations import Operations
from .session import DatabaseSession
from .settings import WindowSettings
from .state import ExplorerState
from .ladder_band import LadderFeed
from .timeline_feed import TimelineFeed
from .workers import ReadModel

DB_FILTER = "Partnership Explorer databases (*.db *.sqlite *.sqlite3);;All files (*)"


def qt_versions() -> dict[str, str]:
    import PySide6
    from PySide6.QtCore import qVersion

    out = views.versions()
    out["Qt"] = qVersion()
    out["PySide6"] = PySide6.__version__
    return out


class MainWindow(QMainWindow):
    loaded = Signal()                 # the panels finished loading (tests and demo hooks wait on it)

    def __init__(self, db_path: Path | str | None = None, *, settings: QSettings | None = None,
                 restore: bool = True):
        super().__init__()
        self.setWindowTitle("Partnership Explorer")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)
        self.state = ExplorerState(self)
        self.reads = ReadModel(self.state, self)           # first: forgets memoised reads before panels re-read
        self.ops = Operations(self.state, self)
        self.session = DatabaseSession(self, quiet=self.ops.busy)    # own writes under way: not another program
        self.curation = Curator(self, self.state, self.ops, self.reads)
        self.actions = WindowActions(self, self.ops.undo_stack, self._slots())
        self.actions.show_rejected(self.state.filter.show_rejected)
        self.panels = p = build_panels(self, self.state, self.reads, self.actions.actions)
        self.timeline, self.event_list, self.splitter = p.timeline, p.event_list, p.splitter
        self.sector_panel, self.entity_panel, self.details = p.sector_panel, p.entity_panel, p.details
        self.partners_panel = p.partners_panel
        self.document_panel, self.filter_bar, self.count_label, self.docks = (p.document_panel, p.filter_bar,
                                                                              p.count_label, p.docks)
        self.timeline_feed = TimelineFeed(self.state, self.reads, self.panels.timeline, self)
        self.ladder_feed = LadderFeed(self.state, self.reads, self.panels.timeline, self, ops=self.ops)
        self.fit_button = QPushButton("Fit to filter", self)
        self.fit_button.setObjectName("fitToFilter")
        self.fit_button.setToolTip("The filter changed since you zoomed: show every filtered event")
        self.fit_button.setFlat(True)
        self.fit_button.hide()
        self.statusBar().insertPermanentWidget(0, self.fit_button)
        self.ingestion = Ingestion(self, self.state, self.ops, self.reads)
        self.settings = WindowSettings(settings if settings is not None else QSettings(), self, {
            "window/splitter": self.panels.splitter, "window/documentSplitter": self.panels.document_panel.splitter})
        self.files = FileDialogs(self, self.state, self.ops, self.reads, self.ingestion, self.settings)
        self.settings.attach_recent_menu(self.actions.build_menus(self.menuBar(), self.panels.docks),
                                         self.open_database)
        from .brief_dialog import add_actions as add_brief_actions
        add_brief_actions(self)  # File → Export brief…, Save snapshot…, Changes since…
        from .indicator_row import IndicatorController
        self.indicators = IndicatorController(self)  # the indicator row above the lanes, View → Indicators
        self._connect()
        if restore:
            self.settings.restore()
        if db_path is not None:
            self.open_database(Path(db_path))
        self._update_actions()

    def _slots(self) -> dict:
        c = self.curation
        return {
            "open": self.choose_database, "new": self.choose_new_database,
            "import": lambda: self.files.choose_import_files(),
            "import_folder": lambda: self.files.choose_import_folder(),
            "export": lambda: self.files.choose_export(), "import_events": lambda: self.files.choose_import_events(),
            "export_events": lambda: self.files.choose_export_events(), "quit": self.close,
            "confirm": c.confirm_selected, "reject": c.reject_selected, "edit": c.edit_selected, "add": c.add_event,
            "merge": c.merge_selected,
            "zoom_in": lambda: self.timeline.zoom(2.0), "zoom_out": lambda: self.timeline.zoom(0.5),
            "fit": lambda: self.timeline.fit_all(),
            "hide_empty": lambda on: self.timeline_feed.set_hide_empty_lanes(on),
            "next": lambda: self.step_event(1), "prev": lambda: self.step_event(-1),
            "show_rejected": lambda on: self.state.update_filter(self, show_rejected=bool(on)),
            "clear_filters": self.clear_filters,
            "find": lambda: (self.filter_bar.search.setFocus(), self.filter_bar.search.selectAll()),
            "about": self.show_about, "shortcuts": self.show_shortcuts, "go_to": self.go_to_date,
        }

    def _connect(self) -> None:
        state = self.state
        state.filterChanged.connect(lambda flt, origin: self.actions.show_rejected(flt.show_rejected))
        state.selectionChanged.connect(lambda *_: self._update_actions())
        state.viewChanged.connect(lambda part: self._update_actions() if part == "timeline" else None)
        self.reads.idle.connect(self.loaded)
        self.timeline.fitOffered.connect(self.fit_button.setVisible)
        self.fit_button.clicked.connect(self.timeline.fit_all)
        self.timeline_feed.hideEmptyChanged.connect(lambda on: self.actions.reflect("hide_empty", on))
        self.reads.failed.connect(lambda msg: self.statusBar().showMessage(f"Could not load events: {msg}", 10000))
        self.partners_panel.own_reads.failed.connect(
            lambda msg: self.statusBar().showMessage(f"Could not load partners: {msg}", 10000))
        self.ops.failed.connect(self._write_failed)
        self.ops.finished.connect(lambda op: self.session.note_own_write())
        self.session.changedOutside.connect(self._changed_outside)
        self.ingestion.finished.connect(self._ingested)
        self.ops.undo_stack.cleanChanged.connect(lambda *_: self._update_actions())
        self.ops.undo_stack.indexChanged.connect(lambda *_: self._update_actions())

    # the parts, by the names the rest of the program (and its tests) use ---------------------------------
    @property
    def store(self):
        return self.session.store

    @property
    def db_path(self) -> Path | None:
        return self.session.path

    @property
    def undo_stack(self):
        return self.ops.undo_stack

    @property
    def timeline_data(self):
        return self.state.view.timeline

    # database ----------------------------------------------------------------------------------------------
    def open_database(self, path: Path | str) -> bool:
        """Open ``path`` (created when missing). On failure: a message, and the current database stays."""
        path = Path(path).expanduser()
        if self.ingestion.running():
            QMessageBox.information(self, "Open database", "Please wait for the import to finish (or cancel it) "
                                    "before switching databases.")
            return False
        try:
            self.session.open(path)
        except StoreError as exc:
            QMessageBox.warning(self, "Cannot open database", str(exc))
            self.statusBar().showMessage(f"Kept {self.db_path.name if self.db_path else 'no database'}", 5000)
            return False
        except Exception as exc:  # noqa: BLE001 - e.g. a permissions problem sqlite reports oddly
            QMessageBox.warning(self, "Cannot open database", f"{path}: {exc}")
            return False
        self.reads.set_database(path)
        self.ops.set_database(path)
        self.timeline_feed.reset()
        self.state.reset_view()
        self.setWindowTitle(f"{path.name} — Partnership Explorer")
        self.setWindowFilePath(str(path))
        self.settings.remember_database(path)
        with self.reads.batch():   # every panel reads the new database, the timeline first
            self.state.notify_data_changed(Changes.unknown("open"))
        self._update_actions()
        notes = getattr(self.session.store, "notes", None)
        if notes:  # what opening repaired (an interrupted bulk job), said once
            self.statusBar().showMessage(" ".join(notes), 15000)
        return True

    def choose_database(self) -> None:
        start = str(self.db_path.parent) if self.db_path else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Open database", start, DB_FILTER)
        if name:
            self.open_database(Path(name))

    def choose_new_database(self) -> None:
        start = str(self.db_path.parent / "events.db") if self.db_path else str(Path.home() / "events.db")
        name, _ = QFileDialog.getSaveFileName(self, "New database", start, DB_FILTER)
        if name:
            if Path(name).exists():
                QMessageBox.information(self, "New database", f"{name} exists; it is opened as it is.")
            self.open_database(Path(name))

    def is_empty(self) -> bool:
        return self.session.is_empty()

    def import_paths(self, paths: list[Path], *, dialog: bool = False) -> bool:
        return self.ingestion.import_paths(paths, dialog=dialog)

    def _changed_outside(self) -> None:
        self.statusBar().showMessage("The database was changed by another program: showing its new state", 8000)
        with self.reads.batch():
            self.state.notify_data_changed(Changes.unknown("outside"))

    def _ingested(self, report) -> None:
        if not self.state.view.event_ids():
            self.timeline_feed.fit_next = True      # the first events of an empty database: show them all

    def _write_failed(self, title: str, message: str) -> None:
        QMessageBox.warning(self, title, message[:1].upper() + message[1:])

    # loading -------------------------------------------------------------------------------------------------
    def loading(self) -> bool:
        """The timeline or the filtered panels are still on their way (the article list, which does not depend
        on the filter, follows on its own)."""
        return self.reads.busy() or self.partners_panel.loading()

    def event_ids(self) -> list[int]:
        return self.state.view.event_ids()

    def step_event(self, step: int) -> None:
        """Next/previous event in time order among the filtered events."""
        target = views.step_in(self.event_ids(), self.state.selected_event, step)
        if target is None:
            self.statusBar().showMessage("No more events that way", 2000)
            return
        self.state.set_selection([target], self)

    def clear_filters(self) -> None:
        self.state.set_filter(EventFilter(show_rejected=self.state.filter.show_rejected), self)

    # about, actions ------------------------------------------------------------------------------------------
    def show_about(self) -> None:
        lines = "".join(f"<tr><td>{k}</td><td>&nbsp;{v}</td></tr>" for k, v in qt_versions().items())
        QMessageBox.about(
            self, "About Partnership Explorer",
            "<h3>Partnership Explorer</h3><p>Dated, sourced events from press articles about a partnership "
            f"between two countries.</p><table>{lines}</table>"
            f"<p>Database: {html.escape(str(self.db_path)) if self.db_path else 'none'}</p>",
        )

    def show_shortcuts(self) -> None:
        from .help_dialogs import ShortcutsDialog

        ShortcutsDialog(self, self.actions.actions).exec()

    def go_to_date(self) -> None:
        """View → Go to date…: the timeline shows a typed year, month, day or range, centred."""
        from .help_dialogs import GoToDateDialog

        dialog = GoToDateDialog(self, self.timeline.set_x_range, getattr(self, "_last_go_to", ""))
        if dialog.exec():
            self._last_go_to = dialog.text.text().strip()

    def _update_actions(self) -> None:
        self.actions.update(has_db=self.store is not None, selected=self.state.selected_event is not None,
                            has_timeline=self.state.view.timeline is not None)

    # drag and drop ------------------------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.ingestion.import_paths(paths)

    def closeEvent(self, event) -> None:
        self.settings.save(self.db_path)
        self.ops.shutdown()
        self.reads.shutdown(5000)
        self.partners_panel.shutdown(5000)
        self.session.close()
        super().closeEvent(event)


__all__ = ["MainWindow", "qt_versions"]
