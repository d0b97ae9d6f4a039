"""An endless stream (a task's events, container stats) read on its own thread.

An executor worker would be held for the stream's whole life, so each stream
gets a daemon thread. The source may be a plain iterator, an async iterator or
a coroutine returning one; async sources run on the thread's own asyncio loop,
so nothing they do can block the GUI.

Items cross to the GUI thread in batches: the reader wakes the GUI once, and
everything that arrived until the GUI gets round to it is handed over in one
``items_arrived``. A burst of a thousand events is one signal, not a thousand.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ItemsArrived:
    key: str
    items: tuple[Any, ...]


@dataclass(frozen=True)
class StreamEnded:
    key: str
    error: str | None  # for people; None when the stream simply ended


class StreamReader(QObject):
    """Reads one stream on a thread of its own, delivering batches on the GUI thread.

    Signals:
        items_arrived(ItemsArrived): one or more new items, in order.
        ended(StreamEnded): the stream is over (not emitted after ``stop()``).
    """

    items_arrived = Signal(object)
    ended = Signal(object)
    _wake = Signal()

    def __init__(self, key: str, source: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._source = source
        self._lock = threading.Lock()
        self._items: list[Any] = []
        self._woken = False
        self._end: StreamEnded | None = None
        self._stopped = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"aicode-stream-{self.key}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop reading; nothing more is delivered, whatever was still in flight."""
        self._stopped.set()
        loop, task = self._loop, self._task
        if loop is not None and task is not None:
            try:
                loop.call_soon_threadsafe(task.cancel)
            except RuntimeError:  # the loop has closed: the thread is done anyway
                pass

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # -- the reader thread --------------------------------------------------

    def _run(self) -> None:
        error: str | None = None
        try:
            stream = self._source()
            if inspect.isawaitable(stream) or hasattr(stream, "__aiter__"):
                asyncio.run(self._consume_async(stream))
            else:
                for item in stream:
                    if self._stopped.is_set():
                        break
                    self._push(item)
        except asyncio.CancelledError:
            pass
        except Exception as exc:  # the stream failed: say so, do not kill the app
            log.warning("stream %s failed", self.key, exc_info=True)
            error = str(exc) or type(exc).__name__
        self._finish(StreamEnded(self.key, error))

    async def _consume_async(self, stream: Any) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        if self._stopped.is_set():
            return
        if inspect.isawaitable(stream):
            stream = await stream
        async for item in stream:
            if self._stopped.is_set():
                break
            self._push(item)

    def _push(self, item: Any) -> None:
        with self._lock:
            self._items.append(item)
            wake, self._woken = not self._woken, True
        if wake:
            self._emit_wake()

    def _finish(self, end: StreamEnded) -> None:
        with self._lock:
            self._end = end
            wake, self._woken = not self._woken, True
        if wake:
            self._emit_wake()

    def _emit_wake(self) -> None:
        try:
            self._wake.emit()
        except RuntimeError:  # the QObject is gone: the GUI no longer listens
            self._stopped.set()

    # -- the GUI thread -----------------------------------------------------

    def _drain(self) -> None:
        with self._lock:
            items, self._items = self._items, []
            end, self._end = self._end, None
            self._woken = False
        if self._stopped.is_set():
            return
        if items:
            self.items_arrived.emit(ItemsArrived(self.key, tuple(items)))
        if end is not None:
            self.ended.emit(end)
