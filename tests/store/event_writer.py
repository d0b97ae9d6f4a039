"""A second process for test_concurrency: appends events when told to go.

Usage: python event_writer.py DATABASE TASK_ID COUNT [TASK_ID COUNT ...]
Prints "ready" once the database is open, then waits for a line on stdin.
"""

from __future__ import annotations

import sys

from desktop.domain import EventKind
from desktop.store import Database


def main(path: str, *plan: str) -> None:
    work = [(plan[i], int(plan[i + 1])) for i in range(0, len(plan), 2)]
    with Database.open(path) as db:
        print("ready", flush=True)
        sys.stdin.readline()
        for n in range(max(count for _, count in work)):
            for task_id, count in work:
                if n < count:
                    db.events.append(task_id, EventKind.TEXT, {"writer": "process", "n": n})


if __name__ == "__main__":
    main(*sys.argv[1:])
