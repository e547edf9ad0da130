"""Where the count badges of the timeline go, without Qt.

A glyph that stands for several events of one period in one lane carries a count badge ("4",
:func:`.timeline_layout.same_period_groups`). Zoomed out over decades, the glyphs of a lane crowd and a badge
beside each would cover its neighbours and the other badges. :func:`place_badges` gives each badge the first
free place among: right of its glyph, left of it, and over the glyph itself (inside the right end of a wide bar,
else centred on it). A place is free when the badge, with :data:`BADGE_GAP` around it, meets no other glyph of
the lane, no badge placed before and stays inside the plot. Larger counts choose first, then left to right. A
badge that finds no free place is left out: its glyph's tooltip and a click on it still list the events, and it
is drawn stacked (a second outline behind it, :func:`unbadged`) so that it still reads as several events.
:func:`clear_of` then leaves out the badges that a label drawn over the crowd (the selected event's, a
relationship milestone's) would cover.

Everything is in scene pixels, one lane per call (the lane's badges share its centre line), numpy over the
glyphs; the painter (``qt/timeline_items.py``) draws what this returns, on screen and in every export.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

BADGE_GAP = 1.0   # pixels kept free around a badge


@dataclass(frozen=True)
class PlacedBadges:
    """The badges of one lane that found a place: ``index`` into the grouped glyphs given, their left edges
    ``x``, widths ``w``, the common top ``y`` and height ``h``."""

    index: np.ndarray
    x: np.ndarray
    w: np.ndarray
    y: float
    h: float

    def __len__(self) -> int:
        return len(self.index)

    def rects(self) -> list[tuple[float, float, float, float]]:
        """(x0, y0, x1, y1) of each badge."""
        return [(x, self.y, x + w, self.y + self.h) for x, w in zip(self.x.tolist(), self.w.tolist())]

    def subset(self, keep: np.ndarray) -> "PlacedBadges":
        return PlacedBadges(self.index[keep], self.x[keep], self.w[keep], self.y, self.h)


def candidates(bx0: np.ndarray, bx1: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Left edges of the places a badge of width ``w`` may take beside a glyph spanning ``[bx0, bx1]``, in order
    of preference: (glyphs, 3) — right of it, left of it, over it (inside the right end of a bar wider than the
    badge, else centred on the glyph)."""
    right = bx1 + BADGE_GAP
    left = bx0 - BADGE_GAP - w
    inside = np.where(bx1 - bx0 >= w + 4, bx1 - 2 - w, (bx0 + bx1 - w) / 2)
    return np.stack([right, left, inside], axis=1)


