"""An import writes into its own transaction and commits only once every check has passed: a
check failing after the writing began, or the importing program killed while it writes, leaves
the institution's database exactly as it was, on both engines; the same bundle then imports."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.core.bundles import open_bundle
from app.core.records.service import Workspace
from app.core.records.tables import Incident
from app.core.seal.canonical import canonical_bytes
from app.core.sync import importing
from app.core.sync.checking import ImportRejected
from app.core.sync.export import export_bundle
from app.core.sync.importing import IMPORTED, REJECTED, import_bundles
from tests.support.crafted_bundles import FILE, RECORD, craft, set_in
from tests.support.sync import (
    ADMIN_PASS,
    Institution,
    dump,
    make_institution,
    make_laptop,
    record_incident,
    record_tables,
)

ROOT = Path(__file__).resolve().parents[2]

# The steps of ``importing._merge`` that run once rows are written into the open transaction.
LATE_STEPS = ("_merge_incidents", "_merge_audit", "_local_audit", "_store_evidence")


@pytest.fixture(params=["sqlite", "postgresql"])
def inst(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Institution]:
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    institution = make_institution(tmp_path, url)
    yield institution
    institution.ws.close()


@pytest.fixture
def bundle(tmp_path: Path, inst: Institution) -> Path:
    """A bundle of three sealed incidents, one with an evidence file."""
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    try:
        photo = tmp_path / "photo.jpg"
        photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 64)
        record_incident(laptop, inst.session_id, 0, evidence=photo)
        record_incident(laptop, inst.session_id, 1)
        record_incident(laptop, inst.session_id, 2)
        out = tmp_path / "three.pdbundle"
        export_bundle(laptop, inst.session_id, out)
        return out
    finally:
        laptop.close()


def _incidents(db: Session) -> int:
    return int(db.exec(select(func.count()).select_from(Incident)).one())


def _session_of(args: tuple[Any, ...]) -> Session:
    return next(a for a in args if isinstance(a, Session))


@pytest.mark.parametrize("step", LATE_STEPS)
def test_a_check_failing_after_writing_began_leaves_the_database_as_it_was(
    inst: Institution, bundle: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    before = dump(inst.ws)
    with inst.ws.reading() as db:
        incidents_before = _incidents(db)
    seen_in_transaction: list[int] = []
    original: Callable[..., Any] = getattr(importing, step)

    def fails_late(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        # The step wrote its rows: the open transaction sees the records, then a check fails.
        seen_in_transaction.append(_incidents(_session_of(args)))
        raise ImportRejected("a late check failed")

    monkeypatch.setattr(importing, step, fails_late)
    (outcome,) = import_bundles(inst.ws, inst.identity, [bundle])
    assert outcome.status == REJECTED and "a late check failed" in outcome.message
    assert seen_in_transaction == [incidents_before + 3]
    assert dump(inst.ws) == before

    monkeypatch.setattr(importing, step, original)
    (outcome,) = import_bundles(inst.ws, inst.identity, [bundle])
    assert outcome.status == IMPORTED, outcome.message
    report = inst.ws.verify()
    assert report.ok, report.problems


# The importing program, stopped for good at a point where it has written rows into its
# transaction: it says so on its output, then waits to be killed.
_STALLED_IMPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from app.core.records.service import Workspace
    from app.core.sync import importing
    from app.core.trust.institution import load_identity
    from app.core.accounts import authenticate

    folder, bundle, url, step, passphrase = sys.argv[1:6]
    original = getattr(importing, step)

    def stalled(*args, **kwargs):
        original(*args, **kwargs)
        print("WRITING", flush=True)
        time.sleep(300)

    setattr(importing, step, stalled)
    ws = Workspace.open(Path(folder), database_url=url or None)
    authenticate(ws, "admin", "admin-password-1")  # make_institution's admin imports
    importing.import_bundles(ws, load_identity(ws.data_dir, passphrase), [Path(bundle)])
    print("FINISHED", flush=True)
    """
)


def _run_and_kill(inst: Institution, url: str | None, bundle: Path, step: str) -> str:
    """The import in another process, killed with SIGKILL once it wrote rows; its output."""
    command = [
        sys.executable,
        "-c",
        _STALLED_IMPORT,
        str(inst.ws.data_dir),
        str(bundle),
        url or "",
        step,
        ADMIN_PASS,
    ]
    child = subprocess.Popen(
        command, cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        # The child prints one line once it has written; a child that fails closes its output.
        line = _line_within(child, seconds=120)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        return line
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()


def _line_within(child: subprocess.Popen[str], seconds: float) -> str:
    """The child's first line of output, or a failure (never a hang) after ``seconds``."""
    import selectors

    assert child.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=seconds):
            pytest.fail(f"the import printed nothing within {seconds} s")
    return child.stdout.readline().strip()


