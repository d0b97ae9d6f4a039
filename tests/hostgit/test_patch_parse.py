from __future__ import annotations

from pathlib import Path

import pytest

from desktop.domain.changes import DiffStat
from desktop.hostgit.errors import PatchFormatError
from desktop.hostgit.patch.apply import patch_stat
from desktop.hostgit.patch.model import ChangeKind, PatchFile
from desktop.hostgit.patch.parse import parse_patch
from desktop.hostgit.patch.quote import printable, unquote_c
from tests.hostgit.gitscratch import PNG, Exe, Link, Scratch, git


def _by_path(files: list[PatchFile]) -> dict[str, PatchFile]:
    return {f.path: f for f in files}


def test_reads_every_kind_of_change(tmp_path: Path) -> None:
    repo = Scratch(
        tmp_path / "s",
        {
            "edit.txt": b"one\ntwo\nthree\n",
            "gone.txt": b"bye\n",
            "old/name.txt": b"moved content\n" * 5,
            "run.sh": b"#!/bin/sh\n",
            "img.png": PNG,
        },
    )
    repo.write(
        {
            "edit.txt": b"one\n2\nthree\nfour\n",
            "new.txt": b"fresh\n",
            "run.sh": Exe(b"#!/bin/sh\n"),
            "img.png": PNG + b"\x00more",
            "pic.bin": b"\x00\x01\x02",
            "link": Link("edit.txt"),
        }
    )
    repo.remove("gone.txt")
    repo.rename("old/name.txt", "new/name.txt")
    files = _by_path(parse_patch(repo.patch()))

    assert files["edit.txt"] == PatchFile(
        "edit.txt", ChangeKind.MODIFIED, None, "100644", "100644", False, 2, 1
    )
    assert files["new.txt"].kind is ChangeKind.ADDED
    assert files["new.txt"].new_mode == "100644" and files["new.txt"].old_mode is None
    assert files["gone.txt"].kind is ChangeKind.DELETED
    assert files["gone.txt"].deletions == 1 and files["gone.txt"].new_mode is None
    assert files["new/name.txt"].kind is ChangeKind.RENAMED
    assert files["new/name.txt"].old_path == "old/name.txt"
    assert files["run.sh"].mode_changed
    assert (files["run.sh"].old_mode, files["run.sh"].new_mode) == ("100644", "100755")
    assert files["img.png"].binary and files["img.png"].insertions is None
    assert files["pic.bin"].binary and files["pic.bin"].kind is ChangeKind.ADDED
    assert files["link"].is_symlink and files["link"].symlink_target == "edit.txt"


def test_empty_files(tmp_path: Path) -> None:
    repo = Scratch(tmp_path / "s", {"empty-gone": b""})
    repo.remove("empty-gone")
    repo.write({"other/empty-new": b""})
    files = parse_patch(repo.patch("--no-renames"))
    assert [(f.path, f.kind) for f in files] == [
        ("empty-gone", ChangeKind.DELETED),
        ("other/empty-new", ChangeKind.ADDED),
    ]


def test_copies(tmp_path: Path) -> None:
    repo = Scratch(tmp_path / "s", {"a.txt": b"".join(b"line %d\n" % i for i in range(20))})
    repo.write({"b.txt": b"".join(b"line %d\n" % i for i in range(20)) + b"extra\n"})
    files = parse_patch(repo.patch("-C", "--find-copies-harder"))
    assert [(f.kind, f.old_path, f.path, f.insertions) for f in files] == [
        (ChangeKind.COPIED, "a.txt", "b.txt", 1)
    ]


@pytest.mark.parametrize(
    "name",
    [
        "with space.txt",
        "tab\there.txt",
        'quote".txt',
        "back\\slash.txt",
        "caf\u00e9.txt",
        "new\nline.txt",
        "\u65e5\u672c.md",
        "dir with space/and more.txt",
    ],
)
def test_quoted_and_spaced_names(tmp_path: Path, name: str) -> None:
    repo = Scratch(tmp_path / "s", {"keep": b"x\n"})
    repo.write({name: b"content\n"})
    files = parse_patch(repo.patch())
    assert [f.path for f in files] == [name]


