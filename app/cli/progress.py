"""A progress line on stderr for long commands (``\\r导入 3/50 …``), only on a terminal.

Scripts and tests read stdout (often JSON) and may capture stderr: when stderr is not a
terminal nothing extra is written. The core reports progress through a callback and never
prints; this module turns those calls into the line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

Progress = Callable[..., None]  # (done, total, *anything the core adds, such as a file name)


def shows_progress(stream: TextIO) -> bool:
    """Whether a progress line belongs on ``stream``: only on a terminal."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def progress_line(
    label: str, stream: TextIO | None = None, *, percent: bool = False
) -> Progress | None:
    """A callback writing ``\\r<label> done/total …`` (or ``45%`` with ``percent``, for bytes)
    to ``stream`` (stderr), ending the line when done reaches total; None when ``stream`` is
    not a terminal."""
    import sys

    out = stream if stream is not None else sys.stderr
    if not shows_progress(out):
        return None

    def report(done: int, total: int, *_: object) -> None:
        if total <= 0:
            return
        end = "\n" if done >= total else ""
        shown = f"{100 * done // total}%" if percent else f"{done}/{total}"
        out.write(f"\r{label} {shown} …{end}")
        out.flush()

    return report
