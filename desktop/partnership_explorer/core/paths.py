"""Where curated resources, bundled seeds and the default database live.

An installed wheel carries ``resources/`` and ``seeds/`` inside the package (``partnership_explorer/_data``);
a source checkout keeps them at the top of the repository. Both layouts are found here and nowhere else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, as a package
    import tomli as tomllib

APP_NAME = "partnership-explorer"
DB_ENV = "PARTNERSHIP_EXPLORER_DB"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _data_dir(name: str) -> Path:
    bundled = _PACKAGE_DIR / "_data" / name
    if bundled.is_dir():
        return bundled
    checkout = _PACKAGE_DIR.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"cannot find the {name}/ folder of Partnership Explorer (looked in {bundled} and {checkout})")


def resources_dir() -> Path:
    """The curated data: gazetteer, sector taxonomy, event lexicon, icons."""
    return _data_dir("resources")


def read_resource_toml(path: Path | None, default_name: str, what: str) -> tuple[str, dict]:
    """(file name, parsed TOML) of a curated file (default: ``resources/<default_name>``); ValueError naming the
    file when it cannot be read or parsed (``what`` says what it should hold)."""
    path = Path(path) if path is not None else resources_dir() / default_name
    try:
        with open(path, "rb") as fh:
            return path.name, tomllib.load(fh)
    except OSError as exc:
        raise ValueError(f"{path.name}: cannot read {what} ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path.name}: invalid TOML: {exc}") from None


def seeds_dir() -> Path:
    """The bundled demo corpus (articles and manifest.csv)."""
    return _data_dir("seeds")


def default_db_path() -> Path:
    """``$PARTNERSHIP_EXPLORER_DB`` if set, else ``events.db`` in the user's data directory."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "events.db"
