"""At start-up: settle what happened while no app process was watching.

- Tasks marked running whose owning process is gone are marked failed with
  the reason (their stored events are kept).
- Containers and volumes of workspaces that no longer exist are removed.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from desktop.domain import EventKind, Task, TaskState
from desktop.domain.approvals import Decision
from desktop.services.context import AppContext

log = logging.getLogger(__name__)


@dataclass
class ReconcileReport:
    failed_tasks: list[str] = field(default_factory=list)
    removed_containers: list[str] = field(default_factory=list)
    removed_volumes: list[str] = field(default_factory=list)


def _owner(ctx: AppContext, task: Task) -> tuple[int | None, str | None]:
    for event in reversed(ctx.db.events.list(task.id)):
        if event.kind is EventKind.STATE and event.data.get("owner_pid"):
            return int(event.data["owner_pid"]), event.data.get("owner_host")
    return None, None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def orphaned_tasks(ctx: AppContext) -> list[tuple[Task, str]]:
    """Running tasks whose owner process is gone, with the reason."""
    here = socket.gethostname()
    found = []
    for task in ctx.db.tasks.running():
        pid, host = _owner(ctx, task)
        # Claiming a task records its owner in the same transaction, so a task
        # without one predates that: nobody can be running it.
        if pid is None:
            found.append((task, "AICode Manager stopped before this task's agent started"))
        elif host == here and not _alive(pid):
            found.append((task, f"AICode Manager (process {pid}) stopped while this task ran; "
                                "the events received until then are kept"))
    return found


def reconcile_tasks(ctx: AppContext, report: ReconcileReport, with_engine: bool) -> None:
    from desktop.containers.errors import EngineError
    from desktop.services.agent_channel import AgentChannel

    for task, reason in orphaned_tasks(ctx):
        if _talking(ctx, task):
            # Its agent waits in the container for an answer (or just got
            # one): a long-lived app process takes it over (adopt_orphans),
            # unless the engine says the agent is gone.
            if not with_engine:
                continue
            try:
                if AgentChannel(ctx, task).alive():
                    continue
            except EngineError:
                continue
        _fail(ctx, task, reason, report)


def _talking(ctx: AppContext, task: Task) -> bool:
    """The task waits for the user, or was answered since its process quit."""
    if task.waiting:
        return True
    owner_seq = 0
    for event in ctx.db.events.list(task.id):
        if event.kind is EventKind.STATE and event.data.get("owner_pid"):
            owner_seq = event.seq
        elif event.kind is EventKind.DECISION and owner_seq and event.seq > owner_seq:
            return True
    return False


def _fail(ctx: AppContext, task: Task, reason: str, report: ReconcileReport) -> None:
    from desktop.store import StaleState

    try:
        failed = ctx.db.tasks.update(task.id, expected_state=TaskState.RUNNING, state=TaskState.FAILED,
                                     finished_at=datetime.now(), error=reason)
    except StaleState:
        return
    ctx.db.events.append(task.id, EventKind.STATE, {"state": "failed", "message": reason})
    for request in ctx.db.requests.waiting(task.id):
        ctx.db.requests.decide(task.id, request.request_id, Decision.WITHDRAWN)
    failed = ctx.db.tasks.get(task.id)
    ctx.record("task.finished", task.id)
    ctx.hub.publish_task(failed)
    report.failed_tasks.append(task.id)
    _stop_leftovers(ctx, task)


def adopt_orphans(ctx: AppContext, adopt: "Callable[[Task], None]") -> list[str]:
    """Take over the tasks whose process quit while their agent goes on in
    its container (waiting for an answer, or still working); fail the others.
    Needs the engine; for long-lived processes (the GUI, the warm service)."""
    from desktop.services.agent_channel import AgentChannel

    adopted = []
    for task, reason in orphaned_tasks(ctx):
        pid, host = _owner(ctx, task)
        if pid is None or not _talking(ctx, task):
            continue  # reconcile_tasks fails those
        if not AgentChannel(ctx, task).alive():
            _fail(ctx, task, reason, ReconcileReport())
            continue
        if _claim(ctx, task, pid):
            adopt(ctx.db.tasks.get(task.id))
            adopted.append(task.id)
    return adopted


def _claim(ctx: AppContext, task: Task, dead_pid: int) -> bool:
    """Record this process as the task's owner unless another took it first."""
    with ctx.db.write():
        if _owner(ctx, task)[0] != dead_pid or ctx.db.tasks.get(task.id).is_final:
            return False
        ctx.db.events.append(task.id, EventKind.STATE, {
            "state": "adopted", "message": "Taken over by this app process after the one running it quit",
            "owner_pid": os.getpid(), "owner_host": socket.gethostname(),
        })
    return True


def _stop_leftovers(ctx: AppContext, task: Task) -> None:
    """The agent of a task nobody watches any more is stopped."""
    from desktop.agent.task_script import cancel_argv
    from desktop.containers.errors import EngineError
    from desktop.containers.exec import run

    try:
        info = ctx.containers_of(task.workspace_id).info(task.workspace_id)
        if info is not None:
            run(ctx.engine_of(task.workspace_id), info.id, cancel_argv(task.id, "KILL"))
    except (EngineError, LookupError):  # the engine gone, or removed from the list
        pass


def reconcile_containers(ctx: AppContext, report: ReconcileReport) -> None:
    """Remove what this installation made on each engine for a workspace that
    is gone or now lives on another engine. An added engine that does not
    answer is passed over (it is looked at again next time); the local one
    not answering is the caller's error, as before."""
    from desktop.containers.errors import EngineUnavailable
    from desktop.domain.engines import LOCAL

    placed = {w.id: w.engine for w in ctx.db.workspaces.list()}
    for name in (LOCAL, *(spec.name for spec in ctx.db.engines.list())):
        try:
            _reconcile_engine(ctx, name, placed, report)
        except EngineUnavailable as error:
            if name == LOCAL:
                raise
            log.info("engine %s not reconciled: %s", name, error)


def _reconcile_engine(ctx: AppContext, name: str, placed: dict[str, str], report: ReconcileReport) -> None:
    containers = ctx.containers_on(name)
    # Listed before the containers go, so the volumes removed with them are reported too.
    orphan_volumes = [v for v in containers.owned_volumes() if placed.get(v.workspace_id) != name]
    for info in containers.owned():
        if placed.get(info.workspace_id) != name:
            containers.remove(info.workspace_id)  # the container and its volumes
            report.removed_containers.append(info.id)
    for volume in orphan_volumes:
        containers.remove_volume(volume.name)  # a no-op if removed with its container
        report.removed_volumes.append(volume.name)


def reconcile(ctx: AppContext, with_engine: bool = True) -> ReconcileReport:
    report = ReconcileReport()
    reconcile_tasks(ctx, report, with_engine)
    if with_engine:
        from desktop.containers.errors import EngineUnavailable

        try:
            reconcile_containers(ctx, report)
        except EngineUnavailable as error:
            log.info("containers not reconciled: %s", error)
    return report
