"""The engine disappears in the middle of a task: the task ends failed with a
reason, nothing hangs, history still browses, and once the engine is back
the workspace works again.

The engine "disappears" behind a proxy of its socket that the test starts
and stops (as tests/ui's engine test does): the machine's own dockerd, which
other tests and people share, is never stopped or signalled. A task that was
running then still runs in its container; the next task of the workspace
ends it before it starts (every process the agent left is ended).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.engine_proxy import EngineProxy
from tests.fakeapi import FakeAnthropic, Reply
from tests.integration.conftest import Cli, make_project

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def _wait(predicate, timeout: float = 60.0):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")


def test_the_engine_lost_mid_task(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    proxy = EngineProxy(tmp_path / "engine.sock").start()
    cli.env["DOCKER_HOST"] = proxy.url  # the CLI and its warm service reach the engine only through it
    project = make_project(tmp_path)
    try:
        cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions")
        fake_api.script(Reply(text="word " * 600, chunks=600, delay=0.05), match="endless story")
        task_id = cli.ok("task", "run", "demo", "tell an endless story", "--detach").strip()
        _wait(lambda: len(fake_api.agent_requests("endless story")) > 0)
        sent = fake_api.events_sent
        _wait(lambda: fake_api.events_sent >= sent + 10)  # mid-reply: the task is streaming

        proxy.stop()  # the engine is gone: open connections cut, no new ones
        shown = _wait(lambda: (doc := json.loads(cli.ok("task", "show", task_id, "--json")))["state"] != "running" and doc)
        assert shown["state"] == "failed"
        assert "Docker engine" in shown["error"], shown["error"]
        # History still browses without an engine.
        assert task_id in cli.ok("task", "list")
        assert cli("task", "run", "demo", "anything").returncode == 3

        proxy.start()  # back
        fake_api.script(Reply(text="Back."), match="after the outage")
        again = json.loads(cli.ok("task", "run", "demo", "after the outage", "--json"))
        assert again["state"] == "succeeded", again["error"]
    finally:
        if not proxy.path.exists():
            proxy.start()  # so the fixture removes the workspace's container and volumes
