"""``proctor-desk institution``: a passphrase file as Windows Notepad saves it, and accepting
and revoking devices: only by the whole fingerprint, a revocation only with a reason and never
overwritten, each change audited once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.accounts import ADMIN, first_admin
from tests.support.cli import Run, one_line_error


def test_passphrase_file_with_bom_and_crlf(tmp_path: Path) -> None:
    from app.cli.institution import PASSPHRASE_ENV, read_passphrase

    file = tmp_path / "pp"
    file.write_bytes(b"\xef\xbb\xbfsecret-pass-1\r\n")
    assert read_passphrase(str(file), PASSPHRASE_ENV, "x") == "secret-pass-1"


def test_identity_made_from_a_bom_file_opens_with_the_typed_passphrase(
    cli: Run, data_dir: Path, tmp_path: Path
) -> None:
    from app.core.trust.institution import load_identity

    file = tmp_path / "pp"
    file.write_bytes(b"\xef\xbb\xbfsecret-pass-1\r\n")
    status, _out, err = cli(
        "institution", "init", "--name", "示范鉴定中心", "--passphrase-file", str(file)
    )
    assert status == 0, err
    assert load_identity(data_dir, "secret-pass-1").public.name == "示范鉴定中心"


@pytest.fixture
def device_fp(cli: Run, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An institution's data folder with records of one device (its own, made before the
    folder became the institution's), acting as the institution's first admin; the device's
    printed fingerprint."""
    from app.core.seal.device_keys import load_or_create

    status, _out, err = cli("demo", "seed", "--candidates", "4", "--incidents", "1")
    assert status == 0, err
    monkeypatch.setenv("PROCTOR_DESK_PASSPHRASE", "admin-pass-1")
    status, _out, err = cli("institution", "init", "--name", "示范鉴定中心")
    assert status == 0, err
    first_admin(data_dir, monkeypatch)
    # Not the institution's signer: its accounts sign with their own keys.
    return load_or_create(data_dir / "device").fingerprint


def device_audit(data_dir: Path) -> list[tuple[str, dict[str, str]]]:
    from sqlmodel import col, select

    from app.core.records.service import Workspace
    from app.core.records.tables import AuditEntry

    with Workspace.open(data_dir) as ws, ws.reading() as db:
        entries = db.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all()
        return [(e.action, json.loads(e.details_json)) for e in entries if "device" in e.action]


def trust_row(data_dir: Path, fingerprint: str) -> tuple[str, str, str]:
    from sqlmodel import select

    from app.core.records.exchange_tables import DeviceTrust
    from app.core.records.service import Workspace
    from app.core.trust.device_trust import key_fingerprint_hex, normalise

    with Workspace.open(data_dir) as ws, ws.reading() as db:
        for row in db.exec(select(DeviceTrust)).all():
            if key_fingerprint_hex(row.public_key) == normalise(fingerprint):
                return row.status, row.note, row.changed_at.isoformat()
    raise AssertionError("no trust row")


@pytest.mark.parametrize("reason", ["", "   "])
def test_revoke_needs_a_reason(cli: Run, device_fp: str, data_dir: Path, reason: str) -> None:
    status, _out, err = cli("institution", "revoke-device", device_fp, "--reason", reason)
    assert status == 2 and "--reason: say why" in one_line_error(err)
    assert device_audit(data_dir) == []


@pytest.mark.parametrize(
    "command", [("revoke-device", "--reason", "丢失"), ("accept-device",)], ids=lambda c: c[0]
)
def test_accept_and_revoke_need_the_whole_fingerprint(
    cli: Run, device_fp: str, data_dir: Path, command: tuple[str, ...]
) -> None:
    # "5625 c08b": the first groups of the fingerprint, as a hurried admin would type them.
    status, _out, err = cli("institution", command[0], device_fp[:9], *command[1:])
    assert status == 2
    assert "give the device's whole fingerprint (64 hex digits" in one_line_error(err)
    assert device_audit(data_dir) == []


def test_revocation_is_audited_kept_and_not_overwritten(
    cli: Run, device_fp: str, data_dir: Path
) -> None:
    from app.core.trust.device_trust import normalise

    status, out, err = cli("institution", "revoke-device", device_fp, "--reason", "丢失")
    assert status == 0, err
    first = trust_row(data_dir, device_fp)
    assert first[:2] == ("revoked", "丢失")
    status, _out, err = cli("institution", "revoke-device", device_fp, "--reason", "找到了")
    assert status == 2
    assert "already revoked" in one_line_error(err) and "丢失" in err
    assert trust_row(data_dir, device_fp) == first
    assert device_audit(data_dir) == [
        ("revoke_device", {"fingerprint": normalise(device_fp), "reason": "丢失", "account": ADMIN})
    ]
    status, out, _ = cli("institution", "devices")
    assert status == 0 and "revoked" in out and "丢失" in out
    status, _out, err = cli("institution", "accept-device", device_fp)
    assert status == 2 and "revoked" in one_line_error(err)
    status, out, _ = cli("verify")
    assert status == 0 and out.startswith("OK:")


def test_the_folders_own_earlier_key_is_no_device_seen_until_accepted(
    cli: Run, device_fp: str, data_dir: Path
) -> None:
    """The key an earlier version kept in the folder signed its own records; no bundle of it
    was imported, so the list leaves it out, until the admin accepts it."""
    status, out, err = cli("institution", "devices")
    assert status == 0, err
    assert out.strip().splitlines()[-1] == "no devices yet"
    status, _out, err = cli("institution", "accept-device", device_fp)
    assert status == 0, err
    status, out, err = cli("institution", "devices")
    assert status == 0, err
    listed = [line for line in out.strip().splitlines() if " code " in line]
    assert len(listed) == 1 and listed[0].startswith(device_fp), out
    assert listed[0].endswith("trusted"), out


def test_acceptance_is_audited_once(cli: Run, device_fp: str, data_dir: Path) -> None:
    from app.core.trust.device_trust import normalise

    status, out, err = cli("institution", "accept-device", device_fp)
    assert status == 0 and "accepted device" in out, err
    status, out, _ = cli("institution", "accept-device", device_fp.replace(" ", "").upper())
    assert status == 0 and "already accepted" in out
    assert device_audit(data_dir) == [
        (
            "accept_device",
            {
                "fingerprint": normalise(device_fp),
                "note": "accepted by the admin",
                "account": ADMIN,
            },
        )
    ]
    status, _out, err = cli("institution", "revoke-device", device_fp, "--reason", "laptop lost")
    assert status == 0, err
    assert [a for a, _ in device_audit(data_dir)] == ["accept_device", "revoke_device"]
    status, out, _ = cli("verify")
    assert status == 0 and out.startswith("OK:")
