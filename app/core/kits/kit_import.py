"""Importing a site kit on a laptop: check the institution's signature (and that it is the
institution this laptop already belongs to), open the kit's content with the site passphrase,
create the session from it (with the flags of its barred candidates) and certify this
device's Ed25519 key with the site key.

Importing the same kit again changes nothing; importing it with ``certify`` on a laptop that
first imported it without certifies the laptop. Kits of 0.1.0 carried their content in the
clear (``kit_version`` 1): they are still imported, with or without the passphrase.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12

from app.core.bundles import BundleError, BundleReadError, KeyRequiredError, open_bundle
from app.core.bundles.formats import KIT_KIND
from app.core.kits.kit_envelope import ENVELOPE_RECORD, EnvelopeError, open_kit
from app.core.kits.kit_export import (
    KIT_RECORD,
    KIT_VERSION,
    PLAIN_KIT_VERSION,
    SITE_P12,
    KitError,
)
from app.core.records import staff_seal
from app.core.records.service import Workspace
from app.core.records.sessions import SessionPurgedError
from app.core.records.tables import Candidate, ExamSession
from app.core.register.kit_flags import KIT_KEY as REGISTER_KEY
from app.core.register.kit_flags import (
    KitRegisterError,
    parse_kit_register,
    store_kit_register,
)
from app.core.seal.device_keys import fingerprint
from app.core.sync.rows import RowError
from app.core.sync.session_rows import merge_session_rows, parse_session_rows
from app.core.trust import site_state
from app.core.trust.certificates import certify_device, signed_by
from app.core.trust.institution import InstitutionError, InstitutionPublic
from app.core.trust.site_state import SiteCredentials


@dataclass(frozen=True)
class KitImport:
    session_id: str
    institution: InstitutionPublic
    rows_added: int
    certified: bool  # the device now has a certificate from the site
    device_certificate_subject: str


def import_kit(
    workspace: Workspace,
    path: Path,
    site_passphrase: str | None = None,
    *,
    certify: bool = True,
    expect_institution: str | None = None,
) -> KitImport:
    """Check and import the kit at ``path``; raise ``KitError`` (or a ``BundleError``).
    ``site_passphrase`` opens the kit (a 0.1.0 kit opens without it) and, with ``certify``,
    certifies this device."""
    try:
        bundle = open_bundle(Path(path))
    except BundleReadError as exc:  # a missing or unreadable file is not a damaged kit
        raise KitError(f"kit {Path(path)}: {exc}") from None
    except KeyRequiredError:  # kits are never encrypted; sync bundles of kit sessions are
        raise KitError(
            f"{Path(path).name} is not a site kit: it is a sync bundle (encrypted to the "
            "institution), which the institution imports"
        ) from None
    except BundleError as exc:
        raise KitError(f"kit {Path(path).name} is damaged or altered: {exc}") from None
    with bundle:
        fields = bundle.fields
        version = fields.get("kit_version")
        if fields.get("kind") != KIT_KIND or version not in (KIT_VERSION, PLAIN_KIT_VERSION):
            raise KitError(f"{Path(path).name} is not a site kit (it is a records bundle?)")
        signer = bundle.signer_public_key
        kit_id = bundle.bundle_id
        if version == PLAIN_KIT_VERSION:
            if bundle.file_names != [SITE_P12] or [n for n, _ in bundle.records] != [KIT_RECORD]:
                raise KitError("kit holds other entries than a site kit does")
            kit: object = bundle.record(KIT_RECORD)
            p12 = bundle.read_file(SITE_P12)
        else:
            if bundle.file_names or [n for n, _ in bundle.records] != [ENVELOPE_RECORD]:
                raise KitError("kit holds other entries than a site kit does")
            # Another institution's kit is refused before anything is decrypted.
            _check_signer(workspace, signer, expect_institution)
            if site_passphrase is None:
                raise KitError(
                    "this kit is encrypted under the site passphrase: give the site passphrase "
                    "to import it"
                )
            try:
                kit, p12 = open_kit(
                    bundle.record(ENVELOPE_RECORD),
                    site_passphrase,
                    str(fields.get("institution_id")),
                    str(fields.get("session_id")),
                )
            except EnvelopeError as exc:
                raise KitError(str(exc)) from None
    if not isinstance(kit, dict):
        raise KitError("kit.json is not an object")
    try:
        institution = InstitutionPublic.from_json(kit.get("institution"))
        rows = parse_session_rows(kit.get("session_rows"), pin_hashes=True)
    except (InstitutionError, RowError) as exc:
        raise KitError(f"kit content is malformed: {exc}") from None
    if signer != institution.signing_key:
        raise KitError("kit is not signed by the institution it names; it is refused")
    _check_institution(workspace, institution, expect_institution)
    session = next(r for r in rows if isinstance(r, ExamSession))
    if fields.get("session_id") != session.id or fields.get("institution_id") != (
        institution.institution_id
    ):
        raise KitError("kit's manifest and content name different sessions or institutions")
    # A purged session stays purged: its kit would bring the rosters back.
    try:
        workspace.refuse_if_purged(session.id)
    except SessionPurgedError as exc:
        raise KitError(f"kit refused: {exc}") from None
    _check_rulebook(workspace, kit.get("rulebook"), session.rulebook_id)
    # The flags of the kit's own rostered candidates who are barred (none in older kits).
    candidate_ids = [r.id for r in rows if isinstance(r, Candidate)]
    register = None
    if REGISTER_KEY in kit:
        try:
            register = parse_kit_register(kit[REGISTER_KEY], set(candidate_ids))
        except KitRegisterError as exc:
            raise KitError(f"kit content is malformed: {exc}") from None
    credentials = None
    if site_passphrase is not None and certify:
        credentials = _certify(workspace, institution, p12, site_passphrase)
    with workspace.transaction() as db:
        added, conflicts = merge_session_rows(db, rows)
        if conflicts:
            db.rollback()
            raise KitError(
                "kit disagrees with the session already on this laptop: " + "; ".join(conflicts)
            )
        # The rows and PIN hashes just written are vouched for, or no PIN of them would work.
        staff_seal.record(db, workspace.device, session.id)
        if register is not None:
            store_kit_register(db, session.id, register, candidate_ids)
    site_state.pin_institution(workspace.data_dir, institution)
    site_state.mark_kit_session(workspace.data_dir, session.id, kit_id)
    subject = ""
    if credentials is not None:
        site_state.save_credentials(workspace.data_dir, session.id, credentials)
        subject = credentials.device.subject.rfc4514_string()
    return KitImport(session.id, institution, added, credentials is not None, subject)


def _check_institution(
    workspace: Workspace, institution: InstitutionPublic, expect: str | None
) -> None:
    if expect is not None and _plain(expect) != _plain(institution.fingerprint):
        raise KitError(
            f"kit is signed by institution {institution.fingerprint}, not by the expected {expect}"
        )
    pinned = site_state.pinned_institution(workspace.data_dir)
    if pinned is not None and pinned.signing_key != institution.signing_key:
        raise KitError(
            f"kit comes from another institution ({institution.name}, {institution.fingerprint}); "
            f"this laptop belongs to {pinned.name} ({pinned.fingerprint})"
        )


def _check_signer(workspace: Workspace, signer: bytes, expect: str | None) -> None:
    """The kit's signer is the expected institution and the one this laptop belongs to,
    judged by its key alone (before the content, which names the institution, is opened)."""
    if expect is not None and _plain(expect) != _plain(fingerprint(signer)):
        raise KitError(
            f"kit is signed by institution {fingerprint(signer)}, not by the expected {expect}"
        )
    pinned = site_state.pinned_institution(workspace.data_dir)
    if pinned is not None and pinned.signing_key != signer:
        raise KitError(
            f"kit comes from another institution ({fingerprint(signer)}); "
            f"this laptop belongs to {pinned.name} ({pinned.fingerprint})"
        )


def _plain(fingerprint: str) -> str:
    return "".join(fingerprint.split()).lower()


def _check_rulebook(workspace: Workspace, value: object, rulebook_id: str) -> None:
    if not isinstance(value, dict) or value.get("id") != rulebook_id:
        raise KitError("kit names no rulebook, or another one than its session uses")
    local = workspace.rulebook(rulebook_id)
    if local.version != value.get("version"):
        raise KitError(
            f"kit uses rulebook {rulebook_id} version {value.get('version')}; this laptop has "
            f"version {local.version} — update the app before importing"
        )


def _certify(
    workspace: Workspace, institution: InstitutionPublic, p12: bytes, passphrase: str
) -> SiteCredentials:
    try:
        key, site, _chain = pkcs12.load_key_and_certificates(p12, passphrase.encode("utf-8"))
    except ValueError:
        raise KitError("the site passphrase is wrong, or the site certificate is damaged") from None
    root = institution.root_certificate
    if site is None or not isinstance(key, ec.EllipticCurvePrivateKey):
        raise KitError("kit's site certificate holds no ECDSA key")
    if key.public_key() != site.public_key():
        raise KitError("kit's site key and certificate do not match")
    if not isinstance(root.public_key(), ec.EllipticCurvePublicKey) or not signed_by(site, root):
        raise KitError("kit's site certificate was not issued by the institution's root")
    device = workspace.device
    cert = certify_device(key, site, device.public_bytes, device.device_id, device.code)
    return SiteCredentials(key, (root, site, cert))
