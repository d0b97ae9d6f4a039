"""Workspaces: stored, looked up by id or by name, renamed, removed."""

from __future__ import annotations

import builtins
import dataclasses
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, delete, exists, insert, select, update

from desktop.domain import EgressMode, NetworkMode, PermissionMode, SourceKind, Workspace
from desktop.store.encoding import (
    datetime_from_text,
    datetime_to_text,
    json_from_text,
    json_to_text,
)
from desktop.store.errors import AlreadyExists, NameTaken, NotFound
from desktop.store.tables import workspaces

if TYPE_CHECKING:
    from desktop.store.database import Database


class WorkspaceRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, workspace: Workspace) -> Workspace:
        with self._db.write() as connection:
            # Checked inside the write transaction, which holds SQLite's only
            # write lock, so nobody can take the id or name in between.
            if _exists(connection, workspaces.c.id == workspace.id):
                raise AlreadyExists("workspace", workspace.id)
            if _exists(connection, workspaces.c.name == workspace.name):
                raise NameTaken(workspace.name)
            connection.execute(insert(workspaces).values(_to_row(workspace)))
        return workspace

    def get(self, workspace_id: str) -> Workspace:
        with self._db.read() as connection:
            row = connection.execute(
                select(workspaces).where(workspaces.c.id == workspace_id)
            ).first()
        if row is None:
            raise NotFound("workspace", workspace_id)
        return _from_row(row)

    def get_by_name(self, name: str) -> Workspace:
        """The workspace called ``name``, ignoring (ASCII) case."""
        with self._db.read() as connection:
            row = connection.execute(select(workspaces).where(workspaces.c.name == name)).first()
        if row is None:
            raise NotFound("workspace", name)
        return _from_row(row)

    def list(self) -> builtins.list[Workspace]:
        """All workspaces, by name."""
        with self._db.read() as connection:
            rows = connection.execute(select(workspaces).order_by(workspaces.c.name)).all()
        return [_from_row(row) for row in rows]

    def rename(self, workspace_id: str, new_name: str) -> Workspace:
        with self._db.write():
            return self.update(dataclasses.replace(self.get(workspace_id), name=new_name))

    def update(self, workspace: Workspace) -> Workspace:
        """Store every field of ``workspace`` under its id."""
        with self._db.write() as connection:
            taken = (workspaces.c.name == workspace.name) & (workspaces.c.id != workspace.id)
            if _exists(connection, taken):
                raise NameTaken(workspace.name)
            row = _to_row(workspace)
            del row["id"]
            changed = connection.execute(
                update(workspaces).where(workspaces.c.id == workspace.id).values(row)
            ).rowcount
        if not changed:
            raise NotFound("workspace", workspace.id)
        return workspace

    def remove(self, workspace_id: str) -> None:
        """Delete the workspace with its tasks and their events."""
        with self._db.write() as connection:
            removed = connection.execute(
                delete(workspaces).where(workspaces.c.id == workspace_id)
            ).rowcount
        if not removed:
            raise NotFound("workspace", workspace_id)


def _exists(connection: Connection, condition: Any) -> bool:
    return bool(connection.execute(select(exists().where(condition))).scalar())


def _to_row(workspace: Workspace) -> dict[str, Any]:
    return {
        "id": workspace.id,
        "name": workspace.name,
        "source_kind": SourceKind(workspace.source_kind).value,
        "source_path": workspace.source_path,
        "git_url": workspace.git_url,
        "image": workspace.image,
        "cpus": workspace.cpus,
        "memory": workspace.memory,
        "network": NetworkMode(workspace.network).value,
        "env": json_to_text(workspace.env),
        "permission_mode": PermissionMode(workspace.permission_mode).value,
        "allowed_tools": json_to_text(list(workspace.allowed_tools)),
        "egress": EgressMode(workspace.egress).value,
        "egress_allow": None if workspace.egress_allow is None else json_to_text(list(workspace.egress_allow)),
        "secret_env": json_to_text(list(workspace.secret_env)),
        "excluded": json_to_text(list(workspace.excluded)),
        "engine": workspace.engine,
        "created_at": datetime_to_text(workspace.created_at),
    }


def _from_row(row: Row[Any]) -> Workspace:
    return Workspace(
        id=row.id,
        name=row.name,
        source_kind=SourceKind(row.source_kind),
        source_path=row.source_path,
        git_url=row.git_url,
        image=row.image,
        cpus=row.cpus,
        memory=row.memory,
        network=NetworkMode(row.network),
        env=json_from_text(row.env),
        permission_mode=PermissionMode(row.permission_mode),
        allowed_tools=tuple(t for t in json_from_text(row.allowed_tools) if isinstance(t, str)),
        egress=EgressMode(row.egress),
        egress_allow=None if row.egress_allow is None else tuple(
            h for h in json_from_text(row.egress_allow) if isinstance(h, str)),
        secret_env=tuple(n for n in json_from_text(row.secret_env) if isinstance(n, str)),
        excluded=tuple(e for e in json_from_text(row.excluded) if isinstance(e, str)),
        engine=row.engine,
        created_at=datetime_from_text(row.created_at),
    )
