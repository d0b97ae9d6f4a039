"""Running processes in a workspace container with ``docker exec``."""

from __future__ import annotations

import select
import socket
import ssl
import struct
from dataclasses import dataclass
from typing import Any, Iterator

from desktop.containers.engine import Engine, translate
from desktop.containers.workspace_container import AGENT_USER, WORKDIR


@dataclass(frozen=True)
class ExecResult:
    exit_code: int
    stdout: bytes
    stderr: bytes

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


class ExecStream:
    """A started exec whose output is read as it comes (stdout, stderr) chunks.

    ``env`` reaches only this process: it is not in the container's config.
    """

    def __init__(
        self,
        engine: Engine,
        container_id: str,
        argv: list[str],
        env: dict[str, str] | None = None,
        user: str = AGENT_USER,
        workdir: str = WORKDIR,
        stdin: bool = False,
    ) -> None:
        self._engine = engine
        self._socket: Any = None
        try:
            created = engine.api.exec_create(
                container_id, argv, stdout=True, stderr=True, stdin=stdin, environment=env or {},
                user=user, workdir=workdir,
            )
            self.exec_id: str = created["Id"]
            if stdin:
                # A socket both ways: the engine multiplexes stdout and stderr
                # into frames on it, and takes what we write as stdin.
                self._socket = engine.api.exec_start(self.exec_id, socket=True)
                self._output: Any = _demuxed(self._socket)
            else:
                self._output = engine.api.exec_start(self.exec_id, stream=True, demux=True)
        except Exception as error:
            raise translate(error) or error from None

    def write(self, data: bytes) -> None:
        """Write to the process's stdin (an exec started with ``stdin=True``)."""
        if self._socket is None:
            raise ValueError("this exec has no stdin")
        try:
            _raw(self._socket).sendall(data)
        except OSError as error:
            raise translate(error) or error from None

    def chunks(self) -> Iterator[tuple[bytes | None, bytes | None]]:
        try:
            yield from self._output
        except Exception as error:
            raise translate(error) or error from None
        finally:
            self.close()

    def close(self) -> None:
        """Release the connection (done when the output ends)."""
        if self._socket is not None:
            try:
                # Shut down first: the socket may have other references (the
                # response's), so close alone would neither tell the engine
                # (which closes the process's stdin) nor wake a reader.
                _raw(self._socket).shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                _raw(self._socket).close()
                self._socket.close()
            except OSError:
                pass
            return
        response = getattr(self._output, "_response", None)
        try:
            self._output.close()
        except OSError:
            pass  # already shut down by the engine
        except UnboundLocalError:
            pass  # docker-py's close knows no ssh:// socket; the response is closed below
        if response is not None:
            # docker-py shuts the socket down but leaves the response's own
            # socket object to the garbage collector, which warns.
            raw = getattr(getattr(getattr(response.raw, "_fp", None), "fp", None), "raw", None)
            sock = getattr(raw, "_sock", None)
            if sock is not None:
                sock.close()
            response.close()

    def exit_code(self) -> int | None:
        """The exit code once the process has ended (None while it runs)."""
        try:
            info = self._engine.api.exec_inspect(self.exec_id)
        except Exception as error:
            raise translate(error) or error from None
        return None if info.get("Running") else info.get("ExitCode")


def _raw(sock: Any) -> Any:
    return getattr(sock, "_sock", sock)


def _demuxed(sock: Any) -> Iterator[tuple[bytes | None, bytes | None]]:
    from docker.utils.socket import STDERR, STDOUT, frames_iter

    raw = _raw(sock)
    # docker-py polls the socket's descriptor before each read; over TLS the
    # last frames can already sit decrypted in the SSL object's buffer, and
    # that poll then waits for ever. Those sockets are read here instead.
    frames = _tls_frames(raw) if hasattr(raw, "pending") else frames_iter(raw, tty=False)
    for stream, data in frames:
        if stream == STDOUT:
            yield data, None
        elif stream == STDERR:
            yield None, data


_HEADER = struct.Struct(">BxxxL")  # the engine's frame: stream, 3 pad bytes, payload size


def _tls_frames(sock: Any) -> Iterator[tuple[int, bytes]]:
    buffer = bytearray()

    def fill(size: int) -> bool:
        while len(buffer) < size:
            if not sock.pending():
                poller = select.poll()
                poller.register(sock, select.POLLIN | select.POLLPRI)
                poller.poll()
            try:
                block = sock.recv(1 << 16)
            except ssl.SSLWantReadError:
                continue  # a partial record: wait for the rest
            if not block:
                return False
            buffer.extend(block)
        return True

    while fill(_HEADER.size):
        stream, size = _HEADER.unpack_from(buffer)
        if not fill(_HEADER.size + size):
            return
        yield stream, bytes(buffer[_HEADER.size:_HEADER.size + size])
        del buffer[:_HEADER.size + size]


def run(
    engine: Engine,
    container_id: str,
    argv: list[str],
    env: dict[str, str] | None = None,
    user: str = AGENT_USER,
    workdir: str = WORKDIR,
) -> ExecResult:
    """Run a short command to its end and collect its output."""
    stream = ExecStream(engine, container_id, argv, env=env, user=user, workdir=workdir)
    out, err = bytearray(), bytearray()
    for stdout, stderr in stream.chunks():
        out += stdout or b""
        err += stderr or b""
    code = stream.exit_code()
    return ExecResult(-1 if code is None else code, bytes(out), bytes(err))
