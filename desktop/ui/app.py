"""``aicode-desktop``: the GUI's entry point.

The window is painted first, from what needs no I/O; the services (database,
Docker client, git) is imported and built on a worker thread after that first
paint, then wired in. Nothing heavy (QtCharts, docker, SQLAlchemy, GitPython)
is imported before the window shows: ``tests/ui/test_startup.py`` checks.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from typing import Any

_START = time.perf_counter()

from PySide6.QtCore import QEvent, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

# Modules the first paint must not wait for; reported by --quit-after-first-paint.
HEAVY_MODULES = ("PySide6.QtCharts", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "docker",
                 "sqlalchemy", "git", "keyring")


class _FirstPaint(QObject):
    """Calls back once, when the window has painted for the first time."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self._callback: Callable[[], None] | None = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            QTimer.singleShot(0, callback)  # after this paint has finished
        return False


def load_services() -> Any:
    """Build the services (off the GUI thread): the process's one context, and the
    database opened now rather than on the first click."""
    from desktop.services.app import App  # lazy: docker, SQLAlchemy, git

    services = App.for_process()
    services.open()  # here, on the worker
    return services


def settle_heap() -> None:
    """Once everything of the start-up is loaded: make those objects permanent.

    CPython's full garbage collection walks every container object alive, on
    whichever thread allocates, holding the GIL: with Qt, the services and their
    modules loaded, one pass took 40–90 ms, a visible stall while a busy task
    streams. Frozen objects are never walked again (they are still freed by
    reference counting); later passes only see what the session made.
    """
    import gc

    gc.collect()
    gc.freeze()


def wire(app: QApplication, window: Any, services: Any) -> Any:
    """The controller, the tray and the binding over the built services; returns the Binding."""
    from desktop.ui.bridge.binding import Binding
    from desktop.ui.bridge.controller import Controller
    from desktop.ui.notify.tray import Tray

    controller = Controller(services, window)
    tray = Tray(window, window.banner)
    binding = Binding(app, window, controller, tray)
    app.aboutToQuit.connect(controller.shutdown)
    app.aboutToQuit.connect(tray.close)
    binding.start()
    settle_heap()
    return binding


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="aicode-desktop", description="AICode Manager")
    parser.add_argument("--quit-after-first-paint", action="store_true",
                        help="print the start-up time and any heavy module loaded, then quit (for tests)")
    args, _qt_args = parser.parse_known_args(argv[1:])
    return args


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = _parse(argv)
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    from desktop.ui.terminal.web_engine import prepare_application

    prepare_application()  # before the QApplication: the terminal's QtWebEngine, loaded later, needs it
    app = QApplication(argv)
    app.setApplicationName("AICode Manager")
    app.setOrganizationName("AICode")
    app.setDesktopFileName("aicode-manager")
    app.setQuitOnLastWindowClosed(False)  # the window's close decides: quit, or keep running in the tray

    from desktop.ui.qt_check import binding_problem

    problem = binding_problem()
    if problem:
        QMessageBox.critical(None, "AICode Manager cannot start", problem)
        return 2

    import qasync

    from desktop.ui.look import icons, theme
    from desktop.ui.window.main_window import MainWindow

    app.setWindowIcon(icons.app_icon())
    theme.apply(app, theme.ThemeMode.SYSTEM)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow()

    def first_paint() -> None:
        elapsed = (time.perf_counter() - _START) * 1000
        if args.quit_after_first_paint:
            heavy = [m for m in HEAVY_MODULES if m in sys.modules]
            print(f"first paint after {elapsed:.0f} ms; heavy modules loaded: {', '.join(heavy) or 'none'}", flush=True)
            app.quit()
            return
        from desktop.ui.bridge import aio

        aio.spawn(_start_services(app, window), name="start services")

    painted = _FirstPaint(first_paint)
    window.installEventFilter(painted)
    window.show()
    with loop:
        loop.run_forever()
    from desktop.ui.bridge import aio

    aio.shutdown()
    return 0


async def _start_services(app: QApplication, window: Any) -> Any:
    """After the first paint: build the services on a worker, then wire it in."""
    from desktop.ui.bridge import aio
    from desktop.ui.bridge.viewdata import EngineStatus

    try:
        services = await aio.run_blocking(load_services)
    except Exception as exc:  # the window stays up to say why
        window.show_engine_status(EngineStatus(False, "The app's services could not start", str(exc) or type(exc).__name__))
        window.notify(f"<b>AICode Manager could not start its services.</b> {exc}", "danger")
        return None
    return wire(app, window, services)


if __name__ == "__main__":
    sys.exit(main())
