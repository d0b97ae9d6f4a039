"""Which keyring backend is active, and whether we trust it with secrets.

An allowlist, not a blocklist: keyring happily selects the fail or null
backend, and keyrings.alt adds plaintext files; anything we do not know to be
an OS keyring is refused, so a secret is never written somewhere readable.
``keyring`` is imported lazily: the CLI imports this package on every start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.secrets.errors import KeyringUnavailable, keyring_errors

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

_SECRET_SERVICE = "Secret Service"
# "module.Class" -> where the secrets end up, in words.
_TRUSTED = {
    "keyring.backends.SecretService.Keyring": _SECRET_SERVICE,
    "keyring.backends.libsecret.Keyring": _SECRET_SERVICE,
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KWallet 4",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
}
_CHAINER = "keyring.backends.chainer.ChainerBackend"


def usable_backend() -> KeyringBackend:
    """keyring's active backend, checked; raises KeyringUnavailable.

    For the Secret Service this also checks the daemon answers and the
    collection is unlocked (asking the desktop to prompt if it is locked).
    """
    import keyring

    with keyring_errors():
        backend = keyring.get_keyring()
    first = _trusted_members(backend)[0]
    if _kind(first) == _SECRET_SERVICE:
        from desktop.secrets.secret_service import close_connection_on_failure, ensure_unlocked

        if hasattr(first, "get_preferred_collection"):  # keyring's own backend, not libsecret's
            close_connection_on_failure(first)
        ensure_unlocked(getattr(first, "preferred_collection", None))
    return backend


def describe(backend: KeyringBackend) -> str:
    """Where ``backend`` stores secrets, for people: "GNOME Keyring (Secret Service)"."""
    first = _trusted_members(backend)[0]
    kind = _kind(first)
    if kind == _SECRET_SERVICE:
        from desktop.secrets.secret_service import provider_name

        return f"{provider_name()} ({_SECRET_SERVICE})"
    return kind or _name(type(first))


def _trusted_members(backend: KeyringBackend) -> list[KeyringBackend]:
    """The backends ``backend`` really uses (a chainer's members), all trusted."""
    if _name(type(backend)) == _CHAINER:
        members = list(getattr(backend, "backends", ()))
    else:
        members = [backend]
    if not members:
        raise KeyringUnavailable("keyring found no backend at all")
    for member in members:
        if _kind(member) is None:
            raise KeyringUnavailable(_refusal(member))
    return members


def _kind(backend: KeyringBackend) -> str | None:
    for cls in type(backend).__mro__:
        label = _TRUSTED.get(_name(cls))
        if label:
            return label
    return None


def _refusal(backend: KeyringBackend) -> str:
    name = _name(type(backend))
    if name == "keyring.backends.fail.Keyring":
        return "keyring found no OS keyring backend (the 'fail' backend is active)"
    if name == "keyring.backends.null.Keyring":
        return "the 'null' keyring backend is active, which discards secrets"
    return f"refusing {name}: it is not an OS keyring and may keep secrets in plain text"


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
