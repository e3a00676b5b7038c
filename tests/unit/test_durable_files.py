"""Files the app says are written survive a power cut: the file is synced before its rename,
and the folder after it (else the rename itself may be lost). Checked by watching which files
and folders are synced, on Linux, where ``/proc`` names an open descriptor's path."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from app.core.demo.seed import DEMO_PIN, DemoSession, seed_demo
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft, IncidentError
from app.core.records.evidence import EVIDENCE_DIR, evidence_path, store_file
from app.core.records.service import Workspace
from app.core.seal.device_keys import INFO_FILE, load_or_create, set_code

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/fd")


@pytest.fixture
def synced(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The paths passed through ``os.fsync``, in order."""
    paths: list[Path] = []
    real = os.fsync

    def spy(fd: int) -> None:
        paths.append(Path(os.readlink(f"/proc/self/fd/{fd}")))
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    return paths


def test_an_evidence_file_and_its_folder_are_synced(tmp_path: Path, synced: list[Path]) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(b"\xff\xd8 a photo")
    sha, _ = store_file(tmp_path / "data", source)
    target = evidence_path(tmp_path / "data", sha)
    assert target.read_bytes() == source.read_bytes()
    incoming = [p for p in synced if p.name.startswith(".incoming-")]
    assert incoming, "the content is synced before the rename"
    assert synced.index(incoming[0]) < synced.index(target.parent), "then the folder"
    # The folders made on the way are entries of their parents: synced too.
    assert tmp_path / "data" / EVIDENCE_DIR in synced
    assert tmp_path / "data" in synced


def test_the_device_code_file_is_synced_with_its_folder(tmp_path: Path, synced: list[Path]) -> None:
    folder = tmp_path / "device"
    load_or_create(folder)
    synced.clear()
    set_code(folder, "KB")
    assert any(p.parent == folder and p.name.endswith(".tmp") for p in synced)
    assert folder in synced
    assert '"code": "KB"' in (folder / INFO_FILE).read_text(encoding="utf-8")


def test_evidence_for_a_confirmed_record_is_refused_before_it_is_copied(
    ws: Workspace, tmp_path: Path
) -> None:
    demo: DemoSession = seed_demo(ws, candidates=4, incidents=0)
    import datetime as dt

    draft = IncidentDraft(
        party="candidate",
        occurred_at=dt.datetime(2024, 6, 15, 9, 30, tzinfo=dt.UTC),
        subject="理论知识",
        person_id=demo.candidates[0].id,
        clause="6.1",
        description="使用手机",
        time_outside_subjects_confirmed=True,  # 17:30 in Beijing: after both subjects
    )
    incident = ws.create_incident(demo.session_id, draft).id
    ink = synthetic_strokes("签名")
    for staff in demo.staff["exam_admin"][:2]:
        ws.sign(incident, staff.id, ink, DEMO_PIN)
    ws.acknowledge(incident, ink)
    ws.confirm(incident, demo.staff["site_head"][0].id, ink, DEMO_PIN)
    photo = tmp_path / "late.jpg"
    photo.write_bytes(b"\xff\xd8 taken later")
    with pytest.raises(IncidentError, match="confirmed; evidence is attached"):
        ws.attach_evidence(incident, photo)
    store = ws.data_dir / EVIDENCE_DIR
    assert not store.exists() or not any(p.is_file() for p in store.rglob("*"))
