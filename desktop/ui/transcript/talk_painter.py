"""Measures and paints the rows of the talk with the agent: a request and its
answer as one slim card, the user's messages as a "You" block, the CLI's
notes as a line.

A request row is two lines at most at any width (its texts are elided), so
its height is arithmetic; a message of the user's wraps, from text already
bounded by ``talk``.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPen

from desktop.ui.look import icons, theme
from desktop.ui.transcript.labels import REQUEST_ICONS, request_text, request_tone
from desktop.ui.transcript.metrics import CARD_PAD_X, CARD_PAD_Y, GAP, ICON, Metrics
from desktop.ui.transcript.rows import RequestRow, UserRow

BAR = 3  # the tone's bar on a request row's left edge


def request_height(m: Metrics) -> int:
    return 2 * (CARD_PAD_Y - 2) + max(m.line, ICON) + GAP


def user_height(row: UserRow, m: Metrics, inner: int) -> int:
    if not row.replay:
        return m.small_line + 4 + GAP
    text_h = _wrapped(row.text, inner - 2 * CARD_PAD_X, m)
    return 2 * CARD_PAD_Y + m.small_line + 2 + text_h + GAP


def paint_request(p: QPainter, row: RequestRow, body: QRect, m: Metrics, c: theme.Colors) -> None:
    tone = request_tone(row)
    waiting = row.waiting
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = c.info_bg if waiting else c.card
    p.setPen(QPen(QColor(c.info if waiting else c.border), 1))
    p.setBrush(QColor(fill))
    p.drawRoundedRect(QRectF(body).adjusted(0.5, 0.5, -0.5, -0.5), 7, 7)
    p.fillRect(QRect(body.x() + 1, body.y() + 5, BAR, body.height() - 10), c.q(tone if tone != "muted" else "faint"))
    x = body.x() + CARD_PAD_X
    cy = body.y() + body.height() // 2
    icons.icon(REQUEST_ICONS.get(row.request_kind, "shield"), tone).paint(p, QRect(x, cy - ICON // 2, ICON, ICON))
    x += ICON + 8
    width = body.right() - CARD_PAD_X - x
    text = request_text(row)
    p.setFont(m.bold if waiting else m.base)
    p.setPen(c.q("text" if waiting or row.decision == "allow" else "muted"))
    fm = QFontMetrics(p.font())
    p.drawText(QRect(x, body.y(), width, body.height()), Qt.AlignmentFlag.AlignVCenter,
               fm.elidedText(text, Qt.TextElideMode.ElideRight, width))


def paint_user(p: QPainter, row: UserRow, body: QRect, m: Metrics, c: theme.Colors) -> None:
    if not row.replay:
        p.setFont(m.small)
        p.setPen(c.q("faint"))
        text = QFontMetrics(m.small).elidedText(row.text, Qt.TextElideMode.ElideRight, body.width() - 20)
        p.drawText(QRect(body.x(), body.y(), body.width(), m.small_line + 4), Qt.AlignmentFlag.AlignCenter, text)
        return
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(c.q("accent"), 1))
    p.setBrush(c.q("selection"))
    p.drawRoundedRect(QRectF(body).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
    x = body.x() + CARD_PAD_X
    y = body.y() + CARD_PAD_Y
    width = body.width() - 2 * CARD_PAD_X
    p.setFont(m.small_bold)
    p.setPen(c.q("accent"))
    p.drawText(QRect(x, y, width, m.small_line), Qt.AlignmentFlag.AlignVCenter, "YOU")
    y += m.small_line + 2
    p.setFont(m.base)
    p.setPen(c.q("text"))
    p.drawText(QRect(x, y, width, body.bottom() - y), Qt.TextFlag.TextWordWrap, row.text)


def _wrapped(text: str, width: int, m: Metrics) -> int:
    flags = Qt.TextFlag.TextWordWrap
    return QFontMetrics(m.base).boundingRect(QRect(0, 0, max(40, width), 100_000), flags, text).height()
