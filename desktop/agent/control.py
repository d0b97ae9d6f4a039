"""Claude Code's control protocol on its stream-json stdin and stdout.

With ``--input-format stream-json --permission-prompt-tool stdio`` the CLI
reads user messages and control requests (initialize, interrupt) as JSON
lines, and asks for each tool it may not use on its own with a
``can_use_tool`` control request that waits for our ``control_response``.
The shapes follow the Agent SDK's; nothing here does I/O.

Everything read here comes from the container: ids, names and inputs are
bounded and typed before anything else sees them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

MAX_REQUEST_ID = 128
MAX_TOOL_NAME = 128
MAX_DESCRIPTION = 2000
# A request whose input is larger is not shown for review: it is denied.
MAX_INPUT_BYTES = 512 * 1024
MAX_MESSAGE_BYTES = 16 * 1024
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")


@dataclass(frozen=True)
class ToolAsk:
    """``can_use_tool``: may the agent run ``tool`` with ``input``?"""

    request_id: str
    tool: str
    input: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    tool_use_id: str = ""
    too_large: bool = False  # the input was over MAX_INPUT_BYTES and is not kept


@dataclass(frozen=True)
class Reply:
    """The CLI's answer to one of our control requests (initialize, interrupt)."""

    request_id: str
    error: str | None = None


@dataclass(frozen=True)
class Withdrawn:
    """``control_cancel_request``: the CLI no longer waits for that answer."""

    request_id: str


@dataclass(frozen=True)
class Unsupported:
    """A control request we do not serve (hooks, MCP): answered with an error
    so that the CLI does not wait for it."""

    request_id: str
    subtype: str


Control = ToolAsk | Reply | Withdrawn | Unsupported


def is_control(value: dict[str, Any]) -> bool:
    return value.get("type") in ("control_request", "control_response", "control_cancel_request")


def control_of(text: str) -> dict[str, Any] | None:
    """The object of a control line of claude's (not an event of the task)."""
    if '"control_' not in text[:40]:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) and is_control(value) else None


def read_control(value: dict[str, Any]) -> Control | None:
    """The control message of a stream-json object; None if it is not one we
    can act on (malformed, or an id we would not send back)."""
    kind = value.get("type")
    if kind == "control_request":
        request_id = _id(value.get("request_id"))
        request = value.get("request")
        if request_id is None or not isinstance(request, dict):
            return None
        subtype = _text(request.get("subtype"), 64)
        if subtype != "can_use_tool":
            return Unsupported(request_id, subtype)
        tool = _text(request.get("tool_name"), MAX_TOOL_NAME)
        if not tool:
            return Unsupported(request_id, subtype)
        data = request.get("input")
        data = data if isinstance(data, dict) else {}
        too_large = len(json.dumps(data, ensure_ascii=False)) > MAX_INPUT_BYTES
        return ToolAsk(
            request_id, tool, {} if too_large else data,
            _text(request.get("description"), MAX_DESCRIPTION), _text(request.get("tool_use_id"), MAX_REQUEST_ID),
            too_large,
        )
    if kind == "control_response":
        response = value.get("response")
        if not isinstance(response, dict):
            return None
        request_id = _id(response.get("request_id"))
        if request_id is None:
            return None
        error = _text(response.get("error"), MAX_DESCRIPTION) if response.get("subtype") == "error" else None
        return Reply(request_id, error or None)
    if kind == "control_cancel_request":
        request_id = _id(value.get("request_id"))
        return None if request_id is None else Withdrawn(request_id)
    return None


# -- what we write --


def initialize(request_id: str) -> str:
    return _line({"type": "control_request", "request_id": request_id, "request": {"subtype": "initialize"}})


def interrupt(request_id: str) -> str:
    return _line({"type": "control_request", "request_id": request_id, "request": {"subtype": "interrupt"}})


def user_message(text: str) -> str:
    return _line({
        "type": "user", "message": {"role": "user", "content": text},
        "parent_tool_use_id": None, "session_id": "default",
    })


def allow(request_id: str, updated_input: dict[str, Any] | None = None) -> str:
    answer: dict[str, Any] = {"behavior": "allow"}
    if updated_input is not None:
        answer["updatedInput"] = updated_input
    return _respond(request_id, answer)


def deny(request_id: str, message: str) -> str:
    return _respond(request_id, {"behavior": "deny", "message": message or "The user denied this."})


def unsupported(request_id: str, subtype: str) -> str:
    return _line({"type": "control_response", "response": {
        "subtype": "error", "request_id": request_id,
        "error": f"AICode Manager does not serve {subtype or 'this'} requests",
    }})


def _respond(request_id: str, answer: dict[str, Any]) -> str:
    return _line({"type": "control_response",
                  "response": {"subtype": "success", "request_id": request_id, "response": answer}})


def _line(value: dict[str, Any]) -> str:
    # One line: JSON escapes every newline inside strings.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _id(value: Any) -> str | None:
    return value if isinstance(value, str) and _ID.fullmatch(value) else None


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""
