"""Workspaces: add from a folder or a git URL, list, rename, change, remove."""

from __future__ import annotations

import os
import re
import threading
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from desktop import paths
from desktop.domain import EgressMode, NetworkMode, PermissionMode, SourceKind, Workspace
from desktop.services.context import AppContext
from desktop.services.errors import NotFound, UserError, boundary
from desktop.services.settings import load_settings
from desktop.services.workspace_secrets import (
    changed_variables,
    drop_values,
    forget_values,
    plan_secrets,
    store_values,
)
from desktop.snapshots.exclusions import check_entries

_NAME = re.compile(r"^[^\x00-\x1f\x7f/\\]{1,64}$")
_MEMORY = re.compile(r"^\d+(\.\d+)?[bkmg]?$", re.IGNORECASE)
_ENV_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class WorkspaceSpec:
    """What a person asks for; None means "the default from Settings"."""

    name: str
    path: str | None = None
    git_url: str | None = None
    image: str | None = None
    cpus: float | None = None
    memory: str | None = None
    network: NetworkMode | str | None = None
    env: dict[str, str] = field(default_factory=dict)
    permission_mode: PermissionMode | str | None = None
    egress: EgressMode | str | None = None
    excluded: tuple[str, ...] = ()  # paths of the folder that never travel
    engine: str | None = None  # the engine its container lives on (None: this machine's)
    # Stored in the keyring, never in the database; never in a repr (a log line).
    secret_env: dict[str, str] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class WorkspaceChanges:
    """What ``aicode workspace set`` changes; None leaves a setting as it is."""

    image: str | None = None
    cpus: float | None = None
    memory: str | None = None
    network: NetworkMode | str | None = None
    env: dict[str, str] | None = None
    permission_mode: PermissionMode | str | None = None
    allowed_tools: tuple[str, ...] | None = None
    egress: EgressMode | str | None = None  # the tools allowed always (replacing the list)
    excluded: tuple[str, ...] | None = None  # the paths that never travel (replacing the list)
    # Variables marked secret: name -> a new value, or "" to keep the stored
    # one (or move a plain variable's value to the keyring).
    secret_env: dict[str, str] | None = field(default=None, repr=False)
    unset_env: tuple[str, ...] | None = None  # variables removed, plain or secret


@dataclass(frozen=True)
class RemovedWorkspace:
    workspace: Workspace
    kept: tuple[Path, ...] = ()  # where its changes still waiting for review were saved


def _check_egress(network: NetworkMode, egress: EgressMode) -> None:
    # The host's network would let the agent reach this desktop's abstract
    # Unix sockets (X11, D-Bus) that trust any process of the user, and put
    # the proxy's port on the machine's loopback for every program.
    if network is NetworkMode.HOST:
        raise UserError("The host's network is not offered: it would let the agent reach this desktop's "
                        "own sockets (X11, D-Bus). Use bridge with open egress, or the allowlist")


_TOOL = re.compile(r"[A-Za-z0-9_.:-]{1,128}")


def check_excluded(entries: "tuple[str, ...] | list[str]") -> tuple[str, ...]:
    try:
        return check_entries(tuple(entries))
    except ValueError as error:
        raise UserError(f"Excluded paths: {error}") from None


def check_tools(tools: "tuple[str, ...] | list[str]") -> tuple[str, ...]:
    """A workspace's tools allowed always: names as claude gives them (Bash, mcp__server__tool)."""
    found: list[str] = []
    for tool in tools:
        tool = tool.strip()
        if not _TOOL.fullmatch(tool):
            raise UserError(f"{tool!r} is not a tool name (such as Bash, Write or mcp__server__tool)")
        if tool not in found:
            found.append(tool)
    return tuple(found)


def check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise UserError("A workspace name needs 1 to 64 characters, without slashes or control characters")
    return name


def check_limits(cpus: float, memory: str) -> None:
    if not 0 < cpus <= (os.cpu_count() or 1) * 4:
        raise UserError(f"CPUs must be above 0 and at most {(os.cpu_count() or 1) * 4}, not {cpus}")
    if not _MEMORY.match(memory):
        raise UserError(f"Memory must be a size like 512m or 2g, not {memory!r}")


