"""The model's connections kept between requests: where a message ends,
whatever the pieces it comes in; one connection for several requests; a kept
connection the endpoint closed meanwhile replaced without the agent noticing."""

from __future__ import annotations

import random
import socket
import threading
from pathlib import Path

import pytest

from desktop.egress.proxy import CredentialProxy, Route
from desktop.egress.upstream import BodyEnd, FramingError, body_end

CHUNKED = b"5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\n"


def test_a_chunked_body_ends_where_it_says_in_any_pieces() -> None:
    rng = random.Random(3)
    for _ in range(200):
        end, position, data = BodyEnd(chunked=True), 0, CHUNKED + b"NEXT"
        taken = 0
        while not end.done:
            size = rng.randint(1, 9)
            piece = data[position:position + size]
            used = end.feed(piece)
            taken += used
            position += size
            if end.done:
                break
            assert used == len(piece)
        assert taken == len(CHUNKED)


@pytest.mark.parametrize("headers, status, expected", [
    ([("Content-Length", "12")], 200, (12, False)),
    ([("Transfer-Encoding", "chunked")], 200, (None, True)),
    ([], 200, (None, False)),  # to the end of the connection
    ([], None, (0, False)),  # a request without a body
    ([("Content-Length", "5")], 204, (0, False)),
])
def test_where_a_body_ends_follows_its_headers(headers, status, expected) -> None:  # noqa: ANN001
    end = body_end(headers, "POST", status)
    assert (end.length, end.chunked) == expected


@pytest.mark.parametrize("headers", [[("Content-Length", "1"), ("Content-Length", "2")], [("Content-Length", "-1")],
                                     [("Transfer-Encoding", "gzip")]])
def test_ambiguous_framing_is_refused(headers) -> None:  # noqa: ANN001
    with pytest.raises(FramingError):
        body_end(headers)


def test_a_bad_chunk_is_refused() -> None:
    with pytest.raises(FramingError):
        BodyEnd(chunked=True).feed(b"zz\r\n")


class KeepAliveServer:
    """An endpoint that answers in chunks and keeps connections; counts them.
    ``close_after``: it closes each connection after that many answers."""

    def __init__(self, close_after: int = 100, drop_unanswered: bool = False) -> None:
        self.drop_unanswered = drop_unanswered  # close on a connection's second request, unanswered
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.requests: list[bytes] = []
        self.close_after = close_after
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            buffer = b""
            for served in range(self.close_after):
                while b"\r\n\r\n" not in buffer:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                while len(buffer) < length:
                    buffer += conn.recv(65536)
                body, buffer = buffer[:length], buffer[length:]
                if self.drop_unanswered and served == 1:
                    return  # as an endpoint closing an idle connection just as a request came
                self.requests.append(head + b"\r\n\r\n" + body)
                conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                for part in (b"event: one\n\n", b"event: " + body + b"\n\n"):
                    conn.sendall(b"%x\r\n%s\r\n" % (len(part), part))
                conn.sendall(b"0\r\n\r\n")

    def close(self) -> None:
        self.listener.close()


def _ask(path: Path, body: bytes) -> bytes:
    with socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(10)
        conn.connect(str(path))
        conn.sendall(b"POST /v1/messages HTTP/1.1\r\nx-api-key: p\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        answer = b""
        while chunk := conn.recv(4096):
            answer += chunk
        return answer


@pytest.mark.parametrize("close_after, connections", [(100, 1), (1, 3)])
def test_requests_share_a_kept_connection_or_get_a_new_one(tmp_path: Path, close_after: int,
                                                           connections: int) -> None:
    server = KeepAliveServer(close_after)
    proxy = CredentialProxy(tmp_path)
    path = proxy.serve(Route("ws", "p", f"http://127.0.0.1:{server.port}", lambda: [], lambda: False,
                             lambda: ("x-api-key", "real"), lambda *a: None))
    try:
        for index in range(3):
            answer = _ask(path, b"request-%d" % index)
            assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and b"Connection: close\r\n" in answer
            assert answer.endswith(b"event: request-%d\n\n\r\n0\r\n\r\n" % index), answer
    finally:
        proxy.close()
        server.close()
    assert server.connections == connections
    assert all(b"x-api-key: real" in r and b"Connection: keep-alive" in r for r in server.requests)
    assert len(server.requests) == 3


def test_a_kept_connection_closed_unanswered_is_asked_again_on_a_new_one(tmp_path: Path) -> None:
    server = KeepAliveServer(drop_unanswered=True)
    proxy = CredentialProxy(tmp_path)
    path = proxy.serve(Route("ws", "p", f"http://127.0.0.1:{server.port}", lambda: [], lambda: False,
                             lambda: ("x-api-key", "real"), lambda *a: None))
    try:
        answers = [_ask(path, b"request-%d" % index) for index in range(3)]
    finally:
        proxy.close()
        server.close()
    assert all(a.endswith(b"event: request-%d\n\n\r\n0\r\n\r\n" % i) for i, a in enumerate(answers))
    assert len(server.requests) == 3 and server.connections == 3
