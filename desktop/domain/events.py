"""What a running task reports, parsed from Claude Code's stream-json."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class EventKind(enum.StrEnum):
    SESSION_INIT = "session_init"  # session id, model, tools, cwd
    TEXT = "text"  # assistant text (Markdown)
    TOOL_CALL = "tool_call"  # tool name, id, input
    TOOL_RESULT = "tool_result"  # tool id, output, is_error
    RESULT = "result"  # the final event: session id, cost, tokens, turns
    STDERR = "stderr"  # the CLI's own stderr lines
    STATE = "state"  # the app's own notes: queued, started, cancelled, ...
    PARTIAL = "partial"  # streaming text deltas (stream_event), not persisted verbatim
    UNKNOWN = "unknown"  # a valid JSON event of a type we do not know
    RAW = "raw"  # a line that was not JSON: kept as text, never fatal
    REQUEST = "request"  # the agent asks the user (desktop.domain.approvals): request_id, kind, tool, ...
    DECISION = "decision"  # the answer to a request: request_id, decision, message, always
    USER = "user"  # a message of the user's as the agent received it: text
    NOTICE = "notice"  # a background command or subagent started, progressed or ended


@dataclass(frozen=True)
class TaskEvent:
    """One event of a task, in order (``seq`` starts at 1 per task).

    ``data`` holds the kind's fields (see ``desktop.agent.stream``); ``raw``
    keeps the original line, masked, for ``aicode task logs --raw``.
    """

    task_id: str
    seq: int
    kind: EventKind
    data: dict[str, Any] = field(default_factory=dict)
    raw: str = ""
    created_at: datetime = field(default_factory=datetime.now)


@dataclass(frozen=True)
class NewEvent:
    """An event not stored yet: what the stream parser makes and the store takes.

    ``raw`` is the source line. When one line yields several events (an
    assistant message with several content blocks) only the first carries
    it, so that replaying the raw log prints each line once. The store gives
    the event its ``seq``; ``created_at`` None means "when it is written".
    """

    kind: EventKind
    data: dict[str, Any] = field(default_factory=dict)
    raw: str = ""
    created_at: datetime | None = None
