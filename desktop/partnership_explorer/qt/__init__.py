"""The Qt desktop explorer: widgets that render core data and observe one ExplorerState."""

# The Qt-free modules the window is made of are imported first, before anything here imports PySide6: PySide6
# reads the source text of every module imported after it (looking for its ``__feature__`` switches), about
# 0.3 s of CPU for the 470 modules a window imports. Those imported before it are not read.
from ..core import (changes, curation, disputes, figure, indicators, partners, relationship,  # noqa: F401
                    timeline, timeline_layout, view_fit, views)
