"""Secrets in the OS keyring (never in plain text), and masking them in output.

Importing this package does not import ``keyring``; that happens on first use.
"""

from desktop.secrets.errors import KeyringUnavailable
from desktop.secrets.masking import Masker
from desktop.secrets.names import SERVICE, USER_SECRETS, SecretName
from desktop.secrets.store import SecretStore, StoreStatus

__all__ = [
    "SERVICE",
    "USER_SECRETS",
    "KeyringUnavailable",
    "Masker",
    "SecretName",
    "SecretStore",
    "StoreStatus",
]
