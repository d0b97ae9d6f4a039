"""Under the task's header: its transcript (with the cards of what its agent
waits for) or its changes, one at a time.

Which one the person last chose is kept from task to task, so reviewing
several tasks in a row stays on the changes; a task without changes shows
its transcript.
"""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from desktop.ui.approvals.page import TranscriptPage
from desktop.ui.window.review_panel import ReviewPanel
from desktop.ui.window.view_switch import Page, ViewSwitch


class TaskPages(QStackedWidget):
    def __init__(self, transcript: QWidget, review: ReviewPanel, switch: ViewSwitch,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.transcript = transcript
        self.transcript_page = TranscriptPage(transcript)
        self.approvals = self.transcript_page.approvals
        self.review = review
        self.switch = switch
        self.wanted = Page.TRANSCRIPT  # the person's last choice
        self.addWidget(self.transcript_page)
        self.addWidget(review)
        switch.transcript_button.clicked.connect(lambda: self.show_page(Page.TRANSCRIPT, chosen=True))
        switch.changes_button.clicked.connect(lambda: self.show_page(Page.CHANGES, chosen=True))

    @property
    def page(self) -> Page:
        return Page.CHANGES if self.currentWidget() is self.review else Page.TRANSCRIPT

    def show_page(self, page: Page, chosen: bool = False) -> None:
        """``chosen``: by the person, so the next task with changes opens on the same page."""
        if page is Page.CHANGES and self.review.changes is None:
            page = Page.TRANSCRIPT
        if chosen:
            self.wanted = page
        self.setCurrentWidget(self.review if page is Page.CHANGES else self.transcript_page)
        self.switch.set_page(page)

    def reset(self) -> None:
        """Another task: its transcript, until its changes come; none of the last one's cards."""
        self.approvals.clear()
        self.switch.set_changes(None)
        self.show_page(Page.TRANSCRIPT)

    def changes_shown(self, count: int | None) -> None:
        """The task's changes arrived (``count`` files; None: it changed nothing)."""
        self.switch.set_changes(count)
        if count is not None and self.wanted is Page.CHANGES:
            self.show_page(Page.CHANGES)
        elif count is None:
            self.show_page(Page.TRANSCRIPT)
