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
COVERED_PX = 1.5       # a point this close to one that chooses before it is under it and gets no label


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


def _template():
    """The positions tried for a label, best first, as coefficients: a label ``w`` wide and ``h`` tall, of a
    point at ``(cx, cy)`` of radius ``r``, starts at ``x0 = cx + ax*w + bx*r + cx_*gap`` (kept inside the frame
    when ``clamp``) and ``y0 = cy + ay*r + by*h + cy_*gap + k*(h + gap)``. ``k`` counts the lines a stacked
    label is moved away (it then needs a leader line); ``side`` is -1 above, +1 below, 0 beside."""
    rows = []
    anchors = ((-0.5, 0.0), (0.0, -1.0), (-1.0, 1.0))    # centred on the point, starting at it, ending at it
    for k in range(MAX_STACK + 1):
        for side in (-1, 1):
            for ax, bx in anchors:
                if side < 0:
                    rows.append((ax, bx, 0.0, True, -1.0, -1.0, -1.0, -k, side, k))
                else:
                    rows.append((ax, bx, 0.0, True, 1.0, 0.0, 1.0, k, side, k))
        if k == 0:     # beside the point, on its centre line: right, then left
            rows.append((0.0, 1.0, 1.0, False, 0.0, -0.5, 0.0, 0, 0, 0))
            rows.append((-1.0, -1.0, -1.0, False, 0.0, -0.5, 0.0, 0, 0, 0))
    cols = list(zip(*rows))
    return tuple(np.asarray(c, dtype=float) for c in cols)


