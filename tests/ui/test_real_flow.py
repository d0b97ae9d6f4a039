"""The real window over the real Core, engine, claude and keyring, with the fake API:
add a folder, run a task, read it, review its change, find it again in the history."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.domain import TaskState
from desktop.domain.task import PatchState
from desktop.ui.transcript.labels import result_stats
from desktop.ui.transcript.rows import ResultRow, TextRow, ToolRow
from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.ui.real import Gui, tree

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def greeting_script(api: FakeAnthropic, match: str) -> None:
    api.script(
        Reply(text="I'll add a greeting module and make main return 0.", tool_calls=(
            ToolCall("Write", {"file_path": "/workspace/greet.py", "content": "def greet():\n    return 'hi'\n"}),
            ToolCall("Bash", {"command": "sed -i 's/return 1/return 0/' app.py && echo edited"}),
        )),
        Reply(text="Added greet.py and made main return 0."),
        match=match,
    )


def test_add_a_folder_run_read_apply_and_reopen(gui: Gui, fake_api: FakeAnthropic, project: Path, qtbot) -> None:  # noqa: ANN001
    w = gui.window
    qtbot.waitUntil(lambda: gui.controller.system.engine.ok, timeout=20_000)
    assert w.engine.retry.isHidden()

    # Add the folder through the dialog (the agent reaches the fake API through the app's proxy).
    w.actions.add_folder.trigger()
    qtbot.waitUntil(lambda: gui.binding.dialogs.add is not None and gui.binding.dialogs.add.isVisible())
    dialog = gui.binding.dialogs.add
    dialog.folder.setText(str(project))
    assert dialog.name.text() == "project"
    dialog.advanced_toggle.click()
    assert dialog.limits.egress.currentData() == "allowlist" and dialog.limits.network.findData("host") < 0
    assert dialog.limits.permission.currentData() == "default"  # a new workspace asks; this one runs unattended
    dialog.limits.permission.setCurrentIndex(dialog.limits.permission.findData("bypassPermissions"))
    dialog.add_button.click()
    qtbot.waitUntil(lambda: w.sidebar.current_item() is not None, timeout=10_000)
    workspace = w.sidebar.current_item().workspace
    assert (workspace.name, workspace.source_path, workspace.egress.value) == ("project", str(project), "allowlist")
    assert not dialog.isVisible()
    assert [ws.id for ws in gui.core.workspaces.list()] == [workspace.id]

    # Run a task: the transcript fills with its text and tool cards, then the summary.
    greeting_script(fake_api, "add a greeting")
    before = tree(project)
    task = gui.run_prompt("add a greeting")
    assert w.prompt.cancel_button.isEnabled() or gui.core.tasks.get(task.id).is_final
    done = gui.wait_shown_final()
    assert done.state is TaskState.SUCCEEDED, done.error
    qtbot.waitUntil(lambda: any(isinstance(r, ResultRow) for r in w.transcript.rows) and w.transcript.idle())
    rows = w.transcript.rows
    tools = [r for r in rows if isinstance(r, ToolRow)]
    assert [t.name for t in tools] == ["Write", "Bash"] and all(t.done for t in tools)
    assert "edited" in (tools[1].result or "")
    texts = [r.text for r in rows if isinstance(r, TextRow)]
    assert texts[0].startswith("I'll add a greeting") and texts[-1] == "Added greet.py and made main return 0."
    result = next(r for r in rows if isinstance(r, ResultRow))
    stored = gui.core.tasks.get(task.id)
    assert (result.cost_usd, result.num_turns, result.duration_ms) == (stored.cost_usd, stored.num_turns,
                                                                       stored.duration_ms)
    assert stored.cost_usd and stored.input_tokens and stored.output_tokens and stored.num_turns
    summary = result_stats(result)
    assert "$" in summary and "turns" in summary and "tokens in" in summary and summary.split("  ·  ")[0]
    assert w.task_header.isVisible()

    # The change is offered for review; Apply writes it into the folder.
    qtbot.waitUntil(lambda: w.review.changes is not None, timeout=10_000)
    w.task_header.switch.changes_button.click()
    assert w.review.isVisible() and w.review.diff.summary.text().startswith("2 files")
    assert {f.path for f in w.review.changes.files} == {"greet.py", "app.py"}
    assert tree(project) == before, "nothing reaches the folder before Apply"
    w.review.apply_button.click()
    qtbot.waitUntil(lambda: w.shown_task.patch_state is PatchState.APPLIED, timeout=10_000)
    qtbot.waitUntil(lambda: w.review.state.text() == "Applied")
    after = tree(project)
    assert after["greet.py"] == b"def greet():\n    return 'hi'\n"
    assert after["app.py"] == b"def main():\n    return 0\n" and after["notes.txt"] == before["notes.txt"]

    # History finds it and shows the same transcript, read back from the database.
    live = [r.plain_text() for r in w.transcript.rows]
    w.actions.history.trigger()
    history = gui.binding.dialogs.history
    assert history is not None
    qtbot.keyClicks(history.search, "greeting")
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=5000)
    assert history.model.index(0, 1).data() == "Applied"  # what became of its change
    history.table.setCurrentIndex(history.model.index(0, 0))
    qtbot.waitUntil(lambda: len(history.transcript.rows) == len(live) and history.transcript.idle(), timeout=10_000)
    assert [r.plain_text() for r in history.transcript.rows] == live
    assert not gui.failures, gui.failures


def test_a_conflicting_apply_is_refused_then_the_change_discarded(gui: Gui, fake_api: FakeAnthropic, project: Path,
                                                                  qtbot, monkeypatch) -> None:  # noqa: ANN001
    w = gui.window
    gui.add_workspace("demo", project)
    fake_api.script(Reply(text="Editing.", tool_calls=(
        ToolCall("Bash", {"command": "echo agent >> README.md && echo new > new.txt"}),)),
        Reply(text="Edited."), match="edit readme")
    gui.run_prompt("edit readme")
    assert gui.wait_shown_final().state is TaskState.SUCCEEDED
    qtbot.waitUntil(lambda: w.review.changes is not None, timeout=10_000)
    w.actions.focus_changes.trigger()

    (project / "README.md").write_text("# Rewritten by me\n")  # meanwhile, the person edits the same file
    before = tree(project)
    w.review.apply_button.click()
    qtbot.waitUntil(w.review.conflict.isVisible, timeout=10_000)
    assert "README.md" in w.review.conflict.text and "not changed" in w.review.conflict.text
    assert tree(project) == before, "all or nothing: not even new.txt"
    qtbot.waitUntil(w.review.apply_button.isEnabled)
    assert w.shown_task.patch_state is PatchState.PENDING and not gui.failures

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    w.review.discard_button.click()
    qtbot.waitUntil(lambda: w.shown_task.patch_state is PatchState.DISCARDED, timeout=10_000)
    qtbot.waitUntil(lambda: w.review.state.text() == "Discarded")
    assert not w.review.apply_button.isVisible() and w.saved.isVisible()
    assert gui.core.tasks.get(w.shown_task.id).patch_state is PatchState.DISCARDED
    assert tree(project) == before