def check_env(env: dict[str, str]) -> dict[str, str]:
    for key, value in env.items():
        if not _ENV_KEY.match(key):
            raise UserError(f"{key!r} is not a valid environment variable name")
        if "\x00" in value:
            raise UserError(f"The value of {key} contains a NUL character")
    return dict(env)


def check_folder(path: str) -> Path:
    folder = Path(path).expanduser()
    if not folder.exists():
        raise UserError(f"No such folder: {folder}")
    if not folder.is_dir():
        raise UserError(f"Not a folder: {folder}")
    folder = folder.resolve()
    # The agent gets a copy of the whole folder: never the whole disk, a whole
    # home (keys, tokens) or the app's own data, nor any folder holding them.
    home = Path.home().resolve()
    if folder == Path(folder.anchor) or folder == home or folder in home.parents:
        raise UserError(f"{folder} is too broad to give to an agent: choose a project folder")
    data = paths.data_dir().resolve()
    if folder == data or data in folder.parents:
        raise UserError("A folder inside AICode Manager's own data folder cannot be a workspace")
    if folder in data.parents:
        raise UserError(f"{folder} holds AICode Manager's own data folder ({data}): choose a project folder")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise UserError(f"The folder {folder} cannot be read")
    return folder


def check_git_url(url: str) -> str:
    """A repository address as it may be shown, or a UserError saying why it is
    refused. Only reads the text (and whether a local path is a folder): no
    network, no git; the dialog asks it as the person types."""
    from desktop.hostgit.clone.urls import parse_git_url
    from desktop.hostgit.errors import RepoError

    try:
        return parse_git_url(_local_repository(url)).display
    except RepoError as error:
        raise UserError(str(error)) from None


def _local_repository(url: str) -> str:
    """A local repository's path made absolute (git takes them so); any other address as it is."""
    local = Path(url).expanduser()
    if not url.startswith("-") and "::" not in url and local.is_dir():
        return str(local.resolve())
    return url


