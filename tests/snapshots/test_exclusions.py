"""Paths that never travel: what an entry may be, what it leaves out of the
scan, the watcher and git's view in the container alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.snapshots.exclusions import Exclusions, check_entries, check_entry
from desktop.snapshots.manifest import scan
from desktop.snapshots.tracker import FolderTracker


@pytest.mark.parametrize("given, stored", [
    ("node_modules", "node_modules"), ("./data/raw/", "data/raw"), ("*.log", "*.log"), ("build?", "build?"),
    ("a b/c", "a b/c"),
])
def test_entries_are_stored_plainly(given: str, stored: str) -> None:
    assert check_entry(given) == stored


@pytest.mark.parametrize("given", [
    "", "/", "/etc", "../up", "data/../..", "~/x", "a//b", ".git", "data/*.csv", "[ab]", "!keep", "#c", "a\\b",
    "new\nline", "x" * 201,
])
def test_entries_that_could_mean_something_else_are_refused(given: str) -> None:
    with pytest.raises(ValueError):
        check_entry(given)


def test_at_most_a_hundred_entries_and_no_repeats() -> None:
    assert check_entries(["a", "a/", "./a", "b"]) == ("a", "b")
    with pytest.raises(ValueError):
        check_entries([f"n{i}" for i in range(101)])


def test_a_name_goes_at_any_depth_a_path_only_from_the_top(tmp_path: Path) -> None:
    for path in ("node_modules/x/i.js", "src/node_modules/y.js", "src/a.log", "src/a.py", "data/raw/r.csv",
                 "src/data/raw/kept.csv", "data/other.csv"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(path)
    rules = Exclusions(("node_modules", "*.log", "data/raw"))
    files = {p for p, e in scan(tmp_path, rules).entries.items() if e[0] == "f"}
    assert files == {"src/a.py", "src/data/raw/kept.csv", "data/other.csv"}
    assert rules.git_patterns() == "node_modules\n*.log\n/data/raw\n"


def test_the_watcher_leaves_out_the_same(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    rules = Exclusions(("cache", "*.tmp"))
    tracker = FolderTracker(tmp_path, rules)
    try:
        tracker.manifest()
        (tmp_path / "cache" / "deep").mkdir(parents=True)
        (tmp_path / "cache" / "deep" / "c.bin").write_text("c")
        (tmp_path / "src" / "x.tmp").write_text("t")
        (tmp_path / "src" / "kept.py").write_text("k")
        assert set(tracker.manifest().entries) == {"src", "src/kept.py"} == set(scan(tmp_path, rules).entries)
    finally:
        tracker.close()
