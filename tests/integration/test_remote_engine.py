"""Workspaces on a second Docker engine: a private dockerd this test starts
(its own socket, data root, exec root and pid file), reached as unix://, as
tcp:// with TLS client certificates, and through ssh:// to a local sshd.

The machine's own engine is never stopped: "an engine going away" is the
private one, stopped by the test that started it."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import docker
import pytest

from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.integration.conftest import Cli, make_project, tree
from tests.private_engine import PrivateEngine
from tests.waiting import until

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def _containers(client: docker.DockerClient, workspace_id: str) -> list[str]:
    return [c.name for c in client.containers.list(all=True, filters={"label": f"aicode.workspace={workspace_id}"})]


@pytest.fixture
def second(private_engine: PrivateEngine) -> Iterator[docker.DockerClient]:
    """A client of the second engine, closed after the test (its sockets would warn)."""
    with closing(private_engine.client()) as client:
        yield client


@pytest.fixture
def main() -> Iterator[docker.DockerClient]:
    """A client of this machine's engine."""
    with closing(docker.from_env()) as client:
        yield client


def test_engines_are_added_and_tested_over_unix_tls_and_ssh(cli: Cli, private_engine: PrivateEngine,
                                                           second: docker.DockerClient,
                                                           main: docker.DockerClient) -> None:
    pe = private_engine
    assert pe.tcp_url and pe.ca_path and pe.cert_path and pe.key_path and pe.ssh_url
    cli.ok("engine", "add", "e2-unix", pe.unix_url, "--no-test")
    cli.ok("engine", "add", "e2-tls", pe.tcp_url, "--tls-ca", str(pe.ca_path), "--tls-cert", str(pe.cert_path),
           "--tls-key", str(pe.key_path), "--no-test")
    # ssh://USER@HOST/PATH: the engine's socket on that machine, forwarded by ssh.
    cli.ok("engine", "add", "e2-ssh", f"{pe.ssh_url}{pe.socket_path}", "--no-test")
    for name in ("e2-unix", "e2-tls"):
        report = json.loads(cli.ok("engine", "test", name, "--json"))
        assert report["ok"] and report["os_arch"].startswith("linux/") and report["cpus"] > 0, report
        assert report["memory_bytes"] > 0
    # ssh:// runs the user's own ssh: its config (port, key, known host) is in HOME.
    ssh_cli = Cli({**cli.env, **pe.ssh_env()}, cli.home)
    report = json.loads(ssh_cli.ok("engine", "test", "e2-ssh", "--json"))
    assert report["ok"], report
    # Every route reaches the same, private engine: one volume made there is seen through all three.
    volume = second.volumes.create("aicode-test-route-probe")
    try:
        for name, runner in (("e2-unix", cli), ("e2-tls", cli), ("e2-ssh", ssh_cli)):
            assert json.loads(runner.ok("engine", "test", name, "--json"))["ok"]
        assert "aicode-test-route-probe" not in [v.name for v in main.volumes.list()]
    finally:
        volume.remove()

    listing = {e["name"]: e for e in json.loads(cli.ok("engine", "list", "--json"))}
    assert set(listing) == {"local", "e2-unix", "e2-tls", "e2-ssh"} and listing["e2-tls"]["tls"]
    # A tcp:// engine without a client certificate is not even stored.
    plain = cli("engine", "add", "e2-plain", pe.tcp_url)
    assert plain.returncode == 2 and "needs TLS client certificates" in plain.stderr
    cli.ok("engine", "rm", "e2-ssh")
    assert "e2-ssh" not in cli.ok("engine", "list")


def test_a_task_runs_on_an_engine_reached_over_ssh(
        cli: Cli, fake_api: FakeAnthropic, private_engine: PrivateEngine, tmp_path: Path,
        second: docker.DockerClient, main: docker.DockerClient) -> None:
    pe = private_engine
    # The user's own ssh (its config, keys, known hosts); in-process, not through a warm service.
    ssh_cli = Cli({**cli.env, **pe.ssh_env(), "AICODE_NO_SERVICE": "1"}, cli.home)
    project = make_project(tmp_path)
    fake_api.script(Reply(text="Adding it.", tool_calls=(
        ToolCall("Write", {"file_path": "/workspace/over_ssh.py", "content": "VIA = 'ssh'\n"}),)),
        Reply(text="Added over_ssh.py."), match="write over ssh")
    ssh_cli.ok("engine", "add", "e2", f"{pe.ssh_url}{pe.socket_path}", "--no-test")
    workspace = json.loads(ssh_cli.ok("workspace", "add", "demo", "--path", str(project), "--engine", "e2",
                                      "--permission-mode", "bypassPermissions", "--json"))
    task = json.loads(ssh_cli.ok("task", "run", "demo", "write over ssh", "--json"))
    assert task["state"] == "succeeded", task
    assert _containers(second, workspace["id"]) and not _containers(main, workspace["id"])
    ssh_cli.ok("task", "apply", task["id"])
    assert (project / "over_ssh.py").read_bytes() == b"VIA = 'ssh'\n"
    ssh_cli.ok("workspace", "rm", "demo")  # its container on the second engine goes, over ssh
    assert not _containers(second, workspace["id"])
    # The forward ended with the command that opened it.
    leftover = subprocess.run(["pgrep", "-f", f"-L .*{pe.socket_path}"], capture_output=True, text=True)
    assert leftover.stdout.strip() == "", leftover.stdout


