"""The menu entry, the AppStream metadata and the icons, as the tools that read them see them."""

from __future__ import annotations

import plistlib
import struct
import subprocess
import sys
from pathlib import Path

import desktop

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def test_the_desktop_entry_validates():
    done = subprocess.run(["desktop-file-validate", str(PACKAGING / "aicode-manager.desktop")],
                          capture_output=True, text=True)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_the_appstream_metadata_validates():
    done = subprocess.run(["appstreamcli", "validate", "--no-net", str(PACKAGING / "linux" / "aicode-manager.metainfo.xml")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_icons_render_for_every_platform(tmp_path: Path):
    subprocess.run([sys.executable, str(PACKAGING / "render_icons.py"), str(tmp_path)], check=True,
                   capture_output=True, timeout=60)
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert png_size((tmp_path / f"hicolor/{size}x{size}/apps/aicode-manager.png").read_bytes()) == (size, size)
    assert (tmp_path / "hicolor/scalable/apps/aicode-manager.svg").read_bytes() == \
        (ROOT / "resources/icons/app.svg").read_bytes()

    ico = (tmp_path / "aicode-manager.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, 7)
    sizes = []
    for index in range(count):
        width, _h, _c, _r, _planes, _bits, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * index:22 + 16 * index])
        assert png_size(ico[offset:offset + length])[0] == (width or 256)
        sizes.append(width or 256)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]

    icns = (tmp_path / "aicode-manager.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    position, kinds = 8, {}
    while position < len(icns):
        kind, length = icns[position:position + 4], struct.unpack(">I", icns[position + 4:position + 8])[0]
        kinds[kind.decode()] = png_size(icns[position + 8:position + length])[0]
        position += length
    assert kinds == {"ic07": 128, "ic08": 256, "ic09": 512, "ic10": 1024,
                     "ic11": 32, "ic12": 64, "ic13": 256, "ic14": 512}


def test_the_macos_info_plist_names_the_app_and_its_version():
    sys.path.insert(0, str(PACKAGING))
    try:
        import spec_platform
    finally:
        sys.path.remove(str(PACKAGING))
    info = plistlib.loads(plistlib.dumps(spec_platform.info_plist(desktop.__version__)))
    assert info["CFBundleExecutable"] == "aicode-desktop"
    assert info["CFBundleShortVersionString"] == desktop.__version__
    assert info["LSBackgroundOnly"] is False  # a windowed app, with a Dock icon
    assert spec_platform.version_tuple("1.2.3rc1") == (1, 2, 3, 0)
    assert spec_platform.version_tuple("2.0") == (2, 0, 0, 0)


def test_the_windows_installer_reads_what_the_workflow_makes():
    script = (PACKAGING / "windows" / "aicode-manager.iss").read_text(encoding="utf-8")
    workflow = (ROOT / ".github" / "workflows" / "build.yml").read_text(encoding="utf-8")
    assert r"SetupIconFile=..\..\build\icons\aicode-manager.ico" in script
    assert "python packaging/render_icons.py build/icons" in workflow
    assert '"/DAppVersion=${{ env.VERSION }}" packaging\\windows\\aicode-manager.iss' in workflow
    assert "#error" in script  # no default version
