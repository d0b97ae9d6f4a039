"""The command line of a Claude Code run, and reading the CLI's version."""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.domain.workspace import PermissionMode

CLAUDE = "claude"
# Linux refuses any single argv string of 128 KiB or more (MAX_ARG_STRLEN)
# with E2BIG; the prompt is the only argument that can get near it.
MAX_ARG_STRLEN_BYTES = 128 * 1024 - 1

_VERSION = re.compile(r"\b(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)")


class PromptTooLong(ValueError):
    """The prompt cannot travel as one argv element (``claude -p`` also reads stdin)."""


@dataclass(frozen=True)
class RunOptions:
    """What varies between runs, besides the prompt."""

    permission_mode: PermissionMode | str = PermissionMode.BYPASS
    model: str | None = None
    resume: str | None = None  # the session id of the task followed up
    partial: bool = False  # --include-partial-messages: stream_event text deltas


def claude_argv(prompt: str, options: RunOptions = RunOptions(), executable: str = CLAUDE) -> list[str]:
    """The argv of ``claude -p``; it is exec'd as is, never through a shell.

    The prompt comes last, after ``--``: the CLI takes a positional prompt
    that starts with "-" for an option (``-v ...`` prints the version).
    Values go as ``--flag=value`` so that none can be read as a flag either.
    """
    if not prompt.strip():
        raise ValueError("the prompt is empty")
    _check_arg("prompt", prompt)
    if len(prompt.encode("utf-8")) > MAX_ARG_STRLEN_BYTES:
        raise PromptTooLong(f"the prompt is over {MAX_ARG_STRLEN_BYTES} bytes")
    argv = [
        executable, "-p",
        "--output-format", "stream-json",
        "--verbose",  # stream-json in -p mode requires it
        f"--permission-mode={PermissionMode(options.permission_mode).value}",
    ]
    return [*argv, *_option_flags(options), "--", prompt]


def claude_stream_argv(options: RunOptions = RunOptions(), executable: str = CLAUDE) -> list[str]:
    """The argv of ``claude -p`` in streaming-input mode: the prompt, later
    messages and the answers to its permission requests come as stream-json
    lines on its stdin (``desktop.agent.control``); every user message is
    echoed back (--replay-user-messages), so the app sees what it received."""
    argv = [
        executable, "-p",
        "--input-format", "stream-json",
        "--output-format", "stream-json",
        "--verbose",
        "--permission-prompt-tool", "stdio",
        "--replay-user-messages",
        f"--permission-mode={PermissionMode(options.permission_mode).value}",
    ]
    return [*argv, *_option_flags(options)]


def _option_flags(options: RunOptions) -> list[str]:
    """The flags both forms take: the model, the session resumed, partial messages."""
    flags = []
    if options.model:
        flags.append(f"--model={_check_arg('model', options.model)}")
    if options.resume:
        flags.append(f"--resume={_check_arg('session id', options.resume)}")
    if options.partial:
        flags.append("--include-partial-messages")
    return flags


def version_argv(executable: str = CLAUDE) -> list[str]:
    return [executable, "--version"]


def parse_version(output: str) -> str | None:
    """"2.1.330 (Claude Code)" -> "2.1.330"; None if no version is found."""
    match = _VERSION.search(output)
    return match.group(1) if match else None


def _check_arg(what: str, value: str) -> str:
    if "\x00" in value:
        raise ValueError(f"the {what} contains a NUL character, which no argv can carry")
    return value
