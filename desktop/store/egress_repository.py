"""What a workspace's agent tried to reach and was refused (and, for the
record, let through), newest first."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select

from desktop.store.encoding import datetime_from_text, datetime_to_text
from desktop.store.tables import egress_log

if TYPE_CHECKING:
    from desktop.store.database import Database

# A workspace's log keeps its latest entries only: an agent looping on a
# blocked host must not fill the disk.
KEEP = 2000


@dataclass(frozen=True)
class EgressAttempt:
    workspace_id: str
    at: datetime
    host: str
    port: int
    verdict: str  # "blocked"
    reason: str = ""


class EgressRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, attempt: EgressAttempt) -> None:
        with self._db.write() as connection:
            connection.execute(insert(egress_log).values(
                workspace_id=attempt.workspace_id, at=datetime_to_text(attempt.at), host=attempt.host[:255],
                port=attempt.port, verdict=attempt.verdict, reason=attempt.reason[:200],
            ))
            old = select(egress_log.c.id).where(egress_log.c.workspace_id == attempt.workspace_id) \
                .order_by(egress_log.c.id.desc()).offset(KEEP)
            connection.execute(delete(egress_log).where(egress_log.c.id.in_(old)))

    def list(self, workspace_id: str, limit: int = 200, since: datetime | None = None,
             until: datetime | None = None) -> builtins.list[EgressAttempt]:
        query = select(egress_log).where(egress_log.c.workspace_id == workspace_id)
        if since is not None:
            query = query.where(egress_log.c.at >= datetime_to_text(since))
        if until is not None:
            query = query.where(egress_log.c.at <= datetime_to_text(until))
        query = query.order_by(egress_log.c.id.desc()).limit(limit)
        with self._db.read() as connection:
            rows = connection.execute(query).all()
        return [EgressAttempt(r.workspace_id, datetime_from_text(r.at), r.host, r.port, r.verdict, r.reason)
                for r in rows]