def test_rename_with_spaces_on_both_sides(tmp_path: Path) -> None:
    repo = Scratch(tmp_path / "s", {"a b/c d.txt": b"same\n" * 10})
    repo.rename("a b/c d.txt", "e f/g h.txt")
    (file,) = parse_patch(repo.patch())
    assert (file.kind, file.old_path, file.path) == (
        ChangeKind.RENAMED,
        "a b/c d.txt",
        "e f/g h.txt",
    )
    assert file.old_mode is None  # a pure rename: git leaves the mode out


def test_non_utf8_name_round_trips(tmp_path: Path) -> None:
    repo = Scratch(tmp_path / "s", {"keep": b"x\n"})
    raw = b"latin\xe9.txt"
    (repo.path / raw.decode("utf-8", "surrogateescape")).write_bytes(b"x\n")
    (file,) = parse_patch(repo.patch())
    assert file.path.encode("utf-8", "surrogateescape") == raw


def test_stat_matches_git_numstat(tmp_path: Path) -> None:
    repo = Scratch(tmp_path / "s", {"a.txt": b"1\n2\n3\n", "b.txt": b"x\n", "p.png": PNG})
    repo.write({"a.txt": b"1\nII\n3\n4\n5\n", "c.txt": b"c\nc\n", "p.png": PNG[::-1]})
    repo.remove("b.txt")
    patch = repo.patch()
    numstat = git(repo.path, "diff", "--cached", "--numstat", "HEAD").decode().splitlines()
    text_rows = [row.split("\t") for row in numstat if not row.startswith("-")]
    expected = DiffStat(
        files=len(numstat),
        insertions=sum(int(r[0]) for r in text_rows),
        deletions=sum(int(r[1]) for r in text_rows),
        binary_files=1,
    )
    assert patch_stat(patch) == expected
    assert patch_stat(patch.decode("utf-8", "surrogateescape")) == expected


def test_empty_patch() -> None:
    assert parse_patch(b"") == []
    assert parse_patch("\n\n") == []
    assert patch_stat(b"") == DiffStat(0, 0, 0)


GOOD = b"""diff --git a/f.txt b/f.txt
index 1111111..2222222 100644
--- a/f.txt
+++ b/f.txt
@@ -1,2 +1,2 @@
 keep
-old
+new
"""


def test_handmade_patch_parses() -> None:
    (file,) = parse_patch(GOOD)
    assert (file.path, file.insertions, file.deletions) == ("f.txt", 1, 1)


def test_empty_line_counts_as_context() -> None:
    patch = GOOD.replace(b"@@ -1,2 +1,2 @@\n keep", b"@@ -1,3 +1,3 @@\n keep\n")
    assert parse_patch(patch)[0].insertions == 1


@pytest.mark.parametrize(
    ("patch", "says"),
    [
        (b"hello\n" + GOOD, "expected a 'diff --git'"),
        (GOOD + b"trailing garbage\n", "unexpected text"),
        (GOOD + b"--- a/g.txt\n+++ b/g.txt\n@@ -1 +1 @@\n-a\n+b\n", "unexpected text"),
        (b"--- a/f.txt\n+++ b/f.txt\n@@ -1 +1 @@\n-a\n+b\n", "expected a 'diff --git'"),
        (GOOD.replace(b"+new\n", b""), "ends in the middle of a hunk"),
        (GOOD.replace(b"+new\n", b"+new\n+more\n"), "unexpected text"),
        (GOOD.replace(b" keep\n", b"?keep\n"), "unexpected line inside a hunk"),
        (GOOD.replace(b"@@ -1,2 +1,2 @@", b"@@ -1,x @@"), "malformed hunk header"),
        (GOOD.replace(b"index ", b"frobnicate "), "unknown line"),
        (GOOD.replace(b"--- a/f.txt\n", b""), "without '---' and '+++'"),
        (
            GOOD.replace(
                b"index 1111111..2222222 100644\n", b"index 1111111..2222222 100644\nindex 1..2\n"
            ),
            "repeated",
        ),
        (GOOD.replace(b"100644", b"160000"), "submodule"),
        (GOOD.replace(b"100644", b"100664"), "unsupported file mode"),
        (GOOD.replace(b" 100644", b""), "no file mode"),
        (GOOD.replace(b"+++ b/f.txt", b"+++ b/g.txt"), "inconsistent file names"),
        (
            GOOD.replace(b"--- a/f.txt\n+++ b/f.txt", b"--- f.txt\n+++ f.txt"),
            "without an a/ or b/ prefix",
        ),
        (
            b"diff --git a/x.png b/x.png\nindex 1..2 100644\n"
            b"Binary files a/x.png and b/x.png differ\n",
            "--binary",
        ),
        (
            b"diff --git a/x b/x\nnew file mode 100644\nindex 0..1\n"
            b"GIT binary patch\nliteral 3\nnot base85!\n\n",
            "malformed binary",
        ),
        (
            b"diff --git a/x b/x\nnew file mode 100644\nindex 0..1\nGIT binary patch\nfoo\n",
            "expected 'literal'",
        ),
        (b'diff --git "a/x\\q" "b/x\\q"\nnew file mode 100644\n', "unknown escape"),
        (b'diff --git "a/x b/x\nnew file mode 100644\n', "not closed"),
    ],
)
def test_refuses_malformed(patch: bytes, says: str) -> None:
    with pytest.raises(PatchFormatError) as caught:
        parse_patch(patch)
    assert says in str(caught.value)


