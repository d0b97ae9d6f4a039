"""A task: one prompt run by Claude Code in a workspace's container."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from desktop.domain.workspace import PermissionMode


class TaskState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in (TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED)


class PatchState(enum.StrEnum):
    NONE = "none"  # no change captured (yet)
    PENDING = "pending"  # captured, waiting for the user's review
    APPLIED = "applied"
    DISCARDED = "discarded"


@dataclass(frozen=True)
class Task:
    id: str
    workspace_id: str
    prompt: str
    state: TaskState
    created_at: datetime
    model: str | None = None
    # A follow-up continues the Claude session of ``parent_id``; with
    # ``new_session`` it only starts from that task's end state.
    parent_id: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    session_id: str | None = None
    result: str | None = None
    error: str | None = None  # why it failed or was cancelled, for people
    exit_code: int | None = None
    cost_usd: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    num_turns: int | None = None
    duration_ms: int | None = None
    patch_state: PatchState = PatchState.NONE
    cli_version: str | None = None
    new_session: bool = False
    # None: the workspace's mode when the task runs.
    permission_mode: PermissionMode | None = None
    # How many of its requests (tool permissions, questions, a stopped turn)
    # wait for the user: kept with the requests, in the same transaction.
    waiting: int = 0
    # Lines of claude's output read so far: an app process that takes over a
    # task whose runner quit reads on from there.
    stream_lines: int = 0

    @property
    def is_final(self) -> bool:
        return self.state.is_final

    @property
    def needs_input(self) -> bool:
        return self.state is TaskState.RUNNING and self.waiting > 0

    @property
    def shown_state(self) -> str:
        """The state as people see it: "needs_input" is a running task waiting on them."""
        return NEEDS_INPUT if self.needs_input else self.state.value


NEEDS_INPUT = "needs_input"
