"""A 5,000-line change must open and scroll without freezing the window.

The figures are ratios against an idle event loop measured in the same test:
the machine's speed and load cancel out, so no absolute time is asserted.
``open_and_scroll`` is also what ``bench/diff_view.py`` measures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QTimer

from desktop.domain.review import ChangeSet
from desktop.ui.review import DiffView
from tests.ui.stall import Heartbeat, StallReport, idle_baseline, spin
from tests.ui.test_diff_data import big_change

# Generous: an idle loop's longest gap is 5-15 ms, the widest open-and-paint
# about 10x that on a busy machine; lexing everything at once would be 100x.
STALL_MULTIPLE = 40
SCROLL_EVERY_MS = 16  # a page a frame: faster than anyone reads


@dataclass
class Opened:
    first_paint_s: float  # from set_change to the diff's first paint, done
    report: StallReport  # the GUI thread while opening and scrolling to the end


def changed_lines(change: ChangeSet) -> int:
    return sum((f.insertions or 0) + (f.deletions or 0) for f in change.files)


def open_and_scroll(view: DiffView, change: ChangeSet) -> Opened:
    """Show ``change`` in ``view`` (shown already), then scroll it a page per
    frame to the end, and wait for the highlighting to catch up."""
    canvas = view.canvas
    bar = canvas.verticalScrollBar()
    beat = Heartbeat()
    beat.start()
    start = time.perf_counter()
    view.set_change(change)
    canvas.viewport().repaint()
    first_paint = time.perf_counter() - start

    def step() -> None:
        bar.setValue(bar.value() + bar.pageStep())
        if bar.value() >= bar.maximum():
            timer.stop()

    timer = QTimer(interval=SCROLL_EVERY_MS, timeout=step)
    timer.start()
    spin(lambda: not timer.isActive() and canvas.idle(), timeout_s=120)
    settle = time.perf_counter()
    spin(lambda: time.perf_counter() - settle > 0.2, 1)
    beat.stop()
    rows = len(canvas.rows)
    return Opened(first_paint, beat.report(changed_lines(change), rows, time.perf_counter() - start))


def test_a_5000_line_change_opens_and_scrolls_without_stalling(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    change = big_change(tmp_path)
    assert changed_lines(change) >= 5000 and len(change.files) >= 4
    view = DiffView()
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    idle = idle_baseline(0.5)
    opened = open_and_scroll(view, change)
    report = opened.report
    print(f"\nlongest GUI stall {report.longest_ms:.1f} ms (p99 {report.p99_ms:.1f} ms) over {report.rows} rows;"
          f" first paint {opened.first_paint_s * 1000:.0f} ms; idle baseline {idle.longest_ms:.1f} ms")
    bar = view.canvas.verticalScrollBar()
    assert bar.value() == bar.maximum() > 0 and view.canvas.idle()
    assert report.longest_ms < STALL_MULTIPLE * idle.longest_ms
