"""A patch as people review it (files, hunks, numbered lines, flags), and
the part of it they chose, as a patch of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from desktop.domain.review import DiffLine, FileDiff, Flag, FlagKind, Hunk, LineKind, Selection, visible
from desktop.hostgit.errors import PatchError
from desktop.hostgit.patch.flags import HIDDEN_TEXT, flags_of
from desktop.hostgit.patch.model import PatchFile, PatchText, RawHunk
from desktop.hostgit.patch.parse import parse_patch

_KINDS = {b" ": LineKind.CONTEXT, b"": LineKind.CONTEXT, b"+": LineKind.ADDED, b"-": LineKind.REMOVED}


def file_diffs(patch: PatchText, current: Callable[[str], bytes | None] | None = None) -> list[FileDiff]:
    """The files of ``patch`` for a viewer; raises PatchFormatError when malformed.

    ``current`` reads a file of the person's folder: with it, a binary entry
    whose effect is text is shown as the text it writes.
    """
    files = [file_diff(item, current) for item in parse_patch(patch)]
    repositories = _embedded_repositories(f.path for f in files)
    return [replace(f, flags=(*f.flags, _repository_flag(folder)))
            if (folder := _inside(f.path, repositories)) is not None else f
            for f in files]


def _repository_flag(folder: str) -> Flag:
    where = repr(visible(folder)) if folder else "the folder itself"
    return Flag(FlagKind.EMBEDDED_REPOSITORY,
                f"makes {where} a git repository: its configuration could run commands when you use git there")


def _embedded_repositories(paths: Iterable[str]) -> set[str]:
    """Folders the change fills with what makes a bare git repository (HEAD
    beside a config file or an objects/ or refs/ folder)."""
    found: dict[str, set[str]] = {}
    for path in paths:
        parts = path.casefold().split("/")
        for depth in range(len(parts)):
            folder, rest = "/".join(parts[:depth]), parts[depth:]
            found.setdefault(folder, set()).add(rest[0] if len(rest) > 1 else rest[0] + "$")
    return {folder for folder, names in found.items()
            if "head$" in names and ({"config$", "objects", "refs"} & names)}


def _inside(path: str, folders: set[str]) -> str | None:
    lowered = path.casefold()
    return next((f for f in folders if f == "" or lowered.startswith(f + "/")), None)


def file_diff(item: PatchFile, current: Callable[[str], bytes | None] | None = None) -> FileDiff:
    flags = flags_of(item)
    hunks, binary = item.hunks, item.binary
    if binary and current is not None:
        from desktop.hostgit.patch.effect import text_hunks

        shown = text_hunks(item, current(item.old_path or item.path))
        if shown is not None:
            hunks, binary = shown, False
            flags = (HIDDEN_TEXT, *(f for f in flags if f.kind is not FlagKind.BINARY))
    return FileDiff(
        path=item.path, status=str(item.kind), old_path=item.old_path, old_mode=item.old_mode,
        new_mode=item.new_mode, binary=binary, old_size=item.old_size, new_size=item.new_size,
        symlink_target=item.symlink_target,
        hunks=tuple(_hunk(number, raw) for number, raw in enumerate(hunks, 1)),
        flags=flags,
    )


def _hunk(number: int, raw: RawHunk) -> Hunk:
    lines: list[DiffLine] = []
    old, new = raw.old_start, raw.new_start
    for line in raw.lines:
        marker = line[:1]
        if marker == b"\\":  # "\ No newline at end of file": about the line before
            if lines:
                last = lines[-1]
                lines[-1] = DiffLine(last.kind, last.text, last.old_number, last.new_number, no_newline=True)
            continue
        kind = _KINDS[marker]
        text = line[1:].decode("utf-8", "surrogateescape")
        lines.append(DiffLine(kind, text, None if kind is LineKind.ADDED else old,
                              None if kind is LineKind.REMOVED else new))
        old += kind is not LineKind.ADDED
        new += kind is not LineKind.REMOVED
    section = raw.section.decode("utf-8", "surrogateescape")
    return Hunk(number, raw.old_start, raw.old_count, raw.new_start, raw.new_count, section, tuple(lines))


def select(patch: PatchText, selection: Selection) -> bytes:
    """The part of ``patch`` that ``selection`` names, as a patch ``git apply``
    takes: whole files as they are; single hunks under their file's header.

    Later hunks keep their numbers: git finds each hunk by its old line
    numbers and context, and the new numbers of a partial patch are only
    hints. Raises PatchError for a path or hunk the patch does not have.
    """
    files = parse_patch(patch)
    by_path = {item.path: item for item in files}
    for path in {*selection.files, *(p for p, _ in selection.hunks)} - by_path.keys():
        raise PatchError(f"'{visible(path)}' is not part of this change")
    parts: list[bytes] = []
    for item in files:
        if item.path in selection.files:
            parts.append(item.body)
            continue
        numbers = sorted({n for p, n in selection.hunks if p == item.path})
        if not numbers:
            continue
        if not item.hunks:
            raise PatchError(f"'{visible(item.path)}' can only be taken whole (a binary patch, a mode "
                             "change, a rename): select the file")
        if numbers[0] < 1 or numbers[-1] > len(item.hunks):
            raise PatchError(f"'{visible(item.path)}' has hunks 1 to {len(item.hunks)}, not {numbers[-1]}")
        parts.append(item.header + b"".join(item.hunks[n - 1].text for n in numbers))
    return b"".join(parts)
