"""check/apply against real folders, with patches made by real git."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from desktop.hostgit.errors import (
    PatchApplyError,
    PatchConflictError,
    PatchError,
    PatchFormatError,
    UnsafePatchError,
)
from desktop.hostgit.patch import apply as patches
from desktop.hostgit.patch.apply import apply, check, patch_stat, validate_patch
from desktop.hostgit.patch.git import GitResult, IsolatedGit
from desktop.hostgit.patch.model import ChangeKind
from tests.hostgit.gitscratch import PNG, Exe, Link, Scratch, Tree, git, read_tree, retarget

BEFORE: Tree = {
    "README.md": b"# project\n\nsome text\n",
    "src/app.py": b"def main():\n    return 1\n",
    "src/util.py": b"".join(b"line %d\n" % i for i in range(30)),
    "assets/logo.png": PNG,
    "scripts/run.sh": b"#!/bin/sh\necho hi\n",
    "old/doc.txt": b"documentation\n" * 10,
    "obsolete.txt": b"remove me\n",
    "assets/old.bin": b"\x00\x01 old binary \xff",
    "crlf.txt": b"one\r\ntwo\r\n",
}


def _everything(repo: Scratch) -> None:
    repo.write(
        {
            "src/app.py": b"def main():\n    return 2\n",
            "src/new_module.py": b"VALUE = 42\n",
            "assets/logo.png": PNG + b"\x00\x01tail",
            "assets/icon.bin": bytes(range(256)),
            "scripts/run.sh": Exe(b"#!/bin/sh\necho hi\n"),
            "docs/link-to-readme": Link("../README.md"),
            "crlf.txt": b"one\r\nTWO\r\nthree\r\n",
            "deep/new/dir/file.txt": b"deep\n",
        }
    )
    repo.remove("obsolete.txt", "assets/old.bin")
    repo.rename("old/doc.txt", "new/doc.txt")
    repo.rename("src/util.py", "lib/util.py")
    repo.write({"lib/util.py": b"".join(b"line %d\n" % i for i in range(31))})


@pytest.fixture
def repo(tmp_path: Path) -> Scratch:
    return Scratch(tmp_path / "scratch", BEFORE)


@pytest.fixture
def folder(repo: Scratch, tmp_path: Path) -> Path:
    """The user's folder: the 'before' tree, not a git repository."""
    return repo.copy_before(tmp_path / "user" / "project")


def test_applies_every_kind_of_change(repo: Scratch, folder: Path) -> None:
    _everything(repo)
    patch = repo.patch()
    files = apply(patch, folder)
    assert read_tree(folder) == read_tree(repo.path)
    kinds = {f.path: f.kind for f in files}
    assert kinds["obsolete.txt"] is ChangeKind.DELETED
    assert kinds["new/doc.txt"] is ChangeKind.RENAMED
    assert kinds["lib/util.py"] is ChangeKind.RENAMED  # renamed and edited
    assert kinds["assets/old.bin"] is ChangeKind.DELETED
    assert not (folder / "assets/old.bin").exists()
    assert kinds["assets/icon.bin"] is ChangeKind.ADDED
    assert os.stat(folder / "scripts/run.sh").st_mode & stat.S_IXUSR
    assert os.readlink(folder / "docs/link-to-readme") == "../README.md"
    assert (folder / "assets/logo.png").read_bytes() == PNG + b"\x00\x01tail"
    assert (folder / "crlf.txt").read_bytes() == b"one\r\nTWO\r\nthree\r\n"
    assert not (folder / "old").exists()  # emptied by the rename


def test_patch_as_text_applies_too(repo: Scratch, folder: Path) -> None:
    _everything(repo)
    apply(repo.patch().decode("utf-8", "surrogateescape"), folder)
    assert read_tree(folder) == read_tree(repo.path)


def test_check_writes_nothing(repo: Scratch, folder: Path) -> None:
    _everything(repo)
    before = read_tree(folder)
    files = check(repo.patch(), folder)
    assert len(files) == 12
    assert read_tree(folder) == before


def test_empty_patch_is_a_no_op(folder: Path) -> None:
    before = read_tree(folder)
    assert apply(b"", folder) == []
    assert check(b"", folder) == []
    assert read_tree(folder) == before


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(PatchError, match="does not exist"):
        check(b"", tmp_path / "nope")


