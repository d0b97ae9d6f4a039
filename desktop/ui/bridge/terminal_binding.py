"""The workspace panel's Terminal and Claude buttons → the terminal windows.

QtWebEngine is imported only here, when a person first opens a terminal.
A removed workspace's terminals close; quitting ends every terminal's
processes in the containers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.services.app import App
from desktop.ui.bridge.viewdata import SettingsValues
from desktop.ui.terminal.requests import TerminalRequested

if TYPE_CHECKING:
    from desktop.ui.terminal.window import TerminalWindows


class TerminalBinding(QObject):
    def __init__(self, window: Any, controller: Any, settings: Callable[[], SettingsValues]) -> None:
        super().__init__(window)
        self._app: App = controller.app
        self._settings = settings
        self._window = window
        self._windows: TerminalWindows | None = None
        window.workspace_panel.terminal_requested.connect(self.open)
        controller.workspace_removed.connect(lambda removed: self.close_workspace(removed.workspace_id))
        # Its container is on another engine now: a shell in the old one has ended.
        controller.workspace_moved.connect(lambda moved: self.close_workspace(moved.workspace_id))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close_all)

    @property
    def windows(self) -> TerminalWindows:
        if self._windows is None:
            from desktop.ui.terminal.window import TerminalWindows

            self._windows = TerminalWindows(self._app.terminals, self._font)
        return self._windows

    def open(self, request: TerminalRequested) -> None:
        from desktop.services.terminals import TerminalKind
        from desktop.ui.terminal.web_engine import missing_files

        missing = missing_files()
        if missing:
            QMessageBox.warning(self._window, "The terminal is not installed",
                                f"Its page needs {missing[0]}, which is missing: run scripts/setup.sh "
                                "(it installs xterm.js with npm).")
            return

        kind = TerminalKind.CLAUDE if request.claude else TerminalKind.SHELL
        self.windows.open(request.workspace_id, request.workspace_name, kind)

    def _font(self) -> tuple[str, int]:
        values = self._settings()
        return values.terminal_font, values.terminal_font_size

    def restyle(self) -> None:
        """Settings changed: the open terminals take their font."""
        if self._windows is not None:
            self._windows.restyle()

    def close_workspace(self, workspace_id: str) -> None:
        if self._windows is not None:
            self._windows.close_workspace(workspace_id)

    def close_all(self) -> None:
        if self._windows is not None:
            self._windows.close_all()
