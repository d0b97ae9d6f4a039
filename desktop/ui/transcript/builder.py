"""Folds a task's event stream into transcript rows; no Qt, so it is cheap to test.

A tool result joins its call's card (by ``tool_use_id``); streaming text
deltas grow one block that the final text replaces; consecutive log lines of
one stream share a row. ``feed`` reports which rows are new and which changed,
so the view re-measures only those.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from desktop.domain import EventKind, TaskEvent
from desktop.domain.review import visible_lines
from desktop.ui.transcript import notices, talk
from desktop.ui.transcript.rows import (
    DetailsRow,
    LogRow,
    LogStream,
    RequestRow,
    ResultRow,
    Row,
    SessionRow,
    StateRow,
    TextRow,
    ToolRow,
)

# A log row holds at most this many lines; the next line starts a new row,
# so one row never grows into something slow to measure or paint.
LOG_ROW_LINES = 200
# Past this, a tool's input or output is cut for display (the store has it all).
DETAIL_CHARS = 20_000



@dataclass
class Update:
    first_new: int  # index of the first added row (== old length when none)
    changed: set[int] = field(default_factory=set)  # indexes of existing rows that changed


class TranscriptBuilder:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self._next_key = 0
        self._tools: dict[str, int] = {}  # tool id -> row index
        self._partial: int | None = None  # index of the growing text row
        self._requests: dict[str, int] = {}  # request id -> row index
        self._prompt_replayed = False  # the first replayed user message is the task's own prompt
        self._last_seq = 0
        self._notices = notices.Notices()

    def feed(self, events: Iterable[TaskEvent]) -> Update:
        update = Update(first_new=len(self.rows))
        for event in events:
            # Stored and live events can overlap by design of the caller's
            # subscription; a seq seen before is dropped, never shown twice.
            if event.seq and event.seq <= self._last_seq:
                continue
            self._last_seq = event.seq or self._last_seq
            self._fold(event, update)
        update.changed = {i for i in update.changed if i < update.first_new}
        return update

    def _add(self, row: Row) -> None:
        self.rows.append(row)

    def _key(self) -> int:
        self._next_key += 1
        return self._next_key

    def _changed(self, index: int, update: Update) -> None:
        self.rows[index].touch()
        update.changed.add(index)

    def _fold(self, event: TaskEvent, update: Update) -> None:
        d = event.data
        kind = event.kind
        if kind is EventKind.PARTIAL:
            self._partial_text(event, _str(d.get("text")), update)
        elif kind is EventKind.TEXT:
            self._text(event, d, update)
        elif kind is EventKind.TOOL_CALL:
            self._tool_call(event, d)
        elif kind is EventKind.TOOL_RESULT:
            self._tool_result(event, d, update)
        elif kind is EventKind.RESULT:
            self._add(ResultRow(
                self._key(), event.seq, is_error=bool(d.get("is_error")), subtype=_str(d.get("subtype")),
                message=_result_message(d), cost_usd=d.get("cost_usd"), input_tokens=d.get("input_tokens"),
                output_tokens=d.get("output_tokens"), num_turns=d.get("num_turns"), duration_ms=d.get("duration_ms"),
            ))
        elif kind is EventKind.STATE:
            self._add(StateRow(self._key(), event.seq, state=_str(d.get("state")), message=_str(d.get("message"))))
        elif kind is EventKind.SESSION_INIT:
            tools = d.get("tools")
            self._add(SessionRow(
                self._key(), event.seq, model=_str(d.get("model")), cwd=_str(d.get("cwd")),
                tools=len(tools) if isinstance(tools, list) else 0,
                version_label=_str(d.get("claude_code_version")),
            ))
        elif kind is EventKind.REQUEST:
            row = talk.request_row(self._key(), event.seq, d)
            if row.request_id:
                self._requests[row.request_id] = len(self.rows)
            self._add(row)
        elif kind is EventKind.DECISION:
            self._decision(event, d, update)
        elif kind is EventKind.USER:
            self._user(event, d)
        elif kind is EventKind.NOTICE or notices.stored_unknown(kind, d):
            row = self._notices.row(self._key(), event.seq, d)
            if row is not None:
                self._add(row)
        elif kind is EventKind.STDERR:
            self._log(event, LogStream.STDERR, update)
        elif kind is EventKind.UNKNOWN and _thinking(d):
            self._log(event, LogStream.UNKNOWN, update)
        else:  # UNKNOWN, RAW, and any kind newer than this code
            self._details(event, update)

    def _details(self, event: TaskEvent, update: Update) -> None:
        last = self.rows[-1] if self.rows else None
        if isinstance(last, DetailsRow) and notices.fits(last):
            notices.add_details(last, event)
            index = len(self.rows) - 1
            if index < update.first_new:
                self._changed(index, update)
            else:
                last.touch()
            return
        row = DetailsRow(self._key(), event.seq)
        notices.add_details(row, event)
        self._add(row)

    def _decision(self, event: TaskEvent, d: dict[str, Any], update: Update) -> None:
        index = self._requests.get(_str(d.get("request_id")))
        if index is None:  # its request was never seen: the answer shows on its own
            row = talk.request_row(self._key(), event.seq, d)
            talk.decide(row, d)
            self._add(row)
            return
        row = self.rows[index]
        assert isinstance(row, RequestRow)
        talk.decide(row, d)
        if index < update.first_new:
            self._changed(index, update)
        else:
            row.touch()

    def _user(self, event: TaskEvent, d: dict[str, Any]) -> None:
        replay = d.get("replay") is True
        if replay and not self._prompt_replayed:
            self._prompt_replayed = True  # the prompt: the header shows it already
            return
        row = talk.user_row(self._key(), event.seq, _str(d.get("text")), replay)
        if row.text:
            self._add(row)

    def _partial_text(self, event: TaskEvent, text: str, update: Update) -> None:
        if self._partial is not None:
            row = self.rows[self._partial]
            assert isinstance(row, TextRow)
            row.text += text
            self._changed(self._partial, update)
            return
        self._partial = len(self.rows)
        self._add(TextRow(self._key(), event.seq, text=text, partial=True))

    def _text(self, event: TaskEvent, d: dict[str, Any], update: Update) -> None:
        text = _str(d.get("text"))
        is_error = bool(d.get("is_api_error"))
        nested = bool(d.get("parent_tool_use_id"))
        if self._partial is not None:
            index, self._partial = self._partial, None
            row = self.rows[index]
            assert isinstance(row, TextRow)
            row.text, row.partial, row.is_error, row.nested = text, False, is_error, nested
            self._changed(index, update)
            return
        if text.strip():
            self._add(TextRow(self._key(), event.seq, text=text, is_error=is_error, nested=nested))

    def _tool_call(self, event: TaskEvent, d: dict[str, Any]) -> None:
        name = _str(d.get("name")) or "Tool"
        tool_input = d.get("input") if isinstance(d.get("input"), dict) else {}
        row = ToolRow(
            self._key(), event.seq, tool_id=_str(d.get("id")), name=name,
            summary=_str(d.get("summary")), detail=_clip(format_input(name, tool_input)),
            nested=bool(d.get("parent_tool_use_id")),
        )
        if row.tool_id:
            self._tools[row.tool_id] = len(self.rows)
        self._add(row)

    def _tool_result(self, event: TaskEvent, d: dict[str, Any], update: Update) -> None:
        content = d.get("content")
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, default=str)
        index = self._tools.get(_str(d.get("tool_use_id")))
        if index is None:  # a result whose call we never saw: show it on its own
            index = len(self.rows)
            self._add(ToolRow(self._key(), event.seq, name="Tool result"))
        row = self.rows[index]
        assert isinstance(row, ToolRow)
        row.result = _clip(text)
        row.preview = _str(d.get("preview")) or _first_lines(text)
        row.is_error = bool(d.get("is_error"))
        if index < update.first_new:
            self._changed(index, update)

    def _log(self, event: TaskEvent, stream: LogStream, update: Update) -> None:
        if stream is LogStream.UNKNOWN:
            text = "Thinking: " + event.data["block"]["thinking"]
        else:
            text = _str(event.data.get("text")) or event.raw
        lines = visible_lines(text.rstrip("\n")).split("\n")
        last = self.rows[-1] if self.rows else None
        if isinstance(last, LogRow) and last.stream is stream and len(last.lines) + len(lines) <= LOG_ROW_LINES:
            last.lines.extend(lines)
            index = len(self.rows) - 1
            if index < update.first_new:
                self._changed(index, update)
            else:
                last.touch()
            return
        for start in range(0, len(lines), LOG_ROW_LINES):
            self._add(LogRow(self._key(), event.seq, stream=stream, lines=lines[start:start + LOG_ROW_LINES]))


def format_input(name: str, tool_input: dict[str, Any]) -> str:
    """A tool call's input as a person reads it: the command, the edit, else JSON."""
    if name == "Bash" and isinstance(tool_input.get("command"), str):
        desc = tool_input.get("description")
        head = f"# {desc}\n" if isinstance(desc, str) and desc else ""
        return head + "$ " + tool_input["command"]
    if name in ("Edit", "MultiEdit") and isinstance(tool_input.get("file_path"), str):
        edits = tool_input.get("edits") if name == "MultiEdit" else [tool_input]
        lines = [tool_input["file_path"]]
        for edit in edits if isinstance(edits, list) else []:
            if isinstance(edit, dict):
                lines += ["- " + line for line in _str(edit.get("old_string")).splitlines()]
                lines += ["+ " + line for line in _str(edit.get("new_string")).splitlines()]
        return "\n".join(lines)
    if name == "Write" and isinstance(tool_input.get("file_path"), str):
        return tool_input["file_path"] + "\n" + _str(tool_input.get("content"))
    if name == "TodoWrite" and isinstance(tool_input.get("todos"), list):
        marks = {"completed": "[x]", "in_progress": "[~]"}
        return "\n".join(
            f"{marks.get(t.get('status'), '[ ]')} {t.get('content', '')}"
            for t in tool_input["todos"] if isinstance(t, dict)
        )
    if not tool_input:
        return ""
    return json.dumps(tool_input, indent=2, ensure_ascii=False, default=str)


def _result_message(d: dict[str, Any]) -> str:
    if not d.get("is_error"):
        return ""
    errors = d.get("errors")
    if isinstance(errors, list) and errors:
        return "; ".join(str(e) for e in errors)
    return _str(d.get("result")) or _str(d.get("subtype")).replace("_", " ")


def _thinking(d: dict[str, Any]) -> bool:
    """The agent's thinking: words to read, so a log row, not a details row."""
    block = d.get("block")
    return isinstance(block, dict) and block.get("type") == "thinking" and isinstance(block.get("thinking"), str)


def _first_lines(text: str, lines: int = 3) -> str:
    return "\n".join(text.strip().splitlines()[:lines])


def _clip(text: str) -> str:
    if len(text) <= DETAIL_CHARS:
        return text
    hidden = text.count("\n", DETAIL_CHARS) + 1
    return text[:DETAIL_CHARS] + f"\n… {hidden:,} more lines not shown"


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
