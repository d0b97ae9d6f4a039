"""The client–service protocol: one JSON object per line, both ways.

client → service: {"argv": [...], "stdin": str | null}, later {"interrupt": true}
service → client: {"out": str} | {"err": str} | {"exit": int}
"""

from __future__ import annotations

import json
import socket
from typing import Any

MAX_LINE = 64 * 1024 * 1024


def send(conn: socket.socket, message: dict[str, Any]) -> None:
    conn.sendall(json.dumps(message, ensure_ascii=False).encode() + b"\n")


class Reader:
    """Reads JSON lines from a socket, keeping a partial line between reads."""

    def __init__(self, conn: socket.socket) -> None:
        self._conn = conn
        self._buffer = b""

    def next(self) -> dict[str, Any] | None:
        while b"\n" not in self._buffer:
            chunk = self._conn.recv(65536)
            if not chunk:
                return None
            self._buffer += chunk
            if len(self._buffer) > MAX_LINE:
                raise ValueError("message too long")
        line, self._buffer = self._buffer.split(b"\n", 1)
        value = json.loads(line)
        if not isinstance(value, dict):
            raise ValueError("not a message")
        return value
