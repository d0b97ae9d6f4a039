"""Rows for what the agent reports beside its turn, and for what the transcript
does not know; no Qt.

Background commands and subagents get one readable line when they start and
when they end ("Background command started: Run the dev server"). Any other
event (a ``system`` subtype of a newer CLI, a line that was not JSON) never
shows as JSON in the flow: it goes into a collapsed details row, whose JSON is
made visible and bounded here, once.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.domain import EventKind, TaskEvent
from desktop.domain.review import visible_lines
from desktop.ui.transcript.rows import DetailsRow, NoticeRow
from desktop.ui.transcript.talk import one_line

ENTRY_CHARS = 4000  # one event's JSON in a details row
DETAILS_EVENTS = 50  # a run longer than this starts a new row
ENDED = {"completed": ("completed", "success"), "failed": ("failed", "danger"), "stopped": ("stopped", "muted"),
         "killed": ("stopped", "muted")}


SUBTYPES = ("task_started", "task_progress", "task_notification")


def stored_unknown(kind: EventKind, d: dict[str, Any]) -> bool:
    """A notice stored before the parser knew them (as UNKNOWN, the CLI's JSON as it
    was): its fields have the same names, so it reads the same."""
    return kind is EventKind.UNKNOWN and d.get("type") == "system" and d.get("subtype") in SUBTYPES


class Notices:
    """Remembers what each background task is, so its end says the same words as its start."""

    def __init__(self) -> None:
        self._what: dict[str, tuple[str, str]] = {}  # task id -> (its noun, its description)

    def row(self, key: int, seq: int, d: dict[str, Any]) -> NoticeRow | None:
        """The row of a NOTICE event; None for progress, which would repeat the start."""
        subtype, task_id = _str(d.get("subtype")), _str(d.get("task_id"))
        if subtype == "task_started":
            noun = "Subagent" if _str(d.get("subagent_type")) else "Background command"
            description = _str(d.get("description"))
            self._what[task_id] = (noun, description)
            return NoticeRow(key, seq, text=one_line(f"{noun} started" + (f": {description}" if description else "")))
        if subtype != "task_notification":
            return None
        noun, description = self._what.get(task_id, ("Background command", ""))
        status = _str(d.get("status"))
        word, tone = ENDED.get(status, (status.replace("_", " ") or "ended", "muted"))
        said = _str(d.get("summary")) or description
        return NoticeRow(key, seq, text=one_line(f"{noun} {word}" + (f": {said}" if said else "")), tone=tone)


def add_details(row: DetailsRow, event: TaskEvent) -> None:
    kind, entry = _describe(event)
    row.kinds.append(one_line(kind, 60))
    row.entries.append(entry)


def fits(row: DetailsRow) -> bool:
    return len(row.entries) < DETAILS_EVENTS


def _describe(event: TaskEvent) -> tuple[str, str]:
    d = event.data
    if event.kind is EventKind.RAW:
        return "text line", _bounded(_str(d.get("text")) or event.raw)
    parts = [p for p in (d.get("type"), d.get("subtype")) if isinstance(p, str) and p]
    block = d.get("block")
    if isinstance(block, dict) and isinstance(block.get("type"), str):
        parts.append(block["type"])
    try:
        text = json.dumps(d, indent=2, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):
        text = event.raw
    return " · ".join(parts) or "event", _bounded(text)


def _bounded(text: str) -> str:
    if len(text) > ENTRY_CHARS:
        text = text[:ENTRY_CHARS] + f"\n… {len(text) - ENTRY_CHARS:,} more characters (the task's raw log has them)"
    return visible_lines(text)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
