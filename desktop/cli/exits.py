"""Exit codes, and mapping errors of the core to one readable line."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_ENGINE = 3


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def classify(error: Exception) -> tuple[int, str]:
    """(exit code, one line) for an error raised by the core."""
    from desktop.containers.errors import EngineError, EngineUnavailable

    if isinstance(error, EngineUnavailable):
        return EXIT_ENGINE, str(error)
    if isinstance(error, EngineError):
        return EXIT_FAILED, str(error)
    from desktop.services.errors import UserError
    from desktop.store.errors import AlreadyExists, AmbiguousId, NotFound, StaleState

    if isinstance(error, (UserError, NotFound, AmbiguousId, AlreadyExists, StaleState)):
        return EXIT_USAGE, str(error)
    from desktop.secrets.errors import KeyringUnavailable

    if isinstance(error, KeyringUnavailable):
        return EXIT_FAILED, str(error)
    import traceback

    # An unexpected error: one line for the user, the details for a bug report.
    detail = traceback.format_exception_only(type(error), error)[-1].strip()
    return EXIT_FAILED, f"unexpected error: {detail}"