@boundary
class Workspaces:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def list(self) -> list[Workspace]:
        return self.ctx.db.workspaces.list()

    def get(self, ref: str) -> Workspace:
        """By name, id, or a unique start of the id."""
        from desktop.store import NotFound as StoreNotFound

        db = self.ctx.db
        try:
            return db.workspaces.get_by_name(ref)
        except StoreNotFound:
            pass
        try:
            return db.workspaces.get(ref)
        except StoreNotFound:
            matches = [w for w in db.workspaces.list() if ref and w.id.startswith(ref)]
            if len(matches) == 1:
                return matches[0]
        raise NotFound(f"No workspace named {ref!r} (see 'aicode workspace list')")

    def add(
        self,
        spec: WorkspaceSpec,
        progress: Callable[[object], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> Workspace:
        name = check_name(spec.name)
        if (spec.path is None) == (spec.git_url is None):
            raise UserError("Give either a folder or a git URL")
        defaults = load_settings(self.ctx.db)
        cpus = float(spec.cpus if spec.cpus is not None else defaults.default_cpus)
        memory = (spec.memory or defaults.default_memory).lower()
        check_limits(cpus, memory)
        try:
            network = NetworkMode(spec.network or NetworkMode.BRIDGE)
            permission = PermissionMode(spec.permission_mode or PermissionMode.DEFAULT)
            egress = EgressMode(spec.egress or EgressMode.ALLOWLIST)
        except ValueError as error:
            raise UserError(str(error)) from None
        _check_egress(network, egress)
        excluded = check_excluded(spec.excluded)
        engine = self._known_engine(spec.engine)
        self._refuse_taken(name)
        env = check_env(spec.env)
        secrets = plan_secrets(None, env, spec.secret_env, spec.secret_env)
        workspace_id = uuid.uuid4().hex[:12]
        if spec.path is not None:
            source, kind, url = check_folder(spec.path), SourceKind.FOLDER, None
        else:
            source, url = self._clone(workspace_id, spec.git_url or "", progress, cancel)
            kind = SourceKind.GIT
        workspace = Workspace(
            id=workspace_id, name=name, source_kind=kind, source_path=str(source), git_url=url,
            image=spec.image or defaults.default_image, cpus=cpus, memory=memory, network=network,
            env=env, permission_mode=permission, egress=egress, secret_env=secrets.names,
            excluded=excluded, engine=engine,
        )
        try:
            store_values(self.ctx, workspace_id, secrets.write)
            self.ctx.db.workspaces.add(workspace)
        except BaseException:
            if kind is SourceKind.GIT:
                _remove_clone(source)
            forget_values(self.ctx, workspace_id, secrets.write)
            raise
        self.ctx.record("workspace.created", workspace.id, workspace.name)
        return workspace

    def _known_engine(self, name: str | None) -> str:
        from desktop.domain.engines import AUTO, LOCAL
        from desktop.store import NotFound as StoreNotFound

        name = (name or LOCAL).strip()
        if name == AUTO:
            from desktop.services.engines import Engines

            return Engines(self.ctx).roomiest()
        if name != LOCAL:
            try:
                self.ctx.db.engines.get(name)
            except StoreNotFound:
                raise UserError(f"no engine called {name!r} (add it with 'aicode engine add', "
                                "see 'aicode engine list')") from None
        return name

    def _refuse_taken(self, name: str) -> None:
        """Checked before a clone is made; the store compares names ignoring case."""
        from desktop.store import NotFound as StoreNotFound

        try:
            taken = self.ctx.db.workspaces.get_by_name(name)
        except StoreNotFound:
            return
        raise UserError(f"A workspace named {taken.name!r} already exists")

    def _clone(
        self,
        workspace_id: str,
        url: str,
        progress: Callable[[object], None] | None,
        cancel: threading.Event | None,
    ) -> tuple[Path, str]:
        """(the clone's folder, the URL as it may be shown) — hostile URLs refused."""
        from desktop.hostgit.clone.git_clone import clone
        from desktop.hostgit.clone.urls import parse_git_url
        from desktop.hostgit.errors import RepoError

        url = _local_repository(url)
        try:
            git_url = parse_git_url(url)
            folder = clone(git_url, paths.clones_dir() / workspace_id, progress=progress, cancel=cancel)
            return folder, git_url.display
        except RepoError as error:
            raise UserError(str(error)) from None

    def move(self, ref: str, engine: str, progress: Callable[[float | None, str], None] | None = None):  # noqa: ANN201
        """Move the workspace to another engine (a MovedWorkspace): refused
        while a task of it is queued or running; its history stays."""
        from desktop.services.workspace_move import move_workspace

        return move_workspace(self.ctx, self.get(ref), self._known_engine(engine), progress)

    def rename(self, ref: str, new_name: str) -> Workspace:
        workspace = self.get(ref)
        name = check_name(new_name)
        if name.lower() != workspace.name.lower():
            self._refuse_taken(name)
        return self.ctx.db.workspaces.rename(workspace.id, name)

    def update(self, workspace: Workspace, secret_values: dict[str, str] | None = None) -> Workspace:
        """Save a workspace's settings; its container follows them.

        ``workspace.secret_env`` names its secret variables; ``secret_values``
        gives new values for some (the others keep theirs, or move from plain).

        The container is made again (same volumes) right away when no task
        runs in it, else as soon as that task ends (``settings_pending``).
        """
        from desktop.containers.errors import EngineError

        check_limits(workspace.cpus, workspace.memory)
        try:
            network = NetworkMode(workspace.network)
            permission = PermissionMode(workspace.permission_mode)
            egress = EgressMode(workspace.egress)
        except ValueError as error:
            raise UserError(str(error)) from None
        if not workspace.image.strip():
            raise UserError("A workspace needs an image")
        _check_egress(network, egress)
        secrets = plan_secrets(self.get(workspace.id), workspace.env, workspace.secret_env, secret_values or {})
        checked = replace(
            workspace, name=check_name(workspace.name), memory=workspace.memory.lower(),
            env=check_env(workspace.env), network=network, permission_mode=permission,
            allowed_tools=check_tools(workspace.allowed_tools), egress=egress, secret_env=secrets.names,
            excluded=check_excluded(workspace.excluded),
        )
        store_values(self.ctx, workspace.id, secrets.write)
        saved = self.ctx.db.workspaces.update(checked)
        drop_values(self.ctx, workspace.id, secrets.drop)
        if secrets.moved:  # the plain values' old copies go from the database's files too
            self.ctx.db.forget_old_versions()
        try:
            self.ctx.containers_of(saved).follow(saved)
        except EngineError:
            pass  # the engine is away: the next start or task makes the container match
        self.ctx.record("workspace.changed", saved.id)
        return saved

    def settings_pending(self, ref: str) -> bool:
        """Whether the workspace's container waits for its running task to end
        before it takes the saved settings (False when the engine is away: the
        next start makes it match)."""
        from desktop.containers.errors import EngineError

        try:
            found = self.get(ref)
            return self.ctx.containers_of(found).pending(found)
        except EngineError:
            return False

    def change(self, ref: str, changes: WorkspaceChanges) -> tuple[Workspace, dict[str, tuple[object, object]]]:
        """Change some settings; returns the workspace and what changed (old, new)."""
        before = self.get(ref)
        variables = ("env", "secret_env", "unset_env")
        fields = {k: v for k, v in vars(changes).items() if v is not None and k not in variables}
        if "cpus" in fields:
            fields["cpus"] = float(fields["cpus"])
        if "memory" in fields:
            fields["memory"] = str(fields["memory"]).lower()
        if any(getattr(changes, k) is not None for k in variables):
            fields["env"], fields["secret_env"] = changed_variables(before, changes.env, changes.secret_env,
                                                                    changes.unset_env)
        values = {k: v for k, v in (changes.secret_env or {}).items() if v}
        after = self.update(replace(before, **fields), values)
        changed = {
            key: (getattr(before, key), getattr(after, key))
            for key in fields if getattr(before, key) != getattr(after, key)
        }
        if values:  # new values under the same names change the workspace too
            changed.setdefault("secret_env", (before.secret_env, after.secret_env))
        return after, changed

    def remove(self, ref: str) -> RemovedWorkspace:
        """Remove the workspace, its container and volumes, and the app's clone.

        A user's own folder is never touched; changes still waiting for
        review are saved in the data folder first.
        """
        from desktop.containers.errors import EngineUnavailable
        from desktop.services.review import Review
        from desktop.services.tasks import Tasks

        workspace = self.get(ref)
        kept = Review(self.ctx, Tasks(self.ctx)).keep_pending(workspace.id)

        try:
            self.ctx.containers_of(workspace).remove(workspace.id)
        except EngineUnavailable:
            pass  # reconcile removes the orphaned container once the engine is back
        drop_values(self.ctx, workspace.id, workspace.secret_env)
        self.ctx.db.workspaces.remove(workspace.id)
        self.ctx.manifests.forget(workspace.id)
        self.ctx.folders.forget(workspace.id)
        if workspace.source_kind is SourceKind.GIT:
            _remove_clone(Path(workspace.source_path))
        self.ctx.record("workspace.removed", workspace.id)
        return RemovedWorkspace(workspace, tuple(kept))


def follow_saved_settings(ctx: AppContext, started_with: Workspace) -> None:
    """At a task's end: settings saved while it ran reach the container now
    (made again on the same volumes), before the task counts as ended, so the
    workspace's next task cannot start while that happens."""
    import logging

    from desktop.containers.errors import EngineError
    from desktop.store import NotFound as StoreNotFound

    try:
        saved = ctx.db.workspaces.get(started_with.id)
    except StoreNotFound:
        return  # removed meanwhile, with its container
    if saved == started_with:
        return
    try:
        ctx.containers_of(saved).follow(saved)
    except EngineError as error:  # the next task or start makes it match
        logging.getLogger(__name__).warning("the container of %s keeps its old settings for now: %s",
                                            saved.name, error)


def _remove_clone(path: Path) -> None:
    """Remove a clone the app made, and nothing outside its clones folder."""
    import shutil

    clones = paths.clones_dir().resolve()
    target = path.resolve()
    if clones in target.parents:
        shutil.rmtree(target, ignore_errors=True)
