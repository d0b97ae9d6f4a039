"""What a running agent asks of its user: a tool to allow, a question, a plan.

A request comes from the agent's CLI (untrusted, like all of the container's
output): its fields are bounded where they are read (``desktop.agent.control``)
and shown through ``visible()`` wherever they reach a screen.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class RequestKind(enum.StrEnum):
    PERMISSION = "permission"  # may the agent use this tool with this input?
    QUESTION = "question"  # the agent's AskUserQuestion: answers wanted
    PLAN = "plan"  # plan mode's ExitPlanMode: approve the plan or keep planning
    MESSAGE = "message"  # the turn was stopped: the agent waits for the user's message


class Decision(enum.StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    TIMEOUT = "timeout"  # nobody answered in time: denied
    WITHDRAWN = "withdrawn"  # the agent took the request back, or the task ended


# The tools whose requests are not permissions but talk with the user.
QUESTION_TOOL = "AskUserQuestion"
PLAN_TOOL = "ExitPlanMode"


def kind_of(tool: str) -> RequestKind:
    if tool == QUESTION_TOOL:
        return RequestKind.QUESTION
    if tool == PLAN_TOOL:
        return RequestKind.PLAN
    return RequestKind.PERMISSION


@dataclass(frozen=True)
class PendingRequest:
    """One request of a task; ``decision`` None while it waits."""

    task_id: str
    request_id: str
    kind: RequestKind
    tool: str
    input: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    created_at: datetime = field(default_factory=datetime.now)
    decision: Decision | None = None
    message: str | None = None
    decided_at: datetime | None = None

    @property
    def waiting(self) -> bool:
        return self.decision is None

    @property
    def summary(self) -> str:
        return summarize(self.tool, self.input)


_SUMMARY_MAX = 300


def summarize(tool: str, data: dict[str, Any]) -> str:
    """One line saying what the tool would do: the command, the file, the URL."""
    def text(key: str) -> str:
        value = data.get(key)
        return value if isinstance(value, str) else ""

    if tool == "Bash":
        line = text("command")
    elif tool in ("Write", "Edit", "MultiEdit", "Read", "NotebookEdit"):
        line = text("file_path") or text("notebook_path")
    elif tool in ("WebFetch",):
        line = text("url")
    elif tool == "WebSearch":
        line = text("query")
    elif tool in ("Glob", "Grep"):
        line = text("pattern")
    elif tool == PLAN_TOOL:
        line = text("plan").strip().splitlines()[0] if text("plan").strip() else "a plan"
    elif tool == QUESTION_TOOL:
        questions = data.get("questions")
        first = questions[0] if isinstance(questions, list) and questions else {}
        line = first.get("question", "") if isinstance(first, dict) and isinstance(first.get("question"), str) else ""
    else:
        line = json.dumps(data, ensure_ascii=False, sort_keys=True)[:_SUMMARY_MAX]
    line = " ".join(line.split())
    return line if len(line) <= _SUMMARY_MAX else line[: _SUMMARY_MAX - 1] + "…"


@dataclass(frozen=True)
class Question:
    """One of AskUserQuestion's questions, as far as it could be read."""

    question: str
    header: str
    options: tuple[str, ...]
    multi_select: bool = False


def questions_of(data: dict[str, Any]) -> list[Question]:
    """The questions of an AskUserQuestion input; malformed entries are skipped."""
    found = []
    raw = data.get("questions")
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            continue
        options = item.get("options") if isinstance(item.get("options"), list) else []
        labels = tuple(o["label"] for o in options if isinstance(o, dict) and isinstance(o.get("label"), str))
        header = item.get("header") if isinstance(item.get("header"), str) else ""
        found.append(Question(item["question"], header, labels, item.get("multiSelect") is True))
    return found
