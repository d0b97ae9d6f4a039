"""Re-record the stream-json fixtures from the real Claude Code CLI.

Run from the repository root with a Docker engine and the agent image:

    .venv/bin/python tests/data/stream/record.py [--image aicode-agent:latest] [scenario ...]

Each scenario talks to the fake Anthropic API (tests/fakeapi) and writes the
CLI's stdout, byte for byte, to ``<scenario>.jsonl`` plus ``<scenario>.meta.json``
(argv, exit code, stderr). The only edit made to the output is masking the
test API key, should the CLI ever echo it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from desktop.agent.command import RunOptions, claude_argv  # noqa: E402
from tests.fakeapi import FakeAnthropic, Reply, ToolCall  # noqa: E402

API_KEY = "sk-ant-test-123"
MASK = "sk-ant-***"


@dataclass
class Run:
    """One ``claude -p`` invocation and what it printed."""

    name: str
    argv: list[str]
    volume: str | None = None
    exit_code: int = 0
    stdout: bytes = b""
    stderr: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def docker_claude(image: str, api: FakeAnthropic, argv: list[str], volume: str | None) -> subprocess.CompletedProcess[bytes]:
    docker = ["docker", "run", "--rm", "--network", "host", "--cap-drop", "ALL",
              "--security-opt", "no-new-privileges",
              "-e", f"ANTHROPIC_BASE_URL={api.base_url}", "-e", f"ANTHROPIC_API_KEY={API_KEY}"]
    if volume:
        docker += ["-v", f"{volume}:/home/agent/.claude"]
    return subprocess.run([*docker, image, *argv], capture_output=True, timeout=600)


def run(image: str, api: FakeAnthropic, name: str, prompt: str,
        options: RunOptions = RunOptions(), volume: str | None = None) -> Run:
    argv = claude_argv(prompt, options)
    proc = docker_claude(image, api, argv, volume)
    return Run(name, argv, volume, proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))


def session_of(stdout: bytes) -> str:
    for line in stdout.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("session_id"):
            return str(event["session_id"])
    raise SystemExit("no session_id in the first run's output")


# -- scenarios: each returns the runs it made --


def tools(image: str, api: FakeAnthropic) -> list[Run]:
    """Text, Write and a succeeding Bash; then Read and Edit; then a final text."""
    api.script(
        Reply(text="Writing the file.", tool_calls=(
            ToolCall("Write", {"file_path": "/workspace/hello.txt", "content": "hi\n"}),
            ToolCall("Bash", {"command": "cat /workspace/hello.txt && echo made", "description": "Show the file"}),
        )),
        Reply(text="Now editing.", tool_calls=(ToolCall("Read", {"file_path": "/workspace/hello.txt"}),)),
        Reply(tool_calls=(ToolCall("Edit", {"file_path": "/workspace/hello.txt", "old_string": "hi", "new_string": "hello"}),)),
        Reply(text="All done: `hello.txt` says hello."),
        match="make hello",
    )
    return [run(image, api, "tools", "make hello")]


def bash_error(image: str, api: FakeAnthropic) -> list[Run]:
    """A Bash call that exits non-zero: the tool_result carries is_error."""
    api.script(
        Reply(text="Trying.", tool_calls=(ToolCall("Bash", {"command": "echo oops >&2; exit 3"}),)),
        Reply(text="The command failed with exit code 3."),
        match="fail please",
    )
    return [run(image, api, "bash_error", "fail please")]


def partial(image: str, api: FakeAnthropic) -> list[Run]:
    """--include-partial-messages: stream_event lines with text deltas (multibyte text)."""
    api.script(
        Reply(text="Grüße aus dem Container — 日本語テキスト ✓ 🎉 done.", chunks=6,
              tool_calls=(ToolCall("Bash", {"command": "echo ünïcödé"}),)),
        Reply(text="Fertig ✓", chunks=3),
        match="stream it",
    )
    return [run(image, api, "partial", "stream it", RunOptions(partial=True))]


def api_error(image: str, api: FakeAnthropic) -> list[Run]:
    """The API answers 529 (overloaded) with x-should-retry: false."""
    api.script(Reply(status=529), match="overload me", after_end=Reply(status=529))
    return [run(image, api, "api_error", "overload me")]


def resume(image: str, api: FakeAnthropic) -> list[Run]:
    """A run, then a follow-up with --resume <session_id> sharing ~/.claude."""
    api.script(
        Reply(text="I will remember the word: pineapple."),
        Reply(text="The word was pineapple."),
        match="remember pineapple",
    )
    volume = f"aicode-stream-record-{uuid.uuid4().hex[:8]}"
    subprocess.run(["docker", "volume", "create", volume], check=True, capture_output=True)
    try:
        first = run(image, api, "resume_first", "remember pineapple", volume=volume)
        session = session_of(first.stdout)
        second = run(image, api, "resume_followup", "what was the word?", RunOptions(resume=session), volume)
        second.extra["resumed_session_id"] = session
        return [first, second]
    finally:
        subprocess.run(["docker", "volume", "rm", "-f", volume], check=False, capture_output=True)


def resume_missing(image: str, api: FakeAnthropic) -> list[Run]:
    """--resume of a session this ~/.claude does not have: an error result, no init."""
    missing = "00000000-0000-4000-8000-000000000000"
    return [run(image, api, "resume_missing", "- carry on", RunOptions(resume=missing))]


SCENARIOS: dict[str, Callable[[str, FakeAnthropic], list[Run]]] = {
    "tools": tools,
    "bash_error": bash_error,
    "partial": partial,
    "api_error": api_error,
    "resume": resume,
    "resume_missing": resume_missing,
}


def save(r: Run) -> None:
    masked = r.stdout.replace(API_KEY.encode(), MASK.encode())
    (HERE / f"{r.name}.jsonl").write_bytes(masked)
    meta = {
        "argv": [a.replace(API_KEY, MASK) for a in r.argv],
        "exit_code": r.exit_code,
        "stderr": r.stderr.replace(API_KEY, MASK),
        "shared_claude_dir": bool(r.volume),
        **r.extra,
    }
    (HERE / f"{r.name}.meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    print(f"{r.name}: exit {r.exit_code}, {len(masked.splitlines())} lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image", default="aicode-agent:latest")
    parser.add_argument("scenarios", nargs="*", help=f"any of {', '.join(SCENARIOS)} (default: all)")
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    with FakeAnthropic() as api:
        for name in args.scenarios or SCENARIOS:
            for r in SCENARIOS[name](args.image, api):
                save(r)


if __name__ == "__main__":
    main()
