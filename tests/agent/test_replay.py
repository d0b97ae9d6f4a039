"""Replaying what the real CLI printed, cut into chunks the way docker exec may cut it."""

from __future__ import annotations

import json
import random

import pytest

from desktop.agent.stream import NewEvent, StreamParser, parse_line
from desktop.domain.events import EventKind
from tests.agent.recordings import NAMES, lines, meta, recording

K = EventKind


def whole_lines(name: str) -> list[NewEvent]:
    return [event for line in lines(name) for event in parse_line(line)]


def chunked(data: bytes, sizes: list[int]) -> list[NewEvent]:
    parser = StreamParser()
    events: list[NewEvent] = []
    pos = 0
    for size in sizes:
        events += parser.feed(data[pos:pos + size])
        pos += size
    return events + parser.feed(data[pos:]) + parser.close()


def test_every_scenario_was_recorded() -> None:
    expected = {"tools", "bash_error", "partial", "api_error", "resume_first", "resume_followup", "resume_missing"}
    assert expected <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", range(8))
def test_random_chunks_parse_like_whole_lines(name: str, seed: int) -> None:
    data = recording(name)
    rng = random.Random(seed)
    top = rng.choice([3, 64, 4096])
    sizes = [rng.randint(1, top) for _ in range(len(data))]
    assert chunked(data, sizes) == whole_lines(name)


@pytest.mark.parametrize("name", NAMES)
def test_one_byte_chunks_parse_like_whole_lines(name: str) -> None:
    data = recording(name)
    assert chunked(data, [1] * len(data)) == whole_lines(name)


@pytest.mark.parametrize("name", NAMES)
def test_recordings_parse_to_known_kinds_with_json_data(name: str) -> None:
    events = whole_lines(name)
    assert events and events[-1].kind is K.RESULT
    assert all(e.kind is not K.RAW for e in events)
    for event in events:
        json.dumps(event.data, allow_nan=False)
    # each line's text is kept once, on its first event
    assert [e.raw for e in events if e.raw] == [line for line in lines(name) if parse_line(line)]


def kinds(name: str) -> list[K]:
    return [e.kind for e in whole_lines(name)]


def test_tools_sequence_and_summaries() -> None:
    assert kinds("tools") == [
        K.SESSION_INIT, K.TEXT, K.TOOL_CALL, K.TOOL_CALL, K.TOOL_RESULT, K.TOOL_RESULT,
        K.TEXT, K.TOOL_CALL, K.TOOL_RESULT, K.TOOL_CALL, K.TOOL_RESULT, K.TEXT, K.RESULT,
    ]
    events = whole_lines("tools")
    calls = [e.data for e in events if e.kind is K.TOOL_CALL]
    assert [(c["name"], c["summary"]) for c in calls] == [
        ("Write", "/workspace/hello.txt"),
        ("Bash", "cat /workspace/hello.txt && echo made"),
        ("Read", "/workspace/hello.txt"),
        ("Edit", "/workspace/hello.txt"),
    ]
    assert calls[0]["input"] == {"file_path": "/workspace/hello.txt", "content": "hi\n"}
    results = {e.data["tool_use_id"]: e.data for e in events if e.kind is K.TOOL_RESULT}
    assert set(results) == {c["id"] for c in calls}
    bash = results[calls[1]["id"]]
    assert bash["content"] == "hi\nmade" and bash["is_error"] is False


def test_init_fields() -> None:
    init = whole_lines("tools")[0]
    source = json.loads(lines("tools")[0])
    assert init.kind is K.SESSION_INIT
    assert init.data["session_id"] == source["session_id"]
    assert init.data["claude_code_version"] == "2.1.330"
    assert init.data["cwd"] == "/workspace"
    assert init.data["permission_mode"] == "bypassPermissions"
    assert init.data["model"] and "Bash" in init.data["tools"]


def test_result_fields_come_from_the_result_line() -> None:
    result = whole_lines("tools")[-1].data
    source = json.loads(lines("tools")[-1])
    assert result["cost_usd"] == source["total_cost_usd"] == pytest.approx(0.00432)
    assert result["session_id"] == source["session_id"]
    assert result["input_tokens"] == source["usage"]["input_tokens"] == 480
    assert result["output_tokens"] == 120
    assert result["cache_tokens"] == 0
    assert result["num_turns"] == source["num_turns"]
    assert result["duration_ms"] == source["duration_ms"] and result["duration_api_ms"] == source["duration_api_ms"]
    assert (result["subtype"], result["is_error"], result["errors"]) == ("success", False, [])
    assert result["result"] == "All done: `hello.txt` says hello."


def test_bash_error_is_a_tool_result_error_not_a_run_error() -> None:
    events = whole_lines("bash_error")
    [result] = [e.data for e in events if e.kind is K.TOOL_RESULT]
    assert result["is_error"] is True and result["content"].startswith("Exit code 3")
    assert events[-1].data["is_error"] is False


def test_partial_deltas_add_up_to_the_text() -> None:
    events = whole_lines("partial")
    texts = [e.data["text"] for e in events if e.kind is K.TEXT]
    deltas = [e for e in events if e.kind is K.PARTIAL]
    assert len(deltas) == 9
    assert "".join(d.data["text"] for d in deltas) == "".join(texts)
    assert texts[0] == "Grüße aus dem Container — 日本語テキスト ✓ 🎉 done."
    # system/status lines of this mode stay visible as UNKNOWN
    unknown = [e.data for e in events if e.kind is K.UNKNOWN]
    assert unknown and all(u["type"] == "system" and u["subtype"] == "status" for u in unknown)


def test_api_error() -> None:
    assert meta("api_error")["exit_code"] == 1
    init, text, result = whole_lines("api_error")
    assert text.kind is K.TEXT and text.data["is_api_error"] is True and text.data["api_error_status"] == 529
    assert text.data["text"].startswith("API Error: 529")
    # the CLI says subtype "success" here: only is_error tells
    assert result.data["subtype"] == "success" and result.data["is_error"] is True
    assert result.data["terminal_reason"] == "api_error" and result.data["api_error_status"] == 529
    assert result.data["result"] == text.data["text"]


def test_resume_keeps_the_session_and_totals_its_cost() -> None:
    first, followup = whole_lines("resume_first"), whole_lines("resume_followup")
    assert meta("resume_followup")["resumed_session_id"] == first[0].data["session_id"]
    assert followup[0].data["session_id"] == followup[-1].data["session_id"] == first[0].data["session_id"]
    assert followup[-1].data["result"] == "The word was pineapple."
    # this run's tokens, but the whole session's cost
    assert followup[-1].data["input_tokens"] == first[-1].data["input_tokens"]
    assert followup[-1].data["cost_usd"] == pytest.approx(2 * first[-1].data["cost_usd"])


def test_resume_of_a_missing_session() -> None:
    [result] = whole_lines("resume_missing")
    assert meta("resume_missing")["exit_code"] == 1
    assert result.data["subtype"] == "error_during_execution" and result.data["is_error"] is True
    assert result.data["errors"] == ["No conversation found with session ID: 00000000-0000-4000-8000-000000000000"]
