"""Reviewing a real task's change in the real window (real engine, real claude, the
fake API): part of it applied and the rest kept, a flagged file confirmed first,
Undo, a conflict that changes nothing, and Discard that keeps the change."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.domain import TaskState
from desktop.domain.review import Selection
from desktop.domain.task import PatchState
from desktop.ui.bridge.payloads import WorkspaceRef
from desktop.ui.review.rows import RowKind
from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.ui.real import Gui, make_project, tree

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

LINES = [f"line {i}\n" for i in range(1, 31)]
SOURCE = "".join(LINES).encode()
WORKFLOW = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
CI = ".github/workflows/ci.yml"


def edited(**changes: str) -> bytes:
    """SOURCE with line N replaced: edited(l3="line three\\n")."""
    lines = list(LINES)
    for key, text in changes.items():
        lines[int(key[1:]) - 1] = text
    return "".join(lines).encode()


AGENT_SRC = edited(l3="line three\n", l25="line twenty-five\n")  # two hunks: lines 3 and 25


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    (project / "src.py").write_bytes(SOURCE)
    return project


def review_ready(gui: Gui, api: FakeAnthropic, folder: Path, prompt: str) -> None:
    """Run a task that edits two places of src.py and adds a CI workflow; show its changes."""
    api.script(Reply(text="Editing src.py and adding CI.", tool_calls=(
        ToolCall("Bash", {"command": "sed -i -e 's/^line 3$/line three/' -e 's/^line 25$/line twenty-five/' src.py"}),
        ToolCall("Write", {"file_path": f"/workspace/{CI}", "content": WORKFLOW}),
    )), Reply(text="Done."), match=prompt)
    w = gui.window
    gui.add_workspace("demo", folder)
    gui.run_prompt(prompt)
    assert gui.wait_shown_final().state is TaskState.SUCCEEDED
    gui.qtbot.waitUntil(lambda: w.review.changes is not None, timeout=10_000)
    w.task_header.switch.changes_button.click()
    assert w.review.isVisible()
    assert {f.path for f in w.review.changes.files} == {"src.py", CI}
    src = next(f for f in w.review.changes.files if f.path == "src.py")
    assert len(src.hunks) == 2


def tick_only(gui: Gui, path: str, hunk: int | None = None) -> None:
    """As a person would: untick all files, then tick one file (or one hunk) with Space."""
    view = gui.window.review.diff
    view.all_box.click()
    assert view.selection() is not None and view.selection().empty
    canvas = view.canvas
    files = [f.path for f in gui.window.review.changes.files]
    kind = RowKind.FILE if hunk is None else RowKind.HUNK
    row = next(i for i, r in enumerate(canvas.rows) if r.kind is kind and files[r.file] == path
               and (hunk is None or r.hunk == hunk - 1))
    canvas.setFocus()
    canvas.set_cursor(row)
    gui.qtbot.keyClick(canvas, Qt.Key.Key_Space)


def test_one_hunk_is_applied_the_rest_kept_then_undone(gui: Gui, fake_api: FakeAnthropic, folder: Path,
                                                       qtbot, monkeypatch) -> None:  # noqa: ANN001
    w = gui.window
    review_ready(gui, fake_api, folder, "edit two places")
    before = tree(folder)

    # More lines between the hunks come from the folder, through the controller.
    canvas = w.review.diff.canvas
    gap = next(i for i, r in enumerate(canvas.rows) if r.kind is RowKind.GAP and r.gap.count)
    canvas.setFocus()
    canvas.set_cursor(gap)
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(r.cell is not None and r.cell.text == "line 12" for r in canvas.rows), timeout=10_000)

    tick_only(gui, "src.py", hunk=1)
    assert w.review.apply_button.text() == "Apply selected" and w.review.apply_button.isEnabled()
    chosen = w.review.diff.selection()
    assert chosen == Selection(hunks=frozenset({("src.py", 1)}))

    # The same change in a window of its own, with the same ticks; ticking there ticks here.
    w.review.window_button.click()
    window = gui.binding.dialogs.diff_windows[w.shown_task.id]
    qtbot.waitExposed(window)
    assert window.view.selection() == chosen
    window.view.set_selection(Selection(hunks=frozenset({("src.py", 1), ("src.py", 2)})))
    assert w.review.diff.selection() == window.view.selection()
    w.review.diff.set_selection(chosen)
    assert window.view.selection() == chosen
    window.close()
    w.review.apply_button.click()
    qtbot.waitUntil(lambda: w.shown_task.patch_state is PatchState.APPLIED, timeout=10_000)
    assert gui.binding.dialogs.flags is None, "no flagged file was ticked"
    after = tree(folder)
    assert after["src.py"] == edited(l3="line three\n"), "exactly the ticked hunk"
    assert {k: v for k, v in after.items() if k != "src.py"} == {k: v for k, v in before.items() if k != "src.py"}

    # The rest is saved, and the notice says where.
    qtbot.waitUntil(w.saved.isVisible)
    kept = Path(w.saved.path.text())
    assert kept.is_file() and "left out" in w.saved.message.text()
    rest = kept.read_bytes()
    assert b"line twenty-five" in rest and CI.encode() in rest and b"line three" not in rest

    # Undo puts the folder back exactly; the change is to review again.
    qtbot.waitUntil(lambda: w.review.undo_button.isVisible(), timeout=10_000)
    assert w.actions.undo.isEnabled()
    w.actions.undo.trigger()
    qtbot.waitUntil(lambda: w.shown_task.patch_state is PatchState.PENDING, timeout=10_000)
    assert tree(folder) == before
    qtbot.waitUntil(w.review.apply_button.isVisible, timeout=10_000)

    # Removing the workspace keeps the pending change, and says where.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    w.saved.hide()
    gui.binding.dialogs.remove_workspace(WorkspaceRef(w.sidebar.current_id()))
    qtbot.waitUntil(w.saved.isVisible, timeout=20_000)
    assert "was removed" in w.saved.message.text() and Path(w.saved.path.text()).is_file()
    assert tree(folder) == before and not gui.failures, gui.failures


def test_a_flagged_file_is_confirmed_before_it_is_applied_then_committed(gui: Gui, fake_api: FakeAnthropic,
                                                                         folder: Path, qtbot, monkeypatch) -> None:  # noqa: ANN001
    for name, value in (("GIT_AUTHOR_NAME", "Ada"), ("GIT_AUTHOR_EMAIL", "ada@example.com"),
                        ("GIT_COMMITTER_NAME", "Ada"), ("GIT_COMMITTER_EMAIL", "ada@example.com")):
        monkeypatch.setenv(name, value)
    w, dialogs = gui.window, gui.binding.dialogs
    review_ready(gui, fake_api, folder, "add ci")
    before = tree(folder)
    tick_only(gui, CI)
    w.review.apply_button.click()
    qtbot.waitUntil(lambda: dialogs.flags is not None and dialogs.flags.isVisible())
    listed = dialogs.flags.listed
    assert CI in listed and any("CI configuration" in text for text in listed) and "src.py" not in listed

    dialogs.flags.cancel_button.click()
    qtbot.waitUntil(lambda: dialogs.flags is None)
    qtbot.waitUntil(w.review.apply_button.isEnabled)
    assert tree(folder) == before and w.shown_task.patch_state is PatchState.PENDING
    assert gui.core.tasks.get(w.shown_task.id).patch_state is PatchState.PENDING

    w.actions.apply.trigger()  # the keyboard's Apply asks the same
    qtbot.waitUntil(lambda: dialogs.flags is not None and dialogs.flags.isVisible())
    dialogs.flags.apply_button.click()
    qtbot.waitUntil(lambda: w.shown_task.patch_state is PatchState.APPLIED, timeout=10_000)
    after = tree(folder)
    assert after[CI] == WORKFLOW.encode() and after["src.py"] == SOURCE

    # The folder is a git repository: Commit… commits exactly the applied file.
    qtbot.waitUntil(w.review.commit_button.isVisible, timeout=10_000)
    w.review.commit_button.click()
    qtbot.waitUntil(lambda: dialogs.commit is not None and dialogs.commit.message.isEnabled(), timeout=10_000)
    assert dialogs.commit.message.toPlainText().startswith("add ci\n")
    dialogs.commit.message.setPlainText("Add the CI workflow\n")
    dialogs.commit.commit_button.click()
    qtbot.waitUntil(lambda: dialogs.commit.committed, timeout=10_000)
    head = subprocess.run(["git", "-C", str(folder), "log", "-1", "--format=%H%n%s", "--name-only"],
                          check=True, capture_output=True, text=True).stdout.split("\n")
    assert head[0] == dialogs.commit.commit_id.text() and head[1] == "Add the CI workflow"
    assert [line for line in head[2:] if line] == [CI], "only what Apply wrote"
    dialogs.commit.reject()
    qtbot.waitUntil(lambda: not w.review.commit_button.isVisible())
    assert not gui.failures, gui.failures


def test_a_conflict_changes_nothing_then_discard_keeps_the_change(gui: Gui, fake_api: FakeAnthropic, folder: Path,
                                                                  qtbot, monkeypatch) -> None:  # noqa: ANN001
    w = gui.window
    review_ready(gui, fake_api, folder, "edit then conflict")
    (folder / "src.py").write_bytes(edited(l25="my own line 25\n"))  # meanwhile, the person edits line 25
    before = tree(folder)
    tick_only(gui, "src.py")
    chosen = w.review.diff.selection()
    w.review.apply_button.click()
    qtbot.waitUntil(w.review.conflict.isVisible, timeout=10_000)
    parts = w.review.conflict.parts.text()
    assert "src.py:2" in parts and "@@ -22," in parts and "src.py:1" not in parts
    assert "not changed" in w.review.conflict.text
    assert tree(folder) == before, "all or nothing"
    qtbot.waitUntil(w.review.apply_button.isEnabled)
    assert w.review.diff.selection() == chosen, "the ticks stay, to untick the conflicting hunk"
    assert w.shown_task.patch_state is PatchState.PENDING and not gui.failures

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    w.review.discard_button.click()
    qtbot.waitUntil(lambda: w.shown_task.patch_state is PatchState.DISCARDED, timeout=10_000)
    qtbot.waitUntil(w.saved.isVisible)
    assert tree(folder) == before
    kept = Path(w.saved.path.text())
    assert kept.is_file() and "git apply" in w.saved.message.text()

    # Nothing lost: on the files as they were, the saved patch re-applies whole.
    (folder / "src.py").write_bytes(SOURCE)
    subprocess.run(["git", "-C", str(folder), "apply", str(kept)], check=True, capture_output=True)
    assert (folder / "src.py").read_bytes() == AGENT_SRC and (folder / CI).read_bytes() == WORKFLOW.encode()
