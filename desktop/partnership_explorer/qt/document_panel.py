"""Document panel: the article behind the selected event, with the supporting sentence highlighted.

Articles are shown as plain text in a read-only text view filled with ``setPlainText``: nothing in
an article is interpreted as HTML, so it cannot run anything, load images or follow links. The evidence sentence
is an extra selection (a background colour over its ``[start, end)`` characters) scrolled into view.
The view is a :class:`QTextBrowser` with link opening off and resource loading refused, filled with
``setPlainText`` only. An event
with several sources lists them in the "Source" box; the "Document" box opens any article, and the list below
the text shows the events that article supports, in time order.

The panel shows the selected event as published in ``state.view.detail``; it reads the article list, an
article's text and its events in a worker (through the :class:`~.workers.ReadModel`), and after a write reads
again only what the :class:`~..core.changes.Changes` concern (new articles, moved sources, events it lists).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QComboBox, QFormLayout, QLabel, QListWidget, QListWidgetItem, QSplitter,
                               QTextBrowser, QTextEdit, QVBoxLayout, QWidget)

from ..core import views
from ..core.changes import Changes
from ..core.views import DocumentView
from .state import ExplorerState
from .workers import Load, ReadModel

ID_ROLE = Qt.ItemDataRole.UserRole


def qt_offset(text: str, index: int) -> int:
    """Python string index → QTextDocument position (UTF-16 code units; differs after astral characters)."""
    prefix = text[:index]
    return index + sum(1 for c in prefix if ord(c) > 0xFFFF)


def plain_label(parent: QWidget, bold: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)   # titles come from articles: never rich text
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        label.setFont(font)
    return label


class ArticleView(QTextBrowser):
    """Read-only, plain text only: links are not followed and no resource (image, style) is ever loaded."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAcceptRichText(False)
        self.setUndoRedoEnabled(False)
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)

    def loadResource(self, kind, name):
        return None

    def setSource(self, *args, **kwargs):
        return None


