"""The main window: timeline in the centre, panels in docks, one ExplorerState they all observe.

Data flow. A filter change (from any panel) starts one background load (:func:`core.views.overview` in a
:class:`~.workers.TaskRunner`, on its own SQLite connection); the newest load wins and is applied on the GUI
thread. Selecting an event reads that one event on the GUI thread (a few indexed rows) and shows it in the
details, the document panel and the entity panel. Curation goes through the undo stack (:mod:`.undo`), writes
at once, and announces itself with ``state.notify_data_changed`` which reloads the views. Ingestion runs in its
own single-thread runner with progress and Cancel in the status bar; the window stays usable meanwhile.
"""

from __future__ import annotations

import html
import sqlite3
from pathlib import Path

from PySide6.QtCore import QByteArray, QLocale, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QApplication, QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox,
                               QProgressBar, QProgressDialog, QPushButton, QSplitter, QVBoxLayout, QWidget)

from ..core import curation, views
from ..core.query import EventFilter
from ..core.store import Store, StoreError
from .document_panel import DocumentPanel
from .entity_panel import EntityPanel
from .event_dialogs import EventEditDialog, MergeDialog
from .event_panel import EventDetailsPanel, EventListPanel
from .export_dialog import ExportDialog
from .filter_bar import FilterBar, mnemonic_safe
from .sector_panel import SectorPanel
from .state import ExplorerState
from .undo import CurationCommand
from .workers import TaskRunner

MAX_RECENT = 8
DB_FILTER = "Partnership Explorer databases (*.db *.sqlite *.sqlite3);;All files (*)"
DOC_FILTER = "Articles (*.txt *.md *.html *.htm);;All files (*)"

try:  # the timeline lands separately; the window works (without it) until then
    from .timeline import TimelineWidget
except ImportError:  # pragma: no cover - only while qt/timeline.py is missing
    TimelineWidget = None
try:
    from ..core.timeline import load_timeline
except ImportError:  # pragma: no cover
    load_timeline = None


