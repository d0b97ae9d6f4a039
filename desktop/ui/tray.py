"""The tray icon: running-task count, a menu, and notifications when a task ends.

Without a system tray (QSystemTrayIcon.isSystemTrayAvailable() is false on
many Wayland desktops and on servers) notifications become the main window's
in-app banner, and closing the window cannot keep tasks running out of sight.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from desktop.domain import Task
from desktop.ui import formatting, icons
from desktop.ui.payloads import TaskRef
from desktop.ui.widgets import Banner


@dataclass(frozen=True)
class Notice:
    title: str
    text: str
    tone: str  # success, danger, info
    task_id: str | None = None


def finished_notice(task: Task, workspace_name: str) -> Notice:
    prompt = formatting.first_line(task.prompt, 80)
    state = formatting.STATE_LABELS[task.state].lower()
    tone = {"succeeded": "success", "failed": "danger"}.get(task.state.value, "info")
    detail = f" · {formatting.task_duration(task)} · {formatting.cost(task.cost_usd)}" if task.cost_usd else ""
    return Notice(f"Task {state} in {workspace_name}", prompt + detail, tone, task.id)


class Tray(QObject):
    """Signals:
        show_requested(): bring the main window back.
        quit_requested(): Quit from the tray menu.
        task_activated(TaskRef): a running task was picked in the menu, or a notice clicked.
    """

    show_requested = Signal()
    quit_requested = Signal()
    task_activated = Signal(object)

    def __init__(self, window: QWidget, banner: Banner, available: bool | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._banner = banner
        self._last_task: str | None = None
        self.available = QSystemTrayIcon.isSystemTrayAvailable() if available is None else available
        self.icon: QSystemTrayIcon | None = None
        self.menu = QMenu(window)
        self._running: list[Task] = []
        banner.action_triggered.connect(self._banner_clicked)
        if self.available:
            self.icon = QSystemTrayIcon(icons.tray_icon(), self)
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self._activated)
            self.icon.messageClicked.connect(self._banner_clicked)
            self.icon.show()
        self.set_running([])

    def set_running(self, tasks: list[Task], names: dict[str, str] | None = None) -> None:
        self._running = list(tasks)
        names = names or {}
        count = len(tasks)
        self.menu.clear()
        self.menu.addAction(icons.app_icon(), "Show AICode Manager", self.show_requested.emit)
        self.menu.addSeparator()
        if tasks:
            header = self.menu.addAction(f"{count} task{'s' if count != 1 else ''} running")
            header.setEnabled(False)
            for task in tasks[:10]:
                text = formatting.first_line(task.prompt, 48)
                where = names.get(task.workspace_id)
                action = self.menu.addAction(icons.state_icon(task.state), f"{where}: {text}" if where else text)
                action.triggered.connect(lambda _c=False, t=task.id: self.task_activated.emit(TaskRef(t)))
        else:
            idle = self.menu.addAction("No tasks running")
            idle.setEnabled(False)
        self.menu.addSeparator()
        self.menu.addAction("Quit", self.quit_requested.emit)
        if self.icon is not None:
            self.icon.setIcon(icons.tray_icon(count))
            self.icon.setToolTip(f"AICode Manager — {count} task{'s' if count != 1 else ''} running"
                                 if count else "AICode Manager")

    def notify(self, notice: Notice, force_banner: bool = False) -> str:
        """Tell the person; returns where: "tray", "banner" or "" (window focused: the
        task list already shows it)."""
        self._last_task = notice.task_id
        focused = self._window.isVisible() and self._window.isActiveWindow()
        if self.icon is not None and not focused and not force_banner:
            kind = {"danger": QSystemTrayIcon.MessageIcon.Warning}.get(notice.tone, QSystemTrayIcon.MessageIcon.Information)
            self.icon.showMessage(notice.title, notice.text, kind, 8000)
            return "tray"
        if focused and not force_banner:
            return ""
        self._banner.show_message(f"<b>{notice.title}</b> — {notice.text}", notice.tone,
                                  "Show" if notice.task_id else "")
        return "banner"

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    def _banner_clicked(self) -> None:
        self.show_requested.emit()
        if self._last_task:
            self.task_activated.emit(TaskRef(self._last_task))
        self._banner.hide()
