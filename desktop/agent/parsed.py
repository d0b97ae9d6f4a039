"""The parser's output: one typed event, ready to become a TaskEvent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.domain.events import EventKind


@dataclass(frozen=True)
class ParsedEvent:
    """``data`` is JSON-serialisable; its keys per kind are listed in ``stream``.

    ``raw`` is the source line. When one line yields several events (an
    assistant message with several content blocks) only the first carries
    it, so that replaying the raw log prints each line once.
    """

    kind: EventKind
    data: dict[str, Any] = field(default_factory=dict)
    raw: str = ""
