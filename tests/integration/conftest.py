"""Driving the real `aicode` command against the real engine, the real claude,
a real Secret Service and the fake Anthropic API."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from tests.fakeapi import FakeAnthropic

TEST_KEY = "sk-ant-api03-TESTKEY-" + "x7Q" * 12


@dataclass
class Cli:
    env: dict[str, str]
    home: Path

    def __call__(self, *args: str, input: str | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "desktop.cli", *args],
            env=self.env, input=input, capture_output=True, text=True, timeout=timeout,
        )

    def ok(self, *args: str, input: str | None = None) -> str:
        done = self(*args, input=input)
        assert done.returncode == 0, f"aicode {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        return done.stdout


@pytest.fixture
def cli(aicode_home: Path, fake_api: FakeAnthropic, clean_keyring, agent_image: str) -> Iterator[Cli]:
    env = dict(os.environ)
    env.update({
        "AICODE_HOME": str(aicode_home),
        "AICODE_ANTHROPIC_BASE_URL": fake_api.base_url,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        # A test's warm service exits soon after the test, even if its stop is missed.
        "AICODE_SERVICE_IDLE": "20",
    })
    runner = Cli(env, aicode_home)
    runner.ok("secret", "set", "anthropic-api-key", input=TEST_KEY + "\n")
    yield runner
    # Remove every workspace (and so its container and volumes).
    listing = runner("workspace", "list", "--json")
    if listing.returncode == 0:
        import json

        for workspace in json.loads(listing.stdout or "[]"):
            runner("workspace", "rm", workspace["id"])
    runner("service", "stop")


def make_project(root: Path) -> Path:
    """A git project with a commit, an uncommitted edit and an untracked file."""
    project = root / "project"
    project.mkdir()
    run = lambda *a: subprocess.run(["git", "-C", str(project), *a], check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    (project / "app.py").write_text("def main():\n    return 1\n")
    (project / "README.md").write_text("# Demo\n")
    run("add", "-A")
    run("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "init")
    (project / "README.md").write_text("# Demo\n\nMy own uncommitted notes.\n")
    (project / "notes.txt").write_text("untracked, mine\n")
    return project


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under folder (not .git) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }
