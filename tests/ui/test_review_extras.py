"""What else a person does with finished tasks in the real window (real engine,
real claude, the fake API): inspect a three-way merge of a conflicting change
and write it only when asked, compare two tasks' end states, and start a new
task from a task's end state."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.domain import Task, TaskState
from desktop.domain.review import LineKind
from desktop.domain.task import PatchState
from desktop.ui.dialogs.comparison_window import READ_ONLY
from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.ui.real import Gui, make_project, tree

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

SOURCE = "".join(f"line {i}\n" for i in range(1, 31))
# The agent's change: line 3, line 25 (with an escape code in it) and a line added to other.txt.
AGENT = "sed -i -e 's/^line 3$/line three/' -e 's/^line 25$/line twenty-five\\x1b[2K/' src.py && echo q >> other.txt"
CONFLICT = ("<<<<<<< your folder\nmy own line 25\n=======\nline twenty-five⟨ESC⟩[2K\n>>>>>>> the task\n")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    (project / "src.py").write_text(SOURCE)
    (project / "other.txt").write_text("a\nb\nc\n")
    return project


def run_task(gui: Gui, api: FakeAnthropic, prompt: str, command: str) -> Task:
    """Type ``prompt`` and run it; its agent runs ``command``; returns the task once it succeeded."""
    api.script(Reply(text="Working.", tool_calls=(ToolCall("Bash", {"command": command}),)), Reply(text="Done."),
               match=prompt)
    gui.run_prompt(prompt)
    task = gui.wait_shown_final()
    assert task.state is TaskState.SUCCEEDED, task
    return task


def test_a_conflict_shows_a_three_way_merge_written_only_when_asked(gui: Gui, fake_api: FakeAnthropic,
                                                                   folder: Path, qtbot) -> None:  # noqa: ANN001
    w, dialogs = gui.window, gui.binding.dialogs
    gui.add_workspace("demo", folder)
    run_task(gui, fake_api, "edit and conflict", AGENT)
    qtbot.waitUntil(lambda: w.review.changes is not None, timeout=10_000)
    w.task_header.switch.changes_button.click()
    (folder / "src.py").write_text(SOURCE.replace("line 25\n", "my own line 25\n"))  # the person edits line 25
    before = tree(folder)

    w.review.apply_button.click()
    qtbot.waitUntil(w.review.conflict.isVisible, timeout=10_000)
    assert w.review.conflict.merge_button.isVisible() and tree(folder) == before

    # The merge to inspect: the conflict between git's markers, made visible; Cancel writes nothing.
    w.review.conflict.merge_button.click()
    qtbot.waitUntil(lambda: dialogs.merge is not None and bool(dialogs.merge.listed), timeout=30_000)
    merge = dialogs.merge
    assert merge.listed == [("src.py", "1 conflict")], "other.txt still applies: it is not merged"
    shown = merge.text.toPlainText()
    assert CONFLICT in shown and "line three\n" in shown and "\x1b" not in shown
    assert len(merge.text.conflict_lines) == 3
    assert merge.write_button.isEnabled() and merge.cancel_button.isDefault()
    assert "conflict markers" in merge.status.text()
    merge.cancel_button.click()
    qtbot.waitUntil(lambda: dialogs.merge is None)
    assert tree(folder) == before, "Cancel leaves the folder byte-identical"
    assert gui.core.tasks.get(w.shown_task.id).patch_state is PatchState.PENDING

    # Written when asked: the markers in the file, the rest applied; the task is Applied.
    w.review.conflict.merge_button.click()
    qtbot.waitUntil(lambda: dialogs.merge is not None and bool(dialogs.merge.listed), timeout=30_000)
    dialogs.merge.write_button.click()
    qtbot.waitUntil(lambda: w.shown_task.patch_state is PatchState.APPLIED, timeout=30_000)
    qtbot.waitUntil(lambda: dialogs.merge is None)
    after = tree(folder)
    assert CONFLICT.replace("⟨ESC⟩", "\x1b").encode() in after["src.py"] and b"line three\n" in after["src.py"]
    assert after["other.txt"] == b"a\nb\nc\nq\n", "what fits is applied"
    assert {k: v for k, v in after.items() if k not in ("src.py", "other.txt")} == \
        {k: v for k, v in before.items() if k not in ("src.py", "other.txt")}
    assert "conflict markers" in w.banner.text and "src.py" in w.banner.text
    qtbot.waitUntil(w.review.undo_button.isVisible, timeout=10_000)
    assert not w.review.conflict.isVisible() and not w.review.commit_button.isVisible()
    assert not gui.failures, gui.failures


def test_two_tasks_end_states_are_compared_in_a_window_to_read(gui: Gui, fake_api: FakeAnthropic, folder: Path,
                                                               qtbot) -> None:  # noqa: ANN001
    w, dialogs = gui.window, gui.binding.dialogs
    gui.add_workspace("demo", folder)
    first = run_task(gui, fake_api, "compare one", "echo one > c.txt && echo same > s.txt")
    second = run_task(gui, fake_api, "compare two", "echo two > c.txt && echo same > s.txt")

    w.tasks.select(first.id)
    qtbot.waitUntil(lambda: w.shown_task.id == first.id)
    assert w.actions.compare.isEnabled()
    menu = w.tasks.menu_for(w.shown_task)
    compare = next(a for a in menu.actions() if a.text() == "Compare with…")
    assert compare.isEnabled()
    compare.trigger()
    qtbot.waitUntil(lambda: dialogs.compare_picker is not None and dialogs.compare_picker.isVisible())
    assert dialogs.compare_picker.listed == [second.id]
    dialogs.compare_picker.compare_button.click()

    qtbot.waitUntil(lambda: (first.id, second.id) in dialogs.comparisons, timeout=30_000)
    window = dialogs.comparisons[(first.id, second.id)]
    qtbot.waitExposed(window)
    assert window.windowTitle() == "“compare one” → “compare two”"
    files = window.view.change.files
    assert [f.path for f in files] == ["c.txt"], "only the file that differs"
    lines = [(line.kind, line.text) for hunk in files[0].hunks for line in hunk.lines]
    assert lines == [(LineKind.REMOVED, "one"), (LineKind.ADDED, "two")]
    assert not window.view.all_box.isVisible() and not window.view.chosen.isVisible()
    assert any(label.text() == READ_ONLY for label in window.findChildren(type(window.view.summary)))
    assert tree(folder)["src.py"] == SOURCE.encode() and "c.txt" not in tree(folder), "nothing applied"
    window.close()
    assert not gui.failures, gui.failures


def test_a_new_task_starts_from_the_end_of_another(gui: Gui, fake_api: FakeAnthropic, folder: Path,
                                                   qtbot) -> None:  # noqa: ANN001
    w = gui.window
    gui.add_workspace("demo", folder)
    first = run_task(gui, fake_api, "checkpoint one", "echo end-of-task-one > c.txt")

    # From the task's menu, then left again: Run would start from the folder.
    menu = w.tasks.menu_for(w.shown_task)
    next(a for a in menu.actions() if a.text() == "New task from here…").trigger()
    strip = w.prompt.start_strip
    assert strip.isVisible() and strip.text.full_text() == "Starting from the end of task “checkpoint one”"
    strip.cancel_button.click()
    assert not strip.isVisible() and w.prompt.start_from is None

    # From the Task menu's action: Run starts the new task from that end state.
    w.actions.start_from.trigger()
    assert strip.isVisible() and w.prompt.start_from.task_id == first.id
    fake_api.script(Reply(text="Looking.", tool_calls=(ToolCall("Bash", {"command": "cat c.txt"}),)),
                    Reply(text="Done."), match="from the checkpoint")
    w.prompt.edit.setFocus()
    qtbot.keyClicks(w.prompt.edit, "from the checkpoint")
    qtbot.keyClick(w.prompt.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.shown_task.id != first.id, timeout=10_000)
    assert not strip.isVisible(), "the mode ends with the run"
    task = gui.wait_shown_final()
    assert task.state is TaskState.SUCCEEDED and task.prompt == "from the checkpoint"
    assert task.parent_id == first.id and task.new_session
    outputs = str(fake_api.agent_requests("from the checkpoint")[-1]["messages"])
    assert "end-of-task-one" in outputs, "the agent saw the first task's end state"
    assert w.tasks.model.row_of(task.id) == 0 and w.tasks.current_task().id == task.id
    assert "from a task's end" in w.tasks.model.data(w.tasks.model.index(0), Qt.ItemDataRole.AccessibleTextRole)
    assert "c.txt" not in tree(folder), "nothing reached the folder"
    assert not gui.failures, gui.failures
