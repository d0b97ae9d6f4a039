"""How Python values are kept in SQLite TEXT columns.

Datetimes are ISO 8601 with a fixed microsecond precision so that text order
is time order (the queue and the listings sort on these columns). JSON is
compact and keeps non-ASCII text readable in the file.

The repositories call these explicitly rather than hiding them in column
types, so a value JSON cannot hold fails with a plain TypeError at the call
site instead of an SQLAlchemy wrapper exception.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any


def datetime_to_text(value: datetime) -> str:
    return value.isoformat(timespec="microseconds")


def datetime_from_text(text: str) -> datetime:
    return datetime.fromisoformat(text)


def optional_datetime_to_text(value: datetime | None) -> str | None:
    return None if value is None else datetime_to_text(value)


def optional_datetime_from_text(text: str | None) -> datetime | None:
    return None if text is None else datetime_from_text(text)


def json_to_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_from_text(text: str) -> Any:
    return json.loads(text)
