"""Two admins importing at the same moment into one shared database (docs/postgresql.md): the
imports take their turn, so bundles of one session from two laptops both import (their session
rows are the same, not a conflict), and one bundle imported on two computers at once imports
once and is "already imported" on the other."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.sync import importing
from app.core.sync.export import export_bundle
from app.core.sync.importing import ALREADY, IMPORTED, Outcome, import_bundles
from tests.support.sync import (
    Institution,
    make_institution,
    make_laptop,
    record_incident,
    second_computer,
)


@pytest.fixture
def shared(tmp_path: Path, pg_url: str) -> Iterator[Institution]:
    institution = make_institution(tmp_path, pg_url)
    yield institution
    institution.ws.close()


def _bundle(inst: Institution, tmp_path: Path, name: str, code: str) -> Path:
    laptop = make_laptop(tmp_path, name, code, inst.kit)
    record_incident(laptop, inst.session_id, 0)
    out = tmp_path / f"{name}.pdbundle"
    export_bundle(laptop, inst.session_id, out)
    laptop.close()
    return out


def _side_by_side(
    monkeypatch: pytest.MonkeyPatch, jobs: list[Callable[[], list[Outcome]]]
) -> list[Outcome]:
    """Run the imports in threads that meet inside their transactions, where the session's rows
    are merged: without their turn they both write the same rows; with it the second waits for
    the first to commit, so the meeting times out and each goes on alone."""
    meeting = threading.Barrier(len(jobs))
    merge = importing.merge_session_rows

    def meeting_first(*args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait(timeout=3)
        return merge(*args, **kwargs)

    monkeypatch.setattr(importing, "merge_session_rows", meeting_first)
    results: list[list[Outcome]] = [[] for _ in jobs]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            results[index] = jobs[index]()
        except BaseException as exc:  # the test names it below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads), "an import did not finish"
    assert not errors, errors
    return [outcome for result in results for outcome in result]


@pytest.mark.parametrize(
    ("laptops", "expected"),
    [(2, [IMPORTED, IMPORTED]), (1, [ALREADY, IMPORTED])],
    ids=["two laptops' bundles", "one bundle on both"],
)
def test_imports_at_once_on_two_computers_take_their_turn(
    shared: Institution,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    laptops: int,
    expected: list[str],
) -> None:
    a = _bundle(shared, tmp_path, "laptop-a", "A")
    b = _bundle(shared, tmp_path, "laptop-b", "B") if laptops == 2 else a
    second = second_computer(shared, tmp_path / "second")
    try:
        outcomes = _side_by_side(
            monkeypatch,
            [
                lambda: import_bundles(shared.ws, shared.identity, [a]),
                lambda: import_bundles(second, shared.identity, [b]),
            ],
        )
    finally:
        second.close()
    assert sorted(o.status for o in outcomes) == expected, [o.line() for o in outcomes]
    assert shared.ws.verify().ok
