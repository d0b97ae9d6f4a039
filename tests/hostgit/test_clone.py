from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.hostgit.clone.git_clone import clone, clone_command, clone_env_for
from desktop.hostgit.clone.progress import ClonePhase, CloneProgress
from desktop.hostgit.clone.urls import GitUrl, UrlKind, parse_git_url
from desktop.hostgit.errors import CloneCancelled, CloneError, CloneTimeout, UnsafeUrlError
from desktop.hostgit.gitenv import clone_env
from tests.hostgit.gitscratch import Scratch, git


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A bare repository with a small history, as a local 'server'."""
    work = Scratch(tmp_path / "work", {"README.md": b"hello\n", "src/app.py": b"print(1)\n"})
    path = tmp_path / "server" / "repo.git"
    git(tmp_path, "clone", "-q", "--bare", str(work.path), str(path))
    return path


@pytest.fixture
def clones(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "clones"
    path.mkdir(parents=True)
    return path


def test_clones_a_local_bare_repository(bare: Path, clones: Path) -> None:
    reports: list[CloneProgress] = []
    dest = clone(str(bare), clones / "ws1", progress=reports.append)
    assert dest == clones / "ws1"
    assert (dest / "README.md").read_bytes() == b"hello\n"
    assert (dest / "src" / "app.py").exists()
    assert reports[0].phase is ClonePhase.CONNECTING
    assert reports[-1] == CloneProgress(ClonePhase.DONE, 1.0, "Done")
    assert all(r.fraction is None or 0.0 <= r.fraction <= 1.0 for r in reports)


def test_local_clone_reports_transfer_progress(bare: Path, clones: Path) -> None:
    # Local clones go through upload-pack (--no-local), so git reports phases.
    reports: list[CloneProgress] = []
    clone(f"file://{bare}", clones / "ws", progress=reports.append)
    phases = [r.phase for r in reports]
    assert ClonePhase.COUNTING in phases
    assert ClonePhase.RECEIVING in phases
    assert [r for r in reports if r.phase is ClonePhase.RECEIVING][-1].fraction == 1.0
    assert (
        "Receiving objects" in next(r for r in reports if r.phase is ClonePhase.RECEIVING).message
    )


def test_local_clone_does_not_hard_link_the_source(bare: Path, clones: Path) -> None:
    dest = clone(str(bare), clones / "ws")
    objects = [p for p in (dest / ".git" / "objects").rglob("*") if p.is_file()]
    assert objects
    assert all(p.stat().st_nlink == 1 for p in objects)


def test_missing_local_repository_is_refused_before_git(tmp_path: Path, clones: Path) -> None:
    with pytest.raises(UnsafeUrlError, match="no folder"):
        clone(str(tmp_path / "nope"), clones / "ws")
    assert not (clones / "ws").exists()


def test_folder_that_is_not_a_repository(tmp_path: Path, clones: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(CloneError) as caught:
        clone(str(tmp_path / "plain"), clones / "ws")
    assert "git said" in str(caught.value)
    assert not (clones / "ws").exists()
    assert list(clones.iterdir()) == []


def test_existing_destination_is_refused_and_left_alone(bare: Path, clones: Path) -> None:
    dest = clones / "ws"
    dest.mkdir()
    (dest / "mine.txt").write_text("keep me")
    with pytest.raises(CloneError, match="already exists"):
        clone(str(bare), dest)
    assert (dest / "mine.txt").read_text() == "keep me"


def test_destination_parent_must_exist(bare: Path, tmp_path: Path) -> None:
    with pytest.raises(CloneError, match="Cannot create"):
        clone(str(bare), tmp_path / "no" / "such" / "ws")


@pytest.mark.parametrize(
    "template",
    [
        "ext::sh -c touch% {marker}",
        "ext::sh -c 'touch {marker}'",
        "--upload-pack=touch {marker}",
        "--upload-pack=touch {marker} ",
        "ssh://-oProxyCommand=touch {marker}/x",
        "ssh://-oProxyCommand=touch%20{marker}/x",
        "-oProxyCommand=touch {marker}",
        "git@-oProxyCommand=touch:{marker}",
        "fd::0",
    ],
)
def test_hostile_urls_are_refused_and_run_nothing(
    template: str, tmp_path: Path, clones: Path
) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(UnsafeUrlError):
        clone(template.format(marker=marker), clones / "ws")
    assert not marker.exists()
    assert not (clones / "ws").exists()


@pytest.mark.parametrize(
    ("kind", "template"),
    [
        (UrlKind.HTTPS, "ext::sh -c 'touch {marker}'"),
        (UrlKind.SSH, "--upload-pack=touch {marker}"),
        (UrlKind.SCP, "ssh://-oProxyCommand=touch%20{marker}/x"),
        (UrlKind.LOCAL, "ext::sh -c 'touch {marker}'"),
    ],
)
def test_git_itself_refuses_even_if_validation_were_bypassed(
    kind: UrlKind, template: str, tmp_path: Path, clones: Path
) -> None:
    # Defence in depth: the protocol allow-list and "--" hold on their own.
    marker = tmp_path / "pwned"
    text = template.format(marker=marker)
    forged = GitUrl(kind, text, text, text, "host")
    with pytest.raises(CloneError):
        clone(forged, clones / "ws")
    assert not marker.exists()
    assert not (clones / "ws").exists()


def test_command_puts_the_url_after_double_dash(bare: Path, tmp_path: Path) -> None:
    url = parse_git_url(str(bare))
    command = clone_command(url, tmp_path / "dest")
    assert command[command.index("--") + 1 :] == [str(bare), str(tmp_path / "dest")]
    assert "protocol.ext.allow=never" in command
    assert "protocol.fd.allow=never" in command
    assert "protocol.file.allow=always" in command
    assert "--no-local" in command
    assert not any("recurse-submodules" in arg and "no-" not in arg for arg in command)


def test_remote_command_never_allows_file_protocol() -> None:
    command = clone_command(parse_git_url("https://github.com/o/r"), Path("/x"))
    assert "protocol.file.allow=never" in command
    assert "protocol.https.allow=always" in command
    assert "protocol.ssh.allow=always" in command
    assert "protocol.allow=never" in command
    assert "protocol.http.allow=always" not in command
    assert "--no-local" not in command


def test_environment_is_non_interactive_and_drops_git_variables() -> None:
    env = clone_env({"PATH": "/bin", "GIT_DIR": "/elsewhere", "GIT_CONFIG_PARAMETERS": "'x=y'"})
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    assert "-o BatchMode=yes" in env["GIT_SSH_COMMAND"]
    assert "GIT_DIR" not in env and "GIT_CONFIG_PARAMETERS" not in env
    assert env["PATH"] == "/bin"


def test_inherited_git_dir_does_not_redirect_the_clone(
    bare: Path, clones: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    clone(str(bare), clones / "ws")
    assert (clones / "ws" / ".git").is_dir()
    assert not (tmp_path / "elsewhere").exists()


def test_submodules_are_not_cloned(tmp_path: Path, clones: Path) -> None:
    sub = Scratch(tmp_path / "sub", {"inner.txt": b"inner\n"})
    main = Scratch(tmp_path / "main", {"outer.txt": b"outer\n"})
    git(
        main.path,
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        str(sub.path),
        "lib",
    )
    git(main.path, "commit", "-q", "-m", "add submodule")
    dest = clone(str(main.path), clones / "ws")
    assert (dest / "outer.txt").exists()
    assert (dest / "lib").is_dir()
    assert list((dest / "lib").iterdir()) == []


def test_cancel_before_start(bare: Path, clones: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CloneCancelled):
        clone(str(bare), clones / "ws", cancel=cancel)
    assert not (clones / "ws").exists()


def test_cancel_from_the_progress_callback(bare: Path, clones: Path) -> None:
    cancel = threading.Event()

    def on_progress(report: CloneProgress) -> None:
        cancel.set()

    with pytest.raises(CloneCancelled):
        clone(f"file://{bare}", clones / "ws", progress=on_progress, cancel=cancel)
    assert not (clones / "ws").exists()


def test_failing_progress_callback_aborts_and_cleans_up(bare: Path, clones: Path) -> None:
    def on_progress(report: CloneProgress) -> None:
        if report.phase is not ClonePhase.CONNECTING:
            raise RuntimeError("ui went away")

    with pytest.raises(RuntimeError, match="ui went away"):
        clone(f"file://{bare}", clones / "ws", progress=on_progress)
    assert not (clones / "ws").exists()


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_timeout_kills_git_and_cleans_up(silent_server: int, clones: Path) -> None:
    started = time.monotonic()
    with pytest.raises(CloneTimeout, match="longer than 1 seconds"):
        clone(f"https://127.0.0.1:{silent_server}/repo.git", clones / "ws", timeout=1)
    assert time.monotonic() - started < 15
    assert not (clones / "ws").exists()


def test_cancel_while_git_waits_on_the_network(silent_server: int, clones: Path) -> None:
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(CloneCancelled):
        clone(f"https://127.0.0.1:{silent_server}/repo.git", clones / "ws", cancel=cancel)
    assert time.monotonic() - started < 15
    assert not (clones / "ws").exists()


def test_https_credentials_do_not_stay_in_the_clone(bare: Path, clones: Path) -> None:
    # A local clone standing in for https: what matters is the origin URL
    # written afterwards, without the token the agent could read.
    url = GitUrl(
        UrlKind.LOCAL,
        str(bare),
        "https://me:***@example.invalid/r.git",
        "https://example.invalid/r.git",
        None,
        has_credentials=True,
    )
    dest = clone(url, clones / "ws")
    config = (dest / ".git" / "config").read_text()
    assert "https://example.invalid/r.git" in config
    assert str(bare) not in config


def test_error_message_masks_the_password(silent_server: int, clones: Path) -> None:
    # A refused connection: git's message quotes the URL, ours must not.
    port = silent_server
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    assert closed_port != port
    with pytest.raises(CloneError) as caught:
        clone(f"https://me:s3cret@127.0.0.1:{closed_port}/r.git", clones / "ws", timeout=30)
    assert "s3cret" not in str(caught.value)
    assert "could not be reached" in str(caught.value)
    assert not (clones / "ws").exists()


# -- Finding 9: an https token never reaches git's argv, and LFS smudge is off --


def _captured_clone(
    monkeypatch: pytest.MonkeyPatch, text: str, dest: Path
) -> tuple[list[str], dict[str, str]]:
    """Run ``clone`` with Popen replaced by a recorder; return git's argv and environment."""
    import subprocess

    seen: dict[str, object] = {}

    class Recorded(Exception):
        pass

    def fake_popen(args: list[str], **kwargs: object) -> None:
        seen["args"], seen["env"] = list(args), dict(kwargs["env"])  # type: ignore[arg-type]
        raise Recorded

    monkeypatch.setattr(subprocess, "Popen", fake_popen)
    with pytest.raises(Recorded):
        clone(text, dest)
    return seen["args"], seen["env"]  # type: ignore[return-value]


