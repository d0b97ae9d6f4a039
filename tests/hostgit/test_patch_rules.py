from __future__ import annotations

import pytest

from desktop.hostgit.errors import UnsafePatchError
from desktop.hostgit.patch.model import ChangeKind, PatchFile
from desktop.hostgit.patch.rules import check_files, check_path, check_symlink_target, is_git_dir_name


@pytest.mark.parametrize(
    "path",
    [
        "src/app.py",
        ".gitignore",
        ".gitattributes",
        ".github/workflows/ci.yml",
        "lib/.gitmodules",
        "vendor/x.git/README",
        "dir with space/file",
        "caf\u00e9.txt",
        "...",
        "..hidden",
    ],
)
def test_allowed_paths(path: str) -> None:
    check_path(path)


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/etc/passwd", "absolute"),
        ("C:/Windows/x", "absolute"),
        ("../escape", "escapes"),
        ("a/../../b", "escapes"),
        ("a/..", "escapes"),
        ("./a", "escapes"),
        ("a//b", "escapes"),
        ("a/", "escapes"),
        (".git/config", ".git"),
        (".git", ".git"),
        (".GIT/config", ".git"),
        (".Git/hooks/pre-commit", ".git"),
        ("sub/.git/hooks/pre-commit", ".git"),
        ("sub/.git", ".git"),
        (".git./config", ".git"),
        (".git /config", ".git"),
        ("GIT~1/config", ".git"),
        (".g\u200cit/config", "invisible"),
        (".gi\ufefft/config", "invisible"),
        ("a\\..\\b", "backslash"),
        ("evil\x1b[2J.txt", "control"),
        ("new\nline", "control"),
        ("", "empty"),
    ],
)
def test_refused_paths(path: str, says: str) -> None:
    with pytest.raises(UnsafePatchError) as caught:
        check_path(path)
    assert caught.value.path == path
    assert says in str(caught.value)
    assert "\x1b" not in str(caught.value)


def test_git_dir_names() -> None:
    assert is_git_dir_name(".git") and is_git_dir_name(".GiT")
    assert not is_git_dir_name(".github") and not is_git_dir_name("git")


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("link", "target.txt"),
        ("link", "sub/dir/file"),
        ("link", "./x"),
        ("link", "sub/"),
        ("sub/link", "../x"),
        ("sub/link", "../other/x"),
        ("a/b/link", "../../x"),
        ("a/b/link", "./../x"),
        ("link", ".github/x"),
    ],
)
def test_allowed_symlinks(link: str, target: str) -> None:
    check_symlink_target(link, target)


@pytest.mark.parametrize(
    ("link", "target", "says"),
    [
        ("link", "/etc/passwd", "outside"),
        ("link", "C:/Windows", "outside"),
        ("link", "../outside", "outside"),
        ("link", "../../outside", "outside"),
        ("sub/link", "../../outside", "outside"),
        ("a/b/link", "../../../x", "outside"),
        ("link", "a/../../x", "follows a name"),
        ("link", "a/../b", "follows a name"),
        ("link", ".git/config", ".git"),
        ("link", "sub/.GIT", ".git"),
        ("link", "", "empty"),
        ("link", "a\\b", "unusual"),
        ("link", "x\ny", "unusual"),
    ],
)
def test_refused_symlinks(link: str, target: str, says: str) -> None:
    with pytest.raises(UnsafePatchError) as caught:
        check_symlink_target(link, target)
    assert caught.value.path == link
    assert says in str(caught.value)


def test_file_below_a_symlink_of_the_same_patch() -> None:
    files = [
        PatchFile("d", ChangeKind.ADDED, new_mode="120000", symlink_target="real"),
        PatchFile("d/x", ChangeKind.ADDED, new_mode="100644"),
    ]
    with pytest.raises(UnsafePatchError, match="through the symlink 'd'") as caught:
        check_files(files)
    assert caught.value.path == "d/x"


def test_file_turned_into_symlink_is_refused() -> None:
    files = [PatchFile("f", ChangeKind.MODIFIED, old_mode="100644", new_mode="120000")]
    with pytest.raises(UnsafePatchError, match="into a symlink"):
        check_files(files)


def test_binary_symlink_is_refused() -> None:
    files = [PatchFile("l", ChangeKind.ADDED, new_mode="120000", binary=True)]
    with pytest.raises(UnsafePatchError, match="binary symlink"):
        check_files(files)


def test_rename_source_is_checked_too() -> None:
    files = [PatchFile("ok.txt", ChangeKind.RENAMED, old_path=".git/config")]
    with pytest.raises(UnsafePatchError) as caught:
        check_files(files)
    assert caught.value.path == ".git/config"


@pytest.mark.parametrize(("link", "target"), [("S", "."), ("S", "./"), ("sub/up", ".."), ("a/b/l", "../..")])
def test_finding_1_links_to_their_own_folder_or_an_ancestor_are_refused(link: str, target: str) -> None:
    with pytest.raises(UnsafePatchError, match="folder that contains it"):
        check_symlink_target(link, target)


def test_finding_1_the_case_insensitive_escape_is_refused() -> None:
    """``S -> .``, then ``s/s/x/l -> ../../..``, then a file through ``x/l``: on a
    case-insensitive disk ``s/s/x/l`` is ``x/l`` and the file lands above the folder."""
    files = [
        PatchFile("S", ChangeKind.ADDED, new_mode="120000", symlink_target="."),
        PatchFile("s/s/x/l", ChangeKind.ADDED, new_mode="120000", symlink_target="../../.."),
        PatchFile("x/l/.config/autostart/a.desktop", ChangeKind.ADDED, new_mode="100644"),
    ]
    with pytest.raises(UnsafePatchError):
        check_files(files)


@pytest.mark.parametrize("written", ["lib/evil.py", "LIB/evil.py", "Lib/evil.py", "lIb/evil.py"])
def test_finding_1_writes_below_a_new_link_compare_as_the_disk_does(written: str) -> None:
    files = [
        PatchFile("Lib", ChangeKind.ADDED, new_mode="120000", symlink_target="vendor"),
        PatchFile(written, ChangeKind.ADDED, new_mode="100644"),
    ]
    with pytest.raises(UnsafePatchError, match="through the symlink"):
        check_files(files)


def test_finding_1_unicode_normalisation_is_one_name() -> None:
    decomposed, composed = "cafe\u0301", "caf\u00e9"  # what macOS stores, what Linux keeps
    files = [
        PatchFile(decomposed, ChangeKind.ADDED, new_mode="120000", symlink_target="vendor"),
        PatchFile(f"{composed}/x.py", ChangeKind.ADDED, new_mode="100644"),
    ]
    with pytest.raises(UnsafePatchError, match="through the symlink"):
        check_files(files)
