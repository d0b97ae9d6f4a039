"""Engines in words people read: where one is, its state, its load, its agent
image. Its URL and a failed test's reason may hold what the person typed or
what a remote machine said: visible text, bounded."""

from __future__ import annotations

import re

from desktop.domain.review import visible
from desktop.ui.bridge.engine_payloads import EngineHealth, EngineItem, ImageState
from desktop.ui.look.formatting import size

REASON_CHARS = 400  # of a failed test's reason on a card; its tooltip has it all

CHECKING = ("Checking…", "info")
NOT_TESTED = ("Not tested", "neutral")

IMAGE: dict[ImageState, tuple[str, str]] = {
    ImageState.CURRENT: ("Agent image: present and current", "success"),
    ImageState.UNCOMPARED: ("Agent image: present (this machine's could not be compared)", "neutral"),
    ImageState.OTHER: ("Agent image: present, built from other sources than this machine's", "warning"),
    ImageState.UNUSABLE: ("Agent image: present, but not an agent image of this version", "warning"),
    ImageState.MISSING: ("Agent image: missing (built or copied there when a workspace is placed on it)",
                         "warning"),
}


def bounded(text: str, limit: int) -> str:
    shown = visible(text)
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"


def where(item: EngineItem) -> str:
    """"This machine" for the local engine (with its DOCKER_HOST, if one is set), else its URL."""
    if item.local:
        return f"This machine ({bounded(item.url, 120)})" if item.url else "This machine"
    return bounded(item.url, 200)


def tls(item: EngineItem) -> str:
    return "TLS: yes" if item.tls else "TLS: no"


def state(health: EngineHealth | None, checking: bool) -> tuple[str, str]:
    """The state chip's text and tone."""
    if checking:
        return CHECKING
    if health is None:
        return NOT_TESTED
    return ("Up", "success") if health.ok else ("Unreachable", "danger")


def machine(health: EngineHealth) -> str:
    """"Docker 20.10.24 · linux/amd64"."""
    parts = [f"Docker {health.version}" if health.version else "", health.os_arch]
    return " · ".join(bounded(p, 60) for p in parts if p)


def load(health: EngineHealth) -> str:
    """"1 container running · 2 CPUs · 23.5 GB memory · 73.4 GB free disk"."""
    running = f"{health.running} container{'s' if health.running != 1 else ''} running"
    cpus = f"{health.cpus} CPU{'s' if health.cpus != 1 else ''}"
    disk = f"{size(health.free_disk_bytes)} free disk" if health.free_disk_bytes is not None else "free disk unknown"
    return " · ".join((running, cpus, f"{size(health.memory_bytes)} memory", disk))


def image(health: EngineHealth) -> tuple[str, str]:
    return IMAGE[health.image]


def workspaces(count: int) -> str:
    if not count:
        return "No workspaces"
    return f"{count} workspace{'s' if count != 1 else ''}"


# What a failed connection's technical detail means, first match first; a
# detail none of them knows is shown as it is.
CAUSES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("No such file or directory",), "there is no socket at that path"),
    (("Connection refused",), "nothing accepted the connection"),
    (("Permission denied",), "this user may not use that socket (permission denied)"),
    (("CERTIFICATE_VERIFY_FAILED", "SSLError", "SSL:", "TLSParameterError"),
     "the TLS handshake failed: check the certificates and the key"),
    (("Name or service not known", "nodename nor servname", "Could not resolve", "name resolution"),
     "the host name is not known"),
    (("timed out", "Timeout"), "it did not answer in time"),
    (("NewConnectionEr", "Failed to establish"), "no connection could be made to it"),
    (("RemoteDisconnected", "Connection reset", "ConnectionResetError"),
     "the connection was closed before Docker answered"),
)
# The services' fix ends by naming the command that tests again: here the Test button does.
CLI_POINTER = re.compile(r"\s*\('aicode [^']*'\)\s*$")


# How docker-py starts every failure to connect: nothing a person needs to read.
CLIENT_PREFIX = "Error while fetching server API version: "


def _split(message: str) -> tuple[str, str]:
    """"The Docker engine 'x' is not available (DETAIL)" as its sentence and its detail."""
    head, bracket, rest = message.partition(" (")
    if not bracket:
        return message, ""
    return head, (rest[:-1] if rest.endswith(")") else rest).removeprefix(CLIENT_PREFIX)


def cause(detail: str) -> str:
    return next((text for needles, text in CAUSES if any(n in detail for n in needles)), "")


def reason(health: EngineHealth) -> str:
    """Why a test failed, in words: "The Docker engine 'x' is not available: there is
    no socket at that path."; the message as it is when its detail is not one known."""
    head, detail = _split(health.message)
    known = cause(detail)
    return bounded(f"{head}: {known}." if known else health.message, REASON_CHARS)


def technical(health: EngineHealth) -> str:
    """The failure's own words, when ``reason`` put them in plain ones ("" otherwise)."""
    _head, detail = _split(health.message)
    return visible(detail) if cause(detail) else ""


def fix(health: EngineHealth) -> str:
    text = CLI_POINTER.sub("", health.fix).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return bounded(text if text.endswith((".", "!", "?")) else f"{text}.", REASON_CHARS)
