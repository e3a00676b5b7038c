"""On a shared laptop the data folder is the user's alone: the folder and every folder in it
0700, every file 0600 (evidence files 0400: they are never written again), also in a folder
made by an earlier version with looser modes."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.support.cli import Run

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def _loose(folder: Path) -> list[str]:
    found = []
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode & 0o777
        expected = (0o700,) if path.is_dir() else (0o600, 0o400)
        if mode not in expected:
            found.append(f"{oct(mode)} {path.relative_to(folder.parent)}")
    return found


def test_everything_in_the_data_folder_is_private(cli: Run, data_dir: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)  # what a desktop session usually has
    try:
        status, out, err = cli("demo", "seed", "--candidates", "4", "--incidents", "2")
        assert status == 0, err
        status, out, _ = cli("incident", "list", "--json")
        first = json.loads(out)["incidents"][0]
        status, _out, err = cli("report", "incident", first["id"], "--out", str(tmp_path / "r.pdf"))
        assert status == 0, err
        status, _out, err = cli(
            "bundle", "export", "--session", first["session_id"], "--out", str(tmp_path / "b")
        )
        assert status == 0, err
    finally:
        os.umask(old)
    assert _loose(data_dir) == []


def test_a_folder_made_with_loose_modes_is_tightened(cli: Run, data_dir: Path) -> None:
    status, _out, err = cli("demo", "seed", "--candidates", "4", "--incidents", "1")
    assert status == 0, err
    for path in [data_dir, *data_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    status, _out, err = cli("demo", "seed", "--candidates", "4", "--incidents", "1")
    assert status == 0, err
    assert _loose(data_dir) == []
