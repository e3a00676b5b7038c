"""Record proofs checked in a helper process: the same answers as in place, and in place
again whenever the helper cannot be started, dies or answers what it cannot mean."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import app.__main__ as entry
from app.core.seal import device_keys
from app.core.seal.record_seal import make_seal
from app.core.sync import proof_worker
from app.core.sync.export import export_bundle
from app.core.sync.importing import IMPORTED, import_bundles
from app.core.sync.record_hashes import seal_payload_bytes
from app.core.sync.record_proofs import Job, seal_job
from tests.support.sync import make_institution, make_laptop, record_incident

ROOT = Path(__file__).resolve().parents[2]


def signature_row(ident: str) -> dict[str, Any]:
    return {
        "id": ident,
        "kind": "staff",
        "staff_id": "staff-1",
        "candidate_id": None,
        "signer_name": "王老师",
        "role": "exam_admin",
        "signed_at": "2024-06-15T01:40:00.000000Z",
        "strokes_json": '"s1:AQEDAgQG"',
        "content_hash": "ab" * 32,
    }


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> list[Job]:
    key = device_keys.load_or_create(tmp_path_factory.mktemp("device"))
    made: list[Job] = []
    for index in range(6):
        rows = [signature_row(f"sig-{index}-a"), signature_row(f"sig-{index}-b")]
        value = make_seal(key, seal_payload_bytes(f"inc-{index}", "ab" * 32, rows))
        seal = {
            "payload_hash": value.payload_hash,
            "signature": value.signature_hex,
            "public_key": value.public_key_hex,
        }
        made.append(seal_job({"id": f"inc-{index}", "content_hash": "ab" * 32}, rows, seal))
    made[2][3] = ("1" if made[2][3][0] == "0" else "0") + made[2][3][1:]  # forged signature
    made[4] = seal_job(  # the seal no longer covers what it names
        {"id": "inc-other", "content_hash": "ab" * 32}, [signature_row("sig-4-a")], seal
    )
    return made


EXPECTED = [
    ("job 2", "the device signature on the seal does not verify"),
    ("job 4", "the sealed content or signatures have changed since the seal"),
]


def failures(jobs: list[Job], expected: int) -> tuple[list[tuple[str, str]], bool]:
    with proof_worker.proof_checks(expected) as checks:
        for index, job in enumerate(jobs):
            checks.add(f"job {index}", job)
        in_helper = checks.in_helper
        checks.end()
        # Every job sent before the answer is asked for: else the caller takes back what is
        # still unsent, and the helper would have nothing to answer for.
        deadline = time.monotonic() + 30
        while in_helper and len(checks.given) < len(jobs) and time.monotonic() < deadline:
            time.sleep(0.01)
        return checks.failures(), in_helper


def test_in_place_and_in_the_helper_the_same_proofs_fail(jobs: list[Job]) -> None:
    assert failures(jobs, 0) == (EXPECTED, False)
    assert failures(jobs, proof_worker.PROCESS_THRESHOLD) == (EXPECTED, True)


@pytest.mark.parametrize(
    "script",
    [
        "import sys; sys.exit(3)",  # dies at once
        "import sys; sys.stdin.buffer.read(); sys.stdout.buffer.write(b'junk')",  # garbage
        # A well-formed answer naming a job that was never sent.
        "import sys, struct; sys.stdin.buffer.read(); d = b'[[99,\"x\"]]'; "
        "sys.stdout.buffer.write(struct.pack('<Q', len(d)) + d)",
        "import sys; sys.stdin.buffer.read()",  # says nothing
    ],
)
def test_a_helper_that_fails_or_answers_nonsense_is_not_trusted(
    jobs: list[Job], monkeypatch: pytest.MonkeyPatch, script: str
) -> None:
    monkeypatch.setattr(
        proof_worker, "_command", lambda: ([sys.executable, "-c", script], {"PATH": ""})
    )
    assert failures(jobs, proof_worker.PROCESS_THRESHOLD) == (EXPECTED, True)


def test_a_helper_that_cannot_be_started_leaves_the_checks_in_place(
    jobs: list[Job], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(proof_worker, "_command", lambda: (["/nonexistent/python"], {}))
    assert failures(jobs, proof_worker.PROCESS_THRESHOLD) == (EXPECTED, False)


def test_the_packaged_program_serves_proofs_with_its_flag(jobs: list[Job]) -> None:
    assert entry.SERVE_FLAG == proof_worker.SERVE_FLAG
    frames = proof_worker._frame(jobs) + proof_worker._LENGTH.pack(0)
    done = subprocess.run(
        [sys.executable, "-m", "app", entry.SERVE_FLAG],
        input=frames,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    size = proof_worker._LENGTH.unpack(done.stdout[:8])[0]
    assert done.stdout[8 : 8 + size] == (
        b'[[2,"the device signature on the seal does not verify"],'
        b'[4,"the sealed content or signatures have changed since the seal"]]'
    )


def test_a_bundle_imports_with_its_proofs_checked_by_the_helper(
    tmp_path: Path, helper_starts: list[bool]
) -> None:
    inst = make_institution(tmp_path)
    laptop = make_laptop(tmp_path, "laptop", "A", inst.kit)
    for index in range(3):
        record_incident(laptop, inst.session_id, index)
    bundle = tmp_path / "b.pdbundle"
    export_bundle(laptop, inst.session_id, bundle)
    (outcome,) = import_bundles(inst.ws, inst.identity, [bundle])
    assert outcome.status == IMPORTED, outcome.line()
    assert outcome.counts["incidents_added"] == 3
    assert helper_starts == [True]
    assert inst.ws.verify().ok
    laptop.close()
    inst.ws.close()


def test_jobs_not_yet_sent_are_checked_by_the_caller_while_the_helper_works(
    jobs: list[Job], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A helper slow to start holds its first batch in the pipe; the caller, waiting for the
    answer, takes back the batches still unsent and checks them itself: the failures are the
    same as in place, named by the right jobs whoever checked them."""
    many = jobs * 300  # 1,800 jobs: four batches
    in_place, _ = failures(many, 0)
    assert len(in_place) == 600
    command = proof_worker._command

    def slow() -> tuple[list[str], dict[str, str]]:
        args, env = command()
        return [*args[:-1], "import time; time.sleep(1.5); " + args[-1]], env

    monkeypatch.setattr(proof_worker, "_command", slow)
    with proof_worker.proof_checks(proof_worker.PROCESS_THRESHOLD) as checks:
        for index, job in enumerate(many):
            checks.add(f"job {index}", job)
        assert checks.in_helper
        found = checks.failures()
        sent = len(checks.given)
    assert found == in_place
    assert 0 < sent < len(many)  # the helper checked some, the caller the rest


def test_the_helper_imports_no_database_code() -> None:
    """The helper starts while the import reads: what it imports to check records is read
    from disk and run on the second core before its first answer (the tables' columns come
    with the jobs), so it stays clear of the database layers."""
    code = (
        "import sys, app.core.sync.proof_worker, app.core.sync.record_checks; "
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic', 'PySide6') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_frame_that_cannot_be_made_never_leaves_the_caller_waiting(
    jobs: list[Job], monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the thread feeding the helper fails for a reason of its own, the helper is stopped
    and the caller checks everything in place, rather than wait for an answer forever."""
    frame = proof_worker._frame

    def unencodable(value: Any) -> bytes:
        if value and value[0][0] == "seal":
            raise RuntimeError("cannot be encoded")
        return frame(value)

    monkeypatch.setattr(proof_worker, "_frame", unencodable)
    result: dict[str, Any] = {}
    caller = threading.Thread(
        target=lambda: result.update(got=failures(jobs, proof_worker.PROCESS_THRESHOLD)),
        daemon=True,
    )
    caller.start()
    caller.join(timeout=60)
    assert not caller.is_alive(), "the caller was left waiting for the helper"
    assert result["got"] == (EXPECTED, True)
