"""Following a busy real task must never freeze the window."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop.domain import TaskState
from desktop.ui.transcript.rows import ResultRow
from tests.fakeapi import FakeAnthropic
from tests.ui.real import Gui
from tests.ui.stall import Heartbeat, busy_reply, idle_baseline, stall_limit_ms

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

EVENTS = 5000


def test_a_real_task_streaming_5000_events_never_stalls_the_window(gui: Gui, fake_api: FakeAnthropic, project: Path,
                                                                  qtbot) -> None:  # noqa: ANN001
    w = gui.window
    w.resize(1280, 800)
    gui.add_workspace("busy", project)
    fake_api.script(busy_reply(EVENTS), match="busy stream")
    idle = idle_baseline(0.5)

    beat = Heartbeat()
    beat.start()
    start = time.perf_counter()
    task = gui.run_prompt("busy stream")
    done = gui.wait_shown_final()
    qtbot.waitUntil(lambda: any(isinstance(r, ResultRow) for r in w.transcript.rows) and w.transcript.idle(),
                    timeout=60_000)
    seconds = time.perf_counter() - start
    beat.stop()

    events = len(gui.core.tasks.events(task.id))
    report = beat.report(events, len(w.transcript.rows), seconds)
    print(f"\nreal task: {events} events, {report.rows} rows in {seconds:.1f} s; longest GUI stall "
          f"{report.longest_ms:.1f} ms (p99 {report.p99_ms:.1f} ms); idle baseline {idle.longest_ms:.1f} ms "
          f"(ratio {report.longest_ms / max(idle.longest_ms, 0.1):.1f}x)")
    assert done.state is TaskState.SUCCEEDED, done.error
    assert events >= EVENTS and report.rows >= EVENTS
    assert w.transcript.following, "it kept up with the stream to the end"
    assert report.longest_ms < stall_limit_ms(idle), "never frozen (bench/ measures the fine figure)"
