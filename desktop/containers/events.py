"""What the engine recorded about a container: its events."""

from __future__ import annotations

import time
from datetime import datetime

from desktop.containers.engine import Engine, translate


def out_of_memory_since(engine: Engine, container_id: str, since: datetime) -> bool:
    """Whether the kernel's OOM killer struck in the container since ``since``.

    The OOM killer may take a tool process or claude itself; the engine
    records an "oom" event for the container either way.
    """
    try:
        # Whole seconds, widened by one: the API compares at second precision.
        events = engine.client.events(
            since=int(since.timestamp()) - 1, until=int(time.time()) + 1, decode=True,
            filters={"container": container_id, "event": "oom"},
        )
    except Exception as error:
        raise translate(error) or error from None
    try:
        return any(True for _ in events)
    except Exception as error:
        raise translate(error) or error from None
    finally:
        events.close()
