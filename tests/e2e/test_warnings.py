"""The command line signs and checks PDFs without printing library warnings.

cryptography (as locked) deprecates DSA, and pyHanko reads its DSA classes when it loads: the
warning would be printed on every ``report``. It is silenced only around pyHanko's import
(``app/core/reports/pyhanko_import.py``); here the program runs as a user runs it, with Python
showing every warning, and its stderr is read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PROCTOR_DESK_HOME": str(home), "PYTHONWARNINGS": "default"}
    return subprocess.run(
        [sys.executable, "-W", "default", "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_pyhanko_alone_warns_about_dsa_with_the_locked_cryptography() -> None:
    # Why the guard exists; if this ever fails, the locked versions no longer warn and the
    # guard's comment should say so.
    bare = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import pyhanko.sign"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bare.returncode != 0 and "DSA is deprecated" in bare.stderr


def test_report_and_verify_print_no_warning(tmp_path: Path) -> None:
    home = tmp_path / "data"
    seeded = _cli(home, "demo", "seed", "--candidates", "4", "--incidents", "1", "--json")
    assert seeded.returncode == 0, seeded.stderr
    session = json.loads(_cli(home, "session", "list", "--json").stdout)[0]["id"]
    pdf = tmp_path / "summary.pdf"
    report = _cli(home, "report", "session", session, "--out", str(pdf))
    assert report.returncode == 0, report.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    verify = _cli(home, "report", "verify", str(pdf))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    for result in (seeded, report, verify):
        assert "Warning" not in result.stderr and "DSA" not in result.stderr, result.stderr
