"""What a command gets from its client when it runs inside the warm service.

- Ctrl+C: run locally it is a KeyboardInterrupt as usual; in the service the
  client forwards it and the service calls what the command registered here
  (``task run`` cancels its task).
- Standard input: the client reads it in the user's terminal and sends it.
"""

from __future__ import annotations

import threading
from typing import Callable

_local = threading.local()


class Interrupts:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []
        self.fired = False

    def add(self, callback: Callable[[], None]) -> None:
        with self._lock:
            self._callbacks.append(callback)

    def fire(self) -> None:
        with self._lock:
            self.fired = True
            callbacks = list(self._callbacks)
        for callback in callbacks:
            callback()


def bind(interrupts: Interrupts | None, stdin: str | None = None) -> None:
    """Set the current command's context (in the service's handler thread)."""
    _local.current = interrupts
    _local.stdin = stdin


def forwarded_stdin() -> str | None:
    """What the client read from its standard input for this command, if anything."""
    return getattr(_local, "stdin", None)


def on_interrupt(callback: Callable[[], None]) -> None:
    current: Interrupts | None = getattr(_local, "current", None)
    if current is not None:
        current.add(callback)
