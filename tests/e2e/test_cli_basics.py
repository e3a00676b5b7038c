"""The console script: version, help, and a clear one-line error for a bad command."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=60
    )


def test_version_prints_the_distribution_version() -> None:
    from importlib import metadata

    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"proctor-desk {metadata.version('proctor-desk')}"


def test_unknown_command_is_one_line_on_stderr_with_status_2() -> None:
    result = run("frobnicate")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "frobnicate" in lines[0]


def test_a_reader_that_goes_away_is_not_an_error() -> None:
    # Like ``proctor-desk rules list --json | head -c 10``: the pipe is closed before we write.
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "rules", "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        stderr = process.stderr.read()
        process.wait(timeout=60)
    assert "Traceback" not in stderr
    assert process.returncode == 0
