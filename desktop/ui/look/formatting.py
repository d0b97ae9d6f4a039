"""Numbers and times as people read them in the GUI ("1m 05s", "$0.42", "12.3k")."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime, timedelta

from desktop.domain import EventKind, Task, TaskEvent, TaskState
from desktop.domain.sizes import size_text as size  # noqa: F401 - the views call it size()
from desktop.domain.task import NEEDS_INPUT


def clock() -> datetime:
    """The clock every relative time reads (tests set it forward)."""
    return datetime.now()


def duration_ms(ms: int | float | None) -> str:
    if ms is None:
        return ""
    seconds = ms / 1000
    if seconds < 1:
        return f"{int(ms)} ms"
    if seconds < 60:
        return f"{seconds:.1f} s" if seconds < 10 else f"{int(seconds)} s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def task_duration(task: Task, now: datetime | None = None) -> str:
    """Wall time of a task: so far while it runs, in total once it ended."""
    if task.started_at is None:
        return ""
    end = task.finished_at or (now or clock())
    return duration_ms(max(0.0, (end - task.started_at).total_seconds() * 1000))


def cost(usd: float | None) -> str:
    if usd is None:
        return ""
    if 0 < usd < 0.01:
        return "<$0.01"
    return f"${usd:,.2f}"


def count(n: int | None) -> str:
    """A token count: 950, 12.3k, 1.2M."""
    if n is None:
        return ""
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{n / 1000:.1f}k".replace(".0k", "k")
    return f"{n / 1_000_000:.1f}M".replace(".0M", "M")


def first_line(text: str, limit: int = 200) -> str:
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
    return ""


def when(moment: datetime | None, now: datetime | None = None) -> str:
    """A short relative time: "just now", "5 min ago", "yesterday 14:03", "12 Mar"."""
    if moment is None:
        return ""
    now = now or clock()
    delta = now - moment
    if delta < timedelta(minutes=1):
        return "just now"
    if delta < timedelta(hours=1):
        return f"{int(delta.total_seconds() // 60)} min ago"
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    if moment.date() == (now - timedelta(days=1)).date():
        return "yesterday " + moment.strftime("%H:%M")
    if moment.year == now.year:
        return f"{moment.day} {moment.strftime('%b')}"
    return f"{moment.day} {moment.strftime('%b %Y')}"


STATE_LABELS = {
    TaskState.QUEUED: "Queued",
    TaskState.RUNNING: "Running",
    TaskState.SUCCEEDED: "Succeeded",
    TaskState.FAILED: "Failed",
    TaskState.CANCELLED: "Cancelled",
}

# The chip tone (a theme style-sheet property) for each state.
STATE_TONES = {
    TaskState.QUEUED: "neutral",
    TaskState.RUNNING: "info",
    TaskState.SUCCEEDED: "success",
    TaskState.FAILED: "danger",
    TaskState.CANCELLED: "neutral",
}

# A running task that waits on its user: its own words and colour, apart from "Running".
NEEDS_INPUT_LABEL = "Needs input"
NEEDS_INPUT_TONE = "warning"


def shown_label(task: Task) -> str:
    """The state as people see it: "Needs input" for a running task waiting on them."""
    return NEEDS_INPUT_LABEL if task.shown_state == NEEDS_INPUT else STATE_LABELS[task.state]


def state_tone(task: Task) -> str:
    return NEEDS_INPUT_TONE if task.shown_state == NEEDS_INPUT else STATE_TONES[task.state]


def need_you(count: int) -> str:
    """"1 needs you", "2 need you" (tasks waiting on their user), or ""."""
    return f"{count} need{'s' if count == 1 else ''} you" if count else ""


def to_review(count: int) -> str:
    """"1 to review", "3 to review" (ended tasks whose change waits for the person), or ""."""
    return f"{count} to review" if count else ""


def failed_tools(events: Iterable[TaskEvent]) -> int:
    """How many tool results among ``events`` were errors (as their transcript cards show)."""
    return sum(1 for e in events if e.kind is EventKind.TOOL_RESULT and e.data.get("is_error"))


def failures(failed: int) -> str:
    """"1 tool failed", "3 tools failed", or "" for none."""
    return f"{failed} tool{'s' if failed != 1 else ''} failed" if failed else ""


def state_label(task: Task, failed: int = 0) -> str:
    """"Succeeded", or "Succeeded · 1 tool failed" when some of its tools failed."""
    return " · ".join(p for p in (shown_label(task), failures(failed)) if p)


def task_meta(task: Task, now: datetime | None = None) -> str:
    """The second line of a task row: "2m 13s · $0.12 · 14:02"."""
    parts = [task_duration(task, now), cost(task.cost_usd), when(task.created_at, now)]
    if task.state is TaskState.QUEUED:
        parts[0] = "waiting"
    return " · ".join(p for p in parts if p)


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` as it is: Qt reads a tooltip that looks like
    HTML as HTML, and the agent's words could (``<img src=…>``)."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
