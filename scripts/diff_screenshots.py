"""Render the diff viewer to docs/screenshots/diff-{light,dark}.png at 1280x800.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/diff_screenshots.py
    xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb .venv/bin/python scripts/diff_screenshots.py

The change is real: a scratch git repository, edited the way an agent would
(Python in several hunks, a CI workflow, a binary image, a symlink, a chmod,
a deletion, a rename), its ``git diff --binary --full-index`` parsed by the
review core. One gap of unchanged lines is expanded from the repository's
"before" files, as the app answers from the person's folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    from desktop.ui.look import theme
    from desktop.ui.review import DiffView
    from desktop.ui.review.payloads import ContextRequest, DiffMode
    from tests.ui.test_diff_data import INVOICE, review_change

    app = QApplication(sys.argv[:1])
    theme.apply(app, theme.ThemeMode.LIGHT)
    change = review_change(Path(tempfile.mkdtemp(prefix="aicode-diff-shots-")))
    before = INVOICE.split("\n")

    def answer(request: ContextRequest) -> None:
        view.show_context(request.path, request.first_old_line,
                          before[request.first_old_line - 1: request.first_old_line - 1 + request.count])

    view = DiffView()
    view.context_requested.connect(answer)
    view.resize(1280, 800)
    view.show()
    view.set_change(change)
    invoice = next(i for i, f in enumerate(change.files) if f.path.endswith("invoice.py"))
    view.file_list.setCurrentIndex(view.file_list.files.index(invoice))
    canvas = view.canvas
    gaps = [i for i, row in enumerate(canvas.rows) if row.gap is not None and row.file == invoice]
    canvas.expand(gaps[1])  # the lines between the first two hunks, from "the folder"
    second_hunk = [i for i, row in enumerate(canvas.rows) if row.kind.name == "HUNK" and row.file == invoice][1]
    canvas.toggle_hunk(invoice, canvas.rows[second_hunk].hunk)  # one hunk left out
    canvas.set_cursor(canvas.file_row(invoice), to_top=True)
    canvas.setFocus(Qt.FocusReason.TabFocusReason)
    canvas.set_cursor(second_hunk)  # the keyboard's cursor on the hunk left out: its bar and ring show
    OUT.mkdir(parents=True, exist_ok=True)
    for mode in ("light", "dark"):
        theme.apply(app, theme.ThemeMode(mode))
        for _ in range(3):
            app.processEvents()
            canvas.viewport().repaint()
            canvas.finish_highlighting()
        view.repaint()
        path = OUT / f"diff-{mode}.png"
        view.grab().save(str(path))
        print(path)
    if len(sys.argv) > 2 and sys.argv[1] == "--more":  # more views, to look at while working on the viewer
        more = Path(sys.argv[2])
        view.set_mode(DiffMode.SPLIT)
        _shoot(app, view, more / "split.png")
        view.set_mode(DiffMode.UNIFIED)
        canvas.set_cursor(canvas.file_row(0), to_top=True)
        _shoot(app, view, more / "top.png")
        canvas.verticalScrollBar().setValue(canvas.verticalScrollBar().maximum())
        _shoot(app, view, more / "bottom.png")
    return 0


def _shoot(app: QApplication, view: QWidget, path: Path) -> None:
    for _ in range(3):
        app.processEvents()
        view.canvas.viewport().repaint()
        view.canvas.finish_highlighting()
    view.grab().save(str(path))
    print(path)


if __name__ == "__main__":
    sys.exit(main())
