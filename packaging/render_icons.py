"""Render resources/icons/app.svg into the icon files each platform's package wants.

    .venv/bin/python packaging/render_icons.py OUT_DIR

writes, from the one SVG (so no binary icon is kept in the repository):

* ``hicolor/<N>x<N>/apps/aicode-manager.png`` for the freedesktop sizes, and
  ``hicolor/scalable/apps/aicode-manager.svg`` (the .deb, the AppDir);
* ``aicode-manager.ico`` (Windows: PyInstaller's icon and Inno Setup's);
* ``aicode-manager.icns`` (macOS: the .app bundle's icon).

Qt draws (its SVG renderer, offscreen: no display, no extra tool); the ICO and
ICNS files are PNG images in the formats' simple containers, written here. Exits non-zero if any file could not be written.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

NAME = "aicode-manager"
SOURCE = Path(__file__).resolve().parent.parent / "resources" / "icons" / "app.svg"
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an .ico holds
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)


def render(svg: Path, size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons.py: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("render_icons.py: could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO of PNG images (Windows Vista and later read PNG entries): a header,
    one 16-byte entry per size, then the images."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    entries, images = b"", b""
    offset = len(header) + 16 * len(pngs)
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(images))
        images += png
    return header + entries + images


# ICNS types that hold a PNG of the given side (the @2x ones are Retina variants).
ICNS_TYPES = {
    b"ic07": 128, b"ic08": 256, b"ic09": 512, b"ic10": 1024,
    b"ic11": 32, b"ic12": 64, b"ic13": 256, b"ic14": 512,
}


def icns(pngs: dict[int, bytes]) -> bytes:
    """An ICNS of PNG entries: 'icns', the file's length, then (type, length, data) blocks."""
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[side])) + pngs[side] for kind, side in ICNS_TYPES.items())
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["render_icons"])  # noqa: F841 - fonts, image plugins
    for size in HICOLOR_SIZES:
        folder = out / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        if not render(SOURCE, size).save(str(folder / f"{NAME}.png"), "PNG"):
            raise SystemExit(f"render_icons.py: could not write {folder / NAME}.png")
    scalable = out / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable / f"{NAME}.svg")
    (out / f"{NAME}.ico").write_bytes(ico({size: png_bytes(render(SOURCE, size)) for size in ICO_SIZES}))
    (out / f"{NAME}.icns").write_bytes(icns({size: png_bytes(render(SOURCE, size)) for size in ICNS_SIZES}))
    print(f"render_icons.py: {len(HICOLOR_SIZES)} PNG sizes, the SVG, .ico and .icns in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
