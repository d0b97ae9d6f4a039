"""Talking with a running task from the window, with the real Core, engine and
claude: Stop turn, then a message from the prompt box finishes it; a tool that
needs permission is news once, opens its task, and a workspace's rule answers
without any; the tools allowed always are taken back in the workspace dialog."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.domain import EventKind, TaskState
from desktop.services.workspaces import WorkspaceChanges
from desktop.ui.bridge.payloads import WorkspaceRef
from desktop.ui.dialogs.add_workspace_dialog import AddWorkspaceDialog
from desktop.ui.notify.notices import NoticeKind
from desktop.ui.window.workspace_list import busy_text
from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.ui.real import Gui, make_project, settled

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

SLOW = "touch started.txt; sleep 90"


def row_text(gui: Gui, task_id: str) -> str:
    model = gui.window.tasks.model
    return model.data(model.index(model.row_of(task_id)), Qt.ItemDataRole.AccessibleTextRole)


def needs_input_notices(gui: Gui) -> list:
    return [n for n in gui.notices if n.notice.kind is NoticeKind.NEEDS_INPUT]


def test_stop_turn_then_a_message_from_the_prompt_box_finishes_the_task(gui: Gui, fake_api: FakeAnthropic,
                                                                       project: Path, qtbot) -> None:  # noqa: ANN001
    w = gui.window
    ws = gui.add_workspace("talk", project)  # never asks: only the stopped turn makes it wait
    fake_api.script(Reply(text="This takes a while.", tool_calls=(ToolCall("Bash", {"command": SLOW}),)),
                    Reply(text="Understood, here is the summary."), match="slow work")
    task = gui.run_prompt("do slow work")
    qtbot.waitUntil(lambda: any(e.kind is EventKind.TOOL_CALL and SLOW in json.dumps(e.data)
                                for e in gui.core.tasks.events(task.id)), timeout=60_000)
    qtbot.waitUntil(lambda: w.shown_task.state is TaskState.RUNNING and w.prompt.stop_turn_button.isEnabled(),
                    timeout=10_000)
    assert w.prompt.run_button.text() == "Send"

    started = time.monotonic()
    w.prompt.stop_turn_button.click()
    qtbot.waitUntil(lambda: w.shown_task.needs_input, timeout=30_000)
    print(f"\nStop turn: the task waited {time.monotonic() - started:.2f} s after the click")
    assert gui.core.tasks.pending(task.id)[0].kind.value == "message"
    # Everywhere its state shows: the row, the header, the workspace, the title.
    qtbot.waitUntil(lambda: row_text(gui, task.id).startswith("Needs input"), timeout=5_000)
    assert w.task_header.chip.text().startswith("Needs input")  # "· 1 tool failed": the stopped command
    qtbot.waitUntil(lambda: w.windowTitle() == "AICode Manager — 1 needs you", timeout=5_000)
    qtbot.waitUntil(lambda: busy_text(w.sidebar.current_item()) == "1 needs you", timeout=5_000)
    assert not needs_input_notices(gui), "a turn the person stopped is not news to them"

    w.prompt.edit.setFocus()
    qtbot.keyClicks(w.prompt.edit, "please just summarise")
    assert w.prompt.run_button.text() == "Send" and w.prompt.run_button.isEnabled()
    w.prompt.run_button.click()
    done = gui.wait_shown_final()
    assert done.state is TaskState.SUCCEEDED, done.error
    assert "please just summarise" in json.dumps(fake_api.agent_requests("slow work")[-1]["messages"])
    qtbot.waitUntil(lambda: w.windowTitle() == "AICode Manager", timeout=5_000)
    assert w.prompt.run_button.text() == "Run" and not w.prompt.stop_turn_button.isVisible()
    assert not gui.failures, gui.failures
    assert ws.permission_mode.value == "bypassPermissions"


def test_a_request_is_news_once_opens_its_task_and_a_rule_answers_without_any(
        gui: Gui, fake_api: FakeAnthropic, tmp_path: Path, qtbot) -> None:  # noqa: ANN001
    w = gui.window
    quiet = gui.add_workspace("elsewhere", make_project(tmp_path, "quiet"))
    ws = gui.add_workspace("asking", make_project(tmp_path, "asking"), permission_mode="default")
    for match, name in (("write the notes", "notes.md"), ("write more notes", "more.md")):
        fake_api.script(Reply(text="Writing it.", tool_calls=(ToolCall("Write", {"file_path": f"/workspace/{name}",
                                                                                  "content": "hello\n"}),)),
                        Reply(text="Finished."), match=match)
    task = gui.core.tasks.submit(ws.id, "write the notes")
    w.sidebar.select(quiet.id)  # the person looks at another workspace meanwhile
    qtbot.waitUntil(lambda: bool(needs_input_notices(gui)), timeout=90_000)
    shown = needs_input_notices(gui)[0]
    assert shown.notice.task_id == task.id and shown.notice.title == "Task needs you in asking"
    assert shown.notice.asks == "allow Write? /workspace/notes.md", shown.notice
    assert "write the notes" in shown.notice.text
    qtbot.waitUntil(lambda: w.windowTitle() == "AICode Manager — 1 needs you", timeout=5_000)

    # It waits on: the task changes again and again (polls, the hub), but it is news once.
    for _ in range(3):
        gui.controller.watch.refresh()
        settled(qtbot)
    assert len(needs_input_notices(gui)) == 1

    # "Show" opens that task in its workspace: its card is in front of the person.
    w.banner.action_triggered.emit()
    qtbot.waitUntil(lambda: w.shown_task is not None and w.shown_task.id == task.id, timeout=10_000)
    assert w.sidebar.current_id() == ws.id and w.task_header.chip.text() == "Needs input"
    assert w.task_header.mode_chip.text() == "Asks before changes"

    gui.core.tasks.approve(task.id)  # as the card's Allow would
    assert gui.wait_state(task.id, TaskState.SUCCEEDED).state is TaskState.SUCCEEDED
    # Nothing needs the person any more; its change (notes.md) waits for review.
    qtbot.waitUntil(lambda: w.windowTitle() == "AICode Manager — 1 to review", timeout=10_000)
    qtbot.waitUntil(lambda: not w.banner.isVisible(), timeout=5_000)  # the news is taken back

    # Allowed always: the next request is answered by the rule, the task never waits, nobody is told.
    gui.core.workspaces.change(ws.id, WorkspaceChanges(allowed_tools=("Write",)))
    gui.controller.refresh_workspaces()
    second = gui.core.tasks.submit(ws.id, "write more notes")
    assert gui.wait_state(second.id, TaskState.SUCCEEDED).state is TaskState.SUCCEEDED
    assert any(e.kind is EventKind.DECISION and e.data.get("by") == "rule" for e in gui.core.tasks.events(second.id))
    gui.controller.watch.refresh()  # the window has seen it end: had it waited, the window would have told
    qtbot.waitUntil(lambda: second.id not in {t.id for t in gui.controller.active_tasks()}, timeout=20_000)
    settled(qtbot)
    assert len(needs_input_notices(gui)) == 1
    assert not gui.failures, gui.failures


def test_the_tools_allowed_always_are_taken_back_in_the_workspace_dialog(gui: Gui, project: Path, qtbot) -> None:  # noqa: ANN001
    ws = gui.add_workspace("rules", project, permission_mode="default")
    gui.core.workspaces.change(ws.id, WorkspaceChanges(allowed_tools=("Bash", "Write")))
    gui.controller.refresh_workspaces()
    qtbot.waitUntil(lambda: gui.controller.workspaces[ws.id].allowed_tools == ("Bash", "Write"), timeout=10_000)

    gui.binding.dialogs.edit_workspace(WorkspaceRef(ws.id))
    dialog = next(d for d in QApplication.topLevelWidgets() if isinstance(d, AddWorkspaceDialog) and d.isVisible())
    tools = dialog.limits.allowed
    assert tools.tools() == ("Bash", "Write")
    # Meanwhile the agent of another task is allowed a tool always: saving must not lose it.
    gui.core.workspaces.change(ws.id, WorkspaceChanges(allowed_tools=("Bash", "Write", "WebFetch")))
    tools.list.item(0).setSelected(True)
    tools.remove_button.click()
    dialog.add_button.click()
    qtbot.waitUntil(lambda: gui.core.workspaces.get(ws.id).allowed_tools == ("Write", "WebFetch"), timeout=10_000)
    assert gui.core.workspaces.get(ws.id).permission_mode.value == "default"
    qtbot.waitUntil(lambda: gui.controller.workspaces[ws.id].allowed_tools == ("Write", "WebFetch"), timeout=5_000)
    assert not gui.failures, gui.failures
