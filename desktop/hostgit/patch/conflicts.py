"""Turn ``git apply --check`` complaints into an error naming the files."""

from __future__ import annotations

from desktop.hostgit.errors import PatchConflictError, PatchError, PatchFormatError
from desktop.hostgit.patch.model import PatchFile
from desktop.hostgit.patch.quote import printable

# What git says about the patch itself rather than about the folder.
_FORMAT_PROBLEMS = ("corrupt patch", "no valid patches", "unrecognized input", "git diff header")


def failure_error(stderr: str, files: list[PatchFile], folder: str) -> PatchError:
    lowered = stderr.lower()
    if any(problem in lowered for problem in _FORMAT_PROBLEMS):
        return PatchFormatError(
            "git cannot read the patch, so nothing was changed. git said:\n"
            + printable(stderr.strip())
        )
    paths = conflicting_paths(stderr, files)
    detail = "\n".join(printable(line) for line in stderr.strip().splitlines())
    if paths:
        listed = ", ".join(printable(path) for path in paths)
        what = f"these files do not match what the task started from: {listed}"
    else:
        what = "some files do not match what the task started from"
    return PatchConflictError(
        f"The task's changes do not apply to {printable(folder)}: {what}. "
        "Nothing was changed. They were probably edited since the task started: "
        "undo those edits, or run the task again on the current files.",
        paths,
        detail,
    )


def conflicting_paths(stderr: str, files: list[PatchFile]) -> tuple[str, ...]:
    """The patch's paths that git names in its complaints, in patch order.

    git's messages are "error: PATH: reason", "error: patch failed: PATH:LINE"
    or "... 'PATH' ...". Paths may contain ": ", so rather than split the
    text we look for each known path in those shapes.
    """
    candidates: list[str] = []
    for item in files:
        for path in item.read_paths:
            if path not in candidates:
                candidates.append(path)
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    named: list[str] = []
    for path in candidates:
        shapes = (f"error: {path}: ", f"patch failed: {path}:", f"'{path}'")
        if any(shape in line for line in lines for shape in shapes):
            named.append(path)
    return tuple(named)
