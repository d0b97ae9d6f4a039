"""The architecture, checked: data flows ui/cli → services → the rest.

- Qt (PySide6, qasync) is imported only under desktop/ui.
- desktop.ui is imported only by itself; desktop.cli only by itself.
- The core (everything but ui, cli, services) never imports services.
- The front ends (ui, cli) see only the services' façade: they import
  desktop.services, desktop.domain and desktop.paths, and their own package.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desktop"
CORE = ("domain", "store", "containers", "agent", "hostgit", "secrets", "audit", "snapshots")


def _imports(path: Path) -> set[str]:
    return _imports_of(path.read_text(), str(path))


def _imports_of(source: str, filename: str) -> set[str]:
    """Every module named by an absolute import, wherever it stands (in a
    function, under TYPE_CHECKING); ``from desktop import paths`` names
    ``desktop.paths``."""
    tree = ast.parse(source, filename=filename)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "desktop":
                found.update(f"desktop.{alias.name}" for alias in node.names)
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


FRONT_ENDS = ("ui", "cli")
# What a front end may import of desktop: the façade, what it speaks in, and
# the package's own version and paths.
FACADE = ("desktop.services", "desktop.domain", "desktop.paths", "desktop.__version__")


def facade_offences(path: str, imports: set[str]) -> list[str]:
    """The imports of a front end's module that reach past the services."""
    layer = _layer(path)
    if layer not in FRONT_ENDS:
        return []
    allowed = (*FACADE, f"desktop.{layer}")
    return sorted(
        i for i in imports
        if i.startswith("desktop.")
        and not any(i == a or i.startswith(a + ".") for a in allowed)
    )


def test_front_ends_see_only_the_services_facade() -> None:
    offenders = {path: found for path, imports in _modules().items() if (found := facade_offences(path, imports))}
    assert offenders == {}


def test_the_facade_rule_catches_a_planted_import() -> None:
    """The rule fails on each kind of import the front ends used to make."""
    planted = {
        "desktop/cli/cmd_image.py": "from desktop.containers import images",
        "desktop/cli/cmd_task.py": "def f():\n    from desktop.hostgit.patch.apply import patch_stat",
        "desktop/ui/bridge/service_mapping.py": "if TYPE_CHECKING:\n    from desktop.secrets import StoreStatus",
        "desktop/ui/bridge/calls.py": "import desktop.store.errors",
    }
    for path, source in planted.items():
        imports = _imports_of(source, path)
        assert facade_offences(path, imports), f"{source!r} in {path} went unnoticed"
    allowed = "from desktop import paths\nfrom desktop.services.app import App\nfrom desktop.domain import Task"
    assert facade_offences("desktop/cli/cmd_task.py", _imports_of(allowed, "x.py")) == []
    assert facade_offences("desktop/ui/window/main_window.py", _imports_of("from desktop.cli import exits", "x.py"))


# The services' workings, which a front end asks for through App instead.
SERVICE_INTERNALS = ("context", "hub", "runner", "scheduler", "local_runs", "snapshot_plan", "task_env",
                     "audit_storage", "reconcile")
INTERNAL_ATTRIBUTES = ("ctx", "scheduler")


def internals_reached(path: str, source: str) -> list[str]:
    """A front end's imports of the services' internals and uses of ``app.ctx``/``tasks.scheduler``."""
    if _layer(path) not in FRONT_ENDS:
        return []
    found = [i for i in _imports_of(source, path)
             if any(i == f"desktop.services.{name}" for name in SERVICE_INTERNALS)]
    found += [f".{node.attr}" for node in ast.walk(ast.parse(source))
              if isinstance(node, ast.Attribute) and node.attr in INTERNAL_ATTRIBUTES]
    return sorted(found)


def test_front_ends_never_reach_into_the_services_internals() -> None:
    offenders = {
        str(p.relative_to(PACKAGE.parent)): found for p in PACKAGE.rglob("*.py")
        if (found := internals_reached(str(p.relative_to(PACKAGE.parent)), p.read_text()))
    }
    assert offenders == {}


def test_the_internals_rule_catches_what_the_front_ends_used_to_do() -> None:
    planted = {
        "desktop/ui/bridge/task_watch.py": "def f(self):\n    hub = self._app.ctx.hub",
        "desktop/cli/cmd_task.py": "def f(app):\n    app.tasks.scheduler.pump()",
        "desktop/cli/service_server.py": "from desktop.services.context import AppContext",
    }
    for path, source in planted.items():
        assert internals_reached(path, source), f"{source!r} in {path} went unnoticed"
    assert internals_reached("desktop/services/app.py", "from desktop.services.context import AppContext") == []


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
