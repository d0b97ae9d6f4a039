"""The spec's per-platform parts, kept out of aicode.spec so each stays about one thing.

aicode.spec imports this module and asks it for:

* ``exe_options(version, description)``: on Windows, the executable's icon and
  version resource (what Explorer's Properties and the installer show); nothing
  elsewhere.
* ``macos_bundle(collected, version)``: on macOS, ``AICode Manager.app`` around the
  one-folder bundle, with its icon and Info.plist; nothing elsewhere.

The icons are rendered from resources/icons/app.svg at build time
(``render_icons.py``). Both platforms are built by the GitHub Actions workflow
(.github/workflows/build.yml), never on the Linux development machine: this
module's Linux-testable parts (the version tuple, the Info.plist keys, the
version resource) are checked by tests/test_packaging.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
APP_NAME = "AICode Manager"
BUNDLE_ID = "io.github.aicode-manager.aicodemanager"
COPYRIGHT = "Copyright the AICode Manager authors (MIT)"


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows' version resource holds: 1.2.3rc1 -> (1, 2, 3, 0)."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    if release is None:
        raise ValueError(f"{version!r} does not start with a release number")
    numbers = [int(part) for part in release.group().split(".")]
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def info_plist(version: str) -> dict[str, object]:
    """What the .app's Info.plist says beyond PyInstaller's defaults.

    The GUI is the bundle's executable (the CLI, ``aicode``, sits beside it in
    Contents/MacOS); LSBackgroundOnly is set False because PyInstaller would set it
    True when the last executable collected (the CLI) is a console one.
    """
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleExecutable": "aicode-desktop",
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "LSBackgroundOnly": False,
        "LSMinimumSystemVersion": "11.0",
        "LSApplicationCategoryType": "public.app-category.developer-tools",
        "NSHighResolutionCapable": True,
        "NSHumanReadableCopyright": COPYRIGHT,
        "NSRequiresAquaSystemAppearance": False,  # follows the system's dark mode
    }


def windows_version_resource(version: str, description: str):
    """PyInstaller's VSVersionInfo for one executable."""
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    numbers = version_tuple(version)
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            StringFileInfo([StringTable("040904B0", [
                StringStruct("CompanyName", "AICode Manager"),
                StringStruct("FileDescription", description),
                StringStruct("FileVersion", version),
                StringStruct("LegalCopyright", COPYRIGHT),
                StringStruct("ProductName", APP_NAME),
                StringStruct("ProductVersion", version),
            ])]),
            VarFileInfo([VarStruct("Translation", [0x0409, 1200])]),
        ],
    )


def rendered_icons(workpath: Path) -> Path:
    """The folder render_icons.py wrote the .ico and .icns into (rendered once per build)."""
    folder = workpath / "icons"
    if not (folder / "aicode-manager.ico").is_file():
        subprocess.run([sys.executable, str(HERE / "render_icons.py"), str(folder)], check=True)
    return folder


def exe_options(version: str, description: str, workpath: Path) -> dict[str, object]:
    if sys.platform != "win32":
        return {}
    return {
        "icon": str(rendered_icons(workpath) / "aicode-manager.ico"),
        "version": windows_version_resource(version, description),
    }


def macos_bundle(collected, version: str, workpath: Path):
    """``AICode Manager.app`` around the COLLECT on macOS; None elsewhere."""
    if sys.platform != "darwin":
        return None
    from PyInstaller.building.osx import BUNDLE

    return BUNDLE(
        collected,
        name=f"{APP_NAME}.app",
        icon=str(rendered_icons(workpath) / "aicode-manager.icns"),
        bundle_identifier=BUNDLE_ID,
        version=version,
        info_plist=info_plist(version),
    )


def read_version(root: Path) -> str:
    """desktop.__version__ as written in ``root``'s desktop/__init__.py (read, not imported)."""
    import ast

    tree = ast.parse((root / "desktop" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise SystemExit(f"no __version__ in {root / 'desktop' / '__init__.py'}")
