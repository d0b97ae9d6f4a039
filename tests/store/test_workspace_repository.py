from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from desktop.domain import NetworkMode, PermissionMode, SourceKind, Task, Workspace
from desktop.store import AlreadyExists, Database, NameTaken, NotFound

MakeWorkspace = Callable[..., Workspace]


def test_add_then_get_returns_an_equal_workspace(
    db: Database, make_workspace: MakeWorkspace
) -> None:
    workspace = make_workspace(
        source_kind=SourceKind.FOLDER,
        git_url=None,
        cpus=0.5,
        network=NetworkMode.NONE,
        env={"TOKEN_NAME": "välue", "EMPTY": ""},
        permission_mode=PermissionMode.PLAN,
    )
    db.workspaces.add(workspace)
    assert db.workspaces.get(workspace.id) == workspace


def test_get_by_name_ignores_case(db: Database, workspace: Workspace) -> None:
    assert db.workspaces.get_by_name(workspace.name.upper()) == workspace


def test_unknown_workspace_is_not_found(db: Database) -> None:
    with pytest.raises(NotFound, match="no workspace matches 'nope'"):
        db.workspaces.get("nope")
    with pytest.raises(NotFound):
        db.workspaces.get_by_name("nope")


def test_a_name_is_taken_whatever_its_case(db: Database, make_workspace: MakeWorkspace) -> None:
    db.workspaces.add(make_workspace(name="Shop"))
    with pytest.raises(NameTaken, match="'shop' already exists"):
        db.workspaces.add(make_workspace(name="shop"))


def test_an_id_is_taken(db: Database, workspace: Workspace, make_workspace: MakeWorkspace) -> None:
    with pytest.raises(AlreadyExists) as caught:
        db.workspaces.add(make_workspace(id=workspace.id))
    assert not isinstance(caught.value, NameTaken)


def test_list_is_by_name(db: Database, make_workspace: MakeWorkspace) -> None:
    for name in ("beta", "Alpha", "gamma"):
        db.workspaces.add(make_workspace(name=name))
    assert [w.name for w in db.workspaces.list()] == ["Alpha", "beta", "gamma"]


def test_rename(db: Database, workspace: Workspace, make_workspace: MakeWorkspace) -> None:
    renamed = db.workspaces.rename(workspace.id, "new name")
    assert renamed == dataclasses.replace(workspace, name="new name")
    assert db.workspaces.get_by_name("new name") == renamed

    other = db.workspaces.add(make_workspace(name="other"))
    with pytest.raises(NameTaken):
        db.workspaces.rename(other.id, "NEW NAME")
    # Changing only the case of one's own name is fine.
    assert db.workspaces.rename(workspace.id, "New Name").name == "New Name"
    with pytest.raises(NotFound):
        db.workspaces.rename("nope", "x")


def test_update_stores_every_field(db: Database, workspace: Workspace) -> None:
    changed = dataclasses.replace(
        workspace, image="other:1", cpus=4.0, memory="8g", env={}, network=NetworkMode.HOST
    )
    assert db.workspaces.update(changed) == changed
    assert db.workspaces.get(workspace.id) == changed


def test_update_of_an_unknown_workspace(db: Database, make_workspace: MakeWorkspace) -> None:
    with pytest.raises(NotFound):
        db.workspaces.update(make_workspace(id="nope"))


def test_remove_takes_the_tasks_and_events_along(
    db: Database, workspace: Workspace, make_task: Callable[..., Task]
) -> None:
    task = db.tasks.create(make_task())
    db.events.append(task.id, "text", {"text": "hi"})  # type: ignore[arg-type]
    db.workspaces.remove(workspace.id)
    assert db.workspaces.list() == []
    with pytest.raises(NotFound):
        db.tasks.get(task.id)
    assert db.events.list(task.id) == []
    with pytest.raises(NotFound):
        db.workspaces.remove(workspace.id)
