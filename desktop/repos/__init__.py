"""Everything git that runs on the host: validating repository addresses,
cloning, and checking/applying the patches tasks produce.

The host never runs git inside a repository the agent could write; patches
arrive as text and are applied by an isolated git (see ``patch_git``).

Names are imported lazily, so ``from desktop.repos import patch_stat`` does
not pay for importing GitPython (only ``clone`` needs it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "clone": "clone",
    "ClonePhase": "clone_progress",
    "CloneProgress": "clone_progress",
    "ChangeKind": "patch_model",
    "PatchFile": "patch_model",
    "PatchStat": "patch_model",
    "apply": "patches",
    "check": "patches",
    "parse_patch": "patches",
    "patch_stat": "patches",
    "validate_patch": "patches",
    "GitUrl": "urls",
    "UrlKind": "urls",
    "parse_git_url": "urls",
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
    "PatchStat",
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
    from desktop.repos.clone import clone
    from desktop.repos.clone_progress import ClonePhase, CloneProgress
    from desktop.repos.errors import (
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
    from desktop.repos.patch_model import ChangeKind, PatchFile, PatchStat
    from desktop.repos.patches import apply, check, parse_patch, patch_stat, validate_patch
    from desktop.repos.urls import GitUrl, UrlKind, parse_git_url


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'desktop.repos' has no attribute {name!r}")
    return getattr(importlib.import_module(f"desktop.repos.{module}"), name)
