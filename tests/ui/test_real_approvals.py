"""The approval cards with the real Core: a workspace in the asking mode, the
real claude calling Write through the fake API, the card under the transcript,
and the answer going back to the agent (from the card, or from elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.domain import TaskState, Workspace
from desktop.domain.task import PatchState
from desktop.services.workspaces import WorkspaceSpec
from desktop.ui.approvals.permission_card import PermissionCard
from desktop.ui.transcript.rows import RequestRow
from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.ui.real import TASK_TIMEOUT_MS, Gui

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def asking_workspace(gui: Gui, name: str, folder: Path) -> Workspace:
    """A workspace whose agent asks before it uses a tool (the default mode), selected."""
    ws = gui.core.workspaces.add(WorkspaceSpec(name=name, path=str(folder), network="host"))
    assert ws.permission_mode.value == "default"
    gui.controller.refresh_workspaces()
    gui.qtbot.waitUntil(lambda: gui.window.sidebar.model.row_of(ws.id) >= 0)
    gui.window.sidebar.select(ws.id)
    gui.qtbot.waitUntil(lambda: gui.window.sidebar.current_id() == ws.id)
    return ws


def write_then_end(fake_api: FakeAnthropic, match: str, name: str) -> None:
    fake_api.script(
        Reply(text="Writing it.", tool_calls=(ToolCall("Write", {"file_path": f"/workspace/{name}", "content": "hello\n"}),)),
        Reply(text="Finished."),
        match=match,
    )


def waiting_card(gui: Gui) -> PermissionCard:
    dock = gui.window.pages.approvals
    gui.qtbot.waitUntil(lambda: len(dock.cards) == 1, timeout=TASK_TIMEOUT_MS)
    (card,) = dock.cards.values()
    assert isinstance(card, PermissionCard)
    return card


def request_rows(gui: Gui) -> list[str]:
    return [row.plain_text() for row in gui.window.transcript.rows if isinstance(row, RequestRow)]


def test_allow_once_in_the_card_continues_the_task(gui: Gui, fake_api: FakeAnthropic, project: Path, qtbot) -> None:  # noqa: ANN001
    w = gui.window
    asking_workspace(gui, "asking", project)
    write_then_end(fake_api, "make the first file", "hello.txt")
    task = gui.run_prompt("make the first file")

    card = waiting_card(gui)
    assert card.title.text() == "Write a file?" and card.target.text() == "hello.txt"
    assert card.box is not None and card.box.toPlainText() == "+ hello"
    assert w.pages.approvals.isVisible()
    qtbot.waitUntil(lambda: request_rows(gui) == ["Waiting for your answer: Write hello.txt"])
    qtbot.waitUntil(lambda: w.shown_task.needs_input)
    assert gui.core.tasks.get(task.id).state is TaskState.RUNNING  # it waits, nothing was written

    qtbot.mouseClick(card.allow_button, Qt.MouseButton.LeftButton)
    done = gui.wait_shown_final()
    assert done.state is TaskState.SUCCEEDED, done.error
    qtbot.waitUntil(lambda: not w.pages.approvals.cards and not w.pages.approvals.isVisible())
    qtbot.waitUntil(lambda: request_rows(gui) == ["Allowed Write hello.txt"])
    qtbot.waitUntil(lambda: w.review.changes is not None, timeout=30_000)
    (added,) = w.review.changes.files
    assert added.path == "hello.txt" and added.status == "added"
    assert [line.text for hunk in added.hunks for line in hunk.lines] == ["hello"]
    assert not (project / "hello.txt").exists(), "nothing reaches the folder before Apply"
    assert not gui.failures


def test_an_answer_from_elsewhere_takes_the_card_away_and_a_late_click_is_no_error(
        gui: Gui, fake_api: FakeAnthropic, project: Path, qtbot) -> None:  # noqa: ANN001
    w = gui.window
    asking_workspace(gui, "elsewhere", project)
    write_then_end(fake_api, "make the second file", "nope.txt")
    task = gui.run_prompt("make the second file")
    card = waiting_card(gui)

    # Another window (or the CLI) denies it first; this card is clicked before it hears of that.
    gui.core.tasks.deny(task.id, card.request.request_id, message="Not that file, please")
    qtbot.mouseClick(card.allow_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not w.pages.approvals.cards, timeout=30_000)
    qtbot.waitUntil(lambda: request_rows(gui) == ["Denied Write nope.txt — “Not that file, please”"], timeout=30_000)
    done = gui.wait_shown_final()
    assert done.state is TaskState.SUCCEEDED and done.patch_state is PatchState.NONE, done.error
    assert not gui.failures, "an answer that came second is not a failure"
    assert not w.banner.isVisible() or "failed" not in w.banner.text
