"""Refusing every backend that is not a real, unlocked OS keyring."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, chainer, fail, null
from keyring.errors import KeyringError

from desktop.secrets import KeyringUnavailable, SecretName, SecretStore
from desktop.secrets.backend import describe, usable_backend
from tests.keyring_service import KeyringService, running_keyring_service

pytestmark = pytest.mark.keyring


class PlaintextKeyring(KeyringBackend):
    """Stands in for keyrings.alt's file backends: keeps secrets readable."""

    priority = 0.5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.written: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.written.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.written[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        self.written.pop((service, username), None)


@pytest.fixture
def plaintext(clean_keyring: KeyringService) -> Iterator[PlaintextKeyring]:
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    yield backend


def test_secret_service_is_accepted(clean_keyring: KeyringService) -> None:
    backend = usable_backend()
    assert isinstance(backend, SecretService.Keyring)
    assert describe(backend) == "GNOME Keyring (Secret Service)"


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_fail_and_null_backends_are_refused(
    clean_keyring: KeyringService, backend: KeyringBackend
) -> None:
    keyring.set_keyring(backend)
    store = SecretStore()
    for call in (
        lambda: store.get(SecretName.ANTHROPIC_API_KEY),
        lambda: store.set(SecretName.ANTHROPIC_API_KEY, "sk-ant-api03-xxxxxxxxxxxx"),
        lambda: store.delete(SecretName.ANTHROPIC_API_KEY),
        store.status,
        store.audit_hmac_key,
    ):
        with pytest.raises(KeyringUnavailable) as caught:
            call()
        message = str(caught.value)
        assert "No usable OS keyring" in message
        assert "GNOME Keyring" in message and "Keychain" in message  # names the fix


def test_plaintext_backend_is_refused_and_never_written(plaintext: PlaintextKeyring) -> None:
    with pytest.raises(KeyringUnavailable, match="plain text"):
        SecretStore().set(SecretName.CLAUDE_OAUTH_TOKEN, "oauth-token-value-123")
    with pytest.raises(KeyringUnavailable):
        SecretStore().audit_hmac_key()
    assert plaintext.written == {}


def test_chainer_is_judged_by_its_members(
    clean_keyring: KeyringService, monkeypatch: pytest.MonkeyPatch
) -> None:
    secure = SecretService.Keyring()
    keyring.set_keyring(chainer.ChainerBackend())
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [secure])
    assert describe(usable_backend()) == "GNOME Keyring (Secret Service)"
    SecretStore().set(SecretName.ANTHROPIC_API_KEY, "sk-ant-api03-chained-value")

    monkeypatch.setattr(chainer.ChainerBackend, "backends", [secure, PlaintextKeyring()])
    with pytest.raises(KeyringUnavailable, match="PlaintextKeyring"):
        usable_backend()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    with pytest.raises(KeyringUnavailable):
        usable_backend()


def test_unreachable_secret_service(
    clean_keyring: KeyringService, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    with pytest.raises(KeyringUnavailable, match="No usable OS keyring"):
        SecretStore().get(SecretName.ANTHROPIC_API_KEY)


def test_locked_keyring_is_refused_without_leaking(clean_keyring: KeyringService) -> None:
    # Its own service: once locked, nothing here could unlock it again.
    with running_keyring_service() as service:
        store = SecretStore()
        store.set(SecretName.ANTHROPIC_API_KEY, "sk-ant-api03-before-locking")
        service.lock()
        with pytest.raises(KeyringUnavailable, match="locked"):
            store.get(SecretName.ANTHROPIC_API_KEY)
        with pytest.raises(KeyringUnavailable, match="locked"):
            store.set(SecretName.ANTHROPIC_API_KEY, "sk-ant-api03-after-locking")
    gc.collect()  # an unclosed D-Bus socket would surface here as a ResourceWarning


def test_a_failed_collection_lookup_closes_its_connection(clean_keyring: KeyringService) -> None:
    # keyring's own lookup drops its D-Bus socket unclosed when it raises; a
    # long-running app would leak one per failure (seen as a ResourceWarning).
    backend = usable_backend()
    backend.preferred_collection = "/org/freedesktop/secrets/collection/no_such_collection"
    try:
        for _ in range(3):
            with pytest.raises(KeyringError, match="Failed to create the collection"):
                backend.get_password("aicode-test", "someone")
        gc.collect()  # an unclosed socket would surface here as a ResourceWarning (an error in this suite)
    finally:
        del backend.preferred_collection
    assert usable_backend().get_password("aicode-test", "someone") is None
