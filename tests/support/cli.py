"""Running ``proctor-desk`` inside the test's process, as the command-line tests do, and reading
what it printed. (The ``cli`` fixture in ``tests/e2e/conftest.py`` adds the printed text.)"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

from app.cli import main

ROOT = Path(__file__).resolve().parents[2]

# The ``cli`` fixture: run with these arguments, get (exit status, stdout, stderr).
Run = Callable[..., tuple[int, str, str]]


def run(data_dir: Path, *args: str) -> int:
    """``proctor-desk --data-dir DATA_DIR ARGS…``; its exit status."""
    return main.run(["--data-dir", str(data_dir), *args])


def one_line_error(err: str) -> str:
    """The one line an error the user caused prints on stderr (the test fails on any other)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("proctor-desk: error: ")
    return lines[0]


def readme_example(command: str) -> list[str]:
    """The ```sh example in README.md that runs ``proctor-desk COMMAND``, as argv."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"```sh\n(.*?)```", readme, flags=re.S):
        # Comments are read as the shell reads them: a note like "Qt's libraries" is no quote.
        argv = shlex.split(block.replace("\\\n", " "), comments=True)
        if argv[:3] == ["proctor-desk", *command.split()]:
            return argv[1:]
    raise AssertionError(f"README.md has no example of proctor-desk {command}")
