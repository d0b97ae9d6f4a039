"""Check a chain of audit entries and name the first place it is broken."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from desktop.audit.anchor import Anchor
from desktop.audit.entry import GENESIS_HASH, AuditEntry


class Breach(enum.StrEnum):
    MISSING = "missing"  # an id is skipped: entries were deleted (or moved)
    OUT_OF_ORDER = "out_of_order"  # an id repeats or goes backwards
    UNLINKED = "unlinked"  # prev_hash is not the previous entry's hash
    EDITED = "edited"  # the fields do not match the entry's own hash
    REWRITTEN = "rewritten"  # the anchored entry's hash differs from the keyring's copy
    TRUNCATED = "truncated"  # the log ends before the anchored entry


@dataclass(frozen=True)
class VerifyReport:
    checked: int  # entries that were read
    breach: Breach | None = None
    # The entry where the chain first breaks; for TRUNCATED, the first missing id.
    broken_id: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.breach is None

    def __str__(self) -> str:
        if self.ok:
            return f"audit log intact ({self.checked} entries)"
        return f"audit log broken at entry {self.broken_id}: {self.reason}"


def verify(entries: Iterable[AuditEntry], anchor: Anchor | None = None) -> VerifyReport:
    """Walk ``entries`` (ascending id order, as stored) and stop at the first break.

    Without an ``anchor`` entries removed from the END cannot be detected:
    what is left is still a valid chain.
    """
    prev: AuditEntry | None = None
    checked = 0
    for entry in entries:
        checked += 1
        found = _check(prev, entry, anchor)
        if found is not None:
            breach, reason = found
            return VerifyReport(checked, breach, entry.id, reason)
        prev = entry
    last_id = prev.id if prev else 0
    if anchor is not None and last_id < anchor.entry_id:
        reason = (
            f"the log ends at entry {last_id} but the keyring recorded entry "
            f"{anchor.entry_id}: entries were removed from the end"
        )
        return VerifyReport(checked, Breach.TRUNCATED, last_id + 1, reason)
    return VerifyReport(checked)


def _check(
    prev: AuditEntry | None, entry: AuditEntry, anchor: Anchor | None
) -> tuple[Breach, str] | None:
    expected_id = prev.id + 1 if prev else 1
    if entry.id > expected_id:
        missing = str(expected_id)
        if entry.id > expected_id + 1:
            missing += f"-{entry.id - 1}"
        return Breach.MISSING, f"entry {missing} is missing before it: deleted (or moved)"
    if entry.id < expected_id:
        return Breach.OUT_OF_ORDER, f"it follows entry {expected_id - 1}: duplicated or reordered"
    expected_prev = prev.entry_hash if prev else GENESIS_HASH
    if entry.prev_hash != expected_prev:
        before = f"entry {prev.id}" if prev else "the start of the log"
        return Breach.UNLINKED, (
            f"its prev_hash does not match {before}: an entry before it was "
            "replaced, or entries were deleted and renumbered"
        )
    if entry.entry_hash != entry.expected_hash:
        return Breach.EDITED, "its fields do not match its hash: it was edited"
    if (
        anchor is not None
        and entry.id == anchor.entry_id
        and entry.entry_hash != anchor.entry_hash
    ):
        return Breach.REWRITTEN, (
            "its hash differs from the copy in the keyring: the chain was recomputed"
        )
    return None
