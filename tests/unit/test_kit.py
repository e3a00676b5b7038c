"""Site kits: signed by the institution, refused when altered or from another institution;
importing creates the session with the institution's ids and certifies the device, whose PDFs
then validate against the institution's root."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.core.demo.seed import seed_demo
from app.core.kits.kit_export import KitError, export_kit
from app.core.kits.kit_import import import_kit
from app.core.records.service import Workspace
from app.core.reports.incident import build_incident_pdf
from app.core.reports.pdf_signing import PdfSigner
from app.core.reports.pdf_verification import check_pdf
from app.core.trust import site_state
from app.core.trust.certificates import CertificateError, verify_device_chain
from app.core.trust.institution import InstitutionIdentity, init_institution
from app.core.trust.pdf_identity import device_identity, report_identity
from tests.support.records import newcomer
from tests.support.report_samples import sample_incident
from tests.support.sync import institution_signs

SITE_PASS = "site-pass-123"


@pytest.fixture
def institution(tmp_path: Path) -> tuple[Workspace, InstitutionIdentity, str]:
    ws = Workspace.open(tmp_path / "inst")
    identity = init_institution(ws.data_dir, "广东职业技能鉴定中心", "admin-pass-1")
    institution_signs(ws, identity)  # no account yet
    session_id = seed_demo(ws, candidates=4, incidents=0).session_id
    yield ws, identity, session_id  # type: ignore[misc]
    ws.close()


@pytest.fixture
def laptop(tmp_path: Path) -> Workspace:
    ws = Workspace.open(tmp_path / "laptop")
    yield ws  # type: ignore[misc]
    ws.close()


def _kit(institution: tuple[Workspace, InstitutionIdentity, str], tmp_path: Path) -> Path:
    ws, identity, session_id = institution
    out = tmp_path / "site.kit"
    export_kit(ws, identity, session_id, out, SITE_PASS)
    return out


def test_kit_import_creates_the_session_and_certifies_the_device(
    institution: tuple[Workspace, InstitutionIdentity, str], laptop: Workspace, tmp_path: Path
) -> None:
    inst_ws, identity, session_id = institution
    result = import_kit(laptop, _kit(institution, tmp_path), SITE_PASS)
    assert result.session_id == session_id
    assert result.certified
    assert laptop.session(session_id) == inst_ws.session(session_id)
    assert sorted(c.id for c in laptop.candidates(session_id)) == sorted(
        c.id for c in inst_ws.candidates(session_id)
    )
    # The staff rows as the institution has them, PIN hashes included (none in the demo).
    assert sorted((s.id, s.pin_hash) for s in laptop.staff(session_id)) == sorted(
        (s.id, s.pin_hash) for s in inst_ws.staff(session_id)
    )
    credentials = site_state.load_credentials(laptop.data_dir, session_id)
    assert credentials is not None
    device_key = verify_device_chain(identity.public.root_certificate, credentials.chain)
    assert device_key == laptop.device.public_bytes
    assert site_state.is_kit_session(laptop.data_dir, session_id)
    # Importing again changes nothing.
    again = import_kit(laptop, tmp_path / "site.kit", SITE_PASS, certify=False)
    assert again.rows_added == 0


def test_pdf_signed_with_the_site_certificate_validates_against_the_root(
    institution: tuple[Workspace, InstitutionIdentity, str], laptop: Workspace, tmp_path: Path
) -> None:
    _, identity, session_id = institution
    import_kit(laptop, _kit(institution, tmp_path), SITE_PASS)
    signer = report_identity(laptop.data_dir, laptop.device.code, session_id)
    unsigned = build_incident_pdf(sample_incident(None, None))
    pdf = PdfSigner(signer).sign(unsigned)
    result = check_pdf(pdf, [identity.public.root_certificate])
    assert result.intact and result.trusted
    # Without the kit the device's self-issued certificate is used, which the root does not
    # vouch for.
    other = Workspace.open(tmp_path / "other")
    own = report_identity(other.data_dir, other.device.code)
    other.close()
    assert own.certificate == device_identity(tmp_path / "other", other.device.code).certificate
    untrusted = check_pdf(PdfSigner(own).sign(unsigned), [identity.public.root_certificate])
    assert not untrusted.trusted


def test_tampered_kit_is_refused_and_changes_nothing(
    institution: tuple[Workspace, InstitutionIdentity, str], laptop: Workspace, tmp_path: Path
) -> None:
    kit = _kit(institution, tmp_path)
    data = bytearray(kit.read_bytes())
    data[len(data) // 2] ^= 0x40
    kit.write_bytes(bytes(data))
    with pytest.raises(KitError, match="damaged or altered"):
        import_kit(laptop, kit, SITE_PASS)
    assert laptop.list_sessions() == []
    assert site_state.pinned_institution(laptop.data_dir) is None


def test_kit_from_another_institution_is_refused(
    institution: tuple[Workspace, InstitutionIdentity, str], laptop: Workspace, tmp_path: Path
) -> None:
    import_kit(laptop, _kit(institution, tmp_path), SITE_PASS)
    inst_ws, _, session_id = institution
    rogue = init_institution(tmp_path / "rogue", "冒名机构", "rogue-pass-1")
    out = tmp_path / "rogue.kit"
    export_kit(inst_ws, rogue, session_id, out, SITE_PASS)
    with pytest.raises(KitError, match="another institution"):
        import_kit(laptop, out, SITE_PASS)


def test_expected_fingerprint_and_wrong_passphrase(
    institution: tuple[Workspace, InstitutionIdentity, str], laptop: Workspace, tmp_path: Path
) -> None:
    kit = _kit(institution, tmp_path)
    with pytest.raises(KitError, match="not by the expected"):
        import_kit(laptop, kit, SITE_PASS, expect_institution="0000 1111")
    with pytest.raises(KitError, match="passphrase is wrong"):
        import_kit(laptop, kit, "not-the-pass")
    assert laptop.list_sessions() == []
    _, identity, _ = institution
    result = import_kit(
        laptop, kit, SITE_PASS, certify=False, expect_institution=identity.public.fingerprint
    )
    assert not result.certified
    assert site_state.load_credentials(laptop.data_dir, result.session_id) is None


def test_a_records_bundle_is_not_a_kit(
    institution: tuple[Workspace, InstitutionIdentity, str], laptop: Workspace, tmp_path: Path
) -> None:
    from app.core.bundles import write_bundle

    out = tmp_path / "fake.kit"
    _, identity, _ = institution
    write_bundle(out, {"kind": "other"}, [("a.json", {})], [], identity.signing_key)
    with pytest.raises(KitError, match="not a site kit"):
        import_kit(laptop, out, SITE_PASS)


def test_device_chain_checks(
    institution: tuple[Workspace, InstitutionIdentity, str], laptop: Workspace, tmp_path: Path
) -> None:
    _, _, session_id = institution
    import_kit(laptop, _kit(institution, tmp_path), SITE_PASS)
    credentials = site_state.load_credentials(laptop.data_dir, session_id)
    assert credentials is not None
    rogue = init_institution(tmp_path / "rogue", "冒名机构", "rogue-pass-1")
    with pytest.raises(CertificateError, match="another institution"):
        verify_device_chain(rogue.public.root_certificate, credentials.chain)
    root, site, device = credentials.chain
    with pytest.raises(CertificateError, match="site certificate"):
        verify_device_chain(root, [root, device, device])
    key = verify_device_chain(root, [root, site, device])
    Ed25519PublicKey.from_public_bytes(key)


def test_a_kit_carries_no_roster_in_the_clear(
    institution: tuple[Workspace, InstitutionIdentity, str], laptop: Workspace, tmp_path: Path
) -> None:
    """Rosters hold names and ID numbers: a kit lost on the way shows none of them, and
    without the site passphrase it creates nothing."""
    from app.core.bundles import open_bundle

    inst_ws, _, session_id = institution
    kit = _kit(institution, tmp_path)
    data = kit.read_bytes()
    for person in [*inst_ws.candidates(session_id), *inst_ws.staff(session_id)]:
        assert person.name.encode("utf-8") not in data
    for candidate in inst_ws.candidates(session_id):
        assert candidate.id_number.encode("utf-8") not in data
        assert candidate.id.encode("ascii") not in data
    with open_bundle(kit) as bundle:
        assert bundle.fields["kit_version"] == 2
        assert [name for name, _ in bundle.records] == ["kit-envelope.json"]
        envelope = bundle.record("kit-envelope.json")
    assert envelope["kdf"]["name"] == "scrypt" and envelope["kdf"]["n"] >= 2**15
    with pytest.raises(KitError, match="site passphrase"):
        import_kit(laptop, kit, None)
    with pytest.raises(KitError, match="passphrase is wrong"):
        import_kit(laptop, kit, "not-the-pass")
    assert laptop.list_sessions() == []
    assert site_state.pinned_institution(laptop.data_dir) is None


def test_an_altered_envelope_is_refused_even_when_signed_again(
    institution: tuple[Workspace, InstitutionIdentity, str], laptop: Workspace, tmp_path: Path
) -> None:
    """The envelope's parameters are bound to its ciphertext (and the kit's session), so the
    institution's own key cannot make one envelope pass for another session's kit."""
    import copy

    from app.core.bundles import open_bundle, write_bundle

    _, identity, _ = institution
    kit = _kit(institution, tmp_path)
    with open_bundle(kit) as bundle:
        fields, envelope = bundle.fields, bundle.record("kit-envelope.json")
    other = copy.deepcopy(fields)
    other["session_id"] = "11111111-2222-4333-8444-555555555555"
    moved = tmp_path / "moved.kit"
    write_bundle(moved, other, [("kit-envelope.json", envelope)], [], identity.signing_key)
    with pytest.raises(KitError):
        import_kit(laptop, moved, SITE_PASS)
    assert laptop.list_sessions() == []


def test_a_kit_carries_the_proctors_pin_hashes_never_the_pins(
    institution: tuple[Workspace, InstitutionIdentity, str], laptop: Workspace, tmp_path: Path
) -> None:
    """The PINs the institution gave survive the kit as Argon2id hashes (inside the encrypted
    envelope), the laptop vouches for the rows it took (a staff_rows entry), a PIN set on the
    laptop is never replaced by a kit's, and bundles back to the institution carry none."""
    from app.core.bundles import open_bundle
    from app.core.kits.kit_envelope import open_kit
    from app.core.records.app_state import set_staff_pin, unlock
    from app.core.sync.rows import RowError
    from app.core.sync.session_rows import parse_session_rows, session_rows

    inst_ws, identity, session_id = institution
    admin = newcomer(inst_ws, session_id, "exam_admin", "新考务")  # the demo's have its PIN
    head = newcomer(inst_ws, session_id, "site_head", "新负责人")
    set_staff_pin(inst_ws, session_id, admin.id, "3579", actor_id=None)
    set_staff_pin(inst_ws, session_id, head.id, "8642", actor_id=None)
    kit = _kit(institution, tmp_path)
    with open_bundle(kit) as bundle:
        envelope = bundle.record("kit-envelope.json")
    content, _p12 = open_kit(envelope, SITE_PASS, identity.public.institution_id, session_id)
    rows = content["session_rows"]
    hashes = {r["id"]: r.get("pin_hash") for r in rows["staff"]}
    assert str(hashes[admin.id]).startswith("$argon2id$")
    # No value is a PIN and no field holds one (a substring search would meet "3579" by chance
    # in the kit's ids and hashes).
    leaves = _leaves(content)
    assert not {"3579", "8642"} & {str(v) for _k, v in leaves}
    assert not [k for k, _v in leaves if "pin" in k.lower() and k != "pin_hash"]

    # The laptop gave the site head a PIN of its own before the kit came again.
    import_kit(laptop, kit, SITE_PASS)
    on_laptop = {s.id: s for s in laptop.staff(session_id)}
    assert on_laptop[admin.id].pin_hash == hashes[admin.id]
    assert unlock(laptop, session_id, admin.id, "3579").id == admin.id  # vouched for
    assert unlock(laptop, session_id, head.id, "8642").id == head.id
    assert laptop.verify().ok

    # A kit's hash cannot be a PIN in the clear, and bundles carry no hashes at all.
    rows["staff"][0]["pin_hash"] = "3579"
    with pytest.raises(RowError, match="Argon2id"):
        parse_session_rows(rows, pin_hashes=True)
    with laptop.reading() as db:
        back = session_rows(db, session_id)
    assert all("pin_hash" not in r for r in back["staff"])
    back["staff"][0]["pin_hash"] = hashes[admin.id]
    with pytest.raises(RowError, match="PIN hashes do not travel"):
        parse_session_rows(back)


