"""An endless stream (a task's events, container stats, task changes) read on its own thread.

An executor worker would be held for the stream's whole life, so each stream
gets a daemon thread. The source is called on that thread with the reader's
stop event, which the services' blocking iterators (``Tasks.follow``,
``Containers.stats``) look at between items, so ``stop()`` ends them soon.

Items cross to the GUI thread in batches: the reader wakes the GUI once, and
everything that arrived until the GUI gets round to it is handed over in one
``items_arrived``. A burst of a thousand events is one signal, not a thousand.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

log = logging.getLogger(__name__)

Source = Callable[[threading.Event], Iterable[Any]]


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

    def __init__(self, key: str, source: Source, parent: QObject | None = None,
                 describe_error: Callable[[BaseException], str] | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._source = source
        self._describe = describe_error or (lambda exc: str(exc) or type(exc).__name__)
        self._lock = threading.Lock()
        self._items: list[Any] = []
        self._woken = False
        self._end: StreamEnded | None = None
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"aicode-stream-{self.key}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop reading; nothing more is delivered, whatever was still in flight."""
        self._stopped.set()

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
            for item in self._source(self._stopped):
                if self._stopped.is_set():
                    break
                self._push(item)
        except Exception as exc:  # the stream failed: say so, do not kill the app
            log.warning("stream %s failed", self.key, exc_info=True)
            error = self._describe(exc)
        self._finish(StreamEnded(self.key, error))

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
