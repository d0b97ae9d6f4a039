"""The Docker engines added besides the local one, by name."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, delete, func, insert, select

from desktop.domain.engines import EngineSpec, TlsFiles
from desktop.store.encoding import datetime_from_text, datetime_to_text
from desktop.store.errors import AlreadyExists, NotFound
from desktop.store.tables import engines, workspaces

if TYPE_CHECKING:
    from desktop.store.database import Database


class EngineRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, spec: EngineSpec) -> EngineSpec:
        stored = EngineSpec(spec.name, spec.url, spec.tls, spec.created_at or datetime.now())
        with self._db.write() as connection:
            if connection.execute(select(engines.c.name).where(engines.c.name == spec.name)).first():
                raise AlreadyExists("engine", spec.name, f"an engine called {spec.name!r} exists already")
            tls = stored.tls
            connection.execute(insert(engines).values(
                name=stored.name, url=stored.url, tls_ca=tls and tls.ca, tls_cert=tls and tls.cert,
                tls_key=tls and tls.key, created_at=datetime_to_text(stored.created_at or datetime.now()),
            ))
        return stored

    def get(self, name: str) -> EngineSpec:
        with self._db.read() as connection:
            row = connection.execute(select(engines).where(engines.c.name == name)).first()
        if row is None:
            raise NotFound("engine", name)
        return _from_row(row)

    def list(self) -> builtins.list[EngineSpec]:
        with self._db.read() as connection:
            rows = connection.execute(select(engines).order_by(engines.c.name)).all()
        return [_from_row(row) for row in rows]

    def workspace_counts(self) -> dict[str, int]:
        """How many workspaces live on each engine (the local one included)."""
        with self._db.read() as connection:
            rows = connection.execute(
                select(workspaces.c.engine, func.count()).group_by(workspaces.c.engine)).all()
        return {name: count for name, count in rows}

    def remove(self, name: str) -> None:
        with self._db.write() as connection:
            if not connection.execute(delete(engines).where(engines.c.name == name)).rowcount:
                raise NotFound("engine", name)


def _from_row(row: Row[Any]) -> EngineSpec:
    tls = TlsFiles(row.tls_ca, row.tls_cert, row.tls_key) if row.tls_ca and row.tls_cert and row.tls_key else None
    return EngineSpec(row.name, row.url, tls, datetime_from_text(row.created_at))
