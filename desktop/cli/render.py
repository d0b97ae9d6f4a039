"""A task's events as a person reads them in a terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from desktop.cli.output import cost, duration
from desktop.domain import EventKind, Task, TaskEvent, TaskState
from desktop.domain.review import visible

_MARK = {TaskState.SUCCEEDED: "✔", TaskState.FAILED: "✘", TaskState.CANCELLED: "■"}


def _first_lines(text: str, lines: int = 6, width: int = 200) -> list[str]:
    out = [line[:width] for line in text.splitlines()[:lines]]
    if len(text.splitlines()) > lines:
        out.append("…")
    return out


_DECIDED = {"allow": "Allowed", "deny": "Denied", "timeout": "Denied", "withdrawn": "Withdrawn"}


class Renderer:
    def __init__(self, stream: TextIO | None = None, raw: bool = False) -> None:
        self.out = stream or sys.stdout
        self.raw = raw

    def event(self, event: TaskEvent) -> None:
        if self.raw:
            if event.raw:
                print(event.raw, file=self.out, flush=True)
            return
        data = event.data
        kind = event.kind
        if kind is EventKind.TEXT:
            for line in str(data.get("text") or "").splitlines() or [""]:
                print(f"  {line}", file=self.out)
        elif kind is EventKind.TOOL_CALL:
            print(f"  ▸ {data.get('name')}  {data.get('summary') or ''}".rstrip(), file=self.out)
        elif kind is EventKind.TOOL_RESULT:
            mark = "✘" if data.get("is_error") else "✓"
            preview = str(data.get("preview") or data.get("content") or "")
            for i, line in enumerate(_first_lines(preview, 3)):
                print(f"    {mark if i == 0 else ' '} {line}", file=self.out)
        elif kind is EventKind.STATE:
            print(f"· {data.get('message') or data.get('state')}", file=self.out)
        elif kind is EventKind.STDERR:
            print(f"  ! {data.get('text')}", file=self.out)
        elif kind is EventKind.RAW:
            print(f"  ? {str(data.get('text'))[:200]}", file=self.out)
        elif kind is EventKind.REQUEST:
            what = {"question": "asks", "plan": "proposes a plan:", "message": "waits for your message"}.get(
                str(data.get("kind")), f"asks to use {visible(str(data.get('tool') or ''))}:")
            print(f"? The agent {what} {visible(str(data.get('summary') or ''))}".rstrip(), file=self.out)
        elif kind is EventKind.DECISION:
            said = f" — “{visible(str(data['message']))}”" if data.get("message") else ""
            by = {"rule": " (allowed always in this workspace)", "timeout": " (no answer in time)"}.get(
                str(data.get("by")), "")
            print(f"· {_DECIDED.get(str(data.get('decision')), data.get('decision'))}{by}{said}", file=self.out)
        elif kind is EventKind.USER:
            if data.get("replay"):
                for line in str(data.get("text") or "").splitlines()[:20] or [""]:
                    print(f"  » {visible(line)}", file=self.out)
        elif kind is EventKind.SESSION_INIT:
            print(f"· Claude Code {data.get('claude_code_version') or ''} session {data.get('session_id')}", file=self.out)
        self.out.flush()

    def final(self, task: Task) -> None:
        if self.raw:
            return
        mark = _MARK.get(task.state, "·")
        tokens = f"{task.input_tokens or 0} in / {task.output_tokens or 0} out tokens"
        print(f"{mark} {task.state} in {duration(task.duration_ms)} · {cost(task.cost_usd)} · {tokens} · "
              f"{task.num_turns or 0} turns", file=self.out)
        if task.error and task.state is not TaskState.SUCCEEDED:
            print(f"  {task.error}", file=self.out)
        self.out.flush()
