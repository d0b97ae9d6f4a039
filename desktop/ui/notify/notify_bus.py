"""Desktop notifications over D-Bus (org.freedesktop.Notifications); no Qt.

Every Linux desktop (GNOME, KDE, XFCE, dunst, mako...) shows these, with or
without a system tray. Clicking one sends ``ActionInvoked`` back to the
connection that sent it, which is how a click opens the task.

Why not QtDBus: ``Notify`` takes its ``replaces_id`` as a D-Bus uint32 and
servers check the signature, but PySide6 turns every Python int into an
int32 and offers no typed QVariant or ``QDBusArgument << quint32`` to say
otherwise (dunst answers "does not match expected type (susssasa{sv}i)").
jeepney, the pure-Python D-Bus client keyring already uses for the Secret
Service, speaks the protocol on its own threads instead.

A server that shows markup in bodies (it says "body-markup" among its
capabilities) gets the body escaped: a body quotes the agent and the
person's prompt, neither of which is markup. Summaries are plain text by
the specification.

Calls block (a round trip on a local socket): run them off the GUI thread.
"""

from __future__ import annotations

import html
import logging
import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
APP_NAME = "AICode Manager"
DEFAULT_ACTION = "default"  # the spec's name for "the notification itself was clicked"
REPLY_TIMEOUT_S = 5.0
WAIT_S = 0.25  # how long the click reader waits before looking at its stop flag


class NotificationsUnavailable(Exception):
    """No session bus, or nothing on it shows notifications."""


@dataclass(frozen=True)
class Clicked:
    notification_id: int
    action: str


class NotificationBus:
    """One connection to the session bus, made on first use (thread-safe)."""

    def __init__(self, address: str | None = None) -> None:
        self._address = address
        self._lock = threading.Lock()
        self._router: Any = None
        self._filter: Any = None
        self._markup: bool | None = None  # does the server read bodies as markup?

    def _connect(self) -> Any:
        with self._lock:
            if self._router is not None:
                return self._router
            from jeepney import MatchRule, message_bus
            from jeepney.io.threading import DBusRouter, Proxy, open_dbus_connection

            address = self._address or os.environ.get("DBUS_SESSION_BUS_ADDRESS")
            if not address:
                raise NotificationsUnavailable("there is no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
            try:
                connection = open_dbus_connection(bus=address)
            except Exception as error:  # refused, no such socket, authentication failed
                raise NotificationsUnavailable(f"the session bus cannot be reached ({error})") from None
            router = DBusRouter(connection)
            # The server unicasts ActionInvoked to us; the match rule lets it through the bus.
            rule = MatchRule(type="signal", interface=SERVICE, member="ActionInvoked", path=PATH)
            try:
                Proxy(message_bus, router, timeout=REPLY_TIMEOUT_S).AddMatch(rule)
            except Exception as error:
                router.close()
                connection.close()
                raise NotificationsUnavailable(f"the session bus refused a match rule ({error})") from None
            self._filter = router.filter(rule, bufsize=64)
            self._router = router
            return router

    def notify(self, title: str, body: str, urgent: bool = False, icon: str = "", timeout_ms: int = 10_000,
               category: str = "") -> int:
        """Show a notification; returns its id (for ``Clicked``). ``timeout_ms`` 0: it stays until
        clicked or withdrawn. ``category``: the specification's hint ("x-vendor.class" for our own)."""
        from jeepney import DBusAddress, new_method_call

        router = self._connect()
        address = DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE)
        if self._markup is None:
            self._markup = "body-markup" in self._capabilities(router, address)
        hints = {"urgency": ("y", 2 if urgent else 1), "desktop-entry": ("s", "aicode-manager")}
        if category:
            hints["category"] = ("s", category)
        text = html.escape(body, quote=False) if self._markup else body
        message = new_method_call(address, "Notify", "susssasa{sv}i",
                                  (APP_NAME, 0, icon, title, text, [DEFAULT_ACTION, "Show"], hints, timeout_ms))
        return int(self._call(router, message)[0])

    def withdraw(self, notification_id: int) -> None:
        """Take a notification of ours off the screen (what it told is no longer so)."""
        from jeepney import DBusAddress, new_method_call

        router = self._connect()
        address = DBusAddress(PATH, bus_name=SERVICE, interface=SERVICE)
        self._call(router, new_method_call(address, "CloseNotification", "u", (notification_id,)))

    def _capabilities(self, router: Any, address: Any) -> list[str]:
        from jeepney import new_method_call

        try:
            return list(self._call(router, new_method_call(address, "GetCapabilities"))[0])
        except NotificationsUnavailable:
            raise
        except Exception:  # noqa: BLE001 - an odd answer: take the body as plain text
            return []

    @staticmethod
    def _call(router: Any, message: Any) -> tuple[Any, ...]:
        from jeepney import MessageType

        try:
            reply = router.send_and_get_reply(message, timeout=REPLY_TIMEOUT_S)
        except Exception as error:  # a timeout, or the bus went away
            raise NotificationsUnavailable(f"the notification server did not answer ({error})") from None
        if reply.header.message_type is MessageType.error:
            reason = reply.body[0] if reply.body else reply.header.fields.get(4, "error")
            raise NotificationsUnavailable(f"no notification server on the session bus ({reason})")
        return tuple(reply.body)

    def clicks(self, stop: threading.Event) -> Iterator[Clicked]:
        """Blocking: each click on one of our notifications, until ``stop`` is set."""
        self._connect()
        received = self._filter.queue
        while not stop.is_set():
            try:
                message = received.get(timeout=WAIT_S)
            except queue.Empty:
                continue
            if len(message.body) == 2:
                yield Clicked(int(message.body[0]), str(message.body[1]))

    def close(self) -> None:
        with self._lock:
            router, self._router = self._router, None
            handle, self._filter = self._filter, None
        if handle is not None:
            handle.close()
        if router is not None:
            router.close()  # stops its receiver thread, not the connection
            router.conn.close()
