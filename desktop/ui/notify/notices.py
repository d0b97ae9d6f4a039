"""What the app tells the person outside its window: a task ended, a task needs
them. Plain data; the tray (``tray.py``) decides where each goes.

A notice that a task needs the person quotes its agent (the tool and what it
would do): that text is the container's, so it is made visible (control and
bidi characters by name) and bounded here, and carried apart from the rest
(``asks``) so each route can put it where it is read as plain text.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from desktop.domain import Task
from desktop.domain.approvals import PendingRequest, RequestKind
from desktop.domain.review import visible
from desktop.ui.look import formatting

ASKS_MAX = 140  # what the agent asks, as the notification's title shows it
TOOL_MAX = 60
DESCRIPTION_MAX = 160


class NoticeKind(enum.StrEnum):
    INFO = "info"
    FINISHED = "finished"
    NEEDS_INPUT = "needs_input"


@dataclass(frozen=True)
class Notice:
    title: str
    text: str
    tone: str  # success, danger, warning, info
    task_id: str | None = None
    kind: NoticeKind = NoticeKind.INFO
    asks: str = ""  # what the agent asks (made visible and bounded); never read as markup


def finished_notice(task: Task, workspace_name: str) -> Notice:
    prompt = formatting.first_line(task.prompt, 80)
    state = formatting.STATE_LABELS[task.state].lower()
    tone = {"succeeded": "success", "failed": "danger"}.get(task.state.value, "info")
    detail = f" · {formatting.task_duration(task)}" if task.started_at and task.finished_at else ""
    if task.cost_usd:
        detail += f" · {formatting.cost(task.cost_usd)}"
    reason = f"\n{formatting.first_line(task.error, 120)}" if task.error and task.state.value == "failed" else ""
    return Notice(f"Task {state} in {workspace_name}", prompt + detail + reason, tone, task.id, NoticeKind.FINISHED)


def asks_of(request: PendingRequest) -> str:
    """One line of what the agent asks: "allow Bash? npm test", "a question: Which database?"."""
    summary = visible(request.summary)
    if request.kind is RequestKind.QUESTION:
        head = "a question:"
    elif request.kind is RequestKind.PLAN:
        head = "approve the plan?"
    elif request.kind is RequestKind.MESSAGE:
        head, summary = "it waits for your message", ""
    else:
        head = f"allow {_bounded(visible(request.tool) or 'a tool', TOOL_MAX)}?"
    return _bounded(f"{head} {summary}".strip(), ASKS_MAX)


def needs_input_notice(task: Task, request: PendingRequest, workspace_name: str) -> Notice:
    """A task's agent waits for the person: what it asks, in which task."""
    lines = [formatting.first_line(task.prompt, 80)]
    description = formatting.first_line(visible(request.description), DESCRIPTION_MAX)
    if description and request.kind is not RequestKind.MESSAGE:
        lines.append(description)
    return Notice(f"Task needs you in {workspace_name}", "\n".join(lines), "warning", task.id,
                  NoticeKind.NEEDS_INPUT, asks_of(request))


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
