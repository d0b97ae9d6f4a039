"""The approval cards with the real Core: a workspace in the asking mode, the
real claude calling Write through the fake API, the card under the transcript,
and the answer going back to the agent (from the card, or from elsewhere)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.domain import TaskState, Workspace
from desktop.domain.task import PatchState
from desktop.services.workspaces import WorkspaceSpec
from desktop.ui.approvals.message_card import MessageCard
from desktop.ui.approvals.permission_card import PermissionCard
from desktop.ui.approvals.plan_card import PlanCard
from desktop.ui.approvals.question_card import QuestionCard
from desktop.ui.transcript.rows import RequestRow, ToolRow, UserRow
from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.ui.real import TASK_TIMEOUT_MS, Gui

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def asking_workspace(gui: Gui, name: str, folder: Path) -> Workspace:
    """A workspace whose agent asks before it uses a tool (the default mode), selected."""
    ws = gui.core.workspaces.add(WorkspaceSpec(name=name, path=str(folder)))
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


def test_questions_are_answered_and_a_plan_approved_from_their_cards(
        gui: Gui, fake_api: FakeAnthropic, project: Path, qtbot) -> None:  # noqa: ANN001
    w = gui.window
    ws = asking_workspace(gui, "talk", project)
    dock = w.pages.approvals
    question = {"questions": [{"question": "Which greeting?", "header": "Greeting", "multiSelect": False,
                               "options": [{"label": "Hello", "description": "plain"},
                                           {"label": "Ahoy", "description": "nautical"}]}]}
    fake_api.script(Reply(text="One question first.", tool_calls=(ToolCall("AskUserQuestion", question),)),
                    Reply(text="Going with your choice."), match="greet somehow")
    gui.run_prompt("greet somehow")
    qtbot.waitUntil(lambda: len(dock.cards) == 1, timeout=TASK_TIMEOUT_MS)
    (card,) = dock.cards.values()
    assert isinstance(card, QuestionCard)
    (block,) = card.blocks
    assert [b.text() for b, _ in block.options] == ["Hello — plain", "Ahoy — nautical"]
    block.options[1][0].click()
    qtbot.mouseClick(card.answer_button, Qt.MouseButton.LeftButton)
    done = gui.wait_shown_final()
    assert done.state is TaskState.SUCCEEDED, done.error
    assert "Ahoy" in json.dumps(fake_api.agent_requests("greet somehow")[-1]["messages"])
    qtbot.waitUntil(lambda: request_rows(gui) == ["Answered “Which greeting?”"])

    plan = "1. Add greet.py\n2. Call it from main"
    fake_api.script(Reply(text="Here is my plan.", tool_calls=(ToolCall("ExitPlanMode", {"plan": plan}),)),
                    Reply(text="Plan approved, done."), match="plan the greeting")
    planned = gui.core.tasks.submit(ws.id, "plan the greeting", permission_mode="plan")
    w.tasks.upsert(planned, select=True)
    qtbot.waitUntil(lambda: w.shown_task.id == planned.id and len(dock.cards) == 1, timeout=TASK_TIMEOUT_MS)
    (card,) = dock.cards.values()
    assert isinstance(card, PlanCard) and "Add greet.py" in card.plan.toPlainText()
    card.approve_button.setFocus()
    qtbot.keyClick(card.approve_button, Qt.Key.Key_Return)
    done = gui.wait_shown_final()
    assert done.state is TaskState.SUCCEEDED and done.result == "Plan approved, done.", done.error
    qtbot.waitUntil(lambda: request_rows(gui) == ["Plan approved"])
    assert not gui.failures


def test_after_a_stopped_turn_the_card_sends_the_message(gui: Gui, fake_api: FakeAnthropic, project: Path,
                                                        qtbot) -> None:  # noqa: ANN001
    w = gui.window
    gui.add_workspace("stop", project)  # unattended: the slow tool runs without asking
    fake_api.script(
        Reply(text="This takes a while.", tool_calls=(ToolCall("Bash", {"command": "touch started.txt; sleep 90"}),)),
        Reply(text="Understood, stopping there."),
        match="slow work",
    )
    task = gui.run_prompt("do slow work")
    qtbot.waitUntil(lambda: any(isinstance(r, ToolRow) and "sleep 90" in r.summary for r in w.transcript.rows),
                    timeout=TASK_TIMEOUT_MS)
    gui.core.tasks.interrupt(task.id)  # Stop turn (the prompt panel's button, or the CLI)
    dock = w.pages.approvals
    qtbot.waitUntil(lambda: len(dock.cards) == 1, timeout=60_000)
    (card,) = dock.cards.values()
    assert isinstance(card, MessageCard)
    qtbot.waitUntil(lambda: request_rows(gui) == ["The agent stopped and waits for your message"])
    qtbot.keyClicks(card.text, "please just summarise")
    qtbot.keyClick(card.text, Qt.Key.Key_Return)
    done = gui.wait_shown_final()
    assert done.state is TaskState.SUCCEEDED, done.error
    assert "please just summarise" in json.dumps(fake_api.agent_requests("slow work")[-1]["messages"])
    qtbot.waitUntil(lambda: any(isinstance(r, UserRow) and r.text == "please just summarise" for r in w.transcript.rows))
    assert request_rows(gui) == ["Turn stopped · you answered"]
    assert not dock.cards and not gui.failures
