"""A workspace's excluded paths: they never travel into the container, what
the agent writes there is no part of its change, and changing the list
changes the next task's copy; a bad entry is one clear error and changes
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import Cli, make_project

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

LIST = "find . -path ./.git -prune -o -type f -print | sort; (echo agent > data/new.txt) 2>/dev/null; echo x > run.log"


def _look(cli: Cli, fake_api: FakeAnthropic, prompt: str) -> tuple[str, dict]:
    fake_api.script(Reply(text="Looking.", tool_calls=(ToolCall("Bash", {"command": LIST}),)),
                    Reply(text="Seen."), match=prompt)
    task = json.loads(cli.ok("task", "run", "demo", prompt, "--json"))
    assert task["state"] == "succeeded", task["error"]
    last = fake_api.agent_requests(prompt)[-1]["messages"][-1]["content"]
    return json.dumps([b.get("content") for b in last if b.get("type") == "tool_result"]), task


def test_excluded_paths_never_travel_nor_come_back(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "data").mkdir()
    (project / "data" / "big.csv").write_text("1,2,3\n")
    (project / "src").mkdir()
    (project / "src" / "old.log").write_text("log\n")
    cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions",
           "--exclude", "data", "--exclude", "*.log")
    assert json.loads(cli.ok("workspace", "show", "demo", "--json"))["excluded"] == ["data", "*.log"]

    seen, task = _look(cli, fake_api, "first look")
    assert "./app.py" in seen and "big.csv" not in seen and "old.log" not in seen, seen
    changed = cli.ok("task", "diff", task["id"], "--stat")
    assert "data/new.txt" not in changed and "run.log" not in changed, changed

    out = cli.ok("workspace", "set", "demo", "--include", "data/")
    assert "excluded data, *.log -> *.log" in out and "next task" in out, out
    seen, _ = _look(cli, fake_api, "data travels")
    assert "./data/big.csv" in seen and "./data/new.txt" not in seen and "old.log" not in seen, seen

    cli.ok("workspace", "set", "demo", "--exclude", "data")
    seen, _ = _look(cli, fake_api, "data gone again")
    assert "big.csv" not in seen and "./data/new.txt" not in seen, seen


@pytest.mark.parametrize("entry", ["../outside", "/etc", "data/*.csv", "!x"])
def test_a_bad_excluded_path_is_one_clear_error(cli: Cli, tmp_path: Path, entry: str) -> None:
    project = make_project(tmp_path)
    cli.ok("workspace", "add", "demo", "--path", str(project))
    done = cli("workspace", "set", "demo", "--exclude", entry)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Excluded paths" in done.stderr
    assert json.loads(cli.ok("workspace", "show", "demo", "--json"))["excluded"] == []
    refused = cli("workspace", "add", "other", "--path", str(project), "--exclude", entry)
    assert refused.returncode == 2 and "other" not in cli.ok("workspace", "list")
