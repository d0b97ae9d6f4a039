"""Clone a validated repository address into the app's data directory.

Hardening, in order of what it stops:
* the address went through ``parse_git_url`` and is passed after ``--``, so it
  can never be read as an option;
* ``protocol.allow=never`` plus an allow-list (https and ssh for remote
  addresses, file only for local ones), so neither ``ext::``/``fd::`` nor a
  redirect to http:// can sneak in;
* https credentials never appear in git's argv (readable by every local user
  through /proc): git gets the address without them and a credential helper
  reads them from its environment (``credentials.py``);
* no submodules, no terminal prompts, ssh in batch mode, no LFS downloads;
* a wall-clock timeout and a cancel token, both of which kill git's whole
  process group; on any failure the destination is removed again.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from desktop.hostgit.clone.credentials import credentials_of, helper_environment, helper_settings
from desktop.hostgit.clone.messages import explain_clone_failure
from desktop.hostgit.clone.progress import (
    ClonePhase,
    CloneProgress,
    CloneProgressParser,
    ProgressCallback,
)
from desktop.hostgit.clone.urls import GitUrl, UrlKind, parse_git_url
from desktop.hostgit.errors import CloneCancelled, CloneError, CloneTimeout
from desktop.hostgit.gitenv import clone_env, config_args, git_executable

# Large repositories over slow links legitimately take a while; a hang is
# caught sooner by the low-speed and ssh keep-alive limits.
DEFAULT_TIMEOUT = 30 * 60.0

# Remote addresses may use both: a user's own ``url.<base>.insteadOf``
# commonly turns https://github.com/ into git@github.com:.
_PROTOCOLS = {
    UrlKind.HTTPS: ("https", "ssh"),
    UrlKind.SSH: ("https", "ssh"),
    UrlKind.SCP: ("https", "ssh"),
    UrlKind.LOCAL: ("file",),
}


def clone(
    url: GitUrl | str,
    dest: Path,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Path:
    """Clone ``url`` into ``dest`` (which must not exist yet) and return ``dest``.

    Blocking: run it on a worker thread. ``progress`` is called on another
    thread. Raises UnsafeUrlError, CloneError, CloneCancelled or CloneTimeout;
    after any of them ``dest`` does not exist.
    """
    git_url = parse_git_url(url) if isinstance(url, str) else url
    dest = Path(dest).absolute()
    _make_destination(dest)
    try:
        _run_git_clone(git_url, dest, progress, cancel, timeout)
        if git_url.has_credentials:
            _forget_credentials(dest, git_url)
        if progress is not None:
            progress(CloneProgress(ClonePhase.DONE, 1.0, "Done"))
    except BaseException:
        _remove_tree(dest)
        raise
    return dest


def clone_command(url: GitUrl, dest: Path) -> list[str]:
    protocols = _PROTOCOLS[url.kind]
    settings = [
        "protocol.allow=never",
        *(f"protocol.{name}.allow=always" for name in protocols),
        "protocol.ext.allow=never",
        "protocol.fd.allow=never",
        "submodule.recurse=false",
        "core.askPass=",
        # Give up on a connection that transfers almost nothing for a minute.
        "http.lowSpeedLimit=1000",
        "http.lowSpeedTime=60",
    ]
    address = url.url
    credentials = credentials_of(url)
    if credentials is not None:
        address = url.remote_url
        settings += helper_settings(credentials)
    options = ["--progress", "--no-recurse-submodules"]
    if "file" in protocols:
        # --no-local: fetch through upload-pack instead of hard-linking (or
        # copying) the source's object files. A hard link would let anyone
        # who can write the clone write the user's own repository too.
        options.append("--no-local")
    else:
        settings.append("protocol.file.allow=never")
    return [
        git_executable(),
        *config_args(settings),
        "clone",
        *options,
        "--",
        address,
        str(dest),
    ]


def clone_env_for(url: GitUrl) -> dict[str, str]:
    """The environment of the clone's git: ``clone_env`` plus, for an https
    address with user info, the variables its credential helper reads."""
    env = clone_env()
    credentials = credentials_of(url)
    if credentials is not None:
        env.update(helper_environment(credentials))
    return env


def _make_destination(dest: Path) -> None:
    # mkdir (not exist_ok) makes the directory ours: the cleanup below can
    # then never remove something that was there before.
    try:
        os.mkdir(dest, 0o700)
    except FileExistsError:
        raise CloneError(
            f"Cannot clone into {dest}: it already exists. Choose another name or remove it."
        ) from None
    except OSError as exc:
        raise CloneError(f"Cannot create {dest}: {exc.strerror}.") from exc


def _run_git_clone(
    url: GitUrl,
    dest: Path,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    timeout: float | None,
) -> None:
    if cancel is not None and cancel.is_set():
        raise CloneCancelled("The clone was cancelled.")
    if progress is not None:
        where = url.host or url.display
        progress(CloneProgress(ClonePhase.CONNECTING, None, f"Connecting to {where}"))

    process = subprocess.Popen(
        clone_command(url, dest),
        cwd=dest.parent,
        env=clone_env_for(url),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        # Its own process group, so a kill also reaches ssh and the helpers.
        start_new_session=(sys.platform != "win32"),
    )

    def on_update(report: CloneProgress) -> None:
        if cancel is not None and cancel.is_set():
            _kill(process)
            return
        if progress is not None:
            progress(report)

    parser = CloneProgressParser(on_update)
    reader = threading.Thread(target=_pump, args=(process, parser), daemon=True)
    reader.start()
    try:
        stopped = _watch(process, parser, cancel, timeout)
    finally:
        # Also on KeyboardInterrupt: git must be dead before the caller
        # removes the directory it writes to.
        _kill(process)
        process.wait()
        reader.join(timeout=10)

    if cancel is not None and cancel.is_set():
        raise CloneCancelled("The clone was cancelled.")
    if stopped == "timeout":
        raise CloneTimeout(
            f"Cloning {url.display} took longer than {timeout:g} seconds and was stopped. "
            "Check your network, or try again when the server is less busy."
        )
    if parser.failure is not None:
        raise parser.failure
    if process.returncode != 0:
        raise CloneError(explain_clone_failure(parser.error_text(), url))


def _watch(
    process: subprocess.Popen[bytes],
    parser: CloneProgressParser,
    cancel: threading.Event | None,
    timeout: float | None,
) -> str | None:
    """Wait for git; kill it on cancel, timeout or a failing progress callback."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            process.wait(timeout=0.1)
            return None
        except subprocess.TimeoutExpired:
            pass
        reason = None
        if cancel is not None and cancel.is_set():
            reason = "cancel"
        elif deadline is not None and time.monotonic() > deadline:
            reason = "timeout"
        elif parser.failure is not None:
            reason = "callback"
        if reason:
            _kill(process)
            process.wait()
            return reason


