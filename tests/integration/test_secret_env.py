"""Security finding 3, second half: a workspace's variables marked secret live
in the OS keyring, never in SQLite; the agent gets them (the user asked for
them in the container) and every output, stored event, task document, audit
entry and file in the data folder masks them. A change that writes one into
a file, text or binary, is not kept on disk at all. Real claude, engine,
keyring and the fake API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.secrets import SecretStore
from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import Cli, make_project, tree

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

SECRET = "deploy-7f3Kq9-ZZ-secret-value"
PLAIN = "plain-value-moved-later"


def _files_holding(folder: Path, value: str) -> list[str]:
    needle = value.encode()
    return [str(p) for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_finding_3_secret_variables_live_in_the_keyring_and_are_masked_everywhere(
        cli: Cli, fake_api: FakeAnthropic, tmp_path: Path, aicode_home: Path) -> None:
    project = make_project(tmp_path)
    added = json.loads(cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode",
                              "bypassPermissions", "--env", f"MOVED={PLAIN}", "--secret-env", "DEPLOY_TOKEN",
                              "--json", input=SECRET + "\n"))
    assert added["secret_env"] == ["DEPLOY_TOKEN"] and added["env"] == ["MOVED"]
    assert SecretStore().env_value(added["id"], "DEPLOY_TOKEN") == SECRET
    assert not _files_holding(aicode_home, SECRET), "not in SQLite (nor anywhere in the data folder)"

    fake_api.script(Reply(text="Looking.", tool_calls=(ToolCall("Bash", {
        "command": 'echo "the token is $DEPLOY_TOKEN"; echo "moved: ${#MOVED} characters"'}),)),
        Reply(text=f"I saw {SECRET}."), match="show the token")
    run = cli("task", "run", "w", "show the token", "--json")
    doc = json.loads(run.stdout)
    assert doc["state"] == "succeeded", doc
    # It reached the agent: its tool's output went to the model as it is.
    assert f"the token is {SECRET}" in json.dumps(fake_api.agent_requests("show the token")[-1]["messages"])
    shown = [run.stdout, run.stderr]
    for command in (("task", "show", doc["id"], "--json"), ("task", "logs", doc["id"]),
                    ("workspace", "show", "w", "--json"), ("workspace", "show", "w"), ("audit", "verify")):
        shown.append(cli.ok(*command))
    assert "the token is [secret masked]" in shown[3] and f"moved: {len(PLAIN)} characters" in shown[3]
    assert not [text for text in shown if SECRET in text]
    assert not _files_holding(aicode_home, SECRET)

    # A plain variable moves to the keyring when marked secret, without retyping it.
    out = cli.ok("workspace", "set", "w", "--secret-env", "MOVED", input="")
    assert "secret env DEPLOY_TOKEN -> DEPLOY_TOKEN, MOVED" in out and PLAIN not in out
    now = json.loads(cli.ok("workspace", "show", "w", "--json"))
    assert now["env"] == [] and now["secret_env"] == ["DEPLOY_TOKEN", "MOVED"]
    assert SecretStore().env_value(added["id"], "MOVED") == PLAIN

    # Written into files, text and binary: the change is not kept, the task says which files.
    before = tree(project)
    fake_api.script(Reply(text="Writing.", tool_calls=(ToolCall("Bash", {
        "command": "printf 'TOKEN=%s\\n' \"$DEPLOY_TOKEN\" > notes.txt && "
                   "printf 'BIN\\000\\001%s\\000\\377' \"$MOVED\" > blob.bin && echo ok >> README.md"}),)),
        Reply(text="Written."), match="write the token")
    written = json.loads(cli("task", "run", "w", "write the token", "--json").stdout)
    assert written["state"] == "failed", written
    assert "'blob.bin', 'notes.txt'" in written["error"] and "not kept" in written["error"], written["error"]
    assert not list((aicode_home / "patches").glob(f"{written['id']}*"))
    for value in (SECRET, PLAIN):
        assert not _files_holding(aicode_home, value), value
    assert tree(project) == before
    nothing = cli("task", "diff", written["id"])
    assert SECRET not in nothing.stdout + nothing.stderr

    # Removing the workspace removes its keyring entries.
    cli.ok("workspace", "rm", "w")
    assert SecretStore().env_value(added["id"], "DEPLOY_TOKEN") is None
    assert SecretStore().env_value(added["id"], "MOVED") is None


def test_secret_variables_refuse_bad_input_in_one_line(cli: Cli, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    for args, stdin, said in (
            (["--secret-env", "TOKEN=abc12345678"], "", "never taken from the command line"),
            (["--secret-env", "TOKEN"], "short\n", "at least 8 characters"),
            (["--secret-env", "TOKEN"], "", "No value was given"),
            (["--secret-env", "1BAD"], "long-enough-value\n", "not a valid"),
            (["--secret-env", "A", "--secret-env", "B"], "value-one-1\nvalue-two-2\nthird\n", "more lines"),
            (["--env", "A=1", "--secret-env", "A"], "long-enough-value\n", "both as a plain and as a secret")):
        done = cli("workspace", "add", "bad", "--path", str(project), *args, input=stdin)
        assert done.returncode == 2 and said in done.stderr and done.stderr.count("\n") == 1, (args, done.stderr)
        assert "abc12345678" not in done.stderr and "long-enough-value" not in done.stderr
    assert json.loads(cli.ok("workspace", "list", "--json")) == []
    cli.ok("workspace", "add", "ok", "--path", str(project), "--secret-env", "A", "--secret-env", "B",
           input="value-one-1\nvalue-two-2\n")
    workspace = json.loads(cli.ok("workspace", "show", "ok", "--json"))
    assert SecretStore().env_value(workspace["id"], "B") == "value-two-2"
    done = cli("workspace", "set", "ok", "--unset-env", "NOPE")
    assert done.returncode == 2 and "no variable NOPE" in done.stderr
    cli.ok("workspace", "set", "ok", "--unset-env", "A")
    assert SecretStore().env_value(workspace["id"], "A") is None
    assert json.loads(cli.ok("workspace", "show", "ok", "--json"))["secret_env"] == ["B"]
