"""What transcript rows say in words: tool icons, state and session notes, result lines.

No Qt: the painter draws these, tests and the copy action read them.
"""

from __future__ import annotations

from desktop.ui.look import formatting
from desktop.ui.transcript.rows import ResultRow, SessionRow, StateRow

TOOL_ICONS = {
    "Bash": "terminal", "BashOutput": "terminal", "KillShell": "terminal",
    "Read": "file", "NotebookRead": "file",
    "Write": "edit", "Edit": "edit", "MultiEdit": "edit", "NotebookEdit": "edit",
    "Grep": "search", "Glob": "search", "LS": "folder",
    "WebFetch": "globe", "WebSearch": "globe",
    "TodoWrite": "list", "Task": "sparkle", "Agent": "sparkle",
}
STATE_LABELS = {
    "queued": "Queued", "running": "Started", "started": "Started", "succeeded": "Succeeded",
    "failed": "Failed", "cancelled": "Cancelled", "cancelling": "Cancelling",
    "cancel_requested": "Cancelling", "preparing": "Preparing",
}
# What the app notes when a state needs no more words.
PLAIN_MESSAGES = frozenset({"", "finished", "queued", "started", "cancelled", "cancelling"})


def result_title(row: ResultRow) -> str:
    if not row.is_error:
        return "Task finished"
    if row.subtype and row.subtype not in ("success", "error"):
        return "Task stopped: " + row.subtype.replace("error_", "").replace("_", " ")
    return "Task failed"


def result_stats(row: ResultRow) -> str:
    # Most wanted first: a narrow view cuts from the end.
    parts = [formatting.duration_ms(row.duration_ms), formatting.cost(row.cost_usd)]
    if row.num_turns is not None:
        parts.append(f"{row.num_turns} turn" + ("" if row.num_turns == 1 else "s"))
    if row.input_tokens is not None or row.output_tokens is not None:
        parts.append(f"{formatting.count(row.input_tokens or 0)} tokens in, {formatting.count(row.output_tokens or 0)} out")
    return "  ·  ".join(p for p in parts if p)


def state_text(row: StateRow) -> str:
    """"Started", "Preparing the container of 'web'", "Failed — the engine went away"."""
    label = STATE_LABELS.get(row.state, row.state.replace("_", " ").capitalize() or "Note")
    message = (row.message or "").strip()
    if message.rstrip("….").lower() in PLAIN_MESSAGES | {label.lower()}:
        return label
    if message.lower().startswith(label.lower()):
        return message  # it says the state itself, with more
    return f"{label} — {message}"


def session_text(row: SessionRow) -> str:
    parts = ["Claude Code " + row.version_label if row.version_label else "Session started"]
    parts += [row.model, f"{row.tools} tools" if row.tools else "", row.cwd]
    return "  ·  ".join(p for p in parts if p)