_AX, _BX, _GX, _CLAMP, _AY, _BY, _GY, _KY, _SIDE, _K = _template()
_CLAMP = _CLAMP.astype(bool)
_WHERE = np.where(_SIDE < 0, "above", np.where(_SIDE > 0, "below", np.where(_GX > 0, "right", "left")))


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
    important first; all points in their order when omitted, which the caller should draw on top); a point with
    no free position, one outside the frame, one beyond the first :data:`MAX_CONSIDERED` of ``order``, or one
    under a point before it in ``order`` (centres within :data:`COVERED_PX`) gets no label.

    Returns the placed labels in placing order. Cost: the positions of every label are computed at once; then for
    each label one numpy test of its few dozen positions against the points and obstacles within its reach and
    the labels placed so far.
    """
    n = len(points)
    if not n:
        return []
    pts = np.asarray(points, dtype=float).reshape(n, 3)
    ws = np.asarray(widths, dtype=float).reshape(n)
    left, top, right, bottom = (float(v) for v in frame)
    h = float(height)
    seq = np.arange(n) if order is None else np.asarray(order, dtype=np.int64).reshape(-1)
    px, py = pts[seq, 0], pts[seq, 1]
    keep = (left <= px) & (px <= right) & (top <= py) & (py <= bottom) & (ws[seq] > 0) & (ws[seq] <= right - left)
    seq = seq[keep][:MAX_CONSIDERED]
    if not len(seq):
        return []
    # a point drawn right under one that chooses before it (the caller draws that one on top) is hidden: its
    # label would name a point nobody sees (the tooltip names both)
    sx, sy = pts[seq, 0], pts[seq, 1]
    close = (np.abs(sx[:, None] - sx[None, :]) < COVERED_PX) & (np.abs(sy[:, None] - sy[None, :]) < COVERED_PX)
    seq = seq[~np.tril(close, -1).any(axis=1)]
    # every candidate of every considered label at once: (labels, candidates)
    cx, cy, r, w = pts[seq, 0:1], pts[seq, 1:2], pts[seq, 2:3], ws[seq][:, None]
    x0 = cx + _AX * w + _BX * r + _GX * gap
    x0 = np.where(_CLAMP, np.clip(x0, left, np.maximum(right - w, left)), x0)
    y0 = cy + _AY * r + _BY * h + _GY * gap + _KY * (h + gap)
    x1, y1 = x0 + w, y0 + h
    eps = 1e-6
    inside = (x0 >= left - eps) & (x1 <= right + eps) & (y0 >= top - eps) & (y1 <= bottom + eps)
    # leader lines of stacked candidates: a 1 px wide strip on the point's x, from its edge to the label's edge
    stacked = _K > 0
    lx0, lx1 = cx - 0.5 + 0 * x0, cx + 0.5 + 0 * x0
    ly0 = np.where(_SIDE < 0, y1, cy + r + 0.5)
    ly1 = np.where(_SIDE < 0, cy - r - 0.5, y0)
    # the points' squares (its own included: a label never covers a point), sorted by left edge so that each
    # label tests only those within reach of its candidates; the caller's obstacles (the legend) are always tested
    fixed = np.column_stack([pts[:, 0] - pts[:, 2], pts[:, 1] - pts[:, 2], pts[:, 0] + pts[:, 2], pts[:, 1] + pts[:, 2]])
    by_left = np.argsort(fixed[:, 0], kind="stable")
    fixed, owner = fixed[by_left], by_left
    widest = float(np.max(fixed[:, 2] - fixed[:, 0]))
    reach_lo = np.searchsorted(fixed[:, 0], x0.min(axis=1) - gap - widest, side="left")
    reach_hi = np.searchsorted(fixed[:, 0], x1.max(axis=1) + gap, side="right")
    extra = np.asarray(obstacles, dtype=float).reshape(-1, 4)
    placed = extra          # the obstacles, then each label (and its leader) as it is placed
    out: list[PlacedLabel] = []
    for j, i in enumerate(seq):
        ok = inside[j].copy()
        if not ok.any():
            continue
        lo, hi = reach_lo[j], reach_hi[j]
        near, near_owner = fixed[lo:hi], owner[lo:hi]
        blockers = np.vstack([near, placed]) if len(placed) else near
        if len(blockers):
            ok &= ~_meets(x0[j], y0[j], x1[j], y1[j], blockers, gap)
            # a stacked label's leader line crosses no point, legend or label either (its own point excluded)
            lead = ok & stacked
            if lead.any():
                others = blockers[np.concatenate([near_owner != i, np.ones(len(placed), dtype=bool)])]
                ok[lead] = ~_meets(lx0[j][lead], ly0[j][lead], lx1[j][lead], ly1[j][lead], others, 0.0)
        free = np.flatnonzero(ok)
        if not len(free):
            continue     # no room: the tooltip gives the figure
        k = int(free[0])
        leader = (float(lx0[j, k]), float(ly0[j, k]), float(lx1[j, k]), float(ly1[j, k])) if stacked[k] else None
        label = PlacedLabel(int(i), float(x0[j, k]), float(y0[j, k]), float(x1[j, k]), float(y1[j, k]),
                            str(_WHERE[k]), leader)
        out.append(label)
        placed = np.vstack([placed, np.asarray([label.rect] + ([leader] if leader else []))])
    return out


def label_order(selected: Sequence[bool], leading: Sequence[bool], x: Sequence[float],
                quantity: Sequence[float]) -> list[int]:
    """The order in which points choose their label's place (:func:`place_point_labels`), so that those left out
    when there is no room are the least important: the selected point first, then the ``leading`` ones (each
    series' latest figure and its targets), then later figures before earlier ones (``x``), larger before smaller.
    Ties keep the caller's order."""
    return sorted(range(len(x)), key=lambda i: (not selected[i], not leading[i], -x[i], -abs(quantity[i])))


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
                max_lines: int = 2, not_drawn: int = 0) -> list[LegendItem]:
    """The legend's entries laid out left to right from ``left``, wrapping before ``right``, on at most
    ``max_lines`` lines; when they do not all fit, or ``not_drawn`` more series are left out of the row, the last
    line ends with "+ N more" (N series not named: the View → Indicators menu names them). An entry wider than a
    whole line is still drawn alone on its line (the painter elides it to the row's width)."""
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
    hidden = len(texts) - len(items) + max(0, int(not_drawn))
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
