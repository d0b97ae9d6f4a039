"""Taking a task's patches from its container: the files the task script
left at fixed paths, read through the engine with a size cap (no process of
the container serves them, and the agent chose their size)."""

from __future__ import annotations

from desktop.agent import task_script
from desktop.containers.engine import Engine
from desktop.containers.files import FileTooLarge, read_file
from desktop.services.errors import UserError

# A larger change is refused rather than held in memory.
MAX_PATCH_BYTES = 64 * 1024 * 1024


def collect_patches(engine: Engine, container_id: str, task_id: str, code: int,
                    resume: bool) -> tuple[bytes | None, bytes | None]:
    """(the whole change, a follow-up's own step when ``resume``)."""
    if code in task_script.COLLECT_FAILED_EXITS:
        raise UserError(f"The agent's changes could not be collected (exit code {code}): the workspace's "
                        "git repository in the container is damaged; recreate the container")
    try:
        whole = read_file(engine, container_id, task_script.patch_path(task_id), MAX_PATCH_BYTES)
        step = read_file(engine, container_id, task_script.patch_path(task_id, step=True),
                         MAX_PATCH_BYTES) if resume else None
    except FileTooLarge:
        raise UserError(f"The agent's change is larger than {MAX_PATCH_BYTES // 2**20} MB: it was not "
                        "taken. Ask for a smaller change, or look at it with 'aicode task compare'") from None
    return whole, step
