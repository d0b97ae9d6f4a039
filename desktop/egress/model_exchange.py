"""One request of the agent to the model, through a kept connection.

The request is read whole first (bounded), so that if a kept connection
turns out closed by the endpoint before it answered, the request is sent
again on a new one; the answer is passed on as its bytes come, its end found
by its framing, and the connection kept if the endpoint allows.
"""

from __future__ import annotations

import selectors
import socket
import ssl
from typing import Callable

from desktop.egress.upstream import BodyEnd, FramingError, UpstreamPool, body_end

MAX_REQUEST_BYTES = 64 * 1024 * 1024  # a model request with a long context is a few MB
MAX_HEAD = 64 * 1024


class NoAnswer(OSError):
    """The endpoint closed the connection before any byte of an answer."""


class TooLarge(ValueError):
    """The agent's request is larger than the proxy holds."""


def read_body(client: socket.socket, rest: bytes, end: BodyEnd) -> bytes:
    """The request's body as framed (a chunked one stays chunked)."""
    body = bytearray()
    data = rest
    while True:
        taken = end.feed(data)
        body += data[:taken]
        if len(body) > MAX_REQUEST_BYTES:
            raise TooLarge(f"request larger than {MAX_REQUEST_BYTES} bytes")
        if end.done:
            return bytes(body)
        data = client.recv(65536)
        if not data:
            raise FramingError("the request ended early")


def exchange(pool: UpstreamPool, key: tuple[str, str, int], dial: Callable[[], socket.socket],
             client: socket.socket, request: bytes, method: str, closing_head: Callable[[bytes], bytes],
             timeout: float) -> None:
    """Send ``request`` (head and body) and pass the answer to ``client``;
    a kept connection that was closed meanwhile is replaced once."""
    progress = _Progress()
    for attempt in range(2):
        kept = pool.take(key) if attempt == 0 else None
        server = kept or dial()
        try:
            try:
                server.sendall(request)
                reusable = _answer(client, server, method, closing_head, timeout, progress)
            except (NoAnswer, BrokenPipeError, ConnectionResetError, ssl.SSLEOFError):
                # A kept connection the endpoint closed meanwhile: nothing was
                # answered (NoAnswer, or the request could not even be sent).
                if kept is None or progress.answered:
                    raise
                server.close()
                continue
        except BaseException:
            server.close()
            raise
        if reusable:
            pool.give_back(key, server)
        else:
            server.close()
        return


class _Progress:
    answered = False  # some of an answer went to the agent: no second try then


def _recv(server: socket.socket) -> bytes:
    data = server.recv(65536)
    while isinstance(server, ssl.SSLSocket) and server.pending():
        data += server.recv(server.pending())
    return data


def _answer(client: socket.socket, server: socket.socket, method: str, closing_head: Callable[[bytes], bytes],
            timeout: float, progress: _Progress) -> bool:
    """Pass one answer on; True when the connection may carry another request."""
    head = bytearray()
    while True:  # the head, and past any interim (1xx) answers
        while b"\r\n\r\n" not in head:
            if len(head) > MAX_HEAD:
                raise FramingError("answer head too long")
            try:
                data = _recv(server)
            except (ConnectionResetError, ssl.SSLEOFError):
                data = b""
            if not data:
                if not head:
                    raise NoAnswer("closed before answering")
                _send(progress, client, bytes(head))
                return False
            head += data
        raw_head, _, rest = bytes(head).partition(b"\r\n\r\n")
        status, version, headers = _parse_answer_head(raw_head)
        if 100 <= status < 200 and status != 101:
            _send(progress, client, raw_head + b"\r\n\r\n")
            head = bytearray(rest)
            continue
        break
    end = body_end(headers, method, status)
    tokens = {t.strip().lower() for k, v in headers if k.lower() == "connection" for t in v.split(",")}
    keep = end.delimited and version == "HTTP/1.1" and "close" not in tokens and status != 101
    taken = end.feed(rest)
    _send(progress, client, closing_head(raw_head + b"\r\n\r\n" + rest[:taken]))
    if taken < len(rest):
        return False  # bytes past the answer: not a connection to trust again
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ)
    selector.register(client, selectors.EVENT_READ)
    try:
        while not end.done:
            if isinstance(server, ssl.SSLSocket) and server.pending():
                ready = [server]
            else:
                ready = [key.fileobj for key, _ in selector.select(timeout)]
                if not ready:
                    return False  # silent too long
            if client in ready:
                if not client.recv(65536):
                    return False  # the agent went away (a cancelled task): drop the answer
            if server in ready:
                data = _recv(server)
                if not data:
                    return False  # ended by closing (or cut short)
                taken = end.feed(data)
                _send(progress, client, data[:taken])
                if taken < len(data):
                    return False
        return keep
    finally:
        selector.close()


def _send(progress: _Progress, client: socket.socket, data: bytes) -> None:
    progress.answered = True
    client.sendall(data)


def _parse_answer_head(head: bytes) -> tuple[int, str, list[tuple[str, str]]]:
    first, *lines = head.decode("latin-1").split("\r\n")
    parts = first.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise FramingError("not an HTTP/1 answer")
    headers = []
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon:
            raise FramingError("bad answer header")
        headers.append((name.strip(), value.strip()))
    return int(parts[1]), parts[0], headers
