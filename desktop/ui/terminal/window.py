"""A workspace's terminals: one window per workspace, one tab per terminal.

A window of its own, like a terminal application's, so a terminal gets the
room a full-screen program wants whatever the main window's size; the
workspace panel's buttons open it (``TerminalWindows``).
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from desktop.services.terminals import TerminalKind, Terminals, TerminalSpec
from desktop.ui.look import theme
from desktop.ui.look.widgets import button
from desktop.ui.terminal import web_engine
from desktop.ui.terminal.style import current_style
from desktop.ui.terminal.view import TerminalView

DEFAULT_SIZE = (900, 560)


class TerminalWindow(QWidget):
    """Signals:
        terminal_exited(TerminalView, object): a tab's process ended (its exit code).
    """

    terminal_exited = Signal(object, object)

    def __init__(self, terminals: Terminals, workspace_id: str, workspace_name: str,
                 font: Callable[[], tuple[str, int]] = lambda: ("", 0), parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._terminals = terminals
        self._font = font  # Settings' terminal font: (family, points), "" and 0 for the system's
        self.workspace_id = workspace_id
        self.setWindowTitle(f"Terminal — {workspace_name}")
        self.resize(*DEFAULT_SIZE)
        self.tabs = QTabWidget(objectName="TerminalTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.shell_button = button("Shell", "Secondary", "terminal")
        self.shell_button.setToolTip("A new shell in the workspace's container")
        self.claude_button = button("Claude", "Secondary", "sparkle")
        self.claude_button.setToolTip("The interactive claude in the workspace's container")
        self.shell_button.clicked.connect(lambda: self.open_terminal(TerminalKind.SHELL))
        self.claude_button.clicked.connect(lambda: self.open_terminal(TerminalKind.CLAUDE))
        corner = QWidget()
        row = QHBoxLayout(corner)
        row.setContentsMargins(4, 2, 4, 2)
        row.addWidget(self.shell_button)
        row.addWidget(self.claude_button)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        QShortcut(QKeySequence("Ctrl+Shift+T"), self, lambda: self.open_terminal(TerminalKind.SHELL))
        QShortcut(QKeySequence("Ctrl+Shift+W"), self, lambda: self.close_tab(self.tabs.currentIndex()))

    def views(self) -> list[TerminalView]:
        return [self.tabs.widget(i) for i in range(self.tabs.count())]  # type: ignore[misc]

    def open_terminal(self, kind: TerminalKind = TerminalKind.SHELL, argv: tuple[str, ...] = ()) -> TerminalView:
        spec = TerminalSpec(kind, argv, dark=theme.current().dark)
        view = TerminalView(self._terminals, self.workspace_id, spec, current_style(*self._font()), self)
        index = self.tabs.addTab(view, spec.title())
        self.tabs.setCurrentIndex(index)
        view.opened.connect(lambda title: self._retitle(view, title, ""))
        view.exited.connect(lambda code: self._ended(view, code))
        view.failed.connect(lambda message: self._retitle(view, spec.title(), "could not start", message))
        view.setFocus()
        return view

    def close_tab(self, index: int) -> None:
        view = self.tabs.widget(index)
        if isinstance(view, TerminalView):
            view.close_session()
            self.tabs.removeTab(index)
            view.deleteLater()
        if self.tabs.count() == 0:
            self.close()

    def restyle(self) -> None:
        style = current_style(*self._font())
        for view in self.views():
            view.restyle(style)

    def _ended(self, view: TerminalView, code: object) -> None:
        title = self.tabs.tabText(self.tabs.indexOf(view)).split(" — ")[0]
        self._retitle(view, title, "ended" if code is None else f"exited {code}")
        self.terminal_exited.emit(view, code)

    def _retitle(self, view: TerminalView, title: str, state: str, tip: str = "") -> None:
        index = self.tabs.indexOf(view)
        if index < 0:
            return
        self.tabs.setTabText(index, f"{title} — {state}" if state else title)
        self.tabs.setTabToolTip(index, tip or state or title)
        view.setProperty("ended", bool(state))
        self._colour_tabs()

    def _colour_tabs(self) -> None:
        """An ended terminal's tab is greyed; the others keep the style's colour."""
        bar = self.tabs.tabBar()
        for index, view in enumerate(self.views()):
            bar.setTabTextColor(index, theme.current().q("muted") if view.property("ended") else QColor())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self.restyle()  # the app's theme changed: the terminals follow
            self._colour_tabs()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        for view in self.views():
            view.close_session()
        self.tabs.clear()
        super().closeEvent(event)
        self.deleteLater()


class TerminalWindows:
    """The open terminal windows, one per workspace."""

    def __init__(self, terminals: Terminals, font: Callable[[], tuple[str, int]] = lambda: ("", 0)) -> None:
        self._terminals = terminals
        self._font = font
        self._windows: dict[str, TerminalWindow] = {}

    def open(self, workspace_id: str, workspace_name: str, kind: TerminalKind = TerminalKind.SHELL) -> TerminalWindow:
        window = self._windows.get(workspace_id)
        if window is None:
            web_engine.prepare_engine()
            window = TerminalWindow(self._terminals, workspace_id, workspace_name, self._font)
            window.destroyed.connect(lambda *_: self._windows.pop(workspace_id, None))
            self._windows[workspace_id] = window
        window.open_terminal(kind)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def window_of(self, workspace_id: str) -> TerminalWindow | None:
        return self._windows.get(workspace_id)

    def close_workspace(self, workspace_id: str) -> None:
        window = self._windows.pop(workspace_id, None)
        if window is not None:
            window.close()

    def restyle(self) -> None:
        for window in self._windows.values():
            window.restyle()

    def close_all(self) -> None:
        for workspace_id in list(self._windows):
            self.close_workspace(workspace_id)
