"""Shared fixtures: a private data folder per test, the real Docker engine, the
agent image, and the fake Anthropic API.

Nothing here skips: a test that needs the engine fails with the reason when
the engine is missing (scripts/test.sh sets it up).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402
from typing import Iterator  # noqa: E402

import pytest  # noqa: E402

from tests.fakeapi import FakeAnthropic  # noqa: E402
from tests.keyring_service import (  # noqa: E402, F401
    DAEMON_CRASHES,
    clean_keyring,
    keyring_service,
    revive_shared_daemon,
)

# One private engine for the whole run, started only if a test asks for it.
from tests.private_engine import private_engine  # noqa: E402, F401

TEST_IMAGE = os.environ.get("AICODE_TEST_IMAGE", "aicode-agent:latest")


# The fixtures that need the engine or a Secret Service (and every fixture built
# on them: pytest lists a test's whole closure), and the marker each asks for.
_NEEDS = {"engine": "docker", "agent_image": "docker", "private_engine": "docker",
          "keyring_service": "keyring", "clean_keyring": "keyring"}


_OURS = {__name__, "tests.keyring_service", "tests.private_engine"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Markers say what a test needs (``-m 'not docker'`` must leave none that
    does): a test that uses these fixtures without its marker is refused."""
    missing = []
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        marks = {mark.name for mark in item.iter_markers()}
        for name, definitions in (info.name2fixturedefs.items() if info else ()):
            # Only this file's fixtures: a test module may have an "engine" of its own.
            if name in _NEEDS and definitions[-1].func.__module__ in _OURS and _NEEDS[name] not in marks:
                missing.append(f"{item.nodeid} needs @pytest.mark.{_NEEDS[name]} (it uses {name})")
    if missing:
        raise pytest.UsageError("\n".join(sorted(set(missing))))



# Tests run a second time because of the test keyring, and why.
KEYRING_RERUNS: list[str] = []
# What a client of the test keyring says when it had to ask for a prompt (none is ever answered here).
PROMPTED = "Prompt dismissed"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    """A test that fails while the test keyring daemon dies under it, or because the
    test keyring asked for a prompt, runs once more.

    gnome-keyring-daemon aborts, on a loaded machine, on a GLib assertion of its
    own (see KeyringService.revive); on such a machine it also, now and then,
    answers for a moment as if its default collection were missing (it reloads
    its file while it writes it: the same race its abort reports as an item
    "already registered"), and the client's request to make one needs a prompt,
    which no one answers here. Neither says anything of the test. Only those
    cases run again, once; the run's summary names each such test, and a second
    failure is reported as it is (an app that really locked the keyring fails
    twice)."""
    if not {"keyring_service", "clean_keyring"} & set(getattr(item, "fixturenames", ())):
        return None  # pytest's own protocol
    from _pytest.runner import runtestprotocol

    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    restarts = len(DAEMON_CRASHES)
    reports = runtestprotocol(item, nextitem=nextitem, log=False)
    revive_shared_daemon()  # if it is dead now (its teardown may have started it again already)
    failed = [report for report in reports if report.failed]
    why = "the test keyring daemon died under it" if failed and len(DAEMON_CRASHES) > restarts else \
        "the test keyring asked for a prompt" if any(PROMPTED in report.longreprtext for report in failed) else ""
    if why:
        KEYRING_RERUNS.append(f"{item.nodeid} ran again: {why}")
        item._initrequest()  # type: ignore[attr-defined] - fresh fixture values for the second run
        reports = runtestprotocol(item, nextitem=nextitem, log=False)
    for report in reports:
        item.ihook.pytest_runtest_logreport(report=report)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say so when the test keyring daemon died and was started again, and which tests ran twice for it."""
    for report in DAEMON_CRASHES:
        terminalreporter.write_line(f"note: the test keyring daemon was restarted after a crash: {report[-600:]}",
                                    yellow=True)
    for rerun in KEYRING_RERUNS:
        terminalreporter.write_line(f"note: {rerun}", yellow=True)

@pytest.fixture(autouse=True)
def aicode_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data folder (database, clones, manifests)."""
    home = tmp_path / "aicode-home"
    monkeypatch.setenv("AICODE_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def engine() -> Iterator["object"]:
    from desktop.containers.engine import Engine

    engine = Engine()
    status = engine.status()
    if not status.ok:
        pytest.fail(f"{status.message} — {status.fix} (scripts/test.sh starts it)", pytrace=False)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def agent_image(engine: object) -> str:
    from desktop.containers import images

    try:
        images.require_usable(engine, TEST_IMAGE)  # type: ignore[arg-type]
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"{error} (scripts/test.sh builds it)", pytrace=False)
    return TEST_IMAGE


@pytest.fixture
def fake_api() -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as api:
        yield api
