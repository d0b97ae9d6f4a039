"""What the diff viewer tells its owner, and the modes it shows a change in; no Qt."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from desktop.domain.review import Selection


class DiffMode(enum.StrEnum):
    UNIFIED = "unified"  # one column: removed lines above the added ones
    SPLIT = "split"  # side by side: before on the left, after on the right


@dataclass(frozen=True)
class ContextRequest:
    """Unchanged lines the person asked to see between (or around) hunks.

    ``path`` is the file's path as the ChangeSet names it: answer with
    ``DiffView.show_context(path, first_old_line, lines)``. The lines are
    ``first_old_line``.. of the file as it was before the change, which is
    ``folder_path`` in the person's folder (the old name of a renamed file).
    After the last hunk the view does not know where the file ends: ``count``
    is then a chunk, and fewer lines back means the file ended.
    """

    path: str
    first_old_line: int
    count: int
    folder_path: str
    first_new_line: int  # the same line's number after the change


@dataclass(frozen=True)
class SelectionChanged:
    """The person chose more or less of the change.

    ``selection`` is None when every pending file is chosen whole (apply it
    all), otherwise whole files and single hunks, possibly nothing.
    """

    selection: Selection | None
    chosen_files: int  # pending files with at least one part chosen
    pending_files: int

    @property
    def nothing(self) -> bool:
        return self.chosen_files == 0


@dataclass(frozen=True)
class FileTouched:
    """Inside the viewer: a file's choice changed (by its checkbox or one of its hunks')."""

    index: int


@dataclass(frozen=True)
class FileReached:
    """Inside the viewer: the diff scrolled to (or the cursor moved into) another file."""

    index: int
