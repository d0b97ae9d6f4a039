"""Deciding how a task's working copy is prepared, and sending what it needs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.agent.task_script import PrepareMode, base_ref, result_ref
from desktop.containers.engine import Engine
from desktop.containers.files import put_archive
from desktop.containers.workspace_container import WORKDIR
from desktop.domain import Task, Workspace
from desktop.services.errors import UserError
from desktop.services.folder_states import FolderStates
from desktop.snapshots.archive import build_stage
from desktop.snapshots.manifest import Manifest, ManifestStore


@dataclass(frozen=True)
class Plan:
    mode: PrepareMode
    from_ref: str
    diff_base: str
    # Saved once the container reports the base made (FULL, INCREMENTAL, SAME).
    manifest: Manifest | None = None
    changed: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()


def plan_fresh(task: Task, workspace: Workspace, manifests: ManifestStore, folders: FolderStates,
               full: bool = False) -> Plan:
    source = Path(workspace.source_path)
    if not source.is_dir():
        raise UserError(
            f"The folder of workspace '{workspace.name}' is gone: {source} — "
            "restore it, or remove the workspace"
        )
    try:
        current = folders.current(workspace.id, source)
    except OSError as error:
        raise UserError(f"The folder {source} cannot be read: {error.strerror or error}") from None
    diff_base = base_ref(task.id)
    current.base_ref = diff_base
    last = None if full else manifests.load(workspace.id)
    if last is None or not last.base_ref:
        return Plan(PrepareMode.FULL, "", diff_base, current, tuple(sorted(current.entries)))
    if current.entries == last.entries:
        # Nothing to save either: the last base still holds exactly this.
        return Plan(PrepareMode.SAME, last.base_ref, diff_base)
    changed, deleted = last.changes(current)
    return Plan(PrepareMode.INCREMENTAL, last.base_ref, diff_base, current, tuple(changed), tuple(deleted))


def plan_follow_up(parent: Task, root_id: str) -> Plan:
    return Plan(PrepareMode.RESUME, result_ref(parent.id), base_ref(root_id))


def send_stage(engine: Engine, container_id: str, task: Task, workspace: Workspace, plan: Plan) -> None:
    """Put the changed files into the container's volume (no-op when none)."""
    if plan.mode not in (PrepareMode.FULL, PrepareMode.INCREMENTAL) or plan.manifest is None:
        return
    stage = build_stage(task.id, Path(workspace.source_path), plan.manifest, list(plan.changed), list(plan.deleted))
    with stage:
        put_archive(engine, container_id, WORKDIR, stage)
