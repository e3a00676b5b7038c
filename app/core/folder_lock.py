"""One writer per data folder: a lock file held by the program that may write.

Two programs writing one folder (the app and a command, two commands, two first runs) would
race: on the schema when the folder is new, on paper-log numbers and the audit chain later
(SQLite then reports raw constraint errors). The writer holds an operating-system lock on
``writer.lock`` in the data folder for as long as it has the folder open (``fcntl.flock`` on
POSIX, ``msvcrt.locking`` on Windows); the system drops it when the program ends, even when it
is killed, so no stale lock is left. A second writer waits a few seconds for the first, then is
told which program holds the folder (its PID and name, written into the file). Commands that
only read take no lock: SQLite gives them a consistent snapshot meanwhile.

Within one program the lock is shared: the app's windows and threads open one folder several
times and SQLite serialises their transactions itself.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import UserError

LOCK_FILE = "writer.lock"
WAIT_SECONDS = 10.0
_POLL = 0.1
# On Windows a locked byte cannot be read by others either: lock one far past the holder's
# description, which stays readable at the start of the file.
_LOCKED_OFFSET = 1 << 30


class FolderBusyError(UserError):
    """Another program has the data folder open for writing."""


@dataclass
class _Held:
    fd: int
    count: int


_held: dict[str, _Held] = {}
_guard = threading.Lock()


def _key(folder: Path) -> str:
    return os.path.normcase(os.path.realpath(folder))


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCKED_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _describe_self() -> str:
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if program in ("__main__.py", "-c", "-m"):
        program = "proctor-desk"
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    return f"PID {os.getpid()}, {program}, since {started}"


def _holder(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            text = handle.read(200).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text.splitlines()[0] if text else "a program that has not said which"


def _busy(folder: Path, doing: str) -> FolderBusyError:
    return FolderBusyError(
        f"the data folder {folder} is in use by another program ({_holder(folder / LOCK_FILE)}) "
        f"that may write to it; close it (the app or the command) and try again; {doing}"
    )


def acquire(folder: Path, doing: str = "nothing was changed", *, alone: bool = False) -> None:
    """Hold the writer lock of ``folder`` (shared within this program, counted), waiting up to
    ``WAIT_SECONDS`` for another program to let it go; ``FolderBusyError`` after that. With
    ``alone`` (``restore`` replaces the database) it is refused also when this very program
    has the folder open."""
    key = _key(folder)
    with _guard:
        held = _held.get(key)
        if held is not None:
            if alone:
                raise FolderBusyError(
                    f"the data folder {folder} is in use by this program; close it and try "
                    f"again; {doing}"
                )
            held.count += 1
            return
        _held[key] = _Held(_lock_file(folder, doing), 1)


def release(folder: Path) -> None:
    """Let go of one hold taken by ``acquire``; the last one unlocks the folder."""
    key = _key(folder)
    with _guard:
        held = _held.get(key)
        if held is None:
            return
        held.count -= 1
        if held.count == 0:
            del _held[key]
            os.close(held.fd)  # closing the descriptor drops the lock


def _lock_file(folder: Path, doing: str) -> int:
    path = folder / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + WAIT_SECONDS
    while not _try_lock(fd):
        if time.monotonic() >= deadline:
            os.close(fd)
            raise _busy(folder, doing)
        time.sleep(_POLL)
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, (_describe_self() + "\n").encode("utf-8"))
    except OSError:
        pass  # the description is a courtesy to the next program; the lock is what counts
    return fd
