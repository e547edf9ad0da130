"""The Partners dock in the window: its table and network, the pair chip, the highlight (pytest-qt, offscreen)."""

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt

from partnership_explorer.core.query import EventFilter

pytestmark = pytest.mark.usefixtures("no_blocking_dialogs")

MINISTRIES = frozenset(("Ministry of Science and ICT", "Ministry of Science and Technology of Vietnam"))


@pytest.fixture
def window(qtbot, seed_copy, tmp_path):
    from partnership_explorer.qt.main_window import MainWindow

    w = MainWindow(seed_copy, settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                   restore=False)
    qtbot.addWidget(w)
    w.resize(1500, 950)
    w.show()
    w.docks["partners"].raise_()
    qtbot.waitUntil(lambda: w.state.view.partners is not None and not w.loading(), timeout=20000)
    yield w
    w.close()


def table_pairs(panel) -> list[frozenset]:
    from partnership_explorer.qt.partners_panel import PAIR_ROLE

    model = panel.model
    return [frozenset(model.index(r, 0).data(PAIR_ROLE)) for r in range(model.rowCount())]


def cell(panel, row, col, role=Qt.ItemDataRole.DisplayRole):
    return panel.model.index(row, col).data(role)


def test_the_dock_lists_the_seed_partnerships_sorted_by_events(window, qtbot):
    panel = window.partners_panel
    pairs = table_pairs(panel)
    for expected in (frozenset(("KT", "Viettel")), frozenset(("LG CNS", "VNPT")), MINISTRIES,
                     frozenset(("Vietnam", "South Korea"))):
        assert expected in pairs
    assert pairs[0] == frozenset(("Vietnam", "South Korea"))            # most events first
    counts = [cell(panel, r, 1, Qt.ItemDataRole.UserRole) for r in range(panel.model.rowCount())]
    assert counts == sorted(counts, reverse=True)
    assert panel.summary.text() == "4 pairs"
    labels = [cell(panel, r, 0) for r in range(panel.model.rowCount())]
    assert "MSIT – MoST" in labels                                      # long names by their acronyms
    # sortable: by period, oldest first
    panel.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    periods = [cell(panel, r, 2, Qt.ItemDataRole.UserRole) for r in range(panel.model.rowCount())]
    assert periods == sorted(periods) and periods[0][0].startswith("1992")
    assert cell(panel, 0, 2) == "1992 – 2025"
    # and by pair name, from the header as a user does
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    names = [cell(panel, r, 0) for r in range(panel.model.rowCount())]
    assert names == sorted(names, key=str.casefold) or names == sorted(names, key=str.casefold, reverse=True)
    # the network: one disc per actor, one line per pair
    net = panel.network
    assert set(net.label_items) == {n for p in pairs for n in p}
    assert set(net.edge_items) == set(pairs)


