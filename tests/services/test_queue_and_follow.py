"""The queue's global limit, following a task with no gap and no duplicate,
and --resume after the container was recreated (sessions live on a volume)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from desktop.domain import TaskEvent, TaskState
from desktop.services.app import App
from desktop.services.settings import Settings
from desktop.services.workspaces import WorkspaceSpec
from tests.fakeapi import FakeAnthropic, Reply, ToolCall

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def _workspace(app: App, tmp_path: Path, name: str):  # noqa: ANN202
    folder = tmp_path / name
    folder.mkdir()
    (folder / "file.txt").write_text(name)
    return app.workspaces.add(WorkspaceSpec(name=name, path=str(folder), network="host"))


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
    deadline = time.monotonic() + 60
    while not app.tasks.get(second.id).is_final and time.monotonic() < deadline:
        time.sleep(0.1)
    done = app.tasks.get(second.id)
    assert done.state is TaskState.SUCCEEDED and done.started_at >= app.tasks.get(first.id).finished_at


def test_following_gives_every_event_once_in_order(app: App, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    workspace = _workspace(app, tmp_path, "follow")
    fake_api.script(*(Reply(text=f"step {i}", tool_calls=(ToolCall("Bash", {"command": f"echo {i}"}),)) for i in range(6)),
                    Reply(text="All steps done."), match="many steps")
    task = app.tasks.submit(workspace.id, "many steps")
    seen: list[list[int]] = [[], []]

    def follower(index: int, delay: float) -> None:
        time.sleep(delay)  # join at different moments: stored first, then live
        for item in app.tasks.follow(task.id):
            if isinstance(item, TaskEvent):
                seen[index].append(item.seq)

    threads = [threading.Thread(target=follower, args=(i, d)) for i, d in ((0, 0.0), (1, 0.8))]
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


def test_the_async_stream_matches_the_store(app: App, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    import asyncio

    from desktop.domain import Task
    from desktop.services.follow_async import follow_async

    workspace = _workspace(app, tmp_path, "async")
    fake_api.script(Reply(text="One.", tool_calls=(ToolCall("Bash", {"command": "echo 1"}),)), Reply(text="Two."),
                    match="async stream")

    async def consume() -> tuple[list[int], Task]:
        task = await asyncio.to_thread(app.tasks.submit, workspace.id, "async stream")
        seqs, final = [], None
        async for item in follow_async(app.tasks, task.id):
            if isinstance(item, Task):
                final = item
            else:
                seqs.append(item.seq)
        return seqs, final

    seqs, final = asyncio.run(consume())
    assert final.state is TaskState.SUCCEEDED
    assert seqs == [e.seq for e in app.tasks.events(final.id)] == list(range(1, len(seqs) + 1))
