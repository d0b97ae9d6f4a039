"""The credential proxy: the agent's only way to the model and, by the
allowlist, to anything else.

Each workspace gets its own Unix socket (bind-mounted into its container,
where a forwarder run by the container's keeper user listens on
127.0.0.1:3128), so a connection's workspace is known by the socket it came
in on. On it:

- a request in origin form (``POST /v1/messages``) goes to the model: the
  placeholder key the agent holds is checked and replaced by the real
  credential, and the request is forwarded to the model's endpoint (TLS when
  it is https), the response streamed back as it comes;
- ``CONNECT host:port`` (HTTPS through a proxy) and absolute-form requests
  (``GET http://host/...``) are passed on only to hosts on the workspace's
  allowlist; everything else is refused with 403 and reported.

Nothing is decrypted: an allowed CONNECT is a byte tunnel. The agent's
requests are hostile input: the head is bounded, parsed strictly, and never
echoed.
"""

from __future__ import annotations

import logging
import os
import selectors
import socket
import socketserver
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from desktop.egress.model_exchange import NoAnswer, TooLarge, exchange, read_body
from desktop.egress.rules import Entry, allowed, inside_address
from desktop.egress.upstream import FramingError, UpstreamPool, body_end

log = logging.getLogger(__name__)

MAX_HEAD = 64 * 1024
CONNECT_TIMEOUT = 10.0
IDLE_TIMEOUT = 600.0  # a streamed answer can pause long between events
PROXY_PORT = 3128  # the forwarder's port inside the container
SOCKET_PREFIX = "s."


@dataclass(frozen=True)
class Route:
    """What the proxy needs to know of one workspace, read per connection."""

    workspace_id: str
    placeholder: str
    upstream: str  # the model's base URL
    entries: Callable[[], list[Entry]]  # the allowlist as it is now
    open: Callable[[], bool]  # the workspace's egress is open: no allowlist
    credential: Callable[[], tuple[str, str]]  # ("x-api-key", key) or ("authorization", "Bearer …")
    blocked: Callable[[str, int, str], None]  # host, port, why: for the log


class CredentialProxy:
    """One per app process; ``serve`` a workspace before its task runs."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._servers: dict[str, socketserver.ThreadingUnixStreamServer] = {}
        self._lock = threading.Lock()
        self.pool = UpstreamPool()  # the model's connections, kept between requests

    def socket_folder(self, workspace_id: str) -> Path:
        return self.folder / workspace_id

    def serve(self, route: Route) -> Path:
        """Listen on this process's socket in the workspace's folder.

        Each app process that runs (or answers) a workspace's tasks has a
        socket of its own there, ``s.PID``; the container's forwarder takes
        the first that answers. So no process depends on another staying up,
        and the sockets of processes that quit are cleared here."""
        with self._lock:
            folder = self.socket_folder(route.workspace_id)
            path = folder / f"{SOCKET_PREFIX}{os.getpid()}"
            current = self._servers.get(route.workspace_id)
            if current is not None and _inode(path) == current.inode:  # type: ignore[attr-defined]
                current.route = route  # type: ignore[attr-defined]
                return path
            if current is not None:  # its file was removed: listen again
                current.shutdown()
                current.server_close()
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, 0o755)  # the container's keeper user (another uid) connects
            _clear_dead(folder)
            path.unlink(missing_ok=True)
            server = _Server(str(path), _Handler)
            server.route = route  # type: ignore[attr-defined]
            server.pool = self.pool  # type: ignore[attr-defined]
            os.chmod(path, 0o666)
            server.inode = _inode(path)  # type: ignore[attr-defined]
            threading.Thread(target=server.serve_forever, name=f"proxy-{route.workspace_id}", daemon=True).start()
            self._servers[route.workspace_id] = server
            return path

    def close(self) -> None:
        with self._lock:
            servers, self._servers = list(self._servers.values()), {}
        for server in servers:
            server.shutdown()
            server.server_close()
            Path(server.server_address).unlink(missing_ok=True)  # type: ignore[arg-type]
        self.pool.close()


def _clear_dead(folder: Path) -> None:
    """Remove the sockets nobody listens on any more (their process quit)."""
    for path in folder.glob(f"{SOCKET_PREFIX}*"):
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.settimeout(1.0)
            probe.connect(str(path))
        except ConnectionRefusedError:
            path.unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            probe.close()


def _closing_head(data: bytes) -> bytes:
    """The response with its head's Connection header replaced by ``close``."""
    head, found, body = data.partition(b"\r\n\r\n")
    if not found:
        return data
    lines = [line for line in head.split(b"\r\n")
             if not line.lower().startswith((b"connection:", b"keep-alive:", b"proxy-connection:"))]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


