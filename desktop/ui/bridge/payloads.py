"""Signal payloads: one frozen dataclass per kind of news, never a dict.

Views emit requests (``RunRequested``...), the controller emits what happened
(``TaskChanged``...). Each payload names what it is about by id, so a receiver
showing something else can ignore it cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain import PermissionMode, Task, TaskEvent, Workspace
from desktop.domain.changes import ChangedFile
from desktop.domain.review import ChangeSet, FileDiff, MergePreview, Selection
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

if TYPE_CHECKING:
    from desktop.ui.review.payloads import ContextRequest

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
    permission_mode: PermissionMode | None = None  # None: the workspace's


@dataclass(frozen=True)
class FollowUpRequested:
    task_id: str
    prompt: str
    permission_mode: PermissionMode | None = None  # None: the followed task's


@dataclass(frozen=True)
class StartFromRequested:
    """A new task that starts from the end state of ``task_id`` (a session of its own)."""

    task_id: str
    prompt: str
    permission_mode: PermissionMode | None = None  # None: that task's


@dataclass(frozen=True)
class MessageRequested:
    """A message for the agent of the running task ``task_id`` (it reads it after its current step)."""

    task_id: str
    text: str


@dataclass(frozen=True)
class AddWorkspaceRequested:
    spec: WorkspaceSpec


@dataclass(frozen=True)
class SecretSubmitted:
    name: str
    value: str  # travels once, from the field to the keyring; never stored by a view


@dataclass(frozen=True)
class ApplyRequested:
    task_id: str
    selection: Selection | None  # None: everything still pending
    flagged: tuple[FileDiff, ...] = ()  # selected files with flags: confirmed by the person first
    reviewed: str | None = None  # the digest of the change shown: Apply refuses any other


@dataclass(frozen=True)
class ContextRequested:
    """Unchanged lines around a hunk, as the workspace's folder has them now."""

    task_id: str
    path: str  # exact, as the patch names it: the answer is for this file of the diff
    folder_path: str  # where its lines are in the folder now (a renamed file's old name)
    first: int  # 1-based, in the file as the folder has it
    count: int

    @classmethod
    def of(cls, task_id: str, request: ContextRequest) -> ContextRequested:
        """The diff viewer's request, for the controller."""
        return cls(task_id, request.path, request.folder_path, request.first_old_line, request.count)


@dataclass(frozen=True)
class MergeRequested:
    """A three-way merge of what no longer applies: to preview, or (after the preview) to write."""

    task_id: str
    selection: Selection | None  # None: everything still pending


@dataclass(frozen=True)
class CompareRequested:
    """The difference from the end state of ``first`` to that of ``second`` (same workspace)."""

    first: str
    second: str


@dataclass(frozen=True)
class CommitRequested:
    task_id: str
    message: str


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
class ReviewChanged:
    tasks: tuple[Task, ...]  # ended, their change neither applied nor discarded, all workspaces, newest first


@dataclass(frozen=True)
class EventsArrived:
    task_id: str
    events: tuple[TaskEvent, ...]
    replace: bool = False  # True: the first batch of a (re)opened task
    view: str = "main"  # which view opened the task: "main" or "history"


@dataclass(frozen=True)
class WorkspaceMoved:
    workspace_id: str
    name: str
    engine: str  # where it lives now
    carried: bool  # its working copy and Claude's sessions came along


@dataclass(frozen=True)
class WorkspaceRemoved:
    workspace_id: str
    name: str
    kept: tuple[Path, ...]  # where its changes still waiting for review were saved


@dataclass(frozen=True)
class ChangesLoaded:
    task_id: str
    changes: ChangeSet
    can_commit: bool = False  # applied, and its folder is a git work tree


@dataclass(frozen=True)
class ContextLoaded:
    task_id: str
    path: str
    first: int
    lines: tuple[str, ...] | None  # None: the file is not in the folder (or not a plain file)


@dataclass(frozen=True)
class ChangesApplied:
    task_id: str
    files: tuple[ChangedFile, ...]
    kept: Path | None  # where the part left out of a partial apply was saved
    can_commit: bool


@dataclass(frozen=True)
class ApplyConflicted:
    task_id: str
    message: str  # the whole story, for people
    parts: tuple[str, ...]  # the hunks (or files) that no longer fit, shown as they are (made visible)


@dataclass(frozen=True)
class MergeLoaded:
    request: MergeRequested
    previews: tuple[MergePreview, ...]  # one a file that no longer applies; texts untrusted


@dataclass(frozen=True)
class MergeWritten:
    task_id: str
    files: tuple[ChangedFile, ...]  # every file written, merged or applied as it was
    conflicted: tuple[str, ...]  # the merged files with conflict markers to resolve (made visible)


@dataclass(frozen=True)
class Compared:
    request: CompareRequested
    changes: ChangeSet  # to read only: nothing is applied from a comparison


@dataclass(frozen=True)
class ChangesDiscarded:
    task_id: str
    kept: Path | None  # where the change was saved


@dataclass(frozen=True)
class ChangesUndone:
    task_id: str
    files: tuple[ChangedFile, ...]


@dataclass(frozen=True)
class CommitMessageLoaded:
    task_id: str
    message: str


@dataclass(frozen=True)
class Committed:
    task_id: str
    commit: str  # the new commit's id


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
