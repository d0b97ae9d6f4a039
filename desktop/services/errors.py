"""The one error vocabulary of the services: what the front ends catch.

The parts below the services (engine, store, keyring, host git) each raise
their own classes; nothing of them crosses the services' boundary. Every
public method of the façade (``App``, ``Workspaces``, ``Tasks``,
``Containers``) is wrapped by ``boundary``, which turns a lower error into
one of the few kinds here. Each says in ``str()`` what went wrong and what to
do, so the CLI prints it as its one line and the GUI shows it as a sentence.
"""

from __future__ import annotations

import enum
import functools
import inspect
from collections.abc import Callable, Iterator
from types import GeneratorType
from typing import Any, ClassVar, TypeVar


class ErrorKind(enum.StrEnum):
    USER = "user"  # the request cannot be done as asked (bad name, empty prompt)
    CONFLICT = "conflict"  # the state moved on (someone else got there first, a patch no longer fits)
    ENGINE_UNAVAILABLE = "engine-unavailable"  # no Docker engine answers
    ENGINE = "engine"  # the engine answered, but the work failed (image missing, container broken)
    KEYRING_UNAVAILABLE = "keyring-unavailable"  # no usable OS keyring
    UNEXPECTED = "unexpected"  # a bug or a failure nobody planned for


class ServiceError(Exception):
    """Base of every error a front end sees; ``kind`` says how to treat it."""

    kind: ClassVar[ErrorKind] = ErrorKind.UNEXPECTED


class UserError(ServiceError):
    """A request that cannot be done as asked; the message says why and what to do."""

    kind = ErrorKind.USER


class NotFound(UserError):
    pass


class Conflict(ServiceError):
    """The thing asked about changed meanwhile, or no longer fits: look again.

    ``parts`` names what conflicts, one line each ("src/app.py:2  @@ -10,3 +10,4 @@").
    """

    kind = ErrorKind.CONFLICT

    def __init__(self, message: str, parts: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.parts = parts


class EngineUnavailable(ServiceError):
    kind = ErrorKind.ENGINE_UNAVAILABLE


class EngineFailure(ServiceError):
    kind = ErrorKind.ENGINE


class KeyringUnavailable(ServiceError):
    kind = ErrorKind.KEYRING_UNAVAILABLE

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message  # the cause alone, without the fix


class Unexpected(ServiceError):
    """Carries the original error's type name: the one line a bug report needs."""

    kind = ErrorKind.UNEXPECTED

    def __init__(self, error: BaseException) -> None:
        import traceback

        # "module.Class: message", as Python prints the last line of a traceback.
        super().__init__(traceback.format_exception_only(type(error), error)[-1].strip())


def translate(error: Exception) -> ServiceError:
    """The services' kind of a lower layer's error (a ServiceError stays as it is)."""
    if isinstance(error, ServiceError):
        return error
    # Imported here: each lower layer is loaded only by the commands that use it.
    from desktop.containers.errors import EngineError
    from desktop.containers.errors import EngineUnavailable as LowerEngineUnavailable
    from desktop.hostgit.errors import PatchConflictError, RepoError
    from desktop.secrets.errors import KeyringUnavailable as LowerKeyringUnavailable
    from desktop.store.errors import AlreadyExists, AmbiguousId, StaleState
    from desktop.store.errors import NotFound as StoreNotFound

    mapped: list[tuple[type[Exception] | tuple[type[Exception], ...], Callable[[str], ServiceError]]] = [
        (LowerEngineUnavailable, EngineUnavailable),
        (EngineError, EngineFailure),
        (StoreNotFound, NotFound),
        ((AmbiguousId, AlreadyExists), UserError),
        ((StaleState, PatchConflictError), Conflict),
        (RepoError, UserError),
        (ValueError, UserError),  # a value the request carried was refused
    ]
    if isinstance(error, LowerKeyringUnavailable):
        return KeyringUnavailable(str(error), error.reason)
    for classes, kind in mapped:
        if isinstance(error, classes):
            return kind(str(error))
    return Unexpected(error)


F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)


def translated(fn: F) -> F:
    """``fn`` raising only ServiceErrors, also while a returned iterator runs."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generate(*args: Any, **kwargs: Any) -> Iterator[Any]:
            return (yield from _translating(fn(*args, **kwargs)))

        return generate  # type: ignore[return-value]

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            result = fn(*args, **kwargs)
        except ServiceError:
            raise
        except Exception as error:
            raise translate(error) from error
        # A stream (container stats) fails while it is read, not when asked for.
        return _translating(result) if isinstance(result, GeneratorType) else result

    return call  # type: ignore[return-value]


def _translating(items: Iterator[Any]) -> Iterator[Any]:
    try:
        return (yield from items)
    except ServiceError:
        raise
    except Exception as error:
        raise translate(error) from error


def boundary(cls: C) -> C:
    """Wrap every public method of a façade class with ``translated``."""
    for name, member in list(vars(cls).items()):
        if name.startswith("_"):
            continue
        if inspect.isfunction(member):
            setattr(cls, name, translated(member))
        elif isinstance(member, classmethod):
            setattr(cls, name, classmethod(translated(member.__func__)))
    return cls
