"""``proctor-desk bundle`` end to end: export on the laptop (full, then --since-last), verify and
import at the institution, re-import (exit 0, nothing changed), a laptop without kit accepted
by --trust, revocation, import receipt and purge."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pytest

from app.core.demo.seed import DEMO_PIN, seed_demo
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft
from app.core.records.db import DB_FILE
from app.core.records.service import Workspace
from app.core.rulebook.model import StaffRole
from tests.support.accounts import first_admin
from tests.support.cli import run

WHEN = dt.datetime(2024, 6, 15, 9, 40, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _passphrases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", "admin-pass-1")
    monkeypatch.setenv("PROCTOR_DESK_SITE_PASSPHRASE", "site-pass-123")


def dump(folder: Path) -> list[str]:
    con = sqlite3.connect(folder / DB_FILE)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def record(folder: Path, session_id: str, index: int) -> str:
    with Workspace.open(folder) as ws:
        staff = ws.staff(session_id)
        admins = [s for s in staff if s.role == StaffRole.EXAM_ADMIN.value]
        head = next(s for s in staff if s.role == StaffRole.SITE_HEAD.value)
        person = ws.candidates(session_id)[index]
        draft = IncidentDraft(
            party="candidate",
            occurred_at=WHEN,
            subject="理论知识",
            person_id=person.id,
            clause="6.1",
            description=f"携带手机并使用 {index}",
        )
        incident = ws.create_incident(session_id, draft)
        for signer in admins[:2]:
            ws.sign(incident.id, signer.id, synthetic_strokes(signer.name), DEMO_PIN)
        ws.acknowledge(incident.id, synthetic_strokes("candidate"))
        ws.confirm(incident.id, head.id, synthetic_strokes(head.name), DEMO_PIN)
        return incident.id


@pytest.fixture
def sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, str]:
    inst, laptop = tmp_path / "institution", tmp_path / "laptop"
    assert run(inst, "institution", "init", "--name", "示范鉴定中心") == 0
    first_admin(inst, monkeypatch)  # the institution's commands act as its admin
    with Workspace.open(inst) as ws:
        session_id = seed_demo(ws, candidates=4, incidents=0).session_id
    kit = tmp_path / "site.kit"
    assert run(inst, "kit", "export", "--session", session_id, "--out", str(kit)) == 0
    assert run(laptop, "kit", "import", str(kit)) == 0
    return inst, laptop, session_id


def test_export_verify_import_reimport_receipt_purge(
    sites: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst, laptop, session_id = sites
    record(laptop, session_id, 0)
    full = tmp_path / "full.pdbundle"
    capsys.readouterr()
    assert run(laptop, "bundle", "export", "--session", session_id, "--out", str(full)) == 0
    receipt_text = capsys.readouterr().out
    assert "SHA-256" in receipt_text and "encrypted to the institution" in receipt_text
    # The time as the site reads its clock (the session's zone), not UTC.
    assert re.search(r"Created \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC[+-]\d\d:\d\d", receipt_text)

    assert run(inst, "bundle", "verify", str(full), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["content_checked"] and report["encrypted"]
    assert report["fields"]["session_id"] == session_id
    assert len(report["certificate_chain"]) == 3
    assert report["signer_fingerprint"]
    assert report["device"].startswith("certified through a site of this institution")
    assert report["device_status"] == "certified"

    assert run(inst, "bundle", "import", str(full)) == 0
    assert "imported" in capsys.readouterr().out
    before = dump(inst)
    assert run(inst, "bundle", "import", str(full)) == 0
    assert "already imported" in capsys.readouterr().out
    assert dump(inst) == before

    record(laptop, session_id, 1)
    inc = tmp_path / "inc.pdbundle"
    assert (
        run(laptop, "bundle", "export", "--session", session_id, "--out", str(inc), "--since-last")
        == 0
    )
    capsys.readouterr()
    assert run(inst, "bundle", "import", str(inc), "--json") == 0
    (outcome,) = json.loads(capsys.readouterr().out)
    assert outcome["status"] == "imported" and not outcome["gap"]
    assert outcome["counts"]["incidents_added"] == 1

    receipt = tmp_path / "receipt.json"
    assert run(inst, "bundle", "receipt", "issue", outcome["bundle_id"], "--out", str(receipt)) == 0
    assert run(laptop, "bundle", "purge", "--session", session_id) == 2
    assert run(laptop, "bundle", "receipt", "accept", str(receipt)) == 0
    assert run(laptop, "bundle", "purge", "--session", session_id, "--yes") == 0
    assert "purged session" in capsys.readouterr().out
    with Workspace.open(laptop) as ws:
        assert ws.candidates(session_id) == []
    assert run(laptop, "verify") == 0
    assert "1 purged session(s) skipped" in capsys.readouterr().out
    assert run(laptop, "session", "list") == 0
    assert "已清除个人信息 (purged)" in capsys.readouterr().out


def test_damaged_bundle_is_refused_with_one_line_and_exit_1(
    sites: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst, laptop, session_id = sites
    record(laptop, session_id, 0)
    out = tmp_path / "b.pdbundle"
    assert run(laptop, "bundle", "export", "--session", session_id, "--out", str(out)) == 0
    data = bytearray(out.read_bytes())
    data[-40] ^= 0x02
    out.write_bytes(bytes(data))
    before = dump(inst)
    capsys.readouterr()
    assert run(inst, "bundle", "verify", str(out)) == 1
    assert "REFUSED" in capsys.readouterr().out
    assert run(inst, "bundle", "verify", str(out), "--json") == 1
    assert json.loads(capsys.readouterr().out)["reason"] == "damaged"
    assert run(inst, "bundle", "import", str(out)) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "rejected" in lines[0] and "altered" in lines[0]
    assert dump(inst) == before


def test_laptop_without_kit_needs_trust_and_can_be_revoked(
    sites: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst, _, _ = sites
    site = tmp_path / "no-kit"
    with Workspace.open(site) as ws:
        session_id = seed_demo(ws, candidates=4, incidents=1).session_id
        fingerprint = ws.device.fingerprint
    out = tmp_path / "plain.pdbundle"
    assert run(site, "bundle", "export", "--session", session_id, "--out", str(out)) == 0
    capsys.readouterr()
    assert run(inst, "bundle", "verify", str(out)) == 0
    verified = capsys.readouterr().out
    assert fingerprint in verified and "NOT accepted yet" in verified
    assert run(inst, "bundle", "import", str(out)) == 1
    assert "--trust" in capsys.readouterr().out
    assert run(inst, "bundle", "import", str(out), "--trust", fingerprint) == 0
    assert run(inst, "institution", "revoke-device", fingerprint, "--reason", "丢失") == 0
    with Workspace.open(site) as ws:
        seed_demo(ws, candidates=4, incidents=1)
    later = tmp_path / "later.pdbundle"
    assert (
        run(site, "bundle", "export", "--session", session_id, "--out", str(later), "--since-last")
        == 0
    )
    capsys.readouterr()
    assert run(inst, "bundle", "import", str(later)) == 1
    assert "revoked" in capsys.readouterr().out
    assert run(inst, "institution", "devices") == 0
    assert "revoked" in capsys.readouterr().out


def test_laptop_checks_its_encrypted_bundle_against_what_it_exported(
    sites: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the institution's key the laptop cannot open the contents, but it can tell
    whether the file on the stick is the very one it wrote."""
    _, laptop, session_id = sites
    record(laptop, session_id, 0)
    out = tmp_path / "stick.pdbundle"
    assert run(laptop, "bundle", "export", "--session", session_id, "--out", str(out)) == 0
    capsys.readouterr()
    assert run(laptop, "bundle", "verify", str(out)) == 0
    said = capsys.readouterr().out
    assert said.startswith("完好") and "the very file this laptop exported" in said
    data = bytearray(out.read_bytes())
    data[-40] ^= 0x02  # inside the encrypted part: the container alone looks intact
    flipped = tmp_path / "flipped.pdbundle"
    flipped.write_bytes(bytes(data))
    assert run(laptop, "bundle", "verify", str(flipped), "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["matches_export"] is False and not report["ok"]
    assert run(tmp_path / "elsewhere", "bundle", "verify", str(out)) == 0
    assert capsys.readouterr().out.startswith("外层完好，加密内容只有评价机构能核对")
