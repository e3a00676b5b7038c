"""How long the clause search takes per description (the incident window searches as the
proctor types), over every description of the search evaluation (``tests/data/search_eval``).

Usage: python benchmarks/clause_search.py [--rulebook ID] [--rounds 5]

Target: ≤ 10 ms per query (median and p95 printed), the index built once beforehand.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.search import index_for, search
from benchmarks.search_eval import SPLITS, load_cases

TARGET_MS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rulebook", default="cn-national-2021")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rulebook = load_rulebook(args.rulebook)
    start = time.perf_counter()
    index_for(rulebook)
    print(f"index built in {(time.perf_counter() - start) * 1000:.1f} ms")
    texts = [case.text for split in SPLITS for case in load_cases(split)]
    timings = []
    for _ in range(args.rounds):
        for text in texts:
            start = time.perf_counter()
            search(rulebook, text)
            timings.append((time.perf_counter() - start) * 1000)
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(
        f"{len(texts)} descriptions × {args.rounds} rounds: median {median:.2f} ms, "
        f"p95 {p95:.2f} ms per query — target ≤ {TARGET_MS:.0f} ms"
    )
    return 0 if p95 <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
