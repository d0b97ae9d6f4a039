"""Blocking services calls from the GUI: run on a worker, answered on the GUI thread.

Every services method blocks (SQLite, Docker, git, the keyring), so each call runs
on a worker thread (``aio``); its result, or its failure as a sentence for
people, comes back on the GUI thread. Nothing here raises into Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from desktop.ui.bridge import aio
from desktop.ui.bridge import service_mapping as cm
from desktop.ui.bridge.payloads import OperationFailed

log = logging.getLogger(__name__)

T = TypeVar("T")


class Calls(QObject):
    """Signals:
        failed(OperationFailed): a call that is not quiet failed; the message is for people.
        engine_lost(): a call failed because the Docker engine went away.
    """

    failed = Signal(object)
    engine_lost = Signal()

    closed = False

    def close(self) -> None:
        """No more calls (the app is quitting): later requests are dropped."""
        self.closed = True

    def run(self, action: str, fn: Callable[..., T], *args: Any, then: Callable[[T], None] | None = None,
            failed: Callable[[str], None] | None = None, failed_error: Callable[[Exception], None] | None = None,
            quiet: bool = False, **kwargs: Any) -> None:
        """Call ``fn(*args, **kwargs)`` on a worker; then ``then(result)`` or ``failed(message)``
        on the GUI thread. ``action`` names what the person asked for ("Apply changes").

        ``failed_error(error)`` gets the services' error itself, for a caller that
        shows more than the sentence (a ``Conflict``'s ``parts``); it must not keep it.
        """
        if self.closed:
            log.debug("%s dropped: the app is closing", action)
            return

        async def job() -> None:
            try:
                result = await aio.run_blocking(fn, *args, **kwargs)
            except Exception as exc:  # the services' errors say what went wrong in str()
                message = cm.error_text(exc)
                # The message, not the error: a kept log record must not keep its traceback's frames alive.
                log.warning("%s failed: %s", action, message, exc_info=not cm.expected(exc))
                if cm.engine_gone(exc):
                    self.engine_lost.emit()
                if failed is not None:
                    failed(message)
                if failed_error is not None:
                    failed_error(exc.with_traceback(None))  # no frames kept alive by a receiver
                if not quiet:
                    self.failed.emit(OperationFailed(action, message))
                return
            if then is not None:
                then(result)

        coro = job()
        try:
            aio.spawn(coro, name=action)
        except RuntimeError:  # no event loop: the app is shutting down, nobody waits for the answer
            coro.close()
            log.debug("%s dropped: no event loop", action)
