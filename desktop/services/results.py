"""The types the façade returns that are made below the services.

A front end names these (for type hints, mostly) from here, never from the
engine, keyring or git modules that make them. They are loaded lazily:
``CloneProgress`` would import GitPython, ``StatsSample`` docker-py.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "EngineStatus": "desktop.containers.engine",
    "ImageStatus": "desktop.containers.images",
    "StatsSample": "desktop.containers.stats",
    "ContainerState": "desktop.containers.workspace_container",
    "CloneProgress": "desktop.hostgit.clone.progress",
    "SecretName": "desktop.secrets",
    "StoreStatus": "desktop.secrets",
    "VerifyReport": "desktop.audit",
    "EgressAttempt": "desktop.store.egress_repository",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    pass


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'desktop.services.results' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
