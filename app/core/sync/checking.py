"""Import, first half: everything about one bundle is checked before anything is committed.

The container is verified (decryption, signature, hashes, strict JSON); then the signer is
matched with an accepted device (certificate chain to our root, or an accepted fingerprint)
and not revoked; then every record is checked on its own: exact columns and types, content
canonical and matching its hash, each seal verifying with the device's key over the
signatures it covers, each audit entry matching its hash, each evidence file named by its hash.
A large import's records, with their seals and audit hashes, are checked by a helper process
on a second core (``proof_worker``, ``record_checks``); for the import (``defer``) ``prepare``
returns before its answers, which the import awaits before it commits (``Prepared.settle``).
Conflicts with the database are the second half's question (``importing.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlmodel import Session, SQLModel

from app.core.bundles import BundleError, VerifiedBundle, errors, open_bundle
from app.core.bundles import formats as fmt
from app.core.bundles.formats import KIT_KIND
from app.core.records.content import lists_no_evidence
from app.core.records.exchange_tables import DeviceTrust, ImportedBundle
from app.core.records.file_store import evidence_problem
from app.core.records.tables import AuditEntry, Evidence, Incident, Seal, SeizedReturn, Signature
from app.core.seal.device_keys import fingerprint
from app.core.sync.proof_worker import ProofChecks, ProofHelper
from app.core.sync.record_checks import (
    TABLES,
    IncidentRecord,
    Sender,
    Specs,
    check_audit_entries,
    check_incidents,
    records_job,
)
from app.core.sync.record_proofs import AUDITS, INCIDENTS
from app.core.sync.refusals import (  # the reasons, re-exported for those that say them
    ADVICE,
    BAD_CERTIFICATE,
    BAD_SIGNATURE,
    CONFLICT,
    DAMAGED,
    MALFORMED,
    NOT_A_BUNDLE,
    NOT_SAVED,
    REASONS,
    REVOKED_DEVICE,
    SITE_KIT,
    UNACCEPTED_DEVICE,
    UNREADABLE,
    WRONG_INSTITUTION,
    WRONG_KEY,
    ImportRejected,
    malformed_records,
)
from app.core.sync.rows import row_values, spec_of
from app.core.sync.session_rows import parse_session_rows
from app.core.trust.certificates import (
    CertificateError,
    certified_for,
    from_pem,
    verify_device_chain,
)
from app.core.trust.device_trust import REVOKED, TRUSTED, normalise, status_of
from app.core.trust.institution import InstitutionPublic
from app.core.value_limits import check_text, check_uuid, latest, shown

__all__ = [
    "ADVICE",
    "BAD_CERTIFICATE",
    "BAD_SIGNATURE",
    "CONFLICT",
    "DAMAGED",
    "MALFORMED",
    "NOT_A_BUNDLE",
    "NOT_SAVED",
    "REASONS",
    "REVOKED_DEVICE",
    "SITE_KIT",
    "UNACCEPTED_DEVICE",
    "UNREADABLE",
    "WRONG_INSTITUTION",
    "WRONG_KEY",
    "AlreadyImported",
    "ImportRejected",
    "IncidentRecord",
    "Prepared",
    "RecordChecks",
    "accept_device",
    "check_file",
    "open_verified",
    "prepare",
    "reason_of",
]

_OTHER_RECORDS = {fmt.SESSION_RECORD, fmt.DEVICE_RECORD, fmt.EVIDENCE_RECORD}
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "session_id": (str,),
    "device_id": (str,),
    "device_code": (str,),
    "previous_bundle_id": (str, type(None)),
    "certificate_chain": (str, type(None)),
    "institution": (dict, type(None)),
    "counts": (dict,),
}


_BUNDLE_ERROR_REASONS: dict[type[BundleError], str] = {
    errors.NotABundleError: NOT_A_BUNDLE,
    errors.UnsupportedVersionError: NOT_A_BUNDLE,
    errors.KeyRequiredError: WRONG_KEY,
    errors.WrongKeyError: WRONG_KEY,
    errors.SignatureError: BAD_SIGNATURE,
    errors.BundleReadError: UNREADABLE,
}


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
    # The records' checks still running in the helper (``check_file(defer=True)``): nothing
    # of this bundle may be committed or leave the transaction before ``settle()``.
    pending: ProofChecks | None = None
    _refusal: ImportRejected | None = None

    def settle(self) -> None:
        """Wait for the checks still running; raise ``ImportRejected`` if any record or proof
        failed (again on every later call), else return once every answer is in."""
        pending, self.pending = self.pending, None
        if pending is not None:
            try:
                _wait_for_proofs(pending)
            except ImportRejected as exc:
                self._refusal = exc
            finally:
                pending.close()
        if self._refusal is not None:
            raise self._refusal

    def close(self) -> None:
        """Stop what still runs for this bundle (its checks, its open file)."""
        if self.pending is not None:
            self.pending.close()
            self.pending = None
        self.bundle.close()

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


class RecordChecks:
    """The checks of one bundle that need no comparison with the database, run while
    ``open_bundle`` reads it: the manifest's fields and the sender as soon as the manifest is
    verified, each incident and audit record as soon as it is parsed: in place, or, once the
    helper process (``proof_worker``) runs, handed to it whole from the start of the read and
    meanwhile taken as they came. ``prepare`` finishes the checks.

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
        self.sender: Sender | None = None
        self.proofs: ProofChecks | None = None
        self.incidents: list[IncidentRecord] = []
        self.audit: list[dict[str, Any]] = []
        # Records the helper checks (``proofs.in_helper``) that were not even of a shape to
        # take: only its answer may say why.
        self.unreadable = False

    def manifest(self, bundle_id: str, manifest: dict[str, Any], public: bytes) -> None:
        self.bundle_id, self.fingerprint = bundle_id, fingerprint(public)
        if already_imported(self.db, bundle_id) is not None:
            self.already_imported = True
            return
        with malformed_records():
            _check_created_at(manifest.get("created_at"))
            self._sender(manifest["fields"], public)

    def _sender(self, fields: Any, public: bytes) -> None:
        _check_fields(fields, self.institution)
        signer_hex = public.hex()
        status = status_of(self.db.get(DeviceTrust, signer_hex))
        accepted_by = accept_device(status, fields, public, self.institution, self.trust, self.at)
        self.sender = Sender(
            str(fields["session_id"]), str(fields["device_id"]), signer_hex, accepted_by
        )
        counts = fields.get("counts")
        announced = (
            [counts.get(k) for k in ("incidents", "audit_entries")]
            if isinstance(counts, dict)
            else []
        )
        self.proofs = self._proofs(sum(n for n in announced if isinstance(n, int)))

    def record(self, name: str, value: Any, data: bytes) -> None:
        if self.already_imported:
            return
        sender, proofs = self.sender, self.proofs
        assert sender is not None and proofs is not None  # the manifest came first
        kind = (
            INCIDENTS
            if name.startswith(fmt.INCIDENT_PREFIX)
            else AUDITS
            if name.startswith(fmt.AUDIT_PREFIX)
            else None
        )
        if kind is None:
            if name not in _OTHER_RECORDS:
                raise ImportRejected(f"the bundle holds an unknown record {shown(name)}")
            return
        if proofs.in_helper:
            # The helper checks the entry, records and proofs, from the very bytes read here;
            # meanwhile they are taken as they came, for the writing to begin.
            proofs.add("", records_job(kind, name, sender, data, record_specs()))
            self._take_unchecked(kind, value)
            return
        with malformed_records():
            if kind == INCIDENTS:
                self.incidents += check_incidents(name, value, sender, proofs.add, record_specs())
            else:
                self.audit += check_audit_entries(name, value, sender, proofs.add, record_specs())

    def _take_unchecked(self, kind: str, value: Any) -> None:
        """An entry's records as they came, or the mark that they cannot even be taken (the
        helper then says why; any use of them waits for its answer)."""
        try:
            if kind == AUDITS:
                self.audit += [dict(item) for item in value]
                return
            for item in value:
                self.incidents.append(
                    IncidentRecord(
                        item["incident"],
                        item["content_json"],
                        None,
                        item["signatures"],
                        item["seal"],
                        item["returns"],
                    )
                )
        except Exception:  # whatever shape it has, the helper's checks name what is wrong
            self.unreadable = True


