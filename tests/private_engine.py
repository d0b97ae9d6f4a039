"""A second, private Docker engine for tests, beside the machine's own.

The helper starts its own ``dockerd`` (and, on request, a TLS listener and a
local ``sshd`` that leads to it), so tests can talk to "another engine" over
unix, TLS and ssh, and stop it mid-task, without touching the main engine at
/var/run/docker.sock. Every process it starts it stops (SIGTERM, then SIGKILL
after a timeout); nothing else is ever signalled. Its folders are removed
after whatever dockerd mounted under them has been unmounted.

In pytest, the session-wide ``private_engine`` fixture (tls and ssh on;
tests/conftest.py imports it). Outside pytest, or for an engine a test may stop::

    with running_private_engine(tmp_path, tls=True) as engine:
        with closing(engine.client()) as client: ...

Needs root, ``dockerd`` and the ``docker`` CLI, and for ssh ``/usr/sbin/sshd``,
``ssh`` and ``ssh-keygen`` (Debian: openssh-server, openssh-client).
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO

import docker
import docker.errors
import docker.tls
import pytest

from tests.waiting import until

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 20.0
SSHD = "/usr/sbin/sshd"  # sshd must be started by its absolute path (it re-executes itself)


class PrivateEngineError(RuntimeError):
    """The private engine (or its sshd) could not be started or cleaned up."""


@dataclass
class PrivateEngine:
    """A running private dockerd (and its sshd); ``stop()`` undoes everything.

    ``root`` (under the caller's folder) holds the data-root, logs, certificates
    and ssh files; ``run_dir`` is a short folder in /tmp for the socket and the
    exec-root, since a Unix socket path may not exceed 107 bytes."""

    root: Path
    run_dir: Path
    # Containerd namespaces keep this engine apart if it shares a system containerd (/run/containerd).
    namespace: str = field(default_factory=lambda: f"aicode-e2-{os.urandom(4).hex()}")
    tcp_url: str | None = None  # tcp://127.0.0.1:<port>, TLS with client certificates (tls=True)
    ca_path: Path | None = None
    cert_path: Path | None = None  # the client's certificate and key
    key_path: Path | None = None
    ssh_url: str | None = None  # ssh://root@127.0.0.1:<port> (ssh=True)
    ssh_home: Path | None = None  # a HOME whose .ssh/config reaches ssh_url
    _dockerd: subprocess.Popen[bytes] | None = None
    _sshd: subprocess.Popen[bytes] | None = None
    _logs: list[IO[bytes]] = field(default_factory=list)
    _stopped: bool = False
    # A bridge of its own: a dockerd started with "--bridge none" deletes the
    # interface docker0 on start (moby's removeDefaultBridgeInterface), which
    # is the machine's own engine's bridge when both share the network.
    bridge: str = field(default_factory=lambda: f"aie2{os.urandom(5).hex()}")
    _bridge_made: bool = False
    _container_ids: set[str] = field(default_factory=set)  # seen in the data-root, for leftovers()

    @property
    def socket_path(self) -> Path:
        return self.run_dir / "docker.sock"

    @property
    def unix_url(self) -> str:
        return f"unix://{self.socket_path}"

    @property
    def data_root(self) -> Path:
        return self.root / "data"

    @property
    def exec_root(self) -> Path:
        return self.run_dir / "exec"

    @property
    def running(self) -> bool:
        """Whether the dockerd the helper started is still alive."""
        return self._dockerd is not None and self._dockerd.poll() is None

    def answers(self) -> bool:
        """Whether the engine answers ``GET /_ping`` on its unix socket."""
        # Connect by hand first: docker-py leaks its socket when the connect
        # fails (a ResourceWarning, so an error in this suite).
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.settimeout(5)
                probe.connect(str(self.socket_path))
            with closing(docker.DockerClient(base_url=self.unix_url, timeout=5)) as client:
                return bool(client.ping())
        except (OSError, docker.errors.DockerException):
            return False

    def client(self) -> docker.DockerClient:
        """A docker-py client on the unix socket (the caller closes it)."""
        return docker.DockerClient(base_url=self.unix_url, timeout=60)

    def tls_client(self, *, client_cert: bool = True) -> docker.DockerClient:
        """A docker-py client over TCP that trusts our CA, with the client
        certificate unless ``client_cert`` is false (the caller closes it)."""
        if self.tcp_url is None or self.ca_path is None or self.cert_path is None or self.key_path is None:
            raise PrivateEngineError("this private engine was started without tls")
        tls = docker.tls.TLSConfig(client_cert=(str(self.cert_path), str(self.key_path)) if client_cert else None,
                                   ca_cert=str(self.ca_path), verify=True)
        # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE (set on many
        # machines) override the session's CA, so the client would distrust
        # ours; trust_env=False stops that, but only after construction, which
        # asks for the API version unless given one: the unix socket tells it.
        with closing(self.client()) as local:
            version = local.version()["ApiVersion"]
        client = docker.DockerClient(base_url=self.tcp_url, tls=tls, version=version, timeout=60)
        client.api.trust_env = False
        return client

    def ssh_env(self) -> dict[str, str]:
        """The environment for a client process that reaches ``ssh_url``.

        HOME is ``ssh_home`` (the docker CLI's config and paramiko's
        ~/.ssh/config follow it), but OpenSSH's ``ssh`` reads the config in the
        passwd entry's home, never $HOME: so PATH starts with
        ``ssh_home/bin``, whose ``ssh`` runs the real one with ``-F``."""
        if self.ssh_home is None:
            raise PrivateEngineError("this private engine was started without ssh")
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
        env["HOME"] = str(self.ssh_home)
        env["PATH"] = f"{self.ssh_home / 'bin'}{os.pathsep}{env.get('PATH', os.defpath)}"
        return env

    def load_image(self, from_client: docker.DockerClient, tag: str) -> None:
        """Copy ``tag`` from another engine into this one (docker save | docker
        load, streamed: the 715 MB agent image takes about 20 s)."""
        # Saving by name (not by id) keeps the tag in the archive.
        chunks = from_client.api.get_image(tag)
        with closing(self.client()) as client:
            client.images.load(chunks)
            client.images.get(tag)  # raises ImageNotFound if the tag did not arrive

    def leftovers(self) -> list[str]:
        """What is left of this engine: processes naming its folders, mounts
        under them, the folders themselves (all empty after ``stop()``)."""
        found = [f"process {pid}: {_cmdline(pid)}"
                 for pid in _processes_naming(str(self.root), str(self.run_dir), self.namespace)]
        found += [f"container process {pid}: {_cmdline(pid)}"
                  for pid in _in_cgroups_of(self._container_ids | _container_ids(self.data_root))[0]]
        found += [f"mount {point}" for point in _mounts_under(self.root, self.run_dir)]
        if _link_exists(self.bridge):
            found.append(f"bridge {self.bridge}")
        return found + [f"folder {folder}" for folder in (self.root, self.run_dir) if folder.exists()]

    def logs(self) -> str:
        """The output of dockerd and sshd so far, for failure messages."""
        return _read_logs(self.root)

    def stop_engine(self) -> None:
        """Stop only the private dockerd, as an engine that goes away: SIGTERM
        to the process the helper started, SIGKILL after STOP_TIMEOUT_S."""
        if self._dockerd is not None:
            _terminate(self._dockerd, STOP_TIMEOUT_S)

    def stop(self) -> None:
        """Stop everything the helper started and remove its folders."""
        if self._stopped:
            return
        self._stopped = True
        if self.running:
            # Containers first, so dockerd unmounts their filesystems itself;
            # then images, which live in a shared system containerd when the
            # engine uses the containerd image store (Docker 29's default).
            with suppress(docker.errors.DockerException), closing(self.client()) as client:
                for container in client.containers.list(all=True):
                    container.remove(force=True)
                client.images.prune(filters={"dangling": False})
        if self._sshd is not None:
            # Each ssh connection is a child sshd in a session of its own: ours too.
            sessions = _descendants(self._sshd.pid)
            _terminate(self._sshd, STOP_TIMEOUT_S)
            _end(sessions)
        try:
            self.stop_engine()
            # The containerd that dockerd supervises, and its shims, name our
            # folders or namespace on their command lines; whatever is left of them is ours.
            _end(_processes_naming(str(self.root), str(self.run_dir), self.namespace))
            # A dockerd that had to be killed leaves its containers running
            # (their shims were killed above): they are found by the cgroups
            # named after the container IDs in our data-root.
            self._container_ids.update(_container_ids(self.data_root))
            processes, cgroups = _in_cgroups_of(self._container_ids)
            # SIGKILL at once, as `docker rm -f` does: a container's PID 1 ignores SIGTERM unless it handles it.
            _end(processes, (signal.SIGKILL,))
            _remove_cgroups(cgroups)
        finally:
            for log in self._logs:
                log.close()
        if self._bridge_made:
            subprocess.run(["ip", "link", "del", self.bridge], check=False, capture_output=True)
        for point in _mounts_under(self.root, self.run_dir):
            subprocess.run(["umount", "-l", point], check=False, capture_output=True)
        left = _mounts_under(self.root, self.run_dir)
        if left:
            # Deleting through a mount could delete what it shows: leave the folders.
            raise PrivateEngineError(f"still mounted, {self.root} and {self.run_dir} were kept: {left}")
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.rmtree(self.run_dir, ignore_errors=True)


def start_private_engine(tmp_root: Path, *, tls: bool = False, ssh: bool = False) -> PrivateEngine:
    """Start a private dockerd (with a TLS listener and an sshd on request)
    and wait until it answers; raises PrivateEngineError with the logs' tail."""
    for exe in ["dockerd", "docker"] + (["ssh", "ssh-keygen"] if ssh else []):
        if shutil.which(exe) is None:
            raise PrivateEngineError(f"{exe} not found (scripts/setup.sh test installs it)")
    if ssh and not os.access(SSHD, os.X_OK):
        raise PrivateEngineError(f"{SSHD} not found (scripts/setup.sh test installs openssh-server)")
    engine = PrivateEngine(root=Path(tempfile.mkdtemp(prefix="engine-", dir=tmp_root)).resolve(),
                           run_dir=Path(tempfile.mkdtemp(prefix="aicode-e2-", dir="/tmp")))
    try:
        if tls:
            _make_certificates(engine)
        _start_dockerd(engine)
        if ssh:
            _start_sshd(engine)
    except BaseException:
        engine.stop()
        raise
    return engine


@contextmanager
def running_private_engine(tmp_root: Path, *, tls: bool = False, ssh: bool = False) -> Iterator[PrivateEngine]:
    engine = start_private_engine(tmp_root, tls=tls, ssh=ssh)
    try:
        yield engine
    finally:
        engine.stop()


@pytest.fixture(scope="session")
def private_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateEngine]:
    """One private engine for the session, with tls and ssh, started when
    first asked for. A test that stops it must start its own instead."""
    with running_private_engine(tmp_path_factory.mktemp("private-engine"), tls=True, ssh=True) as engine:
        yield engine


