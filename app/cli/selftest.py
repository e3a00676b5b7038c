"""``proctor-desk --self-test [--json]``: the installation's self-test, one line per step.

The steps are the core's (``app.core.selftest``); ``app.__main__`` adds the window's step,
which needs Qt, so this module stays free of the GUI. Exit 0 only when every step passed.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.selftest import Step, StepResult

MARKS = {"ok": "ok", "failed": "FAILED", "skipped": "skipped"}


def line(result: StepResult) -> str:
    """``ok      [name] title: what was checked (1.2 s)``; a failure says why instead."""
    mark = MARKS[result.status]
    timing = "" if result.skipped else f" ({result.seconds:.1f} s)"
    return f"{mark:<7} [{result.name}] {result.title}: {result.detail}{timing}"


def run_self_test(as_json: bool = False, extra_steps: Sequence[Step] = ()) -> int:
    """Run the core steps and ``extra_steps``, print the results; 0 when all passed, else 1."""
    try:
        status = _run_and_print(as_json, extra_steps)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # The reader (``| head``) went away: as the commands do, point stdout at devnull so
        # the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _run_and_print(as_json: bool, extra_steps: Sequence[Step]) -> int:
    from app.core.selftest import CORE_STEPS
    from app.core.selftest import run_self_test as run_steps
    from app.version import version

    # pyHanko logs each untrusted signer with a traceback; the step's line says it in a line.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).addHandler(logging.NullHandler())
    if not as_json:
        print(
            f"Proctor Desk {version()} 自检 (self-test), in a temporary data folder "
            "(this computer's records are not touched)"
        )
        sys.stdout.flush()

    def show(result: StepResult) -> None:
        if not as_json:
            print(line(result))
            sys.stdout.flush()

    report = run_steps([*CORE_STEPS, *extra_steps], on_result=show)
    if as_json:
        document = {"version": version(), **report.to_dict()}
        print(json.dumps(document, ensure_ascii=False, indent=2))
    elif report.ok:
        print(f"自检通过 (self-test passed): {len(report.results)} steps in {report.seconds:.1f} s")
    else:
        skipped = sum(1 for r in report.results if r.skipped)
        failed = ", ".join(report.failed)
        print(
            f"自检未通过 (self-test FAILED): {failed}"
            + (f"; {skipped} step(s) skipped after it" if skipped else "")
        )
    return 0 if report.ok else 1
