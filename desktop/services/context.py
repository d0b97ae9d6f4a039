"""The app's long-lived parts, made on first use and shared by the services.

A CLI command that only lists workspaces never connects to Docker nor loads
keyring; the GUI keeps one context for its lifetime.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from functools import cached_property
from typing import TYPE_CHECKING

from desktop import paths
from desktop.services.local_runs import LocalRuns

if TYPE_CHECKING:
    from desktop.audit import AuditLog
    from desktop.containers.engine import Engine
    from desktop.containers.workspace_container import WorkspaceContainers
    from desktop.domain import Workspace
    from desktop.domain.engines import EngineSpec
    from desktop.egress.proxy import CredentialProxy
    from desktop.secrets import Masker, SecretStore
    from desktop.services.folder_states import FolderStates
    from desktop.services.hub import EventHub
    from desktop.services.proxy_relay import ProxyRelays
    from desktop.snapshots.manifest import ManifestStore
    from desktop.store import Database

log = logging.getLogger(__name__)

AUDIT_FLUSH_SECONDS = 30.0


class AppContext:
    _shared: "AppContext | None" = None

    @classmethod
    def share(cls) -> "AppContext":
        """Make one context the process's own (the warm service, the GUI)."""
        if cls._shared is None:
            cls._shared = cls()
            cls._shared.shared = True
        return cls._shared

    @classmethod
    def current(cls) -> "AppContext":
        """The shared context if there is one, else a new one for one command."""
        return cls._shared or cls()

    def __init__(self, engine: "Engine | None" = None) -> None:
        self.shared = False
        self.runs = LocalRuns()  # made now: two threads must never get two registries
        self._engine = engine
        self._added_engines: dict[str, Engine] = {}  # by name: the engines added besides the local one
        self._containers_on: dict[str, WorkspaceContainers] = {}  # by engine name, the added ones
        self._masker: Masker | None = None
        self._credentials: dict[str, str] | None = None
        self._audit_queue: queue.SimpleQueue[tuple[str, str | None, str | None] | None] | None = None
        self._audit_thread: threading.Thread | None = None
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

    def engine_named(self, name: str) -> "Engine":
        """The engine called ``name``: "local" is ``engine``; others as added
        (desktop.store's NotFound if there is none)."""
        from desktop.domain.engines import LOCAL

        if name == LOCAL:
            return self.engine
        with self._lock:
            found = self._added_engines.get(name)
        if found is None:
            from desktop.containers.engine import Engine

            spec = self.db.engines.get(name)
            made = Engine(spec.url, name=spec.name, tls=spec.tls, key_password=self._tls_passphrase(spec))
            with self._lock:
                found = self._added_engines.setdefault(name, made)
            if found is not made:
                made.close()
        return found

    def _tls_passphrase(self, spec: "EngineSpec") -> str | None:
        """The passphrase of an engine's TLS key, if the key has one (kept in the keyring)."""
        from desktop.secrets import KeyringUnavailable
        from desktop.services.engines import key_is_encrypted

        if spec.tls is None or not key_is_encrypted(spec.tls.key):
            return None
        try:
            return self.secrets.tls_passphrase(spec.name)
        except KeyringUnavailable:
            return None  # the connection then fails, saying the key could not be used

    def forget_engine(self, name: str) -> None:
        """Drop the connection to an engine that was removed or changed."""
        with self._lock:
            engine = self._added_engines.pop(name, None)
            self._containers_on.pop(name, None)
        if engine is not None:
            engine.close()

    def containers_on(self, name: str) -> "WorkspaceContainers":
        """The workspace containers on the engine called ``name``."""
        from desktop.domain.engines import LOCAL

        if name == LOCAL:
            return self.containers
        engine = self.engine_named(name)
        with self._lock:
            found = self._containers_on.get(name)
            if found is None or found.engine is not engine:
                from desktop.containers.workspace_container import WorkspaceContainers

                found = WorkspaceContainers(engine, self.installation_id, self._proxy_folder_of)
                self._containers_on[name] = found
            return found

    def engine_of(self, workspace: "Workspace | str") -> "Engine":
        """The engine a workspace (or a workspace id) lives on."""
        return self.engine_named(self._engine_name(workspace))

    def containers_of(self, workspace: "Workspace | str") -> "WorkspaceContainers":
        """The containers of the engine a workspace (or a workspace id) lives on."""
        return self.containers_on(self._engine_name(workspace))

    def _engine_name(self, workspace: "Workspace | str") -> str:
        if isinstance(workspace, str):
            return self.db.workspaces.get(workspace).engine
        return workspace.engine

    @cached_property
    def containers(self) -> "WorkspaceContainers":
        from desktop.containers.workspace_container import WorkspaceContainers

        return WorkspaceContainers(self.engine, self.installation_id, self._proxy_folder_of)

    def _proxy_folder_of(self, workspace_id: str) -> str:
        folder = self.proxy.socket_folder(workspace_id)
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o755)
        return str(folder)

    @cached_property
    def proxy(self) -> "CredentialProxy":
        """This process's credential proxy (serving the workspaces whose tasks it runs)."""
        from desktop.egress.proxy import CredentialProxy
        from desktop.services.egress import proxy_folder

        return CredentialProxy(proxy_folder())

    @cached_property
    def relays(self) -> "ProxyRelays":
        """This process's proxy relays into containers on added engines."""
        from desktop.services.proxy_relay import ProxyRelays

        return ProxyRelays()

    @cached_property
    def installation_id(self) -> str:
        """This data folder's id, on the labels of everything it makes in Docker."""
        import uuid

        with self.db.write():
            found = self.db.settings.get("installation_id")
            if not found:
                found = uuid.uuid4().hex
                self.db.settings.set("installation_id", found)
        return str(found)

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
    def folders(self) -> "FolderStates":
        """Each workspace folder's state now; watched in a long-lived process."""
        from desktop.services.folder_states import FolderStates

        return FolderStates(watch=self.shared)

    @cached_property
    def hub(self) -> "EventHub":
        from desktop.services.hub import EventHub

        return EventHub()

    def masker(self) -> "Masker":
        """Masks every secret the keyring holds (and key-shaped text) in output:
        the app's credentials and the workspaces' variables marked secret."""
        with self._lock:
            if self._masker is None:
                from desktop.secrets import KeyringUnavailable, Masker

                try:
                    self._masker = self.secrets.masker(self._workspace_secrets())
                except KeyringUnavailable:
                    # Nothing can be read from the keyring, so no known value to
                    # hide either; key-shaped text is still masked.
                    self._masker = Masker()
            return self._masker

    def _workspace_secrets(self) -> list[str]:
        found = (self.secrets.env_value(w.id, name) for w in self.db.workspaces.list() for name in w.secret_env)
        return [value for value in found if value]

    def mask_workspace(self, workspace_id: str) -> None:
        """A workspace's secret variables as the keyring holds them now are
        masked (another process, the CLI, may have stored one since)."""
        names = self.db.workspaces.get(workspace_id).secret_env
        if names:
            self.mask_also([v for name in names if (v := self.secrets.env_value(workspace_id, name))])

    def mask_also(self, values: "list[str]") -> None:
        """Values read from the keyring (a task's secret variables) are masked
        from now on, even if another process stored them after this one's
        Masker was made."""
        masker = self.masker()
        with self._lock:
            if self._masker is masker:
                self._masker = masker.adding(values)

    def secrets_changed(self) -> None:
        with self._lock:
            self._masker = None
            self._credentials = None

    def record(self, action: str, object_id: str | None = None, text: str | None = None) -> None:
        """Append to the audit log, in order, off the caller's path.

        The keyring round trips (HMAC key, anchor) cost tens of milliseconds;
        one writer thread keeps the entries in order and ``close`` waits for
        it. A missing keyring is logged, not fatal.
        """
        with self._lock:
            if self._audit_queue is None:
                self._audit_queue = queue.SimpleQueue()
                self._audit_thread = threading.Thread(
                    target=self._write_audit, args=(self._audit_queue,), name="audit-writer", daemon=True
                )
                self._audit_thread.start()
            self._audit_queue.put((action, object_id, text))

    def _write_audit(self, entries: "queue.SimpleQueue[tuple[str, str | None, str | None] | None]") -> None:
        from desktop.secrets import KeyringUnavailable

        while (item := entries.get()) is not None:
            action, object_id, text = item
            try:
                self.audit.record(action, object_id, text)
            except KeyringUnavailable as error:
                log.warning("audit entry %s for %s not recorded: %s", action, object_id, error)
            except Exception:  # noqa: BLE001 - the audit writer must outlive one bad entry
                log.exception("audit entry %s for %s not recorded", action, object_id)

    def flush_audit(self) -> None:
        with self._lock:
            thread, self._audit_thread = self._audit_thread, None
            pending, self._audit_queue = self._audit_queue, None
        if thread is not None and pending is not None:
            pending.put(None)
            thread.join(AUDIT_FLUSH_SECONDS)

    def credentials(self) -> dict[str, str]:
        """The stored API key or token as exec variables, read once per process."""
        with self._lock:
            if self._credentials is None:
                from desktop.services.task_env import credential_environment

                self._credentials = credential_environment(self.secrets)
            return dict(self._credentials)

    def close(self) -> None:
        if "relays" in self.__dict__:
            self.relays.close()
        if "proxy" in self.__dict__:
            self.proxy.close()
        if "folders" in self.__dict__:
            self.folders.close()
        self.flush_audit()
        if "db" in self.__dict__:
            self.db.close()
        if self._engine is not None:
            self._engine.close()
        for name in list(self._added_engines):
            self.forget_engine(name)