class DocumentList(QAbstractListModel):
    """The "Article" box's rows: "—", then every article of the database. A model over the rows read, so that
    showing 50,000 articles costs one reset, not 50,000 items made on the GUI thread; an item's text is made
    when the box shows it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self._row_of: dict[int, int] | None = None      # document id -> row, made when first asked

    def set_rows(self, rows: list[dict]) -> None:
        self.beginResetModel()
        self.rows, self._row_of = list(rows), None
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows) + 1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        i = index.row()
        if not index.isValid() or not 0 <= i <= len(self.rows):
            return None
        r = self.rows[i - 1] if i else None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{r['published'] or 'undated'} · {r['title'] or r['file_name']}" if r else "—"
        if role == ID_ROLE:
            return r["id"] if r else None
        if role == Qt.ItemDataRole.ToolTipRole and r:
            date = r["published"] or "undated"
            return f"{r['title'] or r['file_name']}\n{r['outlet'] or 'unknown outlet'}, {date}: {r['events']} events"
        return None

    def row_of(self, doc_id) -> int:
        """The row of the article ``doc_id`` (0, the "—" row, when it is not listed)."""
        if doc_id is None:
            return 0
        if self._row_of is None:
            self._row_of = {r["id"]: i for i, r in enumerate(self.rows, 1)}
        return self._row_of.get(doc_id, 0)


class DocumentPanel(QWidget):
    def __init__(self, state: ExplorerState, reads: ReadModel | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.reads = reads
        self.source_box = QComboBox(self)
        self.source_box.setToolTip("The articles that support the selected event")
        self.source_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source_box.setMinimumContentsLength(20)
        self.document_box = QComboBox(self)
        self.document_box.setToolTip("Open any article of the database")
        self.document_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.document_box.setMinimumContentsLength(20)
        self.documents = DocumentList(self.document_box)
        self.document_box.setModel(self.documents)
        self.document_box.view().setUniformItemSizes(True)   # the popup does not measure every article
        self.title = plain_label(self, bold=True)
        self.meta = plain_label(self)
        self.meta.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.text = ArticleView(self)
        self.text.setObjectName("documentText")
        self.text.setPlaceholderText("Select an event to read the article it comes from.")
        self.events = QListWidget(self)
        self.events.setObjectName("documentEvents")
        self.events.setToolTip("Events this article supports, in time order")
        self.events.setAlternatingRowColors(True)
        self.events.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.events.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.events.setUniformItemSizes(True)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Source:", self.source_box)
        form.addRow("Article:", self.document_box)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("documentSplitter")
        split.addWidget(self.text)
        split.addWidget(self.events)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        self.splitter = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(split, 1)

        self.document_id: int | None = None
        self.document_text = ""
        self.highlight: tuple[int, int] | None = None      # python offsets of the evidence sentence
        self._event: dict | None = None
        self._updating = False
        self.source_box.currentIndexChanged.connect(self._source_chosen)
        self.document_box.activated.connect(self._document_chosen)
        self.events.itemClicked.connect(self._event_clicked)
        self.events.itemActivated.connect(self._event_clicked)
        state.documentChanged.connect(self._document_changed)
        state.viewChanged.connect(self._view_changed)
        state.dataChanged.connect(self._data_changed)
        self.show_event(None)

    # data ------------------------------------------------------------------------------------------
    def reload_documents(self) -> None:
        if self.reads is not None:
            self.reads.request(Load("documents", views.all_documents, self._documents_loaded, priority=0))

    def _documents_loaded(self, rows: list[dict]) -> None:
        self.set_documents(rows)
        self.state.publish("documents", rows)

    def _data_changed(self, changes: Changes) -> None:
        if changes.documents or changes.sources or changes.adds_or_removes:
            self.reload_documents()
        if self.document_id is not None and (changes.sources or changes.adds_or_removes
                                             or changes.touches(self.document_event_ids())):
            self.refresh()

    def _view_changed(self, part: str) -> None:
        if part == "detail":
            self.show_event(self.state.view.detail)

    # documents list -------------------------------------------------------------------------------
    def set_documents(self, rows: list[dict]) -> None:
        self._updating = True
        try:
            was = self.document_box.blockSignals(True)
            self.documents.set_rows(rows)
            self.document_box.blockSignals(was)
            self._sync_document_box()
        finally:
            self._updating = False

    def _sync_document_box(self) -> None:
        was = self.document_box.blockSignals(True)
        self.document_box.setCurrentIndex(self.documents.row_of(self.document_id))
        self.document_box.blockSignals(was)

    def _document_chosen(self, index: int) -> None:
        doc_id = self.document_box.itemData(index)
        if doc_id is None:
            return
        self.show_document(doc_id)
        self.state.set_document(doc_id, self)

    def _document_changed(self, doc_id, origin) -> None:
        if origin is self or doc_id == self.document_id:
            return
        if doc_id is None:
            self.clear()        # another database
        else:
            self.show_document(doc_id)

    # selected event ---------------------------------------------------------------------------------
    def show_event(self, event: dict | None) -> None:
        """``event`` as core.views.event_detail returns it (None clears the sources)."""
        self._event = event
        sources = event["sources"] if event else []
        self._updating = True
        try:
            self.source_box.clear()
            for i, s in enumerate(sources, 1):
                label = s["document_title"] or s["file_name"]
                self.source_box.addItem(f"{i}/{len(sources)} · {label}", s["id"])
                self.source_box.setItemData(i - 1, s["sentence"], Qt.ItemDataRole.ToolTipRole)
            self.source_box.setEnabled(len(sources) > 0)
            if not sources:
                self.source_box.addItem("no article (manual event)" if event else "no event selected")
        finally:
            self._updating = False
        if not sources:
            self.set_highlight(None)
            self._mark_event_row()
            return
        # stay in the article being read when it supports the event too
        index = next((i for i, s in enumerate(sources) if s["document_id"] == self.document_id), 0)
        was = self.source_box.blockSignals(True)
        self.source_box.setCurrentIndex(index)
        self.source_box.blockSignals(was)
        self.open_source(index)

    def open_source(self, index: int) -> None:
        if not self._event or not (0 <= index < len(self._event["sources"])):
            return
        source = self._event["sources"][index]
        span = (source["start"], source["end"])
        if source["document_id"] != self.document_id:
            self.show_document(source["document_id"], highlight=span)
            self.state.set_document(source["document_id"], self)
            return
        if self.reads is not None:
            self.reads.cancel("document")     # another article asked for before: this one stays
        self.set_highlight(span)
        self._mark_event_row()

    def _source_chosen(self, index: int) -> None:
        if not self._updating:
            self.open_source(index)

    # article text -------------------------------------------------------------------------------------
    def show_document(self, doc_id: int, *, highlight: tuple[int, int] | None = None) -> None:
        """Read the article (text and events) in a worker, then show it (with ``highlight`` marked)."""
        if self.reads is None:
            return
        self.reads.request(Load("document", lambda store: views.document_view(store, doc_id),
                                lambda view: self._document_loaded(doc_id, view, highlight), priority=3))

    def _document_loaded(self, doc_id: int, view: DocumentView | None, highlight) -> None:
        if view is None:
            self.clear()
            return
        doc = view.document
        self.document_id = doc_id
        self.document_text = doc["text"]
        self.title.setText(doc["title"] or doc["file_name"])
        published = doc["published"] or "date unknown"
        self.meta.setText(f"{doc['outlet'] or 'unknown outlet'} · {published} · {doc['file_name']}")
        self.text.setPlainText(doc["text"])
        self.highlight = None
        self.text.setExtraSelections([])
        self._sync_document_box()
        self._fill_events(view.events)
        if highlight is not None:
            self.set_highlight(highlight)

    def _fill_events(self, rows: list[dict]) -> None:
        self.events.clear()
        for e in rows:
            item = QListWidgetItem(f"{e['date']}  ·  {e['title']}")
            item.setData(ID_ROLE, e["id"])
            item.setToolTip(f"{e['kind']}, {e['status']}")
            if e["status"] == "rejected":
                font = QFont(item.font())
                font.setStrikeOut(True)
                item.setFont(font)
            self.events.addItem(item)
        self._mark_event_row()

    def refresh(self) -> None:
        """Re-read the open article's event list (titles and statuses change with curation)."""
        if self.document_id is None or self.reads is None:
            return
        doc_id = self.document_id
        self.reads.request(Load("document-events", lambda store: views.document_events(store, doc_id),
                                lambda rows: self._events_loaded(doc_id, rows), priority=2))

    def _events_loaded(self, doc_id: int, rows: list[dict]) -> None:
        if doc_id == self.document_id:
            self._fill_events(rows)

    def clear(self) -> None:
        self.document_id = None
        self.document_text = ""
        self.highlight = None
        self.title.clear()
        self.meta.clear()
        self.text.clear()
        self.events.clear()
        self._sync_document_box()

    def set_highlight(self, span: tuple[int, int] | None) -> None:
        self.highlight = span
        if span is None:
            self.text.setExtraSelections([])
            return
        start, end = (max(0, min(v, len(self.document_text))) for v in span)
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(qt_offset(self.document_text, start))
        cursor.setPosition(qt_offset(self.document_text, end), QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        color = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        color.setAlpha(80)
        fmt.setBackground(color)
        fmt.setFontUnderline(False)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = fmt
        self.text.setExtraSelections([selection])
        self.scroll_to_highlight()
        QTimer.singleShot(0, self.scroll_to_highlight)   # again once the panel has its final size

    def scroll_to_highlight(self) -> None:
        """Bring the evidence sentence into view: a quarter down from the top, or its start at the top when it
        is taller than the view."""
        if self.highlight is None:
            return
        start, end = (qt_offset(self.document_text, max(0, min(v, len(self.document_text)))) for v in self.highlight)
        bar = self.text.verticalScrollBar()
        probe = QTextCursor(self.text.document())
        probe.setPosition(start)
        top = self.text.cursorRect(probe).top() + bar.value()
        probe.setPosition(end)
        bottom = self.text.cursorRect(probe).bottom() + bar.value()
        view = self.text.viewport().height()
        margin = max(8, view // 4) if bottom - top < view * 0.7 else 8
        bar.setValue(max(bar.minimum(), min(bar.maximum(), top - margin)))
        probe.setPosition(start)
        self.text.setTextCursor(probe)

    def highlight_visible(self) -> bool:
        """Whether the start of the evidence sentence is inside the visible part of the article."""
        sels = self.text.extraSelections()
        if not sels:
            return False
        probe = QTextCursor(self.text.document())
        probe.setPosition(sels[0].cursor.selectionStart())
        return self.text.viewport().rect().intersects(self.text.cursorRect(probe))

    def highlighted_text(self) -> str:
        """The characters under the evidence highlight, as the view has them."""
        sels = self.text.extraSelections()
        return sels[0].cursor.selectedText().replace("\u2029", "\n") if sels else ""

    # events of the article ----------------------------------------------------------------------------
    def _mark_event_row(self) -> None:
        current = self._event["id"] if self._event else None
        was = self.events.blockSignals(True)
        self.events.clearSelection()
        for i in range(self.events.count()):
            item = self.events.item(i)
            if item.data(ID_ROLE) == current:
                item.setSelected(True)
                self.events.setCurrentItem(item)
                self.events.scrollToItem(item)
        self.events.blockSignals(was)

    def _event_clicked(self, item: QListWidgetItem) -> None:
        event_id = item.data(ID_ROLE)
        if event_id is not None:
            self.state.set_selection([int(event_id)], self)

    def document_event_ids(self) -> list[int]:
        return [self.events.item(i).data(ID_ROLE) for i in range(self.events.count())]
