"""How long does the GUI thread stall while a transcript follows a busy task?

    .venv/bin/python bench/ui_stream_stall.py [--events 5000] [--rate 2500]

Feeds events through a reader thread into a shown TranscriptView (as a live
task does) while a 5 ms heartbeat timer runs on the GUI thread, and prints the
longest gap between heartbeats, next to the same figure for the idle event
loop measured in the same run: the ratio is what the stream costs.
Runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.ui import theme  # noqa: E402
from desktop.ui.transcript import TranscriptView  # noqa: E402
from tests.ui.factories import stream_of  # noqa: E402
from tests.ui.stall import idle_baseline, stream_into  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=2500, help="paced run: events per second")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    theme.apply(app, theme.ThemeMode.LIGHT)
    view = TranscriptView()
    view.resize(900, 800)
    view.show()
    events = stream_of(args.events)
    idle = idle_baseline(1.0)
    print(f"platform {app.platformName()}, {args.events} events")
    print(f"idle baseline       longest gap {idle.longest_ms:7.1f} ms   p99 {idle.p99_ms:6.1f} ms")
    for label, rate in (("burst (unpaced)", None), (f"paced {args.rate:.0f}/s", args.rate)):
        view.clear()
        r = stream_into(view, events, per_second=rate)
        print(f"{label:<19} longest gap {r.longest_ms:7.1f} ms   p99 {r.p99_ms:6.1f} ms   "
              f"ratio to idle {r.longest_ms / max(idle.longest_ms, 0.1):5.1f}x   "
              f"{r.rows} rows in {r.seconds:.2f} s, following: {view.following}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
