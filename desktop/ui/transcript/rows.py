"""What the transcript shows, one row per thing a person reads; no Qt.

A row is mutable on purpose: a tool card gets its result later, a streaming
text block grows. ``version`` goes up on every change so the painter's caches
know when to drop what they measured.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class RowKind(enum.Enum):
    SESSION = "session"
    TEXT = "text"
    TOOL = "tool"
    RESULT = "result"
    STATE = "state"
    LOG = "log"
    REQUEST = "request"
    USER = "user"
    NOTICE = "notice"
    DETAILS = "details"


@dataclass(eq=False)
class Row:
    key: int  # unique within a transcript; never reused
    seq: int  # the first event's seq
    version: int = 0

    kind = RowKind.TEXT  # overridden per subclass

    def touch(self) -> None:
        self.version += 1

    def plain_text(self) -> str:
        """The row as text, for copying."""
        return ""


@dataclass(eq=False)
class SessionRow(Row):
    kind = RowKind.SESSION
    model: str = ""
    cwd: str = ""
    tools: int = 0
    version_label: str = ""

    def plain_text(self) -> str:
        return f"Session started · {self.model} · {self.cwd}"


@dataclass(eq=False)
class TextRow(Row):
    kind = RowKind.TEXT
    text: str = ""
    partial: bool = False  # still streaming: replaced by the final text
    is_error: bool = False  # an API error the CLI reported as text
    nested: bool = False  # said by a subagent

    def plain_text(self) -> str:
        return self.text


@dataclass(eq=False)
class ToolRow(Row):
    kind = RowKind.TOOL
    tool_id: str = ""
    name: str = ""
    summary: str = ""
    detail: str = ""  # the input, formatted for reading
    result: str | None = None  # None while the tool runs
    preview: str = ""
    is_error: bool = False
    expanded: bool = False
    nested: bool = False

    @property
    def done(self) -> bool:
        return self.result is not None

    def plain_text(self) -> str:
        parts = [f"{self.name}: {self.summary}".rstrip(": ")]
        if self.detail and self.detail != self.summary:
            parts.append(self.detail)
        if self.result:
            parts.append(self.result)
        return "\n".join(parts)


@dataclass(eq=False)
class ResultRow(Row):
    kind = RowKind.RESULT
    is_error: bool = False
    subtype: str = ""
    message: str = ""  # the reason a run failed; the answer itself is already a text row
    cost_usd: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    num_turns: int | None = None
    duration_ms: int | None = None

    def plain_text(self) -> str:
        return ("Failed: " if self.is_error else "Finished: ") + self.message


@dataclass(eq=False)
class StateRow(Row):
    kind = RowKind.STATE
    state: str = ""
    message: str = ""

    def plain_text(self) -> str:
        return f"{self.state}: {self.message}" if self.message else self.state


class LogStream(enum.Enum):
    STDERR = "stderr"
    RAW = "raw"
    UNKNOWN = "unknown"


@dataclass(eq=False)
class LogRow(Row):
    """Consecutive lines of one stream, kept together (up to a limit)."""

    kind = RowKind.LOG
    stream: LogStream = LogStream.RAW
    lines: list[str] = field(default_factory=list)

    def plain_text(self) -> str:
        return "\n".join(self.lines)


@dataclass(eq=False)
class RequestRow(Row):
    """Something the agent asked the user (a tool, a plan, a question, a message
    after a stopped turn), and once decided, the answer. Every text field is
    already made visible (``desktop.domain.review.visible``) and bounded."""

    kind = RowKind.REQUEST
    request_id: str = ""
    request_kind: str = "permission"  # a desktop.domain.approvals.RequestKind value
    tool: str = ""
    summary: str = ""  # one line: the command, the file, the address
    decision: str | None = None  # a Decision value; None while it waits
    message: str = ""  # the deny message, or the note of a rule
    always: bool = False
    by: str = ""  # who decided: user, rule, timeout, agent, end, message, size

    @property
    def waiting(self) -> bool:
        return self.decision is None

    def plain_text(self) -> str:
        from desktop.ui.transcript.labels import request_text  # labels reads rows: imported late

        return request_text(self)


@dataclass(eq=False)
class UserRow(Row):
    """A message of the user's as the agent received it (``replay``), or the
    CLI's own note such as "[Request interrupted by user]"."""

    kind = RowKind.USER
    text: str = ""  # visible and bounded
    replay: bool = True

    def plain_text(self) -> str:
        return f"You: {self.text}" if self.replay else self.text


@dataclass(eq=False)
class NoticeRow(Row):
    """A background command or subagent that started or ended:
    "Background command started: Run the dev server". ``text`` is visible and bounded."""

    kind = RowKind.NOTICE
    text: str = ""
    tone: str = "muted"  # a theme role: muted, success, danger

    def plain_text(self) -> str:
        return self.text


@dataclass(eq=False)
class DetailsRow(Row):
    """Events the transcript does not know, kept out of the main flow: one
    collapsed line per run of them, their JSON shown on demand. ``kinds`` and
    ``entries`` are visible and bounded."""

    kind = RowKind.DETAILS
    kinds: list[str] = field(default_factory=list)  # "system · hook_started", per event
    entries: list[str] = field(default_factory=list)  # each event as indented JSON (or its text)
    expanded: bool = False

    @property
    def title(self) -> str:
        count = len(self.entries)
        names = list(dict.fromkeys(self.kinds))
        listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        return f"Details · {count} event{'' if count == 1 else 's'} not shown" + (f" ({listed})" if listed else "")

    @property
    def detail(self) -> str:
        return "\n".join(self.entries)

    def plain_text(self) -> str:
        return self.title + "\n" + self.detail
