"""Writing a site kit at the institution: the session's plan and rosters, the rulebook it uses,
the flags of its rostered candidates who are barred (the register screened first), the
institution's public keys and root certificate, and a new site signing identity (PKCS#12
under the site passphrase), all encrypted under the site passphrase (``kit_envelope``) in one
bundle signed with the institution's Ed25519 key.

The session's institution row carries the filing code the site's reports print; the export
says whether the plan is outside the institution's filing (``KitExport.scope``, a warning the
admin weighs: ``institution.filing``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID

from app.core.bundles import BundleReceipt, write_bundle
from app.core.bundles.formats import KIT_KIND
from app.core.errors import UserError
from app.core.institution.filing import ScopeFinding, session_scope
from app.core.kits.kit_envelope import ENVELOPE_RECORD, seal_kit
from app.core.records.service import Workspace
from app.core.register.kit_flags import KIT_KEY as REGISTER_KEY
from app.core.register.kit_flags import kit_register
from app.core.sync.session_rows import session_rows
from app.core.trust.certificates import issue_site
from app.core.trust.institution import InstitutionIdentity

KIT_VERSION = 2  # 2: the content in an envelope under the site passphrase
PLAIN_KIT_VERSION = 1  # 0.1.0: kit.json and site.p12 in the clear (still imported)
KIT_RECORD = "kit.json"
SITE_P12 = "site.p12"
MIN_SITE_PASSPHRASE = 8


class KitError(UserError):
    """A kit that cannot be written or imported."""


@dataclass(frozen=True)
class KitExport:
    receipt: BundleReceipt
    session_id: str
    site_subject: str
    filing_code: str = ""  # the code the kit carries (a branch's session: the branch's own)
    scope: ScopeFinding | None = None  # the plan outside the filed scope (Art. 14(2))


def export_kit(
    workspace: Workspace,
    identity: InstitutionIdentity,
    session_ref: str,
    out: Path,
    site_passphrase: str,
    *,
    overwrite: bool = False,
) -> KitExport:
    """Write the kit for ``session_ref`` to ``out``; the site head gets the passphrase apart."""
    if len(site_passphrase) < MIN_SITE_PASSPHRASE:
        raise KitError(f"site passphrase: use at least {MIN_SITE_PASSPHRASE} characters")
    session_id = workspace.resolve_session_id(session_ref)
    with workspace.transaction() as db:
        # Barred candidates are found here, before the kit leaves: it carries only the flags
        # of its own rostered candidates (``register.kit_flags``), never the register.
        register = kit_register(db, session_id)
        # The proctors' PIN hashes go to the site (the kit is encrypted); the PINs never do.
        rows = session_rows(db, session_id, pin_hashes=True)
        scope = session_scope(db, session_id)
    # The code the site's reports print is the session's institution row's: the one it was
    # planned under, which ``filing_code_for`` keeps when it is the filing's or a branch's.
    # One the filing does not know is not rewritten here: the scope finding names it.
    filing_code = str(rows["institution"]["filing_code"])
    rulebook = workspace.rulebook(rows["session"]["rulebook_id"])
    site_key = ec.generate_private_key(ec.SECP256R1())
    root = identity.public.root_certificate
    site = issue_site(identity.root_key, root, site_key, rows["session"]["site_name"], session_id)
    p12 = pkcs12.serialize_key_and_certificates(
        b"site", site_key, site, [root], BestAvailableEncryption(site_passphrase.encode("utf-8"))
    )
    kit: dict[str, Any] = {
        "institution": identity.public.to_json(),
        "session_rows": rows,
        "rulebook": {"id": rulebook.id, "version": rulebook.version},
        REGISTER_KEY: register,
    }
    fields = {
        "kind": KIT_KIND,
        "kit_version": KIT_VERSION,
        "institution_id": identity.public.institution_id,
        "session_id": session_id,
    }
    envelope = seal_kit(kit, p12, site_passphrase, identity.public.institution_id, session_id)
    receipt = write_bundle(
        Path(out),
        fields,
        [(ENVELOPE_RECORD, envelope)],
        [],
        identity.signing_key,
        overwrite=overwrite,
    )
    subject = site.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    return KitExport(receipt, session_id, str(subject), filing_code, scope)
