"""Import, first half: everything about one bundle is checked before anything is written.

The container is verified (decryption, signature, hashes, strict JSON); then the signer is
matched with an accepted device (certificate chain to our root, or an accepted fingerprint)
and not revoked; then every record is checked on its own: exact columns and types, content
canonical and matching its hash, each seal verifying with the device's key over the
signatures it covers, each audit entry matching its hash, each evidence file named by its hash.
The seals and audit hashes of a large bundle are proven by a helper process on a second core
while the rest is checked (``proof_worker``); ``prepare`` returns only with every answer in.
Conflicts with the database are the second half's question (``importing.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlmodel import Session, SQLModel

from app.core.bundles import BundleError, VerifiedBundle, errors, open_bundle
from app.core.bundles import formats as fmt
from app.core.bundles.formats import KIT_KIND
from app.core.errors import UserError
from app.core.records.exchange_tables import DeviceTrust, ImportedBundle
from app.core.records.file_store import evidence_problem
from app.core.records.status import SEALED, is_record_status
from app.core.records.tables import (
    AuditEntry,
    Evidence,
    Incident,
    Seal,
    SeizedReturn,
    Signature,
)

# The institution's verify applies the same check; sharing it keeps the two from drifting.
from app.core.records.verify import column_mismatches
from app.core.seal.canonical import encode_checked, parse_if_canonical, sha256_hex
from app.core.seal.device_keys import fingerprint
from app.core.sync.proof_worker import ProofChecks, proof_checks
from app.core.sync.record_hashes import STRICT, instant
from app.core.sync.record_proofs import audit_job, seal_job
from app.core.sync.rows import RowError, row_values
from app.core.sync.session_rows import parse_session_rows
from app.core.trust.certificates import (
    CertificateError,
    certified_for,
    from_pem,
    verify_device_chain,
)
from app.core.trust.device_trust import REVOKED, TRUSTED, normalise, status_of
from app.core.trust.institution import InstitutionPublic
from app.core.value_limits import LimitViolation, check_text, check_uuid, latest, shown

# Deeper content is not refused, only checked the slow way (content is a handful of levels).
_CONTENT_DEPTH = 32
_OTHER_RECORDS = {fmt.SESSION_RECORD, fmt.DEVICE_RECORD, fmt.EVIDENCE_RECORD}
_INCIDENT_KEYS = {"incident", "content_json", "signatures", "seal", "returns"}
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "session_id": (str,),
    "device_id": (str,),
    "device_code": (str,),
    "previous_bundle_id": (str, type(None)),
    "certificate_chain": (str, type(None)),
    "institution": (dict, type(None)),
    "counts": (dict,),
}


# Why a bundle is refused, in a word the app can say in the person's language (the message
# itself gives the details).
DAMAGED, NOT_A_BUNDLE, WRONG_KEY, UNREADABLE, BAD_SIGNATURE = (
    "damaged",
    "not_a_bundle",
    "wrong_key",
    "unreadable",
    "bad_signature",
)
REVOKED_DEVICE, UNACCEPTED_DEVICE, CONFLICT, MALFORMED = (
    "revoked_device",
    "unaccepted_device",
    "conflict",
    "malformed",
)
WRONG_INSTITUTION, BAD_CERTIFICATE, SITE_KIT = "wrong_institution", "bad_certificate", "site_kit"
# Every reason, for those that say them in other words (the app's import dialog).
REASONS = (
    DAMAGED,
    NOT_A_BUNDLE,
    WRONG_KEY,
    UNREADABLE,
    BAD_SIGNATURE,
    REVOKED_DEVICE,
    UNACCEPTED_DEVICE,
    CONFLICT,
    MALFORMED,
    WRONG_INSTITUTION,
    BAD_CERTIFICATE,
    SITE_KIT,
)
# What a person can do about each reason (the message says what was found).
ADVICE = {
    DAMAGED: "Copy the file from the laptop again, or export the bundle again there.",
    NOT_A_BUNDLE: "Choose a sync bundle exported with 'bundle export' (a .pdbundle file).",
    WRONG_KEY: "Import it at the institution whose site kit the laptop used.",
    UNREADABLE: "Check that the file is there and readable, then import it again.",
    BAD_SIGNATURE: "Do not import it: ask the site for a new export and its receipt.",
    REVOKED_DEVICE: "Do not import it: the laptop was revoked; ask the site head why it sent it.",
    UNACCEPTED_DEVICE: (
        "Check the device fingerprint with the site head, then import with --trust FINGERPRINT."
    ),
    CONFLICT: (
        "Do not import it as it is: compare the conflicting records with the site's paper "
        "log and the laptop."
    ),
    MALFORMED: (
        "Do not import it: the file was not written by this app as it is; ask the site for "
        "a new export and compare the receipt in the paper log."
    ),
    WRONG_INSTITUTION: "Send it to the institution it names.",
    BAD_CERTIFICATE: (
        "Do not import it: the laptop is not certified for this session and device; ask the "
        "site to import this session's kit with the site passphrase and export again."
    ),
    SITE_KIT: "Open it on the site laptop with 'kit import'.",
}
_BUNDLE_ERROR_REASONS: dict[type[BundleError], str] = {
    errors.NotABundleError: NOT_A_BUNDLE,
    errors.UnsupportedVersionError: NOT_A_BUNDLE,
    errors.KeyRequiredError: WRONG_KEY,
    errors.WrongKeyError: WRONG_KEY,
    errors.SignatureError: BAD_SIGNATURE,
    errors.BundleReadError: UNREADABLE,
}


class ImportRejected(UserError):
    """A bundle that is refused as a whole; nothing of it was written. ``bundle_id`` and
    ``fingerprint`` name it once its signed manifest was read (``check_file`` sets them);
    ``reason`` says why in one word (the constants above)."""

    bundle_id: str | None = None
    fingerprint: str | None = None

    def __init__(self, message: str, reason: str = MALFORMED) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class IncidentRecord:
    incident: dict[str, Any]
    content_json: str
    content: dict[str, Any]  # content_json parsed, once
    signatures: list[dict[str, Any]]
    seal: dict[str, Any] | None
    returns: list[dict[str, Any]]


@dataclass
class Prepared:
    """A bundle that passed every check that needs no comparison with the database."""

    path: Path
    bundle: VerifiedBundle
    session_id: str
    device_id: str
    device_code: str
    signer_hex: str
    accepted_by: str  # "certificate" | "trusted" | "--trust"
    session_rows: list[SQLModel]
    incidents: list[IncidentRecord]
    evidence_rows: list[dict[str, Any]]
    evidence_files: dict[str, str]  # sha256 → entry name
    reports: list[str]  # entry names of signed PDFs
    audit: list[dict[str, Any]]
    device_first_seen: str | None
    previous_bundle_id: str | None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def bundle_id(self) -> str:
        return self.bundle.bundle_id

    @property
    def fingerprint(self) -> str:
        return fingerprint(bytes.fromhex(self.signer_hex))


def open_verified(
    path: Path,
    decrypt_key: X25519PrivateKey | None,
    work_dir: Path | None = None,
    checks: RecordChecks | None = None,
) -> VerifiedBundle:
    """The verified bundle; ``checks`` checks its records while it is read."""
    try:
        return open_bundle(Path(path), decrypt_key, work_dir=work_dir, sink=checks)
    except BundleError as exc:
        raise ImportRejected(str(exc), reason_of(exc)) from None


def reason_of(exc: BundleError) -> str:
    """Why the container refused a bundle, as one of the reasons above."""
    return next((r for kind, r in _BUNDLE_ERROR_REASONS.items() if isinstance(exc, kind)), DAMAGED)


@dataclass(frozen=True)
class AlreadyImported:
    """A bundle whose id this database already has: nothing in it is checked again."""

    bundle_id: str
    fingerprint: str


@dataclass(frozen=True)
class _Sender:
    """Who sent the bundle, by its manifest: what every record must belong to."""

    session_id: str
    device_id: str
    signer_hex: str
    accepted_by: str


class RecordChecks:
    """The checks of one bundle that need no comparison with the database, run while
    ``open_bundle`` reads it: the manifest's fields and the sender as soon as the manifest is
    verified, each incident and audit record as soon as it is parsed. So the seals and audit
    hashes reach the helper process (``proof_worker``) from the start of the read, and it is
    done by the time the read is. ``prepare`` finishes the checks.

    A bundle already imported is recognised from its manifest and not checked further.
    """

    def __init__(
        self,
        db: Session,
        institution: InstitutionPublic,
        trust: list[str],
        proofs: Callable[[int], ProofChecks],
        *,
        at: dt.datetime | None = None,
    ) -> None:
        self.db, self.institution, self.trust = db, institution, trust
        self.at = at  # when the device's certificates must be valid (default: now)
        self._proofs = proofs
        self.already_imported = False
        self.bundle_id: str | None = None
        self.fingerprint: str | None = None
        self.sender: _Sender | None = None
        self.proofs: ProofChecks | None = None
        self.incidents: list[IncidentRecord] = []
        self.audit: list[dict[str, Any]] = []

    def manifest(self, bundle_id: str, manifest: dict[str, Any], public: bytes) -> None:
        self.bundle_id, self.fingerprint = bundle_id, fingerprint(public)
        if already_imported(self.db, bundle_id) is not None:
            self.already_imported = True
            return
        with _malformed_records():
            _check_created_at(manifest.get("created_at"))
            self._sender(manifest["fields"], public)

    def _sender(self, fields: Any, public: bytes) -> None:
        _check_fields(fields, self.institution)
        signer_hex = public.hex()
        status = status_of(self.db.get(DeviceTrust, signer_hex))
        accepted_by = accept_device(status, fields, public, self.institution, self.trust, self.at)
        self.sender = _Sender(
            str(fields["session_id"]), str(fields["device_id"]), signer_hex, accepted_by
        )
        counts = fields.get("counts")
        announced = (
            [counts.get(k) for k in ("incidents", "audit_entries")]
            if isinstance(counts, dict)
            else []
        )
        self.proofs = self._proofs(sum(n for n in announced if isinstance(n, int)))

    def record(self, name: str, value: Any) -> None:
        if self.already_imported:
            return
        assert self.sender is not None and self.proofs is not None  # the manifest came first
        with _malformed_records():
            if name.startswith(fmt.INCIDENT_PREFIX):
                if not isinstance(value, list):
                    raise ImportRejected(f"{name}: expected a list of incident versions")
                for index, item in enumerate(value):
                    self.incidents.append(
                        _incident(f"{name}[{index}]", item, self.sender, self.proofs)
                    )
            elif name.startswith(fmt.AUDIT_PREFIX):
                if not isinstance(value, list):
                    raise ImportRejected(f"{name}: expected a list of audit entries")
                self.audit.extend(_audit_entry(item, self.sender, self.proofs) for item in value)
            elif name not in _OTHER_RECORDS:
                raise ImportRejected(f"the bundle holds an unknown record {shown(name)}")


def already_imported(db: Session, bundle_id: str) -> ImportedBundle | None:
    return db.get(ImportedBundle, bundle_id)


def check_file(
    db: Session,
    path: Path,
    decrypt_key: X25519PrivateKey | None,
    institution: InstitutionPublic,
    data_dir: Path,
    trust: Sequence[str] = (),
    work_dir: Path | None = None,
    *,
    at: dt.datetime | None = None,
) -> Prepared | AlreadyImported:
    """Read and check one bundle file (its records while it is read), or say that it was
    imported before. Read-only on ``db``; the caller closes ``prepared.bundle``. ``at``: when
    the device's certificate chain must be valid (default: now)."""
    with ExitStack() as stack:
        checks = RecordChecks(
            db, institution, list(trust), lambda n: stack.enter_context(proof_checks(n)), at=at
        )
        bundle = None
        try:
            bundle = open_verified(path, decrypt_key, work_dir, checks)
            if checks.already_imported:
                bundle.close()
                return AlreadyImported(bundle.bundle_id, bundle.signer_fingerprint)
            return prepare(bundle, path, data_dir, checks)
        except ImportRejected as exc:
            if bundle is not None:
                bundle.close()
            exc.bundle_id, exc.fingerprint = checks.bundle_id, checks.fingerprint
            raise


