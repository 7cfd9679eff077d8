"""The core package never imports Qt: checked in its source and in a fresh interpreter."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import gptdesk.core
from tests.waits import HANG_TIMEOUT_S

CORE_DIR = Path(gptdesk.core.__file__).parent
REPO_ROOT = CORE_DIR.parent.parent
QT_ROOTS = frozenset({"PySide6", "PySide2", "PyQt5", "PyQt6", "shiboken6", "shiboken2", "qtpy"})


def qt_imports(source: str, filename: str = "<string>") -> list[str]:
    """Every module a Qt binding is imported from in ``source``, wherever the import sits."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in QT_ROOTS]
    return found


def core_modules() -> list[Path]:
    return sorted(CORE_DIR.rglob("*.py"))


def test_the_checker_sees_qt_imports() -> None:
    source = "import os\nfrom PySide6.QtCore import QObject\ndef f():\n    import shiboken6\n"
    assert qt_imports(source) == ["PySide6.QtCore", "shiboken6"]
    assert qt_imports("from . import engine\nimport gptdesk.core.storage.paths\n") == []


def test_core_source_has_no_qt_import() -> None:
    files = core_modules()
    assert {"engine.py", "gguf_file.py", "errors.py", "library.py"} <= {f.name for f in files}
    offenders = {
        str(f.relative_to(REPO_ROOT)): qt_imports(f.read_text(encoding="utf-8"), str(f))
        for f in files
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_importing_all_of_core_loads_no_qt() -> None:
    names = [
        ".".join(f.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
        for f in core_modules()
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        f"qt = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(QT_ROOTS)!r})\n"
        "assert not qt, qt\n"
        "print(len([m for m in sys.modules if m.startswith('gptdesk.core')]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_TIMEOUT_S,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) >= len(names)
