"""The talk with the agent in the transcript's flow: each request and its answer
as one readable row, the user's later messages as "You: …", never raw JSON."""

from __future__ import annotations

import pytest

from desktop.domain import EventKind
from desktop.ui.transcript import TranscriptView
from desktop.ui.transcript.builder import TranscriptBuilder
from desktop.ui.transcript.rows import LogRow, RequestRow, UserRow
from tests.ui.factories import EventMaker

WRITE = {"file_path": "/workspace/hello.txt", "content": "hello\n"}


def _texts(builder: TranscriptBuilder) -> list[str]:
    return [row.plain_text() for row in builder.rows]


def test_a_request_row_becomes_its_answer() -> None:
    e = EventMaker()
    b = TranscriptBuilder()
    b.feed([e.request("r1", "Write", WRITE)])
    (row,) = b.rows
    assert isinstance(row, RequestRow) and row.waiting
    assert row.plain_text() == "Waiting for your answer: Write hello.txt"
    update = b.feed([e.decision("r1", "allow", "Write")])
    assert update.changed == {0} and len(b.rows) == 1
    assert row.plain_text() == "Allowed Write hello.txt" and not row.waiting


@pytest.mark.parametrize(("decision", "extra", "text"), [
    ("deny", {"message": "Not that file, please"}, "Denied Bash rm -rf build — “Not that file, please”"),
    ("deny", {}, "Denied Bash rm -rf build"),
    ("allow", {"always": True}, "Allowed always in this workspace: Bash rm -rf build"),
    ("allow", {"by": "rule", "message": "Allowed always in this workspace"},
     "Allowed always in this workspace: Bash rm -rf build"),
    ("timeout", {"by": "timeout"}, "No answer in time: denied Bash rm -rf build"),
    ("withdrawn", {"by": "end"}, "Not answered, the task ended: Bash rm -rf build"),
    ("withdrawn", {"by": "agent"}, "Withdrawn by the agent: Bash rm -rf build"),
    ("deny", {"by": "size", "message": "Its input is too large to review, so it was not allowed"},
     "Not allowed, too large to review: Bash rm -rf build"),
])
def test_every_answer_reads_as_words(decision: str, extra: dict, text: str) -> None:
    e = EventMaker()
    b = TranscriptBuilder()
    b.feed([e.request("r1", "Bash", {"command": "rm -rf build"}), e.decision("r1", decision, "Bash", **extra)])
    assert _texts(b) == [text]


def test_plans_questions_and_stopped_turns() -> None:
    e = EventMaker()
    b = TranscriptBuilder()
    questions = {"questions": [{"question": "Which database?", "header": "DB", "options": [{"label": "SQLite"}]}]}
    b.feed([
        e.request("p1", "ExitPlanMode", {"plan": "1. read\n2. fix"}, kind="plan"),
        e.decision("p1", "deny", "ExitPlanMode", kind="plan", message="Also update the docs"),
        e.request("p2", "ExitPlanMode", {"plan": "1. read\n2. fix\n3. docs"}, kind="plan"),
        e.decision("p2", "allow", "ExitPlanMode", kind="plan"),
        e.request("q1", "AskUserQuestion", questions, kind="question"),
        e.decision("q1", "allow", "AskUserQuestion", kind="question"),
        e.request("m1", "", {}, kind="message"),
    ])
    assert _texts(b) == [
        "Kept planning — “Also update the docs”", "Plan approved", "Answered “Which database?”",
        "The agent stopped and waits for your message",
    ]
    b.feed([e.decision("m1", "allow", kind="message", by="message")])
    assert _texts(b)[-1] == "Turn stopped · you answered"


def test_the_prompt_is_not_shown_twice_but_later_messages_are() -> None:
    e = EventMaker()
    b = TranscriptBuilder()
    b.feed([
        e.event(EventKind.USER, text="Fix the failing tests", replay=True),  # the task's own prompt
        e.event(EventKind.USER, text="[Request interrupted by user]", replay=False),
        e.event(EventKind.USER, text="please just summarise", replay=True),
    ])
    assert [type(r) for r in b.rows] == [UserRow, UserRow]
    assert _texts(b) == ["Request interrupted by user", "You: please just summarise"]


def test_hostile_text_is_visible_and_bounded_never_json() -> None:
    e = EventMaker()
    b = TranscriptBuilder()
    b.feed([
        e.request("r1", "Bash\x1b[8m", {"command": "echo \u202egnp.exe " + "x" * 1_000_000}),
        e.decision("r1", "deny", "Bash", message="no\x1b]0;pwned\x07 " + "y" * 10_000),
        e.event(EventKind.USER, text="first", replay=True),
        e.event(EventKind.USER, text="\u202eevil\x1b[2J\n" * 5_000, replay=True),
    ])
    request, user = b.rows
    assert isinstance(request, RequestRow) and isinstance(user, UserRow)
    text = request.plain_text()
    assert "\x1b" not in text and "\u202e" not in text and "⟨U+202E⟩" in text and "⟨ESC⟩" in text
    assert len(text) < 700
    assert "\x1b" not in user.text and "\u202e" not in user.text and user.text.startswith("⟨U+202E⟩evil⟨ESC⟩[2J")
    assert len(user.text) < 5_000 and user.text.endswith("more characters")
    assert not any(isinstance(r, LogRow) for r in b.rows)  # no "[request] {...}" fallback
    assert not any("{" in t for t in _texts(b))


def test_a_decision_without_its_request_still_reads() -> None:
    e = EventMaker()
    b = TranscriptBuilder()
    b.feed([e.decision("gone", "timeout", "Write", by="timeout")])
    assert _texts(b) == ["No answer in time: denied Write"]


def test_the_view_paints_the_talk_rows_with_bounded_heights(qtbot) -> None:  # noqa: ANN001
    view = TranscriptView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    e = EventMaker()
    view.set_events([
        e.request("r1", "Write", WRITE), e.decision("r1", "deny", "Write", message="x" * 4000),
        e.event(EventKind.USER, text="prompt", replay=True),
        e.event(EventKind.USER, text="a long message " * 2_000, replay=True),
        e.event(EventKind.USER, text="[Request interrupted by user]", replay=False),
        e.request("r2", "Bash", {"command": "ls"}),
    ])
    view.flush_now()
    heights = [view.row_rect(i).height() for i in range(len(view.rows))]
    assert len(heights) == 4 and all(0 < h < 1_000 for h in heights)
    assert heights[0] == heights[3]  # a request row is as tall whatever its message
    view.grab()  # every row paints
    view.resize(300, 500)
    qtbot.waitUntil(lambda: view.row_rect(1).height() > heights[1])  # the message wraps in a narrow view


def test_a_tooltip_shows_the_agents_words_as_text() -> None:
    from PySide6.QtGui import QTextDocument

    from desktop.ui.transcript.input import plain_tip

    doc = QTextDocument()
    doc.setHtml(plain_tip("Denied Bash ls — “<img src=x><b>bold</b>”\nnext"))
    assert doc.toPlainText() == "Denied Bash ls — “<img src=x><b>bold</b>”\nnext"
