"""Issue 9 finding 7, the panel's part: the workspace's volume sizes, measured by
the real engine off the GUI thread when the details open and on Refresh."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from desktop.containers.files import put_archive
from desktop.containers.workspace_container import WORKDIR
from tests.ui.real import Gui

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def test_the_details_show_the_volume_sizes_and_measure_again_on_refresh(gui: Gui, project: Path, qtbot) -> None:  # noqa: ANN001
    panel = gui.window.workspace_panel
    qtbot.waitUntil(lambda: gui.controller.system.engine.ok, timeout=20_000)
    ws = gui.add_workspace("disk", project)
    gui.window.actions.details.trigger()  # opening the panel measures
    qtbot.waitUntil(lambda: panel.disk.text() not in ("–", "Measuring…"), timeout=30_000)
    assert panel.disk.text().replace("\u00a0", " ") == "No working copy yet" and panel.disk_refresh.isEnabled()

    info = gui.core.ctx.containers.ensure(gui.core.workspaces.get(ws.id))
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        member = tarfile.TarInfo("big.bin")
        member.size = 3 * 2**20
        tar.addfile(member, io.BytesIO(b"z" * member.size))
    archive.seek(0)
    put_archive(gui.core.ctx.engine, info.id, WORKDIR, archive)
    panel.disk_refresh.click()
    assert panel.disk.text() == "Measuring…" and not panel.disk_refresh.isEnabled()  # asked, not waited for
    qtbot.waitUntil(lambda: panel.disk.text().startswith("Working\u00a0copy"), timeout=30_000)
    shown = panel.disk.text().replace("\u00a0", " ")  # a part never wraps inside
    assert "3.0 MiB" in shown and " · home " in shown
    assert gui.failures == []
