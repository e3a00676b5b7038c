"""Entry names: a safe relative path that extracts to the same place on Linux, Windows and macOS.

A name is ``/``-separated components, NFC-normalised, with no ``..``/``.``/empty component, no
leading ``/``, no backslash, NUL, control (C0 and C1), direction-override or Windows-reserved
characters, no Windows device names and no trailing dot or space (Windows would silently strip it
and make two names one file). A direction override would show ``record<U+202E>fdp.exe`` as
``recordexe.pdf``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from app.core.bundles.errors import DuplicateEntryError, LimitError, UnsafeNameError
from app.core.bundles.limits import Limits

_FORBIDDEN = set('\\:*?"<>|') | set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e")
_FORBIDDEN |= set("\u2066\u2067\u2068\u2069")
_DEVICE_NAMES = {"CON", "PRN", "AUX", "NUL"} | {
    f"{p}{i}" for p in ("COM", "LPT") for i in range(10)
}


def display_name(name: str) -> str:
    """``name`` quoted for a message: printable text kept (Chinese too), the rest escaped."""
    shown = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in name)
    return f"'{shown}'"


def check_name(name: str, limits: Limits) -> None:
    """Raise ``UnsafeNameError`` or ``LimitError`` unless ``name`` is a safe relative path."""
    shown = display_name(name)
    if not name:
        raise UnsafeNameError("entry name is empty")
    if len(name.encode("utf-8", errors="surrogatepass")) > limits.max_name_bytes:
        raise LimitError(f"entry name {shown} is longer than {limits.max_name_bytes} bytes")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        raise UnsafeNameError(f"entry name {shown} is not valid Unicode")
    if unicodedata.normalize("NFC", name) != name:
        raise UnsafeNameError(f"entry name {shown} is not NFC-normalised")
    if "\x00" in name:
        raise UnsafeNameError(f"entry name {shown} contains NUL")
    if "\\" in name:
        raise UnsafeNameError(f"entry name {shown} contains a backslash")
    if name.startswith("/"):
        raise UnsafeNameError(f"entry name {shown} is an absolute path")
    bad = sorted({c for c in name if c in _FORBIDDEN or ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F})
    if bad:
        raise UnsafeNameError(f"entry name {shown} contains {''.join(bad)!a}")
    parts = name.split("/")
    if len(parts) > limits.max_name_depth:
        raise LimitError(f"entry name {shown} has more than {limits.max_name_depth} levels")
    for part in parts:
        if part in ("", ".", ".."):
            raise UnsafeNameError(f"entry name {shown} has an empty, '.' or '..' component")
        if part[-1] in ". ":
            raise UnsafeNameError(f"entry name {shown} has a component ending in a dot or space")
        if part.split(".")[0].upper() in _DEVICE_NAMES:
            raise UnsafeNameError(f"entry name {shown} uses a reserved device name")


def check_unique(names: Iterable[str]) -> None:
    """Refuse names equal after case folding, and a name that is another's parent folder."""
    seen: dict[str, str] = {}
    for name in names:
        key = name.casefold()
        if key in seen:
            raise DuplicateEntryError(
                f"entry {display_name(name)} appears twice (also as {display_name(seen[key])})"
            )
        seen[key] = name
    folders = {key.rsplit("/", 1)[0] for key in seen if "/" in key}
    # Every ancestor of every name is a folder, not just the direct parent.
    ancestors: set[str] = set()
    for folder in folders:
        parts = folder.split("/")
        ancestors.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    clash = sorted(ancestors & seen.keys())
    if clash:
        raise DuplicateEntryError(
            f"entry {display_name(seen[clash[0]])} is both a file and a folder of other entries"
        )
