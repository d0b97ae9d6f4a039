"""Reading and committing in the person's own folder (never the agent's copy).

Lines are read only from plain files inside the folder (a symlink, or a
path through one, is not followed). Commits run the person's own git, with
their identity and hooks: it is their repository.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from desktop.services.errors import UserError

GIT_TIMEOUT_SECONDS = 120.0
MAX_READ_BYTES = 16 * 1024 * 1024


def read_lines(folder: Path, path: str) -> list[str] | None:
    data = read_bytes(folder, path)
    return None if data is None else data.decode("utf-8", "surrogateescape").splitlines()


def read_bytes(folder: Path, path: str) -> bytes | None:
    """A plain file's bytes; None when missing, too large, or reached through a symlink."""
    root = os.path.realpath(folder)
    full = os.path.join(root, path)
    if os.path.realpath(full) != os.path.normpath(full) or not full.startswith(root + os.sep):
        return None  # through a symlink, or outside the folder
    try:
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not os.path.isfile(full):
            return None
        data = handle.read(MAX_READ_BYTES + 1)
    return None if len(data) > MAX_READ_BYTES else data


def is_git_work_tree(folder: Path) -> bool:
    try:
        done = subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
                              capture_output=True, text=True, timeout=GIT_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.strip() == "true"


def commit_paths(folder: Path, paths: list[str], message: str) -> str:
    """Stage and commit only ``paths``; what else is staged stays staged."""
    if not is_git_work_tree(folder):
        raise UserError(f"{folder} is not a git repository: there is nothing to commit to")

    def git(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        try:
            # Literal pathspecs: a file named "*.py" is that file, not a pattern.
            return subprocess.run(["git", "--literal-pathspecs", "-C", str(folder), *args], input=stdin,
                                  capture_output=True, timeout=GIT_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise UserError("git did not finish within two minutes (a slow commit hook?); nothing was committed") from None
        except OSError as error:
            raise UserError(f"git could not run: {error.strerror}") from None

    listed = b"\0".join(p.encode("utf-8", "surrogateescape") for p in paths)
    added = git("add", "-A", "--pathspec-from-file=-", "--pathspec-file-nul", stdin=listed)
    if added.returncode != 0:
        raise UserError(f"git could not stage the applied files: {_said(added)}")
    done = git("commit", "--only", "-F", "-", "--", *paths, stdin=message.encode())
    if done.returncode != 0:
        raise UserError(f"git did not commit: {_said(done)}")
    head = git("rev-parse", "HEAD")
    return head.stdout.decode().strip()


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    from desktop.domain.review import visible

    text = (result.stderr or result.stdout).decode("utf-8", "replace").strip()
    return visible(text.splitlines()[-1] if text else f"exit code {result.returncode}")
