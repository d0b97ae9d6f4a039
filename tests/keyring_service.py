"""A real Secret Service for tests: gnome-keyring on a private D-Bus session bus.

Everything lives in a fresh temporary directory (HOME, XDG_*, the bus socket),
so the user's own keyring is never read or written. If the daemons cannot be
started the tests that need them fail: a no-op or plaintext backend would let
the secret-handling code pass without ever touching a keyring.

In pytest::

    from tests.keyring_service import clean_keyring, keyring_service  # noqa: F401

Outside pytest (scripts, benchmarks)::

    with running_keyring_service() as service:
        ...  # keyring now talks to service.address

Needs the ``dbus-daemon`` and ``gnome-keyring-daemon`` executables (Debian:
``apt-get install dbus gnome-keyring``). Works as root and without a display.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

SECRETS_BUS_NAME = "org.freedesktop.secrets"
UNLOCK_PASSWORD = "aicode-test-keyring"
START_TIMEOUT_S = 15.0

# No <servicedir>: nothing is D-Bus-activated behind our back, so the bus
# only ever has the daemon we start ourselves.
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class KeyringServiceError(RuntimeError):
    """The private Secret Service could not be started."""


# Every restart of a test keyring daemon, for the run's summary (tests/conftest.py).
# Not a warning: this suite turns warnings into errors, and the restart is
# there so that the tests after a crash need not fail.
DAEMON_CRASHES: list[str] = []

@dataclass
class KeyringService:
    """A running bus + gnome-keyring pair; ``stop()`` undoes everything."""

    root: Path
    address: str
    _bus: subprocess.Popen[bytes]
    _daemon: subprocess.Popen[bytes]
    _logs: list[IO[bytes]]
    _saved_env: dict[str, str | None]
    _saved_backend: Any
    _stopped: bool = field(default=False)
    _env: dict[str, str] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)  # the daemon's last words, each time it was restarted

    def use_backend(self) -> None:
        """Point keyring at this service (tests may have swapped the backend)."""
        import keyring
        from keyring.backends import SecretService

        os.environ["DBUS_SESSION_BUS_ADDRESS"] = self.address
        keyring.set_keyring(SecretService.Keyring())

    def clear(self) -> None:
        """Delete every item in the default collection."""
        import secretstorage

        with closing(secretstorage.dbus_init()) as conn:
            collection = secretstorage.get_default_collection(conn)
            for item in collection.get_all_items():
                item.delete()

    def lock(self) -> None:
        """Lock the default collection (there is no prompt to unlock it again)."""
        import secretstorage

        with closing(secretstorage.dbus_init()) as conn:
            secretstorage.get_default_collection(conn).lock()

    def logs(self) -> str:
        """The daemons' output so far, for failure messages."""
        return _read_logs(self.root)

    def revive(self) -> None:
        """Start the keyring daemon again if it died between tests, on the same
        bus (so every address the tests handed out stays good); the run's
        summary lists each restart.

        gnome-keyring itself aborts, rarely and only on a loaded machine, on a
        GLib assertion when a client disconnects while its property read is
        still queued (gkd_secret_service_get_pkcs11_session: 'client' failed).
        The test running then fails as it should; the next ones need not.
        Each test clears the keyring anyway, so a new daemon loses nothing."""
        if self._stopped or self._daemon.poll() is None or self._bus.poll() is not None or not self._env:
            return
        last_words = self.logs()[-2000:]
        report = f"gnome-keyring-daemon exited {self._daemon.returncode}: {last_words}"
        self.crashes.append(report)
        DAEMON_CRASHES.append(report)
        # A fresh keyring file for the new daemon, made and unlocked with the known password
        # (the dead one's may be half-written; each test clears the keyring anyway).
        shutil.rmtree(Path(self._env["XDG_DATA_HOME"]) / "keyrings", ignore_errors=True)
        self._daemon = _start_keyring_daemon(self.root, self._env, self._logs)
        _wait_for_name(self.address, SECRETS_BUS_NAME, self._daemon, self.root)
        _wait_for_unlocked(self.address, self._daemon, self.root)

    def clear_reviving(self) -> None:
        """``clear()``; if the daemon dies under it (the abort ``revive`` describes), start it
        again and clear the new one."""
        try:
            self.clear()
        except Exception:
            if self._daemon.poll() is None:
                raise
            self.revive()
            self.clear()

    def check_alive(self) -> None:
        """Fail with the daemons' exit codes and output if either has gone
        (later tests would only say that no Secret Service answers)."""
        gone = {name: proc.returncode for name, proc in (("gnome-keyring-daemon", self._daemon),
                                                          ("dbus-daemon", self._bus)) if proc.poll() is not None}
        if gone:
            raise KeyringServiceError(f"the test Secret Service stopped: {gone}; its output:\n{self.logs()}")

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        for proc in (self._daemon, self._bus):
            _terminate(proc)
        for log in self._logs:
            log.close()
        _restore_env(self._saved_env)
        _restore_backend(self._saved_backend)
        shutil.rmtree(self.root, ignore_errors=True)


