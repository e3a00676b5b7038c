"""Test session set-up shared by every test folder.

Qt runs offscreen unless the caller chose a platform (set before any QApplication exists), and
the Designer forms are compiled once per session so ``app.ui`` imports the current ones.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.support.postgres import Server

# A modal dialog a test did not expect fails it at once instead of waiting for ever.
pytest_plugins = ["tests.support.modal_guard"]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The laptop's keys open with this passphrase (the documented fallback where a computer has no
# key store); tests of the locked and unset cases remove it.
os.environ.setdefault("PROCTOR_DESK_DEVICE_PASSPHRASE", "test key passphrase")
os.environ.setdefault("PROCTOR_DESK_NO_KEY_STORE", "1")

ROOT = Path(__file__).resolve().parents[1]

# The offscreen platform warns whenever a shown window's size constraints change (any top-level
# with a layout does this); it has no window manager to tell, so the message says nothing about
# our code. Ignored by exact text so every other Qt warning still fails the test.
OFFSCREEN_NOISE = r"^This plugin does not support propagateSizeHints\(\)$"


def _build_ui_forms() -> None:
    # tools/ is not a package; load the build script by path rather than touching sys.path.
    spec = importlib.util.spec_from_file_location("build_ui", ROOT / "tools" / "build_ui.py")
    if spec is None or spec.loader is None:
        raise pytest.UsageError("tools/build_ui.py not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        module.build()
    except module.BuildError as exc:
        raise pytest.UsageError(f"could not compile the UI forms: {exc}") from exc


def pytest_configure(config: pytest.Config) -> None:
    # Runs before collection, so test modules that import app.ui find the generated forms.
    _build_ui_forms()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        return
    for item in items:
        if item.get_closest_marker("qt_log_ignore") is None:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture
def helper_starts(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records of even the smallest bundle go to the helper process; the list gets, per
    start, whether the helper really runs (so a test cannot pass by checking in place)."""
    from app.core.sync import proof_worker

    starts: list[bool] = []
    start = proof_worker.ProofHelper._start

    def counted(helper: proof_worker.ProofHelper) -> None:
        start(helper)
        starts.append(helper.running)

    monkeypatch.setattr(proof_worker, "PROCESS_THRESHOLD", 0)
    monkeypatch.setattr(proof_worker.ProofHelper, "_start", counted)
    return starts


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    """One throwaway PostgreSQL server for the whole run, started when a test first needs it;
    a server that cannot start fails those tests (never skips them)."""
    from tests.support.postgres import ServerError, running_server

    try:
        with running_server() as server:
            yield server
    except ServerError as exc:
        pytest.fail(f"the test PostgreSQL server did not start: {exc}", pytrace=False)


@pytest.fixture
def pg_url(pg_server: Server) -> str:
    """The URL of a new, empty database on the test server."""
    from tests.support.postgres import new_database

    return new_database(pg_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def institution_db(request: pytest.FixtureRequest) -> str | None:
    """Where an institution test keeps its records: the data folder's SQLite (None), then a
    new database on the test PostgreSQL server; the test runs once on each engine."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(autouse=True)
def _close_institutions() -> Iterator[None]:
    """Close the institutions a test opened through ``tests.support.sync`` and left open."""
    yield
    from tests.support.sync import OPENED

    while OPENED:
        OPENED.pop().close()
