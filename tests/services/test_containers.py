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


def test_disk_usage_counts_the_volumes_and_the_folder_of_the_last_copy(aicode_home: Path, engine, agent_image: str,
                                                                      tmp_path: Path) -> None:
    """Issue 9 finding 7: the workspace's volumes are measured (by the engine) for the panel."""
    from desktop.snapshots.manifest import scan

    app = App()
    try:
        folder = _project(tmp_path)
        (folder / "data.bin").write_bytes(b"x" * 50_000)
        ws = app.workspaces.add(WorkspaceSpec(name="disk", path=str(folder), image=agent_image, memory="256m"))
        before = app.containers.disk_usage(ws.id)
        assert before.working_copy is None and before.home is None and before.folder is None  # nothing made yet
        info = app.ctx.containers.ensure(ws)
        empty = app.containers.disk_usage(ws.id)
        assert empty.working_copy is not None and empty.home is not None
        payload = b"y" * 3_000_000
        archive = io.BytesIO()
        with tarfile.open(fileobj=archive, mode="w") as tar:
            member = tarfile.TarInfo("big.bin")
            member.size = len(payload)
            tar.addfile(member, io.BytesIO(payload))
        archive.seek(0)
        put_archive(engine, info.id, WORKDIR, archive)
        app.ctx.manifests.save(ws.id, scan(folder))  # as a task's copy leaves it
        after = app.containers.disk_usage(ws.id)
        assert after.working_copy >= empty.working_copy + len(payload)
        assert after.folder == 50_000
    finally:
        for workspace in app.workspaces.list():
            app.workspaces.remove(workspace.id)
        app.close()


def test_counts_asked_at_once_all_get_an_answer(engine) -> None:  # noqa: ANN001
    """The engine counts one ``df`` at a time and refuses the others ("already running"):
    a count asked meanwhile (another program's, a second panel's) waits its turn."""
    from concurrent.futures import ThreadPoolExecutor

    from desktop.containers.volume_sizes import volume_sizes

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _i: volume_sizes(engine, ("aicode-no-such-volume",)), range(4)))
    assert answers == [{"aicode-no-such-volume": None}] * 4
