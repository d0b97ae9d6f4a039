"""What a permission card shows of a tool's input: the command, the change as
− and + lines, the address, the query; no Qt.

The input comes from the agent: every line is made visible (control and bidi
characters shown by name) and the whole is bounded, with a line that says
how much was left out, so a huge input can neither slow the window down nor
hide its end silently.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any

from desktop.domain.review import visible

WRITE_LINES = 40  # a new file's first lines; the rest is counted
MAX_LINES = 200  # any preview; Copy takes everything
LINE_CHARS = 1_000  # one line, wrapped on screen
WORKSPACE = "/workspace/"


class LineKind(enum.Enum):
    PLAIN = "plain"
    ADDED = "added"
    REMOVED = "removed"
    NOTE = "note"  # ours, not the agent's: "Edit 2 of 3", "… 12 more lines"


@dataclass(frozen=True)
class PreviewLine:
    kind: LineKind
    text: str


@dataclass(frozen=True)
class Preview:
    title: str  # what the agent wants to do: "Run a command", "Write a file"
    target: str  # the file, address or query, one line ("" when the lines say it all)
    label: str  # over the lines: "Command", "Change", "Input"
    lines: tuple[PreviewLine, ...]
    description: str = ""  # the agent's own words for it

    @property
    def text(self) -> str:
        """The lines as shown, − and + included (for copying and for tests)."""
        marks = {LineKind.ADDED: "+ ", LineKind.REMOVED: "− "}
        return "\n".join(marks.get(line.kind, "") + line.text for line in self.lines)


def preview(tool: str, data: dict[str, Any], description: str = "") -> Preview:
    raw_path = _str(data.get("file_path")) or _str(data.get("notebook_path"))
    path = _path(raw_path)
    desc = _str(data.get("description")) if tool == "Bash" else ""
    # The CLI may describe a request by its file or command: said once, not twice.
    known = {"", path, _one_line(raw_path), _one_line(_str(data.get("command")))}
    said = " — ".join(dict.fromkeys(p for p in (_one_line(description), _one_line(desc)) if p not in known))
    if tool == "Bash" and isinstance(data.get("command"), str):
        return Preview("Run a command", "", "Command", _bounded(_plain(data["command"])), said)
    if tool == "Write" and isinstance(data.get("content"), str):
        lines = _kind(LineKind.ADDED, data["content"], keep=WRITE_LINES)
        return Preview("Write a file", path, "New content", _bounded(lines), said)
    if tool == "Edit":
        lines = _edit(data)
        if data.get("replace_all") is True:
            lines.insert(0, PreviewLine(LineKind.NOTE, "Every occurrence is replaced"))
        return Preview("Edit a file", path, "Change", _bounded(lines), said)
    if tool == "MultiEdit" and isinstance(data.get("edits"), list):
        edits = [e for e in data["edits"] if isinstance(e, dict)]
        lines = []
        for number, edit in enumerate(edits, 1):
            lines.append(PreviewLine(LineKind.NOTE, f"Edit {number} of {len(edits)}"))
            lines += _edit(edit)
        return Preview("Edit a file", path, "Changes", _bounded(lines), said)
    if tool == "NotebookEdit":
        lines = _kind(LineKind.ADDED, _str(data.get("new_source")))
        return Preview("Edit a notebook", path, "New cell source", _bounded(lines), said)
    if tool == "WebFetch":
        lines = _plain(_str(data.get("prompt")))
        return Preview("Fetch a web page", _one_line(_str(data.get("url"))), "What it looks for" if lines else "",
                       _bounded(lines), said)
    if tool == "WebSearch":
        return Preview("Search the web", _one_line(_str(data.get("query"))), "", (), said)
    if tool in ("Read", "Glob", "Grep", "LS"):
        target = path or _one_line(_str(data.get("pattern")) or _str(data.get("path")))
        return Preview(f"Use {_one_line(tool)}", target, "Input", _bounded(_fields(data)), said)
    return Preview(f"Use {_one_line(tool, 80) or 'a tool'}", "", "Input", _bounded(_fields(data)), said)


def _edit(edit: dict[str, Any]) -> list[PreviewLine]:
    return _kind(LineKind.REMOVED, _str(edit.get("old_string"))) + _kind(LineKind.ADDED, _str(edit.get("new_string")))


def _fields(data: dict[str, Any]) -> list[PreviewLine]:
    """Any other tool's input as "name: value" lines, not JSON."""
    lines = []
    for key, value in data.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        lines += _plain(f"{key}: {text[:LINE_CHARS * MAX_LINES]}")
    return lines


def _kind(kind: LineKind, text: str, keep: int = MAX_LINES) -> list[PreviewLine]:
    """``text`` as lines of ``kind``: the first ``keep``, then a note counting the rest."""
    if not text:
        return []
    text = text[:-1] if text.endswith("\n") else text
    parts = text.split("\n", keep)  # the rest stays in one piece, only counted
    if len(parts) <= keep:
        return [PreviewLine(kind, line) for line in parts]
    more = parts[-1].count("\n") + 1
    return [*(PreviewLine(kind, line) for line in parts[:keep]), PreviewLine(LineKind.NOTE, _more(more))]


def _more(lines: int) -> str:
    return f"… {lines:,} more line" + ("" if lines == 1 else "s")


def _plain(text: str) -> list[PreviewLine]:
    return _kind(LineKind.PLAIN, text)


def _bounded(lines: list[PreviewLine]) -> tuple[PreviewLine, ...]:
    """At most MAX_LINES lines of at most LINE_CHARS characters, each made visible."""
    out: list[PreviewLine] = []
    for index, line in enumerate(lines):
        if line.kind is LineKind.NOTE:
            out.append(line)
            continue
        if len(out) >= MAX_LINES:
            out.append(PreviewLine(LineKind.NOTE, _more(len(lines) - index)))
            break
        out.append(PreviewLine(line.kind, visible(line.text[:LINE_CHARS])))
        if len(line.text) > LINE_CHARS:
            out.append(PreviewLine(LineKind.NOTE, f"… {len(line.text) - LINE_CHARS:,} more characters on this line"))
    return tuple(out)


def full_text(tool: str, data: dict[str, Any]) -> str:
    """All of the input, made visible, for Copy: the command, the new content, else name: value lines."""
    if tool == "Bash" and isinstance(data.get("command"), str):
        text = data["command"]
    elif tool == "Write" and isinstance(data.get("content"), str):
        text = data["content"]
    else:
        text = "\n".join(f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)}"
                         for k, v in data.items())
    return "\n".join(visible(line) for line in text.split("\n"))


def _path(path: str) -> str:
    return _one_line(path[len(WORKSPACE):] if path.startswith(WORKSPACE) else path)


def _one_line(text: str, limit: int = 300) -> str:
    line = visible(" ".join(text.split()))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
