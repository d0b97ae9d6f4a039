"""Render the embedded terminal to docs/screenshots/terminal-*.png.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots_terminal.py

From a real run, as ``screenshots.py`` does: the real window over the real
Core, the Docker engine and the agent image. The workspace panel's
Terminal button opens a shell in the workspace's container, which runs
``top`` in colour (a full-screen program on the alternate screen); its
Claude here button starts the interactive claude (against the fake
Anthropic API), shown after the person has answered its trust question.
Light and dark, with the title bar a window manager would draw. Removes
its workspace at the end.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.ui.terminal.web_engine import prepare_application  # noqa: E402

prepare_application()  # before run_shots makes the QApplication

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshots import KEY  # noqa: E402 - beside this script
from shot_frames import SIZE, framed  # noqa: E402
from shot_session import Shooter, run_shots, until, wind_down  # noqa: E402


def script_agent(api) -> None:  # noqa: ANN001 - nothing to script: no task runs
    pass


async def lines(view) -> list[str]:  # noqa: ANN001 - TerminalView
    box: list = []
    view.run_js("window.aicode ? JSON.stringify(aicode.lines()) : '[]'", box.append)
    await until("the page", lambda: bool(box), timeout=30)
    import json

    return json.loads(box[0] or "[]")


async def shows(view, text: str, timeout: float = 120) -> None:  # noqa: ANN001
    seen: list[bool] = []

    async def check() -> bool:
        seen.append(any(text in line for line in await lines(view)))
        return seen[-1]

    import time

    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the terminal never showed {text!r}")
        await asyncio.sleep(0.2)


def keys(view, text: str = "", key: Qt.Key | None = None) -> None:  # noqa: ANN001
    target = view.web.focusProxy() or view.web
    if text:
        QTest.keyClicks(target, text)
    if key is not None:
        QTest.keyClick(target, key)


async def shoot(app: QApplication, folders: dict[str, Path]) -> None:
    from desktop.services.app import App
    from desktop.services.context import AppContext
    from desktop.services.workspaces import WorkspaceSpec
    from desktop.ui.bridge import aio
    from desktop.ui.bridge.binding import Binding
    from desktop.ui.bridge.controller import Controller
    from desktop.ui.notify.tray import Tray
    from desktop.ui.window.main_window import MainWindow

    core = App(AppContext())
    await aio.run_blocking(core.set_secret, "anthropic-api-key", KEY)
    w = MainWindow()
    w.resize(SIZE[0], SIZE[1] - 30)
    c = Controller(core, w)
    binding = Binding(app, w, c, Tray(w, w.banner, available=False, use_desktop=False))
    shots = Shooter(app, binding)
    w.show()
    binding.start()
    try:
        spec = WorkspaceSpec(name="billing-api", path=str(folders["billing-api"]), permission_mode="bypassPermissions")
        ws = await aio.run_blocking(core.workspaces.add, spec)
        c.refresh_workspaces()
        await until("the workspace", lambda: w.sidebar.model.rowCount() == 1)
        w.sidebar.select(ws.id)
        await until("the panel", lambda: w.workspace_panel.terminal_button.isEnabled())
        w.workspace_panel.terminal_button.click()
        windows = binding.terminals.windows
        await until("the terminal window", lambda: windows.window_of(ws.id) is not None)
        window = windows.window_of(ws.id)
        window.resize(SIZE[0], SIZE[1] - 30)
        window.move(0, 0)
        shell = window.views()[0]
        await shows(shell, "agent@aicode:/workspace$")
        keys(shell, "top -d 1", Qt.Key.Key_Return)
        await shows(shell, "Tasks:")
        keys(shell, "z")  # colour
        keys(shell, "x")  # the sort column highlighted
        await asyncio.sleep(2.5)  # a refresh or two, in colour
        await shots.both("terminal-top", lambda: framed(window, app))

        w.workspace_panel.claude_button.click()
        await until("the claude tab", lambda: len(window.views()) == 2)
        claude = window.views()[1]
        await shows(claude, "Yes, I trust this folder")
        keys(claude, key=Qt.Key.Key_Down)
        await shows(claude, "❯ Yes, I trust this folder")
        keys(claude, key=Qt.Key.Key_Return)
        await shows(claude, "Claude Code v")
        await asyncio.sleep(1.0)
        keys(claude, "Add a refund endpoint to the billing API, with tests")
        await asyncio.sleep(1.0)
        await shots.both("terminal-claude", lambda: framed(window, app))
        windows.close_all()
    finally:
        await wind_down(core, c, binding.dialogs, w)


def main() -> int:
    return run_shots(shoot, script_agent)


if __name__ == "__main__":
    sys.exit(main())
