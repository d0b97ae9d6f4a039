"""The tray icon, and telling the person when a task ends or needs them.

A notice goes, in order of preference:

1. to the desktop's notification server over D-Bus (``notify_bus``), which
   every Linux desktop has, with or without a tray; clicking it opens the task;
2. to the tray icon's balloon (``QSystemTrayIcon.showMessage``) when there is
   a tray but no notification server;
3. to the main window's in-app banner otherwise, and always while the window
   is in front (the person is looking at the app already).

A notice that a task needs the person is a notification of its own kind: it
names what the agent asks, is urgent, stays until it is clicked, and is taken
back once nothing waits any more. The tray's tooltip and icon count the
tasks that wait on the person.

Without a system tray (``isSystemTrayAvailable()`` is false on many Wayland
desktops and on servers) closing the window cannot keep tasks running out of
sight, so the close question does not offer it.
"""

from __future__ import annotations

import html
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
from desktop.ui.notify.notices import Notice, NoticeKind
from desktop.ui.notify.notify_bus import Clicked, NotificationBus, NotificationsUnavailable

log = logging.getLogger(__name__)

DESKTOP, TRAY, BANNER = "desktop", "tray", "banner"


@dataclass(frozen=True)
class NoticeShown:
    notice: Notice
    route: str  # DESKTOP, TRAY or BANNER
    detail: str = ""  # why the desktop route was not taken, when it was not


# How each kind of notice asks the notification server to show it: category, urgent, stays (no time-out).
DESKTOP_STYLE = {
    NoticeKind.FINISHED: ("x-aicode.task.finished", False, False),
    NoticeKind.NEEDS_INPUT: ("x-aicode.task.needs-input", True, True),
    NoticeKind.INFO: ("", False, False),
}
TIMEOUT_MS = 10_000
MENU_TASKS = 10  # the most tasks of each kind the menu lists


