"""Which parts of a change the person chose: whole files and single hunks; no Qt.

Everything pending is chosen at first. Files already applied (a follow-up's
parent's change) cannot be chosen. A file without hunks (binary, a mode
change, a rename) and a symlink are chosen whole or not at all.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from desktop.domain.review import FileDiff, Selection

WHOLE = 0  # the one "part" of a file without hunks (or a symlink)
SYMLINK_MODE = "120000"


def _symlink(file: FileDiff) -> bool:
    # A link's one "line" is its target: half a link is no link.
    return file.symlink_target is not None or SYMLINK_MODE in (file.old_mode, file.new_mode)


class Choice(enum.Enum):
    ALL = "all"
    SOME = "some"
    NONE = "none"


class Choices:
    def __init__(self, files: Sequence[FileDiff] = (), read_only: bool = False) -> None:
        """``read_only``: nothing can be chosen (a comparison, a discarded change)."""
        self._files = tuple(files)
        self._parts = [frozenset() if f.applied or read_only else
                       frozenset({WHOLE}) if not f.hunks or _symlink(f) else frozenset(h.number for h in f.hunks)
                       for f in self._files]
        self._chosen = [set(parts) for parts in self._parts]

    def __len__(self) -> int:
        return len(self._files)

    def selectable(self, index: int) -> bool:
        return bool(self._parts[index])

    def by_hunk(self, index: int) -> bool:
        """Whether the file's hunks can be chosen one by one."""
        return bool(self._parts[index]) and WHOLE not in self._parts[index]

    def state(self, index: int) -> Choice:
        chosen, parts = self._chosen[index], self._parts[index]
        if parts and chosen == parts:
            return Choice.ALL
        return Choice.SOME if chosen else Choice.NONE

    def hunk_chosen(self, index: int, number: int) -> bool:
        return number in self._chosen[index] or WHOLE in self._chosen[index]

    def set_file(self, index: int, chosen: bool) -> None:
        self._chosen[index] = set(self._parts[index]) if chosen else set()

    def toggle_file(self, index: int) -> None:
        """All of a file when any part was left out, else none of it."""
        self.set_file(index, self.state(index) is not Choice.ALL)

    def toggle_hunk(self, index: int, number: int) -> None:
        if number not in self._parts[index]:
            return
        self._chosen[index] ^= {number}

    def set_all(self, chosen: bool) -> None:
        for index in range(len(self._files)):
            self.set_file(index, chosen)

    def chosen_files(self) -> int:
        return sum(1 for chosen in self._chosen if chosen)

    def pending_files(self) -> int:
        return sum(1 for parts in self._parts if parts)

    def selection(self) -> Selection | None:
        """None when every pending file is chosen whole; else the files and hunks chosen."""
        states = [self.state(i) for i in range(len(self._files)) if self._parts[i]]
        if all(s is Choice.ALL for s in states):
            return None
        files = frozenset(f.path for i, f in enumerate(self._files) if self._parts[i] and self.state(i) is Choice.ALL)
        hunks = frozenset((f.path, n) for i, f in enumerate(self._files)
                          if self.state(i) is Choice.SOME for n in self._chosen[i])
        return Selection(files, hunks)

    def restore(self, selection: Selection | None) -> None:
        """Choose what ``selection`` names (None: everything pending)."""
        if selection is None:
            self.set_all(True)
            return
        for index, f in enumerate(self._files):
            if f.path in selection.files:
                self.set_file(index, True)
            else:
                self._chosen[index] = {n for p, n in selection.hunks if p == f.path} & self._parts[index]
