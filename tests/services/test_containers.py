"""The workspace panel's operations on the real engine: state, stop, start,
recreate (keeping the volumes), and live stats; files in and out."""

from __future__ import annotations

import io
import tarfile
import threading
from pathlib import Path

import pytest

from desktop.containers.files import put_archive, read_file
from desktop.containers.workspace_container import WORKDIR, ContainerState
from desktop.services.app import App
from desktop.services.workspaces import WorkspaceSpec

pytestmark = pytest.mark.docker


def _project(tmp_path: Path) -> Path:
    """A project folder beside the test's data folder (a folder holding the data folder is refused)."""
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    return folder


def test_container_lifecycle_and_stats(aicode_home: Path, engine, agent_image: str, tmp_path: Path) -> None:
    app = App()
    try:
        ws = app.workspaces.add(WorkspaceSpec(name="panel", path=str(_project(tmp_path)), image=agent_image, memory="256m"))
        assert app.containers.status(ws.id).state is ContainerState.MISSING
        started = app.containers.start(ws.id)
        assert started.state is ContainerState.RUNNING and started.claude_code_version
        first_id = app.ctx.containers.info(ws.id).id

        stop = threading.Event()
        samples = []
        for sample in app.containers.stats(ws.id, stop):
            samples.append(sample)
            if len(samples) == 2:
                stop.set()
        assert samples[0].memory_limit == 256 * 1024 * 1024 and samples[0].memory_bytes > 0
        assert all(s.cpu_percent >= 0 for s in samples)

        assert app.containers.stop(ws.id).state is ContainerState.STOPPED
        assert list(app.containers.stats(ws.id, threading.Event())) == []
        assert app.containers.start(ws.id).state is ContainerState.RUNNING
        assert app.containers.recreate(ws.id).state is ContainerState.RUNNING
        assert app.ctx.containers.info(ws.id).id != first_id
        volumes = {v.name for v in engine.client.volumes.list(filters={"label": f"aicode.workspace={ws.id}"})}
        assert volumes == {f"aicode-{ws.id}-work", f"aicode-{ws.id}-home"}
    finally:
        for workspace in app.workspaces.list():
            app.workspaces.remove(workspace.id)
        app.close()


def test_files_go_in_and_come_out(aicode_home: Path, engine, agent_image: str, tmp_path: Path) -> None:
    # What the runner does with a stage (in) and with a patch too large for a marker line (out).
    app = App()
    try:
        ws = app.workspaces.add(WorkspaceSpec(name="files", path=str(_project(tmp_path)), image=agent_image, memory="256m"))
        info = app.ctx.containers.ensure(ws)
        payload = bytes(range(256)) * 4000
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w") as tar:
            member = tarfile.TarInfo("big.patch")
            member.size = len(payload)
            tar.addfile(member, io.BytesIO(payload))
        archive.seek(0)
        put_archive(engine, info.id, WORKDIR, archive)
        assert read_file(engine, info.id, f"{WORKDIR}/big.patch") == payload
    finally:
        for workspace in app.workspaces.list():
            app.workspaces.remove(workspace.id)
        app.close()
