"""Values the store takes or returns that the domain has no type for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AuditEntry:
    """One stored line of the audit log; ``desktop.audit`` owns the hashing."""

    id: int
    at: datetime
    action: str
    object_id: str | None
    text_hmac: str | None
    prev_hash: str
    entry_hash: str
