"""Export image dialog: file (format from its extension), what to show, size or resolution, an optional title."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QRadioButton, QSpinBox, QVBoxLayout, QWidget)

from .event_dialogs import mark_invalid

FORMATS = {".png": "PNG image", ".svg": "SVG drawing", ".pdf": "PDF document"}
FILE_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"


class ExportDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, default_path: Path, has_view: bool = True):
        super().__init__(parent)
        self.setWindowTitle("Export image")
        self.setMinimumWidth(460)
        self.path = QLineEdit(str(default_path), self)
        self.path.setProperty("normalTip", "The format follows the extension: .png, .svg or .pdf")
        self.path.setToolTip(self.path.property("normalTip"))
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.format_label = QLabel(self)
        self.current_view = QRadioButton("the current view", self)
        self.whole_range = QRadioButton("the whole filtered range", self)
        group = QButtonGroup(self)
        group.addButton(self.current_view)
        group.addButton(self.whole_range)
        (self.current_view if has_view else self.whole_range).setChecked(True)
        self.current_view.setEnabled(has_view)
        self.width = QSpinBox(self)
        self.width.setRange(200, 20000)
        self.width.setValue(1600)
        self.width.setSuffix(" px")
        self.height = QSpinBox(self)
        self.height.setRange(150, 20000)
        self.height.setValue(900)
        self.height.setSuffix(" px")
        self.dpi = QSpinBox(self)
        self.dpi.setRange(72, 1200)
        self.dpi.setValue(150)
        self.dpi.setSuffix(" dpi")
        size = QHBoxLayout()
        size.addWidget(self.width)
        size.addWidget(QLabel("×", self))
        size.addWidget(self.height)
        size.addSpacing(12)
        size.addWidget(QLabel("at", self))
        size.addWidget(self.dpi)
        size.addStretch(1)
        self.title = QLineEdit(self)
        self.title.setPlaceholderText("optional title above the timeline")
        form = QFormLayout()
        file_label = QLabel("&File:", self)
        file_label.setBuddy(self.path)
        form.addRow(file_label, row)
        form.addRow("Format:", self.format_label)
        what = QVBoxLayout()
        what.addWidget(self.current_view)
        what.addWidget(self.whole_range)
        form.addRow("Show:", what)
        form.addRow("Size:", size)
        form.addRow("&Title:", self.title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.path.textChanged.connect(lambda _: self.validate())
        self.validate()

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export image", self.path.text(), FILE_FILTER)
        if name:
            self.path.setText(name)

    def validate(self) -> bool:
        suffix = Path(self.path.text().strip()).suffix.lower()
        ok = bool(self.path.text().strip()) and suffix in FORMATS
        self.format_label.setText(FORMATS.get(suffix, "unknown: use .png, .svg or .pdf"))
        mark_invalid(self.path, None if ok else "Use a file name ending in .png, .svg or .pdf")
        vector = suffix in (".svg", ".pdf")
        self.dpi.setToolTip("Resolution of the PNG" if not vector else "Resolution used to lay out the page")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok

    def accept(self) -> None:
        if self.validate():
            super().accept()

    def values(self) -> dict:
        return {"path": Path(self.path.text().strip()).expanduser(), "width": self.width.value(),
                "height": self.height.value(), "dpi": self.dpi.value(), "title": self.title.text().strip() or None,
                "current_view": self.current_view.isChecked()}
