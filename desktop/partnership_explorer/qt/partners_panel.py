"""Partners panel: the partner pairs of the filtered events as a sortable table, and their network.

The pairs, the graph and its layout are computed in a worker (:func:`~..core.partners.partner_pairs`,
:func:`~..core.partners.partner_graph`, :func:`~..core.partners.layout`) whenever the filter changes or a write
changed what they count, and published as ``state.view.partners``. Clicking a pair in the table or an edge of
the network sets ``filter.pair`` (a chip in the filter bar removes it), so the timeline shows only that pair's
events; selecting an event highlights its pairs in both. The network draws each actor as a disc whose area
grows with its events, each pair as a line whose width grows with its events, in its dominant sector's colour;
labels are placed beside their discs, away from other discs and labels where one of eight places allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPointF, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from ..core import partners
from ..core.changes import Changes
from ..core.query import EventFilter
from .state import ExplorerState
from .theme import Theme, pixel_font
from .workers import Load, ReadModel

COLUMNS = ("Pair", "Events", "Period", "Sector", "Kinds")
PAIR_ROLE = Qt.ItemDataRole.UserRole + 1
COUNTRY_FILL = QColor("#4a6fa5")       # countries
ORGANISATION_FILL = QColor("#b8860b")  # companies, ministries, bodies


@dataclass(frozen=True)
class NetworkData:
    """What the worker hands to the GUI thread: the pairs and the laid-out network."""

    view: partners.PartnerView
    nodes: list[dict]    # name, label, type, events, x, y
    edges: list[dict]    # a, b, events, color, sector


def read_network(store, flt: EventFilter) -> NetworkData:
    """The pairs under ``flt`` and the network of the strongest (worker thread)."""
    view = partners.partner_pairs(store, flt)
    graph = partners.partner_graph(view)
    pos = partners.layout(graph)
    short = {}
    for p in view.pairs:
        short[p["a"]], short[p["b"]] = p["a_short"], p["b_short"]
    nodes = [{"name": n, "label": short.get(n, n), "type": d.get("type", ""), "events": int(d.get("events", 0)),
              "x": pos[n][0], "y": pos[n][1]} for n, d in graph.nodes(data=True)]
    edges = [{"a": u, "b": v, "events": int(d["weight"]), "color": d["color"], "sector": d["sector"]}
             for u, v, d in graph.edges(data=True)]
    return NetworkData(view, nodes, edges)


class PairModel(QAbstractTableModel):
    """The pairs as table rows, sorted on demand; the highlighted pairs are bold on a tint (no item per cell, so a
    list of hundreds of pairs is set in one step on the GUI thread)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []
        self.sectors: dict[str, tuple[str, str]] = {}
        self.highlight: set[frozenset] = set()
        self.tint = QColor(0, 0, 0, 0)
        self.bold = QFont()
        self.bold.setBold(True)
        self._sort = (1, Qt.SortOrder.DescendingOrder)

    def set_rows(self, rows: list[dict], sectors: dict) -> None:
        self.beginResetModel()
        self.rows, self.sectors = list(rows), sectors
        self._sorted()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def text(self, row: int, col: int) -> str:
        p = self.rows[row]
        if col == 0:
            return f"{p['a_short']} – {p['b_short']}"
        if col == 1:
            return f"{p['events']:,}"
        if col == 2:
            return period_text(p["first"], p["last"])
        if col == 3:
            return self.sectors.get(p["sector"], (p["sector"], ""))[0]
        return ", ".join(p["kinds"])

    def key(self, p: dict, col: int):
        return ((p["a_short"].casefold(), p["b_short"].casefold()), p["events"], (p["first"], p["last"]),
                self.sectors.get(p["sector"], (p["sector"], ""))[0], ", ".join(p["kinds"]))[col]

    def pair(self, row: int) -> tuple[str, str]:
        return self.rows[row]["a"], self.rows[row]["b"]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        p = self.rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, col)
        if role == Qt.ItemDataRole.UserRole:
            return self.key(p, col)
        if role == PAIR_ROLE:
            return p["a"], p["b"]
        on = frozenset((p["a"], p["b"])) in self.highlight
        if role == Qt.ItemDataRole.FontRole:
            return self.bold if on else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(self.tint) if on else None
        if role == Qt.ItemDataRole.ForegroundRole and col == 3:
            return QBrush(QColor(self.sectors.get(p["sector"], ("", "#888888"))[1]).darker(115))
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{partners.pair_label(p)}: {p['events']:,} events, {p['first']} – {p['last']} "
                    f"({', '.join(p['kinds'])}). Click to show only these.")
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sorted()
        self.layoutChanged.emit()

    def _sorted(self) -> None:
        col, order = self._sort
        self.rows.sort(key=lambda p: self.key(p, col), reverse=order == Qt.SortOrder.DescendingOrder)

    def set_highlight(self, pairs: set[frozenset], tint: QColor) -> None:
        self.highlight, self.tint = pairs, tint
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1),
                                  [Qt.ItemDataRole.FontRole, Qt.ItemDataRole.BackgroundRole])

    def row_of(self, pair) -> int | None:
        key = frozenset(pair)
        return next((r for r, p in enumerate(self.rows) if frozenset((p["a"], p["b"])) == key), None)


