"""Moving a workspace to another engine: its container is made there, the
content of its two volumes (the agent's working copy, Claude's sessions) is
carried over, and only then does the workspace point at the new engine and
its old container go. Its tasks and their history are rows here and do not
move at all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from desktop.containers.errors import EngineUnavailable
from desktop.domain import TaskState, Workspace
from desktop.services.context import AppContext
from desktop.services.errors import Conflict, UserError
from desktop.services.placement import image_for

Progress = Callable[[float | None, str], None]


@dataclass(frozen=True)
class MovedWorkspace:
    workspace: Workspace
    carried: bool  # the volumes' content came along (else the next task sends the folder again)
    carried_bytes: int = 0
    old_left: bool = False  # the old engine did not answer: its container goes at a later reconcile


def move_workspace(ctx: AppContext, workspace: Workspace, target: str,
                   progress: Progress | None = None) -> MovedWorkspace:
    from desktop.containers.volume_copy import copy_folder
    from desktop.containers.workspace_container import CLAUDE_HOME, WORKDIR

    report = progress or (lambda fraction, line: None)
    if target == workspace.engine:
        raise UserError(f"{workspace.name} already lives on the engine {target!r}")
    busy = ctx.db.tasks.list(workspace.id, states=(TaskState.QUEUED, TaskState.RUNNING), limit=1)
    if busy:
        raise Conflict(f"a task of {workspace.name} is queued or running ({busy[0].id}): "
                       "wait for it to end or cancel it, then move the workspace")
    moved = replace(workspace, engine=target)
    image_for(ctx, moved, report)
    new = ctx.containers_of(moved)
    new.remove(moved.id)  # what an earlier stay there left, if anything
    report(None, f"Making the container of {workspace.name} on the engine {target!r}")
    made = new.ensure(moved)

    old = None
    carried, total = False, 0
    try:
        old = ctx.containers_of(workspace)
        found = old.info(workspace.id)
        if found is not None:
            for folder, what in ((WORKDIR, "the working copy"), (CLAUDE_HOME, "Claude's sessions")):
                report(None, f"Carrying over {what}")
                total += copy_folder(old.engine, found.id, new.engine, made.id, folder,
                                     lambda sent, w=what: report(None, f"Carrying over {w}: {sent >> 20} MB"))
            carried = True
    except EngineUnavailable:
        pass  # the old engine is gone: the folder is sent again at the next task
    if not carried:
        ctx.manifests.forget(workspace.id)
    ctx.db.workspaces.update(moved)
    old_left = False
    try:
        if old is not None:
            old.remove(workspace.id)
    except EngineUnavailable:
        old_left = True
    ctx.record("workspace.moved", workspace.id, f"{workspace.engine} -> {target}")
    return MovedWorkspace(moved, carried, total, old_left)
