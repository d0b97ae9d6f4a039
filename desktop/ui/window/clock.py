"""One clock for every relative time the window shows ("started 2 min ago",
a running task's growing duration): a timer that ticks once a second while
the task header or the task list shows anything, and repaints both."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer

from desktop.ui.window.task_header import TaskHeader
from desktop.ui.window.task_list import TaskList

TICK_MS = 1000


class RelativeTimes(QObject):
    def __init__(self, header: TaskHeader, tasks: TaskList, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._header = header
        self._tasks = tasks
        self.timer = QTimer(self, interval=TICK_MS, timeout=self.tick)
        model = tasks.model
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self.sync)
        header.installEventFilter(self)  # it shows when a task is selected

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide):
            self.sync()
        return False

    def needed(self) -> bool:
        return self._header.task is not None or self._tasks.model.rowCount() > 0

    def sync(self) -> None:
        """Tick while something shows a relative time; rest otherwise."""
        if self.needed():
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()

    def tick(self) -> None:
        self._header.refresh()
        self._tasks.model.tick()
        self.sync()
