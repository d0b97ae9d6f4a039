"""Measures and paints transcript rows: Markdown text, tool cards, results, notes.

Only assistant text needs a real text layout (``markdown.TextDocuments``);
everything else is measured by arithmetic on font metrics. What the rows say
in words is in ``labels``.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QTextDocument,
)

from desktop.ui.look import icons, theme
from desktop.ui.transcript import notice_painter, talk_painter
from desktop.ui.transcript.labels import TOOL_ICONS, result_stats, result_title, session_text, state_text
from desktop.ui.transcript.markdown import TextDocuments
from desktop.ui.transcript.metrics import (
    CARD_PAD_X,
    CARD_PAD_Y,
    GAP,
    ICON,
    MARGIN_X,
    MAX_BLOCK_LINES,
    MAX_DETAIL_LINES,
    NEST_INDENT,
    Metrics,
    split_lines,
    wrap,
    wrapped_count,
)
from desktop.ui.transcript.rows import (
    DetailsRow,
    LogRow,
    LogStream,
    NoticeRow,
    RequestRow,
    ResultRow,
    Row,
    RowKind,
    SessionRow,
    StateRow,
    TextRow,
    ToolRow,
    UserRow,
)


def _indent(row: Row) -> int:
    return NEST_INDENT if getattr(row, "nested", False) else 0


def depends_on_width(row: Row) -> bool:
    if isinstance(row, (ToolRow, DetailsRow)):
        return row.expanded
    return row.kind in (RowKind.TEXT, RowKind.LOG, RowKind.RESULT, RowKind.USER)


class RowPainter:
    def __init__(self, font: QFont) -> None:
        self.m = Metrics.from_font(font)
        self._docs = TextDocuments()

    def set_font(self, font: QFont) -> None:
        self.m = Metrics.from_font(font)
        self._docs.clear()

    def theme_changed(self) -> None:
        self._docs.clear()  # code-block backgrounds are baked into the documents

    # -- measuring ----------------------------------------------------------

    def height(self, row: Row, width: int) -> int:
        inner = max(80, width - 2 * MARGIN_X - _indent(row))
        m = self.m
        if isinstance(row, TextRow):
            return int(self._doc(row, inner).size().height()) + 2 + GAP
        if isinstance(row, ToolRow):
            return self._tool_height(row, inner) + GAP
        if isinstance(row, ResultRow):
            h = 2 * CARD_PAD_Y + m.line + 4 + m.small_line
            if row.message:
                h += 6 + self._wrapped_height(row.message, inner - 2 * CARD_PAD_X - ICON - 10, m.base)
            return h + GAP
        if isinstance(row, LogRow):
            count = wrapped_count(row.lines, m.chars_per_line(inner - 10))
            return count * m.mono_line + 8 + GAP
        if isinstance(row, RequestRow):
            return talk_painter.request_height(m)
        if isinstance(row, UserRow):
            return talk_painter.user_height(row, m, inner)
        if isinstance(row, NoticeRow):
            return notice_painter.notice_height(m)
        if isinstance(row, DetailsRow):
            return notice_painter.details_height(row, m, inner)
        return m.small_line + 4 + GAP  # session, state

    def estimate(self, row: Row, width: int) -> int:
        """A cheap guess for text rows, refined later by ``height``."""
        if not isinstance(row, TextRow):
            return self.height(row, width)
        inner = max(80, width - 2 * MARGIN_X - _indent(row))
        per_line = max(10, inner // max(1, QFontMetrics(self.m.base).averageCharWidth()))
        lines = sum(max(1, -(-len(line) // per_line)) for line in row.text.split("\n"))
        return int(lines * self.m.line * 1.15) + GAP

    def _tool_height(self, row: ToolRow, inner: int) -> int:
        m = self.m
        header = max(m.line, ICON) + 2 * CARD_PAD_Y
        if not row.expanded:
            return header + (m.mono_line + CARD_PAD_Y // 2 if row.done and row.preview.strip() else 0)
        per_line = m.chars_per_line(inner - 2 * CARD_PAD_X)
        h = header
        if row.detail:
            h += m.small_line + 2 + self._block_lines(row.detail, per_line, MAX_DETAIL_LINES) * m.mono_line + 8
        h += m.small_line + 2
        h += (self._block_lines(row.result, per_line, MAX_BLOCK_LINES) if row.result else 1) * m.mono_line
        return h + CARD_PAD_Y + 4

    @staticmethod
    def _block_lines(text: str, per_line: int, limit: int) -> int:
        count = wrapped_count(split_lines(text), per_line)
        return count if count <= limit else limit + 1  # + the "… more lines" note

    @staticmethod
    def _wrapped_height(text: str, width: int, font: QFont) -> int:
        rect = QFontMetrics(font).boundingRect(QRect(0, 0, max(40, width), 100_000), Qt.TextFlag.TextWordWrap, text)
        return rect.height()

    def _doc(self, row: TextRow, width: int) -> QTextDocument:
        return self._docs.get(row, width, self.m.base, self.m.line)

    # -- hit testing --------------------------------------------------------

    def toggle_area(self, row: Row, rect: QRect) -> QRect | None:
        x = rect.x() + MARGIN_X + _indent(row)
        if isinstance(row, DetailsRow):
            return notice_painter.toggle_area(row, QRect(x, rect.y(), rect.width() - 2 * MARGIN_X, rect.height()), self.m)
        if not isinstance(row, ToolRow):
            return None
        return QRect(x, rect.y(), rect.width() - 2 * MARGIN_X - _indent(row), max(self.m.line, ICON) + 2 * CARD_PAD_Y)

    def anchor_at(self, row: Row, rect: QRect, pos: QPointF) -> str:
        if not isinstance(row, TextRow):
            return ""
        inner = max(80, rect.width() - 2 * MARGIN_X - _indent(row))
        doc = self._doc(row, inner)
        local = QPointF(pos.x() - rect.x() - MARGIN_X - _indent(row), pos.y() - rect.y() - 1)
        return doc.documentLayout().anchorAt(local)

    # -- painting -----------------------------------------------------------

    def paint(self, p: QPainter, row: Row, rect: QRect, hovered: bool, current: bool) -> None:
        c = theme.current()
        x = rect.x() + MARGIN_X + _indent(row)
        inner = max(80, rect.width() - 2 * MARGIN_X - _indent(row))
        body = QRect(x, rect.y(), inner, rect.height() - GAP)
        if _indent(row):
            p.fillRect(QRect(x - NEST_INDENT + 6, rect.y(), 2, rect.height()), c.q("border"))
        if isinstance(row, TextRow):
            self._paint_text(p, row, body, c)
        elif isinstance(row, ToolRow):
            self._paint_tool(p, row, body, c, hovered)
        elif isinstance(row, ResultRow):
            self._paint_result(p, row, body, c)
        elif isinstance(row, LogRow):
            self._paint_log(p, row, body, c)
        elif isinstance(row, StateRow):
            self._paint_note(p, state_text(row), body, c, centered=True)
        elif isinstance(row, SessionRow):
            self._paint_note(p, session_text(row), body, c, centered=False)
        elif isinstance(row, RequestRow):
            talk_painter.paint_request(p, row, body, self.m, c)
        elif isinstance(row, UserRow):
            talk_painter.paint_user(p, row, body, self.m, c)
        elif isinstance(row, NoticeRow):
            notice_painter.paint_notice(p, row, body, self.m, c)
        elif isinstance(row, DetailsRow):
            notice_painter.paint_details(self, p, row, body, c, hovered)
        if current:
            p.setPen(QPen(c.q("accent"), 1.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(body).adjusted(-6, 1, 6, -1), 6, 6)

    def _paint_text(self, p: QPainter, row: TextRow, body: QRect, c: theme.Colors) -> None:
        doc = self._doc(row, body.width())
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, c.q("danger" if row.is_error else "text"))
        p.save()
        p.translate(body.x(), body.y() + 1)
        ctx.clip = QRectF(0, 0, body.width(), body.height())
        doc.documentLayout().draw(p, ctx)
        p.restore()

    def _card(self, p: QPainter, rect: QRect, fill: str, border: str) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor(border), 1))
        p.setBrush(QColor(fill))
        p.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)

    def _paint_tool(self, p: QPainter, row: ToolRow, body: QRect, c: theme.Colors, hovered: bool) -> None:
        m = self.m
        self._card(p, body, c.card_hover if hovered else c.card, c.danger if row.is_error else c.border)
        header_h = max(m.line, ICON) + 2 * CARD_PAD_Y
        cy = body.y() + header_h // 2
        x = body.x() + CARD_PAD_X
        chevron = icons.icon("chevron-down" if row.expanded else "chevron-right", "muted")
        chevron.paint(p, QRect(x - 2, cy - 7, 14, 14))
        x += 16
        icons.icon(TOOL_ICONS.get(row.name, "tool"), "accent").paint(p, QRect(x, cy - ICON // 2, ICON, ICON))
        x += ICON + 8
        p.setFont(m.bold)
        p.setPen(c.q("text"))
        name_w = QFontMetrics(m.bold).horizontalAdvance(row.name)
        p.drawText(QRect(x, body.y(), name_w + 2, header_h), Qt.AlignmentFlag.AlignVCenter, row.name)
        x += name_w + 10
        status_x = body.right() - CARD_PAD_X - ICON
        status = "running" if not row.done else ("x-circle" if row.is_error else "check")
        role = "info" if not row.done else ("danger" if row.is_error else "success")
        icons.icon(status, role).paint(p, QRect(status_x, cy - ICON // 2, ICON, ICON))
        if row.summary:
            p.setFont(m.mono)
            p.setPen(c.q("muted"))
            room = status_x - 10 - x
            text = QFontMetrics(m.mono).elidedText(row.summary.replace("\n", " "), Qt.TextElideMode.ElideRight, room)
            p.drawText(QRect(x, body.y(), room, header_h), Qt.AlignmentFlag.AlignVCenter, text)
        y = body.y() + header_h
        left = body.x() + CARD_PAD_X
        width = body.width() - 2 * CARD_PAD_X
        if not row.expanded:
            if row.done and row.preview.strip():
                line = next((ln for ln in row.preview.splitlines() if ln.strip()), "")
                p.setFont(m.mono)
                p.setPen(c.q("danger" if row.is_error else "faint"))
                text = QFontMetrics(m.mono).elidedText("↳ " + line.strip(), Qt.TextElideMode.ElideRight, width)
                p.drawText(QRect(left, y - 4, width, m.mono_line), Qt.AlignmentFlag.AlignVCenter, text)
            return
        p.fillRect(QRect(body.x() + 1, y - 1, body.width() - 2, 1), c.q("border"))
        y += 4
        per_line = m.chars_per_line(width)
        if row.detail:
            y = self._label(p, "Command" if row.name == "Bash" else "Input", left, y, width, c)
            diff = row.name in ("Edit", "MultiEdit")
            y = self.mono_block(p, row.detail, left, y, width, per_line, MAX_DETAIL_LINES, c.q("text"), diff) + 8
        y = self._label(p, "Error" if row.is_error else "Output", left, y, width, c)
        if row.result is None:
            p.setFont(m.mono)
            p.setPen(c.q("faint"))
            p.drawText(QRect(left, y, width, m.mono_line), Qt.AlignmentFlag.AlignVCenter, "Running…")
        elif not row.result.strip():
            p.setFont(m.mono)
            p.setPen(c.q("faint"))
            p.drawText(QRect(left, y, width, m.mono_line), Qt.AlignmentFlag.AlignVCenter, "(no output)")
        else:
            color = c.q("danger" if row.is_error else "muted")
            self.mono_block(p, row.result, left, y, width, per_line, MAX_BLOCK_LINES, color)

    def _label(self, p: QPainter, text: str, x: int, y: int, width: int, c: theme.Colors) -> int:
        p.setFont(self.m.small_bold)
        p.setPen(c.q("faint"))
        p.drawText(QRect(x, y, width, self.m.small_line), Qt.AlignmentFlag.AlignVCenter, text.upper())
        return y + self.m.small_line + 2

    def mono_block(self, p: QPainter, text: str, x: int, y: int, width: int, per_line: int, limit: int,
                    color: QColor, diff: bool = False) -> int:
        m = self.m
        lines, more = wrap(split_lines(text), per_line, limit)
        p.setFont(m.mono)
        p.setPen(color)
        c = theme.current()
        added, removed = c.q("success"), c.q("danger")
        fm = QFontMetrics(m.mono)
        ascent = fm.ascent() + (m.mono_line - fm.height()) // 2
        clip = p.clipBoundingRect()
        for line in lines:
            # Lines outside the visible area are skipped: an expanded card
            # can be thousands of pixels tall.
            if clip.isEmpty() or (y + m.mono_line >= clip.top() and y <= clip.bottom()):
                if diff:
                    p.setPen(added if line.startswith("+ ") else removed if line.startswith("- ") else color)
                p.drawText(QPointF(x, y + ascent), line)
            y += m.mono_line
        if more:
            p.setPen(theme.current().q("faint"))
            p.drawText(QPointF(x, y + ascent), f"… {more:,} more lines (right-click › Copy to get everything)")
            y += m.mono_line
        return y

    def _paint_result(self, p: QPainter, row: ResultRow, body: QRect, c: theme.Colors) -> None:
        m = self.m
        tone = "danger" if row.is_error else "success"
        self._card(p, body, getattr(c, tone + "_bg"), getattr(c, tone))
        x = body.x() + CARD_PAD_X
        y = body.y() + CARD_PAD_Y
        icons.icon("x-circle" if row.is_error else "check-circle", tone).paint(p, QRect(x, y + (m.line - 18) // 2, 18, 18))
        x += 18 + 10
        width = body.right() - CARD_PAD_X - x
        p.setFont(m.bold)
        p.setPen(c.q(tone))
        p.drawText(QRect(x, y, width, m.line), Qt.AlignmentFlag.AlignVCenter, result_title(row))
        y += m.line + 4
        p.setFont(m.small)
        p.setPen(c.q("muted"))
        stats = QFontMetrics(m.small).elidedText(result_stats(row), Qt.TextElideMode.ElideRight, width)
        p.drawText(QRect(x, y, width, m.small_line), Qt.AlignmentFlag.AlignVCenter, stats)
        if row.message:
            y += m.small_line + 6
            p.setFont(m.base)
            p.setPen(c.q("text"))
            p.drawText(QRect(x, y, width, body.bottom() - y), Qt.TextFlag.TextWordWrap, row.message)

    def _paint_log(self, p: QPainter, row: LogRow, body: QRect, c: theme.Colors) -> None:
        color = c.q("warning" if row.stream is LogStream.STDERR else "faint")
        p.fillRect(QRect(body.x(), body.y() + 2, 2, body.height() - 4), color)
        per_line = self.m.chars_per_line(body.width() - 10)
        self.mono_block(p, "\n".join(row.lines), body.x() + 10, body.y() + 4, body.width() - 10, per_line, 10**9, color)

    def _paint_note(self, p: QPainter, text: str, body: QRect, c: theme.Colors, centered: bool) -> None:
        m = self.m
        p.setFont(m.small)
        fm = QFontMetrics(m.small)
        text = fm.elidedText(text, Qt.TextElideMode.ElideMiddle, body.width() - 80)
        line = QRect(body.x(), body.y(), body.width(), m.small_line + 4)
        if centered:
            w = fm.horizontalAdvance(text) + 24
            mid = line.center().y()
            left = line.x() + (line.width() - w) // 2
            p.fillRect(QRect(line.x(), mid, left - line.x(), 1), c.q("border"))
            p.fillRect(QRect(left + w, mid, line.right() - left - w, 1), c.q("border"))
        p.setPen(c.q("faint"))
        align = Qt.AlignmentFlag.AlignCenter if centered else Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        p.drawText(line, align, text)
