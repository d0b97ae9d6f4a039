"""Make sure git reads the patch exactly as our parser does.

Our checks run on our parser's file list, but git writes the files. Any
difference between the two readings (a path hidden from one of them, a
miscounted hunk) would let a crafted patch slip past the checks, so we ask
git for its own list (``git apply --numstat``) and refuse on any mismatch.
"""

from __future__ import annotations

from pathlib import Path

from desktop.hostgit.errors import PatchFormatError
from desktop.hostgit.patch.git import IsolatedGit
from desktop.hostgit.patch.model import PatchFile
from desktop.hostgit.patch.quote import decode_path, printable

_Row = tuple[int | None, int | None, str]


def read_numstat(output: bytes) -> list[_Row]:
    """Parse ``git apply --numstat -z``: "added<TAB>deleted<TAB>path<NUL>"."""
    rows: list[_Row] = []
    for record in output.split(b"\0"):
        if not record:
            continue
        added, deleted, path = record.split(b"\t", 2)
        rows.append((_count(added), _count(deleted), decode_path(path)))
    return rows


def _count(field: bytes) -> int | None:
    return None if field == b"-" else int(field)


def cross_check(git: IsolatedGit, patch: bytes, files: list[PatchFile], work_tree: Path) -> None:
    result = git.apply(patch, work_tree, "--numstat", "-z")
    if result.returncode != 0:
        raise PatchFormatError(
            "git cannot read the patch, so it was not applied. git said:\n"
            + printable(result.stderr.strip())
        )
    try:
        theirs = read_numstat(result.stdout)
    except ValueError as exc:
        raise PatchFormatError("git's reading of the patch could not be understood.") from exc
    ours = [(f.insertions, f.deletions, f.path) for f in files]
    if theirs != ours:
        raise PatchFormatError(
            "The patch is ambiguous: git reads it differently from the app's checks, "
            "so it was not applied. Make it with an unmodified `git diff --binary`."
        )
