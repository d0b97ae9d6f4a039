"""Taking a task's patches from its container: the files the task script
left in a fixed folder, read through the engine in one request with a size
cap (no process of the container serves them, and the agent chose their size)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.agent import task_script
from desktop.containers.engine import Engine
from desktop.containers.files import FileTooLarge, read_folder
from desktop.services.errors import UserError

# A larger change is refused rather than held in memory.
MAX_PATCH_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Collected:
    whole: bytes  # the whole change
    step: bytes | None  # a follow-up's own step
    ignored: bytes  # the paths the agent changed that git ignores, NUL-separated (hostile: checked by the reader)


def collect_patches(engine: Engine, container_id: str, task_id: str, code: int, resume: bool) -> Collected:
    if code in task_script.COLLECT_FAILED_EXITS:
        raise UserError(f"The agent's changes could not be collected (exit code {code}): the workspace's "
                        "git repository in the container is damaged; recreate the container")
    cap = 2 * MAX_PATCH_BYTES + task_script.MAX_IGNORED_BYTES + 1
    too_large = UserError(f"The agent's change is larger than {MAX_PATCH_BYTES // 2**20} MB: it was not "
                          "taken. Ask for a smaller change, or look at it with 'aicode task compare'")
    try:
        files = read_folder(engine, container_id, task_script.collected_dir(task_id), cap)
    except FileTooLarge:
        raise too_large from None
    if "patch" not in files:
        raise UserError("The agent's changes could not be collected (the task left no patch): "
                        "recreate the workspace's container")
    whole, step = files["patch"], files.get("step.patch", b"") if resume else None
    if max(len(whole), len(step or b"")) > MAX_PATCH_BYTES:
        raise too_large
    return Collected(whole, step, files.get("ignored", b""))
