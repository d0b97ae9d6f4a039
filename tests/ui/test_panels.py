"""Workspace panel, tray and banner (the review panel has test_review_panel.py)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget

from desktop.domain import TaskState
from desktop.ui.bridge.viewdata import ContainerInfo, ContainerState
from desktop.ui.look.widgets import Banner
from desktop.ui.notify.notices import finished_notice
from desktop.ui.notify.tray import Tray
from desktop.ui.window.workspace_panel import WorkspacePanel
from tests.ui import factories as f


def test_charts_load_only_when_the_panel_is_first_shown(qtbot) -> None:  # noqa: ANN001
    panel = WorkspacePanel()
    qtbot.addWidget(panel)
    panel.show_workspace(f.workspace())
    for i in range(10):
        panel.add_sample(20.0 + i, 300 * 2**20, 4 * 2**30)
    assert not panel.charts_loaded
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.charts_loaded and "PySide6.QtCharts" in sys.modules
    panel.add_sample(55.0, 512 * 2**20, 4 * 2**30)
    assert panel._charts.cpu.upper.count() == 11
    assert "55%" in panel._charts.cpu.chart().title() and "4.0 GiB" in panel._charts.memory.chart().title()


def test_container_buttons_follow_its_state(qtbot) -> None:  # noqa: ANN001
    panel = WorkspacePanel()
    qtbot.addWidget(panel)
    panel.show_workspace(f.workspace())
    panel.show_container(ContainerInfo("ws1", ContainerState.STOPPED, "aicode-agent:latest", "2.0.14"))
    assert panel.start_button.isEnabled() and not panel.stop_button.isEnabled()
    with qtbot.waitSignal(panel.start_requested) as start:
        panel.start_button.click()
    assert start.args[0].workspace_id == "ws1"
    panel.show_container(ContainerInfo("ws1", ContainerState.RUNNING, cli_version="2.0.14"))
    assert panel.stop_button.isEnabled() and panel.state.text() == "running" and panel.cli.text() == "2.0.14"


def test_without_a_tray_notices_become_a_banner(qtbot) -> None:  # noqa: ANN001
    window = QWidget()
    banner = Banner(window)
    qtbot.addWidget(window)
    tray = Tray(window, banner, available=False, use_desktop=False)
    task = f.task("t9", "Fix the flaky test", TaskState.FAILED)
    assert tray.notify(finished_notice(task, "billing-api")) == "banner"
    assert banner.isVisibleTo(window) and "Task failed in billing-api" in banner.text
    with qtbot.waitSignal(tray.task_activated) as activated:
        banner.action_triggered.emit()
    assert activated.args[0].task_id == "t9"


def test_the_tray_menu_lists_running_tasks(qtbot) -> None:  # noqa: ANN001
    window = QWidget()
    qtbot.addWidget(window)
    tray = Tray(window, Banner(window), available=False, use_desktop=False)
    tray.set_running([f.task("t1", "Long job", TaskState.RUNNING)], {"ws1": "billing-api"})
    texts = [a.text() for a in tray.menu.actions()]
    assert "1 task running" in texts and "billing-api: Long job" in texts and texts[-1] == "Quit"


def test_a_container_action_is_the_workspace_s_own(qtbot) -> None:  # noqa: ANN001
    """Another workspace shown meanwhile has its own buttons; back again, the action is still under way."""
    from desktop.ui.bridge.container_payloads import ContainerAction, ContainerActionEnded

    panel = WorkspacePanel()
    qtbot.addWidget(panel)
    one, two = f.workspace(), f.workspace("ws2", "web")
    panel.show_workspace(one)
    panel.show_container(ContainerInfo("ws1", ContainerState.RUNNING))
    panel.show_action("ws1", ContainerAction.STOP)
    assert not panel.stop_button.isEnabled() and not panel.recreate_button.isEnabled()
    panel.show_workspace(two)
    panel.show_container(ContainerInfo("ws2", ContainerState.RUNNING))
    assert panel.acting is None and panel.stop_button.isEnabled() and panel.action_line.isHidden()
    panel.show_workspace(one)
    panel.show_container(ContainerInfo("ws1", ContainerState.RUNNING))
    assert panel.acting is ContainerAction.STOP and not panel.stop_button.isEnabled()
    panel.show_action_ended(ContainerActionEnded("ws1", ContainerAction.STOP, False, "the engine said no"))
    assert panel.stop_button.isEnabled() and panel.action_text.objectName() == "ErrorText"
    assert panel.action_text.text() == "Stop container failed: the engine said no"


def test_recreate_always_asks_and_stop_only_under_a_task() -> None:
    from desktop.ui.bridge.container_payloads import ContainerAction
    from desktop.ui.dialogs.container_prompt import question

    assert question(ContainerAction.STOP, "web", "img", 0) is None
    assert question(ContainerAction.START, "web", "img", 2) is None
    two = question(ContainerAction.STOP, "web", "img", 2)
    assert "the 2 tasks running in it end as failed" in two.detail and two.confirm == "Stop and end the tasks"
    again = question(ContainerAction.RECREATE, "web", "img", 1)
    assert "The task running in it ends as failed" in again.detail and again.keep == "Keep it"


def test_the_panel_says_what_of_the_folder_never_travels(qtbot) -> None:  # noqa: ANN001
    panel = WorkspacePanel()
    qtbot.addWidget(panel)
    panel.show_workspace(f.workspace(excluded=("node_modules", "data/raw")))
    assert panel.excluded.text() == "node_modules, data/raw"
    panel.show_workspace(f.workspace(id="ws2"))
    assert panel.excluded.text() == "Nothing: the whole folder travels"
    panel.show_workspace(None)
    assert panel.excluded.text() == "–"
