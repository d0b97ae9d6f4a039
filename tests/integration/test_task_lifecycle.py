"""Cancel, follow-up, a killed CLI, and the queue's order per workspace."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import Cli, make_project

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

SLOW = Reply(text="word " * 400, chunks=400, delay=0.05)  # about 20 s of streaming


def _wait_for(predicate, timeout: float = 60.0, every: float = 0.1):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError("condition not reached in time")


def _show(cli: Cli, task_id: str) -> dict:
    return json.loads(cli.ok("task", "show", task_id, "--json"))


def _running_task(cli: Cli) -> str:
    tasks = json.loads(cli.ok("task", "list", "--json"))
    return next(t["id"] for t in tasks if t["state"] == "running")


def test_cancel_a_slow_task_then_the_next_one_runs(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions")
    fake_api.script(SLOW, match="slow story")
    task_id = cli.ok("task", "run", "demo", "tell a slow story", "--detach").strip()
    # Cancel once the agent is streaming its reply.
    sent = fake_api.events_sent
    _wait_for(lambda: fake_api.events_sent >= sent + 5)  # a few words of the reply are out
    started = time.monotonic()
    out = cli.ok("task", "cancel", task_id)
    elapsed = time.monotonic() - started
    assert out.strip() == f"{task_id}: cancelled"
    # Measured against the run itself: a cancel that only waited for the
    # reply to end would take its whole streaming time (about 20 s).
    streaming = SLOW.chunks * SLOW.delay
    assert elapsed < streaming / 2, f"cancel took {elapsed:.1f} s of a {streaming:.0f} s reply"
    shown = _show(cli, task_id)
    assert shown["state"] == "cancelled" and shown["error"] == "Cancelled"

    fake_api.script(Reply(text="Quick.", tool_calls=(ToolCall("Bash", {"command": "echo ok > after.txt"}),)),
                    Reply(text="Done quickly."), match="quick one")
    after = json.loads(cli.ok("task", "run", "demo", "quick one", "--json"))
    assert after["state"] == "succeeded" and after["result"] == "Done quickly."
    assert "after.txt" in cli.ok("task", "diff", after["id"], "--stat")


def test_follow_up_resumes_the_session_and_the_diff_grows(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions")
    fake_api.script(
        Reply(text="First file.", tool_calls=(ToolCall("Write", {"file_path": "/workspace/one.txt", "content": "1\n"}),)),
        Reply(text="Wrote one."),
        Reply(text="Second file.", tool_calls=(ToolCall("Write", {"file_path": "/workspace/two.txt", "content": "2\n"}),)),
        Reply(text="Wrote two as well."),
        match="write one",
    )
    first = json.loads(cli.ok("task", "run", "demo", "write one", "--json"))
    second = json.loads(cli.ok("task", "follow-up", first["id"], "now write two", "--json"))
    assert second["state"] == "succeeded", second["error"]
    assert second["session_id"] == first["session_id"] and second["parent_id"] == first["id"]
    assert second["result"] == "Wrote two as well."

    # The fake API saw the earlier turns in the follow-up's request.
    last = fake_api.agent_requests("write one")[-1]
    texts = json.dumps(last["messages"])
    assert "write one" in texts and "First file." in texts and "now write two" in texts
    stat = cli.ok("task", "diff", second["id"], "--stat")
    assert "one.txt" in stat and "two.txt" in stat
    assert "two.txt" not in cli.ok("task", "diff", first["id"], "--stat")


def _start_long_job(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path, argv: list[str], env: dict) -> tuple:
    project = make_project(tmp_path)
    cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions")
    fake_api.script(Reply(text="Start.", tool_calls=(ToolCall("Bash", {"command": "echo begun"}),)), SLOW,
                    match="long job")
    proc = subprocess.Popen([sys.executable, *argv, "task", "run", "demo", "long job"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    task_id = _wait_for(lambda: _running_task_or_none(cli))
    _wait_for(lambda: len(fake_api.agent_requests("long job")) >= 2)

    def begun() -> str | None:
        logs = cli.ok("task", "logs", task_id)
        return logs if "echo begun" in logs else None

    before = _wait_for(begun)
    return proc, task_id, before


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


def test_a_process_killed_mid_task_leaves_a_failed_task_with_its_events(
    cli: Cli, fake_api: FakeAnthropic, tmp_path: Path
) -> None:
    # In-process mode: the CLI process itself runs the task (and its proxy).
    # A task that was working (not waiting for an answer) when its process
    # died is failed and its agent stopped; one that waits is taken over
    # (test_approvals).
    env = dict(cli.env, AICODE_NO_SERVICE="1")
    proc, task_id, before = _start_long_job(cli, fake_api, tmp_path, ["-m", "desktop.cli"], env)
    try:
        _kill(proc.pid)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # "Restart": the next command reconciles.
    shown = _show(cli, task_id)
    assert shown["state"] == "failed"
    assert f"process {proc.pid}" in shown["error"] and "stopped while this task ran" in shown["error"]
    after = cli.ok("task", "logs", task_id)
    assert after.startswith(before.rstrip("\n").rsplit("\n", 1)[0]), "the events received before stay intact"
    # The workspace is usable again at once.
    fake_api.script(Reply(text="Fine."), match="next job")
    assert json.loads(cli.ok("task", "run", "demo", "next job", "--json"))["state"] == "succeeded"


def test_a_killed_client_loses_nothing_the_service_finishes_the_task(
    cli: Cli, fake_api: FakeAnthropic, tmp_path: Path
) -> None:
    proc, task_id, before = _start_long_job(cli, fake_api, tmp_path, ["-m", "desktop.cli"], cli.env)
    _kill(proc.pid)
    proc.wait(10)
    # The task goes on in the warm service; following it again shows the end.
    followed = cli.ok("task", "logs", task_id, "--follow")
    assert followed.startswith(before.rstrip("\n").rsplit("\n", 1)[0])
    assert "succeeded" in followed.splitlines()[-1]
    assert _show(cli, task_id)["state"] == "succeeded"


def _running_task_or_none(cli: Cli) -> str | None:
    tasks = json.loads(cli.ok("task", "list", "--json"))
    return next((t["id"] for t in tasks if t["state"] == "running"), None)


def test_tasks_of_one_workspace_run_one_at_a_time_in_order(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions")
    fake_api.script(Reply(text="a " * 40, chunks=40, delay=0.05), match="first in line")
    fake_api.script(Reply(text="Second."), match="second in line")
    first = cli.ok("task", "run", "demo", "first in line", "--detach").strip()
    _wait_for(lambda: _show(cli, first)["state"] == "running")
    second = cli.ok("task", "run", "demo", "second in line", "--detach").strip()
    queued, running = _show(cli, second), _show(cli, first)
    if running["state"] == "running":  # (the first may end on a slow machine; the order below says the rest)
        assert queued["state"] == "queued", "one running task per workspace"
    _wait_for(lambda: _show(cli, second)["state"] == "succeeded")
    one, two = _show(cli, first), _show(cli, second)
    assert one["state"] == "succeeded" and two["started_at"] >= one["finished_at"]


def test_out_of_memory_is_named(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    # Too little memory for the agent itself: the kernel's OOM killer ends it.
    cli.ok("workspace", "add", "tiny", "--path", str(project), "--permission-mode", "bypassPermissions", "--memory", "40m")
    fake_api.script(Reply(text="Hi."), match="anything")
    done = cli("task", "run", "tiny", "anything", "--json")
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    assert doc["state"] == "failed" and doc["exit_code"] == 137
    assert doc["error"].startswith("Out of memory: the container's limit of 40m was reached")
