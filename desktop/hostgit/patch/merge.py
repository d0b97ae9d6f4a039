"""A three-way merge of one file, for a change that no longer applies.

Base: the file as the task started from it; theirs: the base with the
task's hunks applied; ours: the file in the person's folder now. git's
``merge-file`` runs on copies in a temporary folder with no configuration,
and its conflict markers name each side.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from pathlib import Path

from desktop.hostgit.errors import PatchError
from desktop.hostgit.gitenv import ISOLATED_CONFIG, config_args, git_executable, isolated_env
from desktop.hostgit.patch.git import isolated_git
from desktop.hostgit.patch.model import RawHunk

MERGE_TIMEOUT_SECONDS = 60.0
LABELS = ("your folder", "task start", "the task")


def blob_id(data: bytes, length: int = 40) -> str:
    """git's id of a file's content, to check content fetched from the container."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()[:length]


def apply_to_base(base: bytes, hunks: list[RawHunk]) -> bytes:
    """``base`` with ``hunks`` (of one file) applied, in a throw-away folder."""
    patch = b"diff --git a/f b/f\n--- a/f\n+++ b/f\n" + b"".join(h.text for h in hunks)
    with isolated_git() as git, tempfile.TemporaryDirectory(prefix="aicode-merge-") as temp:
        root = Path(temp)
        (root / "f").write_bytes(base)
        if git.apply(patch, root).returncode != 0:
            raise PatchError("The task's change does not apply to the file it started from")
        return (root / "f").read_bytes()


def merge_file(ours: bytes, base: bytes, theirs: bytes) -> tuple[bytes, int]:
    """(the merged content with conflict markers, how many conflicts)."""
    with tempfile.TemporaryDirectory(prefix="aicode-merge-") as temp:
        root = Path(temp)
        for name, data in (("ours", ours), ("base", base), ("theirs", theirs)):
            (root / name).write_bytes(data)
        labels = [arg for label in LABELS for arg in ("-L", label)]
        try:
            done = subprocess.run(
                [git_executable(), *config_args(ISOLATED_CONFIG), "merge-file", "-p", *labels,
                 "ours", "base", "theirs"],
                cwd=root, env=isolated_env(root), capture_output=True, timeout=MERGE_TIMEOUT_SECONDS, check=False,
            )
        except subprocess.TimeoutExpired:
            raise PatchError("The three-way merge took too long and was stopped") from None
        if done.returncode < 0 or done.returncode > 127:
            raise PatchError("git could not merge the file (is it binary?)")
        return done.stdout, done.returncode
