"""Driving the real window over the real Core: set-up, teardown and the steps
the tests share (add a workspace, run a prompt, wait for a task to end)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.domain import Task, TaskState, Workspace
from desktop.services.app import App
from desktop.services.workspaces import WorkspaceSpec
from desktop.ui.app import settle_heap
from desktop.ui.bridge.binding import Binding
from desktop.ui.bridge.controller import Controller
from desktop.ui.bridge.payloads import OperationFailed
from desktop.ui.notify.tray import NoticeShown, Tray
from desktop.ui.window.main_window import MainWindow

TASK_TIMEOUT_MS = 90_000


@dataclass
class Gui:
    core: App
    window: MainWindow
    controller: Controller
    binding: Binding
    tray: Tray
    qtbot: object
    failures: list[OperationFailed] = field(default_factory=list)
    notices: list[NoticeShown] = field(default_factory=list)

    # -- steps --------------------------------------------------------------

    def add_workspace(self, name: str, folder: Path, permission_mode: str = "bypassPermissions") -> Workspace:
        """Add a folder workspace through the Core (the dialog has its own test) and select it.
        It never asks unless ``permission_mode`` says otherwise ("default" asks)."""
        ws = self.core.workspaces.add(WorkspaceSpec(name=name, path=str(folder),
                                                    permission_mode=permission_mode))
        self.controller.refresh_workspaces()
        self.qtbot.waitUntil(lambda: self.window.sidebar.model.row_of(ws.id) >= 0)
        self.window.sidebar.select(ws.id)
        self.qtbot.waitUntil(lambda: self.window.sidebar.current_id() == ws.id)
        return ws

    def run_prompt(self, prompt: str) -> Task:
        """Type a prompt and press Ctrl+Enter; returns the task once it is shown."""
        w = self.window
        before = w.shown_task.id if w.shown_task else None
        w.prompt.edit.setFocus()
        self.qtbot.keyClicks(w.prompt.edit, prompt)
        self.qtbot.keyClick(w.prompt.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        self.qtbot.waitUntil(lambda: w.shown_task is not None and w.shown_task.id != before
                             and w.shown_task.prompt == prompt, timeout=10_000)
        assert w.shown_task is not None
        return w.shown_task

    def wait_shown_final(self, timeout: int = TASK_TIMEOUT_MS) -> Task:
        w = self.window
        self.qtbot.waitUntil(lambda: w.shown_task is not None and w.shown_task.is_final, timeout=timeout)
        assert w.shown_task is not None
        return w.shown_task

    def wait_state(self, task_id: str, state: TaskState, timeout: int = TASK_TIMEOUT_MS) -> Task:
        self.qtbot.waitUntil(lambda: self.core.tasks.get(task_id).state is state, timeout=timeout)
        return self.core.tasks.get(task_id)


@contextmanager
def open_gui(core: App, qtbot, qapp: QApplication, tray: Tray | None = None) -> Iterator[Gui]:  # noqa: ANN001
    window = MainWindow()
    controller = Controller(core, window)
    tray = tray or Tray(window, window.banner)
    binding = Binding(qapp, window, controller, tray)
    gui = Gui(core, window, controller, binding, tray, qtbot)
    controller.operation_failed.connect(gui.failures.append)
    tray.notified.connect(gui.notices.append)
    window.show()
    qtbot.waitExposed(window)
    binding.start()
    settle_heap()  # as desktop.ui.app.wire does
    try:
        yield gui
    finally:
        controller.shutdown(wait=2.0)
        tray.close()
        window.quit_requested.disconnect()  # closing must not quit the tests' QApplication
        window.set_running_count(0)
        binding.dialogs.close_all()
        window.hide()
        window.deleteLater()
        QApplication.processEvents()


def settled(qtbot, timeout: int = 20_000) -> None:  # noqa: ANN001
    """Wait until no services call of the window is in flight and their answers
    were handled: what would happen after them (a late word) has happened."""
    from PySide6.QtCore import QCoreApplication

    from desktop.ui.bridge import aio

    qtbot.waitUntil(lambda: aio.pending() == 0, timeout=timeout)
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()


def close_core(app: App) -> None:
    """Cancel what still runs, wait for it, remove every workspace (containers, volumes), close."""
    for task in app.tasks.list(states=[TaskState.QUEUED, TaskState.RUNNING]):
        try:
            app.tasks.cancel(task.id)
        except Exception:  # noqa: BLE001 - it ended meanwhile
            pass
    deadline = time.monotonic() + 30
    while app.tasks.list(states=[TaskState.QUEUED, TaskState.RUNNING]) and time.monotonic() < deadline:
        time.sleep(0.1)
    for ws in app.workspaces.list():
        app.workspaces.remove(ws.id)
    app.close()


def make_project(root: Path, name: str = "project") -> Path:
    """A git project with a commit and an uncommitted note of the user's."""
    project = root / name
    project.mkdir()

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True)

    git("init", "-q")
    (project / "app.py").write_text("def main():\n    return 1\n")
    (project / "README.md").write_text("# Demo\n")
    git("add", "-A")
    git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    (project / "notes.txt").write_text("mine\n")
    return project


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(folder).parts}
