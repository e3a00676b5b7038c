"""Writing signature rows keyed by random ids against time-ordered ones (``app.core.ids``).

Usage: python benchmarks/signature_ids.py [--rows 40000] [--bundles 50] [--repeats 3]

An import of ``--bundles`` bundles writes their ``--rows`` signatures in one transaction, a
savepoint per bundle, each bundle's rows in key order (as ``sync.importing`` does), into a new
database made by the app's migrations: once into an empty table and once into one already
holding five times as many signatures with random ids (an institution's table after a few
years, made before ids were time-ordered). Foreign keys are off: only the table's own B-trees
are measured, with the page cache the import takes. Best of ``--repeats`` for each.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.ids import new_id
from app.core.records.db import open_engine
from app.core.sync.importing import _CACHE_KIB  # the import's page cache

# A signature row as a laptop writes it (strokes of a usual handwritten name, about 700 bytes).
_STROKES = '{"v":1,"strokes":[' + ",".join(["[[12,34],[56,78],[90,12]]"] * 27) + "]}"


def _random_id() -> str:
    return str(uuid.uuid4())


def _rows(count: int, make_id: Callable[[], str]) -> list[tuple[object, ...]]:
    return [
        (
            make_id(),
            str(uuid.uuid4()),  # the incident's id: random, as the app makes it
            "staff",
            str(uuid.uuid4()),
            None,
            "张三",
            "监考员",
            "2026-12-07T08:30:00.000000Z",
            _STROKES,
            "ab" * 32,
            None,
        )
        for _ in range(count)
    ]


_COLUMNS = (
    "id, incident_id, kind, staff_id, candidate_id, signer_name, role, signed_at, "
    "strokes_json, content_hash, voided_at"
)
_INSERT = f"INSERT INTO signature ({_COLUMNS}) VALUES ({', '.join('?' * 11)})"


def write_time(rows: int, bundles: int, existing: int, make_id: Callable[[], str]) -> float:
    """Seconds to write ``rows`` new signatures in ``bundles`` savepoints and commit them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite3"
        open_engine(path).dispose()  # the app's schema, at the head migration
        con = sqlite3.connect(path, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
            con.execute("PRAGMA foreign_keys=OFF")
            con.execute(f"PRAGMA cache_size=-{_CACHE_KIB}")
            if existing:
                con.execute("BEGIN")
                con.executemany(_INSERT, sorted(_rows(existing, _random_id)))
                con.execute("COMMIT")
            per = rows // bundles
            batches = [sorted(_rows(per, make_id)) for _ in range(bundles)]
            start = time.perf_counter()
            con.execute("BEGIN")
            for batch in batches:
                con.execute("SAVEPOINT bundle")
                con.executemany(_INSERT, batch)
                con.execute("RELEASE bundle")
            con.execute("COMMIT")
            return time.perf_counter() - start
        finally:
            con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--bundles", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    for existing in (0, 5 * args.rows):
        best = {}
        for name, make_id in (("random (v4)", _random_id), ("time-ordered (v7)", new_id)):
            best[name] = min(
                write_time(args.rows, args.bundles, existing, make_id) for _ in range(args.repeats)
            )
        random_s, ordered_s = best.values()
        print(
            f"{args.rows:,} signatures in {args.bundles} savepoints, {existing:,} already there: "
            f"random ids {random_s:.2f} s, time-ordered ids {ordered_s:.2f} s "
            f"({100 * (1 - ordered_s / random_s):.0f} % less)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
