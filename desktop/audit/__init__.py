"""An append-only, hash-chained audit log (storage lives in desktop.store)."""

from desktop.audit.anchor import Anchor, AnchorStore, KeyringAnchorStore
from desktop.audit.entry import GENESIS_HASH, AuditAction, AuditEntry, entry_hash, text_hmac
from desktop.audit.log import AuditLog
from desktop.audit.storage import AuditStorage
from desktop.audit.verify import Breach, VerifyReport, verify

__all__ = [
    "GENESIS_HASH",
    "Anchor",
    "AnchorStore",
    "AuditAction",
    "AuditEntry",
    "AuditLog",
    "AuditStorage",
    "Breach",
    "KeyringAnchorStore",
    "VerifyReport",
    "entry_hash",
    "text_hmac",
    "verify",
]
