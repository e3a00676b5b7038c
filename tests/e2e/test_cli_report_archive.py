"""The archive end to end (docs/archive.md): a kit laptop signs with its site certificate
(``report certificate`` writes that one), the institution imports the bundle and timestamps
its PDFs, ``report archived`` lists and writes them, and five years on, past every site and
device certificate, the archived copy verifies while the laptop's copy says where to look."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509

from app.core.reports.pdf_verification import check_pdf, load_certificates
from tests.e2e.test_cli_kit import confirmed_incident, institution_with_kit
from tests.support.accounts import ADMIN, ADMIN_PASSWORD
from tests.support.cli import run

FIVE_YEARS_ON = (dt.datetime.now(dt.UTC) + dt.timedelta(days=5 * 366)).strftime("%Y-%m-%d")


@pytest.fixture(autouse=True)
def _passphrase_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "admin.pass").write_text("admin-pass-1\n", encoding="utf-8")
    (tmp_path / "site.pass").write_text("site-pass-123\n", encoding="utf-8")
    monkeypatch.delenv("PROCTOR_DESK_PASSPHRASE", raising=False)
    monkeypatch.delenv("PROCTOR_DESK_SITE_PASSPHRASE", raising=False)
    # The institution's commands act as its first admin (made in ``institution_with_kit``).
    monkeypatch.setenv("PROCTOR_DESK_USER", ADMIN)
    monkeypatch.setenv("PROCTOR_DESK_PASSWORD", ADMIN_PASSWORD)


@pytest.fixture
def archived_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, Path, Path, str]:
    """(institution, laptop, the laptop's signed PDF, session id), the bundle carrying the
    PDF imported at the institution."""
    inst, session_id, kit = institution_with_kit(tmp_path)
    laptop = tmp_path / "laptop"
    site_pass, admin = str(tmp_path / "site.pass"), str(tmp_path / "admin.pass")
    assert run(laptop, "kit", "import", str(kit), "--site-passphrase-file", site_pass) == 0
    incident_id = confirmed_incident(laptop, session_id)
    pdf = tmp_path / "incident.pdf"
    assert run(laptop, "report", "incident", incident_id, "--out", str(pdf)) == 0
    bundle = tmp_path / "site.pdbundle"
    export = ("bundle", "export", "--session", session_id, "--out", str(bundle), "--pdf", str(pdf))
    assert run(laptop, *export) == 0
    assert run(inst, "bundle", "import", str(bundle), "--passphrase-file", admin) == 0
    capsys.readouterr()
    return inst, laptop, pdf, session_id


def test_report_certificate_on_a_kit_laptop_is_the_site_certificate_that_signs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, session_id, kit = institution_with_kit(tmp_path)
    laptop = tmp_path / "laptop"
    site_pass = str(tmp_path / "site.pass")
    assert run(laptop, "kit", "import", str(kit), "--site-passphrase-file", site_pass) == 0
    pdf = tmp_path / "incident.pdf"
    assert (
        run(laptop, "report", "incident", confirmed_incident(laptop, session_id), "--out", str(pdf))
        == 0
    )
    cert_file = tmp_path / "signing.pem"
    assert run(laptop, "report", "certificate", "--out", str(cert_file)) == 0
    (cert,) = load_certificates(cert_file.read_bytes())
    serial = cert.subject.get_attributes_for_oid(x509.oid.NameOID.SERIAL_NUMBER)
    assert [a.value for a in serial] == [session_id]  # the site certificate of the session
    # The certificate written is the one that signed: trusting it alone verifies the PDF.
    check = check_pdf(pdf.read_bytes(), [cert])
    assert check.trusted
    assert session_id in check.signatures[0].signer
    by_session = tmp_path / "by-session.pem"
    args = ("report", "certificate", "--session", session_id, "--out", str(by_session))
    assert run(laptop, *args) == 0
    assert by_session.read_bytes() == cert_file.read_bytes()


def test_archived_lists_and_writes_the_timestamped_copy(
    archived_site: tuple[Path, Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst, _, pdf, session_id = archived_site
    assert run(inst, "report", "archived", "--json") == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert list(entry)[:5] == ["id", "kind", "record", "session_id", "timestamped_at"]
    assert entry["kind"] == "incident" and entry["session_id"] == session_id
    assert entry["record"] and entry["timestamped_at"] and entry["timestamps"] == 1
    assert entry["problem"] == ""
    out = tmp_path / "archived.pdf"
    assert run(inst, "report", "archived", entry["id"][:8], "--out", str(out)) == 0
    assert out.read_bytes().startswith(pdf.read_bytes())
    assert run(inst, "report", "archived") == 0
    assert entry["id"] in capsys.readouterr().out
    assert run(inst, "report", "archived", "0000", "--out", str(tmp_path / "none.pdf")) == 2
    assert "no archived PDF" in capsys.readouterr().err
    admin = str(tmp_path / "admin.pass")
    assert run(inst, "report", "archived", "--renew", "--passphrase-file", admin) == 0
    assert "renewed 0" in capsys.readouterr().out  # nothing ends within two years


def test_five_years_on_the_archived_copy_verifies_and_the_laptop_copy_points_to_it(
    archived_site: tuple[Path, Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst, laptop, pdf, _ = archived_site
    assert run(inst, "report", "archived", "--json") == 0
    (entry,) = json.loads(capsys.readouterr().out)
    archived = tmp_path / "archived.pdf"
    assert run(inst, "report", "archived", entry["id"], "--out", str(archived)) == 0
    capsys.readouterr()

    # Today both verify.
    assert run(laptop, "report", "verify", str(pdf)) == 0
    assert run(laptop, "report", "verify", str(archived)) == 0
    capsys.readouterr()

    # Five years on, every site and device certificate has ended.
    for folder in (inst, laptop):
        assert run(folder, "report", "verify", str(archived), "--at", FIVE_YEARS_ON) == 0
        out = capsys.readouterr().out
        assert "document timestamp: ProctorDeskArchive1" in out
        assert "the time the timestamp after it proves" in out
        assert "when the institution's timestamp proves it existed" in out

    assert run(laptop, "report", "verify", str(pdf), "--at", FIVE_YEARS_ON) == 1
    out = capsys.readouterr().out
    assert (
        "valid when signed, certificate expired since, no timestamp: check the institution's "
        "archived copy" in out
    )
    assert "NOT intact" not in out


def test_archived_is_the_institutions(
    archived_site: tuple[Path, Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, laptop, _, _ = archived_site
    assert run(laptop, "report", "archived") == 2
    assert "kept at the institution" in capsys.readouterr().err


def test_a_bad_time_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(SystemExit) as exc:
        run(tmp_path / "data", "report", "verify", str(pdf), "--at", "someday")
    assert exc.value.code == 2
    assert "no date or time" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime (libfaketime)")
def test_with_the_clock_itself_moved_five_years_the_archived_copy_verifies(
    archived_site: tuple[Path, Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No --at: the whole program runs five years on (libfaketime), as a reader's would."""
    inst, laptop, pdf, _ = archived_site
    assert run(inst, "report", "archived", "--json") == 0
    (entry,) = json.loads(capsys.readouterr().out)
    archived = tmp_path / "archived.pdf"
    assert run(inst, "report", "archived", entry["id"], "--out", str(archived)) == 0

    def verify(path: Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "app", "--data-dir", str(laptop), "report", "verify"]
        return subprocess.run(
            ["faketime", f"{FIVE_YEARS_ON} 12:00:00", *command, str(path)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
        )

    archived_result = verify(archived)
    assert archived_result.returncode == 0, archived_result.stdout + archived_result.stderr
    assert "when the institution's timestamp proves it existed" in archived_result.stdout
    laptop_result = verify(pdf)
    assert laptop_result.returncode == 1
    assert "no timestamp: check the institution's archived copy" in laptop_result.stdout