def prepare(bundle: VerifiedBundle, path: Path, data_dir: Path, checks: RecordChecks) -> Prepared:
    """Finish checking a bundle ``checks`` has seen read; raise ``ImportRejected``."""
    with _malformed_records():
        return _prepare(bundle, path, data_dir, checks)


@contextmanager
def _malformed_records() -> Iterator[None]:
    try:
        yield
    except RowError as exc:
        raise ImportRejected(f"a record is malformed: {exc}") from None
    except LimitViolation as exc:
        raise ImportRejected(str(exc)) from None
    except KeyError as exc:
        # Records that are valid JSON but not of the shape the format gives; the message
        # names what is missing, never Python's own words for it.
        key = exc.args[0] if exc.args and isinstance(exc.args[0], str | int) else None
        missing = (
            f"the field {str(key)[:40]!r} is missing" if key is not None else "a field is missing"
        )
        raise ImportRejected(f"a record is not of the form the format gives: {missing}") from None
    except (TypeError, ValueError, AttributeError, RecursionError):
        raise ImportRejected(
            "a record is not of the form the format gives: a value of the wrong kind where "
            "an object, a list or a text is expected"
        ) from None


_MANIFEST_TIME = "%Y-%m-%dT%H:%M:%SZ"


def _check_created_at(value: Any) -> None:
    """The manifest's creation time: the form the writer gives, a real date, not ahead of
    this computer's clock (by more than a fast laptop clock)."""
    try:
        when = dt.datetime.strptime(str(value), _MANIFEST_TIME).replace(tzinfo=dt.UTC)
    except ValueError:
        raise ImportRejected(
            "the manifest's created_at is not a UTC time like 2026-11-29T08:30:15Z"
        ) from None
    text = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if when.year < 2000 or text > latest():
        raise ImportRejected(
            f"the manifest's created_at ({value}) lies before 2000 or ahead of this "
            "computer's clock"
        )


