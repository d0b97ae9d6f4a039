"""Issue 10 item 5: a container action through the real window over the real
engine says it is under way, turns off what would fight it, asks first where
something would be lost, and ends with a result."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain import TaskState
from desktop.ui.bridge.container_payloads import ContainerAction
from desktop.ui.bridge.payloads import WorkspaceRef
from desktop.ui.bridge.viewdata import ContainerState
from desktop.ui.dialogs import container_prompt
from tests.fakeapi import FakeAnthropic
from tests.fakeapi.script import Reply
from tests.ui.real import Gui

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


class Answers:
    """Stands in for the person at the question box: records what was asked, answers in turn."""

    def __init__(self) -> None:
        self.asked: list[container_prompt.ContainerQuestion] = []
        self.replies: list[bool] = []

    def __call__(self, _parent, q: container_prompt.ContainerQuestion) -> bool:  # noqa: ANN001
        self.asked.append(q)
        return self.replies.pop(0)


def _buttons(panel) -> list[bool]:  # noqa: ANN001
    return [b.isEnabled() for b in (panel.start_button, panel.stop_button, panel.recreate_button)]


def _open_details(gui: Gui, qtbot) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: gui.controller.system.engine.ok, timeout=20_000)
    gui.window.actions.details.trigger()
    qtbot.waitUntil(lambda: gui.window.workspace_panel.state.text() != ContainerState.UNKNOWN.value, timeout=20_000)


def test_start_stop_and_recreate_show_progress_ask_and_end_with_a_result(gui: Gui, project: Path, qtbot,  # noqa: ANN001
                                                                           monkeypatch) -> None:
    w, panel = gui.window, gui.window.workspace_panel
    ws = gui.add_workspace("acts", project)
    _open_details(gui, qtbot)
    answers = Answers()
    monkeypatch.setattr(container_prompt, "ask", answers)
    if panel.state.text() == ContainerState.RUNNING.value:
        panel.stop_button.click()
        qtbot.waitUntil(lambda: panel.acting is None, timeout=30_000)

    panel.start_button.click()  # nothing lost: no question
    assert panel.acting is ContainerAction.START and panel.busy.isVisible()
    assert panel.action_text.text() == "Starting the container…" and _buttons(panel) == [False, False, False]
    assert not w.workspace_header.edit_action.isEnabled() and not w.workspace_header.remove_action.isEnabled()
    gui.binding.dialogs.remove_workspace(WorkspaceRef(ws.id))  # as the sidebar's menu would: it waits
    assert w.banner.isVisible() and "Wait until the container's start ends." in w.banner.text
    qtbot.waitUntil(lambda: panel.acting is None, timeout=60_000)
    assert panel.action_text.text() == "Started." and panel.action_text.objectName() == "SuccessText"
    assert panel.state.text() == ContainerState.RUNNING.value and not panel.busy.isVisible()
    assert _buttons(panel) == [False, True, True] and w.workspace_header.edit_action.isEnabled()

    panel.stop_button.click()  # no task runs: nothing lost, no question
    assert panel.acting is ContainerAction.STOP and panel.action_text.text().startswith("Stopping the container…")
    assert _buttons(panel) == [False, False, False]
    panel.stop_button.click()  # a second press while it stops does nothing
    qtbot.waitUntil(lambda: panel.acting is None, timeout=60_000)
    assert panel.action_text.text() == "Stopped." and panel.state.text() == ContainerState.STOPPED.value
    assert _buttons(panel) == [True, False, True]

    answers.replies = [False, True]
    panel.recreate_button.click()  # asked, and kept: nothing happens
    assert len(answers.asked) == 1 and panel.acting is None and panel.action_text.text() == "Stopped."
    q = answers.asked[0]
    assert q.text == "Recreate the container of “acts”?" and ws.image in q.detail
    assert "working copy and Claude's sessions are kept" in q.detail and "running" not in q.detail
    panel.recreate_button.click()
    assert panel.acting is ContainerAction.RECREATE and panel.action_text.text() == "Recreating the container…"
    qtbot.waitUntil(lambda: panel.acting is None, timeout=60_000)
    assert panel.action_text.text().startswith("Recreated") and panel.state.text() == ContainerState.RUNNING.value
    assert len(answers.asked) == 2 and gui.failures == []
    assert gui.core.containers.status(ws.id).state.value == "running"


def test_stopping_under_a_running_task_asks_and_says_what_it_ends(gui: Gui, fake_api: FakeAnthropic, project: Path,
                                                                  qtbot, monkeypatch) -> None:  # noqa: ANN001
    panel = gui.window.workspace_panel
    gui.add_workspace("busy", project)
    _open_details(gui, qtbot)
    answers = Answers()
    monkeypatch.setattr(container_prompt, "ask", answers)
    fake_api.script(Reply(text="word " * 400, chunks=400, delay=0.05), match="take your time")
    task = gui.run_prompt("take your time")
    qtbot.waitUntil(lambda: bool(fake_api.agent_requests("take your time")), timeout=60_000)
    qtbot.waitUntil(lambda: panel.stop_button.isEnabled(), timeout=20_000)

    answers.replies = [False, True]
    panel.stop_button.click()
    assert len(answers.asked) == 1 and panel.acting is None
    q = answers.asked[0]
    assert q.text == "Stop the container of “busy”?" and "the task running in it ends as failed" in q.detail
    assert q.confirm == "Stop and end the task" and q.keep == "Keep it running"
    assert gui.core.tasks.get(task.id).state is TaskState.RUNNING, "kept: the task goes on"
    panel.stop_button.click()
    assert panel.acting is ContainerAction.STOP
    ended = gui.wait_state(task.id, TaskState.FAILED, timeout=60_000)
    qtbot.waitUntil(lambda: panel.acting is None, timeout=60_000)
    assert panel.action_text.text() == "Stopped."
    assert ended.patch_state.value in ("none", ""), "no change to review, as the question said"
