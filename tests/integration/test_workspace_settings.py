"""Security finding 5: a workspace's settings reach its container. After
``workspace set`` the container is made again with the new network and
limits, on the same volumes, so the Claude session survives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import Cli, make_project
from tests.waiting import until

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def test_finding_5_settings_reach_the_container(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path, engine) -> None:
    project = make_project(tmp_path)
    workspace = json.loads(cli.ok("workspace", "add", "demo", "--path", str(project), "--egress", "open",
                                  "--permission-mode", "bypassPermissions", "--json"))
    name = f"aicode-{workspace['id']}"
    fake_api.script(
        Reply(text="First file.", tool_calls=(ToolCall("Write", {"file_path": "/workspace/one.txt", "content": "1\n"}),)),
        Reply(text="Wrote one."),
        Reply(text="Wrote two as well."),
        match="write one",
    )
    first = json.loads(cli.ok("task", "run", "demo", "write one", "--json"))
    assert first["state"] == "succeeded", first["error"]
    before = engine.client.containers.get(name)
    assert before.attrs["HostConfig"]["NetworkMode"] == "bridge"  # open egress; the model still via the proxy
    volumes = {m["Name"] for m in before.attrs["Mounts"] if m["Type"] == "volume"}
    assert volumes == {f"{name}-work", f"{name}-home"}

    out = cli.ok("workspace", "set", "demo", "--egress", "allowlist", "--memory", "512m")
    assert "egress open -> allowlist" in out and "memory" in out and "512m" in out
    # No task runs, so the container followed at once: the network is gone.
    after = engine.client.containers.get(name)
    assert after.id != before.id and after.status == "running"
    config = after.attrs["HostConfig"]
    assert config["NetworkMode"] == "none" and config["Memory"] == 512 * 1024 * 1024
    assert config["CapDrop"] == ["ALL"] and config["ReadonlyRootfs"] is True
    assert {m["Name"] for m in after.attrs["Mounts"] if m["Type"] == "volume"} == volumes
    shown = json.loads(cli.ok("workspace", "show", "demo", "--json"))
    assert shown["egress"] == "allowlist" and shown["memory"] == "512m"

    # Open again, a follow-up resumes the session kept in the home volume,
    # with the new memory limit still in force.
    cli.ok("workspace", "set", "demo", "--egress", "open")
    second = json.loads(cli.ok("task", "follow-up", first["id"], "now write two", "--json"))
    assert second["state"] == "succeeded", second["error"]
    assert second["session_id"] == first["session_id"]
    assert "First file." in json.dumps(fake_api.agent_requests("write one")[-1]["messages"])
    final = engine.client.containers.get(name)
    assert final.attrs["HostConfig"]["NetworkMode"] == "bridge"
    assert final.attrs["HostConfig"]["Memory"] == 512 * 1024 * 1024


def test_bad_settings_are_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    cli.ok("workspace", "add", "demo", "--path", str(make_project(tmp_path)), "--permission-mode", "bypassPermissions")
    for args, said in ((["--memory", "lots"], "Memory"), (["--cpus", "0"], "CPUs"),
                       (["--env", "1X=2"], "not a valid"), ([], "Nothing to change")):
        done = cli("workspace", "set", "demo", *args)
        assert done.returncode == 2 and said in done.stderr and done.stderr.count("\n") == 1, done.stderr
    shown = json.loads(cli.ok("workspace", "show", "demo", "--json"))
    assert shown["memory"] != "lots" and shown["egress"] == "allowlist"
    for args, said in ((["egress", "allow", "demo", "not a host"], "is not a host"),
                       (["egress", "remove", "demo", "absent.test"], "not on the allowlist"),
                       (["egress", "list", "nope"], "No workspace")):
        done = cli(*args)
        assert done.returncode == 2 and said in done.stderr and done.stderr.count("\n") == 1, (args, done.stderr)
    cli.ok("egress", "allow", "demo", "Example.TEST:8443")
    assert "example.test:8443" in json.loads(cli.ok("egress", "list", "demo", "--json"))["allow"]
    assert "Nothing was refused." in cli.ok("egress", "log", "demo")


def test_finding_5_settings_saved_during_a_task_apply_when_it_ends(cli: Cli, fake_api: FakeAnthropic,
                                                                  tmp_path: Path, engine) -> None:
    """Saved while a task runs, the settings are pending (the CLI says so, the
    container is left alone under the task); the process that runs the task
    (here the warm service) makes the container again as soon as it ends."""
    project = make_project(tmp_path)
    workspace = json.loads(cli.ok("workspace", "add", "demo", "--path", str(project), "--egress", "open",
                                  "--permission-mode", "bypassPermissions", "--json"))
    name = f"aicode-{workspace['id']}"
    # The agent waits for the test's go (its own polling is part of the scenario).
    fake_api.script(Reply(text="Waiting.", tool_calls=(ToolCall("Bash", {
        "command": "touch /tmp/started; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo went"}),)),
        Reply(text="Went."), match="wait for go")
    task_id = cli.ok("task", "run", "demo", "wait for go", "--detach").split()[-1]

    def started() -> bool:
        try:
            return engine.client.containers.get(name).exec_run(["test", "-e", "/tmp/started"]).exit_code == 0
        except Exception:  # noqa: BLE001 - not made yet
            return False

    until("the agent to wait for its go", started)
    before = engine.client.containers.get(name)
    out = cli.ok("workspace", "set", "demo", "--memory", "512m")
    assert "memory" in out and "applies when the running task ends" in out, out
    doc = json.loads(cli.ok("workspace", "set", "demo", "--cpus", "1", "--json"))
    assert doc["pending"] is True and doc["changed"] == ["cpus"]
    assert engine.client.containers.get(name).id == before.id, "never made again under a running task"
    assert json.loads(cli.ok("task", "show", task_id, "--json"))["state"] == "running"

    before.exec_run(["touch", "/tmp/go"], user="agent")
    final = until("the task to end", lambda: (doc := json.loads(cli.ok("task", "show", task_id, "--json")))
                  ["state"] not in ("queued", "running") and doc)
    assert final["state"] == "succeeded", final
    # Made again when the task ended, by the process that ran it: no start, no next task.
    after = engine.client.containers.get(name)
    assert after.id != before.id and after.status == "running"
    config = after.attrs["HostConfig"]
    assert config["Memory"] == 512 * 1024 * 1024 and config["NanoCpus"] == 1_000_000_000
    assert {m["Name"] for m in after.attrs["Mounts"] if m["Type"] == "volume"} == {f"{name}-work", f"{name}-home"}
    assert json.loads(cli.ok("workspace", "set", "demo", "--memory", "1g", "--json"))["pending"] is False
