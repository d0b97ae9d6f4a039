"""A workspace's container for people: its state, start/stop/recreate, stats."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Iterator

from desktop.containers.stats import StatsSample, stream_stats
from desktop.containers.workspace_container import ContainerNames, ContainerState
from desktop.services.context import AppContext
from desktop.services.errors import boundary
from desktop.services.workspaces import Workspaces


@dataclass(frozen=True)
class ContainerStatus:
    state: ContainerState
    image: str
    claude_code_version: str | None
    # The workspace's settings were saved while a task ran: they apply when it ends.
    settings_pending: bool = False


@dataclass(frozen=True)
class DiskUsage:
    """A workspace's disk, in bytes; None where it is not known. ``folder`` is the
    user's folder as its last copy into the container found it (no walk of it now)."""

    working_copy: int | None
    home: int | None
    folder: int | None


@boundary
class Containers:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._workspaces = Workspaces(ctx)

    def status(self, workspace: str) -> ContainerStatus:
        from desktop.containers import images

        ws = self._workspaces.get(workspace)
        containers = self.ctx.containers_of(ws)
        info = containers.info(ws.id)
        image = images.status(containers.engine, ws.image)
        state = ContainerState.MISSING if info is None else info.state
        pending = info is not None and containers.pending(ws)
        return ContainerStatus(state, ws.image, image.claude_code_version, pending)

    def start(self, workspace: str) -> ContainerStatus:
        ws = self._workspaces.get(workspace)
        self.ctx.containers_of(ws).ensure(ws)
        return self.status(workspace)

    def stop(self, workspace: str) -> ContainerStatus:
        ws = self._workspaces.get(workspace)
        self.ctx.containers_of(ws).stop(ws.id)
        return self.status(workspace)

    def recreate(self, workspace: str) -> ContainerStatus:
        """A fresh container (after changing image or limits); work and sessions are kept."""
        ws = self._workspaces.get(workspace)
        self.ctx.containers_of(ws).recreate(ws)
        return self.status(workspace)

    def disk_usage(self, workspace: str) -> DiskUsage:
        """The sizes of the workspace's two volumes (the agent's working copy, its
        home with Claude's sessions) as the engine counts them, and of the user's
        folder at the last task. Blocks for as long as the engine counts."""
        from desktop.containers.volume_sizes import volume_sizes

        ws = self._workspaces.get(workspace)
        names = ContainerNames.of(ws.id)
        sizes = volume_sizes(self.ctx.engine_of(ws), (names.work_volume, names.home_volume))
        manifest = self.ctx.manifests.load(ws.id)
        folder = None if manifest is None else sum(e[1] for e in manifest.entries.values() if e[0] == "f")
        return DiskUsage(sizes[names.work_volume], sizes[names.home_volume], folder)

    def stats(self, workspace: str, stop: threading.Event) -> Iterator[StatsSample]:
        ws = self._workspaces.get(workspace)
        containers = self.ctx.containers_of(ws)
        info = containers.info(ws.id)
        if info is None or info.state is not ContainerState.RUNNING:
            return iter(())
        return stream_stats(containers.engine, info.id, stop)
