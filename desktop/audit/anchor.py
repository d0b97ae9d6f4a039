"""The newest entry's hash, kept outside the database, in the OS keyring.

A hash chain shows edits and deletions in the middle, but not entries cut
off the end (the shorter chain is still valid), nor a chain recomputed from
scratch by someone who can write the database. Both are caught by comparing
with a copy of a recent (id, entry_hash) held where the database is not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from desktop.secrets.backend import usable_backend
from desktop.secrets.errors import keyring_errors
from desktop.secrets.names import SERVICE


@dataclass(frozen=True)
class Anchor:
    entry_id: int
    entry_hash: str


class AnchorStore(Protocol):
    def load(self) -> Anchor | None: ...

    def save(self, anchor: Anchor) -> None:
        """Keep ``anchor`` unless the stored one is newer (it only moves forward)."""
        ...


class KeyringAnchorStore:
    """An AnchorStore in the keyring, one per audit log (``scope``: e.g. its DB path).

    Saving reads first, so a slower process cannot move the anchor back; a
    race can still leave it one entry behind, which only weakens it a little.
    """

    def __init__(self, scope: str, service: str = SERVICE) -> None:
        digest = hashlib.sha256(scope.encode("utf-8")).hexdigest()[:16]
        self._service = service
        self._username = f"audit-anchor:{digest}"

    def load(self) -> Anchor | None:
        backend = usable_backend()
        with keyring_errors():
            value = backend.get_password(self._service, self._username)
        if value is None:
            return None
        entry_id, _, entry_hash = value.partition(":")
        return Anchor(int(entry_id), entry_hash)

    def save(self, anchor: Anchor) -> None:
        current = self.load()
        if current is not None and current.entry_id >= anchor.entry_id:
            return
        backend = usable_backend()
        with keyring_errors():
            backend.set_password(
                self._service, self._username, f"{anchor.entry_id}:{anchor.entry_hash}"
            )

    def clear(self) -> None:
        """Forget the anchor, for when the log itself was deliberately reset."""
        backend = usable_backend()
        with keyring_errors():
            if backend.get_password(self._service, self._username) is not None:
                backend.delete_password(self._service, self._username)
