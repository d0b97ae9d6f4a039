"""A real little desktop for the tray and notification tests: an X server
(Xvfb), optionally a system tray (trayer), and a private D-Bus session bus
(dbus-run-session) with a Secret Service (gnome-keyring) and optionally a
notification server (dunst, printing every notification it receives).

The bus has no service directory, so nothing is D-Bus-activated behind the
test's back (the system's dunst.service would otherwise start a notification
server on the first Notify). Every process is our child, in its own process
group, and is ended by ``stop()``; whatever cannot be started raises
``DesktopError`` with the tool's output, and the tests fail with it.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

START_TIMEOUT_S = 15.0
KEYRING_PASSWORD = "aicode-desktop-test"

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={root}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class DesktopError(RuntimeError):
    """A piece of the test desktop did not start."""


@dataclass
class Desktop:
    root: Path
    display: str = ""
    bus: str = ""
    env: dict[str, str] = field(default_factory=dict)  # for the app under test
    dunst_log: Path | None = None
    _procs: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    left_behind: dict[str, bool] = field(default_factory=dict)  # after stop(): did a process group outlive it?

    def notifications(self) -> list[dict[str, str]]:
        """What dunst printed: one dict per notification (summary, body, appname, urgency...)."""
        if self.dunst_log is None or not self.dunst_log.exists():
            return []
        found: list[dict[str, str]] = []
        current: dict[str, str] | None = None
        open_key = ""  # a quoted value that goes on over several lines (a body with a line break)
        for line in self.dunst_log.read_text(errors="replace").splitlines():
            text = line.strip()
            if current is not None and open_key:
                current[open_key] += "\n" + text.removesuffix("'")
                open_key = "" if text.endswith("'") else open_key
            elif text == "{":
                current = {}
            elif text == "}" and current is not None:
                found.append(current)
                current = None
            elif current is not None and ":" in text:
                key, _, value = text.partition(":")
                value = value.strip()
                if value.startswith("'") and (len(value) == 1 or not value.endswith("'")):
                    open_key = key.strip()
                current[key.strip()] = value.strip("'")
        return found

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')}" for p in sorted(self.root.glob("*.log")))

    def alive(self) -> dict[str, bool]:
        return {name: proc.poll() is None for name, proc in self._procs}

    def click_notification(self) -> None:
        """What a click on the newest notification does: dunst invokes its default action."""
        done = subprocess.run(["dunstctl", "action", "0"], env=self._tool_env(), capture_output=True, text=True,
                              timeout=10)
        if done.returncode != 0:
            raise DesktopError(f"dunstctl action failed: {done.stderr}")

    def stop(self) -> None:
        for name, proc in reversed(self._procs):
            self.left_behind[name] = not _end(proc)
        self._procs.clear()
        shutil.rmtree(self.root, ignore_errors=True)

    # -- starting -----------------------------------------------------------

    def _tool_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "XDG_", "WAYLAND_"))}
        env.update(HOME=str(self.root / "home"), XDG_RUNTIME_DIR=str(self.root / "runtime"),
                   XDG_DATA_HOME=str(self.root / "home" / ".local" / "share"),
                   XDG_CONFIG_HOME=str(self.root / "home" / ".config"),
                   XDG_CACHE_HOME=str(self.root / "home" / ".cache"))
        if self.display:
            env["DISPLAY"] = self.display
        if self.bus:
            env["DBUS_SESSION_BUS_ADDRESS"] = self.bus
        return env

    def _start(self, name: str, argv: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        if shutil.which(argv[0]) is None:
            raise DesktopError(f"{argv[0]} is not installed (scripts/setup.sh test installs it)")
        log = open(self.root / f"{name}.log", "wb")  # noqa: SIM115 - the child holds it; closed with the root
        kwargs.setdefault("stdout", log)
        proc = subprocess.Popen(argv, stdin=kwargs.pop("stdin", subprocess.DEVNULL), stderr=log,  # type: ignore[call-overload]
                                env=kwargs.pop("env", self._tool_env()), start_new_session=True, **kwargs)
        log.close()
        self._procs.append((name, proc))
        return proc

    def start_x(self) -> None:
        read, write = os.pipe()
        try:
            proc = self._start("xvfb", ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24",
                                        "-nolisten", "tcp", "-noreset"], pass_fds=(write,))
        finally:
            os.close(write)
        with os.fdopen(read, "rb") as pipe:
            number = pipe.readline().decode().strip()  # written once the server accepts clients
        if not number or proc.poll() is not None:
            raise DesktopError(f"Xvfb did not start:\n{self.logs()}")
        self.display = f":{number}"

    def start_bus(self) -> None:
        config = self.root / "bus.conf"
        config.write_text(_BUS_CONFIG.format(root=self.root))
        proc = self._start("bus", ["dbus-run-session", f"--config-file={config}", "--", "sh", "-c",
                                   'echo "$DBUS_SESSION_BUS_ADDRESS"; exec sleep 86400'], stdout=subprocess.PIPE)
        assert proc.stdout is not None
        address = proc.stdout.readline().decode().strip()
        proc.stdout.close()
        if not address:
            raise DesktopError(f"dbus-run-session did not start a bus:\n{self.logs()}")
        self.bus = address

    def start_keyring(self) -> None:
        proc = self._start("keyring", ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                           stdin=subprocess.PIPE)
        assert proc.stdin is not None
        with proc.stdin:
            proc.stdin.write(KEYRING_PASSWORD.encode())
        self._wait_for_name("org.freedesktop.secrets", proc)

    def start_tray(self) -> None:
        proc = self._start("trayer", ["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel",
                                      "--width", "120", "--height", "24", "--SetDockType", "true"])
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._has_window('("panel" "trayer")'):  # its panel is mapped: it holds the tray
            if proc.poll() is not None or time.monotonic() > deadline:
                raise DesktopError(f"trayer never showed its panel:\n{self.logs()}")
            time.sleep(0.05)

    def _has_window(self, wm_class: str) -> bool:
        tree = subprocess.run(["xwininfo", "-root", "-tree"], env=self._tool_env(), capture_output=True, text=True)
        return wm_class in tree.stdout

    def start_notifications(self) -> None:
        self.dunst_log = self.root / "dunst.log"
        proc = self._start("dunst", ["dunst", "-print"])
        self._wait_for_name("org.freedesktop.Notifications", proc)

    def _wait_for_name(self, name: str, proc: subprocess.Popen[bytes]) -> None:
        from jeepney import DBus
        from jeepney.io.blocking import open_dbus_connection

        deadline = time.monotonic() + START_TIMEOUT_S
        with open_dbus_connection(bus=self.bus) as conn:
            while time.monotonic() < deadline and proc.poll() is None:
                if conn.send_and_get_reply(DBus().NameHasOwner(name)).body[0]:
                    return
                time.sleep(0.05)
        raise DesktopError(f"{name} never appeared on the test bus:\n{self.logs()}")


@contextmanager
def desktop(tray: bool, notifications: bool) -> Iterator[Desktop]:
    """Xvfb, a private session bus with gnome-keyring, and optionally trayer and dunst."""
    root = Path(tempfile.mkdtemp(prefix="aicode-desk-"))
    for sub in ("home", "runtime"):
        (root / sub).mkdir(mode=0o700)
    session = Desktop(root)
    try:
        session.start_x()
        session.start_bus()
        session.start_keyring()
        if tray:
            session.start_tray()
        if notifications:
            session.start_notifications()
        session.env = session._tool_env() | {"QT_QPA_PLATFORM": "xcb"}
        yield session
    finally:
        session.stop()


def _end(proc: subprocess.Popen[bytes]) -> bool:
    """End a child and everything in its process group (dbus-run-session's bus and sleep):
    the group is the child's own (start_new_session), so only our processes are in it.
    Returns whether the whole group is gone."""
    if proc.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            with suppress(OSError):
                stream.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)  # is anyone of the group still there?
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False
