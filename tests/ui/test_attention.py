"""A task that needs its user, everywhere a task's state shows (list, history,
header, workspace, title, tray); its notice apart from the "finished" one; the
prompt panel's Send and Stop turn; permission modes in words."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop.domain import PermissionMode, TaskState
from desktop.domain.approvals import PendingRequest, RequestKind
from desktop.ui.bridge.viewdata import WorkspaceItem
from desktop.ui.look import formatting, icons
from desktop.ui.look.widgets import Banner
from desktop.ui.notify.notices import NoticeKind, finished_notice, needs_input_notice
from desktop.ui.notify.tray import DESKTOP_STYLE, Tray
from desktop.ui.window.history_view import HistoryView
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.task_list import TaskList
from desktop.ui.window.workspace_list import busy_text
from tests.ui import factories as f


def waiting_task(id: str = "t2", prompt: str = "Run the migrations", **kw: object):  # noqa: ANN201
    return f.task(id, prompt, TaskState.RUNNING, minutes_ago=1, waiting=1, **kw)


def bash_request(task_id: str = "t2", command: str = "alembic upgrade head") -> PendingRequest:
    return PendingRequest(task_id, "req-1", RequestKind.PERMISSION, "Bash", {"command": command},
                          "Apply the migrations")


@pytest.fixture
def window(qtbot) -> MainWindow:  # noqa: ANN001
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_a_waiting_task_reads_needs_input_not_running(qtbot) -> None:  # noqa: ANN001
    running, waiting = f.task("t1", "Build", TaskState.RUNNING), waiting_task()
    assert waiting.needs_input and not running.needs_input
    assert formatting.state_label(waiting) == "Needs input" and formatting.state_label(running) == "Running"
    assert formatting.state_tone(waiting) == "warning" != formatting.state_tone(running)
    assert icons.task_icon(waiting).pixmap(16, 16).toImage() != icons.task_icon(running).pixmap(16, 16).toImage()

    tasks = TaskList()
    qtbot.addWidget(tasks)
    tasks.set_tasks([running, waiting])
    texts = {tasks.model.task(r).id: tasks.model.data(tasks.model.index(r), Qt.ItemDataRole.AccessibleTextRole)
             for r in range(2)}
    assert texts["t2"].startswith("Needs input: Run the migrations") and texts["t1"].startswith("Running: Build")

    history = HistoryView()
    qtbot.addWidget(history)
    history.set_workspaces([f.workspace("ws1", permission_mode=PermissionMode.ACCEPT_EDITS)])
    history.show_results([running])
    assert history.model.data(history.model.index(0, 0)) == "Running"
    history.show_task_update(waiting_task("t1", "Build"))  # the listed task starts waiting: its row follows
    assert history.model.data(history.model.index(0, 0)) == "Needs input"
    history.table.setCurrentIndex(history.model.index(0, 0))
    assert history.header.chip.text() == "Needs input" and history.header.mode_chip.text() == "Accepts file edits"


def test_the_header_says_needs_input_and_a_mode_that_asks(window: MainWindow, qtbot) -> None:  # noqa: ANN001
    asks = f.workspace("ws1", permission_mode=PermissionMode.DEFAULT)
    with qtbot.waitSignal(window.sidebar.workspace_selected):
        window.show_workspaces([WorkspaceItem(asks, running_tasks=1, waiting_tasks=1),
                                WorkspaceItem(f.workspace("ws2", "web", permission_mode=PermissionMode.BYPASS))])
    task = waiting_task()
    window.show_tasks("ws1", [task])
    window.show_task(task)
    header = window.task_header
    assert window.shown_task is not None and window.shown_task.id == "t2"
    assert header.chip.text() == "Needs input" and header.chip.property("tone") == "warning"
    assert header.mode_chip.isVisible() and header.mode_chip.text() == "Asks before changes"  # the workspace's
    window.show_task_update(f.task("t2", "Run the migrations", TaskState.RUNNING, minutes_ago=1,
                                   permission_mode=PermissionMode.PLAN))  # answered; a task with a mode of its own
    assert header.chip.text() == "Running" and header.mode_chip.text() == "Plans first"
    window.show_task(f.task("t3", "Tidy", TaskState.SUCCEEDED, permission_mode=PermissionMode.BYPASS))
    assert not header.mode_chip.isVisible()  # never asks: nothing to say

    assert busy_text(WorkspaceItem(asks, running_tasks=2, waiting_tasks=1)) == "1 needs you"
    assert busy_text(WorkspaceItem(asks, running_tasks=2, waiting_tasks=2)) == "2 need you"
    assert busy_text(WorkspaceItem(asks, running_tasks=2)) == "2 running"


def test_the_title_counts_the_tasks_that_need_you(window: MainWindow) -> None:
    assert window.windowTitle() == "AICode Manager"
    window.set_needing_count(2)
    assert window.windowTitle() == "AICode Manager — 2 need you"
    window.set_needing_count(1)
    assert window.windowTitle() == "AICode Manager — 1 needs you"
    window.set_needing_count(0)
    assert window.windowTitle() == "AICode Manager"


@pytest.mark.qt_log_ignore(r"No such signal QPlatformNativeInterface::systemTrayWindowChanged")  # offscreen: no tray
def test_the_tray_counts_and_lists_the_tasks_that_need_you_first(qtbot) -> None:  # noqa: ANN001
    parent = QWidget()
    qtbot.addWidget(parent)
    tray = Tray(parent, Banner(parent), available=True, use_desktop=False)
    running = f.task("t1", "Long job", TaskState.RUNNING)
    tray.set_running([running], {"ws1": "billing-api"})
    assert tray.icon is not None and tray.icon.toolTip() == "AICode Manager — 1 task running"
    plain = tray.icon.icon().pixmap(32, 32).toImage()

    tray.set_running([running, waiting_task()], {"ws1": "billing-api"})
    assert tray.icon.toolTip() == tray.tooltip == "AICode Manager — 2 tasks running, 1 needs you"
    texts = [a.text() for a in tray.menu.actions()]
    assert "2 tasks running, 1 needs you" in texts
    listed = [t for t in texts if t.startswith("billing-api")]
    assert listed == ["billing-api: Run the migrations — needs input", "billing-api: Long job"]
    assert tray.icon.icon().pixmap(32, 32).toImage() != plain  # the badge counts in amber
    tray.close()


def test_the_needs_input_notice_says_what_is_asked_and_differs_from_finished() -> None:
    task = waiting_task()
    needs = needs_input_notice(task, bash_request(), "billing-api")
    done = finished_notice(f.task("t2", "Run the migrations", TaskState.SUCCEEDED), "billing-api")
    assert needs.title == "Task needs you in billing-api" and needs.asks == "allow Bash? alembic upgrade head"
    assert needs.text == "Run the migrations\nApply the migrations" and needs.task_id == "t2"
    assert (needs.kind, done.kind) == (NoticeKind.NEEDS_INPUT, NoticeKind.FINISHED)
    assert DESKTOP_STYLE[needs.kind] != DESKTOP_STYLE[done.kind]
    assert DESKTOP_STYLE[needs.kind] == ("x-aicode.task.needs-input", True, True)  # urgent, stays until clicked

    # The agent's words are made visible and bounded: no escape sequence, no bidi override, no endless line.
    hostile = bash_request(command="rm -rf /tmp/x \x1b[2J\u202e" + "y" * 500)
    notice = needs_input_notice(task, hostile, "billing-api")
    assert "\x1b" not in notice.asks and "\u202e" not in notice.asks and "⟨ESC⟩" in notice.asks
    assert len(notice.asks) <= 140 and notice.asks.endswith("…")
    question = PendingRequest("t2", "q", RequestKind.QUESTION, "AskUserQuestion",
                              {"questions": [{"question": "Which database?", "options": []}]})
    assert needs_input_notice(task, question, "w").asks == "a question: Which database?"


def test_the_banner_shows_a_needs_input_notice_as_text(qtbot) -> None:  # noqa: ANN001
    parent = QWidget()
    banner = Banner(parent)
    qtbot.addWidget(parent)
    tray = Tray(parent, banner, available=False, use_desktop=False)
    notice = needs_input_notice(waiting_task(), bash_request(command="echo <b>bold</b>"), "billing-api")
    assert tray.notify(notice) == "banner"
    assert "&lt;b&gt;bold&lt;/b&gt;" in banner.text and "<b>bold</b>" not in banner.text
    assert banner.property("tone") == "warning"
    with qtbot.waitSignal(tray.task_activated) as activated:
        banner.action_triggered.emit()
    assert activated.args[0].task_id == "t2"
    tray.notify(notice)
    tray.withdraw("t2")  # answered: the news is taken back
    assert not banner.isVisibleTo(parent)
