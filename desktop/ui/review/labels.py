"""The viewer's words: file headers, counts, flags, gaps; plain text for painting,
accessibility and tests alike; no Qt. Every name from the change goes through ``visible``."""

from __future__ import annotations

import html
from collections import OrderedDict

from desktop.domain.review import FileDiff, Flag, FlagKind, LineKind, visible
from desktop.ui.review.context import Fetch, Gap

LETTERS = {"added": "A", "deleted": "D", "modified": "M", "renamed": "R", "copied": "C"}
STATUS_NAMES = {"A": "Added", "D": "Deleted", "M": "Modified", "R": "Renamed", "C": "Copied"}
FLAG_NAMES = {
    FlagKind.CI: "CI", FlagKind.GIT_CONFIG: "git config", FlagKind.AGENT_CONFIG: "agent config",
    FlagKind.EDITOR_CONFIG: "editor config", FlagKind.LOCK_FILE: "lock file",
    FlagKind.WHITESPACE_ONLY: "whitespace only",
}


def letter(file: FileDiff) -> str:
    return LETTERS.get(file.status, "M")


def shown_path(file: FileDiff) -> str:
    """The path as shown: "old → new" for a rename or copy."""
    if file.old_path is not None and file.old_path != file.path:
        return f"{visible(file.old_path)} → {visible(file.path)}"
    return visible(file.path)


def split_path(path: str) -> tuple[str, str]:
    """("src/app/", "main.py") of a shown path."""
    folder, _, name = path.rpartition("/")
    return (folder + "/" if folder else ""), name


# FileDiff counts its lines each time it is asked; a big file is painted and
# described often. By id, with the file itself to tell a reused id apart.
_COUNTS: OrderedDict[int, tuple[FileDiff, int, int]] = OrderedDict()


def line_counts(file: FileDiff) -> tuple[int, int]:
    """(added, removed) lines of a file, counted once."""
    hit = _COUNTS.get(id(file))
    if hit is None or hit[0] is not file:
        hit = _COUNTS[id(file)] = (file, file.insertions or 0, file.deletions or 0)
        if len(_COUNTS) > 4096:
            _COUNTS.popitem(last=False)
    return hit[1], hit[2]


def counts(file: FileDiff) -> str:
    """"+12 −3"; "binary"; "" for a file without lines (a mode change, a pure rename)."""
    if file.binary:
        return "binary"
    if not file.hunks:
        return ""
    added, removed = line_counts(file)
    return f"+{added} −{removed}"


def flag_marker(flags: tuple[Flag, ...]) -> str:
    """"⚑ CI · executable", or "" for a file without flags."""
    if not flags:
        return ""
    return "⚑ " + " · ".join(dict.fromkeys(FLAG_NAMES.get(f.kind, str(f.kind)) for f in flags))


def flag_reasons(flags: tuple[Flag, ...]) -> str:
    return "\n".join(f"⚑ {visible(f.reason)}" for f in flags)


def file_summary(file: FileDiff) -> str:
    parts = [letter(file), shown_path(file), counts(file), flag_marker(file.flags),
             "already applied" if file.applied else ""]
    return "  ".join(part for part in parts if part)


def file_tooltip(file: FileDiff) -> str:
    lines = [f"{STATUS_NAMES[letter(file)]}: {shown_path(file)}"]
    if file.applied:
        lines.append("Already applied: it is in your folder and cannot be chosen again")
    if file.flags:
        lines.append(flag_reasons(file.flags))
    return "\n".join(lines)


def gap_text(gap: Gap, state: object) -> str:
    lines = "unchanged lines" if gap.count is None else f"{gap.count} unchanged line{'s' if gap.count != 1 else ''}"
    if state is Fetch.LOADING:
        return f"Loading {lines}…"
    if state is Fetch.UNAVAILABLE:
        return f"⋯ {lines} (not available: the file is not in your folder)"
    return f"⋯ {lines} below" if gap.count is None else f"⋯ {lines}"


def line_text(kind: LineKind, old: int | None, new: int | None, text: str) -> str:
    marker = {LineKind.ADDED: "+", LineKind.REMOVED: "−", LineKind.CONTEXT: " "}[kind]
    return f"{marker} {'' if old is None else old:>5} {'' if new is None else new:>5}  {text}"


def hunk_text(file: FileDiff, number: int) -> str:
    """A hunk as a patch shows it, made visible: for the clipboard."""
    hunk = file.hunks[number - 1]
    lines = [f"{hunk.header} {visible(hunk.section)}".rstrip()]
    lines += [{LineKind.ADDED: "+", LineKind.REMOVED: "-", LineKind.CONTEXT: " "}[line.kind] + visible(line.text)
              for line in hunk.lines]
    return "\n".join(lines) + "\n"


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as it is: Qt would read "<b>" in a plain
    tooltip as markup, so the text is escaped inside rich text of our own."""
    return "<p style='white-space:pre'>" + html.escape(text).replace("\n", "<br>") + "</p>"
