"""Docker engines as the Engines page sees them: each engine, what its
connection test found, and the person's requests to add, test or remove one.
One frozen dataclass per kind of news; no Qt, none of the services' classes."""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True)
class EngineItem:
    name: str
    url: str  # "" for the local engine's platform default
    tls: bool
    workspaces: int  # how many live there
    local: bool


@dataclass(frozen=True)
class EnginesListed:
    """Every engine, the local one first."""

    engines: tuple[EngineItem, ...]


class ImageState(enum.Enum):
    """The agent image on an engine that answered."""

    CURRENT = "current"  # there, and built from what this machine's was built from
    UNCOMPARED = "uncompared"  # there; this machine's image could not be looked at to compare
    OTHER = "other"  # there, built from other sources than this machine's
    UNUSABLE = "unusable"  # a tag of that name, but not an agent image of this version
    MISSING = "missing"  # built or copied there when a workspace is placed on it


@dataclass(frozen=True)
class EngineHealth:
    """A connection test's result; the facts only when ``ok``."""

    name: str
    ok: bool
    message: str  # "Docker 20.10.24 (API 1.41), linux/amd64", or what failed
    fix: str = ""
    version: str = ""
    os_arch: str = ""
    cpus: int = 0
    memory_bytes: int = 0
    free_disk_bytes: int | None = None
    running: int = 0  # containers running there
    image: ImageState = ImageState.MISSING
    workspaces: int = 0


@dataclass(frozen=True)
class EngineRef:
    name: str


@dataclass(frozen=True)
class EngineAddRequested:
    """The add form's fields as typed; the TLS files only for a tcp:// engine."""

    name: str
    url: str
    tls_ca: str = ""
    tls_cert: str = ""
    tls_key: str = ""

    @property
    def tls_given(self) -> bool:
        return any((self.tls_ca, self.tls_cert, self.tls_key))


# The add form's parts a refusal is said under.
NAME, URL, TLS, FORM = "name", "url", "tls", "form"


@dataclass(frozen=True)
class EngineAddRefused:
    """An engine the services did not take, and why; ``field`` is where it is said
    (NAME, URL, TLS, or FORM for a failure that is none of the fields')."""

    field: str
    message: str


@dataclass(frozen=True)
class EngineRemoveRefused:
    """A removal the services refused (workspaces live there), or that failed."""

    name: str
    message: str