def _start_dockerd(engine: PrivateEngine) -> None:
    # A config file of our own: the machine's /etc/docker/daemon.json (hosts,
    # data-root...) would clash with these flags or leak into this engine.
    settings = {}
    if _dockerd_major() < 23:
        # Before 23.0 the engine's ID comes from /etc/docker/key.json: without
        # a key of its own this engine would have the main one's ID (and would
        # write that file where it is missing). A setting, not a flag.
        settings["deprecated-key-path"] = str(engine.root / "key.json")
    config = engine.root / "daemon.json"
    config.write_text(json.dumps(settings))
    _make_bridge(engine)
    args = ["dockerd", "--host", engine.unix_url, "--config-file", str(config),
            "--data-root", str(engine.data_root), "--exec-root", str(engine.exec_root),
            "--pidfile", str(engine.root / "docker.pid"),
            # Its own bridge, no firewall or forwarding changes: the machine's network is left alone.
            "--bridge", engine.bridge, "--iptables=false", "--ip6tables=false", "--ip-forward=false",
            "--ip-masq=false",
            "--containerd-namespace", engine.namespace, "--containerd-plugins-namespace", f"{engine.namespace}-p"]
    if engine.tcp_url is not None:
        server = engine.root / "tls"
        args += ["--host", engine.tcp_url, "--tlsverify", "--tlscacert", str(engine.ca_path),
                 "--tlscert", str(server / "server-cert.pem"), "--tlskey", str(server / "server-key.pem")]
    log = open(engine.root / "dockerd.log", "wb")  # noqa: SIM115 - closed by stop()
    engine._logs.append(log)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
    # A session of its own: a Ctrl-C in the terminal reaches pytest, whose
    # cleanup removes the containers before dockerd stops.
    engine._dockerd = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                                       start_new_session=True)
    _wait(engine, "the private dockerd to answer /_ping", engine._dockerd, engine.answers)


