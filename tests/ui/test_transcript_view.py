"""The transcript widget: measuring, following the stream, cards, scrolling."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.domain import EventKind
from desktop.ui.transcript import TranscriptView, links
from desktop.ui.transcript.rows import ToolRow
from tests.ui.factories import EventMaker, finished_conversation, stream_of


@pytest.fixture
def view(qtbot) -> TranscriptView:  # noqa: ANN001
    v = TranscriptView()
    qtbot.addWidget(v)
    v.resize(700, 500)
    v.show()
    qtbot.waitExposed(v)
    return v


def test_rows_stack_without_gaps_or_overlap(view: TranscriptView) -> None:
    view.set_events(finished_conversation())
    view.flush_now()
    tops = [view.row_rect(i).top() + view.verticalScrollBar().value() for i in range(len(view.rows))]
    heights = [view.row_rect(i).height() for i in range(len(view.rows))]
    assert all(h > 0 for h in heights)
    assert all(tops[i] + heights[i] == tops[i + 1] for i in range(len(tops) - 1))
    assert view.content_height() == tops[-1] + heights[-1]


def test_clicking_a_card_header_expands_it_in_place(view: TranscriptView, qtbot) -> None:  # noqa: ANN001
    view.set_events(finished_conversation())
    view.flush_now()
    view.verticalScrollBar().setValue(0)
    index = next(i for i, r in enumerate(view.rows) if isinstance(r, ToolRow))
    rect = view.row_rect(index)
    before = rect.height()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(60, rect.top() + 12))
    assert view.rows[index].expanded
    assert view.row_rect(index).top() == rect.top()  # the card did not move under the pointer
    assert view.row_rect(index).height() > before
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(60, rect.top() + 12))
    assert not view.rows[index].expanded and view.row_rect(index).height() == before


def test_it_follows_new_events_only_while_at_the_bottom(view: TranscriptView, qtbot) -> None:  # noqa: ANN001
    events = stream_of(600)
    view.set_events(events[:300])
    view.flush_now()
    bar = view.verticalScrollBar()
    assert view.following and bar.value() == bar.maximum() > 0
    bar.setValue(bar.maximum() // 3)  # the person scrolls up to read
    assert not view.following
    where = bar.value()
    first = view.row_at(0)
    view.append_events(events[300:])
    qtbot.waitUntil(view.idle)
    assert bar.value() == where and view.row_at(0) == first  # still reading the same thing
    assert view._jump.isVisible()  # and told there is more
    view._jump.click()
    assert view.following and bar.value() == bar.maximum()
    assert not view._jump.isVisible()


def test_appends_are_coalesced_into_few_updates(view: TranscriptView, qtbot) -> None:  # noqa: ANN001
    e = EventMaker()
    updates = []
    original = view._after_change
    view._after_change = lambda: (updates.append(1), original())  # type: ignore[method-assign]
    for i in range(200):
        view.append_events([e.event(EventKind.STDERR, text=f"line {i}")])
    qtbot.waitUntil(view.idle)
    assert len(view.rows) == 1 and len(view.rows[0].lines) == 200
    assert len(updates) <= 2


def test_a_narrower_view_rewraps_and_keeps_the_reading_position(view: TranscriptView, qtbot) -> None:  # noqa: ANN001
    view.set_events(stream_of(400))
    view.flush_now()
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    anchor = view.row_at(0)
    tall_before = view.content_height()
    view.resize(380, 500)
    qtbot.waitUntil(view.idle)
    assert view.content_height() > tall_before  # text wraps onto more lines
    assert abs(view.row_at(0) - anchor) <= 1


def test_an_empty_view_says_what_to_do(view: TranscriptView) -> None:
    view.set_placeholder("Select a task")
    image = view.grab().toImage()
    assert not image.isNull() and view.content_height() == 0


def test_keyboard_moves_and_toggles_cards(view: TranscriptView, qtbot) -> None:  # noqa: ANN001
    view.set_events(finished_conversation())
    view.flush_now()
    view.setFocus(Qt.FocusReason.TabFocusReason)
    tool = next(i for i, r in enumerate(view.rows) if isinstance(r, ToolRow))
    view._set_current(tool - 1)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.rows[tool].expanded


def test_copy_puts_the_row_text_on_the_clipboard(view: TranscriptView, qapp) -> None:  # noqa: ANN001
    view.set_events(finished_conversation())
    view.flush_now()
    index = next(i for i, r in enumerate(view.rows) if isinstance(r, ToolRow))
    view.copy_text(index)
    assert "pytest -q tests/test_invoices.py" in qapp.clipboard().text()


def test_ctrl_c_and_page_down_from_the_keyboard(view: TranscriptView, qtbot, qapp) -> None:  # noqa: ANN001
    """Both went through a key event's missing StandardKey and raised, so copying by keyboard did nothing."""
    view.set_events(finished_conversation())
    view.flush_now()
    view.setFocus(Qt.FocusReason.TabFocusReason)
    view._set_current(next(i for i, r in enumerate(view.rows) if isinstance(r, ToolRow)))
    qapp.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert "pytest -q tests/test_invoices.py" in qapp.clipboard().text()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)  # handed on to the scroll area, no error


