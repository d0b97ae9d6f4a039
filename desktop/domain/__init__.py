"""Plain dataclasses and enums shared by every layer; no I/O, no Qt."""

from desktop.domain.events import EventKind, NewEvent, TaskEvent
from desktop.domain.task import Task, TaskState
from desktop.domain.workspace import EgressMode, NetworkMode, PermissionMode, SourceKind, Workspace

__all__ = [
    "EgressMode",
    "EventKind",
    "NetworkMode",
    "NewEvent",
    "PermissionMode",
    "SourceKind",
    "Task",
    "TaskEvent",
    "TaskState",
    "Workspace",
]