@functools.cache
def record_specs() -> Specs:
    """The columns of the tables an imported record fills, as ``record_checks`` takes them."""
    tables = {
        model.__name__: model for model in (Incident, Signature, Seal, SeizedReturn, AuditEntry)
    }
    return {name: spec_of(tables[name]) for name in TABLES}


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
    defer: bool = False,
    helper: ProofHelper | None = None,
) -> Prepared | AlreadyImported:
    """Read and check one bundle file (its records while it is read), or say that it was
    imported before. Read-only on ``db``; the caller closes ``prepared``. ``at``: when the
    device's certificate chain must be valid (default: now).

    ``defer``: return while the helper process is still checking a large bundle's records
    (``prepared.pending``), so the import can write them into its open transaction meanwhile;
    it must ``prepared.settle()`` before it commits or lets anything leave the transaction.
    ``helper``: the helper process the bundles of one import share (else one of its own).
    """
    started: list[ProofChecks] = []

    def start(expected: int) -> ProofChecks:
        started.append(ProofChecks(expected, helper))
        return started[-1]

    checks = RecordChecks(db, institution, list(trust), start, at=at)
    bundle = None
    handed_over = False
    try:
        bundle = open_verified(path, decrypt_key, work_dir, checks)
        if checks.already_imported:
            bundle.close()
            return AlreadyImported(bundle.bundle_id, bundle.signer_fingerprint)
        prepared = prepare(bundle, path, data_dir, checks, defer=defer)
        if prepared.pending is not None:
            prepared.pending.end()  # the next bundle's jobs may follow
            handed_over = True
        return prepared
    except ImportRejected as exc:
        if bundle is not None:
            bundle.close()
        exc.bundle_id, exc.fingerprint = checks.bundle_id, checks.fingerprint
        raise
    finally:
        if not handed_over:
            for proofs in started:
                proofs.close()