def test_a_pin_set_on_the_laptop_is_not_replaced_by_the_kit(
    institution: tuple[Workspace, InstitutionIdentity, str], laptop: Workspace, tmp_path: Path
) -> None:
    from app.core.records.app_state import UnlockError, set_staff_pin, unlock

    inst_ws, _identity, session_id = institution
    admin = newcomer(inst_ws, session_id, "exam_admin", "新考务")  # the demo's have its PIN
    import_kit(laptop, _kit(institution, tmp_path), SITE_PASS)  # no PINs yet
    set_staff_pin(laptop, session_id, admin.id, "1111", actor_id=None)
    set_staff_pin(inst_ws, session_id, admin.id, "2222", actor_id=None)
    (tmp_path / "site.kit").unlink()
    again = import_kit(laptop, _kit(institution, tmp_path), SITE_PASS, certify=False)
    assert again.rows_added == 0
    assert unlock(laptop, session_id, admin.id, "1111").id == admin.id
    with pytest.raises(UnlockError):
        unlock(laptop, session_id, admin.id, "2222")
    assert laptop.verify().ok


def _leaves(value: object, key: str = "") -> list[tuple[str, object]]:
    """Every (field name, value) at the ends of a JSON value."""
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, str(k))]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item, key)]
    return [(key, value)]