def period_text(first: str, last: str) -> str:
    """'1992 – 2025' (years; one year alone when both are in it)."""
    return first[:4] if first[:4] == last[:4] else f"{first[:4]} – {last[:4]}"


class NetworkView(pg.PlotWidget):
    """The network: discs, lines and labels; a click on a line chooses its pair."""

    def __init__(self, panel: "PartnersPanel", parent: QWidget | None = None):
        super().__init__(parent, background=None)
        self.panel = panel
        self.setObjectName("partnerNetwork")
        self.hideAxis("bottom")
        self.hideAxis("left")
        self.setMenuEnabled(False)
        self.setAspectLocked(False)   # the layout's coordinates are abstract: the network fills the panel
        self.getViewBox().setMouseEnabled(x=True, y=True)
        self.setMinimumHeight(180)
        self.setToolTip("Actors sized by their events, pairs weighted by events and coloured by their main sector. "
                        "Click a line to show only that pair's events.")
        self.data: NetworkData | None = None
        self.highlighted: set[frozenset] = set()
        self.chosen: frozenset | None = None
        self.edge_items: dict[frozenset, pg.PlotCurveItem] = {}   # the pairs drawn, by pair
        self.label_items: dict[str, pg.TextItem] = {}            # the labels drawn, by actor
        self._edge_pool: list[pg.PlotCurveItem] = []
        self._label_pool: list[pg.TextItem] = []
        self.nodes_item = pg.ScatterPlotItem(pxMode=True, hoverable=True)
        self.nodes_item.setZValue(2)
        self.addItem(self.nodes_item)
        self.radii: dict[str, float] = {}
        self.empty = pg.TextItem("", anchor=(0.5, 0.5))
        self.addItem(self.empty)
        self._relabel = QTimer(self, singleShot=True, interval=30)
        self._relabel.timeout.connect(self.place_labels)
        self.getViewBox().sigRangeChanged.connect(lambda *_: self._relabel.start())

    def theme(self) -> Theme:
        return Theme.from_palette(self.palette())

    def set_network(self, data: NetworkData) -> None:
        """Draw ``data``. Lines and labels are kept between updates and given new values (creating and adding
        pyqtgraph items is what costs on the GUI thread)."""
        self.data = data
        theme = self.theme()
        self.empty.setText("" if data.nodes else "No partner pairs under this filter")
        self.empty.setColor(theme.muted)
        xy = {n["name"]: (n["x"], n["y"]) for n in data.nodes}
        most_edge = max((e["events"] for e in data.edges), default=1)
        self.edge_items = {}
        for i, e in enumerate(data.edges):
            if i == len(self._edge_pool):
                item = pg.PlotCurveItem(clickable=True)
                item.setClickable(True, width=8)
                item.sigClicked.connect(lambda it, *_: self.panel.choose_pair(*it.pair))
                self.addItem(item)
                self._edge_pool.append(item)
            item = self._edge_pool[i]
            (x0, y0), (x1, y1) = xy[e["a"]], xy[e["b"]]
            item.setData([x0, x1], [y0, y1])
            item.pair = (e["a"], e["b"])
            item.base_width = 1.2 + 5.0 * math.log1p(e["events"]) / math.log1p(most_edge)
            item.color = QColor(e["color"])
            item.setToolTip(f"{e['a']} – {e['b']}: {e['events']:,} events (mostly {e['sector']})")
            item.show()
            self.edge_items[frozenset(item.pair)] = item
        for item in self._edge_pool[len(data.edges):]:
            item.hide()
        most = max((n["events"] for n in data.nodes), default=1)
        spots = []
        self.label_items, self.radii = {}, {}
        for i, n in enumerate(data.nodes):
            r = partners.node_radius(n["events"], most)
            self.radii[n["name"]] = r
            fill = QColor(COUNTRY_FILL if n["type"] == "country" else ORGANISATION_FILL)
            spots.append({"pos": (n["x"], n["y"]), "size": 2 * r, "brush": pg.mkBrush(fill),
                          "pen": pg.mkPen(theme.bg, width=1.5), "data": n["name"]})
            if i == len(self._label_pool):
                label = pg.TextItem("", anchor=(0, 0))
                label.setZValue(3)
                self.addItem(label)
                self._label_pool.append(label)
            label = self._label_pool[i]
            label.setText(n["label"], color=theme.fg)
            label.setFont(pixel_font(self.font(), 12, bold=n["type"] == "country"))
            label.setToolTip(f"{n['name']}: {n['events']:,} events")
            label.show()
            self.label_items[n["name"]] = label
        for label in self._label_pool[len(data.nodes):]:
            label.hide()
        self.nodes_item.setData(spots=spots)
        self.nodes_item.setVisible(bool(spots))
        if not data.nodes:
            return
        self._style_edges()
        self.getViewBox().autoRange(padding=0.18)
        self.place_labels()
        self._relabel.stop()   # placed for this range already

    def set_highlighted(self, pairs, chosen=()) -> None:
        """The selected event's pairs, and the pair of the filter (``chosen``), drawn in the highlight colour."""
        self.highlighted = {frozenset(p) for p in pairs}
        self.chosen = frozenset(chosen) if chosen else None
        self._style_edges()

    def _style_edges(self) -> None:
        theme = self.theme()
        for key, item in self.edge_items.items():
            on = key in self.highlighted or key == self.chosen
            color = QColor(theme.highlight) if on else QColor(item.color)
            if not on:
                color.setAlpha(200)
            item.setPen(pg.mkPen(color, width=item.base_width + (3 if on else 0)))
            item.setZValue(1 if on else 0)

    def place_labels(self) -> None:
        """Labels beside their discs, in pixels (the view may have been zoomed or resized)."""
        if self.data is None or not self.label_items:
            return
        vb = self.getViewBox()
        names = [n["name"] for n in self.data.nodes]
        points, sizes = [], []
        for n in self.data.nodes:
            p = vb.mapViewToScene(QPointF(n["x"], n["y"]))
            points.append((p.x(), p.y()))
            label = self.label_items[n["name"]]
            box = label.textItem.boundingRect()   # in pixels: a TextItem ignores the view's scale
            sizes.append((box.width(), box.height()))
        self._fit_discs(points, names)
        rect = vb.sceneBoundingRect()
        at = dict(zip(names, points))
        segments = [(at[e["a"]], at[e["b"]]) for e in self.data.edges]
        corners = partners.place_labels(points, [self.radii[n] for n in names], sizes,
                                        (rect.left(), rect.top(), rect.right(), rect.bottom()), segments)
        for name, (x, y) in zip(names, corners):
            self.label_items[name].setPos(vb.mapSceneToView(QPointF(x, y)))

    def _fit_discs(self, points, names) -> None:
        """Discs no wider than the room between nodes allows (the two ends of a pair must not touch)."""
        gaps = [math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1:]]
        most = max(n["events"] for n in self.data.nodes)
        room = min(gaps) if gaps else 100.0
        large = max(5.0, min(22.0, 0.38 * room))
        sizes = []
        for n in self.data.nodes:
            r = partners.node_radius(n["events"], most, large=large)
            self.radii[n["name"]] = r
            sizes.append(2 * r)
        self.nodes_item.setSize(sizes)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if "_relabel" in self.__dict__:  # not during the base class's set-up
            self._relabel.start()


