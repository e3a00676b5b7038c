"""Cell text as people type it: full-width digits, stray spaces, mixed case."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """NFKC (full-width ``１２Ｘ`` → ``12X``, no-break spaces → spaces), trimmed, case-folded."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def clean(text: str) -> str:
    """NFKC and trimmed, case kept: for values compared or stored as codes."""
    return unicodedata.normalize("NFKC", text).strip()


def compact(text: str) -> str:
    """``clean`` with every inner space removed: for numbers people group with spaces."""
    return "".join(clean(text).split())
