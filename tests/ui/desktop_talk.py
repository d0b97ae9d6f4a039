"""The app under test on a real X display, with a task that needs the person:
``python -m tests.ui.desktop_child --needs-input`` runs this scenario.

The window is closed to the tray; one task finishes (a "finished" notice), then
a task in a workspace that asks before changes wants to write a file (a "needs
you" notice). It waits for a click on a notification, says which task the
window then shows, answers the request as the card would, and quits. One JSON
object per line says what it saw.
"""

from __future__ import annotations

import argparse
from typing import Any

from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from tests.ui.desktop_child import say, until


async def needs_input_scenario(qapp: QApplication, window: Any, args: argparse.Namespace) -> None:
    from desktop.domain import TaskState
    from desktop.services.workspaces import WorkspaceSpec
    from desktop.ui.app import _start_services
    from desktop.ui.bridge import aio
    from desktop.ui.bridge.payloads import RunRequested
    from desktop.ui.window.main_window import QuitRequested

    binding = await _start_services(qapp, window)
    if binding is None:
        raise RuntimeError("the Core did not start")
    core, controller, tray = binding.c.app, binding.c, binding.tray
    say("started", platform=qapp.platformName(), tray_available=tray.available,
        system_tray=QSystemTrayIcon.isSystemTrayAvailable())
    await aio.run_blocking(core.set_secret, "anthropic-api-key", args.key)
    await until("the engine", lambda: controller.system.engine.ok)
    ws = await aio.run_blocking(core.workspaces.add, WorkspaceSpec(name=args.workspace, path=args.folder,
                                                                   permission_mode="default"))
    controller.refresh_workspaces()
    await until("the workspace listed", lambda: window.sidebar.current_id() == ws.id)

    notices: list[Any] = []
    tray.notified.connect(notices.append)
    window.hide()  # closed to the tray: the person is elsewhere
    say("elsewhere", window_visible=window.isVisible())

    for prompt in ("say hello", "write the notes"):
        count = len(notices)
        controller.submit(RunRequested(ws.id, prompt))
        await until(f"the notice of {prompt!r}", lambda: len(notices) > count)
        shown = notices[-1]
        task = await aio.run_blocking(core.tasks.get, shown.notice.task_id)
        say("notified", prompt=prompt, route=shown.route, kind=shown.notice.kind.value, title=shown.notice.title,
            asks=shown.notice.asks, task_id=task.id, state=task.shown_state, tooltip=tray.tooltip,
            title_bar=window.windowTitle())

    asking = notices[-1].notice.task_id
    say("waiting_for_click")
    await until("the clicked task to be shown", lambda: window.isVisible() and window.shown_task is not None
                and window.shown_task.id == asking, timeout=30)
    say("opened", task_id=window.shown_task.id, window_visible=window.isVisible(),
        needs_input=window.shown_task.needs_input, chip=window.task_header.chip.text())

    await aio.run_blocking(core.tasks.approve, asking)  # as the card's Allow would
    await until("the task to end", lambda: window.shown_task is not None and window.shown_task.is_final)
    # No task needs the person any more; the written notes wait for review.
    await until("the title to say only what waits for review",
                lambda: window.windowTitle() == "AICode Manager — 1 to review")
    say("answered", state=window.shown_task.state.value, notices=len(notices),
        succeeded=window.shown_task.state is TaskState.SUCCEEDED, title_bar=window.windowTitle())
    binding.quit(QuitRequested(stop_tasks=True))
