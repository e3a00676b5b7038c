"""A throwaway PostgreSQL server for the tests: its own cluster in a temporary folder, reached
through a Unix socket only (no TCP listener), stopped and removed at the end of the run.

``make test`` installs Debian's ``postgresql``; if the server cannot start, the tests that need
it fail (never skip) and say why. Every step has a timeout: a test can fail but never hang.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STEP_SECONDS = 60


class ServerError(RuntimeError):
    """The throwaway server could not be started or reached."""


@dataclass(frozen=True)
class Server:
    base: Path
    socket_dir: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def libpq(self, database: str = "postgres") -> str:
        return f"dbname={database} user=postgres host={self.socket_dir} port={self.port}"


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise ServerError(
        "PostgreSQL's initdb was not found: install Debian's postgresql (make test does)"
    )


def _version_key(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    # Only names the socket file (.s.PGSQL.<port>); the server listens on no TCP port.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        raise ServerError("running as root without runuser: cannot start PostgreSQL")
    return [runuser, "-u", "postgres", "--", *command]


def _run(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=STEP_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise ServerError(f"{what} took more than {STEP_SECONDS} s") from None
    if done.returncode != 0:
        raise ServerError(f"{what} failed: {(done.stderr or done.stdout).strip()[-800:]}")


@contextmanager
def running_server() -> Iterator[Server]:
    """Start a server in a new temporary folder; stop it and remove the folder afterwards."""
    bindir = _bindir()
    # Under /tmp itself: pytest's own folders are private to the test user (mode 0700), and a
    # socket path must stay short (about 100 bytes).
    base = Path(tempfile.mkdtemp(prefix="pd-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    server = Server(base, sockets, port)
    started = False
    try:
        _run(
            _as_server_user(
                [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                 "-E", "UTF8", "--locale=C", "--no-sync"]
            ),
            "initdb",
        )  # fmt: skip
        options = f"-k {sockets} -c listen_addresses='' -p {port} -F"
        _run(
            _as_server_user(
                [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                 str(base / "server.log"), "-w", "-t", str(STEP_SECONDS), "start"]
            ),
            "pg_ctl start",
        )  # fmt: skip
        started = True
        yield server
    finally:
        if started:
            _run(
                _as_server_user(
                    [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
                ),
                "pg_ctl stop",
            )
        shutil.rmtree(base, ignore_errors=True)


def new_database(server: Server) -> str:
    """A new empty database on ``server``; its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server.libpq(), autocommit=True, connect_timeout=10) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return server.url(name)
