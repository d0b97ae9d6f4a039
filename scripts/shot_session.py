"""What a screenshot run does between its shots: wait for the window to get
somewhere, save a screen in both themes, and wind the run down."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
MODES = ("light", "dark")


async def until(what: str, check: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited too long for {what}")
        await asyncio.sleep(0.05)


class Shooter:
    def __init__(self, app: QApplication, binding) -> None:  # noqa: ANN001 - desktop.ui.bridge.binding.Binding
        self.app = app
        self.binding = binding

    async def both(self, name: str, grab: Callable[[], QPixmap]) -> None:
        """Save ``name`` in each theme; the light one stays applied."""
        from desktop.ui.look import theme

        for mode in (*MODES[1:], MODES[0]):
            self.binding._apply_theme(theme.ThemeMode(mode))
            await asyncio.sleep(0.3)  # restyled, laid out and painted by the event loop
            pixmap = grab()
            path = OUT / f"{name}-{mode}.png"
            pixmap.save(str(path))
            print(path.relative_to(ROOT), f"{pixmap.width()}x{pixmap.height()}", flush=True)


async def wind_down(core, c, d, w) -> None:  # noqa: ANN001
    """Stop what runs, remove the workspaces (containers, volumes), close."""
    from desktop.domain import TaskState
    from desktop.ui.bridge import aio

    c.shutdown(wait=2.0)
    await asyncio.sleep(0.5)  # calls already under way come back
    d.close_all()
    for task in core.tasks.list(states=[TaskState.QUEUED, TaskState.RUNNING]):
        await aio.run_blocking(core.tasks.cancel, task.id)
    await until("the tasks to stop", lambda: not core.tasks.list(states=[TaskState.QUEUED, TaskState.RUNNING]))
    for ws in core.workspaces.list():
        await aio.run_blocking(core.workspaces.remove, ws.id)
    core.close()
    w.hide()


def run_shots(shoot: Callable[..., Any], script_agent: Callable[[Any], None]) -> int:
    """The main of a script that shoots one screen from a real run: a demo home
    with its projects, a private Secret Service, the fake API scripted by
    ``script_agent``, then ``shoot(app, folders)`` on a qasync loop."""
    import os
    import sys
    import tempfile

    import qasync
    from PySide6.QtWidgets import QApplication
    from screenshots import make_projects

    from desktop.ui.bridge import aio
    from desktop.ui.look import icons, theme
    from tests.fakeapi import FakeAnthropic
    from tests.keyring_service import running_keyring_service

    demo = Path(tempfile.mkdtemp(prefix="aicode-shots-"))
    home = demo / "home" / "ada"
    home.mkdir(parents=True)
    os.environ.update(HOME=str(home), AICODE_HOME=str(demo / "aicode"))
    folders = make_projects(home)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("AICode Manager")
    app.setWindowIcon(icons.app_icon())
    theme.apply(app, theme.ThemeMode.LIGHT)
    OUT.mkdir(parents=True, exist_ok=True)
    with running_keyring_service(), FakeAnthropic() as api:
        os.environ["AICODE_ANTHROPIC_BASE_URL"] = api.base_url
        script_agent(api)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            loop.run_until_complete(shoot(app, folders))
        aio.shutdown(wait=True)
    return 0
