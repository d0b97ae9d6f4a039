"""Reconcile at start-up: containers and volumes of workspaces that are gone
are removed; those of live workspaces are adopted as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services.app import App
from desktop.services.workspaces import WorkspaceSpec

pytestmark = pytest.mark.docker


def _project(tmp_path: Path) -> Path:
    """A project folder beside the test's data folder (a folder holding the data folder is refused)."""
    folder = tmp_path / "project"
    folder.mkdir(exist_ok=True)
    return folder


def test_orphans_are_removed_and_owned_containers_kept(aicode_home: Path, engine, agent_image: str, tmp_path: Path) -> None:
    app = App()
    try:
        kept = app.workspaces.add(WorkspaceSpec(name="kept", path=str(_project(tmp_path)), image=agent_image, memory="256m"))
        gone = app.workspaces.add(WorkspaceSpec(name="gone", path=str(_project(tmp_path)), image=agent_image, memory="256m"))
        kept_info = app.ctx.containers.ensure(kept)
        gone_info = app.ctx.containers.ensure(gone)
        # The workspace disappeared while the engine was away.
        app.ctx.db.workspaces.remove(gone.id)
        report = app.reconcile()
        assert gone_info.id in report.removed_containers
        assert f"aicode-{gone.id}-work" in report.removed_volumes
        assert app.ctx.containers.info(gone.id) is None
        assert app.ctx.containers.info(kept.id).id == kept_info.id
        assert all(not v.startswith(f"aicode-{kept.id}") for v in report.removed_volumes)
    finally:
        for ws in app.workspaces.list():
            app.workspaces.remove(ws.id)
        app.close()
    assert (tmp_path / "project").is_dir(), "a user's folder is never removed"


def test_another_installations_containers_are_left_alone(aicode_home: Path, engine, agent_image: str,
                                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.services.context import AppContext

    monkeypatch.setenv("AICODE_HOME", str(tmp_path / "other-home"))
    other = App(AppContext())
    other_ws = other.workspaces.add(WorkspaceSpec(name="theirs", path=str(_project(tmp_path)), image=agent_image, memory="256m"))
    other_info = other.ctx.containers.ensure(other_ws)
    monkeypatch.setenv("AICODE_HOME", str(aicode_home))
    mine = App(AppContext())
    try:
        report = mine.reconcile()
        assert other_info.id not in report.removed_containers and not report.removed_volumes
        assert other.ctx.containers.info(other_ws.id) is not None
    finally:
        mine.close()
        monkeypatch.setenv("AICODE_HOME", str(tmp_path / "other-home"))
        other.workspaces.remove(other_ws.id)
        other.close()