def test_finding_9_the_token_is_in_no_argument_of_git(
    clones: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "https://me:s3cr%2Ft-token@example.invalid/o/r.git"
    args, env = _captured_clone(monkeypatch, text, clones / "ws")
    assert not [arg for arg in args if "s3cr" in arg]
    assert args[args.index("--") + 1] == "https://example.invalid/o/r.git"
    # The helper only names variables; the values reach git through the environment.
    assert "s3cr/t-token" in env.values() and "me" in env.values()
    assert "credential.helper=" in args
    assert not (clones / "ws").exists()


def test_finding_9_a_token_user_name_is_in_no_argument_of_git(
    clones: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "https://ghp_0123456789abcdefghij@example.invalid/r"
    args, env = _captured_clone(monkeypatch, text, clones / "ws")
    assert not [arg for arg in args if "ghp_" in arg]
    assert "ghp_0123456789abcdefghij" in env.values()


def test_finding_9_lfs_smudge_is_skipped(clones: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert clone_env({"PATH": "/bin"})["GIT_LFS_SKIP_SMUDGE"] == "1"
    _, env = _captured_clone(monkeypatch, "https://example.invalid/o/r.git", clones / "ws")
    assert env["GIT_LFS_SKIP_SMUDGE"] == "1"


def test_finding_9_the_helper_hands_git_the_credentials(tmp_path: Path) -> None:
    # What git-remote-https does on a 401: ``git credential fill`` through the
    # helpers the clone configured, in the environment the clone gives git.
    import subprocess

    url = parse_git_url("https://me:p%40ss%20word@example.invalid/o/r.git")
    command = clone_command(url, tmp_path / "dest")
    configs = command[1 : command.index("clone")]
    env = clone_env_for(url)
    reply = subprocess.run(
        [command[0], *configs, "credential", "fill"],
        input="protocol=https\nhost=example.invalid\npath=o/r.git\n\n",
        capture_output=True, text=True, env=env, cwd=tmp_path, check=True,
    )
    assert "username=me\n" in reply.stdout
    assert "password=p@ss word\n" in reply.stdout


def test_finding_9_line_breaks_in_credentials_are_refused() -> None:
    with pytest.raises(UnsafeUrlError, match="line break"):
        parse_git_url("https://me:pass%0Ahost=evil@example.invalid/r.git")


def test_finding_9_inherited_helper_variables_are_dropped() -> None:
    url = parse_git_url("https://example.invalid/r.git")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AICODE_CLONE_PASSWORD", "leaked")
        assert "AICODE_CLONE_PASSWORD" not in clone_env_for(url)
