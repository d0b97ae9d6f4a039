"""A person's terminal in a workspace container: a ``docker exec`` on a TTY.

The exec runs as the agent's user (so it can write the working copy) in the
terminal group (``desktop.agent.sweep.TERMINAL_GID``), which the sweep
around every task spares and the agent cannot join. Every exec carries a
random token in its environment; ``end`` finds the terminal's processes by
it (and by the session of its shell) and ends them all.

Reading blocks: one thread per terminal calls ``read`` (or ``frames`` when
there is no TTY). Writing and resizing are quick calls from any thread.
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from typing import Any, Iterator

from desktop.agent.sweep import TERMINAL_GID, end_terminal_argv
from desktop.containers.engine import Engine, translate
from desktop.containers.exec import run
from desktop.containers.workspace_container import AGENT_USER, WORKDIR

TOKEN_VARIABLE = "AICODE_TERMINAL"
READ_BYTES = 65536
# The engine refuses a resize until the exec's process has started: retry.
RESIZE_ATTEMPTS = 20
RESIZE_RETRY_SECONDS = 0.025


class TerminalExec:
    """One exec with stdin, on a pseudo-terminal when ``tty`` (the engine then
    sends raw bytes), else with stdout and stderr framed apart."""

    def __init__(self, engine: Engine, container_id: str, argv: list[str], env: dict[str, str],
                 tty: bool = True, rows: int = 24, cols: int = 80) -> None:
        self._engine = engine
        self.container_id = container_id
        self.tty = tty
        self.token = secrets.token_hex(16)
        self._write_lock = threading.Lock()
        self._closed = False
        try:
            created = engine.api.exec_create(
                container_id, argv, stdout=True, stderr=True, stdin=True, tty=tty,
                environment={**env, TOKEN_VARIABLE: self.token},
                user=f"{AGENT_USER}:{TERMINAL_GID}", workdir=WORKDIR,
            )
            self.exec_id: str = created["Id"]
            self._socket: Any = engine.api.exec_start(self.exec_id, socket=True, tty=tty)
        except Exception as error:
            raise translate(error) or error from None
        self._raw: socket.socket = getattr(self._socket, "_sock", self._socket)
        # docker-py's time-out is for API calls: a terminal may be quiet for hours.
        self._raw.settimeout(None)
        if tty:
            self.resize(rows, cols)

    # -- output --

    def read(self) -> bytes:
        """The next bytes the terminal printed; b"" once it has ended (TTY only)."""
        try:
            return self._raw.recv(READ_BYTES)
        except OSError:
            return b""  # closed under us: the terminal was ended

    def frames(self) -> Iterator[tuple[bool, bytes]]:
        """(is_stderr, bytes) until the process ends (no TTY)."""
        from docker.utils.socket import STDERR, frames_iter

        try:
            for stream, data in frames_iter(self._raw, tty=False):
                yield stream == STDERR, data
        except OSError:
            return

    # -- input --

    def write(self, data: bytes) -> None:
        with self._write_lock:
            try:
                self._raw.sendall(data)
            except OSError as error:
                if not self._closed:
                    raise translate(error) or error from None

    def close_input(self) -> None:
        """End of the process's standard input (it reads EOF)."""
        try:
            self._raw.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def resize(self, rows: int, cols: int) -> None:
        if not self.tty:
            return
        import docker.errors

        for attempt in range(RESIZE_ATTEMPTS):
            try:
                self._engine.api.exec_resize(self.exec_id, height=rows, width=cols)
                return
            except docker.errors.APIError as error:
                if self.exit_code() is not None:
                    return  # ended: nothing to resize
                if attempt == RESIZE_ATTEMPTS - 1:
                    raise translate(error) or error from None
            # A back-off, not a synchronisation: the engine offers no event
            # for "the exec's process has started".
            time.sleep(RESIZE_RETRY_SECONDS)

    # -- its end --

    def exit_code(self) -> int | None:
        """The process's exit code once it has ended, else None."""
        try:
            info = self._engine.api.exec_inspect(self.exec_id)
        except Exception as error:
            raise translate(error) or error from None
        return None if info.get("Running") else info.get("ExitCode")

    def end(self, remove: tuple[str, ...] = ()) -> None:
        """End every process of this terminal, remove the paths ``remove`` (its
        own files, once nothing of it runs) and let go of the connection."""
        self._closed = True
        argv = end_terminal_argv(self.token)
        if remove:
            argv = ["sh", "-c", '"$0" "$1" "$2" "$3"; shift 3; rm -rf -- "$@"', *argv, *remove]
        try:
            run(self._engine, self.container_id, argv, user=f"{AGENT_USER}:{TERMINAL_GID}", workdir="/")
        finally:
            self.release()

    def release(self) -> None:
        """Let go of the connection (the process has ended on its own)."""
        self._closed = True
        try:
            self._raw.close()
            self._socket.close()
        except OSError:
            pass
