"""Finds a CJK TrueType font for the UI and the PDF reports.

reportlab embeds TrueType (glyf) fonts only, so CFF fonts such as Noto Sans CJK are not
looked for. Order: ``$PROCTOR_DESK_FONT``, the Debian/Ubuntu WenQuanYi Micro Hei
(``fonts-wqy-microhei``), then the Windows SimHei and Microsoft YaHei.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "PROCTOR_DESK_FONT"


@dataclass(frozen=True)
class FontFile:
    path: Path
    subfont_index: int  # index inside a .ttc collection; 0 for a .ttf
    family: str


CANDIDATES: tuple[FontFile, ...] = (
    FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0, "WenQuanYi Micro Hei"),
    FontFile(Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"), 0, "WenQuanYi Micro Hei"),
    FontFile(Path("C:/Windows/Fonts/simhei.ttf"), 0, "SimHei"),
    FontFile(Path("C:/Windows/Fonts/msyh.ttc"), 0, "Microsoft YaHei"),
)


class FontNotFoundError(Exception):
    pass


def find_cjk_font() -> FontFile:
    """The first CJK TrueType font found; raises ``FontNotFoundError`` saying what was tried."""
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override)
        if path.is_file():
            return FontFile(path, 0, path.stem)
        raise FontNotFoundError(f"{ENV_VAR}={override}: no such font file")
    for candidate in CANDIDATES:
        if candidate.path.is_file():
            return candidate
    tried = ", ".join(str(c.path) for c in CANDIDATES)
    raise FontNotFoundError(
        "no Chinese TrueType font found (tried " + tried + "); install fonts-wqy-microhei "
        f"or set {ENV_VAR} to a .ttf/.ttc file"
    )
