"""Each stream-json object type mapped to the data of its events.

The field lists per kind are in ``desktop.agent.stream``. Every value is
type-checked, since a field of the wrong type must cost that field only.
"""

from __future__ import annotations

import json
import math
from typing import Any, Callable

from desktop.agent.summary import preview, tool_summary
from desktop.domain.events import EventKind, NewEvent

BlockMapper = Callable[[dict[str, Any], dict[str, Any], Any], NewEvent]


def map_object(event: dict[str, Any]) -> list[NewEvent] | None:
    """None means "not understood": the caller keeps the whole object as UNKNOWN."""
    kind = event.get("type")
    if kind == "system" and event.get("subtype") == "init":
        return [NewEvent(EventKind.SESSION_INIT, _init(event))]
    if kind == "system" and event.get("subtype") in _NOTICES:
        return [NewEvent(EventKind.NOTICE, _notice(event))]
    if kind == "assistant":
        return _message_events(event, _assistant_block)
    if kind == "user":
        return _message_events(event, _user_block)
    if kind == "result":
        return [NewEvent(EventKind.RESULT, _result(event))]
    if kind == "stream_event":
        return _stream_event(event)
    return None


def _init(event: dict[str, Any]) -> dict[str, Any]:
    tools = event.get("tools")
    return {
        "session_id": _str(event.get("session_id")),
        "model": _str(event.get("model")),
        "cwd": _str(event.get("cwd")),
        "tools": [t for t in tools if isinstance(t, str)] if isinstance(tools, list) else [],
        "claude_code_version": _str(event.get("claude_code_version")),
        "permission_mode": _str(event.get("permissionMode")),
    }


# The CLI's notes about work it runs beside the turn: a Bash command with
# run_in_background, or a subagent (then subagent_type is set).
_NOTICES = ("task_started", "task_progress", "task_notification")


def _notice(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "subtype": event["subtype"],
        "task_id": _str(event.get("task_id")),
        "tool_use_id": _str(event.get("tool_use_id")),
        "description": _str(event.get("description")),
        "subagent_type": _str(event.get("subagent_type")),
        "status": _str(event.get("status")),  # task_notification: completed, failed, stopped
        "summary": _str(event.get("summary")),
    }


def _message_events(event: dict[str, Any], block_event: BlockMapper) -> list[NewEvent] | None:
    message = event.get("message")
    if not isinstance(message, dict):
        return None
    content = message.get("content")
    if isinstance(content, str):
        content = [{"type": "text", "text": content}]
    if not isinstance(content, list) or not content:
        return None
    return [block_event(event, message, block) for block in content]


def _assistant_block(event: dict[str, Any], message: dict[str, Any], block: Any) -> NewEvent:
    parent = _str(event.get("parent_tool_use_id"))
    kind = block.get("type") if isinstance(block, dict) else None
    if kind == "text" and isinstance(block.get("text"), str):
        data: dict[str, Any] = {"text": block["text"], "message_id": _str(message.get("id")), "parent_tool_use_id": parent}
        if event.get("is_api_error_message") is True:
            data |= {"is_api_error": True, "api_error_status": _int(event.get("api_error_status"))}
        return NewEvent(EventKind.TEXT, data)
    if kind == "tool_use":
        name = _str(block.get("name")) or ""
        tool_input = block.get("input") if isinstance(block.get("input"), dict) else {}
        return NewEvent(EventKind.TOOL_CALL, {
            "id": _str(block.get("id")), "name": name, "input": tool_input,
            "summary": tool_summary(name, tool_input), "parent_tool_use_id": parent,
        })
    # thinking, redacted_thinking, server tools, whatever comes next
    return NewEvent(EventKind.UNKNOWN, {"type": "assistant", "block": block})


def _user_block(event: dict[str, Any], message: dict[str, Any], block: Any) -> NewEvent:
    if isinstance(block, dict) and block.get("type") == "tool_result":
        content = tool_result_text(block.get("content"))
        return NewEvent(EventKind.TOOL_RESULT, {
            "tool_use_id": _str(block.get("tool_use_id")), "content": content,
            "is_error": block.get("is_error") is True, "preview": preview(content),
            "parent_tool_use_id": _str(event.get("parent_tool_use_id")),
        })
    if (isinstance(block, dict) and block.get("type") == "text" and isinstance(block.get("text"), str)
            and event.get("parent_tool_use_id") is None):
        # A message of the user's: echoed by --replay-user-messages ("isReplay"),
        # or the CLI's own note such as "[Request interrupted by user]".
        return NewEvent(EventKind.USER, {"text": block["text"], "replay": event.get("isReplay") is True})
    # the prompt a subagent gets
    return NewEvent(EventKind.UNKNOWN, {"type": "user", "block": block})


def tool_result_text(content: Any) -> str:
    """A tool result's content as text: a string, or a list of content blocks."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return json.dumps(content, ensure_ascii=False)
    parts = []
    for part in content:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            parts.append(part["text"])
        elif isinstance(part, dict):
            parts.append(f"[{part.get('type', 'content')}]")  # an image: say so, skip the bytes
    return "\n".join(parts)


def _result(event: dict[str, Any]) -> dict[str, Any]:
    usage = event.get("usage") if isinstance(event.get("usage"), dict) else {}
    cache = [_int(usage.get(k)) for k in ("cache_creation_input_tokens", "cache_read_input_tokens")]
    errors = event.get("errors")
    return {
        "subtype": _str(event.get("subtype")),
        # The CLI reports an API failure as subtype "success" with is_error
        # true: is_error is the field to trust.
        "is_error": event.get("is_error") is True,
        "session_id": _str(event.get("session_id")),
        "result": _str(event.get("result")),
        "cost_usd": _number(event.get("total_cost_usd")),
        "input_tokens": _int(usage.get("input_tokens")),
        "output_tokens": _int(usage.get("output_tokens")),
        "cache_tokens": sum(c for c in cache if c is not None) if any(c is not None for c in cache) else None,
        "num_turns": _int(event.get("num_turns")),
        "duration_ms": _int(event.get("duration_ms")),
        "duration_api_ms": _int(event.get("duration_api_ms")),
        "terminal_reason": _str(event.get("terminal_reason")),
        "api_error_status": _int(event.get("api_error_status")),
        "errors": [e if isinstance(e, str) else json.dumps(e) for e in errors] if isinstance(errors, list) else [],
    }


def _stream_event(event: dict[str, Any]) -> list[NewEvent]:
    inner = event.get("event")
    if not isinstance(inner, dict) or inner.get("type") != "content_block_delta":
        return []
    delta = inner.get("delta")
    if not isinstance(delta, dict) or delta.get("type") != "text_delta" or not isinstance(delta.get("text"), str):
        return []
    return [NewEvent(EventKind.PARTIAL, {"text": delta["text"], "index": _int(inner.get("index"))})]


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# bool is an int to Python, never a count to the CLI.


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = _number(value)
    return None if number is None else int(number)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an int beyond any float
        return None
    # "1e999" is valid JSON and becomes inf, which JSON cannot say back
    return number if math.isfinite(number) else None
