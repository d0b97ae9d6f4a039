"""The app's side of the proxy relay (desktop.services.proxy_relay) against
hostile frames: what the container writes is parsed, bounded, never trusted.

The container's side is played by a queue of bytes (what the exec's stdout
would carry); the proxy by a real Unix socket server that upper-cases."""

from __future__ import annotations

import queue
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.services.proxy_relay import (
    CLOSE,
    DATA,
    HEADER,
    MAX_CONNECTIONS,
    MAX_PAYLOAD,
    OPEN,
    READY,
    FrameReader,
    Relay,
    RelayError,
    _connect_to,
    frame,
)
from tests.waiting import until


class Container:
    """The exec stream as the relay sees it: the container's frames come out
    of ``chunks``, what the app writes is collected."""

    def __init__(self) -> None:
        self.out: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.written = bytearray()
        self.closed = threading.Event()
        self._lock = threading.Lock()

    def chunks(self) -> Iterator[tuple[bytes | None, bytes | None]]:
        while (data := self.out.get()) is not None:
            yield data, None

    def write(self, data: bytes) -> None:
        if self.closed.is_set():
            raise OSError("closed")
        with self._lock:
            self.written += data

    def close(self) -> None:
        self.closed.set()
        self.out.put(None)

    def frames(self) -> list[tuple[int, int, bytes]]:
        with self._lock:
            return FrameReader().feed(bytes(self.written))


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[tuple[Path, list[socket.socket]]]:
    path = tmp_path / "s.proxy"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(128)
    accepted: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            accepted.append(conn)

            def answer(conn: socket.socket = conn) -> None:
                try:
                    while data := conn.recv(65536):
                        conn.sendall(data.upper())
                except OSError:
                    pass
                conn.close()

            threading.Thread(target=answer, daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield path, accepted
    server.close()


def _started(container: Container, path: Path) -> Relay:
    relay = Relay(container, _connect_to(path), "test")
    container.out.put(frame(0, READY))
    assert relay.start(5)
    return relay


def test_frames_are_parsed_across_chunk_boundaries() -> None:
    reader = FrameReader()
    data = frame(7, DATA, b"hello") + frame(7, CLOSE)
    got = [f for i in range(len(data)) for f in reader.feed(data[i:i + 1])]
    assert got == [(7, DATA, b"hello"), (7, CLOSE, b"")]


@pytest.mark.parametrize("header, message", [
    (HEADER.pack(1, DATA, MAX_PAYLOAD + 1), "bytes"),  # refused from the header, before the payload
    (HEADER.pack(1, 9, 0), "unknown type"),
    (HEADER.pack(1, 0, 0), "unknown type"),
    (HEADER.pack(1, DATA, 0xFFFFFFFF), "bytes"),
])
def test_an_oversized_or_unknown_frame_is_refused(header: bytes, message: str) -> None:
    with pytest.raises(RelayError, match=message):
        FrameReader().feed(header)


def test_a_frame_of_64_kib_passes_and_the_buffer_holds_at_most_one_frame() -> None:
    reader = FrameReader()
    assert reader.feed(frame(1, DATA, b"x" * MAX_PAYLOAD)) == [(1, DATA, b"x" * MAX_PAYLOAD)]
    assert reader.feed(HEADER.pack(1, DATA, MAX_PAYLOAD)) == []


def test_bytes_go_both_ways_and_close_ends_the_connection(proxy: tuple[Path, list[socket.socket]]) -> None:
    container = Container()
    relay = _started(container, proxy[0])
    container.out.put(frame(1, OPEN) + frame(1, DATA, b"abc"))
    until("the answer", lambda: (1, DATA, b"ABC") in container.frames())
    container.out.put(frame(1, CLOSE))  # the client is done: the proxy ends, and so does the connection
    until("the close", lambda: (1, CLOSE, b"") in container.frames())
    assert relay.connections == 0 and not relay.ended.is_set()
    relay.stop()
    assert container.closed.is_set()


@pytest.mark.parametrize("hostile", [
    HEADER.pack(1, DATA, MAX_PAYLOAD + 1) + b"x" * 100,
    HEADER.pack(1, 200, 3) + b"abc",
    frame(1, OPEN) + frame(1, OPEN),  # one id opened twice
])
def test_a_hostile_frame_ends_the_relay_and_its_connections(proxy: tuple[Path, list[socket.socket]],
                                                            hostile: bytes) -> None:
    container = Container()
    relay = _started(container, proxy[0])
    container.out.put(frame(5, OPEN))
    until("the connection to the proxy", lambda: relay.connections == 1)
    container.out.put(hostile)
    until("the relay to end", relay.ended.is_set)
    assert container.closed.is_set()
    until("its connections to end", lambda: relay.connections == 0)


def test_more_than_64_connections_are_refused(proxy: tuple[Path, list[socket.socket]]) -> None:
    container = Container()
    relay = _started(container, proxy[0])
    container.out.put(b"".join(frame(i, OPEN) for i in range(1, MAX_CONNECTIONS + 11)))
    until("the refusals", lambda: sum(1 for f in container.frames() if f[1] == CLOSE) == 10)
    refused = [c for c, kind, _ in container.frames() if kind == CLOSE]
    assert refused == list(range(MAX_CONNECTIONS + 1, MAX_CONNECTIONS + 11))
    assert relay.connections == MAX_CONNECTIONS
    until("the proxy to have them all", lambda: len(proxy[1]) == MAX_CONNECTIONS)
    container.out.put(frame(3, DATA, b"still"))  # the admitted ones still work
    until("the answer", lambda: (3, DATA, b"STILL") in container.frames())
    relay.stop()
    until("every connection to end", lambda: relay.connections == 0)


def test_data_for_an_unknown_connection_is_dropped_and_an_open_with_payload_refused(
        proxy: tuple[Path, list[socket.socket]]) -> None:
    container = Container()
    relay = _started(container, proxy[0])
    container.out.put(frame(42, DATA, b"nobody") + frame(43, OPEN, b"x") + frame(0, OPEN))
    until("the refusals", lambda: [c for c, k, _ in container.frames() if k == CLOSE] == [43, 0])
    assert relay.connections == 0 and not relay.ended.is_set() and proxy[1] == []
    relay.stop()


def test_a_relay_that_never_says_ready_does_not_start(proxy: tuple[Path, list[socket.socket]]) -> None:
    container = Container()
    relay = Relay(container, _connect_to(proxy[0]), "test")
    container.out.put(None)  # the exec ended at once (say, it could not listen)
    assert not relay.start(5)
    assert relay.ended.is_set()
