"""No engine, and an engine that goes away mid-task: the window stays usable,
says what is wrong and how to fix it, and the task ends failed with why."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.domain import TaskState
from desktop.services.app import App
from desktop.services.context import AppContext
from desktop.services.workspaces import WorkspaceSpec
from desktop.ui.transcript.rows import ResultRow, StateRow
from tests.engine_proxy import EngineProxy
from tests.fakeapi import FakeAnthropic, Reply
from tests.ui.conftest import TEST_KEY
from tests.ui.real import close_core, open_gui
from tests.ui.stall import Heartbeat, idle_baseline, stall_limit_ms

# docker-py leaks the socket of a failed connection to a Unix socket (its
# UnixHTTPConnection.connect does not close it when connect() raises), so each
# look at a missing engine leaves one for the garbage collector, which warns.
# These tests look at a missing engine on purpose; they collect those sockets
# once everything of theirs has stopped, so no later test hears of them.
pytestmark = [pytest.mark.docker, pytest.mark.keyring,
              pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")]


@pytest.fixture(autouse=True)
def _engine_sockets_collected() -> Iterator[None]:
    yield  # set up first, so torn down last: after the worker threads have been waited for
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()



def test_without_an_engine_the_history_is_still_there(core: App, fake_api: FakeAnthropic, project: Path,
                                                      qasync_loop, qtbot, qapp, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    # A task run earlier, with the engine.
    ws = core.workspaces.add(WorkspaceSpec(name="kept", path=str(project), permission_mode="bypassPermissions"))
    fake_api.script(Reply(text="Looked around and wrote notes.", tool_calls=()), match="look around")
    earlier = core.tasks.wait(core.tasks.submit(ws.id, "look around").id, 60)
    assert earlier.state is TaskState.SUCCEEDED, earlier.error

    # Today the engine is not running (its socket is gone, as after `systemctl stop docker`).
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/stopped-docker.sock")
    offline = App(AppContext())
    try:
        with open_gui(offline, qtbot, qapp) as gui:
            w = gui.window
            qtbot.waitUntil(lambda: not gui.controller.system.engine.checking, timeout=15_000)
            status = gui.controller.system.engine
            assert not status.ok and "Docker engine is not available" in status.message
            assert "Start Docker" in status.fix
            assert w.engine.retry.isVisible() and "Start Docker" in w.engine.hint.text()
            # A start without an engine is a first run to finish: the welcome dialog says what to do.
            qtbot.waitUntil(lambda: gui.binding.dialogs.welcome is not None, timeout=10_000)
            welcome = gui.binding.dialogs.welcome
            assert "Start Docker" in welcome.engine.fix.text() and not welcome.done_button.isEnabled()
            welcome.reject()

            # Browsing works: the workspace, its task, the transcript from the database.
            qtbot.waitUntil(lambda: w.sidebar.current_id() == ws.id, timeout=10_000)
            qtbot.waitUntil(lambda: w.tasks.model.rowCount() == 1)
            w.tasks.select(earlier.id)
            qtbot.waitUntil(lambda: any(isinstance(r, ResultRow) for r in w.transcript.rows), timeout=10_000)
            qtbot.keyClicks(w.prompt.edit, "do more")
            assert not w.prompt.run_button.isEnabled(), "no engine, no new task"
            assert "Docker engine is not running" in w.prompt.edit.placeholderText()

            # Retry looks again (and still finds nothing).
            checked = []
            gui.controller.system.engine_status_changed.connect(lambda s: checked.append(s.status.checking))
            w.engine.retry.click()
            qtbot.waitUntil(lambda: checked == [True, False], timeout=15_000)
            assert not gui.controller.system.engine.ok and w.engine.retry.isVisible()
            assert not gui.failures, gui.failures
    finally:
        offline.close()


def test_the_engine_going_away_mid_task_fails_it_with_why(aicode_home: Path, clean_keyring, agent_image: str,  # noqa: ANN001
                                                          fake_api: FakeAnthropic, project: Path, qasync_loop,
                                                          qtbot, qapp, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    proxy = EngineProxy(tmp_path / "engine.sock").start()
    monkeypatch.setenv("DOCKER_HOST", proxy.url)
    monkeypatch.setenv("AICODE_ANTHROPIC_BASE_URL", fake_api.base_url)
    app = App(AppContext())
    app.set_secret("anthropic-api-key", TEST_KEY)
    try:
        with open_gui(app, qtbot, qapp) as gui:
            w = gui.window
            qtbot.waitUntil(lambda: gui.controller.system.engine.ok, timeout=20_000)
            gui.add_workspace("fragile", project)
            fake_api.script(Reply(text="word " * 400, chunks=400, delay=0.05), match="long job")
            task = gui.run_prompt("long job")
            qtbot.waitUntil(lambda: bool(fake_api.agent_requests("long job")), timeout=30_000)
            qtbot.waitUntil(lambda: any(isinstance(r, StateRow) and r.state == "running"
                                        for r in w.transcript.rows), timeout=10_000)

            idle = idle_baseline(0.5)
            proxy.stop()  # the engine goes away under the running task
            beat = Heartbeat()  # from now on: how the window copes
            beat.start()
            failed = gui.wait_shown_final(timeout=30_000)
            qtbot.waitUntil(lambda: not gui.controller.system.engine.checking
                            and not gui.controller.system.engine.ok, timeout=15_000)
            beat.stop()
            longest = max(beat.gaps)
            print(f"\nlongest GUI stall while the engine went away: {longest:.1f} ms")
            assert longest < stall_limit_ms(idle)

            assert failed.id == task.id and failed.state is TaskState.FAILED
            assert failed.error and "Docker engine" in failed.error
            qtbot.waitUntil(lambda: any(isinstance(r, StateRow) and r.state == "failed" for r in w.transcript.rows))
            assert w.engine.retry.isVisible() and not w.prompt.run_button.isEnabled()
            assert not w.prompt.cancel_button.isEnabled()
            assert gui.binding.dialogs.welcome is None, "an engine lost mid-session is not a first run"

            # The engine comes back; Retry finds it and work goes on.
            proxy.start()
            w.engine.retry.click()
            qtbot.waitUntil(lambda: gui.controller.system.engine.ok, timeout=20_000)
            assert w.engine.retry.isHidden()
            fake_api.script(Reply(text="Back to work."), match="again")
            gui.run_prompt("again")
            assert gui.wait_shown_final().state is TaskState.SUCCEEDED
    finally:
        if not proxy.path.exists():
            proxy.start()
        close_core(app)  # through the proxy: the container is removed from the real engine
        proxy.stop()
