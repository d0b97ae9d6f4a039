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


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost (the test's own CA)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_the_model_is_reached_over_tls_with_the_real_key_and_one_context(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A model endpoint on https: the proxy verifies its certificate (here
    the test's own CA, trusted through SSL_CERT_FILE), sends the real key and
    streams the answer back; the TLS context is made once, not per request."""
    import ssl
    import threading

    from desktop.egress import proxy as proxy_module

    cert, key = _certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.setattr(proxy_module, "_TLS", None)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    seen: list[bytes] = []

    def serve(count: int) -> None:
        for _ in range(count):
            raw, _ = listener.accept()
            with server_context.wrap_socket(raw, server_side=True) as conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(4096)
                seen.append(data)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nevent: one\n\nevent: two\n\n")

    thread = threading.Thread(target=serve, args=(2,), daemon=True)
    thread.start()
    proxy = CredentialProxy(tmp_path / "sockets")
    path = proxy.serve(Route("ws1", "placeholder-1", f"https://localhost:{port}", lambda: [], lambda: False,
                             lambda: ("x-api-key", "the-real-key"), lambda *a: None))
    answers = []
    for _ in range(2):
        with socket.socket(socket.AF_UNIX) as conn:
            conn.settimeout(10)
            conn.connect(str(path))
            conn.sendall(b"POST /v1/messages HTTP/1.1\r\nx-api-key: placeholder-1\r\nContent-Length: 0\r\n\r\n")
            answer = b""
            while chunk := conn.recv(4096):
                answer += chunk
            answers.append(answer)
    thread.join(10)
    proxy.close()
    listener.close()
    assert all(a.startswith(b"HTTP/1.1 200") and a.endswith(b"event: one\n\nevent: two\n\n") for a in answers)
    assert all(b"x-api-key: the-real-key" in s and b"placeholder" not in s for s in seen)
    assert proxy_module._TLS is not None  # made once, kept for the next request
