"""Signal payloads of the talk with a running agent: the person's answers, the
waiting requests as loaded. One frozen dataclass per kind of news."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.domain.approvals import PendingRequest


@dataclass(frozen=True)
class AnswerGiven:
    """Allow or deny one request (a tool, a plan, questions)."""

    task_id: str
    request_id: str
    allow: bool
    always: bool = False  # allow this tool in the workspace from now on
    message: str | None = None  # a deny's reason, for the agent
    answers: dict[str, str] = field(default_factory=dict)  # question (as the agent wrote it) -> chosen label or text
    tool: str = ""  # for the words of a failure


@dataclass(frozen=True)
class MessageGiven:
    """A message for the agent that stopped its turn and waits."""

    task_id: str
    request_id: str  # the waiting MESSAGE request it answers
    text: str


@dataclass(frozen=True)
class RequestsLoaded:
    """What a task's agent waits for now, oldest first."""

    task_id: str
    requests: tuple[PendingRequest, ...]


@dataclass(frozen=True)
class AnswerRefused:
    """An answer did not reach the agent; ``already``: someone (or the time-out)
    answered first, which is not a failure worth a message."""

    task_id: str
    request_id: str
    message: str
    already: bool