def _check_fields(fields: Any, institution: InstitutionPublic) -> None:
    if not isinstance(fields, dict):
        raise ImportRejected("not a records bundle of a version this program reads", NOT_A_BUNDLE)
    if fields.get("kind") == KIT_KIND:  # the institution's own kit, picked by mistake
        raise ImportRejected(
            "this is a site kit, not a records bundle: it is opened on the site laptop", SITE_KIT
        )
    if fields.get("kind") != fmt.KIND or fields.get("records_version") != fmt.RECORDS_VERSION:
        raise ImportRejected("not a records bundle of a version this program reads", NOT_A_BUNDLE)
    if fields.get("mode") not in fmt.MODES:
        raise ImportRejected("the bundle's mode is neither full nor incremental")
    for key, types in _FIELD_TYPES.items():
        if not isinstance(fields.get(key), types):
            raise ImportRejected(f"the manifest's field {key} is missing or of the wrong type")
    # Ids name rows and, for the session, the folder its reports are kept in: UUIDs only.
    for key in ("session_id", "device_id", "previous_bundle_id"):
        if fields[key] is not None:
            check_uuid(fields[key], f"the manifest's field {key}")
    check_text(fields["device_code"], "the manifest's field device_code")
    if isinstance(fields.get("site"), str):
        check_text(fields["site"], "the manifest's field site")
    named = fields.get("institution")
    if named is not None and named.get("id") != institution.institution_id:
        raise ImportRejected(
            f"the bundle is for another institution ({shown(str(named.get('name')))})",
            WRONG_INSTITUTION,
        )


