"""The frozen one-folder app (``make package``), run as a user runs it: ``make package-test``.

These tests are not part of ``make test``: they need the build, which takes minutes. The
folder is ``dist/proctor-desk`` or ``$PROCTOR_DESK_FROZEN``; without it they fail, never skip.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def frozen() -> Path:
    folder = Path(os.environ.get("PROCTOR_DESK_FROZEN", ROOT / "dist" / "proctor-desk"))
    if not (folder / "proctor-desk").is_file():
        pytest.fail(f"no frozen app at {folder}: run make package first", pytrace=False)
    return folder


def run_frozen(
    folder: Path, home: Path, *args: str, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """``proctor-desk ARGS`` from ``folder`` on the data folder ``home``, from another folder."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PROCTOR_DESK_HOME"}}
    env.update(QT_QPA_PLATFORM="offscreen", PROCTOR_DESK_HOME=str(home))
    return subprocess.run(
        [str(folder / "proctor-desk"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=home.parent,
        env=env,
    )