def test_user_edits_elsewhere_stay_byte_identical(repo: Scratch, folder: Path) -> None:
    (folder / "README.md").write_bytes(b"# my own uncommitted edit\n")
    (folder / "notes.txt").write_bytes(b"\x00untracked \xff bytes")
    (folder / "src/scratch.py").write_bytes(b"wip")
    repo.write({"src/app.py": b"def main():\n    return 3\n"})
    apply(repo.patch(), folder)
    assert (folder / "README.md").read_bytes() == b"# my own uncommitted edit\n"
    assert (folder / "notes.txt").read_bytes() == b"\x00untracked \xff bytes"
    assert (folder / "src/scratch.py").read_bytes() == b"wip"
    assert (folder / "src/app.py").read_bytes() == b"def main():\n    return 3\n"


def test_applies_inside_a_subdirectory_of_a_larger_repository(
    repo: Scratch, tmp_path: Path
) -> None:
    # The trap: git run from a subdirectory of a repository applies paths
    # relative to that repository. The patch must land in the folder.
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "-q")
    (outer / "README.md").write_bytes(b"outer readme\n")
    (outer / "src").mkdir()
    (outer / "src/app.py").write_bytes(b"outer app\n")
    folder = repo.copy_before(outer / "sub" / "project")
    git(outer, "add", "-A")
    git(outer, "commit", "-q", "-m", "outer")
    repo.write({"src/app.py": b"def main():\n    return 9\n", "src/added.py": b"x = 1\n"})
    repo.remove("obsolete.txt")
    apply(repo.patch(), folder)
    assert (folder / "src/app.py").read_bytes() == b"def main():\n    return 9\n"
    assert (folder / "src/added.py").exists()
    assert not (folder / "obsolete.txt").exists()
    assert (outer / "src/app.py").read_bytes() == b"outer app\n"
    assert not (outer / "src/added.py").exists()
    assert (outer / "README.md").read_bytes() == b"outer readme\n"


def test_applies_to_a_folder_that_is_a_git_repository(repo: Scratch, tmp_path: Path) -> None:
    folder = repo.copy_before(tmp_path / "gitfolder")
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "user's own history")
    index_before = (folder / ".git" / "index").read_bytes()
    _everything(repo)
    apply(repo.patch(), folder)
    assert read_tree(folder) == read_tree(repo.path)
    # Working tree only: the user's index and history are not touched.
    assert (folder / ".git" / "index").read_bytes() == index_before


def test_conflict_names_the_file_and_changes_nothing(repo: Scratch, folder: Path) -> None:
    (folder / "src/app.py").write_bytes(b"def main():\n    return 'edited by the user'\n")
    before = read_tree(folder)
    repo.write(
        {
            "src/app.py": b"def main():\n    return 2\n",
            "README.md": b"# project\n\nchanged text\n",
            "brand-new.txt": b"new\n",
        }
    )
    patch = repo.patch()
    for action in (check, apply):
        with pytest.raises(PatchConflictError) as caught:
            action(patch, folder)
        assert caught.value.paths == ("src/app.py",)
        assert "src/app.py" in str(caught.value)
        assert "Nothing was changed" in str(caught.value)
        assert "src/app.py" in caught.value.detail
        assert read_tree(folder) == before


def test_conflict_on_new_file_that_already_exists(repo: Scratch, folder: Path) -> None:
    (folder / "brand-new.txt").write_bytes(b"the user's own file\n")
    before = read_tree(folder)
    repo.write({"brand-new.txt": b"agent's file\n", "README.md": b"changed\n"})
    with pytest.raises(PatchConflictError) as caught:
        apply(repo.patch(), folder)
    assert caught.value.paths == ("brand-new.txt",)
    assert read_tree(folder) == before


def test_conflict_on_binary_file(repo: Scratch, folder: Path) -> None:
    (folder / "assets/logo.png").write_bytes(PNG + b"user")
    before = read_tree(folder)
    repo.write({"assets/logo.png": PNG[::-1]})
    with pytest.raises(PatchConflictError) as caught:
        apply(repo.patch(), folder)
    assert caught.value.paths == ("assets/logo.png",)
    assert read_tree(folder) == before


def test_conflict_on_deleted_file_already_gone(repo: Scratch, folder: Path) -> None:
    (folder / "obsolete.txt").unlink()
    repo.remove("obsolete.txt")
    repo.write({"README.md": b"x\n"})
    with pytest.raises(PatchConflictError) as caught:
        apply(repo.patch(), folder)
    assert caught.value.paths == ("obsolete.txt",)
    assert (folder / "README.md").read_bytes() == BEFORE["README.md"]


