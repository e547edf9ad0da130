"""The window's actions (menu entries, shortcuts, the event panel's buttons) and its menu bar.

:class:`WindowActions` makes one ``QAction`` per command from a table, bound to the slots the window's parts
provide, and says which are available (:meth:`WindowActions.update`): curation needs a database and a selected
event, imports a database, image export a loaded timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMenu, QMenuBar

SK = QKeySequence.StandardKey

# key, text, shortcut(s), status tip; a slot of the same key is given to WindowActions
ACTIONS = (
    ("open", "&Open database…", SK.Open, "Open another event database"),
    ("new", "&New database…", SK.New, "Create an empty event database"),
    ("import", "&Import documents…", "Ctrl+I", "Add articles (.txt .md .html)"),
    ("import_folder", "Import &folder…", "Ctrl+Shift+I", "Add every article of a folder"),
    ("export", "&Export image…", "Ctrl+E", "Save the timeline as PNG, SVG or PDF"),
    ("import_events", "Import &events…", None, "Add events from a TimelineJS JSON or CSV file"),
    ("export_events", "Export e&vents…", None, "Save the events the filters show as TimelineJS JSON, CSV or JSON"),
    ("quit", "&Quit", SK.Quit, ""),
    ("confirm", "&Confirm", "Ctrl+Return", "Mark the selected event as checked"),
    ("reject", "&Reject", "Ctrl+Backspace", "Mark the selected event as wrong (it stays rejected)"),
    ("edit", "&Edit event…", "F2", "Change title, date, kind, sectors or entities"),
    ("add", "&Add event…", "Ctrl+Shift+N", "Add an event by hand"),
    ("merge", "&Merge…", "Ctrl+M", "Combine two events that are the same happening"),
    ("zoom_in", "Zoom &in", SK.ZoomIn, ""),
    ("zoom_out", "Zoom &out", SK.ZoomOut, ""),
    ("fit", "&Fit all", "Ctrl+0", "Show every filtered event"),
    ("go_to", "&Go to date…", "Ctrl+G", "Show a year, month, day or range of dates"),
    ("hide_empty", "&Hide empty lanes", None, "Leave out the lanes without events (on by default when filtered)"),
    ("next", "&Next event", ("Ctrl+Down", "J"), "Select the next event in time"),
    ("prev", "&Previous event", ("Ctrl+Up", "K"), "Select the previous event in time"),
    ("show_rejected", "Show &rejected events", None, "Show or hide the events you rejected"),
    ("clear_filters", "C&lear filters", "Ctrl+Shift+L", "Show every event"),
    ("find", "&Search", SK.Find, ""),
    ("shortcuts", "&Keyboard shortcuts", "F1", "Every shortcut of the window and the timeline"),
    ("about", "&About Partnership Explorer", None, ""),
)
CHECKABLE = {"show_rejected", "hide_empty"}
CURATION = ("confirm", "reject", "edit", "merge")        # need a selected event
NEEDS_DATABASE = ("add", "import", "import_folder", "import_events", "export_events")

MENUS = (
    ("&File", ("open", "new", "@recent", "-", "import", "import_folder", "import_events", "-", "export",
               "export_events", "-", "quit")),
    ("&Edit", ("undo", "redo", "-", "confirm", "reject", "edit", "merge", "-", "add", "-", "find", "clear_filters")),
    ("&View", ("zoom_in", "zoom_out", "fit", "go_to", "-", "prev", "next", "-", "show_rejected", "hide_empty", "-",
               "@panels")),
    ("&Help", ("shortcuts", "-", "about")),
)


class WindowActions:
    def __init__(self, owner: QObject, undo_stack: QUndoStack, slots: Mapping[str, Callable]):
        self.actions: dict[str, QAction] = {}
        for key, text, shortcut, tip in ACTIONS:
            action = QAction(text, owner)
            action.setObjectName(f"action_{key}")
            if shortcut is not None:
                if isinstance(shortcut, tuple):
                    action.setShortcuts([QKeySequence(s) for s in shortcut])
                else:
                    action.setShortcut(QKeySequence(shortcut))
            if tip:
                action.setStatusTip(tip)
                action.setToolTip(tip)
            action.setCheckable(key in CHECKABLE)
            slot = slots.get(key)
            if slot is not None:
                (action.toggled if key in CHECKABLE else action.triggered).connect(slot)
            self.actions[key] = action
        self.actions["undo"] = undo_stack.createUndoAction(owner, "&Undo")
        self.actions["undo"].setShortcut(QKeySequence(SK.Undo))
        self.actions["redo"] = undo_stack.createRedoAction(owner, "&Redo")
        self.actions["redo"].setShortcuts([QKeySequence(SK.Redo), QKeySequence("Ctrl+Shift+Z")])
        for key in CURATION:
            self.actions[key].setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.actions["edit"].setIconText("Edit…")
        self.actions["merge"].setIconText("Merge…")

    def __getitem__(self, key: str) -> QAction:
        return self.actions[key]

    def build_menus(self, bar: QMenuBar, docks: Mapping[str, QDockWidget]) -> QMenu:
        """The menu bar; returns the (empty) File → Recent databases menu for the settings to fill."""
        recent = None
        for title, entries in MENUS:
            menu = bar.addMenu(title)
            for entry in entries:
                if entry == "-":
                    menu.addSeparator()
                elif entry == "@recent":
                    recent = menu.addMenu("Recent &databases")
                elif entry == "@panels":
                    panels = menu.addMenu("&Panels")
                    for dock in docks.values():
                        panels.addAction(dock.toggleViewAction())
                else:
                    menu.addAction(self.actions[entry])
        return recent

    def update(self, *, has_db: bool, selected: bool, has_timeline: bool) -> None:
        for key in CURATION:
            self.actions[key].setEnabled(has_db and selected)
        for key in NEEDS_DATABASE:
            self.actions[key].setEnabled(has_db)
        self.actions["export"].setEnabled(has_timeline)

    def show_rejected(self, on: bool) -> None:
        """Reflect the filter in View → Show rejected without acting on it."""
        self.reflect("show_rejected", on)

    def reflect(self, key: str, on: bool) -> None:
        """Check or uncheck a checkable action without acting on it."""
        action = self.actions[key]
        was = action.blockSignals(True)
        action.setChecked(on)
        action.blockSignals(was)
