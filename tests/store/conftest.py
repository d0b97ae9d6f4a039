"""Fixtures: a fresh database under a temporary AICODE_HOME, and sample rows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from itertools import count
from pathlib import Path

import pytest

from desktop.domain import NetworkMode, SourceKind, Task, TaskState, Workspace
from desktop.store import Database

_BASE_TIME = datetime(2026, 1, 1, 12, 0, 0)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("AICODE_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def db(home: Path) -> Iterator[Database]:
    with Database.open() as database:
        yield database


@pytest.fixture
def make_workspace() -> Callable[..., Workspace]:
    numbers = count(1)

    def make(**fields: object) -> Workspace:
        number = next(numbers)
        values: dict[str, object] = {
            "id": f"ws{number}",
            "name": f"workspace {number}",
            "source_kind": SourceKind.GIT,
            "source_path": f"/data/clones/ws{number}",
            "git_url": "https://example.com/repo.git",
            "image": "aicode-agent:latest",
            "cpus": 2.0,
            "memory": "2g",
            "network": NetworkMode.BRIDGE,
            "env": {"LANG": "C.UTF-8"},
            "created_at": _BASE_TIME,
        }
        values.update(fields)
        return Workspace(**values)  # type: ignore[arg-type]

    return make


@pytest.fixture
def workspace(db: Database, make_workspace: Callable[..., Workspace]) -> Workspace:
    return db.workspaces.add(make_workspace())


@pytest.fixture
def make_task(workspace: Workspace) -> Callable[..., Task]:
    """Tasks one minute apart, so their order by creation is known."""
    numbers = count(1)

    def make(**fields: object) -> Task:
        number = next(numbers)
        values: dict[str, object] = {
            "id": f"task{number:04d}",
            "workspace_id": workspace.id,
            "prompt": f"prompt {number}",
            "state": TaskState.QUEUED,
            "created_at": _BASE_TIME + timedelta(minutes=number),
        }
        values.update(fields)
        return Task(**values)  # type: ignore[arg-type]

    return make
