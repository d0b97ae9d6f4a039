"""Exit codes, and the services' errors as one readable line."""

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
    """(exit code, one line) for an error a command let through."""
    from desktop.services.errors import ErrorKind, ServiceError, Unexpected

    if not isinstance(error, ServiceError):
        error = Unexpected(error)  # a bug of the CLI's own: still one line
    code = {
        ErrorKind.USER: EXIT_USAGE,
        ErrorKind.ENGINE_UNAVAILABLE: EXIT_ENGINE,
    }.get(error.kind, EXIT_FAILED)
    if error.kind is ErrorKind.UNEXPECTED:
        # One line for the user; the type is what a bug report needs.
        return code, f"unexpected error: {error}"
    return code, str(error)
