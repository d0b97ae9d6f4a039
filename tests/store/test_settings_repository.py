from __future__ import annotations

import pytest

from desktop.store import Database


def test_get_set_all_delete(db: Database) -> None:
    assert db.settings.get("theme") is None
    assert db.settings.get("theme", "light") == "light"
    db.settings.set("theme", "dark")
    db.settings.set("limits", {"cpus": 2, "names": ["ä", None]})
    db.settings.set("theme", "system")
    assert db.settings.get("theme") == "system"
    assert db.settings.all() == {"limits": {"cpus": 2, "names": ["ä", None]}, "theme": "system"}
    db.settings.delete("theme")
    db.settings.delete("theme")
    assert db.settings.all() == {"limits": {"cpus": 2, "names": ["ä", None]}}


def test_a_stored_null_is_not_the_default(db: Database) -> None:
    db.settings.set("proxy", None)
    assert db.settings.get("proxy", "default") is None


def test_values_json_cannot_hold_are_refused(db: Database) -> None:
    with pytest.raises(TypeError):
        db.settings.set("bad", object())
