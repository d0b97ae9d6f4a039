"""The environment and executable for every git the host runs.

Inherited ``GIT_*`` variables are dropped: ``GIT_DIR``, ``GIT_WORK_TREE``,
``GIT_CONFIG_PARAMETERS`` and friends (set when the app is started from a git
hook or a shell that exported them) would silently point git elsewhere or
inject configuration.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def git_executable() -> str:
    # GitPython already resolved it (honouring GIT_PYTHON_GIT_EXECUTABLE).
    import git  # lazy: importing GitPython probes for the git binary

    return str(git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git")


def _without_git_variables(base: Mapping[str, str]) -> dict[str, str]:
    return {key: value for key, value in base.items() if not key.upper().startswith("GIT_")}


# Where the clone's credential helper reads an https address's user info
# (desktop/hostgit/clone/credentials.py); never inherited.
CLONE_CREDENTIAL_PREFIX = "AICODE_CLONE_"


def clone_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """For ``git clone``: the user's own git config stays (credential helpers,
    proxies), but git must never wait for a password on a terminal nobody sees,
    and never fetch LFS objects a repository's own ``.lfsconfig`` points at.
    """
    env = {
        key: value
        for key, value in _without_git_variables(os.environ if base is None else base).items()
        if not key.upper().startswith(CLONE_CREDENTIAL_PREFIX)
    }
    env.update(
        GIT_TERMINAL_PROMPT="0",
        # git-lfs would download whatever the cloned repository's .lfsconfig
        # names, from any server; the pointers are checked out instead.
        GIT_LFS_SKIP_SMUDGE="1",
        # BatchMode: fail instead of prompting for a passphrase or host key.
        # The timeouts turn a silent network into an error, not a hang.
        GIT_SSH_COMMAND=(
            "ssh -o BatchMode=yes -o ConnectTimeout=30 "
            "-o ServerAliveInterval=15 -o ServerAliveCountMax=4"
        ),
        GIT_PROTOCOL_FROM_USER="0",
        LC_ALL="C",
        LANGUAGE="C",
    )
    return env


def isolated_env(home: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """For git runs on patches: no system, global or user configuration at all,
    so nothing the user (or anything else) configured can run a command.
    """
    env = _without_git_variables(os.environ if base is None else base)
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_SYSTEM=os.devnull,
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_ATTR_NOSYSTEM="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home),
        LC_ALL="C",
        LANGUAGE="C",
    )
    return env


# Passed as ``-c`` to the isolated git: belt and braces on top of the empty
# configuration, and the NTFS/HFS path checks on every platform.
ISOLATED_CONFIG: tuple[str, ...] = (
    f"core.hooksPath={os.devnull}",
    "core.fsmonitor=false",
    "core.protectNTFS=true",
    "core.protectHFS=true",
    "core.autocrlf=false",
    "core.safecrlf=false",
)


def config_args(settings: tuple[str, ...] | list[str]) -> list[str]:
    args: list[str] = []
    for setting in settings:
        args += ["-c", setting]
    return args
