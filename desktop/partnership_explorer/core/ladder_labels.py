"""Where the labels of the relationship ladder's steps go, without Qt.

Each step of the ladder band (``qt/ladder_band.py``) is a riser at its date and a tread at its level's height; its
label ("Comprehensive Strategic Partnership · December 2022") sits on the line above its tread, or under it (over
the step's fill) where the band is tall enough there. Near the right edge
of the plot, or where steps are close, there is no room right of the riser. :func:`place_step_labels` tries, for
each of a step's texts (the whole label, then a shorter one), the place right of its riser (up to the next riser
and the plot's right edge), then the place left of it, ending at the riser (over the previous step's tread), on the line above
the tread, then on the line under it; the first that holds the text whole is taken. Failing that, the shortest text is elided to the larger of the two
rooms, or left out when that is under :data:`MIN_LABEL_PX` (the tooltip has it). A place is free when the label,
with :data:`LABEL_GAP` around it, meets no label placed before and crosses no riser or tread of another step, and
it is inside the plot. The selected steps choose first, then the latest (the level the relationship holds now),
then the earlier ones.

Scene or item pixels, whatever the caller uses; text is measured and elided by callables the caller gives (the
font's metrics on screen and in exports, anything in tests). The window and every export paint what this returns.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Sequence

LABEL_GAP = 4.0      # pixels kept free between a label and another label, a riser or the plot's edges
RISER_GAP = 5.0      # a label starts (or ends) this far from its own riser
MIN_LABEL_PX = 24.0  # an elided label narrower than this is not drawn
SAFETY_PX = 2.0      # text drawn at another resolution may come out this much wider than measured


@dataclass(frozen=True)
class StepGeometry:
    """One step in pixels: its riser's x, where its tread ends (the next riser, or past the plot's right edge)
    and the tread's y (smaller is higher)."""

    x: float
    end: float
    y: float


@dataclass(frozen=True)
class StepLabel:
    """A placed label: the step's index, its rectangle and text, and whether it ends at the riser (left of it)."""

    step: int
    x: float
    y: float
    width: float
    height: float
    text: str
    left_of_riser: bool

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


def _meets(a: tuple[float, float, float, float], b: tuple[float, float, float, float], gap: float) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] and b[1] < a[3]


def place_step_labels(steps: Sequence[StepGeometry], texts: Sequence[Sequence[str]], *, label_h: float,
                      left: float, right: float, bottom: float, measure: Callable[[int, str], float],
                      elide: Callable[[int, str, float], str], selected: Sequence[int] = ()) -> list[StepLabel]:
    """Labels of ``steps`` (in date order) inside ``[left, right]``: ``texts[i]`` are step ``i``'s texts, best
    first; ``bottom`` is the band's baseline (where risers start); ``measure(i, text)`` is a text's width in step
    ``i``'s font, ``elide(i, text, width)`` the text cut to ``width`` (ending in "…", or empty). No two labels meet,
    none crosses another step's riser or tread, none leaves ``[left, right]``."""
    lo, hi = left + LABEL_GAP, right - LABEL_GAP
    # what labels must not cross: every riser (from its tread down to the baseline) and every tread
    lines = []
    for k, s in enumerate(steps):
        lines.append((k, (s.x - 0.5, s.y, s.x + 0.5, bottom)))
        lines.append((k, (s.x, s.y - 1.0, s.end, s.y + 1.0)))
    order = [i for i in selected if 0 <= i < len(steps)]
    order += [i for i in reversed(range(len(steps))) if i not in order]
    placed: list[StepLabel] = []

    def free(i: int, rect: tuple[float, float, float, float]) -> bool:
        if rect[0] < lo - 1e-9 or rect[2] > hi + 1e-9:
            return False
        if any(_meets(rect, (l.x, l.y, l.right, l.bottom), LABEL_GAP) for l in placed):
            return False
        return not any(k != i and _meets(rect, line, 0.0) for k, line in lines)

    def rooms(i: int, top: float, low: float) -> tuple[float, float, float, float]:
        """(start, room) right of the riser and (end, room) left of it on the row ``[top, low]``: the widest
        label each place can hold."""
        s = steps[i]
        start = max(s.x + RISER_GAP, lo)
        limit = min(s.end - RISER_GAP - 1.0, hi)
        end = s.x - RISER_GAP
        floor = lo
        blocks = [(l.x - LABEL_GAP, l.right + LABEL_GAP) for l in placed if l.y < low and top < l.bottom]
        blocks += [(r[0], r[2]) for k, r in lines if k != i and r[1] < low and top < r[3]]
        for a, b in blocks:
            if a <= start < b:
                limit = start   # something on the start itself: no room
            elif a >= start:
                limit = min(limit, a)
            if a < end <= b:
                floor = end
            elif b <= end:
                floor = max(floor, b)
        if s.x > hi or s.x < lo:
            end, floor = lo, lo     # the riser outside the plot: nothing ends at it
        return start, max(0.0, limit - start), end, max(0.0, end - floor)

    for i in order:
        s = steps[i]
        if s.end < lo or s.x > hi:
            continue
        # the line above the tread, else the one under it (over the step's fill) where the band has room
        tops = [s.y - label_h - 1.0]
        if s.y + 2.0 + label_h <= bottom - 1.0:
            tops.append(s.y + 2.0)
        riser_in = lo <= s.x <= hi
        choice = None
        for text in texts[i]:
            w = measure(i, text) + SAFETY_PX
            for top in tops:
                for left_of in (False, True):
                    if left_of and not riser_in:
                        continue
                    x = s.x - RISER_GAP - w if left_of else max(s.x + RISER_GAP, lo)
                    if not left_of and x + w > min(s.end - RISER_GAP - 1.0, hi):
                        continue
                    if free(i, (x, top, x + w, top + label_h)):
                        choice = StepLabel(i, x, top, w, label_h, text, left_of)
                        break
                if choice is not None:
                    break
            if choice is not None:
                break
        if choice is None and texts[i]:
            best = None
            for top in tops:
                start, room_r, end, room_l = rooms(i, top, top + label_h)
                for room, left_of, edge in ((room_r, False, start), (room_l, True, end)):
                    if best is None or room > best[0] + 1e-9:
                        best = (room, left_of, edge, top)
            room, left_of, edge, top = best
            if room - SAFETY_PX >= MIN_LABEL_PX:
                text = elide(i, texts[i][-1], room - SAFETY_PX)
                if text and text != "…":
                    w = min(measure(i, text) + SAFETY_PX, room)
                    x = edge - w if left_of else edge
                    if free(i, (x, top, x + w, top + label_h)):
                        choice = StepLabel(i, x, top, w, label_h, text, left_of)
        if choice is not None:
            placed.append(choice)
    return sorted(placed, key=lambda l: l.step)


