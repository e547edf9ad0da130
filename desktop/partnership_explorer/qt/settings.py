"""What the window remembers between runs (QSettings): geometry, docks and splitters, the last and recent
databases (with their File menu entries), the folder each file dialog last used and the export dialog's
settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QMenu, QSplitter

from .filter_bar import mnemonic_safe

MAX_RECENT = 8


class WindowSettings:
    def __init__(self, settings: QSettings, window: QMainWindow, splitters: dict[str, QSplitter]):
        """``splitters``: settings key → splitter whose sizes are kept."""
        self.settings = settings
        self.window = window
        self.splitters = splitters
        self.recent_menu: QMenu | None = None
        self._open: Callable[[Path], object] | None = None

    # window layout --------------------------------------------------------------------------------
    def restore(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.window.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.window.restoreState(state)
        for key, splitter in self.splitters.items():
            value = s.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                splitter.restoreState(value)

    def save(self, db_path: Path | None) -> None:
        s = self.settings
        s.setValue("window/geometry", self.window.saveGeometry())
        s.setValue("window/state", self.window.saveState())
        for key, splitter in self.splitters.items():
            s.setValue(key, splitter.saveState())
        if db_path is not None:
            s.setValue("db/last", str(db_path))
        s.sync()

    # folders of the file dialogs ------------------------------------------------------------------
    def last_dir(self, key: str) -> str:
        return str(self.settings.value(f"paths/{key}", str(Path.home())))

    def remember_dir(self, key: str, folder: Path | str) -> None:
        self.settings.setValue(f"paths/{key}", str(folder))

    # the export dialog ----------------------------------------------------------------------------
    def export_settings(self, defaults: dict) -> dict:
        """The last export's settings (format, size, unit, dpi, title...), typed like ``defaults``."""
        out = {}
        for key, default in defaults.items():
            value = self.settings.value(f"export/{key}", default)
            try:
                if isinstance(default, bool):
                    value = value if isinstance(value, bool) else str(value).lower() in ("true", "1")
                else:
                    value = type(default)(value)
            except (TypeError, ValueError):
                value = default
            out[key] = value
        return out

    def remember_export(self, values: dict) -> None:
        for key, value in values.items():
            self.settings.setValue(f"export/{key}", value)

    # recent databases -----------------------------------------------------------------------------
    def attach_recent_menu(self, menu: QMenu, open_database: Callable[[Path], object]) -> None:
        self.recent_menu, self._open = menu, open_database
        self.rebuild_recent_menu()

    def recent_databases(self) -> list[str]:
        value = self.settings.value("db/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def remember_database(self, path: Path) -> None:
        recent = [p for p in self.recent_databases() if Path(p) != path]
        recent.insert(0, str(path))
        self.settings.setValue("db/recent", recent[:MAX_RECENT])
        self.settings.setValue("db/last", str(path))
        self.rebuild_recent_menu()

    def clear_recent(self) -> None:
        self.settings.setValue("db/recent", [])
        self.rebuild_recent_menu()

    def rebuild_recent_menu(self) -> None:
        menu = self.recent_menu
        if menu is None:
            return
        menu.clear()
        recent = self.recent_databases()
        for i, p in enumerate(recent, 1):
            action = menu.addAction(f"&{i} {mnemonic_safe(Path(p).name)}  —  {mnemonic_safe(str(Path(p).parent))}")
            action.setToolTip(p)
            action.triggered.connect(lambda _=False, p=p: self._open(Path(p)))
        if not recent:
            menu.addAction("(none)").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear list", self.clear_recent)
