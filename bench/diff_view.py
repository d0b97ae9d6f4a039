"""How long does the GUI thread stall when a 5,000-line change opens in the diff viewer?

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/diff_view.py [--lines 5000] [--runs 3]

A real change (a scratch git repository edited in hundreds of places, three
new files; ``git diff --binary --full-index`` parsed by the review core)
opens in a ``DiffView`` and is scrolled a page per frame to the end, while
Pygments colours what is shown. A 5 ms heartbeat timer on the GUI thread
records the longest gap between ticks.

Two baselines from the same run: the idle event loop's longest gap, and
the time a plain QPlainTextEdit takes to show the same lines (from setting
the text to its first paint done, the event loop running), against which
the diff's time to its first paint is compared. The first run
also pays for making the lexers (once per run of the app).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QPlainTextEdit  # noqa: E402

TARGET_MS = 100


def plain_text_first_paint(qapp: QApplication, text: str) -> float:
    from tests.ui.test_diff_data import time_to_paint

    edit = QPlainTextEdit()
    edit.resize(1280, 800)
    edit.show()
    qapp.processEvents()
    seconds = time_to_paint(edit.viewport(), lambda: edit.setPlainText(text))
    edit.close()
    edit.deleteLater()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000, help="added and removed lines in the change")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from desktop.ui.look import theme
    from desktop.ui.review import DiffView
    from tests.ui.stall import idle_baseline
    from tests.ui.test_diff_data import big_change, changed_lines, open_and_scroll

    qapp = QApplication(sys.argv[:1])
    theme.apply(qapp, theme.ThemeMode.LIGHT)
    change = big_change(Path(tempfile.mkdtemp(prefix="aicode-diff-bench-")), args.lines)
    text = "\n".join(line.text for f in change.files for h in f.hunks for line in h.lines)
    idle = idle_baseline(1.0)
    print(f"platform {qapp.platformName()}; a change of {changed_lines(change)} added/removed lines in "
          f"{len(change.files)} files, {sum(len(f.hunks) for f in change.files)} hunks")
    print(f"idle event loop      longest gap {idle.longest_ms:7.1f} ms")
    worst = 0.0
    for run in range(1, args.runs + 1):
        plain = plain_text_first_paint(qapp, text)
        view = DiffView()
        view.resize(1280, 800)
        view.show()
        qapp.processEvents()
        opened = open_and_scroll(view, change)
        r = opened.report
        worst = max(worst, r.longest_ms)
        print(f"run {run}: longest gap {r.longest_ms:7.1f} ms ({r.longest_ms / max(idle.longest_ms, 0.1):4.1f}x idle)"
              f"   p99 {r.p99_ms:5.1f} ms   first paint {opened.first_paint_s * 1000:6.1f} ms"
              f" ({opened.first_paint_s / max(plain, 1e-6):4.1f}x QPlainTextEdit's {plain * 1000:.1f} ms)"
              f"   {r.rows} rows scrolled in {r.seconds:.1f} s")
        view.close()
        view.deleteLater()
        qapp.processEvents()
    print(f"longest stall {worst:.1f} ms: {'within' if worst < TARGET_MS else 'over'} the {TARGET_MS} ms target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
