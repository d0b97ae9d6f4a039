"""The review room: a task's change as a diff to read and choose parts of.

``payloads``, ``rows``, ``build``, ``choices``, ``context``, ``words`` and
``syntax`` are plain Python; the widgets (``DiffView``, ``DiffWindow``) are
imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.ui.review.payloads import ContextRequest, DiffMode, SelectionChanged

if TYPE_CHECKING:
    from desktop.ui.review.diff_view import DiffView
    from desktop.ui.review.diff_window import DiffWindow

__all__ = ["ContextRequest", "DiffMode", "DiffView", "DiffWindow", "SelectionChanged"]


def __getattr__(name: str) -> Any:
    if name == "DiffView":
        from desktop.ui.review.diff_view import DiffView

        return DiffView
    if name == "DiffWindow":
        from desktop.ui.review.diff_window import DiffWindow

        return DiffWindow
    raise AttributeError(name)
