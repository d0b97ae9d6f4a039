"""An ssh:// engine reached through the user's own ssh: a forward of the
engine's Unix socket on that machine to one of ours (``ssh -N -L``), so the
engine is then spoken to as a local unix:// one, hijacked exec streams
included. Keys, agent, known hosts and ~/.ssh/config are ssh's own."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from desktop.containers.errors import EngineUnavailable

DEFAULT_REMOTE_SOCKET = "/var/run/docker.sock"
OPEN_TIMEOUT_SECONDS = 30.0
_POLL_SECONDS = 0.05


class SshTunnel:
    def __init__(self, url: str, label: str) -> None:
        parts = urlsplit(url)
        self._host = parts.hostname or ""
        self._user = parts.username
        self._port = parts.port
        self._remote = parts.path if parts.path not in ("", "/") else DEFAULT_REMOTE_SOCKET
        self._label = label
        self._process: subprocess.Popen[bytes] | None = None
        self._folder: Path | None = None

    def open(self) -> str:
        """Start the forward (if it is not running) and return its unix:// URL."""
        if self._process is not None and self._process.poll() is None and self._folder is not None:
            return f"unix://{self._folder / 'docker.sock'}"
        self.close()
        self._folder = Path(tempfile.mkdtemp(prefix="aicode-ssh-"))  # mode 700: ours alone
        local = self._folder / "docker.sock"
        argv = ["ssh", "-N", "-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes",
                "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3",
                "-L", f"{local}:{self._remote}"]
        if self._port:
            argv += ["-p", str(self._port)]
        if self._user:
            argv += ["-l", self._user]
        argv += ["--", self._host]
        try:
            self._process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=subprocess.PIPE, start_new_session=True)
        except OSError as error:
            self.close()
            raise EngineUnavailable(f"{self._label} cannot be reached: ssh did not start ({error.strerror})",
                                    "install OpenSSH's client (ssh), then retry") from None
        deadline = time.monotonic() + OPEN_TIMEOUT_SECONDS
        while not local.exists():
            if self._process.poll() is not None or time.monotonic() > deadline:
                said = self._said()
                self.close()
                raise EngineUnavailable(f"{self._label} cannot be reached over ssh ({said or 'no answer'})",
                                        "check that 'ssh " + (f"{self._user}@" if self._user else "")
                                        + f"{self._host}' works without a password prompt (keys or agent)")
            time.sleep(_POLL_SECONDS)  # a poll for the socket ssh makes, not a wait for time
        return f"unix://{local}"

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.stderr is not None:
                process.stderr.close()
        folder, self._folder = self._folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def _said(self) -> str:
        process = self._process
        if process is None or process.stderr is None or process.poll() is None:
            return ""
        lines = process.stderr.read(4096).decode("utf-8", "replace").strip().splitlines()
        return lines[-1][:200] if lines else ""
