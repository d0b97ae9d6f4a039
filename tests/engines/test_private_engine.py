"""The private engine helper (tests/private_engine.py): a second dockerd that
answers on unix, TLS and ssh, takes images from the main engine, and goes
away, when asked, without a trace and without disturbing the main engine."""

from __future__ import annotations

import subprocess
import uuid
from contextlib import closing
from pathlib import Path

import docker
import docker.errors
import pytest
import requests

from tests.private_engine import PrivateEngine, _link_exists, running_private_engine

pytestmark = pytest.mark.docker

# A small image the main engine has (scripts/setup.sh test builds it): 117 MB.
SMALL_IMAGE = "aicode-base:bookworm"


def test_the_unix_socket_reaches_the_private_engine(private_engine: PrivateEngine) -> None:
    with closing(private_engine.client()) as client, closing(docker.from_env()) as main:
        info = client.info()
        assert info["DockerRootDir"] == str(private_engine.data_root)
        # Another engine, not a second door to the main one.
        assert info["ID"] != main.info()["ID"]
        assert main.info()["DockerRootDir"] != info["DockerRootDir"]


def test_tls_answers_only_clients_with_a_certificate(private_engine: PrivateEngine) -> None:
    with closing(private_engine.tls_client()) as client:
        assert client.version()["ApiVersion"]
    # Same CA trusted, no client certificate: the engine refuses the handshake.
    with closing(private_engine.tls_client(client_cert=False)) as client:
        with pytest.raises(requests.exceptions.ConnectionError, match="(?i)certificate"):
            client.version()


def test_ssh_reaches_the_private_engine_not_the_main_one(private_engine: PrivateEngine) -> None:
    assert private_engine.ssh_url
    name = f"private-engine-probe-{uuid.uuid4().hex[:12]}"
    # docker-py's ssh:// needs paramiko, which the venv lacks: the docker CLI
    # runs `ssh ... docker system dial-stdio` the same way.
    created = subprocess.run(["docker", "-H", private_engine.ssh_url, "volume", "create", name],
                             env=private_engine.ssh_env(), capture_output=True, text=True, timeout=120)
    assert created.returncode == 0, f"{created.stderr}\n{private_engine.logs()[-2000:]}"
    try:
        with closing(private_engine.client()) as client:
            assert client.volumes.get(name).name == name
        with closing(docker.from_env()) as main, pytest.raises(docker.errors.NotFound):
            main.volumes.get(name)
    finally:
        with closing(private_engine.client()) as client:
            client.volumes.get(name).remove()


def test_load_image_copies_an_image_from_the_main_engine(private_engine: PrivateEngine) -> None:
    with closing(docker.from_env()) as main:
        private_engine.load_image(main, SMALL_IMAGE)
    with closing(private_engine.client()) as client:
        assert SMALL_IMAGE in client.images.get(SMALL_IMAGE).tags
        # It runs there too (no bridge on this engine: no network).
        output = client.containers.run(SMALL_IMAGE, ["echo", "ran"], network_mode="none", remove=True)
        assert output == b"ran\n"


def test_stop_engine_makes_only_the_private_engine_unreachable(tmp_path: Path) -> None:
    with running_private_engine(tmp_path) as engine:
        engine.stop_engine()
        assert not engine.running
        assert not engine.answers()
        with closing(docker.from_env()) as main:
            assert main.ping()
    assert engine.leftovers() == []


def test_stop_removes_a_running_container_and_leaves_nothing(tmp_path: Path) -> None:
    with closing(docker.from_env()) as main:
        # A container of this test's own on the main engine stands for the person's: it must
        # outlive the private engine's start and stop. (Other containers may come and go
        # meanwhile: other processes use the main engine too.)
        sentinel = main.containers.run(SMALL_IMAGE, ["sleep", "infinity"], network_mode="none", detach=True,
                                       labels={"aicode.test": "private-engine-sentinel"})
        try:
            bridges = {name for name in ("docker0",) if _link_exists(name)}  # the main engine's, if it has one
            with running_private_engine(tmp_path, tls=True, ssh=True) as engine:
                assert {name for name in bridges if _link_exists(name)} == bridges  # left alone at start
                engine.load_image(main, SMALL_IMAGE)
                with closing(engine.client()) as client:
                    client.containers.run(SMALL_IMAGE, ["sleep", "infinity"], network_mode="none", detach=True)
                # While it runs: dockerd, containerd, the shim, sshd, the container's mounts, the folders.
                assert engine.leftovers()
            assert engine.leftovers() == []
            assert main.ping()
            sentinel.reload()
            assert sentinel.status == "running"
            assert {name for name in bridges if _link_exists(name)} == bridges  # and at stop
        finally:
            sentinel.remove(force=True)
