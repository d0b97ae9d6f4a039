"""Checks and cuts of a task's patch that the review service makes: the part
a selection leaves out, the hunks that no longer fit, a patch whose text is
not its effect, and the digest that ties an Apply to what was reviewed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.review import FileDiff, Selection, visible
from desktop.services.errors import UserError

if TYPE_CHECKING:
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


def refuse_stored_secrets(data: bytes, masker: Masker, task_id: str) -> None:
    """A patch that holds a secret the keyring holds (the agent wrote its key
    into ``.env``) is neither shown nor applied. Masking it instead would make
    it a different patch: Apply must write the bytes that were reviewed."""
    from desktop.hostgit.patch.review import file_diffs

    if not masker.reveals(data.decode("utf-8", "replace")):
        return
    files = [visible(f.path) for f in file_diffs(data)
             if masker.reveals(f.path) or any(masker.reveals(line.text) for h in f.hunks for line in h.lines)]
    where = ", ".join(f"'{path}'" for path in files) if files else "its text"
    raise UserError(f"The change of task {task_id} writes a secret stored in the keyring into {where}: "
                    "it is not shown and cannot be applied. Discard it (it is kept in the data folder), "
                    "or run a follow-up that takes the secret out")


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
