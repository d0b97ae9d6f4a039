"""The app under test on a real X display: ``python -m tests.ui.desktop_child``.

Started by ``test_desktop_session.py`` inside the desktop of ``desktop_session``
(DISPLAY, DBUS_SESSION_BUS_ADDRESS, AICODE_HOME, AICODE_ANTHROPIC_BASE_URL in
its environment). It starts the GUI the way ``aicode-desktop`` does (window
first, then the Core, wired by ``desktop.ui.app``), stores the API key, adds
a workspace, runs a task that succeeds and one that fails while the person is
elsewhere, and prints one JSON object per line about what it saw. With
``--click`` it then waits for a click on a desktop notification. With
``--needs-input`` it plays the scenario of ``desktop_talk`` instead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication, QLabel, QSystemTrayIcon

STEP_TIMEOUT_S = 90.0


def say(event: str, **data: Any) -> None:
    print(json.dumps({"event": event, **data}), flush=True)


async def until(what: str, check: Callable[[], bool], timeout: float = STEP_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def scenario(qapp: QApplication, window: Any, args: argparse.Namespace) -> None:
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
        system_tray=QSystemTrayIcon.isSystemTrayAvailable(),
        icon_visible=tray.icon is not None and tray.icon.isVisible(), close_offers_tray=window.tray_available)

    await aio.run_blocking(core.set_secret, "anthropic-api-key", args.key)
    await until("the engine", lambda: controller.system.engine.ok)
    ws = await aio.run_blocking(core.workspaces.add, WorkspaceSpec(name=args.workspace, path=args.folder,
                                                                   permission_mode="bypassPermissions"))
    controller.refresh_workspaces()
    await until("the workspace listed", lambda: window.sidebar.current_id() == ws.id)

    notices: list[Any] = []
    tray.notified.connect(notices.append)
    elsewhere = None
    if tray.available:
        window.hide()  # closed to the tray: the person is elsewhere
    else:
        elsewhere = QLabel("another application")  # the person works in another window
        elsewhere.resize(400, 200)
        elsewhere.show()
        elsewhere.activateWindow()
        await until("another window in front", lambda: not window.isActiveWindow(), timeout=10)
    say("elsewhere", window_visible=window.isVisible(), window_active=window.isActiveWindow())

    for prompt in ("say hello", "overload me"):
        count = len(notices)
        controller.submit(RunRequested(ws.id, prompt))
        await until(f"the notice of {prompt!r}", lambda: len(notices) > count)
        shown = notices[-1]
        task = await aio.run_blocking(core.tasks.get, shown.notice.task_id)

        def balloons() -> list[str]:
            return [w.metaObject().className() for w in qapp.topLevelWidgets()
                    if w.isVisible() and w.metaObject().className() == "QBalloonTip"]

        if shown.route == "tray":  # a tray balloon is a window of its own: wait until it shows
            await until("the tray's balloon", lambda: bool(balloons()), timeout=10)
        say("notified", prompt=prompt, route=shown.route, title=shown.notice.title, text=shown.notice.text,
            detail=shown.detail, task_id=task.id, state=task.state.value, balloon=bool(balloons()))

    if args.click:
        say("waiting_for_click")
        last = notices[-1].notice.task_id
        await until("the clicked task to be shown", lambda: window.isVisible() and window.shown_task is not None
                    and window.shown_task.id == last, timeout=30)
        say("opened", task_id=window.shown_task.id, window_visible=window.isVisible())
    else:
        say("banner", visible=window.banner.isVisibleTo(window), text=window.banner.text)

    if elsewhere is not None:
        elsewhere.close()
    if args.quit_running:  # quit with a task running: "Stop tasks and quit"
        controller.submit(RunRequested(ws.id, "tell a slow story"))
        await until("the slow task running", lambda: any(t.state.value == "running" for t in controller.active_tasks()))
        say("quitting", task_id=controller.active_tasks()[0].id)
    binding.quit(QuitRequested(stop_tasks=True))


def after_quit() -> None:
    """The app has quit: what it left in its data folder, then tidy up (workspaces, containers)."""
    from desktop.domain import TaskState
    from desktop.services.app import App
    from desktop.services.context import AppContext

    app = App(AppContext())
    try:
        active = app.tasks.list(states=[TaskState.QUEUED, TaskState.RUNNING])
        say("after_quit", active=len(active), states={t.prompt: t.state.value for t in app.tasks.list()})
        for ws in app.workspaces.list():
            app.workspaces.remove(ws.id)
    finally:
        app.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", required=True)
    parser.add_argument("--workspace", default="desk-project")
    parser.add_argument("--key", required=True)
    parser.add_argument("--click", action="store_true")
    parser.add_argument("--quit-running", action="store_true", help="quit while a task runs")
    parser.add_argument("--needs-input", action="store_true", help="a task that needs the person (desktop_talk)")
    args = parser.parse_args()

    import qasync

    from desktop.ui.bridge import aio
    from desktop.ui.look import icons, theme
    from desktop.ui.window.main_window import MainWindow

    qapp = QApplication(sys.argv[:1])
    qapp.setQuitOnLastWindowClosed(False)
    qapp.setWindowIcon(icons.app_icon())
    theme.apply(qapp, theme.ThemeMode.LIGHT)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    window = MainWindow()
    window.show()
    failure: list[BaseException] = []

    async def run() -> None:
        from tests.ui.desktop_talk import needs_input_scenario

        try:
            await (needs_input_scenario if args.needs_input else scenario)(qapp, window, args)
        except BaseException as error:  # report, then quit: the test reads why
            failure.append(error)
            say("error", message=f"{type(error).__name__}: {error}")
            qapp.quit()

    with loop:
        aio.spawn(run(), name="scenario")
        loop.run_forever()
    aio.shutdown(wait=True)
    if not failure:
        after_quit()
    return 1 if failure else 0


if __name__ == "__main__":
    sys.exit(main())