class PartnersPanel(QWidget):
    def __init__(self, state: ExplorerState, reads: ReadModel | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.reads = reads
        # the pairs are read on a worker thread of their own (numpy and SQLite, which release the GIL): the
        # panel's data does not wait behind the event list's and the sector counts' reads of the same filter
        self.own_reads = ReadModel(state, self, threads=1) if reads is not None else None
        self.summary = QLabel("", self)
        self.summary.setObjectName("partnersSummary")
        self.model = PairModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("partnersTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)   # most events first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setToolTip("Click a pair to show only its events")
        self.network = NetworkView(self, self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("partnersSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.network)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        self.data: NetworkData | None = None
        self._stale = True          # the filter or the data changed while the panel was hidden
        self._in_front = True       # False while its dock is a tab behind another
        self._highlight: set[frozenset] = set()
        self.table.clicked.connect(self._row_clicked)
        self.table.activated.connect(self._row_clicked)
        state.filterChanged.connect(self._filter_changed)
        state.dataChanged.connect(self._data_changed)
        state.selectionChanged.connect(lambda ids, origin: self.load_highlight())

    # data ------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the pairs of the filter; while the panel is hidden (a tab behind another) only when it is shown.
        Shown, it is read right after the timeline: the panel a user looks at is not kept waiting by the others."""
        if self.reads is None:
            return
        if not self.shown():
            self._stale = True
            self.own_reads.cancel("partners")
            return
        self._stale = False
        flt = self.state.filter.replace(pair=())   # the list keeps every pair; the chosen one is marked
        self._reader().request(Load("partners", lambda store: read_network(store, flt),
                                    lambda data: self._loaded(flt, data), priority=3))

    def _reader(self) -> ReadModel:
        """The panel's own reader, on the database the window's reader reads."""
        if self.own_reads.path != self.reads.path:
            self.own_reads.set_database(self.reads.path)
        return self.own_reads

    def shutdown(self, msecs: int = 5000) -> bool:
        return self.own_reads.shutdown(msecs) if self.own_reads is not None else True

    def loading(self) -> bool:
        return self.own_reads is not None and self.own_reads.busy()

    def shown(self) -> bool:
        """On screen: visible, and not a tab behind another (the dock says which, see :meth:`set_in_front`)."""
        return self.isVisible() and self._in_front

    def set_in_front(self, on: bool) -> None:
        """Its dock became visible (its tab chosen, the dock shown) or hidden."""
        self._in_front = bool(on)
        if self._stale and self.shown():
            self.reload()
            self.load_highlight()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale and self.shown():
            self.reload()
            self.load_highlight()

    def _filter_changed(self, flt: EventFilter, origin) -> None:
        loaded = self.data.view.filter if self.data is not None else None
        if self._stale or loaded is None or loaded != flt.replace(pair=()):
            self.reload()
        else:
            self._mark_chosen()

    def _data_changed(self, changes: Changes) -> None:
        if (changes.may_change_matches(self.state.filter) or changes.entities or changes.kinds or changes.dates
                or changes.sectors or changes.status):
            self.reload()
            self.load_highlight()

    def _loaded(self, flt: EventFilter, data: NetworkData) -> None:
        self.set_data(data)
        self.state.publish("partners", data.view, partners_filter=flt)

    def set_data(self, data: NetworkData) -> None:
        self.data = data
        view = data.view
        self.model.set_rows(view.pairs, view.sectors)   # sorted as the header says
        self._fit_columns()
        n = len(view.pairs)
        self.summary.setText(f"{n:,} pairs" if n == view.total_pairs else f"{n:,} of {view.total_pairs:,} pairs "
                             "(the most events)")
        self.network.set_network(data)
        self._apply_highlight()
        self._mark_chosen()

    def _fit_columns(self) -> None:
        """Columns as wide as their text in bold (a highlighted row is bold); the kinds take what is left."""
        bold = QFont(self.table.font())
        bold.setBold(True)
        fm = QFontMetrics(bold)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS) - 1):
            texts = [self.model.text(r, col) for r in range(self.model.rowCount())]
            width = max([fm.horizontalAdvance(t) for t in texts] + [header.sectionSizeHint(col) - 16])
            self.table.setColumnWidth(col, min(width + 16, 240 if col == 0 else 160))

    # choosing a pair --------------------------------------------------------------------------------
    def _row_clicked(self, index) -> None:
        pair = self.model.pair(index.row()) if index.isValid() else None
        if pair:
            self.choose_pair(*pair)

    def choose_pair(self, a: str, b: str) -> None:
        self.state.update_filter(self, pair=(a, b))

    def pair_rows(self) -> dict[frozenset, int]:
        return {frozenset(self.model.pair(r)): r for r in range(self.model.rowCount())}

    def _mark_chosen(self) -> None:
        chosen = self.state.filter.pair
        self.network.set_highlighted(self._highlight, chosen)
        row = self.model.row_of(chosen) if chosen else None
        was = self.table.blockSignals(True)
        if row is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.table.blockSignals(was)

    # highlight of the selected event's pairs ------------------------------------------------------
    def load_highlight(self) -> None:
        event_id = self.state.selected_event
        if self.reads is None or not self.shown():
            return
        if event_id is None:
            self._reader().cancel("partner_highlight")
            self.set_highlighted([])
            return
        self._reader().request(Load("partner_highlight", lambda store: partners.event_pairs(store, event_id),
                                self.set_highlighted, priority=2))

    def set_highlighted(self, pairs) -> None:
        self._highlight = {frozenset(p) for p in pairs}
        self._apply_highlight()

    def highlighted(self) -> list[frozenset]:
        return [key for key, r in self.pair_rows().items()
                if self.model.index(r, 0).data(Qt.ItemDataRole.FontRole) is not None]

    def _apply_highlight(self) -> None:
        tint = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        tint.setAlpha(60)
        self.model.set_highlight(self._highlight, tint)
        self.network.set_highlighted(self._highlight, self.state.filter.pair)
