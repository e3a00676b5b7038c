"""``bundle export --pdf`` carries the signed PDFs; ``bundle import --trust`` takes only a
device's whole fingerprint (a device accepted for good must not be matched by a prefix)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.demo.seed import seed_demo
from app.core.records.service import Workspace
from tests.support.accounts import first_admin
from tests.support.cli import run


@pytest.fixture
def plain_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, str, str]:
    """An institution, and a laptop without kit with a demo session and its fingerprint."""
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", "admin-pass-1")
    inst, site = tmp_path / "institution", tmp_path / "site"
    assert run(inst, "institution", "init", "--name", "示范鉴定中心") == 0
    first_admin(inst, monkeypatch)
    with Workspace.open(site) as ws:
        session_id = seed_demo(ws, candidates=4, incidents=2).session_id
        fingerprint = ws.device.fingerprint
    return inst, site, session_id, fingerprint


def test_export_carries_the_pdfs_given_and_refuses_other_files(
    plain_site: tuple[Path, Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst, site, session_id, fingerprint = plain_site
    pdf = tmp_path / "session.pdf"
    assert run(site, "report", "session", session_id, "--out", str(pdf)) == 0
    out = tmp_path / "with-pdf.pdbundle"
    args = ("bundle", "export", "--session", session_id, "--out", str(out), "--pdf", str(pdf))
    capsys.readouterr()
    assert run(site, *args) == 0
    assert "signed PDFs 1" in capsys.readouterr().out
    assert run(inst, "bundle", "verify", str(out), "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["fields"]["counts"]["reports"] == 1

    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"j" * 100)
    refused = tmp_path / "refused.pdbundle"
    assert (
        run(
            site,
            "bundle",
            "export",
            "--session",
            session_id,
            "--out",
            str(refused),
            "--pdf",
            str(photo),
        )
        == 2
    )
    assert "not a PDF" in capsys.readouterr().err
    assert not refused.exists()

    assert run(inst, "bundle", "import", str(out), "--trust", fingerprint) == 0
    (stored,) = (inst / "reports" / session_id).rglob("*.pdf")
    # Kept as the laptop signed it, with the institution's archive timestamp appended.
    assert stored.read_bytes().startswith(pdf.read_bytes())
    assert b"/DocTimeStamp" in stored.read_bytes()[len(pdf.read_bytes()) :]


def test_trust_takes_only_a_whole_fingerprint(
    plain_site: tuple[Path, Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst, site, session_id, fingerprint = plain_site
    out = tmp_path / "plain.pdbundle"
    assert run(site, "bundle", "export", "--session", session_id, "--out", str(out)) == 0
    capsys.readouterr()
    for partial in (fingerprint[:9], fingerprint.replace(" ", "")[:-1], "1234", "xyz"):
        assert run(inst, "bundle", "import", str(out), "--trust", partial) == 2
        assert "whole fingerprint" in capsys.readouterr().err
    assert run(inst, "bundle", "verify", str(out), "--json") == 0
    assert json.loads(capsys.readouterr().out)["device_status"] == "unaccepted"
    assert run(inst, "bundle", "import", str(out), "--json") == 1
    (outcome,) = json.loads(capsys.readouterr().out)
    assert outcome["reason"] == "unaccepted_device"
    assert outcome["device_fingerprint"] == fingerprint
    spaced_upper = fingerprint.upper().replace(" ", "  ")
    assert run(inst, "bundle", "import", str(out), "--trust", spaced_upper, "--json") == 0
    (outcome,) = json.loads(capsys.readouterr().out)
    assert outcome["status"] == "imported" and outcome["reason"] is None
    # Accepting a device at import is written to the audit log, like accept-device.
    with Workspace.open(inst) as ws, ws.reading() as db:
        from sqlmodel import col, select

        from app.core.records.tables import AuditEntry

        accepted = db.exec(
            select(AuditEntry.details_json).where(col(AuditEntry.action) == "accept_device")
        ).all()
    assert len(accepted) == 1 and fingerprint.replace(" ", "") in accepted[0]
    assert run(inst, "verify") == 0


def test_verify_names_a_site_kit_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", "admin-pass-1")
    monkeypatch.setenv("PROCTOR_DESK_SITE_PASSPHRASE", "site-pass-123")
    inst = tmp_path / "institution"
    assert run(inst, "institution", "init", "--name", "示范鉴定中心") == 0
    first_admin(inst, monkeypatch)
    with Workspace.open(inst) as ws:
        session_id = seed_demo(ws, candidates=4, incidents=0).session_id
    kit = tmp_path / "site.kit"
    assert run(inst, "kit", "export", "--session", session_id, "--out", str(kit)) == 0
    capsys.readouterr()
    assert run(inst, "bundle", "verify", str(kit)) == 0
    out = capsys.readouterr().out
    assert "这是考点包" in out and "kit import" in out and session_id in out
    assert "None" not in out and "--trust" not in out
    assert run(inst, "bundle", "verify", str(kit), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "proctor-desk-site-kit" and "device" not in report


def test_receipt_issue_never_overwrites_a_file(
    plain_site: tuple[Path, Path, str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst, site, session_id, fingerprint = plain_site
    out = tmp_path / "plain.pdbundle"
    assert run(site, "bundle", "export", "--session", session_id, "--out", str(out)) == 0
    capsys.readouterr()
    assert run(inst, "bundle", "import", str(out), "--trust", fingerprint, "--json") == 0
    (outcome,) = json.loads(capsys.readouterr().out)
    taken = tmp_path / "notes.txt"
    taken.write_text("考场记录", encoding="utf-8")
    args = ("bundle", "receipt", "issue", outcome["bundle_id"], "--out")
    assert run(inst, *args, str(taken)) == 2
    assert "already exists" in capsys.readouterr().err
    assert taken.read_text(encoding="utf-8") == "考场记录"
    assert run(inst, *args, str(tmp_path / "receipt.json")) == 0
