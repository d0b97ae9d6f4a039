"""The control protocol's lines: what we read from the container is bounded
and typed; what we write is one line of JSON in the Agent SDK's shapes."""

from __future__ import annotations

import json

import pytest

from desktop.agent import control
from desktop.domain.approvals import RequestKind, kind_of, questions_of, summarize


def _ask(**request: object) -> dict[str, object]:
    return {"type": "control_request", "request_id": "req-1",
            "request": {"subtype": "can_use_tool", "tool_name": "Write", "input": {"file_path": "/w/a"}, **request}}


def test_a_permission_request_is_read() -> None:
    ask = control.read_control(_ask(description="a", tool_use_id="toolu_1"))
    assert ask == control.ToolAsk("req-1", "Write", {"file_path": "/w/a"}, "a", "toolu_1")


@pytest.mark.parametrize("request_id", ["", "a b", "x" * 129, 7, None, "id\n", "../x/\x1b"])
def test_an_id_we_would_not_send_back_is_not_read(request_id: object) -> None:
    value = _ask()
    value["request_id"] = request_id
    assert control.read_control(value) is None


def test_hostile_fields_are_bounded() -> None:
    ask = control.read_control(_ask(tool_name="T" * 10_000, description="d" * 100_000, input="not a dict"))
    assert isinstance(ask, control.ToolAsk)
    assert len(ask.tool) == control.MAX_TOOL_NAME and len(ask.description) == control.MAX_DESCRIPTION
    assert ask.input == {}
    huge = control.read_control(_ask(input={"content": "x" * (control.MAX_INPUT_BYTES + 1)}))
    assert isinstance(huge, control.ToolAsk) and huge.too_large and huge.input == {}


def test_other_control_messages() -> None:
    assert control.read_control({"type": "control_request", "request_id": "r2",
                                 "request": {"subtype": "hook_callback"}}) == control.Unsupported("r2", "hook_callback")
    assert control.read_control({"type": "control_response", "response": {
        "subtype": "success", "request_id": "interrupt-1", "response": {}}}) == control.Reply("interrupt-1")
    assert control.read_control({"type": "control_response", "response": {
        "subtype": "error", "request_id": "x", "error": "no"}}) == control.Reply("x", "no")
    assert control.read_control({"type": "control_cancel_request", "request_id": "r3"}) == control.Withdrawn("r3")
    assert control.read_control({"type": "control_response", "response": "x"}) is None
    assert not control.is_control({"type": "assistant"})


def test_what_we_write_is_one_line_each() -> None:
    lines = [
        control.initialize("initialize"), control.interrupt("interrupt-1"), control.user_message("a\nb\u2028c"),
        control.allow("r"), control.allow("r", {"answers": {"q": "a"}}), control.deny("r", "no\nway"),
        control.unsupported("r", "hook_callback"),
    ]
    for line in lines:
        assert "\n" not in line and "\r" not in line
        json.loads(line)
    assert json.loads(control.deny("r", ""))["response"]["response"] == {
        "behavior": "deny", "message": "The user denied this."}
    assert json.loads(control.allow("r"))["response"] == {
        "subtype": "success", "request_id": "r", "response": {"behavior": "allow"}}


def test_kinds_summaries_and_questions() -> None:
    assert kind_of("AskUserQuestion") is RequestKind.QUESTION and kind_of("ExitPlanMode") is RequestKind.PLAN
    assert kind_of("Bash") is RequestKind.PERMISSION
    assert summarize("Bash", {"command": "ls   -la\n/tmp"}) == "ls -la /tmp"
    assert summarize("WebFetch", {"url": "https://x.test/"}) == "https://x.test/"
    assert summarize("ExitPlanMode", {"plan": "\n\n1. first\n2. second"}) == "1. first"
    assert len(summarize("Bash", {"command": "y" * 10_000})) == 300
    assert summarize("Bash", {"command": 5}) == ""
    questions = questions_of({"questions": [
        {"question": "Q?", "header": "H", "options": [{"label": "A"}, {"label": 3}, "x"], "multiSelect": True},
        {"question": 7}, "junk",
    ]})
    assert [(q.question, q.options, q.multi_select) for q in questions] == [("Q?", ("A",), True)]
    assert questions_of({"questions": "nope"}) == []
