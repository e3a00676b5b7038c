"""``proctor-desk institution`` and ``kit`` end to end: the institution creates its identity and
a session's kit; the laptop imports it and signs its PDFs with the site certificate, which
``report verify --trust root.pem`` and poppler's pdfsig (NSS trusting the root) accept."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from app.core.demo.seed import DEMO_PIN, seed_demo
from app.core.demo.strokes import synthetic_strokes
from app.core.records.content import IncidentDraft
from app.core.records.service import Workspace
from app.core.rulebook.model import StaffRole
from tests.support.accounts import ADMIN, ADMIN_PASSWORD
from tests.support.cli import run

WHEN = dt.datetime(2024, 6, 15, 9, 40, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _passphrase_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "admin.pass").write_text("admin-pass-1\n", encoding="utf-8")
    (tmp_path / "site.pass").write_text("site-pass-123\n", encoding="utf-8")
    monkeypatch.delenv("PROCTOR_DESK_PASSPHRASE", raising=False)
    monkeypatch.delenv("PROCTOR_DESK_SITE_PASSPHRASE", raising=False)
    # The institution's commands act as its first admin (made in ``institution_with_kit``);
    # a site laptop has no accounts and ignores these.
    monkeypatch.setenv("PROCTOR_DESK_USER", ADMIN)
    monkeypatch.setenv("PROCTOR_DESK_PASSWORD", ADMIN_PASSWORD)


def institution_with_kit(tmp_path: Path) -> tuple[Path, str, Path]:
    inst = tmp_path / "institution"
    admin = str(tmp_path / "admin.pass")
    assert (
        run(inst, "institution", "init", "--name", "示范鉴定中心", "--passphrase-file", admin) == 0
    )
    password = tmp_path / "account.pass"
    password.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    first = ("user", "add", ADMIN, "--role", "admin", "--new-password-file", str(password))
    assert run(inst, *first, "--passphrase-file", admin) == 0
    with Workspace.open(inst) as ws:
        session_id = seed_demo(ws, candidates=4, incidents=0).session_id
    kit = tmp_path / "site.kit"
    assert (
        run(
            inst,
            "--user",
            ADMIN,
            "--password-file",
            str(password),
            "kit",
            "export",
            "--session",
            session_id,
            "--out",
            str(kit),
            "--passphrase-file",
            admin,
            "--site-passphrase-file",
            str(tmp_path / "site.pass"),
        )
        == 0
    )
    return inst, session_id, kit


def confirmed_incident(folder: Path, session_id: str) -> str:
    with Workspace.open(folder) as ws:
        staff = ws.staff(session_id)
        admins = [s for s in staff if s.role == StaffRole.EXAM_ADMIN.value]
        head = next(s for s in staff if s.role == StaffRole.SITE_HEAD.value)
        person = ws.candidates(session_id)[0]
        draft = IncidentDraft(
            party="candidate",
            occurred_at=WHEN,
            subject="理论知识",
            person_id=person.id,
            clause="6.1",
            description="携带手机并使用",
        )
        incident = ws.create_incident(session_id, draft)
        for signer in admins[:2]:
            ws.sign(incident.id, signer.id, synthetic_strokes(signer.name), DEMO_PIN)
        ws.acknowledge(incident.id, synthetic_strokes("candidate"))
        ws.confirm(incident.id, head.id, synthetic_strokes(head.name), DEMO_PIN)
        return incident.id


def test_kit_import_then_site_signed_report_verifies_against_the_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst, session_id, kit = institution_with_kit(tmp_path)
    laptop = tmp_path / "laptop"
    site_pass = str(tmp_path / "site.pass")
    assert run(laptop, "kit", "import", str(kit), "--site-passphrase-file", site_pass) == 0
    assert "device certified by the site" in capsys.readouterr().out
    incident_id = confirmed_incident(laptop, session_id)
    pdf = tmp_path / "incident.pdf"
    assert run(laptop, "report", "incident", incident_id, "--out", str(pdf)) == 0
    root = tmp_path / "root.pem"
    assert run(inst, "institution", "root-cert", "--out", str(root)) == 0
    capsys.readouterr()
    assert run(laptop, "report", "verify", str(pdf), "--trust", str(root)) == 0
    out = capsys.readouterr().out
    assert "trusted: yes" in out and "result: intact" in out
    if shutil.which("pdfsig") and shutil.which("certutil"):
        nss = tmp_path / "nss"
        nss.mkdir()
        subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True)
        subprocess.run(
            ["certutil", "-A", "-d", f"sql:{nss}", "-n", "root", "-t", "CT,C,C", "-i", str(root)],
            check=True,
        )
        result = subprocess.run(
            ["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True
        )
        text = result.stdout + result.stderr
        assert "Signature is Valid" in text
        assert "Certificate is Trusted" in text


def test_tampered_kit_and_foreign_kit_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, kit = institution_with_kit(tmp_path)
    laptop = tmp_path / "laptop"
    data = bytearray(kit.read_bytes())
    data[200] ^= 0x01
    bad = tmp_path / "bad.kit"
    bad.write_bytes(bytes(data))
    capsys.readouterr()
    assert run(laptop, "kit", "import", str(bad), "--no-certify") == 2
    err = capsys.readouterr().err
    assert "damaged or altered" in err and err.count("\n") == 1
    # The kit is encrypted: even uncertified, its session needs the site passphrase.
    assert run(laptop, "kit", "import", str(kit), "--no-certify") == 2
    assert "site passphrase" in capsys.readouterr().err
    site = str(tmp_path / "site.pass")
    assert (
        run(laptop, "kit", "import", str(kit), "--no-certify", "--site-passphrase-file", site) == 0
    )
    other = tmp_path / "other"
    other.mkdir()
    (other / "admin.pass").write_text("admin-pass-1\n", encoding="utf-8")
    (other / "site.pass").write_text("site-pass-123\n", encoding="utf-8")
    _, _, foreign = institution_with_kit(other)
    capsys.readouterr()
    assert run(laptop, "kit", "import", str(foreign), "--no-certify") == 2
    assert "another institution" in capsys.readouterr().err


def test_passphrase_is_needed_and_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inst, session_id, _ = institution_with_kit(tmp_path)
    wrong = tmp_path / "wrong.pass"
    wrong.write_text("not-it-at-all\n", encoding="utf-8")
    capsys.readouterr()
    args = ("kit", "export", "--session", session_id, "--out", str(tmp_path / "k2"))
    assert run(inst, *args, "--passphrase-file", str(wrong)) == 2
    assert "passphrase is wrong" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert run(inst, *args) == 2
    assert "--passphrase-file" in capsys.readouterr().err
    assert not (tmp_path / "k2").exists()


def test_missing_kit_file_is_not_called_damaged_and_a_laptop_shows_its_institution(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, kit = institution_with_kit(tmp_path)
    laptop = tmp_path / "laptop"
    site = str(tmp_path / "site.pass")
    capsys.readouterr()
    missing = tmp_path / "nonexistent.kit"
    assert run(laptop, "kit", "import", str(missing), "--site-passphrase-file", site) == 2
    err = capsys.readouterr().err
    assert "No such file" in err and "damaged" not in err
    assert run(laptop, "kit", "import", str(kit), "--site-passphrase-file", site) == 0
    capsys.readouterr()
    assert run(laptop, "institution", "show") == 0
    out = capsys.readouterr().out
    assert "site laptop" in out and "示范鉴定中心" in out and "institution init" not in out
