"""The prompt panel while the shown task runs: Send and Stop turn; back to Run and
Follow up once it ends; the next task's permission mode."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.domain import PermissionMode, TaskState
from desktop.ui.bridge.viewdata import EngineStatus, WorkspaceItem
from desktop.ui.dialogs import cancel_prompt
from desktop.ui.window.main_window import MainWindow
from tests.ui import factories as f


@pytest.fixture
def window(qtbot) -> MainWindow:  # noqa: ANN001
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.sidebar.workspace_selected):
        w.show_workspaces([WorkspaceItem(f.workspace())])
    return w


def test_a_running_task_is_talked_to_send_and_stop_turn(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    p = window.prompt
    running = f.task("t2", "Long job", TaskState.RUNNING, minutes_ago=1)
    window.show_tasks("ws1", [running])
    window.show_task(running)
    assert p.run_button.text() == "Send" and p.stop_turn_button.isVisible() and p.stop_turn_button.isEnabled()
    assert "waits for your message" in p.stop_turn_button.toolTip() and "container" in p.stop_turn_button.toolTip()
    assert "Cancel ends the task" in p.stop_turn_button.toolTip()
    assert p.edit.isEnabled() and "running agent" in p.edit.placeholderText()
    assert p.cancel_button.isEnabled() and not p.follow_button.isEnabled() and not p.mode.isVisible()
    assert window.actions.stop_turn.isEnabled()
    assert not p.run_button.isEnabled()  # nothing typed yet

    with qtbot.waitSignal(window.stop_turn_requested) as stop:
        p.stop_turn_button.click()
    assert stop.args[0].task_id == "t2"
    with qtbot.assertNotEmitted(window.cancel_requested):  # Stop turn is not Cancel
        window.actions.stop_turn.trigger()

    qtbot.keyClicks(p.edit, "Only summarise, please")
    with qtbot.waitSignal(window.message_requested) as sent, qtbot.assertNotEmitted(window.run_requested):
        qtbot.keyClick(p.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent.args[0].task_id == "t2" and sent.args[0].text == "Only summarise, please"
    assert p.edit.toPlainText() == ""
    p.put_back("Only summarise, please")  # a message that could not be sent is not lost
    assert p.text() == "Only summarise, please"

    # The task ends: back to a new task or a follow-up.
    window.show_task_update(f.task("t2", "Long job", TaskState.SUCCEEDED))
    assert p.run_button.text() == "Run" and not p.stop_turn_button.isVisible() and p.mode.isVisible()
    assert p.follow_button.isEnabled() and not p.cancel_button.isEnabled()
    assert not window.actions.stop_turn.isEnabled()
    with qtbot.waitSignal(window.run_requested) as run:
        p.run_button.click()
    assert run.args[0].workspace_id == "ws1" and run.args[0].prompt == "Only summarise, please"


def test_a_queued_task_or_a_lost_engine_does_not_talk(window: MainWindow) -> None:
    p = window.prompt
    queued = f.task("t3", "Later", TaskState.QUEUED)
    window.show_tasks("ws1", [queued])
    window.show_task(queued)
    assert p.run_button.text() == "Run" and not p.stop_turn_button.isVisible()
    running = f.task("t2", "Long job", TaskState.RUNNING)
    window.show_task(running)
    window.show_engine_status(EngineStatus(False, "Docker is not running"))
    assert p.run_button.text() == "Run" and not p.run_button.isEnabled() and not p.stop_turn_button.isVisible()
    assert p.cancel_button.isEnabled()


def test_cancel_still_asks_and_says_it_ends_the_task(window: MainWindow, qtbot, monkeypatch) -> None:  # noqa: ANN001
    running = f.task("t2", "Long job", TaskState.RUNNING)
    window.show_tasks("ws1", [running])
    window.show_task(running)
    asked: list[str] = []

    def ask(parent, running: bool) -> bool:  # noqa: ANN001
        box, cancel_button = cancel_prompt.build_box(parent, running)
        asked.append(box.text() + " " + box.informativeText())
        assert {b.text() for b in box.buttons()} == {"Cancel task", "Keep running"} and cancel_button.text() == "Cancel task"
        assert box.defaultButton() is not cancel_button and box.escapeButton() is not cancel_button
        return True

    monkeypatch.setattr(cancel_prompt, "ask_cancel", ask)
    with qtbot.waitSignal(window.cancel_requested) as cancel:
        window.prompt.cancel_button.click()
    assert cancel.args[0].task_id == "t2" and asked[0].startswith("Cancel this task?")
    assert "task ends" in asked[0] and "Stop turn" in asked[0]


def test_the_next_task_can_have_a_mode_of_its_own(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    p = window.prompt
    assert p.mode.currentText() == "Workspace's mode" and p.mode.mode() is None
    assert [p.mode.itemText(i) for i in range(p.mode.count())] == [
        "Workspace's mode", "Ask before changes", "Accept file edits", "Plan first", "Never ask"]
    qtbot.keyClicks(p.edit, "Plan the refactoring")
    p.mode.setCurrentIndex(p.mode.findText("Plan first"))
    with qtbot.waitSignal(window.run_requested) as run:
        p.run_button.click()
    assert run.args[0].permission_mode is PermissionMode.PLAN
    assert p.mode.mode() is None  # one task's choice, not the next one's

    qtbot.keyClicks(p.edit, "And now do it")
    with qtbot.waitSignal(window.run_requested) as run:
        p.run_button.click()
    assert run.args[0].permission_mode is None  # the workspace's

    done = f.task("t1", "Plan the refactoring", TaskState.SUCCEEDED)
    window.show_tasks("ws1", [done])
    window.show_task(done)
    qtbot.keyClicks(p.edit, "Go ahead")
    p.mode.set_mode(PermissionMode.ACCEPT_EDITS)
    with qtbot.waitSignal(window.follow_up_requested) as follow:
        p.follow_button.click()
    assert follow.args[0].task_id == "t1" and follow.args[0].permission_mode is PermissionMode.ACCEPT_EDITS