def test_several_conflicts_are_all_named(repo: Scratch, folder: Path) -> None:
    (folder / "src/app.py").write_bytes(b"user 1\n")
    (folder / "README.md").write_bytes(b"user 2\n")
    repo.write({"src/app.py": b"agent\n", "README.md": b"agent\n"})
    with pytest.raises(PatchConflictError) as caught:
        check(repo.patch(), folder)
    assert set(caught.value.paths) == {"src/app.py", "README.md"}


# Hostile patches: crafted by editing real patches, since git would never
# write them. The folder must stay byte-identical and nothing may appear
# outside it.


def _assert_untouched(folder: Path, before: dict[str, object], tmp_path: Path) -> None:
    assert read_tree(folder) == before
    assert not (tmp_path / "escape").exists()
    assert not (tmp_path / "user" / "escape").exists()


@pytest.mark.parametrize(
    ("placeholder_to", "refused_path"),
    [
        ("../escape", "../escape"),
        ("../../escape", "../../escape"),
        ("sub/../../escape", "sub/../../escape"),
        (".git/config", ".git/config"),
        (".git/hooks/pre-commit", ".git/hooks/pre-commit"),
        (".GIT/hooks/post-checkout", ".GIT/hooks/post-checkout"),
        ("vendor/.git/config", "vendor/.git/config"),
    ],
)
def test_refuses_paths_outside_or_in_git(
    repo: Scratch, folder: Path, tmp_path: Path, placeholder_to: str, refused_path: str
) -> None:
    (folder / ".git").mkdir()
    (folder / ".git/config").write_bytes(b"[core]\n")
    before = read_tree(folder, skip_git=False)
    repo.write({"PLACEHOLDER": Exe(b"#!/bin/sh\ntouch pwned\n")})
    patch = retarget(repo.patch(), "PLACEHOLDER", placeholder_to)
    for action in (validate_patch, check, apply):
        with pytest.raises(UnsafePatchError) as caught:
            action(patch, folder)
        assert caught.value.path == refused_path
        assert refused_path in str(caught.value)
    assert read_tree(folder, skip_git=False) == before
    assert not (tmp_path / "escape").exists()


def test_refuses_modifying_git_config(repo: Scratch, folder: Path) -> None:
    (folder / ".git").mkdir()
    (folder / ".git/config").write_bytes(b"[core]\n\tbare = false\n")
    repo.write({"PLACEHOLDER/config": b"[core]\n\tbare = false\n"})
    repo.path.joinpath("PLACEHOLDER").mkdir(exist_ok=True)
    Scratch.patch(repo)  # commit nothing; just stage
    git(repo.path, "commit", "-q", "-m", "config")
    repo.write({"PLACEHOLDER/config": b"[core]\n\tfsmonitor = touch /tmp/pwned\n"})
    patch = retarget(repo.patch(), "PLACEHOLDER", ".git")
    with pytest.raises(UnsafePatchError) as caught:
        apply(patch, folder)
    assert caught.value.path == ".git/config"
    assert (folder / ".git/config").read_bytes() == b"[core]\n\tbare = false\n"


def test_refuses_absolute_symlink(repo: Scratch, folder: Path, tmp_path: Path) -> None:
    before = read_tree(folder)
    repo.write({"link": Link("/etc/passwd")})
    with pytest.raises(UnsafePatchError, match="outside the folder") as caught:
        apply(repo.patch(), folder)
    assert caught.value.path == "link"
    _assert_untouched(folder, before, tmp_path)


def test_refuses_escaping_relative_symlink(repo: Scratch, folder: Path, tmp_path: Path) -> None:
    before = read_tree(folder)
    repo.write({"link": Link("../../outside"), "sub/link2": Link("../../outside")})
    with pytest.raises(UnsafePatchError, match="outside the folder"):
        apply(repo.patch(), folder)
    _assert_untouched(folder, before, tmp_path)


def test_refuses_changing_a_symlink_to_escape(repo: Scratch, tmp_path: Path) -> None:
    repo.write({"link": Link("README.md")})
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "link")
    folder = repo.copy_before(tmp_path / "user" / "project")
    repo.write({"link": Link("../../../etc/shadow")})
    with pytest.raises(UnsafePatchError, match="outside the folder"):
        apply(repo.patch(), folder)
    assert os.readlink(folder / "link") == "README.md"


def test_refuses_moving_a_symlink_where_it_escapes(repo: Scratch, tmp_path: Path) -> None:
    # "../README.md" is fine from sub/, but points outside from the top.
    repo.write({"sub/link": Link("../README.md")})
    git(repo.path, "add", "-A")
    git(repo.path, "commit", "-q", "-m", "link")
    folder = repo.copy_before(tmp_path / "user" / "project")
    repo.rename("sub/link", "link")
    with pytest.raises(UnsafePatchError, match="outside the folder"):
        apply(repo.patch(), folder)
    assert os.readlink(folder / "sub/link") == "../README.md"


