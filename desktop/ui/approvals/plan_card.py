"""The agent's plan (plan mode's ExitPlanMode): read it, then Approve plan or
Keep planning with what to change.

The plan is the agent's Markdown, shown through Qt's reader with HTML turned
off, nothing loaded (no images, no files) and links opened only as the
transcript opens them (web addresses, after a confirmation).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop.domain.approvals import PendingRequest
from desktop.ui.approvals.card import RequestCard
from desktop.ui.transcript import links
from desktop.ui.transcript.markdown import style_blocks
from desktop.ui.transcript.talk import bounded_text

PLAN_CHARS = 20_000
PLAN_LINES = 400
PLAN_HEIGHT = 260  # px; a longer plan scrolls


class PlanText(QTextBrowser):
    def __init__(self, markdown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PlanText")
        self.setAccessibleName("The plan")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(lambda url: links.open_link(self, url.toString()))
        self._markdown = markdown
        self._write()

    def _write(self) -> None:
        features = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | QTextDocument.MarkdownFeature.MarkdownNoHTML
        self.document().setMarkdown(self._markdown, features)
        style_blocks(self.document(), self.fontMetrics().height())  # the transcript's spacing and code colour
        self._fit()

    def _fit(self) -> None:
        """As tall as the plan, up to PLAN_HEIGHT (the rest scrolls)."""
        doc = self.document()
        doc.setTextWidth(self.viewport().width())
        self.setFixedHeight(min(PLAN_HEIGHT, int(doc.size().height()) + 2 * self.frameWidth() + 8))

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._write()  # code blocks take the theme's background

    def loadResource(self, kind: int, name: QUrl) -> Any:  # noqa: N802 - Qt's name
        return None  # an image or a style sheet the plan names is never read


class PlanCard(RequestCard):
    icon_name = "list"

    def __init__(self, request: PendingRequest, parent: QWidget | None = None) -> None:
        super().__init__(request, "Approve the plan?", parent)
        plan = request.input.get("plan")
        text = bounded_text(plan, PLAN_CHARS, PLAN_LINES) if isinstance(plan, str) and plan.strip() else ""
        if text:
            self.plan = PlanText(text)
            self.add_widget(self.plan)
        else:
            self.add_line("The agent sent no plan text.")
        self.approve_button = self.add_button("Approve plan", "Primary", lambda: self.allow(), default=True)
        self.deny_button = self.add_button("Keep planning", "Secondary", self.deny)
        self.add_row(self.approve_button, self.why_field("What should change? (optional)"), self.deny_button)
        self.finish()
