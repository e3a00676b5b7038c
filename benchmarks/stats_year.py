"""Statistics over a year at an institution of 50 sites: 200,000 records (a few amended or
voided) over 2,000 sessions, and a few thousand decided cases, seeded in bulk
(``tests/support/bulk_people``).

Usage: python benchmarks/stats_year.py [--records 200000] [--postgresql] [--repeat 5] [--xlsx]

Target: the counts of a year (every breakdown) ≤ 1 s, by incident date and by decision date.
The counts are checked against the seeded figures. ``--xlsx`` also times the workbook with the
year's register (one row per record in force; no target). ``--postgresql`` runs on a throwaway
server, as the tests do.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PROCTOR_DESK_DEVICE_PASSPHRASE", "benchmark passphrase")
# tests/ is not installed with the app; from the repository root this script imports the
# helpers the tests share (tests.support) by the names the tests use.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.records.service import Workspace
from app.core.stats import export_workbook
from app.core.stats import statistics as stats_of
from tests.support.bulk_people import seed_year

TARGET_S = 1.0
YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def run(records: int, url: str | None, repeat: int, xlsx: bool) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "institution", database_url=url)
        try:
            print(f"institution on {ws.engine.dialect.name}")
            start = time.perf_counter()
            seeded = seed_year(ws, candidates=records, records=records)
            print(
                f"seeded {seeded.incidents} records ({seeded.in_force} in force), "
                f"{seeded.cases} decided cases in {time.perf_counter() - start:.1f} s"
            )
            worst = 0.0
            for by, expected in (("incident", seeded.in_force), ("decision", None)):
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    stats = stats_of(ws, by, *YEAR)
                    times.append(time.perf_counter() - start)
                if expected is not None:
                    assert stats.total == expected, (stats.total, expected)
                breakdowns = sum(len(rows) for rows in stats.breakdowns.values())
                worst = max(worst, max(times))
                print(
                    f"  by {by:<9} {stats.total:>7} counted into {breakdowns} figures: median "
                    f"{statistics.median(times):.3f} s, slowest {max(times):.3f} s"
                )
            if xlsx:
                out = Path(tmp) / "year.xlsx"
                start = time.perf_counter()
                export_workbook(ws, out, "incident", *YEAR)
                print(
                    f"  XLSX with the register of {seeded.in_force} rows: "
                    f"{time.perf_counter() - start:.1f} s, {out.stat().st_size / 1e6:.1f} MB "
                    "(no target)"
                )
            ok = worst <= TARGET_S
            verdict = "ok" if ok else "MISSED"
            print(f"slowest statistics {worst:.3f} s — target ≤ {TARGET_S:.0f} s: {verdict}")
            return 0 if ok else 1
        finally:
            ws.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--xlsx", action="store_true", help="also time the workbook")
    parser.add_argument("--postgresql", action="store_true", help="on a throwaway server")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        url = None
        if args.postgresql:
            from tests.support.postgres import new_database, running_server

            url = new_database(stack.enter_context(running_server()))
        return run(args.records, url, args.repeat, args.xlsx)


if __name__ == "__main__":
    raise SystemExit(main())