def place_badges(boxes: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], grouped: np.ndarray,
                 widths: np.ndarray, counts: np.ndarray, *, yc: float, height: float, vleft: float,
                 vright: float) -> PlacedBadges:
    """Badges of one lane: ``boxes`` are the (x0, y0, x1, y1) arrays of every glyph of the lane (the rectangle
    each covers), ``grouped`` the indices of the glyphs that carry a badge, ``widths`` and ``counts`` theirs;
    ``yc`` is the lane's centre line, ``height`` the badges' height, ``[vleft, vright]`` the plot's edges. No two
    placed badges meet, none meets a glyph other than its own (over its own glyph only in the last place), none
    leaves the plot."""
    grouped = np.asarray(grouped, dtype=np.int64)
    widths = np.asarray(widths, dtype=np.float64)
    y0, y1 = yc - height / 2, yc + height / 2
    empty = PlacedBadges(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), y0, height)
    if not len(grouped):
        return empty
    ox0, oy0, ox1, oy1 = (np.asarray(a, dtype=np.float64) for a in boxes)
    cand = candidates(ox0[grouped], ox1[grouped], widths)                         # (g, 3)
    c0 = cand - BADGE_GAP
    c1 = cand + widths[:, None] + BADGE_GAP
    inside_plot = (cand >= vleft + 1) & (cand + widths[:, None] <= vright - 1)
    # glyphs of the lane beside the badge's row, as a band sorted by left edge: a candidate meets one of them when
    # a glyph starting before the candidate's right end ends after its left end
    near = (oy1 > y0 - BADGE_GAP) & (oy0 < y1 + BADGE_GAP)
    free = inside_plot.copy()
    idx = np.flatnonzero(near)
    if len(idx):
        order = idx[np.argsort(ox0[idx], kind="stable")]
        s0, s1 = ox0[order], ox1[order]
        # at most this many glyphs can start within a candidate: test them all at once
        upto = np.searchsorted(s0, c1, side="left")                                 # glyphs starting before c1
        lo = np.searchsorted(s0, c0 - (s1 - s0).max(initial=0.0), side="left")       # none earlier can reach c0
        span = int((upto - lo).max(initial=0))
        if span:
            k = lo[..., None] + np.arange(span)                                      # (g, 3, span)
            valid = k < upto[..., None]
            k = np.minimum(k, len(order) - 1)
            hit = valid & (s1[k] > c0[..., None]) & (order[k] != grouped[:, None, None])
            free &= ~hit.any(axis=2)
    # larger counts first, then left to right; each takes its first place free of the badges placed before
    prio = np.lexsort((ox0[grouped], -np.asarray(counts, dtype=np.int64)))
    starts: list[float] = []   # placed badges of the lane, sorted by left edge (they share a row: 1-D intervals)
    ends: list[float] = []
    chosen, xs = [], []
    free_l = free.tolist()
    cand_l = cand.tolist()
    w_l = widths.tolist()
    for g in prio.tolist():
        w = w_l[g]
        for p in range(3):
            if not free_l[g][p]:
                continue
            a, b = cand_l[g][p] - BADGE_GAP, cand_l[g][p] + w + BADGE_GAP
            i = bisect_left(starts, a)
            if (i < len(starts) and starts[i] < b) or (i > 0 and ends[i - 1] > a):
                continue
            starts.insert(i, a)
            ends.insert(i, b)
            chosen.append(g)
            xs.append(cand_l[g][p])
            break
    if not chosen:
        return empty
    keep = np.argsort(np.asarray(chosen), kind="stable")
    index = np.asarray(chosen, dtype=np.int64)[keep]
    return PlacedBadges(index, np.asarray(xs)[keep], widths[index], y0, height)


def clear_of(badges: PlacedBadges, rects: np.ndarray) -> PlacedBadges:
    """The badges that meet none of ``rects`` ((n, 4) array of x0, y0, x1, y1: the labels drawn over the crowd)."""
    if not len(badges) or not len(rects):
        return badges
    r = np.asarray(rects, dtype=np.float64).reshape(-1, 4)
    bx0, bx1 = badges.x[:, None], (badges.x + badges.w)[:, None]
    meet = ((r[None, :, 0] < bx1) & (r[None, :, 2] > bx0) & (r[None, :, 1] < badges.y + badges.h)
            & (r[None, :, 3] > badges.y))
    return badges.subset(~meet.any(axis=1))


# -- stacked glyphs ---------------------------------------------------------------------------------------------
STACK_OFFSET = 4.0   # pixels up and right of its glyph where the outline of a stacked glyph's second sheet goes


def unbadged(grouped: np.ndarray, badged: np.ndarray) -> np.ndarray:
    """Of the glyphs ``grouped`` that stand for several events, those whose count badge is not drawn (no room, or
    under a label drawn over the crowd): they are drawn stacked — a second outline :data:`STACK_OFFSET` up and
    right of the glyph, behind it — so that they still read as several events, in the window and in every
    export."""
    grouped = np.asarray(grouped, dtype=np.int64)
    return grouped[~np.isin(grouped, np.asarray(badged, dtype=np.int64))]


def stacked_boxes(boxes: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], stacked: np.ndarray,
                  offset: float = STACK_OFFSET) -> tuple[np.ndarray, ...]:
    """``boxes`` (x0, y0, x1, y1 of each glyph) with the glyphs ``stacked`` grown by their second outline (up and
    right by ``offset``): what the labels keep clear of."""
    x0, y0, x1, y1 = (np.asarray(a, dtype=np.float64).copy() for a in boxes)
    stacked = np.asarray(stacked, dtype=np.int64)
    if len(stacked):
        x1[stacked] += offset
        y0[stacked] -= offset
    return x0, y0, x1, y1
