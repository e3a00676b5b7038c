"""The per-row checks of an import (``rows.row_values``) on realistic rows of the four tables a
bundle carries most of: µs per row for Incident, Signature, Seal and AuditEntry, and for the
mix an import of 10,000 incidents checks (one incident, four signatures, one seal, one audit
entry each: 70,000 rows); row by row, and table by table over all the rows at once
(``row_checks.rows_accepted``, what the import asks first of a bundle entry's rows).

Usage: python benchmarks/row_checks.py [--rows 20000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import SQLModel

from app.core.records.tables import AuditEntry, Incident, Seal, Signature
from app.core.sync import rows as rows_module
from app.core.sync.row_checks import rows_accepted
from app.core.sync.rows import row_values


def _id() -> str:
    return str(uuid.uuid4())


def _incident(n: int) -> dict[str, Any]:
    return {
        "id": _id(),
        "session_id": _id(),
        "number": f"A-{n:05d}",
        "device_code": "L1",
        "seq": n,
        "version": 1,
        "supersedes_id": None,
        "superseded_by_id": None,
        "status": "confirmed",
        "void_reason": None,
        "party": "candidate",
        "clause": "4.2(b)",
        "subject": "高等数学（一）",
        "room": "Hall 3",
        "seat": 17,
        "person_name": "谢雨桐",
        "occurred_at": "2024-06-15T01:40:00.123456Z",
        "local_date": "2024-06-15",
        "rulebook_id": "national-2024",
        "rulebook_version": "2024.1",
        "regulator_flag": False,
        "content_hash": "ab" * 32,
        "created_at": "2024-06-15T01:42:10.000001Z",
        "updated_at": "2024-06-15T02:05:33.500000Z",
    }


def _signature(n: int) -> dict[str, Any]:
    return {
        "id": _id(),
        "incident_id": _id(),
        "kind": "staff",
        "staff_id": _id(),
        "candidate_id": None,
        "signer_name": "王建国",
        "role": "invigilator",
        "signed_at": "2024-06-15T01:45:00.000000Z",
        # A signature's strokes: a few hundred points of [x, y, pressure, ms].
        "strokes_json": json.dumps([[[20 + i, 66 + i, 10, 369 + i] for i in range(60)]] * 4),
        "content_hash": "cd" * 32,
        "voided_at": None,
    }


def _seal(n: int) -> dict[str, Any]:
    return {
        "incident_id": _id(),
        "device_id": _id(),
        "public_key": "ef" * 32,
        "payload_hash": "01" * 32,
        "signature": "23" * 64,
        "sealed_at": "2024-06-15T02:05:33.500000Z",
    }


def _audit(n: int) -> dict[str, Any]:
    return {
        "seq": n,
        "at": "2024-06-15T02:05:33.500001Z",
        "action": "confirm",
        "session_id": _id(),
        "incident_id": _id(),
        "actor_id": _id(),
        "device_id": _id(),
        "details_json": json.dumps({"number": f"A-{n:05d}", "version": 1}),
        "prev_hash": "45" * 32,
        "hash": "67" * 32,
    }


def _time(model: type[SQLModel], rows: list[dict[str, Any]], repeat: int) -> float:
    """The best of ``repeat`` runs, in µs per row (the least disturbed by other work)."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for row in rows:
            row_values(model, row, "record")
        runs.append((time.perf_counter() - t0) / len(rows) * 1e6)
    return min(runs)


def _time_together(model: type[SQLModel], rows: list[dict[str, Any]], repeat: int) -> float:
    """As ``_time``, for ``rows_accepted`` over all the rows at once."""
    spec = rows_module.spec_of(model)
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        accepted = rows_accepted(model.__name__, spec, rows)
        runs.append((time.perf_counter() - t0) / len(rows) * 1e6)
        assert accepted, model.__name__  # the rows are valid: else the figure would mean nothing
    return min(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    tables: list[tuple[type[SQLModel], Any, int]] = [
        (Incident, _incident, 1),
        (Signature, _signature, 4),
        (Seal, _seal, 1),
        (AuditEntry, _audit, 1),
    ]
    print(f"row_values, {args.rows:,} rows per table, best of {args.repeat} runs")
    mix = together_mix = 0.0
    for model, make, per_incident in tables:
        rows = [make(n) for n in range(args.rows)]
        row_values(model, rows[0], "record")  # the type pattern learnt outside the timing
        per_row = _time(model, rows, args.repeat)
        together = _time_together(model, rows, args.repeat)
        mix += per_row * per_incident
        together_mix += together * per_incident
        print(f"  {model.__name__:<11} {per_row:6.2f} µs/row; table by table {together:6.2f}")
    # µs per incident × 10,000 incidents, in ms.
    print(f"  mix (7 rows per incident): {mix / 7:6.2f} µs/row; {mix * 10:.0f} ms for 10,000")
    print(f"  table by table: {together_mix / 7:6.2f} µs/row; {together_mix * 10:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
