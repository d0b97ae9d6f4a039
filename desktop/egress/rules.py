"""Which hosts a workspace's agent may reach: allowlist entries and matching.

An entry is ``host`` (ports 443 and 80), ``host:port``, or ``*.domain`` (any
subdomain, ports 443 and 80; ``*.domain:port`` for another port). Hosts are
compared lower-case, ASCII only (an IDN is entered in its xn-- form). A name
that resolves to a loopback, private or link-local address is refused unless
the entry is that address itself: an allowed name must not become a way into
the user's own machine or network.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

DEFAULT_PORTS = (443, 80)
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = re.compile(rf"(\*\.)?{_LABEL}(\.{_LABEL})*")

# Where the model, packages and code live for the common ecosystems.
DEFAULT_ALLOWLIST: tuple[str, ...] = (
    "api.anthropic.com",
    "github.com", "*.github.com", "*.githubusercontent.com", "gitlab.com", "bitbucket.org",
    "registry.npmjs.org", "registry.yarnpkg.com",
    "pypi.org", "files.pythonhosted.org",
    "crates.io", "static.crates.io", "index.crates.io",
    "proxy.golang.org", "sum.golang.org",
    "rubygems.org", "repo.maven.apache.org", "repo1.maven.org", "plugins.gradle.org",
    "deb.debian.org", "security.debian.org",
)


class BadEntry(ValueError):
    pass


@dataclass(frozen=True)
class Entry:
    host: str  # lower-case name, "*.domain", or an IP literal
    port: int | None  # None: 443 and 80

    @property
    def wildcard(self) -> bool:
        return self.host.startswith("*.")

    @property
    def is_address(self) -> bool:
        return _address(self.host) is not None

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    def matches(self, host: str, port: int) -> bool:
        if self.port is None and port not in DEFAULT_PORTS or self.port is not None and port != self.port:
            return False
        host = host.lower().rstrip(".")
        if self.wildcard:
            return host.endswith(self.host[1:]) and host != self.host[2:]
        return host == self.host


def parse_entry(text: str) -> Entry:
    """``HOST[:PORT]``, ``[v6]:PORT`` or ``*.domain[:PORT]``; BadEntry with why."""
    text = text.strip().lower()
    if not text or len(text) > 260 or any(c.isspace() or ord(c) < 33 or ord(c) > 126 for c in text):
        raise BadEntry(f"{text!r} is not a host (use HOST or HOST:PORT, ASCII only)")
    port: int | None = None
    host = text
    if text.startswith("["):
        inside, _, rest = text[1:].partition("]")
        host, port = inside, _port(rest[1:]) if rest.startswith(":") else None
        if rest and not rest.startswith(":"):
            raise BadEntry(f"{text!r}: expected [ADDRESS]:PORT")
    elif text.count(":") == 1:
        host, _, number = text.partition(":")
        port = _port(number)
    if _address(host) is None and not _HOST.fullmatch(host):
        raise BadEntry(f"{text!r} is not a host name, address or *.domain")
    return Entry(host, port)


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise BadEntry(f"{text!r} is not a port")
    return int(text)


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def allowed(entries: list[Entry], host: str, port: int) -> Entry | None:
    """The first entry allowing ``host:port``, else None."""
    return next((entry for entry in entries if entry.matches(host, port)), None)


def inside_address(address: str) -> bool:
    """Loopback, private, link-local and other addresses that are not the internet."""
    ip = _address(address.split("%", 1)[0])
    return ip is None or not ip.is_global


def parse_list(texts: list[str] | tuple[str, ...]) -> list[Entry]:
    """Entries of a stored list; an entry that no longer parses is skipped."""
    found = []
    for text in texts:
        try:
            found.append(parse_entry(text))
        except BadEntry:
            continue
    return found