def test_symlink_with_multi_line_target_is_refused() -> None:
    patch = (
        b"diff --git a/l b/l\nnew file mode 120000\nindex 0000000..1111111\n"
        b"--- /dev/null\n+++ b/l\n@@ -0,0 +1,2 @@\n+a\n+b\n"
    )
    with pytest.raises(PatchFormatError, match="several lines"):
        parse_patch(patch)


def test_unquote_c() -> None:
    assert unquote_c(b'"a\\tb\\303\\251\\"\\\\" rest') == (b'a\tb\xc3\xa9"\\', b" rest")
    with pytest.raises(PatchFormatError):
        unquote_c(b'"\\400"')


def test_printable_escapes_terminal_controls() -> None:
    assert printable("plain/caf\u00e9.txt") == "plain/caf\u00e9.txt"
    assert "\x1b" not in printable("evil\x1b[2J.txt")
    assert "\n" not in printable("two\nlines")


def test_display_path_is_safe_to_print(tmp_path: Path) -> None:
    repo = Scratch(tmp_path / "s", {"keep": b"x\n"})
    repo.write({"evil\x1b]0;pwned\x07.txt": b"x\n"})
    (file,) = parse_patch(repo.patch())
    assert file.path == "evil\x1b]0;pwned\x07.txt"
    assert "\x1b" not in file.display_path and "\x07" not in file.display_path


def test_a_control_character_in_a_header_is_refused() -> None:
    """Text after 'similarity index 100' could rewrite the screen (an earlier file's
    diff wiped off it) while Apply writes both files."""
    rename = (b"diff --git a/old.txt b/new.txt\nsimilarity index 100%\x1b[2J\x1b[H\n"
              b"rename from old.txt\nrename to new.txt\n")
    with pytest.raises(PatchFormatError, match="control character"):
        parse_patch(rename)
    with pytest.raises(PatchFormatError, match="similarity"):
        parse_patch(rename.replace(b"100%\x1b[2J\x1b[H", b"100% and more"))
    assert parse_patch(rename.replace(b"\x1b[2J\x1b[H", b""))[0].old_path == "old.txt"


def test_no_newline_marks_only_at_the_end_of_a_side() -> None:
    """git joins the lines around a mid-hunk mark: the diff would show two
    harmless halves while the file gets their concatenation."""
    head = b"diff --git a/x.py b/x.py\nindex 1111111..2222222 100644\n--- a/x.py\n+++ b/x.py\n"
    joined = head + b"@@ -1,2 +1,3 @@\n a\n+os.sys\n\\ No newline at end of file\n+tem('id')\n b\n"
    with pytest.raises(PatchFormatError, match="middle of a hunk"):
        parse_patch(joined)
    both_ends = head + b"@@ -1 +1 @@\n-z\n\\ No newline at end of file\n+Z\n\\ No newline at end of file\n"
    assert parse_patch(both_ends)[0].insertions == 1
    context_end = head + b"@@ -1,2 +1,2 @@\n-a\n+A\n b\n\\ No newline at end of file\n"
    assert parse_patch(context_end)[0].deletions == 1
