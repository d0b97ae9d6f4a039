"""The warm `aicode` service: runs CLI commands in one long-lived process.

Importing SQLAlchemy, docker-py and keyring costs a fresh process ~0.3 s, and
opening the keyring and the engine more; the service pays that once. Each
connection runs one command in a thread of its own with its output sent
back; the database, engine client, keyring values and event hub are shared,
like in the desktop app. It exits when idle. Tasks it runs outlive the
client that asked: a killed terminal loses nothing.

Started by the client (``desktop.cli.client``) as ``python -m desktop.cli.service_server``.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import socket
import struct
import sys
import threading
import time
from pathlib import Path
from typing import Any

from desktop.cli import command_context, service_protocol
from desktop.cli.service_address import socket_path

IDLE_SECONDS = float(os.environ.get("AICODE_SERVICE_IDLE", "600"))
ACCEPT_POLL_SECONDS = 0.5
log = logging.getLogger("aicode.service")


class _ThreadStreams(io.TextIOBase):
    """sys.stdout / sys.stderr that write to the current connection, per thread."""

    def __init__(self, fallback: Any, key: str) -> None:
        self._fallback = fallback
        self._key = key
        self._local = threading.local()

    def bind(self, writer: Any, tty: bool = False) -> None:
        self._local.writer = writer
        self._local.tty = tty

    def write(self, text: str) -> int:
        writer = getattr(self._local, "writer", None)
        if writer is None:
            return self._fallback.write(text)
        writer(self._key, text)
        return len(text)

    def flush(self) -> None:
        if getattr(self._local, "writer", None) is None:
            self._fallback.flush()

    def isatty(self) -> bool:
        """Whether the client's own stream is a terminal."""
        if getattr(self._local, "writer", None) is None:
            return self._fallback.isatty()
        return bool(getattr(self._local, "tty", False))

    @property
    def buffer(self) -> Any:  # ``task diff`` writes bytes: send them as text
        return _BytesToText(self)


class _BytesToText:
    def __init__(self, stream: _ThreadStreams) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        self._stream.write(data.decode("utf-8", "surrogateescape"))
        return len(data)

    def flush(self) -> None:
        pass


class Service:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._active = 0
        self._last_activity = time.monotonic()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._stdout = _ThreadStreams(sys.stdout, "out")
        self._stderr = _ThreadStreams(sys.stderr, "err")

    def serve(self) -> None:
        from desktop.services.app import App

        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        listener.bind(str(tmp))
        os.chmod(tmp, 0o600)
        listener.listen(16)
        listener.settimeout(ACCEPT_POLL_SECONDS)  # to notice a stop
        os.replace(tmp, self.path)  # appears only once it accepts connections
        inode = self.path.stat().st_ino
        sys.stdout, sys.stderr = self._stdout, self._stderr
        # Not the working directory of the client that started it: clients send
        # absolute paths, and a relative one that slips through names ``/``,
        # which no command takes as a folder.
        os.chdir("/")
        self._app = App.for_process(runs_queue=False)
        threading.Thread(target=self._settle, daemon=True).start()
        threading.Thread(target=self._stop_when_idle, daemon=True).start()
        signal.signal(signal.SIGTERM, lambda *_: self._stopping.set())
        log.info("serving on %s", self.path)
        try:
            while not self._stopping.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                conn.settimeout(None)
                threading.Thread(target=self._handle, args=(conn,), daemon=True).start()
        finally:
            listener.close()
            # Not a newer service's socket that took the name meanwhile.
            if self.path.exists() and self.path.stat().st_ino == inode:
                self.path.unlink(missing_ok=True)
            self._app.shutdown()

    def _settle(self) -> None:
        try:
            self._app.reconcile(with_engine=False)
        except Exception:  # noqa: BLE001 - the commands settle again when needed
            log.exception("reconcile")
        # Tasks whose process quit while their agent went on (waiting for an
        # answer, say) are read to their end here; it needs the engine, so not
        # before the first command.
        threading.Thread(target=self._adopt, name="adopt", daemon=True).start()

    def _adopt(self) -> None:
        try:
            self._app.tasks.adopt_orphans()
        except Exception:  # noqa: BLE001 - an answer to such a task tries again
            log.exception("taking over tasks")

    def _stop_when_idle(self) -> None:
        while not self._stopping.wait(min(2.0, IDLE_SECONDS / 2)):
            # A task whose process quit after this service started (the one
            # before it, still shutting down when asked) is taken over now.
            try:
                if self._app.tasks.orphans():
                    self._adopt()
            except Exception:  # noqa: BLE001 - tried again at the next tick
                log.exception("looking for tasks to take over")
            with self._lock:
                idle = self._active == 0 and time.monotonic() - self._last_activity > IDLE_SECONDS
            if idle and not self._app.tasks.running_here():
                self._stopping.set()

    def _handle(self, conn: socket.socket) -> None:
        with self._lock:
            self._active += 1
        try:
            if not _same_user(conn):
                return
            reader = service_protocol.Reader(conn)
            request = reader.next()
            if request is None:
                return
            if request.get("shutdown"):
                self._stopping.set()
                service_protocol.send(conn, {"exit": 0})
                return
            code = self._run(conn, reader, request)
            _send_quietly(conn, {"exit": code})
        except Exception:  # noqa: BLE001 - one bad connection never stops the service
            log.exception("connection")
        finally:
            conn.close()
            with self._lock:
                self._active -= 1
                self._last_activity = time.monotonic()

    def _run(self, conn: socket.socket, reader: service_protocol.Reader, request: dict[str, Any]) -> int:
        from desktop.cli.dispatch import main

        argv = [str(a) for a in request.get("argv", [])]
        pending = command_context.Interrupts()
        alive = threading.Event()
        alive.set()

        def write(key: str, text: str) -> None:
            if alive.is_set() and not _send_quietly(conn, {key: text}):
                alive.clear()  # the client went away: the command goes on, unheard

        def listen() -> None:
            try:
                while (message := reader.next()) is not None:
                    if message.get("interrupt"):
                        pending.fire()
            except (OSError, ValueError):
                pass

        threading.Thread(target=listen, daemon=True).start()
        tty = bool(request.get("tty"))
        self._stdout.bind(write, tty)
        self._stderr.bind(write)
        command_context.bind(pending, request.get("stdin"))
        try:
            return main(argv)
        except SystemExit as exit_:  # argparse's usage errors and --help
            return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
        finally:
            # As in a process of its own: the command's audit entries are
            # stored before its client hears it has ended.
            self._app.flush_audit()
            command_context.bind(None)
            self._stdout.bind(None)
            self._stderr.bind(None)


def _send_quietly(conn: socket.socket, message: dict[str, Any]) -> bool:
    try:
        service_protocol.send(conn, message)
        return True
    except OSError:
        return False


def _same_user(conn: socket.socket) -> bool:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    Service(socket_path()).serve()


if __name__ == "__main__":
    main()
