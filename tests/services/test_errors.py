"""The services' one error vocabulary: lower errors never cross the façade."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.cli.exits import EXIT_ENGINE, EXIT_FAILED, EXIT_USAGE, classify
from desktop.containers import errors as engine_errors
from desktop.hostgit import errors as git_errors
from desktop.secrets.errors import KeyringUnavailable as LowerKeyringUnavailable
from desktop.services import errors
from desktop.services.errors import ErrorKind, boundary, translate
from desktop.store import errors as store_errors

LOWER = [
    (engine_errors.EngineUnavailable("Docker is not running", "start it"), ErrorKind.ENGINE_UNAVAILABLE, EXIT_ENGINE),
    (engine_errors.ImageMissing("aicode-agent:latest is not built", "build it"), ErrorKind.ENGINE, EXIT_FAILED),
    (LowerKeyringUnavailable("the keyring is locked"), ErrorKind.KEYRING_UNAVAILABLE, EXIT_FAILED),
    (store_errors.NotFound("task", "abc"), ErrorKind.USER, EXIT_USAGE),
    (store_errors.AmbiguousId("task", "a", ["a1", "a2"]), ErrorKind.USER, EXIT_USAGE),
    (store_errors.NameTaken("web"), ErrorKind.USER, EXIT_USAGE),
    (store_errors.StaleState("abc", "running", ["queued"]), ErrorKind.CONFLICT, EXIT_FAILED),
    (git_errors.PatchConflictError("does not apply", ("a.txt",), "detail"), ErrorKind.CONFLICT, EXIT_FAILED),
    (git_errors.UnsafeUrlError("ext:: is refused"), ErrorKind.USER, EXIT_USAGE),
    (ValueError("the concurrency limit is at least 1"), ErrorKind.USER, EXIT_USAGE),
    (store_errors.SchemaTooNew(9, 3), ErrorKind.UNEXPECTED, EXIT_FAILED),
    (ZeroDivisionError("division by zero"), ErrorKind.UNEXPECTED, EXIT_FAILED),
]


@pytest.mark.parametrize(("lower", "kind", "exit_code"), LOWER, ids=lambda v: type(v).__name__)
def test_each_lower_error_has_one_kind_and_keeps_its_message(lower: Exception, kind: ErrorKind, exit_code: int) -> None:
    found = translate(lower)
    assert isinstance(found, errors.ServiceError) and found.kind is kind
    assert str(lower) in str(found)
    code, line = classify(found)
    assert code == exit_code and "\n" not in line
    if kind is ErrorKind.UNEXPECTED:
        shown = traceback.format_exception_only(type(lower), lower)[-1].strip()
        assert line == f"unexpected error: {shown}", "as the CLI always said it"


def test_the_keyring_error_keeps_its_reason_apart_from_the_fix() -> None:
    found = translate(LowerKeyringUnavailable("the keyring is locked"))
    assert isinstance(found, errors.KeyringUnavailable)
    assert found.reason == "the keyring is locked" and "Fix:" in str(found)


@boundary
class _Facade:
    def call(self) -> None:
        raise engine_errors.EngineUnavailable("Docker is not running")

    def generate(self) -> Iterator[int]:
        yield 1
        raise store_errors.StaleState("t", "failed", ["running"])

    def stream(self) -> Iterator[int]:
        return self._lower_stream()

    def _lower_stream(self) -> Iterator[int]:
        yield 1
        raise git_errors.CloneError("the clone failed")

    def own(self) -> None:
        raise errors.NotFound("No task 'x'")

    @classmethod
    def made(cls) -> None:
        raise LowerKeyringUnavailable("no Secret Service")


def test_the_boundary_translates_calls_generators_and_returned_streams() -> None:
    facade = _Facade()
    with pytest.raises(errors.EngineUnavailable) as called:
        facade.call()
    assert isinstance(called.value.__cause__, engine_errors.EngineUnavailable)
    generated = facade.generate()
    assert next(generated) == 1
    with pytest.raises(errors.Conflict):
        next(generated)
    streamed = facade.stream()
    assert next(streamed) == 1
    with pytest.raises(errors.UserError, match="the clone failed"):
        next(streamed)
    with pytest.raises(errors.NotFound) as own:
        facade.own()
    assert own.value.__cause__ is None, "the services' own errors pass unchanged"
    with pytest.raises(errors.KeyringUnavailable):
        _Facade.made()


def test_the_facade_raises_only_service_errors(aicode_home: Path) -> None:
    from desktop.services.app import App
    from desktop.services.settings import Settings

    with App() as app:
        with pytest.raises(errors.NotFound, match="No workspace named 'nope'"):
            app.workspaces.get("nope")
        with pytest.raises(errors.NotFound, match="No task"):
            list(app.tasks.follow("nope"))
        with pytest.raises(errors.UserError, match="at least 1"):
            app.save_settings(Settings(concurrency=0))
