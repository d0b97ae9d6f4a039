"""Render the window with tasks that need the person to docs/screenshots/needs-input-*.png.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots_talk.py

As ``screenshots.py`` does, from a real run: the real window over the real
Core, the Docker engine, the real ``claude`` in the agent image, a private
Secret Service and the fake Anthropic API scripting the agent. Two workspaces
ask before changes; in each, a task's agent wants to run a command and waits
(the title counts them, the banner tells the latest), a third workspace's
task runs on. The window shows one of the waiting tasks, the prompt panel
offering Send and Stop turn with a message typed, in light and dark, with the title bar a window manager would
draw. Removes its workspaces at the end.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshots import KEY, Shooter, until  # noqa: E402 - beside this script
from shot_frames import SIZE, framed  # noqa: E402
from shot_session import run_shots, wind_down  # noqa: E402

TYPED = "Run only the bump tests here; the soak test takes too long on this machine."


def script_agent(api) -> None:  # noqa: ANN001 - tests.fakeapi.FakeAnthropic
    from tests.fakeapi import Reply, ToolCall

    usage = {"input_tokens": 5_200, "output_tokens": 240}
    api.script(Reply(text="I'll add the flag.", tool_calls=(ToolCall("Write", {
        "file_path": "/workspace/bin/publish",
        "content": "#!/bin/sh\nset -eu\nrun=\nif [ \"${1:-}\" = --dry-run ]; then run=echo; shift; fi\n"
                   "$run git tag \"$1\"\n$run git push origin \"$1\"\n"}),), **usage),
        Reply(text="Done: `bin/publish --dry-run v1.2.0` prints the git commands instead of running them.", **usage),
        match="--dry-run")
    api.script(Reply(text="Before tagging I'll run the whole test suite, the soak test included.",
                     tool_calls=(ToolCall("Bash", {"command": "sh tests/test_bump.sh && sh tests/soak.sh 600",
                                                   "description": "Run the tests and the packaging soak test"}),),
                     **usage),
               Reply(text="The bump tests pass; v2.4.0 is ready to tag.", **usage), match="v2.4.0")
    api.script(Reply(text="I'll apply the pending migrations first.",
                     tool_calls=(ToolCall("Bash", {"command": "alembic upgrade head",
                                                   "description": "Apply the database migrations"}),), **usage),
               Reply(text="Migrated.", **usage), match="invoices table")
    api.script(Reply(text="Setting up the dev server. " * 300, chunks=3000, delay=0.1), match="dev server")


async def shoot(app: QApplication, folders: dict[str, Path]) -> None:
    from desktop.domain import PermissionMode, TaskState
    from desktop.services.app import App
    from desktop.services.context import AppContext
    from desktop.services.workspaces import WorkspaceSpec
    from desktop.ui.bridge import aio
    from desktop.ui.bridge.binding import Binding
    from desktop.ui.bridge.controller import Controller
    from desktop.ui.bridge.payloads import TaskRef
    from desktop.ui.notify.tray import Tray
    from desktop.ui.window.main_window import MainWindow

    core = App(AppContext())
    await aio.run_blocking(core.set_secret, "anthropic-api-key", KEY)
    # Room for the three tasks at once: two wait on the person, one runs on.
    await aio.run_blocking(core.save_settings, dataclasses.replace(core.settings(), concurrency=3))
    w = MainWindow()
    w.resize(SIZE[0], SIZE[1] - 30)  # and a title bar: 1280x800
    w.move(0, 0)
    c = Controller(core, w)
    binding = Binding(app, w, c, Tray(w, w.banner, available=False, use_desktop=False))
    shots = Shooter(app, binding)
    w.show()
    binding.start()
    try:
        for name, mode in (("release-tools", "default"), ("billing-api", "default"), ("web-frontend", "bypassPermissions")):
            spec = WorkspaceSpec(name=name, permission_mode=mode,
                                 **({"git_url": str(folders[name])} if name == "web-frontend"
                                    else {"path": str(folders[name])}))
            await aio.run_blocking(core.workspaces.add, spec)
        c.refresh_workspaces()
        await until("three workspaces", lambda: w.sidebar.model.rowCount() == 3)
        by_name = {ws.name: ws.id for ws in core.workspaces.list()}
        tools, billing, web = by_name["release-tools"], by_name["billing-api"], by_name["web-frontend"]

        async def submit(workspace_id: str, prompt: str, mode: PermissionMode | None = None) -> str:
            task = await aio.run_blocking(core.tasks.submit, workspace_id, prompt, permission_mode=mode)
            return task.id

        done = await submit(tools, "Add a --dry-run flag to bin/publish", PermissionMode.BYPASS)
        await until("the first task", lambda: core.tasks.get(done).state is TaskState.SUCCEEDED)
        await submit(web, "Set up the dev server with hot reload")
        w.sidebar.select(web)  # the person looks elsewhere while the others come to ask
        notices: list = []
        binding.tray.notified.connect(notices.append)
        waiting = await submit(tools, "Tag v2.4.0 once the tests pass and draft the release notes")
        await until("the first agent to ask", lambda: len(notices) == 1)
        migrate = await submit(billing, "Add a paid_at column to the invoices table and backfill it")
        await until("the second agent to ask", lambda: len(notices) == 2)  # the banner tells the last one
        await until("the title", lambda: w.windowTitle() == "AICode Manager — 2 need you")
        await until("the third task running", lambda: w.sidebar.model.item(w.sidebar.model.row_of(web)).running_tasks)
        assert core.tasks.get(migrate).needs_input

        w.sidebar.select(tools)
        binding.reveal_task(TaskRef(waiting))
        await until("the waiting task shown", lambda: w.shown_task is not None and w.shown_task.id == waiting
                    and w.shown_task.needs_input and w.transcript.idle())
        w.transcript.flush_now()
        w.transcript.scroll_to_end()
        w.prompt.edit.setPlainText(TYPED)
        await asyncio.sleep(1.0)
        await shots.both("needs-input", lambda: framed(w, app))
    finally:
        await wind_down(core, c, binding.dialogs, w)


def main() -> int:
    return run_shots(shoot, script_agent)


if __name__ == "__main__":
    sys.exit(main())
