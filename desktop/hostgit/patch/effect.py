"""What a binary patch really does to a file, for files that are text.

An agent can have git send a text file as binary (an attributes file of its
own, never part of the patch): the diff would show "binary" while Apply
writes code. So a binary entry is applied to a scratch copy of the person's
file (git with no configuration, as for every patch) and, when before and
after are both text, the review shows the text diff between them.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from desktop.hostgit.gitenv import ISOLATED_CONFIG, config_args, git_executable, isolated_env
from desktop.hostgit.patch.git import isolated_git
from desktop.hostgit.patch.model import ChangeKind, PatchFile, RawHunk

MAX_TEXT_BYTES = 8 * 1024 * 1024
DIFF_TIMEOUT_SECONDS = 60.0


def text_hunks(item: PatchFile, before: bytes | None) -> tuple[RawHunk, ...] | None:
    """The text hunks of a binary entry's effect on ``before`` (the person's
    file now; None when it is not there); None when either side is not text
    or the entry does not apply to it."""
    if not item.binary or (before is None and item.kind is not ChangeKind.ADDED):
        return None
    old = b"" if item.kind is ChangeKind.ADDED else before or b""
    new = b"" if item.kind is ChangeKind.DELETED else _applied(item, old)
    if new is None or not (_is_text(old) and _is_text(new)):
        return None
    return _text_diff(old, new)


def _applied(item: PatchFile, old: bytes) -> bytes | None:
    source = item.old_path or item.path
    with isolated_git() as git, tempfile.TemporaryDirectory(prefix="aicode-effect-") as temp:
        root = Path(temp)
        if item.kind is not ChangeKind.ADDED:
            (root / source).parent.mkdir(parents=True, exist_ok=True)
            (root / source).write_bytes(old)
        if git.apply(item.body, root).returncode != 0:
            return None
        result = root / item.path
        return result.read_bytes() if result.is_file() and not result.is_symlink() else None


def _is_text(data: bytes) -> bool:
    if len(data) > MAX_TEXT_BYTES or b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text_diff(old: bytes, new: bytes) -> tuple[RawHunk, ...]:
    from desktop.hostgit.patch.parse import parse_patch

    with tempfile.TemporaryDirectory(prefix="aicode-effect-") as temp:
        root = Path(temp)
        (root / "a").write_bytes(old)
        (root / "b").write_bytes(new)
        done = subprocess.run(
            [git_executable(), *config_args(ISOLATED_CONFIG), "diff", "--no-index", "--no-color", "--no-ext-diff",
             "--no-textconv", "--text", "--full-index", "a", "b"],
            cwd=root, env=isolated_env(root), capture_output=True, timeout=DIFF_TIMEOUT_SECONDS, check=False,
        )
    start = done.stdout.find(b"\n@@ ")
    if done.returncode not in (0, 1) or start < 0:
        return ()
    # Its header names two files ("a", "b"): the hunks are what we want.
    (item,) = parse_patch(b"diff --git a/f b/f\nindex 0..1 100644\n--- a/f\n+++ b/f" + done.stdout[start:])
    return item.hunks


# Attributes for the scratch repository, above any .gitattributes a patch
# brings: nothing decides for git how a file is diffed, filtered or encoded.
_NEUTRAL_ATTRIBUTES = "* !diff !text !eol !filter !merge !ident !working-tree-encoding\n"


def effect_patch(patch: bytes, files: list[PatchFile], folder: Path) -> bytes | None:
    """What ``patch`` really does to ``folder``, as the canonical patch host
    git writes from the bytes before and after: the patch is applied to a
    scratch copy of the files it touches, then diffed. None when it does not
    apply to the folder as it is (a conflict). ``files`` are the patch's
    files, already checked by the rules and against the folder's tree."""
    with isolated_git() as git, tempfile.TemporaryDirectory(prefix="aicode-effect-") as temp:
        scratch = Path(temp)
        for path in dict.fromkeys(p for item in files for p in item.read_paths):
            _copy(folder, scratch, path)
        (git.git_dir / "info").mkdir(exist_ok=True)
        (git.git_dir / "info" / "attributes").write_text(_NEUTRAL_ATTRIBUTES, encoding="ascii")
        added = git.run(scratch, "add", "-A", "-f")
        before = git.run(scratch, "write-tree")
        if added.returncode != 0 or before.returncode != 0:
            return None
        if git.apply(patch, scratch, "--index").returncode != 0:
            return None
        done = git.run(scratch, "-c", "core.quotePath=true", "diff-index", "--cached", "-p", "--binary",
                       "--full-index", "--find-renames", "--no-color", "--no-ext-diff", "--no-textconv",
                       "--src-prefix=a/", "--dst-prefix=b/", before.stdout.decode().strip())
        return done.stdout if done.returncode == 0 else None


def _copy(folder: Path, scratch: Path, path: str) -> None:
    """One file of the person's folder into the scratch tree, as it is: a
    symlink as a symlink (never followed), a file with its executable bit."""
    import os
    import stat

    source, target = folder / path, scratch / path
    try:
        info = os.lstat(source)
    except (FileNotFoundError, NotADirectoryError):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if stat.S_ISLNK(info.st_mode):
        os.symlink(os.readlink(source), target)
    elif stat.S_ISREG(info.st_mode):
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            target.write_bytes(handle.read())
        target.chmod(0o755 if info.st_mode & 0o100 else 0o644)
