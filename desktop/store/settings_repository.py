"""App settings: JSON values under string keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert

from desktop.store.encoding import json_from_text, json_to_text
from desktop.store.tables import settings

if TYPE_CHECKING:
    from desktop.store.database import Database


class SettingsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str, default: Any = None) -> Any:
        with self._db.read() as connection:
            text = connection.execute(
                select(settings.c.value).where(settings.c.key == key)
            ).scalar()
        return default if text is None else json_from_text(text)

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` (anything JSON can hold) under ``key``."""
        text = json_to_text(value)  # before the transaction: a TypeError needs no lock
        upsert = insert(settings).values(key=key, value=text)
        with self._db.write() as connection:
            connection.execute(
                upsert.on_conflict_do_update(index_elements=[settings.c.key], set_={"value": text})
            )

    def delete(self, key: str) -> None:
        """Forget ``key``; nothing happens if it was not set."""
        with self._db.write() as connection:
            connection.execute(delete(settings).where(settings.c.key == key))

    def all(self) -> dict[str, Any]:
        with self._db.read() as connection:
            rows = connection.execute(select(settings).order_by(settings.c.key)).all()
        return {row.key: json_from_text(row.value) for row in rows}
