"""The app's long-lived parts, made on first use and shared by the services.

A CLI command that only lists workspaces never connects to Docker nor loads
keyring; the GUI keeps one context for its lifetime.
"""

from __future__ import annotations

import logging
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import paths

if TYPE_CHECKING:
    from desktop.audit import AuditLog
    from desktop.containers.engine import Engine
    from desktop.containers.workspace_container import WorkspaceContainers
    from desktop.secrets import Masker, SecretStore
    from desktop.services.hub import EventHub
    from desktop.snapshots.manifest import ManifestStore
    from desktop.store import Database

log = logging.getLogger(__name__)


class AppContext:
    def __init__(self, engine: "Engine | None" = None) -> None:
        self._engine = engine
        self._masker: Masker | None = None
        self._lock = threading.Lock()

    @cached_property
    def db(self) -> "Database":
        from desktop.store import Database

        return Database.open()

    @cached_property
    def engine(self) -> "Engine":
        if self._engine is None:
            from desktop.containers.engine import Engine

            self._engine = Engine()
        return self._engine

    @cached_property
    def containers(self) -> "WorkspaceContainers":
        from desktop.containers.workspace_container import WorkspaceContainers

        return WorkspaceContainers(self.engine)

    @cached_property
    def secrets(self) -> "SecretStore":
        from desktop.secrets import SecretStore

        return SecretStore()

    @cached_property
    def audit(self) -> "AuditLog":
        from desktop.audit import AuditLog
        from desktop.services.audit_storage import StoreAuditStorage

        return AuditLog.with_keyring(StoreAuditStorage(self.db), scope=str(self.db.path), store=self.secrets)

    @cached_property
    def manifests(self) -> "ManifestStore":
        from desktop.snapshots.manifest import ManifestStore

        return ManifestStore(paths.data_dir() / "snapshots")

    @cached_property
    def hub(self) -> "EventHub":
        from desktop.services.hub import EventHub

        return EventHub()

    @property
    def patches_dir(self) -> Path:
        folder = paths.data_dir() / "patches"
        folder.mkdir(exist_ok=True, mode=0o700)
        return folder

    def masker(self) -> "Masker":
        """Masks every secret the keyring holds (and key-shaped text) in output."""
        with self._lock:
            if self._masker is None:
                from desktop.secrets import KeyringUnavailable, Masker

                try:
                    self._masker = self.secrets.masker()
                except KeyringUnavailable:
                    # Nothing can be read from the keyring, so no known value to
                    # hide either; key-shaped text is still masked.
                    self._masker = Masker()
            return self._masker

    def secrets_changed(self) -> None:
        with self._lock:
            self._masker = None

    def record(self, action: str, object_id: str | None = None, text: str | None = None) -> None:
        """Append to the audit log; a missing keyring is logged, not fatal."""
        from desktop.secrets import KeyringUnavailable

        try:
            self.audit.record(action, object_id, text)
        except KeyringUnavailable as error:
            log.warning("audit entry %s for %s not recorded: %s", action, object_id, error)

    def close(self) -> None:
        if "db" in self.__dict__:
            self.db.close()
        if self._engine is not None:
            self._engine.close()
