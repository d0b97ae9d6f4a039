"""What the fake API answers: scripts of replies chosen by the conversation.

The server keeps no per-session state. A request's place in its script is
the number of assistant turns already in its ``messages``, so concurrent
sessions, follow-ups (``--resume`` resends the history) and retries all land
on the right reply.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

_ids = itertools.count(1)


def unique_id(prefix: str) -> str:
    # Tool-use ids must be unique across a session: a reused id makes a
    # resumed session replace the whole turn with "(no content)".
    return f"{prefix}_{next(_ids):06d}{id(object()) % 10_000:04d}"


@dataclass(frozen=True)
class ToolCall:
    """A tool the scripted assistant calls, e.g. ToolCall("Write", {...})."""

    name: str
    input: dict[str, Any]


@dataclass(frozen=True)
class Reply:
    """One assistant turn.

    ``chunks`` splits the text into that many ``text_delta`` events (the
    long mode); ``delay`` sleeps between stream events (the slow mode);
    ``status`` answers with an HTTP error instead (529 is "overloaded").
    ``texts`` adds more text blocks after ``text``, one content block each:
    the CLI prints one stream-json line per block, so a reply with thousands
    of them is a busy stream (the GUI's stall test).
    """

    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    chunks: int = 1
    delay: float = 0.0
    status: int = 200
    input_tokens: int = 120
    output_tokens: int = 30
    texts: tuple[str, ...] = ()

    @property
    def stop_reason(self) -> str:
        return "tool_use" if self.tool_calls else "end_turn"


@dataclass
class Script:
    """Replies for the conversations whose first user message contains ``match``."""

    replies: list[Reply]
    match: str = ""
    after_end: Reply = field(default_factory=lambda: Reply(text="Done."))

    def reply_for(self, turn: int) -> Reply:
        return self.replies[turn] if turn < len(self.replies) else self.after_end


def message_text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, dict):
            if block.get("type") == "text":
                parts.append(block.get("text", ""))
            elif block.get("type") == "tool_result":
                inner = block.get("content")
                parts.append(inner if isinstance(inner, str) else json.dumps(inner))
    return "\n".join(parts)


def first_user_text(body: dict[str, Any]) -> str:
    for message in body.get("messages", []):
        if message.get("role") == "user":
            return message_text(message)
    return ""


def assistant_turns(body: dict[str, Any]) -> int:
    return sum(1 for m in body.get("messages", []) if m.get("role") == "assistant")
