"""Where the indicator row writes its figures and its legend, without Qt: geometry only.

The row (``qt/indicator_row.py``) draws dated figures as points; each point is labelled with the figure as
written ("$86.7 billion"). Several figures of one year, or of nearby years, would write their labels over one
another, so :func:`place_point_labels` places them as chart tools do: each label takes the first free position
of a fixed list (above its point, below it, beside it, then stacked further above or below within the row's
room), never over another label, a point or the legend, never out of the row; a label with no free position is
left out (the point's tooltip still gives the figure). Labels choose in the order the caller gives (the selected
point first, then the latest figures), so the ones left out are the least important.

:func:`flow_legend` lays out the names of the series along the top of the row, on as many lines as allowed,
with "+ N more" when they do not fit.

Coordinates are the painter's pixels (y grows downwards); rectangles are ``(x0, y0, x1, y1)``. Both functions
take the text widths from the caller (the font's metrics on screen, plain numbers in tests), so the window and
the exports, which paint through the same code, place labels identically.
"""

from __future__ import annotations

from typing import Callable, NamedTuple, Sequence

import numpy as np

LABEL_GAP = 2.0        # pixels kept free between a label and a point or another label
MAX_STACK = 4          # positions stacked further above (and below) a point, beyond the nearest one
MAX_CONSIDERED = 400   # at most this many points (in the caller's order) ask for a label in one paint


class PlacedLabel(NamedTuple):
    """A label's rectangle, the point it belongs to (its index in the caller's lists) and where it sits."""

    index: int
    x0: float
    y0: float
    x1: float
    y1: float
    where: str     # "above" | "below" | "right" | "left" (a stacked label is "above" or "below")
    leader: tuple[float, float, float, float] | None = None   # a stacked label's line to its point (a thin rect)

    @property
    def rect(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0, self.x1, self.y1)


def _candidates(cx: float, cy: float, r: float, w: float, h: float, frame, gap: float):
    """The positions tried for one label, best first: x0 and y0 arrays, where each sits, and for a stacked one
    the leader line joining it to its point (``(x0, y0, x1, y1)`` rows; an empty one, ``x0 > x1``, otherwise)."""
    left, top, right, bottom = frame
    xs, ys, where, leaders = [], [], [], []
    lo, hi = left, right - w
    none = (1.0, 0.0, 0.0, 0.0)

    def clamp(x: float) -> float:
        return min(max(x, lo), hi) if hi >= lo else lo

    # horizontal anchors of a label above or below: centred on the point, starting at it, ending at it
    anchors = (cx - w / 2, cx - r, cx + r - w)
    step = h + gap
    for k in range(MAX_STACK + 1):
        for side, y0 in (("above", cy - r - gap - h - k * step), ("below", cy + r + gap + k * step)):
            if not k:
                leader = none
            elif side == "above":
                leader = (cx - 0.5, y0 + h, cx + 0.5, cy - r - 0.5)
            else:
                leader = (cx - 0.5, cy + r + 0.5, cx + 0.5, y0)
            for ax in anchors:
                xs.append(clamp(ax))
                ys.append(y0)
                where.append(side)
                leaders.append(leader)
        if k == 0:     # beside the point, on its centre line: right, then left
            xs += [cx + r + gap, cx - r - gap - w]
            ys += [cy - h / 2, cy - h / 2]
            where += ["right", "left"]
            leaders += [none, none]
    return np.asarray(xs), np.asarray(ys), where, np.asarray(leaders)


def _meets(x0, y0, x1, y1, blockers, grow: float):
    """For each candidate rectangle, whether it (grown by ``grow``) overlaps any of ``blockers``."""
    return ((x0[:, None] - grow < blockers[None, :, 2]) & (x1[:, None] + grow > blockers[None, :, 0])
            & (y0[:, None] - grow < blockers[None, :, 3]) & (y1[:, None] + grow > blockers[None, :, 1])).any(axis=1)


