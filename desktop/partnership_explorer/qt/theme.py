"""The timeline's colours and fonts: one :class:`Theme` per palette (screen, light or dark export).

Sector colours come with the data (the taxonomy's Paul Tol schemes); the theme gives everything around them —
background, text, lane stripes, era tints, the selection colour (a magenta unless the palette's own highlight is
vivid, so it stands out from the sector colours), and the grey of rejected events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette


@dataclass(frozen=True)
class Theme:
    bg: QColor
    fg: QColor
    muted: QColor
    stripe: QColor
    era_tints: tuple[QColor, QColor]
    era_line: QColor
    highlight: QColor
    rejected: QColor
    dark: bool
    accent: QColor | None = None   # the palette's own highlight (the overview window); None: a neutral blue

    @classmethod
    def make(cls, bg: QColor, fg: QColor, highlight: QColor | None = None, accent: QColor | None = None) -> "Theme":
        dark = bg.lightness() < 128
        muted = QColor(fg)
        muted.setAlpha(150)
        stripe = QColor(fg)
        stripe.setAlpha(12 if not dark else 16)
        if dark:
            tints = (QColor(120, 170, 255, 26), QColor(255, 200, 120, 20))
        else:
            tints = (QColor(60, 120, 220, 20), QColor(230, 150, 40, 20))
        era_line = QColor(fg)
        era_line.setAlpha(90)
        hl = QColor(highlight) if highlight is not None else QColor("#D81B60")
        if accent is None or not accent.isValid():
            accent = QColor("#3d7bd9") if dark else QColor("#2f6fd0")
        return cls(QColor(bg), QColor(fg), muted, stripe, tints, era_line, hl,
                   QColor(150, 150, 150) if not dark else QColor(130, 130, 130), dark, QColor(accent))

    @classmethod
    def light(cls) -> "Theme":
        return cls.make(QColor("#ffffff"), QColor("#202124"), QColor("#D81B60"))

    @classmethod
    def dark_theme(cls) -> "Theme":
        return cls.make(QColor("#1e1f22"), QColor("#e8e8e8"), QColor("#FF6FA8"))

    @classmethod
    def from_palette(cls, palette: QPalette | None = None) -> "Theme":
        if palette is None:
            palette = QGuiApplication.palette()
        bg = palette.color(QPalette.ColorRole.Base)
        fg = palette.color(QPalette.ColorRole.Text)
        hl = palette.color(QPalette.ColorRole.Highlight)
        # the selection colour must stand out from the sector colours: use a magenta unless the palette's is vivid
        return cls.make(bg, fg, hl if hl.saturation() > 200 else (QColor("#FF6FA8") if bg.lightness() < 128
                                                                  else QColor("#D81B60")), accent=hl)

    @classmethod
    def named(cls, name: str) -> "Theme":
        return cls.dark_theme() if name == "dark" else cls.light()


def pixel_font(base: QFont | None = None, px: int = 12, *, bold: bool = False) -> QFont:
    """Fonts are sized in pixels so exports at any resolution match the screen."""
    f = QFont(base) if base is not None else QFont()
    f.setPixelSize(max(6, int(px)))
    f.setBold(bold)
    return f


def lane_rgb(lanes) -> np.ndarray:
    """(lanes, 3) uint8 colours of the lanes (grey for a colour Qt cannot read)."""
    out = np.zeros((len(lanes), 3), dtype=np.uint8)
    for i, lane in enumerate(lanes):
        c = QColor(lane.color)
        if not c.isValid():
            c = QColor("#888888")
        out[i] = (c.red(), c.green(), c.blue())
    return out
