"""An empty list's hint is never cut: its label gets the height its wrapped text
needs at the width it is given, at the window's sizes (issue 10, item 2)."""

from __future__ import annotations

import pytest

from desktop.ui.bridge.viewdata import WorkspaceItem
from desktop.ui.window.main_window import MainWindow
from tests.ui import factories as f


@pytest.mark.parametrize("size", [(1280, 800), (1024, 640), (800, 500)])
def test_no_tasks_yet_shows_its_whole_hint(qtbot, size: tuple[int, int]) -> None:  # noqa: ANN001
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(*size)
    window.show_workspaces([WorkspaceItem(f.workspace("ws1", "billing-api"))])
    window.show()
    qtbot.waitExposed(window)
    window.show_tasks("ws1", [], select_id=None)
    hint = window.tasks.empty._hint
    qtbot.waitUntil(lambda: hint.isVisible() and hint.width() > 0)
    qtbot.waitUntil(lambda: hint.height() >= hint.heightForWidth(hint.width()), timeout=2_000)
    assert hint.text().endswith("changes at the end.")
