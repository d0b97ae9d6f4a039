"""Live CPU and memory of a container, from the engine's stats stream."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Iterator

from desktop.containers.engine import Engine, translate


@dataclass(frozen=True)
class StatsSample:
    cpu_percent: float  # of one CPU: 200.0 is two CPUs busy
    memory_bytes: int
    memory_limit: int


def _sample(raw: dict[str, Any]) -> StatsSample | None:
    cpu, pre = raw.get("cpu_stats") or {}, raw.get("precpu_stats") or {}
    try:
        cpu_delta = cpu["cpu_usage"]["total_usage"] - pre["cpu_usage"]["total_usage"]
        system_delta = cpu["system_cpu_usage"] - pre["system_cpu_usage"]
    except (KeyError, TypeError):
        return None  # the first sample has no previous one
    cpus = cpu.get("online_cpus") or len(cpu["cpu_usage"].get("percpu_usage") or [1])
    percent = cpu_delta / system_delta * cpus * 100.0 if system_delta > 0 else 0.0
    memory = raw.get("memory_stats") or {}
    # Page cache the kernel can drop is not the container's use (as `docker stats`).
    cache = (memory.get("stats") or {}).get("total_inactive_file", 0)
    return StatsSample(round(max(percent, 0.0), 1), max(int(memory.get("usage", 0)) - cache, 0),
                       int(memory.get("limit", 0)))


def stream_stats(engine: Engine, container_id: str, stop: threading.Event) -> Iterator[StatsSample]:
    """Samples about once a second until ``stop`` is set or the container stops.

    Blocking and endless: give it a thread of its own.
    """
    try:
        raw_stream = engine.api.stats(container_id, decode=True, stream=True)
    except Exception as error:
        raise translate(error) or error from None
    try:
        for raw in raw_stream:
            if stop.is_set():
                return
            sample = _sample(raw)
            if sample is not None:
                yield sample
    except Exception as error:
        if stop.is_set():
            return
        raise translate(error) or error from None
    finally:
        close = getattr(raw_stream, "close", None)
        if close is not None:
            close()
