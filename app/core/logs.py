"""The log file the app and the command line share: ``<data folder>/logs/proctor-desk.log``.

Rotated at 1 MB, five old files kept. What goes there: unexpected errors with their traceback,
refused actions, and what the core notes as it works (backups written, restores). The GUI sets
it up after its first paint (``app.ui.errors``), the CLI around each command (``app.cli.main``);
neither shows a traceback to the person, who is told where this file is instead.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

LOG_DIR = "logs"
LOG_FILE = "proctor-desk.log"
LOGGER = "proctor_desk"  # the core's loggers are its children: proctor_desk.backups …
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

log = logging.getLogger(LOGGER)
_log_path: Path | None = None


def _file_handler(path: Path) -> logging.Handler:
    """The rotating log file. One that cannot be written (a full disk) costs its lines, never
    a traceback on the person's screen (logging's default) nor the work being done."""
    import logging.handlers

    class QuietHandler(logging.handlers.RotatingFileHandler):
        def handleError(self, record: logging.LogRecord) -> None:
            pass

    return QuietHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")


def log_folder(data_dir: Path) -> Path:
    return Path(data_dir) / LOG_DIR


def setup_logging(data_dir: Path) -> Path:
    """Log to ``<data_dir>/logs/proctor-desk.log`` (rotated at 1 MB, 5 kept); return the path.

    Replaces the log file set before, if any.
    """
    global _log_path
    folder = log_folder(data_dir)
    path = folder / LOG_FILE
    close_logging()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = _file_handler(path)
    except OSError:  # a full disk, a read-only folder: the work goes on without a log
        return path
    handler.setFormatter(logging.Formatter(FORMAT))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    _log_path = path
    return path


def close_logging() -> None:
    """Stop writing to the log file (the command line closes it after each command)."""
    global _log_path
    for handler in list(log.handlers):
        if isinstance(handler, logging.FileHandler):
            log.removeHandler(handler)
            # OSError: its last lines could not be written (a full disk).
            with contextlib.suppress(OSError):
                handler.close()
    _log_path = None


def log_path() -> Path | None:
    """The log file in use, or None before ``setup_logging``."""
    return _log_path