def _make_bridge(engine: PrivateEngine) -> None:
    """A bridge for the engine's default network, on a /24 no route uses yet."""
    used = subprocess.run(["ip", "-4", "route"], capture_output=True, text=True, check=True).stdout
    subnet = next((f"10.213.{n}" for n in range(10, 250) if f"10.213.{n}." not in used), None)
    if subnet is None:
        raise PrivateEngineError("no free 10.213.x.0/24 for the private engine's bridge")
    for argv in (["ip", "link", "add", engine.bridge, "type", "bridge"],
                 ["ip", "addr", "add", f"{subnet}.1/24", "dev", engine.bridge],
                 ["ip", "link", "set", engine.bridge, "up"]):
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode:
            raise PrivateEngineError(f"{' '.join(argv)}: {done.stderr.strip()}")
        engine._bridge_made = True


def _link_exists(name: str) -> bool:
    return subprocess.run(["ip", "link", "show", name], capture_output=True).returncode == 0


def _dockerd_major() -> int:
    out = subprocess.run(["dockerd", "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"version (\d+)\.", out)
    return int(match.group(1)) if match else 0


def _make_certificates(engine: PrivateEngine) -> None:
    """A CA, a server certificate for 127.0.0.1/localhost and a client
    certificate. ``cryptography`` is in the venv through keyring (SecretStorage)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = engine.root / "tls"
    folder.mkdir(mode=0o700)
    now = datetime.now(timezone.utc)

    def issue(name: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Certificate | None,
              signer: ec.EllipticCurvePrivateKey, extensions: list[tuple[x509.ExtensionType, bool]]
              ) -> x509.Certificate:
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        builder = (x509.CertificateBuilder().subject_name(subject)
                   .issuer_name(issuer.subject if issuer else subject).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=7))
                   .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False))
        if issuer is not None:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), False)
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical)
        return builder.sign(signer, hashes.SHA256())

    def write(stem: str, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> tuple[Path, Path]:
        key_path, cert_path = folder / f"{stem}-key.pem", folder / f"{stem}-cert.pem"
        key_path.touch(mode=0o600)
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return key_path, cert_path

    no_ca = (x509.BasicConstraints(ca=False, path_length=None), True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = issue("aicode-e2 test CA", ca_key, None, ca_key, [
        (x509.BasicConstraints(ca=True, path_length=0), True),
        (x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                       data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                       encipher_only=False, decipher_only=False), True)])
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = issue("localhost", server_key, ca, ca_key, [no_ca, (x509.SubjectAlternativeName(
        [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]), False),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)])
    client_key = ec.generate_private_key(ec.SECP256R1())
    # dockerd (Go) accepts a client certificate only with the clientAuth usage.
    client = issue("aicode-e2 client", client_key, ca, ca_key, [
        no_ca, (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False)])
    _, engine.ca_path = write("ca", ca_key, ca)
    write("server", server_key, server)
    engine.key_path, engine.cert_path = write("client", client_key, client)
    engine.tcp_url = f"tcp://127.0.0.1:{_free_port()}"


def _start_sshd(engine: PrivateEngine) -> None:
    """An sshd on 127.0.0.1 that lets root in with a key of ours only, and
    whose sessions' DOCKER_HOST is the private engine (so ``docker system
    dial-stdio`` over ssh reaches it, not the machine's engine)."""
    folder = engine.root / "sshd"
    folder.mkdir(mode=0o700)
    home = engine.root / "home"
    dot_ssh = home / ".ssh"
    dot_ssh.mkdir(parents=True, mode=0o700)
    host_key, client_key = folder / "host_key", dot_ssh / "id_ed25519"
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "aicode-e2", "-f", str(key)],
                       check=True, capture_output=True)
    authorized = folder / "authorized_keys"
    authorized.write_text(client_key.with_suffix(".pub").read_text())
    port = _free_port()
    config = folder / "sshd_config"
    config.write_text(f"""\
ListenAddress 127.0.0.1
HostKey {host_key}
PidFile {folder / "sshd.pid"}
AuthorizedKeysFile {authorized}
AllowUsers root
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
PrintMotd no
SetEnv DOCKER_HOST={engine.unix_url}
""")
    # The privilege separation folder; Debian's service makes it at boot. Left
    # in place: it is the system's, not ours.
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    log = open(engine.root / "sshd.log", "wb")  # noqa: SIM115 - closed by stop()
    engine._logs.append(log)
    engine._sshd = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config), "-p", str(port)],
                                    stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)

    host_public = " ".join(host_key.with_suffix(".pub").read_text().split()[:2])
    known_hosts = dot_ssh / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{port} {host_public}\n[localhost]:{port} {host_public}\n")
    ssh_config = dot_ssh / "config"
    ssh_config.touch(mode=0o600)  # ssh refuses a config others can write
    ssh_config.write_text(f"""\
Host 127.0.0.1 localhost
  User root
  Port {port}
  IdentityFile {client_key}
  IdentitiesOnly yes
  UserKnownHostsFile {known_hosts}
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  UpdateHostKeys no
  BatchMode yes
  ControlMaster no
  ControlPath none
  LogLevel ERROR
""")
    # ssh ignores $HOME (see PrivateEngine.ssh_env): a wrapper first on PATH gives it our config.
    bin_dir = home / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "ssh"
    wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(shutil.which("ssh") or "ssh")} '
                       f'-F {shlex.quote(str(ssh_config))} "$@"\n')
    wrapper.chmod(0o755)
    engine.ssh_home = home
    engine.ssh_url = f"ssh://root@127.0.0.1:{port}"
    _wait(engine, "the private sshd to greet", engine._sshd, lambda: _greets(port))


