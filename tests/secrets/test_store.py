"""SecretStore against the real Secret Service."""

from __future__ import annotations

from contextlib import closing

import pytest
import secretstorage

from desktop.secrets import SERVICE, USER_SECRETS, SecretName, SecretStore
from desktop.secrets.masking import ANTHROPIC_MASK, MASK
from tests.keyring_service import KeyringService

pytestmark = pytest.mark.keyring

API_KEY = "sk-ant-api03-" + "k" * 40
OAUTH = "sk-ant-oat01-" + "o" * 40


def stored_in_secret_service(name: str) -> list[str]:
    """Read the Secret Service directly, around keyring and the store."""
    with closing(secretstorage.dbus_init()) as conn:
        collection = secretstorage.get_default_collection(conn)
        items = collection.search_items({"service": SERVICE, "username": name})
        return [item.get_secret().decode() for item in items]


def test_set_get_delete(clean_keyring: KeyringService) -> None:
    store = SecretStore()
    assert store.get(SecretName.ANTHROPIC_API_KEY) is None
    store.set(SecretName.ANTHROPIC_API_KEY, f"  {API_KEY}\n")  # as pasted
    store.set("claude-oauth-token", OAUTH)
    assert store.get("anthropic-api-key") == API_KEY
    assert SecretStore().get(SecretName.CLAUDE_OAUTH_TOKEN) == OAUTH
    assert stored_in_secret_service("anthropic-api-key") == [API_KEY]

    store.set(SecretName.ANTHROPIC_API_KEY, API_KEY + "2")  # replaces, no duplicate
    assert stored_in_secret_service("anthropic-api-key") == [API_KEY + "2"]

    assert store.delete(SecretName.ANTHROPIC_API_KEY) is True
    assert store.delete(SecretName.ANTHROPIC_API_KEY) is False
    assert store.get(SecretName.ANTHROPIC_API_KEY) is None
    assert stored_in_secret_service("anthropic-api-key") == []


def test_bad_names_and_values(clean_keyring: KeyringService) -> None:
    store = SecretStore()
    with pytest.raises(ValueError, match="unknown secret"):
        store.get("github-token")
    with pytest.raises(ValueError, match="empty"):
        store.set(SecretName.ANTHROPIC_API_KEY, "  \n")
    with pytest.raises(ValueError, match="managed by the app"):
        store.set(SecretName.AUDIT_HMAC_KEY, "00" * 32)
    with pytest.raises(ValueError, match="managed by the app"):
        store.delete(SecretName.AUDIT_HMAC_KEY)


def test_status_says_where_but_never_what(clean_keyring: KeyringService) -> None:
    store = SecretStore()
    store.set(SecretName.CLAUDE_OAUTH_TOKEN, OAUTH)
    status = store.status()
    assert status.backend == "GNOME Keyring (Secret Service)"
    assert status.secrets == {
        SecretName.ANTHROPIC_API_KEY: False,
        SecretName.CLAUDE_OAUTH_TOKEN: True,
    }
    assert OAUTH not in repr(status)
    assert set(store.status(include_internal=True).secrets) == set(SecretName)


def test_names_map_to_claude_code_variables() -> None:
    assert {s.env_var for s in USER_SECRETS} == {"ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"}
    assert SecretName.AUDIT_HMAC_KEY.env_var is None


def test_audit_hmac_key_is_created_once(clean_keyring: KeyringService) -> None:
    key = SecretStore().audit_hmac_key()
    assert len(key) == 32
    assert SecretStore().audit_hmac_key() == key
    assert stored_in_secret_service("audit-hmac-key") == [key.hex()]


def test_separate_services_do_not_share_secrets(clean_keyring: KeyringService) -> None:
    SecretStore("aicode-manager-other").set(SecretName.ANTHROPIC_API_KEY, API_KEY)
    assert SecretStore().get(SecretName.ANTHROPIC_API_KEY) is None


def test_masker_covers_every_stored_secret(clean_keyring: KeyringService) -> None:
    store = SecretStore()
    store.set(SecretName.ANTHROPIC_API_KEY, API_KEY)
    store.set(SecretName.CLAUDE_OAUTH_TOKEN, "plain-oauth-token-value")
    hmac_hex = store.audit_hmac_key().hex()
    masker = store.masker(extra=["github_pat_1234567890"])
    line = f"{API_KEY} plain-oauth-token-value {hmac_hex} github_pat_1234567890"
    assert masker.mask(line) == f"{ANTHROPIC_MASK} {MASK} {MASK} {MASK}"
