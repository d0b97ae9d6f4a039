"""One-line digests of tool calls and results, for lists and headers in the GUI."""

from __future__ import annotations

from typing import Any

SUMMARY_CHARS = 120
PREVIEW_CHARS = 200
PREVIEW_LINES = 3

# The argument that says what a call does; the rest is detail.
_KEY_ARGUMENT = {
    "Bash": "command",
    "Write": "file_path",
    "Edit": "file_path",
    "MultiEdit": "file_path",
    "Read": "file_path",
    "NotebookEdit": "notebook_path",
    "Grep": "pattern",
    "Glob": "pattern",
    "WebFetch": "url",
    "WebSearch": "query",
    "Task": "description",
    "Agent": "description",
    "Skill": "skill",
}
# For tools we do not know (MCP tools, newer CLIs): the first of these that is a string.
_FALLBACK_KEYS = ("command", "file_path", "path", "pattern", "url", "query", "description", "prompt", "name")


def tool_summary(name: str, tool_input: Any) -> str:
    """The key argument of a call, on one short line ("" if there is none)."""
    if not isinstance(tool_input, dict):
        return ""
    key = _KEY_ARGUMENT.get(name)
    value = tool_input.get(key) if key else None
    if not isinstance(value, str):
        value = next((v for k in _FALLBACK_KEYS if isinstance(v := tool_input.get(k), str)), None)
    return shorten(value, SUMMARY_CHARS, lines=1) if value else ""


def preview(text: str) -> str:
    """The first lines of a tool's output, short enough for a list row."""
    return shorten(text, PREVIEW_CHARS, lines=PREVIEW_LINES)


def shorten(text: str, chars: int, lines: int) -> str:
    kept = text.strip().splitlines()
    cut = len(kept) > lines
    out = "\n".join(line.rstrip() for line in kept[:lines])
    if len(out) > chars:
        out, cut = out[:chars].rstrip(), True
    return out + "…" if cut else out
