"""The watched folder's manifest equals a full scan's after every kind of
change, read only once in full, and never mistakes a rewritten file for an
unchanged one."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from desktop.services.folder_states import FolderStates
from desktop.snapshots.manifest import Entry, Manifest, scan
from desktop.snapshots.tracker import FolderTracker, trackable


def _plain(manifest: Manifest) -> dict[str, Entry]:
    """Entries without the marks that make racy or rewritten files unique."""
    return {path: (*entry[:4], entry[4] if entry[0] == "l" else "") for path, entry in manifest.entries.items()}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    assert trackable(tmp_path), "the tests' folders are on a local file system with inotify"
    root = tmp_path / "project"
    (root / "src" / "deep").mkdir(parents=True)
    (root / "src" / "a.py").write_text("a = 1\n")
    (root / "src" / "deep" / "b.py").write_text("b = 2\n")
    (root / "README.md").write_text("# readme\n")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return root


@pytest.fixture
def tracker(folder: Path):
    tracker = FolderTracker(folder)
    yield tracker
    tracker.close()


def _agrees(tracker: FolderTracker, root: Path) -> Manifest:
    seen = tracker.manifest()
    assert _plain(seen) == _plain(scan(root))
    return seen


def test_every_kind_of_change_is_seen_without_reading_the_folder_again(tracker: FolderTracker, folder: Path,
                                                                       tmp_path: Path) -> None:
    _agrees(tracker, folder)
    steps = [
        lambda: (folder / "src" / "a.py").write_text("a = 10\n"),  # an edit
        lambda: (folder / "new.txt").write_text("new\n"),  # a new file
        lambda: (folder / "README.md").unlink(),  # a deletion
        lambda: (folder / "src" / "a.py").rename(folder / "src" / "renamed.py"),  # a rename
        lambda: (folder / "src" / "deep").rename(folder / "moved"),  # a folder renamed, with its content
        lambda: (folder / "moved" / "b.py").write_text("b = 20, after the move\n"),  # inside the moved folder
        lambda: (folder / "new.txt").chmod(0o755),  # a mode change
        lambda: os.symlink("src/renamed.py", folder / "link"),  # a link
        lambda: (os.unlink(folder / "link"), os.symlink("new.txt", folder / "link")),  # the link retargeted
        lambda: (folder / "x" / "y" / "z").mkdir(parents=True) or (folder / "x" / "y" / "z" / "f").write_text("f"),
        lambda: shutil.rmtree(folder / "x"),  # a tree deleted
        lambda: ((folder / "moved" / "b.py").unlink(), (folder / "moved" / "b.py").mkdir()),  # a file becomes a folder
        lambda: (shutil.rmtree(folder / "moved"), (folder / "moved").write_text("now a file")),  # and back
        lambda: ((tmp_path / "outside").mkdir(), (tmp_path / "outside" / "in.txt").write_text("came in"),
                 (tmp_path / "outside").rename(folder / "came_in")),  # a folder moved in from outside
        lambda: (folder / "came_in").rename(tmp_path / "went_out"),  # and out again
        lambda: (folder / "empty").mkdir(),
        lambda: ((tmp_path / "full").mkdir(), (tmp_path / "full" / "f.txt").write_text("in a folder moved over "),
                 (tmp_path / "full").rename(folder / "empty")),  # a folder moved over an empty one
        lambda: (folder / ".git" / "index").write_text("git's own, never sent"),
    ]
    for step in steps:
        step()
        _agrees(tracker, folder)
    assert tracker.full_scans == 1
    assert not any(path.startswith(".git") for path in tracker.manifest().entries)


def test_a_rewrite_with_the_same_size_and_time_is_not_taken_as_unchanged(tracker: FolderTracker,
                                                                         folder: Path) -> None:
    target = folder / "src" / "a.py"
    old = 1_600_000_000_000_000_000  # long ago: not a racy time
    os.utime(target, ns=(old, old))
    before = tracker.manifest().entries["src/a.py"]
    target.write_text("a = 9\n")  # the same size
    os.utime(target, ns=(old, old))  # and the time kept (cp -p, rsync -t)
    after = tracker.manifest().entries["src/a.py"]
    assert after[:4] == before[:4] and after != before
    assert tracker.manifest().entries["src/a.py"] == after  # and stable once seen


def test_a_file_written_just_now_never_compares_equal_to_another_manifest(folder: Path) -> None:
    """Two writes within one tick of the file system's clock, same size: the
    two scans must not agree on the file (edits in the same second)."""
    target = folder / "fresh.txt"
    target.write_text("one\n")
    first = scan(folder).entries["fresh.txt"]
    target.write_text("two\n")
    os.utime(target, ns=(first[2], first[2]))  # as if within the same tick
    assert scan(folder).entries["fresh.txt"] != first


def test_an_edit_through_a_hard_link_outside_the_folder_is_seen(tracker: FolderTracker, folder: Path,
                                                                 tmp_path: Path) -> None:
    inside = folder / "shared.txt"
    inside.write_text("v1\n")
    os.link(inside, tmp_path / "elsewhere.txt")
    _agrees(tracker, folder)
    (tmp_path / "elsewhere.txt").write_text("v2, longer\n")  # no event reaches the folder's watches
    assert tracker.manifest().entries["shared.txt"][1] == len("v2, longer\n")


def test_the_folder_replaced_as_a_whole_is_read_again(tracker: FolderTracker, folder: Path, tmp_path: Path) -> None:
    _agrees(tracker, folder)
    folder.rename(tmp_path / "old")
    folder.mkdir()
    (folder / "other.txt").write_text("another folder now\n")
    assert _plain(_agrees(tracker, folder)) == {"other.txt": _plain(scan(folder))["other.txt"]}
    assert tracker.full_scans == 2


def test_random_changes_agree_with_a_full_scan(tracker: FolderTracker, folder: Path) -> None:
    rng = random.Random(15)
    _agrees(tracker, folder)
    for _ in range(40):
        for _ in range(rng.randint(1, 12)):
            _random_change(rng, folder)
        _agrees(tracker, folder)
    assert tracker.full_scans == 1


def _random_change(rng: random.Random, root: Path) -> None:
    items = sorted(p for p in root.rglob("*") if ".git" not in p.parts)
    folders = [root] + [p for p in items if p.is_dir() and not p.is_symlink()]
    files = [p for p in items if p.is_file() and not p.is_symlink()]
    choice = rng.choice(["write", "write", "mkdir", "delete", "rename", "chmod", "rmtree", "append"])
    try:
        if choice == "write" or not files and choice in ("delete", "chmod", "append"):
            (rng.choice(folders) / f"f{rng.randint(0, 60)}.txt").write_text("x" * rng.randint(0, 50))
        elif choice == "append":
            with open(rng.choice(files), "a") as handle:
                handle.write("more")
        elif choice == "mkdir":
            (rng.choice(folders) / f"d{rng.randint(0, 20)}").mkdir(exist_ok=True)
        elif choice == "delete":
            rng.choice(files).unlink()
        elif choice == "chmod":
            rng.choice(files).chmod(rng.choice([0o644, 0o755, 0o600]))
        elif choice == "rmtree" and len(folders) > 1:
            shutil.rmtree(rng.choice(folders[1:]))
        elif choice == "rename" and items:
            source = rng.choice(items)
            destination = rng.choice(folders) / f"r{rng.randint(0, 40)}"
            if not destination.exists() and source not in destination.parents:
                source.rename(destination)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, OSError):
        pass  # a random step that makes no sense here (a parent just removed)


def test_a_folder_that_cannot_be_watched_is_read_in_full(folder: Path) -> None:
    states = FolderStates(watch=False)
    try:
        assert _plain(states.current("w1", folder)) == _plain(scan(folder))
        assert states.tracker("w1") is None
    finally:
        states.close()


def test_a_long_lived_process_keeps_one_watcher_per_workspace_until_removed(folder: Path, tmp_path: Path) -> None:
    states = FolderStates(watch=True)
    try:
        states.current("w1", folder)
        tracker = states.tracker("w1")
        assert tracker is not None
        (folder / "later.txt").write_text("later\n")
        assert "later.txt" in states.current("w1", folder).entries
        assert states.tracker("w1") is tracker and tracker.full_scans == 1
        other = tmp_path / "elsewhere"
        other.mkdir()
        assert states.current("w1", other).entries == {}  # the workspace's folder changed
        assert states.tracker("w1") is not tracker
        states.forget("w1")
        assert states.tracker("w1") is None
    finally:
        states.close()


def test_a_folder_past_the_watch_budget_is_read_in_full_instead(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A watcher takes at most a share of the user's inotify watches (editors
    need theirs): past it, the folder is read in full each time, correctly."""
    from desktop.snapshots import inotify

    monkeypatch.setattr(inotify, "watch_budget", lambda: 2)  # the folder has three folders
    states = FolderStates(watch=True)
    try:
        assert _plain(states.current("w1", folder)) == _plain(scan(folder))
        assert states.tracker("w1") is None
        (folder / "after.txt").write_text("seen by the full read\n")
        assert "after.txt" in states.current("w1", folder).entries
    finally:
        states.close()
