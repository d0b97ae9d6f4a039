"""The app's settings: stored in the database, never holding a secret."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.containers.images import DEFAULT_IMAGE
from desktop.egress.rules import DEFAULT_ALLOWLIST

if TYPE_CHECKING:
    from desktop.store import Database

_KEY = "app"


@dataclass(frozen=True)
class Settings:
    concurrency: int = 2
    default_image: str = DEFAULT_IMAGE
    default_cpus: float = 2.0
    default_memory: str = "2g"
    theme: str = "system"  # system, light, dark
    notifications: bool = True
    # How long a request of the agent waits for the user before it is denied
    # (or, for a stopped turn, before the task ends).
    answer_timeout_minutes: float = 30
    # The hosts a workspace's agent may reach when the workspace has no list
    # of its own (desktop.egress.rules).
    egress_default: tuple[str, ...] = DEFAULT_ALLOWLIST
    # The embedded terminal's font: "" and 0 take the system's monospace font and size.
    terminal_font: str = ""
    terminal_font_size: int = 0


def load_settings(db: "Database") -> Settings:
    stored = db.settings.get(_KEY, {}) or {}
    known = {f.name for f in dataclasses.fields(Settings)}
    values = {k: v for k, v in stored.items() if k in known}
    if isinstance(values.get("egress_default"), list):
        values["egress_default"] = tuple(str(h) for h in values["egress_default"])
    try:
        return Settings(**values)
    except TypeError:
        return Settings()


def save_settings(db: "Database", settings: Settings) -> Settings:
    if settings.concurrency < 1:
        raise ValueError("the concurrency limit is at least 1")
    if settings.answer_timeout_minutes < 1:  # (tests store less, straight into the database)
        raise ValueError("the time to answer the agent is at least 1 minute")
    if settings.theme not in ("system", "light", "dark"):
        raise ValueError(f"unknown theme {settings.theme!r}")
    db.settings.set(_KEY, dataclasses.asdict(settings))
    return settings
