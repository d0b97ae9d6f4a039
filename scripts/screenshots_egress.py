"""Render a task whose agent was refused hosts, with the workspace's Egress
tab, to docs/screenshots/egress-*.png.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots_egress.py

As ``screenshots.py`` does, from a real run: the real window over the real
Core, the Docker engine, the real ``claude`` in the agent image, a private
Secret Service and the fake Anthropic API scripting the agent. The agent's
git commands really run in the container and really go to the app's proxy,
which refuses the hosts that are not on the workspace's allowlist (no name
is looked up, nothing leaves the machine). The window shows the task, its
"blocked" badge and the Egress tab the badge opens: the mode, the allowlist
(one host already allowed from an earlier refusal) and the refused requests
with their Allow buttons, in light and dark, with the title bar a window
manager would draw. Removes its workspace at the end.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402
from screenshots import KEY, Shooter, until  # noqa: E402 - beside this script
from shot_frames import SIZE, framed  # noqa: E402
from shot_session import run_shots, wind_down  # noqa: E402

MIRROR = "https://git.acme-corp.example/payments/stripe-mock.git"
REGISTRY = "https://registry.acme-corp.example/npm/"
EARLIER = "https://sentry.acme-corp.example/api/42/store/"


def script_agent(api) -> None:  # noqa: ANN001 - tests.fakeapi.FakeAnthropic
    from tests.fakeapi import Reply, ToolCall

    usage = {"input_tokens": 7_300, "output_tokens": 310}
    api.script(Reply(text="I'll check whether the error reporter is reachable first.",
                     tool_calls=(ToolCall("Bash", {"command": f"git ls-remote {EARLIER} 2>&1 | tail -n 1",
                                                   "description": "Reach the error reporter"}),), **usage),
               Reply(text="The error reporter is not reachable from here; I left the DSN as it was.", **usage),
               match="error reporter")
    fetch = (f"git ls-remote {MIRROR} 2>&1 | tail -n 1; "
             f"git ls-remote {REGISTRY}stripe.git 2>&1 | tail -n 1")
    api.script(Reply(text="The payments tests need the Stripe mock from the company mirror. Fetching it:",
                     tool_calls=(ToolCall("Bash", {"command": fetch,
                                                   "description": "Fetch the Stripe mock and its package"}),),
                     **usage),
               Reply(text=("Both hosts were refused by the sandbox (**403 from the proxy**): "
                           "`git.acme-corp.example` and `registry.acme-corp.example` are not on this "
                           "workspace's allowlist. Allow them in the workspace's Egress tab and run me again; "
                           "the tests themselves are ready."), **usage),
               match="Stripe mock")


async def shoot(app: QApplication, folders: dict[str, Path]) -> None:
    from desktop.domain import TaskState
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
    w = MainWindow()
    w.resize(SIZE[0], SIZE[1] - 30)  # and a title bar: 1280x800
    w.move(0, 0)
    c = Controller(core, w)
    binding = Binding(app, w, c, Tray(w, w.banner, available=False, use_desktop=False))
    shots = Shooter(app, binding)
    w.show()
    binding.start()
    try:
        for name in ("billing-api", "release-tools"):
            spec = WorkspaceSpec(name=name, path=str(folders[name]), permission_mode="bypassPermissions")
            await aio.run_blocking(core.workspaces.add, spec)
        c.refresh_workspaces()
        await until("two workspaces", lambda: w.sidebar.model.rowCount() == 2)
        billing = next(ws.id for ws in core.workspaces.list() if ws.name == "billing-api")

        async def run(prompt: str) -> str:
            task = await aio.run_blocking(core.tasks.submit, billing, prompt)
            await until(prompt, lambda: core.tasks.get(task.id).state is TaskState.SUCCEEDED)
            return task.id

        await run("Send the billing errors to the error reporter")
        await aio.run_blocking(core.egress.allow, billing, "sentry.acme-corp.example")  # allowed since
        shown = await run("Add tests for the refund flow against the Stripe mock")

        w.sidebar.select(billing)
        binding.reveal_task(TaskRef(shown))
        badge = w.task_header.blocked
        await until("the task and its badge", lambda: w.shown_task is not None and w.shown_task.id == shown
                    and w.transcript.idle() and badge.isVisible())
        w.transcript.flush_now()
        from desktop.ui.transcript.rows import ToolRow

        w.transcript.toggle(next(i for i, r in enumerate(w.transcript.rows) if isinstance(r, ToolRow)))  # git's words
        w.transcript.scroll_to_end()
        w.banner.hide()  # the news of the tasks that ended meanwhile
        badge.click()
        section = w.workspace_panel.egress
        await until("the egress log", lambda: section.log.list.count() == 3 and section.badge.isVisible())
        section.allowlist.list.scrollToBottom()  # the host allowed earlier, at the end of the list
        await asyncio.sleep(1.0)
        await shots.both("egress", lambda: framed(w, app))
    finally:
        await wind_down(core, c, binding.dialogs, w)


def main() -> int:
    return run_shots(shoot, script_agent)


if __name__ == "__main__":
    sys.exit(main())
