"""GUI tests run on Qt's offscreen platform: no display, same widgets."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import asyncio  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

HERE = Path(__file__).resolve().parent

# Qt's offscreen platform warns that it cannot pass size hints to a window
# manager it does not have; that says nothing about the app.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session", autouse=True)
def _usable_binding(qapp) -> None:  # noqa: ANN001 - pytest-qt's fixture
    from desktop.ui.qt_check import binding_problem

    problem = binding_problem()
    if problem:
        pytest.exit(problem, returncode=3)


@pytest.fixture
def qasync_loop(qapp) -> Iterator[asyncio.AbstractEventLoop]:  # noqa: ANN001
    """A qasync loop riding on the Qt event loop that pytest-qt spins (qtbot.wait...)."""
    import qasync

    from desktop.ui import aio

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    aio.shutdown()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@pytest.fixture(autouse=True)
def _light_theme(qapp) -> None:  # noqa: ANN001
    from desktop.ui import theme

    # Re-styling is costly with many widgets alive: only when a test changed it.
    if theme.current() is not theme.LIGHT or not qapp.styleSheet():
        theme.apply(qapp, theme.ThemeMode.LIGHT)
