"""Issue 10 item 11, the last part: a finished task's change is reviewed and
applied from History, as in the main window (real window, real engine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain import TaskState
from desktop.domain.task import PatchState
from desktop.ui.window.view_switch import Page
from tests.fakeapi import FakeAnthropic
from tests.ui.real import Gui, tree
from tests.ui.test_real_flow import greeting_script

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def test_a_change_is_applied_and_undone_from_history(gui: Gui, fake_api: FakeAnthropic, project: Path,
                                                     qtbot) -> None:  # noqa: ANN001
    w = gui.window
    qtbot.waitUntil(lambda: gui.controller.system.engine.ok, timeout=20_000)
    gui.add_workspace("hist", project)
    greeting_script(fake_api, "greet from history")
    task = gui.run_prompt("greet from history")
    assert gui.wait_shown_final().state is TaskState.SUCCEEDED
    before = tree(project)
    w.tasks.select(task.id)  # the main window shows it too: both panels follow the one change

    w.actions.history.trigger()
    history = gui.binding.dialogs.history
    qtbot.waitUntil(lambda: history.model.rowCount() == 1, timeout=10_000)
    assert history.model.index(0, 1).data() == "To review"
    history.table.setCurrentIndex(history.model.index(0, 0))
    qtbot.waitUntil(lambda: history.review.changes is not None, timeout=10_000)
    assert history.header.switch.changes_button.isVisible()
    assert history.header.switch.changes_button.text() == "Changes (2)"
    history.header.switch.changes_button.click()
    assert history.pages.page is Page.CHANGES and history.review.isVisible()
    list_width, detail_width = history.split.sizes()
    assert detail_width >= 0.6 * (list_width + detail_width), "the list gives the diff room"
    assert {f.path for f in history.review.changes.files} == {"greet.py", "app.py"}
    assert tree(project) == before, "nothing written before Apply"

    history.review.apply_button.click()
    qtbot.waitUntil(lambda: gui.core.tasks.get(task.id).patch_state is PatchState.APPLIED, timeout=15_000)
    qtbot.waitUntil(lambda: history.review.state.text() == "Applied", timeout=10_000)
    assert tree(project)["greet.py"] == b"def greet():\n    return 'hi'\n"
    qtbot.waitUntil(lambda: history.model.index(0, 1).data() == "Applied", timeout=10_000)
    qtbot.waitUntil(lambda: w.review.state.text() == "Applied", timeout=10_000)  # the main window agrees
    assert w.banner.isVisible() and "Applied 2 files" in w.banner.text

    qtbot.waitUntil(history.review.undo_button.isEnabled, timeout=10_000)
    history.review.undo_button.click()
    qtbot.waitUntil(lambda: gui.core.tasks.get(task.id).patch_state is PatchState.PENDING, timeout=15_000)
    qtbot.waitUntil(lambda: history.review.state.text() == "To review", timeout=10_000)
    assert tree(project) == before
    qtbot.waitUntil(lambda: history.model.index(0, 1).data() == "To review", timeout=10_000)
    assert gui.failures == []