class _Server(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        route: Route = self.server.route  # type: ignore[attr-defined]
        client: socket.socket = self.request
        client.settimeout(IDLE_TIMEOUT)
        try:
            head, rest = _read_head(client)
            if head is None:
                return
            method, target, headers = _parse_head(head)
        except (OSError, ValueError):
            _reply(client, 400, "Bad Request")
            return
        try:
            if method == "CONNECT":
                self._connect(route, client, target, rest)
            elif target.startswith("/"):
                self._model(route, client, method, target, headers, rest)
            elif target.lower().startswith("http://"):
                self._forward(route, client, method, target, headers, rest)
            else:
                _reply(client, 400, "Bad Request")
        except OSError as error:
            log.debug("proxy connection of %s ended: %s", route.workspace_id, error)

    # -- the model --

    def _model(self, route: Route, client: socket.socket, method: str, target: str,
               headers: list[tuple[str, str]], rest: bytes) -> None:
        given = _header(headers, "x-api-key") or _header(headers, "authorization").removeprefix("Bearer ").strip()
        if given != route.placeholder:
            route.blocked("model", 0, "a model request without this workspace's key")
            _reply(client, 401, "Unauthorized")
            return
        try:
            end = body_end(headers)
            if "100-continue" in _header(headers, "expect").lower():
                client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")  # the body is read here, whole
            body = read_body(client, rest, end)
        except TooLarge:
            _reply(client, 413, "Content Too Large")
            return
        except FramingError:
            _reply(client, 400, "Bad Request")
            return
        name, value = route.credential()
        upstream = urlsplit(route.upstream)
        kept = [(k, v) for k, v in headers if k.lower() not in
                ("x-api-key", "authorization", "host", "connection", "proxy-connection", "keep-alive", "expect")]
        path = upstream.path.rstrip("/") + target
        lines = [f"{method} {path} HTTP/1.1", f"Host: {upstream.netloc}", f"{name}: {value}",
                 *(f"{k}: {v}" for k, v in kept), "Connection: keep-alive", "", ""]
        port = upstream.port or (443 if upstream.scheme == "https" else 80)

        def dial() -> socket.socket:
            server = socket.create_connection((upstream.hostname or "", port), timeout=CONNECT_TIMEOUT)
            server.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle delay on small writes
            if upstream.scheme == "https":
                server = _tls().wrap_socket(server, server_hostname=upstream.hostname)
            server.settimeout(IDLE_TIMEOUT)
            return server

        request = "\r\n".join(lines).encode("latin-1") + body
        try:
            exchange(self.server.pool, (upstream.scheme, upstream.hostname or "", port), dial,  # type: ignore[attr-defined]
                     client, request, method, _closing_head, IDLE_TIMEOUT)
        except (NoAnswer, FramingError):
            _reply(client, 502, "Bad Gateway")

    # -- anything else: the allowlist --

    def _connect(self, route: Route, client: socket.socket, target: str, rest: bytes) -> None:
        host, port = _host_port(target, None)
        server = self._open(route, client, host, port)
        if server is None:
            return
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        if rest:
            server.sendall(rest)
        _splice(client, server)

    def _forward(self, route: Route, client: socket.socket, method: str, target: str,
                 headers: list[tuple[str, str]], rest: bytes) -> None:
        url = urlsplit(target)
        host, port = (url.hostname or "").lower(), url.port or 80
        if host in ("127.0.0.1", "localhost") and port == PROXY_PORT:
            self._model(route, client, method, url.path + (f"?{url.query}" if url.query else ""), headers, rest)
            return
        server = self._open(route, client, host, port)
        if server is None:
            return
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        kept = [(k, v) for k, v in headers if k.lower() not in ("connection", "proxy-connection", "proxy-authorization")]
        lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in kept), "Connection: close", "", ""]
        server.sendall("\r\n".join(lines).encode("latin-1") + rest)
        _splice(client, server, closing=True)

    def _open(self, route: Route, client: socket.socket, host: str, port: int) -> socket.socket | None:
        entry = None if route.open() else allowed(route.entries(), host, port)
        if entry is None and not route.open():
            route.blocked(host, port, "not on the allowlist")
            _reply(client, 403, "Forbidden")
            return None
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            _reply(client, 502, "Bad Gateway")
            return None
        for family, kind, proto, _, address in infos:
            # A name must not lead into this machine or its network; an address
            # the user allowed as such may.
            if inside_address(str(address[0])) and not (entry is not None and entry.is_address):
                route.blocked(host, port, f"resolves to an address inside ({address[0]})")
                _reply(client, 403, "Forbidden")
                return None
            try:
                server = socket.socket(family, kind, proto)
                server.settimeout(CONNECT_TIMEOUT)
                server.connect(address)
                server.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                server.settimeout(IDLE_TIMEOUT)
                return server
            except OSError:
                continue
        _reply(client, 502, "Bad Gateway")
        return None


