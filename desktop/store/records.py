"""Values the store takes or returns that the domain has no type for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desktop.domain import EventKind


@dataclass(frozen=True)
class NewEvent:
    """An event to append; the store gives it its ``seq``."""

    kind: EventKind
    data: Mapping[str, Any] = field(default_factory=dict)
    raw: str = ""
    # None means "now", taken when the event is written.
    created_at: datetime | None = None


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
