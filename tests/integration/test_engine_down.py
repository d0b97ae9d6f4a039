"""A stopped Docker engine: what needs no engine still works; running a task
exits 3 with one line saying what failed and how to fix it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.containers import images
from tests.integration.conftest import Cli, make_project

pytestmark = [pytest.mark.docker, pytest.mark.keyring]


def test_engine_down(cli: Cli, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    cli.ok("workspace", "add", "demo", "--path", str(project))
    # The engine's socket answers no more: as after `systemctl stop docker`.
    cli.env["DOCKER_HOST"] = f"unix://{tmp_path}/stopped-docker.sock"

    listing = json.loads(cli.ok("workspace", "list", "--json"))
    assert [w["name"] for w in listing] == ["demo"]
    assert cli.ok("task", "list", "--json").strip() == "[]"

    done = cli("task", "run", "demo", "do something")
    assert done.returncode == 3
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Docker engine is not available" in lines[0] and "start Docker" in lines[0]
    assert "Traceback" not in done.stderr
    assert cli.ok("task", "list", "--json").strip() == "[]", "no task is left behind"

    doctor = cli("doctor")
    assert doctor.returncode == 1 and "FAIL engine" in doctor.stdout

    built = cli("image", "build")
    assert built.returncode == 3 and len(built.stderr.strip().splitlines()) == 1

    # Removing a workspace still works; its container goes at the next reconcile.
    cli.ok("workspace", "rm", "demo")
    del cli.env["DOCKER_HOST"]


def test_doctor_checks_everything(cli: Cli) -> None:
    out = cli.ok("doctor")
    lines = {line.split()[1]: line for line in out.splitlines() if line.startswith(("OK", "FAIL"))}
    assert set(lines) == {"database", "engine", "image", "claude", "keyring"}
    assert all(line.startswith("OK") for line in lines.values()), out
    assert f"Claude Code {images.CLAUDE_CODE_VERSION}" in lines["claude"] and "anthropic-api-key" in lines["keyring"]