def _prepare(bundle: VerifiedBundle, path: Path, data_dir: Path, checks: RecordChecks) -> Prepared:
    sender, proofs = checks.sender, checks.proofs
    assert sender is not None and proofs is not None  # open_verified read the manifest
    fields = bundle.fields
    records = dict(bundle.records)
    device = records.get(fmt.DEVICE_RECORD)
    if (
        not isinstance(device, dict)
        or device.get("device_id") != sender.device_id
        or device.get("public_key") != sender.signer_hex
    ):
        raise ImportRejected("device.json does not name the device that signed the bundle")
    rows = parse_session_rows(records.get(fmt.SESSION_RECORD))
    if getattr(rows[1], "id", None) != sender.session_id:
        raise ImportRejected("session.json describes another session than the manifest")
    prepared = Prepared(
        path=path,
        bundle=bundle,
        session_id=sender.session_id,
        device_id=sender.device_id,
        device_code=str(fields["device_code"]),
        signer_hex=sender.signer_hex,
        accepted_by=sender.accepted_by,
        session_rows=rows,
        incidents=checks.incidents,
        evidence_rows=[],
        evidence_files={},
        reports=[],
        audit=checks.audit,
        device_first_seen=device.get("first_seen"),
        previous_bundle_id=fields.get("previous_bundle_id"),
    )
    _wait_for_proofs(proofs)
    ids = [r.incident["id"] for r in prepared.incidents]
    if len(set(ids)) != len(ids):
        raise ImportRejected("an incident version is listed twice")
    _evidence(records.get(fmt.EVIDENCE_RECORD), bundle, prepared, data_dir, checks.db)
    actual = {
        "incidents": len(prepared.incidents),
        "audit_entries": len(prepared.audit),
        "evidence_files": len(prepared.evidence_files),
        "reports": len(prepared.reports),
    }
    counts = fields.get("counts")
    if counts != actual:
        said = counts if isinstance(counts, dict) else {}
        differing = ", ".join(
            f"{key} {_count_shown(said.get(key))} listed, {value} found"
            for key, value in actual.items()
            if said.get(key) != value
        )
        raise ImportRejected(
            "the manifest's counts disagree with the records: "
            + (
                differing
                or "it counts other things than incidents, audit entries, "
                "evidence files and reports"
            )
        )
    prepared.counts = actual
    return prepared


