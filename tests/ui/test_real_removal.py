"""Removing workspaces through the real window over the real Core: the details
panel follows, and nothing is left to press that would act on a removed one."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.ui.bridge.viewdata import ContainerState
from tests.ui.real import Gui, make_project, settled

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def test_the_details_follow_removals(gui: Gui, tmp_path: Path, qtbot, monkeypatch) -> None:  # noqa: ANN001
    w, panel = gui.window, gui.window.workspace_panel
    qtbot.waitUntil(lambda: gui.controller.system.engine.ok, timeout=20_000)
    second = gui.add_workspace("second", make_project(tmp_path, "second"))
    first = gui.add_workspace("first", make_project(tmp_path, "first"))
    w.actions.details.trigger()
    qtbot.waitUntil(lambda: panel.state.text() != ContainerState.UNKNOWN.value, timeout=20_000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    gui.binding.dialogs.remove_workspace(_ref(first.id))
    qtbot.waitUntil(lambda: w.sidebar.model.row_of(first.id) < 0, timeout=30_000)
    assert w.sidebar.current_id() == second.id
    qtbot.waitUntil(lambda: panel.state.text() != ContainerState.UNKNOWN.value, timeout=20_000)
    assert panel.limits.text().startswith(f"{second.cpus:g} CPUs")

    gui.binding.dialogs.remove_workspace(_ref(second.id))
    qtbot.waitUntil(lambda: w.sidebar.model.rowCount() == 0, timeout=30_000)
    assert panel.state.text() == ContainerState.UNKNOWN.value and not panel.isEnabled()
    assert not any(b.isEnabled() for b in (panel.start_button, panel.stop_button, panel.recreate_button))
    settled(qtbot)  # a late word about a removed container must not bring them back
    assert not panel.stop_button.isEnabled() and not panel.recreate_button.isEnabled()
    assert gui.failures == []


def _ref(workspace_id: str):  # noqa: ANN202
    from desktop.ui.bridge.payloads import WorkspaceRef

    return WorkspaceRef(workspace_id)
