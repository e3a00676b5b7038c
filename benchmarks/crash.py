"""Crash safety at scale: 100 SIGKILLs of a writer saving and signing incidents; prints the count
of lost records (reported saved by the writer, then missing or incomplete). Expected: 0.

What this shows: the app killed at any moment (a crash, a forced quit) loses nothing it reported
saved and leaves a consistent database. What it cannot show: a power cut. After SIGKILL the
operating system still holds every write in its cache and flushes it, so this probe passes even
with syncing turned off. Power-cut safety rests on syncing, which the tests check directly:
``synchronous=FULL`` on every connection (each commit is synced before the call returns) and
files synced, then their folder, around each rename (``tests/unit/test_durable_files.py``).

Run: ``.venv/bin/python benchmarks/crash.py [--kills 100] [--seed 57] [--dir FOLDER]`` (POSIX).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

# The temporary data folders' keys open with a benchmark passphrase (there is no key store
# here); the app started in a child process inherits it.
os.environ.setdefault("PROCTOR_DESK_DEVICE_PASSPHRASE", "benchmark passphrase")

# tests/ is not installed with the app; from the repository root this script imports the
# helpers the tests share (tests.support) by the names the tests use.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.demo.seed import seed_demo
from app.core.records.service import Workspace
from tests.support.crash_probe import run_crash_trials


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument("--max-delay", type=float, default=0.4, help="seconds before a kill, max")
    parser.add_argument("--dir", help="parent folder for the temporary data folder (its disk)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        data = Path(tmp)
        with Workspace.open(data) as ws:
            session_id = seed_demo(ws, candidates=30, incidents=0).session_id
        started = time.perf_counter()
        report = run_crash_trials(
            data, session_id, kills=args.kills, seed=args.seed, max_delay=args.max_delay
        )
        elapsed = time.perf_counter() - started
    print(f"kills: {report.kills}  reported saved: {report.saved}  ({elapsed:.1f} s)")
    print(f"integrity_check failures: {len(report.integrity)}")
    print(f"verify problems: {len(report.verify_problems)}")
    for problem in report.verify_problems[:10]:
        print(f"  {problem}")
    print(f"lost records: {len(report.lost)}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
