"""How well ``rules search`` ranks clauses for descriptions unlike the rulebook's keywords.

    python benchmarks/search_eval.py [--rulebook ID] [--misses tune|held|both|none] [--only tune]

Reads ``tests/data/search_eval/tune.jsonl`` and ``held.jsonl`` (see the README there: the held
file is never used for tuning) and prints, for each file, top-1 and top-3 overall and by style,
then the descriptions whose clause was not first, with the rank it got and the clauses ahead.
Searches without a party filter, as the incident window does before a party is chosen.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import Rulebook
from app.core.rulebook.search import search

EVAL_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "search_eval"
SPLITS = ("tune", "held")


@dataclass(frozen=True)
class Case:
    text: str
    clause: str
    party: str
    style: str


@dataclass(frozen=True)
class Result:
    case: Case
    rank: int | None  # 1-based; None when not among the first ten
    ahead: tuple[str, ...]


def load_cases(split: str) -> list[Case]:
    path = EVAL_DIR / f"{split}.jsonl"
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append(Case(row["text"], row["clause"], row["party"], row["style"]))
    return cases


def evaluate(rulebook: Rulebook, cases: list[Case]) -> list[Result]:
    results = []
    for case in cases:
        ids = [h.clause_id for h in search(rulebook, case.text, limit=10)]
        rank = ids.index(case.clause) + 1 if case.clause in ids else None
        results.append(Result(case, rank, tuple(ids[: (rank or 4) - 1])))
    return results


def rates(results: list[Result]) -> tuple[float, float]:
    """Top-1 and top-3, as fractions."""
    n = len(results) or 1
    top1 = sum(r.rank == 1 for r in results) / n
    top3 = sum(r.rank is not None and r.rank <= 3 for r in results) / n
    return top1, top3


def report(split: str, results: list[Result], misses: bool) -> None:
    top1, top3 = rates(results)
    print(f"{split}: {len(results)} descriptions  top-1 {top1:.1%}  top-3 {top3:.1%}")
    by_style: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_style[r.case.style].append(r)
    for style in sorted(by_style):
        s1, s3 = rates(by_style[style])
        print(f"  {style:<11} {len(by_style[style]):>4}  top-1 {s1:6.1%}  top-3 {s3:6.1%}")
    if misses:
        for r in results:
            if r.rank != 1:
                rank = "–" if r.rank is None else str(r.rank)
                print(
                    f"    {r.case.clause:>5} rank {rank:>2}  ahead {','.join(r.ahead):<14} "
                    f"[{r.case.style}] {r.case.text}"
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rulebook", default="cn-national-2021")
    parser.add_argument("--misses", choices=["tune", "held", "both", "none"], default="tune")
    parser.add_argument("--only", choices=SPLITS, help="score one file only (tune while tuning)")
    args = parser.parse_args()
    rulebook = load_rulebook(args.rulebook)
    for split in [args.only] if args.only else SPLITS:
        results = evaluate(rulebook, load_cases(split))
        report(split, results, args.misses in (split, "both"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
