"""Which folders may become a workspace: never the disk, a home, the app's
data folder, nor any folder holding a home or the data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services.errors import UserError
from desktop.services.workspaces import check_folder


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "users" / "me"
    (folder / "project").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    return folder


def test_finding_6_a_parent_of_the_home_folder_is_refused(home: Path) -> None:
    for folder in (home, home.parent, Path("/")):
        with pytest.raises(UserError, match="too broad"):
            check_folder(str(folder))
    assert check_folder(str(home / "project")) == (home / "project").resolve()


def test_finding_6_a_parent_of_the_data_folder_is_refused(home: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "apps" / "share" / "aicode-manager"
    monkeypatch.setenv("AICODE_HOME", str(data))
    data.mkdir(parents=True)
    (tmp_path / "apps" / "project").mkdir(parents=True)
    for folder in (data.parent, data.parent.parent):
        with pytest.raises(UserError, match="holds AICode Manager's own data folder"):
            check_folder(str(folder))
    for folder in (data, data / "clones"):
        folder.mkdir(exist_ok=True)
        with pytest.raises(UserError, match="inside AICode Manager's own data folder"):
            check_folder(str(folder))
    assert check_folder(str(tmp_path / "apps" / "project")) == (tmp_path / "apps" / "project").resolve()


def test_a_relative_folder_is_taken_in_the_current_directory(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(home / "project")
    assert check_folder(".") == (home / "project").resolve()
