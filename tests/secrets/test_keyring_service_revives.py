"""The tests' own Secret Service comes back when its daemon dies between
tests (gnome-keyring can abort on a loaded machine), on the same bus, and
the run's summary says so; a test never touches any keyring but this private one."""

from __future__ import annotations

import pytest

from tests.keyring_service import DAEMON_CRASHES, running_keyring_service

pytestmark = pytest.mark.keyring


def test_a_dead_daemon_is_started_again_on_the_same_bus() -> None:
    import keyring

    with running_keyring_service() as service:
        keyring.set_password("aicode-test", "k", "before the crash")
        daemon = service._daemon
        daemon.kill()  # our own child, started by this test
        daemon.wait(10)
        address = service.address
        service.revive()  # no warning: this suite makes warnings errors
        service.check_alive()
        assert service.address == address and len(service.crashes) == 1
        assert DAEMON_CRASHES[-1] == service.crashes[0]  # listed in the run's summary...
        DAEMON_CRASHES.pop()  # ...but this one was the test's own kill, not a crash
        keyring.set_password("aicode-test", "k", "after")
        assert keyring.get_password("aicode-test", "k") == "after"


def test_a_daemon_dying_under_the_clear_is_revived_and_the_clear_done() -> None:
    import keyring

    with running_keyring_service() as service:
        keyring.set_password("aicode-test", "k", "kept")
        service._daemon.kill()  # dies before the next test's clear
        service._daemon.wait(10)
        service.clear_reviving()
        DAEMON_CRASHES.pop()
        service.check_alive()
        assert keyring.get_password("aicode-test", "k") is None
