"""Domain objects and event streams for the tests of single views (no Core involved).

The event data follows desktop/agent/mapping.py, the parser that produces them.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from desktop.domain import EventKind, NetworkMode, SourceKind, Task, TaskEvent, TaskState, Workspace
from desktop.domain.task import PatchState

NOW = datetime(2025, 3, 14, 15, 30, 0)


def workspace(id: str = "ws1", name: str = "billing-api", *, git: bool = False, **kw: object) -> Workspace:
    fields: dict[str, object] = dict(
        id=id, name=name,
        source_kind=SourceKind.GIT if git else SourceKind.FOLDER,
        source_path=f"/home/ada/src/{name}",
        git_url=f"https://github.com/acme/{name}.git" if git else None,
        image="aicode-agent:latest", cpus=2.0, memory="4g", network=NetworkMode.BRIDGE,
        created_at=NOW - timedelta(days=3),
    )
    fields.update(kw)
    return Workspace(**fields)  # type: ignore[arg-type]


def task(id: str = "t1", prompt: str = "Fix the failing tests", state: TaskState = TaskState.SUCCEEDED,
         workspace_id: str = "ws1", minutes_ago: float = 30, **kw: object) -> Task:
    created = NOW - timedelta(minutes=minutes_ago)
    fields: dict[str, object] = dict(
        id=id, workspace_id=workspace_id, prompt=prompt, state=state, created_at=created,
        model="claude-sonnet-4-5",
    )
    if state is not TaskState.QUEUED:
        fields["started_at"] = created + timedelta(seconds=2)
    if state.is_final:
        fields.update(finished_at=created + timedelta(minutes=2, seconds=13), cost_usd=0.1834,
                      input_tokens=48_210, output_tokens=3_120, num_turns=9, duration_ms=133_000,
                      patch_state=PatchState.PENDING if state is TaskState.SUCCEEDED else PatchState.NONE)
    fields.update(kw)
    return Task(**fields)  # type: ignore[arg-type]


class EventMaker:
    """Builds a task's events with increasing seq numbers."""

    def __init__(self, task_id: str = "t1") -> None:
        self.task_id = task_id
        self._seq = itertools.count(1)
        self._tool = itertools.count(1)

    def event(self, kind: EventKind, **data: object) -> TaskEvent:
        return TaskEvent(self.task_id, next(self._seq), kind, dict(data), created_at=NOW)

    def talk(self, kind: EventKind, data: dict[str, object]) -> TaskEvent:
        """A REQUEST or DECISION event (their data has a "kind" of its own)."""
        return TaskEvent(self.task_id, next(self._seq), kind, dict(data), created_at=NOW)

    def request(self, request_id: str, tool: str, tool_input: dict[str, object], kind: str = "permission",
                description: str = "") -> TaskEvent:
        from desktop.domain.approvals import summarize

        return self.talk(EventKind.REQUEST, {"request_id": request_id, "kind": kind, "tool": tool, "input": tool_input,
                                             "description": description, "summary": summarize(tool, tool_input)})

    def decision(self, request_id: str, decision: str, tool: str = "", kind: str = "permission",
                 message: str | None = None, always: bool = False, by: str = "user") -> TaskEvent:
        return self.talk(EventKind.DECISION, {"request_id": request_id, "decision": decision, "tool": tool, "kind": kind,
                                              "message": message, "always": always, "by": by})

    def tool(self, name: str, summary: str, tool_input: dict[str, object], output: str,
             is_error: bool = False) -> list[TaskEvent]:
        tool_id = f"toolu_{next(self._tool):04d}"
        first = "\n".join(output.strip().splitlines()[:3])
        return [
            self.event(EventKind.TOOL_CALL, id=tool_id, name=name, input=tool_input, summary=summary),
            self.event(EventKind.TOOL_RESULT, tool_use_id=tool_id, content=output, is_error=is_error, preview=first),
        ]


