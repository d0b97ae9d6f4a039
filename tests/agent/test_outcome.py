from __future__ import annotations

import pytest

from desktop.agent.stream import NewEvent, TaskOutcome, parse_line
from desktop.domain.events import EventKind as K
from tests.agent.recordings import lines


def outcome_of(name: str, upto: int | None = None) -> TaskOutcome:
    outcome = TaskOutcome()
    outcome.feed_all([e for line in lines(name)[:upto] for e in parse_line(line)])
    return outcome


def test_success() -> None:
    outcome = outcome_of("tools")
    assert outcome.succeeded and outcome.error is None
    assert outcome.cli_version == "2.1.330" and outcome.model
    assert outcome.result == "All done: `hello.txt` says hello."
    assert outcome.cost_usd == pytest.approx(0.00432)
    assert (outcome.input_tokens, outcome.output_tokens, outcome.cache_tokens) == (480, 120, 0)
    assert outcome.num_turns == 5 and outcome.duration_ms and outcome.duration_api_ms


def test_api_error() -> None:
    outcome = outcome_of("api_error")
    assert outcome.has_result and not outcome.succeeded and outcome.is_error
    assert outcome.error and outcome.error.startswith("API Error: 529 Overloaded")


def test_api_error_without_result_line_keeps_the_message() -> None:
    outcome = outcome_of("api_error", upto=-1)
    assert not outcome.has_result and not outcome.succeeded
    assert outcome.session_id and outcome.error and outcome.error.startswith("API Error: 529")


def test_errors_list_is_the_error() -> None:
    outcome = outcome_of("resume_missing")
    assert outcome.is_error and outcome.error == "No conversation found with session ID: 00000000-0000-4000-8000-000000000000"
    assert outcome.session_id == "00000000-0000-4000-8000-000000000000" and outcome.cli_version is None


def test_killed_before_the_result() -> None:
    outcome = outcome_of("tools", upto=5)
    assert outcome.session_id and not outcome.has_result and not outcome.succeeded
    assert outcome.result is None and outcome.error is None and outcome.last_text == "Writing the file."


def test_error_result_without_any_reason() -> None:
    outcome = TaskOutcome()
    outcome.feed(NewEvent(K.RESULT, {"subtype": "error_max_turns", "is_error": True}))
    assert outcome.error == "Claude Code failed (error_max_turns)"


def test_follow_up_keeps_the_session() -> None:
    first, followup = outcome_of("resume_first"), outcome_of("resume_followup")
    assert first.session_id == followup.session_id and followup.succeeded