class _TimelinePlaceholder(QLabel):
    def __init__(self, state, parent=None):
        super().__init__("The timeline view is not available in this build.", parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def set_data(self, data) -> None: ...
    def fit_all(self) -> None: ...
    def zoom(self, factor: float) -> None: ...
    def pan(self, fraction: float) -> None: ...


def _count_text(shown: int, total: int) -> str:
    """'12,345 of 1,000,000 events' with the user's digit grouping."""
    loc = QLocale()
    return f"{loc.toString(int(shown))} of {loc.toString(int(total))} events"


def qt_versions() -> dict[str, str]:
    import PySide6
    from PySide6.QtCore import qVersion

    out = views.versions()
    out["Qt"] = qVersion()
    out["PySide6"] = PySide6.__version__
    return out


class MainWindow(QMainWindow):
    loaded = Signal()                 # a load finished and was applied (tests and demo hooks wait on it)
    ingestFinished = Signal(object)   # core.ingest.IngestReport
    eventsImported = Signal(object)   # core.interchange.ImportReport

    def __init__(self, db_path: Path | str | None = None, *, settings: QSettings | None = None,
                 restore: bool = True):
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.state = ExplorerState(self)
        self.store: Store | None = None
        self.db_path: Path | None = None
        self.runner = TaskRunner(self, threads=2)
        self.ingest_runner = TaskRunner(self, threads=1)
        self.ingest_handle = None
        self.undo_stack = QUndoStack(self)
        self.overview: dict | None = None
        self._fit_pending = True
        self._load_pending = False
        self._timeline_pending = False
        self._documents_pending = False
        self._base_timeline = None      # (filter without sectors, TimelineData): sector toggles need no SQL
        self.timeline_data = None
        self._documents = None
        self.setWindowTitle("Partnership Explorer")
        self.setAcceptDrops(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)

        self._make_actions()
        self._make_widgets()
        self._make_menus()
        self._connect_state()
        if restore:
            self.restore_settings()
        if db_path is not None:
            self.open_database(Path(db_path))
        self._update_actions()

    # ------------------------------------------------------------------------------------------------
    # construction
    # ------------------------------------------------------------------------------------------------
    def _action(self, key: str, text: str, slot=None, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"action_{key}")
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        if slot is not None:
            (action.toggled if checkable else action.triggered).connect(slot)
        self.actions[key] = action
        return action

    def _make_actions(self) -> None:
        self.actions: dict[str, QAction] = {}
        SK = QKeySequence.StandardKey
        a = self._action
        a("open", "&Open database…", self.choose_database, SK.Open, "Open another event database")
        a("new", "&New database…", self.choose_new_database, SK.New, "Create an empty event database")
        a("import", "&Import documents…", self.choose_import_files, "Ctrl+I", "Add articles (.txt .md .html)")
        a("import_folder", "Import &folder…", self.choose_import_folder, "Ctrl+Shift+I", "Add every article of a folder")
        a("export", "&Export image…", self.choose_export, "Ctrl+E", "Save the timeline as PNG, SVG or PDF")
        a("import_events", "Import &events…", self.choose_import_events, None,
          "Add events from a TimelineJS JSON or CSV file")
        a("export_events", "Export e&vents…", self.choose_export_events, None,
          "Save the events the filters show as TimelineJS JSON, CSV or JSON")
        a("quit", "&Quit", self.close, SK.Quit)
        self.actions["undo"] = self.undo_stack.createUndoAction(self, "&Undo")
        self.actions["undo"].setShortcut(QKeySequence(SK.Undo))
        self.actions["redo"] = self.undo_stack.createRedoAction(self, "&Redo")
        self.actions["redo"].setShortcuts([QKeySequence(SK.Redo), QKeySequence("Ctrl+Shift+Z")])
        a("confirm", "&Confirm", self.confirm_selected, "Ctrl+Return", "Mark the selected event as checked")
        a("reject", "&Reject", self.reject_selected, "Ctrl+Backspace", "Mark the selected event as wrong (it stays rejected)")
        a("edit", "&Edit event…", self.edit_selected, "F2", "Change title, date, kind, sectors or entities")
        a("add", "&Add event…", self.add_event, "Ctrl+Shift+N", "Add an event by hand")
        a("merge", "&Merge…", self.merge_selected, "Ctrl+M", "Combine two events that are the same happening")
        a("zoom_in", "Zoom &in", lambda: self.timeline.zoom(2.0), SK.ZoomIn)
        a("zoom_out", "Zoom &out", lambda: self.timeline.zoom(0.5), SK.ZoomOut)
        a("fit", "&Fit all", lambda: self.timeline.fit_all(), "Ctrl+0", "Show every filtered event")
        a("next", "&Next event", lambda: self.step_event(1), ["Ctrl+Down", "J"], "Select the next event in time")
        a("prev", "&Previous event", lambda: self.step_event(-1), ["Ctrl+Up", "K"], "Select the previous event in time")
        a("show_rejected", "Show &rejected events", self._toggle_rejected, None,
          "Show or hide the events you rejected", checkable=True)
        self.actions["show_rejected"].setChecked(self.state.filter.show_rejected)
        a("clear_filters", "C&lear filters", self.clear_filters, "Ctrl+Shift+L", "Show every event")
        a("find", "&Search", lambda: (self.filter_bar.search.setFocus(), self.filter_bar.search.selectAll()), SK.Find)
        a("about", "&About Partnership Explorer", self.show_about)
        for key in ("confirm", "reject", "edit", "merge"):
            self.actions[key].setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.actions["edit"].setIconText("Edit…")
        self.actions["merge"].setIconText("Merge…")

    def _make_widgets(self) -> None:
        state = self.state
        timeline_cls = TimelineWidget or _TimelinePlaceholder
        self.timeline = timeline_cls(state, self)
        self.timeline.setObjectName("timeline")
        self.event_list = EventListPanel(state, self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("centralSplitter")
        self.splitter.addWidget(self.timeline)
        self.splitter.addWidget(self.event_list)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        self.sector_panel = SectorPanel(state, self)
        self.entity_panel = EntityPanel(state, self)
        self.details = EventDetailsPanel(state, self.actions, self)
        self.document_panel = DocumentPanel(state, lambda: self.store, self)
        self.filter_bar = FilterBar(state, self.sector_panel.name_of, self)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.docks: dict[str, QDockWidget] = {}
        for key, title, widget, area in (
            ("sectors", "Sectors", self.sector_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("entities", "Entities", self.entity_panel, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("details", "Event", self.details, Qt.DockWidgetArea.RightDockWidgetArea),
            ("document", "Article", self.document_panel, Qt.DockWidgetArea.RightDockWidgetArea),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(widget)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                             | QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
            self.addDockWidget(area, dock)
            self.docks[key] = dock
        self.resizeDocks([self.docks["sectors"], self.docks["details"]], [270, 450], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["sectors"], self.docks["entities"]], [330, 500], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["details"], self.docks["document"]], [260, 600], Qt.Orientation.Vertical)

        bar = self.statusBar()
        self.count_label = QLabel("No database", self)
        self.count_label.setObjectName("eventCount")
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress_cancel = QPushButton("Cancel", self)
        self.progress_cancel.setToolTip("Stop importing after the current article")
        self.progress_cancel.clicked.connect(self.cancel_import)
        self.progress.hide()
        self.progress_cancel.hide()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.progress_cancel)
        bar.addPermanentWidget(self.count_label)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None and screen.width() > 0:
            self.resize(min(1600, int(screen.width() * 0.96)), min(1000, int(screen.height() * 0.96)))
        else:
            self.resize(1400, 900)
        # the timeline gets about two thirds of the height (restored sizes win, see restore_settings)
        total = max(self.height() - 120, 400)
        self.splitter.setSizes([int(total * 0.65), total - int(total * 0.65)])

    def _make_menus(self) -> None:
        A = self.actions
        m = self.menuBar().addMenu("&File")
        m.addActions([A["open"], A["new"]])
        self.recent_menu = m.addMenu("Recent &databases")
        m.addSeparator()
        m.addActions([A["import"], A["import_folder"], A["import_events"]])
        m.addSeparator()
        m.addActions([A["export"], A["export_events"]])
        m.addSeparator()
        m.addAction(A["quit"])
        m = self.menuBar().addMenu("&Edit")
        m.addActions([A["undo"], A["redo"]])
        m.addSeparator()
        m.addActions([A["confirm"], A["reject"], A["edit"], A["merge"]])
        m.addSeparator()
        m.addActions([A["add"]])
        m.addSeparator()
        m.addActions([A["find"], A["clear_filters"]])
        m = self.menuBar().addMenu("&View")
        m.addActions([A["zoom_in"], A["zoom_out"], A["fit"]])
        m.addSeparator()
        m.addActions([A["prev"], A["next"]])
        m.addSeparator()
        m.addAction(A["show_rejected"])
        m.addSeparator()
        panels = m.addMenu("&Panels")
        for dock in self.docks.values():
            panels.addAction(dock.toggleViewAction())
        m = self.menuBar().addMenu("&Help")
        m.addAction(A["about"])
        self._rebuild_recent_menu()

    def _connect_state(self) -> None:
        # Another program (the CLI, a second window) may write to the same file: SQLite's data_version moves
        # when another connection commits, and the window then shows the new events without a restart.
        self._data_version: int | None = None
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(2000)
        self.watch_timer.timeout.connect(self.check_external_changes)
        self.watch_timer.start()
        self.state.filterChanged.connect(self._filter_changed)
        self.state.selectionChanged.connect(self._selection_changed)
        self.state.dataChanged.connect(self._data_changed)
        self.undo_stack.cleanChanged.connect(lambda *_: self._update_actions())
        self.undo_stack.indexChanged.connect(lambda *_: self._update_actions())

    # ------------------------------------------------------------------------------------------------
    # database
    # ------------------------------------------------------------------------------------------------
    def open_database(self, path: Path | str) -> bool:
        """Open ``path`` (created when missing). On failure: a message, and the current database stays."""
        path = Path(path).expanduser()
        if self.ingest_handle is not None:
            QMessageBox.information(self, "Open database", "Please wait for the import to finish (or cancel it) "
                                    "before switching databases.")
            return False
        try:
            store = Store(path)
        except StoreError as exc:
            QMessageBox.warning(self, "Cannot open database", str(exc))
            self.statusBar().showMessage(f"Kept {self.db_path.name if self.db_path else 'no database'}", 5000)
            return False
        except Exception as exc:  # noqa: BLE001 - e.g. a permissions problem sqlite reports oddly
            QMessageBox.warning(self, "Cannot open database", f"{path}: {exc}")
            return False
        self._close_store()
        self.store, self.db_path = store, path
        self._data_version = None
        self.undo_stack.clear()
        self.overview = None
        self._base_timeline = None
        self.timeline_data = None
        self._documents = None
        self._fit_pending = True
        self.state.set_selection((), self)
        self.state.set_document(None, self)
        self.document_panel.clear()
        self.setWindowTitle(f"{path.name} — Partnership Explorer")
        self.setWindowFilePath(str(path))
        self._remember_database(path)
        self.reload()
        self._update_actions()
        if store.notes:  # what opening repaired (an interrupted bulk job), said once
            self.statusBar().showMessage(" ".join(store.notes), 15000)
        return True

    def check_external_changes(self) -> bool:
        """Reload when the database was changed by another connection; True when it was."""
        if self.store is None or self.importing():
            return False
        try:
            version = self.store.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return False
        previous, self._data_version = self._data_version, version
        if previous is None or version == previous:
            return False
        self.statusBar().showMessage("The database was changed by another program: showing its new state", 8000)
        self.state.notify_data_changed(None)
        return True

    def _close_store(self) -> None:
        if self.store is not None:
            self.runner.shutdown(3000)
            self.store.close()
            self.store = None

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
        return self.store is None or self.store.counts()["documents"] == 0

    # ------------------------------------------------------------------------------------------------
    # loading (worker) and applying (GUI thread)
    # ------------------------------------------------------------------------------------------------
    def reload(self, *, data_changed: bool = False) -> None:
        """Timeline first (or, when only the sector selection changed, straight from the loaded rows without
        SQL), then the facets and the first page of the event list, then — on open or a data change — the
        documents; each part is applied as soon as it is ready."""
        if self.db_path is None:
            return
        flt = self.state.filter
        base = flt.replace(sectors=())
        if data_changed:
            views.invalidate(self.db_path)
            self._base_timeline = None
        if self._base_timeline is not None and self._base_timeline[0] == base:
            self._timeline_pending = False
            self._apply_timeline_for(flt)
        else:
            handle = self.runner.submit(
                "timeline", lambda store, task: (base, load_timeline(store, base)) if load_timeline else (base, None),
                self.db_path)
            handle.finished.connect(self._apply_timeline)
            handle.failed.connect(self._load_failed)
            self._timeline_pending = True
        handle = self.runner.submit("load", lambda store, task: views.facets(store, flt), self.db_path)
        handle.finished.connect(self._apply_overview)
        handle.failed.connect(self._load_failed)
        self._load_pending = True
        if data_changed or self._documents is None:
            self._documents_pending = True
            if not self._timeline_pending:
                self._load_documents()

    def _load_documents(self) -> None:
        """The article list (independent of the filter): read after the timeline, which matters first."""
        if self.db_path is not None:
            handle = self.runner.submit("documents", lambda store, task: views.cached(
                store, "documents", lambda: views.documents(store)), self.db_path)
            handle.finished.connect(self._apply_documents)
            handle.failed.connect(self._load_failed)
            self._documents_pending = True

    def _load_failed(self, msg: str) -> None:
        self._load_pending = self._timeline_pending = self._documents_pending = False
        self.statusBar().showMessage(f"Could not load events: {msg}", 10000)

    def loading(self) -> bool:
        """The timeline or the filtered panels are still on their way (the article list, which does not depend
        on the filter, follows on its own: see :meth:`documents_loading`)."""
        return self._load_pending or self._timeline_pending

    def documents_loading(self) -> bool:
        return self._documents_pending

    def _apply_timeline(self, result) -> None:
        base, data = result
        if base != self.state.filter.replace(sectors=()):
            return  # a newer filter is on its way
        self._base_timeline = (base, data)
        self._timeline_pending = False
        if self._documents_pending:
            self._load_documents()
        self._apply_timeline_for(self.state.filter)
        self._maybe_loaded()

    def _apply_timeline_for(self, flt: EventFilter) -> None:
        if self._base_timeline is None or self._base_timeline[1] is None:
            return
        from ..core.timeline import select_lanes

        data = select_lanes(self._base_timeline[1], flt.sectors)
        self.timeline_data = data
        if self.overview is not None:
            self.overview["timeline"] = data
        self.timeline.set_data(data)
        if self.overview is not None and self.overview["filter"] != flt \
                and self.overview["filter"].replace(sectors=()) == flt.replace(sectors=()):
            # a sector toggle: the timeline already knows how many events the new selection holds; the
            # panels' worker confirms it (and fills the lists) when it is done
            self.count_label.setText(_count_text(data.total_events, self.overview["total"]))
        if self._fit_pending:
            self.timeline.fit_all()
            self._fit_pending = False
        self._update_actions()

    def _apply_documents(self, rows) -> None:
        self._documents = rows
        self._documents_pending = False
        if self.overview is not None:
            self.overview["documents"] = rows
        self.document_panel.set_documents(rows)

    def _maybe_loaded(self) -> None:
        if not self.loading() and self.overview is not None:
            self.loaded.emit()

    def _apply_overview(self, result: dict) -> None:
        if result["filter"] != self.state.filter:
            return  # a newer filter is on its way
        self._load_pending = False
        result["documents"] = self._documents
        result["timeline"] = self.timeline_data if (
            self._base_timeline is not None and self._base_timeline[0] == result["filter"].replace(sectors=())) else None
        self.overview = result
        self.sector_panel.set_counts(result["sectors"])
        self.entity_panel.set_entities(result["entities"])
        flt = result["filter"]
        self.event_list.set_events(result["events"], total=result["shown"],
                                   fetch=lambda offset: self._more_events(flt, offset))
        self.count_label.setText(self.count_text())
        described = self.state.filter.describe()
        self.count_label.setToolTip(f"Filter: {described}")
        self._refresh_selection()
        self._update_actions()
        self._maybe_loaded()

    def _more_events(self, flt: EventFilter, offset: int) -> list[dict]:
        """The next page of the event list (GUI thread: one indexed range read)."""
        if self.store is None or flt != self.state.filter:
            return []
        from ..core.query import list_events

        rows = list_events(self.store, flt, with_details=False, limit=views.EVENT_PAGE, offset=offset)
        if self.overview is not None and self.overview.get("filter") == flt:
            self.overview["events"] = self.overview["events"] + rows
        return rows

    def count_text(self) -> str:
        if not self.overview:
            return "No events"
        return _count_text(self.overview["shown"], self.overview["total"])

    def _filter_changed(self, flt: EventFilter, origin) -> None:
        was = self.actions["show_rejected"].blockSignals(True)
        self.actions["show_rejected"].setChecked(flt.show_rejected)
        self.actions["show_rejected"].blockSignals(was)
        self.reload()

    def _data_changed(self, changes) -> None:
        self.reload(data_changed=True)
        self.document_panel.refresh()
        self._show_selected()

    def clear_filters(self) -> None:
        self.state.set_filter(EventFilter(show_rejected=self.state.filter.show_rejected), self)

    def _toggle_rejected(self, on: bool) -> None:
        self.state.update_filter(self, show_rejected=bool(on))

    # ------------------------------------------------------------------------------------------------
    # selection
    # ------------------------------------------------------------------------------------------------
    def _selection_changed(self, ids, origin) -> None:
        self._show_selected()
        self._update_actions()

    def selected_detail(self) -> dict | None:
        event_id = self.state.selected_event
        if event_id is None or self.store is None:
            return None
        return views.event_detail(self.store, event_id)

    def _show_selected(self) -> None:
        detail = self.selected_detail()
        if detail is not None and detail["status"] == "merged":
            survivor = self.store.resolve_merged(detail["id"])
            self.state.set_selection([survivor], self)
            return
        self.details.show_event(detail)
        self.document_panel.show_event(detail)
        self.entity_panel.set_highlighted([e["name"] for e in detail["entities"]] if detail else [])
        self._update_actions()

    def _refresh_selection(self) -> None:
        """After a reload: the details may have changed (status, title) even if the selection did not."""
        if self.state.selected_event is not None:
            detail = self.selected_detail()
            self.details.show_event(detail)
            self.entity_panel.set_highlighted([e["name"] for e in detail["entities"]] if detail else [])

    def event_ids(self) -> list[int]:
        return [e["id"] for e in self.overview["events"]] if self.overview else []

    def step_event(self, step: int) -> None:
        """Next/previous event in time order among the filtered events."""
        ids = self.event_ids()
        target = views.step_in(ids, self.state.selected_event, step)
        if target is None:
            self.statusBar().showMessage("No more events that way", 2000)
            return
        self.state.set_selection([target], self)

    # ------------------------------------------------------------------------------------------------
    # curation (undoable)
    # ------------------------------------------------------------------------------------------------
    def push_curation(self, text: str, op, event_ids=()) -> CurationCommand | None:
        if self.store is None:
            return None
        command = CurationCommand(text, lambda: self.store, op, event_ids, notify=self.state.notify_data_changed)
        self.undo_stack.push(command)
        if command.error:
            QMessageBox.warning(self, text, command.error[:1].upper() + command.error[1:])
            return None
        self.statusBar().showMessage(text, 3000)
        return command

    def _set_status_of_selection(self, status: str) -> None:
        ids = list(self.state.selection)
        if not ids:
            return
        verb = {"confirmed": "Confirm", "rejected": "Reject"}[status]
        if len(ids) > 1:
            self.undo_stack.beginMacro(f"{verb} {len(ids)} events")
        for event_id in ids:
            title = self._title_of(event_id)
            self.push_curation(f"{verb} “{title}”", lambda s, i=event_id: curation.set_status(s, i, status), [event_id])
        if len(ids) > 1:
            self.undo_stack.endMacro()

    def confirm_selected(self) -> None:
        self._set_status_of_selection("confirmed")

    def reject_selected(self) -> None:
        self._set_status_of_selection("rejected")

    def _title_of(self, event_id: int) -> str:
        event = self.store.event(event_id) if self.store else None
        title = event["title"] if event else f"event {event_id}"
        return title if len(title) <= 40 else title[:39] + "…"

    def edit_selected(self) -> None:
        detail = self.selected_detail()
        if detail is None:
            return
        dialog = EventEditDialog(self, sectors=views.sectors(self.store), kinds=views.kinds(), event=detail)
        if dialog.exec():
            self.edit_event(detail["id"], dialog.values())

    def edit_event(self, event_id: int, values: dict) -> CurationCommand | None:
        """Apply what the Edit dialog collected (title, date, precision, end, kind, sectors, entities)."""
        return self.push_curation(f"Edit “{self._title_of(event_id)}”",
                                  lambda s: curation.edit(s, event_id, **values), [event_id])

    def add_event(self) -> None:
        if self.store is None:
            return
        dialog = EventEditDialog(self, sectors=views.sectors(self.store), kinds=views.kinds())
        if dialog.exec():
            self.add_manual_event(dialog.values())

    def add_manual_event(self, values: dict) -> int | None:
        command = self.push_curation(f"Add “{values['title'][:40]}”",
                                     lambda s: curation.add_manual_event(s, **values))
        if command is None or not command.created_ids:
            return None
        new_id = command.created_ids[0]
        self.state.set_selection([new_id], self)
        return new_id

    def merge_selected(self) -> None:
        ids = list(self.state.selection)
        if not ids or self.store is None:
            return
        first = self.store.event(ids[0])
        if len(ids) >= 2:
            other = self.store.event(ids[1])
            box = QMessageBox(QMessageBox.Icon.Question, "Merge events",
                              f"Merge these two events into one?\n\n• {first['date']}  {first['title']}\n"
                              f"• {other['date']}  {other['title']}\n\nThe first keeps its title and date; "
                              "sources, sectors and entities are combined.", parent=self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
            box.button(QMessageBox.StandardButton.Ok).setText("Merge")
            if box.exec() != QMessageBox.StandardButton.Ok:
                return
            self.merge_events(ids[0], ids[1])
            return
        candidates = self.overview["events"] if self.overview else []
        dialog = MergeDialog(self, first, candidates)
        if dialog.exec():
            pair = dialog.keep_and_absorb()
            if pair:
                self.merge_events(*pair)

    def merge_events(self, keep_id: int, absorb_id: int) -> CurationCommand | None:
        command = self.push_curation(f"Merge “{self._title_of(absorb_id)}” into “{self._title_of(keep_id)}”",
                                     lambda s: curation.merge(s, keep_id, absorb_id), [keep_id, absorb_id])
        if command is not None:
            self.state.set_selection([keep_id], self)
        return command

    # ------------------------------------------------------------------------------------------------
    # import (worker with progress)
    # ------------------------------------------------------------------------------------------------
    def choose_import_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Import documents", self._last_dir("import"), DOC_FILTER)
        if names:
            self.settings.setValue("paths/import", str(Path(names[0]).parent))
            self.import_paths([Path(n) for n in names])

    def choose_import_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Import a folder of articles", self._last_dir("import"))
        if name:
            self.settings.setValue("paths/import", name)
            self.import_paths([Path(name)])

    # events in and out (TimelineJS, CSV) -----------------------------------------------------------
    def choose_import_events(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import events", self._last_dir("events"),
                                              "Timelines (*.json *.csv);;TimelineJS JSON (*.json);;CSV (*.csv)")
        if name:
            self.settings.setValue("paths/events", str(Path(name).parent))
            self.import_events_file(Path(name))

    def import_events_file(self, path: Path):
        """Import a TimelineJS/CSV file in the background; the file is checked whole before anything is written."""
        if self.db_path is None:
            return None
        from ..core.interchange import import_events

        handle = self.ingest_runner.submit("events-import", lambda store, task: import_events(store, path),
                                           self.db_path)
        self.statusBar().showMessage(f"Importing events from {path.name}…")

        def done(report) -> None:
            self.state.notify_data_changed(None)
            self.statusBar().showMessage(f"Imported events: {report.summary()}", 15000)
            self.eventsImported.emit(report)

        handle.finished.connect(done)
        handle.failed.connect(lambda message: self._show_error("Import events", message))
        return handle

    def choose_export_events(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(
            self, "Export events", str(Path(self._last_dir("events")) / "timeline.json"),
            "TimelineJS JSON (*.json);;CSV (*.csv);;Partnership Explorer JSON (*.json)")
        if name:
            self.settings.setValue("paths/events", str(Path(name).parent))
            fmt = "csv" if name.lower().endswith(".csv") else ("json" if chosen.startswith("Partnership") else
                                                                 "timelinejs")
            self.export_events_file(Path(name), fmt)

    def export_events_file(self, path: Path, fmt: str):
        """Write what the filters show, in a worker; errors as a dialog."""
        if self.db_path is None:
            return None
        from ..core.interchange import dump_events

        flt = self.state.filter
        handle = self.runner.submit("events-export", lambda store, task: dump_events(store, flt, fmt, path),
                                    self.db_path)
        handle.finished.connect(
            lambda count: self.statusBar().showMessage(f"Exported {count} events to {path.name}", 15000))
        handle.failed.connect(lambda message: self._show_error("Export events", message))
        return handle

    def _show_error(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
        self._error_box = box
        self.statusBar().showMessage(message, 15000)

    def _last_dir(self, key: str) -> str:
        return str(self.settings.value(f"paths/{key}", str(Path.home())))

    def importing(self) -> bool:
        return self.ingest_handle is not None

    def import_paths(self, paths: list[Path], *, dialog: bool = False) -> bool:
        """Ingest files/folders in the background. ``dialog``: a progress dialog (first launch) instead of the
        status bar. Returns False when an import is already running or there is no database."""
        if self.db_path is None:
            return False
        if self.ingest_handle is not None:
            self.statusBar().showMessage("An import is already running", 4000)
            return False
        from ..core.ingest import ingest_paths

        paths = [Path(p) for p in paths]
        handle = self.ingest_runner.submit(
            "ingest", lambda store, task: ingest_paths(store, paths, progress=task.report, cancelled=task.cancelled),
            self.db_path)
        self.ingest_handle = handle
        self.progress.setRange(0, 0)
        self.progress.setFormat("Importing…")
        self.progress.show()
        self.progress_cancel.show()
        self.progress_dialog = None
        if dialog:
            pd = QProgressDialog("Building the database from the bundled articles…", "Cancel", 0, 0, self)
            pd.setWindowTitle("Partnership Explorer")
            pd.setMinimumDuration(0)
            # Not modal: a modal QProgressDialog runs the event loop inside setValue(), where the finished
            # import could delete the dialog under the caller's feet.
            pd.setWindowModality(Qt.WindowModality.NonModal)
            pd.canceled.connect(self.cancel_import)
            pd.show()
            self.progress_dialog = pd
        handle.progress.connect(self._import_progress)
        handle.finished.connect(self._import_finished)
        handle.failed.connect(self._import_failed)
        return True

    def cancel_import(self) -> None:
        if self.ingest_handle is not None:
            self.ingest_handle.cancel()
            self.progress.setFormat("Cancelling…")

    def _import_progress(self, done: int, total: int, name: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"%v/%m {name}" if name else "%v/%m")
        self.progress.setToolTip(name)
        if self.progress_dialog is not None:
            self.progress_dialog.setRange(0, max(total, 1))
            self.progress_dialog.setValue(done)
            if name:
                self.progress_dialog.setLabelText(f"Reading {name}…")
        # every finished article is in the database already: show it
        if done and done < total and not self.runner.busy():
            self.reload(data_changed=True)

    def _import_done(self) -> None:
        self.ingest_handle = None
        self.progress.hide()
        self.progress_cancel.hide()
        if self.progress_dialog is not None:
            self.progress_dialog.reset()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _import_finished(self, report) -> None:
        self._import_done()
        self._fit_pending = self._fit_pending or not self.event_ids()
        self.state.notify_data_changed(None)
        summary = (f"Imported: {report.new} new, {report.unchanged} unchanged, {len(report.failed)} failed"
                   + (f", {report.updated} updated" if report.updated else "")
                   + f" · {report.events_created} new events"
                   + (" (cancelled)" if report.cancelled else ""))
        self.statusBar().showMessage(summary, 15000)
        self.last_import_summary = summary
        if report.failed:
            box = QMessageBox(QMessageBox.Icon.Warning, "Import", summary, parent=self)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setInformativeText(f"{len(report.failed)} file(s) could not be read; see the details.")
            box.setDetailedText("\n".join(f"{Path(p).name}: {msg}" for p, msg in report.failed))
            box.setModal(True)
            box.open()
            self._import_box = box
        self.ingestFinished.emit(report)

    def _import_failed(self, message: str) -> None:
        self._import_done()
        QMessageBox.warning(self, "Import failed", message)

    # drag and drop -----------------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # ------------------------------------------------------------------------------------------------
    # export
    # ------------------------------------------------------------------------------------------------
    def choose_export(self) -> None:
        if not self.overview or self.overview.get("timeline") is None:
            QMessageBox.information(self, "Export image", "There is no timeline to export yet.")
            return
        default = Path(str(self.settings.value("paths/export", str(Path.home())))) / "timeline.png"
        dialog = ExportDialog(self, default_path=default, has_view=self.state.visible_range is not None)
        if dialog.exec():
            values = dialog.values()
            self.settings.setValue("paths/export", str(values["path"].parent))
            self.statusBar().showMessage(f"Exporting {values['path'].name}…")
            QTimer.singleShot(0, lambda: self.export(**values))   # after the dialog has closed

    def export(self, path: Path, *, width: int = 1600, height: int = 900, dpi: int = 150, title: str | None = None,
               current_view: bool = True) -> Path | None:
        """Render the filtered timeline to ``path`` (PNG/SVG/PDF by suffix); errors become a message box.

        The renderer is an offscreen TimelineWidget, and widgets exist only on the GUI thread, so this runs here
        (a picture takes a fraction of a second; the data it draws was loaded in the background already)."""
        try:
            from .export import ExportError, export_image
        except ImportError:
            QMessageBox.warning(self, "Export image", "Exporting images is not available in this build.")
            return None
        data = self.overview["timeline"] if self.overview else None
        if data is None:
            QMessageBox.information(self, "Export image", "There is no timeline to export yet.")
            return None
        x_range = self.state.visible_range if current_view else None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = export_image(data, Path(path), width=width, height=height, dpi=dpi, title=title, x_range=x_range)
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
            self.statusBar().clearMessage()
            QMessageBox.warning(self, "Export image", message)
            return None
        self.statusBar().showMessage(f"Saved {result}", 8000)
        return Path(result)

    # ------------------------------------------------------------------------------------------------
    # about, actions, settings
    # ------------------------------------------------------------------------------------------------
    def show_about(self) -> None:
        lines = "".join(f"<tr><td>{k}</td><td>&nbsp;{v}</td></tr>" for k, v in qt_versions().items())
        QMessageBox.about(
            self, "About Partnership Explorer",
            "<h3>Partnership Explorer</h3><p>Dated, sourced events from press articles about a partnership "
            f"between two countries.</p><table>{lines}</table>"
            f"<p>Database: {html.escape(str(self.db_path)) if self.db_path else 'none'}</p>",
        )

    def _update_actions(self) -> None:
        has_db = self.store is not None
        selected = self.state.selected_event is not None
        for key in ("confirm", "reject", "edit", "merge"):
            self.actions[key].setEnabled(has_db and selected)
        for key in ("add", "import", "import_folder", "import_events", "export_events"):
            self.actions[key].setEnabled(has_db)
        self.actions["export"].setEnabled(bool(self.overview and self.overview.get("timeline") is not None))

    def _remember_database(self, path: Path) -> None:
        recent = [p for p in self.recent_databases() if Path(p) != path]
        recent.insert(0, str(path))
        self.settings.setValue("db/recent", recent[:MAX_RECENT])
        self.settings.setValue("db/last", str(path))
        self._rebuild_recent_menu()

    def recent_databases(self) -> list[str]:
        value = self.settings.value("db/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _rebuild_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        recent = self.recent_databases()
        for i, p in enumerate(recent, 1):
            action = menu.addAction(f"&{i} {mnemonic_safe(Path(p).name)}  —  {mnemonic_safe(str(Path(p).parent))}")
            action.setToolTip(p)
            action.triggered.connect(lambda _=False, p=p: self.open_database(Path(p)))
        if not recent:
            menu.addAction("(none)").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear list", lambda: (self.settings.setValue("db/recent", []), self._rebuild_recent_menu()))

    def restore_settings(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        for key, splitter in (("window/splitter", self.splitter), ("window/documentSplitter", self.document_panel.splitter)):
            value = s.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                splitter.restoreState(value)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/documentSplitter", self.document_panel.splitter.saveState())
        if self.db_path is not None:
            s.setValue("db/last", str(self.db_path))
        s.sync()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.save_settings()
        if self.ingest_handle is not None:
            self.ingest_handle.cancel()
        self.ingest_runner.shutdown(15000)
        self.runner.shutdown(5000)
        if self.store is not None:
            self.store.close()
            self.store = None
        super().closeEvent(event)


__all__ = ["MainWindow", "qt_versions"]
