"""A narrow window with the workspace details open: the lists give way.

The details dock, the lists and the transcript cannot all fit at 800 px; rather
than overlap or squeeze the Run button to a letter, the workspace and task
lists hide while the details are open in a window too narrow for all of them,
and come back when the details close or the window grows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from desktop.ui.window.main_window import MainWindow

SLACK = 24  # splitter handles and the dock's separator


class NarrowFit(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.lists_hidden = False
        self._width = window.width()  # the person's width: not one the dock's minimum forced
        window.installEventFilter(self)
        window.details_dock.installEventFilter(self)

    def _lists(self) -> tuple[QWidget, QWidget]:
        return self.w.sidebar, self.w.tasks.parentWidget()

    def _need(self) -> int:
        """The width the lists, the transcript column and the docked details need together."""
        w = self.w
        lists = sum(x.minimumWidth() for x in self._lists())
        return lists + w.splitter.widget(2).minimumSizeHint().width() + w.details_dock.minimumSizeHint().width() + SLACK

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        dock = self.w.details_dock
        if obj is self.w and kind == QEvent.Type.Resize:
            new, old = event.size().width(), event.oldSize().width()
            if not (0 < old < new == self.w.minimumWidth()):
                self._width = new
        if obj is dock and kind == QEvent.Type.Show and not dock.isFloating() and self._width < self._need():
            self._set_lists(False)
            width = self._width  # back from the width the dock's minimum forced, once the lists are out
            QTimer.singleShot(0, lambda: self._narrow_to(width))
        elif obj is dock and kind == QEvent.Type.Hide and self.lists_hidden:
            self._set_lists(True)
        elif obj is self.w and kind == QEvent.Type.Resize and self.lists_hidden and self.w.width() >= self._need():
            self._set_lists(True)
        return False

    def _narrow_to(self, width: int) -> None:
        # The minimums must count the lists as gone before the window may shrink back.
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.w.layout().activate()
        self.w.resize(width, self.w.height())

    def _set_lists(self, shown: bool) -> None:
        self.lists_hidden = not shown
        for column in self._lists():
            column.setVisible(shown)
