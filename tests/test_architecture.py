"""The package's boundaries, checked on its source: import-linter contracts, no private names across modules,
and the linter's configuration. These fail when a change reaches across a boundary, whatever it does."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "desktop" / "partnership_explorer"


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, level: int, name: str | None, is_package: bool) -> str:
    """The absolute module an import statement names (``from ..core import x`` inside qt/ → core)."""
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def _project_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _defined_private_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def private_imports() -> list[str]:
    """Every place one module takes a private name (``_x``) of another module of the package: by
    ``from m import _x``, by ``m._x`` on a module it imported, or by ``obj._x`` where ``_x`` is a private
    attribute defined only in other modules (another class's internals). The raw connection behind the
    store (``.db.conn``) is the store's alone."""
    modules = _project_modules()
    trees = {name: ast.parse(path.read_text(encoding="utf-8"), str(path)) for name, path in modules.items()}
    defined = {name: _defined_private_names(tree) for name, tree in trees.items()}
    found = []
    for name, path in modules.items():
        tree = trees[name]
        elsewhere = set().union(*(d for n, d in defined.items() if n != name)) - defined[name]
        is_pkg = path.name == "__init__.py"
        imported_modules: dict[str, str] = {}  # local alias → module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = _resolve(name, node.level, node.module, is_pkg)
                if not target.startswith("partnership_explorer"):
                    continue
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in modules:
                        imported_modules[alias.asname or alias.name] = sub
                    elif alias.name.startswith("_") and not alias.name.startswith("__") and target != name:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {target}.{alias.name}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("partnership_explorer") and alias.asname:
                        imported_modules[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in imported_modules and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {imported_modules[node.value.id]}.{node.attr}")
            elif (isinstance(node, ast.Attribute) and node.attr in elsewhere
                  and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr} of another module's object")
            elif (isinstance(node, ast.Attribute) and node.attr == "conn" and isinstance(node.value, ast.Attribute)
                  and node.value.attr == "db" and not name.endswith("core.store")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: the store's raw connection (.db.conn)")
    return sorted(set(found))


def test_no_module_takes_another_modules_private_names():
    assert private_imports() == []


def test_the_private_name_check_sees_a_violation(tmp_path, monkeypatch):
    """The check itself: a planted module that imports a private name is reported."""
    pkg = tmp_path / "partnership_explorer"
    (pkg / "core").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "core" / "__init__.py").write_text("")
    (pkg / "core" / "a.py").write_text("def _hidden():\n    return 1\n")
    (pkg / "core" / "b.py").write_text("from .a import _hidden\nfrom . import a\nx = a._hidden()\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", pkg)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    found = private_imports()
    assert len(found) == 2 and all("partnership_explorer.core.a._hidden" in f for f in found)


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    if exe.exists():
        return str(exe)
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def test_import_contracts_hold():
    """core imports neither PySide6 nor pyqtgraph nor the qt package nor the CLI; qt never imports the CLI
    (the contracts are in pyproject.toml)."""
    run = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_linter_passes():
    run = subprocess.run([_tool("ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
