"""Checks and cuts of a task's patch that the review service makes: the part
a selection leaves out, the hunks that no longer fit, a patch whose text is
not its effect, and the digest that ties an Apply to what was reviewed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.review import FileDiff, Selection, visible
from desktop.services.errors import UserError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from desktop.secrets import Masker

# Naming the conflicting hunks tries each on its own: past this many, the files are named instead.
MAX_HUNKS_TRIED = 200


def refuse_a_false_claim(claimed: bytes, effect: bytes) -> None:
    """The agent's patch must say what it does: for every file both show as
    text, the same lines removed and added (positions and context may move)."""
    from desktop.hostgit.patch.review import file_diffs

    def lines(files: list[FileDiff]) -> dict[str, tuple[list[str], list[str]]]:
        return {f.path: (sorted(line.text for h in f.hunks for line in h.lines if line.kind.value == "removed"),
                         sorted(line.text for h in f.hunks for line in h.lines if line.kind.value == "added"))
                for f in files if not f.binary}

    said, done = lines(file_diffs(claimed)), lines(file_diffs(effect))
    for path in said.keys() & done.keys():
        if said[path] != done[path]:
            raise UserError(f"The agent's patch does not do what its text says in '{visible(path)}': "
                            "it was refused (nothing can be applied; discard it)")


def secret_files(data: bytes, masker: Masker) -> list[str]:
    """The files of a patch that hold a secret the keyring holds, as they may
    be shown: in a name, a line of text, or the bytes a binary file gets
    (deflated inside the patch, so no search of its text sees them)."""
    from desktop.hostgit.errors import PatchError
    from desktop.hostgit.patch import binary
    from desktop.hostgit.patch.parse import parse_patch
    from desktop.hostgit.patch.review import file_diffs

    found: list[str] = []
    if masker.reveals(data.decode("utf-8", "replace")):
        found = [visible(f.path) for f in file_diffs(data) if masker.reveals(f.path)
                 or any(masker.reveals(line.text) for h in f.hunks for line in h.lines)] or ["its text"]
    if masker.longest and b"GIT binary patch" in data:
        budget = [binary.MAX_INFLATED_BYTES]  # for the whole change
        try:
            files = parse_patch(data)
        except PatchError:
            files = []  # not a patch git wrote: refused before anything reads it
        for item in files:
            try:
                if item.binary and _reveals(binary.written_pieces(item.body, budget), masker):
                    found.append(visible(item.path))
            except binary.TooLargeToCheck as error:
                raise UserError(f"The change cannot be checked for secrets: {error}") from None
    return found


def _reveals(pieces: Iterator[bytes], masker: Masker) -> bool:
    """A search across pieces: each looked at with the end of the one before."""
    tail = b""
    for piece in pieces:
        window = tail + piece
        if masker.reveals_bytes(window):
            return True
        tail = window[len(window) - masker.longest + 1:]
    return False


def refuse_stored_secrets(data: bytes, masker: Masker, task_id: str) -> None:
    """A patch that holds a secret the keyring holds (the agent wrote its key
    into ``.env``) is neither shown nor applied. Masking it instead would make
    it a different patch: Apply must write the bytes that were reviewed."""
    files = secret_files(data, masker)
    if files:
        raise UserError(f"The change of task {task_id} writes a secret stored in the keyring into "
                        f"{_listed(files)}: it is not shown and cannot be applied. Discard it, "
                        "or run a follow-up that takes the secret out")


def withheld_for_secrets(patches: Iterable[bytes | None], masker: Masker) -> str | None:
    """Why a task's change is not stored at all, if it holds a stored secret:
    a patch kept in the data folder would keep the secret on disk."""
    try:
        files = [f for data in patches if data for f in secret_files(data, masker)]
    except UserError as error:  # too large to look at: not kept either
        return f"The agent's change was not kept: {error}"
    if not files:
        return None
    return (f"The agent's change writes a secret stored in the keyring into {_listed(sorted(set(files)))}: "
            "it was not kept (nothing of it is on disk). Run the task again without the secret")


def _listed(files: list[str]) -> str:
    return ", ".join(f if f == "its text" else f"'{f}'" for f in files)


def digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def rest(whole: bytes, selection: Selection) -> bytes:
    """The part of ``whole`` a selection leaves out."""
    from desktop.hostgit.patch.review import file_diffs, select

    files: set[str] = set()
    hunks: set[tuple[str, int]] = set()
    for item in file_diffs(whole):
        if item.path in selection.files:
            continue
        chosen = {n for p, n in selection.hunks if p == item.path}
        if not chosen:
            files.add(item.path)
        else:
            hunks.update((item.path, h.number) for h in item.hunks if h.number not in chosen)
    return select(whole, Selection(frozenset(files), frozenset(hunks))) if files or hunks else b""


def conflicting_hunks(data: bytes, folder: Path) -> tuple[str, ...]:
    """Each hunk (or hunk-less file) of ``data`` that does not apply on its own."""
    from desktop.hostgit.errors import PatchError
    from desktop.hostgit.patch.apply import check
    from desktop.hostgit.patch.review import file_diffs, select

    files: list[FileDiff] = file_diffs(data)
    if sum(max(1, len(f.hunks)) for f in files) > MAX_HUNKS_TRIED:
        return ()
    found = []
    for item in files:
        pieces = [(Selection(hunks=frozenset({(item.path, h.number)})), f"{visible(item.path)}:{h.number}  {h.header}")
                  for h in item.hunks] or [(Selection(files=frozenset({item.path})), visible(item.path))]
        for selection, name in pieces:
            try:
                check(select(data, selection), folder)
            except PatchError:
                found.append(name)
    return tuple(found)
