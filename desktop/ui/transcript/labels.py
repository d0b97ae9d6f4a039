"""What transcript rows say in words: tool icons, state and session notes, result lines.

No Qt: the painter draws these, tests and the copy action read them.
"""

from __future__ import annotations

from desktop.ui.look import formatting
from desktop.ui.transcript.rows import RequestRow, ResultRow, SessionRow, StateRow

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
    "interrupt_requested": "Stopping the turn", "message_sent": "Message sent",
}
# What the app notes when a state needs no more words.
PLAIN_MESSAGES = frozenset({"", "finished", "queued", "started", "cancelled", "cancelling", "message sent",
                            "stopping the current turn"})
# How a request row is drawn: its icon and theme tone, waiting and once answered.
REQUEST_ICONS = {"permission": "shield", "plan": "list", "question": "help", "message": "reply"}
WORKSPACE = "/workspace/"


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


def request_tone(row: RequestRow) -> str:
    if row.waiting:
        return "info"
    if row.decision == "allow":
        return "success"
    return "muted" if row.decision == "withdrawn" else "danger"


def request_text(row: RequestRow) -> str:
    """One line a person reads: "Allowed Write hello.txt", "Denied Bash rm -rf build — “not now”",
    "No answer in time: denied Write hello.txt", "Plan approved"."""
    what = " ".join(p for p in (row.tool, _short(row.summary)) if p) or "a tool"
    said = f" — “{row.message}”" if row.message and row.by not in ("rule", "size") else ""
    decision, kind = row.decision, row.request_kind
    if kind == "plan":
        return {
            None: "Plan waiting for your approval", "allow": "Plan approved",
            "deny": "Kept planning" + said, "timeout": "No answer in time: the plan was not approved",
        }.get(decision, "Plan no longer waits for an answer")
    if kind == "question":
        asked = f"“{row.summary}”" if row.summary else "a question"
        return {
            None: f"Question for you: {asked}", "allow": f"Answered {asked}", "deny": f"Declined {asked}" + said,
            "timeout": f"No answer in time: {asked}",
        }.get(decision, f"No longer asks {asked}")
    if kind == "message":
        return {
            None: "The agent stopped and waits for your message", "allow": "Turn stopped · you answered",
            "timeout": "No message in time: the task ends",
        }.get(decision, "Turn stopped")
    if decision is None:
        return f"Waiting for your answer: {what}"
    if decision == "allow":
        return f"Allowed always in this workspace: {what}" if row.always or row.by == "rule" else f"Allowed {what}"
    if decision == "deny":
        return f"Not allowed, too large to review: {what}" if row.by == "size" else f"Denied {what}" + said
    if decision == "timeout":
        return f"No answer in time: denied {what}"
    return f"Not answered, the task ended: {what}" if row.by == "end" else f"Withdrawn by the agent: {what}"


def _short(summary: str) -> str:
    """A file in the workspace by its path there: "hello.txt", not "/workspace/hello.txt"."""
    return summary[len(WORKSPACE):] if summary.startswith(WORKSPACE) else summary
