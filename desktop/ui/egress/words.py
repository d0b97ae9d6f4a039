"""Egress in words people read: the modes, and a refused request's host and
reason (which came from the agent's side: visible text, bounded)."""

from __future__ import annotations

from collections.abc import Iterable

from desktop.domain import EgressMode
from desktop.domain.review import visible
from desktop.ui.bridge.egress_payloads import Refusal

CHOICES: list[tuple[EgressMode, str]] = [
    (EgressMode.ALLOWLIST, "Allowlist"),
    (EgressMode.OPEN, "Open"),
    (EgressMode.NONE, "Nothing but the model"),
]

HINTS: dict[EgressMode, str] = {
    EgressMode.ALLOWLIST: "The agent reaches the model and the hosts on the allowlist, through the app's proxy; "
                          "nothing else.",
    EgressMode.OPEN: "The agent reaches whatever the container's network reaches; the model still only through "
                     "the proxy, so the key stays out.",
    EgressMode.NONE: "The agent reaches the model and nothing else: no downloads, no git fetches.",
}

SHORT: dict[EgressMode, str] = {
    EgressMode.ALLOWLIST: "allowlist",
    EgressMode.OPEN: "open",
    EgressMode.NONE: "model only",
}

HOST_CHARS = 80  # of a refused host, in a row; its tooltip has up to the stored 255
REASON_CHARS = 120
TIP_HOSTS = 10  # addresses a badge's tooltip lists


def mode_of(value: str | EgressMode | None) -> EgressMode:
    """A stored value as a mode; the default (the allowlist) for an unknown one."""
    try:
        return EgressMode(value) if value else EgressMode.ALLOWLIST
    except ValueError:
        return EgressMode.ALLOWLIST


def bounded(text: str, limit: int) -> str:
    """``text`` as visible characters, cut to ``limit`` with an ellipsis."""
    shown = visible(text)
    return shown if len(shown) <= limit else shown[:limit - 1] + "…"


def address(refusal: Refusal, limit: int = HOST_CHARS) -> str:
    """The refused ``host:port``, safe to show."""
    return bounded(refusal.address, limit)


def reason(refusal: Refusal) -> str:
    return bounded(refusal.reason or "refused", REASON_CHARS)


def blocked_text(count: int) -> str:
    return f"{count} blocked" if count else ""


def blocked_tip(refusals: Iterable[Refusal]) -> str:
    """The distinct addresses refused (plain text, for ``plain_tip``), newest first."""
    seen: list[str] = []
    total = 0
    for refusal in refusals:
        total += 1
        shown = address(refusal)
        if shown not in seen:
            seen.append(shown)
    if not total:
        return ""
    lines = [f"The agent was refused {total} request{'s' if total != 1 else ''}:"]
    lines += [f"  {host}" for host in seen[:TIP_HOSTS]]
    if len(seen) > TIP_HOSTS:
        lines.append(f"  and {len(seen) - TIP_HOSTS} more")
    lines.append("Click to see the workspace's egress log.")
    return "\n".join(lines)
