"""One long-lived agent container per workspace, safe by default.

The container runs ``sleep infinity`` under tini; tasks are ``docker exec``
processes in it, so a task starts warm. Its two volumes outlive it: the
agent's working copy at /workspace and the agent's ~/.claude (sessions, so
``--resume`` works after the container is recreated).
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Callable

from desktop.containers.engine import APP_LABEL, WORKSPACE_LABEL, Engine
from desktop.containers.errors import ContainerFailed
from desktop.domain import EgressMode, Workspace

# A hash of what the workspace's settings put into its container: when the
# settings change, the container no longer matches and is made again.
CONFIG_LABEL = "aicode.config"
_CONFIGURED = ("image", "network_mode", "nano_cpus", "mem_limit", "memswap_limit", "command")

AGENT_USER = "agent"
WORKDIR = "/workspace"
CLAUDE_HOME = "/home/agent/.claude"
PIDS_LIMIT = 512
# The container's own process (tini and its sleep) runs as nobody, every exec
# as the agent: the agent's processes can be ended all at once (the sweep of
# desktop.agent.sweep, which spares a person's terminals) without stopping
# the container, and cannot signal its keeper.
KEEPER_USER = "65534:65534"
# Writable scratch space on a read-only root file system.
_TMPFS = {
    "/tmp": "rw,exec,nosuid,nodev,size=1g",
    "/home/agent": "rw,exec,nosuid,nodev,size=256m,uid=1000,gid=1000,mode=0755",
    "/run/aicode": "rw,nosuid,nodev,size=16m,uid=1000,gid=1000,mode=0755",
}


class ContainerState(enum.StrEnum):
    RUNNING = "running"
    STOPPED = "stopped"
    MISSING = "not created"


@dataclass(frozen=True)
class ContainerNames:
    container: str
    work_volume: str
    home_volume: str

    @classmethod
    def of(cls, workspace_id: str) -> "ContainerNames":
        return cls(f"aicode-{workspace_id}", f"aicode-{workspace_id}-work", f"aicode-{workspace_id}-home")


@dataclass(frozen=True)
class ContainerInfo:
    id: str
    workspace_id: str
    state: ContainerState
    image: str


@dataclass(frozen=True)
class VolumeInfo:
    """A volume by name, so callers need not hold docker-py objects."""

    name: str
    workspace_id: str


# Where the app's proxy socket for this workspace appears in its container,
# and the port the keeper's forwarder serves it on (desktop.egress.proxy).
PROXY_MOUNT = "/run/aicode-proxy"
PROXY_PORT = 3128
# On an added engine (another machine, which cannot see this one's folders)
# PROXY_MOUNT is instead a small tmpfs of the keeper's, where the app's relay
# over the engine's exec stream listens (desktop.services.proxy_relay): the
# agent user can connect there but create nothing.
PROXY_TMPFS = "rw,noexec,nosuid,nodev,size=1m,uid=65534,gid=65534,mode=0755"
# The container's own process: a forwarder from 127.0.0.1:3128 to the app's
# proxy socket, run as the keeper user (the agent cannot stop or replace it).
# With egress limited the container has no network but loopback: this is
# its only way out. Perl, because the image has it (perl-base is essential)
# and no other runtime: claude is a single native binary.
FORWARDER = r"""
use strict; use IO::Socket::INET; use IO::Socket::UNIX; use IO::Select; use Socket qw(IPPROTO_TCP TCP_NODELAY);
$SIG{CHLD} = 'IGNORE';
my $listen = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => PORT, Listen => 128, ReuseAddr => 1)
  or die "forwarder: $!";
