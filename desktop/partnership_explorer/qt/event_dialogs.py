"""Dialogs for curation: edit or add an event, and pick the event to merge with.

The dialogs only collect values and check them with the same rules as core.curation (a date it can parse, an end
not before the start, a title); :mod:`.curation_actions` turns the result into an undoable write.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QRadioButton, QVBoxLayout,
                               QWidget)

from ..core.curation import CurationError, period
from ..core.periods import STORED_PRECISIONS, date_forms, typed_precision
from ..core.query import FilterError
from .sector_panel import swatch

ID_ROLE = Qt.ItemDataRole.UserRole
INVALID_STYLE = "QLineEdit { border: 2px solid #d0312d; border-radius: 3px; }"


def mark_invalid(edit: QLineEdit, message: str | None) -> None:
    """Red border and a tooltip on a line edit holding a value that cannot be used (None clears it)."""
    edit.setStyleSheet(INVALID_STYLE if message else "")
    edit.setToolTip(message or edit.property("normalTip") or "")
    edit.setProperty("invalid", bool(message))


class EventEditDialog(QDialog):
    """Edit an event (``event`` as core.views.event_detail gives it) or add one (``event=None``)."""

    def __init__(self, parent: QWidget | None, *, sectors: list[dict], kinds: list[tuple[str, str]],
                 event: dict | None = None):
        super().__init__(parent)
        self.setWindowTitle("Edit event" if event else "Add event")
        self.setMinimumWidth(480)
        self.title = QLineEdit(self)
        self.date = QLineEdit(self)
        self.date.setPlaceholderText(date_forms())
        self.date.setProperty("normalTip", "The date, as precise as you know it: 2022, 2022-12, 2022-12-05, or a "
                                           "week as 2025-W16 (or any of its days with the precision Week)")
        self.precision = QComboBox(self)
        for key in STORED_PRECISIONS:
            self.precision.addItem(key.capitalize(), key)
        self.end = QLineEdit(self)
        self.end.setPlaceholderText("optional: last day of a period")
        self.end.setProperty("normalTip", "For an event that lasts: its last day, month or year")
        self.kind = QComboBox(self)
        for key, label in kinds:
            self.kind.addItem(label, key)
        self.sectors = QListWidget(self)
        self.sectors.setObjectName("sectorChecklist")
        for s in sectors:
            item = QListWidgetItem(swatch(s["color"]), s["name"])
            item.setData(ID_ROLE, s["key"])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.sectors.addItem(item)
        self.sectors.setMinimumHeight(140)
        self.entities = QPlainTextEdit(self)
        self.entities.setPlaceholderText("One name per line (any known alias works)")
        self.entities.setTabChangesFocus(True)
        self.entities.setMaximumHeight(110)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d0312d;")

        date_row = QHBoxLayout()
        date_row.addWidget(self.date, 2)
        date_row.addWidget(QLabel("precision", self))
        date_row.addWidget(self.precision, 1)
        form = QFormLayout()
        form.addRow("&Title:", self.title)
        date_label = QLabel("&Date:", self)
        date_label.setBuddy(self.date)
        form.addRow(date_label, date_row)
        form.addRow("&Until:", self.end)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Sectors:", self.sectors)
        form.addRow("&Entities:", self.entities)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        if event:
            self.title.setText(event["title"])
            self.date.setText(event["date"])
            self.precision.setCurrentIndex(max(0, self.precision.findData(event["precision"])))
            if event.get("is_range"):
                self.end.setText(event["end"])
            i = self.kind.findData(event["kind"])
            if i < 0:
                self.kind.addItem(event["kind"], event["kind"])
                i = self.kind.count() - 1
            self.kind.setCurrentIndex(i)
            keys = {s["key"] for s in event["sectors"]}
            for i in range(self.sectors.count()):
                item = self.sectors.item(i)
                if item.data(ID_ROLE) in keys:
                    item.setCheckState(Qt.CheckState.Checked)
            self.entities.setPlainText("\n".join(e["name"] for e in event["entities"]))
        else:
            self.precision.setCurrentIndex(0)
        self.date.textEdited.connect(self._date_typed)
        self.date.textChanged.connect(lambda _: self.validate())
        self.end.textChanged.connect(lambda _: self.validate())
        self.title.textChanged.connect(lambda _: self.validate())
        self.validate()

    def _date_typed(self, text: str) -> None:
        self.precision.setCurrentIndex(max(0, self.precision.findData(typed_precision(text))))

    def values(self) -> dict:
        return {
            "title": self.title.text().strip(),
            "date": self.date.text().strip(),
            "precision": self.precision.currentData(),
            "end": self.end.text().strip() or None,
            "kind": self.kind.currentData(),
            "sectors": [self.sectors.item(i).data(ID_ROLE) for i in range(self.sectors.count())
                        if self.sectors.item(i).checkState() == Qt.CheckState.Checked],
            "entities": [line.strip() for line in self.entities.toPlainText().splitlines() if line.strip()],
        }

    def validate(self) -> bool:
        v = self.values()
        message = None
        mark_invalid(self.date, None)
        mark_invalid(self.end, None)
        if not v["title"]:
            message = "A title is needed."
        try:
            period(v["date"], v["precision"], v["end"])
        except (CurationError, FilterError, ValueError) as exc:
            text = str(exc)
            target = self.end if v["end"] and (v["end"] in text or "end" in text) else self.date
            mark_invalid(target, text)
            message = message or (text[0].upper() + text[1:] if text else "Invalid date")
        self.error.setText(message or "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(message is None)
        return message is None

    def accept(self) -> None:
        if self.validate():
            super().accept()


class MergeDialog(QDialog):
    """Choose the event to fold into the selected one (or the other way round)."""

    def __init__(self, parent: QWidget | None, first: dict, candidates: list[dict]):
        super().__init__(parent)
        self.setWindowTitle("Merge events")
        self.setMinimumSize(560, 420)
        self.first = first
        intro = QLabel(f"Merge “{first['title']}” ({first['date']}) with:", self)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Filter events…")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("mergeCandidates")
        for e in candidates:
            if e["id"] == first["id"]:
                continue
            item = QListWidgetItem(f"{e['date']}  ·  {e['title']}  ({e['kind']}, {e['status']})")
            item.setData(ID_ROLE, e["id"])
            self.list.addItem(item)
        self.keep_first = QRadioButton("keep the selected event's title and date", self)
        self.keep_other = QRadioButton("keep the other event's title and date", self)
        self.keep_first.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.keep_first)
        group.addButton(self.keep_other)
        note = QLabel("Sources, sectors and entities of both are combined; the other one disappears from the "
                      "timeline. Undo (Ctrl+Z) separates them again.", self)
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.keep_first)
        layout.addWidget(self.keep_other)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.search.textChanged.connect(self._filter)
        self.list.currentItemChanged.connect(lambda *_: self._update_ok())
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        self._update_ok()

    def _filter(self, text: str) -> None:
        needle = text.casefold().strip()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.list.currentItem() is not None)

    def other_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item else None

    def keep_and_absorb(self) -> tuple[int, int] | None:
        other = self.other_id()
        if other is None:
            return None
        return (self.first["id"], other) if self.keep_first.isChecked() else (other, self.first["id"])