def _wait_for_proofs(checks: ProofChecks) -> None:
    failed = checks.failures()
    if failed:
        label, reason = failed[0]
        raise ImportRejected(f"{label}: {reason}")


def accept_device(
    status: str | None,
    fields: dict[str, Any],
    public: bytes,
    institution: InstitutionPublic,
    trust: list[str],
    at: dt.datetime | None = None,
) -> str:
    """The institution's one policy for a bundle's signer, whose trust row says ``status``
    (None: no row): how it is accepted ("certificate", "trusted", "--trust"), or
    ``ImportRejected`` (revoked, unaccepted, bad certificate). ``bundle verify`` asks it too."""
    print_fp = fingerprint(public)
    if status == REVOKED:
        raise ImportRejected(
            f"device {print_fp} was revoked; its bundles are refused", REVOKED_DEVICE
        )
    if fields.get("certificate_chain") is not None:
        check_certificate_chain(institution, fields, public, at)
        return "certificate"
    if status == TRUSTED:
        return "trusted"
    if normalise(print_fp) in {normalise(t) for t in trust}:  # whole fingerprints only
        return "--trust"
    raise ImportRejected(
        f"device {print_fp} is not accepted (its session came without a kit); "
        "check the fingerprint with the site and import with --trust FINGERPRINT",
        UNACCEPTED_DEVICE,
    )


