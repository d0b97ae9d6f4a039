"""Engine errors that say what failed and how to fix it, never a stack trace."""

from __future__ import annotations


class EngineError(Exception):
    """Base of the engine errors; ``fix`` tells a person what to do."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} — {self.fix}" if self.fix else self.message


class EngineUnavailable(EngineError):
    """No Docker engine answers (not installed, not running, no permission)."""


class ImageMissing(EngineError):
    """The agent image is not built yet, or is of another schema."""


class ContainerFailed(EngineError):
    """A workspace container could not be created, started or used."""