class Tray(QObject):
    """Signals:
        show_requested(): bring the main window back.
        quit_requested(): Quit from the tray menu.
        task_activated(TaskRef): a running task or one to review was picked in the menu, or a notice clicked.
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
        self._waiting_ids: dict[int, str] = {}  # notification id -> task id, for those saying a task needs you
        self.tooltip = ""
        self._clicks: StreamReader | None = None
        self.icon: QSystemTrayIcon | None = None
        self.menu = QMenu(window)
        self._running: list[Task] = []
        self._to_review: list[Task] = []  # ended, their change not yet applied or discarded
        self._names: dict[str, str] = {}  # workspace id -> name, for the menu's entries
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
        """The queued and running tasks: counted in the tooltip and icon, listed in the menu
        (those that wait on the person first)."""
        self._running = list(tasks)
        self._names = names or self._names
        self._rebuild()

    def set_to_review(self, tasks: list[Task], names: dict[str, str] | None = None) -> None:
        """The ended tasks whose change waits for review (newest first): listed under the running ones."""
        self._to_review = list(tasks)
        self._names = names or self._names
        self._rebuild()

    def _rebuild(self) -> None:
        tasks, to_review = self._running, self._to_review
        count = len(tasks)
        needing = sum(t.needs_input for t in tasks)
        self.menu.clear()
        self.menu.addAction(icons.app_icon(), "Show AICode Manager", self.show_requested.emit)
        self.menu.addSeparator()
        if tasks:
            header = self.menu.addAction(_counts(count, needing))
            header.setEnabled(False)
            for task in sorted(tasks, key=lambda t: not t.needs_input)[:MENU_TASKS]:
                self._add_task(task, f" — {formatting.NEEDS_INPUT_LABEL.lower()}" if task.needs_input else "")
        else:
            idle = self.menu.addAction("No tasks running")
            idle.setEnabled(False)
        if to_review:
            self.menu.addSeparator()
            header = self.menu.addAction(formatting.to_review(len(to_review)))
            header.setEnabled(False)
            for task in to_review[:MENU_TASKS]:
                self._add_task(task)
        self.menu.addSeparator()
        self.menu.addAction("Quit", self.quit_requested.emit)
        parts = [_counts(count, needing)] if count else []
        parts += [formatting.to_review(len(to_review))] if to_review else []
        self.tooltip = f"AICode Manager — {', '.join(parts)}" if parts else "AICode Manager"
        if self.icon is not None:
            self.icon.setIcon(icons.tray_icon(count, needing))
            self.icon.setToolTip(self.tooltip)

    def _add_task(self, task: Task, suffix: str = "") -> None:
        text = formatting.first_line(task.prompt, 48)
        where = self._names.get(task.workspace_id)
        text = f"{where}: {text}" if where else text
        action = self.menu.addAction(icons.task_icon(task), text + suffix)
        action.triggered.connect(lambda _c=False, t=task.id: self.task_activated.emit(TaskRef(t)))

    def notify(self, notice: Notice) -> str:
        """Tell the person; returns the route tried first (the desktop one may still fall back)."""
        if self._window.isVisible() and self._window.isActiveWindow():
            return self._show_banner(notice)
        if self.desktop is not None:
            aio.spawn(self._send_desktop(self.desktop, notice), name="desktop notification")
            return DESKTOP
        return self._fallback(notice)

    def withdraw(self, task_id: str) -> None:
        """Nothing of ``task_id`` waits on the person any more: its "needs you" notifications go."""
        numbers = [n for n, t in self._waiting_ids.items() if t == task_id]
        for number in numbers:
            del self._waiting_ids[number]
        if self.desktop is not None and numbers:
            aio.spawn(self._withdraw_desktop(self.desktop, numbers), name="withdraw notifications")
        if self._banner_task == task_id and self._banner.property("tone") == "warning":
            self._banner.hide()

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
        category, urgent, stays = DESKTOP_STYLE[notice.kind]
        title = f"{notice.title}: {notice.asks}" if notice.asks else notice.title  # a summary is plain text
        try:
            number = await aio.run_blocking(bus.notify, title, notice.text, urgent=urgent or notice.tone == "danger",
                                            icon=icon, timeout_ms=0 if stays else TIMEOUT_MS, category=category)
        except NotificationsUnavailable as error:
            log.info("no desktop notification: %s", error)
            self._fallback(notice, str(error))
            return
        except Exception as error:  # noqa: BLE001 - a notice must never take the app down
            log.warning("desktop notification failed", exc_info=True)
            self._fallback(notice, str(error) or type(error).__name__)
            return
        self._desktop_ids[number] = notice.task_id
        if notice.kind is NoticeKind.NEEDS_INPUT and notice.task_id:
            self._waiting_ids[number] = notice.task_id
        self._listen_for_clicks()
        self.notified.emit(NoticeShown(notice, DESKTOP))

    async def _withdraw_desktop(self, bus: NotificationBus, numbers: list[int]) -> None:
        for number in numbers:
            try:
                await aio.run_blocking(bus.withdraw, number)
            except Exception:  # noqa: BLE001 - closed by the person already, or the server went away
                log.info("notification %s could not be withdrawn", number, exc_info=True)

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
            # The balloon's title may be read as rich text: the agent's words go in its plain-text body.
            text = f"{notice.asks}\n{notice.text}" if notice.asks else notice.text
            self.icon.showMessage(notice.title, text, kind, 8000)
            self.notified.emit(NoticeShown(notice, TRAY, why))
            return TRAY
        return self._show_banner(notice, why)

    def _show_banner(self, notice: Notice, why: str = "") -> str:
        self._banner_task = notice.task_id
        # The banner is rich text; nothing of a notice is markup (prompts, names, the agent's words).
        body = " — ".join(html.escape(part) for part in (notice.asks, *notice.text.split("\n")) if part)
        self._banner.show_message(f"<b>{html.escape(notice.title)}</b> — {body}", notice.tone,
                                  "Show" if notice.task_id else "")
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


def _counts(running: int, needing: int) -> str:
    """"3 tasks running", or "3 tasks running, 1 needs you"."""
    text = f"{running} task{'s' if running != 1 else ''} running"
    return f"{text}, {formatting.need_you(needing)}" if needing else text
