"""A durability probe: a child process saves and signs incidents in a loop and is killed with
SIGKILL at seeded random moments; afterwards nothing it reported as saved may be missing.

Used by the crash test (``tests/e2e/test_crash.py``) and ``benchmarks/crash.py``. POSIX only:
the child is forked after the imports, so each trial costs milliseconds, not a start-up.

A process crash, not a power cut: the operating system's cache survives SIGKILL (see
``benchmarks/crash.py`` for what covers power loss).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import select
import signal
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.core.demo.seed import DEMO_PIN
from app.core.records.content import IncidentDraft
from app.core.records.db import DB_FILE
from app.core.records.service import Workspace

INK = [[(10.0, 10.0, 0.0, 0.5), (60.0, 30.0, 40.0, 0.7), (120.0, 12.0, 80.0, 0.4)]]


@dataclass
class CrashReport:
    kills: int = 0
    saved: int = 0  # incidents the child reported as saved (created, signed, confirmed)
    lost: list[str] = field(default_factory=list)  # reported saved but missing or incomplete
    integrity: list[str] = field(default_factory=list)  # PRAGMA integrity_check failures
    verify_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.integrity or self.verify_problems)


def _writer(data_dir: Path, session_id: str, out_fd: int) -> None:
    """The child: create, sign twice, acknowledge, confirm; report each completed step on
    ``out_fd``."""
    ws = Workspace.open(data_dir)
    staff = ws.staff(session_id)
    admins = [s for s in staff if s.role == "exam_admin"]
    head = next(s for s in staff if s.role == "site_head")
    candidates = ws.candidates(session_id)
    when = dt.datetime(2024, 6, 15, 1, 30, tzinfo=dt.UTC)
    os.write(out_fd, b"ready\n")
    n = 0
    while True:
        draft = IncidentDraft(
            party="candidate",
            occurred_at=when + dt.timedelta(seconds=n),
            subject="理论知识",
            person_id=candidates[n % len(candidates)].id,
            clause="6.1",
            description=f"使用规定以外的电子设备 #{n}",
        )
        incident = ws.create_incident(session_id, draft)
        ws.sign(incident.id, admins[0].id, INK, DEMO_PIN)
        ws.sign(incident.id, admins[1].id, INK, DEMO_PIN)
        ws.acknowledge(incident.id, INK)
        ws.confirm(incident.id, head.id, INK, DEMO_PIN)
        os.write(out_fd, f"saved {incident.id}\n".encode())
        n += 1


def _trial(data_dir: Path, session_id: str, delay: float) -> list[str]:
    """Fork a writer, kill it ``delay`` seconds into its saving loop; the ids it reported saved.

    The delay runs from the writer's "ready" (after it opened the database), so every kill lands
    in the loop, whatever the machine's load does to start-up time.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            _writer(data_dir, session_id, write_fd)
        finally:
            os._exit(1)
    os.close(write_fd)
    chunks = [_until_ready(read_fd)]
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    lines = b"".join(chunks).decode().splitlines()
    return [line.split()[1] for line in lines if line.startswith("saved ")]


def _until_ready(read_fd: int, timeout: float = 60.0) -> bytes:
    """Read the writer's output until it says it is ready (or has died)."""
    received = b""
    deadline = time.monotonic() + timeout
    while b"ready\n" not in received and time.monotonic() < deadline:
        ready, _, _ = select.select([read_fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        chunk = os.read(read_fd, 65536)
        if not chunk:  # the writer died before it was ready
            break
        received += chunk
    return received


def _complete(ws: Workspace, incident_id: str) -> bool:
    try:
        detail = ws.incident(incident_id)
    except Exception:
        return False
    kinds = sorted(s["kind"] for s in detail["signatures"])
    return (
        detail["status"] == "confirmed"
        and detail["seal"] is not None
        and kinds == ["acknowledge", "confirm", "staff", "staff"]
    )


def run_crash_trials(
    data_dir: Path, session_id: str, *, kills: int, seed: int, max_delay: float = 0.25
) -> CrashReport:
    """Kill a writer ``kills`` times at seeded random moments and check what survived."""
    rng = random.Random(seed)
    report = CrashReport()
    reported: list[str] = []
    for _ in range(kills):
        reported += _trial(data_dir, session_id, rng.uniform(0.005, max_delay))
        report.kills += 1
        con = sqlite3.connect(data_dir / DB_FILE)
        try:
            result = [row[0] for row in con.execute("PRAGMA integrity_check")]
        finally:
            con.close()
        if result != ["ok"]:
            report.integrity.extend(result)
    report.saved = len(reported)
    with Workspace.open(data_dir) as ws:
        report.lost = [i for i in reported if not _complete(ws, i)]
        report.verify_problems = [str(p) for p in ws.verify().problems]
    return report
