"""A workspace's container actions as the views see them: which action, its
words while it runs and when it ends, and the news of both. No Qt."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ContainerAction(enum.StrEnum):
    START = "start"
    STOP = "stop"
    RECREATE = "recreate"

    @property
    def title(self) -> str:
        """What the person asked for, as a failure names it ("Stop container failed")."""
        return f"{self.value.capitalize()} container"

    @property
    def progress(self) -> str:
        return PROGRESS[self]

    @property
    def done(self) -> str:
        return DONE[self]


PROGRESS = {
    ContainerAction.START: "Starting the container…",
    ContainerAction.STOP: "Stopping the container… (its processes get a few seconds to end)",
    ContainerAction.RECREATE: "Recreating the container…",
}
DONE = {
    ContainerAction.START: "Started.",
    ContainerAction.STOP: "Stopped.",
    ContainerAction.RECREATE: "Recreated: a new container, the working copy and Claude's sessions kept.",
}


@dataclass(frozen=True)
class ContainerActionStarted:
    workspace_id: str
    action: ContainerAction


@dataclass(frozen=True)
class ContainerActionEnded:
    """``message`` is for people: the result, or why it failed."""

    workspace_id: str
    action: ContainerAction
    ok: bool
    message: str


@dataclass(frozen=True)
class DiskUsageLoaded:
    """A workspace's disk, in bytes (None: not known); ``problem`` says why nothing is known."""

    workspace_id: str
    working_copy: int | None = None
    home: int | None = None
    folder: int | None = None  # the user's folder as the last task's copy found it
    problem: str = ""
