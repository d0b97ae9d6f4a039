"""Each task's end state stays in its workspace's volume (a git ref in the
container): comparing two of them runs git there, never on the host."""

from __future__ import annotations

from desktop.agent.task_script import result_ref
from desktop.domain import Workspace
from desktop.services.context import AppContext
from desktop.services.errors import UserError

# A comparison larger than this is refused rather than held in memory.
MAX_COMPARE_BYTES = 64 * 1024 * 1024
_DIFF = ["git", "-c", "core.quotePath=true", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false",
         "diff", "--binary", "--full-index", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames",
         "--src-prefix=a/", "--dst-prefix=b/"]


def diff_results(ctx: AppContext, workspace: Workspace, first: str, second: str) -> bytes:
    """``git diff`` of two tasks' end states in the workspace's container.

    The container is the agent's, so its answer is checked like any patch
    from there: it must parse as one (the caller shows it through the same
    safe printer as a task's own change).
    """
    from desktop.containers.exec import ExecStream
    from desktop.hostgit.errors import PatchFormatError
    from desktop.hostgit.patch.parse import parse_patch

    info = ctx.containers_of(workspace).ensure(workspace)
    stream = ExecStream(ctx.engine_of(workspace), info.id, [*_DIFF, result_ref(first), result_ref(second), "--"])
    output = bytearray()
    try:
        for stdout, _stderr in stream.chunks():
            output += stdout or b""
            if len(output) > MAX_COMPARE_BYTES:  # read no further: the agent chose these files
                raise UserError(f"The difference is larger than {MAX_COMPARE_BYTES // 2**20} MB")
    finally:
        stream.close()
    if stream.exit_code() != 0:
        raise UserError(
            f"The end states of tasks {first} and {second} are not both in the container of "
            f"'{workspace.name}' any more (it was recreated from scratch, or a task never started)"
        )
    try:
        parse_patch(bytes(output))
    except PatchFormatError as error:
        raise UserError(f"The container gave a comparison that is not a patch: {error}") from None
    return bytes(output)


MAX_BLOB_BYTES = 16 * 1024 * 1024


def read_blob(ctx: AppContext, workspace: Workspace, blob: str) -> bytes:
    """A file's content as the task started from it, by its git id, from the
    workspace's container; checked against the id, so the container cannot
    hand over other bytes."""
    from desktop.containers.exec import ExecStream
    from desktop.hostgit.patch.merge import blob_id

    if not (7 <= len(blob) <= 64 and all(c in "0123456789abcdef" for c in blob)):
        raise UserError(f"{blob!r} is not a git object id")
    info = ctx.containers_of(workspace).ensure(workspace)
    stream = ExecStream(ctx.engine_of(workspace), info.id, ["git", "cat-file", "blob", blob])
    data = bytearray()
    try:
        for stdout, _stderr in stream.chunks():
            data += stdout or b""
            if len(data) > MAX_BLOB_BYTES:
                raise UserError("The file is too large to merge here")
    finally:
        stream.close()
    if stream.exit_code() != 0 or not blob_id(bytes(data)).startswith(blob):
        raise UserError("The file as the task started from it is no longer in the workspace's container")
    return bytes(data)