def prepare(
    bundle: VerifiedBundle,
    path: Path,
    data_dir: Path,
    checks: RecordChecks,
    *,
    defer: bool = False,
) -> Prepared:
    """Finish checking a bundle ``checks`` has seen read; raise ``ImportRejected``.
    ``defer``: see ``check_file``."""
    proofs = checks.proofs
    deferred = defer and proofs is not None and proofs.in_helper
    try:
        with malformed_records():
            return _prepare(bundle, path, data_dir, checks, deferred)
    except ImportRejected:
        if deferred:
            assert proofs is not None
            # Checked here, the records were taken as they came: a refused one explains
            # whatever it broke here better than what it broke.
            _wait_for_proofs(proofs)
        raise


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


def _prepare(
    bundle: VerifiedBundle, path: Path, data_dir: Path, checks: RecordChecks, deferred: bool
) -> Prepared:
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
    if not deferred:
        _wait_for_proofs(proofs)
    elif checks.unreadable:
        _wait_for_proofs(proofs)  # says why
        raise ImportRejected("a record is not of the form the format gives")
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
    if deferred:
        prepared.pending = proofs
    return prepared


def _wait_for_proofs(checks: ProofChecks) -> None:
    failed = checks.failures()
    if failed:
        label, reason = failed[0]
        # A records job's answer is the whole refusal; a proof's is said of its record.
        raise ImportRejected(f"{label}: {reason}" if label else reason)


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


def _count_shown(value: Any) -> str:
    """A manifest's count as a person reads it: a number, or what it is instead (never a
    Python repr of whatever a hostile manifest put there)."""
    if value is None:
        return "missing"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "no number"


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
        content = record.content
        if content is None:  # taken unchecked: parsed here only if it can list evidence
            if lists_no_evidence(record.content_json):
                continue
            content = orjson.loads(record.content_json)
        for item in content.get("evidence", []):
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
