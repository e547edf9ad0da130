"""An exported picture's size, resolution and automatic title, Qt-free.

A size is physical: a length in ``px``, ``mm``, ``cm`` or ``in`` (a bare number is ``px``). A ``px`` is the
CSS pixel, 1/96 inch, so "1600 px" is the size of a 1600-pixel picture on a 96-dpi screen. The picture is laid
out at its physical size in these 96-dpi pixels — the same layout, fonts and labels whatever the resolution —
and the resolution only says how many device pixels each inch gets: a PNG at 300 dpi has 300/96 times the
pixels of the 96-dpi one and shows the same picture, sharper; an SVG or PDF page has the physical size asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .query import EventFilter

LAYOUT_DPI = 96.0
UNITS = {"px": 1.0 / LAYOUT_DPI, "in": 1.0, "cm": 1.0 / 2.54, "mm": 1.0 / 25.4}
UNIT_NAMES = tuple(UNITS)
MIN_LAYOUT_PX = 50        # a side of the laid-out picture, in 96-dpi pixels
MAX_LAYOUT_PX = 20000
MAX_DEVICE_PX = 32000     # a side of a PNG, in device pixels (QImage's practical limit)
MIN_DPI, MAX_DPI = 10, 4800

_LENGTH = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(px|mm|cm|in|inch|inches|\")?\s*$", re.IGNORECASE)


class SizeError(ValueError):
    """A size or resolution that cannot be used, explained in one line."""


@dataclass(frozen=True)
class Length:
    value: float
    unit: str = "px"

    @property
    def inches(self) -> float:
        return self.value * UNITS[self.unit]

    def __str__(self) -> str:
        return f"{self.value:g}{self.unit}"


def parse_length(text: str | float | int, default_unit: str = "px") -> Length:
    """``"17cm"``, ``"4 in"``, ``"120mm"``, ``"1600px"`` or ``"1600"`` (``default_unit``) → :class:`Length`."""
    if isinstance(text, (int, float)):
        value, unit = float(text), default_unit
    else:
        m = _LENGTH.match(str(text))
        if not m:
            raise SizeError(f"'{text}' is not a length (use a number with px, mm, cm or in, e.g. 17cm)")
        value = float(m.group(1))
        unit = (m.group(2) or default_unit).lower()
        unit = "in" if unit in ("inch", "inches", '"') else unit
    if unit not in UNITS:
        raise SizeError(f"unknown unit '{unit}' (use px, mm, cm or in)")
    if not value > 0:
        raise SizeError(f"'{text}' is not a positive length")
    return Length(value, unit)


@dataclass(frozen=True)
class ExportSize:
    """A picture of ``width_in`` × ``height_in`` inches at ``dpi`` device pixels per inch."""

    width_in: float
    height_in: float
    dpi: float = LAYOUT_DPI

    @classmethod
    def of(cls, width: str | float | Length, height: str | float | Length, dpi: float | None = None) -> "ExportSize":
        """From two lengths (strings such as ``"17cm"``, numbers in px, or :class:`Length`), checked."""
        w = width if isinstance(width, Length) else parse_length(width)
        h = height if isinstance(height, Length) else parse_length(height)
        size = cls(w.inches, h.inches, float(dpi) if dpi is not None else LAYOUT_DPI)
        size.check()
        return size

    @property
    def scale(self) -> float:
        """Device pixels per layout pixel."""
        return self.dpi / LAYOUT_DPI

    @property
    def layout_px(self) -> tuple[int, int]:
        """The size the picture is laid out at, in 96-dpi pixels."""
        return max(1, round(self.width_in * LAYOUT_DPI)), max(1, round(self.height_in * LAYOUT_DPI))

    @property
    def css_px(self) -> tuple[float, float]:
        """The physical size in px of 1/96 inch, with fractions (to record it: 17 cm is 642.52 px)."""
        return round(self.width_in * LAYOUT_DPI, 3), round(self.height_in * LAYOUT_DPI, 3)

    @property
    def device_px(self) -> tuple[int, int]:
        """The pixels of a raster picture (PNG) at this resolution."""
        return max(1, round(self.width_in * self.dpi)), max(1, round(self.height_in * self.dpi))

    def check(self) -> None:
        if not (MIN_DPI <= self.dpi <= MAX_DPI):
            raise SizeError(f"resolution {self.dpi:g} dpi is out of range ({MIN_DPI} to {MAX_DPI})")
        lw, lh = self.layout_px
        if not (MIN_LAYOUT_PX <= lw <= MAX_LAYOUT_PX and MIN_LAYOUT_PX <= lh <= MAX_LAYOUT_PX):
            raise SizeError(f"picture size {describe_inches(self.width_in, self.height_in)} ({lw}×{lh} px) is out of "
                            f"range ({MIN_LAYOUT_PX} to {MAX_LAYOUT_PX} px a side, 1 px = 1/96 in)")

    def check_raster(self) -> None:
        dw, dh = self.device_px
        if dw > MAX_DEVICE_PX or dh > MAX_DEVICE_PX:
            raise SizeError(f"{dw}×{dh} pixels at {self.dpi:g} dpi is too large for a PNG (at most {MAX_DEVICE_PX} "
                            "a side): lower the resolution or the size")


def describe_inches(width_in: float, height_in: float) -> str:
    """``"16.7 × 9.4 in (42.3 × 23.8 cm)"``."""
    return f"{width_in:.1f} × {height_in:.1f} in ({width_in * 2.54:.1f} × {height_in * 2.54:.1f} cm)"


def convert(value: float, unit_from: str, unit_to: str) -> float:
    """A length from one unit to another (for a size field whose unit the user changes)."""
    return value * UNITS[unit_from] / UNITS[unit_to]


def automatic_title(n_events: int, flt: EventFilter) -> str:
    """``"12 events — rejected hidden, sector AI or Digital & telecom"``: what the picture shows, in words."""
    described = flt.describe()
    count = f"{n_events} event" + ("" if n_events == 1 else "s")
    return count + ("" if described == "all events" else f" — {described}")


# -- provenance caption -------------------------------------------------------------------------
def count_articles(store, flt: EventFilter) -> int:
    """How many articles the events ``flt`` shows come from (their sources' distinct documents)."""
    where, params, _ = flt.where()
    return store.execute(f"""SELECT count(DISTINCT s.document_id) FROM event_sources s
                             WHERE s.event_id IN (SELECT e.id FROM events e WHERE {where})""", params).fetchone()[0]


def span_label(x0: float, x1: float) -> str:
    """A date range in the words its length calls for: ``"1992 – 2045"``, ``"Apr 2025 – Jun 2025"``,
    ``"2025-04-14 – 2025-04-21"`` (``x0``, ``x1`` in days since 1970-01-01, ``x1`` exclusive)."""
    from .periods import MONTH_ABBREVIATIONS
    from .timeline import from_days

    a, b = from_days(x0), from_days(max(x0, x1 - 1))
    if x1 - x0 > 3 * 365.25:
        text = (str(a.year), str(b.year))
    elif x1 - x0 > 62:
        text = (f"{MONTH_ABBREVIATIONS[a.month - 1]} {a.year}", f"{MONTH_ABBREVIATIONS[b.month - 1]} {b.year}")
    else:
        text = (a.isoformat(), b.isoformat())
    return text[0] if text[0] == text[1] else f"{text[0]} – {text[1]}"


def provenance_caption(*, n_events: int, n_articles: int, flt: EventFilter, span: tuple[float, float] | None,
                       version: str, made_on) -> str:
    """The line under an exported figure that says where it comes from: ``"31 events from 5 articles · sector
    Trade · 1992 – 2045 · made with Partnership Explorer 0.1.0 on 2026-12-01"``."""
    parts = [f"{n_events} event{'' if n_events == 1 else 's'} from {n_articles} "
             f"article{'' if n_articles == 1 else 's'}"]
    described = flt.describe()
    if described != "all events":
        parts.append(described)
    if span is not None:
        from .query import date_range_words

        label = span_label(*span)
        if label != date_range_words(flt.date_from, flt.date_to):   # a date filter's period is said once
            parts.append(label)
    parts.append(f"made with Partnership Explorer {version} on {made_on.isoformat()}")
    return " · ".join(parts)
