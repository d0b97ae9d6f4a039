"""The transcript: a task's event stream rendered for reading."""

from desktop.ui.transcript.view import TranscriptView

__all__ = ["TranscriptView"]
