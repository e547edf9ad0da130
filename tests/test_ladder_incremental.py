"""The relationship ladder kept up document by document (core/relationship.py: each step made again from the
milestones known to make it, only changed links compared, a stored step's date left to the commit of its group)
holds exactly what a rebuild from scratch gives, whatever the order of the articles and wherever their groups
are cut; and for one order, the same steps, ids included, wherever the groups are cut."""

import random

import pytest

from partnership_explorer.core import ingest
from partnership_explorer.core import relationship as rel
from partnership_explorer.core.store import Store

# several articles per step, some giving dates that disagree, so that a step's best-supported date moves as
# articles arrive (1974 first, then 1973 twice); three pairs, several levels each
ARTICLES = [
    "Vietnam and Japan established diplomatic relations in 1974, a former envoy wrote in his memoirs.",
    "Vietnam and Japan established diplomatic relations in September 1973.",
    "Japan and Vietnam established diplomatic relations in 1973, the embassy said at a reception.",
    "Vietnam and Japan elevated their ties to a strategic partnership in 2009.",
    "Vietnam and Japan upgraded their relationship to a comprehensive strategic partnership on November 27, 2023.",
    "Japan and Vietnam lifted their relations to a comprehensive strategic partnership in November 2023.",
    "Vietnam and the United States normalized diplomatic relations in July 1995.",
    "Vietnam and the United States upgraded their relations to a comprehensive strategic partnership on "
    "September 10, 2023.",
    "The United States and Vietnam raised their ties to a comprehensive strategic partnership in 2023.",
    "South Korea and Indonesia established diplomatic relations in September 1973.",
    "South Korea and Indonesia lifted their ties to a special strategic partnership in 2017.",
    "Indonesia and South Korea elevated relations to a special strategic partnership in November 2017.",
]


def _folder(path, order: list[int]):
    """The articles in ``order`` (file names sort in that order)."""
    path.mkdir(parents=True)
    for i, k in enumerate(order):
        (path / f"{i:02d}.txt").write_text(ARTICLES[k] + "\n", encoding="utf-8")
    (path / "manifest.csv").write_text(
        "file,published\n" + "".join(f"{i:02d}.txt,2025-03-04\n" for i in range(len(order))), encoding="utf-8")
    return path


def _stored(store):
    """The ladder as stored: every step with its ids, date, flags, label and its links in order."""
    return [(s.id, s.pair_key, s.pair_label, s.level, s.date, s.precision, s.start, s.end, s.disputed,
             [x.row() for x in s.sources]) for s in rel.steps(store, include_rejected=True)]


def _from_scratch(store):
    """The ladder derived from every milestone (outside a transaction nothing kept between writes is used)."""
    assert not store.in_transaction
    return sorted((s.pair_key, s.pair_label, s.level, s.date, s.precision, s.start, s.end, s.disputed,
                   [x.row() for x in s.sources]) for s in rel.derive(store))


def _links_now(store):
    """Between two documents of a group (inside its transaction): the steps stored and their links, and those a
    rebuild from scratch gives (read with a vocabulary of its own, so nothing kept by the store is used). The
    dates of stored steps are made at the commit; which steps there are and their links, at every document."""
    fresh = rel.load_vocabulary()
    stored = sorted((s.pair_key, s.level, [x.row() for x in s.sources]) for s in rel.steps(store))
    return stored, sorted((s.pair_key, s.level, [x.row() for x in s.sources]) for s in rel.derive(store, fresh))


def _ingest(tmp_path, name, orders: list[list[int]], group: int, monkeypatch):
    """Ingest the folders of ``orders`` one after the other into one new database, ``group`` documents a
    commit; the stored ladder, checked against one made from scratch after each run and, for its steps and
    links, before each document."""
    monkeypatch.setattr(ingest, "GROUP_DOCUMENTS", group)
    with Store(tmp_path / f"{name}.db") as store:
        def progress(done, total, _name):
            if store.in_transaction:
                stored, derived = _links_now(store)
                assert stored == derived, f"after {done} of {total} documents"

        for n, order in enumerate(orders):
            ingest.ingest_paths(store, [_folder(tmp_path / f"{name}-{n}", order)], jobs=1, progress=progress)
            stored = _stored(store)
            assert sorted(row[1:] for row in stored) == _from_scratch(store)
        return stored


def test_the_ladder_kept_up_by_document_is_the_one_made_from_scratch(tmp_path, monkeypatch):
    forward = list(range(len(ARTICLES)))
    by_cut = {group: _ingest(tmp_path, f"forward-{group}", [forward], group, monkeypatch) for group in (1, 2, 64)}
    # the same steps (ids, dates, links) whether each document is committed alone or all in one group
    assert by_cut[1] == by_cut[2] == by_cut[64]
    steps = {(pair, level): (date, disputed) for _id, pair, _label, level, date, _p, _s, _e, disputed, _links
             in by_cut[64]}
    # the date moved from 1974 to 1973 as the articles came (inside one group: made again at its commit)
    assert steps[("Japan|Vietnam", "diplomatic-relations")] == ("1973-09", True)
    assert len(steps) == 7
    shuffled = forward[:]
    random.Random(7).shuffle(shuffled)
    # another order, in one group and in two runs (the second into the grown database)
    _ingest(tmp_path, "shuffled", [shuffled], 64, monkeypatch)
    _ingest(tmp_path, "halves", [shuffled[:5], shuffled[5:]], 3, monkeypatch)


@pytest.mark.parametrize("group", [1, 64])
def test_an_edit_between_ingestions_is_followed_by_the_kept_ladder(tmp_path, monkeypatch, group):
    """A step the user changed keeps its date; a milestone rejected leaves its step; the next articles are
    added to the ladder as a rebuild from scratch would (the user's step excepted)."""
    from partnership_explorer.core import curation
    from partnership_explorer.core.query import EventFilter, list_events

    monkeypatch.setattr(ingest, "GROUP_DOCUMENTS", group)
    order = list(range(len(ARTICLES)))
    with Store(tmp_path / "t.db") as store:
        ingest.ingest_paths(store, [_folder(tmp_path / "a", order[:6])], jobs=1)
        [strategic] = [s for s in rel.steps(store) if s.level == "strategic-partnership"]
        rel.edit_step(store, strategic.id, date="2010")
        [upgrade] = [e["id"] for e in list_events(store, EventFilter(kinds=("milestone",)))
                     if "Comprehensive" in e["title"] and "Japan" in e["title"]][:1]
        curation.reject(store, upgrade)
        ingest.ingest_paths(store, [_folder(tmp_path / "b", order[6:])], jobs=1)
        stored = {(s.pair_key, s.level): s for s in rel.steps(store)}
        assert stored[("Japan|Vietnam", "strategic-partnership")].date == "2010"
        assert stored[("Japan|Vietnam", "strategic-partnership")].status == "edited"
        derived = {(s.pair_key, s.level): s for s in rel.derive(store)}
        assert set(stored) == set(derived)
        for key, step in stored.items():
            assert [x.row() for x in step.sources] == [x.row() for x in derived[key].sources]
            if key != ("Japan|Vietnam", "strategic-partnership"):
                assert (step.date, step.disputed, step.pair_label) == (
                    derived[key].date, derived[key].disputed, derived[key].pair_label)
