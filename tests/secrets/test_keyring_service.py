"""The test Secret Service itself: private, real, and cleaned up."""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest
from keyring.backends import SecretService

from tests.keyring_service import (
    KeyringService,
    KeyringServiceError,
    running_keyring_service,
    start_keyring_service,
)

pytestmark = pytest.mark.keyring


def test_uses_a_private_bus_and_home(clean_keyring: KeyringService) -> None:
    assert os.environ["DBUS_SESSION_BUS_ADDRESS"] == clean_keyring.address
    assert str(clean_keyring.root) in clean_keyring.address
    assert isinstance(keyring.get_keyring(), SecretService.Keyring)
    keyring.set_password("aicode-test", "probe", "value")
    assert keyring.get_password("aicode-test", "probe") == "value"
    keyrings = clean_keyring.root / "home" / ".local" / "share" / "keyrings"
    assert any(keyrings.iterdir())  # the daemon's files live in the temp dir


def test_a_second_service_nests_and_restores(clean_keyring: KeyringService) -> None:
    with running_keyring_service() as inner:
        assert inner.address != clean_keyring.address
        assert os.environ["DBUS_SESSION_BUS_ADDRESS"] == inner.address
        keyring.set_password("aicode-test", "inner", "x")
        root = inner.root
    assert not root.exists()
    assert os.environ["DBUS_SESSION_BUS_ADDRESS"] == clean_keyring.address
    assert keyring.get_password("aicode-test", "inner") is None


def test_missing_daemon_is_an_error_not_a_skip(
    clean_keyring: KeyringService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(KeyringServiceError, match="dbus"):
        start_keyring_service()
    assert os.environ["DBUS_SESSION_BUS_ADDRESS"] == clean_keyring.address
