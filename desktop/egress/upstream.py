"""Connections to the model kept open between requests, and the HTTP/1.1
framing that tells where a message ends (so a connection can be used again).

The agent's side of each exchange is one request per connection (the proxy
answers ``Connection: close``), but the model's side need not be: a fresh TLS
handshake to the model's endpoint for every request costs round trips that a
streamed answer's first byte waits for. Only the model's connections are
kept; CONNECT tunnels and allowlisted plain HTTP are passed through whole.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from dataclasses import dataclass, field

IDLE_SECONDS = 20.0  # under the endpoints' own keep-alive time-outs
MAX_IDLE = 4  # kept per endpoint
MAX_CHUNK_LINE = 4096


class FramingError(ValueError):
    """The peer's message is not valid HTTP/1.1 framing."""


@dataclass
class BodyEnd:
    """Follows a message body as its bytes pass, to know where it ends.

    ``length``: a Content-Length; None with ``chunked`` False: the body ends
    when the connection does (such a connection is not used again)."""

    length: int | None = None
    chunked: bool = False
    done: bool = False
    _left: int = 0  # bytes of the current chunk's data (and its CRLF) still to pass
    _line: bytearray = field(default_factory=bytearray)
    _trailer: bool = False  # after the last chunk: trailer lines until an empty one

    def __post_init__(self) -> None:
        if not self.chunked and self.length is not None:
            self._left = self.length
            self.done = self.length == 0

    @property
    def delimited(self) -> bool:
        return self.chunked or self.length is not None

    def feed(self, data: bytes) -> int:
        """How many bytes of ``data`` belong to the body (all, until it ends)."""
        if self.done:
            return 0
        if not self.chunked:
            if self.length is None:
                return len(data)
            taken = min(len(data), self._left)
            self._left -= taken
            self.done = self._left == 0
            return taken
        position = 0
        while position < len(data) and not self.done:
            if self._left:
                taken = min(self._left, len(data) - position)
                self._left -= taken
                position += taken
                continue
            end = data.find(b"\n", position)
            if end < 0:
                self._line += data[position:]
                position = len(data)
                if len(self._line) > MAX_CHUNK_LINE:
                    raise FramingError("chunk line too long")
                break
            self._line += data[position:end]
            position = end + 1
            line = bytes(self._line).rstrip(b"\r")
            self._line.clear()
            self._on_line(line)
        return position

    def _on_line(self, line: bytes) -> None:
        if self._trailer:
            if not line:
                self.done = True
            return
        if not line:
            return  # the CRLF after a chunk's data
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise FramingError("bad chunk size") from None
        if size < 0:
            raise FramingError("bad chunk size")
        if size == 0:
            self._trailer = True
        else:
            self._left = size  # its CRLF comes as an empty line


def body_end(headers: list[tuple[str, str]], method: str = "POST", status: int | None = None) -> BodyEnd:
    """Where the body of a message with these headers ends (RFC 9112 6.3).
    ``status``: a response's (None for a request)."""
    if status is not None and (method == "HEAD" or 100 <= status < 200 or status in (204, 304)):
        return BodyEnd(length=0)
    codings = ",".join(v for k, v in headers if k.lower() == "transfer-encoding").lower()
    if codings:
        if codings.replace(" ", "").split(",")[-1] != "chunked":
            if status is None:
                raise FramingError("a request's transfer coding must end in chunked")
            return BodyEnd()  # to the connection's end
        return BodyEnd(chunked=True)
    lengths = {v.strip() for k, v in headers if k.lower() == "content-length"}
    if len(lengths) > 1 or any(not v.isdigit() for v in lengths):
        raise FramingError("bad Content-Length")
    if lengths:
        return BodyEnd(length=int(lengths.pop()))
    return BodyEnd(length=0) if status is None else BodyEnd()


class UpstreamPool:
    """Idle connections to the model's endpoints, by (scheme, host, port)."""

    def __init__(self) -> None:
        self._idle: dict[tuple[str, str, int], list[tuple[float, socket.socket]]] = {}
        self._lock = threading.Lock()

    def take(self, key: tuple[str, str, int]) -> socket.socket | None:
        """An idle connection not yet too old, or None."""
        now = time.monotonic()
        with self._lock:
            idle = self._idle.get(key, [])
            while idle:
                since, conn = idle.pop()
                if now - since < IDLE_SECONDS and _still_open(conn):
                    return conn
                conn.close()
        return None

    def give_back(self, key: tuple[str, str, int], conn: socket.socket) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < MAX_IDLE:
                idle.append((time.monotonic(), conn))
                return
        conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for _, conn in connections:
                conn.close()


def _still_open(conn: socket.socket) -> bool:
    """Whether the peer has not closed an idle connection (nor sent anything)."""
    try:
        raw = conn.fileno()
        if raw < 0:
            return False
        probe = socket.socket(fileno=socket.dup(raw))  # a peek at the TCP layer, under any TLS
        try:
            probe.setblocking(False)
            probe.recv(1, socket.MSG_PEEK)
            return False  # closed, or bytes nobody asked for (a TLS alert): not used again
        except BlockingIOError:
            return True  # nothing to read: still open and quiet
        finally:
            probe.close()
    except (OSError, ssl.SSLError):
        return False
