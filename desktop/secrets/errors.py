"""The one error callers handle: there is no keyring we are willing to use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

FIX_HINT = (
    "install and unlock GNOME Keyring or KWallet (Linux: the Secret Service), "
    "or use the macOS Keychain / Windows Credential Manager"
)


class KeyringUnavailable(RuntimeError):
    """No usable OS keyring. The message says why and how to fix it.

    Raised instead of ever storing a secret in plain text.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"No usable OS keyring: {reason}. Fix: {FIX_HINT}.")
        self.reason = reason


@contextmanager
def keyring_errors() -> Iterator[None]:
    """Turn the backends' many failure types into KeyringUnavailable."""
    try:
        yield
    except KeyringUnavailable:
        raise
    except _backend_errors() as exc:
        from keyring.errors import KeyringLocked

        if isinstance(exc, KeyringLocked):
            raise KeyringUnavailable("the keyring is locked; unlock it") from exc
        detail = f"{type(exc).__name__}: {exc}"
        raise KeyringUnavailable(f"the keyring failed ({detail})") from exc


def _backend_errors() -> tuple[type[BaseException], ...]:
    from keyring.errors import KeyringError

    errors: list[type[BaseException]] = [KeyringError, OSError]
    try:
        from secretstorage.exceptions import SecretStorageException
    except ImportError:  # not Linux, or no Secret Service support installed
        pass
    else:
        errors.append(SecretStorageException)
    try:
        from jeepney.wrappers import DBusErrorResponse
    except ImportError:
        pass
    else:
        errors.append(DBusErrorResponse)
    return tuple(errors)
