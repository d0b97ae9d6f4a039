"""The proxy's own pieces, without a container: the response head it
rewrites and the request heads it refuses."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from desktop.egress.proxy import CredentialProxy, Route, _closing_head, _parse_head
from desktop.egress.rules import parse_list


def test_the_response_says_the_connection_closes() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\ndata"
    assert _closing_head(head) == b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\ndata"


@pytest.mark.parametrize("head", [b"GET / HTTP/2", b"GET /", b"G3T / HTTP/1.1", b"GET / HTTP/1.1\r\nBad Header: x",
                                  b"GET / HTTP/1.1\r\nno-colon", b"GET / HTTP/1.1\r\nX: a\x00b"])
def test_malformed_heads_are_refused(head: bytes) -> None:
    with pytest.raises(ValueError):
        _parse_head(head)


def test_a_refused_host_is_logged_and_a_wrong_key_gets_401(tmp_path: Path) -> None:
    blocked: list[tuple[str, int, str]] = []
    proxy = CredentialProxy(tmp_path)
    path = proxy.serve(Route("ws1", "placeholder-1", "http://127.0.0.1:9", lambda: parse_list(["ok.test"]),
                             lambda: False, lambda: ("x-api-key", "real"), lambda *a: blocked.append(a)))
    assert path.name == f"s.{__import__('os').getpid()}" and oct(path.stat().st_mode & 0o777) == "0o666"

    def ask(request: bytes) -> bytes:
        with socket.socket(socket.AF_UNIX) as conn:
            conn.settimeout(5)
            conn.connect(str(path))
            conn.sendall(request)
            return conn.recv(4096)

    assert ask(b"CONNECT evil.test:443 HTTP/1.1\r\nHost: evil.test:443\r\n\r\n").startswith(b"HTTP/1.1 403")
    assert ask(b"GET http://evil.test/x HTTP/1.1\r\nHost: evil.test\r\n\r\n").startswith(b"HTTP/1.1 403")
    assert ask(b"POST /v1/messages HTTP/1.1\r\nx-api-key: placeholder-2\r\n\r\n").startswith(b"HTTP/1.1 401")
    assert ask(b"\x16\x03\x01 not http\r\n\r\n").startswith(b"HTTP/1.1 400")
    assert [b[:2] for b in blocked] == [("evil.test", 443), ("evil.test", 80), ("model", 0)]
    # A name that leads inside this machine is refused even when allowed by name.
    inside = proxy.serve(Route("ws2", "p", "http://127.0.0.1:9", lambda: parse_list(["localhost:8080"]),
                               lambda: False, lambda: ("x-api-key", "real"), lambda *a: blocked.append(a)))
    with socket.socket(socket.AF_UNIX) as conn:
        conn.connect(str(inside))
        conn.sendall(b"CONNECT localhost:8080 HTTP/1.1\r\n\r\n")
        assert conn.recv(4096).startswith(b"HTTP/1.1 403")
    assert "inside" in blocked[-1][2]
    proxy.close()
    assert not path.exists()
