"""The live transcript: a task's events as a person reads them, following the stream.

Why a hand-made scroll area rather than a QListView: Qt's item views lay out
every row again when rows are appended (QListView::rowsInserted clears its
layout; QTreeView resets its height cache), which costs one Python size-hint
call per row per append. Here an append measures only the new rows and
extends a running sum of heights; painting looks up the first visible row by
bisection. Thousands of rows cost what a screenful costs.

Events are coalesced: ``append_events`` only queues, and a timer folds whatever
arrived within ``FLUSH_MS`` into one update, spending at most ``BUDGET_S`` per
turn of the event loop; a backlog (reopening a long task) is worked off over
several turns, so input and painting never wait long.

The view stays where the person scrolled: it follows new rows only while it is
already at the bottom, and a "New activity" button brings it back.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QToolButton, QWidget

from desktop.domain import TaskEvent
from desktop.ui.look import icons, theme
from desktop.ui.transcript.builder import TranscriptBuilder, Update
from desktop.ui.transcript.input import TranscriptInput
from desktop.ui.transcript.layout import RowLayout
from desktop.ui.transcript.painter import RowPainter, depends_on_width
from desktop.ui.transcript.rows import DetailsRow, Row, TextRow, ToolRow

FLUSH_MS = 40
BUDGET_S = 0.012  # work per event-loop turn; well under a 60 Hz frame
MEASURE_SLICE_S = 0.008
FOLD_CHUNK = 400
BOTTOM_SLACK = 4  # pixels from the end that still count as "at the bottom"


class TranscriptView(TranscriptInput, QAbstractScrollArea):
    """Shows one task's events; feed it with ``set_events`` and ``append_events``.

    Pointer and keyboard handling are in ``TranscriptInput``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Transcript")
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Transcript")
        self.viewport().setMouseTracking(True)
        self.viewport().setAutoFillBackground(True)
        self._painter = RowPainter(self.font())
        self._builder = TranscriptBuilder()
        self._rows = RowLayout()
        self._stale: set[int] = set()  # rows with an estimated height
        self._width = 0
        self._pending: deque[TaskEvent] = deque()
        self._follow = True
        self._adjusting = False
        self._hover = -1
        self._current = -1
        self._placeholder = "Select a task to see what the agent did."
        self._flush_timer = QTimer(self, singleShot=True, interval=FLUSH_MS, timeout=self._flush)
        self._measure_timer = QTimer(self, singleShot=True, interval=0, timeout=self._measure_some)
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.setSingleStep(48)
        self._jump = QToolButton(self, objectName="JumpToLatest", text="New activity")
        self._jump.setIcon(icons.icon("arrow-down", "on_accent"))
        self._jump.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._jump.setCursor(Qt.CursorShape.PointingHandCursor)
        self._jump.setToolTip("Jump to the latest event and follow the task (End)")
        self._jump.clicked.connect(self.scroll_to_end)
        self._jump.hide()

    # -- feeding ------------------------------------------------------------

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        self.viewport().update()

    def clear(self) -> None:
        self._pending.clear()
        self._flush_timer.stop()
        self._measure_timer.stop()
        self._builder = TranscriptBuilder()
        self._rows.clear()
        self._stale = set()
        self._hover = self._current = -1
        self._follow = True
        self._jump.hide()
        self._set_range()
        self.viewport().update()

    def set_events(self, events: Iterable[TaskEvent]) -> None:
        """Show a task from the start: its stored events (more may follow)."""
        self.clear()
        self._pending.extend(events)
        self._flush()  # the first screenful now; any backlog over the next turns

    def append_events(self, events: Iterable[TaskEvent]) -> None:
        self._pending.extend(events)
        if not self._flush_timer.isActive():
            self._flush_timer.start(FLUSH_MS)

    def flush_now(self) -> None:
        """Fold everything queued, however long it takes (tests, screenshots)."""
        while self._pending:
            self._flush(budget=None)
        while self._stale:
            self._measure_some(slice_s=None)

    # -- reading ------------------------------------------------------------

    @property
    def rows(self) -> list[Row]:
        return self._builder.rows

    @property
    def following(self) -> bool:
        return self._follow

    def idle(self) -> bool:
        """Nothing queued and nothing left to measure."""
        return not self._pending and not self._stale and not self._flush_timer.isActive()

    def content_height(self) -> int:
        return self._rows.total

    def row_rect(self, index: int) -> QRect:
        top = self._rows.tops[index] - self.verticalScrollBar().value()
        return QRect(0, top, self.viewport().width(), self._rows.heights[index])

    def row_at(self, y: int) -> int:
        """The row at viewport position ``y``, or -1."""
        return self._rows.row_at(y + self.verticalScrollBar().value())

    def scroll_to_end(self) -> None:
        self._follow = True
        self._jump.hide()
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def toggle(self, index: int) -> None:
        row = self.rows[index]
        if not isinstance(row, (ToolRow, DetailsRow)):
            return
        row.expanded = not row.expanded
        row.touch()
        # A click must not move the card under the pointer: hold the scroll
        # position while the height changes, even when following.
        self._follow = False
        self._set_heights({index: self._painter.height(row, self._width)}, anchor=False)
        self._follow = self._at_bottom()
        self.viewport().update()

    def set_all_expanded(self, expanded: bool) -> None:
        changes = {}
        for i, row in enumerate(self.rows):
            if isinstance(row, ToolRow) and row.expanded != expanded:
                row.expanded = expanded
                row.touch()
                changes[i] = self._painter.height(row, self._width)
        self._set_heights(changes, anchor=True)
        self.viewport().update()

    def copy_text(self, index: int | None = None) -> None:
        rows = self.rows if index is None else [self.rows[index]]
        QGuiApplication.clipboard().setText("\n\n".join(r.plain_text() for r in rows if r.plain_text()))

    # -- folding and measuring ---------------------------------------------

    def _flush(self, budget: float | None = BUDGET_S) -> None:
        deadline = None if budget is None else time.perf_counter() + budget
        grew = False
        while self._pending and (deadline is None or time.perf_counter() < deadline):
            chunk = [self._pending.popleft() for _ in range(min(FOLD_CHUNK, len(self._pending)))]
            update = self._builder.feed(chunk)
            grew |= update.first_new < len(self.rows)
            self._apply(update, deadline)
        if self._pending:
            self._flush_timer.start(0)  # the rest on the next turn, after input and paint
        if grew and not self._follow:
            self._place_jump()
            self._jump.show()
        self._after_change()

    def _apply(self, update: Update, deadline: float | None) -> None:
        width = self._width or self.viewport().width()
        self._width = width
        if update.changed:
            self._set_heights({i: self._measure(i, deadline) for i in update.changed}, anchor=True)
        self._rows.append([self._measure(i, deadline) for i in range(len(self._rows), len(self.rows))])

    def _measure(self, index: int, deadline: float | None) -> int:
        row = self.rows[index]
        if isinstance(row, TextRow) and deadline is not None and time.perf_counter() > deadline:
            self._stale.add(index)
            if not self._measure_timer.isActive():
                self._measure_timer.start()
            return self._painter.estimate(row, self._width)
        self._stale.discard(index)
        return self._painter.height(row, self._width)

    def _measure_some(self, slice_s: float | None = MEASURE_SLICE_S) -> None:
        """Replace estimated heights by measured ones, visible rows first."""
        if not self._stale:
            return
        deadline = None if slice_s is None else time.perf_counter() + slice_s
        first, last = self._visible_range()
        order = sorted(self._stale, key=lambda i: (not first <= i <= last, abs(i - first)))
        changes = {}
        for i in order:
            if deadline is not None and time.perf_counter() > deadline:
                break
            self._stale.discard(i)
            changes[i] = self._painter.height(self.rows[i], self._width)
        self._set_heights(changes, anchor=True)
        if self._stale:
            self._measure_timer.start()
        self._after_change()

    def _set_heights(self, changes: dict[int, int], anchor: bool) -> None:
        """New heights for some rows; content above the view shifts the scroll
        position by as much, so what the person is reading stays in place."""
        if not changes:
            return
        above = self.row_at(0) if anchor and not self._follow else -1
        shift = self._rows.update(changes, above)
        self._set_range()
        if shift:
            self._adjusting = True
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + shift)
            self._adjusting = False

    def _after_change(self) -> None:
        self._set_range()
        if self._follow:
            self._adjusting = True
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
            self._adjusting = False
        self.viewport().update()

    def _set_range(self) -> None:
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        self._adjusting = True
        bar.setRange(0, max(0, self._rows.total - page))
        bar.setPageStep(max(1, page))
        self._adjusting = False

    def _visible_range(self) -> tuple[int, int]:
        if not self._rows:
            return 0, -1
        first = max(0, self.row_at(0))
        last = self.row_at(self.viewport().height())
        return first, (len(self._rows) - 1 if last < 0 else last)

    def _at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - BOTTOM_SLACK

    def _scrolled(self, _value: int) -> None:
        if self._adjusting:
            return
        self._follow = self._at_bottom()
        if self._follow:
            self._jump.hide()

    def _relayout_for_width(self) -> None:
        """The width changed: wrapped rows change height; keep the reading position."""
        width = self.viewport().width()
        if width == self._width or not self._rows:
            self._width = width
            return
        old = self._width or width
        self._width = width
        anchor_row = self.row_at(0)
        anchor_offset = (self.verticalScrollBar().value() - self._rows.tops[anchor_row]) if anchor_row >= 0 else 0
        first, last = self._visible_range()
        heights = list(self._rows.heights)
        for i, row in enumerate(self.rows):
            if not depends_on_width(row):
                continue
            if isinstance(row, TextRow) and not first - 2 <= i <= last + 2:
                # Off screen: scale the old height now, measure when idle.
                heights[i] = max(1, int(heights[i] * old / width))
                self._stale.add(i)
            else:
                heights[i] = self._painter.height(row, width)
        self._rows.reset(heights)
        self._set_range()
        if self._stale:
            self._measure_timer.start()
        self._adjusting = True
        if self._follow:
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
        elif anchor_row >= 0:
            offset = min(anchor_offset, self._rows.heights[anchor_row] - 1)
            self.verticalScrollBar().setValue(self._rows.tops[anchor_row] + offset)
        self._adjusting = False

    # -- Qt events ----------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout_for_width()
        self._set_range()
        if self._follow:
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())
        self._place_jump()

    def _place_jump(self) -> None:
        hint: QSize = self._jump.sizeHint()
        vp = self.viewport().geometry()
        self._jump.setGeometry(vp.right() - hint.width() - 24, vp.bottom() - hint.height() - 16, hint.width(), hint.height())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._painter.set_font(self.font())
            self._painter.theme_changed()
            if event.type() == QEvent.Type.FontChange and self._rows:
                self._rows.reset([self._painter.height(r, self._width) for r in self.rows])
                self._after_change()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self.viewport())
        c = theme.current()
        p.fillRect(event.rect(), c.q("base"))
        if not self._rows:
            self._paint_placeholder(p)
            return
        p.setClipRect(event.rect())
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        width = self.viewport().width()
        first = max(0, self.row_at(event.rect().top()))
        bottom = event.rect().bottom()
        focused = self.hasFocus()
        for i in range(first, len(self._rows)):
            rect = self.row_rect(i)
            if rect.top() > bottom:
                break
            p.save()
            self._painter.paint(p, self.rows[i], QRect(0, rect.top(), width, rect.height()), i == self._hover, focused and i == self._current)
            p.restore()

    def _paint_placeholder(self, p: QPainter) -> None:
        p.setPen(theme.current().q("faint"))
        rect = self.viewport().rect().adjusted(40, 0, -40, 0)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._placeholder)
