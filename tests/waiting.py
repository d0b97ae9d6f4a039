"""Waiting on a condition, never on the clock: poll until ``check`` gives a
true value (returned, so the test asserts on what it waited for), or fail
saying what never happened."""

from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")

WAIT_SECONDS = 120.0
# How often the condition is looked at: a poll, not a synchronisation.
POLL_SECONDS = 0.05


def until(what: str, check: Callable[[], T], timeout: float = WAIT_SECONDS) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(POLL_SECONDS)
