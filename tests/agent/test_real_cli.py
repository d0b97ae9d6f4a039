"""The argv and the parser against the real CLI in the agent image, streamed live."""

from __future__ import annotations

import os
import subprocess

import pytest

from desktop.agent.command import RunOptions, claude_argv, parse_version, version_argv
from desktop.agent.stream import NewEvent, StreamParser, TaskOutcome
from desktop.domain.events import EventKind as K
from tests.fakeapi import FakeAnthropic, Reply, ToolCall

pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("agent_image")]
IMAGE = os.environ.get("AICODE_TEST_IMAGE", "aicode-agent:latest")


def docker_run(api: FakeAnthropic, argv: list[str]) -> list[str]:
    return ["docker", "run", "--rm", "--network", "host", "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges", "-e", f"ANTHROPIC_BASE_URL={api.base_url}",
            "-e", "ANTHROPIC_API_KEY=sk-ant-test-123", IMAGE, *argv]


def stream(command: list[str]) -> tuple[list[NewEvent], int]:
    parser = StreamParser()
    events: list[NewEvent] = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        while chunk := os.read(proc.stdout.fileno(), 777):
            events += parser.feed(chunk)
        code = proc.wait(timeout=120)
    return events + parser.close(), code


def test_a_prompt_that_looks_like_an_option() -> None:
    with FakeAnthropic() as api:
        api.script(Reply(text="Ran it.", tool_calls=(ToolCall("Bash", {"command": "echo ✓"}),)),
                   Reply(text="Done ✓", chunks=4), match="-v --help")
        events, code = stream(docker_run(api, claude_argv("-v --help: echo a tick", RunOptions(partial=True))))
    outcome = TaskOutcome()
    outcome.feed_all(events)
    assert code == 0 and outcome.succeeded and outcome.result == "Done ✓"
    assert outcome.cli_version and outcome.session_id
    kinds = {e.kind for e in events}
    assert {K.SESSION_INIT, K.TEXT, K.TOOL_CALL, K.TOOL_RESULT, K.PARTIAL, K.RESULT} <= kinds
    assert K.RAW not in kinds


def test_version() -> None:
    out = subprocess.run(["docker", "run", "--rm", IMAGE, *version_argv()], capture_output=True, text=True, check=True)
    version = parse_version(out.stdout)
    assert version and version.count(".") == 2
