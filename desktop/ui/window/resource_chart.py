"""Live CPU and memory charts of a workspace's container (QtCharts).

Imported only when the workspace panel is first shown: QtCharts is a large
library that the first window does not need.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCharts import QAreaSeries, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop.ui.look import formatting, theme

WINDOW = 120  # samples kept: two minutes at one a second


class _Chart(QChartView):
    def __init__(self, title: str, color_role: str, label_format: str) -> None:
        chart = QChart()
        super().__init__(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(90)  # two fit beside the rest of the details in a 500 px window
        self._role = color_role
        self._title = title  # with the latest reading once there is one; kept across theme changes
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(8)
        self.upper = QLineSeries()
        self.lower = QLineSeries()
        self.area = QAreaSeries(self.upper, self.lower)
        chart.addSeries(self.area)
        self.x_axis = QValueAxis()
        self.x_axis.setRange(0, WINDOW - 1)
        self.x_axis.setVisible(False)
        self.y_axis = QValueAxis()
        self.y_axis.setTickCount(3)
        self.y_axis.setLabelFormat(label_format)
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.area.attachAxis(self.x_axis)
        self.area.attachAxis(self.y_axis)
        self.apply_theme()

    def apply_theme(self) -> None:
        c = theme.current()
        chart = self.chart()
        chart.setBackgroundBrush(c.q("base"))
        chart.setBackgroundPen(QPen(c.q("border"), 1))
        chart.setTitleBrush(c.q("muted"))
        chart.setTitle(self._title)
        line = c.q(self._role)
        fill = QColor(line)
        fill.setAlpha(60)
        self.area.setPen(QPen(line, 2))
        self.area.setBrush(fill)
        self.y_axis.setLabelsColor(c.q("faint"))
        self.y_axis.setGridLineColor(c.q("border"))
        self.y_axis.setLinePenColor(c.q("border"))

    def set_points(self, values: list[float], top: float, title: str) -> None:
        start = WINDOW - len(values)
        self.upper.replace([QPointF(start + i, v) for i, v in enumerate(values)])
        self.lower.replace([QPointF(start, 0), QPointF(WINDOW - 1, 0)] if values else [])
        self.y_axis.setRange(0, max(top, 1.0))
        self._title = title
        self.chart().setTitle(title)


class ResourceCharts(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cpu = _Chart("CPU", "accent", "%.0f%%")
        self.memory = _Chart("Memory", "info", "%.0f MiB")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.cpu)
        layout.addWidget(self.memory)

    def show_samples(self, samples: Iterable[tuple[float, int, int]], cpus: float) -> None:
        samples = list(samples)[-WINDOW:]
        cpu = [s[0] for s in samples]
        mem = [s[1] / 2**20 for s in samples]
        limit = samples[-1][2] / 2**20 if samples else 0
        cpu_now = f"{cpu[-1]:.0f}%" if cpu else "–"
        self.cpu.set_points(cpu, max(100.0 * cpus, max(cpu, default=0)), f"CPU  {cpu_now}")
        mem_now = formatting.size(samples[-1][1]) if samples else "–"
        limit_text = f" of {formatting.size(samples[-1][2])}" if samples and samples[-1][2] else ""
        self.memory.set_points(mem, max(limit, max(mem, default=0)), f"Memory  {mem_now}{limit_text}")

    def apply_theme(self) -> None:
        self.cpu.apply_theme()
        self.memory.apply_theme()
