"""Render the workspace's screens issue 10 changed, at 800x500, 1024x640 and
1280x800, light and dark, to docs/screenshots/:

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots_workspace.py

- ``container-ask-WxH``: Recreate asks first, saying what happens;
- ``container-busy-WxH``: a Recreate under way (its busy line, every button off);
- ``container-done-WxH``: its result, and the volumes' sizes the engine counted;
- ``add-errors-WxH``: the add dialog saying under each field what is wrong (a
  refused address: no name suggested), and ``add-clone-error-WxH`` after a real
  clone failed, its help text whole;
- ``history-changes-WxH``: a finished task's change reviewed in History.

As ``screenshots.py`` does, from a real run: the real window over the real Core,
the Docker engine, the real ``claude`` in the agent image, a private Secret
Service and the fake Anthropic API scripting the agent. Removes its workspaces.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QMargins, QRect, QSize  # noqa: E402
from PySide6.QtGui import QPainter, QPixmap  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from screenshots import KEY, Shooter, until  # noqa: E402 - beside this script
from shot_frames import over, title_bar  # noqa: E402
from shot_session import OUT, run_shots, wind_down  # noqa: E402
from shot_session import ROOT as _ROOT

SIZES = ((800, 500), (1024, 640), (1280, 800))
BAR = 30  # the title bar a window manager would draw


def script_agent(api) -> None:  # noqa: ANN001 - tests.fakeapi.FakeAnthropic
    from tests.fakeapi import Reply, ToolCall

    usage = {"input_tokens": 5_200, "output_tokens": 240}
    api.script(Reply(text="I'll add a --dry-run flag that prints the git commands.", tool_calls=(ToolCall("Write", {
        "file_path": "/workspace/bin/publish",
        "content": "#!/bin/sh\nset -eu\nrun=\nif [ \"${1:-}\" = --dry-run ]; then run=echo; shift; fi\n"
                   "$run git tag \"$1\"\n$run git push origin \"$1\"\n"}),
        ToolCall("Bash", {"command": "printf -- '- publish --dry-run\\n' >> CHANGELOG.md",
                          "description": "Note it in the changelog"})), **usage),
        Reply(text="Done: `bin/publish --dry-run v1.2.0` prints the git commands instead of running them.", **usage),
        match="--dry-run")


def framed_at(window: QWidget, app: QApplication) -> QPixmap:
    """A top-level window with the title bar a window manager would add."""
    body = window.grab()
    size = body.deviceIndependentSize().toSize().grownBy(QMargins(0, BAR, 0, 0))
    shot = QPixmap(QSize(size) * body.devicePixelRatio())
    shot.setDevicePixelRatio(body.devicePixelRatio())
    p = QPainter(shot)
    title_bar(p, QRect(0, 0, size.width(), BAR), window.windowTitle(), app)
    p.drawPixmap(0, BAR, body)
    p.end()
    return shot


async def shoot(app: QApplication, folders: dict[str, Path]) -> None:
    from desktop.domain import TaskState
    from desktop.services.app import App
    from desktop.services.context import AppContext
    from desktop.services.workspaces import WorkspaceSpec
    from desktop.ui.bridge import aio
    from desktop.ui.bridge.binding import Binding
    from desktop.ui.bridge.container_payloads import ContainerAction
    from desktop.ui.bridge.controller import Controller
    from desktop.ui.dialogs import container_prompt
    from desktop.ui.look import theme
    from desktop.ui.notify.tray import Tray
    from desktop.ui.window.main_window import MainWindow

    core = App(AppContext())
    await aio.run_blocking(core.set_secret, "anthropic-api-key", KEY)
    w = MainWindow()
    w.move(0, 0)
    c = Controller(core, w)
    binding = Binding(app, w, c, Tray(w, w.banner, available=False, use_desktop=False))
    shots = Shooter(app, binding)
    d, panel = binding.dialogs, w.workspace_panel
    w.resize(1280, 800)
    w.show()
    binding.start()
    try:
        for name in ("billing-api", "release-tools"):
            spec = WorkspaceSpec(name=name, path=str(folders[name]), permission_mode="bypassPermissions")
            await aio.run_blocking(core.workspaces.add, spec)
        c.refresh_workspaces()
        await until("two workspaces", lambda: w.sidebar.model.rowCount() == 2)
        tools = next(ws for ws in core.workspaces.list() if ws.name == "release-tools")
        task = await aio.run_blocking(core.tasks.submit, tools.id, "Add a --dry-run flag to bin/publish")
        await until("the task", lambda: core.tasks.get(task.id).state is TaskState.SUCCEEDED)
        w.sidebar.select(tools.id)
        await until("its tasks", lambda: w.tasks.model.rowCount() == 1)
        w.tasks.select(task.id)
        w.details_dock.show()
        await until("the container", lambda: panel.container_state.value == "running")

        for width, height in SIZES:
            tag = f"{width}x{height}"
            w.details_dock.hide()  # as shoot_sizes does: resized first, then the details open (the lists give way)
            await asyncio.sleep(0.2)
            w.resize(width, height)  # as main-WxH: the window itself at that size
            await until(tag, lambda: w.width() == width and w.height() == height, timeout=10)
            w.details_dock.show()
            await until(f"{tag} with details", lambda: w.details_dock.isVisible() and w.width() == width, timeout=10)
            w.banner.hide()

            # Recreate asks first; the box is the one the app shows.
            question = container_prompt.question(ContainerAction.RECREATE, tools.name, tools.image, 0)
            box, _confirm = container_prompt.build_box(w, question)
            box.show()
            await shots.both(f"container-ask-{tag}", lambda: over(w, box, app))
            box.close()
            c.system.container_action(_ref(tools.id), ContainerAction.RECREATE)  # what the box's Recreate does
            await until("recreated", lambda: panel.acting is None and panel.action_text.text().startswith("Recreated"),
                        timeout=60)
            await until("the volumes counted", lambda: panel.disk.text().startswith("Working\u00a0copy"), timeout=60)
            await shots.both(f"container-done-{tag}", w.grab)

            # An action under way (a Recreate: a Stop is over before a shot), each theme's shot taken meanwhile.
            for mode in ("dark", "light"):
                binding._apply_theme(theme.ThemeMode(mode))
                await asyncio.sleep(0.3)
                c.system.container_action(_ref(tools.id), ContainerAction.RECREATE)
                await until("under way", lambda: panel.acting is ContainerAction.RECREATE, timeout=5)
                await asyncio.sleep(0.1)
                shot = w.grab()
                if panel.acting is ContainerAction.RECREATE:
                    shot.save(str(OUT / f"container-busy-{tag}-{mode}.png"))
                    print(f"docs/screenshots/container-busy-{tag}-{mode}.png", flush=True)
                else:
                    print(f"the recreate at {tag} ended before its shot", flush=True)
                await until("recreated", lambda: panel.acting is None, timeout=60)

            # The add dialog: what is wrong, under each field, as it is typed.
            w.actions.add_git.trigger()
            await until("the add dialog", lambda: d.add is not None and d.add.isVisible())
            QTest.keyClicks(d.add.url, "http://git.acme-corp.example/payments/ledger.git")
            await shots.both(f"add-errors-{tag}", lambda: over(w, d.add, app))
            d.add.url.clear()
            QTest.keyClicks(d.add.url, str(folders["data-pipeline"]))  # a folder, not a repository: git says no
            d.add.add_button.click()
            await until("the clone's failure", lambda: d.add.error.isVisible(), timeout=60)
            await shots.both(f"add-clone-error-{tag}", lambda: over(w, d.add, app))
            d.add.reject()

        # History: the finished task's change, to review there.
        d.open_history()
        h = d.history
        await until("the history", lambda: h.model.rowCount() == 1)
        h.table.setCurrentIndex(h.model.index(0, 0))
        await until("its change", lambda: h.review.changes is not None)
        h.header.switch.changes_button.click()  # as the person does: the list gives the diff room
        for width, height in SIZES:
            h.resize(width, height - BAR)
            await until(f"history {width}x{height}", lambda: h.width() == width, timeout=10)
            await shots.both(f"history-changes-{width}x{height}", lambda: framed_at(h, app))
        d.close_all()
    finally:
        await wind_down(core, c, d, w)


def _ref(workspace_id: str):  # noqa: ANN202
    from desktop.ui.bridge.payloads import WorkspaceRef

    return WorkspaceRef(workspace_id)


def main() -> int:
    assert _ROOT == ROOT
    return run_shots(shoot, script_agent)


if __name__ == "__main__":
    sys.exit(main())