@pytest.mark.parametrize("step", ["_merge_incidents", "_store_evidence"])
def test_import_killed_while_writing_leaves_the_database_as_it_was(
    tmp_path: Path, inst: Institution, bundle: Path, step: str, request: pytest.FixtureRequest
) -> None:
    on_postgresql = inst.ws.engine.dialect.name == "postgresql"
    url = str(request.getfixturevalue("pg_url")) if on_postgresql else None
    before = dump(inst.ws)
    folder = inst.ws.data_dir
    inst.ws.close()  # the importing program takes the folder's writer lock

    assert _run_and_kill(inst, url, bundle, step) == "WRITING"

    reopened = Workspace.open(folder, database_url=url)
    try:
        assert dump(reopened) == before
        assert reopened.verify().ok
        (outcome,) = import_bundles(reopened, inst.identity, [bundle])
        assert outcome.status == IMPORTED, outcome.message
        assert len(record_tables(reopened, inst.session_id)["incident"]) == 3
        assert reopened.verify().ok
    finally:
        reopened.close()


def test_records_the_helper_refuses_after_writing_began_leave_the_database_as_it_was(
    tmp_path: Path,
    inst: Institution,
    bundle: Path,
    helper_starts: list[bool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large bundle's records are written into the open transaction while the helper
    process still checks them; one seal it finds forged refuses the whole bundle, with the
    helper's words, and the transaction that already held the rows is rolled back."""
    with open_bundle(bundle, inst.identity.encryption_key) as opened:
        records, fields = copy.deepcopy(opened.records), opened.fields
        files = [(name, opened.read_file(name)) for name in opened.file_names]
    for name, value in records:
        if name.startswith("incidents/"):
            seal = value[-1]["seal"]
            seal["signature"] = ("1" if seal["signature"][0] == "0" else "0") + seal["signature"][
                1:
            ]
            break
    laptop = Workspace.open(tmp_path / "laptop")  # the folder the bundle fixture made
    forged = tmp_path / "forged.pdbundle"
    try:
        craft(
            forged,
            [
                *((RECORD, n, canonical_bytes(v)) for n, v in records),
                *((FILE, n, data) for n, data in files),
            ],
            edit=set_in(["fields"], fields),
            signer=laptop.device.private_key,
            recipient=inst.identity.public.recipient,
            bundle_id=uuid.uuid4(),
        )
    finally:
        laptop.close()
    before = dump(inst.ws)
    written: list[int] = []
    merge = importing._merge_incidents

    def merge_then_count(db: Session, prepared: Any) -> Any:
        result = merge(db, prepared)
        written.append(_incidents(db))
        return result

    monkeypatch.setattr(importing, "_merge_incidents", merge_then_count)
    (outcome,) = import_bundles(inst.ws, inst.identity, [forged])
    assert outcome.status == REJECTED, outcome.line()
    assert "does not verify" in outcome.message and outcome.reason == "malformed"
    assert written == [3]  # the rows were in the transaction before the helper answered
    assert helper_starts == [True]
    assert dump(inst.ws) == before

    (outcome,) = import_bundles(inst.ws, inst.identity, [bundle])
    assert outcome.status == IMPORTED, outcome.message
    assert helper_starts == [True, True]
    assert inst.ws.verify().ok


@pytest.fixture
def three_bundles(tmp_path: Path, inst: Institution) -> list[Path]:
    """One laptop's bundles, each after the last (``since_last``): 1, 2 and 1 incidents."""
    laptop = make_laptop(tmp_path, "laptop3", "B", inst.kit)
    paths: list[Path] = []
    try:
        for index, count in enumerate((1, 2, 1)):
            for _ in range(count):
                record_incident(laptop, inst.session_id, len(paths) * 10 + _)
            out = tmp_path / f"part{index}.pdbundle"
            export_bundle(laptop, inst.session_id, out, since_last=index > 0)
            paths.append(out)
        return paths
    finally:
        laptop.close()


def test_bundles_imported_together_stand_or_fall_alone(
    inst: Institution, three_bundles: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One transaction holds the whole import, each bundle in its own savepoint: the middle
    bundle failing after it wrote its rows takes back its rows only."""
    with inst.ws.reading() as db:
        incidents_before = _incidents(db)
    middle = open_bundle(three_bundles[1], inst.identity.encryption_key)
    middle_id = str(middle.bundle_id)
    middle.close()
    original = importing._local_audit
    seen: list[int] = []

    def fails_for_the_middle(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        prepared = args[2]
        if prepared.bundle_id == middle_id:
            seen.append(_incidents(_session_of(args)))
            raise ImportRejected("a late check failed")

    monkeypatch.setattr(importing, "_local_audit", fails_for_the_middle)
    outcomes = import_bundles(inst.ws, inst.identity, three_bundles)
    assert [o.status for o in outcomes] == [IMPORTED, REJECTED, IMPORTED], [
        o.line() for o in outcomes
    ]
    assert seen == [incidents_before + 3]  # the first bundle's and its own rows, not yet committed
    assert outcomes[2].gap  # the third follows a bundle that is not here
    with inst.ws.reading() as db:
        assert _incidents(db) == incidents_before + 2
    assert inst.ws.verify().ok

    monkeypatch.setattr(importing, "_local_audit", original)
    outcomes = import_bundles(inst.ws, inst.identity, three_bundles)
    assert [o.status for o in outcomes] == ["already imported", IMPORTED, "already imported"]
    with inst.ws.reading() as db:
        assert _incidents(db) == incidents_before + 4
    assert inst.ws.verify().ok


def test_an_import_the_database_cannot_commit_imports_nothing(
    inst: Institution, three_bundles: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    before = dump(inst.ws)
    commit = Session.commit
    failed: list[bool] = []

    def full_disk(self: Session) -> None:
        if not failed:
            failed.append(True)
            raise OperationalError("COMMIT", {}, Exception("database or disk is full"))
        commit(self)

    monkeypatch.setattr(Session, "commit", full_disk)
    outcomes = import_bundles(inst.ws, inst.identity, three_bundles)
    assert failed == [True]
    assert [(o.status, o.reason) for o in outcomes] == [(REJECTED, "not_saved")] * 3
    assert all("nothing of it was imported" in o.message for o in outcomes)
    assert dump(inst.ws) == before

    outcomes = import_bundles(inst.ws, inst.identity, three_bundles)
    assert [o.status for o in outcomes] == [IMPORTED] * 3, [o.line() for o in outcomes]
    assert inst.ws.verify().ok


def test_many_bundles_are_committed_in_groups_of_about_a_large_bundle(
    inst: Institution, three_bundles: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Groups of at least ``_GROUP_INCIDENTS`` records, one transaction each: the first two
    bundles (three records) are one group and stand when the third's commit fails."""
    from sqlalchemy.exc import OperationalError

    monkeypatch.setattr(importing, "_GROUP_INCIDENTS", 2)
    commit = Session.commit
    commits: list[int] = []

    def second_fails(self: Session) -> None:
        commits.append(_incidents(self))
        if len(commits) == 2:
            raise OperationalError("COMMIT", {}, Exception("database or disk is full"))
        commit(self)

    with inst.ws.reading() as db:
        before = _incidents(db)
    monkeypatch.setattr(Session, "commit", second_fails)
    outcomes = import_bundles(inst.ws, inst.identity, three_bundles)
    monkeypatch.setattr(Session, "commit", commit)
    assert [(o.status, o.reason) for o in outcomes] == [
        (IMPORTED, None),
        (IMPORTED, None),
        (REJECTED, "not_saved"),
    ]
    assert commits[:2] == [before + 3, before + 4]
    with inst.ws.reading() as db:
        assert _incidents(db) == before + 3
    assert inst.ws.verify().ok


def test_a_database_error_in_one_bundle_leaves_the_others_to_commit(
    inst: Institution, three_bundles: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The middle bundle's write fails in the database itself (on PostgreSQL that aborts the
    whole transaction unless its savepoint is rolled back): it alone is rejected, as a
    conflict, and the bundles before and after it are committed."""
    middle = open_bundle(three_bundles[1], inst.identity.encryption_key)
    middle_id = str(middle.bundle_id)
    middle.close()
    with inst.ws.reading() as db:
        before = _incidents(db)
    original = importing._local_audit

    def clashes_for_the_middle(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)
        if args[2].bundle_id == middle_id:  # the last entry again: its seq is taken
            _session_of(args).connection().exec_driver_sql(
                "INSERT INTO audit_log SELECT * FROM audit_log "
                "WHERE seq = (SELECT max(seq) FROM audit_log)"
            )

    monkeypatch.setattr(importing, "_local_audit", clashes_for_the_middle)
    outcomes = import_bundles(inst.ws, inst.identity, three_bundles)
    assert [(o.status, o.reason) for o in outcomes] == [
        (IMPORTED, None),
        (REJECTED, "conflict"),
        (IMPORTED, None),
    ], [o.line() for o in outcomes]
    with inst.ws.reading() as db:
        assert _incidents(db) == before + 2
    assert inst.ws.verify().ok
