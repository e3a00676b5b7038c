"""Finds the CJK TrueType fonts for the UI and the PDF reports.

reportlab embeds TrueType (glyf) fonts only, so CFF fonts such as Noto Sans CJK are not
looked for. The main font, in this order: ``$PROCTOR_DESK_FONT``, the Debian/Ubuntu
WenQuanYi Micro Hei (``fonts-wqy-microhei``), then the Windows SimHei and Microsoft YaHei.

None of those has the rarer ideographs of names (CJK Extensions A to G: 䶮 U+4DAE,
𠮷 U+20BB7, 𫖯 U+2B5AF …), so the fallback fonts draw the characters the main font lacks:
``$PROCTOR_DESK_FALLBACK_FONTS`` (paths separated by ``os.pathsep``; set but empty, none), else
Debian's HanaMinA and HanaMinB (``fonts-hanazono``) and the Windows SimSun-ExtB and SimSun-ExtG.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

ENV_VAR = "PROCTOR_DESK_FONT"
FALLBACK_ENV_VAR = "PROCTOR_DESK_FALLBACK_FONTS"
# What to install when a character is in none of the fonts (said by the reports' refusal).
FALLBACK_ADVICE = (
    "install fonts-hanazono (Debian/Ubuntu: HanaMinA, HanaMinB) or, on Windows, "
    "SimSun-ExtB and SimSun-ExtG"
)
FALLBACK_ADVICE_ZH = (
    "请安装 fonts-hanazono（Debian/Ubuntu：HanaMinA、HanaMinB），Windows 上安装 "
    "SimSun-ExtB 和 SimSun-ExtG"
)


class FontFile(NamedTuple):  # not a dataclass: read before the first window shows
    path: Path
    subfont_index: int  # index inside a .ttc collection; 0 for a .ttf
    family: str


CANDIDATES: tuple[FontFile, ...] = (
    FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0, "WenQuanYi Micro Hei"),
    FontFile(Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"), 0, "WenQuanYi Micro Hei"),
    FontFile(Path("C:/Windows/Fonts/simhei.ttf"), 0, "SimHei"),
    FontFile(Path("C:/Windows/Fonts/msyh.ttc"), 0, "Microsoft YaHei"),
)


# Tried in this order for each character the main font lacks; every one found is used.
FALLBACK_CANDIDATES: tuple[FontFile, ...] = (
    FontFile(Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"), 0, "HanaMinA"),
    FontFile(Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"), 0, "HanaMinB"),
    FontFile(Path("C:/Windows/Fonts/simsunb.ttf"), 0, "SimSun-ExtB"),
    FontFile(Path("C:/Windows/Fonts/SimsunExtG.ttf"), 0, "SimSun-ExtG"),
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


def find_fallback_fonts() -> tuple[FontFile, ...]:
    """The fallback fonts present, in the order they are tried (none found: empty)."""
    override = os.environ.get(FALLBACK_ENV_VAR)
    if override is not None:
        paths = [Path(part) for part in override.split(os.pathsep) if part.strip()]
        return tuple(FontFile(path, 0, path.stem) for path in paths if path.is_file())
    return tuple(candidate for candidate in FALLBACK_CANDIDATES if candidate.path.is_file())
