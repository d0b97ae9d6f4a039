"""Read the file list of a ``git diff --binary`` patch, strictly.

Strict on purpose: the patch comes from a container the agent controlled, so
anything git would not have written (stray text between files, traditional
diffs without ``diff --git``, unknown header lines) is refused rather than
guessed at. ``patches.validate_patch`` also cross-checks this reading against
``git apply --numstat``, so a disagreement between the two parsers is caught.

Paths are taken with ``-p1`` (the first component, ``a/`` or ``b/``, is
dropped), exactly as ``git apply`` does by default.
"""

from __future__ import annotations

import re

from desktop.hostgit.errors import PatchFormatError
from desktop.hostgit.patch.entry import RawEntry, build_patch_file, new_mode_hint, strip_prefix
from desktop.hostgit.patch.model import SYMLINK_MODE, PatchFile, PatchText, RawHunk
from desktop.hostgit.patch.quote import read_name, unquote_c

_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$")
_SIMILARITY = re.compile(rb"^(100|[1-9]?[0-9])%$")
_BINARY_BLOCK = re.compile(rb"^(literal|delta) (\d+)$")
_BASE85 = frozenset(
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~"
)
# Header lines that carry one value each, and the field they fill.
_HEADERS: dict[bytes, str] = {
    b"old mode ": "old_mode",
    b"new mode ": "new_mode",
    b"deleted file mode ": "deleted_mode",
    b"new file mode ": "created_mode",
    b"similarity index ": "similarity",
    b"dissimilarity index ": "similarity",
    b"rename from ": "rename_from",
    b"rename to ": "rename_to",
    b"copy from ": "copy_from",
    b"copy to ": "copy_to",
    b"index ": "index",
    b"--- ": "minus",
    b"+++ ": "plus",
}


def to_bytes(patch: PatchText) -> bytes:
    if isinstance(patch, str):
        return patch.encode("utf-8", "surrogateescape")
    return bytes(patch)


def parse_patch(patch: PatchText) -> list[PatchFile]:
    """The files of ``patch`` in order; raises PatchFormatError when malformed.

    An empty patch (no changes) gives an empty list. Paths are not checked for
    safety here: see ``patch_rules``.
    """
    lines = to_bytes(patch).split(b"\n")
    while lines and lines[-1] == b"":
        lines.pop()
    return _Parser(lines).files()