def test_a_workspace_on_the_second_engine_runs_there_and_moves_back(
        cli: Cli, fake_api: FakeAnthropic, private_engine: PrivateEngine, tmp_path: Path,
        second: docker.DockerClient, main: docker.DockerClient) -> None:
    pe = private_engine
    project = make_project(tmp_path)
    before = tree(project)
    fake_api.script(
        Reply(text="Adding it.", tool_calls=(
            ToolCall("Write", {"file_path": "/workspace/remote.py", "content": "WHERE = 'second engine'\n"}),)),
        Reply(text="Added remote.py."),
        match="write remote",
    )
    cli.ok("engine", "add", "e2", pe.tcp_url, "--tls-ca", str(pe.ca_path), "--tls-cert", str(pe.cert_path),
           "--tls-key", str(pe.key_path), "--no-test")
    bad = cli("workspace", "add", "nowhere", "--path", str(project), "--engine", "nosuch")
    assert bad.returncode == 2 and "no engine called 'nosuch'" in bad.stderr
    workspace = json.loads(cli.ok("workspace", "add", "demo", "--path", str(project), "--engine", "e2",
                                  "--permission-mode", "bypassPermissions", "--json"))
    assert workspace["engine"] == "e2"
    had_image = bool(second.images.list(name="aicode-agent:latest"))  # an earlier test may have copied it

    done = cli("task", "run", "demo", "write remote", "--json", timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    task = json.loads(done.stdout)
    assert task["state"] == "succeeded", task
    # Its container is on the second engine, and not on this machine's.
    assert _containers(second, workspace["id"]) and not _containers(main, workspace["id"])
    logs = cli.ok("task", "logs", task["id"])
    # An engine without the agent image gets a copy of this machine's, once.
    assert ("Copying the agent image" in logs) == (not had_image), logs

    assert tree(project) == before
    cli.ok("task", "apply", task["id"])
    assert (project / "remote.py").read_bytes() == b"WHERE = 'second engine'\n"

    refused = cli("engine", "rm", "e2")
    assert refused.returncode == 1 and "1 workspace(s) live on the engine 'e2'" in refused.stderr

    # Moved to this machine: the history stays and the Claude session comes along.
    moved = cli.ok("workspace", "move", "demo", "--engine", "local")
    assert "Moved demo to the engine local" in moved and "came along" in moved
    assert not _containers(second, workspace["id"]) and _containers(main, workspace["id"])
    fake_api.script(Reply(text="Still here after the move."), match="are you still there")
    follow = json.loads(cli.ok("task", "follow-up", task["id"], "are you still there", "--json"))
    assert follow["state"] == "succeeded" and follow["session_id"] == task["session_id"], follow
    # The model saw the earlier conversation: the session was resumed, not started again
    # (its first message is still the first task's prompt).
    assert "are you still there" in json.dumps(fake_api.agent_requests("write remote")[-1]["messages"])
    assert [t["id"] for t in json.loads(cli.ok("task", "list", "--json"))][-1] == task["id"]

    # And from this machine to the second engine: the same session goes on there.
    cli.ok("workspace", "move", "demo", "--engine", "e2")
    assert _containers(second, workspace["id"]) and not _containers(main, workspace["id"])
    fake_api.script(Reply(text="Still here on the second engine."), match="and now")
    again = json.loads(cli.ok("task", "follow-up", follow["id"], "and now", "--json"))
    assert again["state"] == "succeeded" and again["session_id"] == task["session_id"], again
    assert "are you still there" in json.dumps(fake_api.agent_requests("write remote")[-1]["messages"])
    assert len(json.loads(cli.ok("task", "list", "--json"))) == 3
    busy = cli("workspace", "move", "demo", "--engine", "e2")
    assert busy.returncode == 2 and "already lives on the engine 'e2'" in busy.stderr
    cli.ok("workspace", "move", "demo", "--engine", "local")
    cli.ok("engine", "rm", "e2")


def test_an_engine_going_away_fails_only_its_own_task(
        cli: Cli, fake_api: FakeAnthropic, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
        main: docker.DockerClient) -> None:
    from tests.private_engine import running_private_engine

    with running_private_engine(tmp_path_factory.mktemp("dying-engine")) as dying:
        dying.load_image(main, "aicode-agent:latest")
        cli.ok("engine", "add", "doomed", dying.unix_url, "--no-test")
        here, there = tmp_path / "here", tmp_path / "there"
        here.mkdir()
        there.mkdir()
        make_project(here)
        make_project(there)
        # "auto" goes where there is most room among the engines that have the image; then it is named.
        auto = json.loads(cli.ok("workspace", "add", "placed", "--path", str(here / "project"), "--engine", "auto",
                                 "--json"))
        assert auto["engine"] in ("local", "doomed")
        cli.ok("workspace", "rm", "placed")
        cli.ok("workspace", "add", "on-local", "--path", str(here / "project"), "--permission-mode",
               "bypassPermissions")
        cli.ok("workspace", "add", "on-doomed", "--path", str(there / "project"), "--engine", "doomed",
               "--permission-mode", "bypassPermissions")
        fake_api.script(Reply(text="Working.", tool_calls=(ToolCall("Bash", {"command": "echo working; sleep 30; echo late"}),)),
                        Reply(text="Done late."), match="slow on doomed")
        fake_api.script(Reply(text="Working here.", tool_calls=(ToolCall("Bash", {"command": "sleep 3; echo ok"}),)),
                        Reply(text="Done here."), match="quick on local")
        doomed = subprocess.Popen([sys.executable, "-m", "desktop.cli", "task", "run", "on-doomed", "slow on doomed",
                                   "--json"], env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        local: dict[str, subprocess.CompletedProcess[str]] = {}
        runner = threading.Thread(target=lambda: local.setdefault("done", cli("task", "run", "on-local",
                                                                             "quick on local", "--json")))
        try:
            # Its log shows the command once it starts (a request to the model would come only when it ends).
            # (The command does not start with `sleep 30`: claude refuses a leading sleep of 25 s or more.)
            until("the task on the doomed engine to run its command",
                  lambda: any(t["workspace"] == "on-doomed" and "sleep 30; echo late" in cli.ok("task", "logs", t["id"])
                              for t in json.loads(cli.ok("task", "list", "--json"))))
            runner.start()
            dying.stop_engine()
            out, err = doomed.communicate(timeout=300)
        finally:
            if doomed.poll() is None:
                doomed.kill()
            runner.join(300)
    failed = json.loads(out) if out.strip().startswith("{") else None
    listing = {t["workspace"]: t for t in json.loads(cli.ok("task", "list", "--json"))}
    assert listing["on-doomed"]["state"] == "failed", (out, err, listing["on-doomed"])
    assert "doomed" in (listing["on-doomed"]["error"] or ""), listing["on-doomed"]
    assert failed is None or failed["state"] == "failed"
    assert local["done"].returncode == 0 and json.loads(local["done"].stdout)["state"] == "succeeded"


def test_the_proxy_reaches_a_container_on_an_added_engine_by_relay_not_by_mount(
        cli: Cli, fake_api: FakeAnthropic, private_engine: PrivateEngine, tmp_path: Path,
        second: docker.DockerClient) -> None:
    from desktop.containers.workspace_container import PROXY_MOUNT

    pe = private_engine
    project = make_project(tmp_path)
    fake_api.script(Reply(text="Adding it.", tool_calls=(
        ToolCall("Write", {"file_path": "/workspace/relayed.py", "content": "BY = 'relay'\n"}),)),
        Reply(text="Added relayed.py."), match="write through the relay")
    cli.ok("engine", "add", "e2", pe.tcp_url, "--tls-ca", str(pe.ca_path), "--tls-cert", str(pe.cert_path),
           "--tls-key", str(pe.key_path), "--no-test")
    workspace = json.loads(cli.ok("workspace", "add", "relayed", "--path", str(project), "--engine", "e2",
                                  "--permission-mode", "bypassPermissions", "--json"))
    try:
        task = json.loads(cli.ok("task", "run", "relayed", "write through the relay", "--json"))
        assert task["state"] == "succeeded", task
        assert len(fake_api.agent_requests("write through the relay")) >= 2  # the model was reached, twice
        container = second.containers.get(f"aicode-{workspace['id']}")
        # No folder of this machine is mounted there: the only way out is the relay's socket
        # on the keeper's own tmpfs (limited egress: no network but loopback).
        assert not [m for m in container.attrs["Mounts"] if m["Destination"] == PROXY_MOUNT], container.attrs["Mounts"]
        assert not [b for b in container.attrs["HostConfig"].get("Binds") or [] if PROXY_MOUNT in b]
        assert "uid=65534" in container.attrs["HostConfig"]["Tmpfs"][PROXY_MOUNT]
        assert container.attrs["HostConfig"]["NetworkMode"] == "none"
        def relay_seen() -> bool:
            listed = container.exec_run(["sh", "-c", f"ls -A {PROXY_MOUNT}; ps -eo args"], user="65534:65534")
            return b"s.relay." in listed.output

        # The relay of the warm service that ran the task listens on, for its next task;
        # when that process ends, so does the relay's stdin: it exits and removes its socket.
        assert relay_seen()
        cli.ok("service", "stop")
        until("the relay to exit", lambda: not relay_seen())
        # The agent user can connect there but create nothing.
        made = container.exec_run(["touch", f"{PROXY_MOUNT}/s.mine"], user="agent")
        assert made.exit_code != 0 and b"Permission denied" in made.output
        cli.ok("task", "apply", task["id"])
        assert (project / "relayed.py").read_bytes() == b"BY = 'relay'\n"
    finally:
        cli.ok("workspace", "rm", "relayed")
        cli.ok("engine", "rm", "e2")


def test_a_container_the_relay_cannot_reach_is_said_at_once(private_engine: PrivateEngine, tmp_path: Path,
                                                           second: docker.DockerClient) -> None:
    # A container whose PROXY_MOUNT is a read-only folder (made by an earlier
    # version, a bind mount of a folder of the engine's machine): the relay
    # cannot listen there, so the task is refused in words. The next ensure
    # makes the container again, with the relay's tmpfs, and then it works.
    from desktop.containers.errors import ContainerFailed
    from desktop.containers.workspace_container import run_options
    from desktop.services.app import App
    from desktop.services.context import AppContext
    from desktop.services.placement import check_proxy_visible, image_for
    from desktop.services.workspaces import WorkspaceSpec

    project = tmp_path / "project"
    project.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with App(AppContext(), runs_queue=False) as app:
        app.engines.add("far", private_engine.unix_url)
        workspace = app.workspaces.add(WorkspaceSpec("far-away", path=str(project), engine="far"))
        try:
            image_for(app.ctx, workspace)
            old = second.containers.create(**run_options(workspace, app.ctx.installation_id, str(elsewhere)))
            old.start()
            with pytest.raises(ContainerFailed, match="do not see this machine's files"):
                check_proxy_visible(app.ctx, workspace, old.id)
            info = app.ctx.containers_of(workspace).ensure(workspace)
            assert info.id != old.id
            check_proxy_visible(app.ctx, workspace, info.id)
            listed = second.containers.get(info.id).exec_run(["ls", "-A", "/run/aicode-proxy"], user="65534:65534")
            assert listed.output.startswith(b"s.relay."), listed.output
        finally:
            app.workspaces.remove(workspace.id)


def test_a_tls_key_with_a_passphrase_keeps_it_in_the_keyring(cli: Cli, private_engine: PrivateEngine,
                                                              tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    from desktop.secrets import SecretStore

    pe = private_engine
    assert pe.key_path and pe.cert_path and pe.ca_path and pe.tcp_url
    key = serialization.load_pem_private_key(pe.key_path.read_bytes(), None)
    locked = tmp_path / "locked-key.pem"
    locked.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.BestAvailableEncryption(b"open sesame")))
    tls = ["--tls-ca", str(pe.ca_path), "--tls-cert", str(pe.cert_path), "--tls-key", str(locked)]

    asked = cli("engine", "add", "locked", pe.tcp_url, *tls, "--no-test")
    assert asked.returncode == 2 and "protected by a passphrase: add --tls-key-passphrase" in asked.stderr
    wrong = cli("engine", "add", "locked", pe.tcp_url, *tls, "--tls-key-passphrase", "--no-test", input="nope\n")
    assert wrong.returncode == 2 and "the passphrase does not open the client key" in wrong.stderr
    assert "locked" not in cli.ok("engine", "list"), "a refused add stores nothing"

    cli.ok("engine", "add", "locked", pe.tcp_url, *tls, "--tls-key-passphrase", "--no-test", input="open sesame\n")
    assert "open sesame" not in cli.ok("engine", "list", "--json")
    assert SecretStore().tls_passphrase("locked") == "open sesame"
    report = json.loads(cli.ok("engine", "test", "locked", "--json"))  # a new process: from the keyring
    assert report["ok"], report
    cli.ok("engine", "rm", "locked")
    assert SecretStore().tls_passphrase("locked") is None
