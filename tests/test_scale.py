"""Level of detail at scale: 1M synthetic rows, counts conserved, a cell lists exactly its events."""

import numpy as np
import pytest

from partnership_explorer.core.timeline import aggregate, column_edges, rows_in_cell, synthetic, to_days


@pytest.fixture(scope="module")
def big():
    return synthetic(1_000_000, 15, seed=11)


VIEWS = [
    (None, None, 1400),                                   # full range
    (to_days("2010-01-01"), to_days("2020-01-01"), 1400),  # 10 years
    (to_days("2019-03-05"), to_days("2020-03-05"), 1400),  # 1 year, unaligned
    (to_days("2019-06-01") + 0.37, to_days("2019-07-01") + 0.37, 997),  # 1 month, odd columns
]


def _bounds(data, x0, x1):
    if x0 is None:
        lo, hi = data.extent
        span = hi - lo
        return lo - span * 0.03, hi + span * 0.03
    return x0, x1


@pytest.mark.parametrize("view", VIEWS)
def test_aggregate_conserves_counts(big, view):
    x0, x1 = _bounds(big, view[0], view[1])
    counts = aggregate(big, x0, x1, view[2])
    overlapping = (big.start < x1) & (big.end > x0)
    expected = np.bincount(big.lane[overlapping].astype(np.int64), minlength=len(big.lanes))
    assert counts.shape == (len(big.lanes), view[2])
    assert np.array_equal(counts.sum(axis=1), expected)
    assert counts.sum() == overlapping.sum() > 0


@pytest.mark.parametrize("view", VIEWS)
def test_a_cell_lists_exactly_its_events(big, view):
    x0, x1 = _bounds(big, view[0], view[1])
    cols = view[2]
    counts = aggregate(big, x0, x1, cols)
    edges = column_edges(x0, x1, cols)
    rng = np.random.default_rng(3)
    lanes, columns = np.nonzero(counts)
    picks = rng.choice(len(lanes), size=min(25, len(lanes)), replace=False)
    cells = [(int(lanes[i]), int(columns[i])) for i in picks] + [(0, 0), (1, cols - 1)]
    mid = np.clip((big.start + big.end) * 0.5, x0, x1)
    overlapping = (big.start < x1) & (big.end > x0)
    col_of = np.clip(np.searchsorted(edges, mid, side="right") - 1, 0, cols - 1)
    for lane, col in cells:
        ids = rows_in_cell(big, lane, float(edges[col]), float(edges[col + 1]), view=(x0, x1))
        assert len(ids) == counts[lane, col]
        expected = big.event_id[overlapping & (big.lane == lane) & (col_of == col)]
        assert sorted(ids) == sorted(expected.tolist())
    # a run of whole columns lists the union of its cells
    lane = int(np.argmax(counts.sum(axis=1)))
    a, b = cols // 3, cols // 3 + 7
    ids = rows_in_cell(big, lane, float(edges[a]), float(edges[b]), view=(x0, x1))
    assert len(ids) == counts[lane, a:b].sum()
