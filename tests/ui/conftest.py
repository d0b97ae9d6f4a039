"""GUI tests run on Qt's offscreen platform: no display, same widgets.

The window is driven against the real Core (``desktop.services.app.App``): the
real Docker engine, the real ``claude`` in the agent image, a real Secret
Service, and the fake Anthropic API. Tests of a single view build domain
objects themselves (``factories``); nothing stands in for the Core.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Before pytest-qt makes the QApplication: the terminal's QtWebEngine needs it.
from desktop.ui.terminal.web_engine import prepare_application  # noqa: E402

prepare_application()

import asyncio  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

import pytest  # noqa: E402

from tests.fakeapi import FakeAnthropic  # noqa: E402

if TYPE_CHECKING:
    from desktop.services.app import App
    from tests.ui.real import Gui

HERE = Path(__file__).resolve().parent
TEST_KEY = "sk-ant-api03-GUITEST-" + "g7" * 16

# Qt's offscreen platform warns that it cannot pass size hints to, or raise a
# window with, a window manager it does not have; that says nothing about the app.
# QtWebEngine (the terminal) says so as it falls back to software rendering
# without a display or GPU.
OFFSCREEN_NOISE = (r"This plugin does not support propagateSizeHints\(\)", r"This plugin does not support raise\(\)",
                   r"QRhiGles2: Failed to create", r"Failed to create RHI for backend", r"GPUInfo not initialized",
                   r"does not support createPlatformVulkanInstance", r"QVulkanInstance: Failed",
                   r"GBM is not supported")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


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

    from desktop.ui.bridge import aio

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    aio.shutdown(wait=True)  # no Core call still running when the Core is closed
    for _ in range(3):  # let the cancelled coroutines see their cancellation
        qapp.processEvents()
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)
    loop._QEventLoop__is_running = False  # it rode on pytest-qt's loop: let it close its sockets
    loop.close()


@pytest.fixture(autouse=True)
def _light_theme(qapp) -> None:  # noqa: ANN001
    from desktop.ui.look import theme

    # Re-styling is costly with many widgets alive: only when a test changed it.
    if theme.current() is not theme.LIGHT or not qapp.styleSheet():
        theme.apply(qapp, theme.ThemeMode.LIGHT)


@pytest.fixture
def core(aicode_home: Path, clean_keyring, agent_image: str, fake_api: FakeAnthropic,  # noqa: ANN001
         monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """The real Core over this test's data folder, with an API key in the real keyring;
    the agent talks to the fake API (workspaces use the host network to reach it)."""
    from desktop.services.app import App
    from desktop.services.context import AppContext
    from tests.ui.real import close_core

    monkeypatch.setenv("AICODE_ANTHROPIC_BASE_URL", fake_api.base_url)
    app = App(AppContext())
    app.set_secret("anthropic-api-key", TEST_KEY)
    yield app
    close_core(app)


@pytest.fixture
def gui(core: App, qasync_loop: asyncio.AbstractEventLoop, qtbot, qapp) -> Iterator[Gui]:  # noqa: ANN001
    """The real main window, controller, tray and binding over the real Core, started
    and with the engine found."""
    from tests.ui.real import open_gui

    with open_gui(core, qtbot, qapp) as gui:
        yield gui


@pytest.fixture
def project(tmp_path: Path) -> Path:
    from tests.ui.real import make_project

    return make_project(tmp_path)
