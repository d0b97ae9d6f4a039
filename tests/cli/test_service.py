"""The `aicode` client and its warm service: same results as in-process,
private socket, recovery from a stale socket, idle exit, stop."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(aicode_home: Path, tmp_path: Path) -> dict[str, str]:
    environment = dict(os.environ, AICODE_HOME=str(aicode_home), PYTHONPATH=str(ROOT),
                       XDG_RUNTIME_DIR=str(tmp_path / "run"), AICODE_SERVICE_IDLE="30")
    (tmp_path / "run").mkdir(mode=0o700)
    yield environment
    subprocess.run([sys.executable, "-m", "desktop.cli", "service", "stop"], env=environment, capture_output=True)


def aicode(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desktop.cli", *args], env=env, capture_output=True, text=True,
                          timeout=60, cwd=cwd)


def _socket(env: dict[str, str]) -> Path:
    done = subprocess.run([sys.executable, "-c", "from desktop.cli.service_address import socket_path; print(socket_path())"],
                          env=env, capture_output=True, text=True, check=True)
    return Path(done.stdout.strip())


def test_same_output_and_exit_codes_as_in_process(env: dict[str, str], tmp_path: Path) -> None:
    local = dict(env, AICODE_NO_SERVICE="1")
    for args in (("workspace", "list"), ("workspace", "show", "nope"), ("task", "list", "--json"),
                 ("workspace", "add", "x"), ("task", "frobnicate")):
        served, direct = aicode(env, *args), aicode(local, *args)
        assert (served.returncode, served.stdout, served.stderr) == (direct.returncode, direct.stdout, direct.stderr), args
    assert aicode(env, "workspace", "show", "nope").returncode == 2
    path = _socket(env)
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_finding_6_relative_folders_are_the_clients_not_the_services(env: dict[str, str], tmp_path: Path) -> None:
    elsewhere, project, repo = tmp_path / "elsewhere", tmp_path / "project", tmp_path / "project" / "repo"
    elsewhere.mkdir()
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@localhost",
                    "commit", "-q", "--allow-empty", "-m", "first"], check=True)
    # The service starts from another directory than the one the next commands run in.
    assert aicode(env, "workspace", "list", cwd=elsewhere).returncode == 0
    assert _socket(env).exists()
    for name, args in (("dot", ("--path", ".")), ("eq", ("--path=.",)), ("abbrev", ("--pat", "repo")),
                       ("git", ("--git", "repo"))):
        done = aicode(env, "workspace", "add", name, *args, "--json", cwd=project)
        assert done.returncode == 0, done.stderr
    shown = {name: json.loads(aicode(env, "workspace", "show", name, "--json").stdout)
             for name in ("dot", "eq", "abbrev", "git")}
    assert [shown[n]["path"] for n in ("dot", "eq", "abbrev")] == [str(project), str(project), str(repo)]
    assert str(repo) in shown["git"]["git_url"]
    # A relative folder that still reaches the service (another client) names
    # the service's own directory, "/": refused, never "elsewhere".
    code, err = _raw_request(env, ["workspace", "add", "raw", "--path", "."])
    assert code == 2 and "too broad" in err


def _raw_request(env: dict[str, str], argv: list[str]) -> tuple[int, str]:
    from desktop.cli.service_protocol import Reader, send

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(_socket(env)))
        send(conn, {"argv": argv, "stdin": None, "tty": False})
        reader, err = Reader(conn), ""
        while (message := reader.next()) is not None:
            if "exit" in message:
                return int(message["exit"]), err
            err += message.get("err", "")
    raise AssertionError("the service hung up")


def test_a_stale_socket_is_replaced(env: dict[str, str]) -> None:
    path = _socket(env)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))  # a file left by a service that died, nobody listening
    stale.close()
    done = aicode(env, "workspace", "list")
    assert done.returncode == 0 and "No workspaces yet" in done.stdout


def test_the_service_stops_when_asked_and_when_idle(env: dict[str, str]) -> None:
    assert aicode(env, "workspace", "list").returncode == 0
    path = _socket(env)
    assert path.exists()
    assert aicode(env, "service", "stop").stdout.strip() == "service stopped"
    _wait_gone(path)
    idle = dict(env, AICODE_SERVICE_IDLE="1")
    assert aicode(idle, "workspace", "list").returncode == 0
    path = _socket(idle)
    assert path.exists()
    _wait_gone(path, timeout=30)


def _wait_gone(path: Path, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not path.exists()


def test_a_changed_environment_gets_its_own_service(env: dict[str, str], tmp_path: Path) -> None:
    other = dict(env, AICODE_HOME=str(tmp_path / "other-home"))
    assert _socket(env) != _socket(other)
    assert aicode(other, "workspace", "list").returncode == 0
    aicode(other, "service", "stop")


def test_a_mistyped_command_starts_no_service(env: dict[str, str]) -> None:
    done = aicode(env, "no-such-command")
    assert done.returncode == 2 and "invalid choice" in done.stderr
    assert not _socket(env).exists()


def test_detach_in_process_runs_in_a_background_process(env: dict[str, str], tmp_path: Path) -> None:
    # Without the service, --detach hands the task to a process of its own.
    local = dict(env, AICODE_NO_SERVICE="1")
    (tmp_path / "p").mkdir()
    assert aicode(local, "workspace", "add", "w", "--path", str(tmp_path / "p")).returncode == 0
    done = aicode(local, "task", "run", "w", "hello", "--detach")
    assert done.returncode == 0
    task_id = done.stdout.strip()
    deadline = time.monotonic() + 60
    state = "queued"
    while state in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.2)
        state = aicode(local, "task", "show", task_id, "--json").stdout.split('"state": "')[1].split('"')[0]
    # No API key in this test's keyring: the background runner failed it, with the reason.
    shown = aicode(local, "task", "show", task_id)
    assert state == "failed"
    assert "No usable OS keyring" in shown.stdout or "No Anthropic API key" in shown.stdout
