"""The transcript: a task's event stream rendered for reading.

``rows`` and ``builder`` are plain Python; only ``view`` and ``painter`` need
Qt, so ``TranscriptView`` is imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.ui.transcript.view import TranscriptView

__all__ = ["TranscriptView"]


def __getattr__(name: str) -> Any:
    if name == "TranscriptView":
        from desktop.ui.transcript.view import TranscriptView

        return TranscriptView
    raise AttributeError(name)
