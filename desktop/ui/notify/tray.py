"""The tray icon, and telling the person when a task ends.

A notice goes, in order of preference:

1. to the desktop's notification server over D-Bus (``notify_bus``), which
   every Linux desktop has, with or without a tray; clicking it opens the task;
2. to the tray icon's balloon (``QSystemTrayIcon.showMessage``) when there is
   a tray but no notification server;
3. to the main window's in-app banner otherwise, and always while the window
   is in front (the person is looking at the app already).

Without a system tray (``isSystemTrayAvailable()`` is false on many Wayland
desktops and on servers) closing the window cannot keep tasks running out of
sight, so the close question does not offer it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from desktop.domain import Task
from desktop.paths import resources_dir
from desktop.ui.bridge import aio
from desktop.ui.bridge.payloads import TaskRef
from desktop.ui.bridge.stream_reader import ItemsArrived, StreamReader
from desktop.ui.look import formatting, icons
from desktop.ui.look.widgets import Banner
from desktop.ui.notify.notify_bus import Clicked, NotificationBus, NotificationsUnavailable

log = logging.getLogger(__name__)

DESKTOP, TRAY, BANNER = "desktop", "tray", "banner"


@dataclass(frozen=True)
class Notice:
    title: str
    text: str
    tone: str  # success, danger, info
    task_id: str | None = None


@dataclass(frozen=True)
class NoticeShown:
    notice: Notice
    route: str  # DESKTOP, TRAY or BANNER
    detail: str = ""  # why the desktop route was not taken, when it was not


def finished_notice(task: Task, workspace_name: str) -> Notice:
    prompt = formatting.first_line(task.prompt, 80)
    state = formatting.STATE_LABELS[task.state].lower()
    tone = {"succeeded": "success", "failed": "danger"}.get(task.state.value, "info")
    detail = f" · {formatting.task_duration(task)}" if task.started_at and task.finished_at else ""
    if task.cost_usd:
        detail += f" · {formatting.cost(task.cost_usd)}"
    reason = f"\n{formatting.first_line(task.error, 120)}" if task.error and task.state.value == "failed" else ""
    return Notice(f"Task {state} in {workspace_name}", prompt + detail + reason, tone, task.id)


class Tray(QObject):
    """Signals:
        show_requested(): bring the main window back.
        quit_requested(): Quit from the tray menu.
        task_activated(TaskRef): a running task was picked in the menu, or a notice clicked.
        notified(NoticeShown): a notice went out, and where.
    """

    show_requested = Signal()
    quit_requested = Signal()
    task_activated = Signal(object)
    notified = Signal(object)

    def __init__(self, window: QWidget, banner: Banner, available: bool | None = None,
                 desktop: NotificationBus | None = None, use_desktop: bool = True) -> None:
        super().__init__(window)
        self._window = window
        self._banner = banner
        self._banner_task: str | None = None
        self.available = QSystemTrayIcon.isSystemTrayAvailable() if available is None else available
        self.desktop = (desktop or NotificationBus()) if use_desktop else None
        self._desktop_ids: dict[int, str | None] = {}  # notification id -> task id
        self._clicks: StreamReader | None = None
        self.icon: QSystemTrayIcon | None = None
        self.menu = QMenu(window)
        self._running: list[Task] = []
        self._balloon_task: str | None = None
        banner.action_triggered.connect(self._banner_clicked)
        if self.available:
            self.icon = QSystemTrayIcon(icons.tray_icon(), self)
            self.icon.setContextMenu(self.menu)
            self.icon.activated.connect(self._activated)
            self.icon.messageClicked.connect(self._balloon_clicked)
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

    def notify(self, notice: Notice) -> str:
        """Tell the person; returns the route tried first (the desktop one may still fall back)."""
        if self._window.isVisible() and self._window.isActiveWindow():
            return self._show_banner(notice)
        if self.desktop is not None:
            aio.spawn(self._send_desktop(self.desktop, notice), name="desktop notification")
            return DESKTOP
        return self._fallback(notice)

    def close(self) -> None:
        """At exit: stop listening for clicks and leave the bus."""
        if self._clicks is not None:
            self._clicks.stop()
            self._clicks = None
        if self.desktop is not None:
            self.desktop.close()
        if self.icon is not None:
            self.icon.hide()

    # -- the desktop route ---------------------------------------------------

    async def _send_desktop(self, bus: NotificationBus, notice: Notice) -> None:
        icon = str(resources_dir() / "icons" / "app.svg")
        try:
            number = await aio.run_blocking(bus.notify, notice.title, notice.text, urgent=notice.tone == "danger",
                                            icon=icon)
        except NotificationsUnavailable as error:
            log.info("no desktop notification: %s", error)
            self._fallback(notice, str(error))
            return
        except Exception as error:  # noqa: BLE001 - a notice must never take the app down
            log.warning("desktop notification failed", exc_info=True)
            self._fallback(notice, str(error) or type(error).__name__)
            return
        self._desktop_ids[number] = notice.task_id
        self._listen_for_clicks()
        self.notified.emit(NoticeShown(notice, DESKTOP))

    def _listen_for_clicks(self) -> None:
        if self._clicks is not None or self.desktop is None:
            return
        bus = self.desktop

        def clicks(stop: threading.Event) -> Iterator[Clicked]:
            return bus.clicks(stop)

        self._clicks = StreamReader("notification clicks", clicks, self)
        self._clicks.items_arrived.connect(self._desktop_clicked)
        self._clicks.start()

    def _desktop_clicked(self, batch: ItemsArrived) -> None:
        for click in batch.items:
            self.notification_clicked(click.notification_id)

    def notification_clicked(self, notification_id: int) -> None:
        """A desktop notification of ours was clicked: show the window, and its task."""
        if notification_id not in self._desktop_ids:
            return  # another app's, or from before a restart
        task_id = self._desktop_ids[notification_id]
        self.show_requested.emit()
        if task_id:
            self.task_activated.emit(TaskRef(task_id))

    # -- the tray's balloon and the banner ---------------------------------

    def _fallback(self, notice: Notice, why: str = "") -> str:
        if self.icon is not None:
            kind = {"danger": QSystemTrayIcon.MessageIcon.Warning}.get(notice.tone,
                                                                       QSystemTrayIcon.MessageIcon.Information)
            self._balloon_task = notice.task_id
            self.icon.showMessage(notice.title, notice.text, kind, 8000)
            self.notified.emit(NoticeShown(notice, TRAY, why))
            return TRAY
        return self._show_banner(notice, why)

    def _show_banner(self, notice: Notice, why: str = "") -> str:
        self._banner_task = notice.task_id
        body = notice.text.replace("\n", " — ")
        self._banner.show_message(f"<b>{notice.title}</b> — {body}", notice.tone, "Show" if notice.task_id else "")
        self.notified.emit(NoticeShown(notice, BANNER, why))
        return BANNER

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_requested.emit()

    def _balloon_clicked(self) -> None:
        self.show_requested.emit()
        if self._balloon_task:
            self.task_activated.emit(TaskRef(self._balloon_task))

    def _banner_clicked(self) -> None:
        self.show_requested.emit()
        if self._banner_task:
            self.task_activated.emit(TaskRef(self._banner_task))
        self._banner.hide()