def _pump(process: subprocess.Popen[bytes], parser: CloneProgressParser) -> None:
    # git redraws progress with "\r", so lines end at either "\r" or "\n".
    assert process.stderr is not None
    pending = b""
    while chunk := os.read(process.stderr.fileno(), 65536):
        pending += chunk.replace(b"\r", b"\n")
        *lines, pending = pending.split(b"\n")
        for line in lines:
            parser.feed(line)
    if pending:
        parser.feed(pending)
    process.stderr.close()


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        if sys.platform == "win32":
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _forget_credentials(dest: Path, url: GitUrl) -> None:
    # The clone is mounted into the agent's container: a token left in
    # .git/config would be readable by the agent. GitPython's config writer
    # edits the file directly, without running git in the new repository.
    import git

    repo = git.Repo(dest)
    try:
        with repo.remote("origin").config_writer as writer:
            writer.set("url", url.remote_url)
    finally:
        repo.close()


def _remove_tree(path: Path) -> None:
    def make_writable_and_retry(function, failed_path, *_):  # type: ignore[no-untyped-def]
        # git's pack files are read-only, which Windows refuses to delete.
        os.chmod(failed_path, 0o700)
        function(failed_path)

    if not os.path.lexists(path):
        return
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=make_writable_and_retry)
    else:
        shutil.rmtree(path, onerror=make_writable_and_retry)
