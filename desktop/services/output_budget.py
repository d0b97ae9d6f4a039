"""What one task may store of the agent's output (security finding 7).

Every line the agent's process prints becomes an event in the database; an
agent printing without end must not fill the disk, nor make a transcript of
millions of rows. One line is already cut at ``lines.DEFAULT_MAX_LINE``; here
the task's total is bounded, in bytes and in events. Past either, the task is
stopped and fails with the reason.
"""

from __future__ import annotations

import json

from desktop.domain import EventKind
from desktop.domain.events import NewEvent

# The bytes of events one task keeps: each event's line, and its data that repeats it.
MAX_OUTPUT_BYTES = 256 * 1024 * 1024
# The events one task keeps: a real task of hours has a few thousand.
MAX_EVENTS = 200_000
# A row's own cost beyond its text (seq, kind, time, index entries).
ROW_BYTES = 64


def stored_size(event: NewEvent) -> int:
    """About what ``event`` takes in the database."""
    if event.raw:
        return 2 * len(event.raw) + ROW_BYTES  # the line, and the data parsed from it
    # A line without raw (claude's stderr, the app's own notes): its data is the text.
    return len(json.dumps(event.data, ensure_ascii=False)) + ROW_BYTES


def _size(count: int) -> str:
    if count >= 2**20:
        return f"{count / 2**20:.0f} MB"
    return f"{count // 1024} kB" if count >= 1024 else f"{count} bytes"


class OutputBudget:
    """Counts what a task stores; says once why it must stop."""

    def __init__(self) -> None:
        self.bytes = 0
        self.events = 0
        self.exceeded: str | None = None  # why the run was stopped for its output's size

    def admit(self, events: list[NewEvent]) -> list[NewEvent]:
        """The events to store: ``events`` within the budget; past it, once,
        the event that says why the task stops, then nothing more."""
        if self.exceeded:
            return []
        self.bytes += sum(stored_size(e) for e in events)
        self.events += len(events)
        if self.bytes > MAX_OUTPUT_BYTES:
            self.exceeded = (f"The agent's output passed {_size(MAX_OUTPUT_BYTES)}, the most a task keeps: "
                             "it was stopped, and what it printed after that is not kept")
        elif self.events > MAX_EVENTS:
            self.exceeded = (f"The agent's output passed {MAX_EVENTS:,} events, the most a task keeps: "
                             "it was stopped, and what it printed after that is not kept")
        else:
            return events
        return [NewEvent(EventKind.STATE, {"state": "output_limit", "message": self.exceeded})]