_TLS: ssl.SSLContext | None = None


def _tls() -> ssl.SSLContext:
    """One TLS context for the process: making one loads the system's CA
    certificates, tens of milliseconds each model request otherwise."""
    global _TLS
    if _TLS is None:
        _TLS = ssl.create_default_context()
    return _TLS


def _read_head(conn: socket.socket) -> tuple[bytes | None, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        if len(data) > MAX_HEAD:
            raise ValueError("request head too long")
        chunk = conn.recv(16384)
        if not chunk:
            return None, b""
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _parse_head(head: bytes) -> tuple[str, str, list[tuple[str, str]]]:
    text = head.decode("latin-1")
    first, *lines = text.split("\r\n")
    parts = first.split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1.") or not parts[0].isalpha():
        raise ValueError("not an HTTP/1 request line")
    headers = []
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon or not name or any(c in name for c in " \t\x00") or "\x00" in value:
            raise ValueError("bad header")
        headers.append((name, value.strip()))
    return parts[0].upper(), parts[1], headers


def _header(headers: list[tuple[str, str]], name: str) -> str:
    return next((v for k, v in headers if k.lower() == name), "")


def _host_port(target: str, default: int | None) -> tuple[str, int]:
    if target.startswith("["):
        host, _, port = target[1:].partition("]:")
    else:
        host, _, port = target.rpartition(":")
    if not port.isdigit() and default is None:
        raise ValueError("no port")
    number = int(port) if port.isdigit() else default
    if not host or number is None or not 0 < number < 65536:
        raise ValueError("bad host or port")
    return host.lower(), number


def _reply(conn: socket.socket, status: int, reason: str) -> None:
    body = f"AICode Manager's proxy: {reason}\n".encode()
    try:
        conn.sendall(f"HTTP/1.1 {status} {reason}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                     + body)
    except OSError:
        pass


def _splice(client: socket.socket, server: socket.socket, closing: bool = False) -> None:
    """Copy both ways as bytes arrive. The client may half-close once it has
    sent its request; the exchange ends when the server is done.

    ``closing``: an HTTP exchange, one request per connection. The response's
    head then says ``Connection: close``, so the client does not send a second
    request on a connection this proxy is about to close (it would fail, and
    be retried only after a pause)."""
    response_head = bytearray() if closing else None
    selector = selectors.DefaultSelector()
    peers = {client: server, server: client}
    for sock in peers:
        selector.register(sock, selectors.EVENT_READ)
    try:
        while True:
            ready = selector.select(IDLE_TIMEOUT)
            if not ready:
                return
            for key, _ in ready:
                sock = key.fileobj
                try:
                    data = sock.recv(65536)  # type: ignore[union-attr]
                    while isinstance(sock, ssl.SSLSocket) and sock.pending():
                        data += sock.recv(sock.pending())
                except (ssl.SSLWantReadError, BlockingIOError):
                    continue
                except OSError:
                    data = b""
                if data and sock is server and response_head is not None:
                    response_head += data
                    if b"\r\n\r\n" not in response_head and len(response_head) < MAX_HEAD:
                        continue
                    data, response_head = _closing_head(bytes(response_head)), None
                if data:
                    peers[sock].sendall(data)  # type: ignore[index]
                elif sock is server:
                    if response_head:
                        client.sendall(bytes(response_head))
                    return
                else:
                    selector.unregister(client)
                    try:
                        server.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
    finally:
        selector.close()
        for sock in peers:
            sock.close()
