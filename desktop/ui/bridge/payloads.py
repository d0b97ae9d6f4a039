"""Signal payloads: one frozen dataclass per kind of news, never a dict.

Views emit requests (``RunRequested``...), the controller emits what happened
(``TaskChanged``...). Each payload names what it is about by id, so a receiver
showing something else can ignore it cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain import Task, TaskEvent, Workspace
from desktop.domain.changes import ChangedFile
from desktop.ui.bridge.viewdata import (
    BuildProgress,
    ContainerInfo,
    EngineStatus,
    ImageStatus,
    SecretStatus,
    SettingsValues,
    WorkspaceItem,
    WorkspaceSpec,
)

# -- requests, from views -----------------------------------------------------


@dataclass(frozen=True)
class WorkspaceRef:
    workspace_id: str


@dataclass(frozen=True)
class TaskRef:
    task_id: str


@dataclass(frozen=True)
class RunRequested:
    workspace_id: str
    prompt: str
    model: str | None = None


@dataclass(frozen=True)
class FollowUpRequested:
    task_id: str
    prompt: str


@dataclass(frozen=True)
class AddWorkspaceRequested:
    spec: WorkspaceSpec


@dataclass(frozen=True)
class SecretSubmitted:
    name: str
    value: str  # travels once, from the field to the keyring; never stored by a view


@dataclass(frozen=True)
class HistoryQuery:
    text: str = ""
    states: tuple[str, ...] = ()  # TaskState values; empty: all
    workspace_id: str | None = None


# -- news, from the controller ------------------------------------------------


@dataclass(frozen=True)
class WorkspacesLoaded:
    items: tuple[WorkspaceItem, ...]


@dataclass(frozen=True)
class WorkspaceChanged:
    workspace_id: str
    item: WorkspaceItem | None  # None: removed


@dataclass(frozen=True)
class WorkspaceAdded:
    workspace: Workspace


@dataclass(frozen=True)
class TasksLoaded:
    workspace_id: str | None  # None: a history query
    tasks: tuple[Task, ...]


@dataclass(frozen=True)
class TaskChanged:
    task: Task


@dataclass(frozen=True)
class TaskFinished:
    task: Task


@dataclass(frozen=True)
class TaskSubmitted:
    task: Task  # a new task or follow-up the person just asked for


@dataclass(frozen=True)
class RunningChanged:
    tasks: tuple[Task, ...]  # queued and running, all workspaces


@dataclass(frozen=True)
class EventsArrived:
    task_id: str
    events: tuple[TaskEvent, ...]
    replace: bool = False  # True: the first batch of a (re)opened task
    view: str = "main"  # which view opened the task: "main" or "history"


@dataclass(frozen=True)
class ChangesLoaded:
    task_id: str
    files: tuple[ChangedFile, ...]


@dataclass(frozen=True)
class EngineStatusChanged:
    status: EngineStatus


@dataclass(frozen=True)
class ImageStatusChanged:
    status: ImageStatus


@dataclass(frozen=True)
class SecretStatusChanged:
    name: str
    status: SecretStatus


@dataclass(frozen=True)
class ImageBuildProgressed:
    progress: BuildProgress


@dataclass(frozen=True)
class ImageBuildFinished:
    ok: bool
    message: str


@dataclass(frozen=True)
class SettingsLoaded:
    values: SettingsValues


@dataclass(frozen=True)
class CloneProgressed:
    fraction: float | None
    message: str


@dataclass(frozen=True)
class ContainerChanged:
    info: ContainerInfo


@dataclass(frozen=True)
class StatsSampled:
    workspace_id: str
    cpu_percent: float
    mem_bytes: int
    mem_limit: int


@dataclass(frozen=True)
class OperationFailed:
    action: str  # what the person tried: "Apply changes", "Add workspace"
    message: str  # why it failed, for people
