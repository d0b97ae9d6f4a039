"""The agent's way out as the views see it: a workspace's egress mode, its
allowlist and the requests its agent was refused, and the person's changes to
them. One frozen dataclass per kind of news; no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from desktop.domain import EgressMode


@dataclass(frozen=True)
class Refusal:
    """One request the proxy refused. ``host`` and ``reason`` came from the
    agent's side (the host is what it asked for): shown only as visible text."""

    at: datetime
    host: str
    port: int  # 0: not a network address (a model request without the workspace's key)
    reason: str

    @property
    def reachable(self) -> bool:
        """Whether this names a host and port that could be put on the allowlist."""
        return 0 < self.port < 65536 and bool(self.host)

    @property
    def address(self) -> str:
        """``host:port`` as an allowlist entry is written (``[v6]:port`` for an IPv6 address)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port else host


@dataclass(frozen=True)
class EgressLoaded:
    """A workspace's way out as it is now."""

    workspace_id: str
    mode: EgressMode
    hosts: tuple[str, ...]  # the allowlist it has (or would have, in another mode)
    follows_default: bool  # the list is the app's default one, not yet its own
    refusals: tuple[Refusal, ...]  # newest first, bounded
    latest_blocked: int = 0  # refusals during the workspace's latest task


@dataclass(frozen=True)
class HostAllowed:
    """Put a host on a workspace's allowlist; ``origin`` is the part that asked
    ("add": the add field, "log": a refused request's Allow button)."""

    workspace_id: str
    host: str
    origin: str = "add"


@dataclass(frozen=True)
class HostRemoved:
    workspace_id: str
    host: str


@dataclass(frozen=True)
class EgressModeChosen:
    workspace_id: str
    mode: EgressMode


@dataclass(frozen=True)
class EgressChangeRefused:
    """A change the services did not take (a host that is not one): said where it was asked."""

    workspace_id: str
    origin: str  # "add", "log", "remove" or "mode"
    message: str


@dataclass(frozen=True)
class TaskBlocked:
    """What a task's agent was refused while the task ran, newest first."""

    task_id: str
    refusals: tuple[Refusal, ...]