def finished_conversation(task_id: str = "t1") -> list[TaskEvent]:
    """A short, realistic run: read, test, edit, test again, summary."""
    e = EventMaker(task_id)
    out = [
        e.event(EventKind.STATE, state="queued", message=""),
        e.event(EventKind.STATE, state="running", message="container aicode-billing-api"),
        e.event(EventKind.SESSION_INIT, session_id="5f1c2d", model="claude-sonnet-4-5", cwd="/workspace",
                tools=["Bash", "Read", "Edit", "Write", "Grep", "Glob"], claude_code_version="2.0.14"),
        e.event(EventKind.TEXT, text="I'll start by running the test suite to see what fails."),
    ]
    out += e.tool("Bash", "pytest -q tests/test_invoices.py",
                  {"command": "pytest -q tests/test_invoices.py", "description": "Run the invoice tests"},
                  "..F.F\n=================================== FAILURES ===================================\n"
                  "___________________________ test_total_with_discount ___________________________\n"
                  "    assert invoice.total() == Decimal('90.00')\nE   AssertionError: assert Decimal('90.0000') == Decimal('90.00')\n"
                  "2 failed, 3 passed in 0.41s", is_error=True)
    out += e.tool("Read", "src/billing/invoice.py", {"file_path": "/workspace/src/billing/invoice.py"},
                  "     1\tfrom decimal import Decimal\n     2\t\n     3\tclass Invoice:\n     4\t    def total(self):\n"
                  "     5\t        return sum(line.amount for line in self.lines) * (1 - self.discount)\n")
    out.append(e.event(EventKind.TEXT, text=(
        "The totals are not **rounded to cents**. `Decimal` keeps every digit of the discount, so "
        "`90.0000` is not equal to `90.00` once it is compared as a string in the serializer.\n\n"
        "I'll quantize the total:\n\n```python\nreturn (subtotal * (1 - self.discount)).quantize(CENT)\n```")))
    out += e.tool("Edit", "src/billing/invoice.py",
                  {"file_path": "/workspace/src/billing/invoice.py",
                   "old_string": "        return sum(line.amount for line in self.lines) * (1 - self.discount)",
                   "new_string": "        subtotal = sum(line.amount for line in self.lines)\n"
                                 "        return (subtotal * (1 - self.discount)).quantize(CENT)"},
                  "The file /workspace/src/billing/invoice.py has been updated.")
    out += e.tool("Bash", "pytest -q", {"command": "pytest -q"}, "..........................\n26 passed in 1.12s")
    out.append(e.event(EventKind.TEXT, text=(
        "All 26 tests pass now. Summary of the change:\n\n"
        "- `Invoice.total()` rounds to whole cents with `Decimal.quantize`\n"
        "- added the `CENT` constant next to the other money helpers\n\n"
        "No other behaviour changed.")))
    out.append(e.event(EventKind.RESULT, subtype="success", is_error=False, session_id="5f1c2d",
                       result="All 26 tests pass now.", cost_usd=0.1834, input_tokens=48_210,
                       output_tokens=3_120, num_turns=9, duration_ms=133_000))
    out.append(e.event(EventKind.STATE, state="succeeded", message="3 files changed"))
    return out


def stream_of(count: int, task_id: str = "t1") -> list[TaskEvent]:
    """``count`` events of a long run: text (with streaming deltas), tool calls and
    results, stderr lines, in the proportions a busy agent produces."""
    e = EventMaker(task_id)
    events = [e.event(EventKind.SESSION_INIT, session_id="s", model="claude-sonnet-4-5", cwd="/workspace", tools=["Bash"])]
    step = 0
    while len(events) < count - 1:
        step += 1
        turn = step % 6
        if turn == 0:
            for word in ("Looking ", "at ", "the ", "failing ", "module ", f"number {step}. "):
                events.append(e.event(EventKind.PARTIAL, text=word))
            events.append(e.event(EventKind.TEXT, text=f"Looking at the failing module number {step}. "
                                  "It needs **a fix** in `handler.py`:\n\n- first point\n- second point"))
        elif turn in (1, 3):
            output = "\n".join(f"line {i} of the output of step {step}" for i in range(step % 40 + 1))
            events += e.tool("Bash", f"pytest -q tests/test_{step}.py", {"command": f"pytest -q tests/test_{step}.py"}, output,
                             is_error=step % 7 == 0)
        elif turn == 2:
            events += e.tool("Read", f"src/module_{step}.py", {"file_path": f"/workspace/src/module_{step}.py"},
                             "\n".join(f"{i:6d}\tdef f{i}(): pass" for i in range(60)))
        elif turn == 4:
            events.append(e.event(EventKind.STDERR, text=f"warning: step {step} took longer than expected"))
        else:
            events.append(e.event(EventKind.TEXT, text=f"Step {step} done. " + "The change is small. " * (step % 9 + 1)))
    events.append(e.event(EventKind.RESULT, subtype="success", is_error=False, cost_usd=1.234, input_tokens=1_200_000,
                          output_tokens=45_000, num_turns=step, duration_ms=1_800_000))
    return events[:count]
