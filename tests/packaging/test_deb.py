"""packaging/linux/build-deb.sh on a small stand-in bundle: the package's name, control
file and contents, without the minutes a real bundle takes (packaging/build.sh builds
that one and installs it in a clean Debian)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import desktop

ROOT = Path(__file__).resolve().parents[2]
BUILD_DEB = ROOT / "packaging" / "linux" / "build-deb.sh"
# One relation of a Depends: field: a name, maybe a version; alternatives with " | ".
RELATION = re.compile(r"[a-z0-9][a-z0-9+.-]+( \((>=|<=|>>|<<|=) [0-9][A-Za-z0-9.+~:-]*\))?")


def stand_in_bundle(folder: Path, version: str) -> Path:
    """A bundle's shape: an `aicode` that answers --version, an ELF `aicode-desktop`."""
    bundle = folder / "aicode-manager"
    (bundle / "_internal" / "resources" / "icons").mkdir(parents=True)
    (bundle / "aicode").write_text(f"#!/bin/sh\necho 'aicode {version}'\n")
    (bundle / "aicode").chmod(0o755)
    shutil.copy2("/bin/true", bundle / "aicode-desktop")  # needs libc6 from the system
    return bundle


def build(tmp_path: Path, version: str) -> subprocess.CompletedProcess:
    bundle = stand_in_bundle(tmp_path, version)
    env = dict(os.environ, AICODE_DEB_STAGE=str(tmp_path / "stage"), PY=sys.executable)
    return subprocess.run(["bash", str(BUILD_DEB), str(bundle), str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=120)


def field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    done = build(tmp_path_factory.mktemp("deb"), desktop.__version__)
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip().splitlines()[-1])


def test_the_name_and_control_file_carry_the_version(deb: Path):
    assert deb.name == f"aicode-manager_{desktop.__version__}_amd64.deb"
    assert field(deb, "Package") == "aicode-manager"
    assert field(deb, "Version") == desktop.__version__
    assert int(field(deb, "Installed-Size")) > 0


def test_depends_is_well_formed_and_derived(deb: Path):
    depends = [entry.strip() for entry in field(deb, "Depends").split(",")]
    for entry in depends:
        assert all(RELATION.fullmatch(alternative) for alternative in entry.split(" | ")), entry
    names = [entry.split()[0] for entry in depends]
    assert names[0] == "libc6"  # what the stand-in's ELF file loads, found by reading it
    assert {"git", "ca-certificates"} <= set(names)
    for name in ("Recommends", "Suggests"):
        for entry in field(deb, name).split(","):
            assert all(RELATION.fullmatch(alt) for alt in entry.strip().split(" | ")), entry
    assert "gnome-keyring" in field(deb, "Recommends")


def test_it_installs_the_bundle_the_commands_the_menu_entry_and_icons(deb: Path):
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    paths = {line.split()[5] for line in listing.splitlines()}
    assert {"./opt/aicode-manager/aicode", "./opt/aicode-manager/aicode-desktop",
            "./usr/share/applications/aicode-manager.desktop",
            "./usr/share/icons/hicolor/48x48/apps/aicode-manager.png",
            "./usr/share/icons/hicolor/scalable/apps/aicode-manager.svg",
            "./usr/share/metainfo/io.github.aicode_manager.aicodemanager.metainfo.xml",
            "./usr/share/doc/aicode-manager/copyright"} <= paths
    assert "./usr/bin/aicode -> /opt/aicode-manager/aicode" in listing
    assert "./usr/bin/aicode-desktop -> /opt/aicode-manager/aicode-desktop" in listing
    assert all(line.split()[1] == "root/root" for line in listing.splitlines())


def test_it_has_no_maintainer_scripts(deb: Path, tmp_path: Path):
    """Removal deletes the package's files and nothing else: no script touches the user's data."""
    subprocess.run(["dpkg-deb", "--control", str(deb), str(tmp_path / "control")], check=True)
    assert sorted(path.name for path in (tmp_path / "control").iterdir()) == ["control", "md5sums"]


def test_a_version_without_a_changelog_entry_is_refused(tmp_path: Path):
    done = build(tmp_path, "99.0.0")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == "build-deb.sh: CHANGELOG.md has no entry for 99.0.0"
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
