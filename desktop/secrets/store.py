"""The app's secrets, kept in the OS keyring and nowhere else."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.secrets.backend import describe, usable_backend
from desktop.secrets.errors import keyring_errors
from desktop.secrets.masking import Masker
from desktop.secrets.names import SERVICE, SecretName, parse_name

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

HMAC_KEY_BYTES = 32


@dataclass(frozen=True)
class StoreStatus:
    """What is set, and where; never a value."""

    backend: str  # e.g. "GNOME Keyring (Secret Service)"
    secrets: Mapping[SecretName, bool]  # name -> is set


class SecretStore:
    """get/set/delete of the known secrets under one keyring service.

    Every call re-checks the backend (it can be locked or swapped meanwhile)
    and raises KeyringUnavailable rather than using an insecure one.
    """

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    def get(self, name: SecretName | str) -> str | None:
        return self._get(usable_backend(), parse_name(name))

    def set(self, name: SecretName | str, value: str) -> None:
        """Store ``value`` (surrounding whitespace from pasting is dropped)."""
        secret = _user_secret(name)
        value = value.strip()
        if not value:
            raise ValueError(f"{secret}: an empty value cannot be stored; delete it instead")
        backend = usable_backend()
        with keyring_errors():
            backend.set_password(self.service, secret.value, value)

    def delete(self, name: SecretName | str) -> bool:
        """Remove the secret; False if it was not set."""
        secret = _user_secret(name)
        backend = usable_backend()
        if self._get(backend, secret) is None:
            return False
        with keyring_errors():
            backend.delete_password(self.service, secret.value)
        return True

    # -- a workspace's variables marked secret: one entry per workspace and name --

    def env_value(self, workspace_id: str, name: str) -> str | None:
        with keyring_errors():
            return usable_backend().get_password(self.service, env_entry(workspace_id, name))

    def set_env_value(self, workspace_id: str, name: str, value: str) -> None:
        """Store a variable's value as given (an environment keeps its spaces)."""
        if not value:
            raise ValueError(f"{name}: an empty value cannot be stored")
        backend = usable_backend()
        with keyring_errors():
            backend.set_password(self.service, env_entry(workspace_id, name), value)

    def delete_env_value(self, workspace_id: str, name: str) -> bool:
        """Remove a variable's value; False if it was not stored."""
        backend = usable_backend()
        entry = env_entry(workspace_id, name)
        with keyring_errors():
            if backend.get_password(self.service, entry) is None:
                return False
            backend.delete_password(self.service, entry)
        return True

    # -- an engine's TLS key passphrase --

    def tls_passphrase(self, engine: str) -> str | None:
        with keyring_errors():
            return usable_backend().get_password(self.service, tls_entry(engine))

    def set_tls_passphrase(self, engine: str, value: str) -> None:
        if not value:
            raise ValueError("an empty passphrase cannot be stored")
        backend = usable_backend()
        with keyring_errors():
            backend.set_password(self.service, tls_entry(engine), value)

    def delete_tls_passphrase(self, engine: str) -> bool:
        backend = usable_backend()
        with keyring_errors():
            if backend.get_password(self.service, tls_entry(engine)) is None:
                return False
            backend.delete_password(self.service, tls_entry(engine))
        return True

    def status(self, *, include_internal: bool = False) -> StoreStatus:
        backend = usable_backend()
        names = [n for n in SecretName if include_internal or not n.internal]
        return StoreStatus(
            backend=describe(backend),
            secrets={n: self._get(backend, n) is not None for n in names},
        )

    def values(self) -> dict[SecretName, str]:
        """Every secret that is set, for handing to a container or a Masker."""
        backend = usable_backend()
        found = {n: self._get(backend, n) for n in SecretName}
        return {n: v for n, v in found.items() if v is not None}

    def masker(self, extra: Iterable[str] = ()) -> Masker:
        """A Masker for the secrets as they are now, plus ``extra`` values."""
        return Masker([*self.values().values(), *extra])

    def audit_hmac_key(self) -> bytes:
        """The audit log's HMAC key, created on first use."""
        backend = usable_backend()
        name = SecretName.AUDIT_HMAC_KEY
        stored = self._get(backend, name)
        if stored is None:
            with keyring_errors():
                backend.set_password(self.service, name.value, secrets.token_hex(HMAC_KEY_BYTES))
            # Re-read: if another process created one at the same moment,
            # whichever write landed last is the key everyone uses from now on.
            stored = self._get(backend, name)
        try:
            return bytes.fromhex(stored or "")
        except ValueError:
            raise ValueError(f"the keyring's {name} is not hex; delete it to start anew") from None

    def _get(self, backend: KeyringBackend, name: SecretName) -> str | None:
        with keyring_errors():
            return backend.get_password(self.service, name.value)


def tls_entry(engine: str) -> str:
    """The keyring name of an engine's TLS key passphrase (the key file stays where it is)."""
    return f"engine-tls/{engine}"


def env_entry(workspace_id: str, name: str) -> str:
    """The keyring name of a workspace's secret variable: the workspace row
    holds only ``name``; a removed workspace's entries are removed with it."""
    return f"workspace-env/{workspace_id}/{name}"


def _user_secret(name: SecretName | str) -> SecretName:
    secret = parse_name(name)
    if secret.internal:
        raise ValueError(f"{secret} is managed by the app and cannot be changed")
    return secret