# -- the pair's name, left of the band ------------------------------------------------------------------------
NAME_COLUMN_CAP_PX = 240.0   # the names' column (lane names, the pair's) grows at most this wide
NAME_PAD_PX = 16.0           # the pair's name keeps this much of the column free (its margins)
MIN_SIDE_CHARS = 3           # an elided side of a pair keeps at least this many letters ("Dem…–Vietnam")
_PAIR_SIDES = re.compile(r"\s*([–—/])\s*")


def name_column_width(lane_widths: Sequence[float], swatch: float, pair_width: float = 0.0,
                      cap: float = NAME_COLUMN_CAP_PX) -> int:
    """The width of the column left of the plot that names the lanes and, above them, the ladder's pair: as wide
    as the widest lane name (with its swatch) or the pair's name, up to ``cap``."""
    widest = max(lane_widths, default=40.0)
    width = min(widest, cap) + swatch + 20
    if pair_width > 0:
        width = max(width, min(pair_width, cap) + NAME_PAD_PX)
    return int(math.ceil(width))


def _elided(text: str, keep: int) -> str:
    return text if keep >= len(text) else text[:keep].rstrip() + "…"


def fit_pair_name(name: str, room: float, measure: Callable[[str, float], float], px: float,
                  min_px: float) -> tuple[str, float]:
    """The pair's name on one line of ``room`` pixels: (text, font size in px). The whole name at ``px``, else at a
    smaller size down to ``min_px``; else, at ``min_px``, the longer side elided first ("South Ko…–Vietnam"),
    each side keeping :data:`MIN_SIDE_CHARS` letters and the dash between them; else the name elided on the
    right. ``measure(text, size)`` is the text's width in the bold font of that size."""
    size = float(px)
    while True:
        if measure(name, size) <= room:
            return name, size
        if size - 1 < min_px:
            break
        size -= 1
    size = max(float(min_px), min(float(px), size))
    parts = _PAIR_SIDES.split(name, maxsplit=1)
    if len(parts) == 3 and parts[0] and parts[2]:
        a, dash, b = parts
        keep = [len(a), len(b)]
        while keep[0] > MIN_SIDE_CHARS or keep[1] > MIN_SIDE_CHARS:
            longer = 0 if keep[0] >= keep[1] else 1
            if keep[longer] <= MIN_SIDE_CHARS:
                longer = 1 - longer
            keep[longer] -= 1
            text = _elided(a, keep[0]) + dash + _elided(b, keep[1])
            if measure(text, size) <= room:
                return text, size
    for keep in range(len(name) - 1, 0, -1):
        text = _elided(name, keep)
        if measure(text, size) <= room:
            return text, size
    return "", size
