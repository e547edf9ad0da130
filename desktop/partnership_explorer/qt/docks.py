"""The window's widgets and where they go: filter bar and timeline over the event list in the centre, sectors
and entities docked left, the selected event and its article docked right, the event count in the status bar.

Every panel is given the shared :class:`~.state.ExplorerState` and the :class:`~.workers.ReadModel` it reads its
data through; :func:`build_panels` only creates and arranges them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QVBoxLayout, QWidget

from .document_panel import DocumentPanel
from .entity_panel import EntityPanel
from .event_panel import EventCountLabel, EventDetailsPanel, EventListPanel
from .filter_bar import FilterBar
from .partners_panel import PartnersPanel
from .sector_panel import SectorPanel
from .state import ExplorerState
from .timeline import TimelineWidget
from .workers import ReadModel

DOCKS = (  # key, title, panel attribute, area
    ("sectors", "Sectors", "sector_panel", Qt.DockWidgetArea.LeftDockWidgetArea),
    ("entities", "Entities", "entity_panel", Qt.DockWidgetArea.LeftDockWidgetArea),
    ("details", "Event", "details", Qt.DockWidgetArea.RightDockWidgetArea),
    ("document", "Article", "document_panel", Qt.DockWidgetArea.RightDockWidgetArea),
    ("partners", "Partners", "partners_panel", Qt.DockWidgetArea.RightDockWidgetArea),  # a tab beside Article
)


@dataclass
class Panels:
    timeline: TimelineWidget
    event_list: EventListPanel
    splitter: QSplitter                 # timeline over the event list
    sector_panel: SectorPanel
    entity_panel: EntityPanel
    details: EventDetailsPanel
    document_panel: DocumentPanel
    partners_panel: PartnersPanel
    filter_bar: FilterBar
    count_label: EventCountLabel
    docks: dict[str, QDockWidget]


def build_panels(window: QMainWindow, state: ExplorerState, reads: ReadModel,
                 actions: Mapping[str, QAction]) -> Panels:
    timeline = TimelineWidget(state, window)
    timeline.setObjectName("timeline")
    event_list = EventListPanel(state, reads, window)
    splitter = QSplitter(Qt.Orientation.Vertical, window)
    splitter.setObjectName("centralSplitter")
    splitter.addWidget(timeline)
    splitter.addWidget(event_list)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 1)
    splitter.setChildrenCollapsible(False)

    sector_panel = SectorPanel(state, reads, window)
    panels = Panels(
        timeline=timeline, event_list=event_list, splitter=splitter, sector_panel=sector_panel,
        entity_panel=EntityPanel(state, reads, window), details=EventDetailsPanel(state, actions, reads, window),
        document_panel=DocumentPanel(state, reads, window), partners_panel=PartnersPanel(state, reads, window),
        filter_bar=FilterBar(state, sector_panel.name_of, window),
        count_label=EventCountLabel(state, window), docks={})

    central = QWidget(window)
    layout = QVBoxLayout(central)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(panels.filter_bar)
    layout.addWidget(splitter, 1)
    window.setCentralWidget(central)

    for key, title, attribute, area in DOCKS:
        dock = QDockWidget(title, window)
        dock.setObjectName(f"dock_{key}")
        dock.setWidget(getattr(panels, attribute))
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        window.addDockWidget(area, dock)
        panels.docks[key] = dock
    docks = panels.docks
    window.tabifyDockWidget(docks["document"], docks["partners"])
    docks["document"].raise_()
    panels.partners_panel.set_in_front(False)   # behind Article until its tab is chosen
    docks["partners"].visibilityChanged.connect(panels.partners_panel.set_in_front)
    window.resizeDocks([docks["sectors"], docks["details"]], [270, 450], Qt.Orientation.Horizontal)
    window.resizeDocks([docks["sectors"], docks["entities"]], [330, 500], Qt.Orientation.Vertical)
    window.resizeDocks([docks["details"], docks["document"]], [260, 600], Qt.Orientation.Vertical)

    window.statusBar().addPermanentWidget(panels.count_label)
    screen = window.screen().availableGeometry() if window.screen() else None
    if screen is not None and screen.width() > 0:
        window.resize(min(1600, int(screen.width() * 0.96)), min(1000, int(screen.height() * 0.96)))
    else:
        window.resize(1400, 900)
    # the timeline gets about two thirds of the height (restored sizes win, see WindowSettings.restore)
    total = max(window.height() - 120, 400)
    splitter.setSizes([int(total * 0.65), total - int(total * 0.65)])
    return panels
