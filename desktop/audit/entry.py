"""One audit entry, and the hashing that chains entries together."""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

# prev_hash of the first entry: there is nothing before it.
GENESIS_HASH = "0" * 64
# Part of every hashed record, so a future encoding cannot collide with this one.
HASH_VERSION = "aicode-audit-v1"


class AuditAction(enum.StrEnum):
    WORKSPACE_CREATED = "workspace.created"
    WORKSPACE_REMOVED = "workspace.removed"
    WORKSPACE_CHANGED = "workspace.changed"
    TASK_STARTED = "task.started"
    TASK_FINISHED = "task.finished"
    TASK_CANCELLED = "task.cancelled"
    SECRET_SET = "secret.set"
    SECRET_REMOVED = "secret.removed"


@dataclass(frozen=True)
class AuditEntry:
    """A row of the log. ``at`` is kept as the exact string that was hashed.

    ``text_hmac`` is HMAC-SHA256 (hex) of the user's text, e.g. a prompt:
    it proves which text it was without keeping it. None when there was none.
    """

    id: int  # 1, 2, 3, ... with no gaps: a gap is a deleted entry
    at: str  # UTC, ISO 8601, e.g. "2026-05-09T07:35:25.123456+00:00"
    action: str
    object_id: str | None
    text_hmac: str | None
    prev_hash: str
    entry_hash: str

    @property
    def expected_hash(self) -> str:
        """What entry_hash must be for the fields as they are now."""
        return entry_hash(
            self.id, self.at, self.action, self.object_id, self.text_hmac, self.prev_hash
        )


def entry_hash(
    entry_id: int,
    at: str,
    action: str,
    object_id: str | None,
    text_hmac: str | None,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) over a canonical, unambiguous encoding of the fields."""
    # A JSON array keeps field boundaries and None distinct from "" or "None".
    record = [HASH_VERSION, entry_id, at, action, object_id, text_hmac, prev_hash]
    canonical = json.dumps(record, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def next_entry(
    last: AuditEntry | None, at: str, action: str, object_id: str | None, text_hmac: str | None
) -> AuditEntry:
    """The entry that follows ``last`` (None: the log is empty)."""
    entry_id = last.id + 1 if last else 1
    prev = last.entry_hash if last else GENESIS_HASH
    digest = entry_hash(entry_id, at, action, object_id, text_hmac, prev)
    return AuditEntry(entry_id, at, action, object_id, text_hmac, prev, digest)


def text_hmac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
