"""On an added engine, the rest of the app's work with a container: a request
waiting for approval and the answer, cancel, the terminal's shell, live stats,
and reconcile removing what a workspace removed elsewhere left there."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import docker
import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import Cli, make_project
from tests.integration.test_approvals import _ended, _start, _waiting
from tests.private_engine import PrivateEngine
from tests.waiting import until

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


@pytest.fixture
def second(private_engine: PrivateEngine) -> Iterator[docker.DockerClient]:
    with closing(private_engine.client()) as client:
        yield client


def _add_tls_engine(cli: Cli, pe: PrivateEngine) -> None:
    assert pe.tcp_url and pe.ca_path and pe.cert_path and pe.key_path
    cli.ok("engine", "add", "e2", pe.tcp_url, "--tls-ca", str(pe.ca_path), "--tls-cert", str(pe.cert_path),
           "--tls-key", str(pe.key_path), "--no-test")


def test_approvals_and_cancel_on_an_added_engine(cli: Cli, fake_api: FakeAnthropic, private_engine: PrivateEngine,
                                                 tmp_path: Path) -> None:
    _add_tls_engine(cli, private_engine)
    project = make_project(tmp_path)
    cli.ok("workspace", "add", "asks", "--path", str(project), "--engine", "e2")  # the default mode asks
    fake_api.script(Reply(text="Writing it.", tool_calls=(
        ToolCall("Write", {"file_path": "/workspace/asked.txt", "content": "allowed\n"}),)),
        Reply(text="Written."), match="write when allowed")
    task_id = _start(cli, "asks", "write when allowed")
    (pending,) = _waiting(cli, task_id)["pending"]
    assert pending["tool"] == "Write"
    cli.ok("task", "approve", task_id)
    assert _ended(cli, task_id)["state"] == "succeeded"
    assert "+++ b/asked.txt" in cli.ok("task", "diff", task_id)

    # Not starting with `sleep N` (N >= 25): claude refuses that at once.
    long_call = ToolCall("Bash", {"command": "echo waiting; sleep 300; echo late"})
    fake_api.script(Reply(text="Waiting a long time.", tool_calls=(long_call,)), Reply(text="Never."),
                    match="sleep for long")
    cli.ok("workspace", "set", "asks", "--permission-mode", "bypassPermissions")
    slow = json.loads(cli.ok("task", "run", "asks", "sleep for long", "--detach", "--json"))["id"]
    # The tool call shows in the task's own log as soon as it starts; the next request to the
    # model would come only when the command ends (Bash's own time limit, two minutes).
    until("the long command to start", lambda: "echo waiting; sleep 300" in cli.ok("task", "logs", slow))
    cli.ok("task", "cancel", slow)
    assert _ended(cli, slow)["state"] == "cancelled"


def test_terminal_stats_and_reconcile_on_an_added_engine(private_engine: PrivateEngine, second: docker.DockerClient,
                                                         tmp_path: Path, clean_keyring, fake_api: FakeAnthropic,
                                                         agent_image: str) -> None:
    from desktop.services.app import App
    from desktop.services.context import AppContext
    from desktop.services.workspaces import WorkspaceSpec

    project = tmp_path / "project"
    project.mkdir()
    with App(AppContext(), runs_queue=False) as app:
        app.engines.add("far", private_engine.unix_url)
        ws = app.workspaces.add(WorkspaceSpec("far-away", path=str(project), engine="far"))
        from desktop.services.placement import image_for

        image_for(app.ctx, ws)
        app.containers.start(ws.id)
        on_second = [c.name for c in second.containers.list(filters={"label": f"aicode.workspace={ws.id}"})]
        assert on_second, "its container runs on the added engine"

        from desktop.services.terminals import TerminalKind, TerminalSpec

        terminal = app.terminals.open(ws.id, TerminalSpec(TerminalKind.COMMAND, ("hostname",), tty=False))
        said = b"".join(data for is_err, data in terminal.frames() if not is_err).decode().strip()
        terminal.close()
        assert said == "aicode"  # a command of the terminal, run in the container there

        stop = threading.Event()
        samples = app.containers.stats(ws.id, stop)
        first = next(iter(samples))  # a live sample, read from the added engine
        stop.set()
        assert first.memory_bytes >= 0

        # What a workspace removed by another process left on the engine goes at the next reconcile.
        app.ctx.db.workspaces.remove(ws.id)
        report = app.reconcile()
        assert report.removed_containers
        assert not second.containers.list(all=True, filters={"label": f"aicode.workspace={ws.id}"})
