"""Rows of the talk with the agent: its requests, their answers, the user's messages; no Qt.

All of it comes from the container (a tool's input, a deny message echoed
back, a replayed message): each text is made visible (control and bidi
characters shown by name) and cut to a length a row can hold, here, once.
"""

from __future__ import annotations

from typing import Any

from desktop.domain.approvals import summarize
from desktop.domain.review import visible, visible_lines
from desktop.ui.transcript.rows import RequestRow, UserRow

LINE_CHARS = 300  # a request's summary or message: one line
USER_CHARS = 4000  # a message of the user's, as echoed back
USER_LINES = 30


# The tools whose summary (``desktop.domain.approvals.summarize``) is one of
# their fields; any other tool's would be its input as JSON.
SUMMARIZED = frozenset({"Bash", "Write", "Edit", "MultiEdit", "Read", "NotebookEdit", "WebFetch", "WebSearch",
                        "Glob", "Grep", "ExitPlanMode", "AskUserQuestion"})


def request_row(key: int, seq: int, d: dict[str, Any]) -> RequestRow:
    tool = _str(d.get("tool"))
    data = d.get("input") if isinstance(d.get("input"), dict) else {}
    if tool in SUMMARIZED:
        summary = _str(d.get("summary")) or summarize(tool, data)
    else:  # its first text field, never JSON
        summary = next((v for v in data.values() if isinstance(v, str) and v.strip()), "")
    return RequestRow(key, seq, request_id=_str(d.get("request_id")), request_kind=_str(d.get("kind")) or "permission",
                      tool=one_line(tool, 60), summary=one_line(summary))


def decide(row: RequestRow, d: dict[str, Any]) -> None:
    row.decision = _str(d.get("decision")) or "withdrawn"
    row.message = one_line(_str(d.get("message")))
    row.always = d.get("always") is True
    row.by = _str(d.get("by"))
    if not row.tool:
        row.tool = one_line(_str(d.get("tool")), 60)
    if row.request_kind == "permission" and _str(d.get("kind")):
        row.request_kind = _str(d.get("kind"))


def user_row(key: int, seq: int, text: str, replay: bool) -> UserRow:
    if not replay:  # the CLI's note, "[Request interrupted by user]": one line, no brackets
        return UserRow(key, seq, text=one_line(text.strip().strip("[]")), replay=False)
    return UserRow(key, seq, text=bounded_text(text, USER_CHARS, USER_LINES), replay=True)


def one_line(text: str, limit: int = LINE_CHARS) -> str:
    line = visible(" ".join(text.split()))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def bounded_text(text: str, chars: int, lines: int) -> str:
    """``text`` made visible line by line, cut to ``chars`` and ``lines`` with a note of the rest."""
    text = text.strip()
    cut = text[:chars]
    kept = cut.split("\n")[:lines]
    shown = "\n".join(kept)
    rest = len(text) - len(shown)
    return visible_lines(shown) + (f"\n… {rest:,} more characters" if rest > 0 else "")


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
