"""The key stays out of the container and the agent reaches only what the
user allows: real engine, real claude, the fake API behind the app's proxy."""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

from desktop.domain import TaskState
from desktop.services.app import App
from desktop.services.egress import placeholder
from desktop.services.workspaces import WorkspaceSpec
from tests.fakeapi import FakeAnthropic, Reply, ToolCall

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

CANARY = "sk-ant-api03-CANARY-" + "c4n" * 14


def _host_address() -> str:
    """An address of this machine other than loopback (the container's own
    loopback is not this machine's)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("198.51.100.1", 9))  # no packet is sent: this only picks the way out
        address = probe.getsockname()[0]
    finally:
        probe.close()
    assert not address.startswith("127."), "this test needs an address other than loopback"
    return address


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


@pytest.fixture
def web() -> Iterator[tuple[str, list[str]]]:
    """A little web server on this machine: (host:port, the paths it was asked for)."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            seen.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    address = _host_address()
    server = _Server((address, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"{address}:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def _workspace(app: App, tmp_path: Path, name: str, **options: str):  # noqa: ANN202
    folder = tmp_path / name
    folder.mkdir()
    (folder / "README.md").write_text("# demo\n")
    return app.workspaces.add(WorkspaceSpec(name=name, path=str(folder), permission_mode="bypassPermissions",
                                            **options))


def _tool_output(fake_api: FakeAnthropic, match: str) -> str:
    return json.dumps(fake_api.agent_requests(match)[-1]["messages"])


def test_the_key_never_enters_the_container(app: App, fake_api: FakeAnthropic, tmp_path: Path,
                                            engine) -> None:  # noqa: ANN001
    app.set_secret("anthropic-api-key", CANARY)
    ws = _workspace(app, tmp_path, "canary")
    look = ("env; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; done 2>/dev/null; "
            "grep -rl 'c4nc4nc4n' ~ /workspace /tmp /run 2>/dev/null; echo searched")
    fake_api.script(Reply(text="Looking around.", tool_calls=(ToolCall("Bash", {"command": look}),)),
                    Reply(text="Nothing found."), match="look for keys")
    task = app.tasks.wait(app.tasks.submit(ws.id, "look for keys").id, 120)
    assert task.state is TaskState.SUCCEEDED, task.error
    seen = _tool_output(fake_api, "look for keys")
    assert "searched" in seen and "ANTHROPIC_API_KEY=sk-ant-api03-aicode-proxy-" in seen
    assert CANARY not in seen and "c4nc4nc4nc4n" not in seen.replace("'c4nc4nc4n'", "")
    # Every request of the agent reached the model with the real key, put in by the proxy.
    assert fake_api.api_keys == {CANARY}
    container = engine.client.containers.get(app.ctx.containers.info(ws.id).id)
    assert CANARY not in json.dumps(container.attrs)
    assert container.attrs["HostConfig"]["NetworkMode"] == "none"


def test_a_tasks_model_requests_share_one_kept_connection(app: App, fake_api: FakeAnthropic,
                                                          tmp_path: Path) -> None:
    """The proxy keeps the model's connection between requests (a TLS
    handshake each time would delay every answer's first byte)."""
    ws = _workspace(app, tmp_path, "kept")
    fake_api.script(Reply(text="One.", tool_calls=(ToolCall("Bash", {"command": "true"}),)),
                    Reply(text="Two.", tool_calls=(ToolCall("Bash", {"command": "true"}),)),
                    Reply(text="Done."), match="three requests")
    connections, requests = fake_api.connections, len(fake_api.agent_requests())
    task = app.tasks.wait(app.tasks.submit(ws.id, "three requests").id, 120)
    assert task.state is TaskState.SUCCEEDED, task.error
    assert len(fake_api.agent_requests()) - requests == 3
    assert fake_api.connections - connections < 3, "the model's connection was kept between requests"


def test_only_allowed_hosts_are_reached_and_the_refusals_are_logged(app: App, fake_api: FakeAnthropic,
                                                                    tmp_path: Path, web) -> None:  # noqa: ANN001
    target, seen = web
    ws = _workspace(app, tmp_path, "fenced")
    fetch = f"git ls-remote http://{target}/repo.git 2>&1; echo exit=$?"
    fake_api.script(Reply(text="Fetching.", tool_calls=(ToolCall("Bash", {"command": fetch}),)),
                    Reply(text="Tried."), match="fetch the repo")
    first = app.tasks.wait(app.tasks.submit(ws.id, "fetch the repo").id, 120)
    assert first.state is TaskState.SUCCEEDED, first.error
    assert seen == []
    host, port = target.rsplit(":", 1)
    (refused,) = [e for e in app.egress.log(ws.id) if e.host == host]
    assert refused.port == int(port) and refused.verdict == "blocked"
    assert app.egress.blocked_during(app.tasks.get(first.id))
    listed = subprocess.run([sys.executable, "-m", "desktop.cli", "egress", "log", "fenced", "--json"],
                            env={**os.environ, "AICODE_NO_SERVICE": "1"}, capture_output=True, text=True, check=True)
    assert {"host": host, "port": int(port), "verdict": "blocked"}.items() <= json.loads(listed.stdout)[0].items()

    app.egress.allow(ws.id, target)
    assert target in app.egress.list(ws.id) and "api.anthropic.com" in app.egress.list(ws.id)
    second = app.tasks.wait(app.tasks.submit(ws.id, "fetch the repo again").id, 120)
    assert second.state is TaskState.SUCCEEDED, second.error
    assert any(path.startswith("/repo.git/info/refs") for path in seen), seen

    # Around the proxy there is no way: the container has no network but loopback.
    direct = f"exec 3<>/dev/tcp/{host}/{port} && echo connected || echo refused"
    fake_api.script(Reply(text="Straight there.", tool_calls=(ToolCall("Bash", {"command": direct}),)),
                    Reply(text="Done."), match="go direct")
    before = len(seen)
    third = app.tasks.wait(app.tasks.submit(ws.id, "go direct").id, 120)
    assert third.state is TaskState.SUCCEEDED, third.error
    assert "refused" in _tool_output(fake_api, "go direct") and len(seen) == before


def test_a_workspace_cannot_use_another_ones_placeholder(app: App, fake_api: FakeAnthropic,
                                                         tmp_path: Path) -> None:
    mine, theirs = _workspace(app, tmp_path, "mine"), _workspace(app, tmp_path, "theirs")
    stolen = placeholder(app.ctx, theirs.id)
    assert stolen != placeholder(app.ctx, mine.id)
    raw = ("exec 3<>/dev/tcp/127.0.0.1/3128; "
           f"printf 'POST /v1/messages HTTP/1.1\\r\\nHost: x\\r\\nx-api-key: {stolen}\\r\\n"
           "Content-Length: 2\\r\\n\\r\\n{}' >&3; head -1 <&3")
    fake_api.script(Reply(text="Borrowing a key.", tool_calls=(ToolCall("Bash", {"command": raw}),)),
                    Reply(text="Done."), match="borrow")
    before = len(fake_api.requests)
    task = app.tasks.wait(app.tasks.submit(mine.id, "borrow a key").id, 120)
    assert task.state is TaskState.SUCCEEDED, task.error
    assert "401 Unauthorized" in _tool_output(fake_api, "borrow")
    bodies = fake_api.requests[before:]
    assert all(b.get("messages") for b in bodies), "the stolen request never reached the model"
    assert any("key" in e.reason for e in app.egress.log(mine.id))


def test_a_subscription_token_is_put_in_the_same_way(app: App, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    token = "sk-ant-oat01-SUBSCRIPTION-" + "t0k" * 12
    app.delete_secret("anthropic-api-key")
    app.set_secret("claude-oauth-token", token)
    ws = _workspace(app, tmp_path, "subscriber")
    look = "for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; done 2>/dev/null | grep -i oauth | sort -u"
    fake_api.script(Reply(text="Checking.", tool_calls=(ToolCall("Bash", {"command": look}),)),
                    Reply(text="Done."), match="which token")
    task = app.tasks.wait(app.tasks.submit(ws.id, "which token").id, 120)
    assert task.state is TaskState.SUCCEEDED, task.error
    seen = _tool_output(fake_api, "which token")
    assert "CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-aicode-proxy-" in seen and token not in seen
    assert fake_api.bearer_tokens == {token} and not fake_api.api_keys


def test_the_hosts_network_is_not_offered(app: App, tmp_path: Path) -> None:
    from dataclasses import replace

    from desktop.containers.workspace_container import run_options
    from desktop.domain import EgressMode, NetworkMode
    from desktop.services.errors import UserError
    from desktop.services.workspaces import WorkspaceChanges

    (tmp_path / "h").mkdir()
    with pytest.raises(UserError, match="X11, D-Bus"):
        app.workspaces.add(WorkspaceSpec(name="h", path=str(tmp_path / "h"), network="host", egress="open"))
    ws = _workspace(app, tmp_path, "b", egress="open")
    with pytest.raises(UserError, match="not offered"):
        app.workspaces.change(ws.id, WorkspaceChanges(network="host"))
    # One stored before (the tests once used it) gets a bridge.
    old = replace(ws, network=NetworkMode.HOST, egress=EgressMode.OPEN)
    assert run_options(old, "i")["network_mode"] == "bridge"
