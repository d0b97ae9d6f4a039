"""The diff itself: every file's rows in one virtualised scroll area.

Why a hand-made scroll area (as the transcript has): rows have fixed heights
per kind, so the layout of a 5,000-line change is one running sum, painting
finds the first visible row by bisection and draws only a screenful, and a
row's syntax colours are worked out when it is first painted (``syntax``).
Long lines scroll sideways; they never wrap.

The header of the file being read stays pinned at the top while its lines
scroll under it, with its checkbox working there too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from desktop.domain.review import ChangeSet, visible
from desktop.ui.review import labels, palette
from desktop.ui.review.build import build
from desktop.ui.review.canvas_input import CanvasInput
from desktop.ui.review.choices import Choices
from desktop.ui.review.context import ContextLines, Fetch
from desktop.ui.review.line_layouts import LineLayouts
from desktop.ui.review.metrics import Columns, Metrics
from desktop.ui.review.painter import paint_row
from desktop.ui.review.payloads import ContextRequest, DiffMode, FileReached, FileTouched
from desktop.ui.review.rows import Cell, Layout, Row, RowKind
from desktop.ui.review.scene import Scene
from desktop.ui.review.syntax import Highlighter, Span, warm
from desktop.ui.transcript.layout import RowLayout

HIGHLIGHT_BUDGET_S = 0.008  # lexing per turn of the event loop; well under a frame
LEXER_POLL_MS = 20
WARM_AFTER_MS = 40
PAINT_LEXING_S = 0.002  # lexing a paint may do itself, so small hunks never show plain first
BOTTOM_ROOM = 48  # blank space after the last row


class DiffCanvas(CanvasInput, QAbstractScrollArea):
    """Shows a ChangeSet's rows; pointer and keyboard handling are in ``CanvasInput``.

    Signals:
        context_requested(ContextRequest): the person expanded unchanged lines;
            answer with ``show_context``.
        file_touched(FileTouched): a file's checkbox or one of its hunks' was toggled.
        file_reached(FileReached): another file came to the top of the view.
    """

    context_requested = Signal(object)
    file_touched = Signal(object)
    file_reached = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DiffCanvas")
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Diff")
        self.viewport().setMouseTracking(True)
        self._change = ChangeSet("", ())
        self._choices = Choices()
        self._mode = DiffMode.UNIFIED
        self._context = ContextLines()
        self._layout = Layout()
        self._heights = RowLayout()
        self._highlight = Highlighter()
        self._layouts = LineLayouts()
        self._metrics = Metrics.from_font(self.font())
        self._cursor = -1
        self._hover: tuple[int, str] | None = None
        self._top_file = -1
        self._work = QTimer(self, singleShot=True, interval=0, timeout=self._highlight_some)
        # Lexers are made in a thread, started once the first screen is painted
        # (plain), so the two do not share the interpreter's lock.
        self._warm = QTimer(self, singleShot=True, interval=WARM_AFTER_MS,
                            timeout=lambda: warm(f.path for f in self._change.files))
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self.viewport().update())

    # -- feeding ------------------------------------------------------------

    def set_change(self, change: ChangeSet, choices: Choices) -> None:
        self._change, self._choices = change, choices
        self._context.clear()
        self._highlight.clear()
        self._layouts.clear()
        self._cursor = -1
        self._top_file = -1
        self._rebuild(keep_place=False)
        self._warm.start()
        self.verticalScrollBar().setValue(0)
        self.horizontalScrollBar().setValue(0)
        self._scrolled(0)

    def set_mode(self, mode: DiffMode) -> None:
        if mode is not self._mode:
            self._mode = mode
            self._rebuild(keep_place=True)

    def show_context(self, path: str, first_old_line: int, lines: list[str] | None) -> None:
        """The owner's answer to a ContextRequest (None: the lines are not available)."""
        answered = [self._context.answered(i, first_old_line, lines)
                    for i, f in enumerate(self._change.files) if f.path == path]
        if any(answered):
            self._rebuild(keep_place=True)

    def refresh_choices(self) -> None:
        """Choices changed elsewhere (the file list): repaint the checkboxes."""
        self.viewport().update()

    def toggle_file(self, file: int) -> None:
        if self._choices.selectable(file):
            self._choices.toggle_file(file)
            self._touched(file)

    def toggle_hunk(self, file: int, hunk: int) -> None:
        """Choose hunk ``hunk`` (its index in the file's hunks) or not; a file
        chosen whole only (a symlink) toggles as a whole."""
        if not self._choices.by_hunk(file):
            self.toggle_file(file)
        elif self._choices.selectable(file):
            self._choices.toggle_hunk(file, self._change.files[file].hunks[hunk].number)
            self._touched(file)

    def expand(self, index: int) -> None:
        """Ask for the unchanged lines of gap row ``index`` (again, if they were not available)."""
        gap = self.rows[index].gap
        if gap is None or self._context.state(gap) is Fetch.LOADING:
            return
        file = self._change.files[gap.file]
        self._context.asked(gap)
        self.viewport().update()
        self.context_requested.emit(ContextRequest(file.path, gap.first_old, gap.request_count,
                                                   file.old_path or file.path, gap.first_new))

    def _touched(self, file: int) -> None:
        if 0 <= self._cursor < len(self.rows):
            self.setAccessibleDescription(self.row_text(self._cursor))
        self.viewport().update()
        self.file_touched.emit(FileTouched(file))

    # -- reading ------------------------------------------------------------

    @property
    def mode(self) -> DiffMode:
        return self._mode

    @property
    def rows(self) -> list[Row]:
        return self._layout.rows

    @property
    def cursor(self) -> int:
        """The row the keyboard is on (a file, hunk or gap row), or -1."""
        return self._cursor

    def row_rect(self, index: int) -> QRect:
        top = self._heights.tops[index] - self.verticalScrollBar().value()
        return QRect(0, top, self.viewport().width(), self._heights.heights[index])

    def row_at(self, y: int) -> int:
        return self._heights.row_at(y + self.verticalScrollBar().value())

    def file_row(self, file: int) -> int:
        return self._layout.file_rows[file]

    def row_text(self, index: int) -> str:
        """A row in words, as a screen reader (and a test) reads it."""
        row = self.rows[index]
        file = self._change.files[row.file]
        if row.kind is RowKind.FILE:
            chosen = {"all": "chosen", "some": "partly chosen", "none": "not chosen"}[self._choices.state(row.file).value]
            return labels.file_summary(file) + ("" if file.applied else f"  ({chosen})")
        if row.kind is RowKind.HUNK:
            hunk = file.hunks[row.hunk]
            chosen = "" if not self._choices.by_hunk(row.file) else (
                "  (chosen)" if self._choices.hunk_chosen(row.file, hunk.number) else "  (not chosen)")
            return f"{hunk.header} {visible(hunk.section)}".rstrip() + chosen
        if row.kind is RowKind.GAP:
            assert row.gap is not None
            return labels.gap_text(row.gap, self._context.state(row.gap))
        if row.kind is RowKind.LINE:
            assert row.cell is not None
            return labels.line_text(row.cell.kind, row.cell.old, row.cell.new, row.cell.text)
        if row.kind is RowKind.PAIR:
            left = labels.line_text(row.cell.kind, row.cell.old, None, row.cell.text) if row.cell else ""
            right = labels.line_text(row.right.kind, None, row.right.new, row.right.text) if row.right else ""
            return f"{left} │ {right}"
        return row.text

    def syntax(self, cell: Cell) -> list[Span] | None:
        """``cell``'s syntax spans, None while not lexed (asks for them)."""
        blocks = self._layout.blocks
        return self._highlight.spans(cell.block, cell.line, self._change.files[cell.block[1]].path,  # type: ignore[index]
                                     lambda: blocks[cell.block])

    def idle(self) -> bool:
        """No syntax colouring is waiting to be done for what was painted."""
        return not self._highlight.pending

    def finish_highlighting(self) -> None:
        """Lex whatever painting asked for, however long it takes (tests, screenshots)."""
        self._highlight.work(None)
        self.viewport().update()

    def columns(self) -> Columns:
        return Columns(self._metrics.number_width(self._layout.widest_number), self._mode is DiffMode.SPLIT,
                       self.viewport().width())

    # -- laying out ---------------------------------------------------------

    def _rebuild(self, keep_place: bool) -> None:
        anchor = self._anchor() if keep_place and self.rows else None
        cursor_key = self.rows[self._cursor].key() if 0 <= self._cursor < len(self.rows) else None
        self._layout = build(self._change, self._mode, self._context)
        self._reset_heights()
        self._set_range()
        if cursor_key is not None:
            self._cursor = self._find(cursor_key, fallback=min(self._cursor, len(self.rows) - 1))
        for key, offset in anchor or ():
            index = self._find(key, -1)
            if index >= 0:
                self.verticalScrollBar().setValue(self._heights.tops[index] + offset)
                break
        self.viewport().update()

    def _reset_heights(self) -> None:
        heights = self._metrics.heights()
        self._heights.reset([heights[r.kind] for r in self._layout.rows])

    def _anchor(self) -> list[tuple[tuple[object, ...], int]] | None:
        """What is at the top of the view, to find again after a rebuild: the
        row itself, else the nearest file/hunk/gap row above it (a line can
        pair differently in the other mode); each with its offset."""
        top = self.row_at(0)
        if top < 0:
            return None
        above = next((i for i in range(top, -1, -1) if self.rows[i].is_stop), top)
        value = self.verticalScrollBar().value()
        return [(self.rows[i].key(), value - self._heights.tops[i]) for i in (top, above)]

    def _find(self, key: tuple[object, ...], fallback: int) -> int:
        return next((i for i, row in enumerate(self.rows) if row.key() == key), fallback)

    def _set_range(self) -> None:
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        bar.setRange(0, max(0, self._heights.total + BOTTOM_ROOM - page))
        bar.setPageStep(max(1, page))
        bar.setSingleStep(self._metrics.line_h * 3)
        hbar = self.horizontalScrollBar()
        cols = self.columns()
        hbar.setRange(0, max(0, self._metrics.text_width(self._layout.widest) - cols.text_room))
        hbar.setPageStep(max(1, cols.text_room))
        hbar.setSingleStep(int(self._metrics.char * 4))

    def _scrolled(self, _value: int) -> None:
        top = self.row_at(self._metrics.file_h)
        if top >= 0 and self.rows[top].file != self._top_file:
            self._top_file = self.rows[top].file
            self.file_reached.emit(FileReached(self._top_file))
        self.viewport().update()

    def _highlight_some(self) -> None:
        if not self._highlight.pending:
            return
        if self._highlight.waiting:  # on lexers made in the background: look again soon
            self._work.start(LEXER_POLL_MS)
            return
        self._highlight.work(HIGHLIGHT_BUDGET_S)
        self.viewport().update()

    def sticky_header(self) -> tuple[int, QRect] | None:
        """The pinned header of the file at the top (its row and where it is
        drawn), when the file's own header has scrolled away."""
        top = self.row_at(0)
        if top < 0:
            return None
        file = self.rows[top].file
        header = self._layout.file_rows[file]
        if self.row_rect(header).top() >= 0:
            return None
        y = 0
        if file + 1 < len(self._layout.file_rows):
            next_top = self.row_rect(self._layout.file_rows[file + 1] - 1).top()  # its spacer
            y = min(0, next_top - self._metrics.file_h)
        return header, QRect(0, y, self.viewport().width(), self._metrics.file_h)

    # -- Qt events ----------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._set_range()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._metrics = Metrics.from_font(self.font())
            self._layouts.clear()
            self._reset_heights()
            self._set_range()
        super().changeEvent(event)

    def _scene(self) -> Scene:
        current = None
        if 0 <= self._cursor < len(self.rows) and self.rows[self._cursor].kind is RowKind.HUNK:
            current = (self.rows[self._cursor].file, self.rows[self._cursor].hunk)
        return Scene(self._change, self._choices, self._metrics, palette.current(), self.columns(),
                     self.horizontalScrollBar().value(), self.syntax, self._cursor, current,
                     self.hasFocus(), self._hover, self._context.state, self._layouts)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self.viewport())
        colors = palette.current()
        p.fillRect(event.rect(), colors.base)
        if not self.rows:
            return
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scene = self._scene()
        self._highlight.begin_paint(PAINT_LEXING_S)
        first = max(0, self.row_at(event.rect().top()))
        bottom = event.rect().bottom()
        for i in range(first, len(self.rows)):
            rect = self.row_rect(i)
            if rect.top() > bottom:
                break
            p.save()
            paint_row(p, i, self.rows[i], rect, scene)
            p.restore()
        sticky = self.sticky_header()
        if sticky is not None:
            index, rect = sticky
            paint_row(p, index, self.rows[index], rect, scene)
            p.fillRect(QRect(0, rect.bottom() + 1, rect.width(), 2), colors.shadow)
        p.end()
        if self._highlight.pending and not self._work.isActive():
            self._work.start(0)
