"""Following a busy task must never freeze the window."""

from __future__ import annotations

from desktop.ui.transcript import TranscriptView
from tests.ui.factories import stream_of
from tests.ui.stall import idle_baseline, stall_limit_ms, stream_into


def test_5000_streamed_events_never_stall_the_gui_thread(qtbot) -> None:  # noqa: ANN001
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    idle = idle_baseline(0.5)
    report = stream_into(view, stream_of(5000))
    print(f"\nlongest GUI stall {report.longest_ms:.1f} ms (p99 {report.p99_ms:.1f} ms) over {report.events} events"
          f" / {report.rows} rows in {report.seconds:.2f} s; idle baseline {idle.longest_ms:.1f} ms")
    assert view.idle() and report.rows > 1000
    assert view.following  # it kept up with the stream to the end
    assert report.longest_ms < stall_limit_ms(idle), "never frozen (bench/ measures the fine figure)"
