"""Where the timeline draws what, without Qt: level of detail, glyph geometry, label placement, heat-map pixels.

Everything here is numpy over the rows of a :class:`~.timeline.TimelineData` and plain numbers; the Qt items
(``qt/timeline_items.py``) only paint the results. Coordinates are *scene pixels*: a data point ``(days, lane)``
maps to ``(days * sx + tx, lane * sy + ty)``, the transform the view gives the painter, and ``lane_h`` is the
height of a lane in pixels (``abs(sy)``).

* :func:`level_of_detail` – per view: the pixel columns, the counts per lane and column, which lanes are crowded
  (drawn as a heat-map, :func:`heat_rgba`, with counts in coarse cells, :func:`count_cells`) and which rows the
  sparse lanes draw one by one.
* :func:`glyph_geometry` – the marker or bar of each drawn row: day-precise events are circles whose radius
  (:func:`marker_radius`) and stroke (:func:`marker_stroke`) grow with the number of sources, periods and ranges
  are bars over their span; :func:`glyph_boxes` gives the rectangle each covers.
* :func:`place_labels` – titles beside their events without covering another glyph or title, measured and elided
  by callables the caller gives (the font's metrics on screen, anything in tests).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from .timeline import PRECISION_CODES, TimelineData, aggregate, column_edges, visible_rows

LOD_THRESHOLD = 300   # more events than this in view in one lane → that lane becomes a heat-map
COUNT_CELL_PX = 56    # width of the cells whose counts are written over a heat-map
MAX_LABEL_PX = 260    # titles longer than this are elided
LABEL_GAP = 4.0       # pixels kept free between a label and any glyph or other label
MIN_LABEL_PX = 64.0   # an elided label narrower than this is not worth drawing (the tooltip has it)
LABEL_CANDIDATES = 3  # per lane, at most this many times as many candidates as labels could fit are considered
MAX_SOURCE_STEPS = 7  # markers stop growing at this many sources
MAX_LABEL_ROWS = 4    # rows of titles above (and below) the glyphs of a tall lane


# -- level of detail ----------------------------------------------------------------------------
@dataclass
class LevelOfDetail:
    """What one view of the data draws: counts per lane and pixel column, and how each lane is drawn."""

    mode: str                    # "empty" | "glyphs" | "mixed" | "aggregate"
    lane_modes: list[str]        # "glyphs" | "aggregate" per lane
    counts: np.ndarray           # (lanes, columns) rows counted per column (core.timeline.aggregate)
    glyph_rows: np.ndarray       # rows of the sparse lanes overlapping the view, drawn one by one
    crowded: np.ndarray          # bool per lane: drawn as a heat-map
    span: tuple[float, float]    # the range the columns cover (whole days when a day is wider than a pixel)
    edges: np.ndarray | None = None          # column edges over ``span`` (None when nothing is drawn)
    count_cells: list[tuple[int, float, float, int]] | None = None  # see count_cells()

    def heat_counts(self) -> np.ndarray:
        """The counts of the crowded lanes only (zero elsewhere): what the heat-map image shows."""
        return np.where(self.crowded[:, None], self.counts, 0)


def level_of_detail(data: TimelineData, x0: float, x1: float, width_px: float,
                    counts_of: Callable[[TimelineData, float, float, int], np.ndarray] | None = None, *,
                    threshold: int = LOD_THRESHOLD) -> LevelOfDetail:
    """Bin the view ``[x0, x1)`` of ``width_px`` pixels per pixel column; lanes with more than ``threshold`` rows
    in view are crowded. ``counts_of(data, a0, a1, columns)`` gives the counts (an
    :class:`~.timeline.AggregateCache`'s ``get``; :func:`~.timeline.aggregate` by default).

    When a day is wider than a pixel, there is one column per day, aligned on midnight (events are at least a
    day long: finer columns would only draw thin lines).
    """
    counts_of = counts_of or aggregate
    n = len(data.lanes)
    cols = max(1, int(round(width_px))) if width_px > 1 else 800
    if not len(data) or x1 <= x0:
        return LevelOfDetail("empty", ["glyphs"] * n, np.zeros((n, cols), dtype=np.int64),
                             np.zeros(0, dtype=np.int64), np.zeros(n, dtype=bool), (x0, x1))
    a0, a1 = x0, x1
    if x1 - x0 < cols:
        a0, a1 = math.floor(x0), math.ceil(x1)
        cols = max(1, int(a1 - a0))
    counts = counts_of(data, a0, a1, cols)
    edges = column_edges(a0, a1, cols)
    col_px = max(width_px, 1.0) * (a1 - a0) / max(x1 - x0, 1e-9) / cols
    crowded = counts.sum(axis=1) > threshold
    if crowded.all():
        mode = "aggregate"
    elif crowded.any():
        mode = "mixed"
    else:
        mode = "glyphs"
    sparse = np.flatnonzero(~crowded)
    rows = visible_rows(data, x0, x1, lanes=sparse.tolist()) if len(sparse) else np.zeros(0, np.int64)
    cells = count_cells(counts, crowded, edges, max(1, int(round(COUNT_CELL_PX / col_px)))) if crowded.any() else []
    return LevelOfDetail(mode, ["aggregate" if c else "glyphs" for c in crowded], counts, rows, crowded, (a0, a1),
                         edges, cells)


def count_cells(counts: np.ndarray, crowded: np.ndarray, edges: np.ndarray, step: int) -> list:
    """Coarse cells (``step`` columns) of crowded lanes with their counts: ``(lane, x0, x1, count)`` for each
    cell that holds any (the numbers written over the heat-map)."""
    cols = counts.shape[1]
    step = max(1, step)
    out = []
    starts = np.arange(0, cols, step)
    for lane in np.flatnonzero(crowded).tolist():
        sums = np.add.reduceat(counts[lane], starts)
        for k, s in zip(starts.tolist(), sums.tolist()):
            if s > 0:
                out.append((lane, float(edges[k]), float(edges[min(k + step, cols)]), int(s)))
    return out


def heat_rgba(counts: np.ndarray, rgb: np.ndarray, *, sub: int, floor: int) -> np.ndarray:
    """``counts[lane, column]`` → an RGBA image ``(column, lane * sub, 4)``: each lane in its colour ``rgb[lane]``
    (uint8 triples), opaque at the largest count and fainter with fewer (``floor`` plus the rest in proportion
    to the log of the count), transparent where there is nothing. A lane is ``sub`` image rows; from 4 on, a
    transparent row above and below keeps neighbouring lanes apart."""
    n, cols = counts.shape if counts.ndim == 2 else (0, 1)
    img = np.zeros((cols, max(n, 1) * sub, 4), dtype=np.uint8)
    if n == 0:
        return img
    top = counts.max()
    if top <= 0:
        return img
    level = np.log1p(counts) / np.log1p(top)
    alpha = np.where(counts > 0, floor + (255 - floor) * level, 0).astype(np.uint8)  # (n, cols)
    rgb = np.asarray(rgb, dtype=np.uint8).reshape(n, 3)
    pad = 1 if sub >= 4 else 0
    for k in range(pad, sub - pad):  # sub-rows of each lane (a band narrower than the lane)
        img[:, k::sub, :3] = rgb[None, :, :]
        img[:, k::sub, 3] = alpha.T
    return img


# -- eras ---------------------------------------------------------------------------------------
def era_spans(eras, x0: float, x1: float) -> list[tuple[int, float, float]]:
    """(index, start, end) of the eras that meet the view ``[x0, x1]`` (days). The last era is open-ended (the
    relationship is still at that level): it reaches the view's right edge however far the view goes."""
    out = []
    for i, era in enumerate(eras):
        end = max(era.end, x1) if i == len(eras) - 1 else era.end
        if end >= x0 and era.start <= x1:
            out.append((i, float(era.start), float(end)))
    return out


_ERA_LABEL = re.compile(r"^(?P<name>.*?)\s*(?P<year>\b\d{4}–)?$")
_MINOR_WORDS = frozenset({"of", "and", "the", "for", "on", "in", "a", "an", "to"})


def abbreviation(name: str, short_name: Callable[[str], str | None] | None = None) -> str | None:
    """A level's short form: the relationship vocabulary's abbreviation ("Comprehensive Strategic Partnership" →
    "CSP", "Diplomatic relations" → "Dipl. relations"), else the initials of a name of two or more words ("Free
    Trade Agreement" → "FTA"); None for a single word (it is its own shortest readable form)."""
    if short_name is None:
        from .relationship import default_vocabulary

        short_name = default_vocabulary().short_name
    short = short_name(name)
    if short:
        return short
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", name) if w.lower() not in _MINOR_WORDS]
    return "".join(w[0].upper() for w in words) if len(words) >= 2 else None


def era_label_forms(label: str, short_name: Callable[[str], str | None] | None = None) -> list[str]:
    """The texts an era's label may be drawn as, longest first: ``"Comprehensive Strategic Partnership 2022–"``,
    ``"CSP 2022–"``, ``"CSP"``, ``"2022–"`` (the tint and the ladder band above still tell the era)."""
    m = _ERA_LABEL.match(label.strip())
    name, year = (m.group("name"), m.group("year")) if m else (label.strip(), None)
    forms = [label.strip()]
    short = abbreviation(name, short_name) if name else None
    if short and short != name:
        forms += [f"{short} {year}" if year else short] + ([short] if year else [])
    if year:
        forms.append(year)
    out: list[str] = []
    for f in forms:
        if f and f not in out:
            out.append(f)
    return out


def fit_era_label(label: str, room: float, measure: Callable[[str], float],
                  short_name: Callable[[str], str | None] | None = None) -> str | None:
    """The longest of :func:`era_label_forms` that fits ``room`` pixels whole (never a word cut to "Compr…"), or
    None when not even the year does."""
    for text in era_label_forms(label, short_name):
        if measure(text) <= room:
            return text
    return None


# -- glyphs -------------------------------------------------------------------------------------
def marker_radius(n_sources, lane_h: float) -> np.ndarray:
    """Radius in pixels of a day marker: grows with the number of sources, never above a third of the lane."""
    n = np.clip(np.asarray(n_sources, dtype=np.float64) - 1, 0, MAX_SOURCE_STEPS - 1)
    return np.minimum(4.5 + 1.2 * n, max(2.5, lane_h * 0.32))


def marker_stroke(n_sources) -> np.ndarray:
    """Outline width in pixels of a marker or bar: thicker with more sources."""
    return 1.0 + 0.3 * np.clip(np.asarray(n_sources, dtype=np.float64) - 1, 0, 5)


@dataclass(frozen=True)
class GlyphGeometry:
    """Scene-pixel geometry of some rows, one entry per row; ``geo[sl]`` is the geometry of a slice of them."""

    x0: np.ndarray      # left edge of the span
    w: np.ndarray       # width of the span (at least 3 px)
    xc: np.ndarray      # middle of the span: a marker's centre
    bar: np.ndarray     # drawn as a bar (a period or a range), else as a marker
    h: np.ndarray       # bar height
    y: np.ndarray       # lane centre
    r: np.ndarray       # marker radius
    stroke: np.ndarray  # outline width

    def __getitem__(self, sl) -> "GlyphGeometry":
        return GlyphGeometry(self.x0[sl], self.w[sl], self.xc[sl], self.bar[sl], self.h[sl], self.y[sl],
                             self.r[sl], self.stroke[sl])

    def __len__(self) -> int:
        return len(self.x0)


def glyph_geometry(data: TimelineData, rows: np.ndarray, sx: float, tx: float, sy: float, ty: float,
                   lane_h: float, clamp: tuple[float, float] | None = None) -> GlyphGeometry:
    """Geometry of ``rows`` (vectorised); ``clamp`` = the view's left and right edges cuts bars to a few pixels
    beyond them (a bar spanning centuries at deep zoom would overflow float32 paint paths)."""
    x0 = data.start[rows] * sx + tx
    x1 = data.end[rows] * sx + tx
    if clamp is not None:
        lo, hi = clamp[0] - 20.0, clamp[1] + 20.0
        x0 = np.clip(x0, lo, hi)
        x1 = np.clip(x1, lo, hi)
    precision = data.precision[rows]
    bar = (precision != PRECISION_CODES["day"]) | data.is_range[rows]
    h = np.full(len(rows), min(lane_h * 0.42, 16.0))
    h = np.where(precision == PRECISION_CODES["year"], h * 0.8, h)
    return GlyphGeometry(
        x0=x0, w=np.maximum(x1 - x0, 3.0), xc=(x0 + x1) * 0.5, bar=bar, h=h,
        y=data.lane[rows].astype(np.float64) * sy + ty, r=marker_radius(data.n_sources[rows], lane_h),
        stroke=marker_stroke(data.n_sources[rows]),
    )


def same_period_groups(data: TimelineData, rows: np.ndarray, prefer=None) -> tuple[np.ndarray, np.ndarray]:
    """Rows of one period in one lane draw as one glyph with a count badge: (the rows to draw, sorted by lane and
    start; how many rows each stands for). The one drawn for a group is a ``prefer``-red event (the selection),
    else the one with most sources, else the first."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) < 2:
        return rows, np.ones(len(rows), dtype=np.int64)
    lane, start, end = data.lane[rows], data.start[rows], data.end[rows]
    score = data.n_sources[rows].astype(np.int64)
    if prefer:
        score = score + np.isin(data.event_id[rows], np.fromiter(prefer, dtype=np.int64)) * (1 << 40)
    order = np.lexsort((-score, end, start, lane))
    lane, start, end = lane[order], start[order], end[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (lane[1:] != lane[:-1]) | (start[1:] != start[:-1]) | (end[1:] != end[:-1])
    heads = np.flatnonzero(first)
    counts = np.diff(np.append(heads, len(order)))
    return rows[order[heads]], counts


def glyph_boxes(geo: GlyphGeometry) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x0, y0, x1, y1) arrays of the rectangle each glyph covers (a bar with its outline, or a marker with the
    ring in the background colour drawn around it)."""
    half = geo.stroke / 2
    ring = geo.r + (geo.stroke + 3) / 2
    x0 = np.where(geo.bar, geo.x0 - half, geo.xc - ring)
    x1 = np.where(geo.bar, geo.x0 + geo.w + half, geo.xc + ring)
    y0 = np.where(geo.bar, geo.y - geo.h / 2 - half, geo.y - ring)
    y1 = np.where(geo.bar, geo.y + geo.h / 2 + half, geo.y + ring)
    return x0, y0, x1, y1


# -- labels -------------------------------------------------------------------------------------
class Label(NamedTuple):
    """A placed title: its rectangle in scene pixels, the text drawn (elided or whole), whether it sits inside
    its own bar (drawn without a halo), the data row it belongs to, and whether it is a priority label (the
    selected event, a relationship milestone) drawn above the crowd."""

    x: float
    y: float
    width: float
    height: float
    text: str
    inside: bool
    row: int
    priority: bool = False

    @property
    def right(self) -> float:
        return self.x + self.width

    def shifted(self, dx: float) -> "Label":
        return self._replace(x=self.x + dx)


def place_labels(data: TimelineData, rows: np.ndarray, geo: GlyphGeometry, *, line_height: float, lane_h: float,
                 vleft: float, vright: float, measure: Callable[[str], float],
                 elide: Callable[[str, float], str], boxes=None, widths: dict | None = None,
                 priority: np.ndarray | None = None) -> list[Label]:
    """Greedy, collision-free placement of titles in one lane (``rows`` of one lane, ``geo`` their geometry).

    Each label has these positions: right of its glyph on the lane's centre line; above, then below, the band of
    glyphs (when the lane is tall enough for a line of text there; a tall lane has up to :data:`MAX_LABEL_ROWS`
    rows each side, nearest first), starting where the glyph starts; inside its
    own bar when the bar is wider than the text and nothing else is drawn there; above and below again, ending
    where the glyph ends; left of its glyph on the centre line (where a label near the right edge goes). A
    position is free if the label's rectangle (plus :data:`LABEL_GAP`) meets no glyph of the lane and no label
    placed before. The first free position where the whole title fits is taken; when it fits nowhere, the free
    left-aligned position with the most room, the title elided to it (a title elided on the left of its event
    would read as the label of the event before), and skipped when that leaves less than :data:`MIN_LABEL_PX`.
    Events with more sources choose first. A skipped title is still in the tooltip.

    ``priority`` (bool per row) marks the rows that always get a label — the selected event, relationship
    milestones: they choose before all others, and when no free position holds most of the title, their label
    goes right of the glyph (left of it near the right edge) over whatever is there, elided to the view if needed
    (:attr:`Label.priority`: drawn above the crowd).

    ``measure(text)`` is the text's width in pixels, ``elide(text, width)`` the text cut to fit ``width`` (ending
    in "…", or empty); ``line_height`` is the height of a line of text. ``boxes`` are the glyphs' rectangles
    (:func:`glyph_boxes`, computed when omitted); ``widths`` a cache of title widths kept across calls.

    Vectorised: every candidate position is first tested against the glyphs at once (sorted obstacle edges and
    ``searchsorted``); each placed label then narrows or rules out the remaining positions in one numpy pass, so
    the cost grows with the number of placed labels, not with candidates × obstacles. At most
    :data:`LABEL_CANDIDATES` times the number of labels that could fit the lane are considered.
    """
    fh = line_height
    n = len(rows)
    if lane_h < fh * 0.95 or not n:
        return []
    prio = np.zeros(n, dtype=bool) if priority is None else np.asarray(priority, dtype=bool)
    ox0, oy0, ox1, oy1 = boxes if boxes is not None else glyph_boxes(geo)
    yc = float(geo.y[0])
    # the band of glyphs: as tall as their boxes (outlines, rings and badges included) reach from the centre line
    band = 2 * float(max(np.max(yc - oy0), np.max(oy1 - yc), np.max(geo.h) / 2, np.max(geo.r)))
    # obstacles: the glyphs grown by the gap
    ox0, ox1, oy0, oy1 = ox0 - LABEL_GAP, ox1 + LABEL_GAP, oy0 - 1, oy1 + 1
    tall = lane_h >= band + 2 * fh + 4
    off = min(band / 2 + fh / 2 + 1.5, lane_h / 2 - fh / 2)
    # a tall lane (one sector filtered) has several rows of titles above and below its glyphs, nearest first
    n_rows = 0 if not tall else max(1, min(MAX_LABEL_ROWS, int((lane_h / 2 - fh / 2 - off) // (fh + 2)) + 1))
    offs = [off + k * (fh + 2) for k in range(n_rows)]
    gx0, gw, gxc, gbar, gr = geo.x0, geo.w, geo.xc, geo.bar, geo.r
    lo_x, hi_x = vleft + 2, vright - 2
    g_left = np.where(gbar, gx0, gxc - gr)
    g_right = np.where(gbar, gx0 + gw, gxc + gr)
    start = np.maximum(g_left, lo_x)
    ids = data.event_id[rows]
    # positions: (fixed edge, centre y, limit, valid, skip own obstacle, left-aligned). A left-aligned label starts
    # at its fixed edge and may grow right up to its limit; a right-aligned one (left of its glyph) ends at its
    # fixed edge and may grow left down to its limit.
    right_lx = np.maximum(g_right, ox1 - LABEL_GAP) + LABEL_GAP + 1
    left_rx = np.minimum(g_left, ox0 + LABEL_GAP) - LABEL_GAP - 1
    positions = [(right_lx, yc, np.full(n, hi_x), np.ones(n, bool), False, True)]
    everywhere = np.ones(n, bool)
    for o in offs[:1]:
        positions += [(start, yc - o, np.full(n, hi_x), everywhere, False, True),
                      (start, yc + o, np.full(n, hi_x), everywhere, False, True)]
    inside_ok = gbar & (g_right - start > MIN_LABEL_PX + 6)
    if inside_ok.any():
        positions.append((start + 3, yc, np.minimum(g_right, hi_x) - 3, inside_ok, True, True))
    for o in offs[1:]:
        positions += [(start, yc - o, np.full(n, hi_x), everywhere, False, True),
                      (start, yc + o, np.full(n, hi_x), everywhere, False, True)]
    # right-aligned: above and below, ending at the glyph's right end; on the centre line, left of the glyph.
    # These take a label only whole (an elided title left of its event reads as the label of the one before)
    end = np.minimum(g_right, hi_x)
    for o in offs:
        positions += [(end, yc - o, np.full(n, lo_x), everywhere, False, False),
                      (end, yc + o, np.full(n, lo_x), everywhere, False, False)]
    positions.append((left_rx, yc, np.full(n, lo_x), everywhere, False, False))
    n_pos = len(positions)
    half_h = fh / 2
    # obstacle-only test of every position of every glyph
    free = np.empty((n_pos, n))
    alive = np.empty((n_pos, n), dtype=bool)
    fixed = np.empty((n_pos, n))
    for p, (fx, y, limit, valid, skip, left_aligned) in enumerate(positions):
        top, bottom = y - half_h, y + half_h
        m = (oy1 > top) & (oy0 < bottom)
        sx0 = np.sort(ox0[m])
        sx1 = np.sort(ox1[m])
        if left_aligned:
            cover = np.searchsorted(sx0, fx, side="right") - np.searchsorted(sx1, fx, side="right")
            if skip:
                cover = cover - (m & (ox0 <= fx) & (ox1 > fx))
            nxt = np.append(sx0, np.inf)[np.searchsorted(sx0, fx, side="right")]
            free[p] = np.minimum(np.minimum(limit, fx + MAX_LABEL_PX), nxt)
            alive[p] = valid & (cover <= 0) & (fx >= lo_x) & (fx <= hi_x - MIN_LABEL_PX) & (free[p] - fx > 1)
        else:
            cover = np.searchsorted(sx0, fx, side="left") - np.searchsorted(sx1, fx, side="left")
            prev = np.append(-np.inf, sx1)[np.searchsorted(sx1, fx, side="left")]
            free[p] = np.maximum(np.maximum(limit, fx - MAX_LABEL_PX), prev)
            alive[p] = valid & (cover <= 0) & (fx <= hi_x) & (fx >= lo_x + MIN_LABEL_PX) & (fx - free[p] > 1)
        fixed[p] = fx
    left_aligned = np.array([pos[5] for pos in positions])
    # candidates: priority rows first, then events with more sources, then left to right; only those with a
    # possible position (priority rows always)
    order = np.lexsort((gx0, -data.n_sources[rows].astype(np.int64), ~prio))
    order = order[alive[:, order].any(axis=0) | prio[order]]
    if len(order):
        _, first = np.unique(ids[order], return_index=True)  # an event once per lane
        order = order[np.sort(first)]
    fit_count = int(math.ceil((hi_x - lo_x) / (MIN_LABEL_PX + LABEL_GAP))) * (1 + 2 * n_rows) + 1
    order = order[:LABEL_CANDIDATES * fit_count + int(prio.sum())]
    if not len(order):
        return []
    titles = data.titles
    if hasattr(titles, "prefetch"):
        titles.prefetch(ids[order].tolist())
    if widths is None:
        widths = {}
    n_order = len(order)
    tw = np.full(n_order, np.inf)
    texts: list[str | None] = []
    for c, j in enumerate(order.tolist()):
        eid = int(ids[j])
        title = titles.get(eid)
        texts.append(title or None)
        if title:
            t = widths.get(title)
            if t is None:
                t = widths[title] = measure(title)
            tw[c] = t
    has_title = np.array([t is not None for t in texts])
    free, fixed, alive = free[:, order], fixed[:, order], alive[:, order] & has_title[None, :]
    cand_prio = prio[order] & has_title
    ys = [pos[1] for pos in positions]

    def room() -> np.ndarray:
        return np.where(left_aligned[:, None], free - fixed, fixed - free)

    avail_all = room()
    ok = alive & ((tw[None, :] + 1 <= avail_all) | (avail_all >= MIN_LABEL_PX))
    out: list[Label] = []
    c = 0
    while c < n_order:
        anyok = ok[:, c:].any(axis=0) | cand_prio[c:]
        hits = np.flatnonzero(anyok)
        if not len(hits):
            break
        c += int(hits[0])
        placed = None
        title = texts[c]
        avail = {p: float(abs(free[p, c] - fixed[p, c])) for p in range(n_pos) if ok[p, c]}
        want = min(float(tw[c]) + 1, MAX_LABEL_PX)    # a title longer than MAX_LABEL_PX is elided anyway
        whole = [p for p in avail if want <= avail[p] + 1e-6]
        elided = [p for p in avail if left_aligned[p]]
        p = whole[0] if whole else max(elided, key=lambda q: (avail[q], -q)) if elided else None
        if p is not None and not whole and cand_prio[c] and avail[p] < want * 0.6:
            p = None     # a priority title cut short where it is free: rather whole over the crowd
        if p is not None:
            width, text = float(tw[c]), title
            if width + 1 > avail[p]:
                text = elide(title, avail[p] - 1)
                width = measure(text) if text and text != "…" else 0.0
            if width > 0:
                x = float(fixed[p, c]) if left_aligned[p] else float(fixed[p, c]) - width - 1
                placed = Label(x, ys[p] - half_h, width + 1, fh, text, positions[p][4], int(rows[order[c]]),
                               bool(cand_prio[c]))
        if placed is None and cand_prio[c]:
            tops = [yc - half_h] + [yc + sign * o - half_h for o in offs for sign in (-1, 1)]
            placed = _forced_label(title, float(tw[c]), float(right_lx[order[c]]), float(left_rx[order[c]]),
                                   lo_x, hi_x, tops, fh, int(rows[order[c]]), measure, elide, out)
        if placed is None:
            c += 1
            continue
        label = placed
        out.append(label)
        c += 1
        if c >= n_order:
            break
        # the new label narrows or rules out the later candidates' positions
        l0, l1, t0, b0 = label.x, label.right, label.y, label.y + label.height
        for q in range(n_pos):
            top, bottom = ys[q] - half_h, ys[q] + half_h
            if b0 + 1 <= top or t0 - 1 >= bottom:
                continue
            fq = fixed[q, c:]
            if left_aligned[q]:
                affected = l1 + LABEL_GAP > fq
                killed = affected & (l0 - LABEL_GAP <= fq)
                narrowed = np.minimum(free[q, c:], l0 - LABEL_GAP)
            else:
                affected = l0 - LABEL_GAP < fq
                killed = affected & (l1 + LABEL_GAP >= fq)
                narrowed = np.maximum(free[q, c:], l1 + LABEL_GAP)
            if not affected.any():
                continue
            alive[q, c:] &= ~killed
            free[q, c:] = np.where(affected, narrowed, free[q, c:])
            avail = free[q, c:] - fq if left_aligned[q] else fq - free[q, c:]
            ok[q, c:] = alive[q, c:] & ((tw[c:] + 1 <= avail) | (avail >= MIN_LABEL_PX))
    return out


def _forced_label(title: str, width: float, right_x: float, left_x: float, lo_x: float, hi_x: float,
                  tops: list[float], fh: float, row: int, measure, elide, placed: list[Label]) -> Label | None:
    """A priority label where no position is free of glyphs: right of its glyph, or left of it near the right edge
    (or another label), over the glyphs there but never over another label — on the centre
    line, else above or below the glyphs (``tops``: the label's top at each); elided to the room it has."""
    for top in tops:
        others = [(l.x - LABEL_GAP, l.right + LABEL_GAP) for l in placed
                  if l.y < top + fh + 1 and top < l.y + l.height + 1]
        if any(a < right_x < b for a, b in others):
            room_right = 0.0
        else:
            room_right = min([hi_x, right_x + MAX_LABEL_PX] + [a for a, _b in others if a >= right_x]) - right_x
        if any(a < left_x < b for a, b in others):
            room_left = 0.0
        else:
            room_left = left_x - max([lo_x, left_x - MAX_LABEL_PX] + [b for _a, b in others if b <= left_x])
        # the right, unless that is the view's edge (or another label) close by
        right_side = room_right >= min(width + 1, MAX_LABEL_PX, 2 * MIN_LABEL_PX) or room_right >= room_left
        avail = room_right if right_side else room_left
        if avail < MIN_LABEL_PX:
            continue
        text, w = title, width
        if w + 1 > avail:
            text = elide(title, avail - 1)
            if not text or text == "…":
                continue
            w = measure(text)
        x = right_x if right_side else left_x - w - 1
        return Label(x, top, w + 1, fh, text, False, row, True)
    return None


def shifted_labels(labels: list[Label], dx: float, vleft: float, vright: float) -> list[Label]:
    """Labels moved by ``dx`` pixels (a pan), keeping those still overlapping ``[vleft, vright]``."""
    out = []
    for label in labels:
        moved = label.shifted(dx)
        if moved.right > vleft and moved.x < vright:
            out.append(moved)
    return out
