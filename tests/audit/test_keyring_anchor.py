"""The audit log wired to the keyring: HMAC key and tail anchor."""

from __future__ import annotations

import pytest

from desktop.audit import Anchor, AuditAction, AuditLog, Breach, KeyringAnchorStore, text_hmac
from desktop.secrets import SecretStore
from tests.audit.memory_storage import MemoryStorage
from tests.keyring_service import KeyringService

pytestmark = pytest.mark.keyring


def test_text_hmac_uses_the_keyring_key(clean_keyring: KeyringService) -> None:
    log = AuditLog.with_keyring(MemoryStorage(), scope="/data/a.sqlite3")
    entry = log.record(AuditAction.TASK_STARTED, "t1", text="refactor the parser")
    assert entry.text_hmac == text_hmac(SecretStore().audit_hmac_key(), "refactor the parser")


def test_anchor_catches_a_truncated_tail(clean_keyring: KeyringService) -> None:
    storage = MemoryStorage()
    log = AuditLog.with_keyring(storage, scope="/data/a.sqlite3")
    for i in range(4):
        log.record(AuditAction.WORKSPACE_CREATED, f"w{i}")
    assert log.verify().ok

    storage.rows.pop()
    report = log.verify()
    assert (report.breach, report.broken_id) == (Breach.TRUNCATED, 4)

    storage.rows.clear()  # all of it
    assert AuditLog.with_keyring(storage, scope="/data/a.sqlite3").verify().breach == (
        Breach.TRUNCATED
    )


def test_anchor_only_moves_forward(clean_keyring: KeyringService) -> None:
    anchors = KeyringAnchorStore("/data/a.sqlite3")
    assert anchors.load() is None
    anchors.save(Anchor(5, "5" * 64))
    anchors.save(Anchor(3, "3" * 64))  # a slower process, late
    assert anchors.load() == Anchor(5, "5" * 64)
    anchors.save(Anchor(6, "6" * 64))
    assert anchors.load() == Anchor(6, "6" * 64)
    anchors.clear()
    assert anchors.load() is None


def test_each_log_has_its_own_anchor(clean_keyring: KeyringService) -> None:
    first = AuditLog.with_keyring(MemoryStorage(), scope="/data/a.sqlite3")
    first.record(AuditAction.SECRET_SET, "anthropic-api-key")
    second = AuditLog.with_keyring(MemoryStorage(), scope="/data/b.sqlite3")
    assert second.verify().ok
    assert KeyringAnchorStore("/data/b.sqlite3").load() is None
