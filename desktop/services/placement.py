"""Where a workspace's container lives, and what it needs there: the agent
image, copied from this machine's engine the first time an added engine
lacks it (once, however many tasks ask at the same time)."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Callable

from desktop.containers import images
from desktop.containers.errors import ImageMissing
from desktop.domain import Workspace
from desktop.services.context import AppContext

if TYPE_CHECKING:
    from desktop.containers.images import ImageStatus

_copying: dict[str, threading.Lock] = {}
_copying_guard = threading.Lock()


def image_for(ctx: AppContext, workspace: Workspace,
              progress: Callable[[float | None, str], None] | None = None) -> ImageStatus:
    """The workspace's agent image on its engine, usable; copied there from
    the local engine if an added engine lacks it. Raises ImageMissing (with
    a fix) when neither has it."""
    engine = ctx.engine_of(workspace)
    try:
        return images.require_usable(engine, workspace.image)
    except ImageMissing:
        if engine.name is None:
            raise
    with _copying_guard:
        lock = _copying.setdefault(f"{engine.name}\0{workspace.image}", threading.Lock())
    with lock:
        found = images.status(engine, workspace.image)
        if found.usable:  # another task copied it meanwhile
            return found
        images.require_usable(ctx.engine, workspace.image)  # this machine's, with its fix if missing
        return images.transfer(ctx.engine, engine, workspace.image, progress)


def check_proxy_visible(ctx: AppContext, workspace: Workspace, container_id: str) -> None:
    """On an added engine, that the container has a way to this app's proxy.

    An engine on another machine cannot see this machine's proxy socket, so
    the proxy is carried there by a relay over the engine's own exec stream
    (desktop.services.proxy_relay), started here once per workspace and app
    process (the proxy must serve the workspace already). If it cannot
    start, that is said at once, in words, rather than as the agent's
    connection errors."""
    from desktop.containers.errors import ContainerFailed
    from desktop.egress.proxy import SOCKET_PREFIX

    engine = ctx.engine_of(workspace)
    if engine.name is None:
        return
    proxy_socket = ctx.proxy.socket_folder(workspace.id) / f"{SOCKET_PREFIX}{os.getpid()}"
    if not ctx.relays.ensure(engine, workspace.id, container_id, proxy_socket):
        raise ContainerFailed(
            f"The containers of the engine '{engine.name}' do not see this machine's files, and the app's "
            "relay to its credential proxy could not start there, so the agent has no way to the model",
            "recreate the workspace's container (Recreate, or 'aicode workspace set' with any change) so it "
            "gets the relay's folder, or move it back with 'aicode workspace move WS --engine local'")
