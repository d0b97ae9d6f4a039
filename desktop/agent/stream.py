"""Claude Code's ``--output-format stream-json`` turned into typed events.

``StreamParser`` takes bytes as they come from the container; ``parse_line``
maps one line. Neither raises on any input: whatever is not understood is
kept as UNKNOWN (valid JSON) or RAW (anything else).

``NewEvent.data`` per kind (keys absent from the line are None):

- SESSION_INIT: session_id, model, cwd, tools, claude_code_version, permission_mode
- TEXT: text, message_id, parent_tool_use_id; is_api_error and
  api_error_status when the CLI reports an API failure as assistant text
- TOOL_CALL: id, name, input, summary, parent_tool_use_id
- TOOL_RESULT: tool_use_id, content, is_error, preview, parent_tool_use_id
- RESULT: subtype, is_error, session_id, result, cost_usd, input_tokens,
  output_tokens, cache_tokens, num_turns, duration_ms, duration_api_ms,
  terminal_reason, api_error_status, errors (list of str)
- NOTICE: subtype (task_started, task_progress, task_notification), task_id,
  tool_use_id, description, subagent_type, status, summary
- PARTIAL: text, index (text deltas only; other stream events are dropped)
- UNKNOWN: the JSON value as is ({"value": ...} if it is not an object), or
  {"type", "block"} for a content block of a type we do not know
- RAW: text; and truncated, length, note for a line cut at the cap
"""

from __future__ import annotations

import json

from desktop.agent.lines import DEFAULT_MAX_LINE, Line, LineSplitter
from desktop.agent.mapping import map_object
from desktop.agent.outcome import TaskOutcome
from desktop.domain.events import EventKind, NewEvent

__all__ = ["DEFAULT_MAX_LINE", "LineSplitter", "NewEvent", "StreamParser", "TaskOutcome", "parse_line"]


class StreamParser:
    """Bytes in, events out: a LineSplitter followed by ``parse_line``."""

    def __init__(self, max_line: int = DEFAULT_MAX_LINE) -> None:
        self._splitter = LineSplitter(max_line)

    def feed(self, chunk: bytes) -> list[NewEvent]:
        return [event for line in self._splitter.feed(chunk) for event in parse_split_line(line)]

    def close(self) -> list[NewEvent]:
        """Parse what is left once the stream has ended (a line with no newline)."""
        return [event for line in self._splitter.close() for event in parse_split_line(line)]


def parse_split_line(line: Line) -> list[NewEvent]:
    if not line.truncated:
        return parse_line(line.text)
    kept = line.length - line.dropped
    note = f"line of {line.length} bytes cut to its first {kept}: too long to parse"
    data = {"text": line.text, "truncated": True, "length": line.length, "note": note}
    return [NewEvent(EventKind.RAW, data, line.text)]


def parse_line(line: str) -> list[NewEvent]:
    """The events of one stream-json line; [] for a blank line."""
    if not line.strip():
        return []
    try:
        # The CLI never writes NaN or Infinity; turning them into null keeps
        # ``data`` strict JSON should a broken line contain them.
        value = json.loads(line, parse_constant=lambda _: None)
    except (ValueError, RecursionError):
        return [NewEvent(EventKind.RAW, {"text": line}, line)]
    if not isinstance(value, dict):
        return [NewEvent(EventKind.UNKNOWN, {"value": value}, line)]
    try:
        events = map_object(value)
    except Exception:  # noqa: BLE001 - a shape we did not foresee must not end the run
        events = None
    if events is None:
        return [NewEvent(EventKind.UNKNOWN, value, line)]
    if events:
        first = events[0]
        events[0] = NewEvent(first.kind, first.data, line)
    return events
