"""A workspace: a project the agent works on, and how its container is made."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class SourceKind(enum.StrEnum):
    FOLDER = "folder"  # the user's own folder: never written, never removed
    GIT = "git"  # cloned by the app into its data directory


class NetworkMode(enum.StrEnum):
    BRIDGE = "bridge"
    NONE = "none"
    HOST = "host"


class EgressMode(enum.StrEnum):
    # Only through the app's proxy, to the hosts of the workspace's allowlist.
    ALLOWLIST = "allowlist"
    # The Docker network the workspace names (a bridge: anywhere); the model
    # still only through the proxy, so the key stays out.
    OPEN = "open"
    # Nothing but the model, through the proxy.
    NONE = "none"


class PermissionMode(enum.StrEnum):
    # DEFAULT asks the user (through the app) before a tool that changes
    # something; the app's default for new workspaces.
    BYPASS = "bypassPermissions"
    DEFAULT = "default"
    ACCEPT_EDITS = "acceptEdits"
    PLAN = "plan"


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    source_kind: SourceKind
    # FOLDER: the user's folder. GIT: the app's clone on disk.
    source_path: str
    # GIT only: the URL it was cloned from.
    git_url: str | None
    image: str
    cpus: float
    memory: str  # a Docker size, e.g. "2g"
    network: NetworkMode
    env: dict[str, str] = field(default_factory=dict)  # plain values only
    # Variables whose values live in the OS keyring (desktop.secrets), by name
    # only here; the agent gets them like ``env``, everything else never.
    secret_env: tuple[str, ...] = ()
    permission_mode: PermissionMode = PermissionMode.DEFAULT
    # Tools the user allowed always in this workspace ("Allow always"): their
    # requests are answered without asking.
    allowed_tools: tuple[str, ...] = ()
    egress: EgressMode = EgressMode.ALLOWLIST
    # The hosts the agent may reach (rules of desktop.egress.rules); None
    # follows the app's default list (Settings).
    egress_allow: tuple[str, ...] | None = None
    # Paths of the folder that never travel (desktop.snapshots.exclusions).
    excluded: tuple[str, ...] = ()
    # The Docker engine its container lives on (desktop.domain.engines).
    engine: str = "local"
    created_at: datetime = field(default_factory=datetime.now)
