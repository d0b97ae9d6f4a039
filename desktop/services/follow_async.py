"""A task's events as an async stream, for asyncio consumers (the GUI's loop).

The store and the hub are blocking, and a task's stream is endless until it
ends, so the iteration runs in a thread of its own (not an executor worker,
which it would hold for the task's whole life) and hands each item to the
loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator

from desktop.domain import Task, TaskEvent
from desktop.services.tasks import Tasks

_END = object()


async def follow_async(tasks: Tasks, task_id: str) -> AsyncIterator[TaskEvent | Task]:
    """Stored events, then live ones, no gap, no duplicate; ends with the Task."""
    loop = asyncio.get_running_loop()
    items: asyncio.Queue[object] = asyncio.Queue()
    stop = threading.Event()

    def read() -> None:
        try:
            for item in tasks.follow(task_id, stop):
                loop.call_soon_threadsafe(items.put_nowait, item)
        except BaseException as error:  # noqa: BLE001 - handed to the consumer
            loop.call_soon_threadsafe(items.put_nowait, error)
        finally:
            loop.call_soon_threadsafe(items.put_nowait, _END)

    reader = threading.Thread(target=read, name=f"follow-{task_id}", daemon=True)
    reader.start()
    try:
        while (item := await items.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()  # the consumer stopped early: let the reader go