def _greets(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            return conn.recv(4).startswith(b"SSH-")
    except OSError:
        return False


def _wait(engine: PrivateEngine, what: str, proc: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    def check() -> bool:
        if proc.poll() is not None:
            raise PrivateEngineError(f"{what}: it exited with {proc.returncode}:\n{engine.logs()[-3000:]}")
        return ready()

    try:
        until(what, check, timeout=START_TIMEOUT_S)
    except AssertionError as error:
        raise PrivateEngineError(f"{error}:\n{engine.logs()[-3000:]}") from None


def _free_port() -> int:
    # Another process could take it before our server binds: unlikely enough for tests.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _terminate(proc: subprocess.Popen[bytes], timeout: float) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _processes_naming(*names: str) -> list[int]:
    """The processes whose command line holds one of these names (random
    folder and namespace names: only what the helper started holds them)."""
    needles = [name.encode() for name in names]
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with suppress(OSError):
            if int(cmdline.parent.name) != os.getpid() and any(n in cmdline.read_bytes() for n in needles):
                found.append(int(cmdline.parent.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "(gone)"


def _end(pids: list[int], signals: tuple[signal.Signals, ...] = (signal.SIGTERM, signal.SIGKILL)) -> None:
    """SIGTERM, then SIGKILL what is left after STOP_TIMEOUT_S."""
    for sig in signals:
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, sig)
        with suppress(AssertionError):
            until(f"processes {pids} to end", lambda: not any(_alive(pid) for pid in pids), timeout=STOP_TIMEOUT_S)
            return
    raise PrivateEngineError(f"processes {pids} survived SIGKILL")


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for its (reaping) parent."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _container_ids(data_root: Path) -> set[str]:
    folders = (data_root / "containers").glob("*")
    return {folder.name for folder in folders if re.fullmatch("[0-9a-f]{64}", folder.name)}


def _in_cgroups_of(container_ids: set[str]) -> tuple[list[int], set[str]]:
    """The processes in these containers' cgroups, and those cgroups' paths
    (IDs are 64 random hex digits: no other engine's cgroup names them)."""
    processes, cgroups = [], set()
    for cgroup in Path("/proc").glob("[0-9]*/cgroup") if container_ids else ():
        with suppress(OSError):
            # Lines are "hierarchy:controllers:path".
            paths = {line.split(":", 2)[2] for line in cgroup.read_text().splitlines()}
            ours = {path for path in paths if any(container in path for container in container_ids)}
            if ours and _alive(int(cgroup.parent.name)):
                processes.append(int(cgroup.parent.name))
                cgroups |= ours
    return processes, cgroups


def _remove_cgroups(paths: set[str]) -> None:
    """Remove the (now empty) cgroups runc would have removed; rmdir takes only empty ones."""
    for line in Path("/proc/self/mounts").read_text().splitlines():
        _, point, kind = line.split(" ")[:3]
        for path in paths if kind in ("cgroup", "cgroup2") else ():
            with suppress(OSError):
                os.rmdir(f"{point}{path}")


def _mounts_under(*folders: Path) -> list[str]:
    """Mount points at or under these folders, deepest first."""
    points = set()
    for line in Path("/proc/self/mounts").read_text().splitlines():
        # Spaces and the like are octal escapes in /proc/self/mounts.
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), line.split(" ")[1])
        if any(point == str(folder) or point.startswith(f"{folder}/") for folder in folders):
            points.add(point)
    return sorted(points, key=len, reverse=True)


def _read_logs(root: Path) -> str:
    return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')}" for log in sorted(root.glob("*.log")))
