"""The main window shows what it is given and says what the person asked for."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.domain import TaskState
from desktop.domain.review import ChangeSet
from desktop.domain.task import PatchState
from desktop.hostgit.patch.review import file_diffs
from desktop.ui.bridge.viewdata import EngineStatus, WorkspaceItem
from desktop.ui.dialogs import cancel_prompt
from desktop.ui.dialogs.close_prompt import CloseChoice
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.view_switch import Page
from tests.ui import factories as f


@pytest.fixture
def window(qtbot) -> MainWindow:  # noqa: ANN001
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def loaded(window: MainWindow, qtbot) -> list:  # noqa: ANN001
    items = [WorkspaceItem(f.workspace()), WorkspaceItem(f.workspace("ws2", "web", git=True))]
    with qtbot.waitSignal(window.sidebar.workspace_selected):
        window.show_workspaces(items)
    tasks = [f.task("t1", minutes_ago=5), f.task("t2", "Running one", TaskState.RUNNING, minutes_ago=1)]
    window.show_tasks("ws1", tasks)
    return tasks


def test_with_nothing_it_explains_what_to_do_first(window: MainWindow) -> None:
    window.show_workspaces([])
    assert window.sidebar.stack.currentWidget() is window.sidebar.empty
    assert "No workspaces yet" in window.sidebar.empty.title
    assert window.tasks.stack.currentWidget() is window.tasks.empty
    assert not window.prompt.run_button.isEnabled()
    assert not window.actions.run.isEnabled()  # Task › Run, as the button: nothing to run in
    assert "Add a workspace first" in window.prompt.edit.placeholderText()


def test_ctrl_enter_runs_the_prompt_in_the_selected_workspace(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    loaded(window, qtbot)
    window.prompt.edit.setFocus()
    qtbot.keyClicks(window.prompt.edit, "Add a changelog")
    with qtbot.waitSignal(window.run_requested) as run:
        qtbot.keyClick(window.prompt.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert run.args[0].workspace_id == "ws1" and run.args[0].prompt == "Add a changelog"
    assert window.prompt.edit.toPlainText() == ""


def test_plain_enter_is_a_new_line(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    loaded(window, qtbot)
    qtbot.keyClicks(window.prompt.edit, "one")
    qtbot.keyClick(window.prompt.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(window.prompt.edit, "two")
    assert window.prompt.edit.toPlainText() == "one\ntwo"


def test_buttons_follow_the_selected_task(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    tasks = loaded(window, qtbot)
    qtbot.keyClicks(window.prompt.edit, "more")
    window.show_task(tasks[1])  # running
    assert window.prompt.cancel_button.isEnabled() and not window.prompt.follow_button.isEnabled()
    window.show_task(tasks[0])  # finished
    assert not window.prompt.cancel_button.isEnabled() and window.prompt.follow_button.isEnabled()
    with qtbot.waitSignal(window.follow_up_requested) as follow:
        window.prompt.follow_button.click()
    assert follow.args[0].task_id == "t1"


def test_cancel_asks_first(window: MainWindow, qtbot, monkeypatch) -> None:  # noqa: ANN001
    tasks = loaded(window, qtbot)
    window.show_task(tasks[1])
    monkeypatch.setattr(cancel_prompt, "ask_cancel", lambda *a, **k: False)
    with qtbot.assertNotEmitted(window.cancel_requested):
        window.actions.cancel.trigger()
    monkeypatch.setattr(cancel_prompt, "ask_cancel", lambda *a, **k: True)
    with qtbot.waitSignal(window.cancel_requested) as cancel:
        window.actions.cancel.trigger()
    assert cancel.args[0].task_id == "t2"


def test_events_go_only_to_the_task_shown(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    tasks = loaded(window, qtbot)
    window.show_task(tasks[0])
    window.show_events("t1", f.finished_conversation(), replace=True)
    window.show_events("other", f.finished_conversation("other"), replace=True)
    window.transcript.flush_now()
    assert len(window.transcript.rows) == 12


PATCH = (b"diff --git a/a.py b/a.py\nindex 1111111..2222222 100644\n--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n"
         b"diff --git a/b.py b/b.py\nnew file mode 100644\nindex 0000000..3333333\n--- /dev/null\n+++ b/b.py\n@@ -0,0 +1 @@\n+b\n")


def change_set(task_id: str = "t1") -> ChangeSet:
    return ChangeSet(task_id, tuple(file_diffs(PATCH)))


def test_a_finished_task_offers_its_change_for_review(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    tasks = loaded(window, qtbot)
    window.show_task(tasks[0])
    switch = window.task_header.switch
    assert not switch.changes_button.isVisible()
    window.show_changes("t1", change_set(), PatchState.PENDING)
    assert switch.changes_button.isVisible() and switch.changes_button.text().startswith("Changes (2)")
    assert window.page is Page.TRANSCRIPT  # the transcript stays until the person picks the changes
    assert window.actions.apply.isEnabled() and not window.actions.undo.isEnabled()
    switch.changes_button.click()
    assert window.page is Page.CHANGES and window.review.isVisible()
    assert window.review.diff.summary.text().startswith("2 files")
    with qtbot.waitSignal(window.review.apply_requested) as apply:
        window.actions.apply.trigger()
    assert apply.args[0].task_id == "t1" and apply.args[0].selection is None
    window.show_changes("t1", change_set(), PatchState.APPLIED)
    assert not window.review.apply_button.isVisible() and window.review.state.text() == "Applied"
    assert window.actions.undo.isEnabled() and not window.actions.apply.isEnabled()


def test_the_chosen_page_stays_from_task_to_task(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    loaded(window, qtbot)
    first, second = f.task("t1", minutes_ago=5), f.task("t3", "Another", minutes_ago=3)
    window.show_task(first)
    window.show_changes("t1", change_set(), PatchState.PENDING)
    window.task_header.switch.changes_button.click()
    window.show_task(second)
    assert window.page is Page.TRANSCRIPT  # nothing to show on the other page yet
    window.show_changes("t3", change_set("t3"), PatchState.PENDING)
    assert window.page is Page.CHANGES
    window.show_task(f.task("t4", "No change", minutes_ago=2))
    window.show_changes("t4", ChangeSet("t4", ()), PatchState.NONE)
    assert window.page is Page.TRANSCRIPT and not window.task_header.switch.changes_button.isVisible()


def test_the_review_fits_a_small_window(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    tasks = loaded(window, qtbot)
    window.resize(1024, 640)
    window.show_task(tasks[0])
    window.show_changes("t1", change_set(), PatchState.PENDING)
    window.actions.focus_changes.trigger()
    r = window.review

    def fits() -> None:  # retried by waitUntil until the layout has settled
        for button in (r.apply_button, r.discard_button):
            assert button.isVisible() and button.width() >= button.minimumSizeHint().width()
            corner = button.mapTo(window, button.rect().bottomRight())
            assert window.rect().contains(corner), button.text()
        assert r.diff.height() >= 150

    qtbot.waitUntil(fits)


def test_engine_down_blocks_run_and_offers_retry(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    loaded(window, qtbot)
    window.show_engine_status(EngineStatus(False, "Docker is not running", "Start Docker Desktop"))
    assert window.engine.retry.isVisible() and "Start Docker Desktop" in window.engine.hint.text()
    qtbot.keyClicks(window.prompt.edit, "x")
    assert not window.prompt.run_button.isEnabled() and not window.actions.run.isEnabled()
    with qtbot.waitSignal(window.engine.retry_requested):
        window.engine.retry.click()
    window.show_engine_status(EngineStatus(True, "Docker 27"))
    assert window.prompt.run_button.isEnabled() and not window.engine.retry.isVisible()
    assert window.actions.run.isEnabled()


def test_every_main_action_has_a_shortcut(window: MainWindow) -> None:
    a = window.actions
    expected = {a.add_folder: "Ctrl+O", a.add_git: "Ctrl+Shift+O", a.settings: "Ctrl+,", a.quit: "Ctrl+Q",
                a.run: "Ctrl+Return", a.cancel: "Esc", a.history: "Ctrl+H", a.follow_up: "Ctrl+Shift+Return",
                a.apply: "Ctrl+Shift+A", a.undo: "Ctrl+Alt+Z", a.focus_changes: "Ctrl+4"}
    for action, key in expected.items():
        assert key in [s.toString() for s in action.shortcuts()], action.text()


def test_tab_goes_from_the_lists_to_the_prompt_and_buttons(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    loaded(window, qtbot)
    window.sidebar.list.setFocus()
    seen = []
    for _ in range(5):
        seen.append(window.focusWidget())
        window.focusNextChild()
    assert seen[:3] == [window.sidebar.list, window.tasks.list, window.transcript]
    assert window.prompt.edit in seen


def test_closing_with_running_tasks_asks(window: MainWindow, qtbot, monkeypatch) -> None:  # noqa: ANN001
    window.set_running_count(2)
    window.tray_available = True
    monkeypatch.setattr("desktop.ui.window.main_window.ask_close", lambda *a: CloseChoice.KEEP_IN_TRAY)
    with qtbot.waitSignal(window.hidden_to_tray):
        window.close()
    assert not window.isVisible()
    window.show()
    monkeypatch.setattr("desktop.ui.window.main_window.ask_close", lambda *a: CloseChoice.STOP_AND_QUIT)
    with qtbot.waitSignal(window.quit_requested) as quit_:
        window.close()
    assert quit_.args[0].stop_tasks


def test_the_close_question_offers_the_tray_only_when_there_is_one(qtbot) -> None:  # noqa: ANN001
    from desktop.ui.dialogs.close_prompt import build_box

    box, choices = build_box(None, 2, tray=True)
    assert CloseChoice.KEEP_IN_TRAY in choices.values() and "2 tasks are still running" in box.text()
    box, choices = build_box(None, 1, tray=False)
    assert CloseChoice.KEEP_IN_TRAY not in choices.values()
