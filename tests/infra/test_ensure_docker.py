"""scripts/ensure-docker.sh: fast when an engine answers, one clear line when
no engine can be started."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "ensure-docker.sh"


def _tool(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def test_reports_one_clear_line_when_dockerd_cannot_start(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # A client that finds no engine, and a dockerd that dies at start, as it
    # does without the kernel features it needs.
    _tool(bin_dir, "docker", "echo 'Cannot connect to the Docker daemon' >&2; exit 1")
    _tool(bin_dir, "dockerd", "echo 'failed to start daemon: no overlay support' >&2; exit 1")
    _tool(bin_dir, "pgrep", "exit 1")
    _tool(bin_dir, "systemctl", "exit 1")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "AICODE_DOCKERD_LOG": str(tmp_path / "dockerd.log"), "HOME": str(tmp_path)}
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert lines == ["error: the Docker engine could not be started: dockerd exited at start: failed to start daemon: no overlay support"]


@pytest.mark.docker
def test_returns_at_once_when_the_engine_answers(engine) -> None:
    done = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert done.returncode == 0 and done.stderr == ""
