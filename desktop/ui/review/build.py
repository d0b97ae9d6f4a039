"""A ChangeSet laid out as rows, unified or side by side; no Qt.

Side by side pairs the lines of each change block (a run of removed lines
and the run of added lines after it) one to one, the way reviewers read a
replacement; the same pairs get word highlights in both modes.
"""

from __future__ import annotations

from desktop.domain.review import ChangeSet, FileDiff, Hunk, LineKind, visible
from desktop.ui.review.context import ContextLines, Gap, gaps_before
from desktop.ui.review.payloads import DiffMode
from desktop.ui.review.rows import BlockKey, Cell, Layout, Row, RowKind, display


def build(change: ChangeSet, mode: DiffMode, context: ContextLines) -> Layout:
    out = Layout()
    for index, file in enumerate(change.files):
        if index:
            out.rows.append(Row(RowKind.SPACER, index))
        out.file_rows.append(len(out.rows))
        out.rows.append(Row(RowKind.FILE, index))
        out.rows.extend(Row(RowKind.NOTE, index, text=text) for text in notes(file))
        gaps = dict(gaps_before(index, file))
        for position, hunk in enumerate(file.hunks):
            if position in gaps:
                _gap(out, gaps[position], mode, context)
            out.rows.append(Row(RowKind.HUNK, index, position))
            _hunk(out, index, position, hunk, mode)
        if len(file.hunks) in gaps:
            _gap(out, gaps[len(file.hunks)], mode, context)
    return out


def notes(file: FileDiff) -> list[str]:
    """What a file's change is beyond its lines, in words."""
    found = []
    if file.binary and file.status == "added":
        found.append(f"Binary file, {_size(file.new_size)} (new)")
    elif file.binary and file.status == "deleted":
        found.append(f"Binary file, {_size(file.old_size)} (deleted)")
    elif file.binary:
        found.append(f"Binary file, {_size(file.old_size)} → {_size(file.new_size)}")
    if file.symlink_target is not None:
        found.append(f"Symlink → {visible(file.symlink_target)}")
    if file.mode_changed:
        found.append(f"mode {file.old_mode} → {file.new_mode}")
    if file.old_path is not None and file.old_path != file.path:
        verb = "Copied" if file.status == "copied" else "Renamed"
        found.append(f"{verb}: {visible(file.old_path)} → {visible(file.path)}")
    if not found and not file.hunks:
        found.append("Empty file" if file.status in ("added", "deleted") else "No changes to the content")
    return found


def _size(n: float | None) -> str:
    if n is None:
        return "unknown size"
    if n < 1000:
        return f"{n} B"
    for unit in ("kB", "MB", "GB"):
        n /= 1000
        if n < 1000 or unit == "GB":
            return f"{n:.1f} {unit}"
    return ""  # pragma: no cover - the loop returns


def _gap(out: Layout, gap: Gap, mode: DiffMode, context: ContextLines) -> None:
    state = context.state(gap)
    if not isinstance(state, tuple):
        out.rows.append(Row(RowKind.GAP, gap.file, gap=gap))
        return
    key: BlockKey = ("context", gap.file, gap.first_old)
    out.blocks[key] = texts = []
    for i, raw in enumerate(state):
        text, cut = display(raw)
        texts.append(text)
        out.widest = max(out.widest, len(text))
        cell = Cell(LineKind.CONTEXT, gap.first_old + i, gap.first_new + i, text, cut, key, i)
        out.rows.append(Row(RowKind.LINE if mode is DiffMode.UNIFIED else RowKind.PAIR, gap.file, cell=cell,
                            right=None if mode is DiffMode.UNIFIED else cell))
    out.widest_number = max(out.widest_number, gap.first_old + len(state), gap.first_new + len(state))
    if gap.count is None and len(state) == gap.request_count:  # the file may go on
        more = Gap(gap.file, gap.first_old + len(state), gap.first_new + len(state), None)
        _gap(out, more, mode, context)
    elif gap.count is not None and len(state) < gap.count:  # the folder's file changed since
        out.rows.append(Row(RowKind.NOTE, gap.file, text=f"Only {len(state)} of {gap.count} lines are in your folder"))


def _hunk(out: Layout, file: int, position: int, hunk: Hunk, mode: DiffMode) -> None:
    # The one loop over every line of a change: kept plain, it is most of the cost of opening one.
    old_key: BlockKey = ("old", file, position)
    new_key: BlockKey = ("new", file, position)
    old_texts: list[str] = []
    new_texts: list[str] = []
    out.blocks[old_key], out.blocks[new_key] = old_texts, new_texts
    rows = out.rows
    unified = mode is DiffMode.UNIFIED
    removed: list[Cell] = []
    added: list[Cell] = []
    widest = out.widest
    for line in hunk.lines:
        kind = line.kind
        text, cut = display(line.text)
        if len(text) > widest:
            widest = len(text)
        if kind is LineKind.CONTEXT:
            if removed or added:
                _flush(rows, file, position, removed, added, unified)
            cell = Cell(kind, line.old_number, line.new_number, text, cut, new_key, len(new_texts), None,
                        line.no_newline)
            new_texts.append(text)
            old_texts.append(text)
            rows.append(Row(RowKind.LINE, file, position, cell) if unified
                        else Row(RowKind.PAIR, file, position, cell, cell))
        elif kind is LineKind.REMOVED:
            if added:
                _flush(rows, file, position, removed, added, unified)
            removed.append(Cell(kind, line.old_number, None, text, cut, old_key, len(old_texts), None,
                                line.no_newline))
            old_texts.append(text)
        else:
            added.append(Cell(kind, None, line.new_number, text, cut, new_key, len(new_texts), None,
                              line.no_newline))
            new_texts.append(text)
    if removed or added:
        _flush(rows, file, position, removed, added, unified)
    out.widest = widest
    out.widest_number = max(out.widest_number, hunk.old_start + hunk.old_count, hunk.new_start + hunk.new_count)


def _flush(rows: list[Row], file: int, position: int, removed: list[Cell], added: list[Cell], unified: bool) -> None:
    """Rows for one change block: the removed lines, then the added ones; or side by side, in pairs."""
    for a, b in zip(removed, added, strict=False):
        a.partner, b.partner = b.text, a.text
    if unified:
        rows.extend(Row(RowKind.LINE, file, position, c) for c in removed)
        rows.extend(Row(RowKind.LINE, file, position, c) for c in added)
    else:
        for i in range(max(len(removed), len(added))):
            rows.append(Row(RowKind.PAIR, file, position, removed[i] if i < len(removed) else None,
                            added[i] if i < len(added) else None))
    removed.clear()
    added.clear()


