"""Fixtures shared by the unit tests: a workspace in a temporary folder with a demo session
(4 candidates, no incidents); an institution on each engine with a certified laptop. A test
module that needs another session or institution defines its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.demo.seed import DemoSession, seed_demo
from app.core.records.service import Workspace
from tests.support.sync import Institution, make_institution, make_laptop


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with Workspace.open(tmp_path / "data") as workspace:
        yield workspace


@pytest.fixture
def demo(ws: Workspace) -> DemoSession:
    return seed_demo(ws, candidates=4, incidents=0)


@pytest.fixture
def inst(tmp_path: Path, institution_db: str | None) -> Iterator[Institution]:
    """An institution with a session and its site kit, on SQLite and then on PostgreSQL."""
    institution = make_institution(tmp_path, institution_db)
    yield institution
    institution.ws.close()


@pytest.fixture
def laptop(tmp_path: Path, inst: Institution) -> Iterator[Workspace]:
    """A site laptop set up from the institution's kit."""
    ws = make_laptop(tmp_path, "laptop-a", "A", inst.kit)
    yield ws
    ws.close()