def test_theme_change_repaints_without_remeasuring(view: TranscriptView, qapp) -> None:  # noqa: ANN001
    from desktop.ui.look import theme

    view.set_events(finished_conversation())
    view.flush_now()
    height = view.content_height()
    theme.apply(qapp, theme.ThemeMode.DARK)
    view.grab()
    assert view.content_height() == height


LINKS = ("Read [the guide](https://example.com/guide?a=1) first, not [this](file:///home/me/.ssh/id_rsa) "
         "nor [that](javascript:alert(1)) nor [the app](vscode://file/etc/passwd).")


def _anchors(view: TranscriptView) -> dict[str, QPoint]:
    """Where each link of the text row can be clicked."""
    index = next(i for i, r in enumerate(view.rows) if getattr(r, "text", "") == LINKS)
    rect = view.row_rect(index)
    found: dict[str, QPoint] = {}
    for y in range(rect.top(), rect.bottom(), 3):
        for x in range(rect.left(), rect.right(), 3):
            link = view._painter.anchor_at(view.rows[index], rect, QPointF(x, y))
            if link and link not in found:
                found[link] = QPoint(x + 1, y + 1)
    return found


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    calls: dict[str, list[str]] = {"confirmed": [], "opened": [], "answer": ["open"]}

    def confirm(_parent: object, url: QUrl) -> bool:
        calls["confirmed"].append(links.shown(url))
        return calls["answer"][-1] == "open"

    monkeypatch.setattr(links, "confirm_open", confirm)
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: calls["opened"].append(url.toString()) or True))
    return calls


def test_finding_8_a_link_opens_only_a_web_address_after_showing_it(view: TranscriptView, qtbot,  # noqa: ANN001
                                                                    opened: dict[str, list[str]]) -> None:
    view.set_events([EventMaker().event(EventKind.TEXT, text=LINKS)])
    view.flush_now()
    anchors = _anchors(view)
    assert set(anchors) == {"https://example.com/guide?a=1", "file:///home/me/.ssh/id_rsa", "javascript:alert(1)",
                            "vscode://file/etc/passwd"}
    for link in ("file:///home/me/.ssh/id_rsa", "javascript:alert(1)", "vscode://file/etc/passwd"):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=anchors[link])
    assert opened["confirmed"] == [] and opened["opened"] == []  # not even asked
    opened["answer"].append("cancel")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=anchors["https://example.com/guide?a=1"])
    assert opened["confirmed"] == ["https://example.com/guide?a=1"] and opened["opened"] == []
    opened["answer"].append("open")
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=anchors["https://example.com/guide?a=1"])
    assert opened["opened"] == ["https://example.com/guide?a=1"]


@pytest.mark.parametrize("link", ["file:///etc/passwd", "FILE:///etc/passwd", "javascript:alert(1)", "data:text/html,x",
                                  "vscode://file/x", "smb://host/share", "mailto:a@example.com", "http:///nohost",
                                  "https://bank.example@elsewhere.example/", "//example.com/x", "example.com", ""])
def test_finding_8_other_schemes_are_never_opened(qtbot, opened: dict[str, list[str]], link: str) -> None:  # noqa: ANN001
    parent = QWidget()
    qtbot.addWidget(parent)
    assert links.web_address(link) is None
    assert not links.open_link(parent, link)
    assert opened["confirmed"] == [] and opened["opened"] == []


def test_finding_8_the_confirmation_shows_the_real_target_as_plain_text(qtbot, monkeypatch) -> None:  # noqa: ANN001
    seen: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.append(box) or 0)
    parent = QWidget()
    qtbot.addWidget(parent)
    url = links.web_address("https://ex\u0430mple.com/<b>x</b>")  # a Cyrillic "a" in the host
    assert url is not None and not links.confirm_open(parent, url)  # closed without choosing Open
    box = seen[0]
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text().endswith("https://xn--exmple-4nf.com/%3Cb%3Ex%3C/b%3E")
    assert {b.text() for b in box.buttons()} >= {"Open", "Cancel"}