class _Parser:
    def __init__(self, lines: list[bytes]) -> None:
        self.lines = lines
        self.i = 0

    def fail(self, what: str) -> PatchFormatError:
        return PatchFormatError(
            f"The patch is malformed at line {self.i + 1}: {what}. "
            "It must be the unmodified output of `git diff --binary`."
        )

    def peek(self) -> bytes | None:
        return self.lines[self.i] if self.i < len(self.lines) else None

    def files(self) -> list[PatchFile]:
        result: list[PatchFile] = []
        while (line := self.peek()) is not None:
            if not line.startswith(b"diff --git "):
                raise self.fail("expected a 'diff --git' line")
            result.append(self.entry())
        return result

    def entry(self) -> PatchFile:
        start = self.i
        entry = RawEntry(self.i + 1)
        entry.header_old, entry.header_new = self.header_names(self.lines[self.i][11:])
        self.i += 1
        while (line := self.peek()) is not None:
            if line.startswith((b"@@ ", b"diff --git ")) or line == b"GIT binary patch":
                break
            if line.startswith(b"Binary files ") and line.endswith(b" differ"):
                raise PatchFormatError(
                    "The patch leaves out the content of a binary file; "
                    "it must be made with `git diff --binary`."
                )
            self.header_line(entry, line)
        has_sides = "minus" in entry.fields or "plus" in entry.fields
        entry.header = self.text(start, self.i)
        if self.peek() == b"GIT binary patch":
            if has_sides:
                raise self.fail("binary data after '---'/'+++' lines")
            entry.binary = True
            entry.binary_sizes = self.binary_body()
        else:
            keep_new_side = new_mode_hint(entry) == SYMLINK_MODE
            while (line := self.peek()) is not None and line.startswith(b"@@ "):
                if not ("minus" in entry.fields and "plus" in entry.fields):
                    raise self.fail("a hunk without '---' and '+++' lines")
                self.hunk(entry, keep_new_side)
                entry.hunks += 1
            if has_sides and entry.hunks == 0:
                raise self.fail("'---'/'+++' lines without a hunk")
        line = self.peek()
        if line is not None and not line.startswith(b"diff --git "):
            raise self.fail("unexpected text after the changes of a file")
        entry.body = self.text(start, self.i)
        if entry.binary and not entry.body.endswith(b"\n\n"):
            entry.body += b"\n"  # git needs the blank line after binary data; the patch's end may have lost it
        return build_patch_file(entry)

    def text(self, start: int, end: int) -> bytes:
        """Lines start..end-1 as the patch has them, each ending in a newline."""
        return b"".join(line + b"\n" for line in self.lines[start:end])

    def header_line(self, entry: RawEntry, line: bytes) -> None:
        for prefix, name in _HEADERS.items():
            if line.startswith(prefix):
                if name in entry.fields:
                    raise self.fail(f"repeated '{prefix.decode().strip()}' line")
                value = line[len(prefix) :]
                # A tab ends a ---/+++ name with spaces; nothing else of the
                # kind belongs in a header, where it could rewrite the screen.
                if any(byte < 0x20 and byte != 0x09 or byte == 0x7F for byte in value):
                    raise self.fail(f"a control character in a '{prefix.decode().strip()}' line")
                if name == "similarity" and not _SIMILARITY.match(value):
                    raise self.fail("malformed similarity index")
                entry.fields[name] = value
                self.i += 1
                return
        raise self.fail("unknown line in a file header")

    def no_newline_mark(self, previous: bytes, old_left: int, new_left: int) -> None:
        """A "\\ No newline at end of file" line ends a side: it may follow
        only the last line of the old side ("-"), of the new side ("+"), or
        of both (" "). Anywhere else git would join two lines the reader
        sees apart."""
        ends_a_side = (
            (previous == b"-" and old_left == 0)
            or (previous == b"+" and new_left == 0)
            or (previous == b" " and old_left == 0 and new_left == 0)
        )
        if not ends_a_side:
            raise self.fail("a '\\ No newline at end of file' line in the middle of a hunk")

    def header_names(self, rest: bytes) -> tuple[bytes | None, bytes | None]:
        """Both names of a ``diff --git`` line, without their a/ b/ prefixes.

        Unquoted names containing spaces are ambiguous; like git, we accept the
        split where both names are equal, and otherwise leave the names to the
        rename/copy or ---/+++ lines (None here).
        """
        if rest.startswith(b'"'):
            old, tail = unquote_c(rest)
            if not tail.startswith(b" "):
                raise self.fail("malformed 'diff --git' line")
            return strip_prefix(old), strip_prefix(read_name(tail[1:]))
        quoted_at = rest.find(b' "')
        if quoted_at >= 0:
            return strip_prefix(rest[:quoted_at]), strip_prefix(read_name(rest[quoted_at + 1 :]))
        for split in (m.start() for m in re.finditer(rb" ", rest)):
            left, right = strip_prefix(rest[:split]), strip_prefix(rest[split + 1 :])
            if left is not None and left == right:
                return left, right
        return None, None

    def hunk(self, entry: RawEntry, keep_new_side: bool) -> None:
        match = _HUNK.match(self.lines[self.i])
        if not match:
            raise self.fail("malformed hunk header")
        old_left = int(match[2]) if match[2] is not None else 1
        new_left = int(match[4]) if match[4] is not None else 1
        numbers = (int(match[1]), old_left, int(match[3]), new_left)
        start = self.i + 1
        self.i += 1
        previous = b"@"
        while old_left > 0 or new_left > 0:
            line = self.peek()
            if line is None:
                raise self.fail("the patch ends in the middle of a hunk")
            marker = line[:1]
            if marker == b"\\":
                self.no_newline_mark(previous, old_left, new_left)
            elif marker in (b" ", b""):  # an empty line is an empty context line
                old_left, new_left = old_left - 1, new_left - 1
                if keep_new_side:
                    entry.new_side.append(line[1:])
            elif marker == b"-":
                old_left -= 1
                entry.deletions += 1
            elif marker == b"+":
                new_left -= 1
                entry.insertions += 1
                if keep_new_side:
                    entry.new_side.append(line[1:])
            else:
                raise self.fail("unexpected line inside a hunk")
            if old_left < 0 or new_left < 0:
                raise self.fail("a hunk is longer than its header says")
            previous = marker or b" "
            self.i += 1
        while (line := self.peek()) is not None and line.startswith(b"\\"):
            self.no_newline_mark(previous, old_left, new_left)
            previous = b"\\"
            self.i += 1  # "\ No newline at end of file" after the last line
        entry.raw_hunks.append(RawHunk(*numbers, match[5], tuple(self.lines[start:self.i]), self.lines[start - 1]))

    def binary_body(self) -> list[int | None]:
        """The size of the content each block makes: the new one, then the old one."""
        self.i += 1
        sizes: list[int | None] = []
        for block in ("forward", "reverse"):
            line = self.peek()
            match = _BINARY_BLOCK.match(line) if line is not None else None
            if match is None:
                if block == "reverse":
                    return sizes
                raise self.fail("expected 'literal' or 'delta' after 'GIT binary patch'")
            self.i += 1
            start = self.i
            while (line := self.peek()) is not None and line != b"":
                if not _is_base85_line(line):
                    raise self.fail("malformed binary data")
                self.i += 1
            if self.i == start:
                raise self.fail("empty binary data")
            # A literal states its size; a delta's is the target size in its header.
            sizes.append(int(match[2]) if match[1] == b"literal" else _delta_target_size(self.lines[start:self.i]))
            if line == b"":
                self.i += 1
        return sizes


def _is_base85_line(line: bytes) -> bool:
    head = line[0]
    if 0x41 <= head <= 0x5A:  # 'A'..'Z': 1..26 bytes
        size = head - 0x41 + 1
    elif 0x61 <= head <= 0x7A:  # 'a'..'z': 27..52 bytes
        size = head - 0x61 + 27
    else:
        return False
    body = line[1:]
    return len(body) == (size + 3) // 4 * 5 and all(byte in _BASE85 for byte in body)


def _delta_target_size(lines: list[bytes]) -> int | None:
    """The size of what a git binary delta produces (its header's second
    number), reading only the first few inflated bytes; None if unreadable."""
    import base64
    import zlib

    try:
        data = b"".join(base64.b85decode(line[1:])[: _line_size(line)] for line in lines[:4])
        header = zlib.decompressobj().decompress(data, 20)
    except (ValueError, zlib.error):
        return None
    numbers, value, shift = [], 0, 0
    for byte in header:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            numbers.append(value)
            value, shift = 0, 0
            if len(numbers) == 2:
                return numbers[1]
    return None


def _line_size(line: bytes) -> int:
    head = line[0]
    return head - 0x41 + 1 if head <= 0x5A else head - 0x61 + 27