def start_keyring_service() -> KeyringService:
    """Start a private bus and an unlocked gnome-keyring; select its backend.

    Sets DBUS_SESSION_BUS_ADDRESS in this process (the daemons additionally
    get HOME and XDG_* inside the temporary directory). Raises
    KeyringServiceError when anything is missing or does not come up.
    """
    for exe in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(exe) is None:
            raise KeyringServiceError(
                f"{exe} not found: install the 'dbus' and 'gnome-keyring' packages"
            )
    import keyring.core

    saved_backend = getattr(keyring.core, "_keyring_backend", None)
    root = Path(tempfile.mkdtemp(prefix="aicode-kr-"))
    env = _private_env(root)
    logs: list[IO[bytes]] = []
    procs: list[subprocess.Popen[bytes]] = []
    try:
        bus, address = _start_bus(root, env, logs)
        procs.append(bus)
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        daemon = _start_keyring_daemon(root, env, logs)
        procs.append(daemon)
        _wait_for_name(address, SECRETS_BUS_NAME, daemon, root)
    except BaseException:
        for proc in reversed(procs):
            _terminate(proc)
        for log in logs:
            log.close()
        shutil.rmtree(root, ignore_errors=True)
        raise
    saved_env = {"DBUS_SESSION_BUS_ADDRESS": os.environ.get("DBUS_SESSION_BUS_ADDRESS")}
    service = KeyringService(root, address, bus, daemon, logs, saved_env, saved_backend, _env=env)
    service.use_backend()
    return service


@contextmanager
def running_keyring_service() -> Iterator[KeyringService]:
    service = start_keyring_service()
    try:
        yield service
    finally:
        service.stop()


# One service per test session even if several conftests import the fixture.
class _Shared:
    lock = threading.Lock()
    service: KeyringService | None = None
    users = 0


@contextmanager
def _shared_service() -> Iterator[KeyringService]:
    with _Shared.lock:
        if _Shared.service is None:
            _Shared.service = start_keyring_service()
        _Shared.users += 1
        service = _Shared.service
    try:
        yield service
    finally:
        with _Shared.lock:
            _Shared.users -= 1
            if _Shared.users == 0:
                _Shared.service = None
                service.stop()


def revive_shared_daemon() -> None:
    """Start the session's keyring daemon again if it is dead (a restart is listed in DAEMON_CRASHES)."""
    if _Shared.service is not None:
        _Shared.service.revive()


@pytest.fixture(scope="session")
def keyring_service() -> Iterator[KeyringService]:
    """The session's real Secret Service (errors, never skips, if unavailable)."""
    with _shared_service() as service:
        yield service


