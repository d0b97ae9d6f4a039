"""Plain data the views show, beyond the domain types; the controller fills them
from the Core's answers, so views never depend on the Core's own classes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from desktop.domain import Workspace


@dataclass(frozen=True)
class EngineStatus:
    ok: bool
    message: str  # "Docker 27.3.1 on unix:///var/run/docker.sock", "Docker is not running"
    fix: str = ""  # what to do about it, for people; empty when ok
    checking: bool = False  # a check is under way


class ThemeMode(enum.StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class SettingsValues:
    """The settings dialog's values; the controller maps them to the Core's settings."""

    concurrency: int = 2
    default_image: str = "aicode-agent:latest"
    default_cpus: float = 2.0
    default_memory: str = "2g"
    theme: ThemeMode = ThemeMode.SYSTEM
    notifications: bool = True


class ContainerState(enum.StrEnum):
    NOT_CREATED = "not created"
    STOPPED = "stopped"
    RUNNING = "running"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class WorkspaceItem:
    """A workspace as the sidebar lists it."""

    workspace: Workspace
    running_tasks: int = 0
    queued_tasks: int = 0
    container: ContainerState = ContainerState.UNKNOWN


@dataclass(frozen=True)
class ContainerInfo:
    """What the workspace panel shows about a workspace's container."""

    workspace_id: str
    state: ContainerState
    image: str = ""
    cli_version: str = ""
    detail: str = ""  # e.g. "up 2 hours", or why it could not start


@dataclass(frozen=True)
class ChangedFile:
    path: str
    insertions: int
    deletions: int
    status: str  # "M", "A", "D", "R" (git's letters)


@dataclass(frozen=True)
class ImageStatus:
    ok: bool
    message: str  # "aicode-agent:latest (Claude Code 2.0.14), built 3 days ago" or why not
    fix: str = ""


@dataclass(frozen=True)
class SecretStatus:
    """Whether the API key is stored, and where; never the value."""

    stored: bool
    backend: str = ""  # "GNOME Keyring", "macOS Keychain", ...
    secure: bool = True  # False: a plain-file fallback, shown with a warning
    warning: str = ""


@dataclass(frozen=True)
class BuildProgress:
    line: str = ""  # one line of build output
    fraction: float | None = None  # 0..1 when known


@dataclass(frozen=True)
class WorkspaceSpec:
    """What the add-workspace dialog asks the Core to create."""

    name: str
    folder: str | None = None  # exactly one of folder and git_url
    git_url: str | None = None
    image: str = ""
    cpus: float = 2.0
    memory: str = "4g"
    network: str = "bridge"
    permission_mode: str = "bypassPermissions"
    env: dict[str, str] = field(default_factory=dict)
