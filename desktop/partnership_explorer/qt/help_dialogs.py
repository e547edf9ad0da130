"""Help → Keyboard shortcuts (every shortcut of the window and the timeline's keys and gestures, in one table) and
View → Go to date… (a year, month, week, day or range typed in a box; the view shows it centred)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QLineEdit,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..core.periods import PeriodError
from ..core.view_fit import go_to_range

# the timeline's own keys and gestures (qt/timeline.py), which are not menu actions
TIMELINE_KEYS = (
    ("Zoom in / out", "+  /  −  or the mouse wheel"),
    ("Pan earlier / later", "←  /  →  or drag"),
    ("Fit every filtered event", "0"),
    ("Jump to the start / end", "Home  /  End"),
    ("Zoom to a box", "right-drag or Shift+drag"),
    ("Select an event", "click it; Ctrl+↑ / Ctrl+↓ step through events"),
)


def shortcut_rows(actions: Mapping[str, QAction]) -> list[tuple[str, str]]:
    """(what, keys) for every action with a shortcut, in the menus' order, then the timeline's keys."""
    rows = []
    for action in actions.values():
        keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
        keys = [k for k in keys if k]
        if keys:
            rows.append((action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip(),
                         ", ".join(keys)))
    return rows + list(TIMELINE_KEYS)


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None, actions: Mapping[str, QAction]):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for i, (what, keys) in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(what))
            self.table.setItem(i, 1, QTableWidgetItem(keys))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, min(720, 90 + 30 * len(rows)))

    def rows(self) -> list[tuple[str, str]]:
        return [(self.table.item(i, 0).text(), self.table.item(i, 1).text()) for i in range(self.table.rowCount())]


class GoToDateDialog(QDialog):
    """A date box: ``2022``, ``2022-12``, ``2022-W50``, ``2022-12-15`` or a range ``2017 – 2025``; Go shows it."""

    def __init__(self, parent: QWidget | None, go: Callable[[float, float], None], last: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Go to date")
        self._go = go
        self.text = QLineEdit(last, self)
        self.text.setPlaceholderText("YYYY, YYYY-MM, YYYY-MM-DD or a range: 2017 – 2025")
        self.text.selectAll()
        self.error = QLabel(self)
        self.error.setObjectName("goToError")
        self.error.setWordWrap(True)
        prompt = QLabel("&Date or range:", self)
        prompt.setBuddy(self.text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Go")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.text)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(lambda _: self.error.clear())
        self.setMinimumWidth(380)

    def accept(self) -> None:
        try:
            x0, x1 = go_to_range(self.text.text())
        except PeriodError as exc:
            self.error.setText(str(exc))
            return
        self._go(x0, x1)
        super().accept()
