"""Deciding how a task's working copy is prepared, and sending what it needs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from desktop.agent.task_script import PrepareMode, base_ref, result_ref
from desktop.containers.engine import Engine
from desktop.containers.files import put_archive
from desktop.containers.workspace_container import WORKDIR
from desktop.domain import Task, Workspace
from desktop.services.errors import UserError
from desktop.services.folder_states import FolderStates
from desktop.snapshots.archive import stream_stage
from desktop.snapshots.exclusions import Exclusions
from desktop.snapshots.manifest import Entry, Manifest, ManifestStore


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
        current = folders.current(workspace.id, source, Exclusions(workspace.excluded))
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
    blocks = stream_stage(task.id, Path(workspace.source_path), plan.manifest, list(plan.changed),
                          list(plan.deleted))
    try:
        put_archive(engine, container_id, WORKDIR, blocks)
    finally:
        blocks.close()  # a refused stream: its writer ends on the closed pipe


# An entry no folder has: its path compares as changed (sent again if the
# folder has it) or as deleted (removed from the container if not).
STALE: Entry = ("?", 0, 0, 0, "")


def forget_ignored(manifests: ManifestStore, workspace_id: str, listing: bytes, cap: int) -> None:
    """Make the paths of ``listing`` (NUL-separated, from the container: hostile)
    count as changed in the workspace's last manifest; past ``cap`` (or
    anything not a plain relative path), the next task copies the folder whole."""
    if not listing:
        return
    paths = [os.fsdecode(raw) for raw in listing.split(b"\0") if raw]
    if len(listing) > cap or any(_unsafe(path) for path in paths):
        manifests.forget(workspace_id)
        return
    last = manifests.load(workspace_id)
    if last is None:
        return  # the next task copies the folder whole anyway
    stale = {path.rstrip("/") for path in paths}
    # A folder the agent changed (a file created, removed or renamed in it) is
    # sent again whole: what went from it shows nowhere else.
    folders = {path for path in stale if last.entries.get(path, STALE)[0] == "d"}
    if folders:
        stale |= {path for path in last.entries if _inside_any(path, folders)}
    for path in stale:
        last.entries[path] = STALE
    manifests.save(workspace_id, last)


def _inside_any(path: str, folders: set[str]) -> bool:
    parts = path.split("/")
    return any("/".join(parts[:i]) in folders for i in range(1, len(parts)))


def _unsafe(path: str) -> bool:
    parts = path.rstrip("/").split("/")
    return path.startswith("/") or any(part in ("", ".", "..") for part in parts)
