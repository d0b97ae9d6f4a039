from __future__ import annotations

import pytest

from desktop.agent.command import (
    MAX_ARG_STRLEN_BYTES,
    PromptTooLong,
    RunOptions,
    claude_argv,
    parse_version,
    version_argv,
)
from desktop.domain.workspace import PermissionMode

BASE = ["claude", "-p", "--output-format", "stream-json", "--verbose"]


def test_default_argv() -> None:
    assert claude_argv("fix the tests") == [*BASE, "--permission-mode=bypassPermissions", "--", "fix the tests"]


def test_all_options() -> None:
    options = RunOptions(PermissionMode.PLAN, model="claude-sonnet-4-5", resume="abc-123", partial=True)
    assert claude_argv("go on", options, executable="/usr/local/bin/claude") == [
        "/usr/local/bin/claude", *BASE[1:], "--permission-mode=plan", "--model=claude-sonnet-4-5",
        "--resume=abc-123", "--include-partial-messages", "--", "go on",
    ]


@pytest.mark.parametrize("prompt", ["-v what", "--help", "a; rm -rf / $(x) `y` 'z\"", "line\nbreak", "ünï 🎉"])
def test_prompt_is_one_element_after_the_options(prompt: str) -> None:
    argv = claude_argv(prompt)
    assert argv[-1] == prompt and argv[-2] == "--" and argv.count(prompt) == 1


def test_values_cannot_turn_into_flags() -> None:
    argv = claude_argv("x", RunOptions(model="--dangerously-skip-permissions", resume="-x"))
    assert "--model=--dangerously-skip-permissions" in argv and "--resume=-x" in argv
    assert "--dangerously-skip-permissions" not in argv


@pytest.mark.parametrize("prompt", ["", "  \n", "nul\x00byte"])
def test_bad_prompts(prompt: str) -> None:
    with pytest.raises(ValueError):
        claude_argv(prompt)


def test_prompt_too_long_for_one_argument() -> None:
    claude_argv("é" * (MAX_ARG_STRLEN_BYTES // 2))
    with pytest.raises(PromptTooLong):
        claude_argv("é" * (MAX_ARG_STRLEN_BYTES // 2 + 1))


def test_unknown_permission_mode() -> None:
    with pytest.raises(ValueError):
        claude_argv("x", RunOptions(permission_mode="yolo --verbose"))
    assert "--permission-mode=acceptEdits" in claude_argv("x", RunOptions(permission_mode="acceptEdits"))


@pytest.mark.parametrize("output,version", [
    ("2.1.330 (Claude Code)\n", "2.1.330"),
    ("claude 1.0.0-beta.2", "1.0.0-beta.2"),
    ("warning: x\n2.0.14 (Claude Code)", "2.0.14"),
    ("command not found", None),
    ("", None),
])
def test_parse_version(output: str, version: str | None) -> None:
    assert parse_version(output) == version


def test_version_argv() -> None:
    assert version_argv() == ["claude", "--version"]
