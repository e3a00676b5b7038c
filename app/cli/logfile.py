"""The command line logs like the app: to ``<data folder>/logs/proctor-desk.log``.

The log file is opened only in a data folder that holds something (a command that only looks
must not create one, nor leave a file in an empty one); a command that fills the folder logs
there once it has (what came before is held until then), and an unexpected error with no data
folder is logged in the system's temporary folder instead, so there is always a file to name.
``--verbose`` also writes what is logged to stderr, an unexpected error's traceback included;
without it the person sees one line naming the file.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.core.logs import close_logging, log, log_path, setup_logging

FALLBACK_DIR = "proctor-desk"  # in the temporary folder, when no data folder exists


def _data_folder(args: argparse.Namespace) -> Path:
    from app.core.paths import data_dir

    return data_dir(getattr(args, "data_dir", None), create=False)


@contextmanager
def command_logging(args: argparse.Namespace) -> Iterator[None]:
    """Log the command's run to the data folder's log (and to stderr with ``--verbose``)."""
    verbose = bool(getattr(args, "verbose", False))
    echo: logging.Handler | None = None
    if verbose:
        echo = logging.StreamHandler(sys.stderr)
        echo.setFormatter(logging.Formatter("proctor-desk: %(levelname)s: %(message)s"))
        echo.setLevel(logging.DEBUG)
        log.addHandler(echo)
    folder = _data_folder(args)
    held: logging.handlers.BufferingHandler | None = None
    if _in_use(folder):
        setup_logging(folder)
    else:
        held = logging.handlers.BufferingHandler(10_000)
        log.addHandler(held)
    log.setLevel(logging.DEBUG if verbose else logging.INFO)
    log.info("command: %s (data folder %s)", _command_words(args), folder)
    started = time.monotonic()
    try:
        yield
    finally:
        log.info("finished in %.1f s", time.monotonic() - started)
        if held is not None:
            log.removeHandler(held)
            if log_path() is None and _in_use(folder):  # the command filled the folder
                setup_logging(folder)
                _write_held(held)
        close_logging()
        if echo is not None:
            log.removeHandler(echo)


def _in_use(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


def _write_held(held: logging.handlers.BufferingHandler) -> None:
    for handler in log.handlers:
        if isinstance(handler, logging.FileHandler):
            for record in held.buffer:
                handler.handle(record)


def _command_words(args: argparse.Namespace) -> str:
    """``bundle export``: the command and its subcommand, never the arguments (file names of
    people's data, and nothing secret ever goes on the command line anyway)."""
    words = [str(args.command)]
    for name, value in vars(args).items():
        if name.endswith("_command") and isinstance(value, str):
            words.append(value)
    return " ".join(words)


def log_unexpected(exc: BaseException, args: argparse.Namespace) -> Path:
    """Write ``exc`` with its traceback to the log file; the file's path."""
    path = log_path()
    if path is None:
        folder = _data_folder(args)
        if not folder.is_dir():
            folder = Path(tempfile.gettempdir()) / FALLBACK_DIR
        path = setup_logging(folder)
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return path
