"""Following up, cancelling, and the news when a task ends, with the real Core."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain import TaskState
from desktop.ui.dialogs import cancel_prompt
from desktop.ui.notify.tray import BANNER
from desktop.ui.transcript.rows import StateRow, TextRow
from tests.fakeapi import FakeAnthropic, Reply
from tests.ui.real import Gui

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def test_follow_up_continues_the_session(gui: Gui, fake_api: FakeAnthropic, project: Path, qtbot) -> None:  # noqa: ANN001
    w = gui.window
    gui.add_workspace("memory", project)
    fake_api.script(Reply(text="Noted the number 42."), Reply(text="The number was 42."), match="remember 42")
    first = gui.run_prompt("remember 42")
    first = gui.wait_shown_final()
    assert first.state is TaskState.SUCCEEDED and first.session_id
    assert not w.prompt.cancel_button.isEnabled()

    qtbot.keyClicks(w.prompt.edit, "what was the number?")
    assert w.prompt.follow_button.isEnabled()
    w.prompt.follow_button.click()
    qtbot.waitUntil(lambda: w.shown_task is not None and w.shown_task.parent_id == first.id, timeout=10_000)
    follow = gui.wait_shown_final()
    assert follow.state is TaskState.SUCCEEDED, follow.error
    assert follow.session_id == first.session_id and follow.result == "The number was 42."
    qtbot.waitUntil(lambda: any(isinstance(r, TextRow) and r.text == "The number was 42." for r in w.transcript.rows))
    assert w.tasks.model.rowCount() == 2
    # The agent got the first turn's history back (--resume).
    assert "Noted the number 42." in str(fake_api.agent_requests("remember 42")[-1]["messages"])


def test_cancel_a_slow_task_and_hear_when_another_ends(gui: Gui, fake_api: FakeAnthropic, project: Path, qtbot,
                                                      monkeypatch) -> None:  # noqa: ANN001
    w = gui.window
    ws = gui.add_workspace("slow", project)
    monkeypatch.setattr(cancel_prompt, "ask_cancel", lambda *a, **k: True)

    # A slow answer: cancel it while it streams.
    fake_api.script(Reply(text="word " * 400, chunks=400, delay=0.05), match="take your time")
    slow = gui.run_prompt("take your time")
    qtbot.waitUntil(lambda: bool(fake_api.agent_requests("take your time")), timeout=30_000)
    qtbot.waitUntil(lambda: w.shown_task.state is TaskState.RUNNING, timeout=10_000)
    assert w.prompt.cancel_button.isEnabled()
    w.prompt.cancel_button.click()
    cancelled = gui.wait_shown_final(timeout=30_000)
    assert cancelled.state is TaskState.CANCELLED and cancelled.id == slow.id
    assert not w.prompt.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: any(isinstance(r, StateRow) and r.state == "cancelled" for r in w.transcript.rows))
    assert not gui.notices, "the person watched it end: no notice"

    # A task that ends while another one is shown is news; the window is in
    # front, so it is told in the window's banner.
    fake_api.script(Reply(text="Done quickly."), match="quick one")
    quick = gui.run_prompt("quick one")
    w.tasks.select(slow.id)  # look at the cancelled one meanwhile
    qtbot.waitUntil(lambda: w.shown_task.id == slow.id)
    gui.wait_state(quick.id, TaskState.SUCCEEDED)
    qtbot.waitUntil(lambda: bool(gui.notices), timeout=10_000)
    notice = gui.notices[0]
    assert notice.route == BANNER and notice.notice.task_id == quick.id
    assert notice.notice.title == f"Task succeeded in {ws.name}" and "quick one" in notice.notice.text
    assert w.banner.isVisible() and f"Task succeeded in {ws.name}" in w.banner.text

    # "Show" on the banner opens the task it is about.
    w.banner.action_triggered.emit()
    qtbot.waitUntil(lambda: w.shown_task.id == quick.id)
    assert len(gui.notices) == 1, "each end is news once"
