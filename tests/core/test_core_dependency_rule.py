"""The dependency rule of ARCHITECTURE.md, checked by walking every import statement."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WIRING = {"bot/main.py", "bot/cli.py", "bot/sandbox/app.py"}  # the composition root


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _top(name: str) -> str:
    return name.split(".")[0]


def test_core_imports_only_the_standard_library_and_itself() -> None:
    for path in _files("bot/core"):
        for name in _imports(path):
            allowed = name.startswith("bot.core") or _top(name) in sys.stdlib_module_names
            assert allowed, f"{path.relative_to(ROOT)} imports {name}"


def test_storage_never_imports_the_bot_framework() -> None:
    for path in _files("storage"):
        for name in _imports(path):
            assert _top(name) not in {"aiogram", "aiogram_dialog", "handlers", "dialogs"}, path
            assert not name.startswith("bot.") or name.startswith("bot.core"), (path, name)


@pytest.mark.parametrize("package", ["handlers", "dialogs", "bot"])
def test_only_the_composition_root_sees_sql(package: str) -> None:
    for path in _files(package):
        relative = str(path.relative_to(ROOT))
        if relative in WIRING or relative.startswith("bot/core"):
            continue
        for name in _imports(path):
            assert _top(name) not in {"sqlalchemy", "storage", "alembic"}, f"{relative}: {name}"


def test_the_emulator_imports_nothing_of_the_bot() -> None:
    for path in _files("botapi_emulator"):
        for name in _imports(path):
            assert _top(name) not in {"bot", "storage", "handlers", "dialogs"}, (path, name)


def test_the_driver_does_not_import_the_emulator_that_builds_it() -> None:
    assert "botapi_emulator.emulator" not in _imports(ROOT / "botapi_emulator/driver.py")
