"""The queue's global limit, following a task with no gap and no duplicate,
and --resume after the container was recreated (sessions live on a volume)."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest

from desktop.domain import TaskEvent, TaskState
from desktop.services.app import App
from desktop.services.settings import Settings
from desktop.services.workspaces import WorkspaceSpec
from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.waiting import until

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def _workspace(app: App, tmp_path: Path, name: str):  # noqa: ANN202
    folder = tmp_path / name
    folder.mkdir()
    (folder / "file.txt").write_text(name)
    return app.workspaces.add(WorkspaceSpec(name=name, path=str(folder), permission_mode="bypassPermissions"))


def test_the_global_limit_holds_tasks_of_other_workspaces(app: App, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    app.save_settings(Settings(concurrency=1))
    one, two = _workspace(app, tmp_path, "one"), _workspace(app, tmp_path, "two")
    fake_api.script(Reply(text="x " * 30, chunks=30, delay=0.05), match="first")
    fake_api.script(Reply(text="Second."), match="second")
    first = app.tasks.submit(one.id, "first")
    second = app.tasks.submit(two.id, "second")
    assert app.tasks.get(first.id).state is TaskState.RUNNING
    assert app.tasks.get(second.id).state is TaskState.QUEUED, "the limit is 1 across workspaces"
    assert app.tasks.wait(first.id, 60).state is TaskState.SUCCEEDED
    done = until("the second task to end", lambda: (t := app.tasks.get(second.id)).is_final and t, timeout=60)
    assert done.state is TaskState.SUCCEEDED and done.started_at >= app.tasks.get(first.id).finished_at


def test_following_gives_every_event_once_in_order(app: App, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    workspace = _workspace(app, tmp_path, "follow")
    fake_api.script(*(Reply(text=f"step {i}", tool_calls=(ToolCall("Bash", {"command": f"echo {i}"}),)) for i in range(6)),
                    Reply(text="All steps done."), match="many steps")
    task = app.tasks.submit(workspace.id, "many steps")
    seen: list[list[int]] = [[], []]

    def follower(index: int, stored: int) -> None:
        # Join at different moments: from the start, and once some events are stored (then live).
        until(f"{stored} stored events", lambda: len(app.tasks.events(task.id)) >= stored)
        for item in app.tasks.follow(task.id):
            if isinstance(item, TaskEvent):
                seen[index].append(item.seq)

    threads = [threading.Thread(target=follower, args=(i, n)) for i, n in ((0, 0), (1, 4))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    stored = [e.seq for e in app.tasks.events(task.id)]
    assert app.tasks.get(task.id).state is TaskState.SUCCEEDED
    assert stored == list(range(1, len(stored) + 1))
    assert seen[0] == stored and seen[1] == stored


def test_resume_after_the_container_is_recreated(app: App, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    workspace = _workspace(app, tmp_path, "resume")
    fake_api.script(Reply(text="Noted the number 42."), Reply(text="The number was 42."), match="remember 42")
    first = app.tasks.submit(workspace.id, "remember 42")
    first = app.tasks.wait(first.id, 60)
    old = app.ctx.containers.info(workspace.id).id
    app.ctx.containers.recreate(workspace)
    assert app.ctx.containers.info(workspace.id).id != old
    follow = app.tasks.follow_up(first.id, "what was the number?")
    follow = app.tasks.wait(follow.id, 60)
    assert follow.state is TaskState.SUCCEEDED, follow.error
    assert follow.session_id == first.session_id and follow.result == "The number was 42."
    history = str(fake_api.agent_requests("remember 42")[-1]["messages"])
    assert "Noted the number 42." in history


def test_run_here_waits_its_turn_then_runs_and_streams_it(app: App, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    """CLI commands' Apps (runs_queue=False) start nothing by themselves;
    run_here runs its task once the workspace's running task has ended,
    streaming every stored event once, and ends with the finished task."""
    from desktop.domain import Task

    workspace = _workspace(app, tmp_path, "turn")
    fake_api.script(Reply(text="x " * 20, chunks=20, delay=0.05), match="running first")
    fake_api.script(Reply(text="One.", tool_calls=(ToolCall("Bash", {"command": "echo 1"}),)), Reply(text="Two."),
                    match="waiting second")
    one, two = App(runs_queue=False), App(runs_queue=False)
    first = one.tasks.submit(workspace.id, "running first")
    second = two.tasks.submit(workspace.id, "waiting second")
    assert one.tasks.get(first.id).state is TaskState.QUEUED, "a CLI's App never starts a queued task by itself"
    asked = datetime.now()
    runner = threading.Thread(target=lambda: list(one.tasks.run_here(first.id)))
    runner.start()
    seqs, finals, ran_here = [], [], set()
    for item in two.tasks.run_here(second.id):
        ran_here.update(two.tasks.running_here())
        if isinstance(item, Task):
            finals.append(item)
        else:
            seqs.append(item.seq)
    runner.join(60)
    assert one.tasks.get(first.id).started_at >= asked, "it started once run_here asked, not before"
    assert [t.state for t in finals] == [TaskState.SUCCEEDED]
    assert finals[0].started_at >= one.tasks.get(first.id).finished_at, "one running task per workspace"
    assert ran_here == {second.id}, "the waiting command ran its own task, and only it"
    assert seqs == [e.seq for e in two.tasks.events(second.id)] == list(range(1, len(seqs) + 1))
    assert two.tasks.running_here() == []
    one.close()
    two.close()
