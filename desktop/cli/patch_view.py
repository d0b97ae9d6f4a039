"""A patch as a person reads it on a terminal: coloured, with everything the
agent wrote shown and nothing of it interpreted (an escape code in a changed
line prints as ⟨ESC⟩[2K, it never moves the cursor)."""

from __future__ import annotations

from typing import TextIO

from desktop.domain.review import FileDiff, visible

_RESET = "\x1b[0m"
_STYLES = {"file": "\x1b[1m", "meta": "\x1b[1m", "hunk": "\x1b[36m", "added": "\x1b[32m", "removed": "\x1b[31m",
           "binary": "\x1b[33m", "context": ""}
_META = (b"index ", b"new file mode ", b"deleted file mode ", b"old mode ", b"new mode ", b"similarity index ",
         b"dissimilarity index ", b"rename from ", b"rename to ", b"copy from ", b"copy to ", b"--- ", b"+++ ")


def show(patch: bytes, out: TextIO, color: bool) -> None:
    """Write ``patch`` for reading; binary content is summarised, not printed."""
    in_header = in_binary = False
    for line in patch.split(b"\n")[: -1 if patch.endswith(b"\n") else None]:
        if line.startswith(b"diff --git "):
            in_header, in_binary, kind = True, False, "file"
        elif in_binary:
            if line.startswith((b"literal ", b"delta ")):
                size = visible(line.partition(b" ")[2].decode("utf-8", "surrogateescape"))
                _write(out, color, "binary", f"    binary content, {size} bytes (not shown)")
            continue
        elif line == b"GIT binary patch":
            in_header, in_binary, kind = False, True, "binary"
        elif in_header and line.startswith(_META):
            kind = "meta"
        elif line.startswith(b"@@"):
            in_header, kind = False, "hunk"
        else:
            kind = {b"+": "added", b"-": "removed"}.get(line[:1], "context")
        _write(out, color, kind, visible(line.decode("utf-8", "surrogateescape")))


def show_files(files: list[FileDiff], out: TextIO, color: bool) -> None:
    """What Apply writes, file by file, as the review computed it (a binary
    entry that writes text is shown as that text)."""
    for item in files:
        name = visible(item.path)
        old = visible(item.old_path) if item.old_path else name
        _write(out, color, "file", f"diff --git a/{old} b/{name}")
        for line in _file_notes(item):
            _write(out, color, "meta", line)
        for flag in item.flags:
            _write(out, color, "binary", f"⚑ {visible(flag.reason)}")
        for hunk in item.hunks:
            section = f" {visible(hunk.section)}" if hunk.section else ""
            _write(out, color, "hunk", f"{hunk.header}{section}")
            for line in hunk.lines:
                kind = {"added": "added", "removed": "removed"}.get(line.kind.value, "context")
                marker = {"added": "+", "removed": "-"}.get(kind, " ")
                _write(out, color, kind, marker + visible(line.text))
                if line.no_newline:
                    _write(out, color, "meta", "\\ No newline at end of file")


def _file_notes(item: FileDiff) -> list[str]:
    notes = []
    if item.status in ("added", "deleted"):
        notes.append(f"{'new' if item.status == 'added' else 'deleted'} file mode {item.new_mode or item.old_mode}")
    elif item.mode_changed:
        notes.append(f"old mode {item.old_mode}")
        notes.append(f"new mode {item.new_mode}")
    if item.old_path:
        notes.append(f"{item.status} from {visible(item.old_path)}")
    if item.binary:
        sizes = " → ".join("?" if s is None else f"{s} bytes" for s in (item.old_size, item.new_size))
        notes.append(f"binary file ({sizes})")
    if item.symlink_target is not None:
        notes.append(f"symlink to {visible(item.symlink_target)}")
    return notes


def hunk_lines(files: list[FileDiff]) -> list[str]:
    """``PATH:N  +A -R  @@ -a,b +c,d @@ section``, one per hunk; a file with
    none (binary, a mode change) gets one line saying what it is."""
    lines = []
    for item in files:
        path = visible(item.path)
        if not item.hunks:
            what = "binary" if item.binary else item.status
            lines.append(f"{path}  ({what}, taken whole)")
        for hunk in item.hunks:
            section = f" {visible(hunk.section)}" if hunk.section else ""
            lines.append(f"{path}:{hunk.number}  +{hunk.added} -{hunk.removed}  {hunk.header}{section}")
    return lines


def _write(out: TextIO, color: bool, kind: str, text: str) -> None:
    style = _STYLES[kind] if color else ""
    out.write(f"{style}{text}{_RESET if style else ''}\n")