def test_allows_in_tree_relative_symlinks(repo: Scratch, folder: Path) -> None:
    repo.write(
        {
            "link": Link("README.md"),
            "src/link-up": Link("../scripts/run.sh"),
            "dirlink": Link("src"),
        }
    )
    apply(repo.patch(), folder)
    assert os.readlink(folder / "link") == "README.md"
    assert os.readlink(folder / "src/link-up") == "../scripts/run.sh"
    assert os.readlink(folder / "dirlink") == "src"


def test_refuses_writing_through_a_symlink_in_the_folder(
    repo: Scratch, folder: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, folder / "sub")
    repo.write({"sub/evil.txt": b"evil\n", "README.md": b"changed\n"})
    with pytest.raises(UnsafePatchError, match="through the symlink 'sub'") as caught:
        apply(repo.patch(), folder)
    assert caught.value.path == "sub/evil.txt"
    assert list(outside.iterdir()) == []
    assert (folder / "README.md").read_bytes() == BEFORE["README.md"]


def test_refuses_writing_through_a_deeper_symlink(
    repo: Scratch, folder: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    (outside / "x").mkdir(parents=True)
    os.symlink(outside, folder / "src" / "linked")
    repo.write({"src/linked/x/evil.txt": b"evil\n"})
    with pytest.raises(UnsafePatchError, match="through the symlink 'src/linked'"):
        apply(repo.patch(), folder)
    assert list((outside / "x").iterdir()) == []


def test_refuses_symlink_and_file_below_it_in_one_patch(
    repo: Scratch, folder: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    repo.write({"d": Link("src"), "PLACEHOLDER/x": b"evil\n"})
    patch = retarget(repo.patch(), "PLACEHOLDER", "d")
    with pytest.raises(UnsafePatchError, match="through the symlink 'd'"):
        apply(patch, folder)
    assert not os.path.lexists(folder / "d")


def test_hostile_fsmonitor_config_is_never_run(repo: Scratch, tmp_path: Path) -> None:
    marker = tmp_path / "fsmonitor-ran"
    hook_marker = tmp_path / "hook-ran"
    folder = repo.copy_before(tmp_path / "user" / "project")
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "user")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-checkout", "post-applypatch", "pre-applypatch", "post-index-change"):
        (hooks / name).write_text(f"#!/bin/sh\ntouch '{hook_marker}'\n")
        (hooks / name).chmod(0o755)
    with open(folder / ".git" / "config", "a") as config:
        config.write(
            f"[core]\n\tfsmonitor = touch '{marker}'; true\n\thooksPath = {hooks}\n"
            f"[filter \"evil\"]\n\tclean = touch '{marker}'\n\tsmudge = touch '{marker}'\n"
        )
    (folder / ".gitattributes").write_text("* filter=evil\n")

    # The planted config is live: ordinary git in that folder runs it.
    probe = tmp_path / "probe"
    probe_marker = tmp_path / "probe-ran"
    git(tmp_path, "init", "-q", str(probe))
    with open(probe / ".git" / "config", "a") as config:
        config.write(f"[core]\n\tfsmonitor = touch '{probe_marker}'; true\n")
    git(probe, "status")
    assert probe_marker.exists()

    _everything(repo)
    patch = repo.patch()
    patch_stat(patch)
    validate_patch(patch, folder)
    check(patch, folder)
    apply(patch, folder)
    assert (folder / "src/new_module.py").read_bytes() == b"VALUE = 42\n"
    assert not marker.exists()
    assert not hook_marker.exists()


def test_hostile_config_of_an_enclosing_repository_is_never_run(
    repo: Scratch, tmp_path: Path
) -> None:
    marker = tmp_path / "outer-fsmonitor-ran"
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "-q")
    with open(outer / ".git" / "config", "a") as config:
        config.write(f"[core]\n\tfsmonitor = touch '{marker}'; true\n")
    folder = repo.copy_before(outer / "nested" / "project")
    repo.write({"src/app.py": b"changed\n"})
    apply(repo.patch(), folder)
    assert (folder / "src/app.py").read_bytes() == b"changed\n"
    assert not marker.exists()


