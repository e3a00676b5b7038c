"""SQLite's write-ahead log copied into the database file after a bulk write, in the background.

SQLite appends each commit to its log (the ``-wal`` file) and, once the log passes 1,000 pages,
the committing connection copies it into the database file before the commit returns (a
checkpoint): for an import of 10,000 records, about a third of its commit. The commit is
durable without it (the log is synced first), so a bulk write commits with that automatic
checkpoint off (``dialect.checkpoint_later``) and this copies the log on a connection of its
own, while the program goes on. Closing the workspace waits for it. A crash meanwhile loses
nothing: SQLite replays the log when the database is next opened.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

_log = logging.getLogger("proctor_desk.database")
_BUSY_MS = 10_000


class BackgroundCheckpoint:
    """One checkpoint at a time of the SQLite database at ``path``."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.wait()  # the one before it first: two would only queue behind each other
        self._thread = threading.Thread(
            target=self._run, name="sqlite-checkpoint", daemon=False
        )
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        try:
            connection = sqlite3.connect(self._path, timeout=_BUSY_MS / 1000)
            try:
                # PASSIVE: copies what it can without waiting for readers or blocking writers.
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                connection.close()
        except sqlite3.Error:  # housekeeping: the next commit or the last close copies it
            _log.warning("the database log could not be copied into its file yet", exc_info=True)
