"""Several writers appending to one audit log (several admins on one database): each reads
the entry the other wrote, so the hash chain stays one line and nobody's append fails."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from app.core.records import audit
from app.core.records.db import DB_FILE, make_engine
from app.core.records.service import Workspace
from app.core.records.tables import AuditEntry

WRITERS, EACH = 3, 15


def _append_many(
    path: Path, ws: Workspace, errors: list[BaseException], start: threading.Barrier
) -> None:
    engine = make_engine(path)  # a connection of its own, as another program would have
    try:
        start.wait()
        for n in range(EACH):
            with Session(engine) as db:
                audit.append(db, action="test_writer", device=ws.device, details={"n": n})
                db.commit()
    except BaseException as exc:  # collected and asserted on below
        errors.append(exc)
    finally:
        engine.dispose()


def test_concurrent_appends_keep_one_chain(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hash_entry = audit.entry_hash

    def slow_hash(**fields: object) -> str:
        time.sleep(0.005)  # between reading the last entry and inserting: where a race bites
        return hash_entry(**fields)  # type: ignore[arg-type]

    monkeypatch.setattr(audit, "entry_hash", slow_hash)
    with ws.transaction() as db:
        audit.append(db, action="first", device=ws.device)
    path = ws.data_dir / DB_FILE
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)
    threads = [
        threading.Thread(target=_append_many, args=(path, ws, errors, start))
        for _ in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with Session(ws.engine) as db:
        entries = list(db.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all())
    written = [e for e in entries if e.action == "test_writer"]
    assert len(written) == WRITERS * EACH
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    assert ws.verify().ok
