"""Docker engines the app knows besides the local one, and the rules for
naming and reaching them. No I/O: the files a TLS engine names are checked
by the services, the engine itself by ``desktop.containers``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

# The engine every installation has: DOCKER_HOST or the platform's default.
LOCAL = "local"
# Not an engine: "place it where there is most room" (desktop.services.engines).
AUTO = "auto"

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
SCHEMES = ("unix", "tcp", "ssh")


class BadEngine(ValueError):
    """An engine name, URL or TLS set that cannot be used; the text says why."""


@dataclass(frozen=True)
class TlsFiles:
    """A TCP engine's client certificate, its key and the CA that signed the
    engine's certificate: paths on this machine (the key's bytes never leave it)."""

    ca: str
    cert: str
    key: str


@dataclass(frozen=True)
class EngineSpec:
    name: str
    url: str  # unix:///path, tcp://host:port, ssh://user@host[:port][/remote/docker.sock]
    tls: TlsFiles | None = None
    created_at: datetime | None = None

    @property
    def scheme(self) -> str:
        return self.url.split("://", 1)[0]


def check_name(name: str) -> str:
    name = name.strip()
    if name.lower() == LOCAL:
        raise BadEngine(f"'{LOCAL}' is the name of this machine's own engine; choose another name")
    if name.lower() == AUTO:
        raise BadEngine(f"'{AUTO}' means \"the engine with most room\" when a workspace is added; choose another name")
    if not _NAME.match(name):
        raise BadEngine(f"bad engine name {name!r}: use 1-40 lowercase letters, digits, '.', '_' or '-', "
                        "starting with a letter or digit")
    return name


def check_url(url: str, tls: TlsFiles | None) -> str:
    """The URL as the engine is reached, or BadEngine saying what is wrong.

    Plain ``tcp://`` is refused: an engine's API is root on its machine, and
    without client certificates anyone who reaches the port has it."""
    url = url.strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise BadEngine("the engine URL must not contain spaces or control characters")
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise BadEngine(f"bad engine URL {url!r}: use unix:///path/docker.sock, tcp://HOST:PORT "
                        "(with --tls-ca, --tls-cert and --tls-key) or ssh://USER@HOST")
    if parts.query or parts.fragment:
        raise BadEngine(f"bad engine URL {url!r}: no query or fragment")
    if parts.scheme == "unix":
        if parts.netloc or not parts.path.startswith("/"):
            raise BadEngine(f"bad engine URL {url!r}: a socket is named by an absolute path, unix:///run/docker.sock")
        if tls:
            raise BadEngine("TLS certificates are for tcp:// engines only")
        return url
    try:
        port = parts.port
    except ValueError:
        raise BadEngine(f"bad engine URL {url!r}: the port is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise BadEngine(f"bad engine URL {url!r}: it names no host")
    if parts.scheme == "tcp":
        if parts.path not in ("", "/"):
            raise BadEngine(f"bad engine URL {url!r}: no path after the host")
        if port is None:
            raise BadEngine(f"bad engine URL {url!r}: say the port, e.g. tcp://{parts.hostname}:2376")
        if parts.username or parts.password:
            raise BadEngine(f"bad engine URL {url!r}: a tcp:// engine takes no user name")
        if tls is None:
            raise BadEngine("a tcp:// engine needs TLS client certificates (--tls-ca, --tls-cert, --tls-key): "
                            "without them anyone who reaches the port controls the machine")
        return url.rstrip("/")
    # ssh: the user's own ssh, its config and agent do the rest; a path is
    # the engine's socket on that machine (/var/run/docker.sock if none).
    if parts.hostname.startswith("-") or (parts.username or "").startswith("-"):
        raise BadEngine(f"bad engine URL {url!r}: a user or host name cannot start with '-'")
    if parts.password:
        raise BadEngine("an ssh:// engine URL must not hold a password: use your ssh agent or keys")
    if tls:
        raise BadEngine("TLS certificates are for tcp:// engines only; ssh:// uses your ssh keys")
    return url.rstrip("/")
