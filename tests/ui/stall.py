"""Measures how long the GUI thread stalls while a transcript follows a stream.

A heartbeat timer ticks every few milliseconds on the GUI thread; the longest
gap between two ticks is the longest time the GUI could not react to input or
paint. ``busy_reply`` makes the fake API answer with thousands of text blocks,
which the real ``claude`` prints as one stream-json line each, so a real task
streams that many events through the real Core into the window;
``stream_into`` feeds a view alone, from a reader thread, for quick checks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from desktop.domain import TaskEvent
from desktop.ui.bridge.stream_reader import StreamReader
from desktop.ui.transcript import TranscriptView
from tests.fakeapi import Reply

HEARTBEAT_MS = 5


def busy_reply(blocks: int) -> Reply:
    """One assistant turn of ``blocks`` text blocks, some with Markdown, of varied length."""
    texts = tuple(
        f"Step {i}: checked `module_{i % 97}.py`" + (" — **needs a fix**." if i % 7 == 0 else ".")
        + (" The handler keeps its state between calls, so the retry sees the old value." * (i % 4))
        for i in range(1, blocks)
    )
    return Reply(text="Starting a long review.", texts=texts, output_tokens=blocks * 12)


@dataclass
class StallReport:
    events: int
    rows: int
    seconds: float
    longest_ms: float
    p99_ms: float
    ticks: int


class Heartbeat:
    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = 0.0
        self._timer = QTimer(interval=HEARTBEAT_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._tick()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    @property
    def longest_ms(self) -> float:
        return max(self.gaps, default=0.0)

    def report(self, events: int, rows: int, seconds: float) -> StallReport:
        gaps = sorted(self.gaps) or [0.0]
        return StallReport(events, rows, seconds, gaps[-1], gaps[int(len(gaps) * 0.99) - 1 if len(gaps) > 1 else 0], len(gaps))


def spin(until: Callable[[], bool], timeout_s: float) -> None:
    deadline = time.perf_counter() + timeout_s
    while not until() and time.perf_counter() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.001)  # a poll of ``until`` that leaves the CPU to the threads being measured


# A stall counts against a baseline of the same run: an idle window's longest
# gap between heartbeats (timer granularity and whatever else the machine is
# doing). Generous: a real freeze (work per event growing with the rows) is
# seconds long; what the targets in bench/ measure is finer.
STALL_RATIO = 20.0


def stall_limit_ms(idle: StallReport) -> float:
    return STALL_RATIO * max(idle.longest_ms, 2 * HEARTBEAT_MS)


def idle_baseline(seconds: float = 1.0) -> StallReport:
    beat = Heartbeat()
    beat.start()
    start = time.perf_counter()
    spin(lambda: time.perf_counter() - start > seconds, seconds + 1)
    beat.stop()
    return beat.report(0, 0, time.perf_counter() - start)


def stream_into(view: TranscriptView, events: list[TaskEvent], per_second: float | None = None) -> StallReport:
    """Feed ``events`` through a reader thread into ``view``; ``per_second`` paces
    the producer (None: as fast as it can, the worst case)."""

    def produce(_stop: object) -> Iterator[TaskEvent]:
        start = time.perf_counter()
        for i, event in enumerate(events):
            if per_second and i % 25 == 0:
                ahead = start + i / per_second - time.perf_counter()
                if ahead > 0:
                    time.sleep(ahead)  # the scenario: an agent printing at a given pace
            yield event

    done: list[bool] = []
    reader = StreamReader("bench", produce)
    reader.items_arrived.connect(lambda batch: view.append_events(batch.items))
    reader.ended.connect(lambda _end: done.append(True))
    beat = Heartbeat()
    beat.start()
    start = time.perf_counter()
    reader.start()
    spin(lambda: bool(done) and view.idle(), timeout_s=120)
    # A little longer: the last paint and any idle measuring after it.
    settle = time.perf_counter()
    spin(lambda: time.perf_counter() - settle > 0.2, 1)
    beat.stop()
    reader.join(5)
    return beat.report(len(events), len(view.rows), time.perf_counter() - start)
