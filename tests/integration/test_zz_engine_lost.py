"""The engine disappears in the middle of a task (dockerd stopped): the task
ends failed with a reason, nothing hangs, and once the engine is back the
workspace works again. Named to run after the other integration tests, as it
stops the real engine for a few seconds."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply
from tests.integration.conftest import Cli, make_project

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

ROOT = Path(__file__).resolve().parents[2]


def _wait(predicate, timeout: float = 60.0):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")


def _stop_engine() -> None:
    if subprocess.run(["systemctl", "is-active", "--quiet", "docker"], capture_output=True).returncode == 0:
        subprocess.run(["systemctl", "stop", "docker", "docker.socket"], check=True, capture_output=True)
    else:
        subprocess.run(["pkill", "-TERM", "-x", "dockerd"], check=True)
    _wait(lambda: subprocess.run(["docker", "info"], capture_output=True).returncode != 0, 60)


def _wait_engine_gone() -> None:
    # dockerd stops its containers before it exits: wait for all of it.
    _wait(lambda: subprocess.run(["pgrep", "-x", "dockerd"], capture_output=True).returncode != 0, 120)


def _start_engine() -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure-docker.sh")], check=True, timeout=180)


def test_the_engine_lost_mid_task(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path, engine) -> None:
    project = make_project(tmp_path)
    cli.ok("workspace", "add", "demo", "--path", str(project), "--network", "host")
    fake_api.script(Reply(text="word " * 600, chunks=600, delay=0.05), match="endless story")
    task_id = cli.ok("task", "run", "demo", "tell an endless story", "--detach").strip()
    _wait(lambda: len(fake_api.agent_requests("endless story")) > 0)
    time.sleep(1.0)
    try:
        _stop_engine()
        shown = _wait(lambda: (doc := json.loads(cli.ok("task", "show", task_id, "--json")))["state"] != "running" and doc)
        assert shown["state"] == "failed"
        assert "Docker engine" in shown["error"], shown["error"]
        # History still browses without an engine.
        assert task_id in cli.ok("task", "list")
        assert cli("task", "run", "demo", "anything").returncode == 3
    finally:
        _start_engine()
        engine.reset()  # the session's client held connections to the old daemon
    fake_api.script(Reply(text="Back."), match="after the outage")
    again = json.loads(cli.ok("task", "run", "demo", "after the outage", "--json"))
    assert again["state"] == "succeeded", again["error"]
