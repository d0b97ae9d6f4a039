"""A folder workspace with uncommitted edits: the agent changes only its copy,
the diff shows exactly its changes, and apply brings them in, leaving the
user's own edits byte-identical."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import TEST_KEY, Cli, make_project, tree
from tests.waiting import until

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def test_run_diff_apply(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    before = tree(project)
    fake_api.script(
        Reply(text="I'll add a greeting module and fix main.", tool_calls=(
            ToolCall("Write", {"file_path": "/workspace/greet.py", "content": "def greet():\n    return 'hi'\n"}),
            ToolCall("Bash", {"command": "sed -i 's/return 1/return 0/' app.py && cat README.md notes.txt"}),
        )),
        Reply(text="Added greet.py and made main return 0."),
        match="add a greeting",
    )
    cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions")

    done = cli("task", "run", "demo", "add a greeting", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    doc = json.loads(done.stdout)
    assert doc["state"] == "succeeded" and doc["workspace"] == "demo"
    assert doc["result"] == "Added greet.py and made main return 0."
    assert doc["session_id"] and doc["cost_usd"] > 0
    assert doc["input_tokens"] > 0 and doc["output_tokens"] > 0 and doc["duration_ms"] > 0
    assert doc["changes"] == "pending" and doc["error"] is None

    # The agent saw the user's uncommitted state, through its copy only.
    tool_results = json.dumps(fake_api.agent_requests("add a greeting")[-1]["messages"])
    assert "My own uncommitted notes." in tool_results and "untracked, mine" in tool_results
    assert tree(project) == before, "the user's folder must not change before apply"

    diff = cli.ok("task", "diff", doc["id"])
    assert "diff --git a/greet.py b/greet.py" in diff and "+def greet():" in diff
    assert "-    return 1\n+    return 0" in diff
    assert diff.count("diff --git") == 2, diff
    stat = cli.ok("task", "diff", doc["id"], "--stat")
    assert "greet.py" in stat and "app.py" in stat and "2 files changed" in stat

    cli.ok("task", "apply", doc["id"])
    after = tree(project)
    assert after["greet.py"] == b"def greet():\n    return 'hi'\n"
    assert after["app.py"] == b"def main():\n    return 0\n"
    for mine in ("README.md", "notes.txt"):
        assert after[mine] == before[mine]
    assert json.loads(cli.ok("task", "show", doc["id"], "--json"))["changes"] == "applied"
    again = cli("task", "apply", doc["id"])
    assert again.returncode == 2 and "already applied" in again.stderr

    # The key reached the agent (the fake API saw it) but nothing the app keeps.
    assert fake_api.api_keys == {TEST_KEY}
    for path in cli.home.rglob("*"):
        if path.is_file():
            assert TEST_KEY.encode() not in path.read_bytes(), path
    assert TEST_KEY not in cli.ok("task", "logs", doc["id"], "--raw")


def test_the_key_is_not_in_docker_inspect(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path, engine) -> None:
    project = make_project(tmp_path)
    fake_api.script(Reply(text="Looking.", tool_calls=(ToolCall("Bash", {"command": "sleep 2; echo done"}),)),
                    Reply(text="Looked."), match="look around")
    workspace = json.loads(cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions", "--json"))
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "desktop.cli", "task", "run", "demo", "look around"],
                            env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Inspect while the exec that holds the key is running, and after.
        until("the agent's first request", lambda: fake_api.agent_requests("look around"), timeout=60)
        container = engine.client.containers.get(f"aicode-{workspace['id']}")
        inspected = subprocess.run(["docker", "inspect", container.id], capture_output=True, text=True, check=True)
        assert TEST_KEY not in inspected.stdout and "ANTHROPIC_API_KEY" not in inspected.stdout
        for exec_id in container.attrs.get("ExecIDs") or []:
            assert TEST_KEY not in json.dumps(engine.api.exec_inspect(exec_id))
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert TEST_KEY not in out + err
    container.reload()
    assert TEST_KEY not in json.dumps(container.attrs)
    config = container.attrs["HostConfig"]
    assert config["CapDrop"] == ["ALL"] and "no-new-privileges" in config["SecurityOpt"][0]
    assert config["ReadonlyRootfs"] is True and config["PidsLimit"] > 0 and config["Memory"] > 0
    # The container's keeper runs as nobody; the agent (every exec) as its own non-root user.
    assert container.attrs["Config"]["User"] == "65534:65534"
    assert container.exec_run("id -u", user="agent").output.strip() != b"0"
    assert not any("docker.sock" in (m.get("Source") or "") for m in container.attrs["Mounts"])


def test_apply_refuses_a_conflict_and_changes_nothing(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    fake_api.script(Reply(text="Editing.", tool_calls=(ToolCall("Bash", {"command": "echo agent >> README.md && echo new > new.txt"}),)),
                    Reply(text="Edited."), match="edit readme")
    cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions")
    doc = json.loads(cli.ok("task", "run", "demo", "edit readme", "--json"))
    # Meanwhile the user rewrote the same file.
    (project / "README.md").write_text("# Rewritten by me\n")
    before = tree(project)
    refused = cli("task", "apply", doc["id"])
    assert refused.returncode == 1 and "README.md" in refused.stderr
    assert tree(project) == before, "nothing applied, not even new.txt"
    cli.ok("task", "discard", doc["id"])
    assert json.loads(cli.ok("task", "show", doc["id"], "--json"))["changes"] == "discarded"


def test_rename_and_show_a_workspace(cli: Cli, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    cli.ok("workspace", "add", "old name", "--path", str(project), "--cpus", "1.5", "--memory", "1g",
           "--env", "FOO=bar", "--permission-mode", "acceptEdits")
    cli.ok("workspace", "rename", "old name", "new name")
    shown = json.loads(cli.ok("workspace", "show", "new name", "--json"))
    assert shown["name"] == "new name" and shown["cpus"] == 1.5 and shown["memory"] == "1g"
    assert shown["env"] == ["FOO"] and shown["permission_mode"] == "acceptEdits" and shown["created_at"]
    assert cli("workspace", "show", "old name").returncode == 2
    taken = cli("workspace", "add", "NEW NAME", "--path", str(project))
    assert taken.returncode == 2 and "'new name' already exists" in taken.stderr
    bad = cli("workspace", "add", "x", "--path", str(project), "--memory", "lots")
    assert bad.returncode == 2 and "Memory must be a size" in bad.stderr
