"""Connecting to the Docker engine, with errors a person can act on."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.containers.errors import EngineUnavailable

if TYPE_CHECKING:
    import docker

    from desktop.containers.ssh_tunnel import SshTunnel
    from desktop.domain.engines import TlsFiles

# Every object the app creates carries this label, so it finds its own.
APP_LABEL = "io.aicode.app"
WORKSPACE_LABEL = "aicode.workspace"


@dataclass(frozen=True)
class EngineStatus:
    ok: bool
    message: str  # "Docker 20.10.24 (API 1.41)" or what failed
    fix: str = ""


def _fix_for(error: Exception) -> str:
    text = str(error).lower()
    if "permission denied" in text:
        return "add your user to the 'docker' group and log in again"
    if "no such file" in text or "connection refused" in text or "connection aborted" in text:
        return "start Docker (e.g. 'sudo systemctl start docker', or Docker Desktop), then retry"
    if "timed out" in text or "timeout" in text:
        return "the engine is not answering: restart Docker, then retry"
    return "check that Docker is installed and running ('docker info'), then retry"


def docker_desktop_socket(platform: str, home: Path, default: Path = Path("/var/run/docker.sock")) -> str | None:
    """Docker Desktop's engine on macOS when the default socket is not there.

    docker-py looks only at DOCKER_HOST and the default socket; Docker Desktop on
    macOS keeps its socket in ~/.docker/run unless the user allowed the default
    one (the docker CLI finds it through its context, which docker-py ignores).
    Windows needs nothing: docker-py's default there is Docker Desktop's named pipe.
    """
    if platform != "darwin" or default.exists():
        return None
    desktop = home / ".docker" / "run" / "docker.sock"
    return f"unix://{desktop}" if desktop.exists() else None


class Engine:
    """A lazily connected docker-py client shared by the app (thread-safe).

    Without ``name`` it is this machine's own engine (DOCKER_HOST or the
    platform's default); with one, an engine added by the user: ``tls`` for
    a tcp:// URL, and an ssh:// URL goes through the user's own ``ssh`` (its
    config, keys and agent), as ``docker -H ssh://`` does."""

    def __init__(self, base_url: str | None = None, timeout: float = 60, *, name: str | None = None,
                 tls: TlsFiles | None = None, key_password: str | None = None) -> None:
        self.name = name
        self._base_url = base_url if name else (base_url or os.environ.get("DOCKER_HOST")
                                                or docker_desktop_socket(sys.platform, Path.home()))
        self._timeout = timeout
        self._tls = tls
        self._key_password = key_password  # the TLS key's passphrase, from the keyring
        self._client: docker.DockerClient | None = None
        self._lock = threading.Lock()
        self._tunnel: SshTunnel | None = None
        if self._base_url and self._base_url.startswith("ssh://"):
            from desktop.containers.ssh_tunnel import SshTunnel

            self._tunnel = SshTunnel(self._base_url, self.label)

    @property
    def url(self) -> str | None:
        return self._base_url

    @property
    def label(self) -> str:
        """How messages name it: "The Docker engine" or "The Docker engine 'gpu-box'"."""
        return f"The Docker engine '{self.name}'" if self.name else "The Docker engine"

    @property
    def client(self) -> "docker.DockerClient":
        """The connected client; raises EngineUnavailable with a fix."""
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    @property
    def api(self) -> Any:
        return self.client.api

    def _connect(self) -> "docker.DockerClient":
        import docker
        import docker.constants
        import docker.errors
        import requests.exceptions

        client = None
        try:
            base = self._base_url or os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"
            if base.startswith("unix://"):
                _probe_socket(base.removeprefix("unix://"))
            if self._base_url:
                options: dict[str, Any] = {}
                if self._tls is not None:
                    import docker.tls

                    options["tls"] = docker.tls.TLSConfig(client_cert=(self._tls.cert, self._tls.key),
                                                          ca_cert=self._tls.ca, verify=True)
                    # The API version is asked for below, once the client ignores
                    # the environment: requests would take REQUESTS_CA_BUNDLE or
                    # CURL_CA_BUNDLE over the engine's own CA, HTTPS_PROXY over its address.
                    options["version"] = docker.constants.MINIMUM_DOCKER_API_VERSION
                base_url = self._tunnel.open() if self._tunnel is not None else self._base_url
                client = docker.DockerClient(base_url=base_url, timeout=self._timeout, **options)
                if self._tls is not None:
                    client.api.trust_env = False
                    if self._key_password:
                        # requests has no word for it; urllib3's pools take it.
                        adapter = client.api.get_adapter(client.api.base_url)
                        adapter.poolmanager.connection_pool_kw["key_password"] = self._key_password
                        adapter.poolmanager.clear()
                    client.api._version = _agreed_version(client.api.version(api_version=False))
            else:
                client = docker.from_env(timeout=self._timeout)
            client.ping()
        except (docker.errors.DockerException, requests.exceptions.RequestException, OSError) as error:
            if client is not None:
                client.close()  # its half-open connection pool
            if self._tunnel is not None:
                self._tunnel.close()
            raise EngineUnavailable(f"{self.label} is not available ({_short(error)})", self._fix(error)) from None
        return client

    def _fix(self, error: Exception) -> str:
        if self.name is None:
            return _fix_for(error)
        return f"check that the engine at {self._base_url} is running and reachable ('aicode engine test {self.name}')"

    def status(self) -> EngineStatus:
        try:
            version = self.client.version()
        except EngineUnavailable as error:
            return EngineStatus(False, error.message, error.fix)
        except Exception as error:  # noqa: BLE001 - any engine failure is a status, not a crash
            self.reset()
            return EngineStatus(False, f"{self.label} is not available ({_short(error)})", self._fix(error))
        return EngineStatus(True, f"Docker {version.get('Version', '?')} (API {version.get('ApiVersion', '?')})")

    def reset(self) -> None:
        """Forget the connection (after the engine went away), to reconnect later."""
        with self._lock:
            if self._client is not None:
                self._client.close()
            self._client = None
            if self._tunnel is not None:
                self._tunnel.close()

    def close(self) -> None:
        self.reset()


def _probe_socket(path: str) -> None:
    """Connect once to the engine's Unix socket ourselves: docker-py leaves the
    socket of a failed connection to the garbage collector (a leak per retry
    while an engine is down). Raises the OSError a refused connect gives."""
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        probe.settimeout(10)
        probe.connect(path)


def _agreed_version(server: dict[str, Any]) -> str:
    """The API version to speak: the engine's, up to what docker-py knows."""
    import docker.constants

    def key(version: str) -> tuple[int, ...]:
        return tuple(int(p) for p in version.split(".") if p.isdigit())

    theirs = str(server.get("ApiVersion") or docker.constants.MINIMUM_DOCKER_API_VERSION)
    ours = docker.constants.DEFAULT_DOCKER_API_VERSION
    return theirs if key(theirs) <= key(ours) else ours


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    # docker-py wraps urllib3 errors in long reprs; the tail is what matters.
    if "(" in text and len(text) > 160:
        text = text[:157] + "..."
    return text


def translate(error: Exception) -> EngineUnavailable | None:
    """An EngineUnavailable for errors meaning the engine went away, else None."""
    import requests.exceptions

    if isinstance(error, EngineUnavailable):
        return error
    if isinstance(error, (requests.exceptions.ConnectionError, ConnectionError)):
        return EngineUnavailable(f"The Docker engine went away ({_short(error)})", _fix_for(error))
    return None