while (1) {
  my $client = $listen->accept or next;
  if (fork() == 0) {
    close $listen;
    setsockopt($client, IPPROTO_TCP, TCP_NODELAY, 1);  # streamed events go out as they come
    my $proxy;  # the first app process's socket that answers
    for my $path (glob('MOUNT/s.*')) { $proxy = IO::Socket::UNIX->new(Peer => $path) and last; }
    exit 1 unless $proxy;
    my $select = IO::Select->new($client, $proxy);
    while (my @ready = $select->can_read) {
      for my $from (@ready) {
        my $n = sysread($from, my $data, 65536);
        my $to = $from == $client ? $proxy : $client;
        if (!$n) {
          exit 0 if $from == $proxy;
          $select->remove($client); shutdown($proxy, 1); next;
        }
        while (length $data) { my $w = syswrite($to, $data) or exit 0; substr($data, 0, $w) = ''; }
      }
    }
    exit 0;
  }
  close $client;
}
""".replace("PORT", str(PROXY_PORT)).replace("MOUNT", PROXY_MOUNT)


def run_options(workspace: Workspace, installation: str, proxy_folder: str | None = None,
                relayed: bool = False) -> dict[str, Any]:
    """docker-py ``containers.create`` keywords for a workspace's container.

    ``proxy_folder``: the host folder holding the app's proxy socket for this
    workspace, mounted read-only (a socket needs no write access to connect).
    ``relayed``: no host folder but the keeper's tmpfs at PROXY_MOUNT, where
    the app's relay listens (an engine on another machine)."""
    names = ContainerNames.of(workspace.id)
    tmpfs = dict(_TMPFS)
    if relayed:
        proxy_folder = None
        tmpfs[PROXY_MOUNT] = PROXY_TMPFS
    limited = EgressMode(workspace.egress) is not EgressMode.OPEN
    options = {
        "image": workspace.image,
        "name": names.container,
        "hostname": "aicode",
        "user": KEEPER_USER,
        "working_dir": WORKDIR,
        "labels": {APP_LABEL: installation, WORKSPACE_LABEL: workspace.id},
        "volumes": {
            names.work_volume: {"bind": WORKDIR, "mode": "rw"},
            names.home_volume: {"bind": CLAUDE_HOME, "mode": "rw"},
            **({proxy_folder: {"bind": PROXY_MOUNT, "mode": "ro"}} if proxy_folder else {}),
        },
        "command": ["perl", "-e", FORWARDER],
        "tmpfs": tmpfs,
        "read_only": True,
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        "pids_limit": PIDS_LIMIT,
        "mem_limit": workspace.memory,
        # No swap beyond the memory limit, so the limit is the limit.
        "memswap_limit": workspace.memory,
        "nano_cpus": int(workspace.cpus * 1e9),
        # Limited egress: no network but loopback, the proxy the only way out.
        # (A workspace stored with the host's network, no longer offered, gets a bridge.)
        "network_mode": "none" if limited else str(workspace.network).replace("host", "bridge"),
        "log_config": {"type": "json-file", "config": {"max-size": "10m", "max-file": "2"}},
        # Secrets and the workspace's own variables go to each exec, never here,
        # so `docker inspect` shows none of them.
        "environment": {},
        "detach": True,
    }
    options["labels"][CONFIG_LABEL] = config_hash(options)
    return options


def config_hash(options: dict[str, Any]) -> str:
    """The hash of the options a workspace's settings control (image, network,
    egress, CPUs, memory, the keeper's forwarder) and of nothing else; env and
    permission mode go to each exec."""
    chosen = {key: options.get(key) for key in _CONFIGURED}
    chosen["proxy_mount"] = sorted(k for k, v in options.get("volumes", {}).items() if v["bind"] == PROXY_MOUNT)
    if PROXY_MOUNT in (options.get("tmpfs") or {}):
        chosen["proxy_mount"] = ["relay"]  # (a local container's hash stays what it was)
    return hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()[:16]