def place_point_labels(points: Sequence[tuple[float, float, float]], widths: Sequence[float], height: float,
                       frame: tuple[float, float, float, float], *, order: Sequence[int] | None = None,
                       obstacles: Sequence[tuple[float, float, float, float]] = (),
                       gap: float = LABEL_GAP) -> list[PlacedLabel]:
    """Collision-free labels for the points ``(x, y, radius)``, the label of point ``i`` ``widths[i]`` wide and
    ``height`` tall, inside ``frame`` ``(left, top, right, bottom)``.

    Each label takes the first free position of: above its point (centred, then starting at the point, then
    ending at it, kept inside the frame), below it (the same three), right of it, left of it, then the same
    above and below one line further away at a time, up to :data:`MAX_STACK` lines. A position is free when it
    lies wholly inside ``frame`` and its rectangle, grown by ``gap``, meets no point (as its square), no rectangle
    of ``obstacles`` (the legend) and no label placed before; a stacked label (beyond the nearest line) also needs
    a free path for its leader, a vertical line from its point to it (:attr:`PlacedLabel.leader`, an obstacle
    for the labels placed after it). Points choose in ``order`` (indices, most
    important first; all points in their order when omitted); a point with no free position, one outside the
    frame, or one beyond the first :data:`MAX_CONSIDERED` of ``order`` gets no label.

    Returns the placed labels in placing order. Cost: for each label, one numpy test of its few dozen positions
    against the points, the obstacles and the labels placed so far.
    """
    n = len(points)
    if not n:
        return []
    pts = np.asarray(points, dtype=float).reshape(n, 3)
    left, top, right, bottom = (float(v) for v in frame)
    frame = (left, top, right, bottom)
    # fixed obstacles: every point's square (its own included: a label never covers a point) and the legend
    fixed = np.column_stack([pts[:, 0] - pts[:, 2], pts[:, 1] - pts[:, 2], pts[:, 0] + pts[:, 2], pts[:, 1] + pts[:, 2]])
    if len(obstacles):
        fixed = np.vstack([fixed, np.asarray(obstacles, dtype=float).reshape(-1, 4)])
    placed = np.empty((0, 4))
    out: list[PlacedLabel] = []
    sequence = range(n) if order is None else order
    for count, i in enumerate(sequence):
        if count >= MAX_CONSIDERED:
            break
        cx, cy, r = (float(v) for v in pts[i])
        w = float(widths[i])
        if not (left <= cx <= right and top <= cy <= bottom) or w <= 0 or w > right - left:
            continue
        xs, ys, where, lead = _candidates(cx, cy, r, w, height, frame, gap)
        x1s, y1s = xs + w, ys + height
        ok = (xs >= left - 1e-6) & (x1s <= right + 1e-6) & (ys >= top - 1e-6) & (y1s <= bottom + 1e-6)
        if not ok.any():
            continue
        blockers = np.vstack([fixed, placed]) if len(placed) else fixed
        ok &= ~_meets(xs, ys, x1s, y1s, blockers, gap)
        # a stacked label's leader line crosses no point, legend or label either (its own point excluded)
        stacked = lead[:, 0] <= lead[:, 2]
        if stacked.any():
            others = np.delete(blockers, i, axis=0)
            ok[stacked] &= ~_meets(lead[stacked, 0], lead[stacked, 1], lead[stacked, 2], lead[stacked, 3],
                                   others, 0.0)
        free = np.flatnonzero(ok)
        if not len(free):
            continue     # no room: the tooltip gives the figure
        k = int(free[0])
        leader = tuple(float(v) for v in lead[k]) if stacked[k] else None
        label = PlacedLabel(int(i), float(xs[k]), float(ys[k]), float(x1s[k]), float(y1s[k]), where[k], leader)
        out.append(label)
        placed = np.vstack([placed, np.asarray([label.rect] + ([leader] if leader else []))])
    return out


class LegendItem(NamedTuple):
    """One entry of the legend: the series' index (-1 for "+ N more"), where its swatch starts, its line."""

    index: int
    x: float
    line: int
    text: str
    width: float    # swatch, gap and text


SWATCH_PX = 18.0   # the line sample and the gap after it
ITEM_GAP_PX = 16.0


def flow_legend(texts: Sequence[str], measure: Callable[[str], float], left: float, right: float, *,
                max_lines: int = 2) -> list[LegendItem]:
    """The legend's entries laid out left to right from ``left``, wrapping before ``right``, on at most
    ``max_lines`` lines; when they do not all fit, the last line ends with "+ N more" (N series not named: the
    View → Indicators menu names them). An entry wider than a whole line is still drawn alone on its line (the
    painter elides it to the row's width)."""
    items: list[LegendItem] = []
    x, line = left, 0
    for i, text in enumerate(texts):
        w = SWATCH_PX + measure(text)
        if x > left and x + w > right:
            line, x = line + 1, left
        if line >= max_lines:
            break
        items.append(LegendItem(i, x, line, text, w))
        x += w + ITEM_GAP_PX
    hidden = len(texts) - len(items)
    while hidden:
        more = f"+ {hidden} more"
        w = measure(more)
        last = items[-1] if items else None
        x = last.x + last.width + ITEM_GAP_PX if last else left
        if last is None or x + w <= right:
            items.append(LegendItem(-1, x, last.line if last else 0, more, w))
            break
        items.pop()            # make room for "+ N more" by naming one series fewer
        hidden += 1
    return items


def legend_lines(items: Sequence[LegendItem]) -> int:
    return max((it.line for it in items), default=-1) + 1
