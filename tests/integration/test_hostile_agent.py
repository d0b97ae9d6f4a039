"""An agent that plants a core.fsmonitor, a hook and a symlink to a host path:
diff and apply run on the host, the planted commands never execute there, and
the symlink is refused with nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import Cli, make_project, tree

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def test_planted_git_config_never_runs_on_the_host(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    marker_fsmonitor = tmp_path / "pwned-fsmonitor"
    marker_hook = tmp_path / "pwned-hook"
    plant = (
        f"git config core.fsmonitor 'touch {marker_fsmonitor}'"
        " && mkdir -p .git/hooks"  # the app's git removed it: the agent makes it again
        f" && printf '#!/bin/sh\\ntouch {marker_hook}\\n' > .git/hooks/post-checkout"
        " && chmod +x .git/hooks/post-checkout"
        f" && cp .git/hooks/post-checkout .git/hooks/pre-commit"
        " && echo 'harmless change' > CHANGELOG.md"
    )
    fake_api.script(Reply(text="Planting.", tool_calls=(ToolCall("Bash", {"command": plant}),)),
                    Reply(text="Done."), match="plant hooks")
    cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions")
    doc = json.loads(cli.ok("task", "run", "demo", "plant hooks", "--json"))
    assert doc["state"] == "succeeded"

    diff = cli.ok("task", "diff", doc["id"])
    assert "CHANGELOG.md" in diff and "fsmonitor" not in diff and "hooks" not in diff
    cli.ok("task", "diff", doc["id"], "--stat")
    cli.ok("task", "apply", doc["id"])
    assert (project / "CHANGELOG.md").read_text() == "harmless change\n"
    # The user's repository got no config or hook of the agent's.
    assert "fsmonitor" not in (project / ".git" / "config").read_text()
    assert not (project / ".git" / "hooks" / "post-checkout").exists()
    # A later task starts from a checkout in the container, where the hook
    # lives; on the host nothing ever ran it.
    fake_api.script(Reply(text="Nothing to do."), match="second task")
    cli.ok("task", "run", "demo", "second task")
    assert not marker_fsmonitor.exists() and not marker_hook.exists()


def test_symlink_to_a_host_path_is_refused(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    before = tree(project)
    fake_api.script(
        Reply(text="Linking.", tool_calls=(ToolCall("Bash", {"command": "ln -s /etc/passwd passwords && echo x > fine.txt"}),)),
        Reply(text="Done."), match="make a link",
    )
    cli.ok("workspace", "add", "demo", "--path", str(project), "--permission-mode", "bypassPermissions")
    doc = json.loads(cli.ok("task", "run", "demo", "make a link", "--json"))
    assert doc["state"] == "succeeded" and doc["changes"] == "pending"
    assert "passwords" in cli.ok("task", "diff", doc["id"], "--stat")

    refused = cli("task", "apply", doc["id"])
    assert refused.returncode == 2
    assert "passwords" in refused.stderr and "Traceback" not in refused.stderr
    assert tree(project) == before and not (project / "passwords").is_symlink()
    assert json.loads(cli.ok("task", "show", doc["id"], "--json"))["changes"] == "pending"
