"""The screens of what the agent asks: a Write waiting for approval (its card
under the transcript shows the new file's lines) and a plan from plan mode.

Part of ``screenshots.py``'s run (in billing-api, whose slot is free), or a
run of its own with ``--only approvals``: the workspaces, one finished task,
then the two approvals.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtWidgets import QApplication
from shot_frames import SIZE  # beside this script
from shot_session import Shooter, until, wind_down

HEALTH = '''\
"""GET /health: whether the service can reach its database."""

from fastapi import APIRouter, Response

from billing.db import engine

router = APIRouter()


@router.get("/health")
def health(response: Response) -> dict[str, str]:
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("select 1")
    except Exception:
        response.status_code = 503
        return {"status": "unavailable"}
    return {"status": "ok"}
'''
PLAN = """## Round invoice totals to whole cents

1. **Read** `src/billing/invoice.py` and the tests in `tests/test_invoices.py`
2. Add a `CENT = Decimal("0.01")` constant next to the other money helpers
3. Make `Invoice.total()` return `(subtotal * (1 - discount)).quantize(CENT)`
4. Run `pytest -q` and add a test for a 10 % discount on 99.99

Nothing else changes: the serializer already writes two decimals."""
APPROVAL_WRITE = "Add a health check endpoint"
APPROVAL_PLAN = "Plan how invoice totals get rounded to cents"


def script_approvals(api) -> None:  # noqa: ANN001 - tests.fakeapi.FakeAnthropic
    from tests.fakeapi import Reply, ToolCall

    usage = {"input_tokens": 5_200, "output_tokens": 310}
    api.script(Reply(text="I'll add a small router with a `/health` route that checks the database connection.",
                     tool_calls=(ToolCall("Write", {"file_path": "/workspace/src/billing/health.py",
                                                    "content": HEALTH}),), **usage),
               Reply(text="Added `src/billing/health.py`.", **usage), match=APPROVAL_WRITE)
    api.script(Reply(text="I read the invoice code and its tests. Here is my plan.",
                     tool_calls=(ToolCall("ExitPlanMode", {"plan": PLAN}),), **usage),
               Reply(text="Plan approved: starting with the constant.", **usage), match=APPROVAL_PLAN)


async def shoot_approvals(core, w, binding, shots: Shooter, workspace_id: str) -> None:  # noqa: ANN001
    """Two tasks that ask first: a Write (its card shows the new file as + lines), then a plan."""
    from desktop.ui.bridge import aio
    from desktop.ui.bridge.payloads import TaskRef

    dock = w.pages.approvals

    async def asked(prompt: str, mode: str, name: str):  # noqa: ANN202
        task = await aio.run_blocking(core.tasks.submit, workspace_id, prompt, permission_mode=mode)
        binding.reveal_task(TaskRef(task.id))
        await until(f"the {name} card", lambda: w.shown_task is not None and w.shown_task.id == task.id
                    and len(dock.cards) == 1, timeout=180)
        await asyncio.sleep(0.5)
        w.transcript.flush_now()
        w.transcript.scroll_to_end()
        w.banner.hide()
        await shots.both(name, w.grab)
        (card,) = dock.cards.values()
        return task, card

    task, card = await asked(APPROVAL_WRITE, "default", "approval")
    card.allow_button.click()
    await until("the write's task to end", lambda: core.tasks.get(task.id).is_final)
    task, card = await asked(APPROVAL_PLAN, "plan", "approval-plan")
    card.approve_button.click()
    await until("the plan's task to end", lambda: core.tasks.get(task.id).is_final)


async def shoot_only_approvals(app: QApplication, folders: dict[str, Path], key: str) -> None:
    """``--only approvals``: the workspaces, one finished task, then the two approvals."""
    from desktop.domain import TaskState
    from desktop.services.app import App
    from desktop.services.context import AppContext
    from desktop.services.workspaces import WorkspaceSpec
    from desktop.ui.bridge import aio
    from desktop.ui.bridge.binding import Binding
    from desktop.ui.bridge.controller import Controller
    from desktop.ui.notify.tray import Tray
    from desktop.ui.window.main_window import MainWindow

    core = App(AppContext())
    core.set_secret("anthropic-api-key", key)
    w = MainWindow()
    w.resize(*SIZE)
    w.move(0, 0)
    c = Controller(core, w)
    binding = Binding(app, w, c, Tray(w, w.banner, available=False, use_desktop=False))
    w.show()
    binding.start()
    try:
        for name in ("web-frontend", "billing-api", "release-tools"):
            spec = WorkspaceSpec(name=name, path=str(folders[name]), permission_mode="bypassPermissions")
            await aio.run_blocking(core.workspaces.add, spec)
        c.refresh_workspaces()
        await until("three workspaces", lambda: w.sidebar.model.rowCount() == 3)
        billing = next(ws.id for ws in core.workspaces.list() if ws.name == "billing-api")
        w.sidebar.select(billing)
        first = await aio.run_blocking(core.tasks.submit, billing, "Set up the dev server with hot reload")
        await until("a finished task", lambda: core.tasks.get(first.id).state is TaskState.SUCCEEDED)
        await shoot_approvals(core, w, binding, Shooter(app, binding), billing)
    finally:
        await wind_down(core, c, binding.dialogs, w)