def check_certificate_chain(
    institution: InstitutionPublic,
    fields: dict[str, Any],
    public: bytes,
    at: dt.datetime | None = None,
) -> None:
    """The manifest's chain leads to our root (valid at ``at``, default now), certifies the
    key that signed the bundle, and binds it to the bundle's session and device id: a device
    certified at one session's site cannot send records of another, nor speak for another
    device. Raises ``ImportRejected`` (``bad_certificate``)."""
    try:
        chain = from_pem(str(fields.get("certificate_chain")))
        key = verify_device_chain(institution.root_certificate, chain, at)
        session_id, device_id = certified_for(chain)
    except CertificateError as exc:
        raise ImportRejected(f"device certificate refused: {exc}", BAD_CERTIFICATE) from None
    except UnsupportedAlgorithm as exc:  # a certificate signed by an algorithm unknown here
        raise ImportRejected(f"device certificate refused: {exc}", BAD_CERTIFICATE) from None
    if key != public:
        raise ImportRejected(
            "the bundle is not signed by the key its certificate names", BAD_CERTIFICATE
        )
    if session_id != fields.get("session_id"):
        raise ImportRejected(
            f"the device is certified for session {session_id[:36]}, not for the bundle's "
            f"session {str(fields.get('session_id'))[:36]}",
            BAD_CERTIFICATE,
        )
    if device_id != fields.get("device_id"):
        raise ImportRejected(
            f"the device certificate names device {device_id[:36]}, not the bundle's device "
            f"id {str(fields.get('device_id'))[:36]}",
            BAD_CERTIFICATE,
        )


def _incident(name: str, value: Any, sender: _Sender, checks: ProofChecks) -> IncidentRecord:
    if not isinstance(value, dict) or value.keys() != _INCIDENT_KEYS:
        raise ImportRejected(f"{name}: not an incident record")
    incident = row_values(Incident, value["incident"], name)
    ident = incident["id"]
    if incident["session_id"] != sender.session_id:
        raise ImportRejected(f"{name}: belongs to another session")
    if not is_record_status(incident["status"]):
        raise ImportRejected(f"{name}: unknown status")
    content_json = value["content_json"]
    if not isinstance(content_json, str):
        raise ImportRejected(f"{name}: content is not text")
    content_bytes = content_json.encode("utf-8")
    fast = parse_if_canonical(content_bytes, _CONTENT_DEPTH)
    content = fast[0] if fast is not None else _strict_content(name, content_json, content_bytes)
    if not isinstance(content, dict) or content.get("id") != ident:
        raise ImportRejected(f"{name}: content belongs to another incident")
    if sha256_hex(content_bytes) != incident["content_hash"]:
        raise ImportRejected(f"{name}: content does not match its hash")
    # The columns as attributes, which is all column_mismatches reads: building a model per
    # record costs more than the comparison itself.
    columns = SimpleNamespace(**{**incident, "occurred_at": instant(incident["occurred_at"])})
    wrong = column_mismatches(cast(Incident, columns), content)
    if wrong:
        raise ImportRejected(f"{name}: column(s) {', '.join(wrong)} disagree with the content")
    signatures = [row_values(Signature, s, f"{name} signature") for s in _list(value, "signatures")]
    returns = [row_values(SeizedReturn, r, f"{name} return") for r in _list(value, "returns")]
    if any(s["incident_id"] != ident for s in signatures + returns):
        raise ImportRejected(f"{name}: a signature or return belongs to another incident")
    seal = None
    if value["seal"] is not None:
        seal = row_values(Seal, value["seal"], f"{name} seal")
        _check_seal(name, incident, signatures, seal, sender, checks)
    elif incident["status"] in SEALED:
        raise ImportRejected(f"{name}: confirmed but not sealed")
    return IncidentRecord(incident, content_json, content, signatures, seal, returns)


def _strict_content(name: str, content_json: str, content_bytes: bytes) -> Any:
    """The content parsed the slow, strict way, which names what makes it not canonical."""
    try:
        # No floats or constants; duplicate keys and any other spelling fail the comparison.
        content = STRICT.decode(content_json)
        canonical = encode_checked(content)
    except RecursionError:
        raise ImportRejected(f"{name}: content is nested too deeply to be a record") from None
    except ValueError as exc:
        raise ImportRejected(f"{name}: content is not canonical JSON ({exc})") from None
    if canonical != content_bytes:
        raise ImportRejected(f"{name}: content is not in canonical form")
    return content


