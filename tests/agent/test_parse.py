"""parse_line and StreamParser on lines the real CLI should not, but might, print."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from desktop.agent.stream import StreamParser, parse_line
from desktop.agent.summary import preview, tool_summary
from desktop.domain.events import EventKind as K
from tests.agent.recordings import NAMES, recording


def one(line: str | dict[str, Any]) -> tuple[K, dict[str, Any]]:
    [event] = parse_line(line if isinstance(line, str) else json.dumps(line))
    return event.kind, event.data


@pytest.mark.parametrize("line", ["", "   ", "\t"])
def test_blank_lines_are_skipped(line: str) -> None:
    assert parse_line(line) == []


@pytest.mark.parametrize("line", ["not json", '{"type": "assistant", "mess', "{'a': 1}", "[1,", "npm WARN deprecated"])
def test_non_json_is_raw(line: str) -> None:
    [event] = parse_line(line)
    assert (event.kind, event.data, event.raw) == (K.RAW, {"text": line}, line)


@pytest.mark.parametrize("line,value", [("[1, 2]", [1, 2]), ("42", 42), ('"x"', "x"), ("null", None), ("true", True)])
def test_json_that_is_not_an_object_is_unknown(line: str, value: Any) -> None:
    assert one(line) == (K.UNKNOWN, {"value": value})


def test_unknown_types_keep_their_data() -> None:
    line = {"type": "system", "subtype": "compact_boundary", "x": [1]}
    assert one(line) == (K.UNKNOWN, line)
    assert one({"no": "type"}) == (K.UNKNOWN, {"no": "type"})
    assert one({"type": 7}) == (K.UNKNOWN, {"type": 7})


@pytest.mark.parametrize("line", [
    {"type": "assistant"},
    {"type": "assistant", "message": None},
    {"type": "assistant", "message": {"content": []}},
    {"type": "assistant", "message": {"content": 5}},
    {"type": "user", "message": "hello"},
])
def test_messages_without_content_are_unknown(line: dict[str, Any]) -> None:
    assert one(line) == (K.UNKNOWN, line)


def test_wrong_types_cost_only_the_field() -> None:
    kind, data = one({"type": "result", "is_error": "yes", "total_cost_usd": "0.1", "usage": [1],
                      "num_turns": True, "duration_ms": 1.9, "session_id": 5, "errors": "boom"})
    assert kind is K.RESULT
    assert data["is_error"] is False and data["cost_usd"] is None and data["input_tokens"] is None
    assert data["num_turns"] is None and data["duration_ms"] == 1 and data["session_id"] is None
    assert data["errors"] == [] and data["cache_tokens"] is None
    kind, data = one({"type": "system", "subtype": "init", "tools": "Bash", "session_id": ["x"]})
    assert kind is K.SESSION_INIT and data["tools"] == [] and data["session_id"] is None


def test_result_sums_cache_tokens_and_keeps_errors() -> None:
    kind, data = one({"type": "result", "subtype": "error_max_turns", "is_error": True,
                      "usage": {"input_tokens": 5, "output_tokens": 7, "cache_read_input_tokens": 100,
                                "cache_creation_input_tokens": 20},
                      "errors": ["too many turns", {"code": 1}]})
    assert (data["input_tokens"], data["output_tokens"], data["cache_tokens"]) == (5, 7, 120)
    assert data["errors"] == ["too many turns", '{"code": 1}']


@pytest.mark.parametrize("line", ['{"type":"result","total_cost_usd":1e999}', '{"type":"result","total_cost_usd":NaN}',
                                  '{"type":"result","total_cost_usd":Infinity}', '{"type":"result","num_turns":' + "9" * 400 + "}"])
def test_numbers_json_cannot_say_back_are_dropped(line: str) -> None:
    [event] = parse_line(line)
    json.dumps(event.data, allow_nan=False)


def test_several_blocks_in_one_message() -> None:
    line = json.dumps({"type": "assistant", "parent_tool_use_id": "toolu_parent", "message": {"id": "m1", "content": [
        {"type": "thinking", "thinking": "hmm"},
        {"type": "text", "text": "Looking."},
        {"type": "tool_use", "id": "t1", "name": "Grep", "input": {"pattern": "TODO", "path": "src"}},
        "junk",
    ]}})
    events = parse_line(line)
    assert [e.kind for e in events] == [K.UNKNOWN, K.TEXT, K.TOOL_CALL, K.UNKNOWN]
    assert [bool(e.raw) for e in events] == [True, False, False, False]
    assert events[1].data == {"text": "Looking.", "message_id": "m1", "parent_tool_use_id": "toolu_parent"}
    assert events[2].data["summary"] == "TODO" and events[2].data["input"] == {"pattern": "TODO", "path": "src"}


def test_tool_result_list_content_is_joined() -> None:
    kind, data = one({"type": "user", "message": {"content": [{"type": "tool_result", "tool_use_id": "t1", "content": [
        {"type": "text", "text": "line one"}, {"type": "image", "source": {}}, {"type": "text", "text": "line two"},
    ]}]}})
    assert kind is K.TOOL_RESULT
    assert data["content"] == "line one\n[image]\nline two" and data["is_error"] is False


def test_stream_events_other_than_text_deltas_are_dropped() -> None:
    delta = {"type": "stream_event", "event": {"type": "content_block_delta", "index": 2,
                                                "delta": {"type": "text_delta", "text": "Hé"}}}
    assert one(delta) == (K.PARTIAL, {"text": "Hé", "index": 2})
    for event in ({"type": "message_stop"}, {"type": "content_block_delta", "delta": {"type": "input_json_delta"}}, None):
        assert parse_line(json.dumps({"type": "stream_event", "event": event})) == []


@pytest.mark.parametrize("name,tool_input,summary", [
    ("Bash", {"command": "make test \\\n  -j4"}, "make test \\…"),
    ("Write", {"file_path": "/w/a.py", "content": "x"}, "/w/a.py"),
    ("Glob", {"pattern": "**/*.py"}, "**/*.py"),
    ("WebFetch", {"url": "https://example.org", "prompt": "read"}, "https://example.org"),
    ("Task", {"description": "Find tests", "prompt": "..."}, "Find tests"),
    ("mcp__db__query", {"query": "select 1"}, "select 1"),
    ("Bash", {"command": 5}, ""),
    ("Mystery", {"n": 1}, ""),
    ("Bash", "not a dict", ""),
    ("Bash", {"command": "x" * 500}, "x" * 120 + "…"),
])
def test_tool_summary(name: str, tool_input: Any, summary: str) -> None:
    assert tool_summary(name, tool_input) == summary


def test_preview_is_short() -> None:
    assert preview("a\nb\nc\nd") == "a\nb\nc…"
    assert len(preview("y" * 10_000)) == 201


def test_line_over_the_cap_is_raw_with_a_note() -> None:
    parser = StreamParser(max_line=1000)
    line = json.dumps({"type": "result", "result": "r" * 5000}).encode()
    events = parser.feed(line + b"\n" + b'{"type":"result","result":"ok"}\n')
    assert [e.kind for e in events] == [K.RAW, K.RESULT]
    assert events[0].data["truncated"] is True and events[0].data["length"] == len(line)
    assert len(events[0].raw) == 1000 and "cut" in events[0].data["note"]


def test_two_megabyte_line() -> None:
    content = "ü" * (1024 * 1024)  # 2 MiB of UTF-8
    line = json.dumps({"type": "user", "message": {"content": [
        {"type": "tool_result", "tool_use_id": "t", "content": content}]}}, ensure_ascii=False).encode()
    parser = StreamParser()
    events = [e for i in range(0, len(line), 65_537) for e in parser.feed(line[i:i + 65_537])]
    assert events == []
    [event] = parser.feed(b"\n")
    assert event.kind is K.TOOL_RESULT and event.data["content"] == content
    assert len(event.data["preview"]) == 201


def test_stream_cut_without_a_final_newline() -> None:
    parser = StreamParser()
    assert parser.feed(b'{"type":"result","result":"done"}\n{"type":"assis') != []
    [event] = parser.close()
    assert event.kind is K.RAW and event.data["text"] == '{"type":"assis'


def test_deeply_nested_json_is_not_fatal() -> None:
    line = "[" * 100_000 + "]" * 100_000
    [event] = parse_line(line)
    assert event.kind in (K.RAW, K.UNKNOWN)


def mutations(rng: random.Random, lines: list[bytes]) -> bytes:
    out = []
    for line in lines:
        roll = rng.random()
        if roll < 0.2:
            line = line[: rng.randint(0, len(line))]
        elif roll < 0.35:
            pos = rng.randint(0, len(line))
            line = line[:pos] + bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 8))) + line[pos:]
        elif roll < 0.5:
            value = json.loads(line)
            for key in list(value)[: rng.randint(0, len(value))]:
                value[key] = rng.choice([None, 1, "s", [], {}, True, -1.5, [{"type": "text"}]])
            line = json.dumps(value).encode()
        out.append(line)
    return b"\n".join(out)


@pytest.mark.parametrize("seed", range(40))
def test_fuzz_never_raises(seed: int) -> None:
    rng = random.Random(seed)
    if seed % 4 == 0:
        data = bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 5000)))
    else:
        data = mutations(rng, recording(rng.choice(NAMES)).splitlines())
    parser = StreamParser(max_line=rng.choice([50, 4096, 1 << 20]))
    events = []
    pos = 0
    while pos < len(data):
        size = rng.randint(1, 300)
        events += parser.feed(data[pos:pos + size])
        pos += size
    events += parser.close()
    for event in events:
        assert isinstance(event.kind, K)
        json.dumps(event.data, allow_nan=False)


def test_background_work_notices_are_their_own_kind() -> None:
    # The shapes the CLI (2.x) writes for a Bash command run in the background.
    started = {"type": "system", "subtype": "task_started", "task_id": "b1", "tool_use_id": "tu1",
               "description": "Run the dev server", "session_id": "s", "uuid": "u"}
    assert one(started) == (K.NOTICE, {
        "subtype": "task_started", "task_id": "b1", "tool_use_id": "tu1", "description": "Run the dev server",
        "subagent_type": None, "status": None, "summary": None,
    })
    done = {"type": "system", "subtype": "task_notification", "task_id": "b1", "status": "completed",
            "output_file": "/tmp/x", "summary": "Server stopped", "usage": {"total_tokens": 3}}
    kind, data = one(done)
    assert kind is K.NOTICE and (data["status"], data["summary"], data["task_id"]) == ("completed", "Server stopped", "b1")
    # a field of the wrong type costs that field only
    kind, data = one({"type": "system", "subtype": "task_started", "task_id": 5, "description": ["x"]})
    assert kind is K.NOTICE and data["task_id"] is None and data["description"] is None
