"""What QtWebEngine needs before its first page, and where the page is.

QtWebEngine is imported only when a terminal first opens (it costs a
second or so), never before the main window's first paint.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl

from desktop.paths import resources_dir

FLAGS_VARIABLE = "QTWEBENGINE_CHROMIUM_FLAGS"


def prepare_application() -> None:
    """Before the QApplication exists: QtWebEngine, imported later, shares
    the application's OpenGL contexts (Qt warns, and WebGL fails, otherwise)."""
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def prepare_engine() -> None:
    """Before the first web view: Chromium's flags."""
    flags = os.environ.get(FLAGS_VARIABLE, "").split()
    # Chromium refuses to start its sandbox as root (a container, a CI
    # runner): only then does it run without one. The page it shows is our
    # own local file and never navigates away (view.TerminalPage).
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--no-sandbox" not in flags:
        flags.append("--no-sandbox")
    # No display (tests, CI): no GPU either, so Chromium need not look for one.
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" and "--disable-gpu" not in flags:
        flags.append("--disable-gpu")
    os.environ[FLAGS_VARIABLE] = " ".join(flags)


def page_folder() -> Path:
    return resources_dir() / "terminal"


def page_url() -> QUrl:
    return QUrl.fromLocalFile(str(page_folder() / "page.html"))


def missing_files() -> list[str]:
    """The front-end files not installed (scripts/setup.sh runs npm ci)."""
    needed = ["page.html", "page.js", "node_modules/@xterm/xterm/lib/xterm.js",
              "node_modules/@xterm/addon-fit/lib/addon-fit.js"]
    return [name for name in needed if not (page_folder() / name).is_file()]