class WorkspaceContainers:
    """Creates, finds, starts, stops and removes the workspaces' containers.

    ``installation`` tells this data folder's containers and volumes from
    those of another (a second user, a test) on the same engine: only its own
    are ever reconciled away.
    """

    def __init__(self, engine: Engine, installation: str, proxy_folder: Callable[[str], str] | None = None) -> None:
        self._engine = engine
        self._installation = installation
        self._proxy_folder = proxy_folder  # workspace id -> the host folder of its proxy socket
        # An added engine may be another machine: the proxy reaches its containers by relay.
        self._relayed = engine.name is not None

    @property
    def engine(self) -> Engine:
        return self._engine

    def _get(self, workspace_id: str) -> Any | None:
        import docker.errors

        try:
            return self._engine.client.containers.get(ContainerNames.of(workspace_id).container)
        except docker.errors.NotFound:
            return None

    def info(self, workspace_id: str) -> ContainerInfo | None:
        container = self._get(workspace_id)
        return None if container is None else _info(container)

    def state(self, workspace_id: str) -> ContainerState:
        found = self.info(workspace_id)
        return ContainerState.MISSING if found is None else found.state

    def ensure(self, workspace: Workspace) -> ContainerInfo:
        """The running container of a workspace, created or started as needed.

        A container that no longer matches the workspace's settings (or was
        made by an earlier version) is made again on the same volumes, unless
        a task is running in it.
        """
        import docker.errors

        options = run_options(workspace, self._installation, self._proxy_of(workspace.id), self._relayed)
        container = self._get(workspace.id)
        if container is not None and self._outdated(container, options) and not self._busy(container):
            container.remove(force=True)
            container = None
        try:
            if container is None:
                self._create_volumes(workspace.id)
                container = self._engine.client.containers.create(**options)
            if container.status != "running":
                container.start()
                container.reload()
        except docker.errors.ImageNotFound:
            raise ContainerFailed(
                f"The image {workspace.image} is not built", "run 'aicode image build'"
            ) from None
        except docker.errors.APIError as error:
            raise ContainerFailed(
                f"The container of workspace '{workspace.name}' could not start: {error.explanation or error}",
                "check the workspace's image and limits, or recreate its container",
            ) from None
        return _info(container)

    def follow(self, workspace: Workspace) -> bool:
        """Bring an existing container to the workspace's settings now, when no
        task runs in it (else the next ``ensure`` does). True if it was made again."""
        container = self._get(workspace.id)
        options = run_options(workspace, self._installation, self._proxy_of(workspace.id), self._relayed)
        if container is None or not self._outdated(container, options) or self._busy(container):
            return False
        if container.status == "running":
            container.remove(force=True)
            self.ensure(workspace)
        else:
            container.remove(force=True)
            self._create_volumes(workspace.id)
            self._engine.client.containers.create(**options)
        return True

    def pending(self, workspace: Workspace) -> bool:
        """Whether the container does not have the workspace's settings yet
        (saved while a task ran in it: ``follow`` then waits for the task's end)."""
        container = self._get(workspace.id)
        options = run_options(workspace, self._installation, self._proxy_of(workspace.id), self._relayed)
        return container is not None and self._outdated(container, options)

    @staticmethod
    def _outdated(container: Any, options: dict[str, Any]) -> bool:
        if (container.attrs.get("Config") or {}).get("User") != KEEPER_USER:
            return True  # made by an earlier version, whose keeper the agent could stop
        return container.labels.get(CONFIG_LABEL) != options["labels"][CONFIG_LABEL]

    def _busy(self, container: Any) -> bool:
        """Whether any exec (a task, a compare) is running in the container."""
        import docker.errors

        if container.status != "running":
            return False
        for exec_id in container.attrs.get("ExecIDs") or []:
            try:
                if self._engine.api.exec_inspect(exec_id).get("Running"):
                    return True
            except docker.errors.NotFound:
                continue
        return False

    def _proxy_of(self, workspace_id: str) -> str | None:
        if self._relayed or self._proxy_folder is None:
            return None
        return self._proxy_folder(workspace_id)

    def _create_volumes(self, workspace_id: str) -> None:
        # Labelled, so that reconcile can find the volumes of removed workspaces.
        names = ContainerNames.of(workspace_id)
        labels = {APP_LABEL: self._installation, WORKSPACE_LABEL: workspace_id}
        for volume in (names.work_volume, names.home_volume):
            self._engine.client.volumes.create(name=volume, labels=labels)

    def stop(self, workspace_id: str, timeout: int = 5) -> None:
        container = self._get(workspace_id)
        if container is not None and container.status == "running":
            container.stop(timeout=timeout)

    def recreate(self, workspace: Workspace) -> ContainerInfo:
        """A fresh container (new image or limits); the volumes are kept."""
        container = self._get(workspace.id)
        if container is not None:
            container.remove(force=True)
        return self.ensure(workspace)

    def remove(self, workspace_id: str) -> None:
        """Remove the container and both volumes (the agent's copy and sessions)."""
        container = self._get(workspace_id)
        if container is not None:
            container.remove(force=True)
        names = ContainerNames.of(workspace_id)
        for volume in (names.work_volume, names.home_volume):
            self.remove_volume(volume)

    def remove_volume(self, name: str) -> None:
        """Remove a volume; one already gone (say, with its container) is fine."""
        import docker.errors

        try:
            self._engine.client.volumes.get(name).remove(force=True)
        except docker.errors.NotFound:
            pass

    def owned(self) -> list[ContainerInfo]:
        """Every container this installation made, running or not."""
        found = self._engine.client.containers.list(all=True, filters={"label": f"{APP_LABEL}={self._installation}"})
        return [_info(c) for c in found if WORKSPACE_LABEL in c.labels]

    def owned_volumes(self) -> list[VolumeInfo]:
        """Every workspace volume this installation made, with its workspace."""
        found = self._engine.client.volumes.list(filters={"label": f"{APP_LABEL}={self._installation}"})
        labelled = ((v.name, v.attrs.get("Labels") or {}) for v in found)
        return [VolumeInfo(name, labels[WORKSPACE_LABEL]) for name, labels in labelled if WORKSPACE_LABEL in labels]


def _info(container: Any) -> ContainerInfo:
    state = ContainerState.RUNNING if container.status == "running" else ContainerState.STOPPED
    image = (container.attrs.get("Config") or {}).get("Image", "")
    return ContainerInfo(container.id, container.labels.get(WORKSPACE_LABEL, ""), state, image)
