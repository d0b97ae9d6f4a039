"""What can go wrong in the store, said in the user's terms.

Callers (CLI, GUI, services) catch these instead of SQLAlchemy or sqlite3
exceptions, which never leave the store for the cases listed here.
"""

from __future__ import annotations

from collections.abc import Iterable


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class NotFound(StoreError, LookupError):
    def __init__(self, what: str, ref: str) -> None:
        super().__init__(f"no {what} matches {ref!r}")
        self.what = what
        self.ref = ref


class AmbiguousId(StoreError, LookupError):
    """A short id the user typed matches more than one object."""

    def __init__(self, what: str, prefix: str, matches: Iterable[str]) -> None:
        self.what = what
        self.prefix = prefix
        self.matches = tuple(matches)
        shown = ", ".join(self.matches)
        super().__init__(f"{prefix!r} matches several {what}s ({shown}); type more of the id")


class AlreadyExists(StoreError):
    def __init__(self, what: str, ref: str, message: str | None = None) -> None:
        super().__init__(message or f"a {what} with id {ref!r} already exists")
        self.what = what
        self.ref = ref


class NameTaken(AlreadyExists):
    def __init__(self, name: str) -> None:
        super().__init__("workspace", name, f"a workspace named {name!r} already exists")
        self.name = name


class StaleState(StoreError):
    """A conditional update found the task in another state than expected.

    Someone else (the scheduler, another window, the CLI) got there first.
    """

    def __init__(self, task_id: str, actual: str, expected: Iterable[str]) -> None:
        self.task_id = task_id
        self.actual = actual
        self.expected = tuple(expected)
        wanted = " or ".join(self.expected)
        super().__init__(f"task {task_id} is {actual}, not {wanted}")


class SchemaTooNew(StoreError):
    """The database was last written by a newer AICode Manager."""

    def __init__(self, found: int, supported: int) -> None:
        super().__init__(
            f"the database has schema version {found}, but this version of "
            f"AICode Manager only knows up to {supported}; please update it"
        )
        self.found = found
        self.supported = supported


class NotOurDatabase(StoreError):
    """The file is an SQLite database that some other program made."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} is not an AICode Manager database")
        self.path = path


class MigrationFailed(StoreError):
    """A schema upgrade left the data inconsistent; nothing was changed."""
