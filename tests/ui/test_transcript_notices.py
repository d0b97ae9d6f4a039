"""Issue 10 item 3: events the transcript does not know never show as raw JSON.

The lines go through the real stream parser (``parse_line``), as the runner's
do, so the mapping and the rows are tested together.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.agent.stream import parse_line
from desktop.domain import TaskEvent
from desktop.ui.transcript import TranscriptView
from desktop.ui.transcript.builder import TranscriptBuilder
from desktop.ui.transcript.notices import DETAILS_EVENTS
from desktop.ui.transcript.rows import DetailsRow, NoticeRow, TextRow
from tests.ui.factories import NOW


def stream(*lines: dict[str, Any] | str, after: int = 0) -> list[TaskEvent]:
    events = []
    for line in lines:
        for new in parse_line(line if isinstance(line, str) else json.dumps(line)):
            events.append(TaskEvent("t1", after + len(events) + 1, new.kind, new.data, new.raw, created_at=NOW))
    return events


STARTED = {"type": "system", "subtype": "task_started", "task_id": "b1", "tool_use_id": "tu1",
           "description": "Run the dev server", "session_id": "s"}
PROGRESS = {"type": "system", "subtype": "task_progress", "task_id": "b1", "description": "Run the dev server",
            "usage": {"total_tokens": 1}}
DONE = {"type": "system", "subtype": "task_notification", "task_id": "b1", "status": "completed",
        "output_file": "/tmp/out", "summary": ""}
HOOK = {"type": "system", "subtype": "hook_started", "hook": "x"}
RATE = {"type": "rate_limit_event", "info": {"status": "allowed"}}
TEXT = {"type": "assistant", "message": {"id": "m", "content": [{"type": "text", "text": "Done."}]}}


def shown(builder: TranscriptBuilder) -> list[str]:
    """What the main flow says: the collapsed rows' lines, never their details."""
    return [r.title if isinstance(r, DetailsRow) else r.plain_text() for r in builder.rows]


def test_background_commands_read_as_sentences() -> None:
    b = TranscriptBuilder()
    b.feed(stream(STARTED, PROGRESS, DONE,
                  {**STARTED, "task_id": "a2", "subagent_type": "Explore", "description": "Find the tests"},
                  {**DONE, "task_id": "a2", "status": "failed", "summary": "No tests found"}))
    assert shown(b) == [
        "Background command started: Run the dev server",
        "Background command completed: Run the dev server",  # no summary: its description
        "Subagent started: Find the tests",
        "Subagent failed: No tests found",
    ]
    assert [r.tone for r in b.rows] == ["muted", "success", "muted", "danger"]
    assert all("{" not in line for line in shown(b))


def test_unknown_events_fold_into_one_collapsed_details_row_per_run() -> None:
    b = TranscriptBuilder()
    b.feed(stream(HOOK, RATE, "npm WARN deprecated", TEXT, {"type": "system", "subtype": "compact_boundary"}))
    first, text, second = b.rows
    assert isinstance(first, DetailsRow) and isinstance(text, TextRow) and isinstance(second, DetailsRow)
    assert not first.expanded
    assert first.title == "Details · 3 events not shown (system · hook_started, rate_limit_event, text line)"
    assert all("{" not in line for line in shown(b))
    # the details keep each event, JSON indented for reading
    assert '"subtype": "hook_started"' in first.detail and "npm WARN deprecated" in first.detail
    # a long run starts a new row rather than growing one without end
    b.feed(stream(*[HOOK] * (DETAILS_EVENTS + 1), after=100))
    assert [len(r.entries) for r in b.rows[2:]] == [DETAILS_EVENTS, 2]


def test_hostile_text_in_notices_and_details_is_made_visible_and_bounded() -> None:
    b = TranscriptBuilder()
    evil = "ok\u202eexe.txt\x1b[2J"
    b.feed(stream({**STARTED, "description": evil + "x" * 1000}, {"type": "system", "subtype": evil, "big": "y" * 10_000}))
    notice, details = b.rows
    assert isinstance(notice, NoticeRow) and "\u202e" not in notice.text and "\x1b" not in notice.text
    assert "⟨U+202E⟩" in notice.text and len(notice.text) <= 300
    assert "\u202e" not in details.title + details.detail and "\x1b" not in details.title + details.detail
    assert len(details.detail) < 4_500 and "more characters" in details.detail


@pytest.fixture
def view(qtbot) -> TranscriptView:  # noqa: ANN001
    v = TranscriptView()
    qtbot.addWidget(v)
    v.resize(700, 500)
    v.show()
    qtbot.waitExposed(v)
    return v


def test_a_details_row_opens_on_click_and_on_enter(view: TranscriptView, qtbot) -> None:  # noqa: ANN001
    view.set_events(stream(TEXT, HOOK, RATE, STARTED))
    view.flush_now()
    index = next(i for i, r in enumerate(view.rows) if isinstance(r, DetailsRow))
    rect = view.row_rect(index)
    collapsed = rect.height()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(40, rect.top() + 6))
    assert view.rows[index].expanded and view.row_rect(index).height() > collapsed
    assert view.row_rect(index).top() == rect.top()  # it opened in place
    view.grab()  # paints the JSON without error
    view.setFocus(Qt.FocusReason.TabFocusReason)
    view._set_current(index)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert not view.rows[index].expanded and view.row_rect(index).height() == collapsed
    # the notice after it is a plain sentence, painted as such
    assert isinstance(view.rows[index + 1], NoticeRow)


def test_notices_stored_before_the_parser_knew_them_read_the_same() -> None:
    from desktop.domain import EventKind

    old = [TaskEvent("t1", 1, EventKind.UNKNOWN, STARTED, json.dumps(STARTED), created_at=NOW),
           TaskEvent("t1", 2, EventKind.UNKNOWN, DONE, json.dumps(DONE), created_at=NOW)]
    b = TranscriptBuilder()
    b.feed(old)
    assert shown(b) == ["Background command started: Run the dev server",
                        "Background command completed: Run the dev server"]