@pytest.fixture
def clean_keyring(keyring_service: KeyringService) -> Iterator[KeyringService]:
    """The Secret Service backend selected and empty, for one test."""
    keyring_service.revive()
    keyring_service.check_alive()
    keyring_service.use_backend()
    keyring_service.clear_reviving()
    yield keyring_service
    keyring_service.use_backend()  # a test may have selected another backend
    keyring_service.clear_reviving()


def _private_env(root: Path) -> dict[str, str]:
    home = root / "home"
    runtime = root / "runtime"
    for path in (home, runtime):
        path.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "DBUS_"))}
    env.update(
        HOME=str(home),
        XDG_RUNTIME_DIR=str(runtime),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
    )
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    return env


def _start_bus(
    root: Path, env: dict[str, str], logs: list[IO[bytes]]
) -> tuple[subprocess.Popen[bytes], str]:
    config = root / "bus.conf"
    config.write_text(_BUS_CONFIG.format(socket=root / "bus"))
    log = open(root / "dbus-daemon.log", "wb")  # noqa: SIM115 - closed by stop()
    logs.append(log)
    bus = subprocess.Popen(
        ["dbus-daemon", "--nofork", f"--config-file={config}", "--print-address=1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log,
        env=env,
    )
    assert bus.stdout is not None
    with bus.stdout:
        address = bus.stdout.readline().decode().strip()
    if not address:
        _terminate(bus)
        raise KeyringServiceError(f"dbus-daemon did not start:\n{_read_logs(root)}")
    return bus, address


def _start_keyring_daemon(
    root: Path, env: dict[str, str], logs: list[IO[bytes]]
) -> subprocess.Popen[bytes]:
    log = open(root / "gnome-keyring-daemon.log", "wb")  # noqa: SIM115
    logs.append(log)
    # --unlock reads the login keyring's password from stdin (and creates the
    # keyring with it on first use); --foreground keeps it our child to reap.
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=log,
        env=env,
    )
    assert daemon.stdin is not None
    with daemon.stdin:
        daemon.stdin.write(UNLOCK_PASSWORD.encode())
    return daemon


def _wait_for_name(
    address: str, name: str, daemon: subprocess.Popen[bytes], root: Path
) -> None:
    from jeepney import DBus
    from jeepney.io.blocking import open_dbus_connection

    deadline = time.monotonic() + START_TIMEOUT_S
    with open_dbus_connection(bus=address) as conn:
        while time.monotonic() < deadline:
            reply = conn.send_and_get_reply(DBus().NameHasOwner(name))
            if reply.body[0]:
                return
            if daemon.poll() is not None:
                break
            time.sleep(0.02)
    raise KeyringServiceError(
        f"{name} never appeared on the private bus:\n{_read_logs(root)}"
    )


def _wait_for_unlocked(address: str, daemon: subprocess.Popen[bytes], root: Path) -> None:
    """Until the default collection answers unlocked (the name is owned before the
    daemon has read its password)."""
    import secretstorage
    from jeepney.io.blocking import open_dbus_connection

    deadline = time.monotonic() + START_TIMEOUT_S
    with open_dbus_connection(bus=address) as conn:
        while time.monotonic() < deadline and daemon.poll() is None:
            with suppress(secretstorage.exceptions.SecretStorageException):
                if not secretstorage.get_default_collection(conn).is_locked():
                    return
            time.sleep(0.02)
    raise KeyringServiceError(f"the test keyring never came up unlocked:\n{_read_logs(root)}")


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            with suppress(OSError):
                stream.close()


def _read_logs(root: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(root.glob("*.log")))


def _restore_env(saved: dict[str, str | None]) -> None:
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _restore_backend(saved: Any) -> None:
    import keyring
    from keyring.backends import fail

    # With no backend to go back to, the fail backend beats auto-detection,
    # which would probe the user's real session bus.
    keyring.set_keyring(saved if saved is not None else fail.Keyring())
