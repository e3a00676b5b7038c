"""Fixtures of the command-line tests: a data folder, and ``proctor-desk`` run on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.demo.seed import DemoSession, seed_demo
from app.core.records.service import Workspace
from tests.support.cli import Run, run


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The data folder the ``cli`` fixture names (not created: the commands do that)."""
    return tmp_path / "data"


@pytest.fixture
def cli(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Run:
    """``proctor-desk --data-dir DATA_DIR ARGS…``: (exit status, stdout, stderr), with the
    status of argparse's own errors (2) as the shell sees it."""

    def run_captured(*args: str) -> tuple[int, str, str]:
        try:
            status = run(data_dir, *args)
        except SystemExit as exc:
            status = int(exc.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    return run_captured


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSession]:
    """A data folder with the demo session (40 candidates and their incidents), per module."""
    folder = tmp_path_factory.mktemp("data")
    with Workspace.open(folder) as workspace:
        session = seed_demo(workspace, candidates=40)
    return folder, session
