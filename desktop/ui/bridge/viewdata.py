"""Plain data the views show, beyond the domain types; the controller fills them
from the services' answers, so views never depend on the services' own classes.
Defaults come from the services' settings, never from literals of their own."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from desktop.domain import EgressMode, NetworkMode, PermissionMode, Workspace
from desktop.services.settings import Settings

DEFAULTS = Settings()  # the services' defaults, before the stored settings are read


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
    """The settings dialog's values; the controller maps them to the services' settings."""

    concurrency: int = DEFAULTS.concurrency
    default_image: str = DEFAULTS.default_image
    default_cpus: float = DEFAULTS.default_cpus
    default_memory: str = DEFAULTS.default_memory
    theme: ThemeMode = ThemeMode(DEFAULTS.theme)
    notifications: bool = DEFAULTS.notifications
    answer_timeout_minutes: int = DEFAULTS.answer_timeout_minutes
    terminal_font: str = DEFAULTS.terminal_font
    terminal_font_size: int = DEFAULTS.terminal_font_size


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
    waiting_tasks: int = 0  # running tasks that wait on their user (counted among the running)
    review_tasks: int = 0  # ended tasks whose change is neither applied nor discarded
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
class ImageStatus:
    ok: bool
    message: str  # "aicode-agent:latest (Claude Code 2.0.14), built 3 days ago" or why not
    fix: str = ""


@dataclass(frozen=True)
class SecretStatus:
    """Whether a Claude credential (an API key, a subscription token) is stored,
    and where; never the value."""

    stored: bool  # either one
    backend: str = ""  # "GNOME Keyring", "macOS Keychain", ...
    secure: bool = True  # False: a plain-file fallback, shown with a warning
    warning: str = ""
    api_key: bool = False
    token: bool = False


@dataclass(frozen=True)
class BuildProgress:
    line: str = ""  # one line of build output
    fraction: float | None = None  # 0..1 when known


@dataclass(frozen=True)
class WorkspaceSpec:
    """What the add-workspace dialog asks the services to create."""

    name: str
    folder: str | None = None  # exactly one of folder and git_url
    git_url: str | None = None
    image: str = ""  # empty: the default image of Settings
    cpus: float = DEFAULTS.default_cpus
    memory: str = DEFAULTS.default_memory
    network: str = NetworkMode.BRIDGE.value
    permission_mode: str = PermissionMode.DEFAULT.value
    env: dict[str, str] = field(default_factory=dict)
    egress: str = EgressMode.ALLOWLIST.value
    secret_env: dict[str, str] = field(default_factory=dict, repr=False)  # name -> value, for the keyring
    excluded: tuple[str, ...] = ()  # what of the folder never travels
    engine: str = ""  # the Docker engine its container lives on: "" this machine's, "auto" the roomiest
