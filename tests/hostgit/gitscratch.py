"""Real git repositories in tmp_path, to produce realistic patches."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Link:
    target: str


@dataclass(frozen=True)
class Exe:
    data: bytes


# A tree: relative path -> file bytes, Exe(bytes) for an executable, Link(target).
Tree = dict[str, "bytes | Exe | Link"]

# A tiny PNG-like blob: binary (NUL bytes), so git writes a binary patch.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def git_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
    )
    return env


def git(cwd: Path, *args: str) -> bytes:
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env=git_env(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


def write_tree(root: Path, tree: Tree) -> None:
    for rel, content in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(path):
            path.unlink()
        if isinstance(content, Link):
            os.symlink(content.target, path)
        elif isinstance(content, Exe):
            path.write_bytes(content.data)
            path.chmod(0o755)
        else:
            path.write_bytes(content)
            path.chmod(0o644)


def read_tree(root: Path, skip_git: bool = True) -> dict[str, object]:
    """Everything under ``root`` (except .git): type, bytes or link target, mode."""
    state: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        if skip_git and ".git" in dirnames:
            dirnames.remove(".git")
        for name in dirnames + filenames:
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            info = os.lstat(full)
            if stat.S_ISLNK(info.st_mode):
                state[rel] = ("link", os.readlink(full))
            elif stat.S_ISDIR(info.st_mode):
                state[rel] = ("dir",)
            else:
                state[rel] = ("file", full.read_bytes(), stat.S_IMODE(info.st_mode) & 0o111 != 0)
    return state


class Scratch:
    """A scratch repository: commit a 'before' tree, change it, take the patch."""

    def __init__(self, path: Path, before: Tree) -> None:
        self.path = path
        path.mkdir(parents=True)
        git(path, "init", "-q")
        write_tree(path, before)
        git(path, "add", "-A")
        git(path, "commit", "-q", "--allow-empty", "-m", "before")

    def copy_before(self, dest: Path) -> Path:
        """The 'before' tree as the user's folder (no .git)."""
        shutil.copytree(self.path, dest, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        return dest

    def write(self, tree: Tree) -> None:
        write_tree(self.path, tree)

    def remove(self, *paths: str) -> None:
        for rel in paths:
            (self.path / rel).unlink()
            self._prune((self.path / rel).parent)

    def rename(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        os.rename(self.path / old, self.path / new)
        self._prune((self.path / old).parent)

    def _prune(self, directory: Path) -> None:
        # Like git apply: a directory emptied by the change goes away.
        while directory != self.path and not any(directory.iterdir()):
            directory.rmdir()
            directory = directory.parent

    def patch(self, *extra: str) -> bytes:
        git(self.path, "add", "-A")
        return git(self.path, "diff", "--cached", "--binary", "-M", *extra, "HEAD")


def retarget(patch: bytes, old: str, new: str) -> bytes:
    """Rename a path inside patch text (to craft what git would never write)."""
    for prefix in (b"a/", b"b/", b"from ", b"to "):
        patch = patch.replace(prefix + old.encode(), prefix + new.encode())
    return patch
