"""Permission modes in words people understand: the workspace dialog's choices,
the prompt panel's per-task choice and the task header's note."""

from __future__ import annotations

from desktop.domain import PermissionMode

# The workspace's mode: what the agent may do before it asks (new workspaces ask).
WORKSPACE_CHOICES: list[tuple[PermissionMode, str]] = [
    (PermissionMode.DEFAULT, "Ask before changes (default)"),
    (PermissionMode.ACCEPT_EDITS, "Accept file edits"),
    (PermissionMode.PLAN, "Plan first"),
    (PermissionMode.BYPASS, "Never ask (the container is the only limit)"),
]

WORKSPACE_HINTS: dict[PermissionMode, str] = {
    PermissionMode.DEFAULT: "The agent asks you before it runs a command or changes a file; "
                            "you answer in the task's transcript.",
    PermissionMode.ACCEPT_EDITS: "File edits go ahead; the agent asks before anything else, such as a command.",
    PermissionMode.PLAN: "The agent reads and proposes a plan; it changes nothing until you approve the plan.",
    PermissionMode.BYPASS: "The agent never asks: everything it does stays inside the container, "
                           "and you still review its changes before they reach your files.",
}

WORKSPACE_MODE = "Workspace's mode"  # a task that takes its workspace's mode (None)

# One task's mode, picked in the prompt panel: None is the workspace's.
TASK_CHOICES: list[tuple[PermissionMode | None, str]] = [
    (None, WORKSPACE_MODE),
    (PermissionMode.DEFAULT, "Ask before changes"),
    (PermissionMode.ACCEPT_EDITS, "Accept file edits"),
    (PermissionMode.PLAN, "Plan first"),
    (PermissionMode.BYPASS, "Never ask"),
]

# What the task header says about a task's mode (bypass says nothing: it is the quiet one).
HEADER_NOTES: dict[PermissionMode, str] = {
    PermissionMode.DEFAULT: "asks before changes",
    PermissionMode.ACCEPT_EDITS: "accepts file edits",
    PermissionMode.PLAN: "plans first",
}


def mode_of(value: str | PermissionMode | None) -> PermissionMode | None:
    """A stored or chosen value as a mode; None for none or an unknown one."""
    try:
        return PermissionMode(value) if value else None
    except ValueError:
        return None


def header_note(task_mode: PermissionMode | None, workspace_mode: PermissionMode | None) -> str:
    """"asks before changes" for a task that asks; "" for one that never asks (or unknown)."""
    mode = task_mode or workspace_mode
    return HEADER_NOTES.get(mode, "") if mode is not None else ""
