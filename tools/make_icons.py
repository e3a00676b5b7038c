"""Render resources/icons/proctor-desk.svg to the PNG and ICO files the builds use.

    python tools/make_icons.py

Qt's SVG renderer draws the 256 px image; Pillow scales it into the Windows icon's sizes.
The outputs are small and committed beside the SVG, as the packaging scripts read them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication(sys.argv)  # noqa: F841  (Qt's painting needs the application)
    renderer = QSvgRenderer(str(ICONS / "proctor-desk.svg"))
    if not renderer.isValid():
        sys.stderr.write("make_icons: the SVG does not render\n")
        return 1
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    png = ICONS / "proctor-desk-256.png"
    image.save(str(png))
    Image.open(png).save(ICONS / "proctor-desk.ico", sizes=[(s, s) for s in SIZES])
    print(f"make_icons: wrote {ICONS / 'proctor-desk-256.png'} and {ICONS / 'proctor-desk.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
