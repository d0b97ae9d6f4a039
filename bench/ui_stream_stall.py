"""How long does the GUI thread stall while the window follows a busy real task?

    .venv/bin/python bench/ui_stream_stall.py [--events 5000] [--runs 3]

The real window, controller and Core: the Docker engine, the real ``claude``
in the agent image, a private Secret Service, and the fake Anthropic API
answering one turn of N text blocks (the CLI prints one stream-json line per
block, so the task streams about N events through the Core into the
transcript). A 5 ms heartbeat timer on the GUI thread records the longest gap
between ticks; the same figure for the idle event loop, measured in the same
run, gives the ratio: what following the task costs the window.

Needs what the tests need (``scripts/setup.sh test``): Docker, the agent
image, gnome-keyring. Runs on the offscreen platform unless QT_QPA_PLATFORM
says otherwise; leaves nothing behind (its workspace and container are removed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.ui.stall import Heartbeat, StallReport, busy_reply  # noqa: E402

KEY = "sk-ant-api03-BENCH-" + "b" * 32


async def until(check, timeout: float = 180.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the bench waited too long")
        await asyncio.sleep(0.02)


async def measure(qapp: QApplication, core, args: argparse.Namespace, api) -> list[tuple[str, StallReport]]:  # noqa: ANN001
    from desktop.services.workspaces import WorkspaceSpec
    from desktop.ui.app import settle_heap
    from desktop.ui.bridge import aio
    from desktop.ui.bridge.binding import Binding
    from desktop.ui.bridge.controller import Controller
    from desktop.ui.bridge.payloads import RunRequested
    from desktop.ui.notify.tray import Tray
    from desktop.ui.transcript.rows import ResultRow
    from desktop.ui.window.main_window import MainWindow

    window = MainWindow()
    window.resize(1280, 800)
    controller = Controller(core, window)
    binding = Binding(qapp, window, controller, Tray(window, window.banner, use_desktop=False))
    window.show()
    binding.start()
    await until(lambda: controller.system.engine.ok)
    settle_heap()  # as aicode-desktop does once its Core is up
    folder = Path(tempfile.mkdtemp(prefix="aicode-bench-")) / "project"
    folder.mkdir()
    (folder / "README.md").write_text("# Bench\n")
    ws = await aio.run_blocking(core.workspaces.add, WorkspaceSpec(name="bench", path=str(folder),
                                                                   permission_mode="bypassPermissions"))
    controller.refresh_workspaces()
    await until(lambda: window.sidebar.current_id() == ws.id)

    results = []
    try:
        idle = Heartbeat()
        idle.start()
        await asyncio.sleep(1.0)
        idle.stop()
        results.append(("idle event loop", idle.report(0, 0, 1.0)))
        for run in range(1, args.runs + 1):
            prompt = f"busy stream {run}"
            api.script(busy_reply(args.events), match=prompt)
            beat = Heartbeat()
            beat.start()
            start = time.perf_counter()
            controller.submit(RunRequested(ws.id, prompt))
            await until(lambda: window.shown_task is not None and window.shown_task.prompt == prompt
                        and window.shown_task.is_final)
            await until(lambda: window.transcript.idle() and any(isinstance(r, ResultRow) for r in window.transcript.rows))
            seconds = time.perf_counter() - start
            beat.stop()
            events = len(await aio.run_blocking(core.tasks.events, window.shown_task.id))
            results.append((f"run {run}", beat.report(events, len(window.transcript.rows), seconds)))
    finally:
        controller.shutdown(wait=2.0)
        await aio.run_blocking(core.workspaces.remove, ws.id)
        window.hide()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000, help="text blocks in the task's answer")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["AICODE_HOME"] = tempfile.mkdtemp(prefix="aicode-bench-home-")

    import qasync

    from desktop.services.app import App
    from desktop.services.context import AppContext
    from desktop.ui.bridge import aio
    from desktop.ui.look import theme
    from tests.fakeapi import FakeAnthropic
    from tests.keyring_service import running_keyring_service

    with running_keyring_service(), FakeAnthropic() as api:
        os.environ["AICODE_ANTHROPIC_BASE_URL"] = api.base_url
        core = App(AppContext())
        core.set_secret("anthropic-api-key", KEY)
        qapp = QApplication(sys.argv[:1])
        theme.apply(qapp, theme.ThemeMode.LIGHT)
        loop = qasync.QEventLoop(qapp)
        asyncio.set_event_loop(loop)
        try:
            with loop:
                results = loop.run_until_complete(measure(qapp, core, args, api))
        finally:
            aio.shutdown(wait=True)
            core.close()
    idle = results[0][1]
    print(f"platform {qapp.platformName()}, real task of {args.events} text blocks, {args.runs} run(s)")
    for label, r in results:
        ratio = "" if r is idle else f"   ratio to idle {r.longest_ms / max(idle.longest_ms, 0.1):5.1f}x"
        detail = "" if r is idle else f"   {r.events} events, {r.rows} rows in {r.seconds:.1f} s"
        print(f"{label:<16} longest gap {r.longest_ms:7.1f} ms   p99 {r.p99_ms:6.1f} ms{ratio}{detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
