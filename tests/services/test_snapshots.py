"""What the agent's copy holds at each task's start: the folder's current
state, sent whole the first time and as changes after; rebuilt when the
container's volume was lost behind the app's back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.domain import TaskState
from desktop.services.app import App
from desktop.services.workspaces import WorkspaceSpec
from tests.fakeapi import FakeAnthropic, Reply, ToolCall

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

LIST = "find . -path ./.git -prune -o -type f -print0 | sort -z | xargs -0 -r head -v -n 5"


def _run(app: App, fake_api: FakeAnthropic, workspace: str, prompt: str, command: str) -> tuple[str, object]:
    fake_api.script(Reply(text="Looking.", tool_calls=(ToolCall("Bash", {"command": command}),)), Reply(text="Seen."),
                    match=prompt)
    task = app.tasks.wait(app.tasks.submit(workspace, prompt).id, 120)
    assert task.state is TaskState.SUCCEEDED, task.error
    result = next(e for e in app.tasks.events(task.id) if e.kind == "tool_result")
    return str(result.data["content"]), task


def test_each_task_starts_from_the_folder_as_it_is_now(app: App, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    folder = tmp_path / "project"
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "a.txt").write_text("alpha\n")
    (folder / "gone.txt").write_text("to be deleted\n")
    (folder / "src" / "run.sh").write_text("#!/bin/sh\necho run\n")
    (folder / "src" / "run.sh").chmod(0o755)
    workspace = app.workspaces.add(WorkspaceSpec(name="snap", path=str(folder), permission_mode="bypassPermissions")).id

    seen, first = _run(app, fake_api, workspace, "first look", LIST + " && ./src/run.sh && echo agent > scratch.txt")
    assert "alpha" in seen and "to be deleted" in seen and "run" in seen.splitlines()[-1]

    # The user edits, adds and deletes between tasks; the agent's scratch file
    # of the first task (never applied) must not leak into the second.
    (folder / "src" / "a.txt").write_text("alpha, edited\n")
    (folder / "gone.txt").unlink()
    (folder / "new dir").mkdir()
    (folder / "new dir" / "b.txt").write_text("beta\n")
    seen, second = _run(app, fake_api, workspace, "second look", LIST)
    assert "alpha, edited" in seen and "beta" in seen
    assert "to be deleted" not in seen and "scratch.txt" not in seen
    assert app.review.changed_files(second.id) == []
    assert [f.path for f in app.review.changed_files(first.id)] == ["scratch.txt"]


def test_a_lost_volume_is_rebuilt_from_the_folder(app: App, fake_api: FakeAnthropic, tmp_path: Path, engine) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "keep.txt").write_text("kept\n")
    ws = app.workspaces.add(WorkspaceSpec(name="lost", path=str(folder), permission_mode="bypassPermissions"))
    _run(app, fake_api, ws.id, "before the loss", "cat keep.txt")
    # Someone removes the container and its volumes with the docker CLI.
    engine.client.containers.get(f"aicode-{ws.id}").remove(force=True)
    for volume in (f"aicode-{ws.id}-work", f"aicode-{ws.id}-home"):
        engine.client.volumes.get(volume).remove(force=True)
    seen, task = _run(app, fake_api, ws.id, "after the loss", "cat keep.txt && ls -a")
    assert "kept" in seen
    assert json.dumps(app.review.changed_files(task.id)) == "[]"


def _watching_app() -> App:
    """An App over a long-lived context, as the GUI and the warm service have."""
    from desktop.services.context import AppContext

    ctx = AppContext()
    ctx.shared = True
    return App(ctx)


STAT = "find . -path ./.git -prune -o -type f -printf '%p %s %m\\n' | sort && cat src/a.txt"


def test_a_watched_folder_is_read_once_and_misses_no_change(app: App, fake_api: FakeAnthropic,
                                                            tmp_path: Path) -> None:
    """Edits, renames, deletions and mode changes between tasks, one made
    while no app was running, and an edit within the same second as the task:
    each task sees the folder as it is, and the long-lived app read the whole
    folder only at its first task."""
    folder = tmp_path / "project"
    (folder / "src").mkdir(parents=True)
    (folder / "src" / "a.txt").write_text("one\n")
    (folder / "b.txt").write_text("bee\n")
    workspace = app.workspaces.add(WorkspaceSpec(name="watched", path=str(folder),
                                                 permission_mode="bypassPermissions")).id
    _run(app, fake_api, workspace, "before the watcher", STAT)  # a one-off app: a full scan
    # Changed while no long-lived app watched: the first watched task must see it.
    (folder / "src" / "a.txt").write_text("two\n")
    watching = _watching_app()
    try:
        seen, _ = _run(watching, fake_api, workspace, "closed-time edit", STAT)
        assert seen.splitlines()[-1] == "two"
        (folder / "b.txt").rename(folder / "src" / "moved.txt")
        (folder / "src" / "moved.txt").chmod(0o751)
        (folder / "c.txt").write_text("sea\n")
        seen, _ = _run(watching, fake_api, workspace, "renamed and chmod", STAT)
        assert "./src/moved.txt 4 751" in seen and "./c.txt 4 644" in seen and "./b.txt" not in seen
        (folder / "c.txt").unlink()
        (folder / "src" / "a.txt").write_text("six\n")  # same size, the same second as the task
        seen, last = _run(watching, fake_api, workspace, "same second", STAT)
        assert "./c.txt" not in seen and seen.splitlines()[-1] == "six"
        assert watching.review.changed_files(last.id) == []
        tracker = watching.ctx.folders.tracker(workspace)
        assert tracker is not None and tracker.full_scans == 1
    finally:
        watching.close()
