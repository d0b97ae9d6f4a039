"""A workspace's container for people: its state, start/stop/recreate, stats."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Iterator

from desktop.containers.stats import StatsSample, stream_stats
from desktop.containers.workspace_container import ContainerState
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


@boundary
class Containers:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._workspaces = Workspaces(ctx)

    def status(self, workspace: str) -> ContainerStatus:
        from desktop.containers import images

        ws = self._workspaces.get(workspace)
        info = self.ctx.containers.info(ws.id)
        image = images.status(self.ctx.engine, ws.image)
        state = ContainerState.MISSING if info is None else info.state
        pending = info is not None and self.ctx.containers.pending(ws)
        return ContainerStatus(state, ws.image, image.claude_code_version, pending)

    def start(self, workspace: str) -> ContainerStatus:
        self.ctx.containers.ensure(self._workspaces.get(workspace))
        return self.status(workspace)

    def stop(self, workspace: str) -> ContainerStatus:
        self.ctx.containers.stop(self._workspaces.get(workspace).id)
        return self.status(workspace)

    def recreate(self, workspace: str) -> ContainerStatus:
        """A fresh container (after changing image or limits); work and sessions are kept."""
        self.ctx.containers.recreate(self._workspaces.get(workspace))
        return self.status(workspace)

    def stats(self, workspace: str, stop: threading.Event) -> Iterator[StatsSample]:
        info = self.ctx.containers.info(self._workspaces.get(workspace).id)
        if info is None or info.state is not ContainerState.RUNNING:
            return iter(())
        return stream_stats(self.ctx.engine, info.id, stop)
