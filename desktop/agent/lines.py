"""Split a byte stream into bounded lines, whatever the chunk boundaries."""

from __future__ import annotations

from dataclasses import dataclass

# Real stream-json lines pass 1 MB (a tool result holding a whole file); the
# cap only exists so that a runaway line cannot take all the memory.
DEFAULT_MAX_LINE = 16 * 1024 * 1024


@dataclass(frozen=True)
class Line:
    """A complete line, decoded; ``dropped`` > 0 means it was cut at the cap."""

    text: str
    dropped: int = 0  # bytes past the cap, not kept
    length: int = 0  # bytes of the whole line, newline excluded

    @property
    def truncated(self) -> bool:
        return self.dropped > 0


class LineSplitter:
    """Feed bytes as they arrive; get back the lines they complete.

    Bytes are kept until their newline arrives, so a chunk may end anywhere,
    even inside a UTF-8 character: decoding happens per complete line.
    Beyond ``max_line`` bytes the rest of a line is counted, not kept.
    """

    def __init__(self, max_line: int = DEFAULT_MAX_LINE) -> None:
        if max_line < 1:
            raise ValueError("max_line must be at least 1")
        self._max = max_line
        self._buf = bytearray()
        self._dropped = 0

    def feed(self, chunk: bytes) -> list[Line]:
        view = memoryview(chunk)  # slices of a view copy nothing
        lines: list[Line] = []
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            self._keep(view[start:end])
            lines.append(self._emit())
            start = end + 1
        self._keep(view[start:])
        return lines

    def close(self) -> list[Line]:
        """The last line, if the stream ended without a newline."""
        if not self._buf and not self._dropped:
            return []
        return [self._emit()]

    @property
    def pending(self) -> int:
        """Bytes of the unfinished line seen so far (kept or dropped)."""
        return len(self._buf) + self._dropped

    def _keep(self, piece: memoryview) -> None:
        room = self._max - len(self._buf)
        if len(piece) <= room:
            self._buf += piece
        else:
            self._buf += piece[:room]
            self._dropped += len(piece) - room

    def _emit(self) -> Line:
        raw = bytes(self._buf)
        if raw.endswith(b"\r"):  # a TTY or Windows peer says \r\n
            raw = raw[:-1]
        line = Line(raw.decode("utf-8", errors="replace"), self._dropped, len(raw) + self._dropped)
        self._buf.clear()
        self._dropped = 0
        return line
