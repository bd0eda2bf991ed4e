"""Renders the app's SVG icon into the files installers embed: NAME.ico (Windows), NAME.icns (macOS) and
NAME-<N>.png for each --png N (the Linux icon theme's fixed sizes).

    python packaging/make_icons.py resources/ptt-app.svg build/icons [--png 256 ...]

It uses Qt's SVG renderer, the one the running app draws the same SVG with, so the installers' icons
match the window's on every platform and no ImageMagick, librsvg or iconutil is needed. The output
is byte-for-byte the same on every run (no timestamps), which the reproducible .deb relies on.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

# Windows picks among these by DPI; 256 is stored as PNG (as Windows expects), the rest as 32-bit
# bitmaps, which every Windows tool and Inno Setup read.
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)
ICO_PNG_FROM = 256
# PNG-carrying ICNS types (macOS 10.7+): type -> pixel size.
ICNS_TYPES = (
    ("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256), ("ic09", 512),
    ("ic10", 1024), ("ic11", 32), ("ic12", 64), ("ic13", 256), ("ic14", 512),
)


def _qt():
    # Offscreen: this runs on build machines without a display. Imported late so that --help works
    # without Qt.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    return app, QBuffer, QByteArray, QIODevice, Qt, QImage, QPainter, QSvgRenderer


class Renderer:
    def __init__(self, svg: Path) -> None:
        (self._app, self._QBuffer, self._QByteArray, self._QIODevice, self._Qt, self._QImage,
         self._QPainter, svg_renderer) = _qt()
        self._svg = svg_renderer(str(svg))
        if not self._svg.isValid():
            raise SystemExit(f"make_icons: {svg} is not an SVG that Qt can render")
        self._cache: dict[int, object] = {}

    def image(self, size: int):
        """The icon as a size x size RGBA image (straight alpha)."""
        if size not in self._cache:
            image = self._QImage(size, size, self._QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(self._Qt.GlobalColor.transparent)
            painter = self._QPainter(image)
            painter.setRenderHint(self._QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(self._QPainter.RenderHint.SmoothPixmapTransform)
            self._svg.render(painter)
            painter.end()
            self._cache[size] = image.convertToFormat(self._QImage.Format.Format_RGBA8888)
        return self._cache[size]

    def png(self, size: int) -> bytes:
        data = self._QByteArray()
        buffer = self._QBuffer(data)
        buffer.open(self._QIODevice.OpenModeFlag.WriteOnly)
        if not self.image(size).save(buffer, "PNG"):
            raise SystemExit(f"make_icons: could not encode a {size} px PNG")
        buffer.close()
        return bytes(data.data())

    def rgba(self, size: int) -> bytes:
        image = self.image(size)
        row = size * 4
        bits = bytes(image.constBits())
        # Rows may be padded to 32-bit boundaries; RGBA8888 rows already are, but do not assume it.
        stride = image.bytesPerLine()
        return b"".join(bits[y * stride : y * stride + row] for y in range(size))


def ico(renderer: Renderer) -> bytes:
    images = []
    for size in ICO_SIZES:
        if size >= ICO_PNG_FROM:
            images.append(renderer.png(size))
            continue
        rgba = renderer.rgba(size)
        rows = [rgba[y * size * 4 : (y + 1) * size * 4] for y in range(size)]
        # Bitmaps are stored bottom-up in BGRA order, followed by a 1-bit mask (set = transparent) that
        # only pre-alpha Windows reads, each mask row padded to 32 bits.
        xor = b"".join(
            bytes(b for i in range(0, len(row), 4) for b in (row[i + 2], row[i + 1], row[i], row[i + 3]))
            for row in reversed(rows)
        )
        mask_row = (size + 31) // 32 * 4
        mask = bytearray()
        for row in reversed(rows):
            bits = bytearray(mask_row)
            for x in range(size):
                if row[x * 4 + 3] == 0:
                    bits[x // 8] |= 0x80 >> (x % 8)
            mask += bits
        header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(xor) + len(mask), 0, 0, 0, 0)
        images.append(header + xor + bytes(mask))
    out = bytearray(struct.pack("<HHH", 0, 1, len(images)))
    offset = 6 + 16 * len(images)
    for size, data in zip(ICO_SIZES, images, strict=True):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    for data in images:
        out += data
    return bytes(out)


def icns(renderer: Renderer) -> bytes:
    body = b"".join(
        kind.encode("ascii") + struct.pack(">I", 8 + len(png)) + png
        for kind, png in ((kind, renderer.png(size)) for kind, size in ICNS_TYPES)
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("svg", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--png", type=int, action="append", default=[], metavar="N",
                        help="also write NAME-N.png, N x N pixels (repeatable)")
    args = parser.parse_args(argv)
    renderer = Renderer(args.svg)
    args.outdir.mkdir(parents=True, exist_ok=True)
    name = args.svg.stem
    outputs = {f"{name}.ico": ico(renderer), f"{name}.icns": icns(renderer)}
    outputs.update({f"{name}-{size}.png": renderer.png(size) for size in args.png})
    for file_name, data in outputs.items():
        path = args.outdir / file_name
        # Rewriting an unchanged file would only bump its time and make PyInstaller rebuild the EXE.
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
