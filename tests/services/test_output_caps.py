"""Security finding 7: a task's stored events are bounded, whatever the agent
prints and wherever (claude's stdout or its stderr), in bytes and in count;
past either cap the task stops and fails with the reason. Real engine and
claude; the agent writes straight into claude's own stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain import EventKind, TaskState
from desktop.domain.events import NewEvent
from desktop.services import output_budget
from desktop.services.app import App
from desktop.services.output_budget import OutputBudget, stored_size
from desktop.services.workspaces import WorkspaceSpec
from tests.fakeapi import FakeAnthropic, Reply, ToolCall

# The agent finds claude among its processes and prints into its stderr.
_INTO_CLAUDES_STDERR = ("for p in /proc/[0-9]*; do grep -qa '^claude' $p/cmdline 2>/dev/null && c=${p#/proc/}; done; "
                        "for i in $(seq 1 {count}); do printf '%s {fill}\\n' $i > /proc/$c/fd/2; done; echo printed")


def _loud(app: App, fake_api: FakeAnthropic, tmp_path: Path, name: str, count: int, fill: str) -> str:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "file.txt").write_text(name)
    ws = app.workspaces.add(WorkspaceSpec(name=name, path=str(folder), permission_mode="bypassPermissions"))
    command = _INTO_CLAUDES_STDERR.replace("{count}", str(count)).replace("{fill}", fill)
    fake_api.script(Reply(text="Printing.", tool_calls=(ToolCall("Bash", {"command": command}),)),
                    Reply(text="Done."), match=f"print {name}")
    return app.tasks.submit(ws.id, f"print {name}").id


@pytest.mark.docker
@pytest.mark.keyring
def test_finding_7_stderr_lines_count_toward_the_output_cap(app: App, fake_api: FakeAnthropic, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output_budget, "MAX_OUTPUT_BYTES", 60_000)
    final = app.tasks.wait(_loud(app, fake_api, tmp_path, "errs", 200, "e" * 3000), 120)
    assert final.state is TaskState.FAILED, final.error
    assert "passed 58 kB" in (final.error or "") and "the most a task keeps" in (final.error or "")
    events = app.tasks.events(final.id)
    assert [e for e in events if e.kind is EventKind.STATE and e.data.get("state") == "output_limit"]
    kept = sum(stored_size(NewEvent(e.kind, e.data, e.raw)) for e in events)
    assert kept < 60_000 + 4 * 3100, kept  # the batch that passed the cap is not stored


@pytest.mark.docker
@pytest.mark.keyring
def test_finding_7_a_task_keeps_a_bounded_number_of_events(app: App, fake_api: FakeAnthropic, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output_budget, "MAX_EVENTS", 300)
    final = app.tasks.wait(_loud(app, fake_api, tmp_path, "many", 3000, "x"), 120)
    assert final.state is TaskState.FAILED, final.error
    assert "passed 300 events" in (final.error or "") and "the most a task keeps" in (final.error or "")
    assert len(app.tasks.events(final.id)) < 300 + 10  # the app's own notes after it, no more output


def test_the_budget_says_why_once_and_then_keeps_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output_budget, "MAX_OUTPUT_BYTES", 1000)
    budget = OutputBudget()
    line = NewEvent(EventKind.STDERR, {"text": "é" * 100}, "")
    assert stored_size(line) >= 100 + output_budget.ROW_BYTES
    assert budget.admit([line] * 3) == [line] * 3 and budget.exceeded is None
    (stop,) = budget.admit([line] * 10)
    assert stop.kind is EventKind.STATE and stop.data["state"] == "output_limit"
    assert budget.exceeded and "passed 1000 bytes" in budget.exceeded
    assert budget.admit([line]) == [] and budget.admit([]) == []
