"""The architecture, checked: data flows ui/cli → services → the rest.

- Qt (PySide6, qasync) is imported only under desktop/ui.
- desktop.ui is imported only by itself; desktop.cli only by itself.
- The core (everything but ui, cli, services) never imports services.
- Only desktop/containers talks to docker-py: nothing else imports docker
  or reaches for the raw client through an engine (``ctx.engine.client``).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desktop"
CORE = ("domain", "store", "containers", "agent", "hostgit", "secrets", "audit", "snapshots")


def _imports(path: Path) -> set[str]:
    return _imported(ast.parse(path.read_text(), filename=str(path)))


def _imported(tree: ast.AST) -> set[str]:
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
