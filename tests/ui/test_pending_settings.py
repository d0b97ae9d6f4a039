"""Security finding 5 in the window: settings saved while a task runs say
that they apply when it ends, under the container's state, and the line
goes once the container has them."""

from __future__ import annotations

from desktop.containers.images import CLAUDE_CODE_VERSION
from desktop.containers.workspace_container import ContainerState as EngineState
from desktop.services.containers import ContainerStatus
from desktop.ui.bridge import service_mapping as cm
from desktop.ui.window.workspace_panel import WorkspacePanel
from tests.ui import factories as f


def test_finding_5_the_panel_says_saved_settings_apply_when_the_running_task_ends(qtbot) -> None:  # noqa: ANN001
    panel = WorkspacePanel()
    qtbot.addWidget(panel)
    panel.show_workspace(f.workspace())
    panel.show()
    pending = ContainerStatus(EngineState.RUNNING, "aicode-agent:latest", CLAUDE_CODE_VERSION, settings_pending=True)
    panel.show_container(cm.container_info("ws1", pending))
    assert panel.detail.isVisible() and "applies when the running task ends" in panel.detail.text()
    panel.show_container(cm.container_info("ws1", ContainerStatus(EngineState.RUNNING, "aicode-agent:latest", None)))
    assert not panel.detail.isVisible()
