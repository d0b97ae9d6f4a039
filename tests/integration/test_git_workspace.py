"""Workspaces cloned from git: a local bare repository works; hostile URLs are
refused before git runs, and nothing is created."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import Cli

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def _bare_repository(root: Path) -> Path:
    work, bare = root / "src", root / "origin.git"
    work.mkdir()
    git = lambda *a, cwd=work: subprocess.run(["git", *a], cwd=cwd, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    (work / "lib.py").write_text("VALUE = 1\n")
    git("add", "-A")
    git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    git("clone", "-q", "--bare", str(work), str(bare), cwd=root)
    return bare


def test_clone_from_a_local_bare_repository_and_run(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    bare = _bare_repository(tmp_path)
    doc = json.loads(cli.ok("workspace", "add", "lib", "--git", str(bare), "--permission-mode", "bypassPermissions", "--json"))
    clone = Path(doc["path"])
    assert doc["source"] == "git" and (clone / "lib.py").read_text() == "VALUE = 1\n"
    assert cli.home in clone.parents, "the clone lives in the app's data folder"

    fake_api.script(Reply(text="Bumping.", tool_calls=(ToolCall("Edit", {
        "file_path": "/workspace/lib.py", "old_string": "VALUE = 1", "new_string": "VALUE = 2"}),)),
        Reply(text="Bumped."), match="bump")
    task = json.loads(cli.ok("task", "run", "lib", "bump the value", "--json"))
    assert task["state"] == "succeeded", task["error"]
    cli.ok("task", "apply", task["id"])
    assert (clone / "lib.py").read_text() == "VALUE = 2\n"

    cli.ok("workspace", "rm", "lib")
    assert not clone.exists(), "removing a git workspace removes the app's clone"
    assert bare.exists()


@pytest.mark.parametrize("url", [
    "ext::sh -c touch% /tmp/aicode-pwned",
    "--upload-pack=touch /tmp/aicode-pwned",
    "ssh://-oProxyCommand=touch /tmp/aicode-pwned/x",
    "-oProxyCommand=touch /tmp/aicode-pwned",
    "fd::17",
    "https://example.invalid/repo.git\n--upload-pack=touch /tmp/aicode-pwned",
])
def test_hostile_urls_are_refused_and_nothing_is_made(cli: Cli, url: str) -> None:
    marker = Path("/tmp/aicode-pwned")
    marker.unlink(missing_ok=True)
    done = cli("workspace", "add", "evil", "--git", url)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not marker.exists()
    assert json.loads(cli.ok("workspace", "list", "--json")) == []
    clones = cli.home / "clones"
    assert not clones.exists() or not any(clones.iterdir())


def test_a_missing_folder_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    done = cli("workspace", "add", "gone", "--path", str(tmp_path / "nope"))
    assert done.returncode == 2 and "No such folder" in done.stderr
    assert json.loads(cli.ok("workspace", "list", "--json")) == []
