"""Folding events into rows: what a person reads, independent of painting."""

from __future__ import annotations

from desktop.domain import EventKind
from desktop.ui.transcript.builder import LOG_ROW_LINES, TranscriptBuilder, format_input
from desktop.ui.transcript.rows import LogRow, ResultRow, SessionRow, StateRow, TextRow, ToolRow
from tests.ui.factories import EventMaker, finished_conversation


def test_a_finished_run_reads_as_text_cards_and_a_summary() -> None:
    b = TranscriptBuilder()
    b.feed(finished_conversation())
    kinds = [type(r) for r in b.rows]
    assert kinds[:4] == [StateRow, StateRow, SessionRow, TextRow]
    tools = [r for r in b.rows if isinstance(r, ToolRow)]
    assert [t.name for t in tools] == ["Bash", "Read", "Edit", "Bash"]
    assert all(t.done for t in tools)
    assert tools[0].is_error and "2 failed" in (tools[0].result or "")
    result = next(r for r in b.rows if isinstance(r, ResultRow))
    assert (result.cost_usd, result.num_turns, result.duration_ms) == (0.1834, 9, 133_000)


def test_a_tool_result_joins_its_call_card_by_id_even_after_other_rows() -> None:
    e = EventMaker()
    call = e.event(EventKind.TOOL_CALL, id="toolu_1", name="Bash", input={"command": "ls"}, summary="ls")
    text = e.event(EventKind.TEXT, text="meanwhile")
    result = e.event(EventKind.TOOL_RESULT, tool_use_id="toolu_1", content="a\nb", is_error=False, preview="a\nb")
    b = TranscriptBuilder()
    b.feed([call, text])
    update = b.feed([result])
    assert len(b.rows) == 2
    assert update.changed == {0} and update.first_new == 2
    assert b.rows[0].result == "a\nb" and b.rows[0].preview == "a\nb"


def test_a_result_without_its_call_still_shows() -> None:
    e = EventMaker()
    b = TranscriptBuilder()
    b.feed([e.event(EventKind.TOOL_RESULT, tool_use_id="nope", content="orphan", is_error=True, preview="orphan")])
    row = b.rows[0]
    assert isinstance(row, ToolRow) and row.result == "orphan" and row.is_error


def test_streaming_deltas_grow_one_block_that_the_final_text_replaces() -> None:
    e = EventMaker()
    b = TranscriptBuilder()
    b.feed([e.event(EventKind.PARTIAL, text="Hel"), e.event(EventKind.PARTIAL, text="lo")])
    assert len(b.rows) == 1 and b.rows[0].text == "Hello" and b.rows[0].partial
    update = b.feed([e.event(EventKind.TEXT, text="Hello, world.")])
    assert len(b.rows) == 1 and update.changed == {0}
    assert b.rows[0].text == "Hello, world." and not b.rows[0].partial


def test_an_event_seen_twice_is_shown_once() -> None:
    events = finished_conversation()
    b = TranscriptBuilder()
    b.feed(events[:6])
    b.feed(events[3:])  # stored and live overlap
    once = TranscriptBuilder()
    once.feed(events)
    assert [r.plain_text() for r in b.rows] == [r.plain_text() for r in once.rows]


def test_log_lines_share_a_row_up_to_a_limit() -> None:
    e = EventMaker()
    b = TranscriptBuilder()
    b.feed([e.event(EventKind.STDERR, text=f"line {i}") for i in range(LOG_ROW_LINES + 5)])
    assert [len(r.lines) for r in b.rows] == [LOG_ROW_LINES, 5]
    b.feed([e.event(EventKind.RAW, text="not json")])  # not a log line: a details row (test_transcript_notices)
    assert not isinstance(b.rows[-1], LogRow)


def test_unknown_blocks_say_what_they_are() -> None:
    e = EventMaker()
    b = TranscriptBuilder()
    b.feed([e.event(EventKind.UNKNOWN, type="assistant", block={"type": "thinking", "thinking": "hmm"})])
    assert b.rows[0].lines == ["Thinking: hmm"]


def test_inputs_read_like_what_the_tool_does() -> None:
    assert format_input("Bash", {"command": "make", "description": "Build"}) == "# Build\n$ make"
    edit = format_input("Edit", {"file_path": "a.py", "old_string": "x = 1", "new_string": "x = 2"})
    assert edit.splitlines() == ["a.py", "- x = 1", "+ x = 2"]
    todo = format_input("TodoWrite", {"todos": [{"content": "a", "status": "completed"}, {"content": "b"}]})
    assert todo == "[x] a\n[ ] b"
    assert format_input("Mystery", {}) == ""


def test_row_layout_finds_rows_and_reports_growth_above_a_row() -> None:
    from desktop.ui.transcript.layout import RowLayout

    layout = RowLayout()
    layout.append([10, 20, 30])
    assert layout.tops == [0, 10, 30, 60] and layout.total == 60
    assert [layout.row_at(y) for y in (0, 9, 10, 59, 60, -1)] == [0, 0, 1, 2, -1, -1]
    assert layout.update({0: 15, 2: 40}, above=2) == 5  # only row 0 is above row 2
    assert layout.tops == [0, 15, 35, 75]
    layout.append([5])
    assert layout.tops[-1] == 80 and len(layout) == 4
