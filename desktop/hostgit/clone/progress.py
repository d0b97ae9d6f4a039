"""Turn ``git clone --progress`` output into CloneProgress reports."""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from git import RemoteProgress


class ClonePhase(enum.StrEnum):
    CONNECTING = "connecting"
    COUNTING = "counting"
    COMPRESSING = "compressing"
    RECEIVING = "receiving"
    RESOLVING = "resolving"
    CHECKING_OUT = "checking_out"
    DONE = "done"


@dataclass(frozen=True)
class CloneProgress:
    """One progress report; ``fraction`` is 0..1 within the phase, or None
    when git gives no total (e.g. while counting)."""

    phase: ClonePhase
    fraction: float | None
    message: str


ProgressCallback = Callable[[CloneProgress], None]

_PHASES = {
    RemoteProgress.COUNTING: ClonePhase.COUNTING,
    RemoteProgress.COMPRESSING: ClonePhase.COMPRESSING,
    RemoteProgress.RECEIVING: ClonePhase.RECEIVING,
    RemoteProgress.RESOLVING: ClonePhase.RESOLVING,
    RemoteProgress.CHECKING_OUT: ClonePhase.CHECKING_OUT,
}
_LABELS = {
    ClonePhase.COUNTING: "Counting objects",
    ClonePhase.COMPRESSING: "Compressing objects",
    ClonePhase.RECEIVING: "Receiving objects",
    ClonePhase.RESOLVING: "Resolving deltas",
    ClonePhase.CHECKING_OUT: "Checking out files",
}


class CloneProgressParser(RemoteProgress):
    """Feeds git's stderr lines to GitPython's parser and forwards the result.

    ``on_update`` runs on the thread reading git's output; whatever it raises
    is kept in ``failure`` for the caller to re-raise, since an exception on
    that thread would otherwise be lost.
    """

    def __init__(self, on_update: Callable[[CloneProgress], None], keep_lines: int = 20) -> None:
        super().__init__()
        self._on_update = on_update
        # The tail of what git said that was not progress: the error message.
        self.tail: deque[str] = deque(maxlen=keep_lines)
        self.failure: BaseException | None = None

    def feed(self, raw: bytes) -> None:
        line = raw.decode("utf-8", "replace").rstrip()
        if not line:
            return
        if line.startswith(("error:", "fatal:")):
            # GitPython files these apart; we want them in order with the rest.
            self.tail.append(line)
        self._parse_progress_line(line)

    def line_dropped(self, line: str) -> None:
        # Progress of phases GitPython does not name ("Enumerating objects")
        # arrives here too; it is no use in an error message.
        is_progress = self.re_op_relative.match(line) or self.re_op_absolute.match(line)
        if not is_progress and not line.startswith("Cloning into"):
            self.tail.append(line)

    def update(
        self,
        op_code: int,
        cur_count: str | float,
        max_count: str | float | None = None,
        message: str = "",
    ) -> None:
        phase = _PHASES.get(op_code & RemoteProgress.OP_MASK)
        if phase is None or self.failure is not None:
            return
        fraction: float | None = None
        if max_count:
            fraction = min(1.0, float(cur_count or 0) / float(max_count))
        if op_code & RemoteProgress.END:
            fraction = 1.0
        text = _LABELS[phase]
        if max_count:
            text += f" {int(float(cur_count or 0))}/{int(float(max_count))}"
        if message:
            text += f", {message}"
        try:
            self._on_update(CloneProgress(phase, fraction, text))
        except BaseException as exc:
            self.failure = exc

    def error_text(self) -> str:
        """The last few things git said that were not progress."""
        return "\n".join(list(self.tail)[-5:])
