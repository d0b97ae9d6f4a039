"""A Unix socket that forwards to the Docker engine's, so a test can make the
engine go away (``stop``) and come back (``start``) under a running app
without touching the real engine, which other tests and people share."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

ENGINE_SOCKET = "/var/run/docker.sock"


class EngineProxy:
    def __init__(self, path: Path, target: str | None = None) -> None:
        self.path = path
        host = os.environ.get("DOCKER_HOST", "")
        self.target = target or (host.removeprefix("unix://") if host.startswith("unix://") else ENGINE_SOCKET)
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"unix://{self.path}"

    def start(self) -> EngineProxy:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.path.unlink(missing_ok=True)
        listener.bind(str(self.path))
        listener.listen(64)
        self._listener = listener
        self._spawn(self._accept, listener)
        return self

    def stop(self) -> None:
        """The engine is gone: no new connection, and every open one is cut."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._open = self._open, set()
        if listener is not None:
            _close(listener)  # shutdown() first: close() alone does not wake a thread in accept()
        for sock in sockets:
            _close(sock)
        self.path.unlink(missing_ok=True)  # a fresh connection finds no socket, as with a stopped daemon
        for thread in self._threads:
            thread.join(5)
        self._threads = [t for t in self._threads if t.is_alive()]

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True, name="engine-proxy")  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by stop()
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                upstream.connect(self.target)
            except OSError:
                _close(client)
                _close(upstream)
                continue
            with self._lock:
                if self._listener is not listener:
                    _close(client)
                    _close(upstream)
                    return
                self._open.update((client, upstream))
            finished: list[bool] = []
            self._spawn(self._pump, client, upstream, finished)
            self._spawn(self._pump, upstream, client, finished)

    def _pump(self, source: socket.socket, sink: socket.socket, finished: list[bool]) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)  # a half-close travels on (the engine's streams use it)
        except OSError:
            pass
        with self._lock:
            finished.append(True)
            both = len(finished) == 2
            if both:
                self._open.discard(source)
                self._open.discard(sink)
        if both:
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
