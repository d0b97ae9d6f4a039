"""Turn the raw header fields of one ``diff --git`` section into a PatchFile.

Names come from the most specific source git offers: rename/copy lines,
then ``---``/``+++``, then the ``diff --git`` line; all sources present must
agree, as ``git apply`` requires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.hostgit.errors import PatchFormatError
from desktop.hostgit.patch.model import (
    FILE_MODES,
    GITLINK_MODE,
    SYMLINK_MODE,
    ChangeKind,
    PatchFile,
    RawHunk,
)
from desktop.hostgit.patch.quote import decode_path, printable, read_name

_INDEX = re.compile(rb"^([0-9a-f]+)\.\.([0-9a-f]+)(?: ([0-7]+))?$")
_MODE = re.compile(rb"^[0-7]{6}$")
_DEV_NULL = b"/dev/null"


@dataclass
class RawEntry:
    """The raw header fields of one ``diff --git`` section."""

    line_number: int
    header_old: bytes | None = None
    header_new: bytes | None = None
    fields: dict[str, bytes] = field(default_factory=dict)
    binary: bool = False
    insertions: int = 0
    deletions: int = 0
    hunks: int = 0
    new_side: list[bytes] = field(default_factory=list)
    header: bytes = b""
    body: bytes = b""
    raw_hunks: list[RawHunk] = field(default_factory=list)
    binary_sizes: list[int | None] = field(default_factory=list)  # forward (new size), then reverse (old)


def strip_prefix(name: bytes) -> bytes | None:
    """-p1: drop everything up to the first '/'; None when there is none."""
    slash = name.find(b"/")
    if slash < 0 or slash == len(name) - 1:
        return None
    return name[slash + 1 :]


def _side_name(value: bytes | None) -> bytes | None:
    """The name of a ---/+++ line: None for /dev/null, else without prefix."""
    if value is None:
        return None
    if value.startswith(b'"'):
        name = read_name(value)
    else:
        # git appends a tab to unquoted names holding a space (GNU patch style).
        name = value[:-1] if value.endswith(b"\t") else value
    if name == _DEV_NULL:
        return None
    stripped = strip_prefix(name)
    if stripped is None:
        raise PatchFormatError(
            f"The patch names '{_shown(name)}' without an a/ or b/ prefix; "
            "make it with `git diff --binary` and the default prefixes."
        )
    return stripped


def _shown(name: bytes) -> str:
    return printable(decode_path(name))


def new_mode_hint(entry: RawEntry) -> str | None:
    """The file's mode after the change, as far as the header tells."""
    fields = entry.fields
    for key in ("new_mode", "created_mode"):
        if key in fields:
            return fields[key].decode("ascii", "replace")
    index = _INDEX.match(fields.get("index", b""))
    return index[3].decode() if index and index[3] else None


def _mode(value: bytes | None) -> str | None:
    if value is None:
        return None
    if not _MODE.match(value):
        raise PatchFormatError(f"The patch has an invalid file mode '{_shown(value)}'.")
    mode = value.decode("ascii")
    if mode == GITLINK_MODE:
        raise PatchFormatError(
            "The patch changes a git submodule; submodule changes are not supported."
        )
    if mode not in FILE_MODES:
        raise PatchFormatError(f"The patch uses the unsupported file mode {mode}.")
    return mode


def _names(entry: RawEntry) -> tuple[ChangeKind, bytes | None, bytes | None]:
    """(kind, old name, new name); the name on a missing side is None."""
    f = entry.fields
    minus, plus = _side_name(f.get("minus")), _side_name(f.get("plus"))
    old: bytes | None
    new: bytes | None
    if "created_mode" in f:
        kind, old, new = ChangeKind.ADDED, None, plus or entry.header_new
        consistent = minus is None and new is not None
    elif "deleted_mode" in f:
        kind, old, new = ChangeKind.DELETED, minus or entry.header_old, None
        consistent = plus is None and old is not None
    elif any(key in f for key in ("rename_from", "rename_to", "copy_from", "copy_to")):
        verb = "rename" if ("rename_from" in f or "rename_to" in f) else "copy"
        kind = ChangeKind.RENAMED if verb == "rename" else ChangeKind.COPIED
        source, dest = f.get(f"{verb}_from"), f.get(f"{verb}_to")
        old = read_name(source) if source is not None else None
        new = read_name(dest) if dest is not None else None
        consistent = (
            old is not None
            and new is not None
            and minus in (None, old)
            and plus in (None, new)
            and not any(key.startswith("copy" if verb == "rename" else "rename") for key in f)
        )
    else:
        kind = ChangeKind.MODIFIED
        old, new = minus or entry.header_old, plus or entry.header_new
        consistent = old is not None and old == new
    for header, side in ((entry.header_old, old), (entry.header_new, new)):
        if header is not None and side is not None and header != side:
            consistent = False
    if not consistent:
        raise PatchFormatError(
            f"The patch gives inconsistent file names for the change at line {entry.line_number}."
        )
    return kind, old, new


def build_patch_file(entry: RawEntry) -> PatchFile:
    f = entry.fields
    index = _INDEX.match(f["index"]) if "index" in f else None
    if "index" in f and index is None:
        raise PatchFormatError(
            f"The patch has a malformed 'index' line for the change at line {entry.line_number}."
        )
    kind, old, new = _names(entry)
    name = new if new is not None else old
    assert name is not None  # _names guarantees one side
    index_mode = _mode(index[3]) if index and index[3] else None
    old_mode = _mode(f.get("old_mode") or f.get("deleted_mode")) or index_mode
    new_mode = _mode(f.get("new_mode") or f.get("created_mode")) or index_mode
    if kind is ChangeKind.ADDED:
        old_mode = None
    if kind is ChangeKind.DELETED:
        new_mode = None
    # git leaves modes out only for a rename or copy without changes; there
    # the file keeps the mode it has on disk, which the tree checks read.
    # Anywhere else a missing mode would let git take it from the disk, and
    # we could not tell a symlink from a file.
    pure_move = kind in (ChangeKind.RENAMED, ChangeKind.COPIED) and not (
        entry.hunks or entry.binary or old_mode or new_mode
    )
    if not pure_move and (
        (kind is not ChangeKind.ADDED and old_mode is None)
        or (kind is not ChangeKind.DELETED and new_mode is None)
    ):
        raise PatchFormatError(f"The patch gives no file mode for '{_shown(name)}'.")

    target: str | None = None
    if new_mode == SYMLINK_MODE and entry.new_side:
        if len(entry.new_side) != 1:
            raise PatchFormatError(f"The symlink '{_shown(name)}' has a target of several lines.")
        target = decode_path(entry.new_side[0])

    return PatchFile(
        path=decode_path(name),
        kind=kind,
        old_path=decode_path(old) if old is not None and old != new and new is not None else None,
        old_mode=old_mode,
        new_mode=new_mode,
        binary=entry.binary,
        insertions=None if entry.binary else entry.insertions,
        deletions=None if entry.binary else entry.deletions,
        symlink_target=target,
        header=entry.header,
        body=entry.body,
        hunks=tuple(entry.raw_hunks),
        new_size=entry.binary_sizes[0] if entry.binary_sizes and kind is not ChangeKind.DELETED else None,
        old_size=entry.binary_sizes[1] if len(entry.binary_sizes) > 1 and kind is not ChangeKind.ADDED else None,
        old_blob=index[1].decode() if index else None,
    )
