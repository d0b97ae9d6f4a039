"""Everything git that runs on the host: ``clone/`` validates repository
addresses and clones them; ``patch/`` checks and applies the patches tasks
produce.

The host never runs git inside a repository the agent could write; patches
arrive as text and are applied by an isolated git (see ``patch.git``).

Names are imported lazily, so ``from desktop.hostgit import patch_stat`` does
not pay for importing GitPython (only ``clone`` needs it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "clone": "clone.git_clone",
    "ClonePhase": "clone.progress",
    "CloneProgress": "clone.progress",
    "ChangeKind": "patch.model",
    "PatchFile": "patch.model",
    "apply": "patch.apply",
    "check": "patch.apply",
    "parse_patch": "patch.apply",
    "patch_stat": "patch.apply",
    "validate_patch": "patch.apply",
    "GitUrl": "clone.urls",
    "UrlKind": "clone.urls",
    "parse_git_url": "clone.urls",
    **{
        name: "errors"
        for name in (
            "CloneCancelled",
            "CloneError",
            "CloneTimeout",
            "PatchApplyError",
            "PatchConflictError",
            "PatchError",
            "PatchFormatError",
            "RepoError",
            "UnsafePatchError",
            "UnsafeUrlError",
        )
    },
}

__all__ = [
    "ChangeKind",
    "CloneCancelled",
    "CloneError",
    "ClonePhase",
    "CloneProgress",
    "CloneTimeout",
    "GitUrl",
    "PatchApplyError",
    "PatchConflictError",
    "PatchError",
    "PatchFile",
    "PatchFormatError",
    "RepoError",
    "UnsafePatchError",
    "UnsafeUrlError",
    "UrlKind",
    "apply",
    "check",
    "clone",
    "parse_git_url",
    "parse_patch",
    "patch_stat",
    "validate_patch",
]

if TYPE_CHECKING:
    from desktop.hostgit.clone.git_clone import clone
    from desktop.hostgit.clone.progress import ClonePhase, CloneProgress
    from desktop.hostgit.clone.urls import GitUrl, UrlKind, parse_git_url
    from desktop.hostgit.errors import (
        CloneCancelled,
        CloneError,
        CloneTimeout,
        PatchApplyError,
        PatchConflictError,
        PatchError,
        PatchFormatError,
        RepoError,
        UnsafePatchError,
        UnsafeUrlError,
    )
    from desktop.hostgit.patch.apply import apply, check, parse_patch, patch_stat, validate_patch
    from desktop.hostgit.patch.model import ChangeKind, PatchFile


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'desktop.hostgit' has no attribute {name!r}")
    return getattr(importlib.import_module(f"desktop.hostgit.{module}"), name)