def _list(value: dict[str, Any], key: str) -> list[Any]:
    items = value[key]
    if not isinstance(items, list):
        raise ImportRejected(f"{key}: expected a list")
    return items


def _check_seal(
    name: str,
    incident: dict[str, Any],
    signatures: list[dict[str, Any]],
    seal: dict[str, Any],
    sender: _Sender,
    checks: ProofChecks,
) -> None:
    if seal["incident_id"] != incident["id"]:
        raise ImportRejected(f"{name}: the seal belongs to another incident")
    if seal["public_key"] != sender.signer_hex or seal["device_id"] != sender.device_id:
        raise ImportRejected(f"{name}: sealed by another device than the one sending it")
    covered = [
        s
        for s in signatures
        if s["voided_at"] is None and s["content_hash"] == incident["content_hash"]
    ]
    checks.add(name, seal_job(incident, covered, seal))


def _count_shown(value: Any) -> str:
    """A manifest's count as a person reads it: a number, or what it is instead (never a
    Python repr of whatever a hostile manifest put there)."""
    if value is None:
        return "missing"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "no number"


def _audit_entry(item: Any, sender: _Sender, checks: ProofChecks) -> dict[str, Any]:
    entry = row_values(AuditEntry, item, "audit entry")
    if entry["device_id"] != sender.device_id or entry["session_id"] != sender.session_id:
        raise ImportRejected(f"audit entry {entry['seq']}: from another device or session")
    checks.add(f"audit entry {entry['seq']}", audit_job(entry))  # its hash
    return entry


def _report(bundle: VerifiedBundle, name: str) -> None:
    """A signed PDF, kept under its own name: a name fit to show and to store (the
    container's name rules, and no control or direction character)."""
    check_text(name, f"file {shown(name)}: its name", 255)
    if "/" in name.removeprefix(fmt.REPORT_PREFIX) or not name.lower().endswith(".pdf"):
        raise ImportRejected(f"file {name}: a report must be a PDF directly under reports/")
    with bundle.open_file(name) as handle:
        if handle.read(5) != b"%PDF-":
            raise ImportRejected(f"file {name}: not a PDF")


def _evidence(
    rows: Any, bundle: VerifiedBundle, prepared: Prepared, data_dir: Path, db: Session
) -> None:
    if not isinstance(rows, list):
        raise ImportRejected("evidence.json: expected a list")
    prepared.evidence_rows = [row_values(Evidence, r, "evidence.json") for r in rows]
    entries = {e.name: e for e in bundle.entries}
    for name in bundle.file_names:
        if name.startswith(fmt.REPORT_PREFIX):
            _report(bundle, name)
            prepared.reports.append(name)
            continue
        sha = name.removeprefix(fmt.EVIDENCE_PREFIX)
        if not name.startswith(fmt.EVIDENCE_PREFIX) or entries[name].sha256 != sha:
            raise ImportRejected(f"file {shown(name)}: not an evidence file named by its SHA-256")
        prepared.evidence_files[sha] = name
    listed = {r["sha256"] for r in prepared.evidence_rows}
    for record in prepared.incidents:
        for item in record.content.get("evidence", []):
            sha = str(item.get("sha256"))
            if len(sha) != 64 or set(sha) - set("0123456789abcdef"):
                raise ImportRejected("an incident lists evidence without a valid SHA-256")
            if sha in prepared.evidence_files:
                continue
            # Brought by an earlier bundle: the folder's file, or the shared database's.
            if evidence_problem(db, data_dir, sha):
                raise ImportRejected(f"evidence {sha[:12]}… is neither in the bundle nor here")
    if not set(prepared.evidence_files) <= listed:
        raise ImportRejected("evidence.json does not describe every evidence file")
