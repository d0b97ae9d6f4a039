"""One terminal's I/O, off the GUI thread, with output batched for the page.

Two threads of its own per terminal (never a shared executor worker): the
control thread opens the terminal and then sends keys and resizes in order
(input is queued, never dropped, and a full pipe in the container blocks
only this thread); the reader thread reads the terminal's output into a
buffer. The GUI thread takes from that buffer at most ~60 times a second
and hands the page one batch at a time, with a bounded amount not yet
rendered: a flood fills the buffer, the buffer's bound stops the reader,
and the container's writer then waits, instead of the event loop drowning.
"""

from __future__ import annotations

import codecs
import queue
import threading
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.services.errors import ServiceError
from desktop.services.terminals import Terminal, Terminals, TerminalSpec

FRAME_MS = 16  # at most ~60 batches a second
BATCH_BYTES = 256 << 10  # one batch's most bytes: its JSON crosses the channel on the GUI thread
BUFFER_BYTES = 4 << 20  # what the reader may hold before it waits
IN_FLIGHT_CHARS = 1 << 20  # sent to the page and not yet parsed there


class TerminalSession(QObject):
    """Signals:
        opened(str): the terminal runs; its title.
        output_ready(str): the next batch of output, for the page.
        exited(object): the process ended (its exit code, or None if unknown),
            after the last of its output.
        failed(str): it could not open (a sentence to show).
    """

    opened = Signal(str)
    output_ready = Signal(str)
    exited = Signal(object)
    failed = Signal(str)
    _data_arrived = Signal()
    _reader_ended = Signal(object)

    def __init__(self, terminals: Terminals, workspace_id: str, spec: TerminalSpec,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._terminals = terminals
        self._workspace_id = workspace_id
        self._spec = spec
        self._control_queue: queue.SimpleQueue[tuple[Any, ...]] = queue.SimpleQueue()
        self._buffer = bytearray()
        self._room = threading.Condition()
        self._closing = threading.Event()
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._in_flight = 0
        self._exit: tuple[object] | None = None  # set once the reader has ended
        self.exit_code: int | None = None
        self.ended = False
        self._timer = QTimer(self, singleShot=True, interval=FRAME_MS)
        self._timer.timeout.connect(self._flush)
        self._data_arrived.connect(self._schedule)
        self._reader_ended.connect(self._on_reader_ended)

    def start(self) -> None:
        threading.Thread(target=self._control, name="terminal-control", daemon=True).start()

    # -- from the GUI thread --

    def write(self, data: bytes) -> None:
        if data:
            self._control_queue.put(("write", data))

    def resize(self, rows: int, cols: int) -> None:
        self._control_queue.put(("resize", rows, cols))

    def written(self, chars: int) -> None:
        """The page has parsed a batch: room for the next."""
        self._in_flight = max(0, self._in_flight - chars)
        self._schedule()

    @property
    def closed(self) -> bool:
        """Whether it was asked to end (its processes are ended by its control thread)."""
        return self._closing.is_set()

    def close(self) -> None:
        """End the terminal and every process it started in the container."""
        if self._closing.is_set():
            return
        self._closing.set()
        with self._room:
            self._room.notify_all()
        self._control_queue.put(("close",))

    # -- the control thread --

    def _control(self) -> None:
        try:
            terminal = self._terminals.open(self._workspace_id, self._spec)
        except ServiceError as error:
            self.ended = True
            self._tell("failed", str(error))
            return
        self._tell("opened", terminal.title)
        threading.Thread(target=self._read, args=(terminal,), name="terminal-reader", daemon=True).start()
        while True:
            op = self._control_queue.get()
            try:
                if op[0] == "close":
                    terminal.close()
                    return
                if op[0] == "write":
                    terminal.write(op[1])
                elif op[0] == "resize":
                    terminal.resize(op[1], op[2])
            except ServiceError:
                if op[0] == "resize":
                    continue  # a resize racing the process's end is of no matter
                terminal.close()  # it cannot take input any more: end it
                return

    # -- the reader thread --

    def _read(self, terminal: Terminal) -> None:
        while data := terminal.read():
            with self._room:
                while len(self._buffer) >= BUFFER_BYTES and not self._closing.is_set():
                    self._room.wait()
                was_empty = not self._buffer
                self._buffer += data
            if was_empty:
                self._tell("_data_arrived")
        code = None
        try:
            code = terminal.exit_code()
        except ServiceError:
            pass
        self._tell("_reader_ended", code)

    def _tell(self, signal_name: str, *args: object) -> None:
        """Emit from a thread of ours; the view (and this object) may be gone by now."""
        try:
            getattr(self, signal_name).emit(*args)
        except RuntimeError:
            pass  # deleted with its window: nobody to tell, the threads just end

    # -- batching, on the GUI thread --

    def _schedule(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def _take(self, limit: int) -> bytes:
        with self._room:
            chunk = bytes(self._buffer[:limit])
            del self._buffer[:limit]
            self._room.notify_all()
        return chunk

    def _flush(self) -> None:
        if self._in_flight < IN_FLIGHT_CHARS:
            chunk = self._take(BATCH_BYTES)
            if chunk:
                text = self._decoder.decode(chunk)
                self._in_flight += len(text)
                self.output_ready.emit(text)
        with self._room:
            more = bool(self._buffer)
        if more:
            self._timer.start()
        elif self._exit is not None and not self.ended:
            self._finish()

    def _on_reader_ended(self, code: object) -> None:
        self._exit = (code,)
        self._schedule()

    def _finish(self) -> None:
        tail = self._decoder.decode(b"", final=True)
        if tail:
            self.output_ready.emit(tail)
        self.ended = True
        self.exit_code = self._exit[0] if self._exit else None  # type: ignore[assignment]
        self.exited.emit(self.exit_code)
        self.close()  # whatever it left running in the background goes too
