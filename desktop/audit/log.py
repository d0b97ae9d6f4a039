"""The audit log the app writes to: record what happened, verify it later."""

from __future__ import annotations

from collections.abc import Callable

from desktop.audit.anchor import Anchor, AnchorStore, KeyringAnchorStore
from desktop.audit.entry import AuditAction, AuditEntry, next_entry, text_hmac, utc_now
from desktop.audit.storage import AuditStorage
from desktop.audit.verify import VerifyReport, verify
from desktop.secrets.store import SecretStore


class AuditLog:
    """Append-only, hash-chained record of actions; user text only as an HMAC."""

    def __init__(
        self,
        storage: AuditStorage,
        hmac_key: Callable[[], bytes],
        anchor: AnchorStore | None = None,
        clock: Callable[[], str] = utc_now,
    ) -> None:
        self._storage = storage
        self._hmac_key = hmac_key
        self._key: bytes | None = None
        self._anchor = anchor
        self._clock = clock

    @classmethod
    def with_keyring(
        cls, storage: AuditStorage, scope: str, store: SecretStore | None = None
    ) -> AuditLog:
        """The app's set-up: HMAC key and anchor in the keyring, ``scope`` = DB path."""
        store = store or SecretStore()
        return cls(storage, store.audit_hmac_key, KeyringAnchorStore(scope, store.service))

    def record(
        self, action: AuditAction | str, object_id: str | None = None, text: str | None = None
    ) -> AuditEntry:
        """Append an entry; ``text`` (e.g. the prompt) is kept only as its HMAC.

        Raises KeyringUnavailable if the key or the anchor cannot be reached;
        the entry is already stored when only the anchor fails.
        """
        name = str(action)
        if not name:
            raise ValueError("an audit entry needs an action")
        # Outside the storage's write transaction: the keyring may be slow.
        digest = text_hmac(self._key_bytes(), text) if text is not None else None
        # The time is taken inside it, so ``at`` never goes backwards along the ids.
        entry = self._storage.append_chained(
            lambda last: next_entry(last, self._clock(), name, object_id, digest)
        )
        if self._anchor is not None:
            self._anchor.save(Anchor(entry.id, entry.entry_hash))
        return entry

    def verify(self) -> VerifyReport:
        # The anchor first: an entry recorded while we read is then simply
        # newer than the anchor, never mistaken for a truncation.
        anchor = self._anchor.load() if self._anchor is not None else None
        return verify(self._storage.all(), anchor)

    def _key_bytes(self) -> bytes:
        if self._key is None:
            self._key = self._hmac_key()
        return self._key
