"""Ended tasks whose change waits for the person are counted where they look: on
their workspace's line, in the window's title and in the tray's menu; the counts
follow an apply or discard made here or by another process (issue 10, item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop.domain import TaskState
from desktop.domain.task import PatchState
from desktop.ui.bridge.viewdata import WorkspaceItem
from desktop.ui.look.widgets import Banner
from desktop.ui.notify.tray import Tray
from desktop.ui.window.main_window import MainWindow
from desktop.ui.window.workspace_list import WorkspaceSidebar
from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.ui import factories as f
from tests.ui.real import Gui


def test_the_title_counts_tasks_that_need_you_then_those_to_review(qtbot) -> None:  # noqa: ANN001
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_review_count(2)
    assert window.windowTitle() == "AICode Manager — 2 to review"
    window.set_needing_count(1)
    assert window.windowTitle() == "AICode Manager — 1 needs you, 2 to review"
    window.set_review_count(0)
    assert window.windowTitle() == "AICode Manager — 1 needs you"
    window.set_needing_count(0)
    assert window.windowTitle() == "AICode Manager"


def test_the_tray_lists_tasks_to_review_under_the_running_ones(qtbot) -> None:  # noqa: ANN001
    parent = QWidget()
    qtbot.addWidget(parent)
    tray = Tray(parent, Banner(parent), available=False, use_desktop=False)
    names = {"ws1": "billing-api", "ws2": "web"}
    tray.set_running([f.task("t1", "Long job", TaskState.RUNNING)], names)
    tray.set_to_review([f.task("t3", "Add a test", workspace_id="ws2"), f.task("t2", "Fix the login")], names)
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
    assert texts == ["Show AICode Manager", "1 task running", "billing-api: Long job",
                     "2 to review", "web: Add a test", "billing-api: Fix the login", "Quit"]
    assert tray.tooltip == "AICode Manager — 1 task running, 2 to review"
    with qtbot.waitSignal(tray.task_activated) as activated:
        next(a for a in tray.menu.actions() if a.text() == "web: Add a test").trigger()
    assert activated.args[0].task_id == "t3"

    tray.set_running([])
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
    assert "No tasks running" in texts and "2 to review" in texts
    tray.set_to_review([])
    assert "2 to review" not in [a.text() for a in tray.menu.actions()] and tray.tooltip == "AICode Manager"
    tray.close()


def test_a_workspace_line_says_how_many_changes_wait(qtbot) -> None:  # noqa: ANN001
    sidebar = WorkspaceSidebar()
    qtbot.addWidget(sidebar)
    sidebar.resize(260, 300)
    sidebar.show()
    ws = f.workspace()
    sidebar.set_items([WorkspaceItem(ws, running_tasks=1, review_tasks=2)])
    index = sidebar.model.index(0)
    assert sidebar.model.data(index, Qt.ItemDataRole.AccessibleTextRole).endswith("1 running, 2 to review")
    assert sidebar.model.data(index, Qt.ItemDataRole.ToolTipRole).endswith("2 to review")
    with_count = sidebar.grab().toImage()
    sidebar.upsert(WorkspaceItem(ws, running_tasks=1))
    assert "to review" not in sidebar.model.data(index, Qt.ItemDataRole.AccessibleTextRole)
    assert sidebar.grab().toImage() != with_count  # the count is drawn, and goes


def _writes(api: FakeAnthropic, prompt: str, name: str) -> None:
    api.script(Reply(text="Writing it.", tool_calls=(
        ToolCall("Write", {"file_path": f"/workspace/{name}", "content": "new\n"}),)),
        Reply(text="Done."), match=prompt)


@pytest.mark.docker
@pytest.mark.keyring
def test_counts_follow_tasks_ending_and_their_changes_applied_or_discarded(
        gui: Gui, fake_api: FakeAnthropic, project: Path, qtbot) -> None:  # noqa: ANN001
    from desktop.services.app import App
    from desktop.services.context import AppContext

    w = gui.window
    ws = gui.add_workspace("counted", project)

    def counted() -> int:
        return w.sidebar.model.item(w.sidebar.model.row_of(ws.id)).review_tasks

    def tray_lists(prompt: str) -> bool:
        return any(a.text() == f"counted: {prompt}" for a in gui.tray.menu.actions())

    _writes(fake_api, "first change", "one.txt")
    first = gui.run_prompt("first change")
    assert gui.wait_shown_final().state is TaskState.SUCCEEDED
    qtbot.waitUntil(lambda: counted() == 1, timeout=10_000)
    assert w.windowTitle() == "AICode Manager — 1 to review"
    assert tray_lists("first change")

    # Another process (the CLI, here a second App on the same data) discards it: the window's poll sees it.
    with App(AppContext(), runs_queue=False) as other:
        other.review.discard(first.id)
    qtbot.waitUntil(lambda: counted() == 0, timeout=15_000)
    assert w.windowTitle() == "AICode Manager" and not tray_lists("first change")

    _writes(fake_api, "second change", "two.txt")
    gui.run_prompt("second change")
    second = gui.wait_shown_final()
    assert second.state is TaskState.SUCCEEDED
    qtbot.waitUntil(lambda: counted() == 1 and tray_lists("second change"), timeout=10_000)

    # Applied in this window: the count goes with the change's own news, without a poll.
    gui.controller.watch._poll.stop()
    qtbot.waitUntil(lambda: w.review.changes is not None, timeout=10_000)
    w.task_header.switch.changes_button.click()
    qtbot.waitUntil(w.review.apply_button.isEnabled, timeout=10_000)
    w.review.apply_button.click()
    qtbot.waitUntil(lambda: w.shown_task.patch_state is PatchState.APPLIED, timeout=10_000)
    qtbot.waitUntil(lambda: counted() == 0 and w.windowTitle() == "AICode Manager", timeout=10_000)
    assert (project / "two.txt").read_text() == "new\n" and not gui.failures
