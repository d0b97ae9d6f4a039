"""The architecture, checked: data flows ui/cli → services → the rest.

- Qt (PySide6, qasync) is imported only under desktop/ui.
- desktop.ui is imported only by itself; desktop.cli only by itself.
- The core (everything but ui, cli, services) never imports services.
- The front ends (ui, cli) see only the services' façade: they import
  desktop.services, desktop.domain and desktop.paths, and their own package.
- Only desktop/containers talks to docker-py: nothing else imports docker
  or reaches for the raw client through an engine (``ctx.engine.client``).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desktop"
CORE = ("domain", "store", "containers", "agent", "hostgit", "secrets", "audit", "snapshots", "egress")


def _imports(path: Path) -> set[str]:
    return _imports_of(path.read_text(), str(path))


def _imports_of(source: str, filename: str) -> set[str]:
    return _imported(ast.parse(source, filename=filename))


def _imported(tree: ast.AST) -> set[str]:
    """Every module named by an absolute import, wherever it stands (in a
    function, under TYPE_CHECKING); ``from desktop import paths`` names
    ``desktop.paths``."""
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


# -- docker-py stays in desktop/containers --

ENGINE_INNARDS = ("client", "api")


def _sources() -> dict[str, str]:
    return {str(p.relative_to(PACKAGE.parent)): p.read_text() for p in PACKAGE.rglob("*.py")}


def docker_imports(path: str, source: str) -> list[str]:
    """The docker-py imports of a module that may not have any (all but containers).

    ``ast.walk`` sees the lazy imports inside functions too, which is how
    docker-py is usually imported here.
    """
    if _layer(path) == "containers":
        return []
    imported = _imported(ast.parse(source, filename=path))
    return sorted(i for i in imported if i == "docker" or i.startswith("docker."))


def engine_innards(path: str, source: str) -> list[str]:
    """Uses of ``<...>engine.client`` / ``<...>engine.api`` outside containers, as "line: expr"."""
    if _layer(path) == "containers":
        return []
    found = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if not (isinstance(node, ast.Attribute) and node.attr in ENGINE_INNARDS):
            continue
        owner = node.value
        name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
        if name.lower().endswith("engine"):
            found.append((node.lineno, node.col_offset, ast.unparse(node)))
    return [f"{line}: {expr}" for line, _, expr in sorted(found)]


def test_only_containers_import_docker() -> None:
    offenders = {path: found for path, source in _sources().items() if (found := docker_imports(path, source))}
    assert offenders == {}


def test_nothing_but_containers_reaches_into_the_engine() -> None:
    offenders = {path: found for path, source in _sources().items() if (found := engine_innards(path, source))}
    assert offenders == {}


def test_the_docker_rules_catch_a_planted_offender() -> None:
    planted = "desktop/services/planted.py"
    assert docker_imports(planted, "import docker.errors") == ["docker.errors"]
    assert docker_imports(planted, "def f():\n    from docker import errors\n") == ["docker"]
    assert docker_imports(planted, "import dockerfile_parse, docker_helpers") == []
    assert docker_imports("desktop/containers/planted.py", "import docker.errors") == []

    source = (
        "def f(ctx, engine, self):\n"
        "    ctx.engine.client.containers.get('x')\n"
        "    self._engine.api.put_archive('x', '/', b'')\n"
        "    engine.client\n"
        "    ctx.engine.status(); self.client; api.client\n"
    )
    assert engine_innards(planted, source) == [
        "2: ctx.engine.client", "3: self._engine.api", "4: engine.client",
    ]
    assert engine_innards("desktop/containers/planted.py", source) == []
