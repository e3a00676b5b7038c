"""``verify`` judges one moment of the database: while another connection saves and confirms
records, every read of a check sees the same snapshot, so a record confirmed between two reads
is never reported as "confirmed, but the audit log records no confirmation"."""

from __future__ import annotations

import threading
from pathlib import Path

from app.core.demo.seed import seed_demo
from app.core.records.service import Workspace
from tests.support.records import confirmed


def test_verify_while_another_connection_confirms_records(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    with Workspace.open(folder) as writer_ws:
        demo = seed_demo(writer_ws, candidates=4, incidents=0)
        confirmed(writer_ws, demo)
        stop = threading.Event()
        written: list[str] = []
        errors: list[BaseException] = []

        def writer() -> None:
            try:
                while not stop.is_set():
                    written.append(confirmed(writer_ws, demo))
            except BaseException as exc:  # reported by the test below
                errors.append(exc)

        thread = threading.Thread(target=writer)
        thread.start()
        problems: list[str] = []
        try:
            with Workspace.open(folder) as reader:
                for _ in range(25):
                    problems.extend(reader.verify().problems)
                    if len(written) >= 60:
                        break
        finally:
            stop.set()
            thread.join(60)
    assert not errors
    assert len(written) > 3, "the writer ran while verify read"
    assert problems == []
