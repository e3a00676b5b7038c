"""Milliseconds to list (one page) and count 100,000 incidents with the filters the app offers.

Run: ``.venv/bin/python benchmarks/list_incidents.py [--rows 100000] [--dir FOLDER]``.
The rows are copies of one real record, bulk-inserted with varied session, status, clause,
party, room and time (building them through the services would take minutes and measure the
writes, not the reads). Target (from the records issue): listing/filtering ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import insert, text

from app.core.demo.seed import seed_demo
from app.core.records.incidents import IncidentFilters
from app.core.records.service import Workspace
from app.core.records.tables import Incident, IncidentContent, to_utc_text

# The temporary data folders' keys open with a benchmark passphrase (there is no key store
# here); the app started in a child process inherits it.
os.environ.setdefault("PROCTOR_DESK_DEVICE_PASSPHRASE", "benchmark passphrase")

TARGET_MS = 100.0
CLAUSES = ["5.1", "5.2", "5.3", "5.4", "6.1", "6.2", "6.3", "6.4", "6.5", "7.1", "7.4", "9.2"]
STATUSES = ["draft", "signed", "confirmed", "confirmed", "confirmed", "exported", "void"]


def populate(ws: Workspace, rows: int, seed: int) -> str:
    demo = seed_demo(ws, candidates=90, incidents=1)
    template = ws.incident(demo.incident_ids[0])
    content_json = _json(template["content"])
    rng = random.Random(seed)
    sessions = [demo.session_id] + [str(uuid.uuid4()) for _ in range(4)]
    base = dt.datetime(2024, 6, 15, 1, 0, tzinfo=dt.UTC)
    with ws.engine.begin() as con:
        con.execute(text("PRAGMA foreign_keys = OFF"))  # other sessions exist only as ids here
        batch: list[dict[str, object]] = []
        contents: list[dict[str, object]] = []
        for i in range(rows):
            when = base + dt.timedelta(seconds=rng.randint(0, 86400 * 30))
            clause = rng.choice(CLAUSES)
            incident_id = str(uuid.uuid4())
            contents.append({"incident_id": incident_id, "content_json": content_json})
            batch.append(
                {
                    "id": incident_id,
                    "session_id": rng.choice(sessions),
                    "number": f"B-{i:06d}",
                    "device_code": "B",
                    "seq": i,
                    "version": 1,
                    "status": rng.choice(STATUSES),
                    "party": "staff" if clause == "9.2" else "candidate",
                    "clause": clause,
                    "subject": "理论知识",
                    "room": f"第{rng.randint(1, 3)}考场",
                    "seat": rng.randint(1, 30),
                    "person_name": "考生",
                    "occurred_at": when,
                    "local_date": to_utc_text(when)[:10],
                    "rulebook_id": "cn-national-2021",
                    "rulebook_version": "2021.12-1",
                    "regulator_flag": False,
                    "content_hash": template["content_hash"],
                    "created_at": when,
                    "updated_at": when,
                }
            )
            if len(batch) == 5000:
                con.execute(insert(Incident), batch)
                con.execute(insert(IncidentContent), contents)
                batch, contents = [], []
        if batch:
            con.execute(insert(Incident), batch)
            con.execute(insert(IncidentContent), contents)
        con.execute(text("ANALYZE"))
    return demo.session_id


def _json(content: dict[str, object]) -> str:
    from app.core.seal.canonical import canonical_text

    return canonical_text(content)


def timed(fn: object, repeat: int = 15) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dir", help="parent folder for the temporary data folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp, Workspace.open(Path(tmp)) as ws:
        t0 = time.perf_counter()
        session_id = populate(ws, args.rows, seed=100)
        print(f"inserted {args.rows} incidents in {time.perf_counter() - t0:.1f} s")
        cases = {
            "all, newest first": IncidentFilters(),
            "one session": IncidentFilters(session_id=session_id),
            "status=confirmed": IncidentFilters(status="confirmed"),
            "clause=6.1": IncidentFilters(clause="6.1"),
            "session+party+room": IncidentFilters(
                session_id=session_id, party="candidate", room="第2考场"
            ),
            "session+status+clause": IncidentFilters(
                session_id=session_id, status="confirmed", clause="5.4"
            ),
        }
        worst = 0.0
        print(f"{'filter':<24} {'rows':>7} {'page 1':>8} {'middle':>8} {'count':>8}  (ms, median)")
        for name, filters in cases.items():
            total = ws.count_incidents(filters)
            middle = total // 2 // 100 * 100  # a page halfway down the filtered list
            assert len(ws.list_incidents(filters, middle, 100)) == min(100, total - middle)
            first = timed(lambda f=filters: ws.list_incidents(f, 0, 100))
            deep = timed(lambda f=filters, m=middle: ws.list_incidents(f, m, 100))
            count = timed(lambda f=filters: ws.count_incidents(f))
            worst = max(worst, first + count, deep + count)
            print(f"{name:<24} {total:7d} {first:8.2f} {deep:8.2f} {count:8.2f}")
    verdict = "OK" if worst <= TARGET_MS else "OVER TARGET"
    print(f"worst page + count: {worst:.1f} ms (target ≤ {TARGET_MS:.0f} ms) {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
