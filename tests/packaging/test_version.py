"""The version lives in one place (desktop.__version__) and the changelog keeps up with it."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import desktop

ROOT = Path(__file__).resolve().parents[2]
HEADING = re.compile(r"^## \[([^\]]+)\] - (\d{4}-\d{2}-\d{2})$", re.MULTILINE)


def test_pyproject_reads_the_version_from_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "desktop.__version__"}


def test_the_spec_reads_the_same_version():
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import spec_platform
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    assert spec_platform.read_version(ROOT) == desktop.__version__


def test_the_newest_changelog_entry_is_the_version():
    entries = HEADING.findall((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert entries, "CHANGELOG.md has no '## [X.Y.Z] - YYYY-MM-DD' entry"
    assert entries[0][0] == desktop.__version__
    versions = [tuple(int(n) for n in re.findall(r"\d+", version)[:3]) for version, _date in entries]
    assert versions == sorted(versions, reverse=True), "entries are not newest first"
    assert len(set(versions)) == len(versions), "a version has two entries"


def test_no_packaging_file_writes_the_version_down():
    """Each of them reads it (from the bundle, the spec, the workflow): no copy to forget."""
    written = re.compile(rf"(?<![\d.]){re.escape(desktop.__version__)}(?![\d.])")
    files = [path for folder in ("packaging", ".github") for path in (ROOT / folder).rglob("*")
             if path.is_file() and "__pycache__" not in path.parts]
    assert files
    copies = [str(path.relative_to(ROOT)) for path in files if written.search(path.read_text(errors="replace"))]
    assert copies == []