def test_failed_write_restores_everything(
    repo: Scratch, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Simulate git failing after writing: run the real apply, then report
    # failure. The snapshot must put every file back.
    (folder / "untouched.txt").write_bytes(b"user file")
    before = read_tree(folder)
    real_apply = IsolatedGit.apply

    def half_broken(
        self: IsolatedGit, patch: bytes, work_tree: Path, *options: str, **kw: float
    ) -> GitResult:
        result = real_apply(self, patch, work_tree, *options, **kw)
        if options:
            return result
        assert result.returncode == 0
        return GitResult(1, b"", "error: unable to write file 'x': No space left on device\n")

    monkeypatch.setattr(IsolatedGit, "apply", half_broken)
    _everything(repo)
    with pytest.raises(PatchApplyError, match="put back") as caught:
        apply(repo.patch(), folder)
    assert caught.value.restore_failures == ()
    assert read_tree(folder) == before


def test_binary_delete_and_recreate_restores(
    repo: Scratch, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file replaced by a directory of the same name, rolled back.
    real_apply = IsolatedGit.apply

    def broken(
        self: IsolatedGit, patch: bytes, work_tree: Path, *options: str, **kw: float
    ) -> GitResult:
        result = real_apply(self, patch, work_tree, *options, **kw)
        return result if options else GitResult(1, b"", "error: simulated\n")

    monkeypatch.setattr(IsolatedGit, "apply", broken)
    before = read_tree(folder)
    repo.remove("obsolete.txt", "assets/logo.png")
    repo.write({"obsolete.txt/now-a-dir.txt": b"x\n"})
    with pytest.raises(PatchApplyError):
        apply(repo.patch(), folder)
    assert read_tree(folder) == before


def test_validate_without_folder(repo: Scratch) -> None:
    _everything(repo)
    files = validate_patch(repo.patch())
    assert {f.path for f in files} >= {"src/app.py", "new/doc.txt", "lib/util.py"}


def test_git_disagreeing_with_the_parser_is_refused(
    repo: Scratch, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write({"src/app.py": b"changed\n"})
    patch = repo.patch()
    real_apply = IsolatedGit.apply

    def lying(
        self: IsolatedGit, data: bytes, work_tree: Path, *options: str, **kw: float
    ) -> GitResult:
        result = real_apply(self, data, work_tree, *options, **kw)
        if "--numstat" in options:
            return GitResult(0, result.stdout + b"1\t0\t.git/hooks/pre-commit\0", "")
        return result

    monkeypatch.setattr(IsolatedGit, "apply", lying)
    with pytest.raises(PatchFormatError, match="ambiguous"):
        apply(patch, folder)
    assert (folder / "src/app.py").read_bytes() == BEFORE["src/app.py"]


def test_non_utf8_file_name_applies(repo: Scratch, folder: Path) -> None:
    name = b"caf\xe9.txt".decode("utf-8", "surrogateescape")
    (repo.path / name).write_bytes(b"latin-1 name\n")
    apply(repo.patch(), folder)
    assert (folder / name).read_bytes() == b"latin-1 name\n"


def test_quoted_names_apply(repo: Scratch, folder: Path) -> None:
    repo.write({'with space/a "quoted" name.txt': b"x\n", "caf\u00e9/\u65e5\u672c.md": b"y\n"})
    apply(repo.patch(), folder)
    assert read_tree(folder) == read_tree(repo.path)


def test_names_with_control_characters_are_refused(repo: Scratch, folder: Path) -> None:
    # Decision: a tab, newline or ESC in a name would garble (or forge) what
    # the CLI prints, and no agent needs one.
    repo.write({"tab\there.txt": b"x\n"})
    with pytest.raises(UnsafePatchError, match="control or invisible"):
        apply(repo.patch(), folder)
    assert not (folder / "tab\there.txt").exists()


@pytest.mark.parametrize(
    "hostile",
    ["../escape", ".git/config", ".GIT/hooks/pre-commit", "sub/evil.txt", "x/../../escape"],
)
def test_isolated_git_refuses_on_its_own(
    hostile: str, repo: Scratch, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Defence in depth: with our own path checks switched off, the isolated
    # git still refuses to write outside the folder, into .git or through
    # a symlink.
    monkeypatch.setattr(patches, "check_files", lambda files: None)
    monkeypatch.setattr(patches, "check_tree", lambda files, root: None)
    (folder / ".git").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, folder / "sub")
    before = read_tree(folder, skip_git=False)
    repo.write({"PLACEHOLDER": b"x\n"})
    with pytest.raises(PatchConflictError):
        apply(retarget(repo.patch(), "PLACEHOLDER", hostile), folder)
    assert read_tree(folder, skip_git=False) == before
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "user" / "escape").exists()
    assert not (tmp_path / "escape").exists()
