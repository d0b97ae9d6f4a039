"""The review panel and its dialogs on their own: what they show, and what they ask for.

The change comes from a real patch, parsed as the services parse it; the real
flow (engine, claude, the folder) is in test_review_flow.py.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from desktop.domain.review import ChangeSet, Selection
from desktop.domain.task import PatchState
from desktop.hostgit.patch.review import file_diffs
from desktop.ui.bridge.payloads import ApplyRequested
from desktop.ui.dialogs.commit_dialog import CommitDialog
from desktop.ui.dialogs.flags_dialog import FlagsDialog
from desktop.ui.window.review_notices import ConflictNotice, SavedNotice
from desktop.ui.window.review_panel import ReviewPanel, flagged

PATCH = (
    b"diff --git a/app.py b/app.py\nindex 1111111..2222222 100644\n--- a/app.py\n+++ b/app.py\n"
    b"@@ -1,3 +1,3 @@\n line 1\n-line 2\n+LINE 2\n line 3\n"
    b"@@ -20,3 +20,3 @@\n line 20\n-line 21\n+LINE 21\n line 22\n"
    b"diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml\nnew file mode 100644\nindex 0000000..3333333\n"
    b"--- /dev/null\n+++ b/.github/workflows/ci.yml\n@@ -0,0 +1 @@\n+on: push\n"
)
# A name with a bidi override and an escape sequence, as an agent could choose it.
EVIL = "evil\u202egnp.exe\x1b[31m<b>bold</b>"


def _quoted(name: str) -> str:
    """A name as git writes it when it holds control or non-ASCII bytes (C-quoted, octal escapes)."""
    escaped = "".join(c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else "".join(f"\\{b:03o}" for b in c.encode())
                      for c in name)
    return f'"{escaped}"'


EVIL_PATCH = (f"diff --git {_quoted('a/' + EVIL)} {_quoted('b/' + EVIL)}\nnew file mode 100755\n"
              f"index 0000000..4444444\n--- /dev/null\n+++ {_quoted('b/' + EVIL)}\n@@ -0,0 +1 @@\n+x\n").encode()


def changes(patch: bytes = PATCH) -> ChangeSet:
    return ChangeSet("t1", tuple(file_diffs(patch)))


def panel(qtbot, patch: bytes = PATCH, state: PatchState = PatchState.PENDING) -> ReviewPanel:  # noqa: ANN001
    widget = ReviewPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    widget.show_changes("t1", changes(patch), state)
    return widget


def test_a_pending_change_offers_apply_all_and_discard(qtbot) -> None:  # noqa: ANN001
    p = panel(qtbot)
    assert p.diff.summary.text().startswith("2 files") and p.state.text() == "To review"
    assert p.apply_button.isVisible() and p.apply_button.text() == "Apply all"
    assert p.discard_button.isVisible() and not p.undo_button.isVisible() and not p.commit_button.isVisible()


def test_apply_names_the_flagged_files_it_would_write(qtbot) -> None:  # noqa: ANN001
    p = panel(qtbot)
    with qtbot.waitSignal(p.apply_requested) as asked:
        p.request_apply()
    request: ApplyRequested = asked.args[0]
    assert request.selection is None and [f.path for f in request.flagged] == [".github/workflows/ci.yml"]
    assert not p.apply_button.isEnabled()  # busy until the outcome is known
    only_code = Selection(hunks=frozenset({("app.py", 1)}))
    assert flagged(p.changes, only_code) == ()


def test_discard_needs_confirmation(qtbot, monkeypatch) -> None:  # noqa: ANN001
    p = panel(qtbot)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    with qtbot.assertNotEmitted(p.discard_requested):
        p.discard_button.click()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    with qtbot.waitSignal(p.discard_requested):
        p.discard_button.click()
    assert not p.discard_button.isEnabled()


def test_an_applied_change_offers_undo_and_commit(qtbot) -> None:  # noqa: ANN001
    p = panel(qtbot, state=PatchState.APPLIED)
    assert p.state.text() == "Applied" and not p.apply_button.isVisible()
    assert p.undo_button.isVisible() and not p.commit_button.isVisible()
    p.show_state(PatchState.APPLIED, can_commit=True)
    with qtbot.waitSignal(p.commit_requested) as commit:
        p.commit_button.click()
    assert commit.args[0].task_id == "t1"
    with qtbot.waitSignal(p.undo_requested):
        p.undo_button.click()


def test_no_change_says_so(qtbot) -> None:  # noqa: ANN001
    p = ReviewPanel()
    qtbot.addWidget(p)
    p.show()
    p.show_changes("t1", ChangeSet("t1", ()), PatchState.NONE)
    assert p.diff.summary.text() == "No changes" and p.diff.empty.isVisible()
    assert not p.apply_button.isVisible() and not p.state.isVisible()


def test_the_flags_dialog_shows_names_as_plain_visible_text(qtbot) -> None:  # noqa: ANN001
    files = changes(EVIL_PATCH).files
    dialog = FlagsDialog(ApplyRequested("t1", None, files))
    qtbot.addWidget(dialog)
    dialog.show()
    listed = "\n".join(dialog.listed)
    assert "\u202e" not in listed and "\x1b" not in listed
    assert "evil⟨U+202E⟩gnp.exe⟨ESC⟩[31m<b>bold</b>" in listed  # the tags are shown, not obeyed
    assert "executable" in listed
    assert dialog.cancel_button.isDefault()
    with qtbot.waitSignal(dialog.apply_cancelled):
        dialog.cancel_button.click()


def test_apply_anyway_confirms_the_same_request(qtbot) -> None:  # noqa: ANN001
    request = ApplyRequested("t1", None, changes().files[1:])
    dialog = FlagsDialog(request)
    qtbot.addWidget(dialog)
    dialog.show()
    assert any("CI configuration" in text for text in dialog.listed)
    with qtbot.waitSignal(dialog.apply_confirmed) as confirmed:
        dialog.apply_button.click()
    assert confirmed.args[0] is request


def test_a_conflict_lists_its_parts_as_text(qtbot) -> None:  # noqa: ANN001
    notice = ConflictNotice()
    qtbot.addWidget(notice)
    notice.show_conflict("The changes do not apply", ("app.py:2  @@ -20,3 +20,3 @@", "<img src=x>.py:1  @@ -1 +1 @@"))
    assert notice.isVisibleTo(notice.parentWidget() or notice)
    assert "<img src=x>.py:1" in notice.parts.text() and "not changed" in notice.text


def test_the_saved_path_can_be_copied(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtGui import QGuiApplication

    notice = SavedNotice()
    qtbot.addWidget(notice)
    notice.show_saved("Discarded; saved:", "/data/unapplied/t1-discarded.patch")
    assert notice.path.isReadOnly() and notice.path.text() == "/data/unapplied/t1-discarded.patch"
    notice.copy_button.click()
    assert QGuiApplication.clipboard().text() == "/data/unapplied/t1-discarded.patch"


def test_the_commit_dialog_sends_the_edited_message_and_shows_the_id(qtbot) -> None:  # noqa: ANN001
    dialog = CommitDialog("t1")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.commit_button.isEnabled()  # until the message is there
    dialog.show_message("Fix the tests\n\nApplied from AICode Manager task t1.\n")
    dialog.message.setPlainText("Fix the flaky tests\n")
    with qtbot.waitSignal(dialog.commit_requested) as asked:
        dialog.commit_button.click()
    assert asked.args[0].message == "Fix the flaky tests\n" and asked.args[0].task_id == "t1"
    dialog.show_committed("0123456789abcdef0123456789abcdef01234567")
    assert dialog.commit_id.text() == "0123456789abcdef0123456789abcdef01234567"
    assert "0123456789ab" in dialog.status.text() and not dialog.commit_button.isVisible()
