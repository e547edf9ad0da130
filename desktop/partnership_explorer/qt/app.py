"""Start the desktop explorer: QApplication, last-resort error dialog, main window, first-launch database build."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from .. import __version__
from ..core import read_ahead
from ..core.paths import DB_ENV, default_db_path, resources_dir, seeds_dir

ORGANIZATION = "Partnership Explorer"
APPLICATION = "Partnership Explorer"
# hidden hooks for screenshots: select=first|last|ID|title:words;sectors=a,b;range=2025[:2026];palette=dark
DEMO_ENV = "PARTNERSHIP_EXPLORER_DEMO"


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("partnership-explorer")
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    return app


def app_icon() -> QIcon:
    """The application icon: the vector drawing, with the 256 px rendering for platforms without SVG icons."""
    icon = QIcon()
    try:
        folder = resources_dir() / "icons"
    except FileNotFoundError:
        return icon
    for name in ("app.svg", "app.png"):
        if (folder / name).is_file():
            icon.addFile(str(folder / name))
    return icon


def install_excepthook() -> None:
    """Last line of defence: an unexpected error becomes a one-line dialog (full traceback on stderr)."""

    def hook(exc_type, exc, tb):
        traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
        if os.environ.get("PARTNERSHIP_EXPLORER_DEBUG") or QApplication.instance() is None:
            return
        try:
            box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error",
                              f"{exc_type.__name__}: {exc}".splitlines()[0][:300])
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setInformativeText("The program continues; the details were written to the terminal.")
            box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
            box.exec()
        except Exception:  # noqa: BLE001 - never raise from the hook itself
            pass

    sys.excepthook = hook


def _initial_path(db_path: Path | None, settings: QSettings) -> Path:
    """The database to open: the one asked for; without a choice, the last one used, else the default."""
    default = default_db_path()
    if db_path is not None and (Path(db_path) != default or os.environ.get(DB_ENV)):
        return Path(db_path)
    last = settings.value("db/last")
    if last and Path(str(last)).is_file():
        return Path(str(last))
    return default


def dark_palette() -> QPalette:
    """A dark palette like the desktop's dark mode (used to check the window follows palette roles)."""
    p = QPalette()
    roles = QPalette.ColorRole
    for role, color in ((roles.Window, "#2b2b2b"), (roles.WindowText, "#e6e6e6"), (roles.Base, "#1e1e1e"),
                        (roles.AlternateBase, "#262626"), (roles.Text, "#e6e6e6"), (roles.Button, "#353535"),
                        (roles.ButtonText, "#e6e6e6"), (roles.Highlight, "#3d7bd9"), (roles.HighlightedText, "#ffffff"),
                        (roles.ToolTipBase, "#353535"), (roles.ToolTipText, "#e6e6e6"),
                        (roles.PlaceholderText, "#9a9a9a"), (roles.Link, "#6ea8ff"), (roles.Mid, "#444444"),
                        (roles.Dark, "#202020"), (roles.Light, "#505050"), (roles.Midlight, "#404040")):
        p.setColor(role, QColor(color))
    p.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#777777"))
    p.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#777777"))
    p.setColor(QPalette.ColorGroup.Disabled, roles.WindowText, QColor("#777777"))
    return p


def apply_demo(window, spec: str) -> None:
    """Screenshot hooks from ``$PARTNERSHIP_EXPLORER_DEMO``: ``select=first|last|ID;sectors=ai,energy;entities=Cho Tae-yul;range=2025``
    (``dock=partners`` brings a tabbed dock to the front)."""
    options = dict(part.split("=", 1) for part in spec.split(";") if "=" in part)
    if options.get("palette") == "dark":
        QApplication.setStyle("Fusion")
        QApplication.setPalette(dark_palette())
    dock = window.docks.get(options.get("dock", ""))
    if dock is not None:
        dock.raise_()
    done = {"applied": False}

    def after_load():
        if done["applied"]:
            return
        done["applied"] = True
        if "sectors" in options:
            window.state.update_filter(None, sectors=tuple(s for s in options["sectors"].split(",") if s))
        if "entities" in options:
            window.state.update_filter(None, entities=tuple(s for s in options["entities"].split(",") if s))
        if "select" in options:
            ids = window.event_ids()
            pick = options["select"]
            target = ids[0] if pick == "first" and ids else ids[-1] if pick == "last" and ids else None
            if pick.isdigit():
                target = int(pick)
            elif pick.startswith("title:"):
                words = pick[6:].casefold()
                target = next((e["id"] for e in window.state.view.event_rows() if words in e["title"].casefold()),
                              target)
            if target is not None:
                window.state.set_selection([target], None)
        if "range" in options:
            from ..core.query import parse_date_bound
            from ..core.timeline import to_days

            a, _, b = options["range"].partition(":")
            start = parse_date_bound(a, end=False)
            end = parse_date_bound(b or a, end=True)
            QTimer.singleShot(300, lambda: window.state.set_visible_range(to_days(start), to_days(end) + 1, None))

    window.loaded.connect(after_load)


def main(db_path: Path | None = None) -> int:
    app = make_application()
    install_excepthook()
    settings = QSettings()
    path = _initial_path(db_path, settings)
    read_ahead.start(path)  # the timeline's rows are read while the window's modules are imported and it is built
    from .main_window import MainWindow

    window = MainWindow(None, settings=settings)
    if not window.open_database(path):
        if path != default_db_path() and window.open_database(default_db_path()):
            pass
        else:
            return 2
    if os.environ.get(DEMO_ENV):
        apply_demo(window, os.environ[DEMO_ENV])
    window.show()
    if window.is_empty():
        try:
            seeds = seeds_dir()
        except FileNotFoundError:
            seeds = None
        if seeds is not None:
            window.import_paths([seeds], dialog=True)
    return app.exec()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
