"""Blocking work off the GUI thread, on the qasync event loop.

Two helpers and no others, so every call site looks the same:

- ``spawn(coro)`` starts a background coroutine and keeps a reference to it
  until it ends: asyncio holds tasks weakly, and an unreferenced task can be
  garbage-collected mid-flight (FeelUOwn's ``aio.py`` has the same helper, but
  most of its call sites use the unreferenced variant). Failures are logged.
- ``await run_blocking(fn, ...)`` runs a short blocking call (a services method) on
  a worker thread. Endless streams do not belong here: they would hold a worker
  for ever; they get their own thread (``stream_reader.StreamReader``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

_background: set[asyncio.Future[Any]] = set()
_executor: ThreadPoolExecutor | None = None

# Short calls only; four is plenty for a person's clicks and keeps a slow
# engine from starving the rest behind it.
WORKERS = 4


def spawn(coro: Coroutine[Any, Any, T], *, name: str | None = None) -> asyncio.Future[T]:
    task = asyncio.ensure_future(coro)
    if name and isinstance(task, asyncio.Task):
        task.set_name(name)
    _background.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Future[Any]) -> None:
    _background.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.error("background task failed", exc_info=error)


async def run_blocking(fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_get_executor(), functools.partial(fn, *args, **kwargs))


def _get_executor() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="aicode-ui")
    return _executor


def pending() -> int:
    """How many background tasks are still running (for tests and shutdown)."""
    return len(_background)


def shutdown(wait: bool = False) -> None:
    """Cancel what is still running and let the workers go; at application exit.

    ``wait``: also wait for the calls already running on a worker to return
    (tests do, before they close the services under them).
    """
    global _executor
    for task in list(_background):
        task.cancel()
    if _executor is not None:
        _executor.shutdown(wait=wait, cancel_futures=True)
        _executor = None
