"""The architecture, checked: data flows ui/cli → services → the rest.

- Qt (PySide6, qasync) is imported only under desktop/ui.
- desktop.ui is imported only by itself; desktop.cli only by itself.
- The core (everything but ui, cli, services) never imports services.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desktop"
CORE = ("domain", "store", "containers", "agent", "hostgit", "secrets", "audit", "snapshots")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules() -> dict[str, set[str]]:
    return {str(p.relative_to(PACKAGE.parent)): _imports(p) for p in PACKAGE.rglob("*.py")}


def _layer(path: str) -> str:
    parts = path.split("/")
    return parts[1] if len(parts) > 2 else parts[1].removesuffix(".py")


def test_qt_only_in_the_ui() -> None:
    offenders = {
        path: sorted(i for i in imports if i.split(".")[0] in ("PySide6", "qasync", "shiboken6"))
        for path, imports in _modules().items() if _layer(path) != "ui"
    }
    assert {p: i for p, i in offenders.items() if i} == {}


def test_ui_and_cli_are_leaves() -> None:
    for leaf in ("ui", "cli"):
        offenders = [
            path for path, imports in _modules().items()
            if _layer(path) != leaf and any(i == f"desktop.{leaf}" or i.startswith(f"desktop.{leaf}.") for i in imports)
        ]
        assert offenders == [], f"desktop.{leaf} imported from {offenders}"


def test_the_core_never_reaches_up_to_services() -> None:
    offenders = [
        path for path, imports in _modules().items()
        if _layer(path) in CORE and any(i.startswith("desktop.services") for i in imports)
    ]
    assert offenders == []


def test_the_core_imports_without_qt() -> None:
    import subprocess
    import sys

    code = (
        "import sys, desktop.services.app, desktop.cli.dispatch, desktop.cli.client;"
        "import desktop.store.database, desktop.containers.images, desktop.hostgit.patch.apply;"
        "assert not any(m.startswith(('PySide6', 'qasync')) for m in sys.modules), sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
