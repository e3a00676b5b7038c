"""The console script: version, help, a clear one-line error for a bad command, and the
command found among the global options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main as cli_main


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


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--data-dir", "demo", "verify"], "OK: 0 incidents"),
        (["--data-dir", "verify", "verify"], "OK: 0 incidents"),
        (["--data-dir=session", "verify"], "OK: 0 incidents"),
        (["--data-dir", "demo", "session", "list"], "没有考试批次"),
        (["--data-dir", "incident", "session", "list"], "没有考试批次"),
    ],
)
def test_data_dir_named_like_a_command_is_not_taken_for_the_command(
    argv: list[str],
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.core.records.service import Workspace

    monkeypatch.chdir(tmp_path)
    value = argv[0].removeprefix("--data-dir=") if "=" in argv[0] else argv[1]
    Workspace.open(tmp_path / value).close()  # an existing, empty data folder
    status = cli_main.run(argv)
    out, err = capsys.readouterr()
    assert status == 0, err
    assert expected in out


def test_command_of_skips_option_values() -> None:
    assert cli_main.command_of(["--data-dir", "demo", "verify"]) == "verify"
    assert cli_main.command_of(["--screenshot", "rules", "--data-dir", "x"]) is None
    assert cli_main.command_of(["rules", "show", "verify"]) == "rules"


def test_one_line_keeps_single_line_messages() -> None:
    assert cli_main.one_line("clause: unknown") == "clause: unknown"
    assert cli_main.one_line("not created:\n  a\n  b") == "not created: a; b"
