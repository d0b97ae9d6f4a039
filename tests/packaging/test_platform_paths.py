"""Where the app finds Docker Desktop's engine on the platforms the installers target."""

from __future__ import annotations

import socket
from pathlib import Path

from desktop.containers.engine import docker_desktop_socket


def listening_socket(path: Path) -> socket.socket:
    path.parent.mkdir(parents=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    return server


def test_macos_without_the_default_socket_uses_docker_desktops(tmp_path: Path):
    home = tmp_path / "home"
    with listening_socket(home / ".docker" / "run" / "docker.sock"):
        found = docker_desktop_socket("darwin", home, default=tmp_path / "var-run-docker.sock")
    assert found == f"unix://{home}/.docker/run/docker.sock"


def test_the_default_socket_wins_where_it_exists(tmp_path: Path):
    home = tmp_path / "home"
    with listening_socket(home / ".docker" / "run" / "docker.sock"), \
            listening_socket(tmp_path / "var" / "docker.sock"):
        assert docker_desktop_socket("darwin", home, default=tmp_path / "var" / "docker.sock") is None


def test_nothing_is_made_up_elsewhere_or_without_docker_desktop(tmp_path: Path):
    home = tmp_path / "home"
    assert docker_desktop_socket("darwin", home, default=tmp_path / "none.sock") is None
    with listening_socket(home / ".docker" / "run" / "docker.sock"):
        assert docker_desktop_socket("linux", home, default=tmp_path / "none.sock") is None
        assert docker_desktop_socket("win32", home, default=tmp_path / "none.sock") is None