def test_clicking_a_pair_filters_the_timeline_with_a_removable_chip(window, qtbot):
    panel = window.partners_panel
    row = table_pairs(panel).index(frozenset(("KT", "Viettel")))
    rect = panel.table.visualRect(panel.model.index(row, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert set(window.state.filter.pair) == {"KT", "Viettel"}
    assert any(t.startswith("Pair: ") and "KT" in t and "Viettel" in t for t in window.filter_bar.chip_texts())
    qtbot.waitUntil(lambda: bool(not window.loading() and window.state.view.events is not None
                                 and window.state.view.events.filter.pair), timeout=10000)
    titles = [e["title"] for e in window.state.view.event_rows()]
    assert len(titles) == 1 and "KT" in titles[0] and "Viettel" in titles[0]
    assert window.count_label.text().startswith("1 of")
    # the table keeps every pair, the chosen one selected; its line is drawn in the highlight colour
    assert len(table_pairs(panel)) == 4
    assert panel.table.selectionModel().selectedRows()[0].row() == table_pairs(panel).index(frozenset(("KT", "Viettel")))
    edge = panel.network.edge_items[frozenset(("KT", "Viettel"))]
    assert edge.opts["pen"].color().name() == panel.network.theme().highlight.name()
    # the chip's × removes the pair and only it
    index = next(i for i, t in enumerate(window.filter_bar.chip_texts()) if t.startswith("Pair: "))
    window.filter_bar.remove_chip(index)
    assert window.state.filter == EventFilter()
    qtbot.waitUntil(lambda: not window.loading() and len(window.state.view.event_rows()) > 1, timeout=10000)


def test_clicking_an_edge_of_the_network_chooses_its_pair(window):
    edge = window.partners_panel.network.edge_items[MINISTRIES]
    edge.sigClicked.emit(edge, None)
    assert frozenset(window.state.filter.pair) == MINISTRIES


def test_selecting_an_event_highlights_its_pairs(window, qtbot):
    panel = window.partners_panel
    (mou,) = [e["id"] for e in window.state.view.event_rows() if e["title"] == "MoU signed by MoST and MSIT"]
    window.state.set_selection([mou], None)
    qtbot.waitUntil(lambda: MINISTRIES in set(panel.highlighted()), timeout=10000)
    assert set(panel.highlighted()) == {MINISTRIES, frozenset(("Vietnam", "South Korea"))}
    assert panel.network.highlighted == {MINISTRIES, frozenset(("Vietnam", "South Korea"))}
    highlight = panel.network.theme().highlight.name()
    assert panel.network.edge_items[MINISTRIES].opts["pen"].color().name() == highlight
    assert panel.network.edge_items[frozenset(("KT", "Viettel"))].opts["pen"].color().name() != highlight
    window.state.set_selection([], None)
    qtbot.waitUntil(lambda: not panel.highlighted(), timeout=10000)


def test_the_network_follows_the_other_filters(window, qtbot):
    panel = window.partners_panel
    window.state.update_filter(None, sectors=("ai",))
    qtbot.waitUntil(lambda: panel.data.view.filter.sectors == ("ai",) and not window.loading(), timeout=10000)
    assert set(table_pairs(panel)) == {frozenset(("KT", "Viettel")), frozenset(("LG CNS", "VNPT"))}
    assert set(panel.network.edge_items) == set(table_pairs(panel))
    window.state.update_filter(None, sectors=(), query="nothing-matches-this")
    qtbot.waitUntil(lambda: bool(panel.data.view.filter.query) and not window.loading(), timeout=10000)
    assert table_pairs(panel) == [] and panel.summary.text() == "0 pairs"
    assert "No partner pairs" in panel.network.empty.toPlainText()


def test_network_labels_do_not_overlap(window, qtbot):
    net = window.partners_panel.network
    qtbot.wait(100)
    net.place_labels()
    rects = [item.sceneBoundingRect() for item in net.label_items.values()]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b)


def test_a_hidden_partners_tab_reads_nothing_until_shown(qtbot, seed_copy, tmp_path):
    from partnership_explorer.qt.main_window import MainWindow

    w = MainWindow(seed_copy, settings=QSettings(str(tmp_path / "h.ini"), QSettings.Format.IniFormat), restore=False)
    qtbot.addWidget(w)
    w.show()                                                       # Article in front, Partners behind it
    qtbot.waitUntil(lambda: w.state.view.events is not None and not w.loading(), timeout=20000)
    assert w.document_panel.isVisible() and not w.partners_panel.shown()
    assert w.partners_panel.data is None and w.state.view.partners is None
    w.state.update_filter(None, sectors=("ai",))
    qtbot.waitUntil(lambda: not w.loading(), timeout=20000)
    assert w.partners_panel.data is None
    w.docks["partners"].raise_()
    qtbot.waitUntil(lambda: w.partners_panel.data is not None, timeout=20000)
    assert w.partners_panel.data.view.filter.sectors == ("ai",)    # the filter of the moment it was shown
    w.close()
