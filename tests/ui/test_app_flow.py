"""The whole GUI over a fake Core: pick, run, watch, review, apply."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.domain import TaskState
from desktop.domain.task import PatchState
from desktop.ui.binding import Binding
from desktop.ui.controller import Controller
from desktop.ui.main_window import MainWindow
from desktop.ui.tray import Tray
from tests.ui import factories as f
from tests.ui.fake_core import FakeCore


def test_run_watch_and_apply(qasync_loop, qtbot, qapp) -> None:  # noqa: ANN001
    core = FakeCore([f.workspace(), f.workspace("ws2", "web", git=True)], [f.task("t1", minutes_ago=10)])
    core.emit("t1", f.finished_conversation("t1"))
    window = MainWindow()
    qtbot.addWidget(window)
    controller = Controller(core, window)
    binding = Binding(qapp, window, controller, Tray(window, window.banner, available=False))
    window.show()
    binding.start()

    # The workspace and its task show up, and the finished task's transcript and change.
    qtbot.waitUntil(lambda: window.tasks.model.rowCount() == 1)
    qtbot.waitUntil(lambda: len(window.transcript.rows) == 12 and window.transcript.idle())
    qtbot.waitUntil(window.changes.isVisible)
    assert window.changes.title.full_text().startswith("2 files")

    # Run a new task: it is selected, streams, ends, and offers its change.
    qtbot.keyClicks(window.prompt.edit, "Add a changelog entry")
    qtbot.keyClick(window.prompt.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.shown_task is not None and window.shown_task.id == "new1")
    assert window.prompt.cancel_button.isEnabled()
    core.emit("new1", f.finished_conversation("new1")[:6])
    qtbot.waitUntil(lambda: len(window.transcript.rows) >= 5)
    core.emit("new1", f.finished_conversation("new1")[6:])
    core.finish("new1")
    qtbot.waitUntil(lambda: window.shown_task.state is TaskState.SUCCEEDED, timeout=5000)
    qtbot.waitUntil(window.changes.isVisible)
    assert window.banner.isHidden() or "new1" not in window.banner.text
    window.changes.apply_button.click()
    qtbot.waitUntil(lambda: window.shown_task.patch_state is PatchState.APPLIED, timeout=5000)
    qtbot.waitUntil(lambda: window.changes.state.text() == "Applied")
    assert core.applied == ["new1"]
    controller.shutdown()
