"""Issue 10 item 13: the workspace header's menu does what the sidebar's right-click
does, plus "Open folder", through the real window over the real Core."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from desktop.ui.bridge.viewdata import ContainerState, WorkspaceItem
from desktop.ui.dialogs.add_workspace_dialog import AddWorkspaceDialog
from desktop.ui.window import workspace_header
from desktop.ui.window.workspace_header import WorkspaceHeader
from tests.ui import factories as f
from tests.ui.real import Gui, make_project

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def test_rename_limits_open_and_remove_from_the_header(gui: Gui, tmp_path: Path, qtbot, monkeypatch) -> None:  # noqa: ANN001
    w = gui.window
    header = w.workspace_header
    assert not header.more.isEnabled()  # no workspace: nothing to act on
    folder = make_project(tmp_path, "site")
    ws = gui.add_workspace("site", folder)
    qtbot.waitUntil(lambda: header.name.text() == "site")
    assert header.more.isEnabled()
    assert [a.text() for a in header.menu.actions() if a.isVisible() and not a.isSeparator()] == [
        "Rename…", "Limits and image…", "Move to engine…", "Open folder", "Remove workspace…"]

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("my site", True))
    header.rename_action.trigger()
    qtbot.waitUntil(lambda: header.name.text() == "my site", timeout=10_000)
    assert gui.core.workspaces.get(ws.id).name == "my site"

    header.edit_action.trigger()
    dialogs = [d for d in QApplication.topLevelWidgets() if isinstance(d, AddWorkspaceDialog) and d.isVisible()]
    assert len(dialogs) == 1
    dialogs[0].reject()

    opened: list[str] = []
    monkeypatch.setattr(workspace_header, "open_folder", lambda path: opened.append(path) or True)
    header.open_action.trigger()
    assert opened == [str(folder)]

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    header.remove_action.trigger()
    qtbot.waitUntil(lambda: w.sidebar.model.rowCount() == 0, timeout=30_000)
    assert not header.more.isEnabled()
    assert gui.failures == []


def test_move_to_engine_asks_where_and_says_what_happened(gui: Gui, tmp_path: Path, qtbot, monkeypatch) -> None:  # noqa: ANN001
    w = gui.window
    header = w.workspace_header
    ws = gui.add_workspace("site", make_project(tmp_path, "site"))
    qtbot.waitUntil(lambda: header.name.text() == "site")
    notices: list[str] = []
    monkeypatch.setattr(w, "notify", lambda text, tone="info", action="": notices.append(text))

    header.move_action.trigger()  # only this machine's engine: nowhere to go
    qtbot.waitUntil(lambda: any("no other engine" in n for n in notices), timeout=10_000)

    gui.core.engines.add("box", "unix:///tmp/aicode-test-no-such-engine.sock")
    offered: list[list[str]] = []

    def choose(_parent, _title, _label, items, *_a, **_k):  # noqa: ANN001, ANN202
        offered.append(list(items))
        return "box", True
    monkeypatch.setattr(QInputDialog, "getItem", choose)
    header.move_action.trigger()
    qtbot.waitUntil(lambda: any("Move workspace failed" in n for n in notices), timeout=30_000)
    assert offered == [["box"]]  # the engines it is not on
    failed = html.unescape(next(n for n in notices if "Move workspace failed" in n))
    assert "'box' is not available" in failed
    assert gui.core.workspaces.get(ws.id).engine == "local"  # nothing moved
    assert header.source.text() and "on box" not in header.source.text()


def test_a_clone_has_no_folder_to_open_and_the_chip_speaks_of_the_container(qtbot) -> None:  # noqa: ANN001
    header = WorkspaceHeader()
    qtbot.addWidget(header)
    header.show_item(WorkspaceItem(f.workspace(git=True), container=ContainerState.RUNNING))
    assert not header.open_action.isVisible() and header.rename_action.isVisible()
    assert header.container.text() == "Container on"
    header.show_item(WorkspaceItem(f.workspace(), container=ContainerState.STOPPED))
    assert header.open_action.isVisible() and header.container.text() == "Container off"
