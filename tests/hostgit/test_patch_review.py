"""A patch as a review shows it (hunks, line numbers, flags), the part a
person picks as a patch of its own, and undoing an applied patch."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain.review import FlagKind, LineKind, Selection, has_invisible, visible
from desktop.hostgit.errors import PatchConflictError, PatchError
from desktop.hostgit.patch.apply import apply
from desktop.hostgit.patch.review import file_diffs, select
from tests.hostgit.gitscratch import PNG, Exe, Link, Scratch, read_tree

TEXT = b"".join(b"line %d\n" % n for n in range(1, 41))


def _two_hunks(tmp_path: Path) -> tuple[Scratch, bytes, Path]:
    """(the repository after the change, its patch, a folder as it was before)."""
    repo = Scratch(tmp_path / "s", {"a.txt": TEXT, "b.txt": b"x\n"})
    folder = repo.copy_before(tmp_path / "folder")
    repo.write({"a.txt": TEXT.replace(b"line 2\n", b"two\n").replace(b"line 30\n", b"thirty\n"), "b.txt": b"y\n"})
    return repo, repo.patch(), folder


def test_hunks_and_numbered_lines(tmp_path: Path) -> None:
    _, patch, _ = _two_hunks(tmp_path)
    a, b = file_diffs(patch)
    assert (a.path, a.status, a.insertions, a.deletions) == ("a.txt", "modified", 2, 2)
    first, second = a.hunks
    assert (first.number, first.header) == (1, "@@ -1,5 +1,5 @@")
    assert second.header == "@@ -27,7 +27,7 @@" and second.section == "line 26"
    removed = [line for line in first.lines if line.kind is LineKind.REMOVED]
    added = [line for line in first.lines if line.kind is LineKind.ADDED]
    assert [(r.text, r.old_number, r.new_number) for r in removed] == [("line 2", 2, None)]
    assert [(r.text, r.old_number, r.new_number) for r in added] == [("two", None, 2)]
    assert first.lines[0].kind is LineKind.CONTEXT and (first.lines[0].old_number, first.lines[0].new_number) == (1, 1)
    assert b.changed_file().letter == "M" and b.flags == ()


def test_a_selection_is_a_patch_that_applies_alone(tmp_path: Path) -> None:
    repo, patch, folder = _two_hunks(tmp_path)
    apply(select(patch, Selection(hunks=frozenset({("a.txt", 2)}))), folder)
    assert (folder / "a.txt").read_bytes() == TEXT.replace(b"line 30\n", b"thirty\n")
    assert (folder / "b.txt").read_bytes() == b"x\n"
    apply(select(patch, Selection(files=frozenset({"b.txt"}), hunks=frozenset({("a.txt", 1)}))), folder)
    assert read_tree(folder) == read_tree(repo.path)
    with pytest.raises(PatchError, match="not part of this change"):
        select(patch, Selection(files=frozenset({"c.txt"})))
    with pytest.raises(PatchError, match="hunks 1 to 2"):
        select(patch, Selection(hunks=frozenset({("a.txt", 3)})))


def test_undo_takes_exactly_the_applied_bytes_back_out(tmp_path: Path) -> None:
    repo, patch, folder = _two_hunks(tmp_path)
    before = read_tree(folder)
    apply(patch, folder)
    apply(patch, folder, reverse=True)
    assert read_tree(folder) == before
    apply(patch, folder)
    (folder / "a.txt").write_bytes((folder / "a.txt").read_bytes().replace(b"thirty\n", b"mine\n"))
    edited = read_tree(folder)
    with pytest.raises(PatchConflictError):
        apply(patch, folder, reverse=True)
    assert read_tree(folder) == edited, "a refused undo writes nothing"


def test_flags_of_changes_worth_a_second_look(tmp_path: Path) -> None:
    repo = Scratch(tmp_path / "s", {"run.sh": b"echo\n", "ws.txt": b"a b\n"})
    repo.write({
        "run.sh": Exe(b"echo\n"), "ws.txt": b"a  b\r\n", ".GitHub/Workflows/ci.yml": b"on: push\n",
        ".claude/settings.json": b"{}\n", ".vscode/tasks.json": b"{}\n", "package-lock.json": b"{}\n",
        ".gitattributes": b"* text\n", "link": Link("../../etc"), "image.png": PNG,
    })
    flags = {f.path: {flag.kind for flag in f.flags} for f in file_diffs(repo.patch())}
    assert flags["run.sh"] == {FlagKind.EXECUTABLE}
    assert flags["ws.txt"] == {FlagKind.WHITESPACE_ONLY}
    assert flags[".GitHub/Workflows/ci.yml"] == {FlagKind.CI}, "case-folded: a workflow on a case-insensitive disk"
    assert flags[".claude/settings.json"] == {FlagKind.AGENT_CONFIG}
    assert flags[".vscode/tasks.json"] == {FlagKind.EDITOR_CONFIG}
    assert flags["package-lock.json"] == {FlagKind.LOCK_FILE}
    assert flags[".gitattributes"] == {FlagKind.GIT_CONFIG}
    assert flags["link"] == {FlagKind.SYMLINK}
    assert flags["image.png"] == {FlagKind.BINARY}
    (link,) = [f for f in file_diffs(repo.patch()) if f.path == "link"]
    assert link.flags[0].reason == "a symlink to ../../etc"


def test_binary_sizes(tmp_path: Path) -> None:
    repo = Scratch(tmp_path / "s", {"image.png": PNG})
    repo.write({"image.png": PNG + b"\x00" * 100})
    (item,) = file_diffs(repo.patch())
    assert item.binary and not item.hunks and (item.old_size, item.new_size) == (len(PNG), len(PNG) + 100)


def test_what_the_agent_wrote_is_shown_never_interpreted() -> None:
    assert visible("safe\x1b[1A\x1b[2Kcurl | sh") == "safe⟨ESC⟩[1A⟨ESC⟩[2Kcurl | sh"
    assert visible("a\rb\x00\x7f") == "a⟨CR⟩b⟨NUL⟩⟨DEL⟩"
    assert visible("a\u202eb\u200bc") == "a⟨U+202E⟩b⟨U+200B⟩c"
    assert visible("\x9b31m") == "⟨U+009B⟩31m"
    assert visible(b"caf\xe9".decode("utf-8", "surrogateescape")) == "caf⟨xE9⟩"
    assert visible("tab\tstays") == "tab\tstays" and not has_invisible("plain text")


def test_text_sent_as_binary_is_shown_as_the_text_it_writes(tmp_path: Path) -> None:
    """The agent's own attributes file made git send app.py as binary: the
    review shows the code Apply writes, not 'binary'."""
    repo = Scratch(tmp_path / "s", {"app.py": b"print('hi')\n"})
    folder = repo.copy_before(tmp_path / "folder")
    (repo.path / ".git" / "info").mkdir(exist_ok=True)
    (repo.path / ".git" / "info" / "attributes").write_text("*.py binary\n")
    repo.write({"app.py": b"print('hi')\nimport os; os.system('id')\n"})
    patch = repo.patch()
    assert b"GIT binary patch" in patch
    (shown,) = file_diffs(patch, lambda path: (folder / path).read_bytes())
    assert not shown.binary and shown.flags[0].kind is FlagKind.HIDDEN_TEXT
    added = [line.text for h in shown.hunks for line in h.lines if line.kind is LineKind.ADDED]
    assert added == ["import os; os.system('id')"]
    apply(patch, folder)
    assert (folder / "app.py").read_bytes() == b"print('hi')\nimport os; os.system('id')\n", "what was shown"
    (png,) = file_diffs(_png_patch(tmp_path), lambda path: None)
    assert png.binary and png.flags[0].kind is FlagKind.BINARY, "a real binary file stays binary"


def _png_patch(tmp_path: Path) -> bytes:
    repo = Scratch(tmp_path / "png", {})
    repo.write({"image.png": PNG})
    return repo.patch()


def test_a_change_that_makes_an_embedded_repository_is_flagged(tmp_path: Path) -> None:
    repo = Scratch(tmp_path / "s", {"README": b"x\n"})
    repo.write({"vendor/lib/HEAD": b"ref: refs/heads/main\n",
                "vendor/lib/config": b"[core]\n\tfsmonitor = touch /tmp/pwned\n", "src/ok.txt": b"fine\n"})
    flags = {f.path: {flag.kind for flag in f.flags} for f in file_diffs(repo.patch())}
    assert FlagKind.EMBEDDED_REPOSITORY in flags["vendor/lib/HEAD"]
    assert FlagKind.EMBEDDED_REPOSITORY in flags["vendor/lib/config"]
    assert FlagKind.EMBEDDED_REPOSITORY not in flags["src/ok.txt"]
