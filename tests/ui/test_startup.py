"""The window paints quickly, before anything heavy is imported."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_PAINT_LIMIT_MS = 500


def test_first_paint_is_fast_and_lean() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "desktop.ui.app", "--quit-after-first-paint"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    wall_ms = (time.perf_counter() - start) * 1000
    assert out.returncode == 0, out.stderr
    match = re.search(r"first paint after (\d+) ms; heavy modules loaded: (.*)", out.stdout)
    assert match, out.stdout + out.stderr
    print(f"\nfirst paint {match.group(1)} ms after the app module loaded; {wall_ms:.0f} ms from process start")
    assert int(match.group(1)) < FIRST_PAINT_LIMIT_MS
    assert match.group(2).strip() == "none"


def test_qt_is_imported_only_under_desktop_ui() -> None:
    offenders = []
    for path in (ROOT / "desktop").rglob("*.py"):
        if (ROOT / "desktop" / "ui") in path.parents:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import)\s+(PySide6|desktop\.ui)\b", text, re.MULTILINE):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"Qt or the GUI imported outside desktop/ui: {offenders}"


def test_view_data_and_mapping_stay_free_of_qt() -> None:
    code = ("import sys; import desktop.ui.bridge.viewdata, desktop.ui.bridge.service_mapping, desktop.ui.transcript.builder;"
            "print('PySide6' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
