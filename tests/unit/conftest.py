"""Fixtures shared by the unit tests: a workspace in a temporary folder with a demo session
(4 candidates, no incidents). A test module that needs another session defines its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.demo.seed import DemoSession, seed_demo
from app.core.records.service import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "data") as workspace:
        yield workspace


@pytest.fixture
def demo(ws: Workspace) -> DemoSession:
    return seed_demo(ws, candidates=4, incidents=0)
