"""A test under which the test keyring daemon dies (gnome-keyring's own abort on
a loaded machine), or which the test keyring asked for a prompt, runs once more
and the run's summary says so; a test that fails for itself is not run again. Checked in a pytest run of its own, with its
own private Secret Service."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.keyring

ROOT = Path(__file__).resolve().parents[2]

INNER = textwrap.dedent('''
    import pytest

    pytestmark = pytest.mark.keyring
    ATTEMPTS = []


    def test_the_daemon_dies_under_it(clean_keyring):
        import keyring

        ATTEMPTS.append(1)
        if len(ATTEMPTS) == 1:
            clean_keyring._daemon.kill()  # this run's own daemon, as gnome-keyring's abort would end it
            clean_keyring._daemon.wait(10)
        keyring.set_password("aicode-test", "k", "v")
        assert keyring.get_password("aicode-test", "k") == "v"


    def test_the_keyring_asks_for_a_prompt_once(clean_keyring):
        ATTEMPTS.append(2)
        if ATTEMPTS.count(2) == 1:  # as a client of the test keyring reports it
            raise RuntimeError("InitError: Failed to create the collection: Prompt dismissed..")


    def test_it_fails_for_itself(clean_keyring):
        assert False, "a failure of its own"
''')


def test_only_a_test_whose_keyring_daemon_died_runs_again(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["tests.conftest"]\n')
    (tmp_path / "test_inner.py").write_text(INNER)
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    keyring: a Secret Service\n    docker: an engine\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-p", "no:randomly",
                           str(tmp_path)], cwd=tmp_path, env={**_env(), "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)
    out = done.stdout + done.stderr
    assert "1 failed, 2 passed" in out, out
    assert "test_the_daemon_dies_under_it ran again: the test keyring daemon died under it" in out, out
    assert "test_the_keyring_asks_for_a_prompt_once ran again: the test keyring asked for a prompt" in out, out
    assert "test_it_fails_for_itself ran again" not in out and "a failure of its own" in out, out


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "PYTEST_"))}
