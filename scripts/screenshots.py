"""Render the GUI's main screens to docs/screenshots/*.png, in light and dark.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py

Every screen is built from data made here (no Core, no Docker): the main window
with workspaces and a finished task's transcript, the settings dialog and the
first-run dialog, each at 1280x800 (dialogs over the dimmed main window).
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QMargins, QPoint, QRect, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

from desktop.domain import EventKind, NetworkMode, SourceKind, Task, TaskEvent, TaskState, Workspace  # noqa: E402
from desktop.domain.task import PatchState  # noqa: E402
from desktop.ui import icons, theme  # noqa: E402
from desktop.ui.main_window import MainWindow  # noqa: E402
from desktop.ui.settings_dialog import SettingsDialog  # noqa: E402
from desktop.ui.viewdata import (  # noqa: E402
    BuildProgress,
    ChangedFile,
    ContainerInfo,
    ContainerState,
    EngineStatus,
    ImageStatus,
    SecretStatus,
    SettingsValues,
    ThemeMode,
    WorkspaceItem,
)
from desktop.ui.welcome_dialog import WelcomeDialog  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = (1280, 800)
NOW = datetime(2025, 3, 14, 15, 30)


def workspace(id: str, name: str, git: bool = False) -> Workspace:
    return Workspace(id=id, name=name, source_kind=SourceKind.GIT if git else SourceKind.FOLDER,
                     source_path=f"/home/ada/src/{name}", git_url=f"https://github.com/acme/{name}.git" if git else None,
                     image="aicode-agent:latest", cpus=2.0, memory="4g", network=NetworkMode.BRIDGE)


def task(id: str, prompt: str, state: TaskState, minutes_ago: float, seconds: int = 133, cost: float | None = 0.18,
         **kw: object) -> Task:
    created = NOW - timedelta(minutes=minutes_ago)
    started = created + timedelta(seconds=2) if state is not TaskState.QUEUED else None
    finished = started + timedelta(seconds=seconds) if started and state.is_final else None
    return Task(id=id, workspace_id="ws1", prompt=prompt, state=state, created_at=created, model="claude-sonnet-4-5",
                started_at=started, finished_at=finished, cost_usd=cost if state.is_final else None,
                input_tokens=48_210 if state.is_final else None, output_tokens=3_120 if state.is_final else None,
                patch_state=PatchState.PENDING if state is TaskState.SUCCEEDED else PatchState.NONE, **kw)  # type: ignore[arg-type]


def conversation(task_id: str) -> list[TaskEvent]:
    seq = iter(range(1, 1000))

    def ev(kind: EventKind, **data: object) -> TaskEvent:
        return TaskEvent(task_id, next(seq), kind, dict(data), created_at=NOW)

    def tool(n: int, name: str, summary: str, tool_input: dict[str, object], output: str, error: bool = False) -> list[TaskEvent]:
        first = "\n".join(output.strip().splitlines()[:3])
        return [ev(EventKind.TOOL_CALL, id=f"toolu_{n}", name=name, input=tool_input, summary=summary),
                ev(EventKind.TOOL_RESULT, tool_use_id=f"toolu_{n}", content=output, is_error=error, preview=first)]

    out = [
        ev(EventKind.STATE, state="running", message="container aicode-billing-api"),
        ev(EventKind.SESSION_INIT, session_id="5f1c", model="claude-sonnet-4-5", cwd="/workspace",
           tools=["Bash", "Read", "Edit", "Write", "Grep", "Glob", "TodoWrite"], claude_code_version="2.0.14"),
        ev(EventKind.TEXT, text="I'll run the invoice tests first to see what fails."),
    ]
    out += tool(1, "Bash", "pytest -q tests/test_invoices.py",
                {"command": "pytest -q tests/test_invoices.py", "description": "Run the invoice tests"},
                "..F.F\nFAILED tests/test_invoices.py::test_total_with_discount - AssertionError: "
                "Decimal('90.0000') != Decimal('90.00')\n2 failed, 3 passed in 0.41s", error=True)
    out += tool(2, "Grep", "def total", {"pattern": "def total", "path": "src"},
                "src/billing/invoice.py:14:    def total(self) -> Decimal:")
    out += tool(3, "Read", "src/billing/invoice.py", {"file_path": "/workspace/src/billing/invoice.py"},
                "     1\tfrom decimal import Decimal\n     2\t\n     3\tCENT = Decimal('0.01')\n")
    out.append(ev(EventKind.TEXT, text=(
        "The totals are not **rounded to cents**: `Decimal` keeps every digit of the discount, so `90.0000` "
        "and `90.00` differ once the serializer compares them as strings. I'll quantize the total:\n\n"
        "```python\nreturn (subtotal * (1 - self.discount)).quantize(CENT)\n```")))
    out += tool(4, "Edit", "src/billing/invoice.py",
                {"file_path": "/workspace/src/billing/invoice.py",
                 "old_string": "        return sum(line.amount for line in self.lines) * (1 - self.discount)",
                 "new_string": "        subtotal = sum(line.amount for line in self.lines)\n"
                               "        return (subtotal * (1 - self.discount)).quantize(CENT)"},
                "The file /workspace/src/billing/invoice.py has been updated.")
    out += tool(5, "Bash", "pytest -q", {"command": "pytest -q"}, "..........................\n26 passed in 1.12s")
    out.append(ev(EventKind.TEXT, text=(
        "All **26 tests pass**. What changed:\n\n"
        "- `Invoice.total()` rounds to whole cents with `Decimal.quantize`\n"
        "- a new test, `tests/test_rounding.py`, covers discounts that do not divide evenly\n\n"
        "Nothing else in the public API changed.")))
    out.append(ev(EventKind.RESULT, subtype="success", is_error=False, cost_usd=0.1834, input_tokens=48_210,
                  output_tokens=3_120, num_turns=9, duration_ms=133_000))
    out.append(ev(EventKind.STATE, state="succeeded", message="3 files changed"))
    return out


def main_window(app: QApplication) -> MainWindow:
    w = MainWindow()
    w.tasks.model.now = NOW
    w.task_header.now = NOW
    items = [
        WorkspaceItem(workspace("ws1", "billing-api"), running_tasks=1, container=ContainerState.RUNNING),
        WorkspaceItem(workspace("ws2", "web-frontend", git=True)),
        WorkspaceItem(workspace("ws3", "infra-modules", git=True), queued_tasks=1),
        WorkspaceItem(workspace("ws4", "data-pipeline")),
    ]
    w.show_workspaces(items)
    w.workspace_shown(items[0])
    tasks = [
        task("t5", "Refactor the invoice serializer into its own module", TaskState.QUEUED, 1),
        task("t4", "Add type hints to billing/api.py and fix what mypy finds", TaskState.RUNNING, 4),
        task("t1", "Fix the failing tests in tests/test_invoices.py and explain the cause", TaskState.SUCCEEDED, 30),
        task("t3", "Upgrade SQLAlchemy to 2.0", TaskState.FAILED, 150, seconds=412, cost=0.94, error="exit code 1"),
        task("t2", "Write a deployment section for the README", TaskState.SUCCEEDED, 60 * 26, seconds=71, cost=0.06,
             parent_id="t0"),
        task("t0", "Draft the README", TaskState.CANCELLED, 60 * 27, seconds=20, cost=0.02),
    ]
    w.show_tasks("ws1", tasks, select_id="t1")
    w.show_task(tasks[2])
    w.show_events("t1", conversation("t1"), replace=True)
    w.show_changes("t1", [ChangedFile("src/billing/invoice.py", 4, 1, "M"), ChangedFile("src/billing/money.py", 3, 0, "M"),
                          ChangedFile("tests/test_rounding.py", 28, 0, "A")], PatchState.PENDING)
    w.show_engine_status(EngineStatus(True, "Docker engine 27.3.1 connected"))
    w.set_running_count(1)
    w.workspace_panel.show_container(ContainerInfo("ws1", ContainerState.RUNNING, "aicode-agent:latest", "2.0.14",
                                                   "Up 2 hours"))
    w.resize(*SIZE)
    w.move(0, 0)
    w.show()
    settle(app)
    w.transcript.flush_now()
    # Open the last test run's card, as a reader would.
    w.transcript.toggle(max(i for i, r in enumerate(w.transcript.rows) if getattr(r, "name", "") == "Bash"))
    w.transcript.scroll_to_end()
    settle(app)
    return w


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def over(window: QWidget, dialog: QDialog, app: QApplication) -> QPixmap:
    """The dialog centred on the dimmed window, as a person sees it."""
    dialog.show()
    settle(app)
    background = window.grab()
    shot = QPixmap(background.size())
    shot.setDevicePixelRatio(background.devicePixelRatio())
    p = QPainter(shot)
    p.drawPixmap(0, 0, background)
    p.fillRect(QRect(QPoint(0, 0), window.size()), QColor(0, 0, 0, 90))
    fg = dialog.grab()
    body = fg.deviceIndependentSize().toSize()
    bar = 30  # Xvfb has no window manager: draw the title bar it would
    size = body.grownBy(QMargins(0, bar, 0, 0))
    x = (window.width() - size.width()) // 2
    y = max(12, (window.height() - size.height()) // 2)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    for i in range(10, 0, -1):  # a soft shadow
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(0, 0, 0, 5))
        p.drawRoundedRect(QRect(x - i, y - i + 6, size.width() + 2 * i, size.height() + 2 * i), 10 + i, 10 + i)
    c = theme.current()
    p.fillRect(QRect(x, y, size.width(), bar), c.q("sidebar"))
    p.setPen(c.q("text"))
    font = QFont(app.font())
    font.setWeight(QFont.Weight.DemiBold)
    p.setFont(font)
    p.drawText(QRect(x, y, size.width(), bar), Qt.AlignmentFlag.AlignCenter, dialog.windowTitle())
    icons.icon("close", "muted").paint(p, QRect(x + size.width() - 26, y + 7, 16, 16))
    p.fillRect(QRect(x, y + bar - 1, size.width(), 1), c.q("border"))
    p.drawPixmap(x, y + bar, fg)
    p.setPen(QColor(0, 0, 0, 60))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QRect(x, y, size.width() - 1, size.height() - 1))
    p.end()
    dialog.hide()
    return shot


def settings_dialog(parent: QWidget) -> SettingsDialog:
    d = SettingsDialog(parent)
    d.set_values(SettingsValues(concurrency=3, default_image="aicode-agent:latest", default_cpus=2.0,
                                default_memory="4g", theme=ThemeMode.SYSTEM, notifications=True))
    d.show_secret_status(SecretStatus(stored=True, backend="GNOME Keyring"))
    return d


def welcome_dialog(parent: QWidget) -> WelcomeDialog:
    d = WelcomeDialog(parent)
    d.show_engine(EngineStatus(True, "Docker engine 27.3.1 on unix:///var/run/docker.sock"))
    d.show_image(ImageStatus(False, "The agent image aicode-agent:latest is not built yet."))
    d.build_started()
    for line in ("Step 1/9 : FROM node:22-bookworm-slim", " ---> 3f1c2a9d8e7b",
                 "Step 2/9 : RUN apt-get update && apt-get install -y git ripgrep ca-certificates",
                 "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]",
                 "Step 3/9 : RUN npm install -g @anthropic-ai/claude-code@2.0.14",
                 "added 3 packages in 9s"):
        d.add_build_progress(BuildProgress(line))
    d.add_build_progress(BuildProgress(fraction=0.38))
    d.log_toggle.setChecked(True)
    d.show_secret(SecretStatus(stored=False, backend="GNOME Keyring"))
    return d


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(icons.app_icon())
    OUT.mkdir(parents=True, exist_ok=True)
    for mode in (ThemeMode.LIGHT, ThemeMode.DARK):
        theme.apply(app, mode)
        window = main_window(app)
        shots = {"main": window.grab()}
        window.details_dock.show()
        for i in range(60):  # two minutes of a busy container
            window.workspace_panel.add_sample(35 + 30 * ((i * 7) % 11) / 11 + (i % 5) * 3, (600 + i * 6) * 2**20, 4 * 2**30)
        settle(app)
        shots["main-details"] = window.grab()
        window.details_dock.hide()
        settle(app)
        shots["settings"] = over(window, settings_dialog(window), app)
        shots["welcome"] = over(window, welcome_dialog(window), app)
        for name, pixmap in shots.items():
            path = OUT / f"{name}-{mode.value}.png"
            pixmap.save(str(path))
            print(path.relative_to(ROOT), f"{pixmap.width()}x{pixmap.height()}")
        window.hide()  # not close(): with a task "running" it would ask whether to quit
        window.deleteLater()
        settle(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
