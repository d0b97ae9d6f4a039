"""The app's storage: SQLite through SQLAlchemy Core, behind repositories.

Repositories take and return ``desktop.domain`` dataclasses (and the few
records in ``records.py``); no SQLAlchemy row or connection is meant to be
kept outside the store::

    from desktop.store import Database

    with Database.open() as db:
        db.workspaces.add(workspace)
        task = db.tasks.get("3f2a")  # a unique prefix of the id will do

Importing this package does not import SQLAlchemy (about 150 ms): the CLI
pays for it only when it opens the database. Hence the lazy attributes below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from desktop.store.errors import (
    AlreadyExists,
    AmbiguousId,
    MigrationFailed,
    NameTaken,
    NotFound,
    NotOurDatabase,
    SchemaTooNew,
    StaleState,
    StoreError,
)
from desktop.store.records import AuditEntry

if TYPE_CHECKING:
    from desktop.store.audit_repository import AuditRepository
    from desktop.store.database import Database
    from desktop.store.event_repository import EventRepository
    from desktop.store.settings_repository import SettingsRepository
    from desktop.store.task_repository import TaskRepository
    from desktop.store.workspace_repository import WorkspaceRepository

_LAZY = {
    "Database": "desktop.store.database",
    "AuditRepository": "desktop.store.audit_repository",
    "EventRepository": "desktop.store.event_repository",
    "SettingsRepository": "desktop.store.settings_repository",
    "TaskRepository": "desktop.store.task_repository",
    "WorkspaceRepository": "desktop.store.workspace_repository",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


__all__ = [
    "AlreadyExists",
    "AmbiguousId",
    "AuditEntry",
    "AuditRepository",
    "Database",
    "EventRepository",
    "MigrationFailed",
    "NameTaken",
    "NotFound",
    "NotOurDatabase",
    "SchemaTooNew",
    "SettingsRepository",
    "StaleState",
    "StoreError",
    "TaskRepository",
    "WorkspaceRepository",
]
