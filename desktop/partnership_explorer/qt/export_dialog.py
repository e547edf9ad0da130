"""Export image dialog: file (format from its extension), what to show, physical size and resolution, a title, a
provenance caption, and a sidecar to re-render the figure.

The size is physical (px of 1/96 inch, mm, cm or in) and the resolution only makes the picture sharper
(:mod:`..core.figure`); the dialog says what comes out ("2500 × 1406 pixels" for a PNG, the page size for SVG
and PDF). It opens with the settings of the last export (:meth:`~.settings.WindowSettings.export_settings`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox,
                               QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton,
                               QSpinBox, QVBoxLayout, QWidget)

from ..core.figure import UNIT_NAMES, ExportSize, SizeError, convert, describe_inches
from .event_dialogs import mark_invalid

FORMATS = {".png": "PNG image", ".svg": "SVG drawing", ".pdf": "PDF document"}
FILE_FILTER = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
DEFAULTS = {"format": ".png", "width": 1600.0, "height": 900.0, "unit": "px", "dpi": 150, "title": "",
            "titled": True, "current_view": True, "caption": False, "sidecar": True}
_DECIMALS = {"px": 0, "mm": 0, "cm": 1, "in": 2}


class ExportDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, default_path: Path, has_view: bool = True,
                 remembered: dict | None = None, automatic_title: str = "", view_span: str = "",
                 whole_span: str = "", date_filtered: bool = False):
        super().__init__(parent)
        last = {**DEFAULTS, **(remembered or {})}
        self.setWindowTitle("Export image")
        self.setMinimumWidth(500)
        self.path = QLineEdit(str(default_path), self)
        self.path.setProperty("normalTip", "The format follows the extension: .png, .svg or .pdf")
        self.path.setToolTip(self.path.property("normalTip"))
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.format_label = QLabel(self)
        # what each choice shows, in dates: the whole filtered range is the date filter's period when there is one
        self.current_view = QRadioButton("the current view" + (f" ({view_span})" if view_span else ""), self)
        whole = "the filtered period" if date_filtered else "the whole filtered range"
        self.whole_range = QRadioButton(whole + (f" ({whole_span})" if whole_span else ""), self)
        self.whole_range.setToolTip("The period of the date filter, from its first day to its last"
                                    if date_filtered else "From the first filtered event to the last")
        group = QButtonGroup(self)
        group.addButton(self.current_view)
        group.addButton(self.whole_range)
        (self.current_view if has_view and last["current_view"] else self.whole_range).setChecked(True)
        self.current_view.setEnabled(has_view)
        self.unit = QComboBox(self)
        self.unit.addItems(list(UNIT_NAMES))
        self.unit.setToolTip("px are 1/96 inch, the pixels of a 96-dpi screen")
        self.width = QDoubleSpinBox(self)
        self.height = QDoubleSpinBox(self)
        for box in (self.width, self.height):
            box.setRange(0.01, 1_000_000)
        self.dpi = QSpinBox(self)
        self.dpi.setRange(72, 1200)
        self.dpi.setSuffix(" dpi")
        self.dpi.setToolTip("Resolution: the same picture, sharper")
        unit = last["unit"] if last["unit"] in UNIT_NAMES else "px"
        self._unit = unit
        self.unit.setCurrentText(unit)
        self._set_decimals(unit)
        self.width.setValue(float(last["width"]))
        self.height.setValue(float(last["height"]))
        self.dpi.setValue(int(last["dpi"]))
        size = QHBoxLayout()
        size.addWidget(self.width)
        size.addWidget(QLabel("×", self))
        size.addWidget(self.height)
        size.addWidget(self.unit)
        size.addSpacing(12)
        size.addWidget(QLabel("at", self))
        size.addWidget(self.dpi)
        size.addStretch(1)
        self.output_label = QLabel(self)
        self.titled = QCheckBox("&Title:", self)
        self.titled.setChecked(bool(last["titled"]))
        self.title = QLineEdit(str(last["title"] or ""), self)
        self.automatic_title = automatic_title
        self.title.setPlaceholderText(automatic_title or "a title above the timeline")
        self.title.setToolTip("Leave empty for the automatic title")
        self.titled.toggled.connect(self.title.setEnabled)
        self.title.setEnabled(self.titled.isChecked())
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
        form.addRow("", self.output_label)
        form.addRow(self.titled, self.title)
        self.caption = QCheckBox("&Caption: a line under the figure saying where it comes from", self)
        self.caption.setToolTip("Articles and events shown, filters, date range, and the version and date it was "
                                "made with")
        self.caption.setChecked(bool(last["caption"]))
        self.sidecar = QCheckBox("Write a &sidecar (FILE.pe.json) to re-render this figure later", self)
        self.sidecar.setToolTip("Records the data's fingerprint, filters, range, size and title: "
                                "partnership-explorer export --from FILE.pe.json draws it again")
        self.sidecar.setChecked(bool(last["sidecar"]))
        form.addRow("", self.caption)
        form.addRow("", self.sidecar)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.path.textChanged.connect(lambda _: self.validate())
        self.unit.currentTextChanged.connect(self._change_unit)
        for box in (self.width, self.height, self.dpi):
            box.valueChanged.connect(lambda _: self.validate())
        self.validate()

    def _set_decimals(self, unit: str) -> None:
        for box in (self.width, self.height):
            box.setDecimals(_DECIMALS[unit])

    def _change_unit(self, unit: str) -> None:
        """Keep the physical size when the unit changes (1600 px becomes 423 mm)."""
        old, self._unit = self._unit, unit
        w, h = convert(self.width.value(), old, unit), convert(self.height.value(), old, unit)
        self._set_decimals(unit)
        self.width.setValue(w)
        self.height.setValue(h)
        self.validate()

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export image", self.path.text(), FILE_FILTER)
        if name:
            self.path.setText(name)

    def export_size(self) -> ExportSize:
        """The picture's size, checked (raises SizeError)."""
        unit = self.unit.currentText()
        size = ExportSize.of(f"{self.width.value()}{unit}", f"{self.height.value()}{unit}", self.dpi.value())
        if self.suffix() == ".png":
            size.check_raster()
        return size

    def suffix(self) -> str:
        return Path(self.path.text().strip()).suffix.lower()

    def validate(self) -> bool:
        suffix = self.suffix()
        ok = bool(self.path.text().strip()) and suffix in FORMATS
        self.format_label.setText(FORMATS.get(suffix, "unknown: use .png, .svg or .pdf"))
        mark_invalid(self.path, None if ok else "Use a file name ending in .png, .svg or .pdf")
        try:
            size = self.export_size()
        except SizeError as exc:
            self.output_label.setText(str(exc))
            ok = False
        else:
            page = describe_inches(size.width_in, size.height_in)
            if suffix == ".png":
                dw, dh = size.device_px
                self.output_label.setText(f"{dw} × {dh} pixels, {page} at {size.dpi:g} dpi")
            else:
                self.output_label.setText(f"a page of {page}")
        self.output_label.setProperty("invalid", not ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok

    def accept(self) -> None:
        if self.validate():
            super().accept()

    def title_text(self) -> str | None:
        if not self.titled.isChecked():
            return None
        return self.title.text().strip() or self.automatic_title or None

    def values(self) -> dict:
        """What :meth:`~.file_dialogs.FileActions.export` takes."""
        unit = self.unit.currentText()
        return {"path": Path(self.path.text().strip()).expanduser(), "width": f"{self.width.value()}{unit}",
                "height": f"{self.height.value()}{unit}", "dpi": self.dpi.value(), "title": self.title_text(),
                "current_view": self.current_view.isChecked(), "caption": self.caption.isChecked(),
                "sidecar": self.sidecar.isChecked()}

    def settings(self) -> dict:
        """What the next export dialog opens with."""
        return {"format": self.suffix() if self.suffix() in FORMATS else ".png", "width": self.width.value(),
                "height": self.height.value(), "unit": self.unit.currentText(), "dpi": self.dpi.value(),
                "title": self.title.text().strip(), "titled": self.titled.isChecked(),
                "current_view": self.current_view.isChecked(), "caption": self.caption.isChecked(),
                "sidecar": self.sidecar.isChecked()}
