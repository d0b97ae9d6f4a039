"""Run ``git apply`` on the host with nothing but the patch and the folder.

git is needed for binary patches, but the folder may be (or sit inside) a
git repository whose config could name commands (``core.fsmonitor``,
``core.hooksPath``, filter drivers). So git never discovers a repository:
it gets a fresh, empty git directory of our own (``--git-dir``), the folder
as ``--work-tree``, the folder as its current directory (so paths are
relative to the folder, not to an enclosing repository), and an environment
in which no system, global or user configuration exists.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from desktop.hostgit.errors import PatchError
from desktop.hostgit.gitenv import ISOLATED_CONFIG, config_args, git_executable, isolated_env

# git apply is fast; this only stops a wedged process.
DEFAULT_TIMEOUT = 300.0


@dataclass(frozen=True)
class GitResult:
    returncode: int
    stdout: bytes
    stderr: str


@dataclass(frozen=True)
class IsolatedGit:
    """A throw-away git directory and home, made by ``isolated_git()``."""

    git_dir: Path
    home: Path

    def apply(
        self,
        patch: bytes,
        work_tree: Path,
        *options: str,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> GitResult:
        # The patch comes on stdin, never from a path.
        return self.run(work_tree, "apply", "-p1", "--whitespace=nowarn", *options, "-", stdin=patch, timeout=timeout)

    def run(self, work_tree: Path, *args: str, stdin: bytes = b"", timeout: float = DEFAULT_TIMEOUT) -> GitResult:
        """Any git command on ``work_tree`` with this throw-away git directory."""
        command = [
            git_executable(),
            f"--git-dir={self.git_dir}",
            f"--work-tree={work_tree}",
            *config_args(ISOLATED_CONFIG),
            *args,
        ]
        try:
            done = subprocess.run(
                command,
                input=stdin,
                cwd=work_tree,
                env=isolated_env(self.home),
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PatchError(
                f"git {args[0]} did not finish within {timeout:g} seconds and was stopped. "
                "Nothing was changed; try again."
            ) from exc
        except OSError as exc:
            raise PatchError(f"Could not run git ({exc.strerror}). Is git installed?") from exc
        return GitResult(
            done.returncode, done.stdout, done.stderr.decode("utf-8", "surrogateescape")
        )


@contextmanager
def isolated_git() -> Iterator[IsolatedGit]:
    with tempfile.TemporaryDirectory(prefix="aicode-apply-") as temp:
        root = Path(temp)
        git_dir = root / "git"
        # The least git accepts as a repository, made by hand: `git init`
        # would copy templates (sample hooks) we have no use for. No config
        # file, so core.bare stays unset and --work-tree is honoured.
        (git_dir / "objects").mkdir(parents=True)
        (git_dir / "refs").mkdir()
        (git_dir / "HEAD").write_text("ref: refs/heads/main\n", encoding="ascii")
        home = root / "home"
        home.mkdir()
        yield IsolatedGit(git_dir, home)
