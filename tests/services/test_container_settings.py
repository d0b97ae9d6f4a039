"""A workspace's container follows its settings (security finding 5): the
settings' hash, the container made again on the same volumes, and never
under a running task."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from desktop.containers.workspace_container import CONFIG_LABEL, config_hash, run_options
from desktop.domain import EgressMode, NetworkMode, PermissionMode, SourceKind, Workspace
from desktop.services.app import App
from desktop.services.workspaces import WorkspaceChanges, WorkspaceSpec
from tests.waiting import until

BASE = Workspace(
    id="abc123", name="demo", source_kind=SourceKind.FOLDER, source_path="/p", git_url=None,
    image="aicode-agent:1", cpus=2.0, memory="2g", network=NetworkMode.BRIDGE, egress=EgressMode.OPEN,
)


def _hash(workspace: Workspace) -> str:
    options = run_options(workspace, "install-1")
    assert options["labels"][CONFIG_LABEL] == config_hash(options)
    return config_hash(options)


def test_the_hash_covers_exactly_what_the_workspace_puts_in_its_container() -> None:
    base = _hash(BASE)
    for changed in (dict(image="other:2"), dict(cpus=1.5), dict(memory="512m"), dict(network=NetworkMode.NONE)):
        assert _hash(replace(BASE, **changed)) != base, changed
    # Variables and permission mode go to each exec; name and folder are not the container's.
    for same in (dict(env={"A": "1"}), dict(permission_mode=PermissionMode.PLAN), dict(name="renamed"),
                 dict(source_path="/elsewhere")):
        assert _hash(replace(BASE, **same)) == base, same
    assert config_hash(run_options(BASE, "install-2")) == base
    # Limited egress: no network but loopback whatever the network setting, and the proxy's folder mounted.
    fenced = replace(BASE, egress=EgressMode.ALLOWLIST)
    assert _hash(fenced) != base and run_options(fenced, "i")["network_mode"] == "none"
    assert _hash(replace(fenced, network=NetworkMode.HOST)) == _hash(fenced)
    assert _hash(replace(fenced, egress=EgressMode.NONE)) == _hash(fenced)  # the proxy tells these apart
    assert config_hash(run_options(fenced, "i", "/run/p/abc123")) != _hash(fenced)


@pytest.mark.docker
def test_the_container_follows_but_never_under_a_running_exec(
    aicode_home: Path, engine, agent_image: str, tmp_path: Path
) -> None:
    (tmp_path / "project").mkdir()
    app = App()
    try:
        ws = app.workspaces.add(WorkspaceSpec(name="follow", path=str(tmp_path / "project"), image=agent_image,
                                              memory="256m", network="bridge", egress="open"))
        app.containers.start(ws.id)
        first = engine.client.containers.get(f"aicode-{ws.id}")
        # Something runs in it (a task would), until the test's go: the
        # settings are saved and pending, the container left alone.
        first.exec_run(["sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.1; done"], user="agent", detach=True)
        until("the exec to run", lambda: app.ctx.containers._busy(engine.client.containers.get(first.id)))
        _, changed = app.workspaces.change(ws.id, WorkspaceChanges(network="none", memory="512m", cpus=1))
        assert set(changed) == {"network", "memory", "cpus"}
        assert app.ctx.containers.info(ws.id).id == first.id
        assert app.workspaces.settings_pending(ws.id) and app.containers.status(ws.id).settings_pending
        assert app.ctx.containers.ensure(app.workspaces.get(ws.id)).id == first.id
        first.exec_run(["touch", "/tmp/go"], user="agent")
        until("the exec to end", lambda: not app.ctx.containers._busy(engine.client.containers.get(first.id)))
        # Idle now: the next start makes it again with the new settings, same volumes.
        app.containers.start(ws.id)
        second = engine.client.containers.get(f"aicode-{ws.id}")
        assert second.id != first.id
        config = second.attrs["HostConfig"]
        assert config["NetworkMode"] == "none" and config["Memory"] == 512 * 1024 * 1024
        assert config["NanoCpus"] == 1_000_000_000
        names = {m["Name"] for m in second.attrs["Mounts"] if m["Type"] == "volume"}
        assert names == {f"aicode-{ws.id}-work", f"aicode-{ws.id}-home"}
        assert not app.workspaces.settings_pending(ws.id) and not app.containers.status(ws.id).settings_pending
        # A stopped container follows too, and stays stopped.
        app.containers.stop(ws.id)
        app.workspaces.update(replace(app.workspaces.get(ws.id), network=NetworkMode.BRIDGE))
        third = engine.client.containers.get(f"aicode-{ws.id}")
        assert third.id != second.id and third.status != "running"
        assert third.attrs["HostConfig"]["NetworkMode"] == "bridge"
        # Saving the same settings again leaves the container be.
        app.workspaces.update(app.workspaces.get(ws.id))
        assert engine.client.containers.get(f"aicode-{ws.id}").id == third.id
    finally:
        for workspace in app.workspaces.list():
            app.workspaces.remove(workspace.id)
        app.close()
