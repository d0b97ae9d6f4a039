"""A narrow window with the workspace details open: the lists give way.

The details dock, the lists and the transcript cannot all fit at 800 px; rather
than overlap or squeeze the Run button to a letter, the workspace list hides
while the details are open in a window too narrow for all of them (the task
list too when that is not enough), and they come back when the details close
or the window grows.
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
        self.hidden = 0  # how many of the two lists give way: the sidebar first
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
            if self.hidden and self.w.width() >= self._need():
                self._hide(0)
            elif self.hidden == 2 and self.w.width() >= self._need() - self.w.sidebar.minimumWidth():
                self._hide(1)
        elif obj is dock and kind == QEvent.Type.Show and not dock.isFloating() and self._width < self._need():
            # The sidebar goes first; the task list too if that is not enough.
            self._hide(1 if self._width >= self._need() - self.w.sidebar.minimumWidth() else 2)
            width = self._width  # back from the width the dock's minimum forced, once the lists are out
            QTimer.singleShot(0, lambda: self._narrow_to(width))
        elif obj is dock and kind == QEvent.Type.Hide and self.hidden:
            self._hide(0)
        return False

    @property
    def lists_hidden(self) -> bool:
        return self.hidden > 0

    def _narrow_to(self, width: int) -> None:
        # The minimums must count the lists as gone before the window may shrink back.
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.w.layout().activate()
        self.w.resize(width, self.w.height())

    def _hide(self, count: int) -> None:
        """Hide the first ``count`` of the sidebar and the task list; show the rest."""
        self.hidden = count
        for i, column in enumerate(self._lists()):
            column.setVisible(i >= count)
